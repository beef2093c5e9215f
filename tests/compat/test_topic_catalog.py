"""The `topics` schema as a catalog: `SHOW TABLES IN topics` lists the cluster's topics and
`DESCRIBE topics.<name>` gives Spark's Kafka source schema, as a user exploring a cluster would ask."""
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import BIN, run


def sql(broker, text):
    out = run([str(BIN), "sql", "--brokers", broker.bootstrap, "--format", "csv", "-e", text]).stdout.decode()
    return [line.split(",") for line in out.strip().splitlines()[1:]]


def test_show_tables_in_topics_and_describe_a_topic(broker):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    for f in admin.create_topics([NewTopic(t, num_partitions=2, replication_factor=1) for t in ("orders", "clicks")]).values():
        f.result(timeout=30)
    rows = sql(broker, "SHOW TABLES IN topics")
    assert [r[1] for r in rows] == ["clicks", "orders"]
    assert all(r[0] == "topics" for r in rows)
    described = sql(broker, "DESCRIBE topics.clicks")
    assert [(r[0], r[1]) for r in described] == [
        ("key", "binary"), ("value", "binary"), ("topic", "string"), ("partition", "int"), ("offset", "bigint"),
        ("timestamp", "timestamp"), ("timestampType", "int")]
    result = subprocess_run_failing(broker, "DESCRIBE topics.nosuch")
    assert "cannot be found" in result


def subprocess_run_failing(broker, text):
    import subprocess

    r = subprocess.run([str(BIN), "sql", "--brokers", broker.bootstrap, "-e", text], capture_output=True, timeout=120)
    assert r.returncode != 0
    return r.stderr.decode()
