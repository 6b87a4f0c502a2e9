package io.paddock.cli;

import io.paddock.client.PaddockException;

/** The one-line messages Apache's zkCli prints for failed operations, which scripts grep for. */
public final class Errors {
    private Errors() {
    }

    public static String message(PaddockException e) {
        String path = e.path();
        return switch (e.code()) {
            case NO_NODE -> "Node does not exist: " + path;
            case NODE_EXISTS -> "Node already exists: " + path;
            case NOT_EMPTY -> "Node not empty: " + path;
            case BAD_VERSION -> "version No is not valid : " + path;
            case NO_AUTH -> "Insufficient permission : " + path;
            case BAD_ARGUMENTS -> "Argument error : " + path;
            case NO_CHILDREN_FOR_EPHEMERALS -> "Ephemerals cannot have children: " + path;
            default -> e.getMessage();
        };
    }
}
