import Columnar

/// A filter on one string column judged on the column's values where they lie (a Parquet page's
/// PLAIN values after their lengths, a dictionary), without building a string column: LIKE and
/// NOT LIKE with a constant pattern, `=` and `<>` with a string constant, [NOT] IN a list of string
/// constants, and AND, OR and NOT of these. The values judged are never null (a null's answer is
/// the engine's own), so the answers are two-valued and combine bit by bit.
indirect enum StringValueTest: Sendable {
    case like(LikeMatcher, negated: Bool)
    case equal([UInt8], negated: Bool)
    case inList([[UInt8]], negated: Bool)
    case and(StringValueTest, StringValueTest)
    case or(StringValueTest, StringValueTest)
    case not(StringValueTest)

    /// The test `expr` makes of string column `column`; nil when `expr` reads anything else or holds
    /// another kind of condition.
    static func compile(_ expr: Expr, column: AttributeID) -> StringValueTest? {
        func isColumn(_ e: Expr) -> Bool {
            if case let .attribute(a) = e { return a.id == column && a.type == .string }
            return false
        }
        func constant(_ e: Expr) -> [UInt8]? {
            if case let .literal(.string(text), type) = e, type == .string { return Array(text.utf8) }
            return nil
        }
        switch expr {
        case let .like(value, pattern, negated, caseInsensitive):
            guard isColumn(value), let bytes = constant(pattern) else { return nil }
            return .like(LikeMatcher(pattern: bytes, caseInsensitive: caseInsensitive), negated: negated)
        case let .binary(op, left, right) where op == .equal || op == .notEqual:
            if isColumn(left), let bytes = constant(right) { return .equal(bytes, negated: op == .notEqual) }
            if isColumn(right), let bytes = constant(left) { return .equal(bytes, negated: op == .notEqual) }
            return nil
        case let .inList(value, items, negated):
            guard isColumn(value) else { return nil }
            let constants = items.compactMap(constant)
            guard constants.count == items.count else { return nil }
            return .inList(constants, negated: negated)
        case let .binary(.and, left, right):
            guard let l = compile(left, column: column), let r = compile(right, column: column) else { return nil }
            return .and(l, r)
        case let .binary(.or, left, right):
            guard let l = compile(left, column: column), let r = compile(right, column: column) else { return nil }
            return .or(l, r)
        case let .unary(.not, operand):
            return compile(operand, column: column).map { .not($0) }
        default:
            return nil
        }
    }

    /// One bit per value: whether it passes.
    func bits(_ values: SpacedByteValues) -> Bitmap {
        switch self {
        case let .like(matcher, negated): return matcher.matches(values, negated: negated)
        case let .equal(bytes, negated): return CompareKernel.equalBits(values, bytes, negated: negated)
        case let .inList(constants, negated): return CompareKernel.inListBits(values, constants, negated: negated)
        case let .and(l, r): return l.bits(values) & r.bits(values)
        case let .or(l, r): return l.bits(values) | r.bits(values)
        case let .not(operand): return ~operand.bits(values)
        }
    }
}
