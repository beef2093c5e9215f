"""Parquet that `tributary sql` writes, read by pyarrow and DuckDB with Spark's types and the source's values.

pyarrow-written sources of every flat and nested type are rewritten by `INSERT OVERWRITE DIRECTORY
… USING parquet` with each compression; pyarrow and DuckDB must read the output with the types
Spark gives the source (unsigned widened, float16 as float, uuid as string, large and dictionary
types plain) and the source's values. Then a write of no rows, pages past the writer's row limit,
and partitioned tables (`CREATE TABLE … PARTITIONED BY`) with int, date and string keys, nulls,
empty strings and characters Spark escapes, read by DuckDB and pyarrow as Hive partitions.
PySpark's reading of our files is in `test_pyspark.py`.

Run: .venv/bin/pytest -q tests/parquet/test_tributary_writes.py (needs the debug build of
`tributary` or $TRIBUTARY_BIN).
"""
import glob
import json
import os
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from arrow_compare import BIN, arrow_rows, quoted, run_sql
from test_pyarrow_files import flat_table, more_nested_table, nested_table

# The Arrow type pyarrow reads back from a file Spark would write for a source column.
SPARK_ARROW = {
    pa.uint8(): pa.int16(), pa.uint16(): pa.int32(), pa.uint32(): pa.int64(), pa.uint64(): pa.decimal128(20, 0),
    pa.float16(): pa.float32(), pa.large_string(): pa.string(), pa.large_binary(): pa.binary(),
    pa.date64(): pa.date32(),
}


def spark_arrow_type(typ):
    if isinstance(typ, pa.BaseExtensionType):
        return pa.string()  # uuid
    if pa.types.is_dictionary(typ):
        return spark_arrow_type(typ.value_type)
    if pa.types.is_fixed_size_binary(typ):
        return pa.binary()
    if pa.types.is_timestamp(typ):
        return pa.timestamp("us", tz="UTC")
    if pa.types.is_decimal(typ):
        return pa.decimal128(typ.precision, typ.scale)
    if pa.types.is_list(typ) or pa.types.is_large_list(typ) or pa.types.is_fixed_size_list(typ):
        return pa.list_(spark_arrow_type(typ.value_type))
    if pa.types.is_map(typ):
        return pa.map_(spark_arrow_type(typ.key_type), spark_arrow_type(typ.item_type))
    if pa.types.is_struct(typ):
        return pa.struct([pa.field(f.name, spark_arrow_type(f.type)) for f in typ])
    return SPARK_ARROW.get(typ, typ)


def comparable_rows(table: pa.Table) -> list[dict]:
    """Rows with float16 widened to float32 bits (Spark has no float16)."""
    columns = []
    for field in table.schema:
        column = table.column(field.name)
        if pa.types.is_float16(field.type):
            column = pa.array([None if v is None else float(v) for v in column.to_pylist()], pa.float32())
        columns.append((field.name, column))
    return arrow_rows(pa.table(dict(columns)))


def rewrite(tmp_path, source, options="") -> str:
    out = tmp_path / "ours"
    run_sql(f"INSERT OVERWRITE DIRECTORY '{out}' USING parquet {options} SELECT * FROM parquet.`{quoted(source)}`")
    files = glob.glob(os.path.join(str(out), "*.parquet"))
    assert len(files) == 1, files
    return files[0]


def duckdb_table(path) -> pa.Table:
    import duckdb
    table = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").arrow()
    return table.read_all() if hasattr(table, "read_all") else table


@pytest.mark.parametrize("codec", ["snappy", "zstd", "gzip", "lz4_raw", "none"])
def test_flat_types_written_read_by_pyarrow_and_duckdb(tmp_path, codec):
    source_table = flat_table()
    source = tmp_path / "source.parquet"
    pq.write_table(source_table, str(source))
    written = rewrite(tmp_path, source, f"OPTIONS (compression '{codec}')")
    assert written.endswith(".parquet")
    read_back = pq.read_table(written)
    want_types = {f.name: spark_arrow_type(f.type) for f in source_table.schema}
    got_types = {f.name: f.type for f in read_back.schema}
    assert got_types == want_types
    expected = comparable_rows(source_table)
    assert comparable_rows(read_back) == expected
    via_duckdb = duckdb_table(written)
    assert comparable_rows(via_duckdb.select(read_back.column_names)) == expected


@pytest.mark.parametrize("make", [nested_table, more_nested_table])
def test_nested_types_written(tmp_path, make):
    source_table = make()
    source = tmp_path / "nested.parquet"
    pq.write_table(source_table, str(source))
    read_back = pq.read_table(rewrite(tmp_path, source))
    # Type equality leaves out list element names (Spark's `element` against pyarrow's `item`).
    assert [(f.name, f.type) for f in read_back.schema] == \
        [(f.name, spark_arrow_type(f.type)) for f in source_table.schema]
    assert arrow_rows(read_back) == arrow_rows(source_table)


def test_write_of_no_rows_keeps_the_schema(tmp_path):
    source = tmp_path / "source.parquet"
    pq.write_table(flat_table(), str(source))
    out = tmp_path / "none"
    run_sql(f"INSERT OVERWRITE DIRECTORY '{out}' USING parquet SELECT * FROM parquet.`{quoted(source)}` WHERE row < 0")
    files = glob.glob(os.path.join(str(out), "*.parquet"))
    assert len(files) == 1
    table = pq.read_table(files[0])
    assert table.num_rows == 0 and table.column_names == flat_table().column_names
    assert duckdb_table(files[0]).num_rows == 0


def test_many_pages_and_dictionary_fallback(tmp_path):
    # 60k rows: past the writer's 20k-row page limit, a string column too varied for a dictionary.
    out = tmp_path / "big"
    run_sql(f"INSERT OVERWRITE DIRECTORY '{out}' USING parquet SELECT id, concat('value-', id * 7919) AS s, "
            "CAST(id % 100 AS INT) AS small, CASE WHEN id % 3 = 0 THEN NULL ELSE id * 0.5 END AS d FROM range(60000)")
    path = glob.glob(os.path.join(str(out), "*.parquet"))[0]
    table = pq.read_table(path)
    assert table.column("id").to_pylist() == list(range(60000))
    assert table.column("s").to_pylist() == ["value-%d" % (i * 7919) for i in range(60000)]
    assert table.column("small").to_pylist() == [i % 100 for i in range(60000)]
    assert table.column("d").to_pylist() == [None if i % 3 == 0 else i * 0.5 for i in range(60000)]
    import duckdb
    got = duckdb.sql(f"SELECT count(*), sum(id), count(d), max(s) FROM read_parquet('{path}') "
                     "WHERE small = 7 AND s > 'value-5'").fetchall()[0]
    kept = [i for i in range(60000) if i % 100 == 7 and "value-%d" % (i * 7919) > "value-5"]
    assert got == (len(kept), sum(kept), sum(1 for i in kept if i % 3), max("value-%d" % (i * 7919) for i in kept))


PARTITION_ROWS = 40
PARTITION_QUERY = (
    "SELECT id, CAST(CASE WHEN id % 3 = 0 THEN NULL ELSE id % 3 END AS INT) AS p, "
    "CASE WHEN id % 4 = 0 THEN NULL ELSE date_add(DATE '2024-01-30', CAST(id % 4 AS INT)) END AS d, "
    "CASE id % 6 WHEN 0 THEN NULL WHEN 1 THEN 'a/b' WHEN 2 THEN 'x=y z' WHEN 3 THEN '100%' WHEN 4 THEN '' "
    f"ELSE 'plain' END AS s FROM range({PARTITION_ROWS})")


def partition_expected():
    import datetime
    rows = []
    for i in range(PARTITION_ROWS):
        p = None if i % 3 == 0 else i % 3
        d = None if i % 4 == 0 else datetime.date(2024, 1, 30) + datetime.timedelta(days=i % 4)
        s = [None, "a/b", "x=y z", "100%", None, "plain"][i % 6]  # '' is written as the null partition
        rows.append((i, p, d, s))
    return rows


@pytest.fixture(scope="module")
def partitioned_table(tmp_path_factory):
    work = tmp_path_factory.mktemp("warehouse")
    done = subprocess.run([str(BIN), "sql", "-e", f"CREATE TABLE t USING parquet PARTITIONED BY (p, d, s) AS "
                           f"{PARTITION_QUERY}"], cwd=work, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return work / "spark-warehouse" / "t"


def test_partitioned_table_directories_as_spark_names_them(partitioned_table):
    directories = {os.path.relpath(root, partitioned_table) for root, _, files in os.walk(partitioned_table)
                   if any(f.endswith(".parquet") for f in files)}
    segments = {part for directory in directories for part in directory.split(os.sep)}
    assert "s=" not in segments  # Spark refuses empty partition values
    assert {"s=a%2Fb", "s=x%3Dy z", "s=100%25", "s=__HIVE_DEFAULT_PARTITION__", "p=__HIVE_DEFAULT_PARTITION__",
            "d=2024-02-02", "d=__HIVE_DEFAULT_PARTITION__"} <= segments


def test_partitioned_table_read_by_duckdb_and_ourselves(partitioned_table):
    import duckdb
    got = duckdb.sql(f"SELECT id, p, d, s FROM read_parquet('{partitioned_table}/**/*.parquet', "
                     "hive_partitioning = true, hive_types = {'p': INTEGER, 'd': DATE, 's': VARCHAR}) "
                     "ORDER BY id").fetchall()
    # DuckDB keeps Hive's null directory name and the escapes as text; map them as Spark does.
    import urllib.parse

    def spark_text(value):
        if value is None or value == "__HIVE_DEFAULT_PARTITION__":
            return None
        return urllib.parse.unquote(value)

    assert [(i, p, d, spark_text(s)) for i, p, d, s in got] == partition_expected()
    ours = [json.loads(line) for line in run_sql(
        f"SELECT id, p, d, s FROM parquet.`{quoted(partitioned_table)}` ORDER BY id").stdout.splitlines()]
    assert [(r["id"], r.get("p"), r.get("d"), r.get("s")) for r in ours] == \
        [(i, p, None if d is None else d.isoformat(), s) for i, p, d, s in partition_expected()]
