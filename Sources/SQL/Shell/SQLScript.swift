import Foundation

/// Splits SQL text into statements and runs them one by one, so that a script runs up to its
/// first error and the error's line and column refer to the whole text.
public struct SQLScript {
    /// The script text.
    public let text: String

    /// A script over `text`.
    public init(_ text: String) {
        self.text = text
    }

    /// True when `text` holds at least one statement and ends with a `;` outside strings and
    /// comments: what an interactive shell waits for before running the input.
    public static func isComplete(_ text: String) -> Bool {
        let tokens: [Token]
        do {
            tokens = try Lexer.tokenize(text)
        } catch let error as SQLError {
            // An unterminated string or comment needs more lines; other lexical errors are
            // reported when the input runs.
            return !error.message.hasPrefix("unterminated")
        } catch {
            return true
        }
        guard tokens.count >= 2 else { return false }
        return tokens[tokens.count - 2].isSymbol(";")
    }

    /// Parses the statements in order, handing each to `body`; stops at the first error (of the
    /// parser or of `body`), which it rethrows.
    public func forEachStatement(_ body: (SQLStatement) throws -> Void) throws {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        while true {
            while parser.consumeSymbol(";") {}
            if parser.current.kind == .end { return }
            let statement = try parser.parseStatement()
            if parser.current.kind != .end { try parser.expectSymbol(";") }
            try body(statement)
        }
    }

    /// The error message with the offending line of the script and a caret under the column.
    public func describe(error message: String, line: Int?, column: Int?) -> String {
        guard let line, let column, line >= 1 else { return message }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return message }
        let source = String(lines[line - 1]).replacingOccurrences(of: "\t", with: " ")
        let caret = String(repeating: " ", count: max(0, column - 1)) + "^"
        return "\(message)\n  \(source)\n  \(caret)"
    }
}
