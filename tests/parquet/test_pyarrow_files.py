"""pyarrow-written Parquet files, every writer option a user may pick, read by `tributary sql` equal to pyarrow.

The Swift fixture tests (`Tests/ParquetTests`) cover one table per encoding; this suite writes files
in the test, one per layout: each encoding forced on each column type that takes it, data pages v1
and v2, every codec, tiny pages and row groups of one row, empty files, nulls at page boundaries,
every Arrow type pyarrow maps to Parquet (dictionary-typed, large, float16, uuid, timestamps of each
unit with and without zone), and nested lists, structs and maps with nulls and empties at each level.

Run: .venv/bin/pytest -q tests/parquet/test_pyarrow_files.py (needs the debug build of `tributary`
or $TRIBUTARY_BIN).
"""
import datetime
import decimal
import uuid

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from arrow_compare import assert_reads_like_pyarrow, quoted, run_sql, tributary_types

ROWS = 257  # not a multiple of any batch or page size a writer picks


def maybe(i, value, every=7, phase=3):
    return None if i % every == phase else value


def flat_table(rows=ROWS) -> pa.Table:
    """Every flat Arrow type pyarrow writes, nulls in every nullable column, values at type edges."""
    def dec(i, precision, scale):
        digits = (i * 7919 + 13) % (10 ** precision)
        sign = -1 if i % 2 else 1
        return decimal.Decimal(sign * digits).scaleb(-scale, decimal.Context(prec=60))

    i64_edges = [-(2 ** 63), 2 ** 63 - 1, 0, -1]
    table = pa.table({
        "row": pa.array(range(rows), pa.int64()),
        "b": pa.array([maybe(i, i % 3 == 0) for i in range(rows)], pa.bool_()),
        "i8": pa.array([maybe(i, (i % 256) - 128) for i in range(rows)], pa.int8()),
        "i16": pa.array([maybe(i, (i * 255) % 65536 - 32768) for i in range(rows)], pa.int16()),
        "i32": pa.array([maybe(i, (i * 2654435761) % 2 ** 32 - 2 ** 31) for i in range(rows)], pa.int32()),
        "i64": pa.array([maybe(i, i64_edges[i] if i < 4 else (i * 11400714819323198485) % 2 ** 64 - 2 ** 63)
                         for i in range(rows)], pa.int64()),
        "u8": pa.array([maybe(i, 255 - i % 256) for i in range(rows)], pa.uint8()),
        "u16": pa.array([maybe(i, 65535 - i) for i in range(rows)], pa.uint16()),
        "u32": pa.array([maybe(i, 2 ** 32 - 1 - i) for i in range(rows)], pa.uint32()),
        "u64": pa.array([maybe(i, 2 ** 64 - 1 - i * 3) for i in range(rows)], pa.uint64()),
        "f16": pa.array([maybe(i, (i - 100) / 8) for i in range(rows)], pa.float16()),
        "f32": pa.array([maybe(i, float("nan") if i == 5 else (i - 128) * 0.375) for i in range(rows)], pa.float32()),
        "f64": pa.array([maybe(i, [float("inf"), float("-inf"), -0.0][i] if i < 3 else (i - 1000) / 7.0)
                         for i in range(rows)], pa.float64()),
        "dec1": pa.array([maybe(i, dec(i, 1, 0)) for i in range(rows)], pa.decimal128(1, 0)),
        "dec9": pa.array([maybe(i, dec(i, 9, 3)) for i in range(rows)], pa.decimal128(9, 3)),
        "dec10": pa.array([maybe(i, dec(i, 10, 10)) for i in range(rows)], pa.decimal128(10, 10)),
        "dec18": pa.array([maybe(i, dec(i, 18, 2)) for i in range(rows)], pa.decimal128(18, 2)),
        "dec19": pa.array([maybe(i, dec(i, 19, 4)) for i in range(rows)], pa.decimal128(19, 4)),
        "dec38": pa.array([maybe(i, decimal.Decimal(10 ** 38 - 1 - i).scaleb(-7, decimal.Context(prec=60)))
                           for i in range(rows)], pa.decimal128(38, 7)),
        "dec256": pa.array([maybe(i, dec(i, 20, 5)) for i in range(rows)], pa.decimal256(20, 5)),
        "s": pa.array([maybe(i, "" if i % 5 == 0 else "s%d-é中-%s" % (i, "z" * (i % 13))) for i in range(rows)]),
        "ls": pa.array([maybe(i, "large-%d" % i) for i in range(rows)], pa.large_string()),
        "bin": pa.array([maybe(i, bytes([i % 256, 0, 255]) * (i % 3)) for i in range(rows)], pa.binary()),
        "lbin": pa.array([maybe(i, bytes([i % 256])) for i in range(rows)], pa.large_binary()),
        "fsb": pa.array([maybe(i, (i * 2654435761).to_bytes(8, "little")[:5]) for i in range(rows)], pa.binary(5)),
        "uuid": pa.array([maybe(i, uuid.UUID(int=(i * 0x9E3779B97F4A7C15) % 2 ** 128).bytes) for i in range(rows)],
                         pa.uuid()),
        "dict_s": pa.array([maybe(i, "d%d" % (i % 4)) for i in range(rows)]).dictionary_encode(),
        "dict_i": pa.array([maybe(i, i % 5) for i in range(rows)], pa.int32()).dictionary_encode(),
        "d32": pa.array([maybe(i, datetime.date(1, 1, 1) if i == 1 else datetime.date(9999, 12, 31) if i == 2
                               else datetime.date(1970, 1, 1) + datetime.timedelta(days=i * 97 - 12000))
                         for i in range(rows)], pa.date32()),
        "d64": pa.array([maybe(i, (i * 86400 - 40 * 86400) * 1000) for i in range(rows)], pa.date64()),
        "ts_s": pa.array([maybe(i, i * 86399 - 10 ** 7) for i in range(rows)], pa.timestamp("s")),
        "ts_ms": pa.array([maybe(i, i * 86399123 - 10 ** 10) for i in range(rows)], pa.timestamp("ms")),
        "ts_us_utc": pa.array([maybe(i, i * 86399123457 - 10 ** 13) for i in range(rows)],
                              pa.timestamp("us", tz="UTC")),
        "ts_ns": pa.array([maybe(i, i * 86399123456789 - 10 ** 16 - 1) for i in range(rows)], pa.timestamp("ns")),
        "ts_ns_zone": pa.array([maybe(i, i * 7 * 86399123456789) for i in range(rows)],
                               pa.timestamp("ns", tz="America/New_York")),
        "all_null": pa.array([None] * rows, pa.float64()),
        "required": pa.array(["r%d" % (i % 9) for i in range(rows)], pa.string()),
    })
    at = table.schema.get_field_index("required")
    return table.cast(table.schema.set(at, table.schema.field(at).with_nullable(False)))


def nested_table(rows=ROWS) -> pa.Table:
    """Lists, structs, maps and their nestings with nulls and empties at every level."""
    point = pa.struct([("x", pa.int32()), ("label", pa.string())])
    item = pa.struct([("id", pa.int64()), ("parts", pa.list_(pa.int16()))])
    return pa.table({
        "row": pa.array(range(rows), pa.int64()),
        "ints": pa.array([maybe(i, [] if i % 5 == 1 else [maybe(i + j, i * 10 + j, 4) for j in range(i % 4)])
                          for i in range(rows)], pa.list_(pa.int64())),
        "big_list": pa.array([maybe(i, ["w%d" % j for j in range(i % 3)], 6) for i in range(rows)],
                             pa.large_list(pa.string())),
        "point": pa.array([maybe(i, {"x": maybe(i, i, 5, 0), "label": "p%d" % i}, 9) for i in range(rows)], point),
        "tags": pa.array([maybe(i, [("k%d" % j, maybe(j, j * i, 3, 1)) for j in range(i % 3)], 8)
                          for i in range(rows)], pa.map_(pa.string(), pa.int32())),
        "items": pa.array([maybe(i, [maybe(j, {"id": j, "parts": maybe(j, [maybe(k, k, 3, 2) for k in range(j % 4)],
                                                                        5, 4)}, 6, 5) for j in range(i % 4)], 10)
                           for i in range(rows)], pa.list_(item)),
        "box": pa.array([maybe(i, {"vals": maybe(i, [maybe(j, float(j) / 3, 3, 0) for j in range(i % 3)], 4, 1),
                                   # whole milliseconds: nested timestamps print in Spark's JSON form
                                   "when": maybe(i, i * 1_000_123_000_000, 5, 2)}, 11)
                         for i in range(rows)],
                        pa.struct([("vals", pa.list_(pa.float64())), ("when", pa.timestamp("ns"))])),
        "multi": pa.array([maybe(i, [("m%d" % j, maybe(j, list(range(j)), 4, 2)) for j in range(i % 4)], 12)
                           for i in range(rows)], pa.map_(pa.string(), pa.list_(pa.int32()))),
        "grid": pa.array([maybe(i, [maybe(j, [j + k for k in range(j % 3)], 3, 1) for j in range(i % 4)], 13)
                          for i in range(rows)], pa.list_(pa.list_(pa.int32()))),
        "dec_list": pa.array([maybe(i, [decimal.Decimal(i * 100 + j).scaleb(-2) for j in range(i % 2)], 5)
                              for i in range(rows)], pa.list_(pa.decimal128(12, 2))),
    })


def more_nested_table(rows=120) -> pa.Table:
    """Maps inside lists and structs inside maps, int map keys, fixed-size lists, structs whose fields
    are all null, lists of dictionary strings, dates, binary and booleans, three-deep lists."""
    def m(i, value, every=5, phase=2):
        return None if i % every == phase else value

    value = pa.struct([("a", pa.int8()), ("b", pa.list_(pa.int64()))])
    return pa.table({
        "row": pa.array(range(rows), pa.int64()),
        "lmap": pa.array([m(i, [m(j, [(k, m(k, "v%d" % k, 3, 1)) for k in range(j % 3)], 4, 3) for j in range(i % 3)])
                          for i in range(rows)], pa.list_(pa.map_(pa.int32(), pa.string()))),
        "mstruct": pa.array([m(i, [("k%d" % j, m(j, {"a": j, "b": m(j, [j], 2, 1)}, 3, 2)) for j in range(i % 4)])
                             for i in range(rows)], pa.map_(pa.string(), value)),
        "fsl": pa.array([m(i, [i, i + 1, i + 2]) for i in range(rows)], pa.list_(pa.int16(), 3)),
        "nulls_struct": pa.array([m(i, {"x": None, "y": None}, 3, 0) for i in range(rows)],
                                 pa.struct([("x", pa.int32()), ("y", pa.string())])),
        "ldict": pa.array([m(i, ["a", "b"][: i % 3]) for i in range(rows)], pa.list_(pa.string()))
                   .cast(pa.list_(pa.dictionary(pa.int32(), pa.string()))),
        "ldate": pa.array([m(i, [datetime.date(2000, 1, 1 + j) for j in range(i % 3)]) for i in range(rows)],
                          pa.list_(pa.date32())),
        "lbin": pa.array([m(i, [bytes([j, 255]) for j in range(i % 3)]) for i in range(rows)], pa.list_(pa.binary())),
        "lbool": pa.array([m(i, [m(j, j % 2 == 0, 3, 0) for j in range(i % 5)]) for i in range(rows)],
                          pa.list_(pa.bool_())),
        "deep": pa.array([m(i, [[[m(k, k, 2, 1) for k in range(j)] for j in range(i % 3)]]) for i in range(rows)],
                         pa.list_(pa.list_(pa.list_(pa.int32())))),
    })


# Per-column encodings pyarrow can force, by the columns that take them.
ENCODINGS = {
    "DELTA_BINARY_PACKED": ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "d32", "ts_s", "ts_ms",
                            "ts_us_utc", "ts_ns"],
    "DELTA_LENGTH_BYTE_ARRAY": ["s", "ls", "bin", "lbin", "required"],
    "DELTA_BYTE_ARRAY": ["s", "ls", "bin", "lbin", "fsb", "uuid", "dec38", "dec19", "required"],
    "BYTE_STREAM_SPLIT": ["f16", "f32", "f64", "i32", "i64", "u32", "u64", "fsb", "uuid", "dec9", "dec18", "dec38",
                          "d32", "ts_ns"],
    "PLAIN": [],  # every column
    "RLE": ["b"],
}


def write(tmp_path, name, table, **options):
    path = tmp_path / f"{name}.parquet"
    pq.write_table(table, str(path), **options)
    return path


@pytest.fixture(scope="module")
def flat():
    return flat_table()


def test_flat_types_read_with_spark_types(tmp_path, flat):
    path = write(tmp_path, "types", flat)
    types = tributary_types(path)
    assert types == {
        "row": "bigint", "b": "boolean", "i8": "tinyint", "i16": "smallint", "i32": "int", "i64": "bigint",
        "u8": "smallint", "u16": "int", "u32": "bigint", "u64": "decimal(20,0)", "f16": "float", "f32": "float",
        "f64": "double", "dec1": "decimal(1,0)", "dec9": "decimal(9,3)", "dec10": "decimal(10,10)",
        "dec18": "decimal(18,2)", "dec19": "decimal(19,4)", "dec38": "decimal(38,7)", "dec256": "decimal(20,5)",
        "s": "string", "ls": "string", "bin": "binary", "lbin": "binary", "fsb": "binary", "uuid": "string",
        "dict_s": "string", "dict_i": "int", "d32": "date", "d64": "date", "ts_s": "timestamp",
        "ts_ms": "timestamp", "ts_us_utc": "timestamp", "ts_ns": "timestamp", "ts_ns_zone": "timestamp",
        "all_null": "double", "required": "string"}
    assert_reads_like_pyarrow(path)


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_each_encoding_forced_per_column(tmp_path, flat, encoding, version):
    columns = ENCODINGS[encoding]
    options = dict(use_dictionary=False, data_page_version=version, data_page_size=512, write_batch_size=50,
                   row_group_size=100, compression="snappy")
    if columns:
        options["column_encoding"] = {c: encoding for c in columns}
    path = write(tmp_path, f"{encoding}_{version}", flat, **options)
    group = pq.ParquetFile(str(path)).metadata.row_group(0)
    written = {group.column(i).path_in_schema: group.column(i).encodings for i in range(group.num_columns)}
    for column in columns:
        assert encoding in written[column], (column, written[column])
    assert_reads_like_pyarrow(path)


@pytest.mark.parametrize("codec", ["none", "snappy", "gzip", "zstd", "lz4"])
@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_each_codec_with_dictionaries(tmp_path, flat, codec, version):
    path = write(tmp_path, f"{codec}_{version}", flat, compression=codec, data_page_version=version,
                 data_page_size=1024, row_group_size=128)
    assert_reads_like_pyarrow(path)


def test_brotli_is_refused_clearly(tmp_path, flat):
    path = write(tmp_path, "brotli", flat.select(["row", "s"]), compression="brotli")
    done = run_sql(f"SELECT * FROM parquet.`{quoted(path)}`", check=False)
    assert done.returncode != 0
    assert "BROTLI" in done.stderr.upper() and "brotli.parquet" in done.stderr


@pytest.mark.parametrize("layout", [
    dict(data_page_size=1, write_batch_size=1),                  # one value per page
    dict(data_page_size=64, write_batch_size=7, dictionary_pagesize_limit=64),  # dictionaries that overflow
    dict(row_group_size=1),                                      # one row per row group
    dict(data_page_size=1 << 20, write_batch_size=1 << 16, row_group_size=1 << 20),  # one large page
])
def test_page_and_row_group_sizes(tmp_path, flat, layout):
    # One row per row group: fewer rows, each group costs a footer entry and a decode task.
    table = flat.slice(0, 40) if layout.get("row_group_size") == 1 else flat
    path = write(tmp_path, "sizes", table, data_page_version="2.0", **layout)
    assert_reads_like_pyarrow(path)


def test_nulls_at_page_boundaries(tmp_path):
    # Runs of nulls that start, end and fill whole pages of 16 values.
    rows = 200
    values = [None if (i // 16) % 3 == 1 or i % 16 in (0, 15) else i for i in range(rows)]
    table = pa.table({"row": pa.array(range(rows), pa.int64()), "v": pa.array(values, pa.int32()),
                      "s": pa.array([None if v is None else "v%d" % v for v in values])})
    for version in ["1.0", "2.0"]:
        for dictionary in [True, False]:
            path = write(tmp_path, f"bounds_{version}_{dictionary}", table, data_page_version=version,
                         use_dictionary=dictionary, write_batch_size=16, data_page_size=1)
            assert pq.ParquetFile(str(path)).metadata.row_group(0).column(1).total_compressed_size > 0
            assert_reads_like_pyarrow(path)


def test_empty_file_keeps_its_schema(tmp_path, flat):
    path = write(tmp_path, "empty", flat.slice(0, 0))
    assert pq.ParquetFile(str(path)).metadata.num_rows == 0
    assert tributary_types(path)["dec38"] == "decimal(38,7)"
    assert run_sql(f"SELECT count(*) AS n FROM parquet.`{quoted(path)}`").stdout.strip() == '{"n":0}'
    assert run_sql(f"SELECT count(*) AS n FROM parquet.`{quoted(path)}` WHERE i32 > 0 AND s = 'x'").stdout.strip() \
        == '{"n":0}'
    # Next to a file with rows, in one directory.
    (tmp_path / "dir").mkdir()
    write(tmp_path / "dir", "a_empty", flat.slice(0, 0))
    write(tmp_path / "dir", "b_rows", flat.slice(0, 10))
    assert run_sql(f"SELECT count(*) AS n FROM parquet.`{quoted(tmp_path / 'dir')}` WHERE row >= 0") \
        .stdout.strip() == '{"n":10}'
    assert_reads_like_pyarrow(path)


def test_file_without_columns(tmp_path):
    path = tmp_path / "no_columns.parquet"
    pq.write_table(pa.table({"x": [1, 2, 3]}).drop_columns(["x"]), str(path))
    assert pq.read_table(str(path)).num_columns == 0
    assert run_sql(f"SELECT count(*) AS n FROM parquet.`{quoted(path)}`").stdout.strip() == \
        '{"n":%d}' % pq.ParquetFile(str(path)).metadata.num_rows


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_nested_types(tmp_path, version):
    path = write(tmp_path, f"nested_{version}", nested_table(), data_page_version=version, data_page_size=128,
                 write_batch_size=16, row_group_size=100, compression="zstd")
    assert tributary_types(path) == {
        "row": "bigint", "ints": "array<bigint>", "big_list": "array<string>",
        "point": "struct<x:int,label:string>", "tags": "map<string,int>",
        "items": "array<struct<id:bigint,parts:array<smallint>>>",
        "box": "struct<vals:array<double>,when:timestamp>", "multi": "map<string,array<int>>",
        "grid": "array<array<int>>", "dec_list": "array<decimal(12,2)>"}
    assert_reads_like_pyarrow(path)


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_more_nested_shapes(tmp_path, version):
    path = write(tmp_path, f"more_nested_{version}", more_nested_table(), data_page_version=version,
                 data_page_size=64, write_batch_size=8, row_group_size=50)
    types = tributary_types(path)
    assert (types["lmap"], types["mstruct"], types["fsl"], types["deep"]) == (
        "array<map<int,string>>", "map<string,struct<a:tinyint,b:array<bigint>>>", "array<smallint>",
        "array<array<array<int>>>")
    assert_reads_like_pyarrow(path)


def test_nested_columns_projected_and_filtered(tmp_path):
    path = write(tmp_path, "nested_proj", nested_table(), data_page_size=128, row_group_size=64)
    assert_reads_like_pyarrow(path, columns=["items", "row"])
    count = run_sql(f"SELECT count(*) AS n FROM parquet.`{quoted(path)}` WHERE size(ints) > 1 AND row > 100").stdout
    table = pq.read_table(str(path))
    expected = sum(1 for r, xs in zip(table.column("row").to_pylist(), table.column("ints").to_pylist())
                   if xs is not None and len(xs) > 1 and r > 100)
    assert count.strip() == '{"n":%d}' % expected


def test_int96_timestamps(tmp_path):
    rows = 100
    table = pa.table({"row": pa.array(range(rows), pa.int64()),
                      "t": pa.array([maybe(i, (i - 50) * 98765432101234567) for i in range(rows)],
                                    pa.timestamp("ns"))})
    path = write(tmp_path, "int96", table, use_deprecated_int96_timestamps=True, use_dictionary=False)
    assert pq.ParquetFile(str(path)).schema.column(1).physical_type == "INT96"
    assert_reads_like_pyarrow(path)


def test_decimals_stored_as_integers(tmp_path, flat):
    columns = ["row", "dec1", "dec9", "dec10", "dec18", "dec19", "dec38"]
    path = write(tmp_path, "dec_int", flat.select(columns), store_decimal_as_integer=True)
    schema = pq.ParquetFile(str(path)).schema
    physical = {schema.column(i).name: schema.column(i).physical_type for i in range(len(schema))}
    assert (physical["dec9"], physical["dec18"], physical["dec38"]) == ("INT32", "INT64", "FIXED_LEN_BYTE_ARRAY")
    assert_reads_like_pyarrow(path)


@pytest.mark.parametrize("name,options", [
    # Format 1.0: converted types only (no logical types), unsigned and nanosecond columns coerced.
    ("format_1_0", dict(version="1.0", coerce_timestamps="us", allow_truncated_timestamps=True)),
    ("format_2_4", dict(version="2.4", coerce_timestamps="us", allow_truncated_timestamps=True)),
    ("no_statistics", dict(write_statistics=False)),
    ("millisecond_timestamps", dict(coerce_timestamps="ms", allow_truncated_timestamps=True)),
    ("page_checksums_and_bloom_filter", dict(write_page_checksum=True, bloom_filter_options={"s": {"ndv": 100}})),
])
def test_format_versions_and_writer_switches(tmp_path, flat, name, options):
    assert_reads_like_pyarrow(write(tmp_path, name, flat, **options))


@pytest.mark.parametrize("name,options", [
    ("legacy_list_names", dict(use_compliant_nested_type=False)),
    ("format_1_0_v2_pages", dict(version="1.0", data_page_version="2.0")),
    ("nested_leaf_encodings", dict(use_dictionary=False, column_encoding={
        "ints.list.element": "DELTA_BINARY_PACKED", "big_list.list.element": "DELTA_BYTE_ARRAY",
        "box.vals.list.element": "BYTE_STREAM_SPLIT", "tags.key_value.key": "DELTA_LENGTH_BYTE_ARRAY"})),
])
def test_nested_writer_switches(tmp_path, name, options):
    assert_reads_like_pyarrow(write(tmp_path, name, nested_table(), data_page_size=128, **options))
