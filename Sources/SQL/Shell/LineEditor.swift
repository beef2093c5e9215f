#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small terminal line editor for the SQL shell: arrow keys move within the line and through
/// history, Home/End (Ctrl-A/E), backspace, Ctrl-U clears, Ctrl-C abandons the input, Ctrl-D on an
/// empty line ends the session. Without a terminal it falls back to plain `readLine()`.
public final class LineEditor {
    /// Earlier entries, oldest first.
    public private(set) var history: [String] = []
    /// The most history entries kept.
    public static let historyEntriesMax = 1000
    /// The longest line accepted, in bytes, so that a paste of binary data cannot grow without bound.
    public static let lineBytesMax = 1 << 20

    /// What reading a line produced.
    public enum Input: Equatable {
        case line(String)
        /// Ctrl-C: discard the statement being typed.
        case interrupt
        /// Ctrl-D on an empty line, or the end of input.
        case end
    }

    /// An editor with no history.
    public init() {}

    /// Adds an entry (consecutive duplicates and blank entries are skipped).
    public func addHistory(_ entry: String) {
        guard !entry.allSatisfy({ $0 == " " || $0 == "\n" }), history.last != entry else { return }
        history.append(entry)
        if history.count > Self.historyEntriesMax { history.removeFirst(history.count - Self.historyEntriesMax) }
    }

    /// True when standard input and output are terminals.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0 }

    /// Shows `prompt` and reads one line.
    public func readLine(prompt: String) -> Input {
        guard Self.isInteractive else {
            print(prompt, terminator: "")
            guard let line = Swift.readLine(strippingNewline: true) else { return .end }
            return .line(line)
        }
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return .end }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
        defer { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
        return edit(prompt: prompt)
    }

    private func emit(_ s: String) {
        var bytes = Array(s.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    private func nextByte() -> UInt8? {
        var b: UInt8 = 0
        while true {
            let n = read(STDIN_FILENO, &b, 1)
            if n == 1 { return b }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    private func edit(prompt: String) -> Input {
        var line: [Character] = []
        var cursor = 0
        var historyIndex = history.count
        var pending: [UInt8] = []
        var draft: [Character] = []
        var bytes = 0
        func redraw() {
            let tail = line.count - cursor
            emit("\r\u{1B}[K" + prompt + String(line) + (tail > 0 ? "\u{1B}[\(tail)D" : ""))
        }
        emit(prompt)
        while let b = nextByte() {
            switch b {
            case 0x0D, 0x0A:
                emit("\r\n")
                return .line(String(line))
            case 0x03:
                emit("^C\r\n")
                return .interrupt
            case 0x04:
                if line.isEmpty {
                    emit("\r\n")
                    return .end
                }
            case 0x7F, 0x08:
                if cursor > 0 {
                    line.remove(at: cursor - 1)
                    cursor -= 1
                    redraw()
                }
            case 0x01: cursor = 0; redraw()
            case 0x05: cursor = line.count; redraw()
            case 0x15: line.removeAll(); cursor = 0; redraw()
            case 0x1B:
                guard nextByte() == UInt8(ascii: "["), let code = nextByte() else { continue }
                switch code {
                case UInt8(ascii: "A"), UInt8(ascii: "B"):
                    let up = code == UInt8(ascii: "A")
                    if up && historyIndex > 0 {
                        if historyIndex == history.count { draft = line }
                        historyIndex -= 1
                    } else if !up && historyIndex < history.count {
                        historyIndex += 1
                    } else {
                        continue
                    }
                    // Multi-line history entries are recalled on one line.
                    let entry = historyIndex == history.count ? String(draft) : history[historyIndex]
                    line = Array(entry.map { $0 == "\n" ? " " : $0 })
                    cursor = line.count
                    redraw()
                case UInt8(ascii: "C"): if cursor < line.count { cursor += 1; redraw() }
                case UInt8(ascii: "D"): if cursor > 0 { cursor -= 1; redraw() }
                case UInt8(ascii: "H"): cursor = 0; redraw()
                case UInt8(ascii: "F"): cursor = line.count; redraw()
                case UInt8(ascii: "3"):
                    // Delete: ESC [ 3 ~
                    _ = nextByte()
                    if cursor < line.count { line.remove(at: cursor); redraw() }
                default: continue
                }
            default:
                guard b >= 0x20 else { continue }
                bytes += 1
                if bytes > Self.lineBytesMax { continue }
                pending.append(b)
                // Collect a whole UTF-8 sequence before inserting it.
                let expected = b < 0x80 ? 1 : (b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : (b >= 0xC0 ? 2 : 0)))
                if expected == 0 && pending.count == 1 { pending.removeAll(); continue }
                let lead = pending[0]
                let need = lead < 0x80 ? 1 : (lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : 2))
                guard pending.count >= need else { continue }
                for ch in String(decoding: pending, as: UTF8.self) {
                    line.insert(ch, at: cursor)
                    cursor += 1
                }
                pending.removeAll()
                redraw()
            }
        }
        return line.isEmpty ? .end : .line(String(line))
    }
}
