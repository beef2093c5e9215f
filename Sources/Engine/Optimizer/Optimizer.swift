/// A rewrite of a logical plan that keeps its meaning.
public protocol OptimizerRule {
    /// The rule's name for traces (`PushDownPredicates`).
    var name: String { get }
    /// The rewritten plan, or nil when the rule did not change anything.
    func apply(_ plan: LogicalPlan) throws -> LogicalPlan?
}

/// A group of rules run together, once or to a fixed point.
public struct RuleBatch {
    /// The batch's name.
    public var name: String
    /// The rules, in order.
    public var rules: [any OptimizerRule]
    /// Whether to repeat the batch until no rule changes the plan (bounded by `passesMax`).
    public var toFixedPoint: Bool

    /// Creates a batch.
    public init(_ name: String, _ rules: [any OptimizerRule], toFixedPoint: Bool) {
        self.name = name
        self.rules = rules
        self.toFixedPoint = toFixedPoint
    }
}

/// Runs the optimizer's rule batches in order.
public struct Optimizer {
    /// The batches.
    public var batches: [RuleBatch]
    /// The most passes of a fixed-point batch.
    public var passesMax = 10

    /// The default batches.
    public init(batches: [RuleBatch] = Optimizer.defaultBatches) { self.batches = batches }

    /// Subqueries are decorrelated first; predicates then move down to the scans, semi joins
    /// move onto the join input they filter, joins are reordered once they are inner joins with conditions, Filters
    /// drop what the scans below them apply exactly, and unused columns are pruned; last,
    /// work that can run batch by batch inside a scan is put where it can (JSON extraction).
    public static var defaultBatches: [RuleBatch] { batches(eagerAggregation: true) }

    /// The default batches, with or without `PushAggregateBelowJoins` (once the joins are ordered
    /// and predicates sit on the inputs they filter, before columns are pruned).
    public static func batches(eagerAggregation: Bool) -> [RuleBatch] {
        [
            RuleBatch("Decorrelate", [RewriteSubqueries()], toFixedPoint: false),
            RuleBatch("Infer", [InferFiltersFromDisjunctions()], toFixedPoint: false),
            RuleBatch("Simplify", [FoldConstants(), PushDownPredicates()], toFixedPoint: true),
            RuleBatch("Semi joins", [PushSemiJoinsBelowJoins()], toFixedPoint: false),
            RuleBatch("Join order", [ReorderJoins()], toFixedPoint: false),
            RuleBatch("Reduce", [ReduceAggregateInputByJoinKeys()], toFixedPoint: false),
            RuleBatch("Pushdown", [PushDownPredicates()], toFixedPoint: true),
            RuleBatch("Eager aggregation", eagerAggregation ? [PushAggregateBelowJoins()] : [], toFixedPoint: false),
            RuleBatch("Prune", [RemoveFiltersAppliedByScans(), PruneColumns()], toFixedPoint: false),
            RuleBatch("Pipeline", [PullOutAggregateInputs(), PruneJSONFields(), CombineJSONPaths()], toFixedPoint: false),
        ]
    }

    /// Applies the batches.
    public func optimize(_ plan: LogicalPlan) throws -> LogicalPlan {
        var current = plan
        for batch in batches {
            for _ in 0..<(batch.toFixedPoint ? passesMax : 1) {
                var changed = false
                for rule in batch.rules {
                    if let next = try rule.apply(current), next != current {
                        current = next
                        changed = true
                    }
                }
                if !changed { break }
            }
        }
        return current
    }
}
