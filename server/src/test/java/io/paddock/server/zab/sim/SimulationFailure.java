package io.paddock.server.zab.sim;

/** An invariant broke: names it (so that tests can tell which), with the seed and a trace in the message. */
final class SimulationFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    final String invariant;
    final long seed;
    /** The hash of the whole trace up to the failure (0 unless the run hashed its trace). */
    final long traceHash;

    SimulationFailure(String invariant, long seed, long traceHash, String message, Throwable cause) {
        super(message, cause);
        this.invariant = invariant;
        this.seed = seed;
        this.traceHash = traceHash;
    }
}
