package io.paddock.server.core.sim;

import io.paddock.protocol.ErrorCode;
import java.util.List;

/**
 * {@link RegisterHistory}, the simulation's linearizability checker for registers, for histories
 * recorded elsewhere: the nemesis suite checks real clients' writes with it (through this module's
 * test-jar), so the simulation and the real network share one search.
 */
public final class RegisterCheck {
    private RegisterCheck() {
    }

    /** How a write ended: acknowledged (with its new version), refused with BadVersion, or never learned. */
    public enum Outcome { OK, REFUSED, UNKNOWN }

    /** One write of register {@code key}: unconditional, or a CAS expecting {@code expected}. */
    public record Write(int client, int key, boolean cas, int expected, String value, long invokedAt, long returnedAt,
            Outcome outcome, int version) {
    }

    /** Null if every register's writes are linearizable (each register starting at version 0), else why not. */
    public static String check(int keys, List<Write> writes) {
        RegisterHistory history = new RegisterHistory(keys);
        for (Write w : writes) {
            RegisterHistory.Step step = w.cas() ? RegisterHistory.Step.cas(w.expected()) : RegisterHistory.Step.set();
            RegisterHistory.Op op = history.invoke(w.client(), w.key(), List.of(step), w.value(), w.invokedAt());
            switch (w.outcome()) {
                // The nemesis registers have no children: their cversion stays 0.
                case OK -> history.ok(op, w.version(), 0, -1, w.returnedAt());
                case REFUSED -> history.refused(op, 0, ErrorCode.BAD_VERSION.code(), w.returnedAt());
                case UNKNOWN -> history.unknown(op);
                default -> throw new IllegalArgumentException(w.toString());
            }
        }
        return history.check();
    }
}
