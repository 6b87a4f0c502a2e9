package io.paddock.server.sasl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.kerberos.KerberosPrincipal;

/**
 * Turns the authentication id a SASL exchange proved into the id of the connection's
 * {@code sasl} identity, as Apache ZooKeeper does: a principal {@code service/host@REALM} of the
 * default realm keeps its host and realm unless {@code kerberos.removeHostFromPrincipal} /
 * {@code kerberos.removeRealmFromPrincipal} say otherwise; a plain name (DIGEST-MD5's user
 * names) is itself. Only Apache's DEFAULT {@code auth_to_local} rule is applied: a principal of
 * another realm keeps the id the exchange authorized, unchanged.
 */
public record PrincipalNames(boolean removeHost, boolean removeRealm, String defaultRealm) {
    /** {@code service[/host]@realm}; a name without {@code @} is a plain name. */
    private static final Pattern PRINCIPAL = Pattern.compile("([^/@]*)(/([^/@]*))?@([^/@]*)");

    /** Apache's defaults (keep host and realm), with the JVM's Kerberos default realm if it has one. */
    public static PrincipalNames of(boolean removeHost, boolean removeRealm) {
        return new PrincipalNames(removeHost, removeRealm, jvmDefaultRealm());
    }

    /** Whether {@code id} is a well-formed name for a {@code sasl} ACL entry (a name with {@code @} must parse). */
    public static boolean valid(String id) {
        return id != null && (id.indexOf('@') < 0 || PRINCIPAL.matcher(id).matches());
    }

    /**
     * The identity for {@code authenticationId}; {@code authorizationId} (what the client asked to
     * act as) is kept when the name cannot be shortened.
     */
    public String identity(String authenticationId, String authorizationId) {
        Matcher m = PRINCIPAL.matcher(authenticationId);
        if (!m.matches()) {
            return authenticationId;
        }
        String service = m.group(1);
        String host = m.group(3);
        String realm = m.group(4);
        if (!realm.equals(defaultRealm)) {
            return authorizationId;
        }
        StringBuilder id = new StringBuilder(service);
        if (host != null && !removeHost) {
            id.append('/').append(host);
        }
        if (!removeRealm) {
            id.append('@').append(realm);
        }
        return id.toString();
    }

    /** The realm Kerberos would add to a bare name, or "" when the JVM has no Kerberos configuration. */
    private static String jvmDefaultRealm() {
        try {
            String realm = new KerberosPrincipal("paddock").getRealm();
            return realm == null ? "" : realm;
        } catch (IllegalArgumentException | SecurityException e) {
            return "";
        }
    }
}
