import Columnar

/// A JSON-lines file as a table source (one object per line, Spark's default `json` format).
/// The schema is inferred from every line unless given: integers are bigint, other numbers
/// double, nested values strings holding their JSON text.
public final class JSONTable: TableProvider, @unchecked Sendable {
    /// The file.
    public let path: String
    /// The table's schema.
    public let schema: Schema
    /// Malformed-line handling.
    public let mode: ParseMode
    /// The file size.
    public let statistics: Statistics

    /// Opens a JSON-lines file, inferring the schema when none is given.
    public init(path: String, schema: Schema? = nil, mode: ParseMode = .permissive) throws {
        self.path = path
        self.mode = mode
        statistics = Statistics(rowCount: nil, sizeBytes: try FileBytes.size(path))
        self.schema = try schema ?? JSONTable.infer(path)
    }

    /// `json [file.json]`.
    public var description: String { "json [\(path.split(separator: "/").last.map(String.init) ?? path)]" }

    static func lines(_ b: UnsafeBufferPointer<UInt8>) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        var s = 0
        for i in 0...b.count where i == b.count || b[i] == 0x0A {
            var e = i
            while e > s && (b[e - 1] == 0x0D || b[e - 1] == 0x20) { e -= 1 }
            if e > s { out.append((s, e)) }
            s = i + 1
        }
        return out
    }

    static func infer(_ path: String) throws -> Schema {
        let file = try MappedFile(path)
        var names: [String] = []
        var types: [String: DataType] = [:]
        withExtendedLifetime(file) {
            let b = file.bytes
            for (s, e) in lines(b) {
                var p = JSONLineParser(b, s, e)
                try? p.parseObject { nameBytes, value in
                    let name = String(decoding: nameBytes, as: UTF8.self)
                    if types[name] == nil {
                        names.append(name)
                        types[name] = .null
                    }
                    let t: DataType
                    switch value {
                    case .null: return
                    case .bool: t = .boolean
                    case .int: t = .int64
                    case .number: t = .float64
                    case .string: t = .string
                    case let .raw(text):
                        // Arrays and objects are inferred as arrays and structs, as Spark does.
                        t = text.withUnsafeBufferPointer { rb in
                            var np = JSONLineParser(rb, 0, rb.count)
                            return (try? np.parseNode()).map(JSONNested.inferType) ?? .string
                        }
                    }
                    let old = types[name] ?? .null
                    types[name] = JSONNested.merge(old, t)
                }
            }
        }
        return Schema(names.map { Field($0, types[$0] == .null ? .string : Self.nullsAsStrings(types[$0]!)) })
    }

    /// Element and field types seen only as null are read as strings.
    static func nullsAsStrings(_ t: DataType) -> DataType {
        switch t {
        case .null: return .string
        case let .array(e, n): return .array(element: nullsAsStrings(e), containsNull: n)
        case let .struct(fields): return .struct(fields.map { StructField($0.name, nullsAsStrings($0.type), nullable: $0.nullable) })
        default: return t
        }
    }

    /// Reads the selected columns.
    public func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch] {
        let file = try MappedFile(path)
        let outSchema = Schema(columns.map { schema.fields[$0] })
        var slotOf: [String: Int] = [:]
        for (slot, f) in columns.enumerated() { slotOf[schema.fields[f].name] = slot }
        return try withExtendedLifetime(file) { () -> [RecordBatch] in
            let b = file.bytes
            let all = Self.lines(b)
            let per = context.batchRows
            let chunks = (all.count + per - 1) / per
            return try context.pool.map(chunks) { c in
                let range = (c * per)..<min(all.count, (c + 1) * per)
                var builders = outSchema.fields.map { ColumnBuilder(type: $0.type, capacity: range.count) }
                var seen = [Bool](repeating: false, count: columns.count)
                var drop: [Int] = []
                for (row, li) in range.enumerated() {
                    let (s, e) = all[li]
                    for k in seen.indices { seen[k] = false }
                    var p = JSONLineParser(b, s, e)
                    var bad: String? = nil
                    do {
                        try p.parseObject { nameBytes, value in
                            guard let slot = slotOf[String(decoding: nameBytes, as: UTF8.self)], !seen[slot] else { return }
                            seen[slot] = true
                            if !Self.append(&builders[slot], value) {
                                let message = "cannot read value of `\(outSchema.fields[slot].name)` as \(outSchema.fields[slot].type)"
                                if mode == .failFast {
                                    throw JSONLineError(offset: s, message: message)
                                }
                                bad = message
                            }
                        }
                    } catch let err as JSONLineError {
                        if mode == .failFast {
                            throw EngineError.malformedInput(file: path, line: li + 1, column: err.offset - s + 1, message: err.message)
                        }
                        bad = err.message
                    }
                    for k in seen.indices where !seen[k] && builders[k].count == row { builders[k].appendNull() }
                    if bad != nil && mode == .dropMalformed { drop.append(row) }
                }
                var batch = RecordBatch(schema: outSchema, columns: builders.indices.map { builders[$0].finish() },
                                        rowCount: range.count)
                if !drop.isEmpty {
                    var keep = Bitmap(count: range.count, value: true)
                    for d in drop { keep[d] = false }
                    batch = batch.filter(keep)
                }
                return batch
            }
        }
    }

    /// Appends a JSON value to a column; false (and a null) when it does not fit the type.
    static func append(_ builder: inout ColumnBuilder, _ v: JSONValue) -> Bool {
        switch (v, builder.type) {
        case (.null, _): builder.appendNull()
        case let (.bool(x), .boolean): builder.appendBool(x)
        case let (.int(x), t) where t.isInteger || t.isFloating: builder.appendInt(x)
        case let (.number(x), t) where t.isFloating: builder.appendDouble(x)
        case let (.int(x), .decimal): builder.append(.decimal(DecimalValue(unscaled: Int128(x), scale: 0)))
        case let (.number(x), .decimal(p, s)):
            let text = Array("\(x)".utf8)
            guard let d = text.withUnsafeBufferPointer({ TextParsing.parseDecimal($0, precision: p, scale: s) }) else {
                builder.appendNull()
                return false
            }
            builder.appendDecimal(d)
        case let (.string(x), .string), let (.raw(x), .string): builder.appendBytes(x)
        case let (.string(x), .date):
            guard let d = x.withUnsafeBufferPointer({ DateTimeUtil.parseDate($0) }) else { builder.appendNull(); return false }
            builder.appendInt(Int64(d))
        case let (.string(x), .timestamp):
            guard let t = x.withUnsafeBufferPointer({ DateTimeUtil.parseTimestamp($0) }) else { builder.appendNull(); return false }
            builder.appendInt(t)
        case let (.raw(x), t) where t.isNested:
            var ok = true
            let value = x.withUnsafeBufferPointer { rb -> Scalar in
                var p = JSONLineParser(rb, 0, rb.count)
                guard let node = try? p.parseNode() else {
                    ok = false
                    return .null
                }
                return JSONNested.scalar(node, as: t, ok: &ok)
            }
            builder.append(value)
            return ok
        case let (.int(x), .string): builder.appendString(String(x))
        case let (.number(x), .string): builder.appendString(DoubleFormatting.spark(x))
        case let (.bool(x), .string): builder.appendString(x ? "true" : "false")
        default:
            builder.appendNull()
            return false
        }
        return true
    }
}
