package io.paddock.server.config;

/**
 * How this server's ensemble members authenticate each other, as zoo.cfg's {@code quorum.auth.*}
 * keys say (Apache ZooKeeper's names and defaults). Reading the JAAS sections they name happens
 * when the server starts, not here.
 *
 * @param sasl quorum.auth.enableSasl
 * @param learnerRequiresSasl quorum.auth.learnerRequireSasl: refuse to talk to a server that does no SASL
 * @param serverRequiresSasl quorum.auth.serverRequireSasl: refuse a server that does not authenticate
 * @param learnerLoginContext quorum.auth.learner.saslLoginContext, the JAAS section for dialling
 * @param serverLoginContext quorum.auth.server.saslLoginContext, the JAAS section for accepting
 */
public record QuorumAuth(boolean sasl, boolean learnerRequiresSasl, boolean serverRequiresSasl,
                         String learnerLoginContext, String serverLoginContext) {
    public static final String DEFAULT_LEARNER_CONTEXT = "QuorumLearner";
    public static final String DEFAULT_SERVER_CONTEXT = "QuorumServer";
    public static final QuorumAuth NONE = new QuorumAuth(false, false, false, DEFAULT_LEARNER_CONTEXT,
            DEFAULT_SERVER_CONTEXT);

    public QuorumAuth {
        // Apache refuses the same combinations: each "require" builds on the one before it.
        if (!sasl && serverRequiresSasl) {
            throw new ConfigException("quorum.auth.enableSasl is false, so quorum.auth.serverRequireSasl cannot be true");
        }
        if (!sasl && learnerRequiresSasl) {
            throw new ConfigException("quorum.auth.enableSasl is false, so quorum.auth.learnerRequireSasl cannot be true");
        }
        if (!learnerRequiresSasl && serverRequiresSasl) {
            throw new ConfigException("quorum.auth.learnerRequireSasl is false, so quorum.auth.serverRequireSasl"
                    + " cannot be true");
        }
    }
}
