package io.paddock.server.net;

import io.paddock.server.config.ThrottleConfig;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The connection throttle, as Apache's BlueThrottle behaves: a token bucket that refills
 * {@code fillCount} tokens every {@code fillTimeMs}, each new session taking its weight in tokens,
 * and optionally (freezeTimeMs other than -1) random early drop: every freeze period the drop
 * probability rises while the bucket stays empty and falls once it holds enough again, so a
 * sustained storm is shed before it reaches the bucket. Pure logic: the clock (milliseconds) and
 * the random source are injected, so a test drives it step by step.
 */
final class ConnectionThrottle {
    private final ThrottleConfig.Connection config;
    private final LongSupplier clockMs;
    private final DoubleSupplier random;
    private int tokens;
    private long lastFillMs;
    private long lastFreezeMs;
    private double drop;

    ConnectionThrottle(ThrottleConfig.Connection config, LongSupplier clockMs, DoubleSupplier random) {
        this.config = config;
        this.clockMs = clockMs;
        this.random = random;
        this.tokens = config.maxTokens();
        long now = clockMs.getAsLong();
        this.lastFillMs = now;
        this.lastFreezeMs = now;
    }

    /** Tokens a handshake takes: a reconnect (it names its session) weighs less than a new session. */
    int weight(long sessionId) {
        return sessionId == 0 ? config.globalWeight() : config.renewWeight();
    }

    /** Whether a handshake that needs {@code need} tokens may go on; takes them when it may. */
    synchronized boolean admit(int need) {
        if (!config.enabled()) {
            return true;
        }
        long now = clockMs.getAsLong();
        long elapsed = now - lastFillMs;
        if (elapsed > config.fillTimeMs()) {
            // Whole periods only would lose the remainder; Apache refills pro rata to the time elapsed.
            long refill = elapsed * config.fillCount() / config.fillTimeMs();
            tokens = (int) Math.min(tokens + refill, (long) config.maxTokens());
            lastFillMs = now;
        }
        if (config.freezeTimeMs() != -1 && randomlyDropped(now)) {
            return false;
        }
        if (tokens < need) {
            return false;
        }
        tokens -= need;
        return true;
    }

    private boolean randomlyDropped(long now) {
        if (now - lastFreezeMs > config.freezeTimeMs()) {
            int used = config.maxTokens() - tokens;
            if (used == config.maxTokens() && drop < 1) {
                drop = Math.min(drop + config.dropIncrease(), 1);
            } else if (used <= Math.round(config.maxTokens() * config.decreaseRatio()) && drop > 0) {
                drop = Math.max(drop - config.dropDecrease(), 0);
            }
            lastFreezeMs = now;
        }
        return random.getAsDouble() < drop;
    }

    /** The chance that the next handshake is dropped at random (the connection_drop_probability gauge). */
    synchronized double dropChance() {
        return drop;
    }

    /** Tokens the bucket lacks (recorded in the connection_token_deficit summary). */
    synchronized int deficit() {
        return config.maxTokens() - tokens;
    }
}
