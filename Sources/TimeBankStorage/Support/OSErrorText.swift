#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's words for a failed call's `errno`, for messages that say why a file could not be opened, written or
/// moved ("Permission denied", "No space left on device").
public enum OSErrorText {
    /// The words for `code`; read `errno` at the failing call's site and pass it here before anything else can change it.
    public static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Why a file could not be read, as every command words it: "there is no such file", "it is a folder; give a file
    /// in it", "permission denied (ls -l PATH shows who may read it)", else the system's words.
    public static func readProblem(_ code: Int32, path: String) -> String {
        switch code {
        case ENOENT: "there is no such file"
        case EISDIR: "it is a folder; give a file in it"
        case EACCES, EPERM: "permission denied (ls -l \(path) shows who may read it)"
        default: describe(code)
        }
    }

    /// The whole of the file at `path`, read with open(2) and read(2): a pipe (`<(command)`, /dev/stdin) reads
    /// as well as a file. Throws the reason (`readProblem`) when it cannot be read.
    public static func readWholeFile(_ path: String) throws(FileReadProblem) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileReadProblem(path: path, reason: readProblem(errno, path: path)) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadProblem(path: path, reason: readProblem(errno, path: path))
            }
            bytes += block[..<count]
        }
    }
}

/// A file that could not be read, with the reason in words (`OSErrorText.readProblem`).
public struct FileReadProblem: Error, Hashable, Sendable {
    public var path: String
    public var reason: String
}
