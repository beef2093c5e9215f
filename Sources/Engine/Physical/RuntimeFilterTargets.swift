import Columnar
import Foundation

/// A scan below a join's probe side that reads one of the join's probe keys as a column, and so
/// can take the join's runtime key filter on it (a file scan: cached data is not filtered, as its
/// joins' lookups of keys that miss cost less than filtering them out first).
struct RuntimeFilterTarget {
    /// Which of the join's keys (index into its probe and build keys).
    let keyIndex: Int
    /// The scan, and the attribute of its output the key is.
    let scan: any PhysicalOperator
    let attribute: Attribute
}

/// Finds where a hash join's runtime key filters can go, and whether one is worth making.
///
/// A probe row whose key no build row has can be dropped anywhere below the join as long as the
/// rows above that point are the probe's own rows, key unchanged: through filters and projections
/// that pass the key column on, into either input of an inner join, and into the preserved (left)
/// input of left outer, semi and anti joins (their output rows are that input's rows). Never below
/// an aggregate, sort, limit, window or union, and never into the null-supplying side of an outer
/// join.
enum RuntimeFilterTargets {
    /// The targets of a join probing `probe` with `probeKeys` against `buildKeys`; only keys that
    /// are plain columns of integer or date type on both sides.
    static func find(probe: any PhysicalOperator, probeKeys: [Expr], buildKeys: [Expr]) -> [RuntimeFilterTarget] {
        var out: [RuntimeFilterTarget] = []
        for (k, (p, b)) in zip(probeKeys, buildKeys).enumerated() {
            guard case let .attribute(key) = p, RuntimeKeyFilter.supports(key.type), RuntimeKeyFilter.supports(b.dataType),
                  key.type.isInteger == b.dataType.isInteger else { continue }
            for (scan, attribute) in scans(reading: key.id, below: probe) {
                out.append(RuntimeFilterTarget(keyIndex: k, scan: scan, attribute: attribute))
            }
        }
        return out
    }

    /// The scans below `op` whose output holds `id`, reached only where dropping rows of the scan
    /// whose `id` value fails a test drops exactly the rows above with that value.
    static func scans(reading id: AttributeID, below op: any PhysicalOperator) -> [(any PhysicalOperator, Attribute)] {
        switch op {
        case is ScanExec:
            return op.output.first { $0.id == id }.map { [(op, $0)] } ?? []
        case let fp as FilterProjectExec:
            guard fp.output.contains(where: { $0.id == id }) else { return [] }
            return scans(reading: id, below: fp.child)
        case let join as HashJoinExec:
            guard join.output.contains(where: { $0.id == id }) else { return [] }
            switch join.type {
            case .inner: return scans(reading: id, below: join.left) + scans(reading: id, below: join.right)
            case .left, .leftSemi, .leftAnti: return scans(reading: id, below: join.left)
            default: return []
            }
        case let join as HashJoinBuildLeftExec:
            guard join.output.contains(where: { $0.id == id }) else { return [] }
            return scans(reading: id, below: join.left)
        default:
            return []
        }
    }

    /// The share of probe rows a filter is expected to pass, nil when filtering is not worth it.
    /// The share is the larger of two guesses: the share of the rows of the table the build key
    /// column comes from whose keys the build holds (right when the build key is that table's
    /// key, as in a key–foreign-key join), and the share of the values between the smallest and
    /// largest built key that are built keys (`rangeShare`; right when the probe keys are dense, as
    /// when they are the probe table's key and the build key a foreign key). It must be at most
    /// `passingShareMax`, the build side must filter somewhere (an unfiltered dimension holds every
    /// key), and the probe scan must be larger than the build.
    static func expectedShare(buildKeys distinct: Int, rangeShare: Double, buildKey: Expr, build: any PhysicalOperator,
                              probeScan: any PhysicalOperator) -> Double? {
        if distinct == 0 { return 0 }
        guard case let .attribute(key) = buildKey, let source = sourceScan(of: key.id, below: build),
              let sourceRows = tableRows(source), sourceRows > 0 else { return nil }
        let share = max(Double(distinct) / Double(sourceRows), rangeShare)
        guard share <= passingShareMax, filters(build) else { return nil }
        return (tableRows(probeScan) ?? Int.max) > distinct * 2 ? share : nil
    }

    /// The largest expected share of passing probe rows for which a filter is made: measured on
    /// TPC-H, filters passing a third or more of the rows saved less than they cost.
    static let passingShareMax = 0.3

    /// The rows of a scan's whole table: the source's count, else guessed from its size as the
    /// optimizer's estimates guess (`Statistics.estimateRows`); cached data's own count.
    static func tableRows(_ scan: any PhysicalOperator) -> Int? {
        if let local = scan as? LocalExec { return local.data.batches.reduce(0) { $0 + $1.rowCount } }
        guard let scan = scan as? ScanExec else { return nil }
        let statistics = scan.relation.table.provider.statistics
        return statistics.rowCount ?? statistics.sizeBytes.map { $0 / 100 }
    }

    /// The scan that produces `id`, looking through every operator.
    static func sourceScan(of id: AttributeID, below op: any PhysicalOperator) -> (any PhysicalOperator)? {
        if op is ScanExec || op is LocalExec { return op.output.contains { $0.id == id } ? op : nil }
        for child in op.children {
            if let found = sourceScan(of: id, below: child) { return found }
        }
        return nil
    }

    /// Whether some operator of `op`'s tree may drop rows: a filter, a scan with pushed filters, an
    /// inner or semi join.
    static func filters(_ op: any PhysicalOperator) -> Bool {
        switch op {
        case let scan as ScanExec: return !scan.relation.filters.isEmpty
        case is LocalExec: return false
        case let fp as FilterProjectExec where fp.condition != nil: return true
        case let join as HashJoinExec where join.type == .inner || join.type == .leftSemi: return true
        case let join as HashJoinBuildLeftExec where join.type == .leftSemi: return true
        default: return op.children.contains { filters($0) }
        }
    }
}

/// The runtime key filters pushed to the scans of one query while their joins probe, by scan.
final class RuntimeScanFilters: @unchecked Sendable {
    private let lock = NSLock()
    private var filters: [ObjectIdentifier: [(expr: Expr, share: Double)]] = [:]

    /// Adds `filter`, expected to pass `share` of the rows, to the filters `scan` applies.
    func add(_ filter: Expr, share: Double, to scan: any PhysicalOperator) {
        lock.lock()
        filters[ObjectIdentifier(scan), default: []].append((filter, share))
        lock.unlock()
    }

    /// Removes `filter` from `scan`'s filters.
    func remove(_ filter: Expr, from scan: any PhysicalOperator) {
        lock.lock()
        if var list = filters[ObjectIdentifier(scan)], let at = list.firstIndex(where: { $0.expr == filter }) {
            list.remove(at: at)
            filters[ObjectIdentifier(scan)] = list.isEmpty ? nil : list
        }
        lock.unlock()
    }

    /// The runtime filters for `scan` now, the most selective first (a scan tests them in order).
    func filters(for scan: any PhysicalOperator) -> [Expr] {
        lock.lock()
        defer { lock.unlock() }
        return (filters[ObjectIdentifier(scan)] ?? []).sorted { $0.share < $1.share }.map(\.expr)
    }
}

/// The runtime key filters one join has pushed to its scans, withdrawn once the probe side has run.
struct PushedRuntimeFilters {
    fileprivate var entries: [(scan: any PhysicalOperator, expr: Expr, number: Int64)] = []

    /// Takes the filters back from their scans and forgets them.
    func withdraw(_ context: ExecutionContext) {
        for e in entries { context.scanFilters.remove(e.expr, from: e.scan) }
        for number in Set(entries.map(\.number)) { RuntimeKeyFilters.unregister(number) }
    }
}

extension RuntimeFilterTargets {
    /// Makes the filters of `targets` from the built key columns `keys` (where worth it) and hands
    /// them to their scans; `distinct` is the number of distinct built keys.
    static func push(_ targets: [RuntimeFilterTarget], keys: [ColumnVector], distinct: Int, buildKeys: [Expr],
                     build: any PhysicalOperator, context: ExecutionContext) -> PushedRuntimeFilters {
        var pushed = PushedRuntimeFilters()
        guard context.runtimeKeyFilters, !targets.isEmpty else { return pushed }
        // One filter per key column, shared by the scans that read it.
        var made: [Int: RuntimeKeyFilter?] = [:]
        var numbers: [Int: Int64] = [:]
        for t in targets {
            if made[t.keyIndex] == nil { made[t.keyIndex] = RuntimeKeyFilter.make(keys[t.keyIndex], distinct: distinct) }
            guard let made = made[t.keyIndex], let filter = made,
                  let share = expectedShare(buildKeys: distinct, rangeShare: filter.rangeShare, buildKey: buildKeys[t.keyIndex],
                                            build: build, probeScan: t.scan) else { continue }
            let number: Int64
            if let known = numbers[t.keyIndex] {
                number = known
            } else {
                number = RuntimeKeyFilters.register(filter)
                numbers[t.keyIndex] = number
            }
            let expr = RuntimeKeyFilters.expression(t.attribute, number: number)
            context.scanFilters.add(expr, share: share, to: t.scan)
            pushed.entries.append((t.scan, expr, number))
        }
        return pushed
    }

    /// The targets as EXPLAIN shows them on the join.
    static func describe(_ targets: [RuntimeFilterTarget]) -> String {
        guard !targets.isEmpty else { return "" }
        return " RuntimeFilter: [" + targets.map { "\($0.attribute)" }.joined(separator: ", ") + "]"
    }
}
