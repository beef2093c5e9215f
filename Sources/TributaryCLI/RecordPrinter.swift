import ArgumentParser
import Engine
import KafkaClient
import KafkaProtocol
import NIOCore

/// Formats consumed records: text, JSON lines, or a kcat-style template.
struct RecordPrinter: Sendable {
    enum Piece: Sendable { case literal(String), topic, partition, offset, key, value, timestamp, headers }
    enum Mode: Sendable { case text, json, template([Piece]) }
    let mode: Mode
    let keySeparator: String?

    init(format: String, keySeparator: String?) throws {
        self.keySeparator = keySeparator
        switch format {
        case "text": mode = .text
        case "json": mode = .json
        default:
            guard format.contains("%") else { throw ValidationError("--format must be text, json or a %-template") }
            mode = .template(try Self.parseTemplate(format))
        }
    }

    static func parseTemplate(_ s: String) throws -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var it = s.makeIterator()
        while let c = it.next() {
            if c == "%" || c == "\\" {
                guard let n = it.next() else { literal.append(c); break }
                if c == "\\" {
                    switch n {
                    case "n": literal.append("\n")
                    case "t": literal.append("\t")
                    default: literal.append(n)
                    }
                    continue
                }
                let piece: Piece
                switch n {
                case "t": piece = .topic
                case "p": piece = .partition
                case "o": piece = .offset
                case "k": piece = .key
                case "s": piece = .value
                case "T": piece = .timestamp
                case "h": piece = .headers
                case "%": literal.append("%"); continue
                default: throw ValidationError("unknown format directive %\(n)")
                }
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = "" }
                pieces.append(piece)
            } else {
                literal.append(c)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    func append(_ r: ConsumerRecord, to out: inout String) {
        switch mode {
        case .text:
            if let sep = keySeparator { out += r.keyString ?? ""; out += sep }
            out += r.valueString ?? ""
            out += "\n"
        case .json:
            out += "{\"topic\":"; JSONText.appendString(r.topic, to: &out)
            out += ",\"key\":"; JSONText.appendOptional(r.keyString, to: &out)
            out += ",\"value\":"; JSONText.appendOptional(r.valueString, to: &out)
            out += ",\"headers\":["
            for (i, h) in r.headers.enumerated() {
                if i > 0 { out += "," }
                out += "{\"key\":"; JSONText.appendString(h.key, to: &out)
                out += ",\"value\":"; JSONText.appendOptional(h.value.map { String(buffer: $0) }, to: &out)
                out += "}"
            }
            out += "],\"partition\":\(r.partition),\"offset\":\(r.offset),\"timestamp\":\(r.timestampMs)}\n"
        case let .template(pieces):
            for p in pieces {
                switch p {
                case let .literal(s): out += s
                case .topic: out += r.topic
                case .partition: out += "\(r.partition)"
                case .offset: out += "\(r.offset)"
                case .key: out += r.keyString ?? ""
                case .value: out += r.valueString ?? ""
                case .timestamp: out += "\(r.timestampMs)"
                case .headers: out += r.headers.map { "\($0.key)=\($0.value.map { String(buffer: $0) } ?? "")" }.joined(separator: ",")
                }
            }
        }
    }
}

extension RecordPrinter {
    /// Whether `appendText` can print these records (the text format), without a `ConsumerRecord` each.
    var printsFromViews: Bool {
        if case .text = mode { return true }
        return false
    }

    /// The text format straight from a record's bytes, byte for byte what `append` prints for it
    /// (invalid UTF-8 replaced by U+FFFD the same way).
    func appendText(_ r: RecordView, to out: inout [UInt8]) {
        if let keySeparator {
            Self.appendUTF8(r.key, to: &out)
            out.append(contentsOf: keySeparator.utf8)
        }
        Self.appendUTF8(r.value, to: &out)
        out.append(0x0A)
    }

    private static func appendUTF8(_ bytes: UnsafeRawBufferPointer?, to out: inout [UInt8]) {
        guard let bytes, !bytes.isEmpty else { return }
        if isASCII(bytes) {
            out.append(contentsOf: bytes)
        } else {
            out.append(contentsOf: String(decoding: bytes, as: UTF8.self).utf8)
        }
    }

    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        var any: UInt64 = 0
        while i + 8 <= bytes.count {
            any |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            any |= UInt64(bytes[i])
            i += 1
        }
        return any & 0x8080_8080_8080_8080 == 0
    }
}

/// Minimal JSON string writing for the output path.
enum JSONText {
    static func appendOptional(_ s: String?, to out: inout String) {
        if let s { appendString(s, to: &out) } else { out += "null" }
    }

    static func appendString(_ s: String, to out: inout String) {
        SparkJSON.appendString(s, &out)
    }
}
