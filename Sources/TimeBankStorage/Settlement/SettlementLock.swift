#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TimeBankCore

/// An exclusive lock on `DATABASE.settle.lock` held while a settlement runs, so that two settlements of
/// the same database never run at once. It is an `flock`: the kernel releases it when the process ends,
/// however it ends, so a killed settlement never leaves a stale lock behind.
final class SettlementLock {
    let path: String
    private var descriptor: Int32 = -1

    /// Takes the lock, or throws N002 when another process holds it (N009 when its file cannot be opened). In-memory databases need none.
    init(databasePath: String) throws {
        guard !databasePath.isEmpty, databasePath != ":memory:", !databasePath.hasPrefix("file::memory:") else {
            path = ""
            return
        }
        path = databasePath + ".settle.lock"
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SettlementError.lockNotOpened(path: path, detail: OSErrorText.describe(errno))
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            descriptor = -1
            throw SettlementError.alreadyRunning(lockFile: path)
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

/// Writes report files for the settlement: a folder per day, each file replaced atomically (written
/// to a temporary name, then renamed), so a reader never sees half a report.
public enum ReportFiles {
    /// The folder of one day's report files under `directory`: `reports/2026-11-21`, also for `reports/` typed with its slash.
    public static func folder(_ directory: String, _ date: LocalDate) -> String {
        var base = Substring(directory)
        while base.count > 1, base.hasSuffix("/") { base = base.dropLast() }
        return (base == "/" ? "" : String(base)) + "/" + date.description
    }

    /// The system's `write(2)`: a test gives one that is interrupted (EINTR) or writes short.
    typealias SystemWrite = (_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int

    /// Syncs a folder's entries to the disk (`fsync` of the folder): 0, or the `errno` of the failure. A test gives one that fails.
    typealias FolderSync = (_ path: String) -> Int32

    /// The system's: `open(O_DIRECTORY)` and `fsync`, tried again when interrupted by a signal. A file system that cannot
    /// sync a folder at all (EINVAL, ENOTSUP) is not a failure: there is nothing more this process can do for the renames.
    static func syncFolder(_ path: String) -> Int32 {
        let descriptor = retryingOnInterrupt { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        guard retryingOnInterrupt({ fsync(descriptor) }) != 0 else { return 0 }
        return errno == EINVAL || errno == ENOTSUP ? 0 : errno
    }

    /// Writes each file as `directory/NAME`, under `NAME.tmp` first, synced, then renamed; then syncs the folder once, so
    /// that a power cut cannot lose the renames (and the folder above it when this call made the day's folder, for its
    /// name); then removes the stale temporaries of report files (`*.txt|csv|json.tmp`) a kill between a write and its
    /// rename left in the folder. A `write` or `open` interrupted by a signal (EINTR) is tried again.
    ///
    /// - Throws: N007 naming the file (or the folder, when it could not be synced) and the cause; the failed file's `.tmp` is removed.
    static func write(_ files: [(name: String, content: String)], into directory: String,
                      systemWrite: SystemWrite = { descriptor, bytes, count in Glibc.write(descriptor, bytes, count) },
                      syncFolder: FolderSync = ReportFiles.syncFolder) throws {
        let madeFolder = try makeDirectories(directory)
        for file in files {
            let target = directory + "/" + file.name
            let temporary = target + ".tmp"
            let descriptor = retryingOnInterrupt { open(temporary, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644) }
            guard descriptor >= 0 else { throw SettlementError.reportsNotWritten(path: target, detail: "cannot create it (\(OSErrorText.describe(errno)))") }
            func fail(_ what: String, _ reason: Int32) -> SettlementError {
                close(descriptor)
                unlink(temporary)   // a half-written file left beside the reports would look like one
                return SettlementError.reportsNotWritten(path: target, detail: "\(what) (\(OSErrorText.describe(reason)))")
            }
            let bytes = Array(file.content.utf8)
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + written, $0.count - written) }
                if count < 0 && errno == EINTR { continue }   // a signal came before anything was written: try again
                if count <= 0 { throw fail("write failed", count < 0 ? errno : EIO) }
                written += count
            }
            // A file whose blocks could not reach the disk (EIO, a full disk on NFS) must not be renamed into place as written.
            if retryingOnInterrupt({ fsync(descriptor) }) != 0 { throw fail("write failed", errno) }
            close(descriptor)
            guard rename(temporary, target) == 0 else {
                let reason = errno
                unlink(temporary)
                throw SettlementError.reportsNotWritten(path: target, detail: "rename failed (\(OSErrorText.describe(reason)))")
            }
        }
        // Once per day's folder, not per file: one sync makes every rename above durable.
        for folder in [directory] + (madeFolder ? [parent(of: directory)] : []) {
            let failure = syncFolder(folder)
            if failure != 0 {
                throw SettlementError.reportsNotWritten(path: folder, detail: "the folder could not be synced (\(OSErrorText.describe(failure)))")
            }
        }
        removeStaleTemporaries(in: directory)
    }

    /// `call` (an `open` or `fsync`), again while it fails because a signal interrupted it (EINTR); its result.
    static func retryingOnInterrupt(_ call: () -> Int32) -> Int32 {
        var result: Int32
        repeat { result = call() } while result < 0 && errno == EINTR
        return result
    }

    /// The folder `path` is in: `reports` for `reports/2026-11-21`, `/` for `/2026-11-21`, `.` for `2026-11-21`.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Removes the `NAME.txt|csv|json.tmp` files in a day's folder: what a settlement killed between writing a report file
    /// and renaming it leaves. Only a settlement (under its lock) writes them, so none is being written now.
    static func removeStaleTemporaries(in directory: String) {
        guard let folder = opendir(directory) else { return }
        defer { closedir(folder) }
        var stale: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if [".txt.tmp", ".csv.tmp", ".json.tmp"].contains(where: { name.hasSuffix($0) && name.count > $0.count }) { stale.append(name) }
        }
        for name in stale { unlink(directory + "/" + name) }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// `mkdir -p`; true when it made the last folder of `path` (it was not there).
    @discardableResult
    static func makeDirectories(_ path: String) throws -> Bool {
        var prefix = path.hasPrefix("/") ? "" : "."
        var made = false
        for component in path.split(separator: "/") {
            prefix += "/" + component
            made = mkdir(prefix, 0o755) == 0
            if !made && errno != EEXIST {
                throw SettlementError.reportsNotWritten(path: path, detail: "cannot create the folder \(prefix) (\(OSErrorText.describe(errno)))")
            }
        }
        return made
    }
}
