import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Schema migrations")
struct MigrationTests {
    @Test("migration 8 rewrites each CHECK ... IN list as comparisons, and the checks still refuse what they refused")
    func checkRewrites() throws {
        let test = try TestStore()
        let database = test.store.database
        let rewrites = Migrations.all.flatMap(\.checkRewrites)
        #expect(!rewrites.isEmpty)
        for rewrite in rewrites {
            let schema = try database.statement("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
                .bind(.text(rewrite.table)).first { $0.text(0) } ?? ""
            #expect(schema.contains(rewrite.to), "\(rewrite.table): \(rewrite.to)")
            #expect(!schema.contains(rewrite.from), "\(rewrite.table): \(rewrite.from)")
        }
        #expect(try database.statement("PRAGMA integrity_check").first { $0.text(0) } == "ok")
        // The rewritten checks keep their meaning: a record's status and a stock movement's kind.
        let text = "id,volunteer,category,date,start,end,verifier\nr1,V1,orange,2026-10-05,09:00,11:00,社区\n"
        try test.store.activatePolicy(SettlementTests.policy(), actor: "admin")
        let outcome = try test.store.importRecords(Array(text.utf8), fileName: "day.csv", actor: "importer", today: nil)
        #expect(outcome.rejected.isEmpty, "\(outcome.rejected)")
        #expect(throws: SQLiteError.self) {
            try database.execute("UPDATE records SET status = 'maybe' WHERE id = 'r1'")
        }
        try database.execute("UPDATE records SET status = 'approved' WHERE id = 'r1'")
        #expect(throws: SQLiteError.self) {
            try database.execute("UPDATE records SET response_level = 'IV' WHERE id = 'r1'")
        }
        #expect(throws: SQLiteError.self) {
            try database.execute("INSERT INTO accounts(id, kind, name, created_at) VALUES ('club:X', 'club', 'X', 'now')")
        }
    }

    @Test("a database written before migration 8 is brought up to it on open, its rows kept")
    func upgradeKeepsRows() throws {
        try Self.withOldDatabase(before: 8) { database in
            // The schema as migrations 1–7 left it, with a record in it.
            try database.execute("""
                INSERT INTO records(source, id, kind, volunteer, category, service_date, minutes, tags, note, content_sha256,
                    imported_at, imported_by, import_file, import_row, status)
                VALUES ('default', 'old1', 'service', 'V1', 'orange', '2026-10-05', 60, '', '', printf('%064d', 0),
                    '2026-10-05T00:00:00.000Z', 'importer', 'old.csv', 2, 'pending')
                """)
        } opened: { store in
            #expect(try store.database.statement("SELECT max(version) FROM schema_migrations").first { $0.int64(0) } == Int64(Migrations.all.map(\.version).max()!))
            #expect(try store.database.statement("SELECT status FROM records WHERE id = 'old1'").first { $0.text(0) } == "pending")
            let schema = try store.database.statement("SELECT sql FROM sqlite_master WHERE name = 'records'").first { $0.text(0) } ?? ""
            #expect(schema.contains("status = 'pending' OR status = 'approved' OR status = 'rejected'"))
            #expect(try store.database.statement("PRAGMA integrity_check").first { $0.text(0) } == "ok")
        }
    }

    @Test("migration 11 renumbers a night's stored progress: what was step 2 (posting) is step 3, what was step 3 (grants) step 2")
    func grantsFirstRenumbersProgress() throws {
        try Self.withOldDatabase(before: 11) { database in
            // A night killed after its records were posted (old step 2: the queue, a chunk, done) and before its
            // grants (old step 3); another night with both done.
            for (date, step, part) in [("2026-10-05", 1, 0), ("2026-10-05", 2, -1), ("2026-10-05", 2, 1), ("2026-10-05", 2, 0),
                                       ("2026-10-04", 2, 0), ("2026-10-04", 3, 0)] {
                try database.statement("INSERT INTO settlement_progress(date, step, part, counts, finished_at) VALUES (?, ?, ?, '', 'then')")
                    .bind(.text(date), .integer(Int64(step)), .integer(Int64(part))).run()
            }
        } opened: { store in
            let rows = try store.database.statement("SELECT date, step, part FROM settlement_progress ORDER BY date, step, part")
                .rows { "\($0.text(0)) \($0.int64(1)) \($0.int64(2))" }
            #expect(rows == ["2026-10-04 2 0", "2026-10-04 3 0", "2026-10-05 1 0", "2026-10-05 3 -1", "2026-10-05 3 0", "2026-10-05 3 1"])
            // So the night of the 5th resumes at its grants: posting is done, grants are not.
            #expect(try store.isDone(.post, on: LocalDate("2026-10-05")!) && !store.isDone(.grant, on: LocalDate("2026-10-05")!))
        }
    }

    /// A database file with the schema migrations before `version` left, filled by `fill`, then opened as a store (which
    /// brings it up to date) and handed to `opened`; the file is removed afterwards.
    static func withOldDatabase(before version: Int, _ fill: (SQLiteDatabase) throws -> Void,
                                opened: (TimeBankStore) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-migration-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/old.sqlite"
        do {
            let database = try SQLiteDatabase(path: path)
            try database.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT")
            for migration in Migrations.all where migration.version < version {
                try database.writeTransaction {
                    try database.execute(migration.sql)
                    try database.statement("INSERT INTO schema_migrations VALUES (?, ?, 'then')")
                        .bind(.integer(Int64(migration.version)), .text(migration.name)).run()
                }
            }
            try fill(database)
        }
        try opened(try TimeBankStore(path: path))
    }
}
