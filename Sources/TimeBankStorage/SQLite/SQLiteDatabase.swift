#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import TimeBankCore

/// One connection to a SQLite database file, set up for a ledger: WAL, `synchronous=FULL`,
/// foreign keys on, a busy timeout. Not thread-safe: use one connection per thread or process.
public final class SQLiteDatabase {
    let handle: OpaquePointer
    public let path: String
    /// Whether it was opened with `SQLITE_OPEN_READONLY` (`init(path:readOnly:)`).
    let openedReadOnly: Bool
    /// Whether `writeTransaction` is under way (from before its `BEGIN IMMEDIATE` to its end): an error then is told
    /// that the write was rolled back, and one of a read that nothing was written.
    private var writeTransactionUnderWay = false
    private var statementCache: [String: SQLiteStatement] = [:]
    private var transactionDepth = 0
    /// How this connection waits for the write lock and lets waiting connections in (see `WriteLockTurns`).
    let writeLockTurns = WriteLockTurns(timeoutMilliseconds: SQLiteDatabase.busyTimeoutMilliseconds)

    /// Called once when a statement has waited a second for another process's write lock (and again for each later
    /// statement that waits that long): the command line tells the person waiting. Nil: the wait is silent.
    public var whileWaitingForLock: (() -> Void)? {
        get { writeLockTurns.whileWaiting }
        set { writeLockTurns.whileWaiting = newValue }
    }

    /// Process-wide settings of the SQLite library, made once before the first connection opens (SQLite refuses them
    /// later, harmlessly). Memory statistics are not read here, and keeping them costs a lock per allocation.
    private static let configureLibrary: Void = { _ = timebank_sqlite_disable_memory_statistics() }()

    /// How long a writer waits for another process's transaction before giving up (polling every 2 ms: `WriteLockTurns`).
    public static let busyTimeoutMilliseconds: Int32 = 10_000

    /// Opens (creating if needed) the database at `path` (`:memory:` for a private in-memory one). A new file is made
    /// readable and writable by its owner only (0600, as backups are): it holds the operators' PIN hashes, and SQLite
    /// gives its `-wal` and `-shm` files the same mode. An existing file keeps the mode it has.
    ///
    /// `readOnly` opens an existing file with `SQLITE_OPEN_READONLY` and changes nothing in it (its journal mode stays):
    /// every write is then refused by SQLite with S8 (`SQLITE_READONLY`). `mayOnlyRead(_:)` says when a store needs it.
    public convenience init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        try self.init(path: path, readOnly: readOnly, deferringWriteAheadLog: false)
    }

    /// As `init(path:readOnly:)`; with `deferringWriteAheadLog` a writable connection is left in the file's journal mode
    /// until `switchToWriteAheadLog()`, so that the file can be read (and refused: a newer timebank's, U003) first
    /// without a byte of it changed.
    init(path: String, readOnly: Bool, deferringWriteAheadLog: Bool) throws(SQLiteError) {
        _ = Self.configureLibrary
        if !readOnly && path != ":memory:" && !path.isEmpty {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 { close(descriptor) }   // else it exists (kept as it is) or cannot be made (SQLite says why)
        }
        var connection: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let error = SQLiteError(code: code, connection: connection, sql: nil, path: path, openedReadOnly: readOnly,
                                    writeUnderWay: false)
            sqlite3_close_v2(connection)
            throw error
        }
        self.handle = connection
        self.path = path
        self.openedReadOnly = readOnly
        sqlite3_extended_result_codes(connection, 1)
        writeLockTurns.install(on: connection)
        if !deferringWriteAheadLog { try switchToWriteAheadLog() }
        try execute("PRAGMA synchronous=FULL")
        // A 128 MiB page cache (used only as pages are touched) keeps big batches from spilling to the WAL
        // early; memory-mapped reads help verify and reports, which stream the whole file.
        try execute("PRAGMA cache_size=-131072")
        try execute("PRAGMA mmap_size=1073741824")
        try execute("PRAGMA foreign_keys=ON")
    }

    /// Switches a writable file connection to WAL (a ledger's journal mode: readers never block the writer), which
    /// rewrites the file's header when it was in another mode. Nothing for `:memory:` or a read-only connection.
    func switchToWriteAheadLog() throws(SQLiteError) {
        guard !openedReadOnly && path != ":memory:" else { return }
        try execute("PRAGMA journal_mode=WAL")
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that take no parameters.
    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) }
            sqlite3_free(errorMessage)
            var error = self.error(code, sql: sql, writeUnderWay: false)
            if let message, error.sqliteMessage.isEmpty { error = SQLiteError(message: message, sql: sql, path: path) }
            // Asked only now: preparing the statement again clears the connection's error, which the error has read.
            if !error.writeUnderWay { error.writeUnderWay = statementWrites(sql) }
            throw error
        }
    }

    /// The error SQLite reported with `code` for `sql` on this connection, naming this file. `writeUnderWay`: whether
    /// the statement writes; a write transaction under way counts as one.
    func error(_ code: Int32, sql: String?, writeUnderWay: Bool) -> SQLiteError {
        SQLiteError(code: code, connection: handle, sql: sql, path: path, openedReadOnly: openedReadOnly,
                    writeUnderWay: writeUnderWay || writeTransactionUnderWay)
    }

    /// Whether the first statement of `sql` writes (SQLite's `sqlite3_stmt_readonly`); when it cannot be prepared
    /// (the failure itself may be why), whether this connection holds a write transaction.
    private func statementWrites(_ sql: String) -> Bool {
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            return sqlite3_txn_state(handle, nil) == SQLITE_TXN_WRITE
        }
        return sqlite3_stmt_readonly(statement) == 0
    }

    /// A prepared statement for `sql`, reused across calls (reset and cleared before it is returned).
    public func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statementCache[sql] {
            cached.reset()
            return cached
        }
        let statement = try SQLiteStatement(database: self, sql: sql)
        statementCache[sql] = statement
        return statement
    }

    /// Runs `body` in a transaction: `BEGIN IMMEDIATE` (takes the write lock at once, so that reads inside
    /// see what the write will be checked against), `COMMIT` on return, `ROLLBACK` on throw.
    /// Nested calls join the outer transaction. After a long transaction the next one begins a little later, so that
    /// other processes waiting for the lock get their turn (`WriteLockTurns`).
    public func writeTransaction<T, E: Error>(_ body: () throws(E) -> T) throws -> T {
        // A command that read on a snapshot (`beginReadSnapshot`) and now writes: the write begins on the newest state.
        if readSnapshotUnderWay && transactionDepth == 1 { endReadSnapshot() }
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        writeLockTurns.beforeBeginningWrite()
        writeTransactionUnderWay = true
        defer { writeTransactionUnderWay = false }
        try execute(Self.beginWrite)
        writeLockTurns.didBeginWrite()
        defer { writeLockTurns.didEndWrite() }
        transactionDepth = 1
        do {
            let result = try body()
            transactionDepth = 0
            do {
                try execute("COMMIT")
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
            return result
        } catch {
            transactionDepth = 0
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// How `writeTransaction` begins: it takes the write lock at once.
    static let beginWrite = "BEGIN IMMEDIATE"

    /// The page cache of batch work (`inBatchMode`), in KiB.
    public static let batchCacheKiB = 32_768

    /// Runs `body` with SQLite's memory map switched off and a 32 MiB page cache instead of 128 MiB, then puts both
    /// back. For batch work that reads and writes most of the file once (a settlement, a streaming import): its
    /// memory is then a small cache plus the batch in hand, not the mapped file. (Measured on the settle benchmark,
    /// 1,000,000 records: max RSS 370 → 258 MiB, no slower; the pages it re-reads come from the OS's file cache.)
    public func inBatchMode<T>(_ body: () throws -> T) throws -> T {
        let mapSize = try statement("PRAGMA mmap_size").first { $0.int64(0) } ?? 0
        let cacheSize = try statement("PRAGMA cache_size").first { $0.int64(0) } ?? 0
        try execute("PRAGMA mmap_size=0")
        try execute("PRAGMA cache_size=-\(Self.batchCacheKiB)")
        defer {
            try? execute("PRAGMA cache_size=\(cacheSize)")
            try? execute("PRAGMA mmap_size=\(mapSize)")
        }
        return try body()
    }

    /// Runs `body` in a read transaction: one consistent snapshot of the database.
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        try execute("BEGIN DEFERRED")
        transactionDepth = 1
        defer {
            transactionDepth = 0
            try? execute("COMMIT")
        }
        return try body()
    }

    /// Whether `beginReadSnapshot()` has begun the read transaction under way.
    public private(set) var readSnapshotUnderWay = false

    /// Begins a read transaction that lasts until `endReadSnapshot()`: every read on this connection until then, in
    /// however many statements, sees one snapshot (the first read fixes it), and the `readTransaction`s inside join it.
    /// For a command that only reads and prints (`balance V1 V2`, `volunteer show`, a report with its totals row), so
    /// that a write committed by another process between two of its reads is in none of what it prints, not in half.
    /// Nothing when a transaction is under way already. A `writeTransaction` called while only the snapshot is open ends
    /// it first: a write on a snapshot older than the last commit would fail (`SQLITE_BUSY_SNAPSHOT`).
    /// While it lasts, the WAL cannot be checkpointed past the snapshot (docs/operations.md).
    public func beginReadSnapshot() throws {
        guard transactionDepth == 0 else { return }
        try execute("BEGIN DEFERRED")
        transactionDepth = 1
        readSnapshotUnderWay = true
    }

    /// Ends the read transaction `beginReadSnapshot()` began; nothing when it has ended (or none was begun).
    public func endReadSnapshot() {
        guard readSnapshotUnderWay else { return }
        readSnapshotUnderWay = false
        transactionDepth = 0
        try? execute("COMMIT")
    }

    /// Called before the first step of each statement on this connection (tests only): a test commits a write on another
    /// connection there, between two reads of one command, to see whether the command reads one snapshot. Nil otherwise.
    package var beforeEachStatement: (() -> Void)? {
        get { statementHook.beforeFirstStep }
        set { statementHook.beforeFirstStep = newValue }
    }

    /// Where the statements find `beforeEachStatement`: held by each of them, as a statement may outlive its connection
    /// object (SQLite closes the connection once the last one is finalized), and its `unowned` database is then gone.
    let statementHook = StatementHook()

    /// Whether this connection was opened read-only: every write on it is refused with S8.
    public var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// The folder that holds `path`: `.` for a bare name, `/` for a file at the root.
    static func folder(of path: String) -> String {
        path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    }

    /// `path` as an absolute path (the current folder before a relative one), as SQLite names the file it opened.
    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let folder = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return folder == "/" ? "/" + relative : folder + "/" + relative
    }

    /// The `-wal` and `-shm` files beside the database at `path` that exist and that this user cannot both read and
    /// write, each with its owner and mode (`/srv/tb/community.sqlite-wal (nobody's, mode 600)`): another user's, made
    /// when that user opened the database.
    static func companionFilesThisUserCannotUse(of path: String) -> [String] {
        [path + "-wal", path + "-shm"].compactMap { file in
            var status = stat()
            guard stat(file, &status) == 0, access(file, R_OK | W_OK) != 0 else { return nil }
            let owner = userName(of: status.st_uid)
            return "\(ShellWord.quoted(file)) (\(owner)'s, mode \(String(status.st_mode & 0o777, radix: 8)))"
        }
    }

    /// The name of the user `uid` (`uid 1001` when the system has no name for it).
    static func userName(of uid: uid_t) -> String {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        if getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0, let found, let name = found.pointee.pw_name {
            return String(cString: name)
        }
        return "uid \(uid)"
    }

    /// Whether this user may only read the existing database file at `path`, so that it must be opened read-only:
    /// - this user cannot write the file (`access(2)`: its mode and owner, a read-only mount, `chattr +i`), or
    /// - this user cannot write in the folder that holds it and there is no `-wal` file beside it: any write, and the
    ///   switch to WAL, would first have to create a `-journal` or `-wal` file there.
    ///
    /// False for `:memory:`, and for a path with nothing at it (opening it creates the file, or says why it cannot).
    public static func mayOnlyRead(_ path: String) -> Bool {
        guard path != ":memory:", !path.isEmpty, access(path, F_OK) == 0 else { return false }
        if access(path, W_OK) != 0 { return true }
        return access(folder(of: path), W_OK) != 0 && access(path + "-wal", F_OK) != 0
    }

    /// The name of the user who owns the file at `path` (its uid when the system has no name for it); nil when it
    /// cannot be read.
    static func ownerName(of path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return userName(of: status.st_uid)
    }

    /// Whether a transaction (or a savepoint in one) is open on this connection.
    public var isInTransaction: Bool { transactionDepth > 0 }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }
}

extension SQLiteDatabase {
    /// How `integrityProblems()` begins its last line when the damage stopped SQLite's check.
    static let integrityCheckStopped = "SQLite stopped its check there: "

    /// What `PRAGMA integrity_check` finds wrong with the file's pages and indexes, one problem a line (SQLite stops at
    /// 100); empty when the file is sound. A damaged index page can leave every row readable, so the ledger's own checks
    /// may pass on a file that a backup (B004) or the next write would find damaged.
    ///
    /// Some damage stops the check itself (a page whose header it cannot read, met again while it checks an index):
    /// SQLite then fails with `SQLITE_CORRUPT` after the problems it found so far. Those are kept, with a last line
    /// saying where it stopped, rather than thrown away for a bare S11 on `PRAGMA integrity_check`.
    public func integrityProblems() throws -> [String] {
        let check = try statement("PRAGMA integrity_check")
        var rows: [String] = []
        while true {
            let more: Bool
            do {
                more = try check.step()
            } catch {
                guard error.category == .integrity else { throw error }
                rows.append(Self.integrityCheckStopped + error.sqliteMessage)
                break
            }
            guard more else { break }
            rows.append(check.text(0))
        }
        guard rows != ["ok"] else { return [] }
        return rows.flatMap { $0.split(separator: "\n").map(String.init) }.filter { !$0.hasPrefix("*** in database") }
    }
}

/// `SQLiteDatabase.beforeEachStatement`, shared by the connection and its statements.
final class StatementHook {
    var beforeFirstStep: (() -> Void)?
}
