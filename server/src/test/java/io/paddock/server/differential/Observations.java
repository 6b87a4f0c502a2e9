package io.paddock.server.differential;

/**
 * What the generator learns from server A's results, so that later operations can use
 * correct versions and the names of sequential nodes. Only server A feeds it, which keeps the
 * operation sequence a function of the seed (given a deterministic server A).
 */
interface Observations {
    Observations NONE = new Observations() {
        @Override
        public void stat(String path, int version, int aversion) {
        }

        @Override
        public void created(String requested, String actual) {
        }

        @Override
        public void gone(String path) {
        }
    };

    /** A Stat of {@code path} was seen. */
    void stat(String path, int version, int aversion);

    /** {@code path} was deleted, or found missing. */
    void gone(String path);

    /** A create of {@code requested} made {@code actual} (they differ for sequential nodes). */
    void created(String requested, String actual);
}
