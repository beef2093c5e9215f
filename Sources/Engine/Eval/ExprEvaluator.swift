import Columnar

/// Evaluates resolved expressions over a batch, a whole column at a time.
///
/// Attributes are bound to column positions of the input once; each node runs one kernel over
/// the batch. Aggregate, window and subquery expressions must have been planned away before
/// evaluation.
public struct ExprEvaluator {
    /// Column position of each input attribute.
    public let ordinals: [AttributeID: Int]

    /// Binds to given column positions.
    public init(ordinals: [AttributeID: Int]) { self.ordinals = ordinals }

    /// Binds to the columns of `input`.
    public init(input: [Attribute]) {
        var m: [AttributeID: Int] = [:]
        for (i, a) in input.enumerated() where m[a.id] == nil { m[a.id] = i }
        ordinals = m
    }

    static func comparison(_ op: BinaryOperator) -> ComparisonOp? {
        switch op {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        default: return nil
        }
    }

    /// `c op x` ⇔ `x flipped(op) c`.
    static func flipped(_ op: ComparisonOp) -> ComparisonOp {
        switch op {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return op
        }
    }

    /// `l op r` for addition, subtraction and multiplication with a constant side, through the
    /// kernel's constant form where it has one; nil when neither side is a constant.
    private func arithmeticWithConstant(_ op: BinaryOperator, _ l: Expr, _ r: Expr, resultType: DataType,
                                        _ batch: RecordBatch) throws -> ColumnVector? {
        let kernelOp: ArithmeticOp
        switch op {
        case .add: kernelOp = .add
        case .subtract: kernelOp = .subtract
        case .multiply: kernelOp = .multiply
        default: return nil
        }
        let constantOnLeft: Bool
        let value: Scalar, type: DataType, other: Expr
        if case let .literal(v, t) = r {
            (value, type, other, constantOnLeft) = (v, t, l, false)
        } else if case let .literal(v, t) = l {
            (value, type, other, constantOnLeft) = (v, t, r, true)
        } else {
            return nil
        }
        if value.isNull { return nil }
        let column = try evaluate(other, batch)
        var one = ColumnBuilder(type: type, capacity: 1)
        one.append(value)
        if let out = ArithmeticKernel.apply(kernelOp, column, constant: one.finish(), constantOnLeft: constantOnLeft,
                                            resultType: resultType) {
            return out
        }
        let expanded = ColumnVector.constant(value, type: type, count: column.count)
        return constantOnLeft ? ArithmeticKernel.apply(kernelOp, expanded, column, resultType: resultType)
            : ArithmeticKernel.apply(kernelOp, column, expanded, resultType: resultType)
    }

    /// The UTF-8 bytes of every item when each is a string literal that is not null; nil otherwise.
    static func stringLiterals(_ items: [Expr]) -> [[UInt8]]? {
        var out: [[UInt8]] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard case let .literal(.string(s), .string) = item else { return nil }
            out.append(Array(s.utf8))
        }
        return out
    }

    /// Evaluates `e` for every row of `batch`.
    public func evaluate(_ e: Expr, _ batch: RecordBatch) throws -> ColumnVector {
        let n = batch.rowCount
        switch e {
        case let .attribute(a):
            guard let i = ordinals[a.id] else {
                throw EngineError.execution("column \(a) is not available in this operator's input")
            }
            return batch.columns[i]
        case let .literal(v, t):
            return ColumnVector.constant(v, type: t, count: n)
        case let .alias(inner, _, _):
            return try evaluate(inner, batch)
        case let .unary(.negate, x):
            return ArithmeticKernel.negate(try evaluate(x, batch))
        case let .unary(.not, x):
            return LogicKernel.not(try evaluate(x, batch))
        case let .binary(op, l, r):
            if let cmp = Self.comparison(op) {
                // A comparison with a constant runs against the scalar, not an expanded column.
                if case let .literal(v, t) = r, let out = CompareKernel.compare(try evaluate(l, batch), scalar: v, type: t, cmp) {
                    return out
                }
                if case let .literal(v, t) = l, let out = CompareKernel.compare(try evaluate(r, batch), scalar: v, type: t, Self.flipped(cmp)) {
                    return out
                }
            }
            if let out = try arithmeticWithConstant(op, l, r, resultType: e.dataType, batch) { return out }
            let a = try evaluate(l, batch), b = try evaluate(r, batch)
            switch op {
            case .and: return LogicKernel.and(a, b)
            case .or: return LogicKernel.or(a, b)
            case .equal: return CompareKernel.compare(a, b, .equal)
            case .notEqual: return CompareKernel.compare(a, b, .notEqual)
            case .less: return CompareKernel.compare(a, b, .less)
            case .lessOrEqual: return CompareKernel.compare(a, b, .lessOrEqual)
            case .greater: return CompareKernel.compare(a, b, .greater)
            case .greaterOrEqual: return CompareKernel.compare(a, b, .greaterOrEqual)
            case .nullSafeEqual: return CompareKernel.nullSafeEqual(a, b)
            case .concat: return StringKernel.concat([a, b], count: n)
            case .add: return ArithmeticKernel.apply(.add, a, b, resultType: e.dataType)
            case .subtract: return ArithmeticKernel.apply(.subtract, a, b, resultType: e.dataType)
            case .multiply: return ArithmeticKernel.apply(.multiply, a, b, resultType: e.dataType)
            case .divide: return ArithmeticKernel.apply(.divide, a, b, resultType: e.dataType)
            case .remainder: return ArithmeticKernel.apply(.remainder, a, b, resultType: e.dataType)
            case .integerDivide: return ArithmeticKernel.apply(.integerDivide, a, b, resultType: e.dataType)
            }
        case let .isNull(x, neg):
            return LogicKernel.isNull(try evaluate(x, batch), negated: neg)
        case let .cast(x, t):
            return CastKernel.cast(try evaluate(x, batch), to: t)
        case let .caseWhen(_, branches, otherwise):
            let t = e.dataType
            var out = try otherwise.map { try evaluate($0, batch) } ?? ColumnVector.nulls(t, count: n)
            if out.type != t { out = CastKernel.cast(out, to: t) }
            for b in branches.reversed() {
                let cond = LogicKernel.trueMask(try evaluate(b.condition, batch))
                var value = try evaluate(b.result, batch)
                if value.type != t { value = CastKernel.cast(value, to: t) }
                out = SelectKernel.select(cond, value, out)
            }
            return out
        case let .inList(x, list, neg):
            let v = try evaluate(x, batch)
            // Strings against constants that are not null: one pass over the values.
            if v.type == .string, !list.isEmpty, let strings = Self.stringLiterals(list),
               let found = CompareKernel.inList(v, values: strings) {
                return neg ? LogicKernel.not(found) : found
            }
            var acc: ColumnVector? = nil
            for item in list {
                // Constant items compare against the scalar, not a column of copies.
                let eq: ColumnVector
                if case let .literal(c, t) = item, let out = CompareKernel.compare(v, scalar: c, type: t, .equal) {
                    eq = out
                } else {
                    eq = CompareKernel.compare(v, try evaluate(item, batch), .equal)
                }
                acc = acc.map { LogicKernel.or($0, eq) } ?? eq
            }
            let result = acc ?? ColumnVector.constant(.boolean(false), type: .boolean, count: n)
            return neg ? LogicKernel.not(result) : result
        case let .like(x, pattern, neg, ci):
            guard case let .literal(.string(p), _) = pattern else {
                throw EngineError.unsupported("LIKE with a pattern that is not a constant")
            }
            return LikeMatcher(pattern: Array(p.utf8), caseInsensitive: ci).apply(try evaluate(x, batch), negated: neg)
        case let .call(name, args, _):
            return try FunctionEvaluator.call(name, args, resultType: e.dataType, batch: batch, evaluator: self)
        case .between:
            throw EngineError.execution("BETWEEN should have been rewritten by the analyzer")
        case .column, .star, .outerReference, .interval:
            throw EngineError.execution("unresolved expression `\(e.prettyName)` reached execution")
        case .exists, .inSubquery, .scalarSubquery:
            throw EngineError.unsupported("subquery expression `\(e.prettyName)` in this position")
        case .window:
            throw EngineError.execution("window function `\(e.prettyName)` outside a Window operator")
        }
    }
}
