/// One named, typed column of a schema.
public struct Field: Hashable, Sendable, CustomStringConvertible {
    /// The column name as the user wrote it.
    public var name: String
    /// The column's type.
    public var type: DataType
    /// Whether the column may hold nulls.
    public var nullable: Bool

    /// Creates a field; columns are nullable unless said otherwise, as in Spark.
    public init(_ name: String, _ type: DataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    /// `name: type` as Spark prints it in `printSchema`.
    public var description: String { "\(name): \(type)\(nullable ? "" : " not null")" }
}

/// A field of a struct type: the same name, type and nullability as a schema's field.
public typealias StructField = Field

/// The ordered fields of a batch or a relation.
public struct Schema: Hashable, Sendable, CustomStringConvertible {
    /// The fields, in column order.
    public var fields: [Field]

    /// Creates a schema from fields in column order.
    public init(_ fields: [Field]) { self.fields = fields }

    /// The number of columns.
    public var count: Int { fields.count }

    /// The column names in order.
    public var names: [String] { fields.map(\.name) }

    /// The index of the first field whose name equals `name`, case-insensitively as Spark resolves.
    public func index(of name: String) -> Int? {
        let lower = name.lowercased()
        return fields.firstIndex { $0.name.lowercased() == lower }
    }

    /// A Spark-style DDL rendering: `a int, b string`.
    public var description: String { fields.map { "\($0.name) \($0.type)" }.joined(separator: ", ") }
}
