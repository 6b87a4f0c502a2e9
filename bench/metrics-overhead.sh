#!/usr/bin/env bash
# What recording and serving metrics costs: LoadGen throughput of a standalone server built from
# this checkout with its Prometheus endpoint on and scraped every second ("metrics on"), against
# the same server built from BASE_REV, a commit from before the metrics existed ("metrics off").
# The two alternate, each on a fresh data directory, ROUNDS times per workload (create, get);
# the medians and the ratio are printed. Both: java -Xmx1g, tickTime=2000, forceSync=yes,
# 16 sessions x 16 outstanding, 100 bytes, WARMUP_S warm-up (5) and MEASURE_S measured (15).
# Usage: bench/metrics-overhead.sh [rounds]     (BASE_REV defaults to 778d4f6)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS="${1:-3}"
BASE_REV="${BASE_REV:-778d4f6}"
MVN="${MVN:-mvn -B -q}"
work="$(mktemp -d /tmp/paddock-metrics-overhead.XXXXXX)"
server=""
scraper=""
cleanup() {
    [ -n "$scraper" ] && kill "$scraper" 2> /dev/null || true
    [ -n "$server" ] && kill -9 "$server" 2> /dev/null || true
    wait 2> /dev/null || true
    git worktree remove --force "$work/base" > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

if [ ! -f bench/target/paddock-bench.jar ] || [ ! -f server/target/paddock-server.jar ]; then
    $MVN -DskipTests package
fi
echo "building the baseline ($BASE_REV) in $work/base"
git worktree add --detach "$work/base" "$BASE_REV" > /dev/null 2>&1
(cd "$work/base" && $MVN -DskipTests -pl server -am package)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run <label> <server dir (holding target/)> <metrics on|off> <workload> -> prints ops/s
run() {
    local label="$1" dir="$2" metrics="$3" workload="$4" d port mport
    d="$work/run-$label-$workload-$RANDOM"
    mkdir -p "$d/data"
    port="$(free_port)"
    {
        printf 'tickTime=2000\ndataDir=%s\nclientPort=%s\nclientPortAddress=127.0.0.1\n' "$d/data" "$port"
        printf 'forceSync=yes\nadmin.enableServer=false\n4lw.commands.whitelist=*\n'
        if [ "$metrics" = on ]; then
            mport="$(free_port)"
            printf 'metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider\n'
            printf 'metricsProvider.httpHost=127.0.0.1\nmetricsProvider.httpPort=%s\n' "$mport"
        fi
    } > "$d/zoo.cfg"
    java -Xmx1g -cp "$dir/target/paddock-server.jar:$dir/target/lib/*" io.paddock.server.Main "$d/zoo.cfg" \
        > "$d/server.out" 2>&1 &
    server=$!
    for _ in $(seq 100); do
        if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf ruok >&3 && cat <&3" 2> /dev/null \
            | grep -q imok; then break; fi
        sleep 0.1
    done
    if [ "$metrics" = on ]; then
        # Prometheus scrapes every 15 s by default; once a second is a harsher test.
        (while sleep 1; do curl -s -o /dev/null "http://127.0.0.1:$mport/metrics" || true; done) &
        scraper=$!
    fi
    java -Xmx1g -cp "bench/target/paddock-bench.jar:bench/target/lib/*" io.paddock.bench.LoadGen \
        --connect "127.0.0.1:$port" --workload "$workload" --sessions 16 --outstanding 16 --size 100 \
        --warmup "${WARMUP_S:-5}" --duration "${MEASURE_S:-15}" 2> /dev/null \
        | sed -n 's/.*"opsPerSec":\([0-9]*\).*/\1/p'
    if [ -n "$scraper" ]; then kill "$scraper" 2> /dev/null || true; wait "$scraper" 2> /dev/null || true; scraper=""; fi
    kill -9 "$server" 2> /dev/null || true
    wait "$server" 2> /dev/null || true
    server=""
    rm -rf "$d"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

printf '%-8s %14s %14s %8s   (medians of %s rounds; on: %s; off: %s)\n' workload "metrics on" "metrics off" ratio \
    "$ROUNDS" "$(git rev-parse --short HEAD)" "$BASE_REV"
for workload in create get; do
    on=(); off=()
    for r in $(seq "$ROUNDS"); do
        on+=("$(run on server on "$workload")")
        off+=("$(run off "$work/base/server" off "$workload")")
        echo "  round $r $workload: on ${on[-1]} ops/s, off ${off[-1]} ops/s" >&2
    done
    m_on="$(printf '%s\n' "${on[@]}" | median)"
    m_off="$(printf '%s\n' "${off[@]}" | median)"
    printf '%-8s %14s %14s %8s\n' "$workload" "$m_on" "$m_off" \
        "$(awk -v a="$m_on" -v b="$m_off" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')"
done
