package io.paddock.nemesis;

/**
 * The clock family: one server's wall clock stepped forward and back, or running fast or slow
 * (libfaketime); seed 18 gives one of each within 60 s.
 */
class ClockNemesisIT extends NemesisIT {
    ClockNemesisIT() {
        super(Schedule.Family.CLOCKS, 18, 60_000);
    }
}
