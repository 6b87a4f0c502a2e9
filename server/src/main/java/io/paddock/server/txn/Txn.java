package io.paddock.server.txn;

import io.paddock.protocol.ACL;
import java.util.List;

/**
 * A state-machine command. Prep decides every outcome against the tree and pending changes, so
 * applying a txn cannot fail; applying one that does not fit the tree is a bug and throws.
 */
public sealed interface Txn {
    /** A new session with its negotiated timeout and its password (random, so every replica agrees). */
    record CreateSession(int timeoutMs, byte[] password) implements Txn {
    }

    /**
     * Ends the header's session, deleting its ephemerals in the order listed (prep decides the
     * order, so every replica and every watcher sees the same sequence of deletions).
     */
    record CloseSession(List<String> ephemerals) implements Txn {
    }

    /**
     * Creates a node. {@code ephemeralOwner} is the stored kind word (see NodeKind);
     * {@code resultType} is the op code whose result a multi reports (1 or 15).
     */
    record Create(String path, byte[] data, List<ACL> acl, long ephemeralOwner, int resultType) implements Txn {
    }

    record Delete(String path) implements Txn {
    }

    record SetData(String path, byte[] data) implements Txn {
    }

    record SetAcl(String path, List<ACL> acl) implements Txn {
    }

    /** A version check inside a multi; changes nothing. */
    record Check(String path) implements Txn {
    }

    /** Sub-operations applied atomically under one zxid and one timestamp. */
    record Multi(List<Txn> ops) implements Txn {
    }

    /**
     * A sync: changes nothing. Committed in zxid order like a write, it is answered only once the
     * server that answers has applied everything committed before it, and only if the leader that
     * proposed it still had a quorum: a leader deposed without knowing it never answers a sync.
     */
    record Barrier() implements Txn {
    }

    /**
     * A write that prep refused with {@code err}. It changes nothing, but it is logged and replicated
     * like any txn, so that the refusal is answered in zxid order, only once everything before it is
     * committed, and never by a leader that can no longer commit (as Apache's error txn).
     */
    record Error(int err) implements Txn {
    }

    /**
     * A multi that prep refused at one of its operations: one error code per operation (0 before the
     * failing one, its error, RuntimeInconsistency after). Changes nothing; committed as {@link Error} is.
     */
    record FailedMulti(List<Integer> errs) implements Txn {
        public FailedMulti {
            errs = List.copyOf(errs);
        }
    }
}
