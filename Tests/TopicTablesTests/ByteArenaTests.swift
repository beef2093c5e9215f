import Testing
@testable import TopicTables

/// The byte arena behind the key and value columns of a topic scan: appends across growth, and
/// reuse after a batch takes its bytes.
@Suite struct ByteArenaTests {
    @Test func appendsGrowAndEachBatchGetsItsOwnBytes() {
        let arena = ByteArena()
        var expected: [UInt8] = []
        // Enough to grow the arena several times from its first allocation.
        for i in 0..<3000 {
            let chunk = (0..<(i % 97)).map { UInt8(truncatingIfNeeded: $0 &+ i) }
            chunk.withUnsafeBytes { if let p = $0.baseAddress { arena.append(p, $0.count) } }
            expected += chunk
        }
        #expect(arena.count == expected.count)
        let first = arena.take()
        #expect(first == expected)
        #expect(arena.count == 0)
        // The reused memory does not change what the first batch holds.
        let second: [UInt8] = [7, 8, 9]
        second.withUnsafeBytes { arena.append($0.baseAddress!, 3) }
        #expect(arena.take() == second)
        #expect(first == expected)
        #expect(ByteArena().take().isEmpty)
    }

    @Test func byteColumnsKeepNullsAndEmptyValuesApart() {
        var column = ByteColumn()
        let bytes: [UInt8] = Array("abcdef".utf8)
        bytes.withUnsafeBytes { raw in
            column.append(raw, (0, 3))
            column.append(raw, nil)
            column.append(raw, (3, 0))
            column.append(raw, (3, 3))
        }
        let v = column.finish(count: 4)
        #expect((0..<4).map { v.isNull($0) } == [false, true, false, false])
        guard case let .bytes(offsets, data) = v.storage else {
            Issue.record("not a byte column")
            return
        }
        #expect(offsets == [0, 3, 3, 3, 6])
        #expect(data == bytes)
        // The next batch starts empty, without the previous nulls.
        bytes.withUnsafeBytes { column.append($0, (1, 2)) }
        let next = column.finish(count: 1)
        #expect(next.validity == nil)
        guard case let .bytes(o2, d2) = next.storage else { return }
        #expect(o2 == [0, 2])
        #expect(d2 == Array("bc".utf8))
    }
}
