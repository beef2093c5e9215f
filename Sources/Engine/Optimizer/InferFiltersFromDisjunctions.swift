/// Derives single-input predicates from disjunctions that span several inputs of an inner-join
/// tree, so each input can be reduced before it is joined:
/// `(n1.name = 'A' AND n2.name = 'B') OR (n1.name = 'B' AND n2.name = 'A')` implies
/// `n1.name = 'A' OR n1.name = 'B'` and `n2.name = 'B' OR n2.name = 'A'`.
/// For an input whose columns appear in every branch, the derived predicate is the disjunction,
/// over the branches, of each branch's conjuncts that use that input alone. The original
/// disjunction stays where it was (the derived ones are implied by it, never equivalent), and
/// the pushdown that follows moves the derived ones into the inputs.
public struct InferFiltersFromDisjunctions: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `InferFiltersFromDisjunctions`.
    public var name: String { "InferFiltersFromDisjunctions" }

    /// Adds the derived predicates to filters over join trees and to inner-join conditions.
    /// It is meant to run once: the derived predicates themselves are single-input and yield
    /// nothing new, but the disjunctions stay, so a second run would derive them again.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = plan.transformUp { node -> LogicalPlan? in
            switch node {
            case let .filter(cond, child):
                let inputs = Self.joinInputs(child)
                guard inputs.count > 1, let next = Self.infer(cond, inputs) else { return nil }
                return .filter(next, child)
            case let .join(l, r, type, cond?) where type == .inner || type == .cross:
                let inputs = Self.joinInputs(l) + Self.joinInputs(r)
                guard let next = Self.infer(cond, inputs) else { return nil }
                return .join(l, r, type, condition: next)
            default:
                return nil
            }
        }
        return out == plan ? nil : out
    }

    /// The output ids of the inputs of the inner-join tree rooted at `plan` (the plan itself
    /// when it is not such a join).
    static func joinInputs(_ plan: LogicalPlan) -> [Set<AttributeID>] {
        switch plan {
        case let .join(l, r, type, _) where type == .inner || type == .cross:
            return joinInputs(l) + joinInputs(r)
        case let .subqueryAlias(_, c), let .filter(_, c):
            return joinInputs(c)
        default:
            return [plan.outputIDs]
        }
    }

    /// `cond` with the derived predicates appended, or nil when nothing new is derived.
    static func infer(_ cond: Expr, _ inputs: [Set<AttributeID>]) -> Expr? {
        // Conjuncts common to every branch come out first (they are pushed on their own), so a
        // derived predicate repeats only what differs between branches.
        let factored = cond.factoringCommonConjuncts.conjuncts
        var conjuncts = factored
        var added = false
        for c in factored where c.isMovable {
            let branches = c.disjuncts
            guard branches.count > 1 else { continue }
            let refs = c.references
            for input in inputs where !refs.isSubset(of: input) && !refs.isDisjoint(with: input) {
                guard let derived = derive(branches, input) else { continue }
                for part in derived.factoringCommonConjuncts.conjuncts where !conjuncts.contains(part) {
                    conjuncts.append(part)
                    added = true
                }
            }
        }
        return added ? Expr.conjunction(conjuncts) : nil
    }

    /// The disjunction of each branch's conjuncts over `input` alone; nil when some branch has
    /// none (that branch puts no condition on the input, so nothing can be derived).
    static func derive(_ branches: [Expr], _ input: Set<AttributeID>) -> Expr? {
        var parts: [Expr] = []
        for b in branches {
            let own = b.conjuncts.filter { !$0.references.isEmpty && $0.references.isSubset(of: input) && $0.isMovable }
            guard let p = Expr.conjunction(own) else { return nil }
            parts.append(p)
        }
        return parts.dropFirst().reduce(parts[0]) { .binary(.or, $0, $1) }
    }
}
