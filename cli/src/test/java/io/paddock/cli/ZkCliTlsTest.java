package io.paddock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.TlsCerts;
import io.paddock.server.testing.TlsCerts.Format;
import io.paddock.server.testing.TlsServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * zkCli in a JVM of its own, given Apache's client TLS properties ({@code -Dzookeeper.client.secure=true},
 * {@code -Dzookeeper.ssl.*}, as in CLIENT_JVMFLAGS), against a server's TLS-only port.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZkCliTlsTest {
    @TempDir
    static Path certs;
    static TlsCerts ca;
    static TlsCerts.Issued user;
    static TlsServer server;

    record Result(int code, String output) {
    }

    @BeforeAll
    static void start() {
        ca = TlsCerts.authority(certs, "ca");
        user = ca.issue("operator", "CN=operator,O=Paddock Test");
        server = TlsServer.start(ca, ca.issue("server", "CN=localhost,O=Paddock Test"), Format.JKS,
                Map.of("secureClientPort", "0", "secureClientPortAddress", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Result zkCli(List<String> jvmFlags, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.paddock.cli.ZkCli",
                "-server", "localhost:" + server.securePort(), "-timeout", "5000"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "zkCli did not finish");
        return new Result(p.exitValue(), out);
    }

    private static List<String> tlsFlags(String keyStorePassword) {
        return List.of("-Dzookeeper.client.secure=true",
                "-Dzookeeper.ssl.keyStore.location=" + user.store(Format.JKS),
                "-Dzookeeper.ssl.keyStore.password=" + keyStorePassword,
                "-Dzookeeper.ssl.trustStore.location=" + ca.trustStore(Format.JKS),
                "-Dzookeeper.ssl.trustStore.password=" + TlsCerts.PASSWORD);
    }

    @Test
    void zkCliCreatesAndReadsOverTlsWithApachesProperties() throws Exception {
        Result created = zkCli(tlsFlags(TlsCerts.PASSWORD), "create", "/over-tls", "hello");
        assertEquals(0, created.code(), created.output());
        Result read = zkCli(tlsFlags(TlsCerts.PASSWORD), "get", "/over-tls");
        assertEquals(0, read.code(), read.output());
        assertTrue(read.output().contains("hello"), read.output());
        Result who = zkCli(tlsFlags(TlsCerts.PASSWORD), "whoami");
        assertTrue(who.output().contains("x509") && who.output().contains(user.subject()), who.output());
    }

    @Test
    void aStoreThatCannotBeLoadedIsReportedNamingThePropertyAndFile() throws Exception {
        Result r = zkCli(tlsFlags("wrong"), "get", "/");
        assertEquals(1, r.code(), r.output());
        assertTrue(r.output().contains("zookeeper.ssl.keyStore.location=" + user.store(Format.JKS)), r.output());
    }

    @Test
    void withoutTlsTheSecurePortDoesNotServe() throws Exception {
        Result r = zkCli(List.of(), "get", "/");
        assertTrue(r.code() != 0, r.output());
    }
}
