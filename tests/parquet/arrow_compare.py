"""One comparable form for a Parquet file's rows as pyarrow reads them and as `tributary sql` prints them.

Both sides are walked along the Arrow type pyarrow reads, so each value is compared exactly:
floats by their IEEE bits at the column's width, decimals as exact fractions, timestamps as
microseconds since the epoch (nanoseconds floored, as the reader does), binary as bytes, nested
values recursively (null struct fields and null map values left out, as Spark's JSON output does).
"""
import base64
import datetime
import decimal
import fractions
import json
import math
import os
import struct
import subprocess
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
# Resolved once: some tests run the binary from another working directory.
BIN = Path(os.environ.get("TRIBUTARY_BIN", ROOT / ".build" / "debug" / "tributary")).resolve()
EPOCH = datetime.datetime(1970, 1, 1)


def run_sql(statement: str, fmt: str = "json", check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN), "sql", "--format", fmt, "-e", statement], capture_output=True, text=True,
                          timeout=120)
    if check:
        assert done.returncode == 0, f"tributary sql failed: {done.stderr}"
    return done


def quoted(path) -> str:
    return str(path).replace("`", "``")


def tributary_json_rows(statement: str) -> list[dict]:
    text = run_sql(statement).stdout
    return [json.loads(line, parse_float=decimal.Decimal) for line in text.splitlines() if line]


def tributary_types(path) -> dict[str, str]:
    import csv
    import io
    text = run_sql(f"DESCRIBE QUERY SELECT * FROM parquet.`{quoted(path)}`", fmt="csv").stdout
    return {row[0]: row[1] for row in list(csv.reader(io.StringIO(text)))[1:]}


def _float_bits(value, width: int):
    if isinstance(value, str):  # Spark's JSON names the non-finite values
        value = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value]
    value = float(value)
    if math.isnan(value):
        return "nan"  # any NaN payload
    return struct.pack("<e" if width == 16 else "<f" if width == 32 else "<d", value).hex()


def _timestamp_micros(text: str) -> int:
    # Top-level: `2024-03-01 08:00:00.123456`; inside a nested value Spark's JSON form
    # `2024-03-01T08:00:00.123Z` (milliseconds only, see `nested_table`).
    whole, _, fraction = text.rstrip("Z").replace("T", " ").partition(".")
    moment = datetime.datetime.strptime(whole, "%Y-%m-%d %H:%M:%S")
    delta = moment - EPOCH
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000
    return micros + (int(fraction.ljust(6, "0")) if fraction else 0)


_MICROS_PER_UNIT = {"s": 1_000_000, "ms": 1000, "us": 1, "ns": None}


def arrow_side(value, typ):
    """Canonical form of a value from pyarrow's `to_pylist` of a column cast by `plain_type`."""
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(typ, pa.BaseExtensionType):
        return arrow_side(value, typ.storage_type)
    if pa.types.is_dictionary(typ):
        return arrow_side(value, typ.value_type)
    if pa.types.is_map(typ):
        return {str(arrow_side(k, typ.key_type)): arrow_side(v, typ.item_type) for k, v in value if v is not None}
    if pa.types.is_list(typ) or pa.types.is_large_list(typ) or pa.types.is_fixed_size_list(typ):
        return [arrow_side(v, typ.value_type) for v in value]
    if pa.types.is_struct(typ):
        return {f.name: arrow_side(value[f.name], f.type) for f in typ if value[f.name] is not None}
    if pa.types.is_boolean(typ):
        return bool(value)
    if pa.types.is_floating(typ):
        return _float_bits(value, typ.bit_width)
    if pa.types.is_decimal(typ):
        return fractions.Fraction(value)
    if pa.types.is_timestamp(typ):
        return value  # already microseconds: see plain_type
    if pa.types.is_date(typ):
        return value.isoformat()
    if pa.types.is_binary(typ) or pa.types.is_large_binary(typ) or pa.types.is_fixed_size_binary(typ):
        return bytes(value)
    return value


def tributary_side(value, typ):
    """Canonical form of a value of Arrow type `typ` as tributary's JSON output prints it."""
    if value is None:
        return None
    if isinstance(typ, pa.BaseExtensionType):
        if typ.extension_name == "arrow.uuid":
            return str(uuid.UUID(value))
        return tributary_side(value, typ.storage_type)
    if pa.types.is_dictionary(typ):
        return tributary_side(value, typ.value_type)
    if pa.types.is_map(typ):
        return {k: tributary_side(v, typ.item_type) for k, v in value.items() if v is not None}
    if pa.types.is_list(typ) or pa.types.is_large_list(typ) or pa.types.is_fixed_size_list(typ):
        return [tributary_side(v, typ.value_type) for v in value]
    if pa.types.is_struct(typ):
        return {f.name: tributary_side(value[f.name], f.type) for f in typ if value.get(f.name) is not None}
    if pa.types.is_boolean(typ):
        return bool(value)
    if pa.types.is_floating(typ):
        return _float_bits(value, typ.bit_width)
    if pa.types.is_decimal(typ) or pa.types.is_uint64(typ):
        return fractions.Fraction(decimal.Decimal(value)) if pa.types.is_decimal(typ) else int(value)
    if pa.types.is_timestamp(typ):
        return _timestamp_micros(value)
    if pa.types.is_date(typ):
        return value
    if pa.types.is_binary(typ) or pa.types.is_large_binary(typ) or pa.types.is_fixed_size_binary(typ):
        if value.startswith("[") and value.endswith("]"):  # top level: `[0 1 FF]`
            return bytes(int(h, 16) for h in value[1:-1].split())
        return base64.b64decode(value)  # inside a nested value: Spark's JSON form
    return value


def plain_type(typ):
    """`typ` with timestamps replaced by int64 (so nanoseconds survive `to_pylist`)."""
    if pa.types.is_timestamp(typ):
        return pa.int64()
    if pa.types.is_dictionary(typ):
        return plain_type(typ.value_type)
    if pa.types.is_map(typ):
        return pa.map_(plain_type(typ.key_type), plain_type(typ.item_type))
    if pa.types.is_list(typ):
        return pa.list_(pa.field(typ.value_field.name, plain_type(typ.value_type)))
    if pa.types.is_large_list(typ):
        return pa.large_list(pa.field(typ.value_field.name, plain_type(typ.value_type)))
    if pa.types.is_struct(typ):
        return pa.struct([pa.field(f.name, plain_type(f.type)) for f in typ])
    return typ


def _floor_micros(value, typ):
    """Timestamps inside a value read through `plain_type`, as microseconds (floored)."""
    if value is None:
        return None
    if pa.types.is_timestamp(typ):
        return value // 1000 if typ.unit == "ns" else value * _MICROS_PER_UNIT[typ.unit]
    if pa.types.is_dictionary(typ):
        return _floor_micros(value, typ.value_type)
    if pa.types.is_map(typ):
        return [(_floor_micros(k, typ.key_type), _floor_micros(v, typ.item_type)) for k, v in value]
    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        return [_floor_micros(v, typ.value_type) for v in value]
    if pa.types.is_struct(typ):
        return {f.name: _floor_micros(value[f.name], f.type) for f in typ}
    return value


def arrow_rows(table: pa.Table) -> list[dict]:
    """A table's rows in canonical form, columns in order."""
    columns = {}
    for field in table.schema:
        column = table.column(field.name).combine_chunks()
        if isinstance(field.type, pa.BaseExtensionType):
            values = column.to_pylist()
        else:
            values = [_floor_micros(v, field.type) for v in column.cast(plain_type(field.type)).to_pylist()]
        columns[field.name] = [arrow_side(v, field.type) for v in values]
    return [{name: columns[name][i] for name in columns} for i in range(table.num_rows)]


def tributary_rows(path, schema: pa.Schema, query: str | None = None) -> list[dict]:
    """What `SELECT *` (or `query`) prints for the file, in canonical form along pyarrow's schema."""
    rows = tributary_json_rows(query or f"SELECT * FROM parquet.`{quoted(path)}`")
    return [{f.name: tributary_side(row.get(f.name), f.type) for f in schema} for row in rows]


def assert_reads_like_pyarrow(path, columns=None):
    """Our rows of the file equal pyarrow's, in file order."""
    table = pq.read_table(str(path), columns=columns)
    query = None
    if columns is not None:
        query = "SELECT " + ", ".join(f"`{c}`" for c in columns) + f" FROM parquet.`{quoted(path)}`"
    ours = tributary_rows(path, table.schema, query)
    theirs = arrow_rows(table)
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"row {i} differs: ours {a} pyarrow {b}"
