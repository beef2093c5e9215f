"""ListOffsets by timestamp, and retention by size and time moving the log start."""
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic


def create(broker, topic, partitions=1, config=None):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1, config=config or {})])[topic].result(timeout=30)


def offsets_for_times(broker, topic, ts):
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "oft"})
    try:
        return c.offsets_for_times([TopicPartition(topic, 0, ts)], timeout=10)[0].offset
    finally:
        c.close()


def watermarks(broker, topic):
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "wm"})
    try:
        return c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10, cached=False)
    finally:
        c.close()


def test_list_offsets_by_timestamp_returns_first_at_or_after(broker):
    create(broker, "times")
    p = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 0})
    base = 1_700_000_000_000
    # Timestamps 0, 10, 20, ... ms after base, one batch each; then one out of order (5 ms).
    for i in range(50):
        p.produce("times", value=b"%d" % i, timestamp=base + 10 * i)
        p.flush(10)
    p.produce("times", value=b"late", timestamp=base + 5)
    p.flush(10)
    assert offsets_for_times(broker, "times", base) == 0
    assert offsets_for_times(broker, "times", base + 10) == 1
    assert offsets_for_times(broker, "times", base + 11) == 2
    assert offsets_for_times(broker, "times", base + 490) == 49
    assert offsets_for_times(broker, "times", base + 491) == -1  # nothing at or after: end
    assert offsets_for_times(broker, "times", base - 1000) == 0


def test_list_offsets_within_one_batch(broker):
    create(broker, "times2")
    p = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 200})
    base = 1_700_000_000_000
    for i in range(20):
        p.produce("times2", value=b"%d" % i, timestamp=base + i)
    p.flush(10)
    assert offsets_for_times(broker, "times2", base + 7) == 7


def test_retention_by_bytes_deletes_old_segments(broker_factory):
    broker = broker_factory({"log.retention.check.interval.ms": "200"})
    create(broker, "small", config={"segment.bytes": "2048", "retention.bytes": "4096"})
    p = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 0})
    for i in range(200):
        p.produce("small", value=b"x" * 100)
        p.flush(10)
    deadline = time.monotonic() + 15
    low, high = watermarks(broker, "small")
    while low == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
        low, high = watermarks(broker, "small")
    assert high == 200
    assert 0 < low < 200, f"log start should advance past deleted segments, got {low}"
    # Let retention settle (it runs every 200 ms) before reading from the start.
    for _ in range(50):
        time.sleep(0.3)
        again, _ = watermarks(broker, "small")
        if again == low:
            break
        low = again
    # A consumer starting at 'earliest' begins at the new log start.
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "ret", "auto.offset.reset": "earliest"})
    c.assign([TopicPartition("small", 0, -2)])
    m = None
    for _ in range(40):
        m = c.poll(0.25)
        if m is not None and not m.error():
            break
    c.close()
    assert m is not None and m.offset() == low


def test_retention_by_time(broker_factory):
    broker = broker_factory({"log.retention.check.interval.ms": "200"})
    create(broker, "aged", config={"segment.bytes": "2048"})
    p = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 0})
    old = int(time.time() * 1000) - 3_600_000
    for i in range(100):
        p.produce("aged", value=b"y" * 100, timestamp=old)
        p.flush(10)
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    fs = admin.alter_configs([ConfigResource("topic", "aged", set_config={"segment.bytes": "2048", "retention.ms": "60000"})])
    for f in fs.values():
        f.result(10)
    deadline = time.monotonic() + 15
    low, _ = watermarks(broker, "aged")
    while low == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
        low, _ = watermarks(broker, "aged")
    assert low > 0, "segments older than retention.ms should be deleted"
