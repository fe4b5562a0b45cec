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
        #expect(message.hasPrefix("database: database is locked (SQLite code 5) in: BEGIN IMMEDIATE; another process (a station, an import "
                                  + "or the nightly settlement) kept the database for 10 seconds or more of this command's waiting"))
        // The operator at the counter is told that the same command, with its key, is safe to send again.
        #expect(message.hasSuffix("the write under way was rolled back, nothing of it stored: run the same command again (with the same "
                                  + "--key, if it had one: a write is never done twice)"))
    }

    @Test("a statement written over several lines is named on one line, so the message is one line in the log")
    func oneLine() {
        let error = SQLiteError(code: SQLITE_READONLY, connection: nil, sql: """
            UPDATE records SET status = d.status,
                decided_at = ?1
            """)
        #expect(!error.message.contains("\n"))
        #expect(error.message.contains("in: UPDATE records SET status = d.status, decided_at = ?1; "), "\(error.message)")
    }

    @Test("read-only, full, damaged: the message says what happened to the write and what to do",
          arguments: [
            (SQLITE_READONLY | (6 << 8), "this user cannot write in the folder that holds the database"),
            (SQLITE_READONLY, "this user cannot write the database file"),
            (SQLITE_FULL, "is full; the write under way was rolled back and nothing of it was stored: free space there"),
            (SQLITE_CORRUPT, "restore the last good backup (docs/operations.md, Restore)"),
            (SQLITE_NOTADB, "restore the last good backup (docs/operations.md, Restore)"),
            (SQLITE_IOERR | (4 << 8), "check the disk"),
          ])
    func advice(code: Int32, advice: String) {
        let message = SQLiteError(code: code, connection: nil, sql: "COMMIT").message
        #expect(message.hasPrefix("database: "))
        #expect(message.contains("(SQLite code \(code)) in: COMMIT; "), "\(message)")
        #expect(message.contains(advice), "\(message)")
    }
}
