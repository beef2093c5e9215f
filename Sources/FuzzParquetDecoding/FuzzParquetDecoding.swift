#if canImport(Glibc)
import Glibc
#endif
import Parquet

/// Reads one input as a whole Parquet file, the way a scan does: footer and schema, then every
/// row group's primitive columns (pages, levels, every encoding and codec) and nested fields
/// (record assembly), then page-index pruning. Every input must end in values or a thrown
/// `ParquetError`, never a crash.
func readParquetFile(_ bytes: UnsafeRawBufferPointer) {
    guard let reader = try? ParquetReader(bytes: Array(bytes), name: "fuzz.parquet") else { return }
    let fieldCount = reader.parquetSchema.root.children.count
    let flat = (0..<fieldCount).filter { reader.leafIndex(ofTopLevelField: $0) != nil }
    for group in 0..<reader.rowGroupCount {
        // Every field as the engine reads it: flat columns, and nested ones assembled into vectors.
        _ = try? reader.readRowGroup(group)
        _ = try? reader.readRowGroup(group, fields: flat)
        for field in 0..<fieldCount where reader.leafIndex(ofTopLevelField: field) == nil {
            _ = try? reader.readNested(rowGroup: group, field: field)
        }
        // The page index and row-range reads are the other way pages are reached.
        if let first = flat.first {
            let name = reader.parquetSchema.root.children[first].name
            _ = try? reader.readRowGroup(group, fields: flat, matching: .compare(column: name, .greaterOrEqual, .int(0)))
        }
    }
}

#if FUZZING
/// libFuzzer's driver, called from our own `main` (SwiftPM gives every executable its own entry
/// point, so libFuzzer's `main` stays out of the link).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The entry point libFuzzer's runtime links against.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    readParquetFile(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@main
struct FuzzParquet {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}
#else
/// Without the fuzzer: replays the files given as arguments (a corpus or a crash reproducer).
@main
struct ReplayCorpus {
    static func main() throws {
        var count = 0
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else { print("cannot open \(path)"); continue }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&chunk, 1, chunk.count, file)
                if n <= 0 { break }
                bytes += chunk[0..<n]
            }
            fclose(file)
            bytes.withUnsafeBytes { readParquetFile($0) }
            count += 1
        }
        print("replayed \(count) inputs without a crash")
    }
}
#endif
