import Columnar

/// One result row, with the names of its columns.
public struct Row: Hashable, Sendable, CustomStringConvertible {
    /// The values, in column order.
    public var values: [Scalar]
    /// The column names.
    public var names: [String]

    /// Creates a row.
    public init(values: [Scalar], names: [String]) {
        self.values = values
        self.names = names
    }

    /// The value of column `index`.
    public subscript(index: Int) -> Scalar { values[index] }

    /// The value of the first column called `name` (case-insensitive), or nil.
    public subscript(name: String) -> Scalar? {
        let lower = name.lowercased()
        guard let i = names.firstIndex(where: { $0.lowercased() == lower }) else { return nil }
        return values[i]
    }

    /// `Row(a=1, b=x)`, as PySpark prints rows.
    public var description: String {
        "Row(" + zip(names, values).map { "\($0)=\($1)" }.joined(separator: ", ") + ")"
    }
}
