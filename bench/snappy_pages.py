"""Snappy page decompression benchmark: the project's decoder (Sources/CTributary/snappy_decompress.c)
against the system libsnappy and cramjam (Rust `snap`) on the real snappy pages of TPC-H SF1 Parquet
files (tpchgen-cli), by page kind, in the same run. With `--baseline REV` the decoder of git revision
REV runs beside the working tree's, so a change is measured before/after on one machine state.

The pages are taken from the files as they are: the footer (via pyarrow) gives each column chunk's
byte range, the page headers (Thrift compact, parsed here) each page's kind and sizes. The decoder is
compiled from its source with the flags of the release build (-O2) into a small shared library and
called through ctypes; each call decompresses one page into a preallocated buffer, as the reader does.
Each cell sums, over the group's pages, each page's least thread CPU time of `--repeat` runs (the
machine is shared: CPU time leaves out waits, the least run is the least disturbed one). Outputs are checked equal to libsnappy's before timing.

Usage: python bench/snappy_pages.py [--data tests/data/tpch-sf1] [--repeat 7] [--baseline REV] [--write]
"""
import argparse
import ctypes
import ctypes.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "<!-- snappy-pages: begin (rewritten by bench/snappy_pages.py --write) -->"
END = "<!-- snappy-pages: end -->"

COLUMNS = {
    "lineitem": ["l_partkey", "l_extendedprice", "l_shipdate"],
    "orders": ["o_comment", "o_custkey"],
    "customer": ["c_comment"],
}

# Counts a block's elements (tags), to report time per element; compiled beside the decoder.
COUNTER_C = r"""
#include <stddef.h>
#include <stdint.h>
long bench_snappy_elements(const uint8_t *p, size_t n) {
    size_t i = 0;
    while (i < n && (p[i] & 0x80)) i++;
    i++;
    long count = 0;
    while (i < n) {
        uint32_t tag = p[i++];
        count++;
        switch (tag & 3) {
        case 0: {
            size_t len = (tag >> 2) + 1;
            if (len > 60) {
                size_t bytes = len - 60, v = 0;
                if (i + bytes > n) return -1;
                for (size_t k = 0; k < bytes; k++) v |= (size_t)p[i + k] << (8 * k);
                i += bytes;
                len = v + 1;
            }
            i += len;
            break;
        }
        case 1: i += 1; break;
        case 2: i += 2; break;
        default: i += 4; break;
        }
    }
    return count;
}
"""


class Reader:
    """The Thrift compact protocol, just enough to read page headers (skips what it does not need)."""

    def __init__(self, data, pos):
        self.data = data
        self.pos = pos

    def byte(self):
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self):
        shift = value = 0
        while True:
            b = self.byte()
            value |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return value

    def zigzag(self):
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def skip(self, kind):
        if kind in (1, 2):  # booleans live in the field header
            return
        if kind == 3:
            self.pos += 1
        elif kind in (4, 5, 6):
            self.varint()
        elif kind == 7:
            self.pos += 8
        elif kind == 8:
            self.pos += self.varint()
        elif kind in (9, 10):
            header = self.byte()
            count = header >> 4
            if count == 15:
                count = self.varint()
            for _ in range(count):
                self.skip(header & 0x0F)
        elif kind == 12:
            self.struct(lambda field, kind: self.skip(kind))
        else:
            raise ValueError(f"thrift type {kind}")

    def struct(self, on_field):
        last = 0
        while True:
            header = self.byte()
            if header == 0:
                return
            delta = header >> 4
            field = last + delta if delta else self.zigzag()
            last = field
            on_field(field, header & 0x0F)


def page_header(data, pos):
    """(page type, uncompressed size, compressed size, values, encoding, header end) of the header at pos."""
    reader = Reader(data, pos)
    out = {"values": 0, "encoding": None}

    def inner(field, kind):
        if field == 1 and kind == 5:
            out["values"] = reader.zigzag()
        elif field == 2 and kind == 5:
            out["encoding"] = reader.zigzag()
        else:
            reader.skip(kind)

    def outer(field, kind):
        if field == 1:
            out["type"] = reader.zigzag()
        elif field == 2:
            out["uncompressed"] = reader.zigzag()
        elif field == 3:
            out["compressed"] = reader.zigzag()
        elif field in (5, 7, 8) and kind == 12:
            reader.struct(inner)
        else:
            reader.skip(kind)

    reader.struct(outer)
    return out, reader.pos


def page_kind(header):
    if header["type"] == 2:
        return "dictionary"
    # Encodings: 0 PLAIN, 2 PLAIN_DICTIONARY, 8 RLE_DICTIONARY.
    return "dict indices" if header["encoding"] in (2, 8) else "plain"


def collect_pages(data_dir, limit_groups):
    """{(column, page kind): [(compressed bytes, uncompressed size, values)]} of the snappy pages."""
    groups = {}
    for table, columns in COLUMNS.items():
        path = Path(data_dir) / f"{table}.parquet"
        meta = pq.ParquetFile(path).metadata
        raw = path.read_bytes()
        names = [meta.schema.column(i).name for i in range(meta.num_columns)]
        for column in columns:
            index = names.index(column)
            for rg in range(meta.num_row_groups if limit_groups <= 0 else min(limit_groups, meta.num_row_groups)):
                chunk = meta.row_group(rg).column(index)
                if chunk.compression != "SNAPPY":
                    continue
                start = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
                end = start + chunk.total_compressed_size
                pos = start
                while pos < end:
                    header, body = page_header(raw, pos)
                    block = raw[body:body + header["compressed"]]
                    pos = body + header["compressed"]
                    if header["type"] not in (0, 2, 3):  # data v1, dictionary, data v2
                        continue
                    groups.setdefault((column, page_kind(header)), []).append(
                        (block, header["uncompressed"], header["values"]))
    return groups


def build_library(source, workdir, name):
    c_file = Path(workdir) / f"{name}.c"
    c_file.write_text(source + "\n" + COUNTER_C)
    so = Path(workdir) / f"{name}.so"
    include = ROOT / "Sources/CTributary/include"
    subprocess.run([os.environ.get("CC", "clang"), "-O2", "-fPIC", "-shared", f"-I{include}",
                    "-o", str(so), str(c_file)], check=True)
    lib = ctypes.CDLL(str(so))
    lib.tributary_snappy_decompress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t]
    lib.tributary_snappy_decompress.restype = ctypes.c_int
    lib.bench_snappy_elements.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    lib.bench_snappy_elements.restype = ctypes.c_long
    return lib


def decoders(workdir, baseline):
    """[(name, decode(block, out buffer, size))] in the order they run."""
    result = []
    if baseline:
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{baseline}:Sources/CTributary/snappy_decompress.c"],
                                check=True, capture_output=True, text=True).stdout
        old = build_library(source, workdir, "baseline")
        result.append((f"ours @{baseline}", lambda b, o, n, f=old.tributary_snappy_decompress: f(b, len(b), o, n)))
    lib = build_library((ROOT / "Sources/CTributary/snappy_decompress.c").read_text(), workdir, "current")
    result.append(("ours", lambda b, o, n, f=lib.tributary_snappy_decompress: f(b, len(b), o, n)))
    libsnappy = ctypes.CDLL(ctypes.util.find_library("snappy") or "libsnappy.so.1")
    uncompress = libsnappy.snappy_uncompress
    uncompress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]
    uncompress.restype = ctypes.c_int

    def system(block, out, size, length=ctypes.c_size_t()):
        length.value = size
        return uncompress(block, len(block), out, ctypes.byref(length))

    result.append(("libsnappy", system))
    try:
        import cramjam
        raw_into = cramjam.snappy.decompress_raw_into
        result.append(("cramjam", lambda b, o, n, buf=None: 0 if raw_into(b, o) == n else -1))
    except ImportError:
        pass
    return result, lib


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT / "tests/data/tpch-sf1"))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--row-groups", type=int, default=0, help="only the first N row groups (0: all)")
    parser.add_argument("--baseline", default="", help="also time the decoder of this git revision")
    parser.add_argument("--write", action="store_true", help="rewrite the snappy-pages section of BENCHMARKS.md")
    args = parser.parse_args()

    groups = collect_pages(args.data, args.row_groups)
    with tempfile.TemporaryDirectory() as workdir:
        runners, lib = decoders(workdir, args.baseline)
        rows = []
        for (column, kind), pages in groups.items():
            size_max = max(size for _, size, _ in pages)
            out = ctypes.create_string_buffer(size_max + 64)
            expect = ctypes.create_string_buffer(size_max + 64)
            raw_bytes = sum(size for _, size, _ in pages)
            values = sum(v for _, _, v in pages)
            elements = sum(lib.bench_snappy_elements(b, len(b)) for b, _, _ in pages)
            compressed = sum(len(b) for b, _, _ in pages)
            # Every decoder's output equals libsnappy's on every page.
            system = dict(runners)["libsnappy"]
            for block, size, _ in pages:
                if system(block, expect, size) != 0:
                    sys.exit(f"libsnappy rejects a page of {column}")
                for name, run in runners:
                    ctypes.memset(out, 0, size)
                    if run(block, out, size) != 0 or out.raw[:size] != expect.raw[:size]:
                        sys.exit(f"{name} decodes a page of {column} ({kind}) differently from libsnappy")
            # Per page, the least thread CPU time of `repeat` runs (decoders taking turns, so load
            # changes hit each alike; CPU time leaves out the waits of a shared machine); summed.
            best = {name: 0 for name, _ in runners}
            for block, size, _ in pages:
                page_best = {name: float("inf") for name, _ in runners}
                for _ in range(args.repeat):
                    for name, run in runners:
                        start = time.thread_time_ns()
                        run(block, out, size)
                        page_best[name] = min(page_best[name], time.thread_time_ns() - start)
                for name in best:
                    best[name] += page_best[name]
            rows.append((column, kind, len(pages), raw_bytes, compressed, values, elements, best))
            print(f"{column:16} {kind:12} done", file=sys.stderr)

    names = [name for name, _ in runners]
    header = ("| column | page kind | pages | MB out | bytes/element | "
              + " | ".join(f"{n} MB/s (ns/element)" for n in names) + " | ours vs libsnappy |")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for column, kind, count, raw_bytes, compressed, values, elements, best in rows:
        cells = [f"{raw_bytes / best[n] * 1e3:.0f} ({best[n] / max(elements, 1):.2f})" for n in names]
        ratio = best["libsnappy"] / best["ours"]
        lines.append(f"| {column} | {kind} | {count} | {raw_bytes / 1e6:.1f} | {raw_bytes / max(elements, 1):.1f} | "
                     + " | ".join(cells) + f" | {ratio:.2f}x |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        command = "python bench/snappy_pages.py " + " ".join(sys.argv[1:])
        section = (f"{BEGIN}\n\nSnappy page decompression, one thread, per page the least CPU time of {args.repeat} runs, "
                   f"{time.strftime('%Y-%m-%d')}; `{command.strip()}`. MB/s of decompressed bytes; "
                   "ns per snappy element (tag); load average at the start "
                   f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs. Pages of kind `dict indices` are "
                   "one literal each (bit-packed indices do not compress): the reader takes them in place "
                   "without decompressing, so their rows time a plain copy.\n\n" + table + f"\n\n{END}")
        target = ROOT / "BENCHMARKS.md"
        text = target.read_text()
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n## Snappy page decompression\n\n" + section + "\n"
        target.write_text(text)


if __name__ == "__main__":
    main()
