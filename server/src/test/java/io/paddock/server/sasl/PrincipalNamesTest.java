package io.paddock.server.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a proven principal becomes the sasl id, as Apache's callback handler names it with its DEFAULT rule. */
class PrincipalNamesTest {
    @ParameterizedTest
    @CsvSource({
        // removeHost, removeRealm, authenticated, expected
        "false, false, bob, bob",
        "true, true, bob, bob",
        "false, false, zkcli@EXAMPLE.COM, zkcli@EXAMPLE.COM",
        "false, true, zkcli@EXAMPLE.COM, zkcli",
        "false, false, zkcli/host.example.com@EXAMPLE.COM, zkcli/host.example.com@EXAMPLE.COM",
        "true, false, zkcli/host.example.com@EXAMPLE.COM, zkcli@EXAMPLE.COM",
        "true, true, zkcli/host.example.com@EXAMPLE.COM, zkcli",
        // Another realm matches no rule: the authorized id stays as the exchange gave it.
        "true, true, zkcli/host@OTHER.ORG, asked-for",
    })
    void principalsOfTheDefaultRealmLoseHostAndRealmOnlyWhenAsked(boolean removeHost, boolean removeRealm,
                                                                   String authenticated, String expected) {
        PrincipalNames names = new PrincipalNames(removeHost, removeRealm, "EXAMPLE.COM");
        assertEquals(expected, names.identity(authenticated, "asked-for"));
    }

    @ParameterizedTest
    @CsvSource({"bob, true", "zk/host@REALM, true", "bob@REALM, true", "a@b@c, false", "a/b/c@R, false"})
    void aSaslAclIdMustBeAPlainNameOrAWellFormedPrincipal(String id, boolean valid) {
        if (valid) {
            assertTrue(PrincipalNames.valid(id));
        } else {
            assertFalse(PrincipalNames.valid(id));
        }
    }
}
