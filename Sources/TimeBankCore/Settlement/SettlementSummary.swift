/// What a settlement did, as recorded with it: settling a settled date again returns the same summary.
/// Amounts are hundredths of a point.
public struct SettlementSummary: Sendable, Hashable {
    public var date: LocalDate
    /// Records dated on or before the date that were pending, or approved but not posted, when it started.
    public var recordsRead = 0
    /// Records approved before the night began (by hand, `record approve`) and not posted yet: read, not decided again.
    /// `recordsRead` = `approvedBefore` + `accepted` + `autoAccepted` + `rejected` + `pending`.
    public var approvedBefore = 0
    /// Pending records approved (they name a verifier, or the policy needs none).
    public var accepted = 0
    /// Pending records accepted without a verifier after the policy's `auto_accept_after_days`.
    public var autoAccepted = 0
    public var rejected = 0
    /// Records left pending (waiting for a verifier or their auto-accept date).
    public var pending = 0
    /// Records whose points were posted.
    public var posted = 0
    /// Approved records whose points are beyond the largest amount the ledger holds under the version in force (a rate
    /// or factor far too large: `RecordScore.Status.tooLarge`): not posted; they wait, and post on the first night after
    /// a corrected version is activated.
    public var tooLarge = 0
    public var awardEntries = 0
    public var penaltyEntries = 0
    public var awarded: Int64 = 0
    public var deducted: Int64 = 0
    /// Of the awards posted, those whose points had expired by the date (records of long ago accepted late: their lot
    /// expires on or before it, so the same night's expiry takes them back): how many, and their points.
    public var expiredOnArrival = 0
    public var expiredOnArrivalPoints: Int64 = 0
    public var grantEntries = 0
    public var granted: Int64 = 0
    public var holdsVoided = 0
    public var expiryEntries = 0
    public var expired: Int64 = 0
    public var levelChanges = 0
    /// The periods whose rankings this settlement wrote, oldest first (`["2026-10"]`): usually none or one, more when
    /// nights were skipped across a period's end.
    public var rankingPeriods: [String] = []
    /// The latest period whose ranking this settlement wrote, if any.
    public var rankingPeriod: String? { rankingPeriods.last }

    /// `rankingPeriods` as stored (`2026-10,2026-11`; nil for none). Period labels never hold a comma.
    public static func rankingPeriodsText(_ periods: [String]) -> String? {
        periods.isEmpty ? nil : periods.joined(separator: ",")
    }

    /// The stored text back as periods (none for nil or "").
    public static func rankingPeriods(fromText text: String?) -> [String] {
        (text ?? "").split(separator: ",").map(String.init)
    }
    public var entriesVerified: Int64 = 0
    /// Names of the reports written (`stations`, `categories`, ...).
    public var reports: [String] = []
    public var headSequence: Int64 = 0
    /// The ledger's head hash when the day was recorded, hex.
    public var headHash = ""
    public var settledAt: Timestamp?
    /// True when the date was settled before this call: nothing was changed.
    public var alreadySettled = false
    /// The report files this call wrote for the day (`--reports DIR`), or could not write (N007); nil when it was asked for
    /// none. Not stored: a summary read back from the store has none.
    public var reportFiles: ReportFilesOutcome?

    /// Where a settlement call put a day's report files, and whether it could.
    public struct ReportFilesOutcome: Sendable, Hashable {
        /// The reports folder as given (`reports`).
        public var directory: String
        /// The day's folder under it (`reports/2026-11-20`).
        public var folder: String
        /// False when they could not be written (N007): the day is recorded all the same.
        public var written: Bool

        public init(directory: String, folder: String, written: Bool) {
            self.directory = directory
            self.folder = folder
            self.written = written
        }
    }

    public init(date: LocalDate) {
        self.date = date
    }

    /// The number fields by name, in a fixed order: stored with the settlement and shown by `--json`.
    public var counts: [(name: String, value: Int64)] {
        [("records_read", Int64(recordsRead)), ("approved_before", Int64(approvedBefore)), ("accepted", Int64(accepted)), ("auto_accepted", Int64(autoAccepted)),
         ("rejected", Int64(rejected)), ("pending", Int64(pending)), ("posted", Int64(posted)), ("too_large", Int64(tooLarge)),
         ("award_entries", Int64(awardEntries)), ("penalty_entries", Int64(penaltyEntries)), ("awarded", awarded),
         ("deducted", deducted), ("expired_on_arrival", Int64(expiredOnArrival)), ("expired_on_arrival_points", expiredOnArrivalPoints),
         ("grant_entries", Int64(grantEntries)), ("granted", granted),
         ("holds_voided", Int64(holdsVoided)), ("expiry_entries", Int64(expiryEntries)), ("expired", expired),
         ("level_changes", Int64(levelChanges)), ("entries_verified", entriesVerified)]
    }

    /// The names of `counts` that are amounts (hundredths of a point, written with two decimals); the others are counts.
    public static let amountNames: Set<String> = ["awarded", "deducted", "granted", "expired", "expired_on_arrival_points"]

    /// The names of `counts`, in its order: the columns of `settlement list --format csv`.
    public static var countNames: [String] { SettlementSummary(date: LocalDate(year: 2000, month: 1, day: 1)!).counts.map(\.name) }

    /// Sets a number field by the name `counts` uses; false for an unknown name.
    @discardableResult
    public mutating func set(_ name: String, _ value: Int64) -> Bool {
        switch name {
        case "records_read": recordsRead = Int(value)
        case "approved_before": approvedBefore = Int(value)
        case "accepted": accepted = Int(value)
        case "auto_accepted": autoAccepted = Int(value)
        case "rejected": rejected = Int(value)
        case "pending": pending = Int(value)
        case "posted": posted = Int(value)
        case "too_large": tooLarge = Int(value)
        case "award_entries": awardEntries = Int(value)
        case "penalty_entries": penaltyEntries = Int(value)
        case "awarded": awarded = value
        case "deducted": deducted = value
        case "expired_on_arrival": expiredOnArrival = Int(value)
        case "expired_on_arrival_points": expiredOnArrivalPoints = value
        case "grant_entries": grantEntries = Int(value)
        case "granted": granted = value
        case "holds_voided": holdsVoided = Int(value)
        case "expiry_entries": expiryEntries = Int(value)
        case "expired": expired = value
        case "level_changes": levelChanges = Int(value)
        case "entries_verified": entriesVerified = value
        default: return false
        }
        return true
    }

    /// `name=value` pairs separated by `;`, as the settlement's progress rows store them.
    public static func encode(_ counts: [(name: String, value: Int64)]) -> String {
        counts.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
    }

    /// Adds the counts `encode` wrote to this summary's (a step's chunks add up). Nil when the text is unreadable.
    public mutating func add(encoded text: String) -> Bool {
        guard !text.isEmpty else { return true }
        let current = Dictionary(counts.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Int64(parts[1]), let old = current[String(parts[0])] else { return false }
            set(String(parts[0]), old + value)
        }
        return true
    }
}
