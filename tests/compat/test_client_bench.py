"""Throughput of the Swift producer and consumer next to librdkafka (confluent-kafka and kcat) in the same run,
against the same broker, for 100 B and 1 KiB records. Prints a table (pytest -s) and writes it to
bench/out/client-throughput.md. Record counts: $TRIBUTARY_BENCH_RECORDS (default 200,000)."""
import os
import re
import time
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import BIN, ROOT, run

RECORDS = int(os.environ.get("TRIBUTARY_BENCH_RECORDS", "200000"))


def create(broker, topic):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(timeout=30)


def confluent_produce(broker, topic, n, size) -> float:
    p = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 5, "batch.size": 1_000_000, "acks": "all",
                  "enable.idempotence": True, "queue.buffering.max.messages": 1_000_000})
    p.produce(topic, b"w" * size)
    p.flush(30)
    value = b"x" * size
    start = time.perf_counter()
    for _ in range(n):
        while True:
            try:
                p.produce(topic, value)
                break
            except BufferError:
                p.poll(0.001)
    assert p.flush(120) == 0
    return n / (time.perf_counter() - start)


def confluent_consume(broker, topic, n) -> float:
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "bench", "enable.auto.commit": False})
    c.assign([TopicPartition(topic, 0, 0)])
    got, start = 0, None
    deadline = time.monotonic() + 300
    while got < n and time.monotonic() < deadline:
        batch = c.consume(10000, 1.0)
        if batch and start is None:
            start = time.perf_counter()
        got += sum(1 for m in batch if not m.error())
    c.close()
    assert got >= n
    return got / (time.perf_counter() - start)


def kcat_produce(broker, topic, n, size) -> float:
    """kcat is librdkafka without a Python loop in front; timed as a whole process (startup included)."""
    data = (b"x" * size + b"\n") * n
    start = time.perf_counter()
    run(["kcat", "-b", broker.bootstrap, "-P", "-t", topic, "-X", "linger.ms=5", "-X", "batch.size=1000000",
         "-X", "enable.idempotence=true"], input=data, timeout=600)
    return n / (time.perf_counter() - start)


def kcat_consume(broker, topic, n) -> float:
    start = time.perf_counter()
    out = run(["kcat", "-b", broker.bootstrap, "-C", "-t", topic, "-o", "beginning", "-c", str(n), "-q", "-f", "\n"],
              timeout=600).stdout
    assert out.count(b"\n") == n
    return n / (time.perf_counter() - start)


def swift_rate(output: str) -> float:
    m = re.search(r"([0-9.]+) records/s", output)
    assert m, output
    return float(m.group(1))


@pytest.mark.parametrize("size", [100, 1024])
def test_throughput_next_to_librdkafka(broker, size):
    n = RECORDS if size == 100 else RECORDS // 4
    ck, sw, kc = f"bench-ck-{size}", f"bench-sw-{size}", f"bench-kcat-{size}"
    create(broker, ck)
    create(broker, sw)
    create(broker, kc)
    ck_produce = confluent_produce(broker, ck, n, size)
    kc_produce = kcat_produce(broker, kc, n, size)
    kc_consume = kcat_consume(broker, kc, n)
    sw_produce = swift_rate(run([str(BIN), "produce", sw, "--brokers", broker.bootstrap, "--perf-records", str(n),
                                 "--record-size", str(size)], timeout=600).stdout.decode())
    ck_consume = confluent_consume(broker, ck, n)
    out = run([str(BIN), "consume", sw, "--brokers", broker.bootstrap, "-n", str(n), "--perf"], timeout=600).stdout.decode()
    sw_consume = swift_rate(out)
    rows = [
        f"| produce {size} B | {ck_produce:,.0f} | {kc_produce:,.0f} | {sw_produce:,.0f} | {sw_produce / max(ck_produce, kc_produce):.2f} |",
        f"| consume {size} B | {ck_consume:,.0f} | {kc_consume:,.0f} | {sw_consume:,.0f} | {sw_consume / max(ck_consume, kc_consume):.2f} |",
    ]
    table = ("| records/s | confluent-kafka (Python) | kcat | tributary (Swift) | Swift / best librdkafka |\n"
             "|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
    print("\n" + table)
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "client-throughput.md", "a") as f:
        f.write(f"{n} records of {size} B, one partition, acks=all, idempotent\n\n{table}\n")
    assert sw_produce > 0 and sw_consume > 0
