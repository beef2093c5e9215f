"""Parquet scan benchmark: TPC-H SF1 lineitem (tpchgen-cli's Parquet file) read by Tributary, DuckDB
and pyarrow, 2 threads each, in the same run, and the table written into BENCHMARKS.md between the
`parquet-scan` markers.

Tributary runs each query as `tributary sql -e` (the whole process: start, footer, scan, query);
DuckDB runs the same SQL in process over read_parquet; pyarrow reads the columns the query needs
into an Arrow table (decoding only, no query). Each cell is the best wall time and the best CPU time
(user + system, all threads) of `--repeat` runs.

Usage: bench/parquet.sh (builds the release binary and the data first), or
  python bench/parquet_scan.py --tributary-bin BIN --lineitem FILE [--repeat N] [--no-write]
"""
import argparse
import datetime
import os
import re
import resource
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "<!-- parquet-scan: begin (rewritten by bench/parquet.sh) -->"
END = "<!-- parquet-scan: end -->"

ALL_COLUMNS = ["l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity", "l_extendedprice",
               "l_discount", "l_tax", "l_returnflag", "l_linestatus", "l_shipdate", "l_commitdate",
               "l_receiptdate", "l_shipinstruct", "l_shipmode", "l_comment"]

# Aggregates that need every value: DuckDB answers a bare min/max/count from the footer's statistics,
# which would not measure a scan.
NUMBERS = ALL_COLUMNS[:8]
STRINGS = ["l_returnflag", "l_linestatus", "l_shipinstruct", "l_shipmode", "l_comment"]
DATES = ["l_shipdate", "l_commitdate", "l_receiptdate"]

CASES = [
    ("every column (16 aggregates)", ALL_COLUMNS,
     "SELECT " + ", ".join([f"sum({c})" for c in NUMBERS] + [f"sum(length({c}))" for c in STRINGS]
                           + [f"max(date_add({c}, 1))" for c in DATES]) + " FROM {table}"),
    ("integers and decimals (sum of 8)", NUMBERS,
     "SELECT " + ", ".join(f"sum({c})" for c in NUMBERS) + " FROM {table}"),
    ("strings (sum of lengths of 5)", STRINGS,
     "SELECT " + ", ".join(f"sum(length({c}))" for c in STRINGS) + " FROM {table}"),
    ("TPC-H Q1", ["l_returnflag", "l_linestatus", "l_quantity", "l_extendedprice", "l_discount", "l_tax", "l_shipdate"],
     """SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice),
        sum(l_extendedprice * (1 - l_discount)), sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)),
        avg(l_quantity), avg(l_extendedprice), avg(l_discount), count(*)
        FROM {table} WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY
        GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus"""),
    ("TPC-H Q6", ["l_extendedprice", "l_discount", "l_shipdate", "l_quantity"],
     """SELECT sum(l_extendedprice * l_discount) FROM {table}
        WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01'
        AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24"""),
]


def cpu_seconds(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def best(fn, repeat, who):
    """Best wall time and best CPU time (user + system, all threads) of `repeat` runs. CPU time is
    the steadier number on a shared machine: waiting for a core does not count."""
    walls, cpus = [], []
    for _ in range(repeat):
        cpu = cpu_seconds(who)
        start = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds(who) - cpu)
    return min(walls), min(cpus)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tributary-bin", required=True)
    parser.add_argument("--lineitem", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--command", default="bench/parquet.sh")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    pa.set_cpu_count(2)
    duck = duckdb.connect()
    duck.execute("SET threads TO 2")
    path = os.path.abspath(args.lineitem)
    quoted = path.replace("'", "''")

    def ours(sql):
        text = sql.format(table="parquet.`" + path.replace("`", "``") + "`")
        done = subprocess.run([args.tributary_bin, "sql", "--format", "csv", "-e", text], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"tributary failed: {done.stderr}")
        return done.stdout

    rows = []
    for name, columns, sql in CASES:
        ours(sql)  # warm the page cache
        t_ours = best(lambda: ours(sql), args.repeat, resource.RUSAGE_CHILDREN)
        t_duck = best(lambda: duck.execute(sql.format(table=f"read_parquet('{quoted}')")).fetchall(), args.repeat,
                      resource.RUSAGE_SELF)
        t_arrow = best(lambda: pq.read_table(path, columns=columns, use_threads=True), args.repeat, resource.RUSAGE_SELF)
        rows.append((name, t_ours, t_duck, t_arrow))
        print(f"{name}: tributary {t_ours}, duckdb {t_duck}, pyarrow read {t_arrow} (wall s, cpu s)", flush=True)

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    load = os.getloadavg()[0]
    lines = [
        BEGIN,
        "## Parquet scans",
        "",
        f"TPC-H SF1 `lineitem` (tpchgen-cli Parquet: 6,001,215 rows, 53 row groups, snappy), 2 threads each, "
        f"best of {args.repeat}. Tributary: the `tributary sql -e` process (release build, {commit}: start, "
        f"footer, scan, query); DuckDB {duckdb.__version__}: the same SQL over `read_parquet`; pyarrow "
        f"{pa.__version__}: `read_table` of the columns the query reads (decoding only, no query). Each cell is "
        "wall seconds / CPU seconds (user + system over all threads); the ratio is Tributary's over DuckDB's.",
        "",
        f"Command: `{args.command}` ({datetime.date.today().isoformat()}; load average {load:.1f} at the end of "
        "the run on 2 cores" + (", shared with other work, so wall times are inflated and noisy and CPU times are "
                                "the steadier comparison" if load > 2 else ", otherwise idle")
        + "; the three ran interleaved, case by case).",
        "",
        "| query | Tributary wall / CPU | DuckDB wall / CPU | pyarrow read wall / CPU | Tributary / DuckDB wall, CPU |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, a, b, c in rows:
        lines.append(f"| {name} | {a[0]:.2f} / {a[1]:.2f} | {b[0]:.2f} / {b[1]:.2f} | {c[0]:.2f} / {c[1]:.2f} | "
                     f"{a[0] / b[0]:.2f}x, {a[1] / b[1]:.2f}x |")
    lines.append(END)
    section = "\n".join(lines) + "\n"
    print(section)
    if args.no_write:
        return
    target = ROOT / "BENCHMARKS.md"
    text = target.read_text()
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    target.write_text(text)


if __name__ == "__main__":
    main()
