import Columnar

/// One run of a query: analyzed plan → optimized plan → physical plan → batches.
public struct QueryExecution {
    /// The session.
    public let session: Session
    /// The analyzed plan.
    public let analyzed: LogicalPlan

    /// Prepares a run.
    public init(session: Session, analyzed: LogicalPlan) {
        self.session = session
        self.analyzed = analyzed
    }

    /// The plan after cached data is substituted and the optimizer rules ran.
    public func optimized() throws -> LogicalPlan {
        let withCache = try session.cacheManager.substitute(analyzed) { cachedPlan in
            // Computing a cached plan may itself use other cached plans, but not itself.
            let inner = try session.makeOptimizer().optimize(cachedPlan)
            let context = session.makeContext()
            return try PhysicalPlanner(context: context, session: session).plan(inner).execute(context)
        }
        return try session.makeOptimizer().optimize(withCache)
    }

    /// Executes and returns the result batches.
    public func execute() throws -> [RecordBatch] {
        let context = session.makeContext()
        let physical = try PhysicalPlanner(context: context, session: session).plan(try optimized())
        return try physical.execute(context)
    }

    /// The plans as `EXPLAIN` text.
    public func explain(extended: Bool) throws -> String {
        let opt = try optimized()
        let physical = try PhysicalPlanner(context: session.makeContext(), session: session).plan(opt)
        var out = ""
        if extended {
            out += "== Analyzed Logical Plan ==\n" + analyzed.treeString() + "\n\n"
            out += "== Optimized Logical Plan ==\n" + opt.treeString() + "\n\n"
        }
        out += "== Physical Plan ==\n" + physical.treeString()
        return out
    }
}
