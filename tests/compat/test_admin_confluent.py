"""confluent-kafka's AdminClient: DeleteRecords, IncrementalAlterConfigs, DescribeCluster, CreatePartitions."""
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, NewPartitions,
                                   NewTopic)


def admin_for(broker):
    return AdminClient({"bootstrap.servers": broker.bootstrap})


def test_delete_records_moves_log_start(broker):
    admin = admin_for(broker)
    admin.create_topics([NewTopic("dr", num_partitions=1, replication_factor=1)])["dr"].result(30)
    p = Producer({"bootstrap.servers": broker.bootstrap})
    for i in range(100):
        p.produce("dr", value=b"%d" % i)
    p.flush(10)
    result = admin.delete_records([TopicPartition("dr", 0, 40)])
    low = list(result.values())[0].result(10)
    assert low.low_watermark == 40
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "dr", "auto.offset.reset": "earliest"})
    assert c.get_watermark_offsets(TopicPartition("dr", 0), timeout=10, cached=False) == (40, 100)
    c.assign([TopicPartition("dr", 0, -2)])
    m = None
    for _ in range(40):
        m = c.poll(0.25)
        if m is not None and not m.error():
            break
    c.close()
    assert m is not None and m.offset() == 40 and m.value() == b"40"


def test_incremental_alter_configs(broker):
    admin = admin_for(broker)
    admin.create_topics([NewTopic("inc", num_partitions=1, replication_factor=1)])["inc"].result(30)
    res = ConfigResource("topic", "inc", incremental_configs=[
        ConfigEntry("retention.bytes", "1048576", incremental_operation=AlterConfigOpType.SET),
        ConfigEntry("cleanup.policy", "compact", incremental_operation=AlterConfigOpType.APPEND),
    ])
    for f in admin.incremental_alter_configs([res]).values():
        f.result(10)
    cfg = list(admin.describe_configs([ConfigResource("topic", "inc")]).values())[0].result(10)
    assert cfg["retention.bytes"].value == "1048576"
    assert set(cfg["cleanup.policy"].value.split(",")) == {"delete", "compact"}
    delete = ConfigResource("topic", "inc", incremental_configs=[
        ConfigEntry("retention.bytes", None, incremental_operation=AlterConfigOpType.DELETE)])
    for f in admin.incremental_alter_configs([delete]).values():
        f.result(10)
    cfg = list(admin.describe_configs([ConfigResource("topic", "inc")]).values())[0].result(10)
    assert cfg["retention.bytes"].value == "-1" and cfg["retention.bytes"].is_default


def test_invalid_config_is_refused(broker):
    admin = admin_for(broker)
    admin.create_topics([NewTopic("badcfg", num_partitions=1, replication_factor=1)])["badcfg"].result(30)
    res = ConfigResource("topic", "badcfg", incremental_configs=[
        ConfigEntry("retention.ms", "soon", incremental_operation=AlterConfigOpType.SET)])
    import pytest
    from confluent_kafka import KafkaException
    with pytest.raises(KafkaException):
        for f in admin.incremental_alter_configs([res]).values():
            f.result(10)


def test_describe_cluster_and_partitions(broker):
    admin = admin_for(broker)
    cluster = admin.describe_cluster().result(10)
    assert len(cluster.nodes) == 1 and cluster.nodes[0].port == broker.port
    admin.create_topics([NewTopic("grow", num_partitions=2, replication_factor=1)])["grow"].result(30)
    admin.create_partitions([NewPartitions("grow", 5)])["grow"].result(10)
    assert len(admin.list_topics(timeout=10).topics["grow"].partitions) == 5
