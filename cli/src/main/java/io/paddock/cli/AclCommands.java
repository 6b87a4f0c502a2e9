package io.paddock.cli;

import io.paddock.client.NodeAcl;
import io.paddock.client.PaddockClient;
import io.paddock.protocol.ACL;
import io.paddock.protocol.ClientInfo;
import io.paddock.protocol.Stat;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Access control: getAcl, setAcl, addauth, whoami. */
final class AclCommands {
    private AclCommands() {
    }

    static void register(Commands c) {
        c.add(new Command("getAcl", "getAcl [-s] path", "s", "", 1, AclCommands::getAcl));
        c.add(new Command("setAcl", "setAcl [-s] [-v version] [-R] path acl", "sR", "v", 2, AclCommands::setAcl));
        c.add(new Command("addauth", "addauth scheme auth", "", "", 1, AclCommands::addAuth));
        c.add(new Command("whoami", "whoami", "", "", 0, AclCommands::whoAmI));
    }

    private static void getAcl(Args a, Session s) throws InterruptedException {
        NodeAcl node = s.client().getACL(a.arg(0));
        for (ACL acl : node.acl()) {
            s.out().println(AclText.format(acl));
        }
        if (a.has('s')) {
            StatPrinter.print(node.stat(), s.out());
        }
    }

    /** With -R the ACL goes to every descendant too (any version); -v applies to the named node. */
    private static void setAcl(Args a, Session s) throws InterruptedException {
        PaddockClient client = s.client();
        String path = a.arg(0);
        List<ACL> acl = AclText.parse(a.arg(1));
        Stat stat = client.setACL(path, acl, a.intValue('v', -1, "the version"));
        if (a.has('R')) {
            for (String p : Trees.breadthFirst(client, path)) {
                if (!p.equals(path)) {
                    client.setACL(p, acl, -1);
                }
            }
        }
        if (a.has('s')) {
            StatPrinter.print(stat, s.out());
        }
    }

    private static void addAuth(Args a, Session s) throws InterruptedException {
        String auth = a.arg(1) == null ? "" : a.arg(1);
        s.client().addAuthInfo(a.arg(0), auth.getBytes(StandardCharsets.UTF_8));
    }

    private static void whoAmI(Args a, Session s) throws InterruptedException {
        List<ClientInfo> ids = s.client().whoAmI();
        s.out().println("Auth scheme: User");
        for (ClientInfo id : ids) {
            s.out().println(id.authScheme() + ": " + id.user());
        }
    }
}
