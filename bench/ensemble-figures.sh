#!/usr/bin/env bash
# Reproduces the ensemble figures of docs/performance.md on this machine. Every server runs on
# loopback as its own JVM (java -Xmx1g, tickTime=2000 initLimit=10 syncLimit=5 forceSync=yes),
# each measurement on a fresh ensemble in a temporary directory:
#  1. write throughput (LoadGen create: 16 sessions x 16 outstanding, 100 bytes, 5 s warm-up,
#     15 s measured) of a standalone server, then of 3 servers with the clients spread over all
#     three and with every client on the leader; reads (get) and 90/10 get/set on 3 servers;
#     creates on 3 voters plus 1 observer (clients on the voters, on all 4, and on the voters
#     with the observer stopped by SIGSTOP: writes must not wait for it);
#  2. failover: Failover writes steadily (8 sessions x 1 outstanding creates) and sends the
#     leader a signal; the time until the first write started after the signal succeeds.
#     5 rounds of SIGKILL (the killed server is restarted before the next round), then 3 of
#     SIGSTOP (a frozen leader, as in a long pause or a hung host; SIGCONT afterwards, and it
#     rejoins by itself). The median of each.
#  3. a summary table. Each run also reports the servers' CPU time, what their logs say about
#     replication (re-elections, dropped messages, SNAP/TRUNC catch-ups) and the other
#     processes busy on the machine meanwhile.
# Usage: bench/ensemble-figures.sh [kill-rounds [stop-rounds]]   (builds with
# mvn -B -q -DskipTests package if needed; MVN overrides the Maven command, e.g. MVN="mvn -o";
# WARMUP_S and MEASURE_S shorten the LoadGen runs for a quick check)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS="${1:-5}"
FROZEN_ROUNDS="${2:-3}"
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

# shellcheck source=bench/servers.sh
. bench/servers.sh   # free_ports, srvr
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
            printf 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nforceSync=%s\n' "${FORCE_SYNC:-yes}"
            printf 'dataDir=%s\nclientPort=%s\nclientPortAddress=127.0.0.1\n' "$dir/data" "${CPORT[$i]}"
            [ "$i" -gt "$voters" ] && echo "peerType=observer"
            printf '%s' "$lines"
        } > "$dir/zoo.cfg"
    done
}

start_server() { # id
    local dir="$ENS_DIR/server$1"
    java -Xmx1g -Dlogback.configurationFile=conf/logback.xml -cp "$SERVER_CP" io.paddock.server.Main "$dir/zoo.cfg" >> "$dir/server.out" 2>&1 &
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

# replication_events: per server, what its log says happened to replication since it started
# (elections after its first, peer messages dropped because its zab thread fell behind, links
# dropped, catch-ups by SNAP or TRUNC); "quiet" when nothing did.
replication_events() {
    local i f out="" e n
    for i in $(printf '%s\n' "${!SPID[@]}" | sort -n); do
        f="$ENS_DIR/server$i/server.out"
        e=""
        n=$(($(grep -c 'LOOKING (currentEpoch' "$f" || true) - 1))
        if [ "$n" -gt 0 ]; then e+=" $n later elections"; fi
        n="$(sed -n 's/.*replication falls behind: \([0-9]*\) peer messages dropped.*/\1/p' "$f" | tail -n 1)"
        if [ -n "$n" ]; then e+=" >=$n peer messages dropped"; fi
        n="$(grep -c 'dropping messages to server' "$f" || true)"
        if [ "$n" -gt 0 ]; then e+=" $n links dropped"; fi
        n="$(grep -c 'SNAP: installed' "$f" || true)"
        if [ "$n" -gt 0 ]; then e+=" $n SNAP"; fi
        n="$(grep -c 'TRUNC: log truncated' "$f" || true)"
        if [ "$n" -gt 0 ]; then e+=" $n TRUNC"; fi
        out+=" server$i:${e:- quiet};"
    done
    echo "replication events:${out%;}"
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
# paddock-server.jar and paddock-bench.jar) that used 10% of a core or more over 2 s, each
# as its share of a core, its program and the last words of its command line.
others() {
    local file="$1" pid pcpu args out=""
    while read -r pid pcpu; do
        args="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null)" || continue
        case "$args" in *paddock-server.jar* | *paddock-bench.jar* | "top -b"*) continue ;; esac
        # shellcheck disable=SC2086 # word splitting wanted: the first and last words
        set -- $args
        [ $# -gt 0 ] || continue
        out+="${out:+, }${pcpu}% ${1##*/}"
        if [ $# -gt 4 ]; then out+=" ..."; fi
        if [ $# -gt 1 ]; then out+=" $(echo "${@:$(($# > 3 ? $# - 2 : 2))}" | cut -c1-80)"; fi
    done < <(top -b -n 2 -d 2 | awk '/^top -/ {n++; t = 0} n == 2 && t && $9 + 0 >= 10 {printf "%s %.0f\n", $1, $9} /^ *PID / {t = 1}')
    echo "${out:-none}" > "$file"
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
    replication_events
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

for run in voters all frozen; do
    new_ensemble "observer-$run" 3 1
    for i in 1 2 3 4; do start_server "$i"; done
    wait_serving
    case "$run" in
        voters) loadgen "3 servers + 1 observer, create, clients on the 3 voters" "$(connect_string 1 2 3)" --workload create ;;
        all) loadgen "3 servers + 1 observer, create, clients on all 4" "$(connect_string 1 2 3 4)" --workload create ;;
        frozen)
            # Writes must not wait for an observer: stopped (SIGSTOP) for the whole run, it takes no
            # CPU and answers nothing. Resumed afterwards, it has to catch up.
            kill -STOP "${SPID[4]}"
            loadgen "3 servers + 1 observer stopped by SIGSTOP, create, clients on the 3 voters" \
                "$(connect_string 1 2 3)" --workload create
            kill -CONT "${SPID[4]}"
            start=$(date +%s.%N)
            wait_serving
            printf 'the observer resumed and serves again after %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
            replication_events
            ;;
    esac
    stop_ensemble
done

# failover_rounds KIND ROUNDS: KIND kill (SIGKILL of the leader, then a restart) or stop
# (SIGSTOP of the leader, then SIGCONT: it rejoins by itself). Failover measures each round;
# the next starts once all three servers serve again. Adds a summary row per round and a median.
failover_rounds() {
    local kind="$1" rounds="$2" round l pid log start what sampler times=()
    if [ "$kind" = kill ]; then what="SIGKILL"; else what="SIGSTOP"; fi
    echo "== failover: $what of the leader under 8 sessions x 1 outstanding creates, $rounds rounds"
    for round in $(seq 1 "$rounds"); do
        l="$(leader)"
        pid="${SPID[$l]}"
        echo "-- round $round: leader is server$l (pid $pid)"
        log="$work/failover.$kind.$round"
        (sleep 2 && others "$log.others") &
        sampler=$!
        run_java "$log" io.paddock.bench.Failover --connect "$(connect_string 1 2 3)" --sessions 8 --outstanding 1 \
            --size 100 --before 5 --timeout 60 --trigger "kill -$(echo "$what" | cut -c4-) $pid"
        wait "$sampler" || true
        echo "other processes (>= 10% of a core) before the signal: $(cat "$log.others")"
        times+=("$(json "$log" firstWriteMs)")
        echo "new leader: server$(leader || echo '?')"
        start=$(date +%s.%N)
        if [ "$kind" = kill ]; then
            wait "$pid" 2> /dev/null || true
            start_server "$l"
        else
            kill -CONT "$pid"
        fi
        wait_serving
        printf 'server%s %s and serving again after %.1f s\n' "$l" "$([ "$kind" = kill ] && echo restarted || echo resumed)" \
            "$(echo "$(date +%s.%N) - $start" | bc)"
        replication_events
        printf '| %s of the leader (server%s), round %s | %.0f | %.0f | %s | %.0f | %s |\n' "$what" "$l" "$round" \
            "$(json "$log" firstWriteMs)" "$(json "$log" allSessionsMs)" "$(json "$log" failedWrites)" \
            "$(json "$log" firstFailureMs)" "$(cut -c1-60 "$log.others")" >> "$work/failover-rows"
    done
    printf '| %s of the leader, **median of %s** | **%.0f** | | | | |\n' "$what" "$rounds" \
        "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')" \
        >> "$work/failover-rows"
}

new_ensemble failover 3 0
for i in 1 2 3; do start_server "$i"; done
wait_serving
failover_rounds kill "$ROUNDS"
failover_rounds stop "$FROZEN_ROUNDS"
stop_ensemble

echo
echo "== summary (ops/s over ${MEASURE_S:-15} s; latency in ms)"
echo "| run | ops/s | p50 | p99 | p99.9 | errors | other CPU load |"
echo "|---|---|---|---|---|---|---|"
cat "$summary"
echo
echo "| failover (ms from the signal) | first new write succeeds | all 8 sessions wrote again | writes failed before the first | clients' first failure | other CPU load |"
echo "|---|---|---|---|---|---|"
cat "$work/failover-rows"
others "$work/others.end"
echo "other processes (>= 10% of a core) at the end: $(cat "$work/others.end"); $(uptime)"
