import Columnar
import Engine

// Expressions: the SQL syntax tree to the engine's `Expr`, literals typed as Spark types them.

extension SQLPlanner {
    /// Plans one expression.
    func expr(_ e: SQLExpr) throws -> Expr {
        switch e.kind {
        case .column(let parts):
            return .column(ColumnName(parts, position: SourcePosition(line: e.location.line, column: e.location.column)))
        case .literal(let literal):
            return try Self.literal(literal, at: e.location, timeZone: session.timeZone)
        case .star(let qualifier):
            return .star(qualifier: qualifier)
        case .unary(let op, let x):
            let operand = try expr(x)
            switch op {
            case .negate: return .unary(.negate, operand)
            case .plus: return operand
            case .not: return .unary(.not, operand)
            case .bitwiseNot: return .call(name: "__bitwise_not", args: [operand], distinct: false)
            }
        case .binary(let op, let a, let b):
            switch op {
            case .bitwiseAnd: return .call(name: "__bitwise_and", args: [try expr(a), try expr(b)], distinct: false)
            case .bitwiseOr: return .call(name: "__bitwise_or", args: [try expr(a), try expr(b)], distinct: false)
            case .bitwiseXor: return .call(name: "__bitwise_xor", args: [try expr(a), try expr(b)], distinct: false)
            default: return .binary(try Self.binaryOperator(op, at: e.location), try expr(a), try expr(b))
            }
        case .isNull(let x, let negated):
            return .isNull(try expr(x), negated: negated)
        case .isDistinctFrom(let a, let b, let negated):
            // a IS NOT DISTINCT FROM b is a <=> b.
            let same = Expr.binary(.nullSafeEqual, try expr(a), try expr(b))
            return negated ? same : .unary(.not, same)
        case .between(let x, let low, let high, let negated):
            return .between(try expr(x), low: try expr(low), high: try expr(high), negated: negated)
        case .like(let x, let pattern, let kind, let negated, let escape):
            if let escape, escape != "\\" {
                throw SQLError("LIKE … ESCAPE with a character other than '\\' is not supported yet", at: e.location)
            }
            switch kind {
            case .like, .ilike:
                return .like(try expr(x), pattern: try expr(pattern), negated: negated, caseInsensitive: kind == .ilike)
            case .rlike:
                let call = Expr.call(name: "rlike", args: [try expr(x), try expr(pattern)], distinct: false)
                return negated ? .unary(.not, call) : call
            }
        case .inList(let x, let items, let negated):
            return .inList(try expr(x), try items.map(expr), negated: negated)
        case .inSubquery(let x, let query, let negated):
            return .inSubquery(try expr(x), try plan(query), negated: negated)
        case .exists(let query, let negated):
            return .exists(try plan(query), negated: negated)
        case .scalarSubquery(let query):
            return .scalarSubquery(try plan(query))
        case .caseWhen(let operand, let branches, let otherwise):
            return .caseWhen(operand: try operand.map(expr),
                             branches: try branches.map { WhenClause(try expr($0.when), try expr($0.then)) },
                             otherwise: try otherwise.map(expr))
        case .cast(let x, let typeName, _):
            // Spark's default (non-ANSI) CAST already yields NULL where TRY_CAST would.
            return .cast(try expr(x), try Self.dataType(typeName, at: e.location))
        case .function(let call):
            return try function(call, at: e.location)
        case .extract(let field, let x):
            return .call(name: "extract", args: [.string(field), try expr(x)], distinct: false)
        case .substring(let x, let from, let length):
            var args = [try expr(x), try expr(from)]
            if let length { args.append(try expr(length)) }
            return .call(name: "substring", args: args, distinct: false)
        case .trim(let x, let side, let characters):
            guard characters == nil else {
                throw SQLError("TRIM with explicit characters is not supported yet", at: e.location)
            }
            let name = side == .both ? "trim" : (side == .leading ? "ltrim" : "rtrim")
            return .call(name: name, args: [try expr(x)], distinct: false)
        case .position(let needle, let haystack):
            // POSITION(a IN b) is instr(b, a).
            return .call(name: "instr", args: [try expr(haystack), try expr(needle)], distinct: false)
        case .element(let base, let index):
            return .call(name: "__subscript", args: [try expr(base), try expr(index)], distinct: false)
        case .field(let base, let name):
            return .call(name: "__getfield", args: [try expr(base), .string(name)], distinct: false)
        case .lambda(let params, let body):
            return .call(name: "__lambda", args: [try expr(body)] + params.map { Expr.string($0) }, distinct: false)
        }
    }

    static func binaryOperator(_ op: SQLBinaryOperator, at location: SourceLocation) throws -> BinaryOperator {
        switch op {
        case .or: return .or
        case .and: return .and
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .nullSafeEqual: return .nullSafeEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        case .add: return .add
        case .subtract: return .subtract
        case .multiply: return .multiply
        case .divide: return .divide
        case .modulo: return .remainder
        case .integerDivide: return .integerDivide
        case .concat: return .concat
        case .bitwiseAnd, .bitwiseOr, .bitwiseXor:
            throw SQLError("the bitwise operator \(op.rawValue) is not supported yet", at: location)
        }
    }

    /// A type name as the engine's `DataType`.
    static func dataType(_ t: SQLTypeName, at location: SourceLocation) throws -> DataType {
        switch t.name {
        case "ARRAY":
            guard t.arguments.count == 1 else { throw SQLError("ARRAY needs one element type: ARRAY<type>", at: location) }
            return .array(element: try dataType(t.arguments[0], at: location), containsNull: true)
        case "MAP":
            guard t.arguments.count == 2 else { throw SQLError("MAP needs a key and a value type: MAP<k, v>", at: location) }
            return .map(key: try dataType(t.arguments[0], at: location), value: try dataType(t.arguments[1], at: location),
                        valueContainsNull: true)
        case "STRUCT":
            return .struct(try zip(t.fieldNames, t.arguments).map { StructField($0, try dataType($1, at: location)) })
        default:
            break
        }
        guard t.arguments.isEmpty else { throw SQLError("type \(t.name)<…> is not supported", at: location) }
        let text = t.parameters.isEmpty ? t.name : "\(t.name)(\(t.parameters.map(String.init).joined(separator: ",")))"
        guard let type = DataType(sparkName: text) else {
            throw SQLError("unknown or unsupported type \(text)", at: location)
        }
        return type
    }

    // MARK: Literals

    /// Types a literal as Spark does: integers are int, then bigint, then decimal(n, 0) when they
    /// do not fit; numbers with a point are decimals of their written precision and scale.
    static func literal(_ literal: SQLLiteral, at location: SourceLocation, timeZone: SessionTimeZone = .utc) throws -> Expr {
        switch literal {
        case .null: return .null
        case .boolean(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .integer(let text):
            if let v = Int32(text) { return .int(v) }
            if let v = Int64(text) { return .bigint(v) }
            guard let d = Expr.decimal(text) else { throw SQLError("number \(text) is out of range", at: location) }
            return d
        case .typedInteger(let text, let suffix):
            let (type, range): (DataType, ClosedRange<Int64>)
            switch suffix {
            case "Y": (type, range) = (.int8, Int64(Int8.min)...Int64(Int8.max))
            case "S": (type, range) = (.int16, Int64(Int16.min)...Int64(Int16.max))
            default: (type, range) = (.int64, Int64.min...Int64.max)
            }
            guard let v = Int64(text), range.contains(v) else {
                throw SQLError("number \(text)\(suffix) is out of range for \(type)", at: location)
            }
            return .literal(.int(v), type)
        case .decimal(let text):
            guard let d = Expr.decimal(text) else {
                throw SQLError("decimal \(text) has more than \(DataType.decimalPrecisionMax) digits", at: location)
            }
            return d
        case .double(let text):
            guard let v = Double(text), v.isFinite else { throw SQLError("number \(text) is out of range", at: location) }
            return .double(v)
        case .date(let text):
            guard let d = Expr.date(text.trimmingSpaces) else {
                throw SQLError("invalid DATE literal '\(text)'", at: location)
            }
            return d
        case .timestamp(let text):
            let bytes = Array(text.trimmingSpaces.utf8)
            guard let p = bytes.withUnsafeBufferPointer({ DateTimeUtil.parseTimestampParts($0) }) else {
                throw SQLError("invalid TIMESTAMP literal '\(text)'", at: location)
            }
            // Without a zone the text is a wall-clock time in the session time zone.
            let t = p.offsetMicros.map { p.local - $0 } ?? timeZone.utc(fromLocal: p.local)
            return .literal(.timestamp(t), .timestamp)
        case .binary(let digits):
            // An odd count of digits gets a leading 0, as in Spark.
            var bytes: [UInt8] = []
            var high: UInt8? = digits.utf8.count % 2 == 1 ? 0 : nil
            for ch in digits {
                guard ch.isASCII, let d = ch.hexDigitValue.map(UInt8.init) else {
                    throw SQLError("invalid binary literal X'\(digits)': '\(ch)' is not a hexadecimal digit", at: location)
                }
                if let h = high { bytes.append(h << 4 | d); high = nil } else { high = d }
            }
            return .literal(.binary(bytes), .binary)
        case .interval(let i):
            return .interval(Interval(months: i.months, days: i.days, micros: i.microseconds))
        }
    }

    // MARK: Function calls

    private func function(_ call: FunctionCall, at location: SourceLocation) throws -> Expr {
        guard call.name.count == 1 else {
            throw SQLError("unknown function \(call.name.joined(separator: "."))", at: location)
        }
        if !call.withinGroup.isEmpty { return try expr(try Self.orderedSetAggregate(call, at: location)) }
        let name = call.name[0].lowercased()
        var args: [Expr] = []
        for a in call.arguments {
            if case .star(let q) = a.kind {
                // count(*) counts rows; Spark shows it as count(1).
                guard q.isEmpty, name == "count", call.arguments.count == 1 else {
                    throw SQLError("* is only allowed in count(*)", at: a.location)
                }
                args.append(.int(1))
            } else {
                args.append(try expr(a))
            }
        }
        if let filter = call.filter {
            // agg(x) FILTER (WHERE c) is agg(CASE WHEN c THEN x END): aggregates skip the NULLs.
            // Constant arguments are parameters (a percentage, a delimiter) and stay as they are,
            // unless every argument is one (count(*) counts the constant 1).
            let condition = try expr(filter)
            let filtered = { (e: Expr) -> Expr in .caseWhen(operand: nil, branches: [WhenClause(condition, e)], otherwise: nil) }
            let isConstant = { (e: Expr) -> Bool in if case .literal = e { return true } else { return false } }
            if args.allSatisfy(isConstant) {
                args = args.enumerated().map { i, e in i == 0 ? filtered(e) : e }
            } else {
                args = args.map { isConstant($0) ? $0 : filtered($0) }
            }
        }
        if call.ignoreNulls {
            guard ["first", "last", "first_value", "last_value"].contains(name), args.count == 1 else {
                throw SQLError("IGNORE NULLS applies to first/last only", at: location)
            }
            args.append(.bool(true))
        }
        let base = Expr.call(name: name, args: args, distinct: call.distinct)
        guard let over = call.over else { return base }
        return .window(base, try windowSpec(over, at: location))
    }

    private func windowSpec(_ reference: WindowReference, at location: SourceLocation) throws -> Engine.WindowSpec {
        var spec: SQLWindowSpec
        switch reference {
        case .inline(let s): spec = s
        case .named(let name, let at):
            guard let s = namedWindows[name.lowercased()] else {
                throw SQLError("window `\(name)` is not defined in a WINDOW clause", at: at)
            }
            spec = s
        }
        // (w ORDER BY …) refines a named window.
        var visited = Set<String>()
        while let base = spec.base {
            guard visited.insert(base.lowercased()).inserted, let parent = namedWindows[base.lowercased()] else {
                throw SQLError("window `\(base)` is not defined in a WINDOW clause", at: location)
            }
            spec = SQLWindowSpec(base: parent.base, partitionBy: parent.partitionBy + spec.partitionBy,
                                 orderBy: spec.orderBy.isEmpty ? parent.orderBy : spec.orderBy,
                                 frame: spec.frame ?? parent.frame)
        }
        var frame: Engine.WindowFrame?
        if let f = spec.frame {
            frame = Engine.WindowFrame(f.units == .rows ? .rows : .range,
                                       start: try frameBound(f.start), end: try frameBound(f.end))
        }
        return Engine.WindowSpec(partitionBy: try spec.partitionBy.map(expr), orderBy: try spec.orderBy.map(sortOrder),
                                 frame: frame)
    }

    private func frameBound(_ bound: SQLWindowFrame.Bound) throws -> FrameBound {
        func offset(_ e: SQLExpr) throws -> Int {
            try Self.nonNegativeInteger(e, "a window frame offset")
        }
        switch bound {
        case .unboundedPreceding: return .unboundedPreceding
        case .unboundedFollowing: return .unboundedFollowing
        case .currentRow: return .currentRow
        case .preceding(let e): return .preceding(try offset(e))
        case .following(let e): return .following(try offset(e))
        }
    }
}
