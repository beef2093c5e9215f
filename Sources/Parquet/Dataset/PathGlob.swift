#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hadoop-style glob patterns in dataset paths (`dir/part-*.parquet`, `logs/2024-0[1-3]`,
/// `data/{a,b}`), as Spark accepts them in `read.parquet` and ``parquet.`path` ``.
enum PathGlob {
    /// Whether `path` holds a glob metacharacter.
    static func isPattern(_ path: String) -> Bool {
        path.contains { "*?[{".contains($0) }
    }

    /// The existing paths `pattern` matches, sorted; hidden and metadata names (`.x`, `_x`) left out
    /// as Spark leaves them out of a listing.
    static func expand(_ pattern: String) throws -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let status = glob(pattern, GLOB_BRACE, nil, &result)
        if status == GLOB_NOMATCH { return [] }
        guard status == 0 else {
            throw ParquetError(.io, "cannot expand the path pattern (glob status \(status))",
                               at: ParquetLocation(file: pattern))
        }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            guard let entry = result.gl_pathv[index] else { continue }
            let path = String(cString: entry)
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if name.hasPrefix(".") || name.hasPrefix("_") { continue }
            paths.append(path)
        }
        return paths.sorted()
    }
}
