package io.paddock.server.prep;

import io.paddock.protocol.OpResult;
import io.paddock.server.txn.Txn;
import java.util.ArrayList;
import java.util.List;

/** What prep decided for one write request. */
public sealed interface PrepOutcome {
    /** The decision as the txn to propose: a refused write is an error txn, committed like any other (as Apache's). */
    default Txn asTxn() {
        if (this instanceof Accepted a) {
            return a.txn();
        } else if (this instanceof Rejected rej) {
            return new Txn.Error(rej.err());
        }
        List<Integer> errs = new ArrayList<>();
        for (OpResult result : ((MultiFailed) this).results()) {
            errs.add(result.err());
        }
        return new Txn.FailedMulti(errs);
    }

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
