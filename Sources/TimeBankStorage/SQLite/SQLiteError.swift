import CSQLite
import TimeBankCore

/// A failure reported by SQLite: its (extended) result code, message and the SQL that failed.
public struct SQLiteError: TimeBankError, Hashable {
    public let resultCode: Int32
    public let extendedCode: Int32
    public let sqliteMessage: String
    public let sql: String?
    /// What to do, when it is not the advice of `resultCode` alone (a write on a connection opened read-only, a store
    /// that must be migrated first).
    private var specificAdvice: String?

    public var code: String { "S\(resultCode)" }

    public var category: ErrorCategory {
        switch resultCode {
        case SQLITE_CORRUPT, SQLITE_NOTADB: .integrity
        case SQLITE_CONSTRAINT: .refused
        default: .system
        }
    }

    public var message: String {
        var text = "database: \(sqliteMessage) (SQLite code \(extendedCode))"
        // On one line: a multi-line statement cut at 120 characters would end the message mid-line.
        if let sql { text += " in: \(Self.oneLine(sql).prefix(120))" }
        // Last, so that the advice is not read as part of the statement.
        if let advice { text += "; " + advice }
        return text
    }

    /// What happened to the work under way and what to do, for the failures a server meets: a busy, read-only, full,
    /// damaged or failing database.
    var advice: String? {
        if let specificAdvice { return specificAdvice }
        return switch resultCode {
        case SQLITE_BUSY:
            "another process (a station, an import or the nightly settlement) kept the database for \(SQLiteDatabase.busyTimeoutMilliseconds / 1000) "
                + "seconds or more of this command's waiting, and the write under way was rolled back, nothing of it stored: run the same "
                + "command again (with the same --key, if it had one: a write is never done twice)"
        case SQLITE_READONLY where extendedCode == Self.readOnlyDirectory:
            "this user cannot write in the folder that holds the database, and SQLite keeps its -wal and -shm files there; "
                + "nothing was written: let the user that runs timebank write in that folder (docs/operations.md, Installing)"
        case SQLITE_READONLY:
            "this user cannot write the database file (or its -wal or -shm file beside it); nothing was written: give the "
                + "files to the user that runs timebank (docs/operations.md, Installing)"
        case SQLITE_FULL:
            "the disk that holds the database (or its -wal file) is full; the write under way was rolled back and nothing of it "
                + "was stored: free space there (df -h) and run the command again"
        case SQLITE_IOERR:
            "the system could not read or write the database file; the write under way was rolled back: check the disk "
                + "(dmesg, df -h) and run the command again"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            "the database file is damaged (cut short, overwritten, or copied with cp while it was written); a write under way "
                + "was rolled back: stop the writers and restore the last good backup (docs/operations.md, Restore)"
        case SQLITE_CANTOPEN:
            "check that the database's folder exists and that this user may read and write in it"
        default: nil
        }
    }

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

    init(code: Int32, connection: OpaquePointer?, sql: String?) {
        self.resultCode = code & 0xFF
        self.extendedCode = connection.map { sqlite3_extended_errcode($0) } ?? code
        self.sqliteMessage = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.sql = sql
        if let connection, sqlite3_db_readonly(connection, "main") == 1 {
            if resultCode == SQLITE_READONLY && extendedCode == SQLITE_READONLY {
                specificAdvice = Self.openedReadOnlyAdvice
            } else if resultCode == SQLITE_READONLY || resultCode == SQLITE_CANTOPEN {
                specificAdvice = Self.cannotReadReadOnlyAdvice
            }
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
    }

    init(message: String, sql: String? = nil) {
        self.resultCode = SQLITE_ERROR
        self.extendedCode = SQLITE_ERROR
        self.sqliteMessage = message
        self.sql = sql
    }
}
