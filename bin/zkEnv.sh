#!/usr/bin/env bash
#
# Shared environment for Paddock's scripts (zkServer.sh, zkCli.sh). Source it, don't run it.
#
# On entry ZOOBINDIR must name the directory holding the calling script. A leading
# "--config <dir>" in the caller's arguments is consumed here (it sets ZOOCFGDIR).
#
# Sets: PADDOCK_HOME, ZOOCFGDIR, ZOOCFG (default path; zkServer.sh may override it),
#       ZOO_LOG_DIR, JAVA (via paddock_find_java), SERVER_JVMFLAGS, CLIENT_JVMFLAGS.
# Reads, like Apache ZooKeeper's zkEnv.sh: ZOOCFGDIR, ZOOCFG, ZOO_LOG_DIR, JAVA_HOME,
#       ZK_SERVER_HEAP, ZK_CLIENT_HEAP, and $ZOOCFGDIR/{zookeeper-env.sh,java.env} if present.

PADDOCK_HOME="$(cd "${ZOOBINDIR:?ZOOBINDIR must be set before sourcing zkEnv.sh}/.." && pwd)"

# The caller's positional parameters are ours too when sourced without arguments,
# so this shift removes "--config <dir>" for the caller as well.
if [ $# -gt 1 ] && [ "$1" = "--config" ]; then
    ZOOCFGDIR="$2"
    shift 2
fi

ZOOCFGDIR="${ZOOCFGDIR:-$PADDOCK_HOME/conf}"

# Operator hooks, same names as Apache ZooKeeper so existing deployments keep working.
if [ -f "$ZOOCFGDIR/zookeeper-env.sh" ]; then
    . "$ZOOCFGDIR/zookeeper-env.sh"
fi
if [ -f "$ZOOCFGDIR/java.env" ]; then
    . "$ZOOCFGDIR/java.env"
fi

# Remember whether the operator named a config file; without one, zkServer.sh may fall
# back to the sample's defaults.
if [ -n "${ZOOCFG:-}" ]; then
    PADDOCK_CFG_EXPLICIT=true
else
    PADDOCK_CFG_EXPLICIT=false
    ZOOCFG="zoo.cfg"
fi
ZOOCFG="$ZOOCFGDIR/$ZOOCFG"

ZOO_LOG_DIR="${ZOO_LOG_DIR:-$PADDOCK_HOME/logs}"

ZK_SERVER_HEAP="${ZK_SERVER_HEAP:-1000}"
SERVER_JVMFLAGS="-Xmx${ZK_SERVER_HEAP}m ${SERVER_JVMFLAGS:-}"
ZK_CLIENT_HEAP="${ZK_CLIENT_HEAP:-256}"
CLIENT_JVMFLAGS="-Xmx${ZK_CLIENT_HEAP}m ${CLIENT_JVMFLAGS:-}"
export SERVER_JVMFLAGS CLIENT_JVMFLAGS

# Sets JAVA to $JAVA_HOME/bin/java, else the java on PATH; exits 1 if there is none.
paddock_find_java() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        JAVA="$JAVA_HOME/bin/java"
    elif command -v java > /dev/null 2>&1; then
        JAVA=java
    else
        echo "Error: JAVA_HOME is not set and java could not be found in PATH." >&2
        echo "Paddock needs Java 17 or newer." >&2
        exit 1
    fi
}

# paddock_ensure_built <jar> <libdir>: on a fresh clone the jars don't exist yet, so build
# them once with Maven from the repository root. Exits 1 if that is impossible or fails.
paddock_ensure_built() {
    local jar="$1" libdir="$2"
    if [ -f "$jar" ] && [ -d "$libdir" ]; then
        return 0
    fi
    if [ ! -f "$PADDOCK_HOME/pom.xml" ]; then
        echo "Error: $jar is missing and $PADDOCK_HOME is not a source tree to build it from." >&2
        exit 1
    fi
    if ! command -v mvn > /dev/null 2>&1; then
        echo "Error: $jar is missing, and building it needs Maven (mvn), which is not on PATH." >&2
        echo "Install JDK 17 and Maven 3.8+, then run: cd $PADDOCK_HOME && mvn -B -DskipTests package" >&2
        exit 1
    fi
    echo "Paddock is not built yet ($jar is missing)." >&2
    echo "Building it now, once: (cd $PADDOCK_HOME && mvn -B -q -DskipTests package)" >&2
    if ! (cd "$PADDOCK_HOME" && mvn -B -q -DskipTests package) >&2; then
        echo "Error: the Maven build failed; see its output above." >&2
        exit 1
    fi
    if [ ! -f "$jar" ]; then
        echo "Error: the Maven build succeeded but $jar was not produced." >&2
        exit 1
    fi
    echo "Build finished." >&2
}

# paddock_cfg_get <key> <file>: the value of a java.util.Properties-style key (last one
# wins, as with Properties), trimmed; empty if the key is absent.
paddock_cfg_get() {
    awk -v key="$1" '
        { sub(/\r$/, "") }
        /^[ \t]*[#!]/ { next }
        {
            line = $0
            sub(/^[ \t]+/, "", line)
            if (index(line, key) != 1) next
            rest = substr(line, length(key) + 1)
            if (rest !~ /^[ \t]*[=:]/ && rest !~ /^[ \t]+[^ \t]/) next
            sub(/^[ \t]*[=:]?[ \t]*/, "", rest)
            sub(/[ \t]+$/, "", rest)
            value = rest
        }
        END { print value }
    ' "$2"
}
