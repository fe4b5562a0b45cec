/// The result of scoring a batch of records: one `RecordScore` per record in canonical order, the
/// explanation steps, and what is needed to explain them (the records and the policy versions).
public struct ScoringRun: Sendable {
    /// The records as given (scores refer to them by index).
    public let records: [Record]
    /// One score per record, in canonical order.
    public let scores: [RecordScore]
    /// The explanation steps of every record, each record's a contiguous range.
    public let steps: [ScoreStep]
    /// Why a rule could not be evaluated, by the index of its `ruleFailed` step.
    public let failures: [Int: ExpressionEvaluationError]
    /// The accounts points go to (`RecordScore.accountIndex` refers to them).
    public let accounts: [AccountID]
    public let timeline: PolicyTimeline
    public let community: CommunityDirectory?
    /// Once-only bonuses granted in the run, by record index: the bonus indexes in the record's version.
    let onceBonusGrants: [Int: [Int32]]

    init(records: [Record], scores: [RecordScore], steps: [ScoreStep], failures: [Int: ExpressionEvaluationError],
         accounts: [AccountID], timeline: PolicyTimeline, community: CommunityDirectory?,
         onceBonusGrants: [(recordIndex: Int, bonus: Int32)]) {
        self.records = records
        self.scores = scores
        self.steps = steps
        self.failures = failures
        self.accounts = accounts
        self.timeline = timeline
        self.community = community
        var grants: [Int: [Int32]] = [:]
        for grant in onceBonusGrants { grants[grant.recordIndex, default: []].append(grant.bonus) }
        self.onceBonusGrants = grants
    }

    /// The record a score is of.
    public func record(of score: RecordScore) -> Record { records[score.recordIndex] }

    /// Where a record's points go: the volunteer's account, or a household's under `earn_to = "household"`.
    public func account(of score: RecordScore) -> AccountID? {
        score.accountIndex >= 0 ? accounts[Int(score.accountIndex)] : nil
    }

    /// The policy version that scored a record.
    public func version(of score: RecordScore) -> PolicyTimeline.Version? {
        score.versionIndex.map { timeline.versions[$0] }
    }

    /// The once-only bonuses this record received (known also when explanations were not kept).
    public func bonusesApplied(_ score: RecordScore) -> [PolicyBonus] {
        guard let version = version(of: score) else { return [] }
        return (onceBonusGrants[score.recordIndex] ?? []).map { version.policy.bonuses[Int($0)] }
    }

    /// Who holds once-only bonuses for a record: its volunteer, or the household it assesses.
    public func holder(of score: RecordScore) -> AccountID {
        let record = records[score.recordIndex]
        if let volunteer = record.volunteer { return .volunteer(volunteer) }
        if case .assessment(let assessment) = record, let household = assessment.household { return .household(household) }
        return .volunteer("")
    }

    /// The ids of the rules that acted on a record (`multipliers.weekend`, `bonuses.first_service`,
    /// `caps.daily`, ...), in the order they acted. Needs explanations (`ScoringOptions.explain`).
    public func rulesApplied(_ score: RecordScore) -> [String] {
        explanation(of: score).filter(\.applied).map(\.rule)
    }

    /// Totals of net points (`award - deduction`) grouped by `key`, largest key first in byte order.
    public func totals(by key: (RecordScore) -> String) -> [ScoreTotal] {
        var totals: [String: ScoreTotal] = [:]
        for score in scores where score.status == .scored {
            let name = key(score)
            var total = totals[name] ?? ScoreTotal(key: name)
            total.add(score)
            totals[name] = total
        }
        return totals.values.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// Totals per account (`volunteer:V1`, or `household:H1` under `earn_to = "household"`).
    public var totalsByAccount: [ScoreTotal] { totals { account(of: $0)?.description ?? "" } }

    /// Totals per category of service, and per indicator (`indicator:ID`) for assessments.
    public var totalsByCategory: [ScoreTotal] { totals { Self.categoryKey(of: records[$0.recordIndex]) } }

    /// The category of a service record, or `indicator:ID` for an assessment.
    public static func categoryKey(of record: Record) -> String {
        switch record {
        case .service(let service): service.category
        case .assessment(let assessment): "indicator:" + assessment.indicator
        }
    }

    /// Totals over every scored record.
    public var total: ScoreTotal {
        var total = ScoreTotal(key: "total")
        for score in scores where score.status == .scored { total.add(score) }
        return total
    }

    /// How many records ended in each status.
    public func count(_ status: RecordScore.Status) -> Int { scores.reduce(0) { $0 + ($1.status == status ? 1 : 0) } }
}

/// Points summed over a group of scored records (hundredths).
public struct ScoreTotal: Sendable, Hashable {
    public var key: String
    public var records = 0
    public var minutes = 0
    public var earned: Int64 = 0
    public var award: Int64 = 0
    public var capped: Int64 = 0
    public var deduction: Int64 = 0
    public var shortfall: Int64 = 0

    public init(key: String) {
        self.key = key
    }

    /// Awards less deductions, in hundredths.
    public var net: Int64 { award - deduction }

    mutating func add(_ score: RecordScore) {
        records += 1
        minutes += score.minutesCounted
        earned += score.earned
        award += score.award
        capped += score.capped
        deduction += score.deduction
        shortfall += score.shortfall
    }
}
