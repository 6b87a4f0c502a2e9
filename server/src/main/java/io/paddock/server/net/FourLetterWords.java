package io.paddock.server.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.paddock.server.commands.Commands;
import io.paddock.server.commands.TextForm;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Core;
import io.paddock.server.stats.ServerStats;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The four-letter words: each is a command of {@link Commands}, run on the core thread (a
 * consistent state) and written in Apache's text for that word, then the connection closed.
 * gtmk and stmk are not there: they read no state, only the trace mask kept here, and the admin
 * server has no twin for them.
 */
final class FourLetterWords {
    /** Apache's default trace mask, reported by gtmk. */
    private static final long DEFAULT_TRACE_MASK = 306;

    private final ServerConfig config;
    private final ServerStats stats;
    private Commands.Context ctx;
    private volatile long traceMask = DEFAULT_TRACE_MASK;

    FourLetterWords(ServerConfig config, ServerStats stats) {
        this.config = config;
        this.stats = stats;
    }

    void bind(Core c) {
        this.ctx = new Commands.Context(c, config, stats);
    }

    void answer(FourLetterWord w, Channel ch) {
        String word = w.word();
        stats.packetReceived();
        if (!config.fourLetterWordEnabled(word)) {
            write(ch, word + " is not executed because it is not in the whitelist.\n");
            return;
        }
        switch (word) {
            case "gtmk" -> write(ch, Long.toString(traceMask));
            case "stmk" -> {
                traceMask = w.argument();
                write(ch, Long.toString(traceMask));
            }
            default -> run(word, ch);
        }
    }

    private void run(String word, Channel ch) {
        Commands.Command command = Commands.byWord(word);
        if (command == null) {
            write(ch, "");
        } else if (command.word().form() instanceof TextForm.Fixed fixed) {
            write(ch, fixed.text());
        } else {
            String asker = ch.remoteAddress() instanceof InetSocketAddress isa
                    ? "/" + isa.getAddress().getHostAddress() + ":" + isa.getPort() : String.valueOf(ch.remoteAddress());
            ctx.core().runOnCore(c -> write(ch, Commands.text(command, ctx, asker)));
        }
    }

    private void write(Channel ch, String text) {
        stats.packetSent();
        ch.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
    }
}
