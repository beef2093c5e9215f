import Columnar

extension JSONFunctions {
    /// The field names of `__json_paths`' struct: `_0`, `_1`, … in path order.
    static func pathFieldName(_ i: Int) -> String { "_\(i)" }

    /// The result type of `__json_paths` with `count` paths: a struct of nullable strings.
    static func pathsType(count: Int) -> DataType {
        .struct((0..<count).map { StructField(pathFieldName($0), .string) })
    }

    /// `__json_paths(json, path1, …, pathN)`: the struct of `get_json_object(json, pathK)` for every
    /// path, made by one walk over each row's text when every path is one top-level member
    /// (`$.name`); other paths are extracted one by one, with the same results.
    static func getJsonObjects(_ input: ColumnVector, paths: [String]) -> ColumnVector {
        let n = input.count
        let type = pathsType(count: paths.count)
        var names: [[UInt8]] = []
        for p in paths {
            guard let parsed = JSONPath(p), parsed.steps.count == 1, case let .field(name) = parsed.steps[0],
                  !names.contains(name) else {
                return ColumnVector(type: type, count: n, storage: .struct(paths.map { getJsonObject(input, path: $0) }),
                                    validity: nil)
            }
            names.append(name)
        }
        let text = (input.type == .string || input.type == .binary) ? input : CastKernel.cast(input, to: .string)
        guard case let .bytes(inOffsets, inData) = text.storage else {
            return ColumnVector(type: type, count: n, storage: .struct(paths.map { _ in ColumnVector.nulls(.string, count: n) }),
                                validity: nil)
        }
        let k = names.count
        var outOffsets = [[Int32]](repeating: [], count: k)
        var outData = [[UInt8]](repeating: [], count: k)
        // Validity as plain words, set in place: no call per row into the bitmap type.
        var outValid = [[UInt64]](repeating: [UInt64](repeating: 0, count: (n + 63) >> 6), count: k)
        for f in 0..<k {
            outOffsets[f].reserveCapacity(n + 1)
            outOffsets[f].append(0)
        }
        // The names back to back, so that matching a key touches no reference-counted values.
        var nameBytes: [UInt8] = []
        var nameRanges: [(start: Int, end: Int)] = []
        for name in names {
            nameRanges.append((nameBytes.count, nameBytes.count + name.count))
            nameBytes.append(contentsOf: name)
        }
        let hasNulls = text.validity != nil
        var found = [Bool](repeating: false, count: k)
        inData.withUnsafeBytes { raw in
            nameBytes.withUnsafeBufferPointer { nameBuffer in
                for r in 0..<n {
                    if !(hasNulls && text.isNull(r)) {
                        for f in 0..<k { found[f] = false }
                        var s = JSONScanner(raw, start: Int(inOffsets[r]), end: Int(inOffsets[r + 1]))
                        walkMembers(&s, raw, nameBuffer, nameRanges, &found, &outData, &outValid, row: r)
                    }
                    for f in 0..<k { outOffsets[f].append(Int32(truncatingIfNeeded: outData[f].count)) }
                }
            }
        }
        let children = (0..<k).map { f in
            ColumnVector(type: .string, count: n, storage: .bytes(offsets: outOffsets[f], data: outData[f]),
                         validity: Bitmap(words: outValid[f], count: n))
        }
        return ColumnVector(type: type, count: n, storage: .struct(children), validity: nil)
    }

    /// Walks the members of the object at the scanner once, appending the value of each wanted
    /// name met for the first time, and stops when all are found or the text is malformed.
    @inline(__always)
    private static func walkMembers(_ s: inout JSONScanner, _ raw: UnsafeRawBufferPointer, _ names: UnsafeBufferPointer<UInt8>,
                                    _ ranges: [(start: Int, end: Int)], _ found: inout [Bool], _ data: inout [[UInt8]],
                                    _ valid: inout [[UInt64]], row: Int) {
        let k = ranges.count
        var remaining = k
        s.skipSpace()
        guard s.i < s.end, raw[s.i] == UInt8(ascii: "{") else { return }
        s.i += 1
        while remaining > 0 {
            s.skipSpace()
            guard s.i < s.end, raw[s.i] == UInt8(ascii: "\""), let key = s.skipString() else { return }
            s.skipSpace()
            guard s.i < s.end, raw[s.i] == UInt8(ascii: ":") else { return }
            s.i += 1
            var match = -1
            for f in 0..<k where !found[f] && s.keyEquals(key, UnsafeBufferPointer(rebasing: names[ranges[f].start..<ranges[f].end])) {
                match = f
                break
            }
            if match >= 0 {
                found[match] = true
                remaining -= 1
                switch appendValue(&s, raw, into: &data[match]) {
                case .value: valid[match][row >> 6] |= UInt64(1) << UInt64(row & 63)
                case .null: break
                case .malformed: return
                }
            } else if !s.skipValue() {
                return
            }
            s.skipSpace()
            guard s.i < s.end, raw[s.i] == UInt8(ascii: ",") else { return }
            s.i += 1
        }
    }
}
