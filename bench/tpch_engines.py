"""One engine of the TPC-H benchmark, run in a process of its own (so thread settings, memory and
JVMs do not leak between engines): `python bench/tpch_engines.py ENGINE DATA_DIR QUERIES…` prints one
JSON object with the seconds of every query's timed run and the setup time.

Every query runs `runs` times in the same session; the first run is discarded (warm-up), the
reported time is the fastest of the others. Engines are limited to 2 threads.
"""
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "tpch"))
import schema  # noqa: E402

THREADS = 2
TABLES = list(schema.TABLES)


def query_text(n):
    with open(os.path.join(ROOT, "tests", "tpch", "queries", f"q{n:02d}.sql"), encoding="utf-8") as f:
        return f.read()


def strip_sql(sql):
    """The statement without comments and the final semicolon (some engines refuse them)."""
    return re.sub(r"^\s*--.*$", "", sql, flags=re.M).strip().rstrip(";")


def timed(fn, runs):
    """Runs fn `runs` times; returns (fastest timed run after the discarded first, rows of the last)."""
    times = []
    rows = None
    for _ in range(runs):
        start = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - start)
    kept = times[1:] or times
    return min(kept), rows


def run_queries(numbers, runs, deadline, execute):
    """Runs every query with `execute(sql) -> row count`; a failure is recorded and the rest go on."""
    results = {}
    for n in numbers:
        if time.monotonic() > deadline:
            results[n] = {"error": "not run: the engine's time budget was spent"}
            continue
        sql = strip_sql(query_text(n))
        try:
            seconds, rows = timed(lambda: execute(sql), runs)
            results[n] = {"seconds": seconds, "rows": rows}
        except Exception as e:  # noqa: BLE001 - any engine error is a result to report
            results[n] = {"error": (str(e).strip().splitlines() or [type(e).__name__])[0][:300]}
    return results


# ---- DuckDB ------------------------------------------------------------------------------------

def duckdb_engine(mode, data, numbers, runs, deadline):
    import duckdb
    start = time.perf_counter()
    con = duckdb.connect()
    connect_s = time.perf_counter() - start
    con.execute(f"SET threads = {THREADS}")
    start = time.perf_counter()
    for table, columns in schema.TABLES.items():
        if mode == "csv":
            spec = ", ".join(f"'{c}': '{t.replace('STRING', 'VARCHAR')}'" for c, t in columns)
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_csv('{data}/{table}.csv', header = true, "
                        f"columns = {{{spec}}})")
        elif mode == "parquet":
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{data}/{table}.parquet')")
        else:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{data}/{table}.parquet')")
    setup_s = time.perf_counter() - start
    results = run_queries(numbers, runs, deadline, lambda sql: len(con.execute(sql).fetchall()))
    return {"version": duckdb.__version__, "setup_seconds": setup_s, "session_seconds": connect_s, "queries": results}


# ---- Polars ------------------------------------------------------------------------------------

def polars_engine(mode, data, numbers, runs, deadline):
    import polars as pl
    start = time.perf_counter()
    ctx = pl.SQLContext()
    for table in TABLES:
        path = f"{data}/{table}.parquet"
        ctx.register(table, pl.read_parquet(path) if mode == "memory" else pl.scan_parquet(path))
    setup_s = time.perf_counter() - start
    results = run_queries(numbers, runs, deadline, lambda sql: ctx.execute(sql).collect().height)
    return {"version": pl.__version__, "setup_seconds": setup_s, "queries": results}


# ---- DataFusion --------------------------------------------------------------------------------

def datafusion_engine(mode, data, numbers, runs, deadline):
    import datafusion
    from datafusion import SessionConfig, SessionContext
    start = time.perf_counter()
    ctx = SessionContext(SessionConfig().with_target_partitions(THREADS))
    for table in TABLES:
        ctx.register_parquet(table, f"{data}/{table}.parquet")
    setup_s = time.perf_counter() - start
    results = run_queries(numbers, runs, deadline,
                          lambda sql: sum(b.num_rows for b in ctx.sql(sql).collect()))
    return {"version": datafusion.__version__, "setup_seconds": setup_s, "queries": results}


# ---- PySpark -----------------------------------------------------------------------------------

def spark_engine(mode, data, numbers, runs, deadline):
    import pyspark
    from pyspark.sql import SparkSession
    start = time.perf_counter()
    spark = (SparkSession.builder.master(f"local[{THREADS}]").appName("tpch-bench")
             .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "6g"))
             .config("spark.sql.shuffle.partitions", str(THREADS * 2))
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    session_s = time.perf_counter() - start
    start = time.perf_counter()
    for table, columns in schema.TABLES.items():
        if mode == "csv":
            ddl = ", ".join(f"{c} {t}" for c, t in columns)
            frame = spark.read.csv(f"{data}/{table}.csv", header=True, schema=ddl)
        else:
            frame = spark.read.parquet(f"{data}/{table}.parquet")
        frame.createOrReplaceTempView(table)
    setup_s = time.perf_counter() - start
    results = run_queries(numbers, runs, deadline, lambda sql: len(spark.sql(sql).collect()))
    spark.stop()
    return {"version": pyspark.__version__, "setup_seconds": setup_s, "session_seconds": session_s,
            "queries": results}


# ---- Tributary ---------------------------------------------------------------------------------

def memory_limit():
    """Caps tributary's data segment as the test runners do (TRIBUTARY_MEMORY_LIMIT_GB, default 8)."""
    import resource
    limit = int(float(os.environ.get("TRIBUTARY_MEMORY_LIMIT_GB", "8")) * (1 << 30))
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def tributary_run(binary, script, timeout):
    """Runs a script with --timer; returns the list of statement seconds (and raises on failure)."""
    proc = subprocess.run([binary, "sql", "--timer", "--format", "csv", "-e", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=memory_limit)
    seconds = [float(x) for x in re.findall(r"^Run Time: ([0-9.]+) s$", proc.stdout, flags=re.M)]
    if proc.returncode != 0:
        message = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[0]
        raise RuntimeError(message[:300])
    return seconds, proc.stdout


def tributary_setup(mode, data):
    return schema.tributary_setup(data, "csv" if mode == "csv" else "parquet")


def tributary_engine(mode, data, numbers, runs, deadline, binary):
    setup = tributary_setup(mode, data)
    statements = len(TABLES)
    results = {}
    info = {"version": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                      text=True).stdout.strip()}
    if mode == "memory":
        # One process: CACHE TABLE every table (timed as setup), then every query `runs` times.
        cache = "".join(f"CACHE TABLE {t};\n" for t in TABLES)
        script = setup + cache + "".join((strip_sql(query_text(n)) + ";\n") * runs for n in numbers)
        try:
            seconds, _ = tributary_run(binary, script, timeout=max(60, deadline - time.monotonic()))
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            info["error"] = str(e)[:300]
            seconds = []
        info["setup_seconds"] = sum(seconds[statements:2 * statements]) if len(seconds) >= 2 * statements else None
        timed_runs = seconds[2 * statements:]
        for k, n in enumerate(numbers):
            mine = timed_runs[k * runs:(k + 1) * runs]
            if len(mine) == runs:
                results[n] = {"seconds": min(mine[1:] or mine)}
            else:
                results[n] = {"error": info.get("error", "no timing")}
        info["queries"] = results
        return info
    for n in numbers:
        if time.monotonic() > deadline:
            results[n] = {"error": "not run: the engine's time budget was spent"}
            continue
        sql = strip_sql(query_text(n))
        try:
            seconds, _ = tributary_run(binary, setup + (sql + ";\n") * runs, timeout=600)
            mine = seconds[statements:]
            results[n] = {"seconds": min(mine[1:] or mine)}
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            results[n] = {"error": str(e)[:300]}
    info["queries"] = results
    return info


ENGINES = {
    "tributary-csv": ("csv", "tributary"),
    "tributary-memory": ("memory", "tributary"),
    "tributary-parquet": ("parquet", "tributary"),
    "duckdb-csv": ("csv", duckdb_engine),
    "duckdb-memory": ("memory", duckdb_engine),
    "duckdb-parquet": ("parquet", duckdb_engine),
    "polars-memory": ("memory", polars_engine),
    "polars-parquet": ("parquet", polars_engine),
    "datafusion-parquet": ("parquet", datafusion_engine),
    "pyspark-csv": ("csv", spark_engine),
    "pyspark-parquet": ("parquet", spark_engine),
}


def main(argv):
    engine, data, runs, budget = argv[0], argv[1], int(argv[2]), float(argv[3])
    numbers = [int(x) for x in argv[4:]]
    binary = os.environ.get("TRIBUTARY_BIN", "")
    deadline = time.monotonic() + budget
    mode, fn = ENGINES[engine]
    if fn == "tributary":
        out = tributary_engine(mode, data, numbers, runs, deadline, binary)
    else:
        out = fn(mode, data, numbers, runs, deadline)
    print(json.dumps(out))


if __name__ == "__main__":
    os.environ.setdefault("POLARS_MAX_THREADS", str(THREADS))
    main(sys.argv[1:])
