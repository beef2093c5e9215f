"""kafka-python: idempotent producer; KafkaAdminClient creates, describes, alters and deletes topics."""
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewPartitions, NewTopic


def test_idempotent_producer_round_trip(broker):
    p = KafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=True, acks="all")
    futures = [p.send("idem", key=str(i % 5).encode(), value=f"m{i}".encode()) for i in range(2000)]
    p.flush(30)
    metas = [f.get(timeout=30) for f in futures]
    p.close()
    assert len({(m.partition, m.offset) for m in metas}) == 2000

    c = KafkaConsumer(bootstrap_servers=broker.bootstrap, auto_offset_reset="earliest", consumer_timeout_ms=3000)
    parts = [TopicPartition("idem", p) for p in c.partitions_for_topic("idem")]
    c.assign(parts)
    c.seek_to_beginning()
    values = [m.value for m in c]
    c.close()
    assert sorted(values) == sorted(f"m{i}".encode() for i in range(2000))


def test_admin_create_describe_alter_delete(broker):
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    admin.create_topics([NewTopic("adm", num_partitions=2, replication_factor=1, topic_configs={"retention.ms": "3600000"})])
    assert "adm" in admin.list_topics()

    def retention():
        # kafka-python 3 answers {resource type: {name: {config: {"value": ...}}}}.
        res = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, "adm")])
        return res["topic"]["adm"]["retention.ms"]["value"]

    assert retention() == "3600000"
    admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, "adm", configs={"retention.ms": "120000"})])
    assert retention() == "120000"

    admin.create_partitions({"adm": NewPartitions(total_count=4)})
    md = admin.describe_topics(["adm"])
    assert len(md[0]["partitions"]) == 4

    admin.delete_topics(["adm"])
    deadline = time.monotonic() + 10
    while "adm" in admin.list_topics() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "adm" not in admin.list_topics()
    admin.close()


def test_create_existing_topic_is_an_error(broker):
    from kafka.errors import TopicAlreadyExistsError
    import pytest

    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    admin.create_topics([NewTopic("dup", num_partitions=1, replication_factor=1)])
    with pytest.raises(TopicAlreadyExistsError):
        admin.create_topics([NewTopic("dup", num_partitions=1, replication_factor=1)])
    admin.close()
