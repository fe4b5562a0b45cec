import Foundation

/// The few file operations the CLI needs, in one place.
enum FileSystem {
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    static func readBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("cannot read \(path): no such file, or it is not readable")
        }
        return [UInt8](data)
    }

    static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw UsageError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func makeTemporaryDirectory(prefix: String) throws -> String {
        let base = FileManager.default.temporaryDirectory.path
        let path = "\(base)/\(prefix)-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
