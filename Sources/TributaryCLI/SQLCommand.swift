import ArgumentParser
import Engine
import Foundation
import SQL
import TopicTables

extension OutputFormat: ExpressibleByArgument {}

/// `tributary sql`: Spark SQL over files and views, as an interactive shell or for scripts.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run Spark SQL: an interactive shell, or the statements of -e / -f.",
        discussion: """
        Statements end with ';'. Files are queried directly (SELECT * FROM csv.`people.csv`) or through \
        views (CREATE TEMP VIEW people USING csv OPTIONS (path 'people.csv', header 'true')).

        Every topic of the cluster named by --brokers (default: the local broker) is a table in the \
        `topics` schema: SELECT * FROM topics.clicks reads its retained records with Spark's Kafka \
        source columns (key, value, topic, partition, offset, timestamp, timestampType); \
        INSERT INTO topics.out SELECT … writes a `value` column (and optional `key`, `partition`) to it. \
        Views over topics with Spark's options: CREATE TEMP VIEW v USING kafka OPTIONS \
        (kafka.bootstrap.servers 'host:9092', subscribe 'clicks', startingOffsets 'earliest').

        In the shell, .help lists the dot commands (.tables, .schema, .timer, .mode, .read, .quit).
        """
    )

    @Option(name: .customShort("e"), help: ArgumentHelp("SQL to run (statements separated by ';'); may be repeated.",
                                                         valueName: "sql"))
    var execute: [String] = []

    @Option(name: .customShort("f"), help: ArgumentHelp("A file of SQL statements to run.", valueName: "file"))
    var file: String?

    @Option(name: .long, help: "Output format: table, csv (with a header row) or json (one object per line).")
    var format: OutputFormat = .table

    @Option(name: .long, help: "How NULL is printed in table and csv output (default: NULL in tables, empty in csv).")
    var null: String?

    @Flag(name: .long, help: "Print how long each statement took.")
    var timer = false

    @Option(name: .long, help: "The shell's history file (default: ~/.tributary_sql_history).")
    var historyFile: String?

    @OptionGroup var cluster: BrokerOptions

    /// The options as one value, shared with `FastCommandLine`.
    var settings: SQLSettings {
        SQLSettings(execute: execute, file: file, format: format, null: null, timer: timer, historyFile: historyFile,
                    brokers: cluster.brokers, clientId: cluster.clientId)
    }

    func run() throws { try settings.run() }
}

/// The state of one SQL session in the shell: the engine session, output settings, the timer.
final class SQLShell {
    let session = Session()
    var formatter: ResultFormatter
    var timer: Bool
    let nullText: String?

    init(format: OutputFormat, nullText: String?, timer: Bool) {
        self.formatter = ResultFormatter(format: format, nullText: nullText)
        self.nullText = nullText
        self.timer = timer
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(("Error: " + message + "\n").data(using: .utf8) ?? Data())
    }

    /// Runs every statement of `text`, printing results; false after the first error.
    func runScript(_ text: String) -> Bool {
        let script = SQLScript(text)
        do {
            try script.forEachStatement { statement in
                let start = DispatchTime.now()
                let frame = try SQLStatementRunner(session: session).run(statement)
                let out = try formatter.render(frame)
                FileHandle.standardOutput.write(out.data(using: .utf8) ?? Data())
                if timer {
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                    print(String(format: "Run Time: %.3f s", seconds))
                }
            }
            return true
        } catch let error as SQLError {
            Self.printError(script.describe(error: error.description, line: error.location?.line,
                                            column: error.location?.column))
        } catch let error as EngineError {
            if case .analysis(let message, let position?) = error {
                // Located like syntax errors: "line L, column C: …" with the line and a caret.
                Self.printError(script.describe(error: "\(position): [ANALYSIS] \(message)", line: position.line,
                                                column: position.column))
            } else {
                Self.printError(error.description)
            }
        } catch {
            Self.printError("\(error)")
        }
        return false
    }

    /// The interactive loop: statements may span lines and run when a line ends with ';'.
    func repl(historyPath: String) {
        let editor = LineEditor()
        let saved = (try? String(contentsOfFile: historyPath, encoding: .utf8)) ?? ""
        // History entries are stored one per line, with newlines inside an entry escaped.
        for entry in saved.split(separator: "\n") {
            editor.addHistory(entry.replacingOccurrences(of: "\\n", with: "\n"))
        }
        print("Tributary SQL shell. Statements end with ';'. Type .help for commands, .quit to leave.")
        var buffer = ""
        while true {
            let input = editor.readLine(prompt: buffer.isEmpty ? "sql> " : "...> ")
            switch input {
            case .end:
                saveHistory(editor, to: historyPath)
                return
            case .interrupt:
                buffer = ""
                continue
            case .line(let line):
                if buffer.isEmpty && line.trimmingCharacters(in: .whitespaces).hasPrefix(".") {
                    editor.addHistory(line)
                    if !dotCommand(line.trimmingCharacters(in: .whitespaces)) {
                        saveHistory(editor, to: historyPath)
                        return
                    }
                    continue
                }
                buffer += buffer.isEmpty ? line : "\n" + line
                guard SQLScript.isComplete(buffer) else { continue }
                editor.addHistory(buffer)
                _ = runScript(buffer)
                buffer = ""
            }
        }
    }

    private func saveHistory(_ editor: LineEditor, to path: String) {
        let text = editor.history.map { $0.replacingOccurrences(of: "\n", with: "\\n") }.joined(separator: "\n") + "\n"
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Runs a dot command; false for `.quit`.
    func dotCommand(_ line: String) -> Bool {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words[0] {
        case ".quit", ".exit", ".q":
            return false
        case ".help":
            print("""
                .tables              list temporary views
                .schema [name]       show the columns of one view or of all views
                .timer on|off        print the time each statement takes
                .mode table|csv|json how results are printed
                .read FILE           run the statements of a file
                .quit                leave (also Ctrl-D)
                """)
        case ".tables":
            let names = session.catalog.names
            print(names.isEmpty ? "(no views)" : names.joined(separator: "\n"))
        case ".schema":
            let names = words.count > 1 ? [words[1]] : session.catalog.names
            for name in names {
                guard let frame = try? session.table(name) else {
                    Self.printError("no view named \(name)")
                    continue
                }
                let columns = frame.schema.fields.map { "  \($0.name) \($0.type.description.uppercased())" }
                print("CREATE TEMPORARY VIEW \(name) (\n" + columns.joined(separator: ",\n") + "\n);")
            }
        case ".timer":
            guard words.count == 2, words[1] == "on" || words[1] == "off" else {
                Self.printError("usage: .timer on|off")
                break
            }
            timer = words[1] == "on"
        case ".mode":
            guard words.count == 2, let f = OutputFormat(rawValue: words[1]) else {
                Self.printError("usage: .mode table|csv|json")
                break
            }
            formatter = ResultFormatter(format: f, nullText: nullText)
        case ".read":
            guard words.count == 2 else {
                Self.printError("usage: .read FILE")
                break
            }
            guard let text = try? String(contentsOfFile: words[1], encoding: .utf8) else {
                Self.printError("cannot read \(words[1])")
                break
            }
            _ = runScript(text)
        default:
            Self.printError("unknown command \(words[0]); .help lists the commands")
        }
        return true
    }
}
