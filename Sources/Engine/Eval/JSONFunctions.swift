import Columnar

/// The JSON functions over string (or binary) columns that hold JSON text.
enum JSONFunctions {
    /// `get_json_object(json, path)`: the value at `path` as a string — a string unescaped,
    /// a number or boolean as written, an object or array as compact JSON text; null when the
    /// path is absent, the value is JSON null, or the text is malformed.
    static func getJsonObject(_ input: ColumnVector, path: String) -> ColumnVector {
        let n = input.count
        guard let parsed = JSONPath(path) else { return ColumnVector.nulls(.string, count: n) }
        let text = (input.type == .string || input.type == .binary) ? input : CastKernel.cast(input, to: .string)
        guard case let .bytes(inOffsets, inData) = text.storage else { return ColumnVector.nulls(.string, count: n) }
        var offsets = [Int32]()
        offsets.reserveCapacity(n + 1)
        offsets.append(0)
        var data = [UInt8]()
        var validity = Bitmap(count: n, value: true)
        // The path flattened so that the row loop touches no reference-counted values.
        var names: [UInt8] = []
        var steps: [(index: Int, nameStart: Int, nameEnd: Int)] = []
        for step in parsed.steps {
            switch step {
            case let .field(name):
                steps.append((-1, names.count, names.count + name.count))
                names.append(contentsOf: name)
            case let .index(k):
                steps.append((k, 0, 0))
            }
        }
        let hasNulls = text.validity != nil
        inData.withUnsafeBytes { raw in
            names.withUnsafeBufferPointer { nameBytes in
                steps.withUnsafeBufferPointer { path in
                    for r in 0..<n {
                        if !(hasNulls && text.isNull(r)),
                           extract(raw, Int(inOffsets[r]), Int(inOffsets[r + 1]), path, nameBytes, into: &data) {
                            // present
                        } else {
                            validity[r] = false
                        }
                        offsets.append(Int32(truncatingIfNeeded: data.count))
                    }
                }
            }
        }
        return ColumnVector(type: .string, count: n, storage: .bytes(offsets: offsets, data: data), validity: validity)
    }

    /// Appends the value at `steps` of the JSON text `raw[start..<end]`; false for a null result.
    @inline(__always)
    static func extract(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                        _ steps: UnsafeBufferPointer<(index: Int, nameStart: Int, nameEnd: Int)>,
                        _ names: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        var s = JSONScanner(raw, start: start, end: end)
        for step in steps {
            if step.index < 0 {
                if !s.enterField(UnsafeBufferPointer(rebasing: names[step.nameStart..<step.nameEnd])) { return false }
            } else if !s.enterIndex(step.index) {
                return false
            }
        }
        return appendValue(&s, raw, into: &out) == .value
    }

    /// What `appendValue` found.
    enum ValueRead {
        /// A value, appended.
        case value
        /// JSON null: nothing appended, the text goes on.
        case null
        /// Malformed text: nothing appended, the walk cannot go on.
        case malformed
    }

    /// Appends the value at the scanner as `get_json_object` returns it (a string unescaped, a
    /// number or boolean as written, an object or array compacted) and moves past it.
    @inline(__always)
    static func appendValue(_ s: inout JSONScanner, _ raw: UnsafeRawBufferPointer, into out: inout [UInt8]) -> ValueRead {
        s.skipSpace()
        guard s.i < s.end else { return .malformed }
        let first = raw[s.i]
        let valueStart = s.i
        if first == UInt8(ascii: "\"") {
            guard let body = s.skipString() else { return .malformed }
            if !body.escaped {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[body.start..<body.end]))
                return .value
            }
            let mark = out.count
            if !JSONText.appendUnescaped(raw, body.start, body.end, to: &out) {
                out.removeSubrange(mark...)
                return .malformed
            }
            return .value
        }
        guard s.skipValue() else { return .malformed }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            JSONText.appendCompact(raw, valueStart, s.i, to: &out)
            return .value
        }
        let length = s.i - valueStart
        if length == 4 && first == UInt8(ascii: "n") && raw[valueStart + 1] == UInt8(ascii: "u")
            && raw[valueStart + 2] == UInt8(ascii: "l") && raw[valueStart + 3] == UInt8(ascii: "l") {
            return .null
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[valueStart..<s.i]))
        return .value
    }
}
