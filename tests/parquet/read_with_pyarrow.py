"""Prints what pyarrow reads from a Parquet file, in the canonical form of make_fixtures.py.

Usage: read_with_pyarrow.py [--duckdb] FILE  ->  JSON {"num_rows", "row_groups", "columns": [{name, type, values}]}
with `type` the Spark type name the Arrow type corresponds to. The Swift writer tests run it on files
they write, to prove pyarrow (or, with --duckdb, DuckDB) reads them with the same types and values.
"""
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

from make_fixtures import canonical


def spark_type(typ):
    if pa.types.is_boolean(typ): return "boolean"
    if pa.types.is_int8(typ): return "tinyint"
    if pa.types.is_int16(typ): return "smallint"
    if pa.types.is_int32(typ): return "int"
    if pa.types.is_int64(typ): return "bigint"
    if pa.types.is_float32(typ): return "float"
    if pa.types.is_float64(typ): return "double"
    if pa.types.is_decimal(typ): return "decimal(%d,%d)" % (typ.precision, typ.scale)
    if pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_string_view(typ): return "string"
    if pa.types.is_binary(typ): return "binary"
    if pa.types.is_date32(typ): return "date"
    if pa.types.is_timestamp(typ): return "timestamp"
    if pa.types.is_null(typ): return "void"
    return str(typ)


def main(path, engine):
    if engine == "duckdb":
        import duckdb
        table = duckdb.sql("SELECT * FROM read_parquet('%s')" % path.replace("'", "''")).arrow()
        if hasattr(table, "read_all"):
            table = table.read_all()
    else:
        table = pq.read_table(path)
    columns = []
    for name in table.column_names:
        col = table.column(name).combine_chunks()
        typ = col.type
        if pa.types.is_timestamp(typ):
            values = [None if v is None else str(v) for v in col.cast(pa.int64()).to_pylist()]
        else:
            if pa.types.is_string_view(typ) or pa.types.is_large_string(typ):
                col = col.cast(pa.string())
                typ = col.type
            values = [canonical(v, typ) for v in col.to_pylist()]
        columns.append({"name": name, "type": spark_type(typ), "values": values})
    meta = pq.ParquetFile(path).metadata
    print(json.dumps({"num_rows": table.num_rows, "row_groups": meta.num_row_groups, "columns": columns}))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    engine = "duckdb" if arguments and arguments[0] == "--duckdb" else "pyarrow"
    main(arguments[-1], engine)
