"""Log compaction (cleanup.policy=compact) seen by real clients: after the cleaner has run, reading a
compacted topic from the beginning gives at most the latest record of each key from the cleaned
segments, every key's latest value, offsets that only go up; a record without a key is refused;
and `__consumer_offsets`, compacted too, still gives every group's last commit after a restart."""
import time

import pytest
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

CLEANER = {"log.cleaner.backoff.ms": "200", "offsets.topic.segment.bytes": "4096"}


def create_compacted(broker, topic):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    configs = {"cleanup.policy": "compact", "segment.bytes": "4096", "min.cleanable.dirty.ratio": "0.01"}
    admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1, config=configs)])[topic].result(timeout=30)


def read_all(broker, topic, limit_s=20):
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "reader", "enable.auto.commit": False})
    tp = TopicPartition(topic, 0, 0)
    _, high = c.get_watermark_offsets(tp, timeout=10)
    c.assign([tp])
    out = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and (not out or out[-1][0] < high - 1):
        for m in c.consume(1000, 0.5):
            if not m.error():
                out.append((m.offset(), m.key().decode(), m.value().decode() if m.value() is not None else None))
    c.close()
    return out, high


def test_compacted_topic_keeps_the_latest_value_of_each_key(broker_factory):
    broker = broker_factory(CLEANER)
    topic = "compacted"
    create_compacted(broker, topic)
    keys, rounds = 20, 60
    p = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 0, "batch.num.messages": 10})
    for r in range(rounds):
        for k in range(keys):
            p.produce(topic, key=f"k{k}", value=f"k{k}-r{r}")
        p.flush(30)  # one small batch per round: many segments of 4 KiB
    assert p.flush(30) == 0

    deadline = time.monotonic() + 30
    while True:
        records, high = read_all(broker, topic)
        if len(records) < keys * rounds // 4 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert high == keys * rounds
    assert len(records) < keys * rounds // 4, f"the cleaner left {len(records)} of {keys * rounds} records"
    offsets = [o for o, _, _ in records]
    assert offsets == sorted(set(offsets))
    latest = {}
    for _, k, v in records:
        latest[k] = v
    assert latest == {f"k{k}": f"k{k}-r{rounds - 1}" for k in range(keys)}
    # Within each key, values only move forward.
    for k in range(keys):
        seen = [int(v.split("-r")[1]) for _, key, v in records if key == f"k{k}"]
        assert seen == sorted(seen)


def test_a_record_without_key_is_refused_by_a_compacted_topic(broker):
    create_compacted(broker, "needs-keys")
    p = Producer({"bootstrap.servers": broker.bootstrap, "retries": 0})
    errors = []
    p.produce("needs-keys", value=b"no key", on_delivery=lambda err, _: errors.append(err))
    p.flush(30)
    assert errors and errors[0] is not None and errors[0].name() == "INVALID_RECORD", errors


def test_offsets_survive_compaction_of_consumer_offsets_and_restart(broker_factory):
    broker = broker_factory(CLEANER)
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic("plain", num_partitions=2, replication_factor=1)])["plain"].result(timeout=30)
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "committer", "enable.auto.commit": False})
    for i in range(300):
        c.commit(offsets=[TopicPartition("plain", 0, i), TopicPartition("plain", 1, 2 * i)], asynchronous=False)
    c.close()
    time.sleep(2)  # several cleaner passes over __consumer_offsets
    stored = sum(f.stat().st_size for f in broker.data_dir.glob("__consumer_offsets*/*.log"))
    # 300 commits of two offsets take over 30 KB uncleaned; cleaned, the latest ones and a few
    # superseded ones in the active segment are left.
    assert stored < 10_000, f"__consumer_offsets holds {stored} bytes after cleaning"

    broker.restart()
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "committer", "enable.auto.commit": False})
    committed = c.committed([TopicPartition("plain", 0), TopicPartition("plain", 1)], timeout=20)
    c.close()
    assert [tp.offset for tp in committed] == [299, 598]
