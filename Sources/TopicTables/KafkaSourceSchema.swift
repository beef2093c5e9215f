import Columnar

/// The columns of Spark's Kafka source, in Spark's order.
enum KafkaSourceSchema {
    static let key = 0
    static let value = 1
    static let topic = 2
    static let partition = 3
    static let offset = 4
    static let timestamp = 5
    static let timestampType = 6
    static let headers = 7

    /// `key binary, value binary, topic string, partition int, offset bigint, timestamp timestamp,
    /// timestampType int` and, with `includeHeaders`, `headers`.
    static func schema(includeHeaders: Bool) -> Schema {
        var fields = [
            Field("key", .binary), Field("value", .binary), Field("topic", .string, nullable: false),
            Field("partition", .int32, nullable: false), Field("offset", .int64, nullable: false),
            Field("timestamp", .timestamp, nullable: false), Field("timestampType", .int32, nullable: false),
        ]
        if includeHeaders, let headers = HeaderColumn.type { fields.append(Field("headers", headers)) }
        return Schema(fields)
    }
}
