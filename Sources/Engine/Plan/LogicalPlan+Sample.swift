extension LogicalPlan {
    /// Each row of `child` kept when a uniform random number falls below `fraction`: Spark's
    /// sampling without replacement (`TABLESAMPLE (x PERCENT)`, `DataFrame.sample`).
    public static func bernoulliSample(_ fraction: Double, _ child: LogicalPlan) -> LogicalPlan {
        .filter(.binary(.less, .call(name: "rand", args: [], distinct: false), .double(fraction)), child)
    }
}
