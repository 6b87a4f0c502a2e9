package io.paddock.nemesis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the few system commands the suite needs (ip, iptables, kill), each bounded in time. */
final class Shell {
    private Shell() {
    }

    /** What a command printed (stdout and stderr together) and its exit status. */
    record Result(int status, String output) {
        boolean ok() {
            return status == 0;
        }
    }

    /** Runs {@code command}; a command still running after 20 s is killed and reported as status -1. */
    static Result run(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        try {
            // The commands print little, so reading to the end before waiting cannot fill a pipe.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            p.destroyForcibly();
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    static Result run(String... command) {
        return run(List.of(command));
    }

    /** Runs {@code command} and fails with its output unless it succeeds. */
    static String check(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.status() + "): " + r.output().strip());
        }
        return r.output();
    }
}
