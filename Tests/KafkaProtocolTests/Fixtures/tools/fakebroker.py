"""A tiny fake Kafka broker that records every request frame a client sends.

It answers ApiVersions, Metadata, Produce and InitProducerId just well enough for a client to
produce one batch, and stores each distinct (api, version) request frame (without the size prefix).
Usage: fakebroker.py OUTDIR LABEL  -> prints the port, serves until killed.
"""
import os, socket, struct, sys, threading

OUT, LABEL = sys.argv[1], sys.argv[2]
NAMES = {19: "createtopics", 20: "deletetopics", 21: "deleterecords", 32: "describeconfigs", 33: "alterconfigs",
         37: "createpartitions", 42: "deletegroups", 44: "incrementalalterconfigs", 47: "offsetdelete",
         15: "describegroups", 16: "listgroups", 12: "heartbeat", 13: "leavegroup", 14: "syncgroup", 23: "offsetforleaderepoch",
         0: "produce", 1: "fetch", 2: "listoffsets", 3: "metadata", 18: "apiversions", 22: "initproducerid",
         10: "findcoordinator", 11: "joingroup", 8: "offsetcommit", 9: "offsetfetch", 19: "createtopics", 60: "describecluster"}
SERVED = {19: (0, 7), 20: (0, 6), 21: (0, 2), 32: (0, 4), 33: (0, 2), 37: (0, 3), 42: (0, 2), 44: (0, 1), 47: (0, 0), 15: (0, 5), 16: (0, 5), 13: (0, 5), 14: (0, 5), 12: (0, 4), 23: (0, 4), 60: (0, 1), 10: (0, 5), 11: (0, 9), 12: (0, 4), 8: (0, 9), 9: (0, 9), 0: (3, 11), 1: (4, 16), 2: (0, 8), 3: (0, 12), 18: (0, 4), 22: (0, 5)}
FLEX = {10: 3, 11: 6, 12: 4, 8: 8, 9: 6, 0: 9, 1: 12, 2: 6, 3: 9, 18: 3, 22: 2}

class W:
    def __init__(s, flex): s.b = bytearray(); s.flex = flex
    def i8(s, v): s.b += struct.pack(">b", v); return s
    def i16(s, v): s.b += struct.pack(">h", v); return s
    def i32(s, v): s.b += struct.pack(">i", v); return s
    def i64(s, v): s.b += struct.pack(">q", v); return s
    def uv(s, v):
        while v >= 0x80: s.b.append((v & 0x7F) | 0x80); v >>= 7
        s.b.append(v); return s
    def str(s, v):
        if v is None:
            return s.uv(0) if s.flex else s.i16(-1)
        e = v.encode()
        (s.uv(len(e) + 1) if s.flex else s.i16(len(e))); s.b += e; return s
    def arr(s, n): return s.uv(n + 1) if s.flex else s.i32(n)
    def tags(s): return s.uv(0) if s.flex else s

def read_exact(c, n):
    b = b""
    while len(b) < n:
        x = c.recv(n - len(b))
        if not x: raise EOFError
        b += x
    return b

def handle(c, port):
    seen = set()
    try:
        while True:
            size = struct.unpack(">i", read_exact(c, 4))[0]
            frame = read_exact(c, size)
            key, ver, corr = struct.unpack(">hhi", frame[:8])
            name = NAMES.get(key, f"api{key}")
            fn = os.path.join(OUT, f"{name}_request_v{ver}_{LABEL}.bin")
            if not os.path.exists(fn):
                open(fn, "wb").write(frame)
            # Parse the topic name out of Produce requests only through fixtures, not here.
            flex = key in FLEX and ver >= FLEX[key]
            hdr = W(flex and key != 18).i32(corr).tags().b
            w = W(flex)
            if key == 18:
                if ver > 4:
                    w = W(False); w.i16(35).i32(1).i16(18).i16(0).i16(4)
                else:
                    w.i16(0).arr(len(SERVED))
                    for k, (lo, hi) in sorted(SERVED.items()):
                        w.i16(k).i16(lo).i16(hi).tags()
                    if ver >= 1: w.i32(0)
                    w.tags()
            elif key == 3:
                if ver >= 3: w.i32(0)
                w.arr(1).i32(0).str("127.0.0.1").i32(port)
                if ver >= 1: w.str(None)
                w.tags()
                if ver >= 2: w.str("golden-cluster")
                if ver >= 1: w.i32(0)
                w.arr(1).i16(0).str("golden")
                if ver >= 10: w.b += b"\x11" * 16
                if ver >= 1: w.i8(0)
                w.arr(1).i16(0).i32(0).i32(0)
                if ver >= 7: w.i32(0)
                w.arr(1).i32(0).arr(1).i32(0)
                if ver >= 5: w.arr(0)
                w.tags()
                if ver >= 8: w.i32(-2147483648)
                w.tags()
                if 8 <= ver <= 10: w.i32(-2147483648)
                w.tags()
            elif key == 22:
                w.i32(0).i16(0).i64(1000).i16(0).tags()
            elif key == 0:
                # Answer partition 0 of "golden" (what every client here produces to).
                w.arr(1).str("golden").arr(1).i32(0).i16(0).i64(0)
                if ver >= 2: w.i64(-1)
                if ver >= 5: w.i64(0)
                if ver >= 8: w.arr(0).str(None)
                w.tags(); w.tags()
                if ver >= 1: w.i32(0)
                w.tags()
            elif key == 2:
                if ver >= 2: w.i32(0)
                w.arr(1).str("golden").arr(1).i32(0).i16(0)
                if ver == 0: w.arr(1).i64(0)
                else: w.i64(-1).i64(0)
                if ver >= 4: w.i32(0)
                w.tags(); w.tags(); w.tags()
            elif key == 1:
                if ver >= 1: w.i32(0)
                if ver >= 7: w.i16(0).i32(0)
                w.arr(1)
                if ver >= 13: w.b += b"\x11" * 16
                else: w.str("golden")
                w.arr(1).i32(0).i16(0).i64(0)
                if ver >= 4: w.i64(0)
                if ver >= 5: w.i64(0)
                if ver >= 4: (w.uv(0) if w.flex else w.i32(-1))
                if ver >= 11: w.i32(-1)
                (w.uv(0) if w.flex else w.i32(-1))
                w.tags(); w.tags(); w.tags()
            elif key == 10:
                if ver >= 1: w.i32(0)
                if ver <= 3:
                    w.i16(0)
                    if ver >= 1: w.str(None)
                    w.i32(0).str("127.0.0.1").i32(port)
                else:
                    w.arr(1).str("g").i32(0).str("127.0.0.1").i32(port).i16(0).str(None).tags()
                w.tags()
            else:
                return
            body = hdr + w.b
            c.sendall(struct.pack(">i", len(body)) + body)
    except (EOFError, ConnectionResetError, BrokenPipeError):
        pass
    finally:
        c.close()

s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(16)
port = s.getsockname()[1]
print(port, flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=handle, args=(c, port), daemon=True).start()
