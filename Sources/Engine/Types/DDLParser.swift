import Columnar

/// Parses Spark's DDL text: schema strings (`user STRING, tags ARRAY<STRING>, n INT NOT NULL`,
/// also written `struct<user:string, tags:array<string>>`) and type names (`map<string,int>`,
/// `struct<a:int,b:string>`, `decimal(15,2)`), as `from_json`, `schema(…)` and CAST use them.
public enum DDLParser {
    /// Parses a schema: a comma-separated field list or one `struct<…>` type.
    public static func parseSchema(_ text: String) throws -> Schema {
        var p = Cursor(text)
        if p.peekWord("struct"), case .symbol("<") = p.tokenAfterNext() {
            let t = try p.parseType()
            try p.expectEnd()
            guard case let .struct(fields) = t else { return Schema([]) }
            return Schema(fields)
        }
        var fields: [Field] = []
        if p.atEnd { return Schema([]) }
        repeat { fields.append(try p.parseField()) } while p.consume(",")
        try p.expectEnd()
        return Schema(fields)
    }

    /// Parses one type name.
    public static func parseType(_ text: String) throws -> DataType {
        var p = Cursor(text)
        let t = try p.parseType()
        try p.expectEnd()
        return t
    }

    enum Token: Equatable {
        case word(String)
        case quoted(String)
        case string(String)
        case number(Int)
        case symbol(Character)
        case end
    }

    /// A token stream over the text with one token of lookahead.
    struct Cursor {
        let text: String
        var tokens: [(Token, Int)] = []
        var index = 0

        init(_ text: String) {
            self.text = text
            let chars = Array(text)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if c.isWhitespace {
                    i += 1
                } else if c == "`" || c == "'" || c == "\"" {
                    let start = i
                    var value = ""
                    i += 1
                    while i < chars.count {
                        if chars[i] == c {
                            // A doubled quote stands for itself.
                            if i + 1 < chars.count && chars[i + 1] == c {
                                value.append(c)
                                i += 2
                                continue
                            }
                            break
                        }
                        value.append(chars[i])
                        i += 1
                    }
                    i += 1
                    tokens.append((c == "`" ? .quoted(value) : .string(value), start))
                } else if c.isLetter || c == "_" || c.isNumber {
                    let start = i
                    var value = ""
                    while i < chars.count && (chars[i].isLetter || chars[i].isNumber || chars[i] == "_") {
                        value.append(chars[i])
                        i += 1
                    }
                    if let n = Int(value) { tokens.append((.number(n), start)) } else { tokens.append((.word(value), start)) }
                } else {
                    tokens.append((.symbol(c), i))
                    i += 1
                }
            }
            tokens.append((.end, chars.count))
        }

        var current: Token { tokens[index].0 }
        var atEnd: Bool { current == .end }

        func tokenAfterNext() -> Token { index + 1 < tokens.count ? tokens[index + 1].0 : .end }

        func peekWord(_ w: String) -> Bool {
            if case let .word(x) = current { return x.lowercased() == w }
            return false
        }

        mutating func consume(_ symbol: Character) -> Bool {
            if current == .symbol(symbol) {
                index += 1
                return true
            }
            return false
        }

        mutating func consumeWord(_ w: String) -> Bool {
            if peekWord(w) {
                index += 1
                return true
            }
            return false
        }

        func error(_ what: String) -> EngineError {
            let at = tokens[index].1
            let found: String
            switch current {
            case .end: found = "the end"
            case let .word(w): found = "'\(w)'"
            case let .quoted(q): found = "`\(q)`"
            case let .string(s): found = "'\(s)'"
            case let .number(n): found = "\(n)"
            case let .symbol(c): found = "'\(c)'"
            }
            return EngineError.analysis("[PARSE_SYNTAX_ERROR] cannot parse DDL `\(text)`: expected \(what) at position "
                                        + "\(at + 1), found \(found)", position: nil)
        }

        mutating func expect(_ symbol: Character) throws {
            guard consume(symbol) else { throw error("'\(symbol)'") }
        }

        func expectEnd() throws {
            guard atEnd else { throw error("',' or the end") }
        }

        mutating func parseName() throws -> String {
            switch current {
            case let .word(w), let .quoted(w):
                index += 1
                return w
            default:
                throw error("a field name")
            }
        }

        /// `name [:] type [NOT NULL] [COMMENT 'text']`.
        mutating func parseField() throws -> Field {
            let name = try parseName()
            _ = consume(":")
            let type = try parseType()
            var nullable = true
            if consumeWord("not") {
                guard consumeWord("null") else { throw error("NULL after NOT") }
                nullable = false
            }
            if consumeWord("comment") {
                guard case .string = current else { throw error("a comment string") }
                index += 1
            }
            return Field(name, type, nullable: nullable)
        }

        mutating func parseType() throws -> DataType {
            guard case let .word(w) = current else { throw error("a type name") }
            index += 1
            switch w.lowercased() {
            case "array":
                try expect("<")
                let e = try parseType()
                try expect(">")
                return .array(element: e, containsNull: true)
            case "map":
                try expect("<")
                let k = try parseType()
                try expect(",")
                let v = try parseType()
                try expect(">")
                return .map(key: k, value: v, valueContainsNull: true)
            case "struct":
                try expect("<")
                var fields: [Field] = []
                if !consume(">") {
                    repeat { fields.append(try parseField()) } while consume(",")
                    try expect(">")
                }
                return .struct(fields)
            default:
                var spelled = w
                if consume("(") {
                    var params: [Int] = []
                    repeat {
                        guard case let .number(n) = current else { throw error("an integer type parameter") }
                        params.append(n)
                        index += 1
                    } while consume(",")
                    try expect(")")
                    spelled += "(" + params.map(String.init).joined(separator: ",") + ")"
                }
                guard let t = DataType(sparkName: spelled) else {
                    throw EngineError.analysis("[UNSUPPORTED_DATATYPE] Unsupported data type `\(spelled)`.", position: nil)
                }
                return t
            }
        }
    }
}
