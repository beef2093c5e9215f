/// Writes the Thrift compact protocol into a growing byte array (for footers and page headers).
struct ThriftCompactWriter {
    private(set) var bytes: [UInt8] = []
    private var lastFieldId: Int16 = 0
    private var fieldIdStack: [Int16] = []

    init() {}

    mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func writeZigzag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private mutating func fieldHeader(_ id: Int16, _ type: ThriftType) {
        let delta = id - lastFieldId
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeZigzag(Int64(id))
        }
        lastFieldId = id
    }

    mutating func beginStruct() {
        fieldIdStack.append(lastFieldId)
        lastFieldId = 0
    }

    /// Writes the stop byte and returns to the enclosing struct.
    mutating func endStruct() {
        bytes.append(ThriftType.stop.rawValue)
        lastFieldId = fieldIdStack.popLast() ?? 0
    }

    mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, .i32)
        writeZigzag(Int64(value))
    }

    mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, .i64)
        writeZigzag(value)
    }

    mutating func field(_ id: Int16, i16 value: Int16) {
        fieldHeader(id, .i16)
        writeZigzag(Int64(value))
    }

    mutating func field(_ id: Int16, i8 value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func field(_ id: Int16, bool value: Bool) {
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    mutating func field(_ id: Int16, binary value: [UInt8]) {
        fieldHeader(id, .binary)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func field(_ id: Int16, string value: String) {
        field(id, binary: Array(value.utf8))
    }

    /// Starts a nested struct field; follow with its fields and `endStruct()`.
    mutating func beginStructField(_ id: Int16) {
        fieldHeader(id, .structure)
        beginStruct()
    }

    /// Starts a list field of `count` elements of `type`.
    mutating func beginListField(_ id: Int16, elementType type: ThriftType, count: Int) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            writeVarint(UInt64(count))
        }
    }

    /// A list element of type i32/i64 (zigzag varint).
    mutating func element(i64 value: Int64) { writeZigzag(value) }

    /// A list element of type binary.
    mutating func element(binary value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A list element of type bool (one byte: 1 true, 2 false).
    mutating func element(bool value: Bool) {
        bytes.append(value ? ThriftType.boolTrue.rawValue : ThriftType.boolFalse.rawValue)
    }
}
