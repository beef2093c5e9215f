import Columnar
import Testing
@testable import Engine

/// Grouping by one string key: every occurrence of a key gets one group, however the key's bytes
/// lie in the column (short keys are hashed as one word, loaded whole unless the buffer ends).
@Suite struct StringGroupTableTests {
    func strings(_ values: [String?]) -> ColumnVector {
        var b = ColumnBuilder(type: .string, capacity: values.count)
        for v in values { if let v { b.appendString(v) } else { b.appendNull() } }
        return b.finish()
    }

    @Test func equalKeysShareAGroupWhereverTheyLie() {
        // "/a" last (the buffer ends right after it) and in the middle; keys of every length
        // around the eight-byte word; a key that differs only in its last byte; empty and null keys.
        let keys: [String?] = ["/a", "/cart", "12345678", "123456789", "1234567", "/a", "", nil, "12345679",
                               "/cart", "1234567", "123456789", "12345678", "", nil, "/a"]
        var table = StringGroupTable()
        var groups: [Int32] = []
        table.groups(for: strings(keys), into: &groups)
        #expect(groups.count == keys.count)
        for i in keys.indices {
            for j in keys.indices {
                #expect((groups[i] == groups[j]) == (keys[i] == keys[j]), "\(String(describing: keys[i])) vs \(String(describing: keys[j]))")
            }
        }
        // A second column's keys find the same groups; its new keys get new ones.
        var again: [Int32] = []
        table.groups(for: strings(["1234567", "new", "/a"]), into: &again)
        #expect(again[0] == groups[4])
        #expect(again[2] == groups[0])
        #expect(again[1] == Int32(table.count - 1))
        let keyColumn = table.keyColumn(.string)
        #expect(keyColumn.scalar(at: Int(again[1])) == .string("new"))
    }

    @Test func mergedTablesKeepOneGroupPerKey() {
        var a = StringGroupTable(), b = StringGroupTable()
        var ga: [Int32] = [], gb: [Int32] = []
        a.groups(for: strings(["x", "yy", nil]), into: &ga)
        b.groups(for: strings(["yy", "zzzzzzzzzz", "x", nil]), into: &gb)
        let mapping = a.merge(b)
        #expect(a.count == 4)
        #expect(mapping[Int(gb[0])] == ga[1])
        #expect(mapping[Int(gb[2])] == ga[0])
        #expect(mapping[Int(gb[3])] == ga[2])
    }
}
