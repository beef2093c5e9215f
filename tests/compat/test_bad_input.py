"""Garbage, truncated and oversized frames never take the broker down; it keeps serving others."""
import random
import socket
import struct
import subprocess

from conftest import run


def send(port, payload: bytes, read=True):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(payload)
        if read:
            s.settimeout(1.0)
            try:
                return s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                return b""
    return b""


def api_versions_frame(version: int, correlation: int = 7) -> bytes:
    client = b"probe"
    body = struct.pack(">hhih", 18, version, correlation, len(client)) + client
    if version >= 3:
        body += b"\x00" + b"\x06probe" + b"\x021" + b"\x00"  # header tags, software name/version, body tags
    return struct.pack(">i", len(body)) + body


def test_api_versions_unsupported_version_answers_in_v0(broker):
    reply = send(broker.port, api_versions_frame(99))
    size, correlation, error = struct.unpack(">iih", reply[:10])
    assert correlation == 7 and error == 35  # UNSUPPORTED_VERSION, with the v0 layout


def test_garbage_and_truncated_frames(broker):
    rng = random.Random(1234)
    print("seed 1234")
    good = api_versions_frame(3)
    for i in range(300):
        kind = i % 5
        if kind == 0:
            payload = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200)))
        elif kind == 1:
            payload = good[: rng.randint(1, len(good) - 1)]  # truncated
        elif kind == 2:
            body = bytearray(good[4:])
            for _ in range(rng.randint(1, 6)):
                body[rng.randrange(len(body))] = rng.getrandbits(8)
            payload = struct.pack(">i", len(body)) + bytes(body)
        elif kind == 3:
            payload = struct.pack(">i", 0x7FFFFFFF) + b"x" * 10  # huge declared size
        else:
            payload = struct.pack(">i", -5)  # negative size
        send(broker.port, payload, read=(i % 10 == 0))
    assert broker.alive(), "the broker died on bad input"
    out = run(["kcat", "-b", broker.bootstrap, "-L"]).stdout.decode()
    assert "1 brokers" in out
    # A real produce and consume still work.
    run(["kcat", "-b", broker.bootstrap, "-P", "-t", "after-garbage"], input=b"still here\n")
    out = run(["kcat", "-b", broker.bootstrap, "-C", "-t", "after-garbage", "-e", "-q"]).stdout
    assert out == b"still here\n"


def test_corrupt_batch_is_refused_and_nothing_stored(broker):
    from confluent_kafka import Consumer, TopicPartition
    # Build a Produce v3 request by hand with a record batch whose CRC is wrong.
    topic = b"corrupt"
    run(["kcat", "-b", broker.bootstrap, "-P", "-t", "corrupt"], input=b"ok\n")
    record = b"\x00" + b"\x00" + b"\x00" + b"\x01" + b"\x02" + b"\x06bad" + b"\x00"
    rec = bytes([len(record) * 2]) + record
    batch_after_crc = struct.pack(">hiqqqhii", 0, 0, 0, 0, -1, -1, -1, 1) + rec
    batch = struct.pack(">qiib", 0, 9 + len(batch_after_crc) - 0 + 0, 0, 2)
    batch_len = 4 + 1 + 4 + len(batch_after_crc)
    batch = struct.pack(">qiib", 0, batch_len, 0, 2) + struct.pack(">I", 0xDEADBEEF) + batch_after_crc
    body = struct.pack(">hhih", 0, 3, 11, 5) + b"probe" + struct.pack(">h", -1) + struct.pack(">hi", 1, 5000)
    body += struct.pack(">ih", 1, len(topic)) + topic + struct.pack(">ii", 1, 0) + struct.pack(">i", len(batch)) + batch
    reply = send(broker.port, struct.pack(">i", len(body)) + body)
    # responses[1]{name, partitions[1]{index, error_code ...}}
    assert reply, "a corrupt batch deserves an answer, not a closed connection"
    name_len = struct.unpack(">h", reply[12:14])[0]
    offset = 14 + name_len + 4
    _, error = struct.unpack(">ih", reply[offset:offset + 6])
    assert error == 2  # CORRUPT_MESSAGE
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "x"})
    low, high = c.get_watermark_offsets(TopicPartition("corrupt", 0), timeout=10, cached=False)
    c.close()
    assert (low, high) == (0, 1)
