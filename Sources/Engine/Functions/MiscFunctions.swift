import Columnar
import Foundation

/// Spark's functions that fit no other family: `nanvl`, `isnan`, `uuid`, `rand`, `randn`.
enum MiscFunctions {
    static let all: [String: ScalarFunction] = [
        "nanvl": ScalarFunction(2...2, [.float64], returns: .float64) { c in
            let a = c.doubles(0), b = c.doubles(1)
            var out = ColumnBuilder(type: .float64, capacity: c.rowCount)
            for row in 0..<c.rowCount {
                // The second value replaces a NaN; a null first value stays null.
                if c.args[0].isNull(row) { out.appendNull(); continue }
                if !a[row].isNaN { out.appendDouble(a[row]); continue }
                if c.args[1].isNull(row) { out.appendNull() } else { out.appendDouble(b[row]) }
            }
            return out.finish()
        },
        "isnan": ScalarFunction(1...1, [.float64], returns: .boolean) { c in
            // Null is not NaN: the answer is never null.
            let a = c.doubles(0)
            var out = ColumnBuilder(type: .boolean, capacity: c.rowCount)
            for row in 0..<c.rowCount { out.appendBool(!c.args[0].isNull(row) && a[row].isNaN) }
            return out.finish()
        },
        "uuid": ScalarFunction(0...0, [], returns: .string, nondeterministic: true) { c in
            var out = ColumnBuilder(type: .string, capacity: c.rowCount)
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<c.rowCount { out.appendString(randomUUID(&rng)) }
            return out.finish()
        },
        "rand": random(gaussian: false), "random": random(gaussian: false), "randn": random(gaussian: true),
    ]

    /// A version 4 UUID in its lower-case text form.
    static func randomUUID<G: RandomNumberGenerator>(_ rng: inout G) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        var text: [UInt8] = []
        for (i, ch) in HashFunctions.hex(bytes).enumerated() {
            if i == 8 || i == 12 || i == 16 || i == 20 { text.append(UInt8(ascii: "-")) }
            text.append(ch)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `rand()` uniform in [0, 1) and `randn()` standard normal. A seed is refused: Spark's seeded
    /// sequences depend on its partitioning, which an answer here could not reproduce.
    static func random(gaussian: Bool) -> ScalarFunction {
        ScalarFunction(0...1, [.int64], returns: .float64, nondeterministic: true) { c in
            if !c.args.isEmpty {
                throw EngineError.unsupported("\(c.name) with a seed: the sequence would not repeat across runs")
            }
            var rng = SystemRandomNumberGenerator()
            var out = [Double](repeating: 0, count: c.rowCount)
            for i in out.indices {
                if gaussian {
                    // Box–Muller.
                    let u = Double.random(in: Double.ulpOfOne..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng)
                    out[i] = (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
                } else {
                    out[i] = Double.random(in: 0..<1, using: &rng)
                }
            }
            return ColumnVector(type: .float64, count: c.rowCount, storage: .float64(out), validity: nil)
        }
    }
}


/// The session's identity, as Spark names it: one catalog and database, the user running it.
enum SessionFunctions {
    static let all: [String: ScalarFunction] = [
        "current_database": constant("default"),
        "current_schema": constant("default"),
        "current_catalog": constant("spark_catalog"),
        "current_user": constant(ProcessInfo.processInfo.environment["USER"] ?? "unknown"),
        "user": constant(ProcessInfo.processInfo.environment["USER"] ?? "unknown"),
        "session_user": constant(ProcessInfo.processInfo.environment["USER"] ?? "unknown"),
    ]

    static func constant(_ text: String) -> ScalarFunction {
        ScalarFunction(0...0, [], returns: .string) { c in ColumnVector.constant(.string(text), type: .string, count: c.rowCount) }
    }
}
