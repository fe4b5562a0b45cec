#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import TimeBankCore

/// A failure reported by SQLite: its (extended) result code, message, the database file and the SQL that failed.
public struct SQLiteError: TimeBankError, Hashable {
    public let resultCode: Int32
    public let extendedCode: Int32
    public let sqliteMessage: String
    public let sql: String?
    /// The database file it happened on (absolute, as SQLite names it), nil for `:memory:` and for a message that names
    /// the file itself: an admin with a test copy and the live store must see which one failed.
    public let databasePath: String?
    /// Whether a write was under way (a write transaction, or a statement that writes): a read that fails has nothing
    /// to roll back, and its advice says so.
    public internal(set) var writeUnderWay: Bool
    /// What to do, when it is not the advice of `resultCode` alone (a write on a connection opened read-only, a store
    /// that must be migrated first, another user's `-wal` or `-shm` file).
    private var specificAdvice: String?

    public var code: String { "S\(resultCode)" }

    public var category: ErrorCategory {
        switch resultCode {
        case SQLITE_CONSTRAINT: .refused
        case SQLITE_CORRUPT, SQLITE_NOTADB: .integrity
        default: .system
        }
    }

    /// One line that says what failed, on which file, and what to do; then, on a line of its own for support, the
    /// statement SQLite was running (one line, at most 120 characters): not SQL the admin wrote, so it does not lead.
    public var message: String {
        var text = databasePath.map { "database \(ShellWord.quoted($0))" } ?? "database"
        text += ": \(sqliteMessage) (SQLite code \(extendedCode))"
        if let advice { text += "; " + advice }
        if let sql { text += "\n  " + Self.statementLabel + Self.oneLine(sql).prefix(120) }
        return text
    }

    /// How the line naming the statement begins.
    static let statementLabel = "SQLite statement: "

    /// The folder of `databasePath` as one shell word, for a command in the advice (`df -h FOLDER`); "FOLDER" without one.
    private var folderWord: String { databasePath.map { ShellWord.quoted(SQLiteDatabase.folder(of: $0)) } ?? "FOLDER" }

    /// What happened to the work under way and what to do, for the failures a server meets: a busy, read-only, full,
    /// damaged or failing database.
    var advice: String? {
        if let specificAdvice { return specificAdvice }
        let nothingWritten = "it failed while reading, before writing anything: nothing was written and the data is unchanged"
        // A write that could not begin (`BEGIN IMMEDIATE` waited in vain for the lock, or met a full disk) had nothing to roll back.
        let writeStopped = sql == SQLiteDatabase.beginWrite ? "the write could not begin, so nothing of it was stored"
            : "the write under way was rolled back, nothing of it stored"
        return switch resultCode {
        case SQLITE_BUSY:
            "another process (a station, an import or the nightly settlement) kept the database for \(SQLiteDatabase.busyTimeoutMilliseconds / 1000) "
                + "seconds or more of this command's waiting, and "
                + (writeUnderWay ? writeStopped + ": run the same command again (with the same --key, if it had one: a write is never done twice)"
                    : "\(nothingWritten): run the command again")
        case SQLITE_READONLY where extendedCode == Self.readOnlyDirectory:
            "this user cannot write in the folder that holds the database, and SQLite keeps its -wal and -shm files there; "
                + "nothing was written: let the user that runs timebank write in that folder (docs/operations.md, Installing)"
        case SQLITE_READONLY:
            "this user cannot write the database file (or its -wal or -shm file beside it); nothing was written: give the "
                + "files to the user that runs timebank (docs/operations.md, Installing)"
        case SQLITE_FULL where writeUnderWay:
            "the disk that holds the database (or its -wal file) is full; " + writeStopped + ": free space there (df -h \(folderWord)) and run the command again"
        case SQLITE_FULL:
            "a disk is full: the database's (which holds its -wal and -shm files) or the temporary folder's (TMPDIR, else "
                + "/var/tmp or /tmp), where SQLite sorts what does not fit in memory; \(nothingWritten): free space "
                + "(df -h \(folderWord) /var/tmp /tmp) and run the command again"
        case SQLITE_IOERR where Self.sharedMemoryCodes.contains(extendedCode):
            "SQLite could not make or grow the -shm file beside the database, which every command needs, most often because "
                + "that disk is full; " + (writeUnderWay ? writeStopped : nothingWritten) + ": free space there (df -h \(folderWord)) and run the command again"
        case SQLITE_IOERR where writeUnderWay:
            "the system could not read or write the database file; " + writeStopped + ": check the disk "
                + "(dmesg, df -h \(folderWord)) and run the command again"
        case SQLITE_IOERR:
            "the system could not read the database file (or its -wal or -shm file beside it); \(nothingWritten): check the "
                + "disk (dmesg, df -h \(folderWord)) and run the command again"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            "the database file is damaged (cut short, overwritten, or copied with cp while it was written); "
                + (writeUnderWay ? "a write under way was rolled back" : "nothing was written")
                + ": stop the writers and restore the last good backup (docs/operations.md, Restore)"
        case SQLITE_CANTOPEN:
            "check that the database's folder exists and that this user may read and write in it"
        default: nil
        }
    }

    /// SQLITE_IOERR_SHMOPEN, _SHMSIZE and _SHMMAP: the `-shm` file could not be opened, grown or mapped.
    static let sharedMemoryCodes: Set<Int32> = [SQLITE_IOERR | (18 << 8), SQLITE_IOERR | (19 << 8), SQLITE_IOERR | (21 << 8)]

    /// SQLITE_READONLY_DIRECTORY, a macro Swift does not import.
    static let readOnlyDirectory: Int32 = SQLITE_READONLY | (6 << 8)

    /// `text` with every run of white space (line breaks and indentation of a statement written over several lines) made one space.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// What a write on a connection opened read-only (`SQLiteDatabase.mayOnlyRead`) is told.
    static let openedReadOnlyAdvice = "this user may read the database but not write it (the file, or the folder that holds it), so timebank "
        + "opened it read-only: "
        + "commands that only read work, and this one writes; nothing was written: run it as the user that runs timebank "
        + "(docs/operations.md, Installing)"

    /// What a connection opened read-only is told when SQLite cannot read the database without writing beside it: the
    /// `-shm` file of a database in WAL mode (a live one), which this user can neither open nor make; or a rollback
    /// journal left by a write cut short.
    static let cannotReadReadOnlyAdvice = "this user may read the database but not write it, so timebank opened it "
        + "read-only, and SQLite cannot read it so: a live database in WAL mode needs its -shm file beside it, which this user "
        + "can neither open nor make; nothing was written: read a backup copy instead (one file, made by `timebank backup`: "
        + "docs/operations.md, Backups), or run the command as the user that runs timebank"

    /// What this user is told when SQLite cannot open the `-wal` or `-shm` file beside a database it may write:
    /// another user made them (a reader who was let write in the folder), `files` saying whose they are.
    static func companionFilesAdvice(_ files: [String], path: String, user: String?) -> String {
        let names = [path + "-wal", path + "-shm"].map(ShellWord.quoted).joined(separator: " ")
        return "this user may write the database, but not "
            + (files.count == 1 ? "the file beside it that SQLite needs with it, \(files[0])" : "the files beside it that SQLite needs with it, " + files.joined(separator: " and "))
            + ": another user made them by opening the database; timebank did not open it read-only, and nothing was written: "
            + "give them to the user that runs timebank (as root: chown \(user ?? "USER") \(names)), and let no other user write in "
            + "the database's folder (docs/operations.md, Reading without writing)"
    }

    /// The error SQLite reported with `code` on `connection`, for the file at `path` (else the file SQLite names;
    /// nil for `:memory:`). `openedReadOnly`: whether timebank asked for a read-only connection (else what SQLite says of
    /// the connection now); `writeUnderWay`: whether the failed work was a write (see `writeUnderWay`).
    init(code: Int32, connection: OpaquePointer?, sql: String?, path: String? = nil, openedReadOnly: Bool? = nil,
         writeUnderWay: Bool = true) {
        self.resultCode = code & 0xFF
        self.extendedCode = connection.map { sqlite3_extended_errcode($0) } ?? code
        self.sqliteMessage = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.sql = sql
        self.writeUnderWay = writeUnderWay
        let named = path ?? connection.flatMap { sqlite3_db_filename($0, "main") }.map { String(cString: $0) }
        let file = named.flatMap { $0.isEmpty || $0 == ":memory:" ? nil : SQLiteDatabase.absolute($0) }
        self.databasePath = file
        guard resultCode == SQLITE_READONLY || resultCode == SQLITE_CANTOPEN else { return }
        // A database this user may write, beside which another user left a -wal or -shm file this user cannot open: say
        // whose files they are, whichever way the connection was opened (the check of what a file holds opens it read-only).
        if let file, extendedCode != Self.readOnlyDirectory, access(file, W_OK) == 0 {
            let files = SQLiteDatabase.companionFilesThisUserCannotUse(of: file)
            if !files.isEmpty {
                specificAdvice = Self.companionFilesAdvice(files, path: file, user: SQLiteDatabase.userName(of: geteuid()))
                return
            }
        }
        // "Opened read-only" only when timebank asked for it: sqlite3_db_readonly is 1 too when SQLite fell back to
        // reading a file it could not open for writing.
        guard openedReadOnly ?? connection.map({ sqlite3_db_readonly($0, "main") == 1 }) ?? false else { return }
        if resultCode == SQLITE_READONLY && extendedCode == SQLITE_READONLY {
            specificAdvice = Self.openedReadOnlyAdvice
        } else {
            specificAdvice = Self.cannotReadReadOnlyAdvice
        }
    }

    /// S8 for a store opened read-only whose schema is older than this timebank's: bringing it up to date writes to it.
    static func migrationNeeded(path: String, version: Int64, newestKnown: Int, owner: String?) -> SQLiteError {
        var error = SQLiteError(resultCode: SQLITE_READONLY, message: "\(path) must be migrated from schema version \(version) "
                                + "to \(newestKnown) before this timebank can read it, and this user may only read the file")
        let who = owner.map { "a user who may write the file and its folder (its owner, \($0))" } ?? "a user who may write the file and its folder"
        error.specificAdvice = "nothing was read or written: have \(who) run any timebank command on it once, which migrates it; "
            + "for a backup, read a copy of it that this user may write instead (cp FILE /tmp/check.sqlite)"
        return error
    }

    private init(resultCode: Int32, message: String) {
        self.resultCode = resultCode
        self.extendedCode = resultCode
        self.sqliteMessage = message
        self.sql = nil
        self.databasePath = nil
        self.writeUnderWay = false
    }

    init(message: String, sql: String? = nil, path: String? = nil) {
        self.resultCode = SQLITE_ERROR
        self.extendedCode = SQLITE_ERROR
        self.sqliteMessage = message
        self.sql = sql
        self.databasePath = path.flatMap { $0.isEmpty || $0 == ":memory:" ? nil : SQLiteDatabase.absolute($0) }
        self.writeUnderWay = false
    }
}
