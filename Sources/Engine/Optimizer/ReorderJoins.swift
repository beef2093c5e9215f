/// Reorders trees of inner and cross joins by estimated cardinality, greedily: from a starting
/// input the tree grows by the connected input whose join gives the smallest estimated result, so
/// filtered dimension tables reduce the large tables early. Every connected input is tried as the
/// start and the order with the smallest estimated intermediate results (summed) is kept. A
/// cross product is formed only when no input connected by a condition remains.
///
/// A join's result is estimated as `|left| · |right| / ndv`, where the distinct count of the join
/// key is taken from its equivalence class (the columns the conditions make equal): the fewest
/// rows of any base table in that class. That treats each join as primary key–foreign key and
/// sees through joins of two foreign keys (customer and supplier on their nation keys have at
/// most as many distinct values as nation has rows). See `JoinEstimates`.
public struct ReorderJoins: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `ReorderJoins`.
    public var name: String { "ReorderJoins" }

    /// Reorders every maximal inner-join tree.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = reorder(plan)
        return out == plan ? nil : out
    }

    func reorder(_ plan: LogicalPlan) -> LogicalPlan {
        guard case let .join(_, _, type, _) = plan, type == .inner || type == .cross else {
            let kids = plan.children
            return kids.isEmpty ? plan : plan.withChildren(kids.map(reorder))
        }
        var leaves: [LogicalPlan] = []
        var conds: [Expr] = []
        flatten(plan, &leaves, &conds)
        leaves = leaves.map(reorder)
        if leaves.count <= 2 {
            return rebuildInOrder(plan)
        }
        let ids = leaves.map(\.outputIDs)
        // Equalities implied by others (c = s and s = n give c = n) connect inputs the query does
        // not relate directly, so the order may join them first (Q5: customer with the nations
        // of the region before orders and lineitem, instead of lineitem with the region's suppliers).
        let implied = Self.impliedEqualities(conds, ids)
        conds += implied
        let estimates = JoinEstimates(leaves: leaves, conditions: conds)
        // Grow greedily from every input some condition connects, and keep the order whose
        // intermediate results are estimated smallest in total (ties: the smallest start, then
        // the first written). Starting at the smallest input alone misses plans where a large
        // table must come first to reach a selective one (lineitem before part LIKE '%green%').
        let connected = leaves.indices.filter { i in conds.contains { !$0.references.isDisjoint(with: ids[i]) } }
        let starts = (connected.isEmpty ? Array(leaves.indices) : connected)
            .sorted { (estimates.rows[$0], $0) < (estimates.rows[$1], $1) }
        var best: (steps: [Int], cost: Double)?
        for start in starts {
            let order = greedyOrder(from: start, estimates, ids, conds)
            if best == nil || order.cost < best!.cost * 0.999 { best = order }
        }
        let steps = best?.steps ?? Array(leaves.indices)
        var current = leaves[steps[0]]
        var joinedIDs = ids[steps[0]]
        var unused = conds
        for next in steps.dropFirst() {
            let scope = joinedIDs.union(ids[next])
            let now = Self.droppingRedundant(unused.filter { $0.references.isSubset(of: scope) }, implied: implied,
                                             newIDs: ids[next], joinedIDs: joinedIDs)
            unused.removeAll { $0.references.isSubset(of: scope) }
            current = .join(current, leaves[next], now.isEmpty ? .cross : .inner, condition: Expr.conjunction(now))
            joinedIDs = scope
        }
        if let rest = Expr.conjunction(unused) { current = .filter(rest, current) }
        // Keep the original column order for whoever reads this join's output.
        let original = plan.output
        if current.output.map(\.id) != original.map(\.id) {
            current = .project(original.map { .attribute($0) }, current)
        }
        return current
    }

    /// The inputs in the order of greedy growth from `start` (each step joins the connected
    /// input giving the smallest estimated result; a cross product only when none is connected)
    /// and the estimated rows of all intermediate and final results, summed.
    func greedyOrder(from start: Int, _ estimates: JoinEstimates, _ ids: [Set<AttributeID>], _ conds: [Expr])
        -> (steps: [Int], cost: Double) {
        var remaining = ids.indices.filter { $0 != start }
        var steps = [start]
        var joinedIDs = ids[start]
        var currentRows = estimates.rows[start]
        var unused = conds
        var cost = 0.0
        while !remaining.isEmpty {
            var best: (index: Int, rows: Double)?
            for i in remaining {
                let scope = joinedIDs.union(ids[i])
                let now = unused.filter { c in
                    let refs = c.references
                    return !refs.isDisjoint(with: ids[i]) && !refs.isDisjoint(with: joinedIDs) && refs.isSubset(of: scope)
                }
                guard !now.isEmpty else { continue }
                let rows = estimates.join(currentRows, i, now)
                if best == nil || rows < best!.rows { best = (i, rows) }
            }
            let next = best?.index ?? remaining[0]
            let scope = joinedIDs.union(ids[next])
            unused.removeAll { $0.references.isSubset(of: scope) }
            currentRows = best?.rows ?? currentRows * estimates.rows[next]
            cost += currentRows
            remaining.removeAll { $0 == next }
            steps.append(next)
            joinedIDs = scope
        }
        return (steps, cost)
    }

    /// Equalities between columns of different inputs that the conditions' column equalities
    /// imply by transitivity but do not state (only between columns of one type).
    static func impliedEqualities(_ conds: [Expr], _ ids: [Set<AttributeID>]) -> [Expr] {
        var parent: [AttributeID: AttributeID] = [:]
        func find(_ x: AttributeID) -> AttributeID {
            var x = x
            while let p = parent[x], p != x { x = p }
            return x
        }
        var members: [Attribute] = []
        var stated = Set<[AttributeID]>()
        for c in conds {
            guard case let .binary(.equal, .attribute(a), .attribute(b)) = c else { continue }
            for x in [a, b] where parent[x.id] == nil {
                parent[x.id] = x.id
                members.append(x)
            }
            stated.insert([a.id, b.id])
            stated.insert([b.id, a.id])
            let ra = find(a.id), rb = find(b.id)
            if ra != rb { parent[ra] = rb }
        }
        func input(_ a: AttributeID) -> Int? { ids.firstIndex { $0.contains(a) } }
        var out: [Expr] = []
        for (i, x) in members.enumerated() {
            for y in members[(i + 1)...] where find(x.id) == find(y.id) && x.type == y.type && !stated.contains([x.id, y.id]) {
                guard let ix = input(x.id), let iy = input(y.id), ix != iy else { continue }
                out.append(.binary(.equal, .attribute(x), .attribute(y)))
            }
        }
        return out
    }

    /// The conditions of one join step without the implied equalities another equality of the
    /// step makes redundant: one that equates the same column of the input being joined with a
    /// column already joined (the joined columns of its class are already equal).
    static func droppingRedundant(_ now: [Expr], implied: [Expr], newIDs: Set<AttributeID>, joinedIDs: Set<AttributeID>)
        -> [Expr] {
        guard !implied.isEmpty else { return now }
        /// The new input's column of an equality between it and the joined inputs.
        func newSide(_ c: Expr) -> AttributeID? {
            guard case let .binary(.equal, .attribute(a), .attribute(b)) = c else { return nil }
            if newIDs.contains(a.id) && joinedIDs.contains(b.id) { return a.id }
            if newIDs.contains(b.id) && joinedIDs.contains(a.id) { return b.id }
            return nil
        }
        let impliedSet = Set(implied)
        var linked = Set<AttributeID>()
        var kept: [Expr] = []
        // Stated conditions first, so an implied one goes when a stated one does its work.
        for c in now where !impliedSet.contains(c) {
            if let n = newSide(c) { linked.insert(n) }
            kept.append(c)
        }
        for c in now where impliedSet.contains(c) {
            guard let n = newSide(c) else {
                kept.append(c)
                continue
            }
            if linked.insert(n).inserted { kept.append(c) }
        }
        return kept
    }

    private func rebuildInOrder(_ plan: LogicalPlan) -> LogicalPlan {
        guard case let .join(l, r, t, c) = plan else { return plan }
        return .join(reorder(l), reorder(r), t, condition: c)
    }

    private func flatten(_ plan: LogicalPlan, _ leaves: inout [LogicalPlan], _ conds: inout [Expr]) {
        if case let .join(l, r, t, c) = plan, t == .inner || t == .cross {
            flatten(l, &leaves, &conds)
            flatten(r, &leaves, &conds)
            if let c { conds.append(contentsOf: c.conjuncts) }
        } else {
            leaves.append(plan)
        }
    }
}

/// Cardinality estimates for the inputs of one join tree and for joins among them.
struct JoinEstimates {
    /// Estimated rows of each input, after its filters.
    let rows: [Double]
    /// Each input's base table rows (before filters): the distinct values its key columns can have.
    let baseRows: [Double]
    /// For each column id of an input, the input it comes from.
    let owner: [AttributeID: Int]
    /// For each column id in an equality, the fewest base rows in its equivalence class.
    let classDistinct: [AttributeID: Double]

    init(leaves: [LogicalPlan], conditions: [Expr]) {
        rows = leaves.map(Statistics.estimateRows)
        baseRows = leaves.map(Statistics.estimateBaseRows)
        var owner: [AttributeID: Int] = [:]
        for (i, l) in leaves.enumerated() { for a in l.output { owner[a.id] = i } }
        self.owner = owner
        // Union–find over columns made equal by the conditions.
        var parent: [AttributeID: AttributeID] = [:]
        func find(_ x: AttributeID) -> AttributeID {
            var x = x
            while let p = parent[x], p != x { x = p }
            return x
        }
        var members: [AttributeID] = []
        for c in conditions {
            guard case let .binary(.equal, .attribute(a), .attribute(b)) = c else { continue }
            for x in [a.id, b.id] where parent[x] == nil {
                parent[x] = x
                members.append(x)
            }
            let ra = find(a.id), rb = find(b.id)
            if ra != rb { parent[ra] = rb }
        }
        var fewest: [AttributeID: Double] = [:]
        for m in members {
            guard let i = owner[m] else { continue }
            let r = find(m)
            fewest[r] = min(fewest[r] ?? .infinity, baseRows[i])
        }
        var distinct: [AttributeID: Double] = [:]
        for m in members { if let d = fewest[find(m)] { distinct[m] = d } }
        classDistinct = distinct
    }

    /// The estimated rows of joining `currentRows` rows (of the inputs joined so far) with input
    /// `next` on `conditions`: each equality between columns divides by its key's distinct count (the
    /// largest such count only: keys of several columns are rarely independent); other
    /// conditions keep a fixed share.
    func join(_ currentRows: Double, _ next: Int, _ conditions: [Expr]) -> Double {
        var distinctMax = 1.0
        var other = 1.0
        for c in conditions {
            if case let .binary(.equal, .attribute(a), .attribute(b)) = c,
               let oa = owner[a.id], let ob = owner[b.id], oa != ob {
                let d = max(1, min(classDistinct[a.id] ?? baseRows[oa], classDistinct[b.id] ?? baseRows[ob]))
                distinctMax = max(distinctMax, d)
            } else {
                other *= Statistics.selectivity(c)
            }
        }
        return max(1, currentRows * rows[next] / distinctMax * other)
    }
}
