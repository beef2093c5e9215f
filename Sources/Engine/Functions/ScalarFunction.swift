import Columnar

/// A scalar function defined in one place: how many arguments it takes, the types its arguments
/// are cast to, its result type and how it evaluates a batch.
///
/// The functions of the library (`ScalarFunctionLibrary`) are looked up by the registry, the
/// analyzer, the type rules and the evaluator, so adding one touches one file.
struct ScalarFunction: Sendable {
    /// The accepted argument counts.
    let arity: ClosedRange<Int>
    /// The type each argument is cast to (the last entry repeats for further arguments); nil
    /// leaves an argument as it is.
    let parameters: [DataType?]
    /// The result type for the (cast) argument types.
    let resultType: @Sendable ([DataType]) -> DataType
    /// True when every call gives a new answer (`rand`, `uuid`): never folded or moved.
    var nondeterministic = false
    /// True when the analyzer appends the session time zone id as a last, constant argument.
    var takesTimeZone = false
    /// Evaluates one batch.
    let evaluate: @Sendable (ScalarCall) throws -> ColumnVector

    init(_ arity: ClosedRange<Int>, _ parameters: [DataType?], returns: DataType, nondeterministic: Bool = false,
         _ evaluate: @escaping @Sendable (ScalarCall) throws -> ColumnVector) {
        self.init(arity, parameters, returning: { _ in returns }, nondeterministic: nondeterministic, evaluate)
    }

    init(_ arity: ClosedRange<Int>, _ parameters: [DataType?], returning: @escaping @Sendable ([DataType]) -> DataType,
         nondeterministic: Bool = false, _ evaluate: @escaping @Sendable (ScalarCall) throws -> ColumnVector) {
        self.arity = arity
        self.parameters = parameters
        self.resultType = returning
        self.nondeterministic = nondeterministic
        self.evaluate = evaluate
    }

    /// The same function, given the session time zone as its last argument.
    func withTimeZone() -> ScalarFunction {
        var f = self
        f.takesTimeZone = true
        return f
    }

    /// The type argument `i` is cast to, or nil to leave it.
    func parameterType(_ i: Int) -> DataType? {
        parameters.isEmpty ? nil : parameters[min(i, parameters.count - 1)]
    }
}

/// The library's functions by lower-case Spark name.
enum ScalarFunctionLibrary {
    static let functions: [String: ScalarFunction] = {
        var all: [String: ScalarFunction] = [:]
        for family in [StringFunctions.all, EncodingFunctions.all, CharsetFunctions.all, JSONShapeFunctions.all, CheckedArithmetic.all, FormatFunctions.all, RegexFunctions.all,
                       MathFunctions.all, HashFunctions.all, MiscFunctions.all, CalendarFunctions.all, BitwiseFunctions.all,
                       SessionFunctions.all] {
            all.merge(family) { first, _ in first }
        }
        return all
    }()
}

/// One evaluation of a library function over a batch: the argument vectors (already cast to the
/// parameter types) and their expressions (to read constant arguments).
struct ScalarCall {
    let name: String
    let exprs: [Expr]
    let args: [ColumnVector]
    let rowCount: Int
    let resultType: DataType

    /// The value of argument `i` when it is a constant (nil when it varies by row).
    func constant(_ i: Int) -> Scalar? {
        guard i < exprs.count, case let .literal(v, _) = exprs[i] else { return nil }
        return v
    }

    /// True when any argument is null at `row`.
    @inline(__always) func anyNull(_ row: Int) -> Bool {
        for a in args where a.isNull(row) { return true }
        return false
    }

    /// Builds the result row by row. A row where any argument is null is null (Spark's
    /// null-intolerant functions); `body` appends exactly one value for each other row.
    func map(_ body: (Int, inout ColumnBuilder) throws -> Void) rethrows -> ColumnVector {
        var out = ColumnBuilder(type: resultType, capacity: rowCount)
        for row in 0..<rowCount {
            if anyNull(row) { out.appendNull() } else { try body(row, &out) }
        }
        return out.finish()
    }

    /// The session time zone of a function that takes it (its last argument).
    func timeZone() throws -> SessionTimeZone {
        guard case let .string(id)? = constant(exprs.count - 1), let zone = SessionTimeZone(id) else {
            throw EngineError.execution("\(name): the session time zone argument is missing")
        }
        return zone
    }

    /// Argument `i` as strings (or binary bytes).
    func strings(_ i: Int) -> StringArgument { StringArgument(args[i]) }

    /// Argument `i` as 64-bit integers (the analyzer cast it to an integer type).
    func ints(_ i: Int) -> [Int64] {
        switch args[i].storage {
        case let .int64(v): return v
        case let .int32(v): return v.map(Int64.init)
        case let .int16(v): return v.map(Int64.init)
        case let .int8(v): return v.map(Int64.init)
        default:
            if case let .int64(v) = CastKernel.cast(args[i], to: .int64).storage { return v }
            return [Int64](repeating: 0, count: rowCount)
        }
    }

    /// Argument `i` as doubles.
    func doubles(_ i: Int) -> [Double] {
        if case let .float64(v) = args[i].storage { return v }
        if case let .float64(v) = CastKernel.cast(args[i], to: .float64).storage { return v }
        return [Double](repeating: 0, count: rowCount)
    }
}

/// Read access to a string or binary argument without copying its bytes.
struct StringArgument {
    let offsets: [Int32]
    let data: [UInt8]

    init(_ c: ColumnVector) {
        if case let .bytes(o, d) = c.storage {
            offsets = o
            data = d
        } else {
            offsets = [Int32](repeating: 0, count: c.count + 1)
            data = []
        }
    }

    /// The bytes of row `i`.
    @inline(__always) subscript(i: Int) -> ArraySlice<UInt8> { data[Int(offsets[i])..<Int(offsets[i + 1])] }

    /// Row `i` as a Swift string (invalid UTF-8 repaired).
    func string(_ i: Int) -> String { String(decoding: self[i], as: UTF8.self) }
}
