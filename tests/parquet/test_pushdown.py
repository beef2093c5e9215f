"""Filters pruned with row-group statistics and the page index give DuckDB's answer on the same file.

The file is laid out so pruning bites: columns sorted or clustered, row groups of 200 rows, pages of
a few dozen values, pages and row groups that are all null, NaN in float pages, strings longer than
the truncated statistics, decimals of each physical width, dates and timestamps. Each predicate's
matching rows (their `row` numbers) must equal DuckDB's. Then Hive-partitioned directories:
`key=value` typed int, date and string, `__HIVE_DEFAULT_PARTITION__` read as null, filters on
partition columns pruning directories.

Run: .venv/bin/pytest -q tests/parquet/test_pushdown.py (needs the debug build of `tributary` or
$TRIBUTARY_BIN).
"""
import datetime
import decimal
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from arrow_compare import quoted, run_sql

ROWS = 2000
PREFIX = "prefix-common-" * 6


def pushdown_table() -> pa.Table:
    def block_null(i, value):
        # Rows 400-599 null (a whole row group), and every 50-row page from 1000 on starts with nulls.
        return None if 400 <= i < 600 or (i >= 1000 and i % 50 < 5) else value

    nan_rows = {7, 1203, 1999}
    return pa.table({
        "row": pa.array(range(ROWS), pa.int64()),
        "i8": pa.array([block_null(i, i // 16 - 62) for i in range(ROWS)], pa.int8()),
        "i32": pa.array([block_null(i, i * 3 - 3000) for i in range(ROWS)], pa.int32()),
        "i64": pa.array([block_null(i, (i % 400) * 10 ** 12) for i in range(ROWS)], pa.int64()),
        "u32": pa.array([block_null(i, 4_000_000_000 + i) for i in range(ROWS)], pa.uint32()),
        "u64": pa.array([block_null(i, 2 ** 64 - 1 - (ROWS - i) * 10 ** 9) for i in range(ROWS)], pa.uint64()),
        "bin": pa.array([block_null(i, i.to_bytes(2, "big")) for i in range(ROWS)], pa.binary()),
        "f32": pa.array([block_null(i, float("nan") if i in nan_rows else i / 4 - 250) for i in range(ROWS)],
                        pa.float32()),
        "f64": pa.array([block_null(i, float("nan") if i in nan_rows else (i - 1000) / 3) for i in range(ROWS)],
                        pa.float64()),
        "b": pa.array([block_null(i, i >= 1500) for i in range(ROWS)], pa.bool_()),
        # A shared prefix longer than the page index keeps (pyarrow truncates its bounds to 64 bytes).
        "s": pa.array([block_null(i, PREFIX + "%05d" % i) for i in range(ROWS)], pa.string()),
        "s_short": pa.array([block_null(i, chr(ord("a") + i // 100)) for i in range(ROWS)], pa.string()),
        "dec9": pa.array([block_null(i, decimal.Decimal(i - 1000).scaleb(-2)) for i in range(ROWS)],
                         pa.decimal128(9, 2)),
        "dec18": pa.array([block_null(i, decimal.Decimal(i * 10 ** 9 + 1).scaleb(-4)) for i in range(ROWS)],
                          pa.decimal128(18, 4)),
        "dec38": pa.array([block_null(i, decimal.Decimal((i - 1000) * 10 ** 25).scaleb(-3)) for i in range(ROWS)],
                          pa.decimal128(38, 3)),
        "d": pa.array([block_null(i, datetime.date(1960, 1, 1) + datetime.timedelta(days=i * 11)) for i in range(ROWS)],
                      pa.date32()),
        "ts": pa.array([block_null(i, i * 3_600_000_001 - 10 ** 12) for i in range(ROWS)], pa.timestamp("us")),
        "ts_ns": pa.array([block_null(i, i * 3_600_000_000_123) for i in range(ROWS)], pa.timestamp("ns")),
        "ts_ms": pa.array([block_null(i, i * 60_000 + 1) for i in range(ROWS)], pa.timestamp("ms", tz="UTC")),
    })


# (predicate in Spark SQL, the same in DuckDB when it differs)
PREDICATES = [
    ("i8 = 0", None), ("i8 < -60", None), ("i8 >= 62", None), ("i8 IS NULL", None), ("i8 IS NOT NULL", None),
    ("i32 = -3000", None), ("i32 BETWEEN -1 AND 299", None), ("i32 > 2996", None), ("i32 < -3000", None),
    ("i32 IN (-2997, 0, 2997, 5000)", None), ("NOT (i32 <> 3)", None), ("i32 <=> NULL", "i32 IS NOT DISTINCT FROM NULL"),
    ("i64 = 399000000000000", None), ("i64 > 398000000000000", None),
    ("u32 > 4000001990", None), ("u32 = 4000000000", None),
    ("u64 > 18446744071709551615", "u64 > 18446744071709551615::UBIGINT"),
    ("u64 = 18446744072709551615", "u64 = 18446744072709551615::UBIGINT"),
    ("bin = X'07D0'", "bin = '\\x07\\xD0'::BLOB"), ("bin < X'0005'", "bin < '\\x00\\x05'::BLOB"),
    ("bin > X'07CE'", "bin > '\\x07\\xCE'::BLOB"),
    ("ts_ms > TIMESTAMP '1970-01-02 09:18:00'", None), ("ts_ms = TIMESTAMP '1970-01-01 00:01:00.001'", None),
    ("f32 > 249", None), ("f32 < -249.5", None), ("f32 = 0.25", None), ("isnan(f32)", "isnan(f32)"),
    ("f64 > 330", None), ("f64 <= -333", None), ("f64 = CAST('NaN' AS DOUBLE)", "f64 = 'NaN'::DOUBLE"),
    ("f64 > CAST('Infinity' AS DOUBLE)", "f64 > 'Infinity'::DOUBLE"), ("f64 IS NULL", None),
    ("b", None), ("NOT b", None), ("b = false", None),
    (f"s = '{PREFIX}01234'", None), (f"s > '{PREFIX}01990'", None), (f"s < '{PREFIX}00003'", None),
    (f"s LIKE '{PREFIX}0150%'", None), (f"s >= '{PREFIX[:-1]}.'", None), ("s < 'prefix'", None),
    (f"s IN ('{PREFIX}00000', '{PREFIX}01999', '{PREFIX}')", None), (f"s > '{PREFIX}'", None),
    ("s_short = 'k'", None), ("s_short IN ('a', 't', 'zz')", None), ("s_short > 's'", None),
    ("dec9 = 1.5", None), ("dec9 > 9.98", None), ("dec9 < -9.99", None), ("dec9 BETWEEN -0.01 AND 0.01", None),
    ("dec18 >= 199900000.0001", None), ("dec18 = 0.0001", None),
    ("dec38 > 99000000000000000000000.000", None), ("dec38 = 0", None),
    ("d = DATE '1960-01-12'", None), ("d > DATE '2019-12-01'", None), ("d < DATE '1960-02-01'", None),
    ("ts >= TIMESTAMP '1969-12-31 23:00:00'", None), ("ts < TIMESTAMP '1938-04-24 22:13:20.000001'", None),
    ("ts = TIMESTAMP '1938-04-24 23:13:20.000001'", None),
    ("ts_ns > TIMESTAMP '1970-03-24 00:00:00'", None), ("ts_ns = TIMESTAMP '1970-01-01 01:00:00'", None),
    ("i32 > 2990 OR s_short = 'a'", None), ("(i8 IS NULL AND row < 450) OR f64 > 332", None),
    ("i32 > 0 AND d < DATE '2000-01-01' AND s_short <> 'k'", None),
]


# pyarrow's layouts: FIXED_LEN_BYTE_ARRAY decimals and v1 pages with some dictionaries; integer
# decimals, v2 pages, every column dictionary-encoded, zstd.
LAYOUTS = {
    "flba_v1": dict(use_dictionary=["s_short", "i8"]),
    "int_v2_dict": dict(store_decimal_as_integer=True, data_page_version="2.0", compression="zstd"),
}


@pytest.fixture(scope="module", params=list(LAYOUTS))
def pushdown_file(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("pushdown") / f"{request.param}.parquet"
    pq.write_table(pushdown_table(), str(path), row_group_size=200, data_page_size=256, write_batch_size=50,
                   write_page_index=True, **LAYOUTS[request.param])
    meta = pq.ParquetFile(str(path)).metadata
    assert meta.num_row_groups == 10 and meta.row_group(0).column(1).statistics.has_min_max
    return path


@pytest.fixture(scope="module")
def reference():
    """DuckDB over the table in memory, not over a file: its own Parquet reader prunes NaN rows away
    with pyarrow's statistics (which leave NaN out). Nanoseconds floored to microseconds, as Spark's
    TIMESTAMP (and our reader) holds them."""
    import duckdb
    duck = duckdb.connect()
    duck.execute("SET TimeZone = 'UTC'")
    table = pushdown_table()
    at = table.schema.get_field_index("ts_ns")
    duck.register("reference", table.set_column(at, "ts_ns", table.column(at).cast(pa.timestamp("us"), safe=False)))
    return duck


@pytest.mark.parametrize("spark_predicate,duck_predicate", PREDICATES)
def test_pruned_scan_answers_like_duckdb(pushdown_file, reference, spark_predicate, duck_predicate):
    # The matching rows, and columns decoded only at the surviving rows lining up with them.
    want = reference.execute(
        "SELECT list_sort(list(row)), count(*), sum(row), max(s), min(dec38) FROM reference "
        f"WHERE {duck_predicate or spark_predicate}").fetchall()[0]
    text = run_sql("SELECT sort_array(collect_list(row)) AS rows, count(*) AS n, sum(row) AS total, max(s) AS top, "
                   f"min(dec38) AS low FROM parquet.`{quoted(pushdown_file)}` WHERE {spark_predicate}").stdout
    got = json.loads(text, parse_float=decimal.Decimal)
    assert got["rows"] == (want[0] or [])
    assert (got["n"], got.get("total"), got.get("top"), got.get("low")) == tuple(want[1:])


def write_partition(root, parts: dict, table: pa.Table):
    directory = root.joinpath(*[f"{k}={v}" for k, v in parts.items()])
    directory.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, str(directory / "part-0.parquet"))


@pytest.fixture(scope="module")
def partitioned(tmp_path_factory):
    """year (int) / day (date) / region (string, with a null partition); returns the root and the
    expected rows as (id, year, day, region)."""
    root = tmp_path_factory.mktemp("hive") / "events"
    expected = []
    next_id = 0
    for year in [2023, 2024]:
        for day in ["2024-01-31", "2024-02-01", "__HIVE_DEFAULT_PARTITION__"]:
            for region in ["eu", "us west", "__HIVE_DEFAULT_PARTITION__"]:
                ids = list(range(next_id, next_id + 3))
                next_id += 3
                write_partition(root, {"year": year, "day": day, "region": region.replace(" ", "%20")},
                                pa.table({"id": pa.array(ids, pa.int64())}))
                for i in ids:
                    expected.append((i, year, None if day.startswith("__") else day,
                                     None if region.startswith("__") else region))
    return root, expected


def test_hive_partitions_typed_and_null(partitioned):
    root, expected = partitioned
    types = run_sql(f"DESCRIBE QUERY SELECT * FROM parquet.`{quoted(root)}`", fmt="csv").stdout
    assert [line.split(",")[:2] for line in types.splitlines()[1:]] == \
        [["id", "bigint"], ["year", "int"], ["day", "date"], ["region", "string"]]
    rows = [json.loads(line) for line in run_sql(
        f"SELECT id, year, day, region FROM parquet.`{quoted(root)}` ORDER BY id").stdout.splitlines()]
    assert [(r["id"], r["year"], r.get("day"), r.get("region")) for r in rows] == expected


@pytest.mark.parametrize("predicate,keep", [
    ("year = 2024", lambda i, y, d, r: y == 2024),
    ("year > 2023 AND region = 'us west'", lambda i, y, d, r: y > 2023 and r == "us west"),
    ("day = DATE '2024-02-01'", lambda i, y, d, r: d == "2024-02-01"),
    ("day < DATE '2024-02-01'", lambda i, y, d, r: d is not None and d < "2024-02-01"),
    ("day IS NULL", lambda i, y, d, r: d is None),
    ("region IS NULL AND year = 2023", lambda i, y, d, r: r is None and y == 2023),
    ("region IS NOT NULL", lambda i, y, d, r: r is not None),
    ("region <> 'eu'", lambda i, y, d, r: r is not None and r != "eu"),
    ("id > 40 AND day IS NOT NULL", lambda i, y, d, r: i > 40 and d is not None),
    ("year = 2023 OR id < 5", lambda i, y, d, r: y == 2023 or i < 5),
    ("region = 'eu' OR region IS NULL", lambda i, y, d, r: r == "eu" or r is None),
    ("day IN (DATE '2024-01-31', DATE '2030-01-01')", lambda i, y, d, r: d == "2024-01-31"),
    ("CAST(year AS STRING) = '2024' AND NOT (region <=> 'eu')", lambda i, y, d, r: y == 2024 and r != "eu"),
])
def test_hive_partition_filters(partitioned, predicate, keep):
    root, expected = partitioned
    want = [row[0] for row in expected if keep(*row)]
    got = [json.loads(line)["id"] for line in run_sql(
        f"SELECT id FROM parquet.`{quoted(root)}` WHERE {predicate} ORDER BY id").stdout.splitlines()]
    assert got == want
