import Columnar

/// Result types of the functions over nested values (arrays, structs, maps) and generators.
extension Expr {
    /// The name a `struct(…)` argument gives its field, as Spark names them: a column keeps its
    /// name, an alias its alias, anything else `col<position>`.
    static func structFieldName(_ e: Expr, position: Int) -> String {
        switch e {
        case let .attribute(a): return a.name
        case let .alias(_, name, _): return name
        case let .column(n): return n.parts.last ?? "col\(position + 1)"
        case let .call("__getfield", args, _) where args.count == 2:
            if case let .literal(.string(f), _) = args[1] { return f }
            return "col\(position + 1)"
        default: return "col\(position + 1)"
        }
    }

    /// The type of field `name` of `type`: a struct's field, or for an array of structs the array
    /// of that field's values (Spark's `arr.f`). Nil when there is no such field.
    public static func fieldType(_ type: DataType, _ name: String) -> DataType? {
        switch type {
        case let .struct(fields):
            let lower = name.lowercased()
            return fields.first { $0.name.lowercased() == lower }?.type
        case let .array(e, _):
            guard case .struct = e, let t = fieldType(e, name) else { return nil }
            return .array(element: t, containsNull: true)
        default:
            return nil
        }
    }

    /// The result type of a nested-type function on resolved arguments; nil for other functions.
    static func nestedCallType(_ name: String, _ args: [Expr]) -> DataType? {
        let types = args.map(\.dataType)
        let first = types.first ?? .null
        switch name {
        case "array":
            return .array(element: TypeCoercion.wider(types) ?? .null, containsNull: true)
        case "struct":
            return .struct(args.enumerated().map { i, a in StructField(structFieldName(a, position: i), a.dataType) })
        case "named_struct":
            var fields: [StructField] = []
            var i = 0
            while i + 1 < args.count {
                let name: String
                if case let .literal(.string(s), _) = args[i] { name = s } else { name = "col\(i / 2 + 1)" }
                fields.append(StructField(name, types[i + 1]))
                i += 2
            }
            return .struct(fields)
        case "map":
            let keys = stride(from: 0, to: types.count, by: 2).map { types[$0] }
            let values = stride(from: 1, to: types.count, by: 2).map { types[$0] }
            return .map(key: TypeCoercion.wider(keys) ?? .null, value: TypeCoercion.wider(values) ?? .null,
                        valueContainsNull: true)
        case "__getfield":
            guard args.count == 2, case let .literal(.string(f), _) = args[1] else { return .null }
            return fieldType(first, f) ?? .null
        case "__subscript", "element_at":
            switch first {
            case let .array(e, _): return e
            case let .map(_, v, _): return v
            case .struct:
                guard args.count == 2, case let .literal(.string(f), _) = args[1] else { return .null }
                return fieldType(first, f) ?? .null
            default: return .null
            }
        case "size", "cardinality": return .int32
        case "array_contains": return .boolean
        case "split": return .array(element: .string, containsNull: true)
        case "sort_array", "array_distinct", "array_sort", "array_compact", "array_append", "array_prepend", "array_insert",
             "array_union", "array_intersect", "array_except":
            return first
        case "arrays_overlap": return .boolean
        case "array_size": return .int32
        case "map_from_arrays":
            guard let k = first.elementType, let v = types.count > 1 ? types[1].elementType : nil else { return .null }
            return .map(key: k, value: v, valueContainsNull: true)
        case "concat_ws": return .string
        case "map_keys":
            if case let .map(k, _, _) = first { return .array(element: k, containsNull: true) }
            return .null
        case "map_values":
            if case let .map(_, v, _) = first { return .array(element: v, containsNull: true) }
            return .null
        case "collect_list", "collect_set": return .array(element: first, containsNull: true)
        case "explode", "explode_outer":
            switch first {
            case let .array(e, _): return e
            case let .map(_, v, _): return v
            default: return .null
            }
        case "posexplode", "posexplode_outer": return .int32
        case "__generator_aliases": return first
        case "__lambda": return first
        case "transform": return .array(element: types.count > 1 ? types[1] : .null, containsNull: true)
        case "filter": return first
        case "exists", "forall": return .boolean
        case "__concat_arrays": return .array(element: TypeCoercion.wider(types.compactMap(\.elementType)) ?? .null, containsNull: true)
        case "array_join": return .string
        case "array_max", "array_min": return first.elementType ?? .null
        case "flatten": return first.elementType ?? .null
        case "slice", "array_remove": return first
        case "array_position": return .int64
        case "array_repeat": return .array(element: first, containsNull: true)
        case "sequence": return .array(element: TypeCoercion.wider(types) ?? .int64, containsNull: false)
        case "aggregate", "reduce": return types.count == 4 ? types[3] : (types.count > 2 ? types[2] : .null)
        default: return nil
        }
    }
}
