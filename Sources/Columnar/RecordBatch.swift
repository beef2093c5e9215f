/// A set of equal-length columns with a schema: the unit that flows between operators.
public struct RecordBatch: Sendable {
    /// The schema; `schema.count == columns.count`.
    public var schema: Schema
    /// The columns, in schema order.
    public var columns: [ColumnVector]
    /// The number of rows.
    public let rowCount: Int

    /// Creates a batch; all columns must have `rowCount` values.
    public init(schema: Schema, columns: [ColumnVector], rowCount: Int) {
        precondition(schema.count == columns.count, "schema and columns differ in count")
        precondition(columns.allSatisfy { $0.count == rowCount }, "columns differ in length")
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    /// Creates a batch from columns, taking the row count from the first column.
    public init(schema: Schema, columns: [ColumnVector]) {
        self.init(schema: schema, columns: columns, rowCount: columns.first?.count ?? 0)
    }

    /// An empty batch of a schema.
    public static func empty(_ schema: Schema) -> RecordBatch {
        RecordBatch(schema: schema, columns: schema.fields.map { ColumnVector.nulls($0.type, count: 0) }, rowCount: 0)
    }

    /// Row `index` as scalars (slow path: results and tests).
    public func row(_ index: Int) -> [Scalar] { columns.map { $0.scalar(at: index) } }
}
