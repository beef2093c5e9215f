#!/usr/bin/env python3
"""Runs the 22 TPC-H queries (tests/tpch/queries) through `tributary sql` and through DuckDB on the
same files and compares the answers, from CSV and/or from Parquet (tests/tpch/schema.py).

Columns are compared by the type Tributary gives them (from DESCRIBE QUERY): decimals exactly at
their declared scale (DuckDB's value rounded half-up to that scale, since DuckDB answers some
decimal expressions such as avg with a double), integers and strings exactly, dates as text, doubles
to a relative 1e-9. Rows are compared in order: every query has an ORDER BY, or one row.

Usage: check.py [--data DIR] [--bin PATH] [--format csv|parquet|cached]… [query numbers…]
The data directory holds `<table>.csv` and/or `<table>.parquet` as tpchgen-cli writes them; each
--format given runs all the queries from that format (default: csv); `cached` reads the Parquet files
into the in-memory cache first. Prints one line per query and
`N passed, N failed`; exits non-zero when any query failed.
"""
import csv
import decimal
import io
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


MEMORY_LIMIT_BYTES = int(float(os.environ.get("TRIBUTARY_MEMORY_LIMIT_GB", "8")) * (1 << 30))


def limit_memory():
    """Caps the child's data segment so that a runaway query fails alone instead of exhausting the
    machine (the whole test run shares it with builds)."""
    import resource
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
sys.path.insert(0, HERE)
import schema  # noqa: E402


def query_text(n):
    with open(os.path.join(HERE, "queries", f"q{n:02d}.sql"), encoding="utf-8") as f:
        return f.read()


def run_tributary(binary, setup, sql, fmt="csv"):
    proc = subprocess.run([binary, "sql", "--format", fmt, "--null", "NULL", "-e", setup + sql],
                          cwd=ROOT, capture_output=True, text=True, preexec_fn=limit_memory, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or f"exit code {proc.returncode}")
    return list(csv.reader(io.StringIO(proc.stdout)))


def tributary_types(binary, setup, sql):
    body = re.sub(r"^\s*--.*$", "", sql, flags=re.M).strip().rstrip(";")
    rows = run_tributary(binary, setup, "DESCRIBE QUERY " + body + ";")
    return [r[1] for r in rows[1:]]


MARKER = "@@check"


def run_in_one_session(binary, setup, numbers):
    """Runs the queries one after another in a single `tributary sql` process, so that what the
    setup caches is loaded once. Returns {n: (types, rows)} for the queries that answered, and the
    error that stopped the script, if any."""
    script = [setup]
    for n in numbers:
        body = re.sub(r"^\s*--.*$", "", query_text(n), flags=re.M).strip().rstrip(";")
        script += [f"SELECT '{MARKER} types {n}' AS marker;", f"DESCRIBE QUERY {body};",
                   f"SELECT '{MARKER} rows {n}' AS marker;", f"{body};"]
    script.append(f"SELECT '{MARKER} end' AS marker;")
    proc = subprocess.run([binary, "sql", "--format", "csv", "--null", "NULL", "-e", "\n".join(script)],
                          cwd=ROOT, capture_output=True, text=True, preexec_fn=limit_memory, timeout=1800)
    # A section is complete when another marker follows it: a failing statement ends the output.
    sections, order = {}, []
    for row in csv.reader(io.StringIO(proc.stdout)):
        if order and sections[order[-1]] == [["marker"]] and row and row[0].startswith(MARKER):
            del sections[order.pop()]
            order.append(tuple(row[0].split()[1:]))
            sections[order[-1]] = []
            continue
        if row == ["marker"]:
            order.append(("pending", len(order)))
            sections[order[-1]] = [row]
            continue
        if order:
            sections[order[-1]].append(row)
    complete = set(order[:-1])
    answers = {}
    for n in numbers:
        types, rows = ("types", str(n)), ("rows", str(n))
        if types in complete and rows in complete:
            answers[n] = ([r[1] for r in sections[types][1:]], sections[rows])
    error = None if proc.returncode == 0 else (proc.stderr.strip() or f"exit code {proc.returncode}")
    return answers, error


def same(ours, theirs, typ):
    if ours == "NULL" or theirs is None:
        return ours == "NULL" and theirs is None
    m = re.fullmatch(r"decimal\((\d+),(\d+)\)", typ)
    if m:
        scale = int(m.group(2))
        want = decimal.Decimal(str(theirs)).quantize(decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_UP)
        return decimal.Decimal(ours) == want and len(ours.split(".")[1] if "." in ours else "") == scale
    if typ in ("tinyint", "smallint", "int", "bigint"):
        return int(ours) == int(theirs)
    if typ in ("double", "float"):
        a, b = float(ours), float(theirs)
        return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    return ours == str(theirs)


def check_format(binary, data, fmt, numbers):
    """Runs the queries from one format; returns (passed, failed)."""
    import duckdb
    con = duckdb.connect()
    schema.duckdb_setup(con, data, fmt)
    setup = schema.tributary_setup(data, fmt)
    passed = failed = 0
    # The cached format runs every query in one process, so that each table is loaded once.
    session = None
    if fmt == "cached":
        try:
            session = run_in_one_session(binary, setup, numbers)
        except subprocess.TimeoutExpired:
            session = ({}, "the session timed out")
    for n in numbers:
        sql = query_text(n)
        expected = con.execute(sql).fetchall()
        start = time.monotonic()
        try:
            if session is not None:
                answers, error = session
                if n not in answers:
                    # The first query without an answer is the one the error is about; the ones
                    # after it never ran.
                    first_missing = next(m for m in numbers if m not in answers)
                    raise RuntimeError((error or "no answer") if n == first_missing
                                       else f"not run: q{first_missing:02d} stopped the session")
                types, rows = answers[n]
            else:
                types = tributary_types(binary, setup, sql)
                rows = run_tributary(binary, setup, sql)
            problem = None
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            problem = str(e).splitlines()[0] if str(e) else type(e).__name__
        seconds = time.monotonic() - start
        if problem is None:
            problem = compare(rows, types, expected)
        if problem is None:
            passed += 1
            timing = "one session" if session is not None else f"{seconds:6.2f} s"
            print(f"{fmt:7s} q{n:02d} ok     {len(expected):4d} rows  {timing}", flush=True)
        else:
            failed += 1
            print(f"{fmt:7s} q{n:02d} FAIL   {problem}", flush=True)
    return passed, failed


def compare(rows, types, expected):
    """None when Tributary's CSV output (header first) equals DuckDB's rows, else what differs."""
    header, got = rows[0], rows[1:]
    if len(got) != len(expected):
        return f"{len(got)} rows, DuckDB has {len(expected)}"
    if len(header) != len(types):
        return f"{len(header)} columns but DESCRIBE gives {len(types)}"
    for i, (ours, theirs) in enumerate(zip(got, expected)):
        bad = [c for c in range(len(types)) if not same(ours[c], theirs[c], types[c])]
        if bad:
            c = bad[0]
            return f"row {i + 1} column {header[c]} ({types[c]}): ours {ours[c]!r}, DuckDB {theirs[c]!r}"
    return None


def main(argv):
    data = os.path.join("tests", "data", "tpch-sf0.1")
    binary = os.environ.get("TRIBUTARY_BIN") or os.path.join(ROOT, ".build", "debug", "tributary")
    numbers = []
    formats = []
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--data":
            data = args.pop(0)
        elif a == "--bin":
            binary = args.pop(0)
        elif a == "--format":
            fmt = args.pop(0)
            if fmt not in schema.FORMATS:
                raise SystemExit(f"unknown format {fmt!r} (expected one of {', '.join(schema.FORMATS)})")
            formats.append(fmt)
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            numbers.append(int(a))
    numbers = numbers or list(range(1, 23))
    formats = formats or ["csv"]
    os.chdir(ROOT)
    for fmt in formats:
        if not os.path.exists(os.path.join(data, f"lineitem.{schema.data_format(fmt)}")):
            raise SystemExit(f"no TPC-H {schema.data_format(fmt)} data in {data}; run scripts/tpch.sh first")

    passed = failed = 0
    for fmt in formats:
        p, f = check_format(binary, data, fmt, numbers)
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
