/// Why a settlement did not run or did not finish. Codes are stable and documented in `docs/errors.md`.
public enum SettlementError: TimeBankError, Hashable {
    /// N001: a later date is settled already; settling out of order needs the caller's say-so.
    case outOfOrder(date: LocalDate, latest: LocalDate)
    /// N002: another settlement of the same database is running.
    case alreadyRunning(lockFile: String)
    /// N003: the date has not ended yet.
    case dateInFuture(date: LocalDate, today: LocalDate)
    /// N004: no policy version is active, so nothing could be scored.
    case noPolicy
    /// N005: reconciliation found stored data that does not add up; the settlement stopped before recording the day, or,
    /// `beforeTheNight`, before writing anything (the check before its first step).
    case reconciliationFailed(date: LocalDate, problems: [String], beforeTheNight: Bool = false)
    /// N006: the settlement's own stored progress is unreadable.
    case unreadableProgress(date: LocalDate, detail: String)
    /// N007: the reports could not be written to the folder; `date` and `directory`, when known, name the settled day and
    /// the reports folder, for the command that writes them again.
    case reportsNotWritten(path: String, detail: String, date: LocalDate? = nil, directory: String? = nil)
    /// N008: the day comes before the first policy version takes effect: no record of it can be scored and no grant is
    /// due, so settling it would only record an empty day (a mistyped year, with --allow-out-of-order).
    case beforeFirstPolicy(date: LocalDate, firstEffective: LocalDate)
    /// N009: the lock file beside the database cannot be opened, so the settlement did not start.
    case lockNotOpened(path: String, detail: String)
    /// N010: days between the last settled day and this one were never settled (the machine was off, a night failed or was
    /// killed): settling this one alone would leave them without a settlement, so it needs the caller's say-so.
    case missedDays(date: LocalDate, lastSettled: LocalDate, missed: [LocalDate], unfinished: [LocalDate])

    public var code: String {
        switch self {
        case .outOfOrder: "N001"
        case .alreadyRunning: "N002"
        case .dateInFuture: "N003"
        case .noPolicy: "N004"
        case .reconciliationFailed: "N005"
        case .unreadableProgress: "N006"
        case .reportsNotWritten: "N007"
        case .beforeFirstPolicy: "N008"
        case .lockNotOpened: "N009"
        case .missedDays: "N010"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .outOfOrder, .alreadyRunning, .dateInFuture, .noPolicy, .beforeFirstPolicy, .missedDays: .refused
        case .reconciliationFailed, .unreadableProgress: .integrity
        case .reportsNotWritten, .lockNotOpened: .system
        }
    }

    public var message: String {
        switch self {
        case .outOfOrder(let date, let latest):
            "\(date) cannot be settled: \(latest) is settled already. Settling an earlier day after a later one posts its "
                + "records, grants and expiries after the later day's; if that is what you want, pass --allow-out-of-order"
        case .alreadyRunning(let lockFile):
            "another settlement of this database is running (it holds \(lockFile)); wait for it to finish. "
                + "A settlement that was killed holds no lock: run it again and it resumes"
        case .dateInFuture(let date, let today):
            "\(date) has not ended yet (today is \(today)): settle a day after it ends, by default yesterday"
        case .noPolicy:
            "no policy version is active, so no record can be scored: activate one with `timebank policy activate FILE`"
        case .reconciliationFailed(let date, let problems, true):
            "the settlement of \(date) did not start: the check of the ledger before it found \(problems.count) "
                + "problem\(problems.count == 1 ? "" : "s") since the last night, so nothing was written:\n"
                + problems.map { "  " + $0 }.joined(separator: "\n")
                + "\nStop the writers (the stations) and find the cause (`timebank verify`, `timebank stock verify`); if the data was "
                + "changed, restore the last good backup (docs/operations.md, Restore), then run the settlement again."
        case .reconciliationFailed(let date, let problems, false):
            "the settlement of \(date) stopped: reconciliation found \(problems.count) problem\(problems.count == 1 ? "" : "s")"
                + " and nothing after the posting steps was recorded:\n" + problems.map { "  " + $0 }.joined(separator: "\n")
                + "\nFind the cause (`timebank verify`, `timebank stock verify`), then run the settlement again."
        case .unreadableProgress(let date, let detail):
            "the stored progress of the settlement of \(date) is unreadable: \(detail)"
        case .reportsNotWritten(let path, let detail, let date?, let directory?):
            "the reports could not be written to \(path): \(detail). The settlement of \(date) itself is recorded; once the cause is "
                + "fixed, `\(Self.writeReportsCommand(date: date, directory: directory))` writes its files from the database (the nightly "
                + "job's next run writes them too)"
        case .reportsNotWritten(let path, let detail, _, _):
            "the reports could not be written to \(path): \(detail). The settlement itself is recorded; run it again to write them"
        case .beforeFirstPolicy(let date, let first):
            "\(date) comes before the first policy version takes effect (\(first)): no record of it can be scored and no grant is due, "
                + "so nothing would be settled; check the date (the first day to settle is \(first))"
        case .lockNotOpened(let path, let detail):
            "the settlement's lock file \(path) cannot be opened (\(detail)), so nothing was settled: the lock is made beside "
                + "the database, so this user needs to be able to write in the database's folder"
        case .missedDays(let date, let lastSettled, let missed, let unfinished):
            Self.missedDaysMessage(date: date, lastSettled: lastSettled, missed: missed, unfinished: unfinished)
        }
    }
}

extension SettlementError {
    /// The command that writes the report files of a settled day from the database: `timebank settle --date D --reports DIR`.
    public static func writeReportsCommand(date: LocalDate, directory: String) -> String {
        "timebank settle --date \(date) --reports \(directory)"
    }

    static func missedDaysMessage(date: LocalDate, lastSettled: LocalDate, missed: [LocalDate], unfinished: [LocalDate]) -> String {
        let days = missed.count == 1 ? "\(missed[0]) is" : "the \(missed.count) days from \(missed[0]) to \(missed[missed.count - 1]) are"
        let started = unfinished.isEmpty ? ""
            : "; the settlement of \(unfinished.map(\.description).joined(separator: ", ")) was started and did not finish"
        return "\(date) cannot be settled yet: \(days) not settled (the last settled day is \(lastSettled))\(started). "
            + "Settle the nights in order: --catch-up settles \(missed.count == 1 ? "it" : "them, oldest first,") and then \(date), "
            + "each night with its own reports. To settle \(date) alone, pass --skip-missed: the records, grants and expiries of "
            + "\(missed.count == 1 ? "that day" : "those days") are then settled with \(date), without reports of their own, and "
            + "\(missed.count == 1 ? "it" : "they") can be settled later only with --allow-out-of-order"
    }
}
