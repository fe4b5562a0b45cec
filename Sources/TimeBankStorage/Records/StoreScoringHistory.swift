import TimeBankCore

/// The scorer's history read from the store: awards posted in the ledger (reversals taken off),
/// once-only bonuses and assessments from the posted scores, balances from the ledger. A withdrawn record
/// (`WithdrawnRecordsSQL`: nothing of it stands in the ledger) is not history: it uses no once-only bonus,
/// assesses no period and adds no minutes or records to the totals; amounts always leave out reversed entries.
///
///     let run = try scorer.score(records, history: StoreScoringHistory(store: store))
public final class StoreScoringHistory: ScoringHistory {
    public let store: TimeBankStore

    public init(store: TimeBankStore) {
        self.store = store
    }

    /// Award entries to the account in the window, less the reversals of such entries (from `award_days`,
    /// which the posting path keeps: one row per day of the window at most).
    public func awardedPoints(to account: AccountID, in window: ScoringWindow) throws -> Int64 {
        guard let number = try store.storedAccount(account)?.number else { return 0 }
        return try store.database.statement("SELECT coalesce(sum(amount), 0) FROM award_days WHERE account = ? AND day >= ? AND day < ?")
            .bind(.integer(number), .text(window.start.description), .text(window.end.description))
            .first { $0.int64(0) } ?? 0
    }

    /// Awards posted for records of `category` in the window, less those reversed.
    public func awardedPoints(to account: AccountID, category: String, in window: ScoringWindow) throws -> Int64 {
        try store.database.statement("""
            SELECT coalesce(sum(s.award), 0) FROM record_scores s
            WHERE s.account = ? AND s.category = ? AND s.service_date >= ? AND s.service_date < ?
              AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses = s.award_entry)
            """).bind(.text(account.description), .text(category), .text(window.start.description), .text(window.end.description))
            .first { $0.int64(0) } ?? 0
    }

    /// Whether a record of `holder` that stands (not withdrawn) received the bonus.
    public func hasReceivedBonus(_ bonus: String, holder: AccountID) throws -> Bool {
        try store.database.statement("""
            SELECT 1 FROM record_scores s WHERE s.holder = ? AND s.once_bonuses <> ''
              AND (';' || s.once_bonuses || ';') LIKE ('%;' || ? || ';%') AND \(WithdrawnRecordsSQL.stands("s")) LIMIT 1
            """).bind(.text(holder.description), .text(bonus)).first { _ in true } ?? false
    }

    /// Whether a posted assessment that stands (not withdrawn) assessed the indicator in the period.
    public func hasAssessment(indicator: String, account: AccountID, period: ScoringWindow) throws -> Bool {
        try store.database.statement("""
            SELECT 1 FROM record_scores s WHERE s.account = ? AND s.indicator = ? AND s.period = ? AND \(WithdrawnRecordsSQL.stands("s")) LIMIT 1
            """)
            .bind(.text(account.description), .text(indicator), .text(period.label)).first { _ in true } ?? false
    }

    public func balance(of account: AccountID) throws -> Int64 {
        try store.account(account) == nil ? 0 : store.balance(account)
    }

    /// The balance less what the redemption rule calls spendable on `date` (`TimeBankStore.spendablePoints`).
    public func expiredPoints(of account: AccountID, on date: LocalDate) throws -> Int64 {
        guard try store.account(account) != nil else { return 0 }
        return try store.balance(account) - store.spendablePoints(account, on: date)
    }

    /// Minutes and records of the volunteer's posted records that stand; points of their awards not reversed.
    public func totals(ofVolunteer volunteer: String) throws -> ScoringTotals {
        try store.database.statement("""
            SELECT coalesce(sum(minutes), 0), coalesce(sum(counted), 0), coalesce(sum(award), 0) FROM (
                SELECT \(Self.totalsColumns) FROM records r JOIN record_scores s ON s.record = r.number WHERE r.volunteer = ?)
            """).bind(.text(volunteer)).first { ScoringTotals(minutes: $0.int64(0), records: Int($0.int64(1)), points: $0.int64(2)) } ?? .zero
    }

    /// The same over the records of the household's members now and the household's own assessments (no volunteer). A
    /// member who moved out takes their records with them, though under `earn_to = "household"` their points stay in this
    /// household's account (docs/scoring.md: a household's totals are those of its members now).
    public func totals(ofHousehold household: String) throws -> ScoringTotals {
        try store.database.statement("""
            SELECT coalesce(sum(minutes), 0), coalesce(sum(counted), 0), coalesce(sum(award), 0) FROM (
                SELECT s.record, \(Self.totalsColumns) FROM records r JOIN record_scores s ON s.record = r.number
                WHERE r.volunteer IN (SELECT id FROM volunteers WHERE household = ?1)
                UNION
                SELECT s.record, \(Self.totalsColumns) FROM record_scores s JOIN records r ON r.number = s.record
                WHERE s.account = 'household:' || ?1 AND r.volunteer IS NULL)
            """).bind(.text(household)).first { ScoringTotals(minutes: $0.int64(0), records: Int($0.int64(1)), points: $0.int64(2)) } ?? .zero
    }

    /// A posted score `s` as totals count it: `minutes` and `counted` (1 or 0) when the record stands, `award` when its
    /// award entry is not reversed.
    static let totalsColumns = """
        CASE WHEN \(WithdrawnRecordsSQL.stands("s")) THEN s.minutes_counted ELSE 0 END AS minutes,
        CASE WHEN \(WithdrawnRecordsSQL.stands("s")) THEN 1 ELSE 0 END AS counted,
        CASE WHEN s.award_entry IS NOT NULL AND \(ReportSupport.notReversed("s.award_entry")) THEN s.award ELSE 0 END AS award
        """
}
