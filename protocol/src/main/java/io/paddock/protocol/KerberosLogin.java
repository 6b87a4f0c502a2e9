package io.paddock.protocol;

import java.time.Instant;
import java.util.Date;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * A Kerberos identity logged in through one section of the JVM's JAAS configuration
 * ({@code -Djava.security.auth.login.config}), whose login module is the JDK's Krb5LoginModule
 * (a keytab, or a ticket cache that {@code kinit} keeps fresh).
 *
 * <p>A ticket-granting ticket expires; an identity that starts exchanges (a client, a dialling
 * server) logs in again when a new exchange finds its ticket past {@link #RENEW_AT} of its
 * lifetime, rather than with a timer thread: an idle identity needs no ticket, and a busy one
 * renews on its next exchange. An identity that only accepts (with {@code isInitiator=false})
 * holds keys, which do not expire, and never logs in again. Thread-safe.
 */
public final class KerberosLogin {
    /** The share of a ticket's lifetime after which the next exchange logs in again. */
    public static final double RENEW_AT = 0.8;

    private final String section;
    private LoginContext context;
    private Subject subject;
    private final KerberosPrincipal principal;

    private KerberosLogin(String section, LoginContext context) {
        this.section = section;
        this.context = context;
        this.subject = context.getSubject();
        Set<KerberosPrincipal> principals = subject.getPrincipals(KerberosPrincipal.class);
        if (principals.isEmpty()) {
            throw new IllegalStateException("the JAAS section '" + section + "' logged in without a Kerberos principal");
        }
        this.principal = principals.iterator().next();
    }

    /**
     * Logs in with the JAAS section {@code section}. A LoginException says why (no section, no
     * keytab, the KDC refused or cannot be reached); an IllegalStateException, that the section's
     * modules gave no Kerberos principal.
     */
    public static KerberosLogin login(String section) throws LoginException {
        LoginContext context = new LoginContext(section);
        context.login();
        return new KerberosLogin(section, context);
    }

    /** The logged-in principal, e.g. {@code zookeeper/host.example.com@EXAMPLE.COM}. */
    public KerberosPrincipal principal() {
        return principal;
    }

    /** The principal's parts. */
    public Kerberos.Principal parts() {
        return Kerberos.Principal.parse(principal.getName());
    }

    /** The JAAS section this identity came from. */
    public String section() {
        return section;
    }

    /**
     * The subject to run a new exchange as, logged in again first when its ticket-granting ticket
     * is past {@link #RENEW_AT} of its lifetime. A failed renewal keeps the old subject (its
     * ticket may still be valid) and is thrown.
     */
    public synchronized Subject subject() throws LoginException {
        KerberosTicket tgt = ticketGrantingTicket(subject);
        if (tgt != null && dueForRenewal(tgt, Instant.now())) {
            LoginContext fresh = new LoginContext(section);
            fresh.login();
            LoginContext old = context;
            context = fresh;
            subject = fresh.getSubject();
            try {
                old.logout();
            } catch (LoginException e) {
                // The old credentials are dropped either way; nothing else depends on them.
            }
        }
        return subject;
    }

    /** Whether {@code now} is past {@link #RENEW_AT} of the ticket's lifetime (or the ticket has ended). */
    static boolean dueForRenewal(KerberosTicket ticket, Instant now) {
        Date start = ticket.getStartTime() != null ? ticket.getStartTime() : ticket.getAuthTime();
        Date end = ticket.getEndTime();
        if (start == null || end == null) {
            return false;
        }
        long lifetime = end.getTime() - start.getTime();
        return now.toEpochMilli() >= start.getTime() + (long) (lifetime * RENEW_AT);
    }

    private static KerberosTicket ticketGrantingTicket(Subject subject) {
        for (KerberosTicket t : subject.getPrivateCredentials(KerberosTicket.class)) {
            KerberosPrincipal server = t.getServer();
            if (server != null && server.getName().startsWith("krbtgt/")) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "KerberosLogin[" + principal.getName() + " from JAAS section " + section + "]";
    }
}
