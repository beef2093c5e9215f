import Columnar

/// Evaluates expressions whose inputs are all constants once, at planning time, and simplifies
/// boolean connectives with constant operands (`TRUE AND x` → `x`).
public struct FoldConstants: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `FoldConstants`.
    public var name: String { "FoldConstants" }

    /// Folds every expression of the plan.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = plan.transformUp { node in
            let mapped = FreshInstance.mapExpressions(node) { Self.fold($0) }
            return mapped == node ? nil : mapped
        }
        return out == plan ? nil : out
    }

    static let empty = RecordBatch(schema: Schema([]), columns: [], rowCount: 1)

    /// The folded form of one expression.
    public static func fold(_ e: Expr) -> Expr {
        e.transformUp { x in
            switch x {
            case .literal, .alias, .attribute, .window, .interval: return nil
            case let .binary(.and, .literal(.boolean(true), _), other), let .binary(.and, other, .literal(.boolean(true), _)):
                return other
            case let .binary(.or, .literal(.boolean(false), _), other), let .binary(.or, other, .literal(.boolean(false), _)):
                return other
            case .binary(.and, .literal(.boolean(false), _), _), .binary(.and, _, .literal(.boolean(false), _)):
                return .bool(false)
            case .binary(.or, .literal(.boolean(true), _), _), .binary(.or, _, .literal(.boolean(true), _)):
                return .bool(true)
            default: break
            }
            if case let .call(name, _, _) = x {
                let kind = FunctionRegistry.kind(of: name)
                if kind != .scalar || FunctionRegistry.isNondeterministic(name) { return nil }
            }
            guard !x.children.isEmpty, x.children.allSatisfy({ if case .literal = $0 { return true }; return false }),
                  !x.hasSubquery else { return nil }
            guard let v = try? ExprEvaluator(input: []).evaluate(x, empty) else { return nil }
            return .literal(v.scalar(at: 0), x.dataType)
        }
    }
}
