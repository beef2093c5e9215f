import ArgumentParser

/// The one binary: a Kafka-compatible broker and a Spark-style engine.
@main
struct Tributary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary",
        abstract: "Kafka and Spark in one program: a Kafka-compatible broker and a columnar SQL engine.",
        subcommands: [Serve.self, TopicCommand.self, ProduceCommand.self, ConsumeCommand.self, GroupCommand.self, SQLCommand.self]
    )
}
