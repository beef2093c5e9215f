import CTributary

/// CRC32C (Castagnoli), the checksum of Kafka's RecordBatch v2 (it covers attributes..end of a batch).
///
/// Computed with the CPU's crc32 instruction where there is one (x86-64 SSE4.2), else by a
/// slicing-by-8 table loop; both give the same values. Checksums chain: `update(checksum(a), b)` is the
/// checksum of `a` followed by `b`.
public enum CRC32C {
    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// Continues `crc` (a finished checksum; 0 to start) over `bytes`.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return tributary_crc32c_update(crc, base, bytes.count)
    }

    /// The checksum of a byte array (or any contiguous bytes).
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        if let crc = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) {
            return crc
        }
        let copy = Array(bytes)
        return copy.withUnsafeBytes { checksum($0) }
    }

    /// The checksum computed by the portable table loop only; for tests that compare the two paths.
    public static func portableChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        return tributary_crc32c_update_portable(0, base, bytes.count)
    }

    /// Whether this CPU computes the checksum with a hardware instruction.
    public static var isHardwareAccelerated: Bool { tributary_crc32c_is_hardware() != 0 }
}
