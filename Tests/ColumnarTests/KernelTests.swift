import Testing
@testable import Columnar

private func ints(_ v: [Int64?]) -> ColumnVector {
    var b = ColumnBuilder(type: .int64)
    for x in v { if let x { b.appendInt(x) } else { b.appendNull() } }
    return b.finish()
}

private func strings(_ v: [String?]) -> ColumnVector {
    var b = ColumnBuilder(type: .string)
    for x in v { if let x { b.appendString(x) } else { b.appendNull() } }
    return b.finish()
}

private func bools(_ v: [Bool?]) -> ColumnVector {
    var b = ColumnBuilder(type: .boolean)
    for x in v { if let x { b.appendBool(x) } else { b.appendNull() } }
    return b.finish()
}

private func values(_ c: ColumnVector) -> [Scalar] { (0..<c.count).map { c.scalar(at: $0) } }

@Suite struct KernelTests {
    @Test func comparisonPropagatesNulls() {
        let r = CompareKernel.compare(ints([1, 5, nil]), ints([2, 5, 3]), .lessOrEqual)
        #expect(values(r) == [.boolean(true), .boolean(true), .null])
    }

    @Test func stringComparisonIsByteOrder() {
        let r = CompareKernel.compare(strings(["a", "ab", "b", ""]), strings(["ab", "ab", "a", "a"]), .less)
        #expect(values(r) == [.boolean(true), .boolean(false), .boolean(false), .boolean(true)])
    }

    @Test func andOrFollowKleeneLogic() {
        let t = bools([true, true, true, false, false, false, nil, nil, nil])
        let u = bools([true, false, nil, true, false, nil, true, false, nil])
        #expect(values(LogicKernel.and(t, u)) == [true, false, nil, false, false, false, nil, false, nil].map { $0.map(Scalar.boolean) ?? .null })
        #expect(values(LogicKernel.or(t, u)) == [true, true, true, true, false, nil, true, nil, nil].map { $0.map(Scalar.boolean) ?? .null })
    }

    @Test func integerDivisionByZeroIsNull() {
        let r = ArithmeticKernel.apply(.integerDivide, ints([7, 7]), ints([2, 0]), resultType: .int64)
        #expect(values(r) == [.int(3), .null])
    }

    @Test func takeWithNegativeIndexGivesNull() {
        let r = strings(["x", "yy", nil]).take([1, -1, 2, 0])
        #expect(values(r) == [.string("yy"), .null, .null, .string("x")])
    }

    @Test func castParsesTextAndNullsGarbage() {
        let r = CastKernel.cast(strings(["12", "x", " 7 ", nil]), to: .int32)
        #expect(values(r) == [.int(12), .null, .int(7), .null])
        let d = CastKernel.cast(strings(["1998-12-01", "1998-02-30"]), to: .date)
        #expect(d.scalar(at: 0).description == "1998-12-01")
        #expect(d.isNull(1))
        let dec = CastKernel.cast(strings(["1.005", "-2"]), to: .decimal(precision: 5, scale: 2))
        #expect(values(dec).map(\.description) == ["1.01", "-2.00"])
    }

    @Test func likeMatchesWildcards() {
        let c = strings(["PROMO BRUSHED", "STANDARD", "xPROMO", "forest green", "a_c"])
        #expect(values(LikeMatcher(pattern: Array("PROMO%".utf8)).apply(c, negated: false)).map(\.description)
            == ["true", "false", "false", "false", "false"])
        #expect(values(LikeMatcher(pattern: Array("%green%".utf8)).apply(c, negated: false)).map(\.description)
            == ["false", "false", "false", "true", "false"])
        #expect(values(LikeMatcher(pattern: Array("a\\_c".utf8)).apply(c, negated: false)).map(\.description)
            == ["false", "false", "false", "false", "true"])
        #expect(values(LikeMatcher(pattern: Array("%O%O%".utf8)).apply(c, negated: false)).map(\.description)
            == ["true", "false", "true", "false", "false"])
    }

    @Test func substringUsesOneBasedCharacters() {
        let r = StringKernel.substring(strings(["13-555", "héllo"]), pos: 1, len: 2)
        #expect(values(r) == [.string("13"), .string("hé")])
    }

    @Test func keyEncodingOrdersLikeSQL() {
        let c = ints([5, -3, nil, 100, 0])
        let keys = KeyEncoder.encode([c], count: 5)
        func key(_ i: Int) -> [UInt8] { Array(keys.bytes[keys.offsets[i]..<keys.offsets[i + 1]]) }
        let order = (0..<5).sorted { key($0).lexicographicallyPrecedes(key($1)) }
        #expect(order == [2, 1, 4, 0, 3])  // NULLS FIRST, then ascending
        let desc = KeyEncoder.encode([strings(["b", "ab", "a"])], count: 3, orders: [KeyOrder(descending: true, nullsFirst: false)])
        func dk(_ i: Int) -> [UInt8] { Array(desc.bytes[desc.offsets[i]..<desc.offsets[i + 1]]) }
        #expect((0..<3).sorted { dk($0).lexicographicallyPrecedes(dk($1)) } == [0, 1, 2])
    }

    @Test func keyEncodingRoundTrips() {
        let cols = [ints([1, nil, -7]), strings(["a\u{0}b", "", nil])]
        let keys = KeyEncoder.encode(cols, count: 3)
        let back = KeyEncoder.decode(keys, types: [.int64, .string])
        #expect(values(back[0]) == values(cols[0]))
        #expect(values(back[1]) == values(cols[1]))
    }

    @Test func keyTableGroupsEqualKeys() {
        var table = KeyTable(capacity: 2)
        let keys = KeyEncoder.encode([strings(["x", "y", "x", nil, nil, "z"])], count: 6)
        let groups = table.groups(for: keys)
        #expect(groups == [0, 1, 0, 2, 2, 3])
        #expect(table.count == 4)
    }

    @Test func dateFieldsAndMonthArithmetic() {
        let d = DateTimeUtil.daysFromCivil(year: 1995, month: 1, day: 31)
        #expect(DateTimeUtil.formatDate(DateTimeUtil.addMonths(d, 1)) == "1995-02-28")
        let c = ColumnVector(type: .date, count: 1, storage: .int32([d]), validity: nil)
        #expect(DateKernel.extract(c, .year).scalar(at: 0) == .int(1995))
        #expect(DateKernel.extract(c, .dayOfWeek).scalar(at: 0) == .int(3))  // a Tuesday
    }

    @Test func doublesPrintLikeJava() {
        #expect(DoubleFormatting.spark(1.0) == "1.0")
        #expect(DoubleFormatting.spark(12345678.9) == "1.23456789E7")
        #expect(DoubleFormatting.spark(0.0001) == "1.0E-4")
        #expect(DoubleFormatting.spark(-2.5) == "-2.5")
    }

    /// Floats print their own shortest digits, as Spark on Java 19 and later prints them.
    @Test func floatsPrintTheirOwnDigits() {
        #expect(DoubleFormatting.spark(Float(0.1)) == "0.1")
        #expect(DoubleFormatting.spark(Float(123456.7)) == "123456.7")
        #expect(DoubleFormatting.spark(Float(1e7)) == "1.0E7")
        #expect(DoubleFormatting.spark(Float(9999999)) == "9999999.0")
        #expect(DoubleFormatting.spark(Float(0.001)) == "0.001")
        #expect(DoubleFormatting.spark(Float(1e-5)) == "1.0E-5")
        #expect(DoubleFormatting.spark(Float(1.5e10)) == "1.5E10")
        #expect(DoubleFormatting.spark(Float.greatestFiniteMagnitude) == "3.4028235E38")
        #expect(DoubleFormatting.spark(-Float.infinity) == "-Infinity")
        #expect(DoubleFormatting.spark(Float.nan) == "NaN")
        #expect(DoubleFormatting.spark(-Float(0)) == "-0.0")
    }

    @Test func floatValuesPrintAsFloatsAtAnyDepth() {
        let tenth = Scalar.double(Double(Float(0.1)))
        #expect(tenth.description == "0.10000000149011612")
        #expect(tenth.text(as: .float32) == "0.1")
        #expect(tenth.text(as: .float64) == "0.10000000149011612")
        let list = DataType.array(element: .float32, containsNull: true)
        #expect(Scalar.array([tenth, .null]).text(as: list) == "[0.1, null]")
        let row = DataType.struct([StructField("x", .float32, nullable: true), StructField("y", .float64, nullable: true)])
        #expect(Scalar.struct([tenth, tenth]).text(as: row) == "{0.1, 0.10000000149011612}")
        let map = DataType.map(key: .int32, value: .float32, valueContainsNull: true)
        #expect(Scalar.map(keys: [.int(1)], values: [tenth]).text(as: map) == "{1 -> 0.1}")
    }
}

@Suite struct HostileArgumentTests {
    @Test func substringWithExtremeArgumentsDoesNotTrap() {
        var b = ColumnBuilder(type: .string)
        b.appendString("hello")
        let c = b.finish()
        #expect(StringKernel.substring(c, pos: 2, len: Int.max).scalar(at: 0) == .string("ello"))
        #expect(StringKernel.substring(c, pos: Int.min, len: 2).scalar(at: 0) == .string(""))
        #expect(StringKernel.substring(c, pos: -3, len: 2).scalar(at: 0) == .string("ll"))
        #expect(StringKernel.substring(c, pos: 9, len: 2).scalar(at: 0) == .string(""))
        #expect(StringKernel.substring(c, pos: 1, len: -1).scalar(at: 0) == .string(""))
    }
}
