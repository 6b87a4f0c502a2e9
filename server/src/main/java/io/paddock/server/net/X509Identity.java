package io.paddock.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.paddock.protocol.Id;
import io.paddock.server.stats.RateLimitedLog;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a finished TLS handshake into the connection's x509 identity: the subject of the client's
 * certificate as {@link javax.security.auth.x500.X500Principal#getName()} renders it (RFC 2253),
 * which is what Apache ZooKeeper's X509AuthenticationProvider grants and what {@code x509:} ACL
 * entries are compared with; and {@code super} when that subject is the configured super user.
 * The SslHandler has already checked the chain against the trust store. A client that presented
 * no certificate (clientAuth want or none) gets no x509 identity. Removes itself afterwards.
 */
final class X509Identity extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(X509Identity.class);
    /** A client retrying a bad certificate would otherwise write a line per attempt. */
    private static final RateLimitedLog FAILED = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);

    private final String superUser;

    X509Identity(String superUser) {
        this.superUser = superUser;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                List<Id> ids = identities(ctx.pipeline().get(SslHandler.class));
                if (!ids.isEmpty()) {
                    ctx.fireUserEventTriggered(new TlsIdentities(ids));
                }
            } else {
                FAILED.warn("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), done.cause().toString());
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
            ctx.pipeline().remove(this);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private List<Id> identities(SslHandler ssl) {
        if (ssl == null) {
            return List.of();
        }
        Certificate[] chain;
        try {
            chain = ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return List.of(); // no certificate presented: allowed by clientAuth want or none
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            return List.of();
        }
        String subject = cert.getSubjectX500Principal().getName();
        List<Id> ids = new ArrayList<>(2);
        if (subject.equals(superUser)) {
            ids.add(new Id("super", subject));
        }
        ids.add(new Id("x509", subject));
        LOG.debug("x509 identity {} for {}", subject, ssl.engine().getPeerHost());
        return ids;
    }
}
