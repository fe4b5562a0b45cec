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

    static func write(_ files: [(name: String, content: String)], into directory: String) throws {
        try makeDirectories(directory)
        for file in files {
            let target = directory + "/" + file.name
            let temporary = target + ".tmp"
            let descriptor = open(temporary, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw SettlementError.reportsNotWritten(path: target, detail: "cannot create it (\(OSErrorText.describe(errno)))") }
            var bytes = Array(file.content.utf8)
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
                if count <= 0 {
                    let reason = errno
                    close(descriptor)
                    unlink(temporary)   // a half-written file left beside the reports would look like one
                    throw SettlementError.reportsNotWritten(path: target, detail: "write failed (\(OSErrorText.describe(reason)))")
                }
                written += count
            }
            bytes.removeAll()
            fsync(descriptor)
            close(descriptor)
            guard rename(temporary, target) == 0 else {
                let reason = errno
                unlink(temporary)
                throw SettlementError.reportsNotWritten(path: target, detail: "rename failed (\(OSErrorText.describe(reason)))")
            }
        }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw SettlementError.reportsNotWritten(path: path, detail: "cannot create the folder \(prefix) (\(OSErrorText.describe(errno)))")
            }
        }
    }
}
