package io.paddock.server.conformance;

import static io.paddock.server.conformance.Keeper.OPEN;
import static io.paddock.server.conformance.Keeper.acl;
import static io.paddock.server.conformance.Keeper.acls;
import static io.paddock.server.conformance.Keeper.assertFails;
import static io.paddock.server.conformance.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;

/** ACL schemes, validation, per-operation permissions, masking, check orders, super user, event filtering. */
@Timeout(90)
class AclConformanceTest {
    static final String ALICE = "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=";

    private static ZkClient authenticated(ZkEnv env, String... credentials) {
        ZkClient client = env.client();
        for (String credential : credentials) {
            client.zk().addAuthInfo("digest", bytes(credential));
        }
        return client;
    }

    @BackendTest
    void digestIdentityGuardsANode(String kind) throws Exception {
        assertEquals(ALICE, Digests.identity("alice:secret"));
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper alice = authenticated(env, "alice:secret").zk();
            ZooKeeper anonymous = env.client().zk();
            ZooKeeper impostor = authenticated(env, "alice:wrong").zk();
            alice.create("/d", bytes("s"), acls(acl(Perms.ALL, "digest", ALICE)), CreateMode.PERSISTENT);
            alice.create("/d/k", null, acls(acl(Perms.ALL, "digest", ALICE)), CreateMode.PERSISTENT);
            for (ZooKeeper outsider : List.of(anonymous, impostor)) {
                assertFails(Code.NOAUTH, () -> outsider.getData("/d", false, null));
                assertFails(Code.NOAUTH, () -> outsider.exists("/d", false));
                assertFails(Code.NOAUTH, () -> outsider.getChildren("/d", false));
                assertFails(Code.NOAUTH, () -> outsider.getAllChildrenNumber("/d"));
                assertFails(Code.NOAUTH, () -> outsider.getACL("/d", new Stat()));
                assertFails(Code.NOAUTH, () -> outsider.setData("/d", null, -1));
                assertFails(Code.NOAUTH, () -> outsider.create("/d/x", null, OPEN, CreateMode.PERSISTENT));
                assertFails(Code.NOAUTH, () -> outsider.delete("/d/k", -1));
                assertFails(Code.NOAUTH, () -> outsider.setACL("/d", OPEN, -1));
            }
            assertArrayEquals(bytes("s"), alice.getData("/d", false, null));
            assertEquals(List.of(acl(Perms.ALL, "digest", ALICE)), alice.getACL("/d", new Stat()));
            alice.delete("/d/k", -1);
            alice.delete("/d", -1);
        }
    }

    @BackendTest
    void authSchemeExpandsToTheCallersDigestIdentities(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper both = authenticated(env, "alice:secret", "bob:pw").zk();
            both.create("/two", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
            List<ACL> stored = both.getACL("/two", new Stat());
            assertEquals(Set.of(acl(Perms.ALL, "digest", ALICE), acl(Perms.ALL, "digest", Digests.identity("bob:pw"))),
                    Set.copyOf(stored));
            assertEquals(2, stored.size());

            ZooKeeper alice = authenticated(env, "alice:secret").zk();
            alice.create("/mixed", null, acls(acl(Perms.READ, "world", "anyone"), acl(Perms.ALL, "auth", "ignored-id")),
                    CreateMode.PERSISTENT);
            assertEquals(List.of(acl(Perms.READ, "world", "anyone"), acl(Perms.ALL, "digest", ALICE)),
                    alice.getACL("/mixed", new Stat()));
            alice.setACL("/mixed", acls(acl(Perms.READ | Perms.ADMIN, "auth", "")), -1);
            assertEquals(List.of(acl(Perms.READ | Perms.ADMIN, "digest", ALICE)), alice.getACL("/mixed", new Stat()));

            // An ip identity alone does not satisfy "auth".
            ZooKeeper anonymous = env.client().zk();
            assertFails(Code.INVALIDACL, () -> anonymous.create("/none", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
            anonymous.create("/open", null, OPEN, CreateMode.PERSISTENT);
            assertFails(Code.INVALIDACL, () -> anonymous.setACL("/open", Ids.CREATOR_ALL_ACL, -1));
        }
    }

    @BackendTest
    void invalidAclsAreRejected(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            zk.create("/target", null, OPEN, CreateMode.PERSISTENT);
            List<ACL> invalid = List.of(
                    acl(Perms.ALL, "world", "bob"),
                    acl(Perms.ALL, "digest", "alice"),
                    acl(Perms.ALL, "digest", "alice:"),
                    acl(Perms.ALL, "digest", "a:b:c"),
                    acl(Perms.ALL, "ip", "300.1.1.1"),
                    acl(Perms.ALL, "ip", "1.2.3.4/33"),
                    acl(Perms.ALL, "ip", "not-an-address"),
                    acl(Perms.ALL, "nosuchscheme", "x"),
                    acl(Perms.ALL, "super", ""));
            for (ACL bad : invalid) {
                assertFails(Code.INVALIDACL, () -> zk.create("/n", null, acls(bad), CreateMode.PERSISTENT));
                assertFails(Code.INVALIDACL, () -> zk.create("/n", null, acls(acl(Perms.ALL, "world", "anyone"), bad), CreateMode.PERSISTENT));
                assertFails(Code.INVALIDACL, () -> zk.setACL("/target", acls(bad), -1));
            }
            // Odd but valid ids.
            List<ACL> valid = List.of(acl(Perms.ALL, "digest", ":h"), acl(Perms.ALL, "digest", "u:h:"),
                    acl(Perms.ALL, "ip", "10.0.0.0/8"), acl(Perms.ALL, "ip", "0:0:0:0:0:0:0:1"), acl(Perms.READ, "world", "anyone"));
            zk.create("/odd", null, acls(valid.toArray(new ACL[0])), CreateMode.PERSISTENT);
            // The caller has READ but not ADMIN, so digest ids come back masked from the first ':'.
            assertEquals(List.of(acl(Perms.ALL, "digest", ":x"), acl(Perms.ALL, "digest", "u:x"),
                    acl(Perms.ALL, "ip", "10.0.0.0/8"), acl(Perms.ALL, "ip", "0:0:0:0:0:0:0:1"),
                    acl(Perms.READ, "world", "anyone")), zk.getACL("/odd", new Stat()));

            // Empty and null lists, which the Java client refuses to send.
            RawClient raw = env.rawSession();
            assertEquals(Err.INVALID_ACL, raw.call(OpCode.CREATE,
                    Jute.body().str("/n").buf(null).i32(0).i32(0).bytes()).err());
            assertEquals(Err.INVALID_ACL, raw.call(OpCode.CREATE,
                    Jute.body().str("/n").buf(null).i32(-1).i32(0).bytes()).err());
            assertEquals(Err.INVALID_ACL, raw.call(OpCode.SET_ACL,
                    Jute.body().str("/target").i32(0).i32(-1).bytes()).err());
            assertEquals(Err.NO_NODE, raw.call(OpCode.EXISTS, Jute.pathWatch("/n", false)).err());
        }
    }

    @BackendTest
    void duplicateEntriesAreDroppedAndPermsAreStoredAsGiven(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper alice = authenticated(env, "alice:secret").zk();
            alice.create("/dup", null, acls(acl(Perms.READ, "world", "anyone"), acl(Perms.READ, "world", "anyone"),
                    acl(Perms.ALL, "digest", ALICE), acl(Perms.READ, "world", "anyone")), CreateMode.PERSISTENT);
            assertEquals(List.of(acl(Perms.READ, "world", "anyone"), acl(Perms.ALL, "digest", ALICE)),
                    alice.getACL("/dup", new Stat()));
            alice.create("/perms", null, acls(acl(0, "world", "anyone"), acl(63, "digest", ALICE)), CreateMode.PERSISTENT);
            assertEquals(List.of(acl(0, "world", "anyone"), acl(63, "digest", ALICE)), alice.getACL("/perms", new Stat()));
            ZooKeeper anonymous = env.client().zk();
            assertFails(Code.NOAUTH, () -> anonymous.getData("/perms", false, null));
        }
    }

    @BackendTest
    void ipSchemeMatchesTheClientAddressWithOptionalPrefixBits(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            Object[][] cases = {
                {"127.0.0.1", true}, {"127.0.0.1/32", true}, {"127.0.0.0/8", true}, {"127.1.2.3/8", true},
                {"0.0.0.0/0", true}, {"10.0.0.1", false}, {"10.0.0.0/8", false}, {"127.0.0.2", false},
                {"127.0.0.2/31", false}, {"0:0:0:0:0:0:0:1", false},
            };
            int i = 0;
            for (Object[] c : cases) {
                String path = "/ip" + i++;
                zk.create(path, bytes("v"), acls(acl(Perms.READ, "ip", (String) c[0]), acl(Perms.ADMIN, "world", "anyone")),
                        CreateMode.PERSISTENT);
                if ((boolean) c[1]) {
                    assertArrayEquals(bytes("v"), zk.getData(path, false, null), (String) c[0]);
                } else {
                    assertFails(Code.NOAUTH, () -> zk.getData(path, false, null));
                }
            }
        }
    }

    @BackendTest
    void eachOperationNeedsItsPermissionBit(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            for (String name : List.of("r", "w", "c", "d", "a")) {
                zk.create("/" + name, bytes("x"), OPEN, CreateMode.PERSISTENT);
                zk.create("/" + name + "/k", null, OPEN, CreateMode.PERSISTENT);
                zk.create("/" + name + "/k2", null, OPEN, CreateMode.PERSISTENT);
            }
            zk.setACL("/r", acls(acl(Perms.READ, "world", "anyone")), -1);
            zk.setACL("/w", acls(acl(Perms.WRITE, "world", "anyone")), -1);
            zk.setACL("/c", acls(acl(Perms.CREATE, "world", "anyone")), -1);
            zk.setACL("/d", acls(acl(Perms.DELETE, "world", "anyone")), -1);
            zk.setACL("/a", acls(acl(Perms.ADMIN, "world", "anyone")), -1);

            // READ
            assertNotNull(zk.getData("/r", false, null));
            assertNotNull(zk.exists("/r", false));
            assertEquals(2, zk.getChildren("/r", false).size());
            assertEquals(2, zk.getAllChildrenNumber("/r"));
            assertEquals(1, zk.getACL("/r", new Stat()).size());
            assertFails(Code.NOAUTH, () -> zk.setData("/r", null, -1));
            assertFails(Code.NOAUTH, () -> zk.create("/r/n", null, OPEN, CreateMode.PERSISTENT));
            assertFails(Code.NOAUTH, () -> zk.delete("/r/k", -1));
            assertFails(Code.NOAUTH, () -> zk.setACL("/r", OPEN, -1));
            // WRITE
            assertEquals(1, zk.setData("/w", null, -1).getVersion());
            assertFails(Code.NOAUTH, () -> zk.getData("/w", false, null));
            assertFails(Code.NOAUTH, () -> zk.exists("/w", false));
            assertFails(Code.NOAUTH, () -> zk.getChildren("/w", false));
            assertFails(Code.NOAUTH, () -> zk.getACL("/w", new Stat()));
            assertFails(Code.NOAUTH, () -> zk.create("/w/n", null, OPEN, CreateMode.PERSISTENT));
            // CREATE
            assertEquals("/c/n", zk.create("/c/n", null, OPEN, CreateMode.PERSISTENT));
            assertEquals("/c/e", zk.create("/c/e", null, OPEN, CreateMode.EPHEMERAL));
            assertFails(Code.NOAUTH, () -> zk.delete("/c/k", -1));
            assertFails(Code.NOAUTH, () -> zk.getData("/c", false, null));
            // DELETE
            zk.delete("/d/k", -1);
            assertFails(Code.NOAUTH, () -> zk.create("/d/n", null, OPEN, CreateMode.PERSISTENT));
            assertFails(Code.NOAUTH, () -> zk.setData("/d", null, -1));
            // ADMIN
            assertEquals(1, zk.getACL("/a", new Stat()).size());
            assertFails(Code.NOAUTH, () -> zk.getData("/a", false, null));
            assertEquals(2, zk.setACL("/a", acls(acl(Perms.ADMIN | Perms.READ, "world", "anyone")), -1).getAversion());
            assertNotNull(zk.getData("/a", false, null));
            // No permission needed: sync, getEphemerals, addWatch, whoAmI on a node nobody may read.
            zk.setACL("/a", acls(acl(0, "world", "anyone")), -1);
            zk.sync("/a");
            zk.addWatch("/a", AddWatchMode.PERSISTENT);
            assertEquals(List.of("/c/e"), zk.getEphemerals());
        }
    }

    @BackendTest
    void getAclMasksDigestIdsForCallersWithoutAdmin(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper alice = authenticated(env, "alice:secret").zk();
            ZooKeeper anonymous = env.client().zk();
            alice.create("/m", null, acls(acl(Perms.READ, "world", "anyone"), acl(Perms.ALL, "digest", ALICE),
                    acl(Perms.READ, "ip", "127.0.0.1")), CreateMode.PERSISTENT);
            Stat stat = new Stat();
            assertEquals(List.of(acl(Perms.READ, "world", "anyone"), acl(Perms.ALL, "digest", "alice:x"),
                    acl(Perms.READ, "ip", "127.0.0.1")), anonymous.getACL("/m", stat));
            Keeper.assertStat(alice.exists("/m", false), stat);
            assertEquals(List.of(acl(Perms.READ, "world", "anyone"), acl(Perms.ALL, "digest", ALICE),
                    acl(Perms.READ, "ip", "127.0.0.1")), alice.getACL("/m", new Stat()));

            // ADMIN through another entry also unmasks.
            alice.create("/open", null, acls(acl(Perms.ALL, "world", "anyone"), acl(Perms.READ, "digest", ALICE)),
                    CreateMode.PERSISTENT);
            assertEquals(List.of(acl(Perms.ALL, "world", "anyone"), acl(Perms.READ, "digest", ALICE)),
                    anonymous.getACL("/open", new Stat()));
            // Alice without ADMIN on the node sees her own id masked too.
            alice.create("/readonly", null, acls(acl(Perms.READ, "digest", ALICE)), CreateMode.PERSISTENT);
            assertEquals(List.of(acl(Perms.READ, "digest", "alice:x")), alice.getACL("/readonly", new Stat()));
        }
    }

    @BackendTest
    void createChecksParentExistenceThenCreatePermissionThenExistence(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            zk.create("/locked", null, OPEN, CreateMode.PERSISTENT);
            zk.create("/locked/x", null, OPEN, CreateMode.PERSISTENT);
            zk.setACL("/locked", acls(acl(Perms.READ | Perms.ADMIN, "world", "anyone")), -1);
            assertFails(Code.NONODE, () -> zk.create("/missing/x", null, OPEN, CreateMode.PERSISTENT));
            assertFails(Code.NOAUTH, () -> zk.create("/locked/y", null, OPEN, CreateMode.PERSISTENT));
            assertFails(Code.NOAUTH, () -> zk.create("/locked/x", null, OPEN, CreateMode.PERSISTENT));
            // InvalidACL comes before both.
            List<ACL> bad = acls(acl(Perms.ALL, "world", "bob"));
            assertFails(Code.INVALIDACL, () -> zk.create("/missing/x", null, bad, CreateMode.PERSISTENT));
            assertFails(Code.INVALIDACL, () -> zk.create("/locked/x", null, bad, CreateMode.PERSISTENT));
            // NodeExists before NoChildrenForEphemerals is moot; NoAuth before NoChildrenForEphemerals:
            zk.create("/eph", null, acls(acl(Perms.READ, "world", "anyone")), CreateMode.EPHEMERAL);
            assertFails(Code.NOAUTH, () -> zk.create("/eph/c", null, OPEN, CreateMode.PERSISTENT));
        }
    }

    @BackendTest
    void deleteChecksPermissionOnTheParentBeforeTheNodesExistence(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            zk.create("/locked", null, OPEN, CreateMode.PERSISTENT);
            zk.create("/locked/x", null, OPEN, CreateMode.PERSISTENT);
            zk.setACL("/locked", acls(acl(Perms.READ | Perms.ADMIN, "world", "anyone")), -1);
            assertFails(Code.NOAUTH, () -> zk.delete("/locked/missing", -1));
            assertFails(Code.NOAUTH, () -> zk.delete("/locked/x", 99));
            assertFails(Code.NONODE, () -> zk.delete("/missing/x", -1));
            // The node's own ACL does not matter for delete.
            zk.create("/open", null, OPEN, CreateMode.PERSISTENT);
            zk.create("/open/closed", null, acls(acl(Perms.READ, "world", "anyone")), CreateMode.PERSISTENT);
            assertFails(Code.NONODE, () -> zk.delete("/open/missing", -1));
            assertFails(Code.BADVERSION, () -> zk.delete("/open/closed", 99));
            zk.delete("/open/closed", 0);
        }
    }

    @BackendTest
    void setAclChecksValidityBeforeExistenceThenPermissionThenVersion(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            List<ACL> bad = acls(acl(Perms.ALL, "world", "bob"));
            assertFails(Code.INVALIDACL, () -> zk.setACL("/missing", bad, -1));
            assertFails(Code.NONODE, () -> zk.setACL("/missing", OPEN, -1));
            zk.create("/locked", null, acls(acl(Perms.READ, "world", "anyone")), CreateMode.PERSISTENT);
            assertFails(Code.INVALIDACL, () -> zk.setACL("/locked", bad, 99));
            assertFails(Code.NOAUTH, () -> zk.setACL("/locked", OPEN, 99));
            zk.create("/open", null, OPEN, CreateMode.PERSISTENT);
            assertFails(Code.BADVERSION, () -> zk.setACL("/open", OPEN, 1));
            assertEquals(1, zk.setACL("/open", OPEN, 0).getAversion());
            // setData: NoAuth before BadVersion as well.
            assertFails(Code.NOAUTH, () -> zk.setData("/locked", null, 99));
            assertFails(Code.NONODE, () -> zk.setData("/missing", null, 99));
        }
    }

    @BackendTest
    void superDigestUserBypassesEveryCheck(String kind) throws Exception {
        String superDigest = Digests.identity("super:s3cret");
        try (ZkEnv env = ZkEnv.of(SpecialServers.withSuperDigest(kind, superDigest))) {
            ZooKeeper alice = authenticated(env, "alice:secret").zk();
            alice.create("/vault", bytes("gold"), acls(acl(Perms.ALL, "digest", ALICE)), CreateMode.PERSISTENT);
            alice.create("/vault/k", null, acls(acl(Perms.ALL, "digest", ALICE)), CreateMode.PERSISTENT);
            alice.create("/nothing", null, acls(acl(0, "digest", ALICE)), CreateMode.PERSISTENT);

            ZooKeeper root = authenticated(env, "super:s3cret").zk();
            assertArrayEquals(bytes("gold"), root.getData("/vault", false, null));
            assertEquals(List.of(acl(Perms.ALL, "digest", ALICE)), root.getACL("/vault", new Stat()));
            assertEquals(List.of(acl(0, "digest", ALICE)), root.getACL("/nothing", new Stat()));
            assertEquals(1, root.setData("/vault", bytes("lead"), -1).getVersion());
            assertEquals("/vault/mine", root.create("/vault/mine", null, OPEN, CreateMode.PERSISTENT));
            root.delete("/vault/k", -1);
            root.setACL("/nothing", OPEN, -1);
            assertEquals(Set.of(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("super", ""),
                    new ClientInfo("digest", "super")), Set.copyOf(root.whoAmI()));

            ZooKeeper wrong = authenticated(env, "super:guess").zk();
            assertFails(Code.NOAUTH, () -> wrong.getData("/vault", false, null));
            assertFails(Code.NOAUTH, () -> env.client().zk().getData("/vault", false, null));
        }
    }

    @BackendTest
    void whoAmIReportsTheConnectionsIdentities(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            assertEquals(List.of(new ClientInfo("ip", "127.0.0.1")), zk.whoAmI());
            zk.addAuthInfo("digest", bytes("alice:secret"));
            zk.addAuthInfo("digest", bytes("alice:secret"));
            zk.addAuthInfo("digest", bytes("nocolon"));
            List<ClientInfo> identities = zk.whoAmI();
            assertEquals(Set.of(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("digest", "alice"),
                    new ClientInfo("digest", "nocolon")), Set.copyOf(identities));
            assertEquals(3, identities.size(), "duplicates collapse: " + identities);
            // "nocolon" authenticates as nocolon:<hash of the whole text>.
            zk.create("/nc", null, acls(acl(Perms.ALL, "digest", Digests.identity("nocolon"))), CreateMode.PERSISTENT);
            assertEquals("nocolon:Ra+cHr2ZoHvBjtNArFGNGlVie4g=", Digests.identity("nocolon"));
            assertArrayEquals(null, zk.getData("/nc", false, null));
        }
    }

    @BackendTest
    void unknownAuthSchemeFailsTheJavaClient(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient bystander = env.client();
            ZkClient client = env.client();
            client.zk().addAuthInfo("nosuchscheme", bytes("x"));
            client.log().awaitState(KeeperState.AuthFailed);
            HostileInputConformanceTest.assertStillWorks(bystander, "/after");
        }
    }

    @BackendTest
    void notificationsAreDroppedWithoutReadAndOneShotWatchesAreStillConsumed(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper alice = authenticated(env, "alice:secret").zk();
            List<ACL> aliceOnly = acls(acl(Perms.ALL, "digest", ALICE));

            // NodeCreated checks the new node's ACL.
            watcher.zk().exists("/secret", true);
            alice.create("/secret", null, aliceOnly, CreateMode.PERSISTENT);
            alice.setACL("/secret", OPEN, -1);
            alice.setData("/secret", bytes("1"), -1);
            assertEquals(List.of(), watcher.settledEvents(), "filtered, and the exist watch was consumed");

            // NodeChildrenChanged checks the parent's ACL.
            alice.create("/parent", null, OPEN, CreateMode.PERSISTENT);
            watcher.zk().getChildren("/parent", true);
            alice.setACL("/parent", aliceOnly, -1);
            alice.create("/parent/a", null, OPEN, CreateMode.PERSISTENT);
            alice.setACL("/parent", OPEN, -1);
            alice.create("/parent/b", null, OPEN, CreateMode.PERSISTENT);
            assertEquals(List.of(), watcher.settledEvents());

            // NodeDeleted checks the ACL the node had; NodeDataChanged the node's.
            alice.create("/gone", null, OPEN, CreateMode.PERSISTENT);
            alice.create("/changed", null, OPEN, CreateMode.PERSISTENT);
            watcher.zk().getData("/gone", true, null);
            watcher.zk().getData("/changed", true, null);
            alice.setACL("/gone", aliceOnly, -1);
            alice.setACL("/changed", aliceOnly, -1);
            alice.delete("/gone", -1);
            alice.setData("/changed", null, -1);
            assertEquals(List.of(), watcher.settledEvents());

            // A persistent watch is filtered but stays.
            watcher.zk().addWatch("/pw", watcher.log(), AddWatchMode.PERSISTENT);
            alice.create("/pw", null, aliceOnly, CreateMode.PERSISTENT);
            alice.setData("/pw", null, -1);
            alice.setACL("/pw", OPEN, -1);
            alice.setData("/pw", null, -1);

            // Readable nodes still notify.
            watcher.zk().getData("/secret", true, null);
            alice.setData("/secret", bytes("2"), -1);
            watcher.log().awaitEvents(2);
            assertEquals(List.of("NodeDataChanged /pw", "NodeDataChanged /secret"), watcher.settledEvents());
        }
    }

    @BackendTest
    void authReplyMayOvertakeEarlierRepliesButIdentityAppliesToLaterRequests(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper alice = authenticated(env, "alice:secret").zk();
            alice.create("/a", bytes("v"), acls(acl(Perms.ALL, "digest", ALICE)), CreateMode.PERSISTENT);
            RawClient raw = env.rawSession();
            byte[] auth = Jute.body().i32(-4).i32(OpCode.AUTH).raw(Jute.auth("digest", "alice:secret")).bytes();
            byte[] read = Jute.body().i32(7).i32(OpCode.GET_DATA).raw(Jute.pathWatch("/a", false)).bytes();
            raw.writeRaw(Jute.body().i32(auth.length).raw(auth).i32(read.length).raw(read).bytes());
            RawReply first = raw.read();
            RawReply second = raw.read();
            assertEquals(-4, first.xid());
            assertEquals(0, first.err());
            assertEquals(7, second.xid());
            assertEquals(0, second.err());
            assertArrayEquals(bytes("v"), second.reader().buf());
            assertTrue(second.zxid() > 0);
        }
    }
}
