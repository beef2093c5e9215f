import Columnar

/// An executable operator: produces its output batches from its children's.
public protocol PhysicalOperator: AnyObject {
    /// The attributes of the output, in column order.
    var output: [Attribute] { get }
    /// The inputs.
    var children: [any PhysicalOperator] { get }
    /// A one-line description for `EXPLAIN`.
    var nodeString: String { get }
    /// Runs the operator (and its inputs) to completion.
    func execute(_ context: ExecutionContext) throws -> [RecordBatch]
}

extension PhysicalOperator {
    /// The output as a schema.
    public var schema: Schema { Schema(output.map(\.field)) }

    /// An indented tree of the operators.
    public func treeString() -> String {
        var lines: [String] = []
        func walk(_ op: any PhysicalOperator, _ depth: Int) {
            let pad = depth == 0 ? "" : String(repeating: "   ", count: depth - 1) + "+- "
            lines.append(pad + op.nodeString)
            for c in op.children { walk(c, depth + 1) }
        }
        walk(self, 0)
        return lines.joined(separator: "\n")
    }
}

