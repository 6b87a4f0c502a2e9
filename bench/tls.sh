#!/usr/bin/env bash
# TLS material for the bench scripts; sourced, not run:
#   . bench/tls.sh; make_tls "$work/tls"
# make_tls DIR makes, with keytool, a throw-away CA, one server certificate and one client
# certificate (EC P-256, PKCS12) in DIR, and sets:
#   TLS_DIR          DIR
#   TLS_PASS         the one password of every store in DIR (random; the stores are thrown
#                    away with DIR, so it may show in zoo.cfg and on command lines)
#   TLS_CLIENT_OPTS  the java options that make Paddock's client (LoadGen, FanOut) speak TLS
#                    with the client certificate: zookeeper.client.secure and zookeeper.ssl.*
# start_servers (bench/servers.sh) turns TLS on for the servers when TLS_DIR is set.
#
# The server certificate names 127.0.0.1 and localhost (the client checks the name it connects
# to) and has both serverAuth and clientAuth usages; the client certificate has clientAuth.

make_tls() {
    local dir="$1" p
    mkdir -p "$dir"
    TLS_DIR="$(cd "$dir" && pwd)"
    TLS_PASS="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
    p="$TLS_PASS"
    (
        set -e
        cd "$TLS_DIR"
        kt() { keytool -noprompt -storetype PKCS12 -storepass "$p" "$@" > /dev/null 2>> keytool.log; }
        kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -validity 30 \
            -dname "CN=Paddock bench CA" -ext bc:c -keystore ca.p12
        kt -exportcert -rfc -alias ca -keystore ca.p12 -file ca.pem
        kt -importcert -alias ca -file ca.pem -keystore truststore.p12
        # sign NAME EXT...: a key pair in NAME.p12 with a certificate signed by the CA.
        sign() {
            local name="$1"
            shift
            kt -genkeypair -alias "$name" -keyalg EC -groupname secp256r1 -validity 30 \
                -dname "CN=$name,O=Paddock bench" -keystore "$name.p12"
            kt -certreq -alias "$name" -keystore "$name.p12" -file "$name.csr"
            kt -gencert -alias ca -keystore ca.p12 -rfc -validity 30 -infile "$name.csr" -outfile "$name.crt" "$@"
            # The CA first, so that keytool links the signed certificate to it.
            kt -importcert -alias ca -file ca.pem -keystore "$name.p12"
            kt -importcert -alias "$name" -file "$name.crt" -keystore "$name.p12"
        }
        sign server -ext san=ip:127.0.0.1,dns:localhost -ext eku=serverAuth,clientAuth
        sign client -ext eku=clientAuth
    ) || {
        cat "$TLS_DIR/keytool.log" >&2
        echo "could not make the TLS certificates with keytool in $TLS_DIR" >&2
        return 1
    }
    TLS_CLIENT_OPTS=(-Dzookeeper.client.secure=true
        "-Dzookeeper.ssl.keyStore.location=$TLS_DIR/client.p12" "-Dzookeeper.ssl.keyStore.password=$TLS_PASS"
        "-Dzookeeper.ssl.trustStore.location=$TLS_DIR/truststore.p12" "-Dzookeeper.ssl.trustStore.password=$TLS_PASS")
}

# tls_server_cfg SECURE_PORT: the zoo.cfg lines of a server's TLS-only client port. Apache needs
# its Netty connection factory for TLS (its default NIO one refuses a secure port); Paddock
# always uses Netty and only warns that it ignores the key, so both servers get the same lines.
# ssl.clientAuth is left at its default, need. Both negotiate TLS 1.3 by default, but with
# different suites: Apache's own order puts TLS_AES_256_GCM_SHA384 first, Paddock's (Netty's
# default) TLS_AES_128_GCM_SHA256; ssl.ciphersuites gives both Apache's, so that both servers
# do the same cryptography.
tls_server_cfg() {
    printf 'secureClientPort=%s\nsecureClientPortAddress=127.0.0.1\n' "$1"
    printf 'ssl.ciphersuites=TLS_AES_256_GCM_SHA384\n'
    printf 'serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory\n'
    printf 'ssl.keyStore.location=%s\nssl.keyStore.password=%s\n' "$TLS_DIR/server.p12" "$TLS_PASS"
    printf 'ssl.trustStore.location=%s\nssl.trustStore.password=%s\n' "$TLS_DIR/truststore.p12" "$TLS_PASS"
}
