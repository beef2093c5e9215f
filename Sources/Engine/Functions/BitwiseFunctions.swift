import Columnar

/// Spark's bitwise operators (`a & b`, `a | b`, `a ^ b`, `~a`, planned as the internal functions
/// below and shown as the operators) and `bit_count` / `bit_get`, on integers of any width.
enum BitwiseFunctions {
    /// The operator each internal name is shown as.
    static let symbols: [String: String] = ["__bitwise_and": "&", "__bitwise_or": "|", "__bitwise_xor": "^", "__bitwise_not": "~"]

    static let all: [String: ScalarFunction] = [
        "__bitwise_and": binary { $0 & $1 },
        "__bitwise_or": binary { $0 | $1 },
        "__bitwise_xor": binary { $0 ^ $1 },
        "__bitwise_not": ScalarFunction(1...1, [nil], returning: widest) { c in
            try requireIntegers(c)
            let a = c.ints(0)
            return c.map { row, out in out.appendInt(~a[row]) }
        },
        "bit_count": ScalarFunction(1...1, [nil], returns: .int32) { c in
            if c.args[0].type == .boolean {
                let b = LogicKernel.trueMask(c.args[0])
                return c.map { row, out in out.appendInt(b[row] ? 1 : 0) }
            }
            try requireIntegers(c)
            let a = c.ints(0)
            let bits = c.args[0].type.byteWidth * 8
            return c.map { row, out in
                let v = UInt64(bitPattern: a[row]) & (bits == 64 ? UInt64.max : (1 << UInt64(bits)) - 1)
                out.appendInt(Int64(v.nonzeroBitCount))
            }
        },
        "bit_get": ScalarFunction(2...2, [nil, .int32], returns: .int8) { c in try bitGet(c) },
        "getbit": ScalarFunction(2...2, [nil, .int32], returns: .int8) { c in try bitGet(c) },
    ]

    static func binary(_ op: @escaping @Sendable (Int64, Int64) -> Int64) -> ScalarFunction {
        ScalarFunction(2...2, [nil], returning: widest) { c in
            try requireIntegers(c)
            let a = c.ints(0), b = c.ints(1)
            return c.map { row, out in out.appendInt(op(a[row], b[row])) }
        }
    }

    /// The widest integer type among the arguments (Spark widens the narrower side).
    @Sendable static func widest(_ args: [DataType]) -> DataType {
        for t in [DataType.int64, .int32, .int16, .int8] where args.contains(t) { return t }
        return args.first ?? .null
    }

    static func requireIntegers(_ c: ScalarCall) throws {
        for a in c.exprs where !a.dataType.isInteger && a.dataType != .null {
            throw EngineError.analysis("bitwise operations take integers, not \(a.dataType) (`\(a.prettyName)`)", position: nil)
        }
    }

    /// `bit_get(x, pos)`: bit `pos` (0 = least significant) of `x`; an error outside the type's width.
    static func bitGet(_ c: ScalarCall) throws -> ColumnVector {
        try requireIntegers(ScalarCall(name: c.name, exprs: [c.exprs[0]], args: [c.args[0]], rowCount: c.rowCount,
                                       resultType: c.resultType))
        let a = c.ints(0), p = c.ints(1)
        let bits = Int64(c.args[0].type.byteWidth * 8)
        return try c.map { row, out in
            guard (0..<bits).contains(p[row]) else {
                throw EngineError.execution("bit_get: position \(p[row]) is not within 0…\(bits - 1)")
            }
            out.appendInt((a[row] >> p[row]) & 1)
        }
    }
}

extension DataType {
    /// The bytes of an integer type's values (8 for others).
    var byteWidth: Int {
        switch self {
        case .int8: return 1
        case .int16: return 2
        case .int32: return 4
        default: return 8
        }
    }
}
