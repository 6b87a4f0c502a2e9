#!/usr/bin/env bash
#
# A nemesis run longer than CI's, or with another seed, ensemble size or system:
#   nemesis/run.sh [--family partitions|kills|pauses|client-cuts|clocks|disks|mixed|all] [--seed N]
#                  [--minutes M | --seconds S] [--servers 3|5] [--system paddock|apache|both]
# The family defaults to partitions; "all" runs each family in turn. A table of the figures, by family
# and system, ends the output. Builds what it needs (protocol, server, nemesis; tests skipped), then
# runs the schedules outside Maven. Needs root, ip netns and iptables. Histories and server logs go to nemesis/target/histories/.
# Exit status 0 when every check passed. MVN overrides the Maven command (e.g. MVN="mvn -o").
#
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) args+=(--seconds "$(($2 * 60))"); shift 2 ;;
        --family | --seed | --seconds | --servers | --system) args+=("$1" "$2"); shift 2 ;;
        *) echo "usage: $0 [--family partitions|kills|pauses|client-cuts|clocks|disks|mixed|all] [--seed N] [--minutes M | --seconds S] [--servers 3|5] [--system paddock|apache|both]" >&2; exit 2 ;;
    esac
done

${MVN:-mvn} -B -q -pl protocol,server,nemesis -DskipTests package
exec java -Xmx512m -XX:+UseSerialGC -cp "nemesis/target/test-classes:$(cat nemesis/target/nemesis.classpath)" \
    io.paddock.nemesis.NemesisRun "${args[@]}"
