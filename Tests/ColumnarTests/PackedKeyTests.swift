import Testing
@testable import Columnar

/// Integer keys packed into one code per row (`PackedKeyLayout`) and the table over codes
/// (`PackedKeyTable`), in its direct and hashed modes.
@Suite struct PackedKeyTests {
    private func ints64(_ v: [Int64?]) -> ColumnVector {
        ColumnVector(type: .int64, count: v.count, storage: .int64(v.map { $0 ?? 0 }),
                     validity: Bitmap(v.map { $0 != nil }))
    }

    private func ints8(_ v: [Int8?]) -> ColumnVector {
        ColumnVector(type: .int8, count: v.count, storage: .int8(v.map { $0 ?? 0 }), validity: Bitmap(v.map { $0 != nil }))
    }

    private func dates(_ v: [Int32?]) -> ColumnVector {
        ColumnVector(type: .date, count: v.count, storage: .int32(v.map { $0 ?? 0 }), validity: Bitmap(v.map { $0 != nil }))
    }

    @Test func equalTuplesGetEqualCodesAndNullIsItsOwnValue() throws {
        let a = ints64([-5, 7, -5, nil, 7, nil, -5_000_000_000])
        let b = ints8([1, -1, 1, 1, -1, 1, 127])
        let layout = try #require(PackedKeyLayout.make(types: [.int64, .int8], columns: [[a, b]]))
        let codes = layout.pack([a, b], count: 7, nullsMatch: true)
        #expect(codes[0] == codes[2])
        #expect(codes[1] == codes[4])
        #expect(codes[3] == codes[5])
        #expect(Set(codes).count == 4)
        #expect(codes.allSatisfy { $0 < layout.domain })
        // Round trip, nulls and negative numbers included.
        let back = layout.unpack(codes)
        #expect((0..<7).map { back[0].scalar(at: $0) } == (0..<7).map { a.scalar(at: $0) })
        #expect((0..<7).map { back[1].scalar(at: $0) } == (0..<7).map { b.scalar(at: $0) })
        #expect(back[1].type == .int8)
    }

    @Test func joinsNeverMatchNullsOrValuesOutsideTheBuildRange() throws {
        let build = ints64([10, 20, nil])
        let layout = try #require(PackedKeyLayout.make(types: [.int64], columns: [[build]]))
        let probe = ints64([10, 9, 21, nil, 20, Int64.min, Int64.max])
        let codes = layout.pack([probe], count: 7, nullsMatch: false)
        let built = layout.pack([build], count: 3, nullsMatch: false)
        #expect(codes[0] == built[0])
        #expect(codes[4] == built[1])
        #expect(built[2] == PackedKeyLayout.noMatch)
        for i in [1, 2, 3, 5, 6] { #expect(codes[i] >= PackedKeyLayout.noMatch) }
        // INTERSECT / EXCEPT compare nulls as equal; the value just below the range is still no null.
        let nullSafe = layout.pack([probe], count: 7, nullsMatch: true)
        #expect(nullSafe[3] == layout.pack([build], count: 3, nullsMatch: true)[2])
        for i in [1, 2, 5, 6] { #expect(nullSafe[i] >= PackedKeyLayout.noMatch) }
    }

    @Test func mixedWidthsCompareByValue() throws {
        let narrow = ColumnVector(type: .int32, count: 3, storage: .int32([-3, 0, 70000]), validity: nil)
        let wide = ints64([70000, -3, 70001])
        let layout = try #require(PackedKeyLayout.make(types: [.int32], columns: [[narrow]]))
        let b = layout.pack([narrow], count: 3, nullsMatch: false)
        let p = layout.pack([wide], count: 3, nullsMatch: false)
        #expect(p[0] == b[2])
        #expect(p[1] == b[0])
        #expect(p[2] >= PackedKeyLayout.noMatch)
    }

    @Test func decimalsPackWhileTheirUnscaledValuesFit64Bits() throws {
        let small = ColumnVector(type: .decimal(precision: 12, scale: 2), count: 3, storage: .decimal([-150, 99, -150]),
                                 validity: nil)
        let layout = try #require(PackedKeyLayout.make(types: [small.type], columns: [[small]]))
        let codes = layout.pack([small], count: 3, nullsMatch: true)
        #expect(codes[0] == codes[2] && codes[0] != codes[1])
        #expect(layout.unpack(codes)[0].scalar(at: 0) == small.scalar(at: 0))
        let huge = ColumnVector(type: .decimal(precision: 38, scale: 0), count: 1,
                                storage: .decimal([Int128(Int64.max) * 4]), validity: nil)
        #expect(PackedKeyLayout.make(types: [huge.type], columns: [[huge]]) == nil)
    }

    @Test func domainsTooLargeForOneCodeAreRefused() {
        let full = ints64([Int64.min, Int64.max])
        #expect(PackedKeyLayout.make(types: [.int64], columns: [[full]]) == nil)
        let wide = ints64([0, 1 << 40])
        #expect(PackedKeyLayout.make(types: [.int64, .int64], columns: [[wide, wide]]) == nil)
        // A string longer than seven bytes has no integer value.
        let long = strings(["A", "EIGHT-BY"])
        #expect(PackedKeyLayout.make(types: [.string], columns: [[long]]) == nil)
    }

    private func strings(_ v: [String?]) -> ColumnVector {
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        for s in v {
            data += Array((s ?? "").utf8)
            offsets.append(Int32(data.count))
        }
        return ColumnVector(type: .string, count: v.count, storage: .bytes(offsets: offsets, data: data),
                            validity: Bitmap(v.map { $0 != nil }))
    }

    @Test func shortStringsPackByTheirBytesAndLength() throws {
        // The empty string, a NUL byte and a null are three different keys; so are "A" and "A\0".
        let flags = strings(["A", "N", "R", nil, "", "\u{0}", "A\u{0}", "N", "sx", nil])
        let status = strings(["F", "O", "F", "F", "O", "F", "F", "O", "F", "F"])
        let layout = try #require(PackedKeyLayout.make(types: [.string, .string], columns: [[flags, status]]))
        let codes = layout.pack([flags, status], count: 10, nullsMatch: true)
        #expect(codes[1] == codes[7])
        #expect(codes[3] == codes[9])
        #expect(Set(codes).count == 8)
        let back = layout.unpack(codes)
        #expect((0..<10).map { back[0].scalar(at: $0) } == (0..<10).map { flags.scalar(at: $0) })
        #expect((0..<10).map { back[1].scalar(at: $0) } == (0..<10).map { status.scalar(at: $0) })
        #expect(back[0].type == .string)
        // A join probe never matches a longer string, a string absent from the build side, or a null.
        let probe = strings(["N", "sx7", "Z", nil, ""])
        let probeCodes = layout.pack([probe, strings(["O", "O", "O", "O", "O"])], count: 5, nullsMatch: false)
        #expect(probeCodes[0] == codes[1])
        #expect(probeCodes[4] == codes[4])
        for i in [1, 3] { #expect(probeCodes[i] >= PackedKeyLayout.noMatch) }
        // "Z" lies inside the range: it has a code, which no build row has.
        #expect(!codes.contains(probeCodes[2]))
        // Seven bytes is the longest string with a value; it round-trips.
        let seven = strings(["seven77", "", nil])
        let one = try #require(PackedKeyLayout.make(types: [.string], columns: [[seven]]))
        let back7 = one.unpack(one.pack([seven], count: 3, nullsMatch: true))[0]
        #expect((0..<3).map { back7.scalar(at: $0) } == (0..<3).map { seven.scalar(at: $0) })
    }

    @Test func allNullColumnsHaveOneCode() throws {
        let nulls = dates([nil, nil])
        let layout = try #require(PackedKeyLayout.make(types: [.date], columns: [[nulls]]))
        #expect(layout.domain == 1)
        #expect(layout.pack([nulls], count: 2, nullsMatch: true) == [0, 0])
        #expect(layout.pack([dates([5])], count: 1, nullsMatch: true)[0] >= PackedKeyLayout.noMatch)
        #expect(layout.unpack([0])[0].isNull(0))
    }

    @Test func joinsIndexFewKeysOfAModerateDomainDirectly() {
        // A few build keys spread over 2^18 codes: hashed by default, indexed when allowed.
        #expect(!PackedKeyTable(domain: 1 << 18, expected: 3).isDirect)
        var table = PackedKeyTable(domain: 1 << 18, expected: 3, directBelow: 1 << 20)
        #expect(table.isDirect)
        #expect(table.groups(for: [5, (1 << 18) - 1, 5, PackedKeyLayout.noMatch]) == [0, 1, 0, -1])
        #expect(table.lookup([(1 << 18) - 1, 6, 1 << 18, PackedKeyLayout.noMatch, 5]) == [1, -1, -1, -1, 0])
        // Never beyond the largest direct index.
        #expect(!PackedKeyTable(domain: 1 << 30, expected: 3, directBelow: 1 << 40).isDirect)
    }

    @Test(arguments: [UInt64(1000), UInt64(1) << 40])
    func tablesGroupEqualCodesInBothModes(domain: UInt64) {
        var table = PackedKeyTable(domain: domain, expected: 4)
        #expect(table.isDirect == (domain == 1000))
        let codes: [UInt64] = [7, 999, 7, 0, 999, 3]
        #expect(table.groups(for: codes) == [0, 1, 0, 2, 1, 3])
        #expect(table.codes == [7, 999, 0, 3])
        // Enough codes to make the hashed table grow several times.
        let many = (0..<5000).map { UInt64($0 * 7 % 1000) }
        let groups = table.groups(for: many)
        #expect(table.count == 1000)
        for (i, g) in groups.enumerated() { #expect(table.codes[Int(g)] == many[i]) }
        #expect(table.lookup([7, 1001, PackedKeyLayout.noMatch, 3]) == [0, -1, -1, 3])
        #expect(table.find(999) == 1 && table.find(1 << 39) == -1)
    }

    @Test func presenceFilterAndMarkedCodesGiveTheSameLookups() {
        // A hashed table over a wide domain with few keys gets a presence filter; the lookups of
        // present, absent, out-of-domain and marked (`noMatch`) codes equal a plain table's.
        let domain: UInt64 = 1 << 20
        let keys: [UInt64] = (0..<20_000).map { UInt64($0) * 197 % domain }
        var filtered = PackedKeyTable(domain: domain, expected: keys.count, directBelow: 0)
        var plain = PackedKeyTable(domain: domain, expected: keys.count, directBelow: 0)
        #expect(!filtered.isDirect)
        let groups = filtered.groups(for: keys)
        #expect(plain.groups(for: keys) == groups)
        let before = filtered.byteCount
        filtered.addPresenceFilter(domain: domain)
        #expect(filtered.byteCount > before)
        var probes: [UInt64] = (0..<20_000).map { UInt64($0) * 61 % (domain + 100) }
        probes += keys.prefix(100).map { $0 | PackedKeyLayout.noMatch }
        probes += [0, domain - 1, domain, PackedKeyLayout.noMatch, UInt64.max]
        let got = filtered.lookup(probes)
        #expect(got == plain.lookup(probes))
        #expect(got.contains { $0 >= 0 })
        #expect(got.suffix(105).prefix(100).allSatisfy { $0 == -1 })
        // Direct tables keep no filter and answer marked codes with -1 too.
        var direct = PackedKeyTable(domain: 1_000, expected: 10)
        #expect(direct.isDirect)
        let g = direct.groups(for: [3, 999, 0])
        direct.addPresenceFilter(domain: 1_000)
        #expect(direct.lookup([3, 999, 0, 3 | PackedKeyLayout.noMatch, 1_000, 5]) == [g[0], g[1], g[2], -1, -1, -1])
    }
}
