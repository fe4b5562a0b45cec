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

    public init(output: any TextOutput, errors: any TextOutput, environment: [String: String], clock: any Clock) {
        self.output = output
        self.errors = errors
        self.environment = environment
        self.clock = clock
        self.databasePath = environment["TIMEBANK_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "timebank.sqlite"
    }

    /// Who is acting: `$TIMEBANK_ACTOR`, else `$USER`, else `cli`.
    public var actor: String {
        for name in ["TIMEBANK_ACTOR", "USER"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return "cli"
    }

    /// Today's date in the community's time zone (UTC+8 unless `$TIMEBANK_UTC_OFFSET_MINUTES` says otherwise).
    public var today: LocalDate {
        let offset = environment["TIMEBANK_UTC_OFFSET_MINUTES"].flatMap { Int($0) } ?? 480
        return clock.now().date(offsetMinutes: offset)
    }

    /// Opens the existing store at `databasePath`; refuses to create one silently (that is `init`'s job).
    public func openStore() throws -> TimeBankStore {
        guard databasePath == ":memory:" || FileSystem.exists(databasePath) else {
            throw UsageError("no database at \(databasePath); create one with `timebank init --db \(databasePath)` or pass --db")
        }
        return try TimeBankStore(path: databasePath, clock: clock)
    }
}
