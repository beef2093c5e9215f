"""kcat (Debian's librdkafka 2.0.2): metadata, and 100,000 keyed messages through a 6-partition topic."""
import subprocess

from conftest import run


def test_metadata_lists_the_broker(broker):
    out = run(["kcat", "-b", broker.bootstrap, "-L"]).stdout.decode()
    assert f"broker 0 at 127.0.0.1:{broker.port}" in out


def test_hundred_thousand_keyed_messages_round_trip(broker):
    topic = "keyed"
    # Create with 6 partitions through the admin API: kcat cannot, so produce via confluent-kafka's admin.
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=6, replication_factor=1)])["keyed"].result(timeout=30)

    n = 100_000
    lines = "".join(f"key-{i % 977}\tvalue-{i}-{'x' * (i % 50)}\n" for i in range(n)).encode()
    run(["kcat", "-b", broker.bootstrap, "-P", "-t", topic, "-K", "\t", "-X", "linger.ms=5"], input=lines, timeout=300)

    out = run(["kcat", "-b", broker.bootstrap, "-C", "-t", topic, "-e", "-q", "-f", "%p\t%k\t%s\n"], timeout=300).stdout.decode()
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == n
    produced = sorted(lines.decode().splitlines())
    consumed = sorted(f"{k}\t{v}" for _, k, v in rows)
    assert consumed == produced, "consumed messages differ from produced ones"
    # A key always lands in one partition (librdkafka's partitioner is deterministic per key).
    partition_of: dict[str, str] = {}
    for p, k, _ in rows:
        assert partition_of.setdefault(k, p) == p, f"key {k} found in partitions {partition_of[k]} and {p}"
    assert len(set(partition_of.values())) == 6, "keys should spread over all 6 partitions"
