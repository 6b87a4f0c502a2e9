#!/usr/bin/env bash
# Deletes old snapshots and log segments, keeping the newest <count> snapshots (at least 3)
# and every log segment they need. Safe while the server runs.
#   bin/zkCleanup.sh -n <count>                      (directories from the config, as zkServer.sh finds it)
#   bin/zkCleanup.sh <dataLogDir> [<dataDir>] -n <count>
set -euo pipefail
ZOOBINDIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
args=("$@")
has_dir=false
for ((i = 0; i < ${#args[@]}; i++)); do
    if [ "${args[$i]}" = "-n" ]; then
        i=$((i + 1))
    else
        has_dir=true
    fi
done
set --
. "$ZOOBINDIR/zkEnv.sh"
paddock_find_java
paddock_ensure_built "$PADDOCK_HOME/server/target/paddock-server.jar" "$PADDOCK_HOME/server/target/lib"
if [ "$has_dir" = false ]; then
    if [ ! -f "$ZOOCFG" ]; then
        echo "Error: no directories given and no config at $ZOOCFG" >&2
        exit 1
    fi
    data_dir="$(paddock_cfg_get dataDir "$ZOOCFG")"
    log_dir="$(paddock_cfg_get dataLogDir "$ZOOCFG")"
    args=("${log_dir:-$data_dir}" "$data_dir" "${args[@]}")
fi
exec "$JAVA" $CLIENT_JVMFLAGS -cp "$PADDOCK_HOME/server/target/paddock-server.jar:$PADDOCK_HOME/server/target/lib/*" \
    io.paddock.server.tools.PurgeTool "${args[@]}"
