import Columnar
import Engine

/// What the pushed-down predicates on `partition`, `offset` and `timestamp` allow, used to narrow
/// the offset ranges before fetching. The engine still applies every predicate afterwards.
struct RangeNarrowing: Equatable {
    /// Partitions that may hold matching rows (nil: any).
    var partitions: Set<Int32>?
    /// Lowest offset that may match.
    var offsetFrom: Int64?
    /// Offsets at or past this cannot match.
    var offsetUntil: Int64?
    /// Lowest timestamp (ms) that may match. Only lower bounds are pushed: Kafka finds the first
    /// offset at or after a time, but with producer timestamps later offsets may hold earlier times.
    var timestampFromMs: Int64?

    /// Reads conjuncts of the form `column op constant` over the named source columns.
    init(_ filters: [Expr]) {
        for f in filters { absorb(f) }
    }

    private mutating func absorb(_ e: Expr) {
        switch e {
        case let .binary(.and, l, r):
            absorb(l)
            absorb(r)
        case let .binary(op, l, r):
            if let c = Self.column(l), let v = Self.constant(r) {
                bound(c, op, v)
            } else if let c = Self.column(r), let v = Self.constant(l), let flipped = Self.flip(op) {
                bound(c, flipped, v)
            }
        case let .between(x, low, high, false):
            if let c = Self.column(x), let lo = Self.constant(low), let hi = Self.constant(high) {
                bound(c, .greaterOrEqual, lo)
                bound(c, .lessOrEqual, hi)
            }
        case let .inList(x, list, false):
            if let c = Self.column(x), c == "partition" {
                let values = list.compactMap(Self.constant)
                if values.count == list.count {
                    let set = Set(values.compactMap { Int32(exactly: $0) })
                    partitions = partitions.map { $0.intersection(set) } ?? set
                }
            }
        default:
            break
        }
    }

    private mutating func bound(_ column: String, _ op: BinaryOperator, _ v: Int64) {
        switch column {
        case "partition":
            guard op == .equal else { return }
            let set: Set<Int32> = Int32(exactly: v).map { [$0] } ?? []
            partitions = partitions.map { $0.intersection(set) } ?? set
        case "offset":
            switch op {
            case .equal: raiseFrom(v); lowerUntil(v &+ 1)
            case .greater: raiseFrom(v &+ 1)
            case .greaterOrEqual: raiseFrom(v)
            case .less: lowerUntil(v)
            case .lessOrEqual: lowerUntil(v &+ 1)
            default: break
            }
        case "timestamp":
            // Microseconds in the engine; a record of millisecond m matches `>= v` when m*1000 >= v.
            let ms: Int64
            switch op {
            case .greaterOrEqual, .equal: ms = Self.ceilDiv(v, 1000)
            case .greater: ms = Self.ceilDiv(v &+ 1, 1000)
            default: return
            }
            timestampFromMs = max(timestampFromMs ?? ms, ms)
        default:
            break
        }
    }

    private mutating func raiseFrom(_ v: Int64) { offsetFrom = max(offsetFrom ?? v, v) }
    private mutating func lowerUntil(_ v: Int64) { offsetUntil = min(offsetUntil ?? v, v) }

    private static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && a > 0) ? q + 1 : q
    }

    private static func flip(_ op: BinaryOperator) -> BinaryOperator? {
        switch op {
        case .equal: return .equal
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return nil
        }
    }

    /// The source column an expression reads, seeing through widening integer casts.
    private static func column(_ e: Expr) -> String? {
        switch e {
        case let .attribute(a):
            let n = a.name.lowercased()
            return ["partition", "offset", "timestamp"].contains(n) ? n : nil
        case let .cast(inner, t) where t.isInteger:
            guard case let .attribute(a) = inner, a.type.isInteger else { return nil }
            return column(inner)
        default:
            return nil
        }
    }

    /// An integer or timestamp constant.
    private static func constant(_ e: Expr) -> Int64? {
        switch e {
        case let .literal(.int(v), _): return v
        case let .literal(.timestamp(v), _): return v
        case let .cast(inner, _): return constant(inner)
        default: return nil
        }
    }
}
