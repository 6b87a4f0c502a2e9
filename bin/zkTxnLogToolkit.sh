#!/usr/bin/env bash
# Prints the txns of a Paddock log segment and says whether it is clean or where it is damaged.
#   bin/zkTxnLogToolkit.sh [-d] <dataLogDir>/version-2/log.<zxid>
# Exit status: 0 clean, 2 damaged, 1 bad arguments.
set -euo pipefail
ZOOBINDIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$ZOOBINDIR/zkEnv.sh"
paddock_find_java
paddock_ensure_built "$PADDOCK_HOME/server/target/paddock-server.jar" "$PADDOCK_HOME/server/target/lib"
exec "$JAVA" $CLIENT_JVMFLAGS -cp "$PADDOCK_HOME/server/target/paddock-server.jar:$PADDOCK_HOME/server/target/lib/*" \
    io.paddock.server.tools.LogTool "$@"
