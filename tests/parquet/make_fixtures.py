"""Writes Parquet fixtures with pyarrow and, next to each, the values pyarrow reads back.

Most files hold the same table (written with each codec, page version and encoding, and once by
DuckDB); `base.json` holds what pyarrow reads from each of them (the script checks they agree).
`int96.json` covers the legacy timestamp file, `fuzz.json` the two small files the corruption tests
mutate, and `nested.json` (rendered as NestedColumn.render prints) the list/struct/map files:
    {"num_rows": N, "row_groups": G,
     "columns": [{"name": ..., "type": <Spark type name>, "values": [<canonical string> | null, ...]}]}
Canonical strings: integers, dates (days) and timestamps (microseconds) in decimal; floats as the
hex of their little-endian IEEE bits; booleans "true"/"false"; strings as themselves; binary as hex;
decimals as the unscaled integer. The Swift tests render what they read the same way and compare.

Run: .venv/bin/python tests/parquet/make_fixtures.py
"""
import datetime
import decimal
import json
import os
import struct
import uuid

import pyarrow as pa
import pyarrow.parquet as pq

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ParquetTests", "Fixtures")
ROWS = 1000


def base_table():
    def maybe(i, v, every=7):
        return None if i % every == 3 else v

    cols = {
        "b": pa.array([maybe(i, i % 3 == 0) for i in range(ROWS)], pa.bool_()),
        "i8": pa.array([maybe(i, (i % 200) - 100) for i in range(ROWS)], pa.int8()),
        "i16": pa.array([maybe(i, (i * 37) % 60000 - 30000) for i in range(ROWS)], pa.int16()),
        "i32": pa.array([maybe(i, (i * 2654435761) % 2**32 - 2**31) for i in range(ROWS)], pa.int32()),
        "i64": pa.array([maybe(i, (i * 11400714819323198485) % 2**64 - 2**63) for i in range(ROWS)], pa.int64()),
        "i64_sorted": pa.array([i * 1000 + (i % 5) for i in range(ROWS)], pa.int64()),
        "u8": pa.array([maybe(i, i % 256) for i in range(ROWS)], pa.uint8()),
        "u16": pa.array([maybe(i, (i * 31) % 65536) for i in range(ROWS)], pa.uint16()),
        "u32": pa.array([maybe(i, (i * 2654435761) % 2**32) for i in range(ROWS)], pa.uint32()),
        "u64": pa.array([maybe(i, (i * 11400714819323198485) % 2**64) for i in range(ROWS)], pa.uint64()),
        "f32": pa.array([maybe(i, i * 0.25 - 100.5) for i in range(ROWS)], pa.float32()),
        "f64": pa.array([maybe(i, (i - 1500) / 7.0) for i in range(ROWS)], pa.float64()),
        "s": pa.array([maybe(i, "row-%d-%s" % (i % 50, "x" * (i % 11))) for i in range(ROWS)], pa.string()),
        "s_required": pa.array(["k%04d" % (i % 300) for i in range(ROWS)], pa.string()),
        "bin": pa.array([maybe(i, bytes([i % 256, (i * 7) % 256]) * (i % 4)) for i in range(ROWS)], pa.binary()),
        "fixed": pa.array([maybe(i, struct.pack(">I", i)) for i in range(ROWS)], pa.binary(4)),
        "d": pa.array([maybe(i, datetime.date(1970, 1, 1) + datetime.timedelta(days=i * 13 - 20000)) for i in range(ROWS)], pa.date32()),
        "ts_ms": pa.array([maybe(i, i * 123456789 - 10**11) for i in range(ROWS)], pa.timestamp("ms")),
        "ts_us": pa.array([maybe(i, i * 123456789123 - 10**14) for i in range(ROWS)], pa.timestamp("us", tz="UTC")),
        "ts_ns": pa.array([maybe(i, i * 123456789123457 - 10**17) for i in range(ROWS)], pa.timestamp("ns")),
        "dec9": pa.array([maybe(i, decimal.Decimal(i * 1234 - 99999) / 100) for i in range(ROWS)], pa.decimal128(9, 2)),
        "dec18": pa.array([maybe(i, decimal.Decimal(i * 123456789 - 10**12) / 10**4) for i in range(ROWS)], pa.decimal128(18, 4)),
        "dec38": pa.array([maybe(i, decimal.Decimal((i - 1500) * 10**30 + i) / 10**10) for i in range(ROWS)], pa.decimal128(38, 10)),
        "uuid": pa.array([maybe(i, uuid.UUID(int=i * 0x9E3779B97F4A7C15 % 2**128).bytes) for i in range(ROWS)], pa.uuid()),
        "all_null": pa.array([None] * ROWS, pa.int32()),
    }
    return pa.table(cols)


def nested_table():
    rows = 300
    def maybe(i, v, every):
        return None if i % every == 3 else v
    return pa.table({
        "ints": pa.array([maybe(i, [] if i % 5 == 1 else [maybe(i + j, i * 10 + j, 4) for j in range(i % 4)], 7)
                          for i in range(rows)], pa.list_(pa.int64())),
        "strs": pa.array([maybe(i, ["s%d" % j for j in range(i % 3)], 6) for i in range(rows)], pa.list_(pa.string())),
        "point": pa.array([maybe(i, {"x": maybe(i, i, 5), "label": "p%d" % i}, 9) for i in range(rows)],
                          pa.struct([("x", pa.int32()), ("label", pa.string())])),
        "tags": pa.array([maybe(i, [("k%d" % j, maybe(j, j * i, 3)) for j in range(i % 3)], 8) for i in range(rows)],
                         pa.map_(pa.string(), pa.int32())),
        "items": pa.array([maybe(i, [{"id": j, "parts": [maybe(i + j + k, k, 3) for k in range(j % 3)]} for j in range(i % 3)], 10)
                           for i in range(rows)],
                          pa.list_(pa.struct([("id", pa.int32()), ("parts", pa.list_(pa.int16()))]))),
        "deep": pa.array([maybe(i, {"inner": maybe(i, {"z": i / 4}, 4)}, 11) for i in range(rows)],
                         pa.struct([("inner", pa.struct([("z", pa.float64())]))])),
        "grid": pa.array([maybe(i, [[j + k for k in range(j % 3)] for j in range(i % 4)], 13) for i in range(rows)],
                         pa.list_(pa.list_(pa.int32()))),
    })


def render_nested(value, typ):
    """Text of a nested value as NestedColumn.render prints it."""
    if value is None:
        return "null"
    if pa.types.is_map(typ):
        return "{" + ", ".join("%s -> %s" % (render_nested(k, typ.key_type), render_nested(v, typ.item_type))
                               for k, v in value) + "}"
    if pa.types.is_list(typ):
        return "[" + ", ".join(render_nested(v, typ.value_type) for v in value) + "]"
    if pa.types.is_struct(typ):
        return "{" + ", ".join("%s: %s" % (f.name, render_nested(value[f.name], f.type)) for f in typ) + "}"
    return canonical(value, typ)


def canonical(value, typ):
    if value is None:
        return None
    if pa.types.is_boolean(typ):
        return "true" if value else "false"
    if pa.types.is_floating(typ):
        fmt = "<f" if typ.bit_width == 32 else "<d"
        return struct.pack(fmt, value).hex()
    if pa.types.is_decimal(typ):
        # Exact integer arithmetic: Decimal.scaleb would round to the context's 28 digits.
        sign, digits, exponent = value.as_tuple()
        unscaled = int("".join(map(str, digits)) or "0") * 10 ** (exponent + typ.scale)
        return str(-unscaled if sign else unscaled)
    if pa.types.is_date(typ):
        return str((value - datetime.date(1970, 1, 1)).days)
    if pa.types.is_timestamp(typ):
        return None  # rendered from the integer view, see below
    if pa.types.is_string(typ):
        return value
    if pa.types.is_binary(typ) or pa.types.is_fixed_size_binary(typ):
        return value.hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


SPARK_TYPES = {
    "b": "boolean", "i8": "tinyint", "i16": "smallint", "i32": "int", "i64": "bigint", "i64_sorted": "bigint",
    "u8": "smallint", "u16": "int", "u32": "bigint", "u64": "decimal(20,0)", "f32": "float", "f64": "double",
    "s": "string", "s_required": "string", "bin": "binary", "fixed": "binary", "d": "date",
    "ts_ms": "timestamp", "ts_us": "timestamp", "ts_ns": "timestamp", "ts96": "timestamp",
    "dec9": "decimal(9,2)", "dec18": "decimal(18,4)", "dec38": "decimal(38,10)", "uuid": "string",
    "all_null": "int",
}


def expected(path):
    table = pq.read_table(path)
    columns = []
    for name in table.column_names:
        col = table.column(name).combine_chunks()
        typ = col.type
        if pa.types.is_timestamp(typ):
            micros = col.cast(pa.timestamp("us", tz=typ.tz)).cast(pa.int64()) if typ.unit != "ns" else None
            if micros is None:
                # Floor nanoseconds to microseconds, as the reader does.
                raw = col.cast(pa.int64()).to_pylist()
                values = [None if v is None else str(v // 1000) for v in raw]
            else:
                values = [None if v is None else str(v) for v in micros.to_pylist()]
        else:
            values = [canonical(v, typ) for v in col.to_pylist()]
        columns.append({"name": name, "type": SPARK_TYPES[name], "values": values})
    meta = pq.ParquetFile(path).metadata
    return {"num_rows": table.num_rows, "row_groups": meta.num_row_groups, "columns": columns}


def write(name, table, json_name, **options):
    path = os.path.join(OUT, name + ".parquet")
    pq.write_table(table, path, **options)
    values = expected(path)
    json_path = os.path.join(OUT, json_name + ".json")
    if os.path.exists(json_path):
        with open(json_path) as f:
            assert json.load(f)["columns"] == values["columns"], name + " reads back differently"
    else:
        with open(json_path, "w") as f:
            json.dump(values, f, separators=(",", ":"))


def main():
    os.makedirs(OUT, exist_ok=True)
    for stale in os.listdir(OUT):
        os.remove(os.path.join(OUT, stale))
    table = base_table()
    small = dict(row_group_size=400, data_page_size=1024, write_batch_size=128)
    for codec in ["none", "snappy", "gzip", "zstd", "lz4"]:
        write("plain_" + codec, table, "base", compression=codec, use_dictionary=False, **small)
    write("dictionary_v1", table, "base", compression="snappy", use_dictionary=True, data_page_version="1.0", **small)
    write("dictionary_v2", table, "base", compression="zstd", use_dictionary=True, data_page_version="2.0", **small)
    # A dictionary page too small for the chunk's values: the writer falls back to PLAIN pages
    # part-way through each column chunk, so one chunk mixes dictionary and plain data pages.
    write("dictionary_fallback", table, "base", compression="snappy", use_dictionary=True,
          dictionary_pagesize_limit=256, **small)
    write("plain_v2_uncompressed", table, "base", compression="none", use_dictionary=False, data_page_version="2.0", **small)
    delta = {
        "i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "i64_sorted": "DELTA_BINARY_PACKED",
        "i16": "DELTA_BINARY_PACKED", "d": "DELTA_BINARY_PACKED", "ts_us": "DELTA_BINARY_PACKED",
        "s": "DELTA_LENGTH_BYTE_ARRAY", "s_required": "DELTA_BYTE_ARRAY", "bin": "DELTA_BYTE_ARRAY",
        "fixed": "DELTA_BYTE_ARRAY", "b": "RLE",
    }
    for version in ["1.0", "2.0"]:
        write("delta_v" + version[0], table, "base", compression="snappy", use_dictionary=False,
              column_encoding=delta, data_page_version=version, **small)
    split = {"f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT", "i32": "BYTE_STREAM_SPLIT",
             "i64": "BYTE_STREAM_SPLIT", "fixed": "BYTE_STREAM_SPLIT", "dec18": "BYTE_STREAM_SPLIT"}
    write("byte_stream_split", table, "base", compression="zstd", use_dictionary=False, column_encoding=split, **small)
    # The same table written by DuckDB, which lays out pages and annotations its own way.
    import duckdb
    arrow_table = table
    path = os.path.join(OUT, "duckdb_zstd.parquet")
    duckdb.sql("COPY (SELECT * FROM arrow_table) TO '%s' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 400)" % path)
    with open(os.path.join(OUT, "base.json")) as f:
        assert json.load(f)["columns"] == expected(path)["columns"], "duckdb file reads back differently"

    # Lists, structs, maps and their combinations, 3-level lists as pyarrow writes them.
    nested = nested_table()
    for version in ["1.0", "2.0"]:
        path = os.path.join(OUT, "nested_v%s.parquet" % version[0])
        pq.write_table(nested, path, compression="snappy", row_group_size=128, data_page_size=256,
                       data_page_version=version, write_batch_size=32)
    back = pq.read_table(os.path.join(OUT, "nested_v1.parquet"))
    with open(os.path.join(OUT, "nested.json"), "w") as f:
        json.dump({"num_rows": back.num_rows, "row_groups": 3, "columns": [
            {"name": name, "type": "nested",
             "values": [render_nested(v, back.column(name).type) for v in back.column(name).to_pylist()]}
            for name in back.column_names]}, f, separators=(",", ":"))

    # Small files for the corruption fuzz tests: every byte of them gets mutated.
    small_table = base_table().slice(0, 120).select(["b", "i32", "i64_sorted", "s", "fixed", "d", "dec38", "f64"])
    write("fuzz_dictionary", small_table, "fuzz", compression="snappy", use_dictionary=True,
          row_group_size=60, data_page_size=256, write_batch_size=32)
    write("fuzz_delta_v2", small_table, "fuzz", compression="zstd", use_dictionary=False, data_page_version="2.0",
          column_encoding={"i32": "DELTA_BINARY_PACKED", "s": "DELTA_BYTE_ARRAY", "f64": "BYTE_STREAM_SPLIT"},
          row_group_size=60, data_page_size=256, write_batch_size=32)
    legacy = pa.table({"ts96": pa.array([None if i % 9 == 0 else i * 987654321987 - 10**15 for i in range(ROWS)],
                                        pa.timestamp("ns"))})
    write("int96", legacy, "int96", use_deprecated_int96_timestamps=True, compression="snappy")


if __name__ == "__main__":
    main()
