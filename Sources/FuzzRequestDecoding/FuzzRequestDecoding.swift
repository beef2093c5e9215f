#if canImport(Glibc)
import Glibc
#endif
import KafkaProtocol
import NIOCore

/// Decodes one request frame the way the broker does: header, then the body of any served
/// API and version. Every input must end in a value or a thrown error, never a crash.
func decodeRequestFrame(_ bytes: UnsafeRawBufferPointer) {
    var buffer = ByteBuffer(bytes: bytes)
    guard let header = try? RequestHeader.decode(from: &buffer),
          let api = ApiKey(rawValue: header.apiKey), api.versions.contains(header.apiVersion)
    else { return }
    _ = try? RequestBody.decode(apiKey: api, version: header.apiVersion, from: buffer)
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
    decodeRequestFrame(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@main
struct FuzzRequests {
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
            bytes.withUnsafeBytes { decodeRequestFrame($0) }
            count += 1
        }
        print("replayed \(count) inputs without a crash")
    }
}
#endif
