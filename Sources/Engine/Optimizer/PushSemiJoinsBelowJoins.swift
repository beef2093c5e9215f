/// Moves a left semi or anti join (a decorrelated `IN` / `EXISTS`) from above a tree of inner
/// joins down onto the one input of that tree its condition reads, when that input is estimated
/// to have no more rows than the whole tree.
///
/// A semi or anti join keeps or drops each left row by the row's own columns alone, so it
/// commutes with an inner join whose other side it does not read:
/// `(A ⋈ B) ⋉ S = (A ⋉ S) ⋈ B`. Run before `ReorderJoins`, the filtered input then takes part
/// in the join order as a small input (TPC-H Q18: the orders `IN` the few large orders are found
/// before lineitem and customer are joined, instead of after). When the tree's result is
/// estimated smaller than the input (filters on the other inputs reduce it: Q21's lineitem joined
/// with one nation's suppliers), the semi join stays where fewer rows reach it.
public struct PushSemiJoinsBelowJoins: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `PushSemiJoinsBelowJoins`.
    public var name: String { "PushSemiJoinsBelowJoins" }

    /// Pushes every semi and anti join it can, innermost first.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = rewrite(plan)
        return out == plan ? nil : out
    }

    func rewrite(_ plan: LogicalPlan) -> LogicalPlan {
        let kids = plan.children
        let node = kids.isEmpty ? plan : plan.withChildren(kids.map(rewrite))
        guard case let .join(left, right, type, cond?) = node, type == .leftSemi || type == .leftAnti,
              case let .join(_, _, innerType, _) = left, innerType == .inner || innerType == .cross,
              cond.isMovable else { return node }
        let reads = cond.references.intersection(left.outputIDs)
        guard !reads.isEmpty, let target = input(of: left, reading: reads),
              Statistics.estimateRows(target) <= Statistics.estimateRows(left) else { return node }
        return place(left, reads) { .join($0, right, type, condition: cond) } ?? node
    }

    /// The input of the inner-join tree `plan` (a child of its inner and cross joins, followed
    /// down as far as one holds every column of `reads`), or nil when no single child does.
    func input(of plan: LogicalPlan, reading reads: Set<AttributeID>) -> LogicalPlan? {
        guard case let .join(l, r, t, _) = plan, t == .inner || t == .cross else { return nil }
        if reads.isSubset(of: l.outputIDs) { return input(of: l, reading: reads) ?? l }
        if reads.isSubset(of: r.outputIDs) { return input(of: r, reading: reads) ?? r }
        return nil
    }

    /// `plan` with the input `input(of:reading:)` finds replaced by `wrap(input)`.
    func place(_ plan: LogicalPlan, _ reads: Set<AttributeID>, _ wrap: (LogicalPlan) -> LogicalPlan) -> LogicalPlan? {
        guard case let .join(l, r, t, c) = plan, t == .inner || t == .cross else { return nil }
        if reads.isSubset(of: l.outputIDs) { return .join(place(l, reads, wrap) ?? wrap(l), r, t, condition: c) }
        if reads.isSubset(of: r.outputIDs) { return .join(l, place(r, reads, wrap) ?? wrap(r), t, condition: c) }
        return nil
    }
}
