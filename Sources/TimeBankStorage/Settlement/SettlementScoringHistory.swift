import TimeBankCore

/// The scorer's history during one chunk of a settlement's posting step: each question is asked of the store once,
/// then answered from memory. Made afresh for every chunk, inside its write transaction, so every answer is what
/// `StoreScoringHistory` reads then, and nothing the chunk posts is asked about again: the queue is household by
/// household, and a record's questions (its account's caps, its holder's bonuses, its volunteer's and household's
/// totals) are about its own household. Balances are always read from the store.
///
/// Without it, a volunteer's cap windows would be read again for each of their records.
final class SettlementScoringHistory: ScoringHistory {
    private let store: StoreScoringHistory
    private struct Window: Hashable { var account: AccountID; var start: LocalDate; var end: LocalDate }
    private struct CategoryWindow: Hashable { var window: Window; var category: String }
    private var awarded: [Window: Int64] = [:]
    private var categoryAwarded: [CategoryWindow: Int64] = [:]
    private var bonuses: [String: Bool] = [:]
    private var assessments: [String: Bool] = [:]
    private var volunteerTotals: [String: ScoringTotals] = [:]
    private var householdTotals: [String: ScoringTotals] = [:]

    init(store: TimeBankStore) {
        self.store = StoreScoringHistory(store: store)
    }

    func awardedPoints(to account: AccountID, in window: ScoringWindow) throws -> Int64 {
        let key = Window(account: account, start: window.start, end: window.end)
        if let known = awarded[key] { return known }
        let value = try store.awardedPoints(to: account, in: window)
        awarded[key] = value
        return value
    }

    func awardedPoints(to account: AccountID, category: String, in window: ScoringWindow) throws -> Int64 {
        let key = CategoryWindow(window: Window(account: account, start: window.start, end: window.end), category: category)
        if let known = categoryAwarded[key] { return known }
        let value = try store.awardedPoints(to: account, category: category, in: window)
        categoryAwarded[key] = value
        return value
    }

    func hasReceivedBonus(_ bonus: String, holder: AccountID) throws -> Bool {
        let key = bonus + "\u{1F}" + holder.description
        if let known = bonuses[key] { return known }
        let value = try store.hasReceivedBonus(bonus, holder: holder)
        bonuses[key] = value
        return value
    }

    func hasAssessment(indicator: String, account: AccountID, period: ScoringWindow) throws -> Bool {
        let key = indicator + "\u{1F}" + account.description + "\u{1F}" + period.label
        if let known = assessments[key] { return known }
        let value = try store.hasAssessment(indicator: indicator, account: account, period: period)
        assessments[key] = value
        return value
    }

    func balance(of account: AccountID) throws -> Int64 { try store.balance(of: account) }

    func expiredPoints(of account: AccountID, on date: LocalDate) throws -> Int64 { try store.expiredPoints(of: account, on: date) }

    func totals(ofVolunteer volunteer: String) throws -> ScoringTotals {
        if let known = volunteerTotals[volunteer] { return known }
        let value = try store.totals(ofVolunteer: volunteer)
        volunteerTotals[volunteer] = value
        return value
    }

    func totals(ofHousehold household: String) throws -> ScoringTotals {
        if let known = householdTotals[household] { return known }
        let value = try store.totals(ofHousehold: household)
        householdTotals[household] = value
        return value
    }
}
