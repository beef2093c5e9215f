/// The snappy stream framing of the xerial `snappy-java` library, which Kafka's Java clients use for
/// compression codec 2 (`SnappyOutputStream`):
///
///     magic  0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00   (8 bytes)
///     version             int32 big-endian (1)
///     compatible version  int32 big-endian (1)
///     then repeated:  int32 big-endian block length, raw snappy block of that length
///
/// What producers write for snappy in RecordBatch v2: the Java client writes this framing with 32 KiB
/// input blocks; librdkafka and franz-go's one-shot path write a single raw snappy block; every
/// consumer (Java's `SnappyInputStream`, librdkafka, franz-go, kafka-python) recognises the magic and
/// otherwise falls back to a raw block. We therefore always *decode* both, and *encode* the xerial
/// framing, which is what the reference Java client produces and what every consumer accepts.
public enum SnappyXerial {
    /// The 8-byte magic that starts a xerial stream.
    public static let magic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]
    /// Length of magic plus the two version words.
    public static let headerBytes = 16
    /// Input bytes per block when encoding (snappy-java's and Kafka's default block size).
    public static let blockInputBytes = 32 * 1024

    /// Whether `input` starts with the xerial header.
    public static func hasHeader(_ input: UnsafeRawBufferPointer) -> Bool {
        guard input.count >= headerBytes else { return false }
        for index in 0..<magic.count where input[index] != magic[index] { return false }
        return true
    }

    /// Writes the xerial header and `input` in 32 KiB snappy blocks.
    public static func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws {
        output.append(contentsOf: magic)
        appendBigEndian(1, to: &output)  // version
        appendBigEndian(1, to: &output)  // compatible version
        var offset = 0
        while offset < input.count {
            let end = min(offset + blockInputBytes, input.count)
            let lengthAt = output.count
            appendBigEndian(0, to: &output)  // patched below, once the block length is known
            try Snappy.compress(UnsafeRawBufferPointer(rebasing: input[offset..<end]), appendingTo: &output)
            let blockLength = UInt32(output.count - lengthAt - 4)
            output[lengthAt] = UInt8(truncatingIfNeeded: blockLength >> 24)
            output[lengthAt + 1] = UInt8(truncatingIfNeeded: blockLength >> 16)
            output[lengthAt + 2] = UInt8(truncatingIfNeeded: blockLength >> 8)
            output[lengthAt + 3] = UInt8(truncatingIfNeeded: blockLength)
            offset = end
        }
    }

    /// Decodes Kafka snappy data: the xerial framing when the magic is present, otherwise one raw
    /// block. The total output is bounded by `maxOutputBytes`.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], maxOutputBytes: Int
    ) throws {
        guard hasHeader(input) else {
            try Snappy.decompress(input, appendingTo: &output, maxOutputBytes: maxOutputBytes)
            return
        }
        let start = output.count
        do {
            var offset = headerBytes
            while offset < input.count {
                guard input.count - offset >= 4 else {
                    throw CompressionError.corrupt(codec: "snappy", detail: "truncated xerial block length")
                }
                let blockLength = Int(readBigEndian(input, at: offset))
                offset += 4
                guard blockLength <= input.count - offset else {
                    throw CompressionError.corrupt(
                        codec: "snappy",
                        detail: "xerial block of \(blockLength) bytes overruns the input at offset \(offset)")
                }
                let block = UnsafeRawBufferPointer(rebasing: input[offset..<(offset + blockLength)])
                try Snappy.decompress(
                    block, appendingTo: &output, maxOutputBytes: maxOutputBytes - (output.count - start))
                offset += blockLength
            }
        } catch {
            output.removeSubrange(start...)
            throw error
        }
    }

    private static func appendBigEndian(_ value: UInt32, to output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: value >> 24))
        output.append(UInt8(truncatingIfNeeded: value >> 16))
        output.append(UInt8(truncatingIfNeeded: value >> 8))
        output.append(UInt8(truncatingIfNeeded: value))
    }

    private static func readBigEndian(_ input: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(input[offset]) << 24 | UInt32(input[offset + 1]) << 16
            | UInt32(input[offset + 2]) << 8 | UInt32(input[offset + 3])
    }
}
