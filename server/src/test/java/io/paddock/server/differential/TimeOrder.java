package io.paddock.server.differential;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks one server's ctime/mtime values for internal consistency. Wall-clock times cannot be
 * compared across servers (the same operation runs at different instants, and two different
 * transactions may or may not fall in the same millisecond), so what is checked is the order
 * relation with zxids: one transaction has one timestamp, and a later transaction never has an
 * earlier timestamp. Within a Stat this implies ctime == mtime when czxid == mzxid, and
 * ctime &lt;= mtime.
 */
final class TimeOrder {
    private final String server;
    private final TreeMap<Long, Long> timeOfZxid = new TreeMap<>();

    TimeOrder(String server) {
        this.server = server;
    }

    Optional<String> check(StatSnapshot s) {
        if (s.mtime() < s.ctime()) {
            return fail("mtime " + s.mtime() + " < ctime " + s.ctime());
        }
        Optional<String> c = record(s.czxid(), s.ctime(), "ctime");
        return c.isPresent() ? c : record(s.mzxid(), s.mtime(), "mtime");
    }

    private Optional<String> record(long zxid, long time, String field) {
        Long known = timeOfZxid.get(zxid);
        if (known != null) {
            return known == time ? Optional.empty()
                    : fail(field + ": zxid 0x" + Long.toHexString(zxid) + " has time " + time + " but earlier " + known);
        }
        Map.Entry<Long, Long> below = timeOfZxid.lowerEntry(zxid);
        if (below != null && below.getValue() > time) {
            return fail(field + ": zxid 0x" + Long.toHexString(zxid) + " has time " + time + ", earlier zxid 0x"
                    + Long.toHexString(below.getKey()) + " has later time " + below.getValue());
        }
        Map.Entry<Long, Long> above = timeOfZxid.higherEntry(zxid);
        if (above != null && above.getValue() < time) {
            return fail(field + ": zxid 0x" + Long.toHexString(zxid) + " has time " + time + ", later zxid 0x"
                    + Long.toHexString(above.getKey()) + " has earlier time " + above.getValue());
        }
        timeOfZxid.put(zxid, time);
        return Optional.empty();
    }

    private Optional<String> fail(String why) {
        return Optional.of("timestamps inconsistent on server " + server + ": " + why);
    }
}
