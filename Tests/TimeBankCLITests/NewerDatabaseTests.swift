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
}
