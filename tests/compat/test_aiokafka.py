"""aiokafka produces and consumes (it starts with ApiVersions v0 and Metadata v5)."""
import asyncio

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


def test_produce_and_consume(broker):
    async def main():
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
        await producer.start()
        try:
            for i in range(500):
                await producer.send("aio", key=b"k%d" % (i % 3), value=b"v%d" % i)
            await producer.flush()
        finally:
            await producer.stop()

        consumer = AIOKafkaConsumer(bootstrap_servers=broker.bootstrap, auto_offset_reset="earliest",
                                    enable_auto_commit=False)
        await consumer.start()
        try:
            parts = [TopicPartition("aio", p) for p in (consumer.partitions_for_topic("aio") or {0})]
            consumer.assign(parts)
            await consumer.seek_to_beginning()
            got = []
            deadline = asyncio.get_event_loop().time() + 20
            while len(got) < 500 and asyncio.get_event_loop().time() < deadline:
                batch = await consumer.getmany(timeout_ms=500)
                for msgs in batch.values():
                    got.extend(m.value for m in msgs)
        finally:
            await consumer.stop()
        return got

    got = asyncio.run(asyncio.wait_for(main(), 60))
    assert sorted(got) == sorted(b"v%d" % i for i in range(500))
