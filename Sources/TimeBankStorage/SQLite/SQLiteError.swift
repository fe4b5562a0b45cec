import CSQLite
import TimeBankCore

/// A failure reported by SQLite: its (extended) result code, message and the SQL that failed.
public struct SQLiteError: TimeBankError, Hashable {
    public let resultCode: Int32
    public let extendedCode: Int32
    public let sqliteMessage: String
    public let sql: String?

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
        switch resultCode {
        case SQLITE_BUSY:
            "another process (a station, an import or the nightly settlement) held the database for more than "
                + "\(SQLiteDatabase.busyTimeoutMilliseconds / 1000) seconds, and the write under way was rolled back: run the command again"
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

    init(code: Int32, connection: OpaquePointer?, sql: String?) {
        self.resultCode = code & 0xFF
        self.extendedCode = connection.map { sqlite3_extended_errcode($0) } ?? code
        self.sqliteMessage = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.sql = sql
    }

    init(message: String, sql: String? = nil) {
        self.resultCode = SQLITE_ERROR
        self.extendedCode = SQLITE_ERROR
        self.sqliteMessage = message
        self.sql = sql
    }
}
