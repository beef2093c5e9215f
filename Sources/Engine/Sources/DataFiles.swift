import Foundation

/// The files a CSV or JSON read covers: the file itself, or the data files of a directory (as
/// Spark and our writers leave them: `part-…` files beside `_SUCCESS`), skipping names that start
/// with `_` or `.`, in name order.
enum DataFiles {
    static func list(_ path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EngineError.io(path: path, message: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw EngineError.io(path: path, message: "cannot list the directory: \(error.localizedDescription)")
        }
        return names.filter { !$0.hasPrefix("_") && !$0.hasPrefix(".") }.sorted().compactMap { name in
            let file = (path as NSString).appendingPathComponent(name)
            var dir: ObjCBool = false
            return FileManager.default.fileExists(atPath: file, isDirectory: &dir) && !dir.boolValue ? file : nil
        }
    }
}
