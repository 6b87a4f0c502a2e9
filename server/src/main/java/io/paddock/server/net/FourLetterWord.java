package io.paddock.server.net;

/** A four-letter word read as the first bytes of a connection; {@code argument} is stmk's mask. */
record FourLetterWord(String word, long argument) {
}
