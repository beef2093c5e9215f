import Columnar
import Engine
import KafkaClient
import KafkaProtocol
import NIOCore

/// Writes a DataFrame to Kafka with Spark's Kafka sink rules: a `value` column (string or binary),
/// optional `key` (string or binary), `topic` (string; the `topic` option wins over it),
/// `partition` (int) and `headers` (`array<struct<key:string,value:binary>>`) columns; records go out through the idempotent producer.
enum KafkaSink {
    /// Where each column of the frame goes.
    struct Layout {
        var value: Int
        var key: Int?
        var topic: Int?
        var partition: Int?
        var headers: Int?
    }

    /// Checks the frame's columns as Spark's `KafkaWriter.validateQuery` does.
    static func layout(_ schema: Schema, topicOption: String?) throws -> Layout {
        func find(_ name: String) -> (Int, DataType)? {
            schema.fields.firstIndex { $0.name.lowercased() == name }.map { ($0, schema.fields[$0].type) }
        }
        func fail(_ m: String) -> EngineError { .analysis(m, position: nil) }
        let topic = find("topic")
        if topicOption == nil {
            guard let topic else {
                throw fail("topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.")
            }
            guard topic.1 == .string else { throw fail("Topic type must be a string, not \(topic.1)") }
        }
        guard let value = find("value") else { throw fail("Required attribute 'value' not found") }
        guard value.1 == .string || value.1 == .binary else {
            throw fail("value attribute type must be a string or binary, not \(value.1)")
        }
        let key = find("key")
        if let key, key.1 != .string && key.1 != .binary && key.1 != .null {
            throw fail("key attribute type must be a string or binary, not \(key.1)")
        }
        let partition = find("partition")
        if let partition, partition.1 != .int32 && partition.1 != .null {
            throw fail("partition attribute type must be an int, not \(partition.1)")
        }
        let headers = find("headers")
        if let headers, headers.1 != .null {
            guard case let .array(.struct(fields), _) = headers.1, fields.count == 2,
                  fields[0].type == .string, fields[1].type == .binary else {
                throw fail("headers attribute type must be array<struct<key:string,value:binary>>, not \(headers.1)")
            }
        }
        return Layout(value: value.0, key: key?.1 == .null ? nil : key?.0,
                      topic: topicOption == nil ? topic?.0 : nil, partition: partition?.1 == .null ? nil : partition?.0,
                      headers: headers?.1 == .null ? nil : headers?.0)
    }

    /// Writes every row of `frame`; returns the number of records written.
    @discardableResult
    static func write(_ frame: DataFrame, cluster: KafkaCluster, topic topicOption: String?) throws -> Int {
        let layout = try layout(frame.schema, topicOption: topicOption)
        let batches = try frame.collectBatches()
        return try blocking("writing to Kafka") {
            let producer = KafkaProducer(cluster: cluster, config: ProducerConfig())
            var written = 0
            do {
                for b in batches {
                    for row in 0..<b.rowCount {
                        let topic: String
                        if let t = topicOption {
                            topic = t
                        } else if let t = layout.topic, !b.columns[t].isNull(row), case let .string(s) = b.columns[t].scalar(at: row) {
                            topic = s
                        } else {
                            throw EngineError.execution("row \(written + 1) has a null topic; set the topic option or fill the topic column")
                        }
                        var partition: Int32?
                        if let p = layout.partition, !b.columns[p].isNull(row), case let .int(v) = b.columns[p].scalar(at: row) {
                            partition = Int32(truncatingIfNeeded: v)
                        }
                        var headers: [RecordHeader] = []
                        if let h = layout.headers, case let .array(entries) = b.columns[h].scalar(at: row) {
                            for case let .struct(kv) in entries where kv.count == 2 {
                                guard case let .string(k) = kv[0] else { continue }
                                var v: ByteBuffer?
                                if case let .binary(bytes) = kv[1] { v = ByteBuffer(bytes: bytes) }
                                headers.append(RecordHeader(key: k, value: v))
                            }
                        }
                        let record = ProducerRecord(topic: topic, partition: partition,
                                                    key: layout.key.flatMap { bytes(b.columns[$0], row) },
                                                    value: bytes(b.columns[layout.value], row), headers: headers)
                        try await producer.produce(record)
                        written += 1
                    }
                }
            } catch {
                try? await producer.close()
                throw error
            }
            try await producer.close()
            return written
        }
    }

    /// The bytes of a string or binary value, nil for a null.
    static func bytes(_ column: ColumnVector, _ row: Int) -> ByteBuffer? {
        guard !column.isNull(row), case let .bytes(offsets, data) = column.storage else { return nil }
        let start = Int(offsets[row])
        let end = Int(offsets[row + 1])
        return data.withUnsafeBufferPointer { ByteBuffer(bytes: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }
}
