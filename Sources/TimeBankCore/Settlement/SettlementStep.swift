/// The steps of a nightly settlement, in the order they run. Each step commits on its own (the posting
/// step in chunks), so a settlement killed at any moment resumes at the step, or chunk, it was in.
public enum SettlementStep: Int, CaseIterable, Sendable, Hashable, Comparable {
    /// Accept pending records (verifier present, or auto-accept after the policy's days); reject the invalid.
    case accept = 1
    /// Post the periodic grants (基础分) due on the date and on every day since the previous settled night, before the
    /// records are scored: a penalty can then take from a grant of its day whether or not nights were skipped.
    /// (Until migration 11 grants were step 3 and posting step 2; the migration renumbered the stored progress.)
    case grant = 2
    /// Score accepted records in canonical order and post their awards and penalties.
    case post = 3
    /// Void lapsed holds, then expire lots whose expiry date has come.
    case expire = 4
    /// Update star levels; write the ranking of a period that has ended.
    case levels = 5
    /// Verify the ledger and the stations' books.
    case reconcile = 6
    /// Write the day's reports into the database.
    case report = 7
    /// Record the settlement with its counts and the ledger's head hash.
    case record = 8

    /// The step as the progress lines and the summary name it.
    public var name: String {
        switch self {
        case .accept: "accept records"
        case .post: "score and post"
        case .grant: "grants"
        case .expire: "expiry"
        case .levels: "levels and ranking"
        case .reconcile: "reconcile"
        case .report: "reports"
        case .record: "record"
        }
    }

    public static func < (lhs: SettlementStep, rhs: SettlementStep) -> Bool { lhs.rawValue < rhs.rawValue }
}
