"""kazoo logs in by SASL DIGEST-MD5 (pure-sasl) against a server whose JAAS Server section has
user_bob="bob-password": a sasl ACL admits bob, refuses an anonymous client, and a wrong password
is refused while bob's session goes on. Prints KAZOO SASL OK on success."""
import sys

from kazoo.client import KazooClient
from kazoo.exceptions import NoAuthError
from kazoo.security import make_acl

hosts = sys.argv[1]


def sasl_client(password):
    return KazooClient(hosts=hosts, sasl_options={
        'mechanism': 'DIGEST-MD5', 'username': 'bob', 'password': password})


bob = sasl_client('bob-password')
bob.start(timeout=20)
bob.create('/kazoo-bob', b'secret', acl=[make_acl('sasl', 'bob', all=True)])
assert bob.get('/kazoo-bob')[0] == b'secret'
acl = bob.get_acls('/kazoo-bob')[0]
assert [(a.id.scheme, a.id.id) for a in acl] == [('sasl', 'bob')], acl

anonymous = KazooClient(hosts=hosts)
anonymous.start(timeout=20)
try:
    anonymous.get('/kazoo-bob')
    sys.exit('an anonymous client read a sasl:bob node')
except NoAuthError:
    pass
anonymous.stop()

wrong = sasl_client('not-bobs-password')
try:
    wrong.start(timeout=5)
except Exception:
    pass  # the refusal may come before or after start() returns
try:
    wrong.get('/kazoo-bob')
    sys.exit('a wrong password read a sasl:bob node')
except NoAuthError:
    sys.exit('a wrong password was not refused at login')
except Exception as e:
    print('wrong password refused:', type(e).__name__)
wrong.stop()

assert bob.get('/kazoo-bob')[0] == b'secret'
bob.stop()
print('KAZOO SASL OK')
