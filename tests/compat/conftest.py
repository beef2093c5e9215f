"""Shared fixtures: the real `tributary` binary started on 127.0.0.1 with a fresh data directory.

Every broker a test starts is stopped by its PID when the test ends. The binary is
`$TRIBUTARY_BIN` or the debug build under `.build/`.
"""
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Resolved once: some tests run the binary from another working directory.
BIN = Path(os.environ.get("TRIBUTARY_BIN", ROOT / ".build" / "debug" / "tributary")).resolve()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"broker did not listen on port {port} within {timeout}s")


class BrokerProcess:
    """A broker process on 127.0.0.1 that a test can stop, kill and start again on the same data."""

    def __init__(self, data_dir: Path, overrides: dict[str, str] | None = None):
        self.data_dir = data_dir
        self.port = free_port()
        self.overrides = overrides or {}
        self.proc: subprocess.Popen | None = None
        self.log_path = data_dir.parent / f"broker-{self.port}.log"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "BrokerProcess":
        assert BIN.exists(), f"build the broker first: {BIN} is missing"
        args = [str(BIN), "serve", "--listeners", f"PLAINTEXT://127.0.0.1:{self.port}", "--data-dir", str(self.data_dir)]
        for k, v in self.overrides.items():
            args += ["--override", f"{k}={v}"]
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_port(self.port)
        return self

    def stop(self, sig=signal.SIGTERM, timeout: float = 20.0) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
        self.proc = None
        self.log.close()

    def kill9(self) -> None:
        self.stop(sig=signal.SIGKILL)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def broker_factory(tmp_path):
    started: list[BrokerProcess] = []

    def make(overrides: dict[str, str] | None = None) -> BrokerProcess:
        b = BrokerProcess(tmp_path / f"data{len(started)}", overrides)
        started.append(b)
        return b.start()

    yield make
    for b in started:
        b.stop(sig=signal.SIGKILL)


@pytest.fixture
def broker(broker_factory) -> BrokerProcess:
    return broker_factory()


def run(cmd: list[str], input: bytes | None = None, timeout: float = 120.0) -> subprocess.CompletedProcess:
    """Runs a client command with a time limit, failing the test with its output on error."""
    result = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stderr.decode(errors='replace')}")
    return result


def read_to_end(bootstrap: str, topic: str, partitions: int, timeout: float = 60.0) -> list:
    """Reads every partition of `topic` from offset 0 to its end with a confluent-kafka consumer in
    assign mode; returns the messages and asserts that every partition's end was reached."""
    from confluent_kafka import Consumer, TopicPartition

    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "read-to-end", "enable.auto.commit": False,
                  "enable.partition.eof": True})
    c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    got, eof = [], set()
    deadline = time.monotonic() + timeout
    while len(eof) < partitions and time.monotonic() < deadline:
        m = c.poll(0.5)
        if m is None:
            continue
        if m.error():
            if m.error().code() == -191:  # _PARTITION_EOF
                eof.add(m.partition())
                continue
            raise AssertionError(m.error())
        got.append(m)
    c.close()
    assert len(eof) == partitions, f"reached the end of {len(eof)} of {partitions} partitions"
    return got
