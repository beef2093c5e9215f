"""Damaged Parquet files through `tributary sql`: a clear error naming the file (and, for damage
inside a column chunk, the row group, column and page), never a crash, never a hang.

Targeted damage (magic numbers, footer length, each byte of a page header, a compressed page body,
truncations) and a fixed-seed run of random bit flips, zeroed spans and truncations over files of
each codec and page version. The Swift tests (`ParquetCorruptInputTests`) and the libFuzzer target
(`fuzz/run.sh FuzzParquetDecoding`) cover the decoder in-process; this suite covers the binary.

Run: .venv/bin/pytest -q tests/parquet/test_damaged_files.py (needs the debug build of `tributary`
or $TRIBUTARY_BIN).
"""
import random
import struct
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from arrow_compare import BIN, quoted
from test_pyarrow_files import flat_table


def read(path) -> subprocess.CompletedProcess:
    # A hang fails the test through the timeout.
    return subprocess.run([str(BIN), "sql", "--format", "csv", "-e", f"SELECT * FROM parquet.`{quoted(path)}`"],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def small_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("damage") / "source.parquet"
    table = pa.table({"a": pa.array(range(1000), pa.int64()), "s": pa.array(["v%d" % i for i in range(1000)])})
    pq.write_table(table, str(path), compression="snappy", row_group_size=500, data_page_size=1024,
                   use_dictionary=False)
    return path


def damaged(tmp_path, data: bytes):
    path = tmp_path / "damaged.parquet"
    path.write_bytes(data)
    return path


def assert_file_error(done, *, inside_chunk=False, label=""):
    assert done.returncode == 1, (label, done.returncode, done.stderr)
    assert "damaged.parquet" in done.stderr
    if inside_chunk:
        assert "row group 1, column s, page 0" in done.stderr, done.stderr


def test_magic_footer_and_truncation(tmp_path, small_file):
    data = small_file.read_bytes()
    footer = struct.unpack("<I", data[-8:-4])[0]
    cases = {
        "head magic": b"XAR1" + data[4:],
        "tail magic": data[:-1] + b"X",
        "footer length": data[:-8] + struct.pack("<I", footer + 100000) + data[-4:],
        "footer length zero": data[:-8] + struct.pack("<I", 0) + data[-4:],
        "half": data[: len(data) // 2],
        "empty": b"",
        "magic only": b"PAR1",
        "two magics": b"PAR1PAR1",
    }
    for name, bytes_ in cases.items():
        done = read(damaged(tmp_path, bytes_))
        assert_file_error(done, label=name)


def test_page_header_and_body_damage_names_the_page(tmp_path, small_file):
    data = small_file.read_bytes()
    offset = pq.ParquetFile(str(small_file)).metadata.row_group(1).column(1).data_page_offset
    for k in list(range(12)) + [40, 200]:
        mutated = bytearray(data)
        mutated[offset + k] ^= 0x7F
        done = read(damaged(tmp_path, bytes(mutated)))
        assert_file_error(done, inside_chunk=True)


@pytest.mark.parametrize("options", [
    dict(compression="snappy"),
    dict(compression="zstd", data_page_version="2.0", use_dictionary=False),
    dict(compression="gzip"),
    dict(compression="lz4", data_page_version="2.0"),
    dict(compression="none", use_dictionary=False),
])
def test_random_damage_never_crashes(tmp_path, options):
    source = tmp_path / "source.parquet"
    pq.write_table(flat_table(120), str(source), row_group_size=50, data_page_size=256, **options)
    data = source.read_bytes()
    rng = random.Random(20261123)
    for _ in range(25):
        mutated = bytearray(data)
        kind = rng.choice(["flip", "zero", "truncate"])
        if kind == "flip":
            for _ in range(rng.choice([1, 3])):
                mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
        elif kind == "zero":
            at = rng.randrange(len(mutated))
            mutated[at:at + 32] = bytes(len(mutated[at:at + 32]))
        else:
            mutated = mutated[:rng.randrange(len(mutated))]
        done = read(damaged(tmp_path, bytes(mutated)))
        # A flip inside values or unused metadata may read; anything else is an error, not a signal.
        assert done.returncode in (0, 1), (kind, done.returncode, done.stderr[-500:])
        if done.returncode == 1:
            assert "damaged.parquet" in done.stderr
