"""Group timings against Tributary and the peer brokers the benchmarks use (Tansu, noida-db).

Usage: group_timing.py TRIBUTARY_BINARY [WORK_DIR]

For each broker: the time from a fresh confluent-kafka group consumer's start to its first message
(librdkafka defaults), and the time for three members to finish a full rebalance after a fourth
leaves (LeaveGroup). Tributary runs with its default settings (group.initial.rebalance.delay.ms
included). Every wait is bounded; every broker is stopped by PID. Prints a Markdown table.
"""
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(Path(__file__).parent))

import brokers  # noqa: E402
from confluent_kafka import Consumer, Producer  # noqa: E402
from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402

from test_groups import Worker, balanced  # noqa: E402

TIMEOUT_S = 60


def create(bootstrap, topic, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])[topic].result(timeout=30)
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
    for i in range(60):
        p.produce(topic, key=str(i).encode(), value=f"m{i}".encode())
    p.flush(30)


def first_message_s(bootstrap, topic, group):
    start = time.monotonic()
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest"})
    c.subscribe([topic])
    try:
        while time.monotonic() - start < TIMEOUT_S:
            m = c.poll(0.05)
            if m is not None and not m.error():
                return time.monotonic() - start
        return None
    finally:
        c.close()


def rebalance_s(bootstrap, topic, group, out_dir):
    b = type("B", (), {"bootstrap": bootstrap})
    ws = [Worker(b, topic, group, out_dir, f"{group}-{i}") for i in range(4)]
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            held = [w.assignment() for w in ws]
            if all(held) and sum(map(len, held)) == 6:
                break
            time.sleep(0.1)
        else:
            return None
        time.sleep(1)
        start = time.monotonic()
        ws[3].stop()
        while time.monotonic() - start < TIMEOUT_S:
            if balanced(ws[:3], 6, 2):
                return time.monotonic() - start
            time.sleep(0.05)
        return None
    finally:
        for w in ws:
            w.stop()


def main():
    binary = Path(sys.argv[1])
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="group-timing-"))
    def tributary_without_delay():
        b = brokers.tributary(binary, work / "tributary-0")
        b.command += ["--override", "group.initial.rebalance.delay.ms=0"]
        return b

    candidates = [("tributary", lambda: brokers.tributary(binary, work / "tributary")),
                  ("tributary, group.initial.rebalance.delay.ms=0", tributary_without_delay)]
    if brokers.tansu_binary():
        candidates.append(("tansu", lambda: brokers.tansu(brokers.tansu_binary(), work / "tansu")))
    if brokers.noida_binary():
        candidates.append(("noida-db", lambda: brokers.noida(brokers.noida_binary(), work / "noida")))
    rows = []
    for name, make in candidates:
        b = make().start()
        out = work / f"{name}-workers"
        out.mkdir(parents=True, exist_ok=True)
        try:
            create(b.bootstrap, "timing", 6)
            ttfm = first_message_s(b.bootstrap, "timing", "g-first")
            rb = rebalance_s(b.bootstrap, "timing", "g-rebalance", out)
        except Exception as e:  # a peer that lacks a feature gets a note, not a crash
            ttfm, rb = None, None
            print(f"{name}: {e}", file=sys.stderr)
        finally:
            b.stop()
        fmt = lambda s: "timed out / failed" if s is None else f"{s * 1000:.0f} ms"
        rows.append((name, fmt(ttfm), fmt(rb)))
    print("| broker | consumer start → first message | full rebalance, 3 members after a LeaveGroup |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
