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
                                  + "or the nightly settlement) held the database for more than 10 seconds"))
        #expect(message.hasSuffix("the write under way was rolled back: run the command again"))
    }
}
