import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage
@testable import TimeBankCLI

@Suite("CLI: a database written by a newer timebank")
struct NewerDatabaseTests {
    @Test("U003, exit 4, naming both schema versions; refused before any migration this timebank knows is applied to it")
    func refusedBeforeMigrating() throws {
        let cli = try CLIHarness()
        try cli.community()
        let known = try #require(Migrations.all.map(\.version).max())
        do {
            // What a newer timebank leaves: a version above every known one. And one known migration not recorded, which
            // an older timebank must not apply to a schema it does not know (here it would fail: its tables exist).
            let database = try SQLiteDatabase(path: cli.databasePath)
            try database.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (\(known + 2), 'from the future', '2027-01-05')")
            try database.execute("DELETE FROM schema_migrations WHERE version = \(known)")
        }
        let result = cli.run(["verify"])
        #expect(result.exit == 4)
        #expect(result.errors == "error[U003]: \(cli.databasePath) was written by a newer timebank: its schema is at version \(known + 2), "
                + "and this timebank knows versions up to \(known); nothing was read or written. Run the newer timebank (the nightly "
                + "job's TIMEBANK_BIN or --bin, `timebank --version`); an older timebank cannot read it\n", "\(result.errors)")
        let versions = try SQLiteDatabase(path: cli.databasePath).statement("SELECT version FROM schema_migrations ORDER BY version")
            .rows { $0.int64(0) }
        #expect(!versions.contains(Int64(known)) && versions.last == Int64(known + 2))
    }

    @Test("a newer store in the rollback journal (a backup a newer timebank made) is left byte for byte as it was: U003 before the switch to WAL")
    func newerBackupUntouched() throws {
        let cli = try CLIHarness()
        try cli.community()
        let copy = cli.folder + "/newer.sqlite"
        try cli.ok(["backup", "--to", copy])
        let known = try #require(Migrations.all.map(\.version).max())
        do {
            let database = try SQLiteDatabase(path: copy, readOnly: false)
            try database.execute("PRAGMA journal_mode=DELETE")
            try database.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (\(known + 1), 'from the future', '2027-01-05')")
            try database.execute("PRAGMA journal_mode=DELETE")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: copy))
        #expect(before[18] == 1 && before[19] == 1, "the copy is in the rollback journal")
        for command in [["verify"], ["balance", "V1"], ["init"]] {
            let result = cli.run(["--db", copy] + command)
            #expect(result.exit == 4)
            #expect(result.errors.hasPrefix("error[U003]: \(copy) was written by a newer timebank"), "\(result.errors)")
        }
        #expect(throws: SchemaError.self) { try TimeBankStore(path: copy) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == before, "nothing was written: not even the switch to WAL")
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))
    }
}
