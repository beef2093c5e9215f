import Columnar

extension JSONFunctions {
    /// The options of a JSON function: a `map('mode', 'FAILFAST', …)` of constant strings.
    static func options(_ e: Expr) throws -> [String: String] {
        if case let .literal(.map(keys, values), _) = e {
            // Folded to a constant map by the optimizer.
            var out: [String: String] = [:]
            for (k, v) in zip(keys, values) {
                guard case let .string(key) = k, case let .string(value) = v else {
                    throw EngineError.analysis("JSON options must be constant strings", position: nil)
                }
                out[key.lowercased()] = value
            }
            return out
        }
        guard case let .call(name, args, _) = e, name.lowercased() == "map", args.count % 2 == 0 else {
            throw EngineError.analysis("JSON options must be given as map('key', 'value', …)", position: nil)
        }
        var out: [String: String] = [:]
        var i = 0
        while i + 1 < args.count {
            guard case let .literal(.string(k), _) = args[i], case let .literal(.string(v), _) = args[i + 1] else {
                throw EngineError.analysis("JSON options must be constant strings", position: nil)
            }
            out[k.lowercased()] = v
            i += 2
        }
        if let mode = out["mode"], !["PERMISSIVE", "FAILFAST"].contains(mode.uppercased()) {
            throw EngineError.analysis("from_json supports the modes PERMISSIVE and FAILFAST, not \(mode)", position: nil)
        }
        return out
    }

    /// `from_json(text, schema)`: each row's JSON object as a struct of `type`. SQL NULL or blank text
    /// gives a null struct; text that is not an object gives a struct of nulls (PERMISSIVE) or an
    /// error (FAILFAST), as in Spark 3.
    static func fromJSON(_ input: ColumnVector, type: DataType, failFast: Bool) throws -> ColumnVector {
        let n = input.count
        guard case let .struct(fields) = type else { return ColumnVector.nulls(type, count: n) }
        let text = input.type == .string || input.type == .binary ? input : CastKernel.cast(input, to: .string)
        guard case let .bytes(offsets, data) = text.storage else { return ColumnVector.nulls(type, count: n) }
        if !failFast && JSONFlatRecordReader.handles(fields) {
            return JSONFlatRecordReader.read(text, offsets: offsets, data: data, fields: fields)
        }
        var parser = JSONRecordParser(fields: fields.map { ($0.name, $0.type) }, failFast: failFast)
        var present = Bitmap(count: n, value: true)
        try data.withUnsafeBytes { raw in
            for r in 0..<n {
                if text.isNull(r) {
                    for f in parser.fields.indices { parser.fields[f].appendNull() }
                    present[r] = false
                } else if try !parser.parse(raw, Int(offsets[r]), Int(offsets[r + 1])) {
                    present[r] = false
                }
            }
        }
        var children = parser.finish()
        for (i, f) in fields.enumerated() where f.type.isNested {
            children[i] = try nested(children[i], type: f.type, failFast: failFast)
        }
        return ColumnVector(type: type, count: n, storage: .struct(children), validity: present)
    }

    /// Converts a column of JSON texts (nested members) to `type`.
    static func nested(_ texts: ColumnVector, type: DataType, failFast: Bool) throws -> ColumnVector {
        switch type {
        case .struct:
            return try fromJSON(texts, type: type, failFast: failFast)
        case let .array(element, containsNull):
            return try array(texts, element: element, containsNull: containsNull, failFast: failFast)
        default:
            // Maps are not read from JSON yet: the field stays null.
            return ColumnVector.nulls(type, count: texts.count)
        }
    }

    /// A column of JSON array texts as an array column: the element texts are gathered, then read
    /// as `element` values.
    static func array(_ texts: ColumnVector, element: DataType, containsNull: Bool, failFast: Bool) throws -> ColumnVector {
        let n = texts.count
        let type = DataType.array(element: element, containsNull: containsNull)
        guard case let .bytes(offsets, data) = texts.storage else { return ColumnVector.nulls(type, count: n) }
        var listOffsets: [Int32] = [0]
        listOffsets.reserveCapacity(n + 1)
        var present = Bitmap(count: n, value: true)
        var elementOffsets: [Int32] = [0]
        var elementData: [UInt8] = []
        var count: Int32 = 0
        try data.withUnsafeBytes { raw in
            for r in 0..<n {
                defer { listOffsets.append(count) }
                if texts.isNull(r) {
                    present[r] = false
                    continue
                }
                var s = JSONScanner(raw, start: Int(offsets[r]), end: Int(offsets[r + 1]))
                s.skipSpace()
                guard s.i < s.end, raw[s.i] == UInt8(ascii: "[") else {
                    present[r] = false
                    if failFast { throw JSONRecordParser.failure(UnsafeRawBufferPointer(rebasing: raw[s.i..<s.end]), "not an array") }
                    continue
                }
                s.i += 1
                s.skipSpace()
                if s.i < s.end && raw[s.i] == UInt8(ascii: "]") { continue }
                while s.i < s.end {
                    s.skipSpace()
                    let start = s.i
                    guard s.skipValue() else { break }
                    elementData.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[start..<s.i]))
                    elementOffsets.append(Int32(truncatingIfNeeded: elementData.count))
                    count += 1
                    s.skipSpace()
                    guard s.i < s.end, raw[s.i] == UInt8(ascii: ",") else { break }
                    s.i += 1
                }
            }
        }
        let elementTexts = ColumnVector(type: .string, count: Int(count),
                                        storage: .bytes(offsets: elementOffsets, data: elementData), validity: nil)
        let values: ColumnVector
        if element.isNested {
            values = try nested(elementTexts, type: element, failFast: failFast)
        } else {
            var parser = JSONRecordParser(fields: [("element", element)], failFast: failFast)
            try elementData.withUnsafeBytes { raw in
                for e in 0..<Int(count) {
                    _ = try parser.parseValueOnly(raw, Int(elementOffsets[e]), Int(elementOffsets[e + 1]))
                }
            }
            values = parser.finish()[0]
        }
        return ColumnVector(type: type, count: n, storage: .list(offsets: listOffsets, values: values), validity: present)
    }

    /// `to_json(struct | array | map)`: each value as JSON text, as Spark writes it.
    static func toJSON(_ input: ColumnVector) -> ColumnVector {
        var b = ColumnBuilder(type: .string, capacity: input.count)
        for r in 0..<input.count {
            if input.isNull(r) {
                b.appendNull()
            } else {
                b.appendString(SparkJSON.render(input.scalar(at: r), type: input.type))
            }
        }
        return b.finish()
    }
}
