package io.paddock.server.differential;

/** One operation of a run and its outcome on server A and on server B. */
record Step(int index, String op, Outcome a, Outcome b) {

    Step withB(Outcome newB) {
        return new Step(index, op, a, newB);
    }
}
