#!/usr/bin/env bash
# How often a write acknowledged through the leader is not yet visible to a second session that
# reads right away through a follower (io.paddock.bench.FollowerLag), on a fresh three-server
# Paddock ensemble and a fresh three-server Apache ZooKeeper 3.9.5 ensemble, one after the other
# on this machine, with compare.sh's zoo.cfg. Legal without sync, but surprising; prints each
# server's JSON line (tries, misses, miss percent, p50 and max lag of the misses in ms).
#
# Usage: bench/follower-lag.sh [--tries N] [--repeat N]   (400 tries, 3 repeats each by default)
# PADDOCK_CP=... runs another build of Paddock (a classpath, as server/target/paddock-server.jar:server/target/lib/*).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRIES=400 REPEAT=3
while [ $# -gt 0 ]; do
    case "$1" in
        --tries) TRIES="$2"; shift ;;
        --repeat) REPEAT="$2"; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

PADDOCK_CP="${PADDOCK_CP:-server/target/paddock-server.jar:server/target/lib/*}"
BENCH_CP="bench/target/paddock-bench.jar:bench/target/lib/*"
LOGBACK="-Dlogback.configurationFile=$PWD/conf/logback.xml"
if [ ! -f bench/target/paddock-bench.jar ] || [ ! -f server/target/paddock-server.jar ]; then
    ${MVN:-mvn} -B -q -DskipTests package
fi
. bench/apache-zk.sh
fetch_apache

work="$(mktemp -d /tmp/paddock-follower-lag.XXXXXX)"
SPIDS=() LOGS=""
trap 'for p in "${SPIDS[@]}"; do kill -9 "$p" 2> /dev/null || true; done; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
# shellcheck source=bench/servers.sh
. bench/servers.sh   # free_ports, srvr, start_servers, stop_servers, wait_serving

for ((rep = 1; rep <= REPEAT; rep++)); do
    for server in paddock apache; do
        start_servers "$server" three
        wait_serving > /dev/null
        leader="" follower=""
        for port in "${CPORTS[@]}"; do
            case "$(srvr "$port" | sed -n 's/^Mode: //p')" in
                leader) leader="$port" ;;
                follower) follower="$port" ;;
            esac
        done
        printf '%-7s #%d: ' "$server" "$rep"
        java -Xmx256m -cp "$BENCH_CP" io.paddock.bench.FollowerLag --writer "127.0.0.1:$leader" \
            --reader "127.0.0.1:$follower" --tries "$TRIES" 2> "$work/lag.err" || { cat "$work/lag.err" >&2; exit 1; }
        stop_servers
    done
done
