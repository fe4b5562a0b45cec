import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage
@testable import TimeBankCLI

/// `timebank` run by a user who may read the database but not write it: an auditor with a backup copy, a backup on
/// read-only media. Root may write any file, so as root the built executable runs as `nobody` (65534) through `setpriv`;
/// as another user, the files are made read-only instead.
@Suite("CLI: a database this user may only read",
       .enabled(if: BuiltExecutable.path != nil, "the timebank executable was not built next to the tests"),
       .enabled(if: getuid() != 0 || findExecutable("setpriv") != nil, "as root, setpriv runs timebank as another user"))
struct ReadOnlyDatabaseCommandTests {
    /// A community, and a folder `shelf` of files the reader may read but not write.
    final class Reader {
        let cli: CLIHarness
        let shelf: String
        let executable: String
        let asRoot = getuid() == 0

        init() throws {
            cli = try CLIHarness(now: Timestamp("2026-11-08T02:00:00.000Z")!)
            try cli.community()
            try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                        "--date", "2026-11-01"])
            shelf = cli.folder + "/shelf"
            try FileManager.default.createDirectory(atPath: shelf, withIntermediateDirectories: true)
            // A copy of the executable that the other user may run (the build folder may be closed to it), made by `cp`:
            // a file this process held open for writing could be inherited by another test's child (ETXTBSY).
            executable = cli.folder + "/timebank"
            let copy = try runProcess("/bin/sh", ["-c", #"cp "$0" "$1" && chmod 755 "$1""#, BuiltExecutable.path!, executable])
            guard copy.status == 0 else { throw UsageError("cp: \(copy.errors)") }
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cli.folder)
        }

        deinit { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shelf) }

        /// A backup of the community on the shelf (one file, rollback journal), as `timebank backup` makes it.
        func backup(_ name: String) throws -> String {
            let path = shelf + "/" + name
            try cli.ok(["backup", "--to", path])
            return path
        }

        /// Makes the shelf readable and not writable by the reader: nobody, as root; this user, by the files' modes.
        func closeShelf() throws {
            for name in try FileManager.default.contentsOfDirectory(atPath: shelf) {
                try FileManager.default.setAttributes([.posixPermissions: asRoot ? 0o644 : 0o444], ofItemAtPath: shelf + "/" + name)
            }
            try FileManager.default.setAttributes([.posixPermissions: asRoot ? 0o755 : 0o555], ofItemAtPath: shelf)
        }

        /// Runs timebank as the reader on `database`.
        func run(_ database: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
            let environment = ["TIMEBANK_DB": database, "TIMEBANK_CLOCK": "2026-11-08T02:00:00.000Z", "TIMEBANK_OPERATOR": "",
                               "TIMEBANK_PIN": ""]
            return asRoot
                ? try runProcess(findExecutable("setpriv")!, ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments,
                                 environment: environment)
                : try runProcess(executable, arguments, environment: environment)
        }

        var shelfFiles: [String] { get throws { try FileManager.default.contentsOfDirectory(atPath: shelf).sorted() } }
    }

    @Test("verify, balance and statement read a backup copy; a write is S8, says the copy was opened read-only, and changes nothing")
    func readsWorkWritesRefused() throws {
        let reader = try Reader()
        let copy = try reader.backup("copy.sqlite")
        let head = try SHA256.hex(TimeBankStore(path: copy, readOnly: true).head().hash)
        try reader.closeShelf()
        let before = try Data(contentsOf: URL(fileURLWithPath: copy))

        let verify = try reader.run(copy, ["verify"])
        #expect(verify.status == 0, "\(verify.errors)")
        #expect(verify.output.hasPrefix("OK: 1 entry,") && verify.output.contains("Head hash: \(head)"), "\(verify.output)")
        let balance = try reader.run(copy, ["balance", "V1"])
        #expect(balance.status == 0 && balance.output.contains("20.00"), "\(balance.output)\(balance.errors)")
        #expect(try reader.run(copy, ["statement", "V1"]).status == 0)

        let post = try reader.run(copy, ["post", "--from", "system:issuance", "--to", "V1", "--points", "1", "--kind", "award",
                                         "--key", "a2", "--date", "2026-11-02"])
        #expect(post.status == 4)
        #expect(post.errors.hasPrefix("error[S8]: database \(copy): attempt to write a readonly database (SQLite code 8); "
                                      + SQLiteError.openedReadOnlyAdvice + "\n  SQLite statement: "), "\(post.errors)")

        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == before)
        #expect(try reader.shelfFiles == ["copy.sqlite"])   // no -wal, -shm or -journal made beside it
    }

    @Test("a copy with an older schema is refused with S8: it must be migrated by a user who may write it; nothing changes")
    func olderSchemaRefused() throws {
        let reader = try Reader()
        let copy = try reader.backup("old.sqlite")
        let known = try #require(Migrations.all.map(\.version).max())
        try SQLiteDatabase(path: copy).execute("DELETE FROM schema_migrations WHERE version = \(known); PRAGMA journal_mode=DELETE")
        try reader.closeShelf()
        let before = try Data(contentsOf: URL(fileURLWithPath: copy))

        let verify = try reader.run(copy, ["verify"])
        #expect(verify.status == 4)
        #expect(verify.errors.hasPrefix("error[S8]: database: \(copy) must be migrated from schema version \(known - 1) to \(known) "
                                        + "before this timebank can read it, and this user may only read the file"), "\(verify.errors)")
        #expect(verify.errors.contains("have a user who may write the file and its folder (its owner, "), "\(verify.errors)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == before)
        #expect(try reader.shelfFiles == ["old.sqlite"])
    }

    @Test("a database in WAL mode whose -shm the reader can neither open nor make: S8, read a backup copy or run as the owner")
    func liveDatabaseWithoutShm() throws {
        let reader = try Reader()
        let copy = try reader.backup("live.sqlite")
        try SQLiteDatabase(path: copy).execute("PRAGMA journal_mode=WAL")   // closed at once: its -wal and -shm are removed
        #expect(try reader.shelfFiles == ["live.sqlite"])
        try reader.closeShelf()

        let balance = try reader.run(copy, ["balance", "V1"])
        #expect(balance.status == 4)
        #expect(balance.errors.hasPrefix("error[S8]: "), "\(balance.errors)")
        #expect(balance.errors.contains("; " + SQLiteError.cannotReadReadOnlyAdvice + "\n  SQLite statement: "), "\(balance.errors)")
        #expect(try reader.shelfFiles == ["live.sqlite"])
    }

    @Test("another user's -wal and -shm beside a database this user may write: S14 names the file, whose they are and what to chown, not a read-only opening; nothing changes",
          .enabled(if: getuid() == 0, "as root, the -wal and -shm files are made another user's"))
    func anotherUsersWriteAheadLog() throws {
        let reader = try Reader()
        let folder = reader.shelf + "/备份 copy"   // a space and Chinese in the path, named as one shell word
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let live = folder + "/live.sqlite"
        try reader.cli.ok(["backup", "--to", live])
        try SQLiteDatabase(path: live).execute("PRAGMA journal_mode=WAL")
        // The database is the reader's own; its -wal and -shm were left by another user (root here), readable by no one else.
        try FileManager.default.setAttributes([.ownerAccountID: 65534, .posixPermissions: 0o600], ofItemAtPath: live)
        for file in [live + "-wal", live + "-shm"] {
            #expect(FileManager.default.createFile(atPath: file, contents: Data(), attributes: [.posixPermissions: 0o600]))
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: live))

        let balance = try reader.run(live, ["balance", "V1"])
        #expect(balance.status == 4)
        let files = "'\(live)-wal' (root's, mode 600) and '\(live)-shm' (root's, mode 600)"
        #expect(balance.errors.hasPrefix("error[S14]: database '\(live)': unable to open database file (SQLite code 14); this user may "
                                         + "write the database, but not the files beside it that SQLite needs with it, \(files): another "
                                         + "user made them by opening the database; timebank did not open it read-only, and nothing was "
                                         + "written: give them to the user that runs timebank (as root: chown \(SQLiteDatabase.userName(of: 65534)) "
                                         + "'\(live)-wal' '\(live)-shm'), and let no other user write in the database's folder"), "\(balance.errors)")
        #expect(!balance.errors.contains("opened it read-only"), "\(balance.errors)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: live)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["live.sqlite", "live.sqlite-shm", "live.sqlite-wal"])
    }
}
