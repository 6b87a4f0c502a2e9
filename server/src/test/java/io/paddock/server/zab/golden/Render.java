package io.paddock.server.zab.golden;

import io.paddock.server.zab.Action;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.Zxid;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;

/**
 * The stable text of actions and messages in golden scripts. Records' own toString is not used: it
 * prints zxids in decimal, byte arrays as identities and links as raw numbers.
 */
final class Render {
    /** The core names a link {@code incarnation << 20 | n}; scripts read it as {@code incarnation:n}. */
    static final int LINK_SHIFT = 20;

    private Render() {
    }

    /** Hexadecimal, as Apache's logs print zxids; -1 (an observer's vote names no zxid) stays -1. */
    static String zxid(long zxid) {
        return zxid < 0 ? Long.toString(zxid) : Zxid.hex(zxid);
    }

    static String link(long link) {
        return (link >>> LINK_SHIFT) + ":" + (link & ((1L << LINK_SHIFT) - 1));
    }

    /** The data an entry carries in scripts unless told otherwise: its zxid's text. */
    static byte[] defaultData(long zxid) {
        return zxid(zxid).getBytes(StandardCharsets.UTF_8);
    }

    static String entry(Entry e) {
        String data = new String(e.data(), StandardCharsets.UTF_8);
        return data.equals(zxid(e.zxid())) ? zxid(e.zxid()) : zxid(e.zxid()) + "=" + quote(e.data());
    }

    static String quote(byte[] bytes) {
        return '"' + new String(bytes, StandardCharsets.UTF_8) + '"';
    }

    static String entries(List<Entry> entries) {
        StringJoiner j = new StringJoiner(" ");
        for (Entry e : entries) {
            j.add(entry(e));
        }
        return j.toString();
    }

    static String action(Action a) {
        if (a instanceof Action.PersistEpochs p) {
            return "PersistEpochs" + (p.acceptedEpoch() >= 0 ? " acceptedEpoch=" + p.acceptedEpoch() : "")
                    + (p.currentEpoch() >= 0 ? " currentEpoch=" + p.currentEpoch() : "");
        } else if (a instanceof Action.TruncateLog t) {
            return "TruncateLog after=" + zxid(t.zxid());
        } else if (a instanceof Action.InstallSnapshot s) {
            return "InstallSnapshot zxid=" + zxid(s.zxid()) + " data=" + quote(s.data());
        } else if (a instanceof Action.Append ap) {
            return "Append " + entry(ap.entry());
        } else if (a instanceof Action.Send s) {
            return "Send to=" + s.to() + " " + msg(s.msg());
        } else if (a instanceof Action.Deliver d) {
            return "Deliver " + entries(d.entries());
        } else if (a instanceof Action.TakeSnapshot) {
            return "TakeSnapshot";
        } else if (a instanceof Action.RequestReceived r) {
            return "RequestReceived from=" + r.from() + " " + quote(r.payload());
        } else if (a instanceof Action.ReplyReceived r) {
            return "ReplyReceived " + quote(r.payload());
        } else if (a instanceof Action.RoleChanged r) {
            return "RoleChanged " + r.state() + " leader=" + r.leader() + " epoch=" + r.epoch() + " serving=" + r.serving();
        }
        throw new IllegalArgumentException("unknown action " + a);
    }

    static String msg(Msg m) {
        if (m instanceof Msg.Vote v) {
            return "Vote[leader=" + v.leader() + " zxid=" + zxid(v.zxid()) + " epoch=" + v.peerEpoch() + " round="
                    + v.round() + " " + v.state() + "]";
        }
        Msg.Link l = (Msg.Link) m;
        return "Link[link=" + link(l.link()) + " seq=" + l.seq() + "] " + body(l.body());
    }

    static String body(Msg.Body b) {
        if (b instanceof Msg.FollowerInfo f) {
            return "FollowerInfo[acceptedEpoch=" + f.acceptedEpoch() + " currentEpoch=" + f.currentEpoch()
                    + " lastZxid=" + zxid(f.lastZxid()) + " observer=" + f.observer() + "]";
        } else if (b instanceof Msg.LeaderInfo li) {
            return "LeaderInfo[epoch=" + li.epoch() + "]";
        } else if (b instanceof Msg.AckEpoch ae) {
            return "AckEpoch[currentEpoch=" + ae.currentEpoch() + " lastZxid=" + zxid(ae.lastZxid()) + " snapshotZxid="
                    + zxid(ae.snapshotZxid()) + "]";
        } else if (b instanceof Msg.Diff d) {
            return "Diff[fromZxid=" + zxid(d.fromZxid()) + "]";
        } else if (b instanceof Msg.Trunc t) {
            return "Trunc[zxid=" + zxid(t.zxid()) + "]";
        } else if (b instanceof Msg.Snap s) {
            return "Snap[zxid=" + zxid(s.zxid()) + " data=" + quote(s.data()) + "]";
        } else if (b instanceof Msg.Propose p) {
            return "Propose[" + entry(p.entry()) + "]";
        } else if (b instanceof Msg.Commit c) {
            return "Commit[zxid=" + zxid(c.zxid()) + "]";
        } else if (b instanceof Msg.Inform i) {
            return "Inform[" + entry(i.entry()) + "]";
        } else if (b instanceof Msg.NewLeader nl) {
            return "NewLeader[epoch=" + nl.epoch() + "]";
        } else if (b instanceof Msg.AckNewLeader a) {
            return "AckNewLeader[epoch=" + a.epoch() + "]";
        } else if (b instanceof Msg.Ack a) {
            return "Ack[zxid=" + zxid(a.zxid()) + "]";
        } else if (b instanceof Msg.UpToDate) {
            return "UpToDate";
        } else if (b instanceof Msg.Ping) {
            return "Ping";
        } else if (b instanceof Msg.Request r) {
            return "Request[" + quote(r.payload()) + "]";
        } else if (b instanceof Msg.Reply r) {
            return "Reply[" + quote(r.payload()) + "]";
        }
        throw new IllegalArgumentException("unknown message body " + b);
    }

    /** A list of zxids as ranges of consecutive counters: {@code 0x100000001..0x100000003,0x200000001}. */
    static String zxidRanges(List<Long> zxids) {
        if (zxids.isEmpty()) {
            return "none";
        }
        StringJoiner j = new StringJoiner(",");
        int i = 0;
        while (i < zxids.size()) {
            int k = i;
            while (k + 1 < zxids.size() && zxids.get(k + 1) == zxids.get(k) + 1) {
                k++;
            }
            j.add(k == i ? zxid(zxids.get(i)) : zxid(zxids.get(i)) + ".." + zxid(zxids.get(k)));
            i = k + 1;
        }
        return j.toString();
    }
}
