#!/usr/bin/env python3
"""Throughput of the Swift client next to librdkafka against the same Tributary broker, same run.

Producers: confluent-kafka (librdkafka behind a Python loop), kcat (librdkafka reading stdin) and
`tributary produce --perf-records` (the Swift producer). Consumers: confluent-kafka, kcat and
`tributary consume --perf`. All producers use the same settings: acks=all, idempotence on,
linger.ms=5, batch.size=1000000, no compression, one partition. The command-line clients are timed
as whole processes (start-up and connection included), the Python client from its first record.
Each case runs --reps times with the clients taking turns; the table shows the median and range.

Writes the Client section of BENCHMARKS.md (between its markers) unless --no-write.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import brokers  # noqa: E402
from broker_bench import log, machine_facts, source_revision  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "<!-- client-bench: begin (rewritten by bench/client.sh; edit bench/client_bench.py instead) -->"
END = "<!-- client-bench: end -->"
PRODUCER_SETTINGS = {"acks": "all", "enable.idempotence": "true", "linger.ms": "5", "batch.size": "1000000"}


def create_topic(bootstrap: str, topic: str) -> None:
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(timeout=30)


def timed(cmd: list[str], stdin: bytes | None = None, timeout: float = 600) -> tuple[float, bytes]:
    start = time.perf_counter()
    out = subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout, check=True)
    return time.perf_counter() - start, out.stdout


def produce_confluent(bootstrap: str, topic: str, n: int, size: int) -> float:
    from confluent_kafka import Producer

    p = Producer({"bootstrap.servers": bootstrap, **PRODUCER_SETTINGS, "queue.buffering.max.messages": 1_000_000})
    value = b"x" * size
    start = time.perf_counter()
    for _ in range(n):
        while True:
            try:
                p.produce(topic, value)
                break
            except BufferError:
                p.poll(0.001)
    if p.flush(300) != 0:
        raise RuntimeError("confluent-kafka did not deliver every record")
    return time.perf_counter() - start


def produce_kcat(bootstrap: str, topic: str, n: int, size: int) -> float:
    settings = [a for k, v in PRODUCER_SETTINGS.items() for a in ("-X", f"{k}={v}")]
    seconds, _ = timed(["kcat", "-b", bootstrap, "-P", "-t", topic, *settings], stdin=(b"x" * size + b"\n") * n)
    return seconds


def produce_swift(binary: Path, bootstrap: str, topic: str, n: int, size: int) -> float:
    seconds, _ = timed([str(binary), "produce", topic, "--brokers", bootstrap, "--perf-records", str(n),
                        "--record-size", str(size), "--linger-ms", "5", "--acks", "all"])
    return seconds


def consume_confluent(bootstrap: str, topic: str, n: int) -> float:
    from confluent_kafka import Consumer, TopicPartition

    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "client-bench", "enable.auto.commit": False})
    start = time.perf_counter()
    c.assign([TopicPartition(topic, 0, 0)])
    got = 0
    deadline = time.monotonic() + 300
    while got < n and time.monotonic() < deadline:
        got += sum(1 for m in c.consume(10000, 1.0) if not m.error())
    seconds = time.perf_counter() - start
    c.close()
    if got < n:
        raise RuntimeError(f"confluent-kafka read {got} of {n} records")
    return seconds


def consume_kcat(bootstrap: str, topic: str, n: int) -> float:
    seconds, out = timed(["kcat", "-b", bootstrap, "-C", "-t", topic, "-o", "beginning", "-c", str(n), "-q",
                          "-f", "\n"])
    lines = out.count(b"\n")
    if lines != n:
        raise RuntimeError(f"kcat read {lines} of {n} records")
    return seconds


def consume_swift(binary: Path, bootstrap: str, topic: str, n: int) -> float:
    seconds, out = timed([str(binary), "consume", topic, "--brokers", bootstrap, "-n", str(n), "--perf"])
    if not out.startswith(f"{n} records".encode()):
        raise RuntimeError(f"tributary consume: {out!r}")
    return seconds


CLIENTS = ["confluent-kafka", "kcat", "tributary (Swift)"]


def run_case(binary: Path, bootstrap: str, size: int, n: int, rep: int) -> dict[str, dict[str, float]]:
    """One repetition: every client produces into its own fresh topic, then reads it back."""
    rates: dict[str, dict[str, float]] = {}
    for i, client in enumerate(CLIENTS):
        topic = f"client-bench-{size}-{rep}-{i}"
        create_topic(bootstrap, topic)
        if client == "confluent-kafka":
            p, c = produce_confluent(bootstrap, topic, n, size), consume_confluent(bootstrap, topic, n)
        elif client == "kcat":
            p, c = produce_kcat(bootstrap, topic, n, size), consume_kcat(bootstrap, topic, n)
        else:
            p, c = produce_swift(binary, bootstrap, topic, n, size), consume_swift(binary, bootstrap, topic, n)
        rates[client] = {"produce": n / p, "consume": n / c}
        log(f"{size} B rep {rep} {client}: produce {n / p:,.0f}/s consume {n / c:,.0f}/s")
    return rates


def render(results: dict, facts: dict, command: str) -> str:
    lines = [BEGIN, "## Swift client", "",
             f"Made by `{command}` on {facts['date_utc']} at revision `{facts['revision']}`.",
             f"Machine: {facts['cores']} × {facts['cpu']}, {facts['memory_gib']} GiB, Linux {facts['kernel']}; "
             f"load average at start {', '.join(f'{x:.2f}' for x in facts['load_avg_at_start'])}. "
             f"Peers: {facts['client']} (Python {facts['python']}), kcat {facts['kcat']}.", "",
             "One Tributary broker (release build, fsync before acks=all). Each client produces N records into "
             "its own one-partition topic (acks=all, idempotent, linger.ms=5, batch.size=1000000, no "
             "compression), then reads them back from offset 0. kcat and tributary are timed as whole "
             "processes, start-up included; confluent-kafka from its first record. The consumers do not "
             "check CRCs (librdkafka's `check.crcs=false`, `tributary consume` without `--check-crcs`). "
             f"{results['reps']} repetitions with the clients taking turns; median and (range). "
             "MB = 10⁶ bytes of record value.", ""]
    if facts["load_avg_at_start"][0] > (facts["cores"] or 1):
        lines += ["**This run shared the machine with other work** (load average above the core count): "
                  "compare the clients within a row's range rather than by the last digit.", ""]
    lines += ["| record | N | client | produce records/s | (range) | produce MB/s | consume records/s | (range) | consume MB/s |",
              "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for case in results["cases"]:
        size, n = case["size"], case["n"]
        for client in CLIENTS:
            cells = []
            for what in ("produce", "consume"):
                samples = [r[client][what] for r in case["reps"]]
                median = statistics.median(samples)
                cells += [f"{median:,.0f}", f"{min(samples) / 1000:,.0f}k–{max(samples) / 1000:,.0f}k",
                          f"{median * size / 1e6:,.1f}"]
            lines.append(f"| {size} B | {n:,} | {client} | " + " | ".join(cells) + " |")
    lines += ["", "Swift client ÷ the faster librdkafka client (medians; the issue's target is ≥ 1):", "",
              "| record | produce | consume |", "|---|---:|---:|"]
    for case in results["cases"]:
        ratio = {}
        for what in ("produce", "consume"):
            med = {c: statistics.median([r[c][what] for r in case["reps"]]) for c in CLIENTS}
            ratio[what] = med["tributary (Swift)"] / max(med["confluent-kafka"], med["kcat"])
        lines.append(f"| {case['size']} B | {ratio['produce']:.2f} | {ratio['consume']:.2f} |")
    lines.append(END)
    return "\n".join(lines) + "\n"


def update_benchmarks_md(path: Path, section: str) -> None:
    text = path.read_text()
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section.rstrip("\n") + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tributary-bin", required=True, type=Path)
    parser.add_argument("--records-100", type=int, default=500_000, help="N for 100 B records")
    parser.add_argument("--records-1k", type=int, default=200_000, help="N for 1 KiB records")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--command", default="bench/client.sh")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing it")
    opts = parser.parse_args()

    facts = machine_facts(source_revision())
    import re
    kcat = subprocess.run(["kcat", "-V"], capture_output=True, text=True).stdout
    m = re.search(r"Version (\S+) .*?librdkafka (\S+)", kcat)
    facts["kcat"] = f"{m.group(1)} (librdkafka {m.group(2)})" if m else "unknown"
    results = {"reps": opts.reps, "cases": []}
    with tempfile.TemporaryDirectory(prefix="client-bench-") as work:
        broker = brokers.tributary(opts.tributary_bin, Path(work)).start()
        try:
            for size, n in ((100, opts.records_100), (1024, opts.records_1k)):
                reps = [run_case(opts.tributary_bin, broker.bootstrap, size, n, rep) for rep in range(opts.reps)]
                results["cases"].append({"size": size, "n": n, "reps": reps})
        finally:
            broker.stop()
    section = render(results, facts, opts.command)
    if opts.no_write:
        print(section)
    else:
        update_benchmarks_md(ROOT / "BENCHMARKS.md", section)
        log("BENCHMARKS.md: Swift client section rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
