/// Splits Spark SQL text into tokens, each carrying its line and column.
///
/// Follows Spark's lexical rules: backquoted identifiers (a doubled backquote stands for one),
/// string literals in single or double quotes with backslash escapes, adjacent string literals
/// joined into one, numbers with Spark's type suffixes (`L`, `S`, `Y`, `D`, `F`, `BD`), `--` line
/// comments and nestable `/* */` block comments.
public struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1

    /// Creates a lexer over `text`.
    public init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    /// Tokenizes the whole input; the last token is always `.end`.
    /// `statements` turns on the raw reading of a statement's leading `SET`; an expression (where
    /// `set` is an ordinary column name) is lexed without it.
    public static func tokenize(_ text: String, statements: Bool = true) throws -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            // Spark joins adjacent string literals: 'a' 'b' is 'ab'.
            if case .string(let s) = token.kind, let last = tokens.last, case .string(let prev) = last.kind {
                tokens[tokens.count - 1] = Token(.string(prev + s), at: last.location)
                continue
            }
            tokens.append(token)
            if token.kind == .end { return tokens }
            if statements, token.isKeyword("SET"), tokens.count == 1 || tokens[tokens.count - 2].kind == .symbol(";"),
               let arguments = try lexer.rawSetArguments() {
                tokens += arguments
            }
        }
    }

    private var location: SourceLocation { SourceLocation(line: line, column: column) }

    /// What follows a statement's leading `SET`, read as Spark reads it: raw text up to the `;`
    /// that ends the statement, cut at the first `=` into a key and a value, so that both may hold
    /// any characters (file paths, time zone names, `-v`). Returns them as a string token, an
    /// `=` symbol and a string token; nil for `SET TIME ZONE`, which is lexed as usual. Quotes
    /// around the whole key or value are removed; `--` comments are left out.
    mutating func rawSetArguments() throws -> [Token]? {
        try skipSpaceAndComments()
        let saved = (index, line, column)
        if let c = peek(), isIdentStart(c) {
            let isTimeZone = readWord().uppercased() == "TIME"
            (index, line, column) = saved
            if isTimeZone { return nil }
        }
        var arguments: [Token] = []
        var text: [UInt8] = []
        var textStart = location
        var quote: (byte: UInt8, at: SourceLocation)?
        func flush() {
            let trimmed = Lexer.unquoted(Lexer.trimmed(text))
            if !trimmed.isEmpty || !arguments.isEmpty { arguments.append(Token(.string(String(decoding: trimmed, as: UTF8.self)), at: textStart)) }
            text = []
        }
        while let c = peek() {
            if let open = quote {
                if c == UInt8(ascii: "\\"), let escaped = peek(1) {
                    text.append(c); text.append(escaped); advance(); advance()
                    continue
                }
                if c == open.byte { quote = nil }
            } else if c == UInt8(ascii: ";") {
                break
            } else if c == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                while let d = peek(), d != 0x0A { advance() }
                continue
            } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "`") {
                quote = (c, location)
            } else if c == UInt8(ascii: "="), !arguments.contains(where: { $0.kind == .symbol("=") }) {
                let at = location
                flush()
                if arguments.isEmpty { arguments.append(Token(.string(""), at: textStart)) }
                arguments.append(Token(.symbol("="), at: at))
                advance()
                textStart = location
                continue
            }
            if text.isEmpty && (c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D) {
                advance()
                textStart = location
                continue
            }
            text.append(c)
            advance()
        }
        if let open = quote { throw SQLError("unterminated quote in SET", at: open.at) }
        flush()
        return arguments
    }

    private static func trimmed(_ text: [UInt8]) -> ArraySlice<UInt8> {
        let space: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = text.firstIndex(where: { !space($0) }), let last = text.lastIndex(where: { !space($0) }) else { return [] }
        return text[first...last]
    }

    /// The text without one pair of matching quotes around all of it.
    private static func unquoted(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard text.count >= 2, let first = text.first, first == text.last,
              first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") || first == UInt8(ascii: "`") else { return text }
        return text.dropFirst().dropLast()
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let i = index + offset
        return i < bytes.count ? bytes[i] : nil
    }

    private mutating func advance() {
        let b = bytes[index]
        index += 1
        if b == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {
            // UTF-8 continuation bytes do not start a new character.
            column += 1
        }
    }

    /// Reads the next token.
    public mutating func next() throws -> Token {
        try skipSpaceAndComments()
        let start = location
        guard let c = peek() else { return Token(.end, at: start) }
        if isIdentStart(c) { return Token(.word(readWord()), at: start) }
        if isDigit(c) || (c == UInt8(ascii: ".") && peek(1).map(isDigit) == true) {
            return Token(try readNumber(start: start), at: start)
        }
        switch c {
        case UInt8(ascii: "`"):
            return Token(.quotedIdentifier(try readQuoted(quote: c, start: start, escapes: false)), at: start)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return Token(.string(try readQuoted(quote: c, start: start, escapes: true)), at: start)
        default:
            return Token(.symbol(try readSymbol(start: start)), at: start)
        }
    }

    private mutating func skipSpaceAndComments() throws {
        while let c = peek() {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C {
                advance()
            } else if c == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                while let d = peek(), d != 0x0A { advance() }
            } else if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                let start = location
                advance(); advance()
                var depth = 1
                while depth > 0 {
                    guard let d = peek() else { throw SQLError("unterminated /* comment", at: start) }
                    if d == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                        advance(); advance(); depth -= 1
                    } else if d == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                        advance(); advance(); depth += 1
                    } else {
                        advance()
                    }
                }
            } else {
                return
            }
        }
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_") || c >= 0x80
    }

    private func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }

    private mutating func readWord() -> String {
        let from = index
        while let c = peek(), isIdentPart(c) { advance() }
        return String(decoding: bytes[from..<index], as: UTF8.self)
    }

    private mutating func readNumber(start: SourceLocation) throws -> TokenKind {
        let from = index
        while let c = peek(), isDigit(c) { advance() }
        var hasFraction = false
        var hasExponent = false
        if peek() == UInt8(ascii: "."), peek(1).map(isDigit) == true || !(peek(1).map(isIdentStart) ?? false) {
            hasFraction = true
            advance()
            while let c = peek(), isDigit(c) { advance() }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            let signed = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")
            if let d = peek(signed ? 2 : 1), isDigit(d) {
                hasExponent = true
                advance()
                if signed { advance() }
                while let c = peek(), isDigit(c) { advance() }
            }
        }
        let text = String(decoding: bytes[from..<index], as: UTF8.self)
        // A type suffix must not run on into an identifier (`1Lx` is an error, as in Spark).
        let suffixStart = index
        while let c = peek(), isIdentPart(c) { advance() }
        let suffix = String(decoding: bytes[suffixStart..<index], as: UTF8.self).uppercased()
        switch suffix {
        case "":
            if hasExponent { return .double(text) }
            return hasFraction ? .decimal(text) : .integer(text)
        case "D", "F": return .double(text)
        case "BD": return .bigDecimal(text)
        case "L", "S", "Y":
            guard !hasFraction && !hasExponent else { break }
            return .typedInteger(text, suffix: Character(suffix))
        default:
            break
        }
        throw SQLError("invalid number literal '\(text)\(suffix)'", at: start)
    }

    private mutating func readQuoted(quote: UInt8, start: SourceLocation, escapes: Bool) throws -> String {
        advance()
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                let what = escapes ? "string literal" : "quoted identifier"
                throw SQLError("unterminated \(what)", at: start)
            }
            advance()
            if c == quote {
                // In backquoted identifiers a doubled quote stands for one.
                if !escapes, peek() == quote {
                    advance()
                    out.append(c)
                    continue
                }
                return String(decoding: out, as: UTF8.self)
            }
            if escapes, c == UInt8(ascii: "\\"), let e = peek() {
                advance()
                try appendEscape(e, to: &out, start: start)
                continue
            }
            out.append(c)
        }
    }

    /// Spark's string escapes: \n \t \r \b \0 \Z \% \_ \uXXXX, and \x for any other x.
    private mutating func appendEscape(_ e: UInt8, to out: inout [UInt8], start: SourceLocation) throws {
        switch e {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "0"): out.append(0x00)
        case UInt8(ascii: "Z"): out.append(0x1A)
        // LIKE patterns keep their escaped wildcards escaped.
        case UInt8(ascii: "%"), UInt8(ascii: "_"): out.append(UInt8(ascii: "\\")); out.append(e)
        case UInt8(ascii: "u"):
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let h = peek(), let digit = hexValue(h) else {
                    throw SQLError("invalid \\u escape in string literal", at: start)
                }
                advance()
                value = value * 16 + UInt32(digit)
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw SQLError("invalid \\u escape in string literal", at: start)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: out.append(e)
        }
    }

    private func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    private static let twoCharSymbols: Set<String> = ["<=", ">=", "<>", "!=", "==", "||", "::", "->", "=>", "<<", ">>"]
    private static let oneCharSymbols: Set<UInt8> = Set("()[]{},.;+-*/%=<>!|&^~:?".utf8)

    private mutating func readSymbol(start: SourceLocation) throws -> String {
        guard let c = peek() else { throw SQLError("unexpected end of input", at: start) }
        if c == UInt8(ascii: "<"), peek(1) == UInt8(ascii: "="), peek(2) == UInt8(ascii: ">") {
            advance(); advance(); advance()
            return "<=>"
        }
        if let d = peek(1) {
            let pair = String(decoding: [c, d], as: UTF8.self)
            if Self.twoCharSymbols.contains(pair) {
                advance(); advance()
                return pair
            }
        }
        guard Self.oneCharSymbols.contains(c) else {
            let shown = c < 0x80 ? String(UnicodeScalar(c)) : "byte \(c)"
            throw SQLError("unexpected character '\(shown)'", at: start)
        }
        advance()
        return String(UnicodeScalar(c))
    }
}
