#!/usr/bin/env bash
# Validates a Paddock snapshot and prints its summary; -d lists every node, -data adds node data.
#   bin/zkSnapShotToolkit.sh [-d] [-data] <dataDir>/version-2/snapshot.<zxid>
# Exit status: 0 valid, 2 damaged, 1 bad arguments.
set -euo pipefail
ZOOBINDIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$ZOOBINDIR/zkEnv.sh"
paddock_find_java
paddock_ensure_built "$PADDOCK_HOME/server/target/paddock-server.jar" "$PADDOCK_HOME/server/target/lib"
exec "$JAVA" $CLIENT_JVMFLAGS -cp "$PADDOCK_HOME/server/target/paddock-server.jar:$PADDOCK_HOME/server/target/lib/*" \
    io.paddock.server.tools.SnapshotTool "$@"
