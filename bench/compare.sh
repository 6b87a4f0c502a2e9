#!/usr/bin/env bash
# Runs the same workloads on Paddock and on Apache ZooKeeper 3.9.5, in one run on this machine,
# and prints every figure of both with the ratio Paddock / Apache (medians of the repeats).
#
#  - Both servers get the same zoo.cfg: tickTime=2000 initLimit=10 syncLimit=5 forceSync=yes
#    snapCount=100000 autopurge.snapRetainCount=3 autopurge.purgeInterval=1, maxClientCnxns=0
#    (no limit per client address: the fan-out opens hundreds of sessions from this host), the
#    admin server off, every four-letter word allowed, free loopback ports; both run as
#    `java -Xmx1g` with the same logback configuration (conf/logback.xml), one JVM per server.
#  - Workloads (LoadGen, 16 sessions x 16 outstanding, 100 bytes): create, get, set and mixed
#    (90% get, 10% set) over 10,000 nodes; on a standalone server and on a 3-server ensemble
#    (sessions spread over all three). Every measurement starts a fresh server or ensemble in a
#    fresh data directory; Paddock and Apache alternate (Apache first in odd repeats, Paddock
#    first in even ones).
#  - Same offered load: right after its closed-loop window, the same LoadGen process goes on,
#    on the same warm server, sessions and nodes, in an open loop (LoadGen --then-rate): 1 s
#    not counted, then SAME_LOAD seconds measured, latency taken from each operation's intended
#    send time (no coordinated omission). Both servers get the same rate for a mode and
#    workload: the load fraction (0.5 by default) of Apache's closed-loop ops/s in the first
#    repeat, where Apache runs first; every later same-load window of either server uses that
#    rate, so all of them are at exactly the same offered load. Why not the median of all the
#    repeats: it is known only after the last one, and measuring then would need a new start
#    and warm-up per window (6-12 s each, about 10 minutes more); on the warm servers a window
#    costs about SAME_LOAD + 1 s per run. Why half: the headroom keeps the first repeat's
#    figure (±15% run to run on this machine) below what Apache can absorb in later repeats,
#    and the open-loop load generator costs about 50 us of CPU per op (a wake-up and a send per
#    request), so at 0.7 of Apache's read rate it takes most of one of the 2 cores and the
#    latencies measured the machine, not the servers; "late" counts operations a server fell
#    so far behind on that they were never sent.
#  - Watch fan-out (workload "fanout", opt-in: --workloads "create get set mixed fanout"):
#    io.paddock.bench.FanOut with WATCHERS sessions watching one znode and a writer setting it,
#    ROUNDS rounds after 5 not counted; the time from setData to the first, the median and the
#    last notification, p50 and p99 over the rounds, and the time the sessions took to connect.
#    It is not in the default workloads because with 1000 watchers a run takes about 22 s
#    (connecting 1000 sessions, 35 rounds), about 4.5 minutes over 3 repeats and 2 modes.
#  - Figures: ops/s, latency p50/p99/p99.9/max, errors, and the servers' CPU time per op
#    (utime + stime of /proc/<pid>/stat of every server over the measured window, divided by
#    the ops completed in it; LoadGen samples it at the window's edges).
#  - Output: a table per phase (closed loop; at the same offered load; fan-out) with Paddock,
#    Apache, Paddock/Apache and the single runs, and one JSON line per figure (with its
#    "phase": closed-loop, same-load or fanout). For ops/s a ratio above 1 favours Paddock; for
#    latency and CPU, one below 1 does.
#  - TLS (--tls): the same runs with every client session over TLS. At the start keytool makes,
#    in the run's temporary directory, a CA, one server certificate (SAN ip:127.0.0.1 and
#    dns:localhost; EKU serverAuth and clientAuth) and one client certificate (EKU clientAuth),
#    EC P-256, in PKCS12 stores (bench/tls.sh; about 15 s). Both servers' zoo.cfg gain
#    secureClientPort (a free loopback port), secureClientPortAddress=127.0.0.1, ssl.keyStore.*
#    and ssl.trustStore.* (location and password), ssl.clientAuth left at its default, need,
#    and serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory: Apache's default
#    NIO connection factory cannot do TLS, so in this mode Apache serves through Netty (all its
#    client ports, the plaintext one too); Paddock always uses Netty and ignores the key with a
#    warning. LoadGen and FanOut connect to the TLS-only ports only, with the
#    zookeeper.client.secure and zookeeper.ssl.* system properties: one client certificate for
#    every session, the server's name checked (127.0.0.1). The plaintext clientPort stays open
#    only for the readiness check (srvr). TLS is the JDK's on both sides, TLS 1.3 (both
#    servers' default), with ssl.ciphersuites=TLS_AES_256_GCM_SHA384 on both: Apache's first
#    choice, which Paddock's default order (Netty's) puts second. On 3 servers the servers keep
#    talking to each other in plaintext: this measures client TLS, not quorum TLS. Every line,
#    table title and JSON line then says "tls" ("transport": "tls"; "plaintext" otherwise), so
#    the figures are not mixed up with plaintext ones.
#
# Usage: bench/compare.sh [--quick] [--tls] [--repeat N] [--warmup S] [--warmup3 S] [--measure S]
#                         [--workloads "create get set mixed"] [--modes "standalone three"]
#                         [--load-fraction F] [--same-load S] [--watchers N] [--rounds N]
#                         [--logs DIR]
#   default: 3 repeats; warm-up 5 s on a standalone server and 12 s on 3 servers, then 4 s
#   measured, then the same-load window: 1 s + 2 s measured (16.5 minutes on 2 cores;
#   --same-load 0 leaves it out: about 14; fanout adds about 4.5);
#   --quick: 1 repeat; warm-up 3 s standalone, 5 s on 3 servers, 2 s measured, same-load 1 s
#   + 1 s (3.5 minutes; fanout with 200 watchers adds about half a minute). It shows
#   that everything works; its figures are not steady-state ones;
#   --load-fraction F: the same-load rate as a fraction of Apache's closed-loop ops/s (0.5);
#   --same-load S: seconds measured at the same offered load (0: no same-load phase);
#   --watchers N, --rounds N: the fan-out's watchers and counted rounds (1000 and 30; --quick
#   200 and 20);
#   --warmup S sets both warm-ups, --warmup3 S that of the 3-server runs only;
#   --tls: clients over TLS (see above); the timings above grow by about 15 s.
# Why such warm-ups: every run starts fresh JVMs, whose JIT compilers share the 2 cores with
# the load. Per-second rates on this machine climbed for about 7 s on a standalone server and
# 10-12 s on 3 servers (Apache: 3-server gets from 12,000/s in the first seconds to 40,000/s);
# with 3 s of warm-up the 3-server figures measured mostly that climb.
#   --logs DIR: keep every server's log and LoadGen's progress lines there (by default they go
#   with the temporary directory).
# Apache ZooKeeper 3.9.5 and its runtime dependencies are copied from Maven (the local
# repository first, then Maven Central) into bench/target/apache-zookeeper-3.9.5/lib once.
# Paddock is built with mvn -B -q -DskipTests package if its jars are missing. The script takes
# no lock itself; on a shared machine run it under the Maven lock so no build competes:
#   flock /tmp/paddock-mvn.lock bench/compare.sh --quick
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ZK_VERSION=3.9.5
REPEAT=3 WARMUP=5 WARMUP3=12 MEASURE=4 SAME_LOAD=2 LOAD_FRACTION=0.5 WATCHERS=1000 ROUNDS=30
WORKLOADS="create get set mixed"
MODES="standalone three"
LOGS=""
TRANSPORT=plaintext
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) REPEAT=1 WARMUP=3 WARMUP3=5 MEASURE=2 SAME_LOAD=1 WATCHERS=200 ROUNDS=20 ;;
        --tls) TRANSPORT=tls ;;
        --repeat) REPEAT="$2"; shift ;;
        --warmup) WARMUP="$2" WARMUP3="$2"; shift ;;
        --warmup3) WARMUP3="$2"; shift ;;
        --measure) MEASURE="$2"; shift ;;
        --workloads) WORKLOADS="$2"; shift ;;
        --modes) MODES="$2"; shift ;;
        --logs) LOGS="$2"; shift ;;
        --load-fraction) LOAD_FRACTION="$2"; shift ;;
        --same-load) SAME_LOAD="$2"; shift ;;
        --watchers) WATCHERS="$2"; shift ;;
        --rounds) ROUNDS="$2"; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

PADDOCK_CP="server/target/paddock-server.jar:server/target/lib/*"
BENCH_CP="bench/target/paddock-bench.jar:bench/target/lib/*"
LOGBACK="-Dlogback.configurationFile=$PWD/conf/logback.xml"

if [ ! -f bench/target/paddock-bench.jar ] || [ ! -f server/target/paddock-server.jar ]; then
    ${MVN:-mvn} -B -q -DskipTests package
fi

# Apache ZooKeeper and its runtime dependencies, fetched by Maven once (bench/apache-zk.sh).
. bench/apache-zk.sh
fetch_apache

work="$(mktemp -d /tmp/paddock-compare.XXXXXX)"
[ -z "$LOGS" ] || mkdir -p "$LOGS"
SPIDS=()    # pids of the running servers
client=""   # pid of the running LoadGen
sampler=""  # pid of the subshell sampling the other processes' CPU
cleanup() {
    local p
    # The sampler's children (sleep, top) first, by their parent's pid.
    [ -z "$sampler" ] || pkill -9 -P "$sampler" 2> /dev/null || true
    for p in "${SPIDS[@]}" $client $sampler; do kill -9 "$p" 2> /dev/null || true; done
    wait 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
results="$work/results.jsonl"   # one LoadGen JSON line per run, with its server, mode and repeat

# TLS: the certificates, and the client's options (empty in plaintext); TLS_DIR also makes
# start_servers give every server a TLS-only client port.
CLIENT_OPTS=()
if [ "$TRANSPORT" = tls ]; then
    # shellcheck source=bench/tls.sh
    . bench/tls.sh   # make_tls, tls_server_cfg
    make_tls "$work/tls"
    CLIENT_OPTS=("${TLS_CLIENT_OPTS[@]}")
fi

# shellcheck source=bench/servers.sh
. bench/servers.sh   # free_ports, srvr, start_servers, stop_servers, wait_serving

# others: the processes other than this benchmark's that used 10% of a core or more over 2 s,
# each as its share of a core and its program name.
others() {
    local pid pcpu args out=""
    while read -r pid pcpu; do
        args="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null)" || continue
        case "$args" in *paddock-server.jar* | *paddock-bench.jar* | *QuorumPeerMain* | "top -b"*) continue ;; esac
        # shellcheck disable=SC2086 # the first word is the program
        set -- $args
        [ $# -gt 0 ] && out+="${out:+, }${pcpu}% ${1##*/}"
    done < <(top -b -n 2 -d 2 | awk '/^top -/ {n++; t = 0} n == 2 && t && $9 + 0 >= 10 {printf "%s %.0f\n", $1, $9} /^ *PID / {t = 1}')
    echo "${out:-none}"
}

# rate_file MODE WORKLOAD: where the same-load rate of that mode and workload is kept, once
# Apache's first closed-loop window has fixed it.
rate_file() { echo "$work/rate-$1-$2"; }

# add_result LOG SERVER MODE WORKLOAD REPEAT PHASE STARTED: appends LoadGen's or FanOut's JSON
# line (phase: closed-loop, same-load or fanout) with the run's context to $results, and prints
# it as one line.
add_result() {
    python3 - "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$(cat "$1.others" 2> /dev/null || echo '?')" \
        "$(cut -d' ' -f1-3 /proc/loadavg)" "$TRANSPORT" >> "$results" << 'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
j = lines[1] if sys.argv[6] == "same-load" else lines[0]
j.update(server=sys.argv[2], mode=sys.argv[3], repeat=int(sys.argv[5]), phase=sys.argv[6], startupS=float(sys.argv[7]),
         others=sys.argv[8], loadavg=sys.argv[9], transport=sys.argv[10])
print(json.dumps(j))
EOF
    tail -n 1 "$results" | python3 -c 'import json,sys
j=json.loads(sys.stdin.read())
where = "  %-7s %-10s %-6s #%d%s" % (j["server"], j["mode"], j["workload"], j["repeat"],
                                   " tls" if j["transport"] == "tls" else "")
if j["phase"] == "fanout":
    print("%s: %d watchers, %d rounds: first p50 %6.2f  median p50 %6.2f  last p50 %6.2f  p99 %7.2f  max %7.2f ms  timeouts %d  (connected in %.1f s; serving after %.1f s)" % (
        where, j["watchers"], j["rounds"], j["firstP50"], j["medianP50"], j["lastP50"], j["lastP99"], j["lastMax"],
        j["timeouts"], j["connectS"], j["startupS"]))
elif j["phase"] == "same-load":
    print("%s  at %8.0f ops/s offered: %8.0f achieved  p50 %6.2f  p99 %7.2f  p99.9 %7.2f  max %7.2f ms  errors %d  late %d  server CPU %6.1f us/op" % (
        where, j["offeredRate"], j["opsPerSec"], j["p50"], j["p99"], j["p999"], j["max"], j["errors"], j["late"],
        j["serverCpuUsPerOp"]))
else:
    print("%s: %8.0f ops/s  p50 %6.2f  p99 %7.2f  p99.9 %7.2f  max %7.2f ms  errors %d  server CPU %6.1f us/op  (serving after %.1f s; others: %s)" % (
        where, j["opsPerSec"], j["p50"], j["p99"], j["p999"], j["max"], j["errors"], j["serverCpuUsPerOp"],
        j["startupS"], j["others"]))'
}

# measure SERVER MODE WORKLOAD REPEAT: one LoadGen run (a FanOut run, for fanout) on a fresh
# server or ensemble: the closed-loop window, then, on the same servers, the same-load one.
measure() {
    local server="$1" mode="$2" workload="$3" rep="$4" log rc=0 started extra=() warmup="$WARMUP" then=() rate
    local tool=LoadGen t0=$SECONDS
    [ "$mode" = three ] && warmup="$WARMUP3"
    RUN="$server-$mode-$workload-$rep"
    [ "$TRANSPORT" = plaintext ] || RUN+="-$TRANSPORT"
    log="$work/run-$RUN"
    if [ "$workload" = fanout ]; then
        tool=FanOut
        extra=(--watchers "$WATCHERS" --rounds "$ROUNDS" --warmup 5)
    else
        [ "$workload" = create ] || extra=(--keys 10000)
        [ "$workload" = mixed ] && extra+=(--read-ratio 0.9)
        extra=(--workload "$workload" --sessions 16 --outstanding 16 --size 100 --warmup "$warmup"
            --duration "$MEASURE" "${extra[@]}")
        if [ "$SAME_LOAD" -gt 0 ] && [ "$workload" != churn ]; then  # churn: closed loop only
            then=(--then-warmup 1 --then-duration "$SAME_LOAD")
            if [ -s "$(rate_file "$mode" "$workload")" ]; then
                then+=(--then-rate "$(cat "$(rate_file "$mode" "$workload")")")
            elif [ "$server" = apache ]; then
                then+=(--then-rate-fraction "$LOAD_FRACTION")
            else
                then=()  # no Apache figure yet (its run failed): no same-load window
            fi
        fi
    fi
    start_servers "$server" "$mode"
    # The servers' pids are known only now.
    [ "$tool" = FanOut ] || extra+=(--server-pids "$(IFS=,; echo "${SPIDS[*]}")")
    if ! started="$(wait_serving)"; then
        stop_servers
        return 1
    fi
    # Samples the other processes' CPU for 2 s early in the measured window.
    if [ "$tool" = LoadGen ]; then
        (sleep $((warmup + 2)) && others > "$log.others") &
        sampler=$!
    fi
    java -Xmx1g "${CLIENT_OPTS[@]}" -cp "$BENCH_CP" "io.paddock.bench.$tool" --connect "$CONNECT" "${extra[@]}" "${then[@]}" \
        > "$log" 2> "$log.err" &
    client=$!
    wait "$client" || rc=$?
    client=""
    [ -z "$sampler" ] || wait "$sampler" 2> /dev/null || true
    sampler=""
    [ -z "$LOGS" ] || cp "$log.err" "$LOGS/$RUN-${tool,,}.log"
    if [ "$rc" -ne 0 ] || [ "$(grep -c '^{' "$log")" -lt $((${#then[@]} > 0 ? 2 : 1)) ]; then
        echo "$tool failed on $server $mode $workload (exit $rc):" >&2
        tail -n 20 "$log.err" >&2
        stop_servers
        return 1
    fi
    if [ "$tool" = FanOut ]; then
        add_result "$log" "$server" "$mode" "$workload" "$rep" fanout "$started"
    else
        add_result "$log" "$server" "$mode" "$workload" "$rep" closed-loop "$started"
        if [ ${#then[@]} -gt 0 ]; then
            add_result "$log" "$server" "$mode" "$workload" "$rep" same-load "$started"
            if [ ! -s "$(rate_file "$mode" "$workload")" ]; then
                # Apache's first window fixed the rate for every later one of this mode and workload.
                rate="$(tail -n 1 "$results" | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["offeredRate"]))')"
                echo "$rate" > "$(rate_file "$mode" "$workload")"
            fi
        fi
    fi
    stop_servers
    echo "    ($RUN took $((SECONDS - t0)) s)"
}

echo "== machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $(uptime)"
echo "== $(java -version 2>&1 | head -n 1); Paddock git $(git rev-parse --short HEAD 2> /dev/null || echo '?'); Apache ZooKeeper $ZK_VERSION"
echo "== other processes (>= 10% of a core) at the start: $(others)"
if [ "$TRANSPORT" = tls ]; then
    echo "== TLS: clients over TLS to secureClientPort (one client certificate; Apache on its Netty connection factory); the servers talk to each other in plaintext"
else
    echo "== plaintext clients (--tls for TLS)"
fi
echo "== $REPEAT repeat(s) of: $MODES x $WORKLOADS; LoadGen 16 sessions x 16 outstanding, 100 bytes; warm-up ${WARMUP} s standalone, ${WARMUP3} s on 3 servers; ${MEASURE} s measured"
if [ "$SAME_LOAD" -gt 0 ]; then
    echo "== then at the same offered load ($LOAD_FRACTION x Apache's closed-loop ops/s of the first repeat): 1 s + ${SAME_LOAD} s measured"
fi
case " $WORKLOADS " in *" fanout "*) echo "== fan-out: $WATCHERS watchers, $ROUNDS rounds (after 5 not counted)" ;; esac
begin=$(date +%s)
failed=()  # runs that failed (they are left out of the medians)
for rep in $(seq 1 "$REPEAT"); do
    # Apache first in odd repeats, Paddock first in even ones, so neither server always runs
    # first; the first repeat's Apache run fixes the same-load rate.
    if [ $((rep % 2)) -eq 1 ]; then order="apache paddock"; else order="paddock apache"; fi
    for mode in $MODES; do
        for workload in $WORKLOADS; do
            for server in $order; do
                if ! measure "$server" "$mode" "$workload" "$rep"; then
                    failed+=("$server $mode $workload #$rep")
                fi
            done
        done
    done
done
[ ${#failed[@]} -eq 0 ] || echo "== FAILED runs, left out of the figures: $(printf '%s; ' "${failed[@]}")"
echo "== measured in $(($(date +%s) - begin)) s; other processes (>= 10% of a core) at the end: $(others); $(uptime)"

python3 - "$results" "$TRANSPORT" << 'EOF'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
transport = sys.argv[2]
names = {"standalone": "standalone", "three": "3 servers"}
sections = [
    ("closed-loop", "Closed loop (16 sessions x 16 outstanding)",
     [("opsPerSec", "ops/s", "%.0f"), ("p50", "p50 ms", "%.2f"), ("p99", "p99 ms", "%.1f"),
      ("p999", "p99.9 ms", "%.1f"), ("max", "max ms", "%.0f"), ("serverCpuUsPerOp", "server CPU us/op", "%.1f"),
      ("errors", "errors", "%d")]),
    ("same-load", "At the same offered load (open loop; latency from the intended send time)",
     [("offeredRate", "offered ops/s", "%.0f"), ("opsPerSec", "achieved ops/s", "%.0f"), ("p50", "p50 ms", "%.2f"),
      ("p99", "p99 ms", "%.1f"), ("p999", "p99.9 ms", "%.1f"), ("max", "max ms", "%.0f"),
      ("serverCpuUsPerOp", "server CPU us/op", "%.1f"), ("clientCpuUsPerOp", "LoadGen CPU us/op", "%.1f"),
      ("errors", "errors", "%d"), ("late", "late (unsent)", "%d")]),
    ("fanout", "Watch fan-out (setData to the notifications, over the rounds)",
     [("firstP50", "first p50 ms", "%.2f"), ("firstP99", "first p99 ms", "%.2f"),
      ("medianP50", "median p50 ms", "%.2f"), ("medianP99", "median p99 ms", "%.2f"),
      ("lastP50", "last p50 ms", "%.2f"), ("lastP99", "last p99 ms", "%.2f"), ("lastMax", "last max ms", "%.1f"),
      ("connectS", "connect s", "%.1f"), ("timeouts", "timeouts", "%d")]),
]
lines = []
for phase, title, figures in sections:
    mine = [r for r in runs if r.get("phase") == phase]
    seen = []
    for r in mine:
        if (r["mode"], r["workload"]) not in seen:
            seen.append((r["mode"], r["workload"]))
    if not seen:
        continue
    print()
    print("%s, %s:" % (title, "TLS" if transport == "tls" else "plaintext"))
    print()
    print("| mode | workload | figure | Paddock | Apache | Paddock/Apache | Paddock runs | Apache runs |")
    print("|---|---|---|---|---|---|---|---|")
    for mode, workload in seen:
        label_wl = workload
        if phase == "fanout":
            label_wl = "fanout %d" % mine[0]["watchers"]
        for key, label, fmt in figures:
            vals = {s: [r[key] for r in mine if r["mode"] == mode and r["workload"] == workload and r["server"] == s]
                    for s in ("paddock", "apache")}
            if not vals["paddock"] or not vals["apache"]:
                continue
            med = {s: statistics.median(v) for s, v in vals.items()}
            ratio = med["paddock"] / med["apache"] if med["apache"] else None
            f = lambda v: fmt % v
            print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                names.get(mode, mode) + (" tls" if transport == "tls" else ""), label_wl, label, f(med["paddock"]), f(med["apache"]),
                "%.2f" % ratio if ratio is not None else "-",
                " ".join(f(v) for v in vals["paddock"]), " ".join(f(v) for v in vals["apache"])))
            lines.append(json.dumps({"transport": transport, "phase": phase, "mode": mode, "workload": workload, "figure": key,
                                     "paddock": med["paddock"], "apache": med["apache"],
                                     "ratio": round(ratio, 3) if ratio is not None else None,
                                     "paddockRuns": vals["paddock"], "apacheRuns": vals["apache"]}))
print()
for l in lines:
    print(l)
EOF
