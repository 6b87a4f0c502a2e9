package io.paddock.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.ACL;
import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.GetDataRequest;
import io.paddock.protocol.Id;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Perms;
import io.paddock.protocol.Record;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.SetDataRequest;
import io.paddock.protocol.SyncRequest;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.replication.Proposal;
import io.paddock.server.replication.ReplicationStatus;
import io.paddock.server.replication.Replicator;
import io.paddock.server.session.LocalSession;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.txn.Txn;
import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.Zxid;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@link CoreStep} driven directly, one event at a time, with no thread, socket or disk: the
 * session rules of an ensemble member at the level of single steps. The replicator and the
 * connections record what the core asked of them; the test decides what commits and when.
 */
class CoreStepTest {
    private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));
    private static final long EPOCH = 1;

    private final ManualClock clock = new ManualClock();
    private final ManualReplicator replicator = new ManualReplicator();
    /** Replaced by a test of read-only mode, before its first event. */
    private CoreStep step = newStep(false);

    private CoreStep newStep(boolean readOnlyMode) {
        return newStep(readOnlyMode, new Properties());
    }

    private CoreStep newStep(boolean readOnlyMode, Properties extra) {
        return new CoreStep(config(readOnlyMode, extra), 1, clock, new java.util.Random(1), new StateMachine(false), 0,
                replicator, null, new ServerStats());
    }

    private static ServerConfig config(boolean readOnlyMode, Properties extra) {
        Properties p = new Properties();
        p.putAll(extra);
        p.setProperty("readonlymode.enabled", Boolean.toString(readOnlyMode));
        p.setProperty("tickTime", "200");
        p.setProperty("initLimit", "10");
        p.setProperty("syncLimit", "5");
        p.setProperty("dataDir", "/nonexistent/paddock-core-step-test");
        p.setProperty("clientPort", "2181");
        // The step learns that it is an ensemble member from its replicator, not from the config.
        return ServerConfig.parse(p, "CoreStepTest");
    }

    // ---------------------------------------------------------------- the rules

    @Test
    void aMemberThatLostItsQuorumServesReadOnlyClientsAfterTheGracePeriodAndUntilALeaderIsFound() {
        step = newStep(true);
        lead(EPOCH);
        RecordingConnection before = session(4000);
        request(before, 1, OpCode.CREATE, new CreateRequest("/r", new byte[] {7}, OPEN, 0));
        commitAll();
        int proposals = replicator.proposed.size();

        step.handle(new CoreEvent.Role(ServerState.LOOKING, -1, EPOCH, false));
        assertTrue(before.aborted, "losing the quorum drops every client");
        // A short election is no partition: read-only service waits max(2 s, tickTime).
        clock.advance(1999);
        step.handle(new CoreEvent.Tick());
        assertFalse(step.readOnly());
        assertTrue(connectReadOnly(0, new byte[16]).aborted);
        clock.advance(1);
        step.handle(new CoreEvent.Tick());
        assertTrue(step.readOnly());

        assertTrue(connect(0, new byte[16], 4000).aborted, "a client that did not ask for read-only is refused");
        RecordingConnection fresh = connectReadOnly(0, new byte[16]);
        assertTrue(fresh.connected() && fresh.handshake.readOnly());
        assertFalse(step.stateMachine().sessions().all().containsKey(fresh.sessionId), "known to this member only");
        RecordingConnection again = connectReadOnly(before.sessionId, before.password);
        assertTrue(again.connected() && again.handshake.readOnly());
        assertEquals(before.sessionId, again.sessionId, "a session of the ensemble re-attaches read-only");

        request(fresh, 1, OpCode.GET_DATA, new GetDataRequest("/r", false));
        request(fresh, 2, OpCode.SET_DATA, new SetDataRequest("/r", new byte[0], -1));
        request(fresh, 3, OpCode.SYNC, new SyncRequest("/r"));
        assertEquals(List.of(0, ErrorCode.NOT_READ_ONLY.code(), ErrorCode.NOT_READ_ONLY.code()),
                fresh.replies.stream().map(ReplyHeader::err).toList());
        assertEquals(proposals, replicator.proposed.size(), "nothing proposed while read-only");

        // Silent past its timeout, the session made here expires here; the ensemble's is left to a quorum.
        clock.advance(4000);
        step.handle(new CoreEvent.Tick());
        assertTrue(fresh.aborted);
        assertFalse(again.aborted);
        assertTrue(step.sessions().get(before.sessionId) != null);

        // A leader is found: read-only service ends at once, and every read-only client goes.
        step.handle(new CoreEvent.Role(ServerState.FOLLOWING, 2, EPOCH + 1, false));
        assertFalse(step.readOnly());
        assertTrue(again.aborted);
    }

    @Test
    void withoutReadOnlyModeAMemberWithoutQuorumRefusesEveryone() {
        lead(EPOCH);
        step.handle(new CoreEvent.Role(ServerState.LOOKING, -1, EPOCH, false));
        clock.advance(10_000);
        step.handle(new CoreEvent.Tick());
        assertFalse(step.readOnly());
        assertTrue(connectReadOnly(0, new byte[16]).aborted);
    }

    @Test
    void aRefusedWriteIsAnErrorTxnAnsweredAtItsCommitAndNeverByADeposedLeader() {
        lead(EPOCH);
        RecordingConnection a = session(4000);
        RecordingConnection b = session(4000);
        request(a, 1, OpCode.CREATE, new CreateRequest("/r", new byte[0], OPEN, 0));
        commitAll();
        a.replies.clear();

        // A write the leader will never commit, then another session's CAS on the committed version.
        request(a, 2, OpCode.SET_DATA, new SetDataRequest("/r", new byte[] {1}, -1));
        request(b, 1, OpCode.SET_DATA, new SetDataRequest("/r", new byte[] {2}, 0));
        Proposal refusal = replicator.proposed.get(replicator.proposed.size() - 1);
        assertEquals(new Txn.Error(ErrorCode.BAD_VERSION.code()), refusal.txn(), "decided against the pending write");
        assertEquals(List.of(), b.replies, "no answer before the state it was decided on is committed");

        // The leader loses its quorum: nothing it proposed commits, and nobody was told BadVersion.
        step.handle(new CoreEvent.Role(ServerState.LOOKING, -1, EPOCH, false));
        step.flush();
        assertTrue(a.aborted && b.aborted);
        assertEquals(List.of(), b.replies);
    }

    @Test
    void aRefusedWriteKeepsItsPlaceInTheSessionsOrder() {
        lead(EPOCH);
        RecordingConnection a = session(4000);
        request(a, 1, OpCode.CREATE, new CreateRequest("/p", new byte[0], OPEN, 0));
        request(a, 2, OpCode.SET_DATA, new SetDataRequest("/p", new byte[0], 7));
        request(a, 3, OpCode.SET_DATA, new SetDataRequest("/p", new byte[0], -1));
        commitAll();
        assertEquals(List.of(1, 2, 3), a.replies.stream().map(ReplyHeader::xid).toList());
        assertEquals(List.of(0, ErrorCode.BAD_VERSION.code(), 0), a.replies.stream().map(ReplyHeader::err).toList());
        assertFalse(a.aborted || a.closed, "a failed request never costs the connection");
        // The refusal used up a zxid, as Apache's error txn does, and its reply carries it.
        assertEquals(a.replies.get(0).zxid() + 1, a.replies.get(1).zxid());
    }

    @Test
    void aCloseProposedByALeaderThatLostItsRoleIsVoid() {
        lead(EPOCH);
        RecordingConnection a = session(4000);
        long id = a.sessionId;
        byte[] password = a.password;
        step.handle(new CoreEvent.Disconnected(a));
        clock.advance(5000);
        step.handle(new CoreEvent.Tick());
        assertInstanceOf(Txn.CloseSession.class, last().txn(), "the leader proposes to expire the silent session");
        assertTrue(step.sessions().get(id).closing());

        // Paused, deposed, re-elected: the close never committed, so the session lives on.
        step.handle(new CoreEvent.Role(ServerState.LOOKING, -1, EPOCH, false));
        replicator.forget();
        lead(EPOCH + 1);
        assertFalse(step.sessions().get(id).closing());
        RecordingConnection again = connect(id, password, 4000);
        assertTrue(again.connected(), "the session's client may come back");
        request(again, 1, OpCode.CREATE, new CreateRequest("/back", new byte[0], OPEN, 0));
        assertInstanceOf(Txn.Create.class, last().txn(), "its writes are not refused as expired");
    }

    @Test
    void aReattachIsDecidedOnlyOnceTheLeaderHasConfirmedItStillLeads() {
        lead(EPOCH);
        RecordingConnection a = session(4000);
        // The client re-attaches through server 2, which asks the leader.
        step.handle(new CoreEvent.FromLearner(2, 7, LearnerMessages.revalidate(a.sessionId, a.password)));
        step.flush();
        assertInstanceOf(Txn.Barrier.class, last().txn(), "the leader first confirms its term");
        assertEquals(List.of(), replicator.replies, "no word before the barrier commits");
        assertEquals(1, step.sessions().get(a.sessionId).owner(), "nor is the session handed over");
        assertFalse(a.aborted);

        commitAll();
        assertEquals(2, step.sessions().get(a.sessionId).owner());
        assertTrue(a.aborted, "the old connection on the leader goes");
        LearnerMessages.Answer word = LearnerMessages.decodeAnswer(replicator.replies.get(0).payload());
        assertEquals(2, replicator.replies.get(0).to());
        assertEquals(0, word.err());

        // A leader deposed without knowing it never hands the session over.
        RecordingConnection b = session(4000);
        step.handle(new CoreEvent.FromLearner(3, 8, LearnerMessages.revalidate(b.sessionId, b.password)));
        step.handle(new CoreEvent.Role(ServerState.LOOKING, -1, EPOCH, false));
        step.flush();
        assertEquals(1, replicator.replies.size(), "the re-attach is never answered");
    }

    @Test
    void aWriteForwardedByTheServerASessionLeftIsRefusedToThatServerAlone() {
        lead(EPOCH);
        // Server 3's client creates a session: server 3 holds it from its creation.
        long id = 0x300L;
        byte[] password = new byte[16];
        step.handle(new CoreEvent.FromLearner(3, 9, LearnerMessages.request(id, 0, OpCode.CREATE_SESSION, List.of(),
                out -> {
                    out.writeInt(4000);
                    out.writeBuffer(password);
                })));
        commitAll();
        assertEquals(3, step.sessions().get(id).owner());

        // It re-attaches through server 2: server 3 is told before anything of the new handle commits.
        step.handle(new CoreEvent.FromLearner(2, 7, LearnerMessages.revalidate(id, password)));
        commitAll();
        assertEquals(3, replicator.replies.get(0).to());
        assertEquals(LeaderDesk.MOVED_CXID, LearnerMessages.decodeAnswer(replicator.replies.get(0).payload()).cxid());
        assertEquals(2, replicator.replies.get(1).to());

        // A write server 3 forwarded before it heard: refused, to server 3 alone. Server 2 may be
        // waiting for request 1 of the new handle, so no commit may carry this refusal's number.
        byte[] create = LearnerMessages.request(id, 1, OpCode.CREATE, List.of(),
                new CreateRequest("/moved", new byte[0], OPEN, 0));
        step.handle(new CoreEvent.FromLearner(3, 9, create));
        step.flush();
        assertInstanceOf(Txn.Barrier.class, last().txn());
        assertNotEquals(1, last().header().cxid());
        commitAll();
        LearnerMessages.Answer refused = LearnerMessages.decodeAnswer(replicator.replies.get(2).payload());
        assertEquals(3, replicator.replies.get(2).to());
        assertEquals(1, refused.cxid());
        assertEquals(ErrorCode.SESSION_MOVED.code(), refused.err());
        assertEquals(null, step.stateMachine().tree().get("/moved"));
    }

    @Test
    void aLearnerVouchesOnlyForSessionsItsClientsSpokeOn() {
        step.handle(new CoreEvent.Role(ServerState.FOLLOWING, 2, EPOCH, true));
        long quiet = 0x100L;
        long talking = 0x101L;
        for (long id : List.of(quiet, talking)) {
            commit(new Proposal(new io.paddock.server.txn.TxnHeader(id, 0, nextZxid(), clock.wallMs()),
                    new Txn.CreateSession(4000, new byte[16]), null));
        }
        clock.advance(100);
        step.handle(new CoreEvent.Tick());
        replicator.forwarded.clear();
        clock.advance(200);
        step.sessions().get(talking).touch(clock.monotonicMs());
        clock.advance(200);
        step.handle(new CoreEvent.Tick());
        assertEquals(List.of(List.of(talking)),
                replicator.forwarded.stream().map(LearnerMessages::decodeFromLearner).toList());
    }

    @Test
    void aSyncIsABarrierAnsweredAtItsCommitAndNeverByADeposedLeader() {
        lead(EPOCH);
        RecordingConnection a = session(4000);
        request(a, 1, OpCode.SYNC, new SyncRequest("/"));
        assertInstanceOf(Txn.Barrier.class, last().txn());
        assertEquals(List.of(), a.replies, "not before its commit");
        commitAll();
        assertEquals(1, a.replies.size());
        assertEquals(0, a.replies.get(0).err());

        request(a, 2, OpCode.SYNC, new SyncRequest("/"));
        step.handle(new CoreEvent.Role(ServerState.LOOKING, -1, EPOCH, false));
        step.flush();
        assertTrue(a.aborted);
        assertEquals(1, a.replies.size(), "a leader that lost its quorum never answers the sync");
    }

    @Test
    void aLearnerToldASessionMovedAwayClosesItsOldConnectionAndMatchesNoCommitToIt() {
        step.handle(new CoreEvent.Role(ServerState.FOLLOWING, 2, EPOCH, true));
        RecordingConnection old = new RecordingConnection();
        step.handle(new CoreEvent.Connect(old, new ConnectRequest(0, 0, 4000, 0, new byte[16], false, false)));
        // The leader commits the session this learner asked for.
        LearnerMessages.Request create = (LearnerMessages.Request) LearnerMessages.decodeFromLearner(
                replicator.forwarded.get(0));
        commit(new Proposal(new io.paddock.server.txn.TxnHeader(create.sessionId(), 0, nextZxid(), clock.wallMs()),
                new Txn.CreateSession(4000, new byte[16]), null));
        assertTrue(old.connected());
        request(old, 1, OpCode.CREATE, new CreateRequest("/a", new byte[0], OPEN, 0));

        // The client re-attached elsewhere; the leader says so before anything of the new handle commits.
        step.handle(new CoreEvent.FromLeader(LearnerMessages.answer(old.sessionId, LeaderDesk.MOVED_CXID, 0, null)));
        step.flush();
        assertTrue(old.aborted, "the old connection goes");
        // The new handle's first request has the same number as the old one's.
        commit(new Proposal(new io.paddock.server.txn.TxnHeader(old.sessionId, 1, nextZxid(), clock.wallMs()),
                new Txn.Create("/b", new byte[0], OPEN, 0, OpCode.CREATE), null));
        assertEquals(List.of(), old.replies, "a commit of the new handle's is not taken for the old one's request");
    }

    private CoreStep withLocalSessions(boolean upgrading) {
        Properties p = new Properties();
        p.setProperty("localSessionsEnabled", "true");
        p.setProperty("localSessionsUpgradingEnabled", Boolean.toString(upgrading));
        return newStep(false, p);
    }

    @Test
    void aLocalSessionLivesOnItsLearnerAloneAndMayNotOwnAnEphemeral() {
        step = withLocalSessions(false);
        step.handle(new CoreEvent.Role(ServerState.FOLLOWING, 2, EPOCH, true));
        RecordingConnection c = new RecordingConnection();
        step.handle(new CoreEvent.Connect(c, new ConnectRequest(0, 0, 4000, 0, new byte[16], false, false)));
        step.flush();
        assertTrue(c.connected(), "answered at once, without the leader");
        assertEquals(List.of(), replicator.forwarded, "no createSession goes to the leader");
        assertEquals(1, c.sessionId >>> 56, "the id carries this server's");

        request(c, 1, OpCode.CREATE, new CreateRequest("/e", new byte[0], OPEN, 1));
        assertEquals(ErrorCode.EPHEMERAL_ON_LOCAL_SESSION.code(), c.replies.get(0).err());
        request(c, 2, OpCode.SET_DATA, new SetDataRequest("/", new byte[0], -1));
        assertEquals(1, replicator.forwarded.size(), "other writes go to the leader as any session's");

        // Back on the same server, with its password: checked here.
        step.handle(new CoreEvent.Disconnected(c));
        RecordingConnection again = new RecordingConnection();
        step.handle(new CoreEvent.Connect(again, new ConnectRequest(0, 0, 4000, c.sessionId, c.password, false, false)));
        step.flush();
        assertTrue(again.connected());
        assertEquals(c.sessionId, again.sessionId);
        assertEquals(1, replicator.forwarded.size(), "no revalidation asked of the leader");

        // closeSession ends it here; nothing is proposed.
        request(again, 1, OpCode.CLOSE_SESSION, null);
        assertEquals(0, again.replies.get(0).err());
        assertEquals(1, replicator.forwarded.size());
        assertEquals(null, step.sessions().get(c.sessionId));
    }

    @Test
    void aLocalSessionIsUpgradedByItsFirstEphemeralAndExpiresLocallyOtherwise() {
        step = withLocalSessions(true);
        lead(EPOCH);
        RecordingConnection c = new RecordingConnection();
        step.handle(new CoreEvent.Connect(c, new ConnectRequest(0, 0, 4000, 0, new byte[16], false, false)));
        step.flush();
        assertTrue(c.connected());
        assertEquals(List.of(), replicator.proposed, "no txn for a local session");

        request(c, 1, OpCode.CREATE, new CreateRequest("/e", new byte[0], OPEN, 1));
        assertEquals(2, replicator.proposed.size());
        Txn.CreateSession upgrade = assertInstanceOf(Txn.CreateSession.class, replicator.proposed.get(0).txn(),
                "the session is made the ensemble's first");
        assertArrayEquals(c.password, upgrade.password());
        assertInstanceOf(Txn.Create.class, replicator.proposed.get(1).txn());
        commitAll();
        assertEquals(0, c.replies.get(0).err());
        assertTrue(step.stateMachine().sessions().all().containsKey(c.sessionId));
        assertTrue(step.stateMachine().tree().ephemeralsOf(c.sessionId).contains("/e"));

        // Another local session stays silent: it expires here, with no closeSession txn.
        RecordingConnection quiet = new RecordingConnection();
        step.handle(new CoreEvent.Connect(quiet, new ConnectRequest(0, 0, 4000, 0, new byte[16], false, false)));
        step.flush();
        int proposals = replicator.proposed.size();
        clock.advance(4000);
        step.sessions().get(c.sessionId).touch(clock.monotonicMs());
        step.handle(new CoreEvent.Tick());
        step.flush();
        assertTrue(quiet.aborted);
        assertEquals(null, step.sessions().get(quiet.sessionId));
        assertEquals(proposals, replicator.proposed.size(), "the upgraded session was touched; the local one needs no txn");
    }

    @Test
    void aLeaderTakesWritesOfALearnersLocalSessionOnlyFromThatLearner() {
        step = withLocalSessions(false);
        lead(EPOCH);
        long madeBy3 = (3L << 56) | 42;
        step.handle(new CoreEvent.FromLearner(3, 7, LearnerMessages.request(madeBy3, 1, OpCode.SET_DATA, List.of(),
                new SetDataRequest("/", new byte[] {1}, -1))));
        step.handle(new CoreEvent.FromLearner(2, 8, LearnerMessages.request(madeBy3, 1, OpCode.SET_DATA, List.of(),
                new SetDataRequest("/", new byte[] {2}, -1))));
        step.flush();
        assertInstanceOf(Txn.SetData.class, replicator.proposed.get(0).txn());
        Txn.Error refused = assertInstanceOf(Txn.Error.class, replicator.proposed.get(1).txn());
        assertEquals(ErrorCode.SESSION_EXPIRED.code(), refused.err());
    }

    // ---------------------------------------------------------------- driving the step

    private long lastZxid = Zxid.make(EPOCH, 0);

    private long nextZxid() {
        return ++lastZxid;
    }

    private void lead(long epoch) {
        step.handle(new CoreEvent.Role(ServerState.LEADING, 1, epoch, true));
        lastZxid = Math.max(lastZxid, Zxid.make(epoch, 0));
    }

    /** A new session on the leader, its creation committed. */
    private RecordingConnection session(int timeoutMs) {
        return connect(0, new byte[16], timeoutMs);
    }

    private RecordingConnection connect(long sessionId, byte[] password, int timeoutMs) {
        RecordingConnection c = new RecordingConnection();
        step.handle(new CoreEvent.Connect(c, new ConnectRequest(0, 0, timeoutMs, sessionId, password, false, false)));
        commitAll();
        step.flush();
        return c;
    }

    /** A client that asks for read-only, as Apache's with canBeReadOnly. */
    private RecordingConnection connectReadOnly(long sessionId, byte[] password) {
        RecordingConnection c = new RecordingConnection();
        step.handle(new CoreEvent.Connect(c, new ConnectRequest(0, 0, 4000, sessionId, password, true, true)));
        step.flush();
        return c;
    }

    private void request(RecordingConnection c, int xid, int op, Record body) {
        step.handle(new CoreEvent.Request(c, List.of(new Id("ip", "127.0.0.1")), xid, op, body, 0, System.nanoTime()));
        step.flush();
    }

    private Proposal last() {
        return replicator.proposed.get(replicator.proposed.size() - 1);
    }

    /** Commits every proposal not yet committed, in order. */
    private void commitAll() {
        while (replicator.committed < replicator.proposed.size()) {
            commit(replicator.proposed.get(replicator.committed++));
        }
        step.flush();
    }

    private void commit(Proposal p) {
        lastZxid = Math.max(lastZxid, p.header().zxid());
        step.handle(new CoreEvent.Committed(p));
        step.flush();
    }

    private static final class ManualClock implements Clock {
        private long now = 1_000_000;

        void advance(long ms) {
            now += ms;
        }

        @Override
        public long wallMs() {
            return now;
        }

        @Override
        public long monotonicMs() {
            return now;
        }
    }

    /** Records what the core proposes and sends; commits only when the test says so. */
    private static final class ManualReplicator implements Replicator {
        final List<Proposal> proposed = new ArrayList<>();
        final List<byte[]> forwarded = new ArrayList<>();
        /** What the leader sent to one learner, in order. */
        final List<Sent> replies = new ArrayList<>();
        int committed;

        record Sent(long to, byte[] payload) {
        }

        /** Everything proposed so far was abandoned with the role. */
        void forget() {
            proposed.clear();
            committed = 0;
        }

        @Override
        public void start(Listener listener) {
        }

        @Override
        public void propose(Proposal proposal) {
            proposed.add(proposal);
        }

        @Override
        public void rollLog() {
        }

        @Override
        public void forward(byte[] payload) {
            forwarded.add(payload);
        }

        @Override
        public void reply(long to, long link, byte[] payload) {
            replies.add(new Sent(to, payload));
        }

        @Override
        public ReplicationStatus status() {
            return new ReplicationStatus(false, ServerState.LOOKING, -1, 0, 0, 0, 0, 0, -1, null);
        }

        @Override
        public void close() {
        }
    }

    /** A client connection as the core sees it, recording what it is sent. */
    private static final class RecordingConnection implements Connection {
        final List<ReplyHeader> replies = new ArrayList<>();
        long sessionId;
        byte[] password;
        ConnectResponse handshake;
        boolean aborted;
        boolean closed;

        boolean connected() {
            return handshake != null && handshake.timeOut() > 0;
        }

        @Override
        public List<Id> identities() {
            return List.of(new Id("ip", "127.0.0.1"));
        }

        @Override
        public String remoteAddress() {
            return "/127.0.0.1:1";
        }

        @Override
        public void send(ReplyHeader header, Record body) {
            if (header.xid() >= 0) {
                replies.add(header);
            }
        }

        @Override
        public void sendConnectResponse(ConnectResponse response, LocalSession session) {
            handshake = response;
            if (session != null) {
                sessionId = session.id();
                password = response.passwd();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void abort() {
            aborted = true;
        }

        @Override
        public void discarded(int requests) {
        }

        @Override
        public void replied(int xid, int op, long zxid, long latencyMs) {
        }

        @Override
        public long sessionId() {
            return sessionId;
        }
    }

    @Test
    void theRecordingConnectionSeesTheHandshake() {
        lead(EPOCH);
        RecordingConnection a = session(4000);
        assertTrue(a.connected());
        assertNotEquals(0, a.sessionId);
        assertArrayEquals(a.password, step.stateMachine().sessions().get(a.sessionId).password());
    }
}
