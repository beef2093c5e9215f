"""The machine's own ceilings, measured in the same run as the brokers.

- Disk: sequential 1 MiB writes, each followed by fdatasync, to a file on the filesystem that
  holds the brokers' data (MB/s); the same writes with a single fdatasync at the end (the
  bandwidth when fsyncs are rare); and 4 KiB write+fdatasync rounds, whose latency bounds what
  any acks=all answer that waits for fsync can reach.
- Loopback TCP: one sender thread and one receiver thread on a 127.0.0.1 socket pair moving
  1 MiB buffers (MB/s). Socket calls release the GIL, so the two threads run in parallel.

Every measurement is bounded in bytes and in time.
"""
from __future__ import annotations

import os
import socket
import statistics
import threading
import time
from pathlib import Path

MIB = 1 << 20


def disk_fsync_write(directory: Path, total_mib: int = 512, limit_s: float = 6.0) -> dict:
    """Sequential 1 MiB pwrite + fdatasync rounds; returns MB/s (10^6 bytes) and round count."""
    path = directory / "ceiling-fsync.bin"
    block = os.urandom(MIB)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    written = 0
    try:
        start = time.perf_counter()
        while written < total_mib * MIB and time.perf_counter() - start < limit_s:
            os.pwrite(fd, block, written)
            os.fdatasync(fd)
            written += MIB
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)
    return {"mb_per_s": written / elapsed / 1e6, "mib_written": written // MIB, "seconds": elapsed}


def disk_buffered_write(directory: Path, total_mib: int = 256, limit_s: float = 6.0) -> dict:
    """Sequential 1 MiB writes through the page cache with one fdatasync at the end: the disk's
    bandwidth when fsyncs are rare (a bound for group commit with large groups)."""
    path = directory / "ceiling-buffered.bin"
    block = os.urandom(MIB)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    written = 0
    try:
        start = time.perf_counter()
        while written < total_mib * MIB and time.perf_counter() - start < limit_s:
            os.pwrite(fd, block, written)
            written += MIB
        os.fdatasync(fd)
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)
    return {"mb_per_s": written / elapsed / 1e6, "mib_written": written // MIB, "seconds": elapsed}


def disk_small_fsync(directory: Path, rounds: int = 2000, limit_s: float = 4.0) -> dict:
    """Appends of 4 KiB, each followed by fdatasync: rounds per second and latency percentiles."""
    path = directory / "ceiling-small-fsync.bin"
    block = os.urandom(4096)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    samples: list[float] = []
    try:
        start = time.perf_counter()
        offset = 0
        while len(samples) < rounds and time.perf_counter() - start < limit_s:
            t0 = time.perf_counter()
            os.pwrite(fd, block, offset)
            os.fdatasync(fd)
            samples.append(time.perf_counter() - t0)
            offset += len(block)
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)
    samples.sort()
    return {
        "rounds_per_s": len(samples) / elapsed,
        "p50_ms": samples[len(samples) // 2] * 1e3,
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1e3,
        "mean_ms": statistics.fmean(samples) * 1e3,
    }


def loopback_tcp(total_mib: int = 8192, limit_s: float = 4.0) -> dict:
    """Bulk transfer over a 127.0.0.1 TCP connection; MB/s (10^6 bytes) seen by the receiver."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    received = [0]
    elapsed = [0.0]
    stop = threading.Event()

    def receive() -> None:
        conn, _ = listener.accept()
        buf = bytearray(MIB)
        view = memoryview(buf)
        start = time.perf_counter()
        with conn:
            while True:
                n = conn.recv_into(view)
                if n == 0:
                    break
                received[0] += n
        elapsed[0] = time.perf_counter() - start

    receiver = threading.Thread(target=receive)
    receiver.start()
    sender = socket.create_connection(("127.0.0.1", port))
    block = os.urandom(MIB)
    start = time.perf_counter()
    sent = 0
    try:
        while sent < total_mib * MIB and time.perf_counter() - start < limit_s and not stop.is_set():
            sender.sendall(block)
            sent += MIB
    finally:
        sender.close()
        receiver.join(timeout=30)
        listener.close()
    return {"mb_per_s": received[0] / max(elapsed[0], 1e-9) / 1e6, "mib_moved": received[0] // MIB}


def measure(directory: Path) -> dict:
    """All machine ceilings; the directory must be on the brokers' data filesystem."""
    directory.mkdir(parents=True, exist_ok=True)
    return {
        "disk_fsync_1mib": disk_fsync_write(directory),
        "disk_buffered_1mib": disk_buffered_write(directory),
        "disk_fsync_4kib": disk_small_fsync(directory),
        "loopback_tcp": loopback_tcp(),
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(measure(Path(sys.argv[1] if len(sys.argv) > 1 else ".")), indent=2))
