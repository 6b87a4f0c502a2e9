#!/usr/bin/env bash
# Footprint and recovery of Paddock and of Apache ZooKeeper 3.9.5, side by side on this machine,
# each figure with the ratio Paddock / Apache (below 1 favours Paddock for all but the rate).
#
#  - Both servers get the same zoo.cfg: standalone, tickTime=2000 forceSync=yes snapCount=100000
#    (Apache's default), autopurge off (autopurge.purgeInterval=0), the admin server off, every
#    four-letter word allowed, dataDir and dataLogDir apart, a free loopback port; both run as
#    `java -Xmx2g` (the JVM's default collector, G1 here) with conf/logback.xml. One server at a
#    time, Paddock first.
#  - For each: start it empty and take the heap after a full GC; populate N znodes of 100 bytes
#    with Populate (one session, 1000 creates in flight, sqrt(N) parents of sqrt(N) children);
#    take the heap after a full GC again, the RSS and the data directories' size; then SIGKILL
#    and restart it on the same data, --restarts times (3), and take the time from starting the
#    JVM to the first successful read of the last znode created (FirstRead, started beforehand,
#    polls with fresh sessions; its resolution is about 0.1 s).
#  - Heap: "live" is the total of `jcmd <pid> GC.class_histogram` (which runs a full GC and
#    counts only reachable objects: the real retained bytes); "used" is what
#    `jcmd <pid> GC.heap_info` shows right after `jcmd <pid> GC.run` (live bytes plus the unused
#    tails of G1 regions). Per znode = (with N znodes - empty server) / N. RSS is VmRSS of
#    /proc/<pid>/status after those GCs, so it includes the heap the JVM grew to while populating.
#    The largest classes of the live heap are printed per znode, to show where the bytes go.
#  - Data directory: du -sb (apparent size: preallocated log files count whole) and du -sB1
#    (blocks on disk) of dataDir plus dataLogDir, right after the heap figures.
#  - Output: a table (figure, Paddock, Apache, Paddock/Apache) and one JSON line per figure.
#
# Usage: bench/footprint.sh [--nodes N | --quick] [--restarts R] [--servers "paddock apache"]
#                           [--logs DIR]
#   default 1,000,000 znodes (about 10 minutes on 2 cores); --quick 200,000 (about 3 minutes);
#   --logs DIR keeps the servers' logs there.
# Apache ZooKeeper and its dependencies are fetched by bench/apache-zk.sh (the local Maven
# repository first, then Maven Central); Paddock is built with mvn -B -q -DskipTests package if
# its jars are missing. The script takes no lock itself; on a shared machine run it under the
# Maven lock so that no build competes:  flock /tmp/paddock-mvn.lock bench/footprint.sh --quick
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NODES=1000000 RESTARTS=3 SERVERS="paddock apache" LOGS=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) NODES=200000 ;;
        --nodes) NODES="$2"; shift ;;
        --restarts) RESTARTS="$2"; shift ;;
        --servers) SERVERS="$2"; shift ;;
        --logs) LOGS="$2"; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
SIZE=100

PADDOCK_CP="server/target/paddock-server.jar:server/target/lib/*"
BENCH_CP="bench/target/paddock-bench.jar:bench/target/lib/*"
LOGBACK="-Dlogback.configurationFile=$PWD/conf/logback.xml"
# shellcheck source=bench/apache-zk.sh
. bench/apache-zk.sh

if [ ! -f bench/target/paddock-bench.jar ] || [ ! -f server/target/paddock-server.jar ]; then
    ${MVN:-mvn} -B -q -DskipTests package
fi
case " $SERVERS " in *" apache "*) fetch_apache ;; esac

work="$(mktemp -d /tmp/paddock-footprint.XXXXXX)"
spid=""    # the running server
cpid=""    # the running bench tool
cleanup() {
    local p
    for p in $spid $cpid; do kill -9 "$p" 2> /dev/null || true; done
    wait 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
declare -A FIG=()   # "<server> <key>" -> value

now_ms() { date +%s%3N; }
# shellcheck source=bench/servers.sh
. bench/servers.sh   # free_ports, srvr

start_server() { # server dir port: starts the JVM in the background, sets spid
    local main cp
    if [ "$1" = paddock ]; then main=io.paddock.server.Main cp="$PADDOCK_CP"; else main="$APACHE_MAIN" cp="$APACHE_CP"; fi
    java -Xmx2g "$LOGBACK" -cp "$cp" "$main" "$2/zoo.cfg" >> "$2/server.out" 2>&1 &
    spid=$!
}

fail() { # message: the message and the end of the server's log, then exit
    echo "$1; the server's log ends with:" >&2
    tail -n 30 "$dir/server.out" >&2 || true
    exit 1
}

wait_serving() { # port: until srvr shows a Mode (120 s at most)
    for _ in $(seq 1 1200); do
        kill -0 "$spid" 2> /dev/null || fail "the server exited"
        srvr "$1" | grep -q '^Mode: ' && return 0
        sleep 0.1
    done
    fail "the server did not serve within 120 s"
}

# run_java LOG CLASS ARGS...: a bench tool in the background (so the trap can stop it); its
# stdout kept in LOG, its stderr shown if it fails.
run_java() {
    local log="$1" rc=0
    shift
    java -Xmx1g -cp "$BENCH_CP" "$@" > "$log" 2> "$log.err" &
    cpid=$!
    wait "$cpid" || rc=$?
    cpid=""
    if [ "$rc" -ne 0 ]; then
        tail -n 30 "$log.err" >&2
        fail "$2 failed"
    fi
}

live_bytes() { # pid [file] -> bytes of reachable objects (GC.class_histogram runs a full GC
    # first); the histogram is kept in the file if one is named
    local h="${2:-$work/histogram}"
    jcmd "$1" GC.class_histogram > "$h"
    awk '$1 == "Total" {print $3}' "$h"
}
used_bytes() { # pid -> heap in use right after a full GC
    jcmd "$1" GC.run > /dev/null
    jcmd "$1" GC.heap_info | sed -n 's/.*heap *total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -n 1 | awk '{print $1 * 1024}'
}
rss_bytes() { awk '$1 == "VmRSS:" {print $2 * 1024}' "/proc/$1/status"; }
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

measure() { # server
    local server="$1" port log i t0 t1 times=() last
    dir="$work/$server"
    mkdir -p "$dir/data" "$dir/datalog"
    port="$(free_ports 1)"
    {
        printf 'tickTime=2000\nforceSync=yes\nsnapCount=100000\n'
        printf 'autopurge.snapRetainCount=3\nautopurge.purgeInterval=0\n'
        printf 'admin.enableServer=false\n4lw.commands.whitelist=*\n'
        printf 'dataDir=%s\ndataLogDir=%s\n' "$dir/data" "$dir/datalog"
        printf 'clientPort=%s\nclientPortAddress=127.0.0.1\n' "$port"
    } > "$dir/zoo.cfg"
    echo "== $server: start empty"
    start_server "$server" "$dir"
    wait_serving "$port"
    local live0 used0
    live0="$(live_bytes "$spid")"
    used0="$(used_bytes "$spid")"
    echo "empty server: live heap $live0 B, used after GC $used0 B, RSS $(rss_bytes "$spid") B"

    echo "== $server: populate $NODES znodes of $SIZE bytes"
    log="$work/$server.populate"
    run_java "$log" io.paddock.bench.Populate --connect "127.0.0.1:$port" --znodes "$NODES" --size "$SIZE" --outstanding 1000
    grep '^populated' "$log"
    FIG[$server populatePerSec]="$(python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][0]["perSec"])' "$log")"
    local live used
    live="$(live_bytes "$spid" "$work/$server.histogram")"
    used="$(used_bytes "$spid")"
    FIG[$server rss]="$(rss_bytes "$spid")"
    FIG[$server live]="$live"
    FIG[$server liveEmpty]="$live0"
    FIG[$server livePerZnode]="$(echo "scale=1; ($live - $live0) / $NODES" | bc)"
    FIG[$server usedPerZnode]="$(echo "scale=1; ($used - $used0) / $NODES" | bc)"
    FIG[$server dataDir]="$(du -sb "$dir/data" | cut -f1)"
    FIG[$server dataLogDir]="$(du -sb "$dir/datalog" | cut -f1)"
    FIG[$server dataBytes]="$(du -scb "$dir/data" "$dir/datalog" | tail -n 1 | cut -f1)"
    FIG[$server dataOnDisk]="$(du -scB1 "$dir/data" "$dir/datalog" | tail -n 1 | cut -f1)"
    echo "with $NODES znodes: live heap $live B, used after GC $used B, RSS ${FIG[$server rss]} B;" \
        "dataDir ${FIG[$server dataDir]} B, dataLogDir ${FIG[$server dataLogDir]} B (apparent), ${FIG[$server dataOnDisk]} B on disk"
    (cd "$dir" && find data datalog -type f -printf '  %p %s\n' | sort)
    echo "largest classes of the live heap with $NODES znodes (bytes per znode, instances per znode, class):"
    awk -v n="$NODES" '$1 ~ /^[0-9]+:$/ && NF >= 4 && NR <= 15 {printf "  %7.1f %6.2f %s\n", $3 / n, $2 / n, $4}' "$work/$server.histogram"

    # The last znode Populate created (see Populate): reading it shows the whole log came back.
    local parents
    parents="$(python3 -c "import math; print(max(1, math.isqrt($NODES)))")"
    last="/pop$(((NODES - 1) % parents))/n$((NODES - 1))"
    for i in $(seq 1 "$RESTARTS"); do
        kill -9 "$spid"
        wait "$spid" 2> /dev/null || true
        spid=""
        log="$work/$server.read.$i"
        java -Xmx256m -cp "$BENCH_CP" io.paddock.bench.FirstRead --connect "127.0.0.1:$port" --path "$last" \
            --size "$SIZE" --timeout 300 > "$log" 2> "$log.err" &
        cpid=$!
        for _ in $(seq 1 200); do grep -q polling "$log" && break; sleep 0.05; done
        t0="$(now_ms)"
        start_server "$server" "$dir"
        if ! wait "$cpid"; then
            cpid=""
            tail -n 20 "$log.err" >&2
            fail "no read of $last after restart $i"
        fi
        cpid=""
        t1="$(python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][0]["readAtEpochMs"])' "$log")"
        times+=("$((t1 - t0))")
        echo "SIGKILL + restart $i: first read of $last after $((t1 - t0)) ms"
    done
    FIG[$server recoveryMs]="$(printf '%s\n' "${times[@]}" | median)"
    FIG[$server recoveryRuns]="$(IFS=,; echo "${times[*]}")"
    kill -9 "$spid"
    wait "$spid" 2> /dev/null || true
    spid=""
    if [ -n "$LOGS" ]; then mkdir -p "$LOGS" && cp "$dir/server.out" "$LOGS/$server.log"; fi
    rm -rf "$dir"
}

echo "== machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB; $(uptime)"
echo "== $(java -version 2>&1 | head -n 1); git $(git rev-parse --short HEAD 2> /dev/null || echo '?'); $NODES znodes of $SIZE bytes"
for s in $SERVERS; do measure "$s"; done

# The table and the JSON lines: key, label, unit, divisor and decimals for the table.
FIGURES=(
    "populatePerSec|populate rate (znodes/s, higher is better)|znodes/s|1|0"
    "livePerZnode|heap per znode, live after full GC (B)|bytes|1|1"
    "usedPerZnode|heap per znode, used after GC.run (B)|bytes|1|1"
    "live|live heap with all znodes (MB)|bytes|1048576|1"
    "liveEmpty|live heap of the empty server (MB)|bytes|1048576|1"
    "rss|RSS with all znodes (MB)|bytes|1048576|1"
    "dataBytes|data directories, apparent size (MB)|bytes|1048576|1"
    "dataOnDisk|data directories, on disk (MB)|bytes|1048576|1"
    "dataDir|  of which dataDir (snapshots, MB)|bytes|1048576|1"
    "dataLogDir|  of which dataLogDir (txn logs, MB)|bytes|1048576|1"
    "recoveryMs|SIGKILL + restart to first read, median (ms)|ms|1|0"
)
echo
echo "== footprint and recovery with $NODES znodes of $SIZE bytes (Paddock / Apache ZooKeeper $ZK_VERSION)"
printf '| %-46s | %12s | %12s | %8s |\n' figure Paddock Apache ratio
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..48})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..10})"
for f in "${FIGURES[@]}"; do
    IFS='|' read -r key label unit div decimals <<< "$f"
    p="${FIG[paddock $key]:-}" a="${FIG[apache $key]:-}"
    python3 -c 'import sys
label, p, a, div, dec = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
fmt = lambda v: "-" if v == "" else format(float(v) / div, ",.%sf" % dec)
ratio = "%.2f" % (float(p) / float(a)) if p and a and float(a) else "-"
print("| %-46s | %12s | %12s | %8s |" % (label, fmt(p), fmt(a), ratio))' "$label" "$p" "$a" "$div" "$decimals"
done
if [ -n "${FIG[paddock recoveryRuns]:-}${FIG[apache recoveryRuns]:-}" ]; then
    echo "recovery runs (ms): Paddock ${FIG[paddock recoveryRuns]:--}; Apache ${FIG[apache recoveryRuns]:--}"
fi
echo
for f in "${FIGURES[@]}"; do
    IFS='|' read -r key label unit div decimals <<< "$f"
    python3 -c 'import json,sys
key, unit, n, p, a, pr, ar = sys.argv[1:8]
num = lambda v: None if v == "" else float(v)
j = {"figure": key, "unit": unit, "znodes": int(n), "paddock": num(p), "apache": num(a),
     "ratio": round(float(p) / float(a), 3) if p and a and float(a) else None}
if key == "recoveryMs":
    j["paddockRuns"] = [int(x) for x in pr.split(",") if x]
    j["apacheRuns"] = [int(x) for x in ar.split(",") if x]
print(json.dumps(j))' "$key" "$unit" "$NODES" "${FIG[paddock $key]:-}" "${FIG[apache $key]:-}" \
        "${FIG[paddock recoveryRuns]:-}" "${FIG[apache recoveryRuns]:-}"
done
