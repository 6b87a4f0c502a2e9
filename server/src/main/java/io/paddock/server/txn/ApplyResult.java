package io.paddock.server.txn;

import io.paddock.protocol.Stat;
import java.util.List;

/**
 * What applying one txn produced for its reply. {@code type} is the op code a multi reports for
 * it (1 or 15 for creates, 2, 5, 7, 13), {@code path} is the created path (create),
 * {@code stat} the node's Stat after the change (create, setData, setACL); for a multi,
 * {@code subResults} holds one result per sub-operation.
 */
public record ApplyResult(int type, String path, Stat stat, List<ApplyResult> subResults) {
    static ApplyResult of(int type) {
        return new ApplyResult(type, null, null, List.of());
    }
}
