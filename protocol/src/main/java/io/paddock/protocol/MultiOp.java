package io.paddock.protocol;

/** One operation of a multi or multiRead: its op code and its request record. */
public record MultiOp(int type, Record request) {
}
