#!/usr/bin/env bash
# Reproduces the storage figures of docs/performance.md on this machine:
#  1. write throughput of a standalone server with forceSync=yes and forceSync=no
#     (16 sessions x 16 outstanding creates of 100 bytes, 5 s warm-up, 15 s measured);
#  2. heap, snapshot and recovery of 1,000,000 znodes of 100 bytes (in-process, real files);
#  3. SIGKILL of a server holding 1,000,000 znodes, and the time until it serves again.
# Usage: bench/storage-figures.sh [znodes]   (needs: mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ZNODES="${1:-1000000}"
SERVER_CP="server/target/paddock-server.jar:server/target/lib/*"
BENCH_CP="bench/target/paddock-bench.jar:bench/target/lib/*"
[ -f bench/target/paddock-bench.jar ] || mvn -B -q -DskipTests package
work="$(mktemp -d /tmp/paddock-figures.XXXXXX)"
pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() { # dir port forceSync
    printf 'tickTime=2000\ndataDir=%s\nclientPort=%s\nclientPortAddress=127.0.0.1\nforceSync=%s\nsnapCount=%s\n' \
        "$1" "$2" "$3" "${4:-100000}" > "$1.cfg"
    java -Xmx2g -XX:+UseParallelGC -cp "$SERVER_CP" io.paddock.server.Main "$1.cfg" > "$1.out" 2>&1 &
    pid=$!
}

wait_serving() { # port -> prints seconds waited
    local start end
    start=$(date +%s.%N)
    for _ in $(seq 1 600); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then break; fi
        sleep 0.05
    done
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

for fs in yes no; do
    port=$(free_port); mkdir -p "$work/w-$fs"
    start_server "$work/w-$fs" "$port" "$fs"
    wait_serving "$port" > /dev/null
    echo "== write throughput, forceSync=$fs"
    java -Xmx1g -cp "$BENCH_CP" io.paddock.bench.LoadGen --connect "127.0.0.1:$port" --workload create \
        --sessions 16 --outstanding 16 --size 100 --duration 15 --warmup 5 2>/dev/null
    echo "server CPU time: $(ps -o cputime= -p "$pid")"
    { kill "$pid"; wait "$pid"; } 2>/dev/null || true; pid=""
done

echo "== storage of $ZNODES znodes of 100 bytes (in-process)"
java -Xmx4g -XX:+UseParallelGC -cp "$BENCH_CP" io.paddock.bench.StorageBench "$work/storage" "$ZNODES" 100 2>/dev/null
rm -rf "$work/storage"

echo "== SIGKILL and restart with $ZNODES znodes"
port=$(free_port); mkdir -p "$work/k"
start_server "$work/k" "$port" no 100000000
wait_serving "$port" > /dev/null
java -Xmx1g -cp "$BENCH_CP" io.paddock.bench.Populate --connect "127.0.0.1:$port" --znodes "$ZNODES" --size 100 2>/dev/null
{ kill -9 "$pid"; wait "$pid"; } 2>/dev/null || true
start_server "$work/k" "$port" no 100000000
echo "serving again $(wait_serving "$port") s after restart (log replay of $ZNODES creates, no snapshot)"
echo "data directory: $(du -sh "$work/k" | cut -f1)"
