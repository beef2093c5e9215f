"""The Swift client (through the CLI) against other Kafka-compatible brokers: Tansu and noida-db,
the peers the benchmarks use. A topic is created, keyed records go in, every record comes back,
and a group's committed offsets are shown by `group describe`."""
import sys

import pytest

from conftest import BIN, ROOT, run

sys.path.insert(0, str(ROOT / "bench"))
import brokers  # noqa: E402

N = 1000


def cli(peer, *args, input: bytes | None = None) -> str:
    return run([str(BIN), *args, "--brokers", peer.bootstrap], input=input, timeout=120).stdout.decode()


@pytest.mark.parametrize("name", ["tansu", "noida-db"])
def test_cli_round_trip_and_group_offsets_on_a_peer(name, tmp_path):
    binary = brokers.tansu_binary() if name == "tansu" else brokers.noida_binary()
    if binary is None:
        pytest.skip(f"{name} is not installed in this environment")
    make = brokers.tansu if name == "tansu" else brokers.noida
    peer = make(binary, tmp_path).start()
    try:
        assert "OK" in cli(peer, "topic", "create", "peer-topic", "-p", "3")
        cli(peer, "produce", "peer-topic", "-k", ":", input="".join(f"k{i}:v{i}\n" for i in range(N)).encode())
        out = cli(peer, "consume", "peer-topic", "-o", "beginning", "-n", str(N), "-f", "%k=%s\\n")
        assert sorted(out.split()) == sorted(f"k{i}=v{i}" for i in range(N))

        grouped = cli(peer, "consume", "peer-topic", "--group", "peer-group", "-o", "beginning", "-n", str(N))
        assert len(grouped.split()) == N
        described = cli(peer, "group", "describe", "peer-group")
        rows = [line.split() for line in described.splitlines() if line.startswith("peer-topic ")]
        assert sorted(int(r[1]) for r in rows) == [0, 1, 2]
        assert sum(int(r[2]) for r in rows) == N  # committed offsets cover every record
    finally:
        peer.stop()
