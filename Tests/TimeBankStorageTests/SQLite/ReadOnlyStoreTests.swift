import CSQLite
import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// A store opened read-only, as for a user who may read the file but not write it (`SQLiteDatabase.mayOnlyRead`). Tests
/// run as root on the build machines, where `access(2)` lets every write, so they force it with `readOnly: true`; the
/// rule itself is checked through the command line as another user (ReadOnlyDatabaseCommandTests).
@Suite("A store opened read-only")
struct ReadOnlyStoreTests {
    /// A community backed up to a one-file copy (rollback journal, as every backup is), in a folder of its own.
    final class Copy {
        let folder: String
        let path: String
        let headHash: String
        let clock = FixedClock(Timestamp("2026-11-08T02:00:00.000Z")!)

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-readonly-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let live = try TimeBankStore(path: folder + "/live.sqlite", clock: clock)
            try live.addCommunity(
                households: [Household(id: "H1", name: "王家", address: "泰山路12号")],
                volunteers: [Volunteer(id: "V1", name: "王秀英", household: "H1", birthDate: LocalDate("1956-03-08"),
                                       teams: ["orange"], tags: [], joined: LocalDate("2024-05-01")!)],
                stations: [])
            try live.post(.move(key: "a1", kind: .award, date: LocalDate("2026-11-01")!, actor: "admin", memo: "巡逻 2小时",
                                from: .issuance, to: .volunteer("V1"), amount: 2000))
            path = folder + "/copy.sqlite"
            headHash = try live.backup(to: path).headHash
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        var bytes: Data { get throws { try Data(contentsOf: URL(fileURLWithPath: path)) } }
        /// The files beside the copy: a read-only store must make no -wal, -shm or -journal.
        var files: [String] { get throws { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() } }
    }

    @Test("reads work; a write is refused with S8, saying the store was opened read-only; the file is not touched")
    func readsWorkWritesRefused() throws {
        let copy = try Copy()
        let before = try copy.bytes
        let filesBefore = try copy.files
        let store = try TimeBankStore(path: copy.path, clock: copy.clock, readOnly: true)
        #expect(store.isReadOnly)
        #expect(try store.balance(.volunteer("V1")) == 2000)
        let verification = try store.verify()
        #expect(verification.isClean && verification.entriesChecked == 1)
        #expect(SHA256.hex(try store.head().hash) == copy.headHash)
        #expect(try store.database.statement("PRAGMA journal_mode").first { $0.text(0) } == "delete")

        do {
            try store.post(.move(key: "a2", kind: .award, date: LocalDate("2026-11-02")!, actor: "admin", memo: "",
                                 from: .issuance, to: .volunteer("V1"), amount: 100))
            Issue.record("a read-only store took a write")
        } catch let error as SQLiteError {
            #expect(error.code == "S8")
            #expect(error.category == .system)
            #expect(error.message.contains("; " + SQLiteError.openedReadOnlyAdvice + "\n  SQLite statement: "), "\(error.message)")
        }
        #expect(throws: SQLiteError.self) {
            try store.addHousehold(Household(id: "H2", name: "李家", address: "泰山路14号"))
        }
        #expect(try store.balance(.volunteer("V1")) == 2000)
        #expect(try store.household("H2") == nil)
        #expect(try copy.bytes == before)
        #expect(try copy.files == filesBefore)
    }

    @Test("a store that may be written opens read-write as before: migrated, WAL")
    func writableStaysWritable() throws {
        let copy = try Copy()
        #expect(!SQLiteDatabase.mayOnlyRead(copy.path))   // root, or the owner: may write the file and its folder
        #expect(!SQLiteDatabase.mayOnlyRead(copy.folder + "/missing.sqlite"))
        #expect(!SQLiteDatabase.mayOnlyRead(":memory:"))
        let store = try TimeBankStore(path: copy.path, clock: copy.clock)
        #expect(!store.isReadOnly)
        #expect(try store.database.statement("PRAGMA journal_mode").first { $0.text(0) } == "wal")
        try store.post(.move(key: "a2", kind: .award, date: LocalDate("2026-11-02")!, actor: "admin", memo: "",
                             from: .issuance, to: .volunteer("V1"), amount: 100))
        #expect(try store.balance(.volunteer("V1")) == 2100)
    }

    @Test("an older schema opened read-only is refused with S8 (migrating it writes), naming the file's owner; nothing changes")
    func olderSchemaRefused() throws {
        let copy = try Copy()
        let known = try #require(Migrations.all.map(\.version).max())
        try SQLiteDatabase(path: copy.path).execute("DELETE FROM schema_migrations WHERE version = \(known)")
        // The copy went to WAL when it was opened read-write for that edit; a backup is one file again.
        try SQLiteDatabase(path: copy.path).execute("PRAGMA journal_mode=DELETE")
        let before = try copy.bytes
        let owner = try #require(SQLiteDatabase.ownerName(of: copy.path))
        do {
            _ = try TimeBankStore(path: copy.path, clock: copy.clock, readOnly: true)
            Issue.record("an older schema was opened read-only")
        } catch let error as SQLiteError {
            #expect(error.code == "S8")
            #expect(error.message == "database: \(copy.path) must be migrated from schema version \(known - 1) to \(known) before this "
                    + "timebank can read it, and this user may only read the file (SQLite code 8); nothing was read or written: have a "
                    + "user who may write the file and its folder (its owner, \(owner)) run any timebank command on it once, which "
                    + "migrates it; for a backup, read a copy of it that this user may write instead (cp FILE /tmp/check.sqlite)")
        }
        #expect(try copy.bytes == before)
        // Opened read-write, it is migrated as before.
        _ = try TimeBankStore(path: copy.path, clock: copy.clock)
        #expect(try SQLiteDatabase(path: copy.path, readOnly: true).statement("SELECT max(version) FROM schema_migrations")
                .first { $0.int64(0) } == Int64(known))
    }

    @Test("a newer schema opened read-only is U003, as read-write; a file without timebank's schema is S8 at version 0")
    func newerAndForeignSchemas() throws {
        let copy = try Copy()
        let known = try #require(Migrations.all.map(\.version).max())
        try SQLiteDatabase(path: copy.path).execute("""
            INSERT INTO schema_migrations(version, name, applied_at) VALUES (\(known + 1), 'from the future', '2027-01-05');
            PRAGMA journal_mode=DELETE
            """)
        #expect(throws: SchemaError.newerDatabase(path: copy.path, version: Int64(known + 1), newestKnown: known)) {
            _ = try TimeBankStore(path: copy.path, clock: copy.clock, readOnly: true)
        }
        let other = copy.folder + "/other.sqlite"
        try SQLiteDatabase(path: other).execute("CREATE TABLE notes (text TEXT)")
        do {
            _ = try TimeBankStore(path: other, readOnly: true)
            Issue.record("another program's database was opened read-only")
        } catch let error as SQLiteError {
            #expect(error.code == "S8")
            #expect(error.message.hasPrefix("database: \(other) must be migrated from schema version 0 to \(known)"), "\(error.message)")
        }
        #expect(try SQLiteDatabase(path: other, readOnly: true).statement("SELECT name FROM sqlite_master").rows { $0.text(0) } == ["notes"])
    }

    @Test("sign-in on a read-only store checks the PIN without writing the attempt; the session's writes are S8")
    func signInReadOnly() throws {
        let f = try StationFixture()
        let store = try TimeBankStore(path: f.path, clock: f.clock, readOnly: true)
        let attempts = { try f.store.database.statement("SELECT count(*) FROM sign_in_attempts").first { $0.int64(0) } }
        let before = try attempts()
        let session = try store.signIn(operatorID: "admin", pin: "9000")
        #expect(throws: AccessError.signInFailed) { _ = try store.signIn(operatorID: "op1", pin: "1112") }
        #expect(try attempts() == before)
        do {
            _ = try store.disableOperator("op1", reason: "调离兑换站", by: session)
            Issue.record("a read-only store took a write")
        } catch let error as SQLiteError {
            #expect(error.code == "S8" && error.advice == SQLiteError.openedReadOnlyAdvice, "\(error.message)")
        }
        #expect(try f.store.operatorAccess("op1")?.isEnabled == true)
    }

    @Test("SQLite's other read-only codes on a read-only connection (a live WAL file's -shm it cannot open or make) say to read a backup")
    func cannotReadAdvice() throws {
        let copy = try Copy()
        let database = try SQLiteDatabase(path: copy.path, readOnly: true)
        for code in [SQLITE_READONLY | (6 << 8), SQLITE_READONLY | (5 << 8), SQLITE_CANTOPEN] {
            let message = SQLiteError(code: code, connection: database.handle, sql: "PRAGMA synchronous=FULL").message
            #expect(message.hasSuffix("; " + SQLiteError.cannotReadReadOnlyAdvice + "\n  SQLite statement: PRAGMA synchronous=FULL"),
                    "\(code): \(message)")
        }
        // On a connection that may write, the same codes keep their own advice.
        let writable = try SQLiteDatabase(path: copy.folder + "/live.sqlite")
        #expect(SQLiteError(code: SQLITE_READONLY, connection: writable.handle, sql: "COMMIT").advice?
                    .hasPrefix("this user cannot write the database file") == true)
    }
}
