import Columnar
import Foundation

/// Scalar functions by Spark name.
enum FunctionEvaluator {
    static func constantString(_ e: Expr, _ fn: String) throws -> String {
        guard case let .literal(.string(s), _) = e else {
            throw EngineError.unsupported("argument of `\(fn)` must be a constant string")
        }
        return s
    }

    static func constantInt(_ e: Expr, _ fn: String) throws -> Int {
        guard case let .literal(.int(v), _) = e else {
            throw EngineError.unsupported("argument of `\(fn)` must be a constant integer")
        }
        return Int(v)
    }

    static func call(_ name: String, _ args: [Expr], resultType: DataType, batch: RecordBatch,
                     evaluator: ExprEvaluator) throws -> ColumnVector {
        let n = batch.rowCount
        func arg(_ i: Int) throws -> ColumnVector { try evaluator.evaluate(args[i], batch) }
        switch name {
        case RuntimeKeyFilters.functionName:
            // A join's runtime key filter, pushed into a probe-side scan while the join probes.
            guard args.count == 2, case let .literal(.int(number), _) = args[1] else {
                throw EngineError.execution("malformed runtime key filter")
            }
            return RuntimeKeyFilters.evaluate(try arg(0), number: number)
        case "substring", "substr":
            let pos = try constantInt(args[1], name)
            let len = args.count > 2 ? try constantInt(args[2], name) : nil
            return StringKernel.substring(try arg(0), pos: pos, len: len)
        case "left": return StringKernel.substring(try arg(0), pos: 1, len: try constantInt(args[1], name))
        case "upper", "ucase": return StringKernel.changeCase(try arg(0), upper: true)
        case "lower", "lcase": return StringKernel.changeCase(try arg(0), upper: false)
        case "trim": return StringKernel.trim(try arg(0), left: true, right: true)
        case "ltrim": return StringKernel.trim(try arg(0), left: true, right: false)
        case "rtrim": return StringKernel.trim(try arg(0), left: false, right: true)
        case "reverse": return StringKernel.reverse(try arg(0))
        case "length", "char_length", "character_length": return StringKernel.length(try arg(0))
        case "concat": return StringKernel.concat(try args.indices.map(arg), count: n)
        case "replace":
            let search = Array(try constantString(args[1], name).utf8)
            let repl = args.count > 2 ? Array(try constantString(args[2], name).utf8) : []
            return StringKernel.replace(try arg(0), search, repl)
        case "startswith", "endswith", "contains":
            let needle = Array(try constantString(args[1], name).utf8)
            let kind: StringKernel.Probe = name == "startswith" ? .startsWith : name == "endswith" ? .endsWith : .contains
            return StringKernel.probe(try arg(0), needle, kind)
        case "coalesce":
            return SelectKernel.coalesce(try args.indices.map { CastKernel.cast(try arg($0), to: resultType) })
        case "if":
            let cond = LogicKernel.trueMask(try arg(0))
            return SelectKernel.select(cond, CastKernel.cast(try arg(1), to: resultType), CastKernel.cast(try arg(2), to: resultType))
        case "isnull": return LogicKernel.isNull(try arg(0), negated: false)
        case "isnotnull": return LogicKernel.isNull(try arg(0), negated: true)
        case "year": return DateKernel.extract(try arg(0), .year)
        case "month": return DateKernel.extract(try arg(0), .month)
        case "day", "dayofmonth": return DateKernel.extract(try arg(0), .day)
        case "quarter": return DateKernel.extract(try arg(0), .quarter)
        case "dayofweek": return DateKernel.extract(try arg(0), .dayOfWeek)
        case "dayofyear": return DateKernel.extract(try arg(0), .dayOfYear)
        case "date_add": return DateKernel.addDays(try arg(0), try arg(1), negate: false)
        case "date_sub": return DateKernel.addDays(try arg(0), try arg(1), negate: true)
        case "add_months": return DateKernel.addMonths(try arg(0), try arg(1))
        case "datediff": return DateKernel.diff(try arg(0), try arg(1))
        case "last_day": return DateKernel.lastDay(try arg(0))
        case "trunc":
            let unit = try constantString(args[1], name)
            guard let r = DateKernel.truncate(CastKernel.cast(try arg(0), to: .date), unit: unit) else {
                return ColumnVector.nulls(.date, count: n)
            }
            return r
        case "to_date":
            if args.count > 1 { throw EngineError.unsupported("to_date with a format") }
            return CastKernel.cast(try arg(0), to: .date)
        case "to_timestamp":
            if args.count > 1 { throw EngineError.unsupported("to_timestamp with a format") }
            return CastKernel.cast(try arg(0), to: .timestamp)
        case "current_date":
            let days = Int32(Int(Date().timeIntervalSince1970) / 86_400)
            return ColumnVector.constant(.date(days), type: .date, count: n)
        case "current_timestamp":
            let micros = Int64(Date().timeIntervalSince1970 * 1_000_000)
            return ColumnVector.constant(.timestamp(micros), type: .timestamp, count: n)
        case "schema_of_json":
            let json = try constantString(args[0], name)
            guard let schema = JSONSchemaInference.schema(of: json) else {
                throw EngineError.execution("schema_of_json: '\(json.prefix(200))' is not a valid JSON document")
            }
            return ColumnVector.constant(.string(schema), type: .string, count: n)
        case "from_json":
            let failFast = args.count > 2 ? try JSONFunctions.options(args[2])["mode"]?.uppercased() == "FAILFAST" : false
            return try JSONFunctions.fromJSON(try arg(0), type: resultType, failFast: failFast)
        case "to_json": return JSONFunctions.toJSON(try arg(0))
        case "from_csv":
            return try CSVFunctions.fromCSV(try arg(0), type: resultType,
                                            options: args.count > 2 ? try JSONFunctions.options(args[2]) : [:])
        case "to_csv":
            return CSVFunctions.toCSV(try arg(0), options: args.count > 1 ? try JSONFunctions.options(args[1]) : [:])
        case "get_json_object": return JSONFunctions.getJsonObject(try arg(0), path: try constantString(args[1], name))
        case "__json_paths":
            guard let (paths, types) = JSONFunctions.pathArguments(args.dropFirst()) else {
                throw EngineError.unsupported("the paths of `\(name)` must be constant strings")
            }
            return JSONFunctions.getJsonObjects(try arg(0), paths: paths, types: types)
        case "abs": return MathKernels.abs(try arg(0))
        case "round": return MathKernels.round(try arg(0), scale: args.count > 1 ? try constantInt(args[1], name) : 0,
                                               resultType: resultType)
        case "floor", "ceil", "ceiling":
            return MathKernels.floorCeil(try arg(0), ceil: name != "floor", resultType: resultType)
        case "sqrt", "exp", "ln", "log10":
            return MathKernels.unaryDouble(try arg(0), name)
        case "pow", "power": return MathKernels.pow(try arg(0), try arg(1))
        case "greatest", "least":
            var out = try arg(0)
            for i in 1..<args.count {
                let b = try arg(i)
                let pick = CompareKernel.compare(b, out, name == "greatest" ? .greater : .less)
                // A null argument is skipped (Spark's greatest/least ignore nulls).
                let take = LogicKernel.trueMask(pick) | (~Validity.of(out) & Validity.of(b))
                out = SelectKernel.select(take, b, out)
            }
            return out
        default:
            if let v = try NestedFunctions.call(name, args, resultType: resultType, batch: batch, evaluator: evaluator) {
                return v
            }
            if let v = try DateTimeFunctions.call(name, args, resultType: resultType, batch: batch, evaluator: evaluator) {
                return v
            }
            if let v = try ArrayFunctions.call(name, args, resultType: resultType, batch: batch, evaluator: evaluator) {
                return v
            }
            if let v = try ArraySetFunctions.call(name, args, resultType: resultType, batch: batch, evaluator: evaluator) {
                return v
            }
            if let f = ScalarFunctionLibrary.functions[name] {
                return try f.evaluate(ScalarCall(name: name, exprs: args, args: try args.indices.map(arg),
                                                 rowCount: n, resultType: resultType))
            }
            throw EngineError.unsupported("function `\(name)` is not implemented yet")
        }
    }
}
