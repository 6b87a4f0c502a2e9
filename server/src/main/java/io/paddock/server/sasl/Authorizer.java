package io.paddock.server.sasl;

/**
 * Decides whether a user a SASL exchange proved may act as the id it asked for, and under which
 * id: the id to grant, or null to refuse. The client port grants every user (naming it with
 * {@link PrincipalNames}); between servers a learner may act only as itself, and with Kerberos
 * only from the host of the server it claims to be.
 */
@FunctionalInterface
public interface Authorizer {
    String authorize(String authenticationId, String requestedId);

    /** Apache's quorum rule: a learner may act only as itself. */
    Authorizer SELF_ONLY = (authenticated, requested) -> authenticated.equals(requested) ? requested : null;
}
