import Columnar

/// The `headers` column of the Kafka source (`array<struct<key:string,value:binary>>` in Spark).
enum HeaderColumn {
    /// The column type, or nil while the engine has no array and struct types.
    static let type: DataType? = nil
}
