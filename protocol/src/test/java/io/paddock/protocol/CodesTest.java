package io.paddock.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Create modes, error codes, opcodes and the other protocol constants, against Apache's definitions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CodesTest {

    // ---- create modes (wire-protocol.md 10.1)

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void createModeFromFlagMatchesApache(int flag) throws KeeperException {
        CreateMode ours = CreateMode.fromFlag(flag);
        org.apache.zookeeper.CreateMode apache = org.apache.zookeeper.CreateMode.fromFlag(flag);
        assertNotNull(ours);
        assertEquals(apache.name(), ours.name());
        assertEquals(apache.toFlag(), ours.flag());
        assertEquals(flag, ours.flag());
        assertEquals(apache.isEphemeral(), ours.isEphemeral());
        assertEquals(apache.isSequential(), ours.isSequential());
        assertEquals(apache.isContainer(), ours.isContainer());
        assertEquals(apache.isTTL(), ours.isTtl());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 7, 8, 100, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void createModeRejectsOtherFlagsLikeApache(int flag) {
        assertNull(CreateMode.fromFlag(flag));
        assertThrows(KeeperException.class, () -> org.apache.zookeeper.CreateMode.fromFlag(flag));
    }

    @Test
    void everyCreateModeIsCovered() {
        assertEquals(org.apache.zookeeper.CreateMode.values().length, CreateMode.values().length);
    }

    // ---- error codes (wire-protocol.md 9)

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "0    | OK                           | ok",
        "-1   | SystemError                  | SystemError",
        "-2   | RuntimeInconsistency         | RuntimeInconsistency",
        "-3   | DataInconsistency            | DataInconsistency",
        "-4   | ConnectionLoss               | ConnectionLoss",
        "-5   | MarshallingError             | MarshallingError",
        "-6   | Unimplemented                | Unimplemented",
        "-7   | OperationTimeout             | OperationTimeout",
        "-8   | BadArguments                 | BadArguments",
        "-12  | UnknownSession               | Unknown error UNKNOWNSESSION",
        "-13  | NewConfigNoQuorum            | NewConfigNoQuorum",
        "-14  | ReconfigInProgress           | ReconfigInProgress",
        "-100 | APIError                     | APIError",
        "-101 | NoNode                       | NoNode",
        "-102 | NoAuth                       | NoAuth",
        "-103 | BadVersion                   | BadVersion",
        "-108 | NoChildrenForEphemerals      | NoChildrenForEphemerals",
        "-110 | NodeExists                   | NodeExists",
        "-111 | NotEmpty                     | Directory not empty",
        "-112 | SessionExpired               | Session expired",
        "-113 | InvalidCallback              | Invalid callback",
        "-114 | InvalidACL                   | InvalidACL",
        "-115 | AuthFailed                   | AuthFailed",
        "-118 | SessionMoved                 | Session moved",
        "-119 | NotReadOnly                  | Not a read-only call",
        "-120 | EphemeralOnLocalSession      | Ephemeral node on local session",
        "-121 | NoWatcher                    | No such watcher",
        "-122 | RequestTimeout               | Unknown error REQUESTTIMEOUT",
        "-123 | ReconfigDisabled             | Reconfig is disabled",
        "-124 | SessionClosedRequireSaslAuth | Session closed because client failed to authenticate",
        "-125 | QuotaExceeded                | Quota has exceeded",
        "-127 | ThrottledOp                  | Op throttled due to high load"})
    void errorCodeMatchesTheDocAndApache(int code, String name, String message) throws ReflectiveOperationException {
        ErrorCode ours = ErrorCode.fromCode(code);
        assertNotNull(ours, "code " + code);
        assertEquals(code, ours.code());
        assertEquals(message, ours.message());
        assertEquals(squash(name), squash(ours.name()));

        KeeperException.Code apache = KeeperException.Code.get(code);
        assertNotNull(apache, "Apache code " + code);
        assertEquals(code, apache.intValue());
        assertEquals(squash(apache.name()), squash(ours.name()));
        assertEquals(apacheMessage(apache), ours.message());
        if (code != 0 && code != -12) { // Apache has no exception class for these two
            assertEquals("KeeperErrorCode = " + ours.message() + " for /x",
                    KeeperException.create(apache, "/x").getMessage());
        }
    }

    /** Apache keeps the message table package-private; read it through reflection. */
    private static String apacheMessage(KeeperException.Code code) throws ReflectiveOperationException {
        Method method = KeeperException.class.getDeclaredMethod("getCodeMessage", KeeperException.Code.class);
        method.setAccessible(true);
        return (String) method.invoke(null, code);
    }

    private static String squash(String name) {
        return name.replace("_", "").toUpperCase();
    }

    @Test
    void errorCodesAreExactlyApachesCodes() {
        assertEquals(
                Arrays.stream(KeeperException.Code.values()).map(c -> c.intValue()).sorted().toList(),
                Arrays.stream(ErrorCode.values()).map(ErrorCode::code).sorted().toList());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, -9, -10, -11, -15, -99, -104, -105, -106, -107, -109, -116, -117, -126, -128,
                         Integer.MIN_VALUE, Integer.MAX_VALUE})
    void undefinedErrorCodesAreUnknownToBoth(int code) {
        assertNull(ErrorCode.fromCode(code));
        // The Java client cannot even represent such a code: a server must never send one.
        assertThrows(IllegalArgumentException.class, () -> KeeperException.Code.get(code));
    }

    // ---- opcodes (wire-protocol.md 3.7)

    /** Apache's camelCase constant names in our UPPER_SNAKE form: getACL -> GET_ACL, whoAmI -> WHO_AM_I. */
    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
    }

    private static Map<String, Integer> intConstants(Class<?> type, java.util.function.UnaryOperator<String> rename)
            throws IllegalAccessException {
        Map<String, Integer> out = new TreeMap<>();
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                out.put(rename.apply(field.getName()), field.getInt(null));
            }
        }
        return out;
    }

    @Test
    void opCodesAreExactlyApachesOpCodes() throws IllegalAccessException {
        Map<String, Integer> apache = intConstants(ZooDefs.OpCode.class, CodesTest::snake);
        Map<String, Integer> ours = intConstants(OpCode.class, name -> name);
        assertEquals(apache, ours);
        assertEquals(33, ours.size());
    }

    @ParameterizedTest(name = "{1} = {0}")
    @CsvSource({
        "0,NOTIFICATION", "1,CREATE", "2,DELETE", "3,EXISTS", "4,GET_DATA", "5,SET_DATA", "6,GET_ACL",
        "7,SET_ACL", "8,GET_CHILDREN", "9,SYNC", "11,PING", "12,GET_CHILDREN2", "13,CHECK", "14,MULTI",
        "15,CREATE2", "16,RECONFIG", "17,CHECK_WATCHES", "18,REMOVE_WATCHES", "19,CREATE_CONTAINER",
        "20,DELETE_CONTAINER", "21,CREATE_TTL", "22,MULTI_READ", "100,AUTH", "101,SET_WATCHES", "102,SASL",
        "103,GET_EPHEMERALS", "104,GET_ALL_CHILDREN_NUMBER", "105,SET_WATCHES2", "106,ADD_WATCH", "107,WHO_AM_I",
        "-10,CREATE_SESSION", "-11,CLOSE_SESSION", "-1,ERROR"})
    void opCodeValuesMatchTheDoc(int code, String name) throws ReflectiveOperationException {
        assertEquals(code, OpCode.class.getField(name).getInt(null));
    }

    // ---- the other enumerations carried on the wire

    @Test
    void eventTypesMatchApache() {
        for (Watcher.Event.EventType apache : Watcher.Event.EventType.values()) {
            EventType ours = EventType.fromCode(apache.getIntValue());
            assertEquals(squash(apache.name()), squash(ours.name()));
        }
        assertEquals(Watcher.Event.EventType.values().length, EventType.values().length);
        assertThrows(IllegalArgumentException.class, () -> EventType.fromCode(8));
    }

    @Test
    void keeperStatesMatchApache() {
        for (Watcher.Event.KeeperState apache : Watcher.Event.KeeperState.values()) {
            KeeperState ours = KeeperState.fromCode(apache.getIntValue());
            assertEquals(squash(apache.name()), squash(ours.name()));
        }
        assertEquals(Watcher.Event.KeeperState.values().length, KeeperState.values().length);
        assertEquals(3, KeeperState.SYNC_CONNECTED.code());
    }

    @Test
    void watcherTypesAndAddWatchModesMatchApache() {
        for (Watcher.WatcherType apache : Watcher.WatcherType.values()) {
            assertEquals(squash(apache.name()), squash(WatcherType.fromCode(apache.getIntValue()).name()));
        }
        assertEquals(Watcher.WatcherType.values().length, WatcherType.values().length);
        assertNull(WatcherType.fromCode(0));
        assertNull(WatcherType.fromCode(6));
        for (org.apache.zookeeper.AddWatchMode apache : org.apache.zookeeper.AddWatchMode.values()) {
            assertEquals(apache.name(), AddWatchMode.fromCode(apache.getMode()).name());
        }
        assertNull(AddWatchMode.fromCode(2));
        assertNull(AddWatchMode.fromCode(-1));
    }

    @Test
    void permissionBitsMatchApache() throws IllegalAccessException {
        assertEquals(intConstants(ZooDefs.Perms.class, String::toUpperCase), intConstants(Perms.class, name -> name));
    }

    @Test
    void wellKnownAclsEncodeLikeApaches() {
        assertArrayEquals(ApacheJute.serialize(Samples.z(Acls.ANYONE)), Acls.ANYONE.toBytes());
        assertEquals(ZooDefs.Ids.ANYONE_ID_UNSAFE, Samples.z(Acls.ANYONE));
        assertEquals(ZooDefs.Ids.AUTH_IDS, Samples.z(Acls.AUTH_IDS));
        assertEquals(ZooDefs.Ids.OPEN_ACL_UNSAFE, Samples.zAcls(Acls.OPEN_ACL_UNSAFE));
        assertEquals(ZooDefs.Ids.CREATOR_ALL_ACL, Samples.zAcls(Acls.CREATOR_ALL_ACL));
        assertEquals(ZooDefs.Ids.READ_ACL_UNSAFE, Samples.zAcls(Acls.READ_ACL_UNSAFE));
    }

    @Test
    void reservedXids() {
        Map<String, Integer> xids = Arrays.stream(Xid.class.getFields())
                .collect(Collectors.toMap(Field::getName, f -> {
                    try {
                        return f.getInt(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        assertEquals(Map.of("NOTIFICATION", -1, "PING", -2, "AUTH", -4, "SET_WATCHES", -8), xids);
    }
}
