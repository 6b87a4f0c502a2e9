package io.paddock.client;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.Stat;
import java.util.List;

/** The result of one op of a {@link Transaction} or a {@link MultiRead}. */
public sealed interface MultiResult {

    /** A create succeeded: the path actually created (chroot removed) and its Stat. */
    record CreateResult(String path, Stat stat) implements MultiResult {
    }

    record DeleteResult() implements MultiResult {
    }

    record SetDataResult(Stat stat) implements MultiResult {
    }

    record CheckResult() implements MultiResult {
    }

    record GetDataResult(byte[] data, Stat stat) implements MultiResult {
    }

    record GetChildrenResult(List<String> children) implements MultiResult {
    }

    /**
     * The op failed, or (in a failed transaction) was not applied: OK for the ops before the one
     * that failed, RUNTIME_INCONSISTENCY for those after it.
     */
    record ErrorResult(ErrorCode code) implements MultiResult {
    }
}
