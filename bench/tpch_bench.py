#!/usr/bin/env python3
"""The TPC-H benchmark: the 22 queries at one scale factor through Tributary and its peers, from
CSV, from data cached in memory and from Parquet, in one run on one machine; writes the results
to bench/out/tpch-sf<SF>.json and the TPC-H section of BENCHMARKS.md (between its own markers).

Usage: tpch_bench.py --data DIR --sf SF --bin TRIBUTARY [--engines a,b,…] [--runs N]
                     [--budget-s S] [--spark-budget-s S] [--command TEXT] [--no-write] [queries…]
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import tpch_report  # noqa: E402
from tpch_engines import ENGINES  # noqa: E402

DEFAULT_ENGINES = ["tributary-csv", "duckdb-csv", "pyspark-csv",
                   "tributary-memory", "duckdb-memory", "polars-memory",
                   "tributary-parquet", "duckdb-parquet", "polars-parquet", "datafusion-parquet", "pyspark-parquet"]


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gib = None
    try:
        with open("/proc/meminfo") as f:
            mem_gib = int(f.readline().split()[1]) / (1 << 20)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem_gib,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version()}


def session_start(binary):
    """Wall time of `tributary sql -e 'SELECT 1'` (median of 5 after one warm-up) and the in-process
    session creation time tributary prints with --timer."""
    walls, inproc = [], []
    for i in range(6):
        start = time.perf_counter()
        proc = subprocess.run([binary, "sql", "--timer", "-e", "SELECT 1"], capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - start
        m = re.search(r"Session start: ([0-9.]+) ms", proc.stdout)
        if i > 0 and proc.returncode == 0:
            walls.append(wall)
            if m:
                inproc.append(float(m.group(1)) / 1000)
    return {"cli_select1_seconds": statistics.median(walls) if walls else None,
            "in_process_seconds": statistics.median(inproc) if inproc else None}


def run_engine(name, data, runs, budget, numbers, binary):
    env = dict(os.environ, TRIBUTARY_BIN=binary)
    cmd = [sys.executable, os.path.join(HERE, "tpch_engines.py"), name, data, str(runs), str(budget)]
    cmd += [str(n) for n in numbers]
    start = time.monotonic()
    try:
        # The engine stops starting queries at its budget; this outer limit catches a hung one.
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=budget + 900)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {budget + 900:.0f} s", "queries": {}}
    elapsed = time.monotonic() - start
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        return {"error": tail[:300], "queries": {}, "elapsed_seconds": elapsed}
    out = json.loads(lines[-1])
    out["queries"] = {int(k): v for k, v in out["queries"].items()}
    out["elapsed_seconds"] = elapsed
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--sf", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--engines", default=",".join(DEFAULT_ENGINES))
    ap.add_argument("--runs", type=int, default=2, help="runs per query; the first is discarded")
    ap.add_argument("--budget-s", type=float, default=900, help="time budget per engine")
    ap.add_argument("--spark-budget-s", type=float, default=900, help="time budget per PySpark engine")
    ap.add_argument("--command", default="bench/tpch.sh")
    ap.add_argument("--no-write", action="store_true", help="print the section instead of writing BENCHMARKS.md")
    ap.add_argument("queries", nargs="*", type=int)
    args = ap.parse_args()
    numbers = args.queries or list(range(1, 23))
    engines = [e for e in args.engines.split(",") if e]
    for e in engines:
        if e not in ENGINES:
            raise SystemExit(f"unknown engine {e}; known: {', '.join(ENGINES)}")

    started = datetime.datetime.now(datetime.timezone.utc)
    result = {
        "command": args.command, "sf": args.sf, "runs": args.runs, "queries": numbers,
        "started": started.strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
        "load_start": os.getloadavg(), "engines": {},
    }
    result["revision"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                        text=True).stdout.strip()
    result["session_start"] = session_start(args.bin)
    print(f"session start: {result['session_start']}", flush=True)
    for e in engines:
        budget = args.spark_budget_s if e.startswith("pyspark") else args.budget_s
        print(f"== {e}", flush=True)
        out = run_engine(e, args.data, args.runs, budget, numbers, args.bin)
        result["engines"][e] = out
        if out.get("error"):
            print(f"   error: {out['error']}", flush=True)
        for n in numbers:
            q = out["queries"].get(n, {})
            shown = f"{q['seconds']:.3f} s" if "seconds" in q else q.get("error", "–")
            print(f"   q{n:02d} {shown}", flush=True)
    result["load_end"] = os.getloadavg()
    result["elapsed_seconds"] = (datetime.datetime.now(datetime.timezone.utc) - started).total_seconds()

    os.makedirs(os.path.join(HERE, "out"), exist_ok=True)
    out_path = os.path.join(HERE, "out", f"tpch-sf{args.sf}.json")
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)
    section = tpch_report.render(result)
    if args.no_write:
        print(section)
    else:
        tpch_report.write(os.path.join(ROOT, "BENCHMARKS.md"), section)
        print(f"wrote the TPC-H section of BENCHMARKS.md ({out_path})")


if __name__ == "__main__":
    main()
