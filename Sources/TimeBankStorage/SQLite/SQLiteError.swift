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
        if let sql { text += " in: \(sql.prefix(120))" }
        // Last, so that the advice is not read as part of the statement.
        if resultCode == SQLITE_BUSY {
            text += "; another process (a station, an import or the nightly settlement) held the database for more than "
                + "\(SQLiteDatabase.busyTimeoutMilliseconds / 1000) seconds, and the write under way was rolled back: run the command again"
        }
        return text
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
