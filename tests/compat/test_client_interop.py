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


def test_swift_and_confluent_consumers_share_a_group(broker):
    topic, n = "shared", 4000
    create(broker, topic, 4)
    p = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 5})
    for i in range(n):
        p.produce(topic, key=str(i).encode(), value=f"m{i}".encode())
    p.flush(30)

    group = "mixed"
    python_values: list[str] = []
    stop = threading.Event()
    assigned: list = []

    def run_python_member():
        c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                      "partition.assignment.strategy": "range", "enable.auto.commit": True,
                      "auto.commit.interval.ms": 200, "session.timeout.ms": 10000})
        c.subscribe([topic], on_assign=lambda _, parts: assigned.append([x.partition for x in parts]))
        while not stop.is_set():
            m = c.poll(0.2)
            if m is not None and not m.error():
                python_values.append(m.value().decode())
        c.close()

    t = threading.Thread(target=run_python_member)
    t.start()
    try:
        time.sleep(2)  # let the Python member join first, so the Swift member triggers a rebalance
        swift = subprocess.Popen([str(BIN), "consume", topic, "--group", group, "--brokers", broker.bootstrap],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 90
        swift_values: list[str] = []
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(swift.stdout, selectors.EVENT_READ)
        buf = b""
        while time.monotonic() < deadline:
            for _ in sel.select(timeout=0.5):
                chunk = swift.stdout.read1(65536)
                buf += chunk
            lines = buf.split(b"\n")
            swift_values = [l.decode() for l in lines[:-1]]
            if len(set(swift_values) | set(python_values)) >= n and swift_values:
                break
        swift.terminate()
        swift.wait(timeout=30)
    finally:
        stop.set()
        t.join(timeout=30)

    union = set(swift_values) | set(python_values)
    assert union == {f"m{i}" for i in range(n)}
    assert swift_values, "the Swift member got no partitions"
    # The Python member saw a rebalance that gave it fewer than all 4 partitions.
    assert any(len(a) < 4 for a in assigned), f"assignments seen by the Python member: {assigned}"


def test_cooperative_sticky_group_with_confluent(broker):
    """Both members speak cooperative-sticky: the first keeps the partitions it still owns while the
    second joins, and between them every record is read."""
    topic, n = "coop", 3000
    create(broker, topic, 4)
    p = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 5})
    for i in range(n):
        p.produce(topic, key=str(i).encode(), value=f"c{i}".encode())
    p.flush(30)

    group = "coop-group"
    python_values: list[str] = []
    stop = threading.Event()

    def run_python_member():
        c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                      "partition.assignment.strategy": "cooperative-sticky", "enable.auto.commit": True,
                      "auto.commit.interval.ms": 200, "session.timeout.ms": 10000})
        c.subscribe([topic])
        while not stop.is_set():
            m = c.poll(0.2)
            if m is not None and not m.error():
                python_values.append(m.value().decode())
        c.close()

    t = threading.Thread(target=run_python_member)
    t.start()
    swift_out = b""
    try:
        time.sleep(2)
        swift = subprocess.Popen([str(BIN), "consume", topic, "--group", group, "--assignor", "cooperative-sticky",
                                  "--brokers", broker.bootstrap], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 90
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(swift.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            for _ in sel.select(timeout=0.5):
                swift_out += swift.stdout.read1(65536)
            swift_values = swift_out.decode().split()
            if swift_values and len(set(swift_values) | set(python_values)) >= n:
                break
        swift.terminate()
        swift.wait(timeout=30)
    finally:
        stop.set()
        t.join(timeout=30)
    swift_values = swift_out.decode().split()
    assert set(swift_values) | set(python_values) == {f"c{i}" for i in range(n)}
    assert swift_values, "the Swift member got no partitions"


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
