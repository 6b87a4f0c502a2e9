package io.paddock.server.zab.sim;

import io.paddock.server.zab.Action;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Input;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.Zxid;
import java.util.List;

/** Deterministic, readable text for the trace (records holding byte[] print identity hashes: never used). */
final class Fmt {
    private Fmt() {
    }

    static String z(long zxid) {
        return zxid <= 0 ? Long.toString(zxid) : Zxid.hex(zxid);
    }

    static String entries(List<Entry> entries) {
        if (entries.isEmpty()) {
            return "[]";
        }
        if (entries.size() <= 3) {
            StringBuilder b = new StringBuilder("[");
            for (Entry e : entries) {
                b.append(b.length() == 1 ? "" : " ").append(z(e.zxid()));
            }
            return b.append(']').toString();
        }
        return "[" + z(entries.get(0).zxid()) + " .. " + z(entries.get(entries.size() - 1).zxid()) + ", "
                + entries.size() + " entries]";
    }

    static String input(Input in) {
        if (in instanceof Input.Tick) {
            return "Tick";
        } else if (in instanceof Input.Receive r) {
            return "Receive(from " + r.from() + ": " + msg(r.msg()) + ")";
        } else if (in instanceof Input.PeerDown p) {
            return "PeerDown(" + p.peer() + ")";
        } else if (in instanceof Input.Persisted p) {
            return "Persisted(" + z(p.zxid()) + ")";
        } else if (in instanceof Input.Propose p) {
            return "Propose(" + z(p.entry().zxid()) + " op " + Codec.opId(p.entry().data()) + ")";
        } else if (in instanceof Input.SendRequest r) {
            return "SendRequest(req " + Codec.requestId(r.payload()) + ")";
        } else if (in instanceof Input.SendReply r) {
            return "SendReply(to " + r.to() + ", req " + Codec.requestId(r.payload()) + " after "
                    + z(Codec.replyZxid(r.payload())) + ")";
        } else if (in instanceof Input.SnapshotTaken s) {
            return "SnapshotTaken(" + z(s.zxid()) + ", " + s.data().length + " bytes)";
        }
        return String.valueOf(in);
    }

    static String action(Action a) {
        if (a instanceof Action.PersistEpochs p) {
            return "PersistEpochs(accepted " + p.acceptedEpoch() + ", current " + p.currentEpoch() + ")";
        } else if (a instanceof Action.TruncateLog t) {
            return "TruncateLog(" + z(t.zxid()) + ")";
        } else if (a instanceof Action.InstallSnapshot s) {
            return "InstallSnapshot(" + z(s.zxid()) + ", " + s.data().length + " bytes)";
        } else if (a instanceof Action.Append ap) {
            return "Append(" + z(ap.entry().zxid()) + ")";
        } else if (a instanceof Action.Send s) {
            return "Send(to " + s.to() + ": " + msg(s.msg()) + ")";
        } else if (a instanceof Action.Deliver d) {
            return "Deliver" + entries(d.entries());
        } else if (a instanceof Action.TakeSnapshot) {
            return "TakeSnapshot";
        } else if (a instanceof Action.RequestReceived r) {
            return "RequestReceived(from " + r.from() + ", req " + Codec.requestId(r.payload()) + ")";
        } else if (a instanceof Action.ReplyReceived r) {
            return "ReplyReceived(req " + Codec.requestId(r.payload()) + " after " + z(Codec.replyZxid(r.payload()))
                    + ")";
        } else if (a instanceof Action.RoleChanged r) {
            return "RoleChanged(" + r.state() + " leader " + r.leader() + " epoch " + r.epoch()
                    + (r.serving() ? " serving" : "") + ")";
        }
        return String.valueOf(a);
    }

    static String msg(Msg m) {
        if (m instanceof Msg.Vote v) {
            return "VOTE(for " + v.leader() + " zxid " + z(v.zxid()) + " epoch " + v.peerEpoch() + " round "
                    + v.round() + " " + v.state() + ")";
        }
        Msg.Link l = (Msg.Link) m;
        return "link " + l.link() + "#" + l.seq() + " " + body(l.body());
    }

    static String body(Msg.Body b) {
        if (b instanceof Msg.FollowerInfo f) {
            return (f.observer() ? "OBSERVERINFO" : "FOLLOWERINFO") + "(accepted " + f.acceptedEpoch() + " current "
                    + f.currentEpoch() + " last " + z(f.lastZxid()) + ")";
        } else if (b instanceof Msg.LeaderInfo li) {
            return "LEADERINFO(" + li.epoch() + ")";
        } else if (b instanceof Msg.AckEpoch a) {
            return "ACKEPOCH(current " + a.currentEpoch() + " last " + z(a.lastZxid()) + " snapshot "
                    + z(a.snapshotZxid()) + ")";
        } else if (b instanceof Msg.Diff d) {
            return "DIFF(" + z(d.fromZxid()) + ")";
        } else if (b instanceof Msg.Trunc t) {
            return "TRUNC(" + z(t.zxid()) + ")";
        } else if (b instanceof Msg.Snap s) {
            return "SNAP(" + z(s.zxid()) + ", " + s.data().length + " bytes)";
        } else if (b instanceof Msg.Propose p) {
            return "PROPOSAL(" + z(p.entry().zxid()) + ")";
        } else if (b instanceof Msg.Commit c) {
            return "COMMIT(" + z(c.zxid()) + ")";
        } else if (b instanceof Msg.Inform i) {
            return "INFORM(" + z(i.entry().zxid()) + ")";
        } else if (b instanceof Msg.NewLeader n) {
            return "NEWLEADER(" + n.epoch() + ")";
        } else if (b instanceof Msg.AckNewLeader a) {
            return "ACKNEWLEADER(" + a.epoch() + ")";
        } else if (b instanceof Msg.Ack a) {
            return "ACK(" + z(a.zxid()) + ")";
        } else if (b instanceof Msg.UpToDate) {
            return "UPTODATE";
        } else if (b instanceof Msg.Ping) {
            return "PING";
        } else if (b instanceof Msg.Request r) {
            return "REQUEST(req " + Codec.requestId(r.payload()) + ")";
        } else if (b instanceof Msg.Reply r) {
            return "REPLY(req " + Codec.requestId(r.payload()) + ")";
        }
        return String.valueOf(b);
    }

    /** A short name of a message's kind, for the statistics. */
    static String kind(Msg m) {
        return m instanceof Msg.Link l ? l.body().getClass().getSimpleName() : m.getClass().getSimpleName();
    }
}
