import ArgumentParser
import Engine
import Foundation
import SQL
import TopicTables

/// The settings of `tributary sql`, from ArgumentParser or from `FastCommandLine`.
struct SQLSettings: Equatable {
    var execute: [String]
    var file: String?
    var format: OutputFormat
    var null: String?
    var timer: Bool
    var historyFile: String?
    var brokers: String
    var clientId: String

    /// What a line without options means.
    static var defaults: SQLSettings {
        SQLSettings(execute: [], file: nil, format: .table, null: nil, timer: false, historyFile: nil,
                    brokers: BrokerOptions.defaultBrokers, clientId: BrokerOptions.defaultClientId)
    }

    func run() throws {
        AllocatorTuning.applyForQueries()
        let created = DispatchTime.now()
        let shell = SQLShell(format: format, nullText: null, timer: timer)
        if timer {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - created.uptimeNanoseconds) / 1e6
            FileHandle.standardOutput.write(String(format: "Session start: %.3f ms\n", ms).data(using: .utf8) ?? Data())
        }
        TopicTables.install(in: shell.session, brokers: brokers)
        var failed = false
        for text in execute where !failed {
            failed = !shell.runScript(text)
        }
        if let file, !failed {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                SQLShell.printError("cannot read \(file): \(error.localizedDescription)")
                throw ExitCode(2)
            }
            failed = !shell.runScript(text)
        }
        if failed { throw ExitCode(1) }
        if !execute.isEmpty || file != nil { return }
        if LineEditor.isInteractive {
            shell.repl(historyPath: historyFile ?? Self.defaultHistoryPath)
        } else {
            // Statements piped on standard input run as one script.
            var text = ""
            while let line = readLine(strippingNewline: false) { text += line }
            if !shell.runScript(text) { throw ExitCode(1) }
        }
    }

    static var defaultHistoryPath: String {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
        return home + "/.tributary_sql_history"
    }
}
