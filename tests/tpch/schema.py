"""The TPC-H tables with the column types the specification declares (identifiers as integers,
money as DECIMAL(15,2), dates as DATE), shared by the Tributary and DuckDB setups.

Three formats: `csv` (`<table>.csv` with a header row, typed by the declared schema), `parquet`
(`<table>.parquet` as tpchgen-cli writes it, typed by the file: both engines read the same types) and
`cached` (the Parquet views kept in memory with `CACHE LAZY TABLE`, so queries run over the columnar
cache, as the benchmark's in-memory runs do)."""

FORMATS = ("csv", "parquet", "cached")


def data_format(fmt):
    """The file format a setup reads."""
    return "parquet" if fmt == "cached" else fmt

TABLES = {
    "nation": [("n_nationkey", "INT"), ("n_name", "STRING"), ("n_regionkey", "INT"), ("n_comment", "STRING")],
    "region": [("r_regionkey", "INT"), ("r_name", "STRING"), ("r_comment", "STRING")],
    "part": [("p_partkey", "BIGINT"), ("p_name", "STRING"), ("p_mfgr", "STRING"), ("p_brand", "STRING"),
             ("p_type", "STRING"), ("p_size", "INT"), ("p_container", "STRING"),
             ("p_retailprice", "DECIMAL(15,2)"), ("p_comment", "STRING")],
    "supplier": [("s_suppkey", "BIGINT"), ("s_name", "STRING"), ("s_address", "STRING"), ("s_nationkey", "INT"),
                 ("s_phone", "STRING"), ("s_acctbal", "DECIMAL(15,2)"), ("s_comment", "STRING")],
    "partsupp": [("ps_partkey", "BIGINT"), ("ps_suppkey", "BIGINT"), ("ps_availqty", "INT"),
                 ("ps_supplycost", "DECIMAL(15,2)"), ("ps_comment", "STRING")],
    "customer": [("c_custkey", "BIGINT"), ("c_name", "STRING"), ("c_address", "STRING"), ("c_nationkey", "INT"),
                 ("c_phone", "STRING"), ("c_acctbal", "DECIMAL(15,2)"), ("c_mktsegment", "STRING"),
                 ("c_comment", "STRING")],
    "orders": [("o_orderkey", "BIGINT"), ("o_custkey", "BIGINT"), ("o_orderstatus", "STRING"),
               ("o_totalprice", "DECIMAL(15,2)"), ("o_orderdate", "DATE"), ("o_orderpriority", "STRING"),
               ("o_clerk", "STRING"), ("o_shippriority", "INT"), ("o_comment", "STRING")],
    "lineitem": [("l_orderkey", "BIGINT"), ("l_partkey", "BIGINT"), ("l_suppkey", "BIGINT"), ("l_linenumber", "INT"),
                 ("l_quantity", "DECIMAL(15,2)"), ("l_extendedprice", "DECIMAL(15,2)"),
                 ("l_discount", "DECIMAL(15,2)"), ("l_tax", "DECIMAL(15,2)"), ("l_returnflag", "STRING"),
                 ("l_linestatus", "STRING"), ("l_shipdate", "DATE"), ("l_commitdate", "DATE"),
                 ("l_receiptdate", "DATE"), ("l_shipinstruct", "STRING"), ("l_shipmode", "STRING"),
                 ("l_comment", "STRING")],
}


def tributary_setup(data_dir, fmt="csv"):
    """Spark SQL statements registering each table's file as a temporary view."""
    statements = []
    for table, columns in TABLES.items():
        if data_format(fmt) == "parquet":
            statements.append(f"CREATE OR REPLACE TEMPORARY VIEW {table} USING parquet "
                              f"OPTIONS (path '{data_dir}/{table}.parquet')")
            if fmt == "cached":
                statements.append(f"CACHE LAZY TABLE {table}")
            continue
        cols = ", ".join(f"{name} {typ}" for name, typ in columns)
        statements.append(f"CREATE OR REPLACE TEMPORARY VIEW {table} ({cols}) USING csv "
                          f"OPTIONS (path '{data_dir}/{table}.csv', header 'true')")
    return ";\n".join(statements) + ";\n"


def duckdb_setup(con, data_dir, fmt="csv"):
    """Loads each table's file into a DuckDB table (typed as for Tributary)."""
    for table, columns in TABLES.items():
        if data_format(fmt) == "parquet":
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_parquet('{data_dir}/{table}.parquet')")
            continue
        spec = ", ".join(f"'{name}': '{typ.replace('STRING', 'VARCHAR')}'" for name, typ in columns)
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM "
                    f"read_csv('{data_dir}/{table}.csv', header = true, columns = {{{spec}}})")
