import Glibc
import TimeBankCore

/// A record file that cannot be opened or read (no such file, a folder, no permission, a disk error).
public struct RecordFileReadError: TimeBankError, Hashable {
    public var path: String
    /// Why, in the words every command uses (`OSErrorText.readProblem`), such as "there is no such file".
    public var reason: String

    public var code: String { "U001" }
    public var category: ErrorCategory { .badInput }
    public var message: String { "cannot read \(path): \(reason)" }
}

/// Reads a file in pieces of a fixed size into one reused buffer, for imports that must not hold the
/// whole file.
final class RecordFileReader {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8]

    init(path: String, chunkByteCount: Int) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw RecordFileReadError(path: path, reason: OSErrorText.readProblem(errno, path: path)) }
        buffer = [UInt8](repeating: 0, count: max(1, chunkByteCount))
    }

    deinit { close(descriptor) }

    /// Hands every piece of the file to `body`, from the start; a piece is valid only during the call.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var offset: off_t = 0
        while true {
            let count = try buffer.withUnsafeMutableBytes { try readSome(into: $0, at: offset) }
            if count == 0 { return }
            offset += off_t(count)
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// The first `count` bytes of the file (fewer when it is shorter).
    func prefix(count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = try bytes.withUnsafeMutableBytes { try readSome(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]), at: off_t(filled)) }
            if read == 0 { break }
            filled += read
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    private func readSome(into target: UnsafeMutableRawBufferPointer, at offset: off_t) throws -> Int {
        while true {
            let count = pread(descriptor, target.baseAddress, target.count, offset)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw RecordFileReadError(path: path, reason: OSErrorText.readProblem(errno, path: path))
        }
    }
}
