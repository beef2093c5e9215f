import Columnar

extension JSONFunctions {
    /// The field names of `__json_paths`' struct: `_0`, `_1`, … in path order.
    static func pathFieldName(_ i: Int) -> String { "_\(i)" }

    /// The result type of `__json_paths` with `count` paths: a struct of nullable strings.
    static func pathsType(count: Int) -> DataType {
        pathsType(Array(repeating: .string, count: count))
    }

    /// The result type of `__json_paths` whose fields have the given types.
    static func pathsType(_ types: [DataType]) -> DataType {
        .struct(types.enumerated().map { StructField(pathFieldName($0.offset), $0.element) })
    }

    /// The types a path's value can be read as straight from the JSON text (see `getJsonObjects`).
    static func isTypedPathType(_ t: DataType) -> Bool {
        switch t {
        case .int8, .int16, .int32, .int64: return true
        default: return false
        }
    }

    /// The paths and field types of a `__json_paths(text, path1, [typedNull1,] …)` call: each path is
    /// a constant string, optionally followed by a NULL literal whose type is the type its value is
    /// read as (`CAST(get_json_object(text, path) AS type)`); string otherwise.
    static func pathArguments(_ args: ArraySlice<Expr>) -> (paths: [String], types: [DataType])? {
        var paths: [String] = []
        var types: [DataType] = []
        for a in args {
            switch a {
            case let .literal(.string(p), _):
                paths.append(p)
                types.append(.string)
            case let .literal(.null, t) where !paths.isEmpty && types[types.count - 1] == .string && isTypedPathType(t):
                types[types.count - 1] = t
            default:
                return nil
            }
        }
        return (paths, types)
    }

    /// `__json_paths(json, path1, …, pathN)`: the struct of `get_json_object(json, pathK)` for every
    /// path, made by one walk over each row's text when every path is one top-level member
    /// (`$.name`); other paths are extracted one by one, with the same results. A field typed as an
    /// integer (`types`) holds `CAST(get_json_object(json, pathK) AS type)`, read from the text
    /// without making the string first.
    static func getJsonObjects(_ input: ColumnVector, paths: [String], types: [DataType]? = nil) -> ColumnVector {
        let n = input.count
        let fieldTypes = types ?? Array(repeating: .string, count: paths.count)
        let type = pathsType(fieldTypes)
        var names: [[UInt8]] = []
        for p in paths {
            guard let parsed = JSONPath(p), parsed.steps.count == 1, case let .field(name) = parsed.steps[0],
                  !names.contains(name), paths.count <= 64 else {
                let children = paths.indices.map { i -> ColumnVector in
                    let text = getJsonObject(input, path: paths[i])
                    return fieldTypes[i] == .string ? text : CastKernel.cast(text, to: fieldTypes[i])
                }
                return ColumnVector(type: type, count: n, storage: .struct(children), validity: nil)
            }
            names.append(name)
        }
        let text = (input.type == .string || input.type == .binary) ? input : CastKernel.cast(input, to: .string)
        guard case let .bytes(inOffsets, inData) = text.storage else {
            return ColumnVector(type: type, count: n, storage: .struct(fieldTypes.map { ColumnVector.nulls($0, count: n) }),
                                validity: nil)
        }
        let k = names.count
        // First every row's wanted values are found (one walk per row), as spans of the text;
        // then each field's column is made from its spans in a loop of its own.
        var spans = [JSONValueSpan](repeating: JSONValueSpan(), count: n * k)
        var nameBytes: [UInt8] = []
        var nameStarts: [Int] = [0]
        for name in names {
            nameBytes.append(contentsOf: name)
            nameStarts.append(nameBytes.count)
        }
        let validity = text.validity
        inData.withUnsafeBytes { raw in
            nameBytes.withUnsafeBufferPointer { nb in
                nameStarts.withUnsafeBufferPointer { ns in
                    spans.withUnsafeMutableBufferPointer { out in
                        var walker = JSONMemberWalker(names: nb, starts: ns)
                        inOffsets.withUnsafeBufferPointer { o in
                            for r in 0..<n {
                                if let validity, !validity[r] { continue }
                                var s = JSONScanner(raw, start: Int(o[r]), end: Int(o[r + 1]))
                                walker.walk(&s, raw, into: out.baseAddress! + r * k)
                            }
                        }
                    }
                }
            }
        }
        let children = inData.withUnsafeBytes { raw in
            (0..<k).map { f in column(of: spans, field: f, stride: k, rows: n, type: fieldTypes[f], raw) }
        }
        return ColumnVector(type: type, count: n, storage: .struct(children), validity: nil)
    }

    /// One field's column from the spans the walk found.
    private static func column(of spans: [JSONValueSpan], field f: Int, stride k: Int, rows n: Int, type: DataType,
                               _ raw: UnsafeRawBufferPointer) -> ColumnVector {
        if type == .string { return stringColumn(of: spans, field: f, stride: k, rows: n, raw) }
        var valid = [UInt64](repeating: 0, count: (n + 63) >> 6)
        var scratch: [UInt8] = []
        // An integer field: what CAST(string AS type) makes of the text get_json_object returns.
        var values = [Int64](repeating: 0, count: n)
        spans.withUnsafeBufferPointer { sp in
            for r in 0..<n {
                let v = sp[r * k + f]
                if v.kind == .absent { continue }
                let parsed: Int64?
                if v.kind == .raw {
                    parsed = raw.withMemoryRebound(to: UInt8.self) { b in
                        castInteger(UnsafeBufferPointer(rebasing: b[Int(v.start)..<Int(v.end)]))
                    }
                } else {
                    scratch.removeAll(keepingCapacity: true)
                    appendText(v, raw, to: &scratch)
                    parsed = scratch.withUnsafeBufferPointer { castInteger($0) }
                }
                if let parsed {
                    values[r] = parsed
                    valid[r >> 6] |= UInt64(1) << UInt64(r & 63)
                }
            }
        }
        let storage: ColumnStorage
        switch type {
        case .int8: storage = .int8(values.map { Int8(truncatingIfNeeded: $0) })
        case .int16: storage = .int16(values.map { Int16(truncatingIfNeeded: $0) })
        case .int32: storage = .int32(values.map { Int32(truncatingIfNeeded: $0) })
        default: storage = .int64(values)
        }
        return ColumnVector(type: type, count: n, storage: storage, validity: Bitmap(words: valid, count: n))
    }

    /// A string field's column from the spans a walk found: each value's text as
    /// `get_json_object` returns it (absent spans are nulls).
    static func stringColumn(of spans: [JSONValueSpan], field f: Int, stride k: Int, rows n: Int,
                             _ raw: UnsafeRawBufferPointer) -> ColumnVector {
        var valid = [UInt64](repeating: 0, count: (n + 63) >> 6)
        var total = 0
        var allRaw = true
        spans.withUnsafeBufferPointer { sp in
            for r in 0..<n {
                let v = sp[r * k + f]
                total += Int(v.end - v.start)
                allRaw = allRaw && (v.kind == .raw || v.kind == .absent)
            }
        }
        var offsets = [Int32](repeating: 0, count: n + 1)
        let data: [UInt8]
        if allRaw, let base = raw.baseAddress {
            // Every value is its bytes as they are (the usual case): copied into a buffer sized once.
            data = [UInt8](unsafeUninitializedCapacity: total) { out, made in
                var at = 0
                spans.withUnsafeBufferPointer { sp in
                    offsets.withUnsafeMutableBufferPointer { o in
                        for r in 0..<n {
                            let v = sp[r * k + f]
                            if v.kind != .absent {
                                let length = Int(v.end - v.start)
                                if length > 0 {
                                    UnsafeMutableRawPointer(out.baseAddress! + at).copyMemory(from: base + Int(v.start),
                                                                                              byteCount: length)
                                }
                                at += length
                                valid[r >> 6] |= UInt64(1) << UInt64(r & 63)
                            }
                            o[r + 1] = Int32(truncatingIfNeeded: at)
                        }
                    }
                }
                made = at
            }
        } else {
            var bytes = [UInt8]()
            bytes.reserveCapacity(total)
            spans.withUnsafeBufferPointer { sp in
                for r in 0..<n {
                    let v = sp[r * k + f]
                    if v.kind != .absent {
                        appendText(v, raw, to: &bytes)
                        valid[r >> 6] |= UInt64(1) << UInt64(r & 63)
                    }
                    offsets[r + 1] = Int32(truncatingIfNeeded: bytes.count)
                }
            }
            data = bytes
        }
        return ColumnVector(type: .string, count: n, storage: .bytes(offsets: offsets, data: data),
                            validity: Bitmap(words: valid, count: n))
    }

    /// The integer `CAST(text AS BIGINT)` makes of `text` (as `CastKernel` reads it: an integer, or
    /// a decimal truncated toward zero), nil when it is not one; narrower types keep its low bits.
    @inline(__always)
    static func castInteger(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        TextParsing.parseInt64(b) ?? DecimalParsing.parse(b).flatMap { d in
            Int64(exactly: d.unscaled / DecimalParsing.pow10[d.scale])
        }
    }

    /// Appends the text `get_json_object` returns for a value span.
    @inline(__always)
    private static func appendText(_ v: JSONValueSpan, _ raw: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let s = Int(v.start), e = Int(v.end)
        switch v.kind {
        case .absent: break
        case .raw: out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[s..<e]))
        case .escaped: JSONText.appendUnescaped(raw, s, e, to: &out)
        case .nested: JSONText.appendCompact(raw, s, e, to: &out)
        }
    }
}

/// Where a wanted value lies in a row's JSON text, and how its text is made.
struct JSONValueSpan {
    enum Kind: UInt8 {
        /// Not there, JSON null, or malformed: the result is null.
        case absent
        /// The bytes as they are: a string's body without escapes, or a number or boolean.
        case raw
        /// A string body with escapes to resolve.
        case escaped
        /// An object or array, to print compactly.
        case nested
    }

    var start: Int32 = 0
    var end: Int32 = 0
    var kind: Kind = .absent
}

/// Walks the members of a JSON object once, noting the span of each wanted top-level member's
/// value (the first of a repeated name), and stops once all are found or the text is malformed.
struct JSONMemberWalker {
    /// The wanted names back to back; name `f` is `names[starts[f]..<starts[f + 1]]`.
    let names: UnsafeBufferPointer<UInt8>
    let starts: UnsafeBufferPointer<Int>

    /// Fills `out[0..<k]` for the object at the scanner (spans of values not found stay absent).
    @inline(__always)
    func walk(_ s: inout JSONScanner, _ raw: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<JSONValueSpan>) {
        let k = starts.count - 1
        var found: UInt64 = 0
        let all: UInt64 = k == 64 ? ~0 : (UInt64(1) << UInt64(k)) - 1
        s.skipSpace()
        guard s.i < s.end, raw[s.i] == UInt8(ascii: "{") else { return }
        s.i += 1
        while found != all {
            s.skipSpace()
            guard s.i < s.end, raw[s.i] == UInt8(ascii: "\""), let key = s.skipString() else { return }
            s.skipSpace()
            guard s.i < s.end, raw[s.i] == UInt8(ascii: ":") else { return }
            s.i += 1
            let match = key.escaped ? escapedMatch(raw, key.start, key.end, found) : self.match(raw, key.start, key.end, found)
            if match >= 0 {
                found |= UInt64(1) << UInt64(match)
                guard Self.valueSpan(&s, raw, into: &out[match]) else { return }
            } else {
                s.skipSpace()
                guard s.skipMemberValue() else { return }
            }
            s.skipSpace()
            guard s.i < s.end, raw[s.i] == UInt8(ascii: ",") else { return }
            s.i += 1
        }
    }

    /// The wanted name not found yet that equals the key `raw[start..<end]`, or -1.
    @inline(__always)
    private func match(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ found: UInt64) -> Int {
        let length = end - start
        for f in 0..<(starts.count - 1) where found & (UInt64(1) << UInt64(f)) == 0 {
            let ns = starts[f]
            guard starts[f + 1] - ns == length else { continue }
            if Self.equal(names.baseAddress, ns, raw.baseAddress, start, length) { return f }
        }
        return -1
    }

    /// Whether `a[i..<i + n]` and `b[j..<j + n]` hold the same bytes: eight, then four at a time
    /// (keys are short, and compared with every wanted name of their length).
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>?, _ i: Int, _ b: UnsafeRawPointer?, _ j: Int, _ n: Int) -> Bool {
        if n == 0 { return true }
        guard let a, let b else { return false }
        let x = UnsafeRawPointer(a + i), y = b + j
        var k = 0
        while k + 8 <= n {
            if x.loadUnaligned(fromByteOffset: k, as: UInt64.self) != y.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
                return false
            }
            k += 8
        }
        if k + 4 <= n {
            if x.loadUnaligned(fromByteOffset: k, as: UInt32.self) != y.loadUnaligned(fromByteOffset: k, as: UInt32.self) {
                return false
            }
            k += 4
        }
        while k < n {
            if x.load(fromByteOffset: k, as: UInt8.self) != y.load(fromByteOffset: k, as: UInt8.self) { return false }
            k += 1
        }
        return true
    }

    /// `match` for a key written with escapes: its unescaped bytes are compared.
    private func escapedMatch(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ found: UInt64) -> Int {
        let key = JSONText.unescape(raw, start, end)
        return key.withUnsafeBytes { match($0, 0, key.count, found) }
    }

    /// Notes the span of the value at the scanner and moves past it; false on malformed text.
    @inline(__always)
    static func valueSpan(_ s: inout JSONScanner, _ raw: UnsafeRawBufferPointer, into v: inout JSONValueSpan) -> Bool {
        s.skipSpace()
        guard s.i < s.end else { return false }
        let first = raw[s.i]
        let valueStart = s.i
        if first == UInt8(ascii: "\"") {
            guard let body = s.skipString() else { return false }
            if body.escaped {
                // A malformed escape is malformed text (nothing is kept of the value).
                var probe: [UInt8] = []
                guard JSONText.appendUnescaped(raw, body.start, body.end, to: &probe) else { return false }
            }
            v = JSONValueSpan(start: Int32(truncatingIfNeeded: body.start), end: Int32(truncatingIfNeeded: body.end),
                              kind: body.escaped ? .escaped : .raw)
            return true
        }
        guard s.skipMemberValue() else { return false }
        let kind: JSONValueSpan.Kind
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            kind = .nested
        } else if s.i - valueStart == 4 && first == UInt8(ascii: "n") && raw[valueStart + 1] == UInt8(ascii: "u")
                    && raw[valueStart + 2] == UInt8(ascii: "l") && raw[valueStart + 3] == UInt8(ascii: "l") {
            return true
        } else {
            kind = .raw
        }
        v = JSONValueSpan(start: Int32(truncatingIfNeeded: valueStart), end: Int32(truncatingIfNeeded: s.i), kind: kind)
        return true
    }
}
