import CSQLite
import TimeBankCore

// SQLite must copy bound text and blobs: the Swift buffers do not outlive the call.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A value bound to a `?` parameter.
public enum SQLiteValue: Sendable, Hashable {
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case null
}

/// A prepared statement; finalized when released. All SQL in timebank uses bound parameters.
public final class SQLiteStatement {
    let handle: OpaquePointer
    /// Weak: the connection caches its statements, and a statement of a temporary connection
    /// (`try SQLiteDatabase(path: p).statement("…").first { }`) outlives the object (SQLite keeps the connection open
    /// until the statement is finalized). Read only to word an error (`failure`).
    weak var database: SQLiteDatabase?
    /// The database's `statementHook`, held: it is read at every step, when the database object may be gone.
    let statementHook: StatementHook
    public let sql: String

    init(database: SQLiteDatabase, sql: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw database.error(code, sql: sql, writeUnderWay: false)
        }
        self.handle = statement
        self.database = database
        self.statementHook = database.statementHook
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Whether the statement writes to the database (not `sqlite3_stmt_readonly`).
    var writes: Bool { sqlite3_stmt_readonly(handle) == 0 }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds values to the parameters 1, 2, 3, ...
    @discardableResult
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) -> SQLiteStatement {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
            case .text(let text):
                // Bound with its length from the UTF-8 buffer: no NUL-terminated copy, no strlen.
                var text = text
                code = text.withUTF8 { buffer -> Int32 in
                    guard let base = buffer.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT) }
                    return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                        sqlite3_bind_text(handle, index, $0, Int32(buffer.count), SQLITE_TRANSIENT)
                    }
                }
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), SQLITE_TRANSIENT)
                }
            case .null: code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
        return self
    }

    /// Binds the values to the parameters in order (see `bind(_:)` with an array).
    public func bind(_ values: SQLiteValue...) throws(SQLiteError) -> SQLiteStatement { try bind(values) }

    /// Advances to the next row; false when done.
    public func step() throws(SQLiteError) -> Bool {
        if let hook = statementHook.beforeFirstStep, sqlite3_stmt_busy(handle) == 0 { hook() }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = failure(code)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// The error for `code`, worded by the connection; when its object is gone, from SQLite's connection the statement
    /// still holds.
    func failure(_ code: Int32) -> SQLiteError {
        if let database { return database.error(code, sql: sql, writeUnderWay: writes) }
        let connection = sqlite3_db_handle(handle)
        let path = sqlite3_db_filename(connection, "main").map { String(cString: $0) } ?? ""
        return SQLiteError(code: code, connection: connection, sql: sql, path: path,
                           openedReadOnly: sqlite3_db_readonly(connection, "main") == 1, writeUnderWay: writes)
    }

    /// Runs a statement that returns no rows.
    public func run() throws(SQLiteError) {
        while try step() {}
        sqlite3_reset(handle)
    }

    /// The column of the current row as an integer (0 for NULL).
    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The column of the current row as an integer, nil for NULL.
    public func optionalInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// The column of the current row as text (empty for NULL), decoded as UTF-8.
    public func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The column of the current row as text, nil for NULL.
    public func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(column)
    }

    /// The bytes of a text or blob column, valid until this statement steps, resets or is finalized.
    public func rawBytes(_ column: Int32) -> UnsafeRawBufferPointer {
        let pointer = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let pointer, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: count)
    }

    /// Whether the column of the current row is NULL.
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column of the current row as bytes, copied (empty for NULL).
    public func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Reads all rows with `row`, then resets.
    public func rows<T>(_ row: (SQLiteStatement) throws -> T) throws -> [T] {
        var result: [T] = []
        while try step() { result.append(try row(self)) }
        sqlite3_reset(handle)
        return result
    }

    /// Reads the first row with `row` (or nil), then resets.
    public func first<T>(_ row: (SQLiteStatement) throws -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        return try step() ? try row(self) : nil
    }
}
