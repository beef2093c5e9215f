import Columnar

/// Type checks and implicit casts for functions over arrays, structs and maps, and the
/// resolution of struct fields written as dotted names (`s.f`, `t.s.f`).
extension Analyzer {
    func nestedError(_ message: String) -> EngineError { EngineError.analysis(message, position: nil) }

    /// Spark cannot group, sort, or take DISTINCT over maps: a clear error instead of an
    /// order that depends on entry order.
    func requireOrderable(_ exprs: [Expr], _ what: String) throws {
        for e in exprs where e.dataType.containsMap {
            throw nestedError("[\(what)] The expression `\(e.prettyName)` cannot be used here because its data type "
                              + "\"\(e.dataType.sqlName)\" is not an orderable data type.")
        }
    }

    /// `s.f.g` where `s` is a column: the column with its fields taken one after another.
    func resolveFieldAccess(_ name: ColumnName, input: [Attribute], _ scope: Scope) throws -> Expr? {
        let parts = name.parts
        guard parts.count > 1 else { return nil }
        // Prefer the longest prefix that names a column (so `t.s.f` reads column s of t).
        for k in stride(from: parts.count - 1, through: 1, by: -1) {
            let prefix = ColumnName(Array(parts[0..<k]), position: name.position)
            var base: Expr? = nil
            if let a = try lookup(prefix, in: input) {
                base = .attribute(a)
            } else {
                for level in scope.outer {
                    if let a = try lookup(prefix, in: level) {
                        base = .outerReference(a)
                        break
                    }
                }
            }
            guard var e = base else { continue }
            for f in parts[k...] { e = try getField(e, f) }
            return e
        }
        return nil
    }

    /// `base.f` checked against the base's type.
    func getField(_ base: Expr, _ field: String) throws -> Expr {
        guard Expr.fieldType(base.dataType, field) != nil else {
            if case let .struct(fields) = base.dataType {
                throw nestedError("[FIELD_NOT_FOUND] No such struct field `\(field)` in "
                                  + fields.map { "`\($0.name)`" }.joined(separator: ", ") + ".")
            }
            throw nestedError("[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from `\(base.prettyName)`. "
                              + "Need a complex type [STRUCT, ARRAY, MAP] but got \"\(base.dataType.description.uppercased())\".")
        }
        return .call(name: "__getfield", args: [base, .string(field)], distinct: false)
    }

    func requireType(_ e: Expr, _ fn: String, _ what: String, _ ok: (DataType) -> Bool) throws {
        guard ok(e.dataType) || e.dataType == .null else {
            throw nestedError("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve `\(fn)`: `\(e.prettyName)` "
                              + "requires \(what), but it has type \"\(e.dataType.description.uppercased())\".")
        }
    }

    /// True when widening one type to the other would turn a non-string into a string: Spark's
    /// array functions refuse that instead of casting.
    static func promotesToString(_ a: DataType, _ b: DataType) -> Bool {
        a != b && a != .null && b != .null && (a == .string || b == .string)
    }

    static func isArray(_ t: DataType) -> Bool { t.elementType != nil }
    static func isMap(_ t: DataType) -> Bool {
        if case .map = t { return true }
        return false
    }

    /// Coerces a call of a nested-type function; nil for other functions.
    func coerceNestedCall(_ name: String, _ args: [Expr], _ distinct: Bool) throws -> Expr? {
        func call(_ a: [Expr]) -> Expr { .call(name: name, args: a, distinct: distinct) }
        func same(_ list: [Expr], _ what: String) throws -> [Expr] {
            guard let t = TypeCoercion.wider(list.map(\.dataType)) else {
                throw nestedError("[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve `\(name)`: the \(what) should all "
                                  + "be the same type, but they are [" + list.map { $0.dataType.description.uppercased() }
                                  .joined(separator: ", ") + "].")
            }
            return list.map { TypeCoercion.cast($0, to: t) }
        }
        switch name {
        case "array":
            return call(try same(args, "elements"))
        case "map":
            guard args.count % 2 == 0 else {
                throw nestedError("[WRONG_NUM_ARGS] `map` requires an even number of arguments, not \(args.count).")
            }
            let keys = try same(stride(from: 0, to: args.count, by: 2).map { args[$0] }, "keys")
            let values = try same(stride(from: 1, to: args.count, by: 2).map { args[$0] }, "values")
            if let k = keys.first, k.dataType.containsMap {
                throw nestedError("[DATATYPE_MISMATCH.INVALID_MAP_KEY_TYPE] The key of a map cannot be a map.")
            }
            return call(zip(keys, values).flatMap { [$0, $1] })
        case "named_struct":
            guard args.count % 2 == 0 else {
                throw nestedError("[WRONG_NUM_ARGS] `named_struct` requires an even number of arguments, not \(args.count).")
            }
            for i in stride(from: 0, to: args.count, by: 2) {
                guard case .literal(.string, _) = args[i] else {
                    throw nestedError("[DATATYPE_MISMATCH.CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING] Only foldable "
                                      + "STRING expressions are allowed to appear at odd position in `named_struct`.")
                }
            }
            return nil
        case "struct":
            return nil
        case "__getfield":
            guard case let .literal(.string(f), _) = args[1] else { return nil }
            let r = try getField(args[0], f)
            return r == call(args) ? nil : r
        case "__subscript", "element_at":
            let base = args[0]
            switch base.dataType {
            case .array:
                return call([base, TypeCoercion.cast(args[1], to: .int32)])
            case let .map(k, _, _):
                return call([base, TypeCoercion.cast(args[1], to: k)])
            case .struct where name == "__subscript":
                guard case let .literal(.string(f), _) = args[1] else {
                    throw nestedError("[INVALID_EXTRACT_FIELD_TYPE] Field name should be a non-null string literal, "
                                      + "but it's \(args[1].prettyName).")
                }
                return try getField(base, f)
            case .null:
                return .literal(.null, .null)
            default:
                throw nestedError("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve `\(name)`: `\(base.prettyName)` "
                                  + "requires an ARRAY or MAP, but it has type \"\(base.dataType.description.uppercased())\".")
            }
        case "size", "cardinality":
            try requireType(args[0], name, "an ARRAY or MAP") { Self.isArray($0) || Self.isMap($0) }
            return nil
        case "array_contains":
            try requireType(args[0], name, "an ARRAY", Self.isArray)
            guard let e = args[0].dataType.elementType else { return nil }
            guard let t = TypeCoercion.wider(e, args[1].dataType) else {
                throw nestedError("[DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES] Cannot resolve `array_contains`: "
                                  + "the value has type \(args[1].dataType), the elements \(e).")
            }
            return call([TypeCoercion.cast(args[0], to: .array(element: t, containsNull: true)), TypeCoercion.cast(args[1], to: t)])
        case "split":
            var out = [TypeCoercion.cast(args[0], to: .string), TypeCoercion.cast(args[1], to: .string)]
            if args.count > 2 { out.append(TypeCoercion.cast(args[2], to: .int32)) }
            return call(out)
        case "sort_array", "array_distinct":
            try requireType(args[0], name, "an ARRAY", Self.isArray)
            if name == "sort_array" {
                if args[0].dataType.containsMap {
                    throw nestedError("[DATATYPE_MISMATCH.INVALID_ORDERING_TYPE] `sort_array` does not support ordering on "
                                      + "type \"\(args[0].dataType.description.uppercased())\".")
                }
                if args.count > 1, !(args[1].dataType == .boolean) {
                    throw nestedError("[DATATYPE_MISMATCH] the second argument of `sort_array` must be a boolean literal")
                }
            }
            return nil
        case "concat_ws":
            var out = [TypeCoercion.cast(args[0], to: .string)]
            for a in args.dropFirst() {
                if a.dataType.elementType == .string {
                    out.append(a)
                } else if let e = a.dataType.elementType, !e.isNested {
                    out.append(TypeCoercion.cast(a, to: .array(element: .string, containsNull: true)))
                } else if a.dataType.isNested {
                    throw nestedError("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve `concat_ws`: `\(a.prettyName)` "
                                      + "requires a STRING or ARRAY<STRING>, but it has type \"\(a.dataType.description.uppercased())\".")
                } else {
                    out.append(TypeCoercion.cast(a, to: .string))
                }
            }
            return call(out)
        case "map_keys", "map_values":
            try requireType(args[0], name, "a MAP", Self.isMap)
            return nil
        case "concat" where !args.isEmpty && args.allSatisfy({ Self.isArray($0.dataType) || $0.dataType == .null }):
            guard let e = TypeCoercion.wider(args.compactMap(\.dataType.elementType)) else {
                throw nestedError("[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve `concat`: the arrays have different element types.")
            }
            let t = DataType.array(element: e, containsNull: true)
            return .call(name: "__concat_arrays", args: args.map { TypeCoercion.cast($0, to: t) }, distinct: distinct)
        case "array_join":
            try requireType(args[0], name, "an ARRAY", Self.isArray)
            let strings = DataType.array(element: .string, containsNull: true)
            return call([TypeCoercion.cast(args[0], to: strings)] + args.dropFirst().map { TypeCoercion.cast($0, to: .string) })
        case "array_max", "array_min":
            try requireType(args[0], name, "an ARRAY", Self.isArray)
            if args[0].dataType.containsMap { throw nestedError("[DATATYPE_MISMATCH.INVALID_ORDERING_TYPE] `\(name)` cannot order maps.") }
            return nil
        case "flatten":
            try requireType(args[0], name, "an ARRAY of ARRAYs") { $0.elementType?.elementType != nil }
            return nil
        case "slice":
            try requireType(args[0], name, "an ARRAY", Self.isArray)
            return call([args[0], TypeCoercion.cast(args[1], to: .int64), TypeCoercion.cast(args[2], to: .int64)])
        case "array_position", "array_remove":
            try requireType(args[0], name, "an ARRAY", Self.isArray)
            guard let e = args[0].dataType.elementType, let t = TypeCoercion.wider(e, args[1].dataType) else { return nil }
            return call([TypeCoercion.cast(args[0], to: .array(element: t, containsNull: true)), TypeCoercion.cast(args[1], to: t)])
        case "array_repeat":
            return call([args[0], TypeCoercion.cast(args[1], to: .int64)])
        case "array_sort", "array_compact", "array_size":
            try requireType(args[0], name, "an ARRAY", Self.isArray)
            if name == "array_sort", args[0].dataType.containsMap {
                throw nestedError("[DATATYPE_MISMATCH.INVALID_ORDERING_TYPE] `array_sort` does not support ordering on maps.")
            }
            return nil
        case "array_append", "array_prepend", "array_insert":
            // The element joins the array's element type (or widens it).
            try requireType(args[0], name, "an ARRAY", Self.isArray)
            let value = args[args.count - 1]
            guard let e = args[0].dataType.elementType, !Self.promotesToString(e, value.dataType),
                  let t = TypeCoercion.wider(e, value.dataType) else {
                throw nestedError("[DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES] Cannot resolve `\(name)`: the element has "
                                  + "type \(value.dataType), the array's elements \(args[0].dataType.elementType ?? .null).")
            }
            let array = TypeCoercion.cast(args[0], to: .array(element: t, containsNull: true))
            return call(name == "array_insert" ? [array, TypeCoercion.cast(args[1], to: .int64), TypeCoercion.cast(value, to: t)]
                                               : [array, TypeCoercion.cast(value, to: t)])
        case "array_union", "array_intersect", "array_except", "arrays_overlap":
            try requireType(args[0], name, "an ARRAY", Self.isArray)
            try requireType(args[1], name, "an ARRAY", Self.isArray)
            let elements = args.compactMap(\.dataType.elementType)
            guard elements.count < 2 || !Self.promotesToString(elements[0], elements[1]), let t = TypeCoercion.wider(elements) else {
                throw nestedError("[DATATYPE_MISMATCH.BINARY_ARRAY_DIFF_TYPES] Cannot resolve `\(name)`: the arrays have different element types.")
            }
            let array = DataType.array(element: t, containsNull: true)
            return call(args.map { TypeCoercion.cast($0, to: array) })
        case "map_from_arrays":
            try requireType(args[0], name, "an ARRAY", Self.isArray)
            try requireType(args[1], name, "an ARRAY", Self.isArray)
            if let k = args[0].dataType.elementType, k.containsMap {
                throw nestedError("[DATATYPE_MISMATCH.INVALID_MAP_KEY_TYPE] The key of a map cannot be a map.")
            }
            return nil
        case "sequence":
            guard args.allSatisfy({ $0.dataType.isInteger || $0.dataType == .null }) else {
                throw nestedError("[DATATYPE_MISMATCH.SEQUENCE_WRONG_INPUT_TYPES] `sequence` takes integer bounds and step.")
            }
            let t = TypeCoercion.wider(args.map(\.dataType)) ?? .int64
            return call(args.map { TypeCoercion.cast($0, to: t == .null ? .int64 : t) })
        case "collect_set":
            if args.first?.dataType.containsMap == true {
                throw nestedError("[DATATYPE_MISMATCH.UNSUPPORTED_INPUT_TYPE] `collect_set` cannot take MAP values.")
            }
            return nil
        case "explode", "explode_outer", "posexplode", "posexplode_outer":
            try requireType(args[0], name, "an ARRAY or MAP") { Self.isArray($0) || Self.isMap($0) }
            return nil
        default:
            return nil
        }
    }
}
