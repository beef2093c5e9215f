#!/usr/bin/env bash
# Re-captures the request fixtures: runs each client against tools/fakebroker.py, which stores the
# first frame of every (api, version) a client sends. Usage: capture_clients.sh OUTDIR (needs kcat and
# the project venv with confluent-kafka, kafka-python, aiokafka).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$1
PY=${PYTHON:-.venv/bin/python}
run() {
  label=$1; shift
  python3 "$HERE/fakebroker.py" "$OUT" $label > "$OUT/.port" &
  pid=$!
  sleep 1
  P=$(cat "$OUT/.port")
  timeout 12 "$@" $P > /dev/null 2>&1
  kill $pid
}
kcat_list() { kcat -b 127.0.0.1:$1 -L; }
kcat_produce() { echo hello | kcat -P -b 127.0.0.1:$1 -t golden -k k1 -H h1=v1; }
run kcat kcat_list
run kcat kcat_produce
run confluent $PY -c '
import sys
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": "127.0.0.1:" + sys.argv[1], "client.id": "golden-confluent", "linger.ms": 0})
p.produce("golden", key=b"k1", value=b"hello", headers=[("h1", b"v1")], partition=0)
print("flush left", p.flush(8))
'
run kafkapython $PY -c '
import sys
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers="127.0.0.1:" + sys.argv[1], client_id="golden-kafka-python", request_timeout_ms=5000, max_block_ms=5000)
f = p.send("golden", key=b"k1", value=b"hello", headers=[("h1", b"v1")], partition=0)
print(f.get(timeout=8))
p.close(timeout=2)
'
run aiokafka $PY -c '
import sys, asyncio
from aiokafka import AIOKafkaProducer
async def main():
    p = AIOKafkaProducer(bootstrap_servers="127.0.0.1:" + sys.argv[1], client_id="golden-aiokafka", request_timeout_ms=5000)
    await p.start()
    try:
        print(await p.send_and_wait("golden", key=b"k1", value=b"hello", headers=[("h1", b"v1")], partition=0))
    finally:
        await p.stop()
asyncio.run(main())
'
kc() { timeout 10 kcat -C -b 127.0.0.1:$1 -t golden -p 0 -o beginning -e; }
run kcat kc
run confluent $PY -c '
import sys
from confluent_kafka import Consumer, TopicPartition
c = Consumer({"bootstrap.servers": "127.0.0.1:" + sys.argv[1], "group.id": "g", "client.id": "golden-confluent", "enable.partition.eof": True, "auto.offset.reset": "earliest"})
c.assign([TopicPartition("golden", 0, -2)])
for _ in range(3):
    m = c.poll(2)
    print(m and (m.error() or m.value()))
c.close()
'
run confluent timeout 8 $PY -c '
import sys
from confluent_kafka import Consumer
c = Consumer({"bootstrap.servers": "127.0.0.1:" + sys.argv[1], "group.id": "g", "client.id": "golden-confluent"})
c.subscribe(["golden"])
for _ in range(3): c.poll(1.5)
'
run kafkapython timeout 8 $PY -c '
import sys
from kafka import KafkaConsumer
c = KafkaConsumer("golden", bootstrap_servers="127.0.0.1:" + sys.argv[1], group_id="g", client_id="golden-kafka-python")
c.poll(5000)
'
run aiokafka timeout 8 $PY -c '
import sys, asyncio
from aiokafka import AIOKafkaConsumer
async def main():
    c = AIOKafkaConsumer("golden", bootstrap_servers="127.0.0.1:" + sys.argv[1], group_id="g", client_id="golden-aiokafka")
    await c.start()
    await asyncio.sleep(4)
asyncio.run(main())
'
KP='
import sys
from kafka.admin import KafkaAdminClient, NewTopic, NewPartitions, ConfigResource, ConfigResourceType
from kafka.structs import TopicPartition
a = KafkaAdminClient(bootstrap_servers="127.0.0.1:" + sys.argv[2], client_id="golden-kafka-python", request_timeout_ms=3000)
op = sys.argv[1]
if op == "create": a.create_topics([NewTopic("t1", 3, 1, topic_configs={"retention.ms": "1000"})])
if op == "delete": a.delete_topics(["t1"])
if op == "configs": a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, "golden")])
if op == "alter": a.alter_configs([ConfigResource(ConfigResourceType.TOPIC, "golden", configs={"retention.ms": "5000"})])
if op == "partitions": a.create_partitions({"golden": NewPartitions(4)})
if op == "listgroups": a.list_groups()
if op == "cluster": a.describe_cluster()
if op == "deletegroupoffsets": a.delete_group_offsets("g", [TopicPartition("golden", 0)])
if op == "deletegroups": a.delete_groups(["g"])
if op == "offsets": a.list_group_offsets("g")
if op == "deleterecords": a.delete_records({TopicPartition("golden", 0): 5})
if op == "describegroups": a.describe_groups(["g"])
'
for op in create delete configs alter partitions listgroups deletegroups offsets deleterecords describegroups cluster deletegroupoffsets; do
  run kafkapython $PY -c "$KP" $op
done
CK='
import sys
from confluent_kafka.admin import AdminClient, NewTopic, NewPartitions, ConfigResource, ConfigEntry, AlterConfigOpType
a = AdminClient({"bootstrap.servers": "127.0.0.1:" + sys.argv[2], "client.id": "golden-confluent"})
op = sys.argv[1]
fs = None
if op == "create": fs = a.create_topics([NewTopic("t1", 3, 1, config={"retention.ms": "1000"})], operation_timeout=2)
if op == "delete": fs = a.delete_topics(["t1"], operation_timeout=2)
if op == "configs": fs = a.describe_configs([ConfigResource("topic", "golden")])
if op == "incremental": fs = a.incremental_alter_configs([ConfigResource("topic", "golden", incremental_configs=[ConfigEntry("retention.ms", "5000", incremental_operation=AlterConfigOpType.SET)])])
if op == "partitions": fs = a.create_partitions([NewPartitions("golden", 4)])
if op == "cluster": fs = {"c": a.describe_cluster()}
if op == "listgroups": fs = {"l": a.list_consumer_groups()}
if op == "deletegroups": fs = a.delete_consumer_groups(["g"])
if op == "describegroups": fs = a.describe_consumer_groups(["g"])
for f in (fs or {}).values():
    try: f.result(timeout=5)
    except Exception as e: pass
'
for op in create delete configs incremental partitions cluster listgroups deletegroups describegroups; do
  run confluent $PY -c "$CK" $op
done
# Compressed batches from producers, one codec at a time.
for codec in gzip snappy lz4 zstd; do
run confluent$codec $PY -c '
import sys
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": "127.0.0.1:" + sys.argv[2], "client.id": "golden-confluent", "linger.ms": 50, "compression.type": sys.argv[1]})
for i in range(20):
    p.produce("golden", key=b"k%d" % i, value=b"hello hello hello %d" % i, partition=0)
p.flush(8)
' $codec
done
for codec in gzip snappy lz4 zstd; do
run kafkapython$codec $PY -c '
import sys
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers="127.0.0.1:" + sys.argv[2], client_id="golden-kafka-python", compression_type=sys.argv[1], linger_ms=50, max_block_ms=5000)
fs = [p.send("golden", key=b"k%d" % i, value=b"hello hello hello %d" % i, partition=0) for i in range(20)]
p.flush(8)
' $codec
done
rm -f "$OUT/.port"
