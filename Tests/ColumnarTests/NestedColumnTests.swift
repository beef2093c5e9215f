import Testing
@testable import Columnar

private let intArray = DataType.array(element: .int32, containsNull: true)
private let person = DataType.struct([StructField("name", .string), StructField("tags", .array(element: .string, containsNull: true))])
private let counts = DataType.map(key: .string, value: .int64, valueContainsNull: true)

private func column(_ type: DataType, _ values: [Scalar]) -> ColumnVector {
    var b = ColumnBuilder(type: type)
    for v in values { b.append(v) }
    return b.finish()
}

@Suite struct NestedColumnTests {
    @Test func typeNamesAreSparks() {
        #expect(intArray.description == "array<int>")
        #expect(person.description == "struct<name:string,tags:array<string>>")
        #expect(counts.description == "map<string,bigint>")
        #expect(counts.sqlName == "MAP<STRING, BIGINT>")
        #expect(person.sqlName == "STRUCT<name: STRING, tags: ARRAY<STRING>>")
    }

    @Test func builderUsesArrowLayouts() {
        let c = column(intArray, [.array([.int(1), .int(2)]), .null, .array([]), .array([.null])])
        guard case let .list(offsets, values) = c.storage else {
            Issue.record("an array column must be a list")
            return
        }
        #expect(offsets == [0, 2, 2, 2, 3])
        #expect(values.count == 3)
        #expect(values.isNull(2))
        #expect(c.isNull(1) && !c.isNull(2))

        let m = column(counts, [.map(keys: [.string("a")], values: [.int(1)])])
        guard case let .list(_, entries) = m.storage, case let .struct(kv) = entries.storage else {
            Issue.record("a map column must be a list of key/value structs")
            return
        }
        #expect(kv.count == 2 && kv[0].type == .string && kv[1].type == .int64)
    }

    @Test func scalarsRoundTripAndPrintAsSpark() {
        let values: [Scalar] = [
            .struct([.string("ann"), .array([.string("a"), .null])]),
            .null,
            .struct([.null, .array([])]),
        ]
        let c = column(person, values)
        #expect((0..<3).map { c.scalar(at: $0) } == values)
        #expect(c.scalar(at: 0).description == "{ann, [a, null]}")
        #expect(c.scalar(at: 2).description == "{null, []}")
        #expect(Scalar.map(keys: [.string("a"), .string("b")], values: [.int(1), .null]).description == "{a -> 1, b -> null}")
    }

    @Test func takeGathersListsAndStructsWithNullForNegativeIndexes() {
        let c = column(intArray, [.array([.int(1)]), .array([.int(2), .int(3)]), .null])
        let t = c.take([1, -1, 0, 2, 1])
        #expect((0..<5).map { t.scalar(at: $0) } == [
            .array([.int(2), .int(3)]), .null, .array([.int(1)]), .null, .array([.int(2), .int(3)]),
        ])
        let s = column(person, [.struct([.string("x"), .array([])]), .null])
        let st = s.take([1, 0, -1])
        #expect((0..<3).map { st.scalar(at: $0) } == [.null, .struct([.string("x"), .array([])]), .null])
    }

    @Test func concatRebasesOffsetsOfSlicedParts() {
        let a = column(intArray, [.array([.int(1)]), .array([.int(2), .int(3)]), .array([.int(4)])])
        let tail = a.slice(1..<3)
        let m1 = column(counts, [.map(keys: [.string("k")], values: [.int(7)])])
        let joined = ColumnVector.concat([tail, a], type: intArray)
        #expect((0..<5).map { joined.scalar(at: $0).description } == ["[2, 3]", "[4]", "[1]", "[2, 3]", "[4]"])
        let maps = ColumnVector.concat([m1, ColumnVector.nulls(counts, count: 1), m1], type: counts)
        #expect((0..<3).map { maps.scalar(at: $0).description } == ["{k -> 7}", "NULL", "{k -> 7}"])
    }

    @Test func keyEncodingOrdersArraysLikeSparkAndDecodesBack() {
        // Spark's order: element by element, null elements first, a prefix before longer arrays.
        let sorted: [Scalar] = [
            .null, .array([]), .array([.null]), .array([.int(-5)]), .array([.int(1)]), .array([.int(1), .null]),
            .array([.int(1), .int(2)]), .array([.int(2)]),
        ]
        let c = column(intArray, sorted.reversed())
        let keys = KeyEncoder.encode([c], count: c.count)
        let order = (0..<c.count).sorted { x, y in
            keys.bytes.withUnsafeBufferPointer { b in
                CompareKernel.compareBytes(b, keys.offsets[x], keys.offsets[x + 1], b, keys.offsets[y], keys.offsets[y + 1]) < 0
            }
        }
        #expect(order.map { c.scalar(at: $0) } == sorted)
        let decoded = KeyEncoder.decode(keys, types: [intArray])[0]
        #expect((0..<c.count).map { decoded.scalar(at: $0) } == Array(sorted.reversed()))

        let s = column(person, [.struct([.string("a\u{0}b"), .array([.string("")])]), .null])
        let sk = KeyEncoder.encode([s], count: 2)
        let back = KeyEncoder.decode(sk, types: [person])[0]
        #expect(back.scalar(at: 0) == s.scalar(at: 0) && back.isNull(1))
    }

    @Test func compareKernelComparesNestedValues() {
        let a = column(intArray, [.array([.int(1), .int(2)]), .array([.int(1)]), .null])
        let b = column(intArray, [.array([.int(1), .int(2)]), .array([.int(1), .int(0)]), .array([])])
        let eq = CompareKernel.compare(a, b, .equal)
        let lt = CompareKernel.compare(a, b, .less)
        #expect((0..<3).map { eq.scalar(at: $0) } == [.boolean(true), .boolean(false), .null])
        #expect((0..<3).map { lt.scalar(at: $0) } == [.boolean(false), .boolean(true), .null])
    }

    @Test func castsBetweenNestedTypesAndToText() {
        let a = column(intArray, [.array([.int(1), .null]), .null])
        let asText = CastKernel.cast(a, to: .array(element: .string, containsNull: true))
        #expect(asText.scalar(at: 0) == .array([.string("1"), .null]))
        #expect(asText.isNull(1))
        let text = CastKernel.cast(a, to: .string)
        #expect(text.scalar(at: 0) == .string("[1, null]"))
        #expect(CastKernel.canCastNested(intArray, .array(element: .float64, containsNull: true)))
        #expect(!CastKernel.canCastNested(intArray, .int32))
    }

    @Test func timestampsWithAZoneSuffixAsSparkWritesThem() {
        func parse(_ t: String) -> Int64? { Array(t.utf8).withUnsafeBufferPointer { DateTimeUtil.parseTimestamp($0) } }
        #expect(parse("2024-03-01T08:00:00.123Z") == 1_709_280_000_123_000)
        #expect(parse("2024-03-01T09:30:00+01:30") == 1_709_280_000_000_000)
        #expect(parse("2024-03-01 06:00:00-0200") == 1_709_280_000_000_000)
        #expect(parse("2024-03-01 08:00:00+1x") == nil)
    }
}
