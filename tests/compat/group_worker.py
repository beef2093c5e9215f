"""A confluent-kafka group consumer run as its own process, so a test can kill it without a LeaveGroup.

Usage: group_worker.py BOOTSTRAP TOPIC GROUP OUT_FILE STRATEGY [INSTANCE_ID]

Each processed message is appended to OUT_FILE as "partition offset", flushed, and then committed
synchronously: a message is committed only after it is recorded. Assignment changes are appended as
"assigned p,p,..." / "revoked p,p,...". The worker stops after 300 s at the latest.
"""
import signal
import sys
import time

from confluent_kafka import Consumer


def main() -> None:
    bootstrap, topic, group, out_path, strategy = sys.argv[1:6]
    instance = sys.argv[6] if len(sys.argv) > 6 else None
    conf = {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 500,
        "partition.assignment.strategy": strategy,
    }
    if instance:
        conf["group.instance.id"] = instance
    out = open(out_path, "a", buffering=1)

    def on_assign(consumer, partitions):
        out.write("assigned " + ",".join(str(p.partition) for p in partitions) + "\n")

    def on_revoke(consumer, partitions):
        out.write("revoked " + ",".join(str(p.partition) for p in partitions) + "\n")

    c = Consumer(conf)
    c.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
    stopping = []
    # SIGTERM closes the consumer properly (LeaveGroup); SIGKILL is the ungraceful death.
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not stopping:
        m = c.poll(0.2)
        if m is None or m.error():
            continue
        out.write(f"{m.partition()} {m.offset()}\n")
        try:
            c.commit(message=m, asynchronous=False)
        except Exception as e:  # e.g. REBALANCE_IN_PROGRESS: the message may be processed again
            out.write(f"commitfail {m.partition()} {m.offset()} {e}\n")
    c.close()


if __name__ == "__main__":
    main()
