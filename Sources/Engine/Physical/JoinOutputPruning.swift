/// Lets a join under a projection produce only the columns the projection reads.
///
/// The logical plan keeps a join's output as both inputs' columns and prunes with a projection
/// above; executed literally, the join would gather every column of every matched row and the
/// projection would then drop some. Narrowing the join's own output skips those gathers.
enum JoinOutputPruning {
    /// `op` producing only what `needed` names, where `op` is a hash join of either build side
    /// (possibly with the
    /// reordering projection the planner puts over a join whose sides it swapped); any other
    /// operator is returned unchanged.
    static func narrow(_ op: any PhysicalOperator, to needed: Set<AttributeID>) -> any PhysicalOperator {
        if let join = op as? HashJoinExec {
            return join.narrowed(to: needed) ?? join
        }
        if let join = op as? HashJoinBuildLeftExec {
            return join.narrowed(to: needed) ?? join
        }
        // A swapped join: `Project [attributes in the original order]` over the join.
        if let project = op as? FilterProjectExec, project.condition == nil, let list = project.projection,
           let join = project.child as? HashJoinExec,
           list.allSatisfy({ if case .attribute = $0 { return true }; return false }) {
            let kept = list.filter { $0.references.isSubset(of: needed) }
            guard kept.count < list.count, let narrowedJoin = join.narrowed(to: Set(kept.flatMap(\.references))) else { return op }
            return FilterProjectExec(condition: nil, projection: kept, child: narrowedJoin)
        }
        return op
    }
}
