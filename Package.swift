// swift-tools-version:6.0
// Tributary: a Kafka-compatible broker and a Spark-style engine in one Swift program.
// Module map and import direction: docs/ARCHITECTURE.md.
import PackageDescription

let nio: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioLocks: Target.Dependency = .product(name: "NIOConcurrencyHelpers", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let collections: Target.Dependency = .product(name: "Collections", package: "swift-collections")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "Tributary",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tributary", targets: ["tributary"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System compression libraries (Debian: zlib1g-dev liblz4-dev libzstd-dev libsnappy-dev).
        .systemLibrary(name: "CCompression", path: "Sources/CCompression"),

        // Kafka side.
        // CRC32C with the SSE4.2 instruction where the CPU has it.
        .target(name: "CTributary"),
        .target(name: "TributaryCore", dependencies: ["CCompression", "CTributary"]),
        .target(name: "KafkaProtocol", dependencies: ["TributaryCore", nio]),
        .target(name: "LogStorage", dependencies: ["TributaryCore", "KafkaProtocol", nio, nioLocks, logging]),
        .target(name: "Broker", dependencies: ["TributaryCore", "KafkaProtocol", "LogStorage", nio, nioLocks, logging, collections]),
        .target(name: "BrokerServer", dependencies: ["Broker", "KafkaProtocol", nio, nioPosix, logging]),
        .target(name: "KafkaClient", dependencies: ["KafkaProtocol", "TributaryCore", nio, nioPosix, nioLocks, logging]),

        // Engine side.
        .target(name: "Columnar", dependencies: ["TributaryCore", "CTributary"]),
        .target(name: "Engine", dependencies: ["Columnar", "TributaryCore", "Parquet", "CTributary"]),
        .target(name: "SQL", dependencies: ["Engine", "Columnar", "Parquet"]),
        .target(name: "Parquet", dependencies: ["Columnar", "TributaryCore", "CCompression", "CTributary"]),
        // Kafka topics as engine tables (source, sink, the `topics` schema): the engine side's only
        // door to the client.
        .target(name: "TopicTables", dependencies: ["Engine", "Columnar", "KafkaClient", "KafkaProtocol", nio, nioPosix]),

        // A libFuzzer target over request decoding (fuzz/run.sh); a corpus replayer otherwise.
        .executableTarget(name: "FuzzRequestDecoding", dependencies: ["KafkaProtocol", nio]),
        // The same over Parquet files: footer, pages, levels, encodings, record assembly.
        .executableTarget(name: "FuzzParquetDecoding", dependencies: ["Parquet"]),

        // The one binary that sees both halves: its commands, as a library the tests link,
        .target(name: "TributaryCLI", dependencies: [
            "CTributary", "BrokerServer", "Broker", "KafkaClient", "SQL", "Engine", "Columnar", "TopicTables", argumentParser, logging, nio, nioPosix,
        ]),
        // and the executable, which links the Swift runtime and Foundation statically: a process that may
        // live 0.1 s spends several milliseconds of it binding ~9,000 symbols across two dozen shared
        // libraries otherwise (BENCHMARKS.md, "Swift client"). Only this product links so (test bundles load
        // the shared runtime with the test libraries); CI builds and tests this very binary.
        .executableTarget(name: "tributary", dependencies: ["TributaryCLI"],
                          linkerSettings: [
                              .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux])),
                              // What the static Foundation archives need and a dynamic link gets from the
                              // shared libraries' own dependencies.
                              .linkedLibrary("_FoundationCollections", .when(platforms: [.linux])),
                              .linkedLibrary("CoreFoundation", .when(platforms: [.linux])),
                              .linkedLibrary("_FoundationCShims", .when(platforms: [.linux])),
                              .linkedLibrary("_FoundationICU", .when(platforms: [.linux])),
                              .linkedLibrary("swiftSynchronization", .when(platforms: [.linux])),
                          ]),

        .testTarget(name: "TributaryCoreTests", dependencies: ["TributaryCore"]),
        .testTarget(name: "KafkaProtocolTests", dependencies: ["KafkaProtocol", nio], exclude: ["Fixtures"]),
        .testTarget(name: "LogStorageTests", dependencies: ["LogStorage", "KafkaProtocol", nio]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "KafkaProtocol", nio, logging, .product(name: "NIOEmbedded", package: "swift-nio")]),
        .testTarget(name: "KafkaClientTests", dependencies: [
            "KafkaClient", "KafkaProtocol", "TributaryCore", nio, .product(name: "NIOEmbedded", package: "swift-nio"),
            // An in-process broker for end-to-end tests of the library API.
            "Broker", "BrokerServer", logging,
        ]),
        .testTarget(name: "ColumnarTests", dependencies: ["Columnar", "CTributary"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Columnar", "Parquet"]),
        .testTarget(name: "SQLTests", dependencies: ["SQL", "Engine", "Columnar", "Parquet"]),
        .testTarget(name: "TopicTablesTests", dependencies: [
            "TopicTables", "SQL", "Engine", "Columnar", "KafkaClient", "KafkaProtocol", nio,
            // An in-process broker to read from and write to.
            "Broker", "BrokerServer", logging,
        ]),
        // The CLI's own parsing (the fast path of `consume` and `produce` against ArgumentParser).
        .testTarget(name: "TributaryCLITests", dependencies: ["TributaryCLI", argumentParser]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "Columnar", "TributaryCore"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
