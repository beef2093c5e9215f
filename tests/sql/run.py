#!/usr/bin/env python3
"""Runs the SQL logic tests (tests/sql/*.slt) through `tributary sql` and prints `N passed, N failed`.

Record format (sqllogictest, as DuckDB writes it):

    # comment
    statement ok | statement error [regex]
    <sql>                                   (ends at a blank line)

    query <types> [nosort|rowsort]           types: one letter per column, I integer, T text, R real
    <sql>
    ----
    <expected rows, columns separated by tabs>

A record may be preceded by `onlyif tributary|duckdb` or `skipif tributary|duckdb`. Results are
written the way Spark shows values: NULL, true/false, decimals at their scale, dates as yyyy-mm-dd,
an empty string as (empty); R columns are rounded to 3 decimals.

Modes:
    run.py [files…]                   run against tributary (TRIBUTARY_BIN or .build/debug/tributary)
    run.py --duckdb [files…]          check the expected answers against DuckDB on the same data
                                      (records marked `skipif duckdb` are left out: Spark semantics)
    run.py --complete [files…]        rewrite expected answers from tributary's output
"""
import csv
import datetime
import decimal
import io
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


MEMORY_LIMIT_BYTES = int(float(os.environ.get("TRIBUTARY_MEMORY_LIMIT_GB", "8")) * (1 << 30))


def limit_memory():
    """Caps the child's data segment so that a runaway query fails alone instead of exhausting the
    machine (the whole test run shares it with builds)."""
    import resource
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


class Record:
    def __init__(self, kind, sql, line, types="", sort="nosort", expected=None, error=None, conditions=()):
        self.kind = kind            # "statement" or "query"
        self.sql = sql
        self.line = line
        self.types = types
        self.sort = sort
        self.expected = expected or []
        self.error = error          # None for `statement ok`, a regex (maybe "") for `statement error`
        self.conditions = list(conditions)

    def applies_to(self, engine):
        for cond, name in self.conditions:
            if cond == "onlyif" and name != engine:
                return False
            if cond == "skipif" and name == engine:
                return False
        return True


def parse(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    records = []
    i = 0
    conditions = []
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        words = stripped.split()
        if words[0] in ("onlyif", "skipif"):
            conditions.append((words[0], words[1]))
            i += 1
            continue
        start = i + 1
        if words[0] == "statement":
            error = None
            if words[1] == "error":
                error = " ".join(words[2:])
            elif words[1] != "ok":
                raise SystemExit(f"{path}:{start}: expected `statement ok` or `statement error`")
            i += 1
            sql = []
            while i < len(lines) and lines[i].strip():
                sql.append(lines[i])
                i += 1
            records.append(Record("statement", "\n".join(sql), start, error=error, conditions=conditions))
        elif words[0] == "query":
            types = words[1] if len(words) > 1 else ""
            sort = words[2] if len(words) > 2 else "nosort"
            i += 1
            sql = []
            while i < len(lines) and lines[i].strip() and lines[i].strip() != "----":
                sql.append(lines[i])
                i += 1
            expected = []
            if i < len(lines) and lines[i].strip() == "----":
                i += 1
                while i < len(lines) and lines[i] != "":
                    expected.append(lines[i])
                    i += 1
            records.append(Record("query", "\n".join(sql), start, types, sort, expected, conditions=conditions))
        else:
            raise SystemExit(f"{path}:{start}: unknown record `{words[0]}`")
        conditions = []
    return records


# ---------------------------------------------------------------------------------------------
# Value normalisation

def normalise_text(value, kind):
    if value == "NULL":
        return "NULL"
    if value == "":
        return "(empty)"
    if kind == "R":
        try:
            return "%.3f" % float(value)
        except ValueError:
            return value
    return value


def spark_text(value, kind):
    """A Python value from DuckDB written as Spark shows it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "R":
        return "%.3f" % float(value)
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e7:
            return "%.1f" % value
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") + (".%06d" % value.microsecond).rstrip("0").rstrip(".")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value == "":
        return "(empty)"
    return str(value)


def finish(rows, record):
    lines = ["\t".join(r) for r in rows]
    if record.sort == "rowsort":
        lines.sort()
    return lines


# ---------------------------------------------------------------------------------------------
# Engines

class Tributary:
    name = "tributary"

    def __init__(self):
        self.binary = os.environ.get("TRIBUTARY_BIN") or os.path.join(ROOT, ".build", "debug", "tributary")
        if not os.path.exists(self.binary):
            raise SystemExit(f"no tributary binary at {self.binary}; build it or set TRIBUTARY_BIN")
        self.prefix = []

    def start_file(self):
        self.prefix = []

    def _run(self, sql):
        # Semicolons on their own lines, so that a trailing -- comment cannot swallow one.
        script = "\n;\n".join(self.prefix + [sql]) + "\n;\n"
        proc = subprocess.run([self.binary, "sql", "--format", "csv", "--null", "NULL", "-e", script],
                              cwd=ROOT, capture_output=True, text=True, preexec_fn=limit_memory, timeout=600)
        return proc.returncode, proc.stdout, proc.stderr

    def statement(self, record):
        code, _, err = self._run(record.sql)
        if code == 0:
            self.prefix.append(record.sql)
            return None, ""
        return err.strip() or f"exit code {code}", err

    def query(self, record):
        code, out, err = self._run(record.sql)
        if code != 0:
            return None, err.strip() or f"exit code {code}"
        # A one-column row holding an empty string is an empty line, which csv reads as no field.
        rows = [r or [""] for r in csv.reader(io.StringIO(out))][1:]
        kinds = record.types
        return [[normalise_text(v, kinds[i] if i < len(kinds) else "T") for i, v in enumerate(r)] for r in rows], None


class DuckDB:
    name = "duckdb"

    def __init__(self):
        import duckdb
        self.duckdb = duckdb
        self.con = None

    def start_file(self):
        self.con = self.duckdb.connect()
        os.chdir(ROOT)

    def statement(self, record):
        try:
            self.con.execute(record.sql)
            return None, ""
        except Exception as e:  # noqa: BLE001 - any engine error is a test outcome
            return str(e), str(e)

    def query(self, record):
        try:
            rows = self.con.execute(record.sql).fetchall()
        except Exception as e:  # noqa: BLE001
            return None, str(e)
        kinds = record.types
        return [[spark_text(v, kinds[i] if i < len(kinds) else "T") for i, v in enumerate(r)] for r in rows], None


# ---------------------------------------------------------------------------------------------

def run_file(path, engine, complete=False):
    records = parse(path)
    engine.start_file()
    passed = failed = skipped = 0
    failures = []
    completed = {}
    for record in records:
        if not record.applies_to(engine.name):
            skipped += 1
            continue
        where = f"{os.path.relpath(path, ROOT)}:{record.line}"
        if record.kind == "statement":
            problem, message = engine.statement(record)
            if record.error is None:
                ok = problem is None
                detail = problem
            else:
                ok = problem is not None and (record.error == "" or re.search(record.error, message or ""))
                detail = "expected an error" if problem is None else f"error did not match /{record.error}/: {problem}"
        else:
            rows, problem = engine.query(record)
            if problem is not None:
                ok, detail = False, problem
            else:
                got = finish(rows, record)
                if complete:
                    completed[record.line] = got
                ok = got == record.expected
                detail = "expected:\n    " + "\n    ".join(record.expected) + "\n  got:\n    " + "\n    ".join(got)
        if ok:
            passed += 1
        else:
            failed += 1
            failures.append(f"FAIL {where}\n  {record.sql.strip()}\n  {detail}")
    if complete and completed:
        rewrite(path, completed)
    return passed, failed, skipped, failures


def rewrite(path, completed):
    """Replaces the expected rows of the query records whose header line is in `completed`."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out = []
    i = 0
    while i < len(lines):
        header = i + 1
        out.append(lines[i])
        i += 1
        if header not in completed:
            continue
        while i < len(lines) and lines[i].strip() and lines[i].strip() != "----":
            out.append(lines[i])
            i += 1
        if i < len(lines) and lines[i].strip() == "----":
            i += 1
            while i < len(lines) and lines[i] != "":
                i += 1
        out.append("----")
        out.extend(completed[header])
    open(path, "w", encoding="utf-8").write("\n".join(out))


def main(argv):
    mode = "tributary"
    complete = False
    files = []
    for a in argv:
        if a == "--duckdb":
            mode = "duckdb"
        elif a == "--complete":
            complete = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            files.append(os.path.abspath(a))
    if not files:
        files = sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".slt"))
    engine = DuckDB() if mode == "duckdb" else Tributary()
    total_passed = total_failed = total_skipped = 0
    for path in files:
        passed, failed, skipped, failures = run_file(path, engine, complete)
        total_passed += passed
        total_failed += failed
        total_skipped += skipped
        for f in failures:
            print(f)
        print(f"{os.path.relpath(path, ROOT)}: {passed} passed, {failed} failed, {skipped} skipped")
    # Skipped: records for the other engine, and features tributary does not have yet (each
    # marked `skipif tributary` under a `# not yet:` comment in its .slt file).
    print(f"{total_passed} passed, {total_failed} failed, {total_skipped} skipped")
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
