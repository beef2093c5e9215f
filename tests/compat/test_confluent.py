"""confluent-kafka (librdkafka): acks=all with every codec, read back in order per partition in assign mode."""
import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import read_to_end


def create(broker, topic, partitions):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])[topic].result(timeout=30)


def read_all(broker, topic, partitions, expected, timeout=60):
    got = read_to_end(broker.bootstrap, topic, partitions, timeout)
    assert len(got) == expected, f"read {len(got)} of {expected}"
    return got


@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_acks_all_each_codec(broker, codec):
    topic = f"codec-{codec}"
    create(broker, topic, 3)
    p = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all", "compression.type": codec, "linger.ms": 5})
    n = 5000
    acked = []
    for i in range(n):
        p.produce(topic, key=f"k{i % 17}".encode(), value=f"v{i}".encode() * 3, headers=[("h", str(i).encode())],
                  on_delivery=lambda err, msg: acked.append((err, msg.partition(), msg.offset())))
        if i % 1000 == 0:
            p.poll(0)
    assert p.flush(60) == 0
    assert all(err is None for err, _, _ in acked) and len(acked) == n

    got = read_all(broker, topic, 3, n)
    by_partition: dict[int, list] = {}
    for m in got:
        by_partition.setdefault(m.partition(), []).append(m)
    for part, msgs in by_partition.items():
        offsets = [m.offset() for m in msgs]
        assert offsets == sorted(offsets) and offsets[0] == 0 and offsets[-1] == len(offsets) - 1
        values = [int(m.value().decode()[1:].split("v")[0]) for m in msgs]
        assert values == sorted(values), f"partition {part} is out of produce order"
        for m in msgs:
            assert m.headers() == [("h", m.value().decode()[1:].split("v")[0].encode())]


def test_fetch_long_poll_returns_when_data_arrives(broker):
    import threading, time
    topic = "longpoll"
    create(broker, topic, 1)
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "lp", "fetch.wait.max.ms": 5000,
                  "enable.auto.commit": False})
    c.assign([TopicPartition(topic, 0, 0)])
    c.poll(1.0)  # connect and park a fetch
    p = Producer({"bootstrap.servers": broker.bootstrap})
    start = time.monotonic()
    p.produce(topic, value=b"wake")
    p.flush(10)
    m = None
    while m is None and time.monotonic() - start < 10:
        m = c.poll(0.2)
    c.close()
    assert m is not None and m.value() == b"wake"
    assert time.monotonic() - start < 4.5, "a parked fetch should answer as soon as data arrives, not at max wait"
