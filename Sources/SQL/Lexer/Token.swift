/// The kinds of lexical tokens of the Spark SQL dialect.
///
/// Keywords are not a separate kind: almost every Spark keyword is non-reserved, so the lexer returns
/// an unquoted word and the parser decides from context whether it is a keyword or a name.
public enum TokenKind: Equatable, Sendable {
    /// An unquoted word: a keyword or an identifier, as written.
    case word(String)
    /// A backquoted identifier with the quotes removed and doubled backquotes undone.
    case quotedIdentifier(String)
    /// A string literal with escapes resolved (adjacent literals already concatenated).
    case string(String)
    /// An integer literal as written, without a type suffix.
    case integer(String)
    /// A literal with a fraction and no exponent (`1.50`); Spark types it as a decimal.
    case decimal(String)
    /// A literal with an exponent or a `D` suffix; Spark types it as a double.
    case double(String)
    /// A number with Spark's integral type suffix: `L` (bigint), `S` (smallint), `Y` (tinyint).
    case typedInteger(String, suffix: Character)
    /// A number with the `BD` suffix, an explicit decimal.
    case bigDecimal(String)
    /// An operator or punctuation, such as `<=`, `(`, `||`.
    case symbol(String)
    /// The end of the input.
    case end
}

/// One token with where it starts in the source.
public struct Token: Equatable, Sendable {
    /// What the token is.
    public var kind: TokenKind
    /// Where its first character is.
    public var location: SourceLocation

    /// Creates a token.
    public init(_ kind: TokenKind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// How the token reads in an error message: `'SELECT'`, `end of input`, …
    public var displayText: String {
        switch kind {
        case .word(let w): return "'\(w)'"
        case .quotedIdentifier(let w): return "`\(w)`"
        case .string(let s): return "string '\(s)'"
        case .integer(let n), .decimal(let n), .double(let n), .bigDecimal(let n): return "number \(n)"
        case .typedInteger(let n, let s): return "number \(n)\(s)"
        case .symbol(let s): return "'\(s)'"
        case .end: return "end of input"
        }
    }

    /// True when the token is the unquoted word `keyword`, compared without regard to case.
    @inline(__always)
    public func isKeyword(_ keyword: String) -> Bool {
        if case .word(let w) = kind { return w.uppercased() == keyword }
        return false
    }

    /// True when the token is the symbol `s`.
    @inline(__always)
    public func isSymbol(_ s: String) -> Bool {
        if case .symbol(let t) = kind { return t == s }
        return false
    }
}
