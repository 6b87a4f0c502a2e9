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
