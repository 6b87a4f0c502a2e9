package io.paddock.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;

/**
 * A real Kerberos KDC for tests (Apache Kerby), on a free TCP port of 127.0.0.1, realm
 * {@value #REALM}, with the krb5.conf and keytabs that servers and clients are given, and JAAS
 * sections for them in the form Apache ZooKeeper documents. Server and client processes get
 * {@link #jvmOption()}; {@link #useInThisJvm()} points this JVM's Kerberos at it too (for
 * clients run in the test), and {@link #close()} undoes that.
 */
public final class Kdc implements AutoCloseable {
    public static final String REALM = "EXAMPLE.COM";
    private static final String KRB5_CONF_PROPERTY = "java.security.krb5.conf";

    private final SimpleKdcServer server;
    private final Path dir;
    private final Path krb5Conf;
    private String previousKrb5Conf;
    private boolean usedHere;

    private Kdc(SimpleKdcServer server, Path dir, Path krb5Conf) {
        this.server = server;
        this.dir = dir;
        this.krb5Conf = krb5Conf;
    }

    /** Starts a KDC keeping its files in {@code dir}. */
    public static Kdc start(Path dir) throws IOException {
        int port = Clients.freePorts(1).get(0);
        try {
            SimpleKdcServer kdc = new SimpleKdcServer();
            Path work = Files.createDirectories(dir.resolve("kdc"));
            kdc.setWorkDir(work.toFile());
            kdc.setKdcHost("127.0.0.1");
            kdc.setKdcRealm(REALM);
            kdc.setKdcTcpPort(port);
            kdc.setAllowUdp(false);
            kdc.init();
            kdc.start();
            Path conf = dir.resolve("krb5.conf");
            // TCP only (udp_preference_limit = 1); no DNS: the KDC is where this file says, and a service's
            // host is the name the client gives (Paddock's and Apache's clients canonicalize it themselves).
            Files.writeString(conf, String.join("\n",
                    "[libdefaults]",
                    "    default_realm = " + REALM,
                    "    udp_preference_limit = 1",
                    "    dns_lookup_kdc = false",
                    "    dns_lookup_realm = false",
                    "    rdns = false",
                    "    dns_canonicalize_hostname = false",
                    "[realms]",
                    "    " + REALM + " = {",
                    "        kdc = 127.0.0.1:" + port,
                    "    }", ""));
            return new Kdc(kdc, dir, conf);
        } catch (KrbException e) {
            throw new IOException("cannot start the test KDC: " + e.getMessage(), e);
        }
    }

    /** The krb5.conf that points at this KDC. */
    public Path krb5Conf() {
        return krb5Conf;
    }

    /** The JVM option that points a process's Kerberos at this KDC. */
    public String jvmOption() {
        return "-D" + KRB5_CONF_PROPERTY + "=" + krb5Conf;
    }

    /**
     * Creates {@code principals} (names without the realm) with random keys and writes their keys
     * to a new keytab named {@code file} in the KDC's directory.
     */
    public Path keytab(String file, String... principals) {
        Path keytab = dir.resolve(file);
        try {
            Files.deleteIfExists(keytab);
            server.createAndExportPrincipals(keytab.toFile(), principals);
            return keytab;
        } catch (KrbException e) {
            throw new IllegalStateException("cannot create " + List.of(principals) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JAAS section logging in as {@code principal} (without the realm) from {@code keytab}, as
     * Apache ZooKeeper documents it.
     */
    public static String jaasSection(String section, String principal, Path keytab) {
        StringBuilder text = new StringBuilder(section).append(" {\n  com.sun.security.auth.module.Krb5LoginModule required");
        new TreeMap<>(keytabOptions(keytab, principal)).forEach((k, v) -> text.append("\n  ").append(k).append("=")
                .append(v.equals("true") || v.equals("false") ? v : "\"" + v + "\""));
        return text.append(";\n};\n").toString();
    }

    /** Krb5LoginModule's options for logging in as {@code principal} (without the realm) from {@code keytab}. */
    public static Map<String, String> keytabOptions(Path keytab, String principal) {
        return Map.of("useKeyTab", "true", "keyTab", keytab.toString(), "storeKey", "true", "useTicketCache", "false",
                "principal", principal + "@" + REALM);
    }

    /**
     * A JAAS configuration for this JVM (to install with {@code Configuration.setConfiguration})
     * whose sections each log in by Krb5LoginModule with the given options.
     */
    public static Configuration jaas(Map<String, Map<String, String>> sections) {
        Map<String, Map<String, String>> copy = Map.copyOf(sections);
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                Map<String, String> options = copy.get(name);
                return options == null ? null : new AppConfigurationEntry[] {new AppConfigurationEntry(
                        "com.sun.security.auth.module.Krb5LoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
            }
        };
    }

    /**
     * Points this JVM's Kerberos at the KDC. The JDK reads krb5.conf once; its internal
     * {@code sun.security.krb5.Config.refresh()} (exported to tests by the build's
     * {@code kerberos.argLine}) makes it read the new file.
     */
    public void useInThisJvm() {
        previousKrb5Conf = System.getProperty(KRB5_CONF_PROPERTY);
        System.setProperty(KRB5_CONF_PROPERTY, krb5Conf.toString());
        usedHere = true;
        refreshKerberosConfig();
    }

    private static void refreshKerberosConfig() {
        try {
            Class.forName("sun.security.krb5.Config").getMethod("refresh").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the JVM re-read krb5.conf (is the test JVM run with"
                    + " --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED?)", e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (KrbException e) {
            throw new IllegalStateException("stopping the test KDC: " + e.getMessage(), e);
        } finally {
            if (usedHere) {
                if (previousKrb5Conf == null) {
                    System.clearProperty(KRB5_CONF_PROPERTY);
                } else {
                    System.setProperty(KRB5_CONF_PROPERTY, previousKrb5Conf);
                }
                refreshKerberosConfig();
            }
        }
    }
}
