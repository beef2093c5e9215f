"""Consumer groups with real clients: confluent-kafka (librdkafka), kafka-python, aiokafka and kcat.

Covers balanced assignment, a member killed without LeaveGroup, members added, cooperative-sticky
incremental rebalances, at-least-once processing with synchronous commits, a broker restart
mid-run, static membership, and malformed or out-of-turn group requests on the wire.
"""
import asyncio
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import run

WORKER = Path(__file__).with_name("group_worker.py")
# A short initial delay keeps the tests quick while still gathering members that start together.
GROUP_SETTINGS = {"group.initial.rebalance.delay.ms": "500"}


def create_topic(broker, topic, partitions):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])[topic].result(timeout=30)


def produce(broker, topic, n, start=0):
    p = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all", "linger.ms": 5})
    for i in range(start, start + n):
        p.produce(topic, key=str(i).encode(), value=f"m{i}".encode())
        if i % 500 == 0:
            p.poll(0)
    assert p.flush(30) == 0


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Worker:
    """A group_worker.py process and what it wrote."""

    def __init__(self, broker, topic, group, out_dir, name, strategy="range", instance=None):
        self.path = out_dir / f"{name}.log"
        args = [sys.executable, str(WORKER), broker.bootstrap, topic, group, str(self.path), strategy]
        if instance:
            args.append(instance)
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def lines(self):
        return self.path.read_text().splitlines() if self.path.exists() else []

    def assignment(self):
        """The partitions held now (assign/revoke lines apply in order; eager and cooperative alike)."""
        held = set()
        for line in self.lines():
            kind, _, rest = line.partition(" ")
            if kind not in ("assigned", "revoked"):
                continue
            parts = {int(p) for p in rest.split(",") if p}
            if kind == "assigned":
                held |= parts
            elif kind == "revoked":
                held -= parts
        return held

    def processed(self):
        out = []
        for line in self.lines():
            a, _, b = line.partition(" ")
            if a.isdigit():
                out.append((int(a), int(b)))
        return out

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers():
    started = []
    yield started
    for w in started:
        w.stop()


def balanced(ws, partitions, per_member):
    held = [w.assignment() for w in ws]
    union = set().union(*held)
    return union == set(range(partitions)) and all(len(h) == per_member for h in held) and sum(map(len, held)) == partitions


def test_three_members_kill_add_and_every_message_processed(broker_factory, workers, tmp_path):
    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "orders", 6)
    produce(broker, "orders", 3000)
    for i in range(3):
        workers.append(Worker(broker, "orders", "g-eager", tmp_path, f"w{i}"))
    wait_until(lambda: balanced(workers, 6, 2), 60, "3 members with 2 partitions each")

    # Kill one without LeaveGroup: its partitions move after the 6 s session timeout.
    victim = workers[0]
    victim.kill()
    killed_at = time.monotonic()
    survivors = workers[1:]
    moved_at = wait_until(lambda: balanced(survivors, 6, 3), 60, "2 survivors with 3 partitions each")
    assert moved_at - killed_at >= 5, "partitions moved before the session timeout"
    produce(broker, "orders", 1500, start=3000)

    # A new member: back to 2 each.
    workers.append(Worker(broker, "orders", "g-eager", tmp_path, "w3"))
    wait_until(lambda: balanced(workers[1:], 6, 2), 60, "3 members again with 2 partitions each")
    produce(broker, "orders", 1500, start=4500)

    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "probe"})
    ends = {p: c.get_watermark_offsets(TopicPartition("orders", p), timeout=10)[1] for p in range(6)}
    c.close()
    assert sum(ends.values()) == 6000

    def all_processed():
        seen = {x for w in workers for x in w.processed()}
        return len(seen) == 6000

    wait_until(all_processed, 90, "all 6000 messages processed")
    every = [x for w in workers for x in w.processed()]
    assert {x for x in every} == {(p, o) for p in range(6) for o in range(ends[p])}
    duplicates = len(every) - len(set(every))
    # Commits are synchronous after each message: only a message the killed member processed but
    # had not committed yet (one per partition it held), or one whose commit the client saw fail
    # during a rebalance (librdkafka documents this window), may be processed again.
    failed_commits = sum(1 for w in workers for line in w.lines() if line.startswith("commitfail"))
    assert duplicates <= 2 + failed_commits, f"{duplicates} messages processed twice ({failed_commits} failed commits)"


def test_cooperative_sticky_keeps_partitions_that_stay(broker_factory, workers, tmp_path):
    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "coop", 6)
    produce(broker, "coop", 600)
    for i in range(2):
        workers.append(Worker(broker, "coop", "g-coop", tmp_path, f"c{i}", strategy="cooperative-sticky"))
    wait_until(lambda: balanced(workers, 6, 3), 60, "2 members with 3 partitions each")
    before = [w.assignment() for w in workers]
    marks = [len(w.lines()) for w in workers]

    workers.append(Worker(broker, "coop", "g-coop", tmp_path, "c2", strategy="cooperative-sticky"))
    wait_until(lambda: balanced(workers, 6, 2), 60, "3 members with 2 partitions each")
    for w, held_before, mark in zip(workers, before, marks):
        revoked = set()
        for line in w.lines()[mark:]:
            if line.startswith("revoked "):
                revoked |= {int(p) for p in line[8:].split(",") if p}
        kept = held_before & w.assignment()
        assert kept, "each original member keeps some partitions"
        assert not (revoked & kept), f"partitions {revoked & kept} were revoked although they stayed"
        assert revoked == held_before - w.assignment()


def test_static_member_returns_without_rebalancing_others(broker_factory, workers, tmp_path):
    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "static", 4)
    workers.append(Worker(broker, "static", "g-static", tmp_path, "s0", instance="inst-0"))
    workers.append(Worker(broker, "static", "g-static", tmp_path, "s1", instance="inst-1"))
    wait_until(lambda: balanced(workers, 4, 2), 60, "2 static members with 2 partitions each")
    held = workers[1].assignment()
    mark = len(workers[0].lines())

    workers[1].kill()
    workers[1] = Worker(broker, "static", "g-static", tmp_path, "s1-again", instance="inst-1")
    wait_until(lambda: workers[1].assignment() == held, 30, "the restarted static member to get its partitions back")
    time.sleep(2)
    assert not any(l.startswith(("revoked", "assigned")) for l in workers[0].lines()[mark:]), "the other member rebalanced"


def test_broker_restart_mid_run_keeps_committed_offsets(broker_factory):
    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "durable", 2)
    produce(broker, "durable", 400)
    conf = {"bootstrap.servers": broker.bootstrap, "group.id": "g-restart", "enable.auto.commit": False,
            "auto.offset.reset": "earliest", "session.timeout.ms": 6000, "heartbeat.interval.ms": 500}
    c = Consumer(conf)
    c.subscribe(["durable"])
    seen = []

    def consume(until, timeout):
        deadline = time.monotonic() + timeout
        while len(set(seen)) < until and time.monotonic() < deadline:
            m = c.poll(0.2)
            if m is None or m.error():
                continue
            seen.append((m.partition(), m.offset()))
            try:
                c.commit(message=m, asynchronous=False)
            except Exception:
                pass  # the broker is away: the message is processed again after the restart

    consume(200, 60)
    assert len(set(seen)) >= 200
    committed_before = {tp.partition: tp.offset for tp in c.committed([TopicPartition("durable", 0), TopicPartition("durable", 1)], timeout=10)}
    broker.restart()
    consume(400, 90)
    assert len(set(seen)) == 400, "every message was processed across the restart"
    assert len(seen) - len(set(seen)) <= 2
    c.close()

    # A fresh consumer of the group, after another restart, starts where the group committed.
    broker.restart()
    c2 = Consumer(conf)
    committed = {tp.partition: tp.offset for tp in c2.committed([TopicPartition("durable", 0), TopicPartition("durable", 1)], timeout=10)}
    ends = {p: c2.get_watermark_offsets(TopicPartition("durable", p), timeout=10)[1] for p in range(2)}
    c2.close()
    assert committed == ends, f"committed {committed}, end offsets {ends}"
    assert all(committed[p] >= committed_before[p] for p in range(2))


def test_kafka_python_group_consumer(broker_factory):
    from kafka import KafkaConsumer
    from kafka import TopicPartition as KTP

    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "kp", 3)
    produce(broker, "kp", 300)
    c = KafkaConsumer("kp", bootstrap_servers=broker.bootstrap, group_id="g-kp", auto_offset_reset="earliest",
                      enable_auto_commit=False, consumer_timeout_ms=8000)
    values = []
    for m in c:
        values.append(m.value)
        if len(values) == 300:
            break
    c.commit()
    committed = {p: c.committed(KTP("kp", p)) for p in range(3)}
    c.close()
    assert sorted(values) == sorted(f"m{i}".encode() for i in range(300))
    assert sum(committed.values()) == 300

    again = KafkaConsumer("kp", bootstrap_servers=broker.bootstrap, group_id="g-kp", consumer_timeout_ms=3000)
    assert list(again) == [], "a member of the group resumes after the committed offsets"
    again.close()


def test_aiokafka_group_consumer(broker_factory):
    from aiokafka import AIOKafkaConsumer
    from aiokafka.structs import TopicPartition as ATP

    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "aio", 2)
    produce(broker, "aio", 200)

    async def main():
        c = AIOKafkaConsumer("aio", bootstrap_servers=broker.bootstrap, group_id="g-aio", auto_offset_reset="earliest",
                             enable_auto_commit=False)
        await c.start()
        got = []
        try:
            deadline = time.monotonic() + 60
            while len(got) < 200 and time.monotonic() < deadline:
                batch = await c.getmany(timeout_ms=500)
                for msgs in batch.values():
                    got.extend(m.value for m in msgs)
            await c.commit()
            committed = [await c.committed(ATP("aio", p)) for p in range(2)]
        finally:
            await c.stop()
        return got, committed

    got, committed = asyncio.run(main())
    assert sorted(got) == sorted(f"m{i}".encode() for i in range(200))
    assert sum(committed) == 200


def test_kcat_balanced_consumer(broker_factory):
    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "kc", 3)
    produce(broker, "kc", 90)
    out = run(["kcat", "-b", broker.bootstrap, "-G", "g-kcat", "-o", "beginning", "-e", "-f", "%p %o\n", "kc"], timeout=60)
    lines = out.stdout.decode().split()
    assert len(lines) == 180  # "p o" pairs, split on whitespace
    # The group committed: a second run from the committed offsets reads nothing new.
    out2 = run(["kcat", "-b", broker.bootstrap, "-G", "g-kcat", "-e", "-f", "%p %o\n", "kc"], timeout=60)
    assert out2.stdout.decode().split() == []


# --- the wire: malformed and out-of-turn group requests get error codes, never a crash ---

def _str(s):
    if s is None:
        return struct.pack(">h", -1)
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def _request(sock, api, version, body, corr=[0]):
    corr[0] += 1
    header = struct.pack(">hhi", api, version, corr[0]) + _str("wire-test")
    frame = header + body
    sock.sendall(struct.pack(">i", len(frame)) + frame)
    size = struct.unpack(">i", _recv(sock, 4))[0]
    data = _recv(sock, size)
    assert struct.unpack(">i", data[:4])[0] == corr[0]
    return data[4:]


def _recv(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    return buf


def _join_v2(group, member, protocols, session=10000, protocol_type="consumer"):
    body = _str(group) + struct.pack(">ii", session, 30000) + _str(member) + _str(protocol_type)
    body += struct.pack(">i", len(protocols))
    for name in protocols:
        body += _str(name) + struct.pack(">i", 3) + b"abc"
    return body


def _join_error(resp):
    # JoinGroup v2 response: throttle_time_ms, error_code, ...
    return struct.unpack(">h", resp[4:6])[0]


def test_bad_group_requests_get_error_codes(broker_factory):
    broker = broker_factory({"group.initial.rebalance.delay.ms": "0"})
    with socket.create_connection(("127.0.0.1", broker.port), timeout=10) as s:
        assert _join_error(_request(s, 11, 2, _join_v2("g", "", []))) == 23                       # INCONSISTENT_GROUP_PROTOCOL
        assert _join_error(_request(s, 11, 2, _join_v2("g", "", ["range"], protocol_type=""))) == 23
        assert _join_error(_request(s, 11, 2, _join_v2("g", "ghost", ["range"]))) == 25           # UNKNOWN_MEMBER_ID
        assert _join_error(_request(s, 11, 2, _join_v2("g", "", ["range"], session=10))) == 26    # INVALID_SESSION_TIMEOUT
        assert _join_error(_request(s, 11, 2, _join_v2("", "", ["range"]))) == 24                 # INVALID_GROUP_ID

        # A real member (v2 joins without the member-id round trip), then out-of-turn requests.
        resp = _request(s, 11, 2, _join_v2("g", "", ["range"]))
        assert _join_error(resp) == 0
        generation = struct.unpack(">i", resp[6:10])[0]
        pos = 10
        for _ in range(2):  # protocol name, leader
            n = struct.unpack(">h", resp[pos:pos + 2])[0]
            pos += 2 + n
        n = struct.unpack(">h", resp[pos:pos + 2])[0]
        member = resp[pos + 2:pos + 2 + n].decode()
        assert _join_error(_request(s, 11, 2, _join_v2("g", member, ["roundrobin"]))) == 23      # no common protocol

        def sync(gen, mid):
            body = _str("g") + struct.pack(">i", gen) + _str(mid) + struct.pack(">i", 0)
            return struct.unpack(">h", _request(s, 14, 1, body)[4:6])[0]

        assert sync(generation + 5, member) == 22                                                 # ILLEGAL_GENERATION
        assert sync(generation, "ghost") == 25

        def heartbeat(gen, mid, group="g"):
            body = _str(group) + struct.pack(">i", gen) + _str(mid)
            return struct.unpack(">h", _request(s, 12, 1, body)[4:6])[0]

        assert heartbeat(generation, "ghost") == 25
        assert heartbeat(generation - 1, member) == 22
        assert heartbeat(1, "x", group="no-such-group") == 25

        # OffsetCommit v2 for an unknown topic and from a stale generation.
        def commit(gen, mid, topic):
            body = _str("g") + struct.pack(">i", gen) + _str(mid) + struct.pack(">q", -1)
            body += struct.pack(">i", 1) + _str(topic) + struct.pack(">i", 1) + struct.pack(">iq", 0, 5) + _str("")
            resp = _request(s, 8, 2, body)
            # topics[1]: name, partitions[1]: index, error
            n = struct.unpack(">h", resp[4:6])[0]
            return struct.unpack(">h", resp[6 + n + 4 + 4:6 + n + 4 + 4 + 2])[0]

        assert commit(generation + 1, member, "no-such-topic") == 3                               # UNKNOWN_TOPIC_OR_PARTITION

    # Garbage in a group request: the connection closes, the broker lives on.
    with socket.create_connection(("127.0.0.1", broker.port), timeout=10) as s:
        frame = struct.pack(">hhi", 11, 5, 1) + _str("x") + b"\x00\x05ab"
        s.sendall(struct.pack(">i", len(frame)) + frame)
        try:
            assert s.recv(1) == b""
        except ConnectionResetError:
            pass
    assert broker.alive()
    with socket.create_connection(("127.0.0.1", broker.port), timeout=10) as s:
        assert _join_error(_request(s, 11, 2, _join_v2("g2", "", []))) == 23


# --- timing (numbers for BENCHMARKS.md; printed with -s) ---

def _time_to_first_message(broker, topic, group):
    start = time.monotonic()
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": group, "auto.offset.reset": "earliest"})
    c.subscribe([topic])
    deadline = start + 30
    first = None
    while time.monotonic() < deadline:
        m = c.poll(0.05)
        if m is not None and not m.error():
            first = time.monotonic() - start
            break
    c.close()
    assert first is not None
    return first


@pytest.mark.parametrize("delay_ms", [0, 3000])
def test_time_to_first_message(broker_factory, delay_ms):
    broker = broker_factory({"group.initial.rebalance.delay.ms": str(delay_ms)})
    create_topic(broker, "ttfm", 3)
    produce(broker, "ttfm", 30)
    took = _time_to_first_message(broker, "ttfm", f"g-ttfm-{delay_ms}")
    print(f"\nTIMING time-to-first-message initial-delay={delay_ms}ms: {took * 1000:.0f} ms")
    assert took < delay_ms / 1000 + 1.0, f"first message after {took:.2f}s"


def test_time_of_full_rebalance_with_three_members(broker_factory, workers, tmp_path):
    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "rb", 6)
    for i in range(4):
        workers.append(Worker(broker, "rb", "g-rb", tmp_path, f"r{i}"))
    wait_until(lambda: sum(len(w.assignment()) for w in workers) == 6 and all(w.assignment() for w in workers)
               or balanced(workers, 6, 2), 60, "4 members holding all partitions")
    wait_until(lambda: all(w.assignment() for w in workers[:2]) and sum(len(w.assignment()) for w in workers) == 6, 60, "stable")
    time.sleep(1)
    # One member leaves (LeaveGroup on close): the other three go through a full eager rebalance.
    start = time.monotonic()
    workers[3].stop()
    done = wait_until(lambda: balanced(workers[:3], 6, 2), 60, "3 members with 2 partitions each")
    print(f"\nTIMING full rebalance of 3 members after a LeaveGroup: {(done - start) * 1000:.0f} ms")
    assert done - start < 5, "the rebalance waited for a timeout instead of completing when all rejoined"


def test_admin_list_describe_offsets_delete(broker_factory):
    from confluent_kafka import ConsumerGroupTopicPartitions

    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "adm-g", 2)
    produce(broker, "adm-g", 20)
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})

    # A live member with committed offsets and metadata.
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "g-admin", "enable.auto.commit": False,
                  "auto.offset.reset": "earliest"})
    c.subscribe(["adm-g"])
    wait_until(lambda: c.poll(0.2) is not None and bool(c.assignment()), 30, "a message")
    c.commit(offsets=[TopicPartition("adm-g", 0, 7, metadata="note-0"), TopicPartition("adm-g", 1, 3)], asynchronous=False)

    listed = admin.list_consumer_groups().result(timeout=10)
    assert "g-admin" in {g.group_id for g in listed.valid}
    desc = admin.describe_consumer_groups(["g-admin"])["g-admin"].result(timeout=10)
    assert str(desc.state).endswith("STABLE")
    assert len(desc.members) == 1
    assert {tp.partition for tp in desc.members[0].assignment.topic_partitions} == {0, 1}

    got = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions("g-admin")])["g-admin"].result(timeout=10)
    by_partition = {tp.partition: tp for tp in got.topic_partitions}
    assert by_partition[0].offset == 7 and by_partition[0].metadata == "note-0"
    assert by_partition[1].offset == 3

    # A group with a member cannot be deleted; once empty it can, offsets and all.
    res = admin.delete_consumer_groups(["g-admin"])["g-admin"]
    with pytest.raises(Exception):
        res.result(timeout=10)
    c.close()
    wait_until(lambda: str(admin.describe_consumer_groups(["g-admin"])["g-admin"].result(timeout=10).state).endswith("EMPTY"),
               20, "the group to be empty")
    admin.delete_consumer_groups(["g-admin"])["g-admin"].result(timeout=10)
    gone = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions("g-admin")])["g-admin"].result(timeout=10)
    assert all(tp.offset < 0 for tp in gone.topic_partitions)
    assert "g-admin" not in {g.group_id for g in admin.list_consumer_groups().result(timeout=10).valid}


def _offset_delete(sock, group, topic, partitions):
    body = _str(group) + struct.pack(">i", 1) + _str(topic) + struct.pack(">i", len(partitions))
    body += b"".join(struct.pack(">i", p) for p in partitions)
    resp = _request(sock, 47, 0, body)
    top = struct.unpack(">h", resp[0:2])[0]
    if top != 0:
        return top, []
    n = struct.unpack(">h", resp[10:12])[0]
    pos = 12 + n
    count = struct.unpack(">i", resp[pos:pos + 4])[0]
    errors = [struct.unpack(">ih", resp[pos + 4 + 6 * i:pos + 10 + 6 * i])[1] for i in range(count)]
    return top, errors


def test_offset_delete(broker_factory):
    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "od", 2)
    produce(broker, "od", 10)
    # Offsets of a group without members (committed by an assign-mode consumer) can be deleted.
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "g-od"})
    c.commit(offsets=[TopicPartition("od", 0, 4), TopicPartition("od", 1, 6)], asynchronous=False)
    with socket.create_connection(("127.0.0.1", broker.port), timeout=10) as s:
        assert _offset_delete(s, "g-od", "od", [0]) == (0, [0])
        assert _offset_delete(s, "no-such-group", "od", [0])[0] == 69                           # GROUP_ID_NOT_FOUND
    left = {tp.partition: tp.offset for tp in c.committed([TopicPartition("od", 0), TopicPartition("od", 1)], timeout=10)}
    c.close()
    assert left == {0: -1001, 1: 6}

    # A group whose member subscribes to the topic refuses.
    member = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "g-od-live", "auto.offset.reset": "earliest"})
    member.subscribe(["od"])
    wait_until(lambda: member.poll(0.2) is not None and bool(member.assignment()), 30, "a message")
    member.commit(asynchronous=False)
    with socket.create_connection(("127.0.0.1", broker.port), timeout=10) as s:
        assert _offset_delete(s, "g-od-live", "od", [0, 1]) == (0, [86, 86])                    # GROUP_SUBSCRIBED_TO_TOPIC
    member.close()


def test_committed_offsets_survive_kill_9(broker_factory):
    broker = broker_factory(GROUP_SETTINGS)
    create_topic(broker, "k9", 2)
    produce(broker, "k9", 50)
    conf = {"bootstrap.servers": broker.bootstrap, "group.id": "g-k9", "enable.auto.commit": False,
            "auto.offset.reset": "earliest"}
    c = Consumer(conf)
    c.commit(offsets=[TopicPartition("k9", 0, 11, metadata="eleven"), TopicPartition("k9", 1, 22)], asynchronous=False)
    c.close()
    broker.kill9()  # no shutdown flush: what the commit acknowledged must already be on disk
    broker.start()
    c = Consumer(conf)
    got = {tp.partition: (tp.offset, tp.metadata) for tp in c.committed([TopicPartition("k9", 0), TopicPartition("k9", 1)], timeout=10)}
    c.close()
    assert got == {0: (11, "eleven"), 1: (22, None)} or got == {0: (11, "eleven"), 1: (22, "")}
