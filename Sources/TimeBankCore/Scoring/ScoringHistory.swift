/// What the scorer needs to know about points already posted: the awards in each cap window,
/// once-only bonuses received, indicators assessed, balances and totals. `score` without a
/// database uses `EmptyScoringHistory`; with a database the store answers from the ledger.
///
/// Amounts are hundredths of a point. Every method may be called many times; an implementation
/// backed by storage should answer each question with one indexed query.
public protocol ScoringHistory {
    /// Points awarded (kind `award`, after caps) to `account` on the days of `window`.
    func awardedPoints(to account: AccountID, in window: ScoringWindow) throws -> Int64
    /// Points awarded to `account` for records of `category` on the days of `window` (category caps).
    func awardedPoints(to account: AccountID, category: String, in window: ScoringWindow) throws -> Int64
    /// Whether `holder` (a volunteer, or a household assessed without a volunteer) received the once-only bonus.
    func hasReceivedBonus(_ bonus: String, holder: AccountID) throws -> Bool
    /// Whether `indicator` was assessed (met or broken) for `account` in `period` already.
    func hasAssessment(indicator: String, account: AccountID, period: ScoringWindow) throws -> Bool
    /// The account's balance now.
    func balance(of account: AccountID) throws -> Int64
    /// Points of the account's balance that cannot be spent on `date`: lots that expired by then (a lot expiring on D
    /// is usable before D) which the nightly expiry has not taken yet. A penalty dated `date` cannot take them.
    func expiredPoints(of account: AccountID, on date: LocalDate) throws -> Int64
    /// Minutes served, records accepted and points awarded so far by a volunteer (`volunteer.hours_total` ...).
    func totals(ofVolunteer volunteer: String) throws -> ScoringTotals
    /// The same, summed over a household's members, points including the household's own account.
    func totals(ofHousehold household: String) throws -> ScoringTotals
}

/// Minutes, records and points so far, for `volunteer.*_total`, `household.*_total` and levels.
public struct ScoringTotals: Sendable, Hashable {
    public var minutes: Int64
    public var records: Int
    /// Hundredths.
    public var points: Int64

    public init(minutes: Int64 = 0, records: Int = 0, points: Int64 = 0) {
        self.minutes = minutes
        self.records = records
        self.points = points
    }

    public static let zero = ScoringTotals()
}

/// No history: nothing posted yet, every balance 0. What a dry run without a database uses.
public struct EmptyScoringHistory: ScoringHistory, Sendable, Hashable {
    public init() {}
    public func awardedPoints(to account: AccountID, in window: ScoringWindow) -> Int64 { 0 }
    public func awardedPoints(to account: AccountID, category: String, in window: ScoringWindow) -> Int64 { 0 }
    public func hasReceivedBonus(_ bonus: String, holder: AccountID) -> Bool { false }
    public func hasAssessment(indicator: String, account: AccountID, period: ScoringWindow) -> Bool { false }
    public func balance(of account: AccountID) -> Int64 { 0 }
    public func expiredPoints(of account: AccountID, on date: LocalDate) -> Int64 { 0 }
    public func totals(ofVolunteer volunteer: String) -> ScoringTotals { .zero }
    public func totals(ofHousehold household: String) -> ScoringTotals { .zero }
}

/// A history kept in memory: awards, bonuses, assessments and balances given as values. For tests,
/// `policy test` cases with a history, and for scoring one batch after another without a database.
///
///     var history = InMemoryScoringHistory()
///     history.recordAward(to: .volunteer("V1"), on: LocalDate("2026-10-03")!, category: "orange", points: 5000)
///     try Scorer(timeline: timeline).score(records, history: history)   // the daily cap has 10 points left
public struct InMemoryScoringHistory: ScoringHistory, Sendable {
    /// One posted award.
    public struct Award: Sendable, Hashable {
        public var account: AccountID
        public var date: LocalDate
        public var category: String?
        public var points: Int64
    }

    public private(set) var awards: [Award] = []
    public var bonusesReceived: Set<BonusReceipt> = []
    public var assessments: Set<AssessmentMark> = []
    public var balances: [AccountID: Int64] = [:]
    public var volunteerTotals: [String: ScoringTotals] = [:]
    public var householdTotals: [String: ScoringTotals] = [:]

    /// A once-only bonus some holder received.
    public struct BonusReceipt: Sendable, Hashable {
        public var bonus: String
        public var holder: AccountID
        public init(bonus: String, holder: AccountID) {
            self.bonus = bonus
            self.holder = holder
        }
    }

    /// An indicator assessed for an account in a period.
    public struct AssessmentMark: Sendable, Hashable {
        public var indicator: String
        public var account: AccountID
        public var period: ScoringWindow
        public init(indicator: String, account: AccountID, period: ScoringWindow) {
            self.indicator = indicator
            self.account = account
            self.period = period
        }
    }

    public init() {}

    /// Adds an award; the balance rises by the same amount.
    public mutating func recordAward(to account: AccountID, on date: LocalDate, category: String? = nil, points: Int64) {
        awards.append(Award(account: account, date: date, category: category, points: points))
        balances[account, default: 0] += points
    }

    /// Adds what a scoring run posted: awards, deductions, bonuses and assessments, so that the
    /// next run continues where this one ended.
    public mutating func record(_ run: ScoringRun) {
        for score in run.scores where score.status == .scored {
            guard let account = run.account(of: score) else { continue }
            let record = run.records[score.recordIndex]
            if case .service(let service) = record, score.award > 0 {
                awards.append(Award(account: account, date: record.date, category: service.category, points: score.award))
            } else if score.award > 0 {
                awards.append(Award(account: account, date: record.date, category: nil, points: score.award))
            }
            balances[account, default: 0] += score.award - score.deduction
            for bonus in run.bonusesApplied(score) where bonus.once {
                bonusesReceived.insert(BonusReceipt(bonus: bonus.id, holder: run.holder(of: score)))
            }
            if case .assessment(let assessment) = record {
                assessments.insert(AssessmentMark(indicator: assessment.indicator, account: account, period: assessment.period))
            }
            if let volunteer = record.volunteer {
                volunteerTotals[volunteer, default: .zero].minutes += Int64(score.minutesCounted)
                volunteerTotals[volunteer, default: .zero].records += 1
                volunteerTotals[volunteer, default: .zero].points += score.award
            }
        }
    }

    public func awardedPoints(to account: AccountID, in window: ScoringWindow) -> Int64 {
        awards.reduce(0) { $0 + ($1.account == account && window.contains($1.date) ? $1.points : 0) }
    }

    public func awardedPoints(to account: AccountID, category: String, in window: ScoringWindow) -> Int64 {
        awards.reduce(0) { $0 + ($1.account == account && $1.category == category && window.contains($1.date) ? $1.points : 0) }
    }

    public func hasReceivedBonus(_ bonus: String, holder: AccountID) -> Bool {
        bonusesReceived.contains(BonusReceipt(bonus: bonus, holder: holder))
    }

    public func hasAssessment(indicator: String, account: AccountID, period: ScoringWindow) -> Bool {
        assessments.contains(AssessmentMark(indicator: indicator, account: account, period: period))
    }

    public func balance(of account: AccountID) -> Int64 { balances[account] ?? 0 }
    /// In memory, balances have no lots: nothing is expired.
    public func expiredPoints(of account: AccountID, on date: LocalDate) -> Int64 { 0 }
    public func totals(ofVolunteer volunteer: String) -> ScoringTotals { volunteerTotals[volunteer] ?? .zero }
    public func totals(ofHousehold household: String) -> ScoringTotals { householdTotals[household] ?? .zero }
}
