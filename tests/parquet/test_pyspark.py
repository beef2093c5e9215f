"""Parquet files crossing between PySpark and Tributary, in both directions.

PySpark (local mode, one SparkSession for the module) writes tables of every flat Spark type with
nulls -- INT96 timestamps, decimals as INT32 / INT64 / FIXED_LEN_BYTE_ARRAY, and the legacy layout
where every decimal is a FIXED_LEN_BYTE_ARRAY -- and `tributary sql` must read them with Spark's types
and the values pyarrow reads. Tributary then rewrites each table with `INSERT OVERWRITE DIRECTORY
... USING parquet`, and PySpark, pyarrow and DuckDB must read that output with the original types
and values. The same holds for nested columns (arrays, structs, maps and their nestings), read
into the engine's nested types and written back with repetition and definition levels.

Run: .venv/bin/pytest -q tests/parquet (needs Java 17 and the debug build of `tributary`, or
$TRIBUTARY_BIN).
"""
import csv
import datetime
import decimal
import glob
import io
import json
import os
import struct
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Resolved once: some tests run the binary from another working directory.
BIN = Path(os.environ.get("TRIBUTARY_BIN", ROOT / ".build" / "debug" / "tributary")).resolve()
ROWS = 240

# Every flat Spark type, with nulls in every nullable column and values at the edges of each type.
COLUMNS = [
    ("b", "CASE WHEN id % 7 = 3 THEN NULL ELSE id % 3 = 0 END"),
    ("i8", "CAST(CASE WHEN id % 7 = 3 THEN NULL ELSE id % 256 - 128 END AS TINYINT)"),
    ("i16", "CAST(CASE WHEN id % 5 = 1 THEN NULL ELSE id * 273 - 32768 END AS SMALLINT)"),
    ("i32", "CAST(CASE WHEN id % 9 = 2 THEN NULL WHEN id = 0 THEN -2147483648 ELSE id * 8947849 - 1073741824 END AS INT)"),
    ("i64", "CASE WHEN id % 4 = 2 THEN NULL WHEN id = 1 THEN 9223372036854775807 ELSE id * 38430716820228232 - 4611686018427387904 END"),
    ("f", "CAST(CASE WHEN id % 6 = 5 THEN NULL ELSE id / 7.0 - 3 END AS FLOAT)"),
    ("d", "CASE WHEN id % 8 = 0 THEN NULL ELSE id * 1.0e10 / 3 - 1e12 END"),
    ("dec5", "CAST(CASE WHEN id % 10 = 4 THEN NULL ELSE (id - 120) * 4.17 END AS DECIMAL(5,2))"),
    ("dec15", "CAST(CASE WHEN id % 10 = 5 THEN NULL ELSE (id - 100) * 123456789.01 END AS DECIMAL(15,2))"),
    ("dec30", "CAST(CASE WHEN id % 10 = 6 THEN NULL ELSE (id - 100) * 12345678901234567890.12345 END AS DECIMAL(30,5))"),
    ("s", "CASE WHEN id % 11 = 7 THEN NULL WHEN id % 3 = 0 THEN '' ELSE concat('name-', id % 17, '-\u00e9\u4e2d') END"),
    ("bin", "CASE WHEN id % 12 = 1 THEN NULL ELSE unhex(lpad(hex(id * 7919), 6, '0')) END"),
    ("dt", "CASE WHEN id % 13 = 2 THEN NULL ELSE date_add(DATE '1969-12-25', CAST(id * 40 AS INT)) END"),
    ("ts", "CASE WHEN id % 14 = 3 THEN NULL ELSE timestamp_micros(id * 86400123457 - 1000000000000) END"),
    ("ts_ntz", "CASE WHEN id % 15 = 4 THEN NULL ELSE CAST(timestamp_micros(id * 3600000001) AS TIMESTAMP_NTZ) END"),
]

# How Spark lays the same table out, one file each: defaults (INT96 timestamps, decimals by
# precision), the legacy format (every decimal FIXED_LEN_BYTE_ARRAY), and microsecond timestamps
# with zstd pages.
LAYOUTS = {
    "default": {},
    "legacy": {"spark.sql.parquet.writeLegacyFormat": "true"},
    "micros_zstd": {"spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
                    "spark.sql.parquet.compression.codec": "zstd"},
    # parquet-mr's v2 writer: data pages v2, DELTA_BINARY_PACKED integers, DELTA_BYTE_ARRAY strings;
    # Hadoop-framed LZ4 pages; milliseconds; small pages without dictionaries.
    "v2_lz4": {"parquet.writer.version": "v2", "spark.sql.parquet.compression.codec": "lz4",
               "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MILLIS", "parquet.enable.dictionary": "false",
               "parquet.page.size": "512"},
}


@pytest.fixture(scope="module")
def spark():
    # Python-side datetimes from collect() follow the process's zone; keep everything in UTC.
    os.environ["TZ"] = "UTC"
    time.tzset()
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("tributary-parquet-crosscheck")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.shuffle.partitions", "1")
               .config("spark.driver.memory", "768m")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def spark_files(spark, tmp_path_factory):
    """Directory per layout, each holding one Parquet file written by Spark."""
    base = tmp_path_factory.mktemp("spark")
    table = spark.range(ROWS).selectExpr(*[f"{expr} AS {name}" for name, expr in COLUMNS])
    out = {}
    for layout, settings in LAYOUTS.items():
        for key, value in settings.items():
            spark.conf.set(key, value)
        try:
            path = base / layout
            table.coalesce(1).write.mode("overwrite").parquet(str(path))
        finally:
            for key in settings:
                spark.conf.unset(key)
        out[layout] = path
    return out


def run_sql(statement: str, fmt: str = "json") -> str:
    done = subprocess.run([str(BIN), "sql", "--format", fmt, "-e", statement], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"tributary sql failed: {done.stderr}"
    return done.stdout


def quoted(path) -> str:
    return str(path).replace("`", "``")


def tributary_rows(path) -> list[dict]:
    text = run_sql(f"SELECT * FROM parquet.`{quoted(path)}`")
    return [json.loads(line, parse_float=decimal.Decimal) for line in text.splitlines() if line]


def tributary_types(path) -> dict[str, str]:
    text = run_sql(f"DESCRIBE QUERY SELECT * FROM parquet.`{quoted(path)}`", fmt="csv")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    return {row[0]: row[1] for row in rows}


def spark_type_names(schema) -> dict[str, str]:
    # Tributary has one timestamp type (Spark's TIMESTAMP, microseconds); TIMESTAMP_NTZ reads as it.
    return {f.name: f.dataType.simpleString().replace("timestamp_ntz", "timestamp") for f in schema.fields}


def render_timestamp(value: datetime.datetime) -> str:
    """As Tributary prints timestamps: UTC, fraction without trailing zeros."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    text = value.strftime("%Y-%m-%d %H:%M:%S")
    if value.microsecond:
        text += ("." + f"{value.microsecond:06d}").rstrip("0")
    return text


def normal(value):
    """One comparable form for values from pyarrow, PySpark, DuckDB and Tributary's JSON output."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    if isinstance(value, (bytes, bytearray)):
        return "[" + " ".join(format(b, "X") for b in value) + "]"
    if isinstance(value, datetime.datetime):
        return render_timestamp(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def normal_rows(rows: list[dict]) -> list[tuple]:
    return sorted((tuple(normal(v) for v in row.values()) for row in rows), key=repr)


def float32_columns(rows: list[dict], names: set[str]) -> list[dict]:
    """Rows with the named FLOAT columns narrowed to 32 bits: Tributary prints a float's own shortest
    digits (0.1) where pyarrow hands back the value widened to a double (0.10000000149011612)."""
    def narrow(value):
        return None if value is None else struct.unpack("<f", struct.pack("<f", float(value)))[0]
    return [{k: narrow(v) if k in names else v for k, v in row.items()} for row in rows]


def pyarrow_rows(path) -> list[dict]:
    import pyarrow.parquet as pq
    return pq.read_table(str(path)).to_pylist()


def the_file(directory) -> str:
    files = glob.glob(os.path.join(str(directory), "*.parquet"))
    assert len(files) == 1, files
    return files[0]


def physical_layout(path) -> dict[str, str]:
    import pyarrow.parquet as pq
    schema = pq.ParquetFile(path).schema
    return {schema.column(i).name: schema.column(i).physical_type for i in range(len(schema))}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_spark_written_files_read_like_pyarrow(spark, spark_files, layout):
    directory = spark_files[layout]
    physical = physical_layout(the_file(directory))
    # The encodings this test exists for.
    if layout == "default":
        assert (physical["ts"], physical["dec5"], physical["dec15"], physical["dec30"]) == \
            ("INT96", "INT32", "INT64", "FIXED_LEN_BYTE_ARRAY")
    if layout == "legacy":
        assert {physical["dec5"], physical["dec15"], physical["dec30"]} == {"FIXED_LEN_BYTE_ARRAY"}
    if layout == "micros_zstd":
        assert physical["ts"] == "INT64"
    if layout == "v2_lz4":
        import pyarrow.parquet as pq
        chunks = pq.ParquetFile(the_file(directory)).metadata.row_group(0)
        encodings = {chunks.column(i).path_in_schema: chunks.column(i).encodings for i in range(chunks.num_columns)}
        assert "DELTA_BINARY_PACKED" in encodings["i64"] and "DELTA_BYTE_ARRAY" in encodings["s"]
        # pyarrow names the deprecated (Hadoop-framed) LZ4 codec UNKNOWN.
        assert chunks.column(0).compression in ("LZ4", "UNKNOWN")

    assert tributary_types(directory) == spark_type_names(spark.read.parquet(str(directory)).schema)
    ours = tributary_rows(directory)
    assert len(ours) == ROWS
    floats = {"f"}
    assert normal_rows(float32_columns(ours, floats)) == \
        normal_rows(float32_columns(pyarrow_rows(the_file(directory)), floats))


def test_spark_partitioned_directory(spark, tmp_path):
    out = tmp_path / "by_day"
    (spark.range(60).selectExpr("id", "CAST(id % 3 AS INT) AS part", "concat('k', id % 4) AS key")
     .write.partitionBy("part", "key").parquet(str(out)))
    assert tributary_types(out) == {"id": "bigint", "part": "int", "key": "string"}
    ours = run_sql(f"SELECT part, key, count(*) AS n, sum(id) AS s FROM parquet.`{quoted(out)}` "
                   "WHERE part > 0 GROUP BY part, key ORDER BY part, key")
    theirs = spark.read.parquet(str(out)).where("part > 0").groupBy("part", "key") \
        .agg({"*": "count", "id": "sum"}).orderBy("part", "key").collect()
    assert [tuple(json.loads(line).values()) for line in ours.splitlines()] == [tuple(row) for row in theirs]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_tributary_written_files_read_by_spark_pyarrow_duckdb(spark, spark_files, layout, tmp_path):
    import duckdb

    source = spark_files[layout]
    out = tmp_path / "ours"
    run_sql(f"INSERT OVERWRITE DIRECTORY '{out}' USING parquet SELECT * FROM parquet.`{quoted(source)}`")
    written = the_file(out)
    assert written.endswith(".snappy.parquet")

    original = spark.read.parquet(str(source))
    ours = spark.read.parquet(str(out))
    assert spark_type_names(ours.schema) == spark_type_names(original.schema)
    # Spark's own reading of the two files agrees row for row.
    assert normal_rows([r.asDict() for r in ours.collect()]) == normal_rows([r.asDict() for r in original.collect()])

    expected = normal_rows(pyarrow_rows(the_file(source)))
    assert normal_rows(pyarrow_rows(written)) == expected
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{written}')")
    # Through Arrow: DuckDB's own conversion of zoned timestamps to Python needs pytz.
    table = relation.arrow()
    if hasattr(table, "read_all"):
        table = table.read_all()
    assert normal_rows(table.to_pylist()) == expected
    # DuckDB sees Spark's types: integer widths, decimal precision and scale, dates, timestamps.
    duck_types = dict(zip(relation.columns, [str(t) for t in relation.types]))
    assert duck_types["i8"] == "TINYINT" and duck_types["i16"] == "SMALLINT"
    assert duck_types["dec5"] == "DECIMAL(5,2)" and duck_types["dec30"] == "DECIMAL(30,5)"
    assert duck_types["dt"] == "DATE" and duck_types["ts"].startswith("TIMESTAMP")


# Nested Spark types: arrays (with null and empty ones, null elements), structs (null structs,
# null fields), maps, and their nestings.
NESTED_COLUMNS = [
    ("id", "id"),
    ("ints", "CASE WHEN id % 7 = 3 THEN NULL WHEN id % 5 = 0 THEN array() "
             "ELSE array(CAST(id AS INT), NULL, CAST(id * 2 AS INT)) END"),
    ("words", "transform(sequence(0, CAST(id % 4 AS INT)), i -> concat('w', i))"),
    ("point", "CASE WHEN id % 6 = 1 THEN NULL ELSE named_struct('x', id, 'label', "
              "CASE WHEN id % 4 = 0 THEN NULL ELSE concat('p', id) END, 'price', CAST(id * 1.25 AS DECIMAL(9,2))) END"),
    ("tags", "CASE WHEN id % 8 = 2 THEN NULL ELSE map(concat('k', id % 3), CAST(id AS INT), 'z', "
             "CASE WHEN id % 2 = 0 THEN NULL ELSE -1 END) END"),
    ("lines", "CASE WHEN id % 9 = 4 THEN NULL ELSE array(named_struct('n', CAST(id AS INT), 'parts', "
              "array(concat('a', id), NULL)), named_struct('n', NULL, 'parts', CAST(NULL AS ARRAY<STRING>))) END"),
    ("nested_map", "map('m', array(id, id + 1))"),
]


def normal_nested(value):
    """Nested values from pyarrow (lists, dicts, lists of key-value tuples), PySpark (Row.asDict) and
    Tributary's JSON output (Spark's JSON: null struct fields left out, maps as objects) in one
    comparable form: objects without their null members."""
    if isinstance(value, dict):
        return {k: normal_nested(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        if value and all(isinstance(e, tuple) and len(e) == 2 for e in value):
            # A map: as an object, null values left out like null struct fields (JSON output).
            return {str(k): normal_nested(v) for k, v in value if v is not None}
        return [normal_nested(v) for v in value]
    if isinstance(value, tuple):
        return {str(k): normal_nested(v) for k, v in [value]}
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    return value


def test_spark_written_nested_columns(spark, tmp_path):
    out = tmp_path / "nested"
    spark.range(40).selectExpr(*[f"{expr} AS {name}" for name, expr in NESTED_COLUMNS]) \
        .coalesce(1).write.parquet(str(out))
    assert tributary_types(out) == spark_type_names(spark.read.parquet(str(out)).schema)
    ours = sorted((normal_nested(row) for row in tributary_rows(out)), key=lambda r: r["id"])
    theirs = sorted((normal_nested(row) for row in pyarrow_rows(the_file(out))), key=lambda r: r["id"])
    assert ours == theirs

    # Written back by us (levels shredded from Columnar's nested vectors), read by Spark and pyarrow.
    rewritten = tmp_path / "ours"
    run_sql(f"INSERT OVERWRITE DIRECTORY '{rewritten}' USING parquet SELECT * FROM parquet.`{quoted(out)}`")
    original = spark.read.parquet(str(out))
    again = spark.read.parquet(str(rewritten))
    assert spark_type_names(again.schema) == spark_type_names(original.schema)

    def spark_rows(frame):
        return sorted((normal_nested(r.asDict(recursive=True)) for r in frame.collect()), key=lambda r: r["id"])

    assert spark_rows(again) == spark_rows(original)
    assert sorted((normal_nested(row) for row in pyarrow_rows(the_file(rewritten))), key=lambda r: r["id"]) == theirs


def test_tributary_partitioned_table_read_by_spark(spark, tmp_path):
    """A table we write with PARTITIONED BY (int, date and string keys; nulls, empty strings and
    characters Spark escapes in the values) reads in PySpark with the partition columns typed."""
    from test_tributary_writes import PARTITION_QUERY, partition_expected

    done = subprocess.run([str(BIN), "sql", "-e", f"CREATE TABLE t USING parquet PARTITIONED BY (p, d, s) AS "
                           f"{PARTITION_QUERY}"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    frame = spark.read.parquet(str(tmp_path / "spark-warehouse" / "t"))
    assert spark_type_names(frame.schema) == {"id": "bigint", "p": "int", "d": "date", "s": "string"}
    assert sorted(tuple(r) for r in frame.select("id", "p", "d", "s").collect()) == partition_expected()


def test_spark_partitions_of_dates_timestamps_and_nulls(spark, tmp_path):
    """Spark's partition directories of dates, timestamps (escaped ':'), decimals-as-text and null or
    empty strings (both `__HIVE_DEFAULT_PARTITION__`) read with Spark's inferred types and values."""
    out = tmp_path / "typed"
    (spark.range(48).selectExpr(
        "id",
        "CASE WHEN id % 5 = 0 THEN NULL ELSE date_add(DATE '2023-12-30', CAST(id % 3 AS INT)) END AS day",
        "CASE WHEN id % 4 = 0 THEN NULL WHEN id % 4 = 1 THEN '' ELSE concat('r', id % 4) END AS region",
        "timestamp_micros(1700000000000000 + (id % 2) * 3600000000) AS hour",
        "CAST(id % 3 AS DECIMAL(5,1)) / 2 AS ratio")
     .write.partitionBy("day", "region", "hour", "ratio").parquet(str(out)))
    theirs = spark.read.parquet(str(out))
    assert tributary_types(out) == spark_type_names(theirs.schema)
    ours = tributary_rows(out)
    assert normal_rows(ours) == normal_rows([r.asDict() for r in theirs.collect()])
    # Pruned by a partition filter, as Spark answers it.
    text = run_sql(f"SELECT count(*) AS n FROM parquet.`{quoted(out)}` WHERE day = DATE '2023-12-31' "
                   "AND region IS NULL")
    assert json.loads(text)["n"] == theirs.where("day = DATE '2023-12-31' AND region IS NULL").count()


def test_spark_legacy_nested_layout(spark, tmp_path):
    """`spark.sql.parquet.writeLegacyFormat`: arrays as 3-level `bag { array }` groups and maps under
    `map` (parquet-hive's names) read like the standard layout."""
    out = tmp_path / "legacy_nested"
    spark.conf.set("spark.sql.parquet.writeLegacyFormat", "true")
    try:
        spark.range(40).selectExpr(*[f"{expr} AS {name}" for name, expr in NESTED_COLUMNS]) \
            .coalesce(1).write.parquet(str(out))
    finally:
        spark.conf.unset("spark.sql.parquet.writeLegacyFormat")
    import pyarrow.parquet as pq
    schema_text = str(pq.ParquetFile(the_file(out)).schema)
    assert "bag" in schema_text  # the legacy list layout this test exists for
    assert tributary_types(out) == spark_type_names(spark.read.parquet(str(out)).schema)
    ours = sorted((normal_nested(row) for row in tributary_rows(out)), key=lambda r: r["id"])
    theirs = sorted((normal_nested(r.asDict(recursive=True)) for r in spark.read.parquet(str(out)).collect()),
                    key=lambda r: r["id"])
    assert ours == theirs
