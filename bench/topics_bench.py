"""Topics as tables against DuckDB: per-page count and average duration over JSON events.

The events (user, page, duration, ts) are produced with confluent-kafka to a topic of a release
tributary broker and written, the same events, to a JSON lines file. `tributary sql --brokers`
aggregates the topic; DuckDB aggregates the file with `read_json_auto`. The two take turns, each
run `--repeats` times, and their answers are compared. Tributary is timed as the whole CLI process
(start, planning with Metadata/ListOffsets, fetching, parsing, aggregating, printing); DuckDB as
the query inside this Python process (the file read included), which favours DuckDB.

The result table goes into BENCHMARKS.md between the topics-bench markers.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import brokers  # noqa: E402

BEGIN = "<!-- topics-bench: begin (rewritten by bench/topics.sh; edit bench/topics_bench.py instead) -->"
END = "<!-- topics-bench: end -->"
PAGES = ["/", "/cart", "/checkout", "/docs", "/help", "/pricing", "/search", "/signup"]

QUERIES = {
    "get_json_object": (
        "SELECT get_json_object(CAST(value AS STRING), '$.page') AS page, count(*) AS n, "
        "round(avg(CAST(get_json_object(CAST(value AS STRING), '$.duration') AS INT)), 6) AS avg_duration "
        "FROM topics.{topic} GROUP BY 1 ORDER BY 1"),
    "from_json": (
        "SELECT e.page, count(*) AS n, round(avg(e.duration), 6) AS avg_duration FROM ("
        "SELECT from_json(CAST(value AS STRING), 'user STRING, page STRING, duration INT, ts BIGINT') AS e "
        "FROM topics.{topic}) GROUP BY 1 ORDER BY 1"),
}
DUCKDB_QUERY = "SELECT page, count(*), round(avg(duration), 6) FROM read_json_auto('{path}') GROUP BY 1 ORDER BY 1"


def events(n: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(n):
        yield {"user": f"u{rng.randrange(50_000)}", "page": rng.choice(PAGES), "duration": rng.randrange(1, 5000),
               "ts": 1_700_000_000_000 + i}


def produce(bootstrap: str, topic: str, n: int, partitions: int, jsonl: Path) -> float:
    from confluent_kafka import Producer
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])[topic].result(30)
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20, "batch.num.messages": 10_000,
                  "queue.buffering.max.messages": 1_000_000})
    start = time.monotonic()
    with open(jsonl, "w") as f:
        for e in events(n):
            line = json.dumps(e)
            f.write(line + "\n")
            while True:
                try:
                    p.produce(topic, key=e["user"].encode(), value=line.encode())
                    break
                except BufferError:
                    p.poll(0.05)
    if p.flush(120) != 0:
        raise RuntimeError("records left unsent")
    return time.monotonic() - start


def run_tributary(binary: str, bootstrap: str, query: str) -> tuple[float, list[tuple]]:
    start = time.monotonic()
    out = subprocess.run([binary, "sql", "--brokers", bootstrap, "--format", "csv", "-e", query],
                         capture_output=True, timeout=600)
    elapsed = time.monotonic() - start
    if out.returncode != 0:
        raise RuntimeError(out.stderr.decode(errors="replace"))
    rows = [line.split(",") for line in out.stdout.decode().strip().splitlines()[1:]]
    return elapsed, [(r[0], int(r[1]), float(r[2])) for r in rows]


def run_duckdb(path: Path) -> tuple[float, list[tuple]]:
    import duckdb

    con = duckdb.connect()
    start = time.monotonic()
    rows = con.execute(DUCKDB_QUERY.format(path=path)).fetchall()
    elapsed = time.monotonic() - start
    con.close()
    return elapsed, [(r[0], int(r[1]), float(r[2])) for r in rows]


def same(a: list[tuple], b: list[tuple]) -> bool:
    return len(a) == len(b) and all(x[0] == y[0] and x[1] == y[1] and abs(x[2] - y[2]) < 1e-6 for x, y in zip(a, b))


def render(result: dict) -> str:
    lines = [
        BEGIN,
        "## Topics as tables",
        "",
        f"Made by `{result['command']}` on {result['date']} (release build, {result['machine']}; "
        f"commit {result['commit']}). {result['events']:,} JSON events (user, page, duration, ts) produced "
        f"with confluent-kafka {result['confluent']} to a {result['partitions']}-partition topic of a tributary "
        f"broker ({result['topic_mib']:.0f} MiB of JSON); DuckDB {result['duckdb']} reads the same events from a "
        "JSON lines file. Per-page count and average duration; the engines take turns, "
        f"{result['repeats']} runs each, the median is shown (min–max in brackets). Tributary is timed as the "
        "whole `tributary sql` process (start, ListOffsets, fetching every record from the broker, JSON "
        "parsing, aggregation); DuckDB as its query in-process. Answers are compared row by row.",
        "",
        "| engine | query | seconds | records/s | vs DuckDB | same answer |",
        "|---|---|---|---|---|---|",
    ]
    d = result["duckdb_runs"]
    dm = statistics.median(d)
    lines.append(f"| DuckDB | `read_json_auto` file, GROUP BY page | {dm:.3f} ({min(d):.3f}–{max(d):.3f}) | "
                 f"{result['events'] / dm:,.0f} | 1.00x | – |")
    for name, runs in result["tributary_runs"].items():
        m = statistics.median(runs)
        lines.append(f"| tributary | `topics.{result['topic']}`, {name} | {m:.3f} ({min(runs):.3f}–{max(runs):.3f}) | "
                     f"{result['events'] / m:,.0f} | {dm / m:.2f}x | {'yes' if result['same'][name] else 'NO'} |")
    lines += ["", "\"vs DuckDB\" above 1 means faster than DuckDB."]
    if result.get("load"):
        import os
        shared = result["load"][0] > (os.cpu_count() or 1)
        lines += ["", f"Load average at the end of the run: {', '.join(str(x) for x in result['load'])} "
                  f"(1, 5, 15 minutes) on {result['machine'].split(',')[0]}"
                  + ("; other work shared the machine." if shared else "; the machine was otherwise idle.")]
    lines += [END]
    return "\n".join(lines)


def write_section(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    doc = path.read_text()
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        doc = head + text + tail
    else:
        doc = doc.rstrip() + "\n\n" + text + "\n"
    path.write_text(doc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tributary-bin", default=str(ROOT / ".build" / "release" / "tributary"))
    parser.add_argument("--work-dir", default=str(ROOT / "bench" / "out" / "topics"))
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--command", default="bench/topics.sh")
    parser.add_argument("--no-write", action="store_true", help="print the table instead of rewriting BENCHMARKS.md")
    opts = parser.parse_args()

    import confluent_kafka
    import duckdb

    work = Path(opts.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    jsonl = work / "events.jsonl"
    broker = brokers.tributary(Path(opts.tributary_bin), work).start()
    try:
        topic = "events"
        produce_s = produce(broker.bootstrap, topic, opts.events, opts.partitions, jsonl)
        print(f"produced {opts.events:,} events in {produce_s:.1f} s", file=sys.stderr)
        duck_runs, trib_runs, answers = [], {n: [] for n in QUERIES}, {}
        _, reference = run_duckdb(jsonl)
        for _ in range(opts.repeats):
            t, _ = run_duckdb(jsonl)
            duck_runs.append(t)
            for name, q in QUERIES.items():
                t, rows = run_tributary(opts.tributary_bin, broker.bootstrap, q.format(topic=topic))
                trib_runs[name].append(t)
                answers[name] = rows
            print(f"duckdb {duck_runs[-1]:.3f} s, tributary {[round(v[-1], 3) for v in trib_runs.values()]} s",
                  file=sys.stderr)
    finally:
        broker.stop()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, cwd=ROOT).stdout.decode().strip()
    result = {
        "command": opts.command, "date": datetime.date.today().isoformat(), "commit": commit,
        "machine": f"{os.cpu_count()} cores, {platform.machine()}", "events": opts.events,
        "partitions": opts.partitions, "topic": topic, "topic_mib": jsonl.stat().st_size / (1 << 20),
        "repeats": opts.repeats, "duckdb": duckdb.__version__, "confluent": confluent_kafka.version() if isinstance(confluent_kafka.version(), str) else confluent_kafka.version()[0],
        "load": [round(x, 1) for x in os.getloadavg()],
        "duckdb_runs": duck_runs, "tributary_runs": trib_runs,
        "same": {n: same(rows, reference) for n, rows in answers.items()},
    }
    (work / "results.json").write_text(json.dumps(result, indent=2))
    text = render(result)
    if opts.no_write:
        print(text)
    else:
        write_section(text)
        print(text)
    return 0 if all(result["same"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
