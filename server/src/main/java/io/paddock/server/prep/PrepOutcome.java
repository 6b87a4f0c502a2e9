package io.paddock.server.prep;

import io.paddock.protocol.OpResult;
import io.paddock.server.txn.Txn;
import java.util.List;

/** What prep decided for one write request. */
public sealed interface PrepOutcome {
    /** The request becomes this txn. */
    record Accepted(Txn txn) implements PrepOutcome {
    }

    /** The request fails with an error code; nothing is proposed. */
    record Rejected(int err) implements PrepOutcome {
    }

    /** A multi failed at one op: reply err 0 with these per-op error results. */
    record MultiFailed(List<OpResult> results) implements PrepOutcome {
    }
}
