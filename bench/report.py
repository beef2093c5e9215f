"""Renders a broker benchmark run (results.json) as the Broker section of BENCHMARKS.md.

The section sits between two marker comments so that a new run rewrites it without touching the
sections other benchmarks own.
"""
from __future__ import annotations

import math
from pathlib import Path

BEGIN = "<!-- broker-bench: begin (rewritten by bench/run.sh; edit bench/report.py instead) -->"
END = "<!-- broker-bench: end -->"
HEADER = """# Benchmarks

Measured numbers, each with the command that made it. Ratios against peers are measured in the
same run on the same machine; figures published by others are kept apart and say where they
come from.
"""

TANSU_RATIO_TARGET = 1.5
P99_TARGET_MS = 5.0


def _num(value: float, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def _size(size: int) -> str:
    return "1 KiB" if size == 1024 else f"{size} B"


def _range(sample: dict) -> str:
    rates = sample.get("samples_msgs_per_s") or []
    if len(rates) < 2:
        return ""
    return f"{_num(min(rates) / 1000)}k–{_num(max(rates) / 1000)}k"


def _case_notes(case: dict) -> str:
    notes = []
    p, c = case.get("produce", {}), case.get("consume", {})
    if p.get("timed_out"):
        notes.append(f"produce hit its time limit after {p.get('sent', 0):,} records")
    if p.get("errors"):
        sample = "; ".join(p.get("error_samples", [])[:2])
        notes.append(f"{p['errors']:,} produce errors ({sample})")
    if c.get("timed_out"):
        notes.append(f"consumer read {c.get('records', 0):,} of {p.get('stored_total', 0):,} in time")
    if c and not c.get("bytes_ok", True):
        notes.append("consumed byte count differs from produced")
    if c.get("errors"):
        notes.append("consume errors: " + "; ".join(c["errors"][:2]))
    return "; ".join(notes)


def _latency_notes(lat: dict) -> str:
    notes = []
    if lat.get("error"):
        return lat["error"]
    if not lat.get("complete", True):
        notes.append("consumer stopped at its time limit before the end marker")
    if lat.get("producer_errors"):
        notes.append(f"{lat['producer_errors']:,} produce errors")
    target, achieved = lat.get("target_rate", 0), lat.get("achieved_rate", 0)
    if target and achieved < 0.95 * target:
        notes.append("the producer could not hold the target rate")
    if lat.get("received", 0) < lat.get("sent", 0):
        notes.append(f"received {lat.get('received', 0):,} of {lat.get('sent', 0):,}")
    return "; ".join(notes)


def _find(cases: list[dict], broker: str, size: int, acks: str) -> dict | None:
    for case in cases:
        if case["broker"] == broker and case["size"] == size and case["acks"] == acks:
            return case
    return None


def _targets(results: dict) -> list[str]:
    cases = results.get("cases", [])
    lines = []
    ours = _find(cases, "tributary", 1024, "all")
    peer = _find(cases, "tansu", 1024, "all")
    if ours and peer and peer["produce"]["msgs_per_s"] > 0:
        ratio = ours["produce"]["msgs_per_s"] / peer["produce"]["msgs_per_s"]
        verdict = "met" if ratio >= TANSU_RATIO_TARGET else "**missed**"
        lines.append(f"- 1 KiB produce, acks=all: Tributary (fsync'd) {_num(ours['produce']['msgs_per_s'])} msgs/s, "
                     f"Tansu (memory) {_num(peer['produce']['msgs_per_s'])} msgs/s: **{ratio:.2f}×** "
                     f"(target ≥ {TANSU_RATIO_TARGET}×): {verdict}.")
    else:
        lines.append("- 1 KiB produce, acks=all against Tansu: not measured in this run.")
    for case in cases:
        if case["broker"] != "tributary" or "p99_ms" not in case.get("latency", {}):
            continue
        lat = case["latency"]
        verdict = "met" if lat["p99_ms"] <= P99_TARGET_MS else "**missed**"
        lines.append(f"- p99 end-to-end at half of peak, {_size(case['size'])} acks={case['acks']}: "
                     f"{_num(lat['p99_ms'], 2)} ms at {_num(lat['achieved_rate'])} msgs/s "
                     f"(target ≤ {P99_TARGET_MS:g} ms): {verdict}.")
    return lines


def render(results: dict, command: str) -> str:
    """The Broker section, markers included."""
    m, s, ceil = results["machine"], results["settings"], results["ceiling"]
    out = [BEGIN, "## Broker", ""]
    out.append(f"Made by `{command}` on {m['date_utc']} at revision `{m['revision']}`; the whole run took "
               f"{results.get('elapsed_s', 0):.0f} s.")
    load = ", ".join(f"{x:.2f}" for x in m["load_avg_at_start"])
    load_end = ", ".join(f"{x:.2f}" for x in m.get("load_avg_at_end", []))
    out.append(f"Machine: {m['cores']} × {m['cpu']}, {m['memory_gib']} GiB, Linux {m['kernel']}; "
               f"load average (1, 5, 15 min) at start {load}, at end {load_end or '–'}. "
               f"Client: {m['client']} (Python {m['python']}).")
    versions = results.get("versions", {})
    out += ["", "| broker | version | storage |", "|---|---|---|"]
    for name, info in results.get("brokers", {}).items():
        version = versions.get(name, f"revision `{m['revision']}`" if name == "tributary" else "")
        out.append(f"| {name} | {version} | {info.get('storage', '')} |")
    if m["load_avg_at_start"][0] > (m["cores"] or 1):
        out += ["", f"**This run shared the machine with other work** (load average above {m['cores']} cores): "
                "throughput ranges and latency tails below carry that noise; compare brokers within a "
                "row's range rather than by the last digit."]
    out += ["", "### Machine ceiling (same run)", "",
            "| measurement | result |", "|---|---|"]
    d1, db, d4, net = ceil["disk_fsync_1mib"], ceil["disk_buffered_1mib"], ceil["disk_fsync_4kib"], ceil["loopback_tcp"]
    out.append(f"| sequential 1 MiB writes, fdatasync after each, data-dir filesystem | {_num(d1['mb_per_s'], 1)} MB/s |")
    out.append(f"| sequential 1 MiB writes, one fdatasync at the end | {_num(db['mb_per_s'], 1)} MB/s |")
    out.append(f"| 4 KiB append + fdatasync | {_num(d4['rounds_per_s'])} /s; p50 {_num(d4['p50_ms'], 2)} ms, "
               f"p99 {_num(d4['p99_ms'], 2)} ms |")
    out.append(f"| loopback TCP, one connection, 1 MiB sends | {_num(net['mb_per_s'])} MB/s |")
    out += ["", "### Throughput (same run)", "",
            f"One producer sends N records as fast as it can (N = {s['count_small']:,} at 100 B, "
            f"{s['count_large']:,} at 1 KiB; linger.ms={s['linger_ms']}; {s['partitions']} partition(s)) into a "
            "fresh topic, then one consumer reads them back from offset 0. Each case runs "
            f"{s.get('repeats', 1)} times, the brokers taking turns; the table shows the median sample and "
            "the range of all samples. MB = 10⁶ bytes of record value.", "",
            "| broker | record | acks | produce msgs/s | (range) | produce MB/s | consume msgs/s | (range) "
            "| consume MB/s | notes |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for case in results.get("cases", []):
        p, c = case["produce"], case["consume"]
        out.append(f"| {case['broker']} | {_size(case['size'])} | {case['acks']} | "
                   f"{_num(p['msgs_per_s'])} | {_range(p)} | {_num(p['mb_per_s'], 1)} | {_num(c['msgs_per_s'])} | "
                   f"{_range(c)} | {_num(c['mb_per_s'], 1)} | {_case_notes(case)} |")
    out += ["", f"### End-to-end latency at {s['latency_fraction']:.0%} of peak (same run)", "",
            f"A producer (linger.ms={s['latency_linger_ms']}) sends at {s['latency_fraction']:.0%} of the peak "
            "measured above for the same broker, size and acks (the lower of the produce and consume rates: "
            f"the pipeline's peak), for {s['latency_s']:g} s; the first "
            f"{s['latency_warmup_s']:g} s are not counted. Latency = consumer receive time − send time carried in "
            "the record (one monotonic clock; producer and consumer are separate processes).", "",
            "| broker | record | acks | target msgs/s | achieved msgs/s | p50 ms | p99 ms | p99.9 ms | max ms | notes |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for case in results.get("cases", []):
        lat = case.get("latency", {})
        out.append(f"| {case['broker']} | {_size(case['size'])} | {case['acks']} | {_num(lat.get('target_rate'))} | "
                   f"{_num(lat.get('achieved_rate'))} | {_num(lat.get('p50_ms'), 2)} | {_num(lat.get('p99_ms'), 2)} | "
                   f"{_num(lat.get('p999_ms'), 2)} | {_num(lat.get('max_ms'), 2)} | {_latency_notes(lat)} |")
    out += ["", "### Targets", ""] + _targets(results)
    out += ["", "### Broker processes", "", "| broker | CPU seconds over its whole run | peak RSS MiB |",
            "|---|---:|---:|"]
    for name, info in results.get("brokers", {}).items():
        out.append(f"| {name} | {_num(info.get('cpu_seconds'), 1)} | {_num(info.get('peak_rss_mib'), 0)} |")
    problems = [(name, p) for name, info in results.get("brokers", {}).items() for p in info.get("problems", [])]
    skipped = results.get("skipped", {})
    if problems or skipped:
        out += ["", "### Could not run, or failed", ""]
        for name, reason in skipped.items():
            out.append(f"- {name}: {reason}")
        for name, problem in problems:
            text = problem.replace("\n", "\n  ")
            out.append(f"- {name}: {text}")
    out += ["", "### How to read these numbers", ""] + METHOD_NOTES
    out += ["", "### Published Apache Kafka figures (not measured here)", ""] + PUBLISHED
    out += ["", END]
    return "\n".join(out) + "\n"


METHOD_NOTES = [
    "- All brokers run on 127.0.0.1 on this machine side by side, each with a fresh data directory, and "
    "take turns case by case in a rotating order, so that load from elsewhere falls on each alike; they "
    "are stopped by PID at the end. Client and broker share the same 2 cores, so a broker that needs "
    "less CPU leaves more to the client: the producer's peak is partly a client limit (see the CPU "
    "seconds above).",
    "- Tributary answers acks=all only after fsync (group commit, its default); acks=1 after the append "
    "to the page cache. Tansu runs its memory storage engine and keeps nothing on disk. noida-db keeps "
    "its Kafka data in memory and writes its state to a JSON file in its data directory in the background.",
    "- The producer counts a record only when its delivery report came back without error; "
    "`delivery.report.only.error` keeps the client's own cost low. The consumer counts records and "
    "value bytes, and checks them against what was produced.",
    "- A case that hits its time limit is reported with what it reached, never retried silently.",
    "- noida-db answers a Fetch with the whole partition whatever `fetch.max.bytes` says (responses of "
    "about 206 MB at 1 KiB × 200,000 records); librdkafka rejects those above `receive.message.max.bytes` "
    "(100 MB by default), so every consumer here accepts up to 1 GB, which changes nothing for brokers "
    "that honour the fetch limits.",
]

PUBLISHED = [
    "These come from other hardware and other setups; they are context, not a same-run comparison.",
    "",
    "- Jay Kreps, *Benchmarking Apache Kafka: 2 Million Writes Per Second (On Three Cheap Machines)*, "
    "LinkedIn Engineering blog, 2014 (three brokers, each a six-core 2.5 GHz Xeon with six 7200 rpm "
    "SATA disks, 32 GB RAM and 1 Gb Ethernet; 100-byte records; Kafka's default durability, where the OS "
    "flushes to disk and nothing is fsync'd per request): one producer thread, "
    "no replication 821,557 records/s (78.3 MB/s); 3× asynchronous replication 786,980 records/s; "
    "3× synchronous replication (acks=all) 421,823 records/s (40.2 MB/s); one consumer 940,521 records/s "
    "(89.7 MB/s); end-to-end latency 2 ms median, 3 ms p99, 14 ms p99.9. (Its MB is 2²⁰ bytes.)",
    "- Confluent, *Benchmarking Apache Kafka, Apache Pulsar, and RabbitMQ: Which is the Fastest?*, "
    "Confluent blog, 2020 (three brokers on AWS i3en.2xlarge: 8 vCPUs, 64 GB RAM, 2 NVMe SSDs; "
    "1 KB records, replication factor 3): peak throughput 605 MB/s; p99 end-to-end latency 5 ms at a "
    "200 MB/s load.",
]


def update_benchmarks_md(path: Path, section: str) -> None:
    """Replaces the Broker section of BENCHMARKS.md (or adds it), keeping every other section."""
    text = path.read_text() if path.exists() else HEADER
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + section.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Rewrite BENCHMARKS.md's Broker section from a results.json.")
    parser.add_argument("results", help="results.json written by bench/broker_bench.py")
    parser.add_argument("--command", required=True, help="the command line that made the results")
    parser.add_argument("--benchmarks-md", default=str(Path(__file__).resolve().parents[1] / "BENCHMARKS.md"))
    args = parser.parse_args()
    update_benchmarks_md(Path(args.benchmarks_md), render(json.loads(Path(args.results).read_text()), args.command))
