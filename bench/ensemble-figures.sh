#!/usr/bin/env bash
# Reproduces the ensemble figures of docs/performance.md on this machine. Every server runs on
# loopback as its own JVM (java -Xmx1g, tickTime=2000 initLimit=10 syncLimit=5 forceSync=yes),
# each measurement on a fresh ensemble in a temporary directory:
#  1. write throughput (LoadGen create: 16 sessions x 16 outstanding, 100 bytes, 5 s warm-up,
#     15 s measured) of a standalone server, then of 3 servers with the clients spread over all
#     three and with every client on the leader; reads (get) and 90/10 get/set on 3 servers;
#     creates on 3 voters plus 1 observer;
#  2. failover, 5 times: Failover writes steadily (8 sessions x 1 outstanding) and kills the
#     leader with SIGKILL; the time until the first write started after the kill succeeds.
#     The killed server is restarted and rejoins before the next round. Then the median.
#  3. a summary table.
# Usage: bench/ensemble-figures.sh [rounds]   (builds with mvn -B -q -DskipTests package if
# needed; MVN overrides the Maven command, e.g. MVN="mvn -o"; WARMUP_S and MEASURE_S
# shorten the LoadGen runs for a quick check)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS="${1:-5}"
SERVER_CP="server/target/paddock-server.jar:server/target/lib/*"
BENCH_CP="bench/target/paddock-bench.jar:bench/target/lib/*"
LOAD=(--sessions 16 --outstanding 16 --size 100 --warmup "${WARMUP_S:-5}" --duration "${MEASURE_S:-15}")
if [ ! -f bench/target/paddock-bench.jar ] || [ ! -f server/target/paddock-server.jar ]; then
    ${MVN:-mvn} -B -q -DskipTests package
fi

work="$(mktemp -d /tmp/paddock-ensemble.XXXXXX)"
declare -A SPID=()   # server id -> pid of the running ensemble's servers
client=""            # pid of the running LoadGen or Failover
cleanup() {
    local p
    for p in "${SPID[@]}" $client; do kill -9 "$p" 2> /dev/null || true; done
    wait 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
summary="$work/summary"

# free_ports N: N distinct free loopback ports, all held open while picked so none repeats.
free_ports() {
    python3 -c 'import socket,sys
ss=[socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1",0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}

srvr() { # client port -> the server's srvr answer, or nothing
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf srvr >&3 && cat <&3" 2> /dev/null || true
}
mode() { srvr "$1" | sed -n 's/^Mode: //p'; }

# new_ensemble NAME VOTERS OBSERVERS: writes the configs of a fresh ensemble under $work/NAME.
# One voter is a standalone server (no server.N lines). Sets CPORT[i] and ENS_DIR.
declare -A CPORT=()
new_ensemble() {
    local name="$1" voters="$2" observers="$3" total i ports lines="" dir
    total=$((voters + observers))
    ENS_DIR="$work/$name"
    read -r -a ports <<< "$(free_ports $((3 * total)))"
    CPORT=()
    for ((i = 1; i <= total; i++)); do
        CPORT[$i]=${ports[$((3 * i - 3))]}
        if [ "$voters" -gt 1 ]; then
            lines+="server.$i=127.0.0.1:${ports[$((3 * i - 2))]}:${ports[$((3 * i - 1))]}"
            [ "$i" -gt "$voters" ] && lines+=":observer"
            lines+=$'\n'
        fi
    done
    for ((i = 1; i <= total; i++)); do
        dir="$ENS_DIR/server$i"
        mkdir -p "$dir/data"
        echo "$i" > "$dir/data/myid"
        {
            printf 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nforceSync=yes\n'
            printf 'dataDir=%s\nclientPort=%s\nclientPortAddress=127.0.0.1\n' "$dir/data" "${CPORT[$i]}"
            [ "$i" -gt "$voters" ] && echo "peerType=observer"
            printf '%s' "$lines"
        } > "$dir/zoo.cfg"
    done
}

start_server() { # id
    local dir="$ENS_DIR/server$1"
    java -Xmx1g -cp "$SERVER_CP" io.paddock.server.Main "$dir/zoo.cfg" >> "$dir/server.out" 2>&1 &
    SPID[$1]=$!
}

stop_ensemble() {
    local p
    for p in "${SPID[@]}"; do kill "$p" 2> /dev/null || true; done
    for p in "${SPID[@]}"; do wait "$p" 2> /dev/null || true; done
    SPID=()
    rm -rf "$ENS_DIR"
}

# wait_serving: until srvr shows a Mode on every server of the ensemble (60 s at most).
wait_serving() {
    local i ok
    for _ in $(seq 1 600); do
        ok=1
        for i in "${!CPORT[@]}"; do
            [ -n "$(mode "${CPORT[$i]}")" ] || { ok=0; break; }
        done
        [ "$ok" -eq 1 ] && return 0
        sleep 0.1
    done
    echo "the ensemble under $ENS_DIR did not serve within 60 s; server logs:" >&2
    for i in "${!CPORT[@]}"; do tail -n 20 "$ENS_DIR/server$i/server.out" >&2; done
    return 1
}

leader() { # -> id of the server whose srvr says leader (or standalone)
    local i m
    for i in "${!CPORT[@]}"; do
        m="$(mode "${CPORT[$i]}")"
        if [ "$m" = leader ] || [ "$m" = standalone ]; then echo "$i"; return 0; fi
    done
    return 1
}

connect_string() { # ids...
    local i s=""
    for i in "$@"; do s+="${s:+,}127.0.0.1:${CPORT[$i]}"; done
    echo "$s"
}

cpu_times() {
    local i out=""
    for i in $(printf '%s\n' "${!SPID[@]}" | sort -n); do
        out+=" server$i $(ps -o cputime= -p "${SPID[$i]}" | tr -d ' ')"
    done
    echo "server CPU time:$out"
}

# run_java LOG CLASS ARGS...: runs a bench tool in the background (so that the trap can stop
# it), its stdout shown and kept in LOG, its stderr shown only if it fails.
run_java() {
    local log="$1" rc=0
    shift
    java -Xmx1g -cp "$BENCH_CP" "$@" > "$log" 2> "$log.err" &
    client=$!
    wait "$client" || rc=$?
    client=""
    cat "$log"
    if [ "$rc" -ne 0 ]; then
        tail -n 30 "$log.err" >&2
        return "$rc"
    fi
}

# others FILE: the processes other than this benchmark's (its servers and tools run from
# paddock-server.jar and paddock-bench.jar) that used 10% of a core or more over 2 s.
others() {
    top -b -c -w 512 -n 2 -d 2 | awk '/^top -/ {n++; t = 0} n == 2 && t && $9 + 0 >= 10; /^ *PID / {t = 1}' |
        grep -v -e 'paddock-server.jar' -e 'paddock-bench.jar' -e ' top -b' |
        awk '{c = $12; if (NF > 12) c = c " ..."; for (i = (NF - 3 > 12 ? NF - 3 : 13); i <= NF; i++) c = c " " substr($i, 1, 60)
              printf "%s%.0f%% %s", (NR > 1 ? ", " : ""), $9, c} END {if (NR == 0) printf "none"; print ""}' > "$1"
}

json() { # file key -> the value of key in the file's JSON line
    python3 -c 'import json,sys
for line in open(sys.argv[1]):
    if line.startswith("{"): print(json.loads(line)[sys.argv[2]])' "$1" "$2"
}

# loadgen LABEL CONNECT ARGS...: one LoadGen run, its figures added to the summary.
loadgen() {
    local label="$1" connect="$2" log="$work/run.$RANDOM"
    shift 2
    echo "== $label"
    # Samples the other processes' CPU 2 s into the measured window.
    (sleep $((${WARMUP_S:-5} + 2)) && others "$log.others") &
    local sampler=$!
    run_java "$log" io.paddock.bench.LoadGen --connect "$connect" "${LOAD[@]}" "$@"
    wait "$sampler" || true
    cpu_times
    echo "other processes (>= 10% of a core) during the run: $(cat "$log.others")"
    python3 -c 'import json,sys
j=[json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][0]
print("| %s | %s | %.2f | %.1f | %.0f | %d | %s |" % (sys.argv[2], format(j["opsPerSec"], ",.0f"), j["p50"], j["p99"], j["p999"], j["errors"], sys.argv[3]))' \
        "$log" "$label" "$(cut -c1-60 "$log.others")" >> "$summary"
}

echo "== machine: $(nproc) cores; $(uptime)"
others "$work/others.start"
echo "other processes (>= 10% of a core) at the start: $(cat "$work/others.start")"
echo "== $(java -version 2>&1 | head -n 1); git $(git rev-parse --short HEAD 2> /dev/null || echo '?')"

new_ensemble standalone 1 0
start_server 1
wait_serving
loadgen "standalone, create" "$(connect_string 1)" --workload create
stop_ensemble

for run in all leader get mixed; do
    new_ensemble "three-$run" 3 0
    for i in 1 2 3; do start_server "$i"; done
    wait_serving
    l="$(leader)"
    case "$run" in
        all) loadgen "3 servers, create, clients on all 3" "$(connect_string 1 2 3)" --workload create ;;
        leader) loadgen "3 servers, create, clients on the leader" "$(connect_string "$l")" --workload create ;;
        get) loadgen "3 servers, get, clients on all 3" "$(connect_string 1 2 3)" --workload get --keys 10000 ;;
        mixed) loadgen "3 servers, 90% get / 10% set, clients on all 3" "$(connect_string 1 2 3)" \
            --workload mixed --keys 10000 --read-ratio 0.9 ;;
    esac
    stop_ensemble
done

for run in voters all; do
    new_ensemble "observer-$run" 3 1
    for i in 1 2 3 4; do start_server "$i"; done
    wait_serving
    if [ "$run" = voters ]; then
        loadgen "3 servers + 1 observer, create, clients on the 3 voters" "$(connect_string 1 2 3)" --workload create
    else
        loadgen "3 servers + 1 observer, create, clients on all 4" "$(connect_string 1 2 3 4)" --workload create
    fi
    stop_ensemble
done

echo "== failover: SIGKILL of the leader under 8 sessions x 1 outstanding creates, $ROUNDS rounds"
new_ensemble failover 3 0
for i in 1 2 3; do start_server "$i"; done
wait_serving
failovers=()
for round in $(seq 1 "$ROUNDS"); do
    l="$(leader)"
    pid="${SPID[$l]}"
    echo "-- round $round: leader is server$l (pid $pid)"
    log="$work/failover.$round"
    run_java "$log" io.paddock.bench.Failover --connect "$(connect_string 1 2 3)" --sessions 8 --outstanding 1 \
        --size 100 --before 5 --timeout 60 --trigger "kill -9 $pid"
    failovers+=("$(json "$log" firstWriteMs)")
    echo "new leader: server$(leader || echo '?')"
    wait "$pid" 2> /dev/null || true
    start=$(date +%s.%N)
    start_server "$l"
    wait_serving
    printf 'server%s restarted and serving again after %.1f s\n' "$l" "$(echo "$(date +%s.%N) - $start" | bc)"
    printf '| failover round %s: SIGKILL of the leader (server%s) to the first new write | %s ms | all 8 sessions: %s ms | failed writes: %s |\n' \
        "$round" "$l" "$(json "$log" firstWriteMs)" "$(json "$log" allSessionsMs)" "$(json "$log" failedWrites)" >> "$work/failover-rows"
done
median="$(printf '%s\n' "${failovers[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')"
stop_ensemble

echo
echo "== summary (ops/s over 15 s; latency in ms)"
echo "| run | ops/s | p50 | p99 | p99.9 | errors | other CPU load |"
echo "|---|---|---|---|---|---|---|"
cat "$summary"
echo
cat "$work/failover-rows"
echo "| failover, median of $ROUNDS | $median ms | | |"
others "$work/others.end"
echo "other processes (>= 10% of a core) at the end: $(cat "$work/others.end"); $(uptime)"
