package io.paddock.server.zab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Zab as a pure, deterministic state machine: leader election, discovery, synchronization and
 * broadcast. It owns no thread, socket, clock or file; the driver feeds it {@link Input}s one at a
 * time and carries out the {@link Action}s each returns, in order (the order is the persistence
 * contract, see {@link Action}). The same state and the same inputs give the same actions.
 *
 * <p>Phases, as the Zab paper and Apache ZooKeeper name them:
 * <ol>
 *   <li>Election: a looking voter votes for the candidate with the highest (currentEpoch, last
 *       zxid, id) it has heard of; once a quorum of the same round agrees and no better vote came
 *       for {@code finalizeTicks}, it leads or follows. A server that hears from an established
 *       leader joins it.</li>
 *   <li>Discovery: the leader gathers FOLLOWERINFO from a quorum, proposes an epoch above every
 *       acceptedEpoch it saw (LEADERINFO), and waits for a quorum of ACKEPOCH; a voter with a more
 *       recent history than the leader's makes it give up.</li>
 *   <li>Synchronization: per learner DIFF, TRUNC or SNAP, then the missing txns, then NEWLEADER; a
 *       learner acknowledges once all of it and its new currentEpoch are durable. A quorum of those
 *       acknowledgements establishes the leader and commits its whole initial history.</li>
 *   <li>Broadcast: PROPOSAL to followers; an ACK says "durable up to here"; the leader commits in
 *       zxid order once a quorum of voters including itself has a txn durable, sends COMMIT to
 *       followers and INFORM to observers.</li>
 * </ol>
 */
public final class ZabCore {
    private enum LeaderPhase { DISCOVERY, EPOCH, SYNC, BROADCAST }

    private enum LearnerPhase { CONNECTING, AWAITING_SYNC, SYNCING, SYNCED }

    /** The leader's view of one learner's link. */
    private static final class Learner {
        final long id;
        final long link;
        final boolean observer;
        final long acceptedEpoch;
        long sendSeq;
        long recvSeq = 1;
        int lastHeardTick;
        boolean ackedEpoch;
        long ackLastZxid;
        long ackSnapshotZxid;
        boolean awaitingSnapshot;
        /** A snapshot sent to it must reach at least this zxid. */
        long snapshotMustCover;
        /** The sync stream has been sent: proposals and commits now flow to it. */
        boolean synced;
        boolean ackedNewLeader;
        /** The last zxid the sync stream carried: durable there once NEWLEADER is acknowledged. */
        long syncTarget;
        long ackedZxid;

        Learner(long id, long link, boolean observer, long acceptedEpoch, int tick) {
            this.id = id;
            this.link = link;
            this.observer = observer;
            this.acceptedEpoch = acceptedEpoch;
            this.lastHeardTick = tick;
        }
    }

    /** An answer to a learner waiting for every txn proposed before it to commit. */
    private record PendingReply(long afterZxid, long to, long link, byte[] payload) {
    }

    private final ZabConfig config;
    /** Whose agreement makes a decision: the voters' majority (joint while the membership changes). */
    private final Quorum quorum;
    private final long myId;
    private final long linkBase;
    private long linkCounter;

    // Durable facts (mirrors of what the driver persisted) and the log's shape.
    private long acceptedEpoch;
    private long currentEpoch;
    /** False when the file was missing at start (the epoch was taken from the log): write it when synced. */
    private boolean currentEpochOnDisk;
    private final History history;
    private long lastLogged;
    private long lastDurable;
    private long snapshotZxid;
    /** The highest zxid known committed; 0 when unknown (after a restart). */
    private long committed;
    /** The state machine holds everything up to here (start-up replay included). */
    private long lastDelivered;

    private ServerState state = ServerState.LOOKING;
    private long leaderId = -1;
    private boolean serving;
    private int tick;
    private List<Action> out;

    // Election.
    private long round;
    private long voteLeader;
    private long voteZxid;
    private long voteEpoch;
    private final Map<Long, Msg.Vote> votes = new TreeMap<>();
    private int finalizeAt = -1;
    private int lastVoteSentTick;

    // Learner.
    private LearnerPhase learnerPhase;
    private long link;
    private long sendSeq;
    private long recvSeq;
    private int lastHeardTick;
    private long pendingNewLeader = -1;
    private long lastAckSent;

    // Leader.
    private LeaderPhase leaderPhase;
    private int phaseStartTick;
    private long newEpoch;
    /** The end of the leader's initial history: committed when the leader is established. */
    private long newLeaderZxid;
    private final Map<Long, Learner> learners = new TreeMap<>();
    /** Every link ever registered here; a learner names a new one each time it joins. */
    private final RecentSet<LinkId> seenLinks = new RecentSet<>(100_000);

    /** A link as a learner names it: unique for that learner only. */
    private record LinkId(long learner, long link) {
    }
    private final List<PendingReply> replies = new ArrayList<>();
    private boolean snapshotRequested;
    private int snapshotRequestedTick;

    /**
     * A core for a server that recovered this from its disk.
     *
     * @param incarnation   a number that differs at every start of this server (names its links)
     * @param acceptedEpoch the acceptedEpoch file (-1: missing)
     * @param currentEpoch  the currentEpoch file (-1: missing)
     * @param snapshotZxid  the zxid of the newest snapshot on disk (0: none)
     * @param lastZxid      the last zxid of the log (or of the snapshot when the log is empty); 0 when empty
     * @param recentLog     the last entries of the log, oldest first, ending at {@code lastZxid} (at most
     *                      {@code commitLogCount}; may be empty): what the server can send a learner by DIFF
     */
    public ZabCore(ZabConfig config, long incarnation, long acceptedEpoch, long currentEpoch, long snapshotZxid,
                   long lastZxid, List<Entry> recentLog) {
        this.config = config;
        this.quorum = Quorum.Majority.of(config.voters());
        this.myId = config.myId();
        this.linkBase = incarnation << 20;
        long logEpoch = Zxid.epoch(lastZxid);
        this.currentEpoch = currentEpoch >= 0 ? currentEpoch : logEpoch;
        this.currentEpochOnDisk = currentEpoch >= 0;
        this.acceptedEpoch = Math.max(acceptedEpoch >= 0 ? acceptedEpoch : logEpoch, this.currentEpoch);
        if (!recentLog.isEmpty() && recentLog.get(recentLog.size() - 1).zxid() != lastZxid) {
            throw new IllegalArgumentException("the recent log does not end at the last zxid " + Zxid.hex(lastZxid));
        }
        // Within an epoch counters are consecutive, so the entry before the first one held is
        // known by position (a counter of 0 names no entry; History never treats it as one).
        this.history = new History(recentLog.isEmpty() ? lastZxid : recentLog.get(0).zxid() - 1, recentLog);
        this.lastLogged = lastZxid;
        this.lastDurable = lastZxid;
        this.snapshotZxid = snapshotZxid;
        this.lastDelivered = lastZxid;
    }

    // ------------------------------------------------------------------ views (for operators)

    public ServerState state() {
        return state;
    }

    /** The leader followed or led, or -1 while looking. */
    public long leader() {
        return leaderId;
    }

    public boolean serving() {
        return serving;
    }

    public long currentEpoch() {
        return currentEpoch;
    }

    public long acceptedEpoch() {
        return acceptedEpoch;
    }

    public long lastLogged() {
        return lastLogged;
    }

    public long committed() {
        return committed;
    }

    /** On a leader: learners attached, and of them the followers (voters) that are synced. */
    public int learnerCount() {
        return state == ServerState.LEADING ? learners.size() : 0;
    }

    public int syncedFollowers() {
        int n = 0;
        if (state == ServerState.LEADING) {
            for (Learner l : learners.values()) {
                n += !l.observer && l.ackedNewLeader ? 1 : 0;
            }
        }
        return n;
    }

    public int syncedObservers() {
        int n = 0;
        if (state == ServerState.LEADING) {
            for (Learner l : learners.values()) {
                n += l.observer && l.ackedNewLeader ? 1 : 0;
            }
        }
        return n;
    }

    /** On a leader: learners being synchronized. */
    public int pendingSyncs() {
        int n = 0;
        if (state == ServerState.LEADING) {
            for (Learner l : learners.values()) {
                n += l.ackedNewLeader ? 0 : 1;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ entry points

    /** The first actions: the server starts looking for a leader. */
    public List<Action> start() {
        out = new ArrayList<>();
        enterLooking();
        return finish();
    }

    /** Handles one input and returns what to do, in order (see {@link Action}). */
    public List<Action> step(Input input) {
        out = new ArrayList<>();
        if (input instanceof Input.Tick) {
            onTick();
        } else if (input instanceof Input.Receive r) {
            onReceive(r.from(), r.msg());
        } else if (input instanceof Input.Persisted p) {
            onPersisted(p.zxid());
        } else if (input instanceof Input.Propose p) {
            onPropose(p.entry());
        } else if (input instanceof Input.PeerDown d) {
            onPeerDown(d.peer());
        } else if (input instanceof Input.SendRequest r) {
            if (state != ServerState.LEADING && serving) {
                sendToLeader(new Msg.Request(r.payload()));
            }
        } else if (input instanceof Input.SendReply r) {
            onSendReply(r.to(), r.link(), r.payload());
        } else if (input instanceof Input.SnapshotTaken s) {
            onSnapshotTaken(s.zxid(), s.data());
        } else {
            throw new IllegalArgumentException("unknown input " + input);
        }
        return finish();
    }

    private List<Action> finish() {
        List<Action> result = out;
        out = null;
        assert acceptedEpoch >= currentEpoch : "acceptedEpoch " + acceptedEpoch + " < currentEpoch " + currentEpoch;
        assert lastDurable <= lastLogged && lastDelivered <= lastLogged : "durable/delivered beyond the log";
        return result;
    }

    // ------------------------------------------------------------------ time

    private void onTick() {
        tick++;
        switch (state) {
            case LOOKING -> {
                if (finalizeAt >= 0 && tick >= finalizeAt) {
                    decide();
                } else if (tick - lastVoteSentTick >= config.electionRetryTicks()) {
                    broadcastVote();
                }
            }
            case FOLLOWING, OBSERVING -> {
                int limit = serving ? config.syncLimitTicks() : config.initLimitTicks();
                if (tick - lastHeardTick > limit) {
                    lookAgain();
                } else if (learnerPhase == LearnerPhase.CONNECTING
                        && (tick - lastHeardTick) % config.electionRetryTicks() == 0) {
                    // The leader may still have been looking when the first one came (it drops link
                    // messages then): repeat it, on the same link, until the leader answers.
                    out.add(new Action.Send(leaderId, new Msg.Link(link, 1, followerInfo())));
                }
            }
            case LEADING -> leaderTick();
        }
    }

    private void leaderTick() {
        if (leaderPhase != LeaderPhase.BROADCAST && tick - phaseStartTick > config.initLimitTicks()) {
            lookAgain();
            return;
        }
        if (snapshotRequested && tick - snapshotRequestedTick > config.initLimitTicks()) {
            // The application never answered (its snapshot failed): ask again.
            snapshotRequestedTick = tick;
            out.add(new Action.TakeSnapshot());
        }
        boolean ping = tick % config.pingTicks() == 0;
        for (Learner l : List.copyOf(learners.values())) {
            int limit = l.ackedNewLeader ? config.syncLimitTicks() : config.initLimitTicks();
            if (tick - l.lastHeardTick > limit) {
                learners.remove(l.id);
            } else if (ping) {
                sendLink(l, new Msg.Ping());
            }
        }
        if (leaderPhase == LeaderPhase.BROADCAST && !quorumAlive()) {
            lookAgain();
        }
    }

    private boolean quorumAlive() {
        Set<Long> alive = new HashSet<>();
        alive.add(myId);
        for (Learner l : learners.values()) {
            if (!l.observer && l.ackedNewLeader) {
                alive.add(l.id);
            }
        }
        return quorum.isQuorum(alive);
    }

    private void onPeerDown(long peer) {
        if ((state == ServerState.FOLLOWING || state == ServerState.OBSERVING) && peer == leaderId) {
            lookAgain();
        } else if (state == ServerState.LEADING && learners.remove(peer) != null
                && leaderPhase == LeaderPhase.BROADCAST && !quorumAlive()) {
            lookAgain();
        }
    }

    // ------------------------------------------------------------------ election

    private void enterLooking() {
        state = ServerState.LOOKING;
        leaderId = -1;
        serving = false;
        learners.clear();
        replies.clear();
        snapshotRequested = false;
        pendingNewLeader = -1;
        learnerPhase = null;
        leaderPhase = null;
        round++;
        votes.clear();
        finalizeAt = -1;
        voteForSelf();
        out.add(new Action.RoleChanged(ServerState.LOOKING, -1, currentEpoch, false));
        broadcastVote();
    }

    private void lookAgain() {
        enterLooking();
    }

    private void voteForSelf() {
        if (config.isObserver()) {
            voteLeader = -1;
            voteZxid = -1;
            voteEpoch = -1;
        } else {
            voteLeader = myId;
            voteZxid = lastLogged;
            voteEpoch = currentEpoch;
        }
    }

    private Msg.Vote myVote() {
        if (state == ServerState.LOOKING) {
            return new Msg.Vote(voteLeader, voteZxid, voteEpoch, round, ServerState.LOOKING);
        }
        return new Msg.Vote(leaderId, lastLogged, currentEpoch, round, state);
    }

    private void broadcastVote() {
        lastVoteSentTick = tick;
        Msg.Vote v = myVote();
        for (long peer : quorum.voters()) {
            if (peer != myId) {
                out.add(new Action.Send(peer, v));
            }
        }
    }

    private static boolean better(long leaderA, long zxidA, long epochA, long leaderB, long zxidB, long epochB) {
        if (epochA != epochB) {
            return epochA > epochB;
        }
        if (zxidA != zxidB) {
            return zxidA > zxidB;
        }
        return leaderA > leaderB;
    }

    private void onVote(long from, Msg.Vote v) {
        boolean fromVoter = quorum.isVoter(from);
        if (!fromVoter && !config.observers().contains(from)) {
            return;
        }
        if (state != ServerState.LOOKING) {
            if (state != ServerState.LEADING && !serving && from == leaderId && v.leader() != from) {
                // The server this one decided to follow now backs another (it saw a better vote
                // after we decided): it will never lead us. Looking again now beats waiting
                // initLimit for a leader that does not come.
                lookAgain();
                onVote(from, v);
                return;
            }
            if (v.state() == ServerState.LOOKING) {
                // Tell a looking peer who leads, so it can join.
                out.add(new Action.Send(from, myVote()));
            }
            return;
        }
        if (v.state() == ServerState.LEADING && v.leader() == from && fromVoter) {
            // An established (or establishing) leader: join it. Discovery decides whether it can lead.
            join(from);
            return;
        }
        if (v.state() != ServerState.LOOKING || !fromVoter) {
            if (!fromVoter && !config.isObserver() && v.state() == ServerState.LOOKING) {
                // A looking observer asks who leads; an observer that is not looking answers
                // looking votes itself, and answering it back would never end.
                out.add(new Action.Send(from, myVote()));
            }
            return;
        }
        if (config.isObserver()) {
            return;
        }
        if (!quorum.isVoter(v.leader())) {
            // No voter backs a server that cannot lead: the vote is forged or from another ensemble,
            // and adopting it would have every server wait for a leader that never comes.
            return;
        }
        if (v.round() > round) {
            round = v.round();
            votes.clear();
            voteForSelf();
            if (better(v.leader(), v.zxid(), v.peerEpoch(), voteLeader, voteZxid, voteEpoch)) {
                setVote(v);
            }
            broadcastVote();
        } else if (v.round() < round) {
            out.add(new Action.Send(from, myVote()));
            return;
        } else if (better(v.leader(), v.zxid(), v.peerEpoch(), voteLeader, voteZxid, voteEpoch)) {
            setVote(v);
            broadcastVote();
        }
        votes.put(from, v);
        checkAgreement();
    }

    private void setVote(Msg.Vote v) {
        voteLeader = v.leader();
        voteZxid = v.zxid();
        voteEpoch = v.peerEpoch();
        finalizeAt = -1;
    }

    private void checkAgreement() {
        Set<Long> agree = new HashSet<>();
        agree.add(myId);
        for (Map.Entry<Long, Msg.Vote> e : votes.entrySet()) {
            Msg.Vote v = e.getValue();
            if (v.leader() == voteLeader && v.zxid() == voteZxid && v.peerEpoch() == voteEpoch) {
                agree.add(e.getKey());
            }
        }
        if (!quorum.isQuorum(agree)) {
            finalizeAt = -1;
        } else if (finalizeAt < 0) {
            finalizeAt = tick + config.finalizeTicks();
            if (config.finalizeTicks() == 0) {
                decide();
            }
        }
    }

    private void decide() {
        finalizeAt = -1;
        if (voteLeader == myId) {
            becomeLeader();
        } else {
            join(voteLeader);
        }
    }

    // ------------------------------------------------------------------ learner

    private void join(long leader) {
        state = config.isObserver() ? ServerState.OBSERVING : ServerState.FOLLOWING;
        leaderId = leader;
        serving = false;
        learnerPhase = LearnerPhase.CONNECTING;
        link = linkBase + (++linkCounter);
        sendSeq = 0;
        recvSeq = 0;
        lastHeardTick = tick;
        pendingNewLeader = -1;
        lastAckSent = 0;
        out.add(new Action.RoleChanged(state, leader, currentEpoch, false));
        sendToLeader(followerInfo());
    }

    private Msg.FollowerInfo followerInfo() {
        return new Msg.FollowerInfo(acceptedEpoch, currentEpoch, lastLogged, config.isObserver());
    }

    private void sendToLeader(Msg.Body body) {
        out.add(new Action.Send(leaderId, new Msg.Link(link, ++sendSeq, body)));
    }

    private void onLearnerMessage(long from, Msg.Link m) {
        if (from != leaderId || m.link() != link) {
            return;
        }
        if (m.seq() <= recvSeq) {
            return;
        }
        if (m.seq() != recvSeq + 1) {
            // A message was lost: the stream can no longer be trusted.
            lookAgain();
            return;
        }
        recvSeq = m.seq();
        lastHeardTick = tick;
        Msg.Body b = m.body();
        if (b instanceof Msg.Ping) {
            sendToLeader(new Msg.Ping());
        } else if (b instanceof Msg.LeaderInfo li) {
            onLeaderInfo(li.epoch());
        } else if (b instanceof Msg.Diff d) {
            if (learnerPhase != LearnerPhase.AWAITING_SYNC || d.fromZxid() != lastLogged) {
                lookAgain();
                return;
            }
            learnerPhase = LearnerPhase.SYNCING;
        } else if (b instanceof Msg.Trunc t) {
            onTrunc(t.zxid());
        } else if (b instanceof Msg.Snap s) {
            onSnap(s.zxid(), s.data());
        } else if (b instanceof Msg.Propose p) {
            if (state != ServerState.FOLLOWING || learnerPhase == LearnerPhase.CONNECTING
                    || learnerPhase == LearnerPhase.AWAITING_SYNC) {
                lookAgain();
                return;
            }
            appendLearner(p.entry());
        } else if (b instanceof Msg.Inform i) {
            if (state != ServerState.OBSERVING || learnerPhase == LearnerPhase.CONNECTING
                    || learnerPhase == LearnerPhase.AWAITING_SYNC) {
                lookAgain();
                return;
            }
            appendLearner(i.entry());
            learnerCommit(i.entry().zxid());
        } else if (b instanceof Msg.Commit c) {
            learnerCommit(c.zxid());
        } else if (b instanceof Msg.NewLeader nl) {
            if (learnerPhase != LearnerPhase.SYNCING || nl.epoch() != acceptedEpoch) {
                lookAgain();
                return;
            }
            pendingNewLeader = nl.epoch();
            maybeAckNewLeader();
        } else if (b instanceof Msg.UpToDate) {
            if (learnerPhase != LearnerPhase.SYNCED) {
                lookAgain();
                return;
            }
            serving = true;
            out.add(new Action.RoleChanged(state, leaderId, currentEpoch, true));
        } else if (b instanceof Msg.Reply r) {
            out.add(new Action.ReplyReceived(r.payload()));
        }
    }

    private void onLeaderInfo(long epoch) {
        if (learnerPhase != LearnerPhase.CONNECTING || epoch < acceptedEpoch) {
            // A leader with an older epoch than one this server already accepted cannot be followed.
            lookAgain();
            return;
        }
        if (epoch > acceptedEpoch) {
            acceptedEpoch = epoch;
            out.add(new Action.PersistEpochs(epoch, -1));
        }
        learnerPhase = LearnerPhase.AWAITING_SYNC;
        sendToLeader(new Msg.AckEpoch(currentEpoch, lastLogged, snapshotZxid));
    }

    private void onTrunc(long zxid) {
        if (learnerPhase != LearnerPhase.AWAITING_SYNC || zxid > lastLogged || zxid < snapshotZxid) {
            lookAgain();
            return;
        }
        out.add(new Action.TruncateLog(zxid));
        if (zxid >= history.start()) {
            history.truncateAfter(zxid);
        } else {
            history.reset(zxid);
        }
        lastLogged = zxid;
        // The driver makes what remains of the log durable before it returns from the truncation.
        lastDurable = zxid;
        lastDelivered = Math.min(lastDelivered, zxid);
        committed = Math.min(committed, zxid);
        lastAckSent = Math.min(lastAckSent, zxid);
        learnerPhase = LearnerPhase.SYNCING;
    }

    private void onSnap(long zxid, byte[] data) {
        if (learnerPhase != LearnerPhase.AWAITING_SYNC) {
            lookAgain();
            return;
        }
        out.add(new Action.InstallSnapshot(zxid, data));
        history.reset(zxid);
        lastLogged = zxid;
        lastDurable = zxid;
        lastDelivered = zxid;
        committed = zxid;
        snapshotZxid = zxid;
        lastAckSent = 0;
        learnerPhase = LearnerPhase.SYNCING;
    }

    private void appendLearner(Entry e) {
        if (e.zxid() <= lastLogged) {
            lookAgain();
            return;
        }
        history.add(e);
        lastLogged = e.zxid();
        out.add(new Action.Append(e));
    }

    private void learnerCommit(long zxid) {
        committed = Math.max(committed, zxid);
        deliverUpTo(Math.min(committed, lastLogged));
    }

    private void maybeAckNewLeader() {
        if (pendingNewLeader < 0 || lastDurable < lastLogged) {
            return;
        }
        if (pendingNewLeader > currentEpoch || !currentEpochOnDisk) {
            // Adopting the epoch only once the leader's history is durable here: a server claiming
            // the new epoch must hold everything the leader sent before NEWLEADER.
            currentEpoch = pendingNewLeader;
            currentEpochOnDisk = true;
            out.add(new Action.PersistEpochs(-1, currentEpoch));
        }
        sendToLeader(new Msg.AckNewLeader(pendingNewLeader));
        pendingNewLeader = -1;
        learnerPhase = LearnerPhase.SYNCED;
        lastAckSent = lastDurable;
    }

    // ------------------------------------------------------------------ durability

    private void onPersisted(long zxid) {
        long z = Math.min(zxid, lastLogged);
        if (z <= lastDurable) {
            return;
        }
        lastDurable = z;
        if (state == ServerState.LEADING) {
            if (leaderPhase == LeaderPhase.SYNC) {
                maybeEstablish();
            } else if (leaderPhase == LeaderPhase.BROADCAST) {
                tryCommit();
            }
        } else if (state == ServerState.FOLLOWING || state == ServerState.OBSERVING) {
            maybeAckNewLeader();
            if (state == ServerState.FOLLOWING && learnerPhase == LearnerPhase.SYNCED && lastDurable > lastAckSent) {
                lastAckSent = lastDurable;
                sendToLeader(new Msg.Ack(lastDurable));
            }
        }
    }

    private void deliverUpTo(long zxid) {
        if (zxid <= lastDelivered) {
            return;
        }
        List<Entry> entries = history.range(lastDelivered, zxid);
        if (entries.isEmpty() || entries.get(entries.size() - 1).zxid() != zxid) {
            throw new IllegalStateException("cannot deliver up to " + Zxid.hex(zxid) + ": history holds "
                    + entries.size() + " entries after " + Zxid.hex(lastDelivered));
        }
        lastDelivered = zxid;
        out.add(new Action.Deliver(entries));
        history.trim(Math.min(committed, lastDelivered), config.commitLogCount());
    }

    // ------------------------------------------------------------------ leader

    private void becomeLeader() {
        state = ServerState.LEADING;
        leaderId = myId;
        serving = false;
        leaderPhase = LeaderPhase.DISCOVERY;
        phaseStartTick = tick;
        learners.clear();
        replies.clear();
        snapshotRequested = false;
        out.add(new Action.RoleChanged(ServerState.LEADING, myId, currentEpoch, false));
        maybeProposeEpoch();
    }

    private void sendLink(Learner l, Msg.Body body) {
        out.add(new Action.Send(l.id, new Msg.Link(l.link, ++l.sendSeq, body)));
    }

    private void onLeaderMessage(long from, Msg.Link m) {
        if (m.body() instanceof Msg.FollowerInfo fi) {
            if (m.seq() != 1) {
                return;
            }
            if (!seenLinks.add(new LinkId(from, m.link()))) {
                // A link this server registered before (perhaps in an earlier term as leader): what
                // comes on it is old, and would answer questions this term never asked.
                return;
            }
            boolean observer = config.observers().contains(from);
            if (fi.observer() != observer) {
                return;
            }
            if (leaderPhase != LeaderPhase.DISCOVERY && fi.acceptedEpoch() > newEpoch) {
                // It promised a newer epoch (to a leader that never got established) and would refuse
                // this one forever: a new election gives everyone an epoch above it.
                lookAgain();
                return;
            }
            Learner l = new Learner(from, m.link(), observer, fi.acceptedEpoch(), tick);
            learners.put(from, l);
            if (leaderPhase == LeaderPhase.DISCOVERY) {
                maybeProposeEpoch();
            } else {
                sendLink(l, new Msg.LeaderInfo(newEpoch));
            }
            return;
        }
        Learner l = learners.get(from);
        if (l == null || l.link != m.link() || m.seq() <= l.recvSeq) {
            return;
        }
        if (m.seq() != l.recvSeq + 1) {
            learners.remove(from);
            return;
        }
        l.recvSeq = m.seq();
        l.lastHeardTick = tick;
        Msg.Body b = m.body();
        if (b instanceof Msg.AckEpoch ae) {
            onAckEpoch(l, ae);
        } else if (b instanceof Msg.AckNewLeader anl) {
            onAckNewLeader(l, anl.epoch());
        } else if (b instanceof Msg.Ack a) {
            if (l.synced && !l.observer && a.zxid() > l.ackedZxid && a.zxid() <= lastLogged) {
                l.ackedZxid = a.zxid();
                if (leaderPhase == LeaderPhase.BROADCAST) {
                    tryCommit();
                }
            }
        } else if (b instanceof Msg.Request r) {
            if (leaderPhase == LeaderPhase.BROADCAST && l.ackedNewLeader) {
                out.add(new Action.RequestReceived(from, l.link, r.payload()));
            }
        }
    }

    private void maybeProposeEpoch() {
        if (leaderPhase != LeaderPhase.DISCOVERY) {
            return;
        }
        Set<Long> voters = new HashSet<>();
        voters.add(myId);
        long max = acceptedEpoch;
        for (Learner l : learners.values()) {
            if (!l.observer) {
                voters.add(l.id);
            }
            max = Math.max(max, l.acceptedEpoch);
        }
        if (!quorum.isQuorum(voters)) {
            return;
        }
        // The transport refuses epochs past Zxid.MAX_EPOCH, so the next one still fits.
        assert max <= Zxid.MAX_EPOCH : "accepted epoch " + max + " leaves no room for the next";
        newEpoch = max + 1;
        acceptedEpoch = newEpoch;
        out.add(new Action.PersistEpochs(newEpoch, -1));
        leaderPhase = LeaderPhase.EPOCH;
        for (Learner l : learners.values()) {
            sendLink(l, new Msg.LeaderInfo(newEpoch));
        }
        maybeStartSync();
    }

    private void onAckEpoch(Learner l, Msg.AckEpoch ae) {
        if (l.ackedEpoch || leaderPhase == LeaderPhase.DISCOVERY) {
            return;
        }
        if (leaderPhase == LeaderPhase.EPOCH && !l.observer && (ae.currentEpoch() > currentEpoch
                || (ae.currentEpoch() == currentEpoch && ae.lastZxid() > lastLogged))) {
            // A voter of the quorum has a more recent history than this leader: someone else must
            // lead. (Once a quorum has been compared, later learners are simply synced to this one.)
            lookAgain();
            return;
        }
        l.ackedEpoch = true;
        l.ackLastZxid = ae.lastZxid();
        l.ackSnapshotZxid = ae.snapshotZxid();
        if (leaderPhase == LeaderPhase.EPOCH) {
            maybeStartSync();
        } else if (leaderPhase == LeaderPhase.BROADCAST || !l.observer) {
            startSync(l);
        }
    }

    private void maybeStartSync() {
        if (leaderPhase != LeaderPhase.EPOCH) {
            return;
        }
        // Only a voter that accepted this epoch afresh counts: each server accepts an epoch afresh at
        // most once (acceptedEpoch only grows), so no two would-be leaders both gather a quorum for the
        // same epoch. A voter that already held it (from a leader that failed, or from this one before a
        // restart) may still be synced, but later.
        Set<Long> acked = new HashSet<>();
        acked.add(myId);
        for (Learner l : learners.values()) {
            if (!l.observer && l.ackedEpoch && l.acceptedEpoch < newEpoch) {
                acked.add(l.id);
            }
        }
        if (!quorum.isQuorum(acked)) {
            return;
        }
        currentEpoch = newEpoch;
        currentEpochOnDisk = true;
        out.add(new Action.PersistEpochs(-1, newEpoch));
        leaderPhase = LeaderPhase.SYNC;
        newLeaderZxid = lastLogged;
        for (Learner l : List.copyOf(learners.values())) {
            if (l.ackedEpoch && !l.observer) {
                startSync(l);
            }
        }
        maybeEstablish();
    }

    /** Sends a learner what it lacks (DIFF, TRUNC or SNAP), then NEWLEADER. */
    private void startSync(Learner l) {
        long fz = l.ackLastZxid;
        long target = l.observer ? committed : lastLogged;
        long from;
        if (fz == target) {
            sendLink(l, new Msg.Diff(fz));
            from = fz;
        } else {
            long common = commonPoint(fz);
            // A snapshot replaces the learner's log: it must hold everything of it that may be
            // committed (all up to the common point, or all of it when that point is unknown), or an
            // interrupted sync would leave committed txns on fewer servers than acknowledged them.
            l.snapshotMustCover = common >= 0 ? common : fz;
            if (common < 0 || common < history.start() || common < l.ackSnapshotZxid || common > target) {
                requestSnapshot(l);
                return;
            }
            if (common < fz) {
                sendLink(l, new Msg.Trunc(common));
            } else {
                sendLink(l, new Msg.Diff(fz));
            }
            from = common;
        }
        streamAfter(l, from);
    }

    /**
     * The last zxid the learner (whose log ends at {@code fz}) shares with this leader, or -1 when the
     * history held here cannot tell. Within an epoch both logs are prefixes of what that epoch's
     * leader proposed. If this leader holds nothing of the learner's last epoch E, none of the
     * learner's E txns was committed, and what precedes them is the initial history of E, which was
     * committed and ends at this leader's last zxid before epoch E.
     */
    private long commonPoint(long fz) {
        if (fz == 0) {
            return 0;
        }
        long epoch = Zxid.epoch(fz);
        long inEpoch = history.lastInEpoch(epoch);
        if (inEpoch >= 0) {
            return Math.min(fz, inEpoch);
        }
        long before = history.lastBefore(Zxid.make(epoch, 0));
        return before >= history.start() ? before : -1;
    }

    private void requestSnapshot(Learner l) {
        l.awaitingSnapshot = true;
        if (!snapshotRequested) {
            snapshotRequested = true;
            snapshotRequestedTick = tick;
            out.add(new Action.TakeSnapshot());
        }
    }

    private void onSnapshotTaken(long zxid, byte[] data) {
        // The snapshot is on this server's disk, whatever became of the request: no truncating below it.
        snapshotZxid = Math.max(snapshotZxid, zxid);
        if (state != ServerState.LEADING || !snapshotRequested) {
            return;
        }
        snapshotRequested = false;
        for (Learner l : List.copyOf(learners.values())) {
            if (!l.awaitingSnapshot) {
                continue;
            }
            if (zxid < history.start() || zxid > lastDelivered || (l.observer && zxid > committed)) {
                // The history moved on while the snapshot was taken: take another.
                requestSnapshot(l);
                continue;
            }
            if (zxid < l.snapshotMustCover) {
                // This state does not yet reach all the learner may hold committed; it retries later.
                learners.remove(l.id);
                continue;
            }
            l.awaitingSnapshot = false;
            sendLink(l, new Msg.Snap(zxid, data));
            streamAfter(l, zxid);
        }
    }

    private void streamAfter(Learner l, long from) {
        l.syncTarget = l.observer ? Math.max(from, committed) : lastLogged;
        if (l.observer) {
            for (Entry e : history.range(from, committed)) {
                sendLink(l, new Msg.Inform(e.withoutLocal()));
            }
        } else {
            for (Entry e : history.range(from, lastLogged)) {
                sendLink(l, new Msg.Propose(e.withoutLocal()));
            }
            if (leaderPhase == LeaderPhase.BROADCAST && committed > 0) {
                // Even when the learner logged all of it before: it may not have heard the commits.
                sendLink(l, new Msg.Commit(committed));
            }
        }
        l.synced = true;
        sendLink(l, new Msg.NewLeader(newEpoch));
    }

    private void onAckNewLeader(Learner l, long epoch) {
        if (!l.synced || l.ackedNewLeader || epoch != newEpoch) {
            return;
        }
        l.ackedNewLeader = true;
        if (!l.observer) {
            l.ackedZxid = Math.max(l.ackedZxid, l.syncTarget);
        }
        if (leaderPhase == LeaderPhase.SYNC) {
            maybeEstablish();
        } else if (leaderPhase == LeaderPhase.BROADCAST) {
            sendLink(l, new Msg.UpToDate());
            // Its acknowledgement may complete a quorum for proposals waiting on it.
            tryCommit();
        }
    }

    private void maybeEstablish() {
        if (leaderPhase != LeaderPhase.SYNC) {
            return;
        }
        Set<Long> acked = new HashSet<>();
        if (lastDurable >= newLeaderZxid) {
            acked.add(myId);
        }
        for (Learner l : learners.values()) {
            if (!l.observer && l.ackedNewLeader) {
                acked.add(l.id);
            }
        }
        if (!quorum.isQuorum(acked)) {
            return;
        }
        leaderPhase = LeaderPhase.BROADCAST;
        committed = newLeaderZxid;
        deliverUpTo(newLeaderZxid);
        for (Learner l : learners.values()) {
            if (l.synced && !l.observer) {
                if (newLeaderZxid > 0) {
                    sendLink(l, new Msg.Commit(newLeaderZxid));
                }
                if (l.ackedNewLeader) {
                    sendLink(l, new Msg.UpToDate());
                }
            }
        }
        for (Learner l : List.copyOf(learners.values())) {
            if (l.observer && l.ackedEpoch && !l.synced && !l.awaitingSnapshot) {
                startSync(l);
            }
        }
        serving = true;
        out.add(new Action.RoleChanged(ServerState.LEADING, myId, newEpoch, true));
    }

    private void onPropose(Entry e) {
        if (state != ServerState.LEADING || leaderPhase != LeaderPhase.BROADCAST || Zxid.epoch(e.zxid()) != newEpoch) {
            // Leadership was lost (perhaps regained since, in a new epoch): the application learns it
            // from the RoleChanged it was given; a proposal of another epoch is stale.
            return;
        }
        long expected = Zxid.epoch(lastLogged) == newEpoch ? lastLogged + 1 : Zxid.make(newEpoch, 1);
        if (e.zxid() != expected) {
            throw new IllegalStateException("proposal " + Zxid.hex(e.zxid()) + " is not the next zxid "
                    + Zxid.hex(expected));
        }
        history.add(e);
        lastLogged = e.zxid();
        out.add(new Action.Append(e));
        Msg.Propose p = null;
        for (Learner l : learners.values()) {
            if (l.synced && !l.observer) {
                if (p == null) {
                    p = new Msg.Propose(e.withoutLocal());
                }
                sendLink(l, p);
            }
        }
        if (Zxid.counter(e.zxid()) == 0xFFFF_FFFFL) {
            // The counter is exhausted: a new epoch is needed, which only an election gives.
            lookAgain();
        }
    }

    private void tryCommit() {
        Map<Long, Long> durable = new HashMap<>();
        durable.put(myId, lastDurable);
        for (Learner l : learners.values()) {
            if (!l.observer && l.synced) {
                durable.put(l.id, l.ackedZxid);
            }
        }
        // The leader commits nothing it does not hold durably itself.
        long z = Math.min(quorum.highestAgreed(durable), lastDurable);
        if (z <= committed) {
            return;
        }
        List<Entry> informed = null;
        for (Learner l : learners.values()) {
            if (l.synced && l.observer) {
                // Taken before delivery, which may trim these entries from the history.
                informed = history.range(committed, z);
                break;
            }
        }
        committed = z;
        // COMMIT leaves before this server applies: a client answered here that then reads through
        // another member should find the write there as often as possible (Apache's order too).
        Msg.Commit c = new Msg.Commit(z);
        for (Learner l : learners.values()) {
            if (!l.synced) {
                continue;
            }
            if (l.observer) {
                for (Entry e : informed) {
                    sendLink(l, new Msg.Inform(e.withoutLocal()));
                }
            } else {
                sendLink(l, c);
            }
        }
        deliverUpTo(z);
        flushReplies();
    }

    private void onSendReply(long to, long toLink, byte[] payload) {
        Learner l = learners.get(to);
        if (state != ServerState.LEADING || leaderPhase != LeaderPhase.BROADCAST || l == null || l.link != toLink) {
            // The learner asked through a link that is gone: it failed its clients' requests then.
            return;
        }
        replies.add(new PendingReply(lastLogged, to, toLink, payload));
        flushReplies();
    }

    private void flushReplies() {
        int done = 0;
        while (done < replies.size() && replies.get(done).afterZxid() <= committed) {
            PendingReply r = replies.get(done++);
            Learner l = learners.get(r.to());
            if (l != null && l.link == r.link() && l.ackedNewLeader) {
                sendLink(l, new Msg.Reply(r.payload()));
            }
        }
        replies.subList(0, done).clear();
    }

    // ------------------------------------------------------------------ dispatch

    private void onReceive(long from, Msg msg) {
        if (from == myId) {
            return;
        }
        if (msg instanceof Msg.Vote v) {
            onVote(from, v);
        } else if (msg instanceof Msg.Link m) {
            if (state == ServerState.LEADING) {
                onLeaderMessage(from, m);
            } else if (state == ServerState.FOLLOWING || state == ServerState.OBSERVING) {
                onLearnerMessage(from, m);
            }
        }
    }
}
