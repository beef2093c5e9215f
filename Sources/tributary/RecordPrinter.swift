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

/// Minimal JSON string writing for the output path.
enum JSONText {
    static func appendOptional(_ s: String?, to out: inout String) {
        if let s { appendString(s, to: &out) } else { out += "null" }
    }

    static func appendString(_ s: String, to out: inout String) {
        SparkJSON.appendString(s, &out)
    }
}
