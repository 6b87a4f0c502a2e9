#!/usr/bin/env bash
#
# Paddock's command-line shell, with the options, commands and output of Apache ZooKeeper's
# zkCli.sh:
#
#   zkCli.sh [--config <conf-dir>] [-server host:port[,host:port...][/chroot]] [-timeout ms] [-r] [command args...]
#
# Without a command it is interactive (history in ~/.paddock_cli_history, Tab completes
# commands and znode paths); with one it runs it and exits 0 on success, non-zero on error.
# See docs/cli.md.
#
# Environment (besides those read by zkEnv.sh): CLIENT_JVMFLAGS, JVMFLAGS (extra JVM options),
# ZK_CLIENT_HEAP (MB, default 256).

ZOOBIN="$(readlink -f "${BASH_SOURCE[0]}" 2> /dev/null || echo "${BASH_SOURCE[0]}")"
ZOOBINDIR="$(cd "$(dirname "$ZOOBIN")" && pwd)"

. "$ZOOBINDIR/zkEnv.sh"

CLI_JAR="$PADDOCK_HOME/cli/target/paddock-cli.jar"
CLI_LIB="$PADDOCK_HOME/cli/target/lib"

paddock_ensure_built "$CLI_JAR" "$CLI_LIB"
paddock_find_java

# Word-split on purpose, as Apache does: the flags hold several options.
read -r -a jvmflags <<< "$CLIENT_JVMFLAGS ${JVMFLAGS:-}"
exec "$JAVA" "${jvmflags[@]}" -cp "$CLI_JAR:$CLI_LIB/*" io.paddock.cli.ZkCli "$@"
