#!/usr/bin/env bash
#
# Starts, stops and queries a Paddock server. The commands, messages, exit codes, pid file
# and environment variables follow Apache ZooKeeper's zkServer.sh, so scripts and habits
# written for it keep working.
#
#   zkServer.sh [--config <conf-dir>] {start|start-foreground|stop|restart|status|print-cmd|version} [cfg]
#
# cfg is a file name inside the config directory, or a path (anything containing "/").
# Without it: $ZOOCFGDIR/$ZOOCFG (default <paddock>/conf/zoo.cfg); if that file does not
# exist and neither was given, the defaults of conf/zoo_sample.cfg are used.
#
# Environment (besides those read by zkEnv.sh):
#   JVMFLAGS, SERVER_JVMFLAGS  extra JVM options (SERVER_JVMFLAGS come first)
#   ZOOPIDFILE                 pid file (default <dataDir>/zookeeper_server.pid)
#   ZOO_LOG_DIR                daemon log directory (default <paddock>/logs)
#   ZOO_START_TIMEOUT          seconds `start` waits for the client port to answer (30)
#   ZOO_STOP_TIMEOUT           seconds `stop` waits for the process to exit (30)
#   ZOO_NOEXEC                 if set, start-foreground runs java as a child, not via exec
#   JMXDISABLE                 if set (and not "false"), no JMX agent flags (the MBeans are
#                              registered in the JVM either way, as Apache's are)
#   JMXLOCALONLY               local JMX agent only (default false); used without JMXPORT
#   JMXPORT                    a remote JMX port; then JMXAUTH, JMXSSL (default false) and
#                              JMXHOSTNAME (java.rmi.server.hostname) apply
#
# Logging: the JVM gets -Dzookeeper.log.appender=ROLLINGFILE for `start` (a rolling file
# in $ZOO_LOG_DIR, plus a .out file that catches stdout/stderr) and CONSOLE for
# `start-foreground`; conf/logback.xml (or $ZOOCFGDIR/logback.xml) picks the appender.

ZOOBIN="$(readlink -f "${BASH_SOURCE[0]}" 2> /dev/null || echo "${BASH_SOURCE[0]}")"
ZOOBINDIR="$(cd "$(dirname "$ZOOBIN")" && pwd)"

. "$ZOOBINDIR/zkEnv.sh"

MAIN_CLASS=io.paddock.server.Main
SERVER_JAR="$PADDOCK_HOME/server/target/paddock-server.jar"
SERVER_LIB="$PADDOCK_HOME/server/target/lib"
CLASSPATH="$SERVER_JAR:$SERVER_LIB/*"
ZOO_START_TIMEOUT="${ZOO_START_TIMEOUT:-30}"
ZOO_STOP_TIMEOUT="${ZOO_STOP_TIMEOUT:-30}"

usage() {
    echo "Usage: $0 [--config <conf-dir>] {start|start-foreground|stop|version|restart|status|print-cmd} [cfg]" >&2
}

# ---------------------------------------------------------------------------------------
# Small helpers

# Runs "$@" under a time limit when coreutils' timeout is available.
with_timeout() {
    local seconds="$1"
    shift
    if command -v timeout > /dev/null 2>&1; then
        timeout "$seconds" "$@"
    else
        "$@"
    fi
}

# Host to connect to for a server bound to $1 (a wildcard bind is reachable on loopback).
connect_host() {
    case "$1" in
        "" | 0.0.0.0) echo 127.0.0.1 ;;
        "::" | "[::]") echo ::1 ;;
        \[*\]) local h="${1#[}"; echo "${h%]}" ;;
        *) echo "$1" ;;
    esac
}

# port_open <host> <port>: succeeds if something accepts TCP connections there.
port_open() {
    with_timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$(connect_host "$1")" "$2" 2> /dev/null
}

# four_letter_word <host> <port> <word>: prints the server's answer (bash /dev/tcp, no nc).
four_letter_word() {
    with_timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 1; printf "%s" "$3" >&3; cat <&3' \
        _ "$(connect_host "$1")" "$2" "$3" 2> /dev/null | tr -d '\r'
}

# is_paddock_pid <pid>: the process is alive and (where /proc tells) is our server, not a
# zombie or an unrelated process that reused the pid.
is_paddock_pid() {
    local pid="$1"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2> /dev/null || return 1
    if [ -r "/proc/$pid/cmdline" ]; then
        tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "$MAIN_CLASS"
    fi
}

# Sets CLIENT_PORT, CLIENT_ADDR and CLIENT_SSL the way Apache's script finds them:
# clientPort/clientPortAddress; else this server's "server.<myid>=...;[addr:]port" line in
# the static or dynamic config; else secureClientPort. Returns 1 if there is no port.
find_client_port() {
    CLIENT_SSL=false
    CLIENT_ADDR="$(paddock_cfg_get clientPortAddress "$ZOOCFG")"
    CLIENT_ADDR="${CLIENT_ADDR:-localhost}"
    CLIENT_PORT="$(paddock_cfg_get clientPort "$ZOOCFG")"
    if ! [[ "$CLIENT_PORT" =~ ^[0-9]+$ ]]; then
        CLIENT_PORT=""
        local myid="" spec="" dyn=""
        if [ -n "$ZOO_DATADIR" ] && [ -r "$ZOO_DATADIR/myid" ]; then
            myid="$(tr -d '[:space:]' < "$ZOO_DATADIR/myid")"
        fi
        if ! [[ "$myid" =~ ^[0-9]+$ ]]; then
            echo "myid could not be determined, so the client port cannot be read from the server.N lines."
        else
            spec="$(paddock_cfg_get "server.$myid" "$ZOOCFG")"
            if [[ "$spec" != *";"* ]]; then
                dyn="$(paddock_cfg_get dynamicConfigFile "$ZOOCFG")"
                if [ -n "$dyn" ] && [ -r "$dyn" ]; then
                    echo "Client port not found in the static config file; looking in the dynamic config file $dyn."
                    spec="$(paddock_cfg_get "server.$myid" "$dyn")"
                fi
            fi
            if [[ "$spec" == *";"* ]]; then
                spec="${spec##*;}"
                if [[ "$spec" == *:* ]]; then
                    CLIENT_ADDR="${spec%:*}"
                fi
                CLIENT_PORT="${spec##*:}"
            else
                echo "Client port not found in the server configs."
            fi
        fi
    fi
    if [ -z "$CLIENT_PORT" ]; then
        local secure
        secure="$(paddock_cfg_get secureClientPort "$ZOOCFG")"
        if [ -z "$secure" ]; then
            return 1
        fi
        CLIENT_PORT="$secure"
        CLIENT_SSL=true
    fi
    return 0
}

# Fills the JMX_FLAGS array from Apache's JMX* variables, as its zkServer.sh does.
jmx_flags() {
    JMX_FLAGS=()
    if [ -n "$JMXDISABLE" ] && [ "$JMXDISABLE" != false ]; then
        return
    fi
    JMX_FLAGS=(-Dcom.sun.management.jmxremote)
    if [ -z "$JMXPORT" ]; then
        JMX_FLAGS+=("-Dcom.sun.management.jmxremote.local.only=${JMXLOCALONLY:-false}")
        return
    fi
    if [ -n "$JMXHOSTNAME" ]; then
        JMX_FLAGS+=("-Djava.rmi.server.hostname=$JMXHOSTNAME")
    fi
    JMX_FLAGS+=("-Dcom.sun.management.jmxremote.port=$JMXPORT"
        "-Dcom.sun.management.jmxremote.authenticate=${JMXAUTH:-false}"
        "-Dcom.sun.management.jmxremote.ssl=${JMXSSL:-false}")
}

# Fills the JAVA_CMD array; $1 is the logback appender (CONSOLE or ROLLINGFILE).
build_java_cmd() {
    jmx_flags
    local logback="$ZOOCFGDIR/logback.xml"
    if [ ! -f "$logback" ]; then
        logback="$PADDOCK_HOME/conf/logback.xml"
    fi
    local -a jvmflags
    # Word-split on purpose, as Apache does: JVMFLAGS holds several options.
    read -r -a jvmflags <<< "$SERVER_JVMFLAGS ${JVMFLAGS:-}"
    JAVA_CMD=("$JAVA"
        "-Dzookeeper.log.dir=$ZOO_LOG_DIR"
        "-Dzookeeper.log.file=$ZOO_LOG_FILE"
        "-Dzookeeper.log.appender=$1"
        "-Dlogback.configurationFile=$logback"
        -XX:+HeapDumpOnOutOfMemoryError "-XX:HeapDumpPath=$ZOO_LOG_DIR"
        -XX:+ExitOnOutOfMemoryError
        -cp "$CLASSPATH"
        "${JMX_FLAGS[@]}"
        "${jvmflags[@]}"
        "$MAIN_CLASS" "$ZOOCFG")
}

require_pidfile() {
    if [ -z "$ZOOPIDFILE" ]; then
        echo "Error: dataDir is not set in $ZOOCFG, so there is no place for the pid file (set dataDir, or ZOOPIDFILE)." >&2
        exit 1
    fi
}

# Prints what the server wrote during this start attempt, so the reason is on screen.
show_startup_output() {
    local logfile="$ZOO_LOG_DIR/$ZOO_LOG_FILE" log_offset="$1"
    if [ -s "$ZOO_DAEMON_OUT" ]; then
        echo "---- last lines of $ZOO_DAEMON_OUT ----" >&2
        tail -n 25 "$ZOO_DAEMON_OUT" >&2
    fi
    if [ -f "$logfile" ] && [ "$(wc -c < "$logfile")" -gt "$log_offset" ]; then
        echo "---- last lines of $logfile ----" >&2
        tail -c +"$((log_offset + 1))" "$logfile" | tail -n 25 >&2
    fi
    echo "----" >&2
    echo "See $logfile and $ZOO_DAEMON_OUT for details." >&2
}

# ---------------------------------------------------------------------------------------
# Commands

do_start() {
    require_pidfile
    paddock_ensure_built "$SERVER_JAR" "$SERVER_LIB"
    paddock_find_java
    mkdir -p "$ZOO_LOG_DIR" "$(dirname "$ZOOPIDFILE")"

    echo -n "Starting zookeeper ... "
    if [ -f "$ZOOPIDFILE" ]; then
        local old
        old="$(cat "$ZOOPIDFILE")"
        if is_paddock_pid "$old"; then
            echo "already running as process $old."
            return 1
        fi
        rm -f "$ZOOPIDFILE"
    fi

    # A server already answering on our port would make the readiness probe below
    # succeed for the wrong process, so refuse up front.
    local have_port=false
    if find_client_port > /dev/null; then
        have_port=true
        if port_open "$CLIENT_ADDR" "$CLIENT_PORT"; then
            echo "FAILED TO START"
            echo "Error: client port $CLIENT_PORT on $CLIENT_ADDR is already in use (another server running?); see clientPort in $ZOOCFG." >&2
            return 1
        fi
    fi

    local logfile="$ZOO_LOG_DIR/$ZOO_LOG_FILE" log_offset=0
    if [ -f "$logfile" ]; then
        log_offset="$(wc -c < "$logfile")"
    fi

    build_java_cmd ROLLINGFILE
    nohup "${JAVA_CMD[@]}" > "$ZOO_DAEMON_OUT" 2>&1 < /dev/null &
    local pid=$!
    if ! printf '%s' "$pid" > "$ZOOPIDFILE"; then
        echo "FAILED TO WRITE PID"
        kill "$pid" 2> /dev/null
        return 1
    fi

    local launched=$SECONDS deadline=$((SECONDS + ZOO_START_TIMEOUT))
    while true; do
        # The JVM is our child: bash reaps it when it exits, so kill -0 sees it gone.
        if ! kill -0 "$pid" 2> /dev/null; then
            wait "$pid"
            local status=$?
            rm -f "$ZOOPIDFILE"
            echo "FAILED TO START"
            echo "Error: the server exited during start-up (exit status $status)." >&2
            show_startup_output "$log_offset"
            return 1
        fi
        if $have_port; then
            if $CLIENT_SSL; then
                # TLS can't be spoken from bash: an accepting port is the best sign of life.
                port_open "$CLIENT_ADDR" "$CLIENT_PORT" && break
            elif [ -n "$(four_letter_word "$CLIENT_ADDR" "$CLIENT_PORT" srvr)" ]; then
                # Any answer counts: a whitelist without srvr still answers, with a refusal.
                break
            fi
        elif ((SECONDS >= launched + 2)); then
            break # no client port to probe: alive after 2 s is all we can check
        fi
        if ((SECONDS >= deadline)); then
            echo "FAILED TO START"
            echo "Error: the server (process $pid) is running but did not answer on $CLIENT_ADDR:$CLIENT_PORT within ${ZOO_START_TIMEOUT} s." >&2
            echo "It was left running (it may still be loading data): see '$0 status $ZOOCFG', or '$0 stop $ZOOCFG' it." >&2
            show_startup_output "$log_offset"
            return 1
        fi
        sleep 0.2
    done
    echo STARTED
    return 0
}

do_start_foreground() {
    paddock_ensure_built "$SERVER_JAR" "$SERVER_LIB"
    paddock_find_java
    build_java_cmd CONSOLE
    if [ -n "${ZOO_NOEXEC:-}" ]; then
        "${JAVA_CMD[@]}"
    else
        # exec, so that signals sent to this script's pid reach the JVM.
        exec "${JAVA_CMD[@]}"
    fi
}

do_stop() {
    require_pidfile
    echo -n "Stopping zookeeper ... "
    if [ ! -f "$ZOOPIDFILE" ]; then
        echo "no zookeeper to stop (could not find file $ZOOPIDFILE)"
        return 0
    fi
    local pid
    pid="$(cat "$ZOOPIDFILE")"
    if ! is_paddock_pid "$pid"; then
        rm -f "$ZOOPIDFILE"
        echo "no zookeeper to stop (process $pid from $ZOOPIDFILE is not running; removed the stale pid file)"
        return 0
    fi
    kill -TERM "$pid"
    local deadline=$((SECONDS + ZOO_STOP_TIMEOUT))
    while is_paddock_pid "$pid"; do
        if ((SECONDS >= deadline)); then
            echo "FAILED TO STOP"
            echo "Error: process $pid is still running ${ZOO_STOP_TIMEOUT} s after SIGTERM; 'kill -9 $pid' forces it." >&2
            return 1
        fi
        sleep 0.2
    done
    rm -f "$ZOOPIDFILE"
    echo STOPPED
    return 0
}

do_status() {
    if ! find_client_port; then
        echo "Unable to find either secure or unsecure client port in any configs. Terminating."
        return 1
    fi
    echo "Client port found: $CLIENT_PORT. Client address: $CLIENT_ADDR. Client SSL: $CLIENT_SSL."
    if $CLIENT_SSL; then
        echo "Note: only secureClientPort is configured, and this script cannot speak TLS; query it with a TLS-capable client."
        echo "Error contacting service. It is probably not running."
        return 1
    fi
    local mode
    mode="$(four_letter_word "$CLIENT_ADDR" "$CLIENT_PORT" srvr | grep -m 1 '^Mode:')"
    if [ -z "$mode" ]; then
        echo "Error contacting service. It is probably not running."
        return 1
    fi
    echo "$mode"
    return 0
}

do_print_cmd() {
    paddock_find_java
    build_java_cmd ROLLINGFILE
    printf '%q ' "${JAVA_CMD[@]}"
    printf '> %q 2>&1 < /dev/null\n' "$ZOO_DAEMON_OUT"
}

do_version() {
    local pom="$PADDOCK_HOME/pom.xml" version="" protocol=""
    if [ -f "$pom" ]; then
        version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$pom" | head -n 1)"
        protocol="$(sed -n 's:.*<zookeeper.version>\(.*\)</zookeeper.version>.*:\1:p' "$pom" | head -n 1)"
    fi
    echo "Paddock, version ${version:-unknown} (Apache ZooKeeper client protocol ${protocol:-3.9})"
}

# ---------------------------------------------------------------------------------------
# Main

COMMAND="${1:-}"
case "$COMMAND" in
    start | start-foreground | stop | restart | status | print-cmd) ;;
    version)
        do_version
        exit 0
        ;;
    *)
        usage
        exit 1
        ;;
esac

if [ -n "${2:-}" ]; then
    case "$2" in
        */*) ZOOCFG="$2" ;;
        *) ZOOCFG="$ZOOCFGDIR/$2" ;;
    esac
    PADDOCK_CFG_EXPLICIT=true
fi
if [ ! -f "$ZOOCFG" ]; then
    SAMPLE_CFG="$PADDOCK_HOME/conf/zoo_sample.cfg"
    if ! $PADDOCK_CFG_EXPLICIT && [ -f "$SAMPLE_CFG" ]; then
        echo "No $ZOOCFG found: running on the defaults of $SAMPLE_CFG (copy it to $ZOOCFG to change them)." >&2
        ZOOCFG="$SAMPLE_CFG"
    else
        echo "Error: config file $ZOOCFG not found." >&2
        exit 1
    fi
fi
echo "Using config: $ZOOCFG" >&2

ZOO_DATADIR="$(paddock_cfg_get dataDir "$ZOOCFG")"
if [ -z "${ZOOPIDFILE:-}" ] && [ -n "$ZOO_DATADIR" ]; then
    ZOOPIDFILE="$ZOO_DATADIR/zookeeper_server.pid"
fi
ZOOPIDFILE="${ZOOPIDFILE:-}"

ZOO_USER="${USER:-$(id -un 2> /dev/null || echo user)}"
ZOO_LOG_FILE="paddock-$ZOO_USER-server-$HOSTNAME.log"
ZOO_DAEMON_OUT="$ZOO_LOG_DIR/paddock-$ZOO_USER-server-$HOSTNAME.out"

case "$COMMAND" in
    start) do_start ;;
    start-foreground) do_start_foreground ;;
    stop) do_stop ;;
    restart) do_stop && do_start ;;
    status) do_status ;;
    print-cmd) do_print_cmd ;;
esac
exit $?
