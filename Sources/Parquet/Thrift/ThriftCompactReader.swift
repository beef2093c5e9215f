/// The type nibble of a Thrift compact protocol field or container element.
enum ThriftType: UInt8 {
    case stop = 0
    case boolTrue = 1
    case boolFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case structure = 12
    case uuid = 13
}

/// A cursor reading the Thrift compact protocol from borrowed bytes.
///
/// Structs are decoded by hand-written loops over `nextField()`; unknown fields are skipped, so
/// metadata written by newer writers still reads. Every length and count is checked against the bytes
/// that remain before anything is allocated, and nesting is bounded, so hostile input throws.
struct ThriftCompactReader {
    /// The deepest struct/container nesting accepted (real Parquet metadata nests fewer than 10).
    static let nestingMax = 64

    let bytes: UnsafeRawBufferPointer
    /// The offset of the next unread byte.
    private(set) var position: Int
    private var lastFieldId: Int16 = 0
    private var fieldIdStack: [Int16] = []
    /// The value of a bool field, which the compact protocol packs into the field header.
    private var pendingBool: Bool?

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    // MARK: primitives

    mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw ParquetError.corrupt("thrift data ends unexpectedly") }
        let value = bytes[position]
        position += 1
        return value
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ParquetError.corrupt("thrift varint longer than 10 bytes") }
        }
    }

    mutating func readI64() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))  // zigzag
    }

    mutating func readI32() throws -> Int32 {
        let value = try readI64()
        guard let narrow = Int32(exactly: value) else { throw ParquetError.corrupt("thrift i32 out of range") }
        return narrow
    }

    mutating func readI16() throws -> Int16 {
        let value = try readI64()
        guard let narrow = Int16(exactly: value) else { throw ParquetError.corrupt("thrift i16 out of range") }
        return narrow
    }

    mutating func readI8() throws -> Int8 { Int8(bitPattern: try readByte()) }

    mutating func readDouble() throws -> Double {
        guard remaining >= 8 else { throw ParquetError.corrupt("thrift double truncated") }
        let bits = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    /// Reads a bool: from the pending field header if this is a bool field, else one byte.
    mutating func readBool() throws -> Bool {
        if let value = pendingBool {
            pendingBool = nil
            return value
        }
        return try readByte() == ThriftType.boolTrue.rawValue
    }

    /// The length-prefixed bytes of a binary or string value, bounded by the input.
    mutating func readBinaryRange() throws -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            throw ParquetError.corrupt("thrift binary of \(length) bytes exceeds the \(remaining) remaining")
        }
        let start = position
        position += Int(length)
        return start..<position
    }

    mutating func readBinary() throws -> [UInt8] {
        let range = try readBinaryRange()
        return [UInt8](UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    mutating func readString() throws -> String {
        let range = try readBinaryRange()
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    // MARK: structs

    mutating func beginStruct() throws {
        guard fieldIdStack.count < Self.nestingMax else { throw ParquetError.corrupt("thrift nesting too deep") }
        fieldIdStack.append(lastFieldId)
        lastFieldId = 0
    }

    mutating func endStruct() {
        lastFieldId = fieldIdStack.popLast() ?? 0
    }

    /// The next field's id and type, or nil at the struct's stop byte.
    mutating func nextField() throws -> (id: Int16, type: ThriftType)? {
        let header = try readByte()
        guard let type = ThriftType(rawValue: header & 0x0F) else {
            throw ParquetError.corrupt("thrift field type \(header & 0x0F) is unknown")
        }
        if type == .stop { return nil }
        let delta = Int16(header >> 4)
        let id: Int16
        if delta == 0 {
            id = try readI16()
        } else {
            let (sum, overflow) = lastFieldId.addingReportingOverflow(delta)
            guard !overflow else { throw ParquetError.corrupt("thrift field id overflows") }
            id = sum
        }
        lastFieldId = id
        switch type {
        case .boolTrue: pendingBool = true
        case .boolFalse: pendingBool = false
        default: pendingBool = nil
        }
        return (id, type)
    }

    // MARK: containers

    /// A list or set header: element type and count. The count is bounded by the bytes left, as every
    /// element takes at least one byte.
    mutating func readListHeader() throws -> (type: ThriftType, count: Int) {
        let header = try readByte()
        var count = UInt64(header >> 4)
        if count == 15 { count = try readVarint() }
        // fastparquet writes an empty list's header as 0x00; with nothing to read, its element type
        // does not matter.
        if count == 0, header & 0x0F == 0 { return (.stop, 0) }
        guard let type = ThriftType(rawValue: header & 0x0F), type != .stop else {
            throw ParquetError.corrupt("thrift list element type \(header & 0x0F) is invalid")
        }
        guard count <= UInt64(remaining) else {
            throw ParquetError.corrupt("thrift list of \(count) elements exceeds the \(remaining) bytes left")
        }
        return (type, Int(count))
    }

    /// Reads a list whose elements `element` decodes one at a time.
    mutating func readList<T>(_ element: (inout ThriftCompactReader, ThriftType) throws -> T) throws -> [T] {
        let (type, count) = try readListHeader()
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self, type)) }
        return out
    }

    // MARK: skipping

    /// Skips one value of `type`, recursing into containers up to `nestingMax` deep.
    mutating func skip(_ type: ThriftType) throws {
        try skip(type, depth: 0)
    }

    private mutating func skip(_ type: ThriftType, depth: Int) throws {
        guard depth < Self.nestingMax else { throw ParquetError.corrupt("thrift nesting too deep") }
        switch type {
        case .stop: return
        case .boolTrue, .boolFalse:
            // A bool field carries its value in the header; a bool element is one byte.
            if pendingBool != nil { pendingBool = nil } else { _ = try readByte() }
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double: _ = try readDouble()
        case .binary: _ = try readBinaryRange()
        case .uuid:
            guard remaining >= 16 else { throw ParquetError.corrupt("thrift uuid truncated") }
            position += 16
        case .list, .set:
            let (elementType, count) = try readListHeader()
            for _ in 0..<count {
                if elementType == .boolTrue || elementType == .boolFalse {
                    _ = try readByte()
                } else {
                    try skip(elementType, depth: depth + 1)
                }
            }
        case .map:
            let count = try readVarint()
            guard count <= UInt64(remaining) else { throw ParquetError.corrupt("thrift map too large") }
            if count > 0 {
                let types = try readByte()
                guard let keyType = ThriftType(rawValue: types >> 4),
                      let valueType = ThriftType(rawValue: types & 0x0F)
                else { throw ParquetError.corrupt("thrift map element types are invalid") }
                for _ in 0..<count {
                    try skipElement(keyType, depth: depth + 1)
                    try skipElement(valueType, depth: depth + 1)
                }
            }
        case .structure:
            try beginStruct()
            while let field = try nextField() { try skip(field.type, depth: depth + 1) }
            endStruct()
        }
    }

    private mutating func skipElement(_ type: ThriftType, depth: Int) throws {
        if type == .boolTrue || type == .boolFalse { _ = try readByte() } else { try skip(type, depth: depth) }
    }
}
