import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage
@testable import TimeBankCLI

@Suite("CLI: backup")
struct BackupCommandTests {
    /// A community with three entries (two awards and a fund donation).
    func community() throws -> CLIHarness {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1", "--date", "2026-10-01"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V2", "--points", "7.5", "--kind", "award", "--key", "a2", "--date", "2026-10-02"])
        try cli.ok(["post", "--from", "system:outside", "--to", "fund:main", "--cny", "100", "--kind", "donation", "--key", "d1", "--date", "2026-10-02"])
        return cli
    }

    /// The backup to take before upgrading timebank: a store of an older timebank is copied as it is, not migrated first
    /// (the copy would otherwise be of the new schema, and the store could not go back to the old binary), and says so.
    @Test func olderStoreCopiedAsItIs() throws {
        let cli = try community()
        let newest = Int64(Migrations.all.map(\.version).max()!)
        do {   // As an older timebank left it: the newest migration not applied yet.
            let database = try SQLiteDatabase(path: cli.databasePath)
            try database.execute("DELETE FROM schema_migrations WHERE version = \(newest)")
        }
        let copy = cli.folder + "/before-upgrade.sqlite"
        let result = cli.run(["backup", "--to", copy])
        #expect(result.exit == 0, "\(result.errors)")
        #expect(result.output.contains("The database is of an older timebank (schema version \(newest - 1); this one's is \(newest)): "
                                       + "it was copied as it is, not migrated"), "\(result.output)")
        for path in [cli.databasePath, copy] {
            let database = try SQLiteDatabase(path: path, readOnly: true)
            #expect(try Migrations.appliedVersions(database).max() == newest - 1, "\(path) was migrated")
        }
        // A current store says nothing of it.
        try cli.ok(["verify"])   // migrates the store
        let current = try cli.ok(["backup", "--to", cli.folder + "/after.sqlite"])
        #expect(!current.contains("older timebank"))
    }

    /// A folder with a space in its name: the name to give is one shell word, so that pasting it works.
    @Test func toFolderWithASpace() throws {
        let cli = try community()
        let folder = cli.folder + "/my backups"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let result = cli.run(["backup", "--to", folder])
        #expect(result.exit == 2)
        #expect(result.errors.contains("e.g. --to '\(folder)/cli-"), "\(result.errors)")
    }

    @Test("--to a folder (B005, exit 2) names a dated file in it to write instead; that name works; nothing is written")
    func toFolder() throws {
        let cli = try community()
        let folder = cli.folder + "/backups"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var suggested = ""
        for given in [folder, folder + "/"] {
            let result = cli.run(["backup", "--to", given])
            #expect(result.exit == 2)
            #expect(result.errors.hasPrefix("error[B005]: \(given) is a folder: a backup is written to a new file, so give the file's name "
                                            + "in it, e.g. --to \(folder)/cli-"), "\(result.errors)")
            #expect(result.errors.hasSuffix(".sqlite (the date and time in the name keep every backup)\n"))
            // The database's name and the local time (the harness's clock is 2027-01-05T02:00Z, 10:00 at UTC+8, a second
            // later at each reading).
            let match = try #require(result.errors.firstMatch(of: try Regex(#"--to (\S+-20270105T1000\d\d\.sqlite) "#)))
            suggested = String(try #require(match[1].substring))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        #expect(cli.run(["backup", "--to", suggested]).exit == 0)
    }

    @Test("--to a name ending in -wal, -shm or -journal (B006, exit 2): SQLite would take the copy for a database's side file; nothing is written")
    func toSideFileName() throws {
        let cli = try community()
        for suffix in ["-wal", "-shm", "-journal"] {
            let path = cli.folder + "/copy.sqlite" + suffix
            let result = cli.run(["backup", "--to", path])
            #expect(result.exit == 2)
            #expect(result.errors.hasPrefix("error[B006]: \(path) ends in \(suffix), the name SQLite gives the "), "\(result.errors)")
            #expect(result.errors.contains("beside the database \(cli.folder)/copy.sqlite: it would take the copy for that file"))
            #expect(result.errors.hasSuffix("nothing was written: give a name ending in .sqlite\n"))
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        // The database's own log name: B006 too, and the database is as it was.
        #expect(cli.run(["backup", "--to", cli.databasePath + "-wal"]).errors.hasPrefix("error[B006]"))
        #expect(try cli.ok(["verify"]).hasPrefix("OK: 3 entries"))
    }

    @Test("the copy is checked and holds the same ledger: entries, head hash, balances, verify clean")
    func backup() throws {
        let cli = try community()
        let copy = cli.folder + "/backup-1.sqlite"
        let result = cli.run(["backup", "--to", copy])
        #expect(result.exit == 0, "\(result.errors)")
        let source = try TimeBankStore(path: cli.databasePath)
        let head = SHA256.hex(try source.head().hash)
        #expect(result.output.hasSuffix("""
            The copy passes SQLite's integrity check and holds 3 ledger entries.
            Head hash of the copy: \(head)

            """))

        // One self-contained file: the copy was switched to the rollback journal before it was closed.
        let mode = try SQLiteDatabase(path: copy, readOnly: true).statement("PRAGMA journal_mode").first { $0.text(0) }
        #expect(mode == "delete")
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))

        let restored = try TimeBankStore(path: copy)
        #expect(try restored.verify().problems.isEmpty)
        #expect(try restored.head().hash == source.head().hash)
        #expect(try restored.balances().map { "\($0.account) \($0.asset) \($0.balance)" }
                == source.balances().map { "\($0.account) \($0.asset) \($0.balance)" })

        let json = cli.run(["backup", "--to", cli.folder + "/backup-2.sqlite", "--json"])
        #expect(json.output.contains("\"entries\": 3") && json.output.contains("\"integrity\": \"ok\"")
                && json.output.contains("\"head_hash\": \"\(head)\""))
    }

    @Test("never overwrites a file, and says so when the folder is missing")
    func refusals() throws {
        let cli = try community()
        let existing = try cli.write("precious.sqlite", "not a database, but not ours to overwrite")
        let refused = cli.run(["backup", "--to", existing])
        #expect(refused.exit == 1)
        #expect(refused.errors.hasPrefix("error[B001]: \(existing) exists already"))
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "not a database, but not ours to overwrite")

        let missing = cli.run(["backup", "--to", cli.folder + "/no-such-folder/b.sqlite"])
        #expect(missing.exit == 4)
        #expect(missing.errors.hasPrefix("error[B002]"))
        #expect(cli.run(["backup"]).exit == 2)
    }

    @Test("a backup while another connection holds the write lock: the copy is the last committed state")
    func online() throws {
        let cli = try community()
        let writer = try TimeBankStore(path: cli.databasePath)
        try writer.database.execute("BEGIN IMMEDIATE")
        try writer.database.execute("INSERT INTO households(id, name, address) VALUES ('H9', '未提交', '')")
        let store = try TimeBankStore(path: cli.databasePath)
        let result = try store.backup(to: cli.folder + "/online.sqlite")
        try writer.database.execute("ROLLBACK")
        #expect(result.entries == 3 && result.integrity == "ok")
        let copy = try SQLiteDatabase(path: result.path, readOnly: true)
        #expect(try copy.statement("SELECT count(*) FROM households").first { $0.int64(0) } == 1)
    }

    @Test("the library's backup to a folder is B005 too, with or without a trailing slash; to a file that exists, B001")
    func libraryToFolder() throws {
        let cli = try community()
        let store = try TimeBankStore(path: cli.databasePath)
        for folder in [cli.folder, cli.folder + "/"] {
            let refused = #expect(throws: BackupError.self) { try store.backup(to: folder) }
            #expect(refused?.code == "B005")
        }
        let exists = #expect(throws: BackupError.self) { try store.backup(to: cli.databasePath) }
        #expect(exists?.code == "B001")
    }

    @Test("the copy is made and checked under PATH.partial-PID and named PATH only once it passed: a backup killed part-way leaves nothing under the backup's name")
    func partialUntilChecked() throws {
        let cli = try community()
        let store = try TimeBankStore(path: cli.databasePath)
        let path = cli.folder + "/nightly.sqlite"
        let partial = "\(path).partial-\(getpid())"
        // A partial file of this process id can only be left by a killed run: it is replaced, not met as B001.
        _ = FileManager.default.createFile(atPath: partial, contents: Data("torn".utf8))
        var seen: (final: Bool, partial: Bool, entries: Int64?) = (true, false, nil)
        try store.database.backup(to: path) { copy in
            #expect(copy == partial)
            // What a SIGKILL at this moment would leave: no file under the backup's name.
            seen = (FileManager.default.fileExists(atPath: path), FileManager.default.fileExists(atPath: copy),
                    try SQLiteDatabase(path: copy, readOnly: true).statement("SELECT count(*) FROM entries").first { $0.int64(0) })
        }
        #expect(seen.final == false && seen.partial && seen.entries == 3)
        #expect(FileManager.default.fileExists(atPath: path) && !FileManager.default.fileExists(atPath: partial))

        // A check that fails leaves neither file.
        struct Refused: Error {}
        let other = cli.folder + "/refused.sqlite"
        #expect(throws: Refused.self) { try store.database.backup(to: other) { _ in throw Refused() } }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder).filter { $0.hasPrefix("refused") }.isEmpty)

        // A file that appears under the name while the copy is made is not replaced: B001, and the copy is removed.
        let raced = cli.folder + "/raced.sqlite"
        let refused = #expect(throws: BackupError.self) {
            try store.database.backup(to: raced) { _ in _ = FileManager.default.createFile(atPath: raced, contents: Data("theirs".utf8)) }
        }
        #expect(refused?.code == "B001")
        #expect(try String(contentsOfFile: raced, encoding: .utf8) == "theirs")
        #expect(!FileManager.default.fileExists(atPath: "\(raced).partial-\(getpid())"))
    }

    @Test("a damaged database: B004 on one line, with the first problem and how many SQLite reported; verify finds it too (V023)")
    func damagedOnOneLine() throws {
        let cli = try community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "1", "--kind", "award", "--key", "a3", "--date", "2026-10-03"])
        try Self.damageIndex(of: cli.databasePath)
        let backup = cli.run(["backup", "--to", cli.folder + "/damaged.sqlite"])
        #expect(backup.exit == 3)
        #expect(backup.errors.hasPrefix("error[B004]: the copy \(cli.folder)/damaged.sqlite does not pass SQLite's integrity check ("), "\(backup.errors)")
        #expect(backup.errors.split(separator: "\n").count == 1, "\(backup.errors)")
        // The rows are all readable, so the ledger's checks alone pass; SQLite's own check of the file does not.
        let verify = cli.run(["verify"])
        #expect(verify.exit == 3, "\(verify.output)")
        #expect(verify.errors.hasPrefix("error[V023]: SQLite's integrity check of the database file failed: "), "\(verify.errors)")
        #expect(verify.errors.contains("restore the last good backup"))
        let json = cli.run(["verify", "--json"])
        #expect(json.exit == 3 && json.output.contains("\"code\": \"V023\""), "\(json.output)")
        #expect(TimeBankStore.integrityProblemsText(["a", "b", "c"]) == "a; 3 problems reported")
        #expect(TimeBankStore.integrityProblemsText(["row 7 missing from index a"]) == "row 7 missing from index a")
    }

    @Test("a damaged page SQLite's integrity check cannot walk past: verify says V023 with what the check found and where it stopped (not a bare S11 on the check), backup B004 the same")
    func integrityCheckStoppedByDamage() throws {
        let cli = try community()
        try Self.damageRootPage(of: "households", in: cli.databasePath)
        let verify = cli.run(["verify"])
        #expect(verify.exit == 3)
        #expect(verify.errors.hasPrefix("error[V023]: SQLite's integrity check of the database file failed: "), "\(verify.errors)")
        #expect(verify.errors.contains("btreeInitPage() returns error code 11"), "\(verify.errors)")
        #expect(verify.errors.contains("SQLite stopped its check there: database disk image is malformed"), "\(verify.errors)")
        #expect(!verify.errors.contains("error[S11]"), "\(verify.errors)")
        let backup = cli.run(["backup", "--to", cli.folder + "/copy.sqlite"])
        #expect(backup.exit == 3)
        #expect(backup.errors.hasPrefix("error[B004]: the copy \(cli.folder)/copy.sqlite does not pass SQLite's integrity check (Page "),
                "\(backup.errors)")
        #expect(backup.errors.contains("btreeInitPage() returns error code 11"), "\(backup.errors)")
        #expect(!backup.errors.contains("error[S11]"), "\(backup.errors)")
        #expect(!FileManager.default.fileExists(atPath: cli.folder + "/copy.sqlite"))
    }

    @Test("B003 of a copy that failed names the backup's own file, not its temporary PATH.partial-PID (which is removed), and for a full disk (SQLite's code 13) says to free space in the folder")
    func copyFailureNamesTheBackup() throws {
        let full = SQLiteDatabase.copyFailure(destination: "/var/backups/timebank/c.sqlite", code: 13, sqliteMessage: "database or disk is full")
        #expect(full.code == "B003")
        #expect(full.message == "the backup to /var/backups/timebank/c.sqlite failed: the disk that holds /var/backups/timebank is full "
                + "(SQLite code 13: database or disk is full); nothing of the copy was left there: free space on it (df -h "
                + "/var/backups/timebank) and run the backup again", "\(full.message)")
        let io = SQLiteDatabase.copyFailure(destination: "c.sqlite", code: 10, sqliteMessage: "disk I/O error")
        #expect(io.message == "the backup to c.sqlite failed: disk I/O error (SQLite code 10); nothing usable was left there, try again",
                "\(io.message)")
        #expect(!full.message.contains(".partial-") && !io.message.contains(".partial-"))
    }

    /// Overwrites the header of the root page of `table`, as a disk fault would: SQLite's integrity check reports the page
    /// and then stops with SQLITE_CORRUPT.
    static func damageRootPage(of table: String, in path: String) throws {
        let database = try SQLiteDatabase(path: path)
        let page = try #require(try database.statement("SELECT rootpage FROM sqlite_master WHERE name = ?").bind(.text(table)).first { $0.int64(0) })
        let pageSize = try #require(try database.statement("PRAGMA page_size").first { $0.int64(0) })
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64((page - 1) * pageSize))
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 6))
        try handle.close()
    }

    /// Overwrites the middle of the root page of the `postings_by_account` index, as a disk fault would: the table rows
    /// stay readable, the index does not match them.
    static func damageIndex(of path: String) throws {
        let database = try SQLiteDatabase(path: path)
        let page = try #require(try database.statement("SELECT rootpage FROM sqlite_master WHERE name = 'postings_by_account'").first { $0.int64(0) })
        let pageSize = try #require(try database.statement("PRAGMA page_size").first { $0.int64(0) })
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64((page - 1) * pageSize + 8))
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 6))
        try handle.close()
    }
}
