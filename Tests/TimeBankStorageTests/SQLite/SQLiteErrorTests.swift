import CSQLite
import Foundation
import Testing
@testable import TimeBankStorage

@Suite("SQLite errors")
struct SQLiteErrorTests {
    @Test("a busy database says who may hold it and what to do after the statement, not inside it")
    func busyAdvice() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-busy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try TimeBankStore(path: folder + "/store.sqlite")   // a store's file, in WAL mode
        // A second connection holds the write lock; the first one's BEGIN IMMEDIATE waits out its busy timeout.
        var holder: OpaquePointer?
        #expect(sqlite3_open(folder + "/store.sqlite", &holder) == SQLITE_OK)
        defer { sqlite3_close(holder) }
        #expect(sqlite3_exec(holder, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)
        var waiter: OpaquePointer?
        #expect(sqlite3_open(folder + "/store.sqlite", &waiter) == SQLITE_OK)
        defer { sqlite3_close(waiter) }
        sqlite3_busy_timeout(waiter, 50)
        let code = sqlite3_exec(waiter, "BEGIN IMMEDIATE", nil, nil, nil)
        #expect(code == SQLITE_BUSY)
        let message = SQLiteError(code: code, connection: waiter, sql: "BEGIN IMMEDIATE").message
        #expect(message.hasPrefix("database \(folder)/store.sqlite: database is locked (SQLite code 5); another process (a station, an import "
                                  + "or the nightly settlement) kept the database for 10 seconds or more of this command's waiting"))
        // The operator at the counter is told that the same command, with its key, is safe to send again; the statement
        // is for support, on a line of its own after the advice. The write never began, so nothing was rolled back.
        #expect(message.hasSuffix("the write could not begin, so nothing of it was stored: run the same command again (with the same "
                                  + "--key, if it had one: a write is never done twice)\n  SQLite statement: BEGIN IMMEDIATE"), "\(message)")
        #expect(!message.contains("rolled back"))
        // Busy in the middle of a write (a statement inside the transaction, or its COMMIT): that write was rolled back.
        let midWrite = SQLiteError(code: SQLITE_BUSY, connection: nil, sql: "COMMIT").message
        #expect(midWrite.contains("the write under way was rolled back, nothing of it stored: run the same command again"), "\(midWrite)")
    }

    /// A statement of a temporary connection (`try SQLiteDatabase(path: p).statement("…").first { }`, as several tests
    /// write) outlives the connection's object; its error was worded through an `unowned` reference to the freed object.
    @Test("a statement that outlives its connection's object still throws its error, worded with the file's path")
    func statementOutlivesItsConnection() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-outlive-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/t.sqlite"
        var database: SQLiteDatabase? = try SQLiteDatabase(path: path)
        try database!.execute("CREATE TABLE t(x INTEGER UNIQUE); INSERT INTO t VALUES (1)")
        let statement = try database!.statement("INSERT INTO t VALUES (1)")
        database = nil
        #expect(statement.database == nil)
        let error = try #require(throws: SQLiteError.self) { try statement.run() }
        #expect(error.resultCode == SQLITE_CONSTRAINT)
        #expect(error.message.contains(path), "\(error.message)")
    }

    @Test("a statement written over several lines is named on one line, so the message is one line in the log")
    func oneLine() {
        let error = SQLiteError(code: SQLITE_READONLY, connection: nil, sql: """
            UPDATE records SET status = d.status,
                decided_at = ?1
            """)
        #expect(error.message.split(separator: "\n").count == 2)
        #expect(error.message.hasSuffix("\n  SQLite statement: UPDATE records SET status = d.status, decided_at = ?1"), "\(error.message)")
    }

    @Test("read-only, full, damaged: the message says what happened to the write and what to do",
          arguments: [
            (SQLITE_READONLY | (6 << 8), "this user cannot write in the folder that holds the database"),
            (SQLITE_READONLY, "this user cannot write the database file"),
            (SQLITE_FULL, "is full; the write under way was rolled back, nothing of it stored: free space there"),
            (SQLITE_CORRUPT, "restore the last good backup (docs/operations.md, Restore)"),
            (SQLITE_NOTADB, "restore the last good backup (docs/operations.md, Restore)"),
            (SQLITE_IOERR | (4 << 8), "check the disk"),
          ])
    func advice(code: Int32, advice: String) {
        let message = SQLiteError(code: code, connection: nil, sql: "COMMIT").message
        #expect(message.hasPrefix("database: "))
        #expect(message.contains("(SQLite code \(code)); "), "\(message)")
        #expect(message.contains(advice), "\(message)")
        #expect(message.hasSuffix("\n  SQLite statement: COMMIT"), "\(message)")
    }

    /// A folder of its own whose name has a space and Chinese, as an admin's copy of the store may.
    static func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-错误 \(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("the first line names the database file (one shell word, for a path with a space) and says what failed; the statement SQLite ran comes last, for support")
    func namesTheFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try SQLiteDatabase(path: folder + "/试用 copy.sqlite")
        do {
            try database.execute("SELECT * FROM missing")
            Issue.record("no error")
        } catch {
            #expect(error.databasePath == folder + "/试用 copy.sqlite")
            #expect(error.message == "database '\(folder)/试用 copy.sqlite': no such table: missing (SQLite code 1)\n"
                    + "  SQLite statement: SELECT * FROM missing", "\(error.message)")
        }
        // An in-memory database has no file to name.
        let memory = try SQLiteDatabase(path: ":memory:")
        do {
            try memory.execute("SELECT * FROM missing")
            Issue.record("no error")
        } catch {
            #expect(error.databasePath == nil)
            #expect(error.message.hasPrefix("database: no such table: missing (SQLite code 1)\n"), "\(error.message)")
        }
    }

    @Test("a read that fails wrote nothing, and a write's failure is rolled back: SQLite's errors know which they were")
    func readOrWrite() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try SQLiteDatabase(path: folder + "/store.sqlite")
        try database.execute("CREATE TABLE t (x INTEGER)")
        let overflow = "SELECT abs(-9223372036854775808)"   // fails when it steps: integer overflow
        do {
            _ = try database.statement(overflow).first { $0.int64(0) }
            Issue.record("no error")
        } catch let error as SQLiteError {
            #expect(error.writeUnderWay == false)
        }
        // The same through execute, which asks SQLite afterwards whether the statement writes: SQLite's own message is kept
        // (asking made it "not an error" once).
        do {
            try database.execute(overflow)
            Issue.record("no error")
        } catch {
            #expect(error.writeUnderWay == false)
            #expect(error.message.hasPrefix("database '\(folder)/store.sqlite': integer overflow (SQLite code 1)\n"), "\(error.message)")
        }
        do {
            try database.writeTransaction { () throws in
                try database.statement("INSERT INTO t VALUES (1)").run()
                _ = try database.statement(overflow).first { $0.int64(0) }
            }
            Issue.record("no error")
        } catch let error as SQLiteError {
            #expect(error.writeUnderWay)
        }
        // A write that does not fit: a real SQLITE_FULL, told the write was rolled back.
        try database.execute("PRAGMA max_page_count=\(try database.statement("PRAGMA page_count").first { $0.int64(0) } ?? 0)")
        do {
            try database.writeTransaction { () throws in
                try database.statement("INSERT INTO t VALUES (zeroblob(100000))").run()
            }
            Issue.record("no error")
        } catch let error as SQLiteError {
            #expect(error.code == "S13")
            #expect(error.message.contains("; the disk that holds the database (or its -wal file) is full; the write under way was rolled back, "
                                           + "nothing of it stored: free space there (df -h '\(folder)') and run the command again"),
                    "\(error.message)")
        }
        #expect(try database.statement("SELECT count(*) FROM t").first { $0.int64(0) } == 0)
    }

    @Test("a full disk or an I/O error met by a read says that nothing was written and the data is unchanged, not that a write was rolled back",
          arguments: [
            (SQLITE_FULL, "a disk is full: the database's (which holds its -wal and -shm files) or the temporary folder's (TMPDIR, else "
                + "/var/tmp or /tmp), where SQLite sorts what does not fit in memory; it failed while reading, before writing anything: nothing was "
                + "written and the data is unchanged: free space (df -h /srv/timebank /var/tmp /tmp) and run the command again"),
            (SQLITE_IOERR | (19 << 8), "SQLite could not make or grow the -shm file beside the database, which every command needs, most "
                + "often because that disk is full; it failed while reading, before writing anything: nothing was written and the data is unchanged: "
                + "free space there (df -h /srv/timebank) and run the command again"),
            (SQLITE_IOERR | (1 << 8), "the system could not read the database file (or its -wal or -shm file beside it); it failed while "
                + "reading, before writing anything: nothing was written and the data is unchanged: check the disk (dmesg, df -h /srv/timebank) and "
                + "run the command again"),
            (SQLITE_BUSY, "another process (a station, an import or the nightly settlement) kept the database for 10 seconds or more of "
                + "this command's waiting, and it failed while reading, before writing anything: nothing was written and the data is unchanged: "
                + "run the command again"),
          ])
    func readFailures(code: Int32, advice: String) {
        let error = SQLiteError(code: code, connection: nil, sql: "PRAGMA synchronous=FULL", path: "/srv/timebank/community.sqlite",
                                writeUnderWay: false)
        #expect(error.message == "database /srv/timebank/community.sqlite: \(String(cString: sqlite3_errstr(code))) (SQLite code \(code)); "
                + advice + "\n  SQLite statement: PRAGMA synchronous=FULL", "\(error.message)")
        #expect(!error.message.contains("rolled back"))
    }
}
