package io.paddock.server.differential;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * The small world operations are drawn from: paths under {@code /d} at most three levels deep
 * with three names per level (so operations collide often), the sequential nodes created so
 * far, a few system and invalid paths, data, versions, ACLs and credentials.
 */
final class KeySpace implements Observations {
    static final String ROOT = "/d";
    static final String ALICE = "alice:secret";
    static final String BOB = "bob:hunter2";

    private static final String[] NAMES = {"a", "b", "c"};
    private static final String[] SYSTEM = {"/", "/zookeeper", "/zookeeper/config", "/zookeeper/quota", "/absent"};
    private static final String[] INVALID = {"d/a", "/d/a/", "/d//a", "/d/./a", "/d/../a", "/d/a\u0000b", ""};
    private static final int POOL = 12;

    private final Random rnd;
    private final List<String> sequentialPool = new ArrayList<>();
    private final List<String> existing = new ArrayList<>();
    private final Map<String, Integer> versions = new HashMap<>();
    private final Map<String, Integer> aversions = new HashMap<>();
    private final List<Named<List<ACL>>> acls;

    /** A value with the short name used in operation descriptions. */
    record Named<T>(String name, T value) {
    }

    KeySpace(Random rnd) {
        this.rnd = rnd;
        this.acls = aclChoices();
    }

    /** A node path under /d, depth 1 to 3. */
    String node() {
        int depth = pick(45, 35, 20) + 1;
        StringBuilder sb = new StringBuilder(ROOT);
        for (int i = 0; i < depth; i++) {
            sb.append('/').append(NAMES[rnd.nextInt(NAMES.length)]);
        }
        return sb.toString();
    }

    /** A path for reads: often a node known to exist, else key-space nodes, sequential nodes, /d, system or invalid paths. */
    String readTarget() {
        int r = rnd.nextInt(100);
        if (r < 30 && !existing.isEmpty()) {
            return existing.get(rnd.nextInt(existing.size()));
        }
        if (r < 70) {
            return node();
        }
        if (r < 82 && !sequentialPool.isEmpty()) {
            return sequentialPool.get(rnd.nextInt(sequentialPool.size()));
        }
        if (r < 87) {
            return ROOT;
        }
        if (r < 98) {
            return SYSTEM[rnd.nextInt(SYSTEM.length)];
        }
        return invalid();
    }

    /** A node seen to exist recently (an approximation: other sessions may have changed it), else /d. */
    String known() {
        return existing.isEmpty() ? ROOT : existing.get(rnd.nextInt(existing.size()));
    }

    /** The last seen data version of {@code path} (0 if never seen). */
    int lastVersion(String path) {
        return versions.getOrDefault(path, 0);
    }

    /** A fresh-looking child name under {@code parent}. */
    String child(String parent) {
        return parent + "/" + NAMES[rnd.nextInt(NAMES.length)];
    }

    /** A path for setData and check: like reads (system nodes included: they fail or are harmless). */
    String writeTarget() {
        return readTarget();
    }

    /** A path to delete: like writes, but never /d itself, which would leave the key space without a parent. */
    String deleteTarget() {
        String path = readTarget();
        return path.equals(ROOT) ? node() : path;
    }

    /** A path for setACL: never a system node or /d, so a restrictive ACL cannot lock the run out. */
    String aclTarget() {
        int r = rnd.nextInt(100);
        if (r < 75) {
            return node();
        }
        if (r < 92 && !sequentialPool.isEmpty()) {
            return sequentialPool.get(rnd.nextInt(sequentialPool.size()));
        }
        return r < 96 ? "/absent" : invalid();
    }

    /** A path to create; for sequential modes a prefix (sometimes ending in '/'). */
    String createTarget(boolean sequential) {
        int r = rnd.nextInt(100);
        String path;
        if (r < 80) {
            path = node();
        } else if (r < 88 && !sequentialPool.isEmpty()) {
            path = sequentialPool.get(rnd.nextInt(sequentialPool.size())) + "/" + NAMES[rnd.nextInt(NAMES.length)];
        } else if (r < 97) {
            path = ROOT;
        } else {
            return invalid();
        }
        if (sequential) {
            return rnd.nextInt(6) == 0 ? parent(path) + "/" : path + "-";
        }
        return path;
    }

    String invalid() {
        return INVALID[rnd.nextInt(INVALID.length)];
    }

    /** Data: occasionally null, otherwise 0 to 6 printable bytes. */
    byte[] data() {
        if (rnd.nextInt(20) == 0) {
            return null;
        }
        byte[] d = new byte[rnd.nextInt(7)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) ('a' + rnd.nextInt(6));
        }
        return d;
    }

    static String show(byte[] data) {
        return data == null ? "null" : "\"" + new String(data, StandardCharsets.UTF_8) + "\"";
    }

    /** A data version for setData/delete/check: -1, the last seen, a small guess, or nonsense. */
    int version(String path) {
        return versionFrom(versions, path);
    }

    /** An ACL version for setACL. */
    int aversion(String path) {
        return versionFrom(aversions, path);
    }

    private int versionFrom(Map<String, Integer> known, String path) {
        int r = rnd.nextInt(100);
        if (r < 30) {
            return -1;
        }
        if (r < 80) {
            return known.getOrDefault(path, 0);
        }
        if (r < 95) {
            return rnd.nextInt(4);
        }
        return r < 98 ? -2 : 1000;
    }

    /** An ACL list: usually open, otherwise one of the restrictive, auth-based or invalid choices. */
    Named<List<ACL>> acl() {
        return rnd.nextInt(100) < 65 ? acls.get(0) : acls.get(rnd.nextInt(acls.size()));
    }

    /** Digest credentials for a new session: none, alice, bob, or both. */
    List<String> credentials() {
        return switch (pick(35, 25, 25, 15)) {
            case 0 -> List.of();
            case 1 -> List.of(ALICE);
            case 2 -> List.of(BOB);
            default -> List.of(ALICE, BOB);
        };
    }

    /** Index i with probability weights[i] / sum. */
    int pick(int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = rnd.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        throw new AssertionError();
    }

    Random random() {
        return rnd;
    }

    @Override
    public void stat(String path, int version, int aversion) {
        versions.put(path, version);
        aversions.put(path, aversion);
        if (path.startsWith(ROOT + "/") && !existing.contains(path)) {
            existing.add(path);
        }
    }

    @Override
    public void gone(String path) {
        versions.remove(path);
        aversions.remove(path);
        existing.remove(path);
    }

    @Override
    public void created(String requested, String actual) {
        stat(actual, 0, 0);
        if (!requested.equals(actual) && !sequentialPool.contains(actual)) {
            if (sequentialPool.size() == POOL) {
                sequentialPool.remove(rnd.nextInt(POOL));
            }
            sequentialPool.add(actual);
        }
    }

    private static String parent(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }

    private static List<Named<List<ACL>>> aclChoices() {
        Id anyone = Ids.ANYONE_ID_UNSAFE;
        Id alice = new Id("digest", digest(ALICE));
        Id bob = new Id("digest", digest(BOB));
        Id local = new Id("ip", "127.0.0.1");
        int noCreate = Perms.READ | Perms.WRITE | Perms.DELETE | Perms.ADMIN;
        int noDelete = Perms.READ | Perms.WRITE | Perms.CREATE | Perms.ADMIN;
        return List.of(
                new Named<>("open", Ids.OPEN_ACL_UNSAFE),
                new Named<>("world-read", Ids.READ_ACL_UNSAFE),
                new Named<>("world-no-create", acls(new ACL(noCreate, anyone))),
                new Named<>("world-no-delete", acls(new ACL(noDelete, anyone))),
                new Named<>("world-no-read", acls(new ACL(Perms.ALL & ~Perms.READ, anyone))),
                new Named<>("creator-all", Ids.CREATOR_ALL_ACL),
                new Named<>("creator-all+world-read", acls(new ACL(Perms.ALL, Ids.AUTH_IDS),
                        new ACL(Perms.READ, anyone))),
                new Named<>("alice-all", acls(new ACL(Perms.ALL, alice))),
                new Named<>("alice-all+world-read", acls(new ACL(Perms.ALL, alice), new ACL(Perms.READ, anyone))),
                new Named<>("bob-rw+alice-admin", acls(new ACL(Perms.READ | Perms.WRITE, bob),
                        new ACL(Perms.ADMIN, alice))),
                new Named<>("ip-local-all", acls(new ACL(Perms.ALL, local))),
                new Named<>("ip-local24-read-create", acls(new ACL(Perms.READ | Perms.CREATE,
                        new Id("ip", "127.0.0.0/24")))),
                new Named<>("ip-10/8-all", acls(new ACL(Perms.ALL, new Id("ip", "10.0.0.0/8")))),
                new Named<>("open-twice", acls(new ACL(Perms.ALL, anyone), new ACL(Perms.ALL, anyone))),
                new Named<>("bad-world-id", acls(new ACL(Perms.ALL, new Id("world", "nobody")))),
                new Named<>("bad-digest-id", acls(new ACL(Perms.ALL, new Id("digest", "alice")))),
                new Named<>("bad-ip", acls(new ACL(Perms.ALL, new Id("ip", "300.1.2.3")))),
                new Named<>("unknown-scheme", acls(new ACL(Perms.ALL, new Id("foo", "bar")))));
    }

    /** A list the client can check for null entries (List.of cannot even be asked). */
    private static List<ACL> acls(ACL... entries) {
        return Arrays.asList(entries);
    }

    private static String digest(String credential) {
        try {
            return DigestAuthenticationProvider.generateDigest(credential);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
