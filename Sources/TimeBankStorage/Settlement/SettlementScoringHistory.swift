import TimeBankCore

/// The scorer's history during one settlement's posting step: each question is asked of the store once, then
/// answered from memory, kept up to date with what each chunk posts (`note`). Every answer equals what
/// `StoreScoringHistory` would read at the start of the next chunk, as long as nothing else awards points,
/// reverses awards or posts records meanwhile: the posting step calls `forget()` when another connection has
/// committed anything since its last chunk (a manual award, a reversal, `post-records`), and a run resumed after
/// a kill reads the store afresh. Balances are always read from the store: stations may spend points between chunks.
///
/// Without it, the history of a volunteer who has a record in every chunk is read again for every chunk.
final class SettlementScoringHistory: ScoringHistory {
    private let store: StoreScoringHistory
    private let householdOf: [String: String]
    private struct Window: Hashable { var account: AccountID; var start: LocalDate; var end: LocalDate }
    private struct CategoryWindow: Hashable { var window: Window; var category: String }
    private var awarded: [Window: Int64] = [:]
    private var windowsOf: [AccountID: [Window]] = [:]
    private var categoryAwarded: [CategoryWindow: Int64] = [:]
    private var categoryWindowsOf: [AccountID: [CategoryWindow]] = [:]
    private var bonuses: [String: Bool] = [:]
    private var assessments: [String: Bool] = [:]
    private var volunteerTotals: [String: ScoringTotals] = [:]
    private var householdTotals: [String: ScoringTotals] = [:]

    init(store: TimeBankStore, community: CommunityDirectory) {
        self.store = StoreScoringHistory(store: store)
        var householdOf: [String: String] = [:]
        for (id, volunteer) in community.volunteersByID { if let household = volunteer.household { householdOf[id] = household } }
        self.householdOf = householdOf
    }

    func awardedPoints(to account: AccountID, in window: ScoringWindow) throws -> Int64 {
        let key = Window(account: account, start: window.start, end: window.end)
        if let known = awarded[key] { return known }
        let value = try store.awardedPoints(to: account, in: window)
        awarded[key] = value
        windowsOf[account, default: []].append(key)
        return value
    }

    func awardedPoints(to account: AccountID, category: String, in window: ScoringWindow) throws -> Int64 {
        let key = CategoryWindow(window: Window(account: account, start: window.start, end: window.end), category: category)
        if let known = categoryAwarded[key] { return known }
        let value = try store.awardedPoints(to: account, category: category, in: window)
        categoryAwarded[key] = value
        categoryWindowsOf[account, default: []].append(key)
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

    /// Drops every answer kept: the next questions are asked of the store again.
    func forget() {
        awarded.removeAll()
        windowsOf.removeAll()
        categoryAwarded.removeAll()
        categoryWindowsOf.removeAll()
        bonuses.removeAll()
        assessments.removeAll()
        volunteerTotals.removeAll()
        householdTotals.removeAll()
    }

    /// Adds what posting `run` wrote, as the store's queries would count it: the award entry of each scored
    /// record (`award_days`) and its `record_scores` row (category awards, bonuses, assessments, totals).
    func note(_ run: ScoringRun) {
        for score in run.scores where score.status == .scored {
            guard let account = run.account(of: score) else { continue }
            let record = run.record(of: score)
            let date = record.date
            if score.award > 0 {
                for window in windowsOf[account] ?? [] where window.start <= date && date < window.end {
                    awarded[window, default: 0] += score.award
                }
            }
            var category: String?, indicator: String?, period: String?
            switch record {
            case .service(let service): category = service.category
            case .assessment(let assessment):
                indicator = assessment.indicator
                period = assessment.period.label
            }
            if let category {
                for key in categoryWindowsOf[account] ?? [] where key.category == category && key.window.start <= date && date < key.window.end {
                    categoryAwarded[key, default: 0] += score.award
                }
            }
            let holder = run.holder(of: score).description
            for bonus in run.bonusesApplied(score) { bonuses[bonus.id + "\u{1F}" + holder] = true }
            if let indicator, let period { assessments[indicator + "\u{1F}" + account.description + "\u{1F}" + period] = true }
            func add(_ totals: inout ScoringTotals) {
                totals.minutes += Int64(score.minutesCounted)
                totals.records += 1
                totals.points += score.award
            }
            let volunteer = record.volunteer
            if let volunteer, volunteerTotals[volunteer] != nil { add(&volunteerTotals[volunteer]!) }
            // A household's totals count its members' records and the records earned to its account.
            let memberOf = volunteer.flatMap { householdOf[$0] }
            let earnedTo = account.kind == .household ? account.owner : nil
            for household in Set([memberOf, earnedTo].compactMap { $0 }) where householdTotals[household] != nil {
                add(&householdTotals[household]!)
            }
        }
    }
}
