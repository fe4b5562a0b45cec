#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import TimeBankCore

/// What a backup wrote and what the copy holds, read back from the copy itself.
public struct BackupResult: Hashable, Sendable {
    /// The file written.
    public var path: String
    /// Its size in bytes.
    public var bytes: Int64
    /// `ok`: SQLite's `PRAGMA integrity_check` of the copy.
    public var integrity: String
    /// Ledger entries in the copy, and the hash of its newest one (hex; the genesis hash when empty).
    public var entries: Int64
    public var headHash: String
    /// The schema version of the copy (the newest migration applied), as the store was: below
    /// `TimeBankStore.newestSchemaVersion` for a store of an older timebank, which `backup(storeAt:to:)` copies without migrating it.
    public var schemaVersion: Int64 = 0
}

/// Why a backup could not be made. Codes are documented in `docs/errors.md` (section "Backup (B)").
public enum BackupError: TimeBankError, Hashable {
    /// B001: the destination exists; a backup never overwrites a file.
    case destinationExists(String)
    /// B002: the destination cannot be created (no such folder, no permission, disk full).
    case cannotCreate(path: String, reason: String)
    /// B003: SQLite's online backup failed (the source was busy for too long, or an I/O error).
    case copyFailed(path: String, reason: String)
    /// B003: the disk that holds `folder` filled up during the copy (SQLite's `SQLITE_FULL`).
    case diskFull(path: String, folder: String, reason: String)
    /// B004: the copy does not pass `PRAGMA integrity_check`; it was removed.
    case copyDamaged(path: String, problems: String)
    /// B005: the destination is a folder; a backup goes to a new file, so `example` names one in it when known.
    case destinationIsFolder(path: String, example: String?)
    /// B006: the destination's name ends as SQLite names the files it keeps beside a database (`-wal`, `-shm`,
    /// `-journal`): SQLite would take the copy for the write-ahead log or journal of the database named by the rest, and
    /// delete it or read it as one.
    case sideFileName(path: String, suffix: String)

    public var code: String {
        switch self {
        case .destinationExists: "B001"
        case .cannotCreate: "B002"
        case .copyFailed, .diskFull: "B003"
        case .copyDamaged: "B004"
        case .destinationIsFolder: "B005"
        case .sideFileName: "B006"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .destinationExists: .refused
        case .cannotCreate, .copyFailed, .diskFull: .system
        case .copyDamaged: .integrity
        case .destinationIsFolder, .sideFileName: .badInput
        }
    }

    public var message: String {
        switch self {
        case .destinationExists(let path):
            "\(path) exists already: a backup never overwrites a file; choose a new name (e.g. with the date and time in it) or move the old one away"
        case .cannotCreate(let path, let reason):
            "cannot create \(path): \(reason); check that the folder exists and is writable"
        case .copyFailed(let path, let reason):
            "the backup to \(path) failed: \(reason); nothing usable was left there, try again"
        case .diskFull(let path, let folder, let reason):
            "the backup to \(path) failed: the disk that holds \(folder) is full (\(reason)); nothing of the copy was left there: "
                + "free space on it (df -h \(ShellWord.quoted(folder))) and run the backup again"
        case .copyDamaged(let path, let problems):
            "the copy \(path) does not pass SQLite's integrity check (\(problems)); it was removed. Run `timebank verify` and "
                + "`sqlite3 DB 'PRAGMA integrity_check'` on the database itself"
        case .destinationIsFolder(let path, let example):
            "\(path) is a folder: a backup is written to a new file, so give the file's name in it"
                + (example.map { ", e.g. --to \(ShellWord.quoted($0)) (the date and time in the name keep every backup)" } ?? "")
        case .sideFileName(let path, let suffix):
            "\(path) ends in \(suffix), the name SQLite gives the \(suffix == "-wal" ? "write-ahead log" : suffix == "-shm" ? "shared-memory file" : "rollback journal") "
                + "it keeps beside the database \(path.dropLast(suffix.count)): it would take the copy for that file, and delete it or "
                + "read it as one; nothing was written: give a name ending in .sqlite"
        }
    }
}

extension SQLiteDatabase {
    /// Copies the whole database to a new file at `path` with SQLite's online backup API, as one consistent
    /// snapshot (one read transaction: in WAL mode writers go on meanwhile). The copy is switched to the
    /// rollback journal (`journal_mode=DELETE`) so that it is one self-contained file.
    ///
    /// Refuses to overwrite (B001). A failed copy is removed.
    public func backup(to path: String) throws {
        try backup(to: path) { _ in }
    }

    /// Copies the database as `backup(to:)` does, into `PATH.partial-PID` first; `check` is given that file once the
    /// copy is complete and closed, and only when it returns is the copy linked to `path` (`link(2)`, which never replaces
    /// a file: two backups to one name cannot both win). So a backup killed part-way (SIGKILL, a power cut, a full
    /// disk) never leaves a file under the backup's own name: an empty or half-written copy there would pass
    /// `PRAGMA integrity_check` and could be restored as the newest backup. At most a `.partial-PID` file is left.
    public func backup<T>(to path: String, checking check: (_ copy: String) throws -> T) throws -> T {
        if let suffix = ["-wal", "-shm", "-journal"].first(where: { path.hasSuffix($0) && path.count > $0.count }) {
            throw BackupError.sideFileName(path: path, suffix: suffix)
        }
        try Self.refuseExisting(path)
        let partial = "\(path).partial-\(getpid())"
        // A file of this name is left by a killed backup of an earlier process with our process id (no live process
        // has it), or by this process's own earlier attempt: never another backup's work in progress.
        Self.removeCopy(partial)
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor < 0 {
            throw BackupError.cannotCreate(path: path, reason: OSErrorText.describe(errno))
        }
        close(descriptor)
        var published = false
        defer { if !published { Self.removeCopy(partial) } }
        try copy(into: partial, naming: path)
        let result = try check(partial)
        try Self.publish(partial, as: path)
        published = true
        return result
    }

    /// B005 for a folder, B001 for any other file at `path`.
    private static func refuseExisting(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 || (path.hasSuffix("/") && stat(path, &status) == 0) else { return }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw BackupError.destinationIsFolder(path: path, example: nil) }
        throw BackupError.destinationExists(path)
    }

    /// Gives the finished copy its name without replacing a file that appeared there meanwhile, then drops the partial name.
    private static func publish(_ partial: String, as path: String) throws {
        if link(partial, path) != 0 {
            let reason = errno
            if reason == EEXIST { throw BackupError.destinationExists(path) }
            // A file system without hard links (some network and FAT ones): a rename, after one more look.
            guard reason == EPERM || reason == ENOTSUP || reason == EOPNOTSUPP || reason == ENOSYS else {
                throw BackupError.cannotCreate(path: path, reason: OSErrorText.describe(reason))
            }
            try refuseExisting(path)
            guard rename(partial, path) == 0 else { throw BackupError.cannotCreate(path: path, reason: OSErrorText.describe(errno)) }
            return
        }
        unlink(partial)
    }

    /// The online backup of every page into the empty file at `path`, then the copy switched to the rollback journal.
    /// A failure names `destination`, the backup's own name: the partial file is removed.
    private func copy(into path: String, naming destination: String) throws {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let copyConnection = connection else {
            let reason = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "SQLite could not open it"
            sqlite3_close_v2(connection)
            throw BackupError.cannotCreate(path: destination, reason: reason)
        }
        defer { sqlite3_close_v2(copyConnection) }
        func failure(_ code: Int32) -> BackupError {
            Self.copyFailure(destination: destination, code: code, sqliteMessage: String(cString: sqlite3_errmsg(copyConnection)))
        }

        guard let backup = sqlite3_backup_init(copyConnection, "main", handle, "main") else { throw failure(sqlite3_errcode(copyConnection)) }
        // All pages in one step: one snapshot. BUSY/LOCKED (another connection holds a lock we need) are retried
        // for as long as the busy timeout, like any other wait on the database.
        var waitedMilliseconds: Int32 = 0
        var code = sqlite3_backup_step(backup, -1)
        while code == SQLITE_BUSY || code == SQLITE_LOCKED, waitedMilliseconds < Self.busyTimeoutMilliseconds {
            sqlite3_sleep(50)
            waitedMilliseconds += 50
            code = sqlite3_backup_step(backup, -1)
        }
        let finishCode = sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE, finishCode == SQLITE_OK else { throw failure(code == SQLITE_DONE ? finishCode : code) }
        guard sqlite3_exec(copyConnection, "PRAGMA journal_mode=DELETE", nil, nil, nil) == SQLITE_OK else { throw failure(sqlite3_errcode(copyConnection)) }
    }

    /// B003 for SQLite's `code` and message, as the online backup into `destination` failed.
    static func copyFailure(destination: String, code: Int32, sqliteMessage: String) -> BackupError {
        guard code & 0xFF == SQLITE_FULL else { return .copyFailed(path: destination, reason: "\(sqliteMessage) (SQLite code \(code))") }
        return .diskFull(path: destination, folder: folder(of: destination), reason: "SQLite code \(code): \(sqliteMessage)")
    }

    static func removeCopy(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
    }
}

extension TimeBankStore {
    /// Backs the database up to a new file at `path` (never overwriting one), then opens the copy, runs
    /// `PRAGMA integrity_check` and reads its ledger head: what the copy holds, from the copy.
    ///
    ///     let result = try store.backup(to: "/backups/timebank-2026-11-21.sqlite")
    ///     print(result.entries, result.headHash)
    ///
    /// Refused or failed with B001–B004 (`BackupError`); a copy that fails its check is removed. The copy is made and
    /// checked under a temporary name (`PATH.partial-PID`) and gets `path` only once it passed, so a backup killed
    /// part-way leaves no file under the backup's name.
    @discardableResult
    public func backup(to path: String) throws -> BackupResult {
        try Self.backup(database, to: path)
    }

    /// Backs up the store at `source` as it is, like `backup(to:)`, without opening it as a store: nothing in it is
    /// migrated or switched to WAL, so a store of an older timebank is copied at its own schema version (the backup to take
    /// before upgrading: the copy still opens with the timebank that wrote it). A newer timebank's store is copied too.
    /// `result.schemaVersion` says which version was copied.
    @discardableResult
    public static func backup(storeAt source: String, to path: String) throws -> BackupResult {
        let database = try SQLiteDatabase(path: source, readOnly: SQLiteDatabase.mayOnlyRead(source), deferringWriteAheadLog: true)
        return try backup(database, to: path)
    }

    /// The newest schema version this timebank knows (its last migration).
    public static var newestSchemaVersion: Int64 { Int64(Migrations.newestVersion) }

    private static func backup(_ database: SQLiteDatabase, to path: String) throws -> BackupResult {
        try database.backup(to: path) { partial in
            do {
                let copy = try SQLiteDatabase(path: partial, readOnly: true)
                let problems = try copy.integrityProblems()
                guard problems.isEmpty else {
                    throw BackupError.copyDamaged(path: path, problems: Self.integrityProblemsText(problems))
                }
                let (entries, head) = try copy.statement("SELECT count(*), (SELECT hash FROM entries ORDER BY sequence DESC LIMIT 1) FROM entries")
                    .first { ($0.int64(0), $0.isNull(1) ? EntryEncoding.genesisHash : $0.blob(1)) } ?? (0, EntryEncoding.genesisHash)
                var status = stat()
                let bytes = stat(partial, &status) == 0 ? Int64(status.st_size) : 0
                let schema = try copy.statement("SELECT max(version) FROM schema_migrations").first { $0.int64(0) } ?? 0
                return BackupResult(path: path, bytes: bytes, integrity: "ok", entries: entries, headHash: SHA256.hex(head), schemaVersion: schema)
            } catch let error as BackupError {
                throw error
            } catch {
                throw BackupError.copyDamaged(path: path, problems: "\(error)")
            }
        }
    }

    /// The problems `integrityProblems()` found, on one line: the first and how many (a damaged page can give a hundred),
    /// and where SQLite stopped its check when the damage stopped it.
    public static func integrityProblemsText(_ problems: [String]) -> String {
        guard let first = problems.first else { return "" }
        guard problems.count > 1 else { return first }
        let stopped = problems.last.flatMap { $0.hasPrefix(SQLiteDatabase.integrityCheckStopped) ? "; " + $0 : nil } ?? ""
        return "\(first); \(problems.count) problems reported" + stopped
    }
}
