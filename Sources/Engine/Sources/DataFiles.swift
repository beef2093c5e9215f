import Foundation

/// The files a CSV or JSON read covers: the file itself, or the data files of a directory (as
/// Spark and our writers leave them: `part-…` files beside `_SUCCESS`), skipping names that start
/// with `_` or `.`, in name order.
public enum DataFiles {
    /// Whether a file or directory name is data (not `_SUCCESS`, `.crc` files and the like).
    public static func isData(_ name: String) -> Bool { !name.hasPrefix("_") && !name.hasPrefix(".") }

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
        return names.filter(isData).sorted().compactMap { name in
            let file = (path as NSString).appendingPathComponent(name)
            var dir: ObjCBool = false
            return FileManager.default.fileExists(atPath: file, isDirectory: &dir) && !dir.boolValue ? file : nil
        }
    }

    /// Whether `path` holds a data file, in it or in a partition directory below it.
    public static func holdsData(_ path: String) -> Bool {
        guard let walk = FileManager.default.enumerator(atPath: path) else { return false }
        while let entry = walk.nextObject() as? String {
            guard isData((entry as NSString).lastPathComponent) else { continue }
            var directory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + entry, isDirectory: &directory), !directory.boolValue { return true }
        }
        return false
    }
}
