/// A rewrite of a logical plan that keeps its meaning.
public protocol OptimizerRule {
    /// The rule's name for traces (`PushDownFilter`).
    var name: String { get }
    /// The rewritten plan, or nil when the rule did not change anything.
    func apply(_ plan: LogicalPlan) throws -> LogicalPlan?
}

/// Runs the optimizer rules to a fixed point (bounded number of passes).
public struct Optimizer {
    /// The rules, in the order they run within a pass.
    public var rules: [any OptimizerRule]
    /// The most passes before giving up on reaching a fixed point.
    public var passesMax = 10

    /// The default rule set.
    public init(rules: [any OptimizerRule] = Optimizer.defaultRules) { self.rules = rules }

    /// The rules run by default.
    public static var defaultRules: [any OptimizerRule] { [] }

    /// Applies the rules until none changes the plan.
    public func optimize(_ plan: LogicalPlan) throws -> LogicalPlan {
        var current = plan
        for _ in 0..<passesMax {
            var changed = false
            for rule in rules {
                if let next = try rule.apply(current), next != current {
                    current = next
                    changed = true
                }
            }
            if !changed { break }
        }
        return current
    }
}
