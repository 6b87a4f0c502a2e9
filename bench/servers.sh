#!/usr/bin/env bash
# Shell helpers shared by the bench scripts that start servers on loopback; sourced, not run:
#   . bench/servers.sh

# free_ports N: N distinct free loopback ports, all held open while picked so none repeats.
free_ports() {
    python3 -c 'import socket,sys
ss=[socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1",0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}

srvr() { # client port -> the server's srvr answer, or nothing
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf srvr >&3 && cat <&3" 2> /dev/null || true
}

# The helpers below start and stop whole servers. They use $work (a scratch directory),
# $PADDOCK_CP and $APACHE_CP (the two servers' classpaths), $LOGBACK (the logging option both
# servers get) and, when set, $LOGS and $RUN (where stop_servers keeps the logs, and under which name).
# With $TLS_DIR set (make_tls in bench/tls.sh) every server also gets a TLS-only client port.

# start_servers SERVER MODE: writes the configs of a fresh standalone server or 3-server
# ensemble under $ENS_DIR and starts it; sets SPIDS, CPORTS (the plaintext client ports, which
# wait_serving asks) and CONNECT (the connect string of the load: the TLS-only ports, SPORTS,
# when TLS is on). The servers talk to each other in plaintext either way.
start_servers() {
    local server="$1" mode="$2" n=1 i ports lines="" dir main cp per=3
    [ "$mode" = three ] && n=3
    [ -z "${TLS_DIR:-}" ] || per=4  # client, quorum, election (and secure client) ports per server
    ENS_DIR="$work/$server-$mode"
    read -r -a ports <<< "$(free_ports $((per * n)))"
    CPORTS=()
    SPORTS=()
    CONNECT=""
    for ((i = 1; i <= n; i++)); do
        CPORTS+=("${ports[$((per * i - per))]}")
        if [ "$per" -eq 4 ]; then
            SPORTS+=("${ports[$((per * i - 1))]}")
            CONNECT+="${CONNECT:+,}127.0.0.1:${SPORTS[$((i - 1))]}"
        else
            CONNECT+="${CONNECT:+,}127.0.0.1:${CPORTS[$((i - 1))]}"
        fi
        if [ "$n" -gt 1 ]; then
            lines+="server.$i=127.0.0.1:${ports[$((per * i - per + 1))]}:${ports[$((per * i - per + 2))]}"$'\n'
        fi
    done
    if [ "$server" = paddock ]; then
        main=io.paddock.server.Main cp="$PADDOCK_CP"
    else
        main=org.apache.zookeeper.server.quorum.QuorumPeerMain cp="$APACHE_CP"
    fi
    for ((i = 1; i <= n; i++)); do
        dir="$ENS_DIR/server$i"
        mkdir -p "$dir/data"
        echo "$i" > "$dir/data/myid"
        {
            printf 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nforceSync=yes\nsnapCount=100000\n'
            printf 'autopurge.snapRetainCount=3\nautopurge.purgeInterval=1\n'
            printf 'admin.enableServer=false\n4lw.commands.whitelist=*\nmaxClientCnxns=0\n'
            printf 'dataDir=%s\nclientPort=%s\nclientPortAddress=127.0.0.1\n' "$dir/data" "${CPORTS[$((i - 1))]}"
            printf '%s' "$lines"
            [ ${#SPORTS[@]} -eq 0 ] || tls_server_cfg "${SPORTS[$((i - 1))]}"
        } > "$dir/zoo.cfg"
        java -Xmx1g "$LOGBACK" -cp "$cp" "$main" "$dir/zoo.cfg" > "$dir/server.out" 2>&1 &
        SPIDS+=($!)
    done
}

stop_servers() {
    local p i
    for p in "${SPIDS[@]}"; do kill -9 "$p" 2> /dev/null || true; done
    for p in "${SPIDS[@]}"; do wait "$p" 2> /dev/null || true; done
    if [ -n "$LOGS" ]; then
        mkdir -p "$LOGS"
        for ((i = 1; i <= ${#SPIDS[@]}; i++)); do
            cp "$ENS_DIR/server$i/server.out" "$LOGS/$RUN-server$i.log" 2> /dev/null || true
        done
    fi
    SPIDS=()
    rm -rf "$ENS_DIR"
}

# wait_serving: until srvr shows a Mode on every server (60 s at most); prints the seconds.
wait_serving() {
    local start port ok i p
    start=$(date +%s.%N)
    for _ in $(seq 1 600); do
        ok=1
        for p in "${SPIDS[@]}"; do kill -0 "$p" 2> /dev/null || { ok=dead; break; }; done
        [ "$ok" = dead ] && break
        for port in "${CPORTS[@]}"; do
            srvr "$port" | grep -q '^Mode: ' || { ok=0; break; }
        done
        if [ "$ok" -eq 1 ]; then
            echo "$(date +%s.%N) - $start" | bc
            return 0
        fi
        sleep 0.1
    done
    echo "the servers under $ENS_DIR did not serve (a server exited, or 60 s passed); their logs end with:" >&2
    for ((i = 1; i <= ${#CPORTS[@]}; i++)); do tail -n 20 "$ENS_DIR/server$i/server.out" >&2; done
    return 1
}
