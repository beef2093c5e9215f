"""Restart keeps topics, configs and data; kill -9 under an acks=all producer loses nothing acknowledged."""
import threading
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

from conftest import read_to_end


def read_partition_values(broker, topic, partitions, timeout=30):
    return [m.value() for m in read_to_end(broker.bootstrap, topic, partitions, timeout)]


def test_restart_keeps_topics_configs_and_data(broker):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic("keep", num_partitions=3, replication_factor=1, config={"retention.ms": "123456"})])["keep"].result(30)
    p = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all"})
    for i in range(3000):
        p.produce("keep", key=b"%d" % i, value=b"value-%d" % i)
    assert p.flush(30) == 0
    broker.restart()

    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    md = admin.list_topics(timeout=10)
    assert len(md.topics["keep"].partitions) == 3
    cfg = list(admin.describe_configs([ConfigResource("topic", "keep")]).values())[0].result(10)
    assert cfg["retention.ms"].value == "123456"
    values = read_partition_values(broker, "keep", 3)
    assert sorted(values) == sorted(b"value-%d" % i for i in range(3000))


def test_kill_minus_nine_loses_no_acknowledged_message(broker):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic("crash", num_partitions=2, replication_factor=1)])["crash"].result(30)
    acknowledged: set[bytes] = set()
    counter = 0
    for cycle in range(10):
        p = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all", "linger.ms": 2,
                      "message.timeout.ms": 3000, "retries": 0, "enable.idempotence": False})
        lock = threading.Lock()

        def on_delivery(err, msg):
            if err is None:
                with lock:
                    acknowledged.add(msg.value())

        stop_at = time.monotonic() + 0.6 + 0.1 * (cycle % 3)
        while time.monotonic() < stop_at:
            counter += 1
            try:
                p.produce("crash", value=b"c%d-%d" % (cycle, counter), on_delivery=on_delivery)
            except BufferError:
                p.poll(0.01)
            p.poll(0)
        broker.kill9()
        p.flush(5)  # deliveries in flight now fail; only real acknowledgements were recorded
        broker.start()
        values = set(read_partition_values(broker, "crash", 2))
        missing = acknowledged - values
        assert not missing, f"cycle {cycle}: {len(missing)} acknowledged messages lost, e.g. {sorted(missing)[:3]}"
    assert len(acknowledged) > 100, "the test should have produced under load"
