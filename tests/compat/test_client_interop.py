"""The Swift client next to librdkafka (kcat, confluent-kafka): records produced by one are read by the
other with identical keys, values, headers and partitions; every codec; the Java partitioner's choice
for keys (vectors from kafka-python's murmur2); consumer groups shared with confluent-kafka members."""
import json
import subprocess
import threading
import time

import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from kafka.partitioner.default import murmur2

from conftest import BIN, run


def cli(broker, *args, input: bytes | None = None, timeout: float = 120) -> str:
    return run([str(BIN), *args, "--brokers", broker.bootstrap], input=input, timeout=timeout).stdout.decode()


def create(broker, topic, partitions):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])[topic].result(timeout=30)


def java_partition(key: bytes, partitions: int) -> int:
    return (murmur2(key) & 0x7FFFFFFF) % partitions


def test_swift_produced_records_read_by_kcat_and_confluent(broker):
    topic, partitions, n = "from-swift", 6, 2000
    create(broker, topic, partitions)
    lines = [json.dumps({"key": f"key-{i % 101}", "value": f"value-{i}", "headers": {"i": str(i), "src": "swift"}})
             for i in range(n)]
    cli(broker, "produce", topic, "--format", "json", "--compression", "lz4", input=("\n".join(lines) + "\n").encode())

    # kcat: key, value, partition, headers.
    out = run(["kcat", "-b", broker.bootstrap, "-C", "-t", topic, "-e", "-q", "-f", "%p\t%k\t%s\t%h\n"]).stdout.decode()
    rows = [l.split("\t") for l in out.splitlines()]
    assert len(rows) == n
    for p, k, v, h in rows:
        i = int(v.split("-")[1])
        assert k == f"key-{i % 101}"
        assert int(p) == java_partition(k.encode(), partitions), f"{k} in {p}"
        assert sorted(h.split(",")) == sorted([f"i={i}", "src=swift"])

    # confluent-kafka: the same through the Python API.
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "verify", "auto.offset.reset": "earliest",
                  "enable.auto.commit": False})
    c.subscribe([topic])
    got = []
    deadline = time.monotonic() + 60
    while len(got) < n and time.monotonic() < deadline:
        m = c.poll(0.5)
        if m is None or m.error():
            continue
        got.append(m)
    c.close()
    assert len(got) == n
    for m in got:
        i = int(m.value().decode().split("-")[1])
        assert m.key().decode() == f"key-{i % 101}"
        assert m.partition() == java_partition(m.key(), partitions)
        assert dict((k, v.decode()) for k, v in m.headers()) == {"i": str(i), "src": "swift"}


@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_confluent_produced_each_codec_read_by_swift(broker, codec):
    topic, n = f"to-swift-{codec}", 3000
    create(broker, topic, 3)
    p = Producer({"bootstrap.servers": broker.bootstrap, "compression.type": codec, "linger.ms": 20,
                  "partitioner": "murmur2_random"})
    for i in range(n):
        p.produce(topic, key=f"k{i % 37}".encode(), value=f"v{i}".encode() * 3, headers=[("codec", codec.encode())])
    assert p.flush(30) == 0
    out = cli(broker, "consume", topic, "-e", "--format", "json")
    records = [json.loads(l) for l in out.splitlines()]
    assert len(records) == n
    values = sorted(int(r["value"][1:].split("v")[0]) for r in records)
    assert values == list(range(n))
    for r in records:
        assert r["headers"] == [{"key": "codec", "value": codec}]
        # librdkafka's murmur2_random is the Java partitioner: our consumer sees the Java choice.
        assert r["partition"] == java_partition(r["key"].encode(), 3)


@pytest.mark.parametrize("codec", ["gzip", "snappy", "lz4", "zstd"])
def test_kcat_produced_each_codec_read_by_swift(broker, codec):
    topic = f"kcat-{codec}"
    create(broker, topic, 1)
    lines = "".join(f"key{i}:value {i} {'y' * (i % 40)}\n" for i in range(1000)).encode()
    run(["kcat", "-b", broker.bootstrap, "-P", "-t", topic, "-K", ":", "-z", codec], input=lines)
    out = cli(broker, "consume", topic, "-e", "-f", "%k:%s\n")
    assert out.encode() == lines


def test_swift_codecs_read_by_confluent(broker):
    for codec in ["gzip", "snappy", "lz4", "zstd"]:
        topic = f"swift-{codec}"
        create(broker, topic, 1)
        cli(broker, "produce", topic, "--compression", codec, input="".join(f"r{i}\n" for i in range(500)).encode())
        out = run(["kcat", "-b", broker.bootstrap, "-C", "-t", topic, "-e", "-q", "-f", "%s\n"]).stdout.decode()
        assert out.split() == [f"r{i}" for i in range(500)], codec


def test_consistent_random_partitioner_matches_librdkafka(broker):
    topic = "consistent"
    create(broker, topic, 5)
    keys = [f"user-{i}" for i in range(200)]
    cli(broker, "produce", topic, "-k", "=", "--partitioner", "consistent_random",
        input="".join(f"{k}=x\n" for k in keys).encode())
    p = Producer({"bootstrap.servers": broker.bootstrap, "partitioner": "consistent_random"})
    for k in keys:
        p.produce(topic, key=k.encode(), value=b"y")
    p.flush(30)
    out = run(["kcat", "-b", broker.bootstrap, "-C", "-t", topic, "-e", "-q", "-f", "%k %s %p\n"]).stdout.decode()
    where: dict[str, set] = {}
    for line in out.splitlines():
        k, _, part = line.split()
        where.setdefault(k, set()).add(part)
    assert len(where) == len(keys)
    assert all(len(parts) == 1 for parts in where.values()), "librdkafka and Swift disagree on a key's partition"


class PythonMember:
    """A confluent-kafka group member polling on its own thread; it records every value it reads and how
    many partitions it owns after each poll."""

    def __init__(self, broker, topic, group, strategy):
        self.values: list[str] = []
        self.owned = 0
        self.assignments: list[list[int]] = []
        self.stop = threading.Event()
        self.config = {"bootstrap.servers": broker.bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                       "partition.assignment.strategy": strategy, "enable.auto.commit": True,
                       "auto.commit.interval.ms": 200, "session.timeout.ms": 10000}
        self.topic = topic
        self.thread = threading.Thread(target=self.run)

    def run(self):
        c = Consumer(self.config)
        c.subscribe([self.topic], on_assign=lambda _, parts: self.assignments.append([x.partition for x in parts]))
        while not self.stop.is_set():
            m = c.poll(0.2)
            self.owned = len(c.assignment())
            if m is not None and not m.error():
                self.values.append(m.value().decode())
        c.close()


def wait_until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def run_mixed_group(broker, topic, group, strategy, swift_args, prefix, n=4000):
    """A confluent-kafka member joins first and owns all 4 partitions; a Swift member joins and takes some
    of them. Records are produced only after the rebalance, so the Swift member reads them whatever the
    broker's initial rebalance delay. Returns (Swift values, Python member)."""
    import selectors
    create(broker, topic, 4)
    member = PythonMember(broker, topic, group, strategy)
    member.thread.start()
    swift = None
    out = b""
    try:
        wait_until(lambda: member.owned == 4, 60, "the Python member to own all 4 partitions")
        swift = subprocess.Popen([str(BIN), "consume", topic, "--group", group, *swift_args,
                                  "--brokers", broker.bootstrap], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_until(lambda: 0 < member.owned < 4, 60, "the Swift member to take partitions from the Python member")
        p = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 5})
        for i in range(n):
            p.produce(topic, key=str(i).encode(), value=f"{prefix}{i}".encode())
        assert p.flush(30) == 0
        sel = selectors.DefaultSelector()
        sel.register(swift.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            for _ in sel.select(timeout=0.5):
                out += swift.stdout.read1(65536)
            if len(set(out.decode().split()) | set(member.values)) >= n:
                break
    finally:
        if swift is not None:
            swift.terminate()
            swift.wait(timeout=30)
        member.stop.set()
        member.thread.join(timeout=30)
    swift_values = out.decode().split()
    assert set(swift_values) | set(member.values) == {f"{prefix}{i}" for i in range(n)}
    assert swift_values, "the Swift member read nothing from the partitions it owns"
    assert member.values, "the Python member read nothing from the partitions it kept"
    return swift_values, member


def test_swift_and_confluent_consumers_share_a_group(broker):
    _, member = run_mixed_group(broker, "shared", "mixed", "range", [], "m")
    # The Python member saw a rebalance that gave it fewer than all 4 partitions.
    assert any(len(a) < 4 for a in member.assignments), f"assignments seen by the Python member: {member.assignments}"


def test_cooperative_sticky_group_with_confluent(broker):
    """Both members speak cooperative-sticky: the first keeps the partitions it still owns while the
    second joins, and between them every record is read."""
    run_mixed_group(broker, "coop", "coop-group", "cooperative-sticky", ["--assignor", "cooperative-sticky"], "c", n=3000)


def test_two_swift_members_split_partitions_cooperatively(broker):
    topic = "coop-swift"
    create(broker, topic, 4)
    cli(broker, "produce", topic, "-k", ":", input="".join(f"k{i}:v{i}\n" for i in range(400)).encode())
    procs = [subprocess.Popen([str(BIN), "consume", topic, "--group", "two-swift", "--assignor", "cooperative-sticky",
                               "--brokers", broker.bootstrap], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    time.sleep(12)
    described = cli(broker, "group", "describe", "two-swift")
    for proc in procs:
        proc.terminate()
    outs = [proc.communicate(timeout=30)[0].decode().split() for proc in procs]
    assert "cooperative-sticky" in described
    members = {line.split()[5] for line in described.splitlines()[8:] if len(line.split()) >= 7}
    assert len(members) == 2, described
    assert set(outs[0]) | set(outs[1]) == {f"v{i}" for i in range(400)}
