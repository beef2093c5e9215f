import Foundation
import NIOCore

/// Request frames captured from real clients (size prefix removed), in `Fixtures/`, named
/// `<api>_request_v<version>_<client>.bin`. They were recorded by a small fake broker that answered
/// just enough for kcat (librdkafka 2.0.2), confluent-kafka 2.16.1 (librdkafka 2.16.0),
/// kafka-python 3.0.12 and aiokafka 0.14.0 to send them (`Fixtures/tools/fakebroker.py`).
/// `crosscheck_kafka_python.txt` holds bodies of every message type and version verified against
/// kafka-python's codec (`Fixtures/tools/crosscheck_kafka_python.py`).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func load(_ name: String) throws -> ByteBuffer {
        ByteBuffer(bytes: try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static var allNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }
}
