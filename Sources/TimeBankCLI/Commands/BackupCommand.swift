import TimeBankCore
import TimeBankStorage

struct BackupCommand: Command {
    static let name = "backup"
    static let abstract = "Copy the database to a new file while it is in use, and check the copy"
    static let help = """
    Usage: timebank backup --to FILE

    Copies the whole database with SQLite's online backup API as one consistent snapshot: stations and
    the nightly settlement may keep writing meanwhile. The copy is one self-contained file (rollback
    journal, no -wal file). FILE must not exist: a backup never overwrites one (B001). The copy is then
    opened and checked with PRAGMA integrity_check, and its ledger entries and head hash are printed:
    compare them with `timebank verify` on the database. A copy that fails the check is removed (B004).
    The database is copied as it is, never migrated first: a store of an older timebank (the backup to take
    before upgrading) gives a copy the older timebank opens, and the output says so.
    The copy is made and checked as FILE.partial-PID and named FILE only then: a backup killed part-way
    leaves no FILE (a *.partial-* file left behind is a torn copy to delete).
    Restoring is described in docs/operations.md.

    Example:
      timebank backup --to /var/backups/timebank/community-2026-11-21.sqlite
    """
    static let valueOptions = ["--to"]
    let destination: String

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        destination = try arguments.required("--to")
        guard !destination.isEmpty else { throw UsageError("--to needs a file name") }
    }

    func run(_ context: CommandContext) throws -> Int32 {
        if FileSystem.isFolder(destination) {
            throw BackupError.destinationIsFolder(path: destination, example: Self.datedName(in: destination, context: context))
        }
        // The file as it is, not opened as a store: a store of an older timebank is copied without being migrated first
        // (the backup taken before an upgrade must still open with the timebank that wrote it).
        try context.checkStoreFile()
        let result = try TimeBankStore.backup(storeAt: context.databasePath, to: destination)
        let newest = TimeBankStore.newestSchemaVersion
        if context.json {
            context.output.line(JSON.object([
                ("source", .string(context.databasePath)), ("path", .string(result.path)), ("bytes", .integer(result.bytes)),
                ("integrity", .string(result.integrity)), ("entries", .integer(result.entries)), ("head_hash", .string(result.headHash)),
                ("schema_version", .integer(result.schemaVersion)), ("newest_schema_version", .integer(newest)),
            ]).rendered())
            return ExitCode.done
        }
        context.output.line("Backed up \(context.databasePath) to \(result.path) (\(result.bytes) bytes).")
        context.output.line("The copy passes SQLite's integrity check and holds \(result.entries) ledger entries.")
        context.output.line("Head hash of the copy: \(result.headHash)")
        if result.schemaVersion < newest {
            context.output.line("The database is of an older timebank (schema version \(result.schemaVersion); this one's is \(newest)): it was "
                                + "copied as it is, not migrated; the copy opens with the timebank that wrote it. The first command of this "
                                + "timebank that opens the database migrates it.")
        }
        return ExitCode.done
    }

    /// `FOLDER/NAME-YYYYMMDDTHHMMSS.sqlite`, the database's name and the community's local time now: the name the
    /// nightly script gives its backups.
    static func datedName(in folder: String, context: CommandContext) -> String {
        // "2026-11-08T10:00:00.000Z" → "20261108T100000"
        let stamp = String(context.clock.now().adding(minutes: context.utcOffsetMinutes).description.prefix(19).filter { $0 != "-" && $0 != ":" })
        var name = String(context.databasePath.split(separator: "/").last ?? "timebank")
        if name.hasSuffix(".sqlite") { name.removeLast(".sqlite".count) }
        let trimmedFolder = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        return "\(trimmedFolder)/\(name)-\(stamp).sqlite"
    }
}
