import TimeBankCore
import TimeBankStorage

/// Everything a command may touch, injected so that tests run commands in-process.
public final class CommandContext {
    public let output: any TextOutput
    public let errors: any TextOutput
    public let environment: [String: String]
    public let clock: any Clock
    /// Global `--db`, else `$TIMEBANK_DB`, else `./timebank.sqlite`.
    public var databasePath: String
    /// Whether `--db` was given on the command line (the demo uses a temporary folder otherwise).
    public var databasePathGiven = false
    /// Global `--json`: print data as JSON instead of tables.
    public var json = false
    /// The admin `AdminOnly` signed in, for a command that hands the session to the library (`reverse` of a gift).
    var adminSession: OperatorSession?

    public init(output: any TextOutput, errors: any TextOutput, environment: [String: String], clock: any Clock) {
        self.output = output
        self.errors = errors
        self.environment = environment
        self.clock = clock
        self.databasePath = environment["TIMEBANK_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "timebank.sqlite"
    }

    /// Who is acting: `$TIMEBANK_ACTOR`, else `$USER`, else `$LOGNAME` (cron sets it where it may leave `USER` out),
    /// else `cli`.
    public var actor: String {
        for name in ["TIMEBANK_ACTOR", "USER", "LOGNAME"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return "cli"
    }

    /// The offsets from UTC that time zones use, in minutes (UTC−12:00 to UTC+14:00).
    static let utcOffsetRange = -720...840

    /// `$TIMEBANK_UTC_OFFSET_MINUTES` when it is a whole number of quarter hours in `utcOffsetRange`; nil when unset
    /// or unusable. Every time zone's offset is a whole number of quarter hours (Nepal's +5:45 is 345), so a value
    /// such as 8 is hours typed for minutes: taken as 8 minutes it would move "yesterday" by a day at 00:30.
    var utcOffsetSetting: Int? {
        environment["TIMEBANK_UTC_OFFSET_MINUTES"].flatMap { Int($0) }
            .flatMap { Self.utcOffsetRange.contains($0) && $0 % 15 == 0 ? $0 : nil }
    }

    /// The community's offset from UTC in minutes, now: `$TIMEBANK_UTC_OFFSET_MINUTES` when set (it overrides the policy),
    /// else the `[policy] timezone` of the version in force (`communityTimeZone`), else 480 (China, UTC+8) for a store
    /// without a policy. `validateEnvironment` has refused a value that is set but unusable.
    public var utcOffsetMinutes: Int { utcOffsetMinutes(at: clock.now()) }

    /// A stored moment as people read it: the community's local time (`2026-11-08 10:00:00 (UTC+8)`), as receipts show
    /// theirs. `--json` keeps the stored UTC time.
    public func localTime(_ moment: Timestamp) -> String {
        Receipt.localTime(moment, utcOffsetMinutes: utcOffsetMinutes(at: moment))
    }

    /// The community's offset from UTC at `instant`, by the same rules as `utcOffsetMinutes`: for showing a stored time
    /// (a receipt's, a change's) in the offset of its own day, so that a zone with summer time shows a summer receipt
    /// at summer time. The zone is the one in force now.
    public func utcOffsetMinutes(at instant: Timestamp) -> Int {
        if let setting = utcOffsetSetting { return setting }
        let zone = communityTimeZone
        if let zone, SystemTimeZones.offsetMinutes(of: zone, at: instant) == nil { warnUnknownZone(zone) }
        return SystemTimeZones.communityOffsetMinutes(zone: zone, at: instant)
    }

    /// The community's offset at the end of `day` (`Hold.offsetAtEnd`): when a booking for that day lapses by default.
    /// `$TIMEBANK_UTC_OFFSET_MINUTES` when set, else the zone of the policy version in force at that moment, not now, as
    /// the settlement counts the day's lapsed holds (`TimeBankStore.communityOffsetMinutes(atEndOf:)`): a day under a later
    /// version in another zone ends at that zone's midnight.
    public func utcOffsetMinutes(atEndOf day: LocalDate) -> Int {
        if let setting = utcOffsetSetting { return setting }
        guard let store = openedStore ?? existingStore() else { return SystemTimeZones.fallbackOffsetMinutes }
        return Hold.offsetAtEnd(of: day) { moment in
            let zone = (try? store.communityTimeZone(at: moment)) ?? nil
            if let zone, SystemTimeZones.offsetMinutes(of: zone, at: moment) == nil { warnUnknownZone(zone) }
            return SystemTimeZones.communityOffsetMinutes(zone: zone, at: moment)
        }
    }

    /// Says once on stderr that the policy in force names a zone this machine's time zone database does not know
    /// (a version activated elsewhere, or tzdata missing here), so that "today" falls back to UTC+8 in the open.
    private func warnUnknownZone(_ zone: String) {
        guard !unknownZoneWarned else { return }
        unknownZoneWarned = true
        let fallback = SystemTimeZones.fallbackOffsetMinutes
        errors.line("warning: the policy in force has timezone = \"\(zone)\", a name this machine's time zone database "
                    + "does not know; today's date is taken at UTC+\(fallback / 60) instead. Install the time zone "
                    + "database (tzdata), or set TIMEBANK_UTC_OFFSET_MINUTES to the community's offset (\(fallback) for UTC+8)")
    }

    /// The `[policy] timezone` of the store's policy in force (`TimeBankStore.communityTimeZone(at:)`), read on first use
    /// from the store `openStore` opened last, else from the store at `databasePath` when there is one; nil without a policy.
    public var communityTimeZone: String? {
        guard !timeZoneRead else { return storeTimeZone }
        guard let store = openedStore ?? existingStore() else { return nil }
        storeTimeZone = try? store.communityTimeZone(at: clock.now())
        timeZoneRead = true
        return storeTimeZone
    }

    /// The store at `databasePath` when one is there (nil for none, a folder or another file), opened by `openStore`.
    private func existingStore() -> TimeBankStore? {
        guard databasePath != ":memory:", FileSystem.exists(databasePath), !FileSystem.isFolder(databasePath),
              case .store? = try? StoreFileContents.of(databasePath) else { return nil }
        return try? openStore()
    }

    /// The store `openStore` opened last (read for `communityTimeZone` only when a command asks for the date or the
    /// offset: a balance at the counter does not compile the policy for it), what was read, and whether it was.
    private weak var openedStore: TimeBankStore?
    private var storeTimeZone: String?
    private var timeZoneRead = false
    private var unknownZoneWarned = false

    /// Today's date in the community's time zone (`utcOffsetMinutes`).
    public var today: LocalDate { clock.now().date(offsetMinutes: utcOffsetMinutes) }

    /// Refuses environment settings that would silently change what a command does: an offset from UTC that is
    /// not a whole number of minutes in `utcOffsetRange` (a typo must not move "today" and let `settle` close a
    /// day that has not ended, nor fall back to UTC+8 unnoticed).
    func validateEnvironment() throws {
        if let text = environment["TIMEBANK_UTC_OFFSET_MINUTES"], utcOffsetSetting == nil {
            var message = "TIMEBANK_UTC_OFFSET_MINUTES is \"\(text)\"; give the community's offset from UTC in minutes, "
                + "a multiple of 15 from -720 to 840 (480 for China, UTC+8), or unset it"
            if let hours = Self.hoursTypedForMinutes(text) {
                message += ". Offsets are minutes: for \(text) hours write \(hours)"
            }
            throw UsageError(message)
        }
    }

    /// The offset in minutes when `text` reads as hours from -12 to 14 in steps of a quarter hour (`8`, `-5`, `5.75`,
    /// `+8`): the usual slip is writing the hours of "UTC+8". Nil otherwise (and for 0, which is a valid offset).
    static func hoursTypedForMinutes(_ text: String) -> Int? {
        guard let hours = ExactDecimal(text.hasPrefix("+") ? String(text.dropFirst()) : text), !hours.isZero else { return nil }
        guard let minutes = (try? hours.multiplied(by: ExactDecimal(60)))?.exactInteger, minutes % 15 == 0,
              utcOffsetRange.contains(minutes) else {
            return nil
        }
        return minutes
    }

    static func foreignDatabase(_ path: String) -> UsageError {
        UsageError("\(path) is a SQLite database, but not a timebank one (it has no schema_migrations table); "
                   + "nothing was written to it: pass the right --db")
    }

    /// Refuses a file that is not a timebank database, before anything is written to it: an empty file (a store
    /// wiped or cut short must not pass `verify` as a new, empty one) or another program's SQLite database.
    static func checkIsStore(_ path: String) throws {
        switch try StoreFileContents.of(path) {
        case .store: return
        case .empty:
            throw UsageError("\(path) is empty, not a timebank database; restore it from a backup (docs/operations.md), "
                             + "or make a new one with `timebank init --db \(path)`")
        case .foreign: throw foreignDatabase(path)
        }
    }

    /// For a relative `databasePath`, where it came from and the folder it is read from (a `TIMEBANK_DB` set for another
    /// folder, a cron job's working folder): ` (TIMEBANK_DB, a path relative to the current folder /srv)`; empty otherwise.
    var relativePathOrigin: String {
        guard databasePath != ":memory:", !databasePath.hasPrefix("/") else { return "" }
        let origin = databasePathGiven ? "--db" : environment["TIMEBANK_DB"].map { $0.isEmpty ? "the default" : "TIMEBANK_DB" } ?? "the default"
        return " (\(origin), a path relative to the current folder \(FileSystem.currentFolder))"
    }

    /// Whether the command under way only reads (`Command.readsOnly`): `openStore` then opens the store once and
    /// begins a read snapshot on it that lasts until the command ends (`endReadSnapshot`).
    var readsOneSnapshot = false
    /// The store of a command that reads one snapshot, held until the command ends.
    private var snapshotStore: TimeBankStore?
    /// Installed on each store opened (tests only, `SQLiteDatabase.beforeEachStatement`).
    var beforeEachStatement: (() -> Void)?

    /// Ends the read snapshot of a command that only reads (`readsOneSnapshot`), after it has printed all it read.
    func endReadSnapshot() {
        snapshotStore?.database.endReadSnapshot()
        snapshotStore = nil
    }

    /// Opens the existing store at `databasePath`; refuses to create one silently (that is `init`'s job). For a command
    /// that only reads, the store opened first, on a read snapshot (`SQLiteDatabase.beginReadSnapshot`): `balance V1 V2`
    /// then never shows a transfer V1→V2 committed between its two reads in one balance and not in the other.
    public func openStore() throws -> TimeBankStore {
        if readsOneSnapshot, let snapshotStore { return snapshotStore }
        try checkStoreFile()
        let store = try TimeBankStore(path: databasePath, clock: clock)
        store.utcOffsetOverride = utcOffsetSetting
        // Behind a settlement's or an import's transaction a write waits, up to 10 s: said once, so a wait is no hang.
        store.database.whileWaitingForLock = { [errors] in
            errors.line("waiting: another process is writing to the store (a settlement, an import?); this waits up to "
                        + "\(SQLiteDatabase.busyTimeoutMilliseconds / 1000) s for it, then stops with nothing written (S5)")
        }
        openedStore = store
        timeZoneRead = false
        store.database.beforeEachStatement = beforeEachStatement
        if readsOneSnapshot {
            try store.database.beginReadSnapshot()
            snapshotStore = store
        }
        return store
    }

    /// U001 when `databasePath` is not a timebank database (nothing there, a folder, an empty or foreign file): what
    /// `openStore` checks before opening it, for a command that reads the file without opening it as a store (`backup`).
    public func checkStoreFile() throws {
        guard databasePath == ":memory:" || FileSystem.exists(databasePath) else {
            throw UsageError("no database at \(databasePath)\(relativePathOrigin); create one with `timebank init --db \(databasePath)` or pass --db")
        }
        if databasePath != ":memory:" {
            if FileSystem.isFolder(databasePath) {
                throw UsageError("\(databasePath) is a folder, not a timebank database; nothing was read or written: --db takes the "
                                 + "database file in it (e.g. \(databasePath)/community.sqlite)")
            }
            do {
                try Self.checkIsStore(databasePath)
            } catch let error as SQLiteError where error.resultCode == 26 {
                // Only once SQLite has found no database in it is the file read other than through SQLite: closing a
                // descriptor of a database file drops every POSIX lock this process holds on it, which would let
                // another process write under a connection of ours (sqlite.org/howtocorrupt.html, 2.2).
                if let problem = FileSystem.notADatabaseFile(databasePath) { throw UsageError("\(databasePath) \(problem)") }
                throw error
            }
        }
    }
}
