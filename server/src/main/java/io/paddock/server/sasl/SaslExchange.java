package io.paddock.server.sasl;

import io.paddock.protocol.DigestMd5;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.Id;
import java.util.List;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's SASL exchange over sasl requests (op 102): each client token is
 * evaluated and answered with the server's token; once the mechanism completes, the connection
 * gains {@code sasl:<id>} (and {@code super} for a {@code superUser}). A failure is answered
 * AuthFailed, or SessionClosedRequireAuth when SASL is required, and the connection is then
 * closed, unless {@code allowSaslFailedClients} keeps it (never when SASL is required). Used
 * from the connection's network thread only.
 */
public final class SaslExchange {
    private static final Logger LOG = LoggerFactory.getLogger(SaslExchange.class);

    /**
     * What to answer: {@code err} (0 or the failure code), the token for the reply (null: a null
     * token) and the identities gained (empty until complete). The connection is closed after a
     * reply with an error.
     */
    public record Step(int err, byte[] token, List<Id> gained) {
    }

    private final ClientAuthConfig config;
    private final String remote;
    private SaslServer server;

    public SaslExchange(ClientAuthConfig config, String remote) {
        this.config = config;
        this.remote = remote;
    }

    /** Evaluates the client's token. */
    public Step step(byte[] clientToken) {
        if (!config.saslEnabled()) {
            // Apache's answer when it has no JAAS section: success with no token and no identity.
            return new Step(0, null, List.of());
        }
        try {
            if (server == null || server.isComplete()) {
                // A new exchange after a completed one starts over (a client may authenticate again).
                server = config.kerberos() != null ? KerberosSasl.server(config.kerberos(), config.names()::identity)
                        : DigestSasl.server(DigestMd5.CLIENT_PROTOCOL, DigestMd5.CLIENT_SERVER_NAME, config.users(),
                                config.superPassword(), config.names()::identity);
            }
            byte[] reply = server.evaluateResponse(clientToken == null ? new byte[0] : clientToken);
            if (!server.isComplete()) {
                return new Step(0, reply, List.of());
            }
            String id = server.getAuthorizationID();
            LOG.info("{}: SASL authenticated as sasl:{}", remote, id);
            List<Id> gained = config.superUsers().contains(id)
                    ? List.of(new Id("sasl", id), new Id("super", "")) : List.of(new Id("sasl", id));
            return new Step(0, reply, gained);
        } catch (SaslException e) {
            LOG.warn("{}: SASL authentication failed: {}", remote, e.getMessage());
            server = null;
            if (config.allowFailedSasl() && !config.saslRequired()) {
                return new Step(0, null, List.of());
            }
            int err = (config.saslRequired() ? ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH : ErrorCode.AUTH_FAILED).code();
            return new Step(err, null, List.of());
        }
    }
}
