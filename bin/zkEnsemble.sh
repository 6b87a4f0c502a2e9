#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
#
# Runs a Paddock ensemble on this one machine, for trying it out and for tests: N voting
# servers (default 3) plus K observers, each a separate process started by zkServer.sh.
#
#   zkEnsemble.sh {start|stop|status|restart} [N] [--observers K] [--dir DIR]
#
# Under DIR (default <paddock>/ensemble) server I gets serverI/zoo.cfg, serverI/data (with its
# myid file) and serverI/logs. Servers 1..N vote; N+1..N+K are observers. Files are written
# only when absent, so a restart keeps the data and any edits; to change the ensemble's size,
# stop it and remove DIR. Once DIR holds an ensemble, N and K may be left out.
#
# Ports of server I (override the bases to run several ensembles, or in tests):
#   client    ENSEMBLE_CLIENT_PORT_BASE + I    (default 2180, so 2181, 2182, ...)
#   quorum    ENSEMBLE_QUORUM_PORT_BASE + I    (default 2887, so 2888, 2889, ...)
#   election  ENSEMBLE_ELECTION_PORT_BASE + I  (default 3887, so 3888, 3889, ...)
#   admin     ENSEMBLE_ADMIN_PORT_BASE + I     (default 8079, so 8080, 8081, ...; HTTP admin API)
# Other environment: ENSEMBLE_TICK_TIME (ms, default 2000), ZK_SERVER_HEAP (MB per server,
# default 256 here), and whatever zkServer.sh reads (JVMFLAGS, ZOO_START_TIMEOUT, ...).
#
# Exit status: 0 when every server did what was asked (for status: every server answered).

ZOOBIN="$(readlink -f "${BASH_SOURCE[0]}" 2> /dev/null || echo "${BASH_SOURCE[0]}")"
ZOOBINDIR="$(cd "$(dirname "$ZOOBIN")" && pwd)"
PADDOCK_HOME="$(cd "$ZOOBINDIR/.." && pwd)"
ZKSERVER="$ZOOBINDIR/zkServer.sh"

CLIENT_BASE="${ENSEMBLE_CLIENT_PORT_BASE:-2180}"
QUORUM_BASE="${ENSEMBLE_QUORUM_PORT_BASE:-2887}"
ELECTION_BASE="${ENSEMBLE_ELECTION_PORT_BASE:-3887}"
ADMIN_BASE="${ENSEMBLE_ADMIN_PORT_BASE:-8079}"
TICK_TIME="${ENSEMBLE_TICK_TIME:-2000}"
# Several JVMs share one machine: a smaller default heap than a lone server's.
export ZK_SERVER_HEAP="${ZK_SERVER_HEAP:-256}"

usage() {
    echo "Usage: $0 {start|stop|status|restart} [N] [--observers K] [--dir DIR]" >&2
    echo "  N voting servers (default 3) and K observers (default 0) on this machine, under DIR" >&2
    echo "  (default $PADDOCK_HOME/ensemble)." >&2
}

die() {
    echo "Error: $*" >&2
    exit 1
}

is_number() {
    [[ "$1" =~ ^[0-9]+$ ]]
}

# ---------------------------------------------------------------------------------------
# Arguments

COMMAND="${1:-}"
case "$COMMAND" in
    start | stop | status | restart) shift ;;
    -h | --help | help)
        usage
        exit 0
        ;;
    *)
        usage
        exit 1
        ;;
esac

VOTERS=""
OBSERVERS=""
DIR=""
while [ $# -gt 0 ]; do
    case "$1" in
        --observers)
            [ $# -ge 2 ] || die "--observers needs a number"
            OBSERVERS="$2"
            shift 2
            ;;
        --observers=*)
            OBSERVERS="${1#*=}"
            shift
            ;;
        --dir)
            [ $# -ge 2 ] || die "--dir needs a directory"
            DIR="$2"
            shift 2
            ;;
        --dir=*)
            DIR="${1#*=}"
            shift
            ;;
        *)
            if [ -z "$VOTERS" ] && is_number "$1"; then
                VOTERS="$1"
                shift
            else
                usage
                exit 1
            fi
            ;;
    esac
done

if [ -n "$OBSERVERS" ] && ! is_number "$OBSERVERS"; then
    die "--observers takes a number, not '$OBSERVERS'"
fi
for base in "$CLIENT_BASE" "$QUORUM_BASE" "$ELECTION_BASE" "$ADMIN_BASE" "$TICK_TIME"; do
    is_number "$base" || die "the ENSEMBLE_* port bases and ENSEMBLE_TICK_TIME must be numbers, not '$base'"
done

DIR="${DIR:-$PADDOCK_HOME/ensemble}"
mkdir -p "$DIR" || die "cannot create $DIR"
DIR="$(cd "$DIR" && pwd)"

# ---------------------------------------------------------------------------------------
# The ensemble's shape: from the arguments, else from what DIR already holds

server_dir() { echo "$DIR/server$1"; }
server_cfg() { echo "$DIR/server$1/zoo.cfg"; }

# A key's value in a generated zoo.cfg (last one wins, as with Java properties).
cfg_value() {
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$2" | tail -n 1 | tr -d '[:space:]'
}

EXISTING_VOTERS=""
EXISTING_OBSERVERS=""
if [ -f "$(server_cfg 1)" ]; then
    all="$(grep -c '^server\.[0-9][0-9]*=' "$(server_cfg 1)")"
    EXISTING_OBSERVERS="$(grep -c '^server\.[0-9][0-9]*=.*:observer' "$(server_cfg 1)")"
    EXISTING_VOTERS=$((all - EXISTING_OBSERVERS))
fi

if [ -n "$EXISTING_VOTERS" ]; then
    if { [ -n "$VOTERS" ] && [ "$VOTERS" -ne "$EXISTING_VOTERS" ]; } ||
        { [ -n "$OBSERVERS" ] && [ "$OBSERVERS" -ne "$EXISTING_OBSERVERS" ]; }; then
        die "$DIR holds an ensemble of $EXISTING_VOTERS voting server(s) and $EXISTING_OBSERVERS observer(s)." \
            "To change its size, '$0 stop --dir $DIR', remove $DIR, then start again."
    fi
    VOTERS="$EXISTING_VOTERS"
    OBSERVERS="$EXISTING_OBSERVERS"
elif [ "$COMMAND" = stop ] || [ "$COMMAND" = status ]; then
    echo "No ensemble in $DIR (nothing has been started there)."
    [ "$COMMAND" = stop ] && exit 0
    exit 1
fi

VOTERS="${VOTERS:-3}"
OBSERVERS="${OBSERVERS:-0}"
TOTAL=$((VOTERS + OBSERVERS))
[ "$VOTERS" -ge 1 ] || die "an ensemble needs at least one voting server"
[ "$TOTAL" -le 255 ] || die "at most 255 servers (server ids are 1..255)"
if [ "$VOTERS" -eq 1 ] && [ "$OBSERVERS" -gt 0 ]; then
    die "observers need an ensemble of at least 2 voting servers"
fi
for base in "$CLIENT_BASE" "$QUORUM_BASE" "$ELECTION_BASE"; do
    [ $((base + TOTAL)) -le 65535 ] || die "port base $base + $TOTAL servers passes 65535"
done

is_observer() { [ "$1" -gt "$VOTERS" ]; }
role() { if is_observer "$1"; then echo observer; else echo participant; fi; }

# The server.J lines every member's zoo.cfg carries.
server_lines() {
    local j suffix
    for ((j = 1; j <= TOTAL; j++)); do
        suffix=""
        is_observer "$j" && suffix=":observer"
        echo "server.$j=127.0.0.1:$((QUORUM_BASE + j)):$((ELECTION_BASE + j))$suffix"
    done
}

# Writes server I's zoo.cfg and myid unless they exist; an existing zoo.cfg must list the same servers.
prepare_server() {
    local i="$1" dir cfg data
    dir="$(server_dir "$i")"
    cfg="$(server_cfg "$i")"
    data="$dir/data"
    mkdir -p "$data" "$dir/logs" || return 1
    if [ -f "$cfg" ]; then
        if [ "$(grep '^server\.[0-9][0-9]*=' "$cfg")" != "$(server_lines)" ]; then
            echo "Error: $cfg lists other servers than this ensemble's (were the ENSEMBLE_*_PORT_BASE" \
                "variables changed?). Stop the ensemble and remove $DIR to start afresh." >&2
            return 1
        fi
    else
        {
            echo "# Server $i of a one-machine Paddock ensemble, written by zkEnsemble.sh."
            echo "tickTime=$TICK_TIME"
            echo "initLimit=10"
            echo "syncLimit=5"
            echo "dataDir=$data"
            echo "clientPort=$((CLIENT_BASE + i))"
            echo "4lw.commands.whitelist=*"
            echo "admin.serverPort=$((ADMIN_BASE + i))"
            is_observer "$i" && echo "peerType=observer"
            server_lines
        } > "$cfg.tmp" && mv "$cfg.tmp" "$cfg" || return 1
    fi
    if [ ! -f "$data/myid" ]; then
        echo "$i" > "$data/myid" || return 1
    fi
}

client_port() {
    local port
    port="$(cfg_value clientPort "$(server_cfg "$1")")"
    echo "${port:-$((CLIENT_BASE + $1))}"
}

connect_string() {
    local i s=""
    for ((i = 1; i <= TOTAL; i++)); do
        s="$s${s:+,}127.0.0.1:$(client_port "$i")"
    done
    echo "$s"
}

# ---------------------------------------------------------------------------------------
# Running zkServer.sh for every server

WORK="$(mktemp -d "${TMPDIR:-/tmp}/zkEnsemble.XXXXXX")" || die "cannot create a temporary directory"
trap 'rm -rf "$WORK"' EXIT

# run_all <zkServer.sh command>: runs it for all servers at once (a server may wait for the
# others before it answers), each with its own log directory; output in $WORK/I.out, status in $WORK/I.rc.
run_all() {
    local cmd="$1" i
    for ((i = 1; i <= TOTAL; i++)); do
        (
            unset ZOOPIDFILE ZOOCFG
            ZOO_LOG_DIR="$(server_dir "$i")/logs" \
                "$ZKSERVER" "$cmd" "$(server_cfg "$i")" > "$WORK/$i.out" 2>&1 < /dev/null
            echo $? > "$WORK/$i.rc"
        ) &
    done
    wait
}

label() {
    echo "server$1 ($(role "$1"), client port $(client_port "$1"))"
}

# report <verb>: prints each server's outcome; returns the number of servers that failed.
report() {
    local verb="$1" i rc failed=0
    for ((i = 1; i <= TOTAL; i++)); do
        rc="$(cat "$WORK/$i.rc" 2> /dev/null || echo 1)"
        # Starting one that already runs leaves it as asked: not a failure.
        if [ "$rc" -ne 0 ] && [ "$verb" = start ] && grep -q 'already running as process' "$WORK/$i.out"; then
            rc=0
        fi
        echo "$(label "$i"):"
        grep -v '^Using config:' "$WORK/$i.out" | sed 's/^/    /'
        if [ "$rc" -ne 0 ]; then
            failed=$((failed + 1))
        fi
    done
    return "$failed"
}

do_start() {
    local i
    for ((i = 1; i <= TOTAL; i++)); do
        prepare_server "$i" || return 1
    done
    if [ "$VOTERS" -eq 1 ]; then
        echo "Note: with one voting server Paddock runs it standalone, as Apache ZooKeeper does." >&2
    fi
    # Build once here if needed, rather than in every parallel zkServer.sh.
    (
        # shellcheck source=zkEnv.sh
        . "$ZOOBINDIR/zkEnv.sh"
        paddock_ensure_built "$PADDOCK_HOME/server/target/paddock-server.jar" "$PADDOCK_HOME/server/target/lib"
    ) || return 1
    echo "Starting $VOTERS voting server(s) and $OBSERVERS observer(s) under $DIR ..."
    run_all start
    report start
    local failed=$?
    if [ "$failed" -gt 0 ]; then
        echo "Error: $failed of $TOTAL servers failed to start; see the messages above and $DIR/server*/logs." >&2
        return 1
    fi
    return 0
}

do_stop() {
    echo "Stopping the ensemble under $DIR ..."
    run_all stop
    report stop
    local failed=$?
    if [ "$failed" -gt 0 ]; then
        echo "Error: $failed of $TOTAL servers failed to stop." >&2
        return 1
    fi
    return 0
}

do_status() {
    local i mode failed=0
    run_all status
    for ((i = 1; i <= TOTAL; i++)); do
        mode="$(grep -m 1 '^Mode:' "$WORK/$i.out")"
        if [ -z "$mode" ]; then
            mode="not running ($(grep -v '^Using config:\|^Client port found:' "$WORK/$i.out" | tail -n 1))"
            failed=$((failed + 1))
        fi
        echo "$(label "$i"): $mode"
    done
    [ "$failed" -eq 0 ]
}

case "$COMMAND" in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    restart) do_stop && do_start ;;
esac
status=$?
if [ "$COMMAND" != stop ]; then
    echo "Connect string: $(connect_string)"
fi
exit "$status"
