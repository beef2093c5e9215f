import Testing
@testable import Columnar

/// String key columns in `KeyEncoder.encode`: the copy taken for strings without zero bytes in
/// ascending order must write exactly the bytes of the escaping loop (present marker, each zero
/// byte doubled as 0x00 0xFF, terminator 0x00 0x00, all inverted when descending), whatever the
/// lengths (around the eight-byte words of the zero scan), nulls and order; and decode back.
@Suite struct KeyEncoderStringTests {
    /// The encoding of one string key as the format defines it.
    private func reference(_ value: [UInt8]?, _ order: KeyOrder) -> [UInt8] {
        let flip: UInt8 = order.descending ? 0xFF : 0
        guard let value else {
            // A null: the marker, then zeros as long as the value's encoding (empty here).
            return [order.nullsFirst ? 0 : 2, 0, 0]
        }
        var out: [UInt8] = [1]
        for b in value {
            out.append(b ^ flip)
            if b == 0 { out.append(0xFF ^ flip) }
        }
        out += [flip, flip]
        return out
    }

    @Test func stringKeysMatchTheFormatByteForByte() {
        var state: UInt64 = 0x51A9
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for order in [KeyOrder(), KeyOrder(descending: true, nullsFirst: false)] {
            var values: [[UInt8]?] = []
            for _ in 0..<400 {
                let length = Int(next() % 40)
                // Some strings hold zero bytes (at any place in a word), most do not.
                let zeroy = next() % 4 == 0
                values.append((0..<length).map { _ in zeroy && next() % 5 == 0 ? 0 : UInt8(1 + next() % 255) })
            }
            values.append([])
            var offsets: [Int32] = [0]
            var data: [UInt8] = []
            var validity = Bitmap(count: values.count + 1, value: true)
            for v in values {
                data += v ?? []
                offsets.append(Int32(data.count))
            }
            // One null row at the end (no bytes, as a null is stored).
            offsets.append(Int32(data.count))
            validity[values.count] = false
            let rows = values.count + 1
            let column = ColumnVector(type: .string, count: rows, storage: .bytes(offsets: offsets, data: data),
                                      validity: validity)
            let keys = KeyEncoder.encode([column], count: rows, orders: [order])
            for (i, v) in values.enumerated() {
                #expect(Array(keys.bytes[keys.offsets[i]..<keys.offsets[i + 1]]) == reference(v, order), "row \(i)")
            }
            #expect(Array(keys.bytes[keys.offsets[rows - 1]..<keys.offsets[rows]]) == reference(nil, order))
            if !order.descending {
                let decoded = KeyEncoder.decode(keys, types: [.string])
                guard case let .bytes(o, d) = decoded[0].storage else {
                    Issue.record("decoded a string column as \(decoded[0].storage)")
                    continue
                }
                for (i, v) in values.enumerated() { #expect(Array(d[Int(o[i])..<Int(o[i + 1])]) == v, "row \(i)") }
                #expect(decoded[0].isNull(rows - 1))
            }
        }
    }

    /// Keys of several columns decode back column by column: a string without zero bytes is taken
    /// straight from the key up to its terminator, one with zero bytes is unescaped, and the
    /// columns after either start at the right byte.
    @Test func multiColumnKeysDecodeBackWhateverTheZeroBytesAndNulls() {
        let firsts: [[UInt8]?] = [[65, 66], [], [0], [67, 0, 68], nil, [0, 0], [69, 70, 71, 72, 73, 74, 75, 76, 77]]
        let seconds: [[UInt8]?] = [[0, 1], nil, [90], [], [88, 89], [0], []]
        let ints: [Int64] = [7, -1, 0, .max, .min, 42, 3]
        func column(_ values: [[UInt8]?]) -> ColumnVector {
            var offsets: [Int32] = [0]
            var data: [UInt8] = []
            var validity = Bitmap(count: values.count, value: true)
            for (i, v) in values.enumerated() {
                data += v ?? []
                offsets.append(Int32(data.count))
                if v == nil { validity[i] = false }
            }
            return ColumnVector(type: .string, count: values.count, storage: .bytes(offsets: offsets, data: data),
                                validity: validity)
        }
        let n = firsts.count
        let columns = [column(firsts), ColumnVector(type: .int64, count: n, storage: .int64(ints), validity: nil), column(seconds)]
        let keys = KeyEncoder.encode(columns, count: n)
        let decoded = KeyEncoder.decode(keys, types: [.string, .int64, .string])
        for (c, values) in [(0, firsts), (2, seconds)] {
            guard case let .bytes(o, d) = decoded[c].storage else {
                Issue.record("decoded a string column as \(decoded[c].storage)")
                return
            }
            for (i, v) in values.enumerated() {
                if let v {
                    #expect(!decoded[c].isNull(i) && Array(d[Int(o[i])..<Int(o[i + 1])]) == v, "column \(c) row \(i)")
                } else {
                    #expect(decoded[c].isNull(i), "column \(c) row \(i)")
                }
            }
        }
        guard case let .int64(back) = decoded[1].storage else {
            Issue.record("decoded an int64 column as \(decoded[1].storage)")
            return
        }
        #expect(back == ints)
    }
}
