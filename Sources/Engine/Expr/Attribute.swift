import Columnar
import Foundation

/// Identifies one column produced by a plan, stable across optimizer rewrites (Spark's ExprId).
public struct AttributeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number; unique within the process.
    public let raw: Int

    /// Wraps a raw id (tests and deserialisation).
    public init(raw: Int) { self.raw = raw }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var counter = 0

    /// A fresh id, never handed out before in this process.
    public static func next() -> AttributeID {
        lock.lock()
        defer { lock.unlock() }
        counter += 1
        return AttributeID(raw: counter)
    }

    /// Orders by creation.
    public static func < (a: AttributeID, b: AttributeID) -> Bool { a.raw < b.raw }

    /// `#12`.
    public var description: String { "#\(raw)" }
}

/// A resolved reference to a column produced by some plan node.
public struct Attribute: Hashable, Sendable, CustomStringConvertible {
    /// The identity of the column; two attributes with the same id are the same column.
    public var id: AttributeID
    /// The column name (as shown in results).
    public var name: String
    /// The column type.
    public var type: DataType
    /// Whether the column may hold nulls.
    public var nullable: Bool
    /// The relation alias that qualifies the name (`l` in `l.l_orderkey`), empty if none.
    public var qualifier: [String]

    /// Creates an attribute; a fresh id is drawn unless given.
    public init(name: String, type: DataType, nullable: Bool = true, qualifier: [String] = [],
                id: AttributeID = .next()) {
        self.id = id
        self.name = name
        self.type = type
        self.nullable = nullable
        self.qualifier = qualifier
    }

    /// The same column under a new relation alias.
    public func withQualifier(_ q: [String]) -> Attribute {
        var a = self
        a.qualifier = q
        return a
    }

    /// The field this attribute contributes to an output schema.
    public var field: Field { Field(name, type, nullable: nullable) }

    /// `name#id`, as Spark prints attributes in plans.
    public var description: String { "\(name)\(id)" }
}

/// A place in SQL text, for error messages (1-based line and column).
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    /// Creates a position.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line 3, column 14`.
    public var description: String { "line \(line), column \(column)" }
}

/// A column name as written, before resolution: `x`, `t.x`, `db.t.x`.
///
/// The position is carried for error messages only and takes no part in equality.
public struct ColumnName: Hashable, Sendable, CustomStringConvertible {
    /// The dotted name parts.
    public var parts: [String]
    /// Where the name was written, when it came from SQL text.
    public var position: SourcePosition?

    /// Creates a column name.
    public init(_ parts: [String], position: SourcePosition? = nil) {
        self.parts = parts
        self.position = position
    }

    /// Equality ignores the position.
    public static func == (a: ColumnName, b: ColumnName) -> Bool { a.parts == b.parts }
    /// Hashing ignores the position.
    public func hash(into h: inout Hasher) { h.combine(parts) }

    /// The name as written, dotted.
    public var description: String { parts.joined(separator: ".") }
}
