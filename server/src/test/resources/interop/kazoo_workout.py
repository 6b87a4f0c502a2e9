"""Exercises kazoo (Python ZooKeeper client) against a server: core operations, watches,
transactions, digest ACLs, four-letter words and kazoo's recipes. Exits non-zero on the first
failed check and prints KAZOO OK at the end. Usage: python3 kazoo_workout.py host:port"""
import sys
import threading
import time

from kazoo.client import KazooClient
from kazoo.exceptions import BadVersionError, NoAuthError
from kazoo.recipe.barrier import Barrier
from kazoo.recipe.cache import TreeCache
from kazoo.recipe.counter import Counter
from kazoo.recipe.election import Election
from kazoo.recipe.lock import Lock
from kazoo.recipe.party import Party
from kazoo.recipe.queue import LockingQueue, Queue
from kazoo.security import make_digest_acl


def wait_until(condition, what, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise SystemExit("timed out waiting for " + what)


def check(condition, what):
    if not condition:
        raise SystemExit("check failed: " + what)


hosts = sys.argv[1]
zk = KazooClient(hosts=hosts, timeout=10)
zk.start(timeout=10)
version = zk.server_version()
check(version[:2] == (3, 9), "server_version reports 3.9: %r" % (version,))
check(zk.command(b"ruok") == "imok", "ruok")

zk.ensure_path("/kz/a/b")
zk.create("/kz/data", b"v1")
data, stat = zk.get("/kz/data")
check(data == b"v1" and stat.version == 0, "get after create")
zk.set("/kz/data", b"v2", version=0)
try:
    zk.set("/kz/data", b"v3", version=0)
    raise SystemExit("expected BadVersionError")
except BadVersionError:
    pass
seq = zk.create("/kz/seq-", b"", sequence=True, ephemeral=True)
check(seq.startswith("/kz/seq-") and len(seq) == len("/kz/seq-") + 10, "sequential name " + seq)
check(zk.exists("/kz/none") is None, "exists on a missing node")
check(zk.create("/kz/nulldata", None) == "/kz/nulldata", "create with null data (kazoo sends null)")

seen = []
zk.DataWatch("/kz/data")(lambda data, stat, event=None: seen.append(("data", data)))
zk.ChildrenWatch("/kz")(lambda children: seen.append(("children", sorted(children))))
zk.set("/kz/data", b"v4")
zk.create("/kz/new", b"")
wait_until(lambda: ("data", b"v4") in seen, "the DataWatch to see v4")
wait_until(lambda: any(k == "children" and "new" in v for k, v in seen), "the ChildrenWatch to see /kz/new")

t = zk.transaction()
t.create("/kz/t1", b"x")
t.check("/kz/data", 2)
t.set_data("/kz/data", b"t")
results = t.commit()
check(results[0] == "/kz/t1" and results[1] is True, "transaction results %r" % (results,))
t = zk.transaction()
t.create("/kz/t2", b"x")
t.check("/kz/data", 99)
results = t.commit()
check([type(r).__name__ for r in results] == ["RolledBackError", "BadVersionError"], "failed transaction %r" % (results,))
check(zk.exists("/kz/t2") is None, "nothing of a failed transaction is applied")
children, st = zk.get_children("/kz", include_data=True)
check(st.numChildren == len(children), "numChildren matches")

# kazoo pairs an auth reply with the oldest request it is waiting for: with reads still in
# flight, the server must answer the auth packet after them, in order.
in_flight = [zk.get_async("/kz/data") for _ in range(20)]
zk.add_auth("digest", "alice:secret")
check(all(r.get(timeout=10)[0] == b"t" for r in in_flight), "reads in flight around an auth")
zk.create("/kz/secret", b"s", acl=[make_digest_acl("alice", "secret", all=True)])
other = KazooClient(hosts=hosts, timeout=10)
other.start(timeout=10)
try:
    other.get("/kz/secret")
    raise SystemExit("expected NoAuthError")
except NoAuthError:
    pass
check(zk.get_acls("/kz/secret")[0][0].id.id == "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=", "digest id")

lock, lock2 = Lock(zk, "/kz/lock"), Lock(other, "/kz/lock")
with lock:
    check(not lock2.acquire(blocking=False), "a held lock is not granted twice")
check(lock2.acquire(timeout=5), "the lock is granted once released")
lock2.release()
won = []
election = Election(zk, "/kz/election")
runner = threading.Thread(target=election.run, args=(lambda: won.append(True),))
runner.start()
runner.join(10)
check(won == [True], "election")
counter = Counter(zk, "/kz/counter")
counter += 5
counter -= 2
check(counter.value == 3, "counter")
queue = Queue(zk, "/kz/queue")
queue.put(b"one")
queue.put(b"two")
check((queue.get(), queue.get()) == (b"one", b"two"), "queue order")
lqueue = LockingQueue(zk, "/kz/lqueue")
lqueue.put(b"x")
check(lqueue.get(timeout=5) == b"x" and lqueue.consume(), "locking queue")
party = Party(zk, "/kz/party", "me")
party.join()
check(list(party) == ["me"], "party")
party.leave()
barrier = Barrier(zk, "/kz/barrier")
barrier.create()
barrier.remove()
check(barrier.wait(1), "barrier")
cache = TreeCache(zk, "/kz/a")
cache.start()
zk.create("/kz/a/b/c", b"tc")
wait_until(lambda: cache.get_data("/kz/a/b/c") is not None, "the TreeCache to see /kz/a/b/c")
cache.close()

zk.delete("/kz", recursive=True)
check(zk.exists("/kz") is None, "recursive delete")
other.stop()
zk.stop()
zk.close()
print("KAZOO OK")
