"""String filters judged on Parquet pages without building the strings give DuckDB's answer.

When a scan does not output a string column that only its filter reads (LIKE / NOT LIKE, `=`, `<>`,
[NOT] IN), the filter is judged on the values where they lie in PLAIN pages and once per dictionary
value in dictionary pages. The files hold nulls, empty strings, pages where every value or none
passes, pages that are all null, and one column chunk with dictionary pages and the PLAIN pages a
writer falls back to when the dictionary fills up; data pages v1 and v2, snappy and uncompressed.
Each predicate's matching rows must equal DuckDB's over the same rows, and the rows of the same query
that also outputs the column (decoded, judged as a string column).

Run: .venv/bin/pytest -q tests/parquet/test_string_filters.py (needs the debug build of `tributary`
or $TRIBUTARY_BIN).
"""
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from arrow_compare import quoted, run_sql

ROWS = 3000


def note(i: int):
    if 1000 <= i < 1200 or i % 11 == 0:  # an all-null stretch of pages, and scattered nulls
        return None
    if 1200 <= i < 1400:  # every value passes '%special%requests%'
        return f"row {i} special and requests"
    if 1400 <= i < 1600:  # no value holds 'special'
        return f"plain {i}"
    if i % 13 == 0:
        return ""
    if i % 7 == 0:
        return f"abc {i} the special packages wake requests {'x' * (i % 90)}"
    if i % 5 == 0:
        return f"special{i}requests"
    if i % 3 == 0:
        return "exact value"
    if i >= 2500:  # many distinct values late in the chunk: dictionaries fill up and fall back to PLAIN
        return f"late {i} requests special-{i * 7919 % 1000}"
    return f"v{i % 17}"


def table() -> pa.Table:
    return pa.table({
        "row": pa.array(range(ROWS), pa.int64()),
        "note": pa.array([note(i) for i in range(ROWS)], pa.string()),
    })


LAYOUTS = {
    "plain_v1": dict(use_dictionary=False, data_page_version="1.0", compression="snappy"),
    "plain_v2": dict(use_dictionary=False, data_page_version="2.0", compression="snappy"),
    "plain_v2_uncompressed": dict(use_dictionary=False, data_page_version="2.0", compression="none"),
    "dictionary_fallback_v1": dict(use_dictionary=True, dictionary_pagesize_limit=512, data_page_version="1.0",
                                   compression="snappy"),
    "dictionary_fallback_v2": dict(use_dictionary=True, dictionary_pagesize_limit=512, data_page_version="2.0",
                                   compression="none"),
    "dictionary_v1": dict(use_dictionary=True, data_page_version="1.0", compression="snappy"),
}

PREDICATES = [
    "note LIKE '%special%requests%'",
    "note NOT LIKE '%special%requests%'",
    "note LIKE 'abc%'",
    "note NOT LIKE '%requests'",
    "note LIKE 'v1_'",
    "note LIKE '%'",
    "note LIKE ''",
    "note = 'exact value'",
    "note <> 'exact value'",
    "note = ''",
    "note IN ('v1', 'v2', '', 'exact value')",
    "note NOT IN ('v3', 'exact value')",
    "note LIKE '%special%' AND note NOT LIKE '%requests%'",
    "note LIKE 'row%' OR note = 'v4'",
    "NOT (note LIKE '%special%')",
    "note ILIKE '%SPECIAL%REQUESTS%'",
    "row >= 1250 AND note LIKE '%special%requests%'",
    "row % 4 = 1 AND note NOT LIKE '%e%'",
]


@pytest.fixture(scope="module", params=list(LAYOUTS))
def notes_file(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("strings") / f"{request.param}.parquet"
    pq.write_table(table(), str(path), row_group_size=1000, data_page_size=512, write_batch_size=64,
                   **LAYOUTS[request.param])
    meta = pq.ParquetFile(str(path)).metadata
    encodings = set(meta.row_group(2).column(1).encodings)
    if "fallback" in request.param:
        # Dictionary pages, then PLAIN pages in the same column chunk.
        assert "PLAIN" in encodings and ("RLE_DICTIONARY" in encodings or "PLAIN_DICTIONARY" in encodings)
    return path


@pytest.fixture(scope="module")
def reference():
    import duckdb
    duck = duckdb.connect()
    duck.register("reference", table())
    return duck


def tributary_rows(path, predicate: str, with_note: bool) -> list[int]:
    columns = "row, note" if with_note else "row"
    text = run_sql(f"SELECT sort_array(collect_list(row)) AS rows FROM (SELECT {columns} FROM "
                   f"parquet.`{quoted(path)}` WHERE {predicate})").stdout
    return json.loads(text).get("rows") or []


@pytest.mark.parametrize("predicate", PREDICATES)
def test_string_filters_judged_on_pages(notes_file, reference, predicate):
    want = reference.execute(f"SELECT list_sort(list(row)) FROM reference WHERE {predicate}").fetchall()[0][0] or []
    assert tributary_rows(notes_file, predicate, with_note=False) == want
    assert tributary_rows(notes_file, predicate, with_note=True) == want


def test_filter_only_column_leaves_the_scan(notes_file):
    plan = run_sql(f"EXPLAIN SELECT row FROM parquet.`{quoted(notes_file)}` WHERE note NOT LIKE '%special%requests%'",
                   fmt="csv").stdout
    scan = next(line for line in plan.splitlines() if "Scan parquet" in line)
    assert "PushedFilters: [note NOT LIKE %special%requests%]" in scan
    assert "note#" not in scan.split("PushedFilters")[0]
    assert "Filter" not in plan.replace("PushedFilters", "")
