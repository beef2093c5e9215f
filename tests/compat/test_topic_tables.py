"""Topics as tables: `tributary sql --brokers` reads topics produced by confluent-kafka, answers
as DuckDB does over the same events in a JSON lines file, writes results back to a topic that
kcat reads, and honours offset bounds after DeleteRecords moved the log start. One test runs the
same query against noida-db, another Kafka-compatible broker, when its package is installed."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from confluent_kafka import Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import BIN, ROOT, run

EVENTS = int(os.environ.get("TOPIC_TABLES_EVENTS", "50000"))
PAGES = ["/", "/cart", "/checkout", "/docs", "/help", "/pricing", "/search", "/signup"]

FROM_JSON_AGGREGATE = (
    "SELECT e.page, count(*) AS n, round(avg(e.duration), 6) AS avg_duration FROM ("
    "SELECT from_json(CAST(value AS STRING), 'user STRING, page STRING, duration INT, ts BIGINT') AS e "
    "FROM topics.{topic}) GROUP BY 1 ORDER BY 1"
)
AGGREGATE = (
    "SELECT get_json_object(CAST(value AS STRING), '$.page') AS page, count(*) AS n, "
    "round(avg(CAST(get_json_object(CAST(value AS STRING), '$.duration') AS INT)), 6) AS avg_duration "
    "FROM topics.{topic} GROUP BY 1 ORDER BY 1"
)


def events(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    return [{"user": f"u{rng.randrange(5000)}", "page": rng.choice(PAGES), "duration": rng.randrange(1, 5000),
             "ts": 1_700_000_000_000 + i} for i in range(n)]


def produce(bootstrap: str, topic: str, rows: list[dict], partitions: int) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])[topic].result(30)
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20, "batch.num.messages": 5000})
    for e in rows:
        while True:
            try:
                p.produce(topic, key=e["user"].encode(), value=json.dumps(e).encode())
                break
            except BufferError:
                p.poll(0.1)
    assert p.flush(60) == 0


def sql(bootstrap: str, text: str, timeout: float = 300.0) -> list[list[str]]:
    out = run([str(BIN), "sql", "--brokers", bootstrap, "--format", "csv", "-e", text], timeout=timeout)
    lines = out.stdout.decode().strip().splitlines()
    return [line.split(",") for line in lines[1:]] if lines else []


def duckdb_answer(rows: list[dict], tmp_path: Path) -> list[tuple]:
    import duckdb

    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in rows))
    con = duckdb.connect()
    return con.execute(
        f"SELECT page, count(*), round(avg(duration), 6) FROM read_json_auto('{path}') GROUP BY 1 ORDER BY 1"
    ).fetchall()


def same(ours: list[list[str]], theirs: list[tuple]) -> None:
    assert [(r[0], int(r[1])) for r in ours] == [(r[0], r[1]) for r in theirs]
    for a, b in zip(ours, theirs):
        assert abs(float(a[2]) - float(b[2])) < 1e-6, (a, b)


def test_json_events_aggregate_like_duckdb_and_write_back(broker, tmp_path):
    rows = events(EVENTS)
    produce(broker.bootstrap, "clicks", rows, partitions=6)
    ours = sql(broker.bootstrap, AGGREGATE.format(topic="clicks"))
    expected = duckdb_answer(rows, tmp_path)
    same(ours, expected)
    same(sql(broker.bootstrap, FROM_JSON_AGGREGATE.format(topic="clicks")), expected)

    sql(broker.bootstrap,
        "INSERT INTO topics.page_stats "
        "SELECT page AS key, concat(CAST(n AS STRING), ' ', CAST(avg_duration AS STRING)) AS value FROM ("
        + AGGREGATE.format(topic="clicks") + ")")
    got = run(["kcat", "-b", broker.bootstrap, "-C", "-t", "page_stats", "-e", "-q", "-f", "%k %s\\n"]).stdout.decode()
    back = sorted(line.split(" ") for line in got.strip().splitlines())
    assert [(k, int(n)) for k, n, _ in back] == [(r[0], int(r[1])) for r in ours]
    assert all(abs(float(a) - float(r[2])) < 1e-6 for (_, _, a), r in zip(back, ours))


def test_offset_bounds_after_delete_records(broker):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic("trim", num_partitions=2, replication_factor=1)])["trim"].result(30)
    p = Producer({"bootstrap.servers": broker.bootstrap})
    for i in range(100):
        p.produce("trim", value=b'{"i":%d}' % i, partition=0, timestamp=1_000_000 + i * 1000)
    p.flush(10)
    low = list(admin.delete_records([TopicPartition("trim", 0, 40)]).values())[0].result(10)
    assert low.low_watermark == 40

    assert sql(broker.bootstrap, "SELECT partition, min(offset), max(offset), count(*) FROM topics.trim "
                                 "GROUP BY partition") == [["0", "40", "99", "60"]]
    # Offsets and times at the edges: the pushed-down bounds give exactly the rows the filter keeps.
    assert sql(broker.bootstrap, "SELECT count(*), min(offset), max(offset) FROM topics.trim "
                                 "WHERE offset >= 95 OR offset < 41") == [["6", "40", "99"]]
    assert sql(broker.bootstrap, "SELECT count(*), min(offset) FROM topics.trim "
                                 "WHERE timestamp >= TIMESTAMP '1970-01-01 00:17:50' AND partition = 0") == [["30", "70"]]
    view = ("CREATE TEMP VIEW v USING kafka OPTIONS (kafka.bootstrap.servers '{b}', subscribe 'trim', "
            "startingOffsets '{{\"trim\":{{\"0\":10,\"1\":-2}}}}', failOnDataLoss '{f}'); "
            "SELECT count(*), min(offset) FROM v")
    assert sql(broker.bootstrap, view.format(b=broker.bootstrap, f="false")) == [["60", "40"]]
    failed = subprocess.run(
        [str(BIN), "sql", "--brokers", broker.bootstrap, "-e", view.format(b=broker.bootstrap, f="true")],
        capture_output=True, timeout=60)
    assert failed.returncode != 0
    assert b"failOnDataLoss" in failed.stderr
    # An empty partition reads as no rows.
    assert sql(broker.bootstrap, "SELECT count(*) FROM topics.trim WHERE partition = 1") == [["0"]]


def test_malformed_json_payloads_nulls_or_failfast(broker):
    p = Producer({"bootstrap.servers": broker.bootstrap})
    for v in [b'{"page":"/a","duration":3}', b'{"page":', b"not json at all", b'{"page":"/b","duration":"slow"}']:
        p.produce("mixed", value=v)
    p.flush(10)
    rows = sql(broker.bootstrap, "SELECT offset, get_json_object(CAST(value AS STRING), '$.page') FROM topics.mixed "
                                 "ORDER BY offset")
    assert rows == [["0", "/a"], ["1", ""], ["2", ""], ["3", "/b"]]
    parsed = ("SELECT offset, e.page, e.duration FROM (SELECT offset, "
              "from_json(CAST(value AS STRING), 'page STRING, duration INT'{mode}) AS e FROM topics.mixed) ORDER BY offset")
    assert sql(broker.bootstrap, parsed.format(mode="")) == [["0", "/a", "3"], ["1", "", ""], ["2", "", ""], ["3", "/b", ""]]
    failed = subprocess.run([str(BIN), "sql", "--brokers", broker.bootstrap, "-e",
                             parsed.format(mode=", map('mode', 'FAILFAST')")], capture_output=True, timeout=60)
    assert failed.returncode != 0
    assert b"MALFORMED_RECORD_IN_PARSING" in failed.stderr and b"FAILFAST" in failed.stderr


def test_same_query_against_noida_db(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from brokers import noida, noida_binary  # noqa: E402

    binary = noida_binary()
    if binary is None:
        pytest.skip("noida-db is not installed in this environment")
    peer = noida(binary, tmp_path).start()
    try:
        rows = events(2000, seed=11)
        produce(peer.bootstrap, "clicks", rows, partitions=3)
        same(sql(peer.bootstrap, AGGREGATE.format(topic="clicks")), duckdb_answer(rows, tmp_path))
    finally:
        peer.stop()
