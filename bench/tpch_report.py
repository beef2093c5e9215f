"""Renders a TPC-H benchmark run (bench/out/tpch-sf<SF>.json) as the TPC-H section of BENCHMARKS.md.

The section sits between its own marker comments, so a new run rewrites it without touching the
sections other benchmarks own; a missing section is appended at the end.
"""
import json
import math
import sys

BEGIN = "<!-- tpch-bench: begin (rewritten by bench/tpch.sh; edit bench/tpch_report.py instead) -->"
END = "<!-- tpch-bench: end -->"

NAMES = {
    "tributary-csv": "Tributary", "duckdb-csv": "DuckDB", "pyspark-csv": "PySpark local[2]",
    "tributary-memory": "Tributary (CACHE TABLE)", "duckdb-memory": "DuckDB (tables)",
    "polars-memory": "Polars (DataFrames)",
    "tributary-parquet": "Tributary", "duckdb-parquet": "DuckDB", "polars-parquet": "Polars (scan_parquet)",
    "datafusion-parquet": "DataFusion", "pyspark-parquet": "PySpark local[2]",
}

GROUPS = [
    ("From CSV", "the same CSV files, read at every query (Tributary and DuckDB through views with the "
                 "declared schema, PySpark through `spark.read.csv` with the same schema)",
     ["tributary-csv", "duckdb-csv", "pyspark-csv"]),
    ("Cached in memory", "every table loaded once from the Parquet files before the queries: Tributary's "
                         "`CACHE TABLE`, DuckDB tables (`CREATE TABLE … AS`), Polars DataFrames in a `SQLContext`; "
                         "the load is not in the query times",
     ["tributary-memory", "duckdb-memory", "polars-memory"]),
    ("From Parquet", "the same Parquet files (tpchgen-cli's, snappy), read at every query",
     ["tributary-parquet", "duckdb-parquet", "polars-parquet", "datafusion-parquet", "pyspark-parquet"]),
]


def seconds(run, engine, n):
    q = run["engines"].get(engine, {}).get("queries", {}).get(n) or run["engines"].get(engine, {}).get(
        "queries", {}).get(str(n))
    return q.get("seconds") if q else None


def error(run, engine, n):
    q = run["engines"].get(engine, {}).get("queries", {}).get(n) or run["engines"].get(engine, {}).get(
        "queries", {}).get(str(n))
    if q and "error" in q:
        return q["error"]
    return run["engines"].get(engine, {}).get("error")


def geomean(values):
    values = [v for v in values if v and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def fmt_s(v):
    if v is None:
        return "–"
    return f"{v:.3f}" if v < 10 else f"{v:.2f}"


def fmt_x(v):
    return "–" if v is None else f"{v:.2f}×"


def ratio_geomean(run, a, b, numbers):
    """Geo-mean of a/b over the queries both answered, and how many those were."""
    pairs = [(seconds(run, a, n), seconds(run, b, n)) for n in numbers]
    pairs = [(x, y) for x, y in pairs if x and y]
    if not pairs:
        return None, 0
    return geomean([x / y for x, y in pairs]), len(pairs)


def table(run, engines, numbers):
    present = [e for e in engines if e in run["engines"]]
    if not present:
        return "", {}
    trib = present[0] if present[0].startswith("tributary") else None
    peers = present[1:] if trib else present
    if trib is None:
        # Without Tributary in the run there is nothing to compare against: times only.
        head = ["query"] + [NAMES[e] for e in present]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
        for n in numbers:
            lines.append("| " + " | ".join([f"Q{n}"] + [fmt_s(seconds(run, e, n)) for e in present]) + " |")
        return "\n".join(lines), {}
    spark = [e for e in peers if e.startswith("pyspark")]
    others = [e for e in peers if not e.startswith("pyspark")]
    head = ["query"] + [NAMES[e] for e in present]
    head += [f"Tributary ÷ {NAMES[e].split(' (')[0]}" for e in others] + [f"{NAMES[e]} ÷ Tributary" for e in spark]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
    for n in numbers:
        t = seconds(run, trib, n)
        cells = [f"Q{n}"] + [fmt_s(seconds(run, e, n)) for e in present]
        cells += [fmt_x(t / seconds(run, e, n)) if t and seconds(run, e, n) else "–" for e in others]
        cells += [fmt_x(seconds(run, e, n) / t) if t and seconds(run, e, n) else "–" for e in spark]
        lines.append("| " + " | ".join(cells) + " |")
    common = [n for n in numbers if all(seconds(run, e, n) for e in present)]
    ratios = {}
    cells = [f"geo-mean ({len(common)} queries all answered)"]
    cells += [fmt_s(geomean([seconds(run, e, n) for n in common])) for e in present]
    for e in others:
        ratios[e], _ = ratio_geomean(run, trib, e, common)
        cells.append(fmt_x(ratios[e]))
    for e in spark:
        r, _ = ratio_geomean(run, e, trib, common)
        ratios[e] = r
        cells.append(fmt_x(r))
    lines.append("| " + " | ".join(f"**{c}**" for c in cells) + " |")
    notes = []
    for e in present:
        failed = [(n, error(run, e, n)) for n in numbers if seconds(run, e, n) is None]
        if failed:
            shown = "; ".join(f"Q{n}: {msg}" for n, msg in failed[:4] if msg)
            more = f" (and {len(failed) - 4} more)" if len(failed) > 4 else ""
            notes.append(f"- {NAMES[e]} did not answer {', '.join(f'Q{n}' for n, _ in failed)}"
                         + (f" — {shown}{more}" if shown else ""))
    return "\n".join(lines) + ("\n\n" + "\n".join(notes) if notes else ""), ratios


def pyspark_10x(run, trib, spark, numbers):
    """(queries at least 10× faster than PySpark, queries both answered, the worst ratio)."""
    pairs = [(seconds(run, spark, n) / seconds(run, trib, n), n) for n in numbers
             if seconds(run, spark, n) and seconds(run, trib, n)]
    if not pairs:
        return None
    worst = min(pairs)
    return sum(1 for r, _ in pairs if r >= 10), len(pairs), worst


def render(run):
    numbers = [int(n) for n in run["queries"]]
    m = run["machine"]
    versions = ", ".join(f"{NAMES[e].split(' (')[0]} {run['engines'][e].get('version', '?')}"
                         for e in ["duckdb-parquet", "duckdb-csv", "polars-parquet", "polars-memory",
                                   "datafusion-parquet", "pyspark-parquet", "pyspark-csv"]
                         if e in run["engines"] and run["engines"][e].get("version"))
    seen = []
    for v in versions.split(", "):
        if v and v not in seen:
            seen.append(v)
    out = [BEGIN, f"## TPC-H SF {run['sf']}", ""]
    out.append(f"Made by `{run['command']}` on {run['started']} at revision `{run['revision']}` (release build); "
               f"the whole run took {run['elapsed_seconds']:.0f} s." + (f" {run['revision_note']}" if run.get("revision_note") else ""))
    out.append(f"Machine: {m['cores']} × {m['cpu']}, {m['memory_gib']:.1f} GiB, {m['os']}; load average "
               f"(1, 5, 15 min) at start {', '.join(f'{x:.2f}' for x in run['load_start'])}, at end "
               f"{', '.join(f'{x:.2f}' for x in run['load_end'])}. Peers: {', '.join(seen)}.")
    out.append("")
    out.append(f"All 22 queries in their standard text (`tests/tpch/queries`), every engine limited to 2 threads "
               f"(Tributary's pool of one worker per core on this 2-core machine, DuckDB `threads=2`, "
               f"`POLARS_MAX_THREADS=2`, DataFusion `target_partitions=2`, PySpark `local[2]` with "
               f"`spark.sql.shuffle.partitions=4`). Each query runs {run['runs']} times in one session; "
               f"the first run is discarded and the table shows the fastest of the rest, in seconds. "
               f"Tributary runs each query in a fresh `tributary sql` process and reports the statement time "
               f"it prints with `--timer`; the Python peers are timed around the call that returns all rows.")
    # The benchmark itself keeps about one more process than the cores busy (2 engine threads and
    # the driver), so only a 1-minute load above that means other work shared the machine.
    if max(run["load_start"][0], run["load_end"][0]) > (m["cores"] or 2) + 1:
        out.append("")
        out.append("**This run shared the machine with other work** (1-minute load average above the core count plus one): "
                   "every engine's times carry that noise. Engines run one after another, so when the load "
                   "changes during the run (compare the load averages at start and end), engines measured "
                   "at different times saw different loads; ratios are rough.")
    ratios = {}
    for title, what, engines in GROUPS:
        text, r = table(run, engines, numbers)
        if not text:
            continue
        ratios.update(r)
        out += ["", f"### {title} (same run)", "", what[0].upper() + what[1:] + ".", "", text]
        setups = [f"{NAMES[e]} {run['engines'][e]['setup_seconds']:.2f} s" for e in engines
                  if e in run["engines"] and run["engines"][e].get("setup_seconds") is not None]
        if title == "Cached in memory" and setups:
            out += ["", "Load time (not in the table): " + ", ".join(setups) + "."]
    ss = run.get("session_start", {})
    out += ["", "### Session start (same run)", "", "| measurement | seconds |", "|---|---:|"]
    out.append(f"| `tributary sql -e 'SELECT 1'`, whole process (median of 5) | {fmt_s(ss.get('cli_select1_seconds'))} |")
    out.append(f"| Tributary session creation in process (`--timer`) | {fmt_s(ss.get('in_process_seconds'))} |")
    for e in ["duckdb-parquet", "pyspark-parquet", "pyspark-csv"]:
        s = run["engines"].get(e, {}).get("session_seconds")
        if s is not None:
            label = "DuckDB `duckdb.connect()`" if e.startswith("duckdb") else f"PySpark `SparkSession` start ({e[8:]} run)"
            out.append(f"| {label} | {fmt_s(s)} |")

    out += ["", "### Targets (issues #5 and #6)", "", "| target | measured | met |", "|---|---|---|"]
    cli = ss.get("cli_select1_seconds")
    out.append(f"| session start ≤ 50 ms | {fmt_s(cli)} s (process), {fmt_s(ss.get('in_process_seconds'))} s (in process) "
               f"| {'yes' if cli is not None and cli <= 0.05 else 'no'} |")
    r = ratios.get("duckdb-memory")
    out.append(f"| cached geo-mean ≤ 2× DuckDB in-memory | {fmt_x(r)} | {'yes' if r and r <= 2 else 'no'} |")
    r = ratios.get("duckdb-parquet")
    out.append(f"| Parquet geo-mean within 1.5× of DuckDB | {fmt_x(r)} | {'yes' if r and r <= 1.5 else 'no'} |")
    r = ratios.get("datafusion-parquet")
    out.append(f"| Parquet geo-mean faster than DataFusion | {fmt_x(r)} | {'yes' if r and r < 1 else 'no'} |")
    for trib, spark in [("tributary-csv", "pyspark-csv"), ("tributary-parquet", "pyspark-parquet")]:
        if spark in run["engines"]:
            res = pyspark_10x(run, trib, spark, numbers)
            if res:
                k, total, (worst, wn) = res
                out.append(f"| every query ≥ 10× faster than warm PySpark ({spark[8:]}) | {k} of {total} queries; "
                           f"slowest ratio {worst:.1f}× (Q{wn}) | {'yes' if k == total == len(numbers) else 'no'} |")
    out.append(END)
    return "\n".join(out) + "\n"


def write(path, section):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if BEGIN in text and END in text:
        start = text.index(BEGIN)
        end = text.index(END) + len(END)
        text = text[:start] + section.rstrip("\n") + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    # Re-renders a saved run: tpch_report.py bench/out/tpch-sf1.json [BENCHMARKS.md]
    with open(sys.argv[1]) as f:
        saved = json.load(f)
    if len(sys.argv) > 2:
        write(sys.argv[2], render(saved))
    else:
        print(render(saved))
