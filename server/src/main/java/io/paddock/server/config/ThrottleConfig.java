package io.paddock.server.config;

import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Apache ZooKeeper's three throttles, with its keys and defaults. Each setting is a zoo.cfg key or
 * its {@code zookeeper.<key>} system property (the zoo.cfg key wins; Apache turns a zoo.cfg key it
 * does not know into that system property, so both spellings work there too).
 *
 * @param connection the token bucket with random early drop on new sessions ({@code connection_throttle_*})
 * @param request the bound on requests in process ({@code request_throttle_*})
 * @param largeRequestMaxBytes bytes that large requests may hold in flight together ({@code largeRequestMaxBytes})
 * @param largeRequestThreshold the size above which a request counts as large; -1 turns the check off
 *                              ({@code largeRequestThreshold})
 */
public record ThrottleConfig(Connection connection, Request request, int largeRequestMaxBytes,
                             int largeRequestThreshold) {

    /**
     * The connection throttle (Apache's BlueThrottle); {@code maxTokens} 0 turns it off.
     *
     * @param maxTokens the bucket's size in tokens, already multiplied by the global weight when weights are on
     * @param fillTimeMs every this many milliseconds...
     * @param fillCount ...this many tokens go back in (also multiplied by the global weight when weights are on)
     * @param freezeTimeMs how often the drop probability is adjusted; -1 turns random dropping off
     * @param dropIncrease added to the drop probability when the bucket was found empty
     * @param dropDecrease taken from it when the bucket holds at least {@code decreaseRatio} of its size
     * @param decreaseRatio the fill ratio at which the drop probability starts to fall
     * @param globalWeight tokens a new session takes (the weights are all 1 unless connection_throttle_weight_enabled)
     * @param localWeight tokens a new local session takes
     * @param renewWeight tokens a reconnecting session takes
     */
    public record Connection(int maxTokens, int fillTimeMs, int fillCount, int freezeTimeMs, double dropIncrease,
                             double dropDecrease, double decreaseRatio, int globalWeight, int localWeight,
                             int renewWeight) {
        /** Whether any connection is ever refused. */
        public boolean enabled() {
            return maxTokens > 0;
        }
    }

    /**
     * The request throttle (Apache's RequestThrottler); {@code maxRequests} 0 turns it off.
     *
     * @param maxRequests requests in process (handed on, not yet answered) past which new ones wait
     * @param stallTimeMs how long a waiting request waits before the throttler looks again
     * @param dropStale whether a waiting request whose connection has closed is dropped unanswered
     */
    public record Request(int maxRequests, int stallTimeMs, boolean dropStale) {
        public boolean enabled() {
            return maxRequests > 0;
        }
    }

    public static final String TOKENS = "connection_throttle_tokens";
    public static final String FILL_TIME = "connection_throttle_fill_time";
    public static final String FILL_COUNT = "connection_throttle_fill_count";
    public static final String FREEZE_TIME = "connection_throttle_freeze_time";
    public static final String DROP_INCREASE = "connection_throttle_drop_increase";
    public static final String DROP_DECREASE = "connection_throttle_drop_decrease";
    public static final String DECREASE_RATIO = "connection_throttle_decrease_ratio";
    public static final String WEIGHT_ENABLED = "connection_throttle_weight_enabled";
    public static final String GLOBAL_WEIGHT = "connection_throttle_global_session_weight";
    public static final String LOCAL_WEIGHT = "connection_throttle_local_session_weight";
    public static final String RENEW_WEIGHT = "connection_throttle_renew_session_weight";
    public static final String MAX_REQUESTS = "request_throttle_max_requests";
    public static final String STALL_TIME = "request_throttle_stall_time";
    public static final String DROP_STALE = "request_throttle_drop_stale";
    public static final String LARGE_MAX_BYTES = "largeRequestMaxBytes";
    public static final String LARGE_THRESHOLD = "largeRequestThreshold";

    private static final Set<String> KEYS = Set.of(TOKENS, FILL_TIME, FILL_COUNT, FREEZE_TIME, DROP_INCREASE,
            DROP_DECREASE, DECREASE_RATIO, WEIGHT_ENABLED, GLOBAL_WEIGHT, LOCAL_WEIGHT, RENEW_WEIGHT, MAX_REQUESTS,
            STALL_TIME, DROP_STALE, LARGE_MAX_BYTES, LARGE_THRESHOLD);

    /** Apache's default for largeRequestMaxBytes: 100 MiB. */
    public static final int DEFAULT_LARGE_MAX_BYTES = 100 * 1024 * 1024;

    /** Every throttle off, as Apache starts. */
    public static final ThrottleConfig OFF = new ThrottleConfig(new Connection(0, 1, 1, -1, 0.02, 0.002, 0, 1, 1, 1),
            new Request(0, 100, true), DEFAULT_LARGE_MAX_BYTES, -1);

    /** Whether a zoo.cfg key is one of these settings. */
    public static boolean reads(String key) {
        return KEYS.contains(key);
    }

    /** Reads every setting; a value that is not a number in range is a ConfigException naming key and source. */
    public static ThrottleConfig from(Properties props, String source) {
        Reader r = new Reader(props, source);
        boolean weighted = r.flag(WEIGHT_ENABLED, false);
        int local = r.integer(LOCAL_WEIGHT, 1, 1);
        int global = r.integer(GLOBAL_WEIGHT, 3, 1);
        int renew = r.integer(RENEW_WEIGHT, 2, 1);
        if (global < local || renew < local) {
            throw new ConfigException(GLOBAL_WEIGHT + " (" + global + ") and " + RENEW_WEIGHT + " (" + renew
                    + ") must each be at least " + LOCAL_WEIGHT + " (" + local + ") in " + source);
        }
        // As in Apache: the configured tokens are sized for global sessions, so weights scale the bucket.
        int scale = weighted ? global : 1;
        int freeze = r.integer(FREEZE_TIME, -1, -1);
        Connection conn = new Connection(Math.multiplyExact(r.integer(TOKENS, 0, 0), scale), r.integer(FILL_TIME, 1, 1),
                Math.multiplyExact(r.integer(FILL_COUNT, 1, 1), scale), freeze,
                r.fraction(DROP_INCREASE, 0.02), r.fraction(DROP_DECREASE, 0.002), r.fraction(DECREASE_RATIO, 0),
                weighted ? global : 1, weighted ? local : 1, weighted ? renew : 1);
        Request request = new Request(r.integer(MAX_REQUESTS, 0, 0), r.integer(STALL_TIME, 100, 0),
                r.flag(DROP_STALE, true));
        int threshold = r.integer(LARGE_THRESHOLD, -1, -1);
        if (threshold == 0) {
            throw r.bad(LARGE_THRESHOLD, "0", "expected -1 (off) or a positive size in bytes");
        }
        return new ThrottleConfig(conn, request, r.integer(LARGE_MAX_BYTES, DEFAULT_LARGE_MAX_BYTES, 1), threshold);
    }

    /** One value at a time, zoo.cfg first, then the system property; errors name where the value came from. */
    private record Reader(Properties props, String source) {
        private String[] lookup(String key) {
            String v = props.getProperty(key);
            if (v != null) {
                return new String[] {v.trim(), key + " in " + source};
            }
            v = System.getProperty("zookeeper." + key);
            return v == null ? null : new String[] {v.trim(), "system property zookeeper." + key};
        }

        ConfigException bad(String key, String value, String why) {
            String[] found = lookup(key);
            return new ConfigException("invalid value '" + value + "' for " + (found == null ? key : found[1]) + ": " + why);
        }

        int integer(String key, int def, int min) {
            String[] v = lookup(key);
            if (v == null || v[0].isEmpty()) {
                return def;
            }
            try {
                int n = Integer.parseInt(v[0]);
                if (n < min) {
                    throw bad(key, v[0], "expected at least " + min);
                }
                return n;
            } catch (NumberFormatException e) {
                throw bad(key, v[0], "expected an integer");
            }
        }

        double fraction(String key, double def) {
            String[] v = lookup(key);
            if (v == null || v[0].isEmpty()) {
                return def;
            }
            try {
                double d = Double.parseDouble(v[0]);
                if (!(d >= 0 && d <= 1)) {
                    throw bad(key, v[0], "expected a number from 0 to 1");
                }
                return d;
            } catch (NumberFormatException e) {
                throw bad(key, v[0], "expected a number from 0 to 1");
            }
        }

        boolean flag(String key, boolean def) {
            String[] v = lookup(key);
            if (v == null || v[0].isEmpty()) {
                return def;
            }
            return switch (v[0].toLowerCase(Locale.ROOT)) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw bad(key, v[0], "expected true or false");
            };
        }
    }
}
