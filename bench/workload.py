"""The client side of the broker benchmark, on confluent-kafka (librdkafka).

- Throughput: one producer pushes N records of a fixed size as fast as it can (batching on,
  linger a few ms), then one consumer reads them all back from offset 0.
- Latency: a producer sends at a fixed rate (a fraction of the measured peak) records whose
  first 16 bytes carry a sequence number and the send time (CLOCK_MONOTONIC, shared by all
  processes of the machine); a consumer in its own process (so the two do not share a GIL)
  records receive time minus send time for every record.

Every phase is bounded by a record count and by a time limit; a phase that hits its time limit
says so in its result instead of waiting longer.
"""
from __future__ import annotations

import argparse
import json
import struct
import subprocess
import sys
import time
from array import array
from pathlib import Path

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

HEADER = struct.Struct("<qq")  # sequence number, send time in ns
# librdkafka refuses responses over receive.message.max.bytes (100 MB by default). noida-db answers
# a fetch with the whole partition, ignoring fetch.max.bytes, so every consumer here accepts up to
# 1 GB; brokers that honour fetch.max.bytes (50 MB by default) are not affected.
RECEIVE_MAX_BYTES = 1_000_000_000
# How long a consumer's fetch may wait at the broker for data (librdkafka's default is 500 ms).
FETCH_WAIT_MAX_MS = 100
END_MARK = -1  # sequence number of the record that closes a latency run on each partition


def create_topic(bootstrap: str, topic: str, partitions: int, timeout_s: float = 20.0) -> None:
    """Creates a topic with replication factor 1, waiting until the broker has it."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)],
                                  operation_timeout=timeout_s, request_timeout=timeout_s)
    futures[topic].result(timeout=timeout_s)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        meta = admin.list_topics(topic=topic, timeout=5)
        t = meta.topics.get(topic)
        if t is not None and t.error is None and len(t.partitions) == partitions:
            return
        time.sleep(0.1)
    raise TimeoutError(f"topic {topic} did not appear with {partitions} partitions within {timeout_s:.0f}s")


def delete_topic(bootstrap: str, topic: str, timeout_s: float = 20.0) -> bool:
    """Deletes a topic; says whether the broker confirmed it (a peer may not support it)."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    try:
        admin.delete_topics([topic], operation_timeout=timeout_s, request_timeout=timeout_s)[topic].result(timeout_s)
        return True
    except Exception:  # noqa: BLE001 - deletion only frees memory; the run goes on without it
        return False


def produce_throughput(bootstrap: str, topic: str, size: int, acks: str, count: int, limit_s: float,
                       linger_ms: int) -> dict:
    """Sends `count` records of `size` bytes as fast as the client can; waits for every ack."""
    errors: list[str] = []
    errors_count = [0]

    def on_error(err, _msg) -> None:
        # delivery.report.only.error: this runs only for records that failed.
        if len(errors) < 5:
            errors.append(str(err))
        errors_count[0] += 1

    producer = Producer({
        "bootstrap.servers": bootstrap,
        "acks": acks,
        "linger.ms": linger_ms,
        "queue.buffering.max.messages": 1_000_000,
        "queue.buffering.max.kbytes": 1_048_576,
        "delivery.report.only.error": True,
        "message.timeout.ms": int(limit_s * 1000) + 10_000,
        "on_delivery": on_error,
    })
    value = bytes((i * 31 + 7) & 0xFF for i in range(size))
    # One record first, so metadata lookup and connection setup are not timed.
    producer.produce(topic, value)
    producer.flush(20)
    produce = producer.produce
    poll = producer.poll
    sent = 0
    timed_out = False
    start = time.perf_counter()
    deadline = start + limit_s
    while sent < count:
        try:
            produce(topic, value)
            sent += 1
        except BufferError:
            poll(0.002)
            if time.perf_counter() > deadline:
                timed_out = True
                break
            continue
        if sent & 1023 == 0:
            poll(0)
            if time.perf_counter() > deadline:
                timed_out = True
                break
    unacked = producer.flush(max(1.0, deadline + 10 - time.perf_counter()))
    elapsed = time.perf_counter() - start
    acked = sent - unacked - errors_count[0]
    return {
        "records": acked,
        "sent": sent,
        "errors": errors_count[0] + unacked,
        "error_samples": errors,
        "seconds": elapsed,
        "msgs_per_s": acked / elapsed,
        "mb_per_s": acked * size / elapsed / 1e6,
        "timed_out": timed_out,
        "stored_total": sent + 1,  # the warm-up record is in the topic too
    }


def consume_throughput(bootstrap: str, topic: str, partitions: int, expected: int, size: int,
                       limit_s: float) -> dict:
    """Reads the topic from offset 0 until `expected` records arrived or the time limit passed."""
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": f"bench-{topic}",
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "fetch.wait.max.ms": FETCH_WAIT_MAX_MS,
        "receive.message.max.bytes": RECEIVE_MAX_BYTES,
    })
    records = 0
    byte_count = 0
    errors: list[str] = []
    start = time.perf_counter()
    deadline = start + limit_s
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
    try:
        while records < expected and time.perf_counter() < deadline:
            # Ask for no more than what is still missing: consume() waits until it has as many
            # records as asked for (or the timeout), which would add idle time at the end.
            for m in consumer.consume(min(10_000, expected - records), 0.2):
                if m.error():
                    if len(errors) < 5:
                        errors.append(str(m.error()))
                    continue
                records += 1
                byte_count += len(m.value())
    finally:
        elapsed = time.perf_counter() - start
        consumer.close()
    return {
        "records": records,
        "bytes_ok": byte_count == records * size,
        "errors": errors,
        "seconds": elapsed,
        "msgs_per_s": records / elapsed,
        "mb_per_s": byte_count / elapsed / 1e6,
        "timed_out": records < expected,
    }


def percentile(sorted_values: array, q: float) -> float:
    """Nearest-rank percentile of sorted nanoseconds, in milliseconds."""
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(round(q * len(sorted_values))) - 1))
    return sorted_values[index] / 1e6


def latency_consumer_main(args: argparse.Namespace) -> None:
    """Consumer process of a latency run: prints one JSON line with the latency percentiles."""
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": f"bench-{args.topic}",
        "enable.auto.commit": False,
        "fetch.wait.max.ms": FETCH_WAIT_MAX_MS,
        "fetch.min.bytes": 1,
        "receive.message.max.bytes": RECEIVE_MAX_BYTES,
    })
    consumer.assign([TopicPartition(args.topic, p, OFFSET_BEGINNING) for p in range(args.partitions)])
    print("ready", flush=True)
    latencies = array("q")
    ended: set[int] = set()
    received = 0
    deadline = time.monotonic() + args.limit_s
    unpack = HEADER.unpack_from
    now_ns = time.monotonic_ns
    while len(ended) < args.partitions and time.monotonic() < deadline:
        # consume(n, 0) returns at once with what is already fetched; when nothing is,
        # poll waits for exactly one record, so no receive time is held back by a batch timeout.
        batch = consumer.consume(10_000, 0)
        if not batch:
            one = consumer.poll(0.05)
            batch = [one] if one is not None else []
        received_at = now_ns()
        for m in batch:
            if m.error():
                continue
            seq, sent_at = unpack(m.value())
            if seq == END_MARK:
                ended.add(m.partition())
                continue
            received += 1
            if seq >= args.skip:
                latencies.append(received_at - sent_at)
    consumer.close()
    ordered = array("q", sorted(latencies))
    print(json.dumps({
        "received": received,
        "measured": len(ordered),
        "complete": len(ended) == args.partitions,
        "p50_ms": percentile(ordered, 0.50),
        "p99_ms": percentile(ordered, 0.99),
        "p999_ms": percentile(ordered, 0.999),
        "max_ms": ordered[-1] / 1e6 if ordered else float("nan"),
    }), flush=True)


def latency_run(bootstrap: str, topic: str, partitions: int, size: int, acks: str, rate: float,
                duration_s: float, warmup_s: float, linger_ms: int) -> dict:
    """Sends at `rate` records/s for `duration_s`; the consumer process measures end-to-end latency."""
    skip = int(rate * warmup_s)
    consumer = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "latency-consumer", "--bootstrap", bootstrap,
         "--topic", topic, "--partitions", str(partitions), "--skip", str(skip),
         "--limit-s", str(duration_s + 30)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = consumer.stdout.readline().strip()
        if first != "ready":
            raise RuntimeError(f"latency consumer did not start: {first!r} {consumer.stderr.read()[:2000]}")
        errors_count = [0]

        def on_error(_err, _msg) -> None:
            errors_count[0] += 1

        producer = Producer({
            "bootstrap.servers": bootstrap,
            "acks": acks,
            "linger.ms": linger_ms,
            "delivery.report.only.error": True,
            "on_delivery": on_error,
        })
        producer.list_topics(topic, timeout=10)  # metadata before the clock starts
        padding = bytes(max(0, size - HEADER.size))
        pack = HEADER.pack
        now_ns = time.monotonic_ns
        produce = producer.produce
        total = int(rate * duration_s)
        sent = 0
        start = now_ns()
        end = start + int(duration_s * 1e9)
        while sent < total:
            now = now_ns()
            if now >= end + 5_000_000_000:  # the client cannot keep the rate: stop, say so below
                break
            due = min(total, int((now - start) * rate / 1e9) + 1)
            while sent < due:
                try:
                    produce(topic, pack(sent, now_ns()) + padding)
                    sent += 1
                except BufferError:
                    producer.poll(0.001)
            producer.poll(0)
            time.sleep(0.0002)
        elapsed = (now_ns() - start) / 1e9
        for p in range(partitions):
            produce(topic, pack(END_MARK, now_ns()) + padding, partition=p)
        unacked = producer.flush(30)
        out, err = consumer.communicate(timeout=duration_s + 60)
    finally:
        if consumer.poll() is None:
            consumer.kill()
            consumer.wait()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"latency consumer gave no result: {err[-2000:]}")
    result = json.loads(lines[-1])
    result.update({
        "target_rate": rate,
        "achieved_rate": sent / elapsed,
        "sent": sent,
        "producer_errors": errors_count[0] + unacked,
    })
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    lc = sub.add_parser("latency-consumer", help="the consumer process of a latency run")
    lc.add_argument("--bootstrap", required=True)
    lc.add_argument("--topic", required=True)
    lc.add_argument("--partitions", type=int, default=1)
    lc.add_argument("--skip", type=int, default=0, help="records at the start not measured (warm-up)")
    lc.add_argument("--limit-s", type=float, default=60.0)
    args = parser.parse_args()
    if args.command == "latency-consumer":
        try:
            latency_consumer_main(args)
        except KafkaException as e:
            print(json.dumps({"error": str(e)}), flush=True)
            sys.exit(1)


if __name__ == "__main__":
    main()
