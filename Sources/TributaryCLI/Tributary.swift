import ArgumentParser

/// The one binary: a Kafka-compatible broker and a Spark-style engine.
struct Tributary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary",
        abstract: "Kafka and Spark in one program: a Kafka-compatible broker and a columnar SQL engine.",
        subcommands: [Serve.self, TopicCommand.self, ProduceCommand.self, ConsumeCommand.self, GroupCommand.self, SQLCommand.self]
    )
}

/// The process entry: `consume`, `produce` and `sql` command lines that `FastCommandLine` takes start at
/// once; every other line goes through ArgumentParser. The `tributary` executable only calls `main()`.
public enum TributaryMain {
    /// Runs the command named by this process's arguments; exits the process on a failed command.
    public static func main() {
        guard let command = FastCommandLine.command(CommandLine.arguments) else {
            Tributary.main()
            return
        }
        do {
            try command.run()
        } catch {
            // As `Tributary.main()` ends a command whose run throws.
            Tributary.exit(withError: error)
        }
    }
}
