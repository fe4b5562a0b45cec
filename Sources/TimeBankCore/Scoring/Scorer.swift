/// Turns service records and assessments into points by the policy version in force on each
/// record's date, exactly and the same every time, with a step-by-step explanation
/// (`docs/scoring.md` states the algorithm and its worked examples).
///
///     let scorer = Scorer(timeline: PolicyTimeline([.init(label: "config/policy.toml", policy: policy)]))
///     let run = try scorer.score(records)                  // no database: an empty history
///     run.scores[0].award                                  // 2650 (26.50 points)
///     run.explanationText(of: run.scores[0])               // ["policy: ...", "categories.orange: 90 min × 12 ...", ...]
///
/// Records are scored in the canonical order (service date, start time, record id), so the
/// result does not depend on the order they arrive in. Caps count the awards already posted in
/// each window (from `history`) and those of the records scored before in the same run.
///
/// The scorer is pure: it reads only its arguments. Each policy version is compiled once when
/// the scorer is made.
public struct Scorer: Sendable {
    public let timeline: PolicyTimeline
    /// Volunteers, households and stations for `volunteer.*` and `household.*`; nil: only ids are known.
    public let community: CommunityDirectory?
    public var options: ScoringOptions
    let compiled: [CompiledScoringPolicy]

    /// Compiles every version of `timeline` for scoring.
    public init(timeline: PolicyTimeline, community: CommunityDirectory? = nil, options: ScoringOptions = ScoringOptions()) {
        self.timeline = timeline
        self.community = community
        self.options = options
        self.compiled = timeline.versions.enumerated().map { CompiledScoringPolicy($0.element, index: $0.offset) }
    }

    /// Scores `records` against `history`. Throws only what `history` throws; every problem of a
    /// record (no policy, no verifier, a rule that fails to evaluate) is part of its result.
    /// - Complexity: O(n log n) for n records out of canonical order, O(n) when they are in it.
    public func score(_ records: [Record], history: any ScoringHistory = EmptyScoringHistory()) throws -> ScoringRun {
        let order = Self.canonicalOrder(records)
        var session = ScoringSession(scorer: self, history: history, expectedRecords: records.count)
        var scores: [RecordScore] = []
        scores.reserveCapacity(records.count)
        for index in order {
            scores.append(try session.score(records[index], index: index))
        }
        return ScoringRun(records: records, scores: scores, steps: session.steps, failures: session.failures,
                          accounts: session.accounts, timeline: timeline, community: community,
                          onceBonusGrants: session.onceBonusGrants)
    }

    /// The indexes of `records` in the canonical order: service date, start time (none before
    /// 00:00), record id, source.
    public static func canonicalOrder(_ records: [Record]) -> [Int] {
        // Date and start time are packed in one integer; ids are compared only where those tie.
        // Each record is read once (its facts copied out once), which matters for a million of them.
        var isSorted = true
        var previous: (key: Int64, id: String, source: String) = (.min, "", "")
        for index in records.indices {
            let facts = records[index].orderFacts
            if index > 0, facts.key < previous.key || (facts.key == previous.key
                && Self.bytesPrecede((facts.id, facts.source), (previous.id, previous.source))) {
                isSorted = false
                break
            }
            previous = facts
        }
        if isSorted { return Array(records.indices) }
        var keys: [(key: Int64, id: String, source: String, index: Int)] = []
        keys.reserveCapacity(records.count)
        for index in records.indices {
            let facts = records[index].orderFacts
            keys.append((facts.key, facts.id, facts.source, index))
        }
        keys.sort { $0.key != $1.key ? $0.key < $1.key : Self.bytesPrecede(($0.id, $0.source), ($1.id, $1.source)) }
        return keys.map(\.index)
    }

    /// Whether (id, source) comes first, comparing UTF-8 bytes.
    private static func bytesPrecede(_ lhs: (String, String), _ rhs: (String, String)) -> Bool {
        if lhs.0 != rhs.0 { return Record.bytesPrecede(lhs.0, rhs.0) }
        return Record.bytesPrecede(lhs.1, rhs.1)
    }
}

/// How much a run keeps.
public struct ScoringOptions: Sendable, Hashable {
    /// Keep each record's explanation steps. On by default; `whatif` and benchmarks that need only
    /// the amounts turn it off (the amounts are the same either way).
    public var explain: Bool

    public init(explain: Bool = true) {
        self.explain = explain
    }
}

/// The state of one run: running totals per account and window, bonuses received, assessments
/// made, balances, remembered rule outcomes, and the explanation steps written so far.
/// A struct with mutating methods rather than a class: its state is checked for exclusive access
/// when compiled, not on every access while scoring.
struct ScoringSession {
    let scorer: Scorer
    let compiled: [CompiledScoringPolicy]
    let history: any ScoringHistory
    let explain: Bool
    var steps: [ScoreStep] = []
    var failures: [Int: ExpressionEvaluationError] = [:]
    /// Errors of rules that could not be evaluated, referred to by `RuleHit`s.
    var ruleErrors: [ExpressionEvaluationError] = []
    /// Once-only bonuses granted in this run: (record index, bonus index), kept even without explanations.
    var onceBonusGrants: [(recordIndex: Int, bonus: Int32)] = []

    /// Volunteers (or households assessed without a volunteer) by key, and their state.
    private var holderIndexByKey: [String: Int] = [:]
    private var holders: [HolderState] = []
    /// What every record reads of its holder, kept apart and small.
    private var links: [HolderLinks] = []
    private var earnerIndexByAccount: [AccountID: Int] = [:]
    private var earners: [EarnerState] = []
    /// Category and indicator ids numbered across versions, so that totals survive a version switch.
    private var categoryNumbers: [String: Int] = [:]
    private var categoryIDs: [String] = []
    /// By category number: whether some version caps the category, so that its totals are kept.
    private var categoryCapped: [Bool] = []
    private let cappedCategories: Set<String>
    /// Per version: bonus index -> run-wide bonus number.
    private let bonusNumbersByVersion: [[Int]]
    /// The accounts points go to, referred to by `RecordScore.accountIndex`.
    var accounts: [AccountID] = []
    /// Per version: the version's category index -> the run-wide category number.
    private var categoryNumbersByVersion: [[Int]] = []
    private var indicatorNumbers: [String: Int] = [:]
    private var bonusNumbers: [String: Int]
    private var householdTotals: [String: ScoringTotals] = [:]
    /// Per version: the rule outcomes remembered by the facts the rules read.
    private var rememberedHitsByVersion: [[RecordFactKey: [RuleHit]]]
    private var lastHits: (version: Int, key: RecordFactKey, hits: [RuleHit])?
    private var tagLists: [[String]: Int32] = [:]
    private var stationNumbers: [String: Int32] = [:]
    private var verifierNumbers: [String: Int32] = [:]
    /// Whether any version reads totals, so that they must be kept up to date.
    private let keepsTotals: Bool

    /// The most rule outcomes remembered per version; beyond it, rules are evaluated every time.
    static let rememberedOutcomesMaximum = 100_000

    init(scorer: Scorer, history: any ScoringHistory, expectedRecords: Int) {
        self.scorer = scorer
        self.compiled = scorer.compiled
        self.history = history
        self.explain = scorer.options.explain
        self.keepsTotals = scorer.compiled.contains(where: \.needsTotals)
        var capped = Set<String>()
        for policy in scorer.compiled {
            for category in policy.policy.categories where category.dailyCap != nil || category.monthlyCap != nil { capped.insert(category.id) }
        }
        self.cappedCategories = capped
        var bonusNumbers: [String: Int] = [:]
        self.bonusNumbersByVersion = scorer.compiled.map { policy in
            policy.policy.bonuses.map { bonus in Self.number(of: bonus.id, in: &bonusNumbers) }
        }
        self.bonusNumbers = bonusNumbers
        self.rememberedHitsByVersion = Array(repeating: [:], count: scorer.compiled.count)
        for policy in scorer.compiled {
            var numbers: [Int] = []
            for category in policy.policy.categories { numbers.append(categoryNumber(category.id)) }
            categoryNumbersByVersion.append(numbers)
        }
        if explain { steps.reserveCapacity(expectedRecords * 6) }
    }

    // MARK: A record

    /// Scores one record; its steps are `result.steps`.
    mutating func score(_ record: Record, index: Int) throws -> RecordScore {
        let firstStep = steps.count
        var result = RecordScore(recordIndex: index, firstStep: firstStep)
        switch record {
        case .service(let service): try scoreService(service, into: &result)
        case .assessment(let assessment): try scoreAssessment(assessment, into: &result)
        }
        result.steps = firstStep..<steps.count
        return result
    }

    /// What both kinds of record do first: the version in force on the date (`noPolicy` without one), the
    /// account that earns (`account` when it is not the volunteer's own), and the verifier the version may
    /// require (`pending` without one). Nil when the record stops there.
    private mutating func opening(_ result: inout RecordScore, date: LocalDate, volunteer: String?, household: String?,
                                  verifier: String?) -> (version: Int, policy: CompiledScoringPolicy, holder: Int, earner: Int)? {
        guard let versionIndex = scorer.timeline.index(inForceOn: date) else {
            result.status = .noPolicy
            step(.noPolicy, rule: -1)
            return nil
        }
        let policy = compiled[versionIndex]
        result.versionIndex = versionIndex
        step(.policy, rule: Int32(versionIndex))
        let holder = holderIndex(volunteer: volunteer, household: household)
        let earner = earnerIndex(holder: holder, policy: policy)
        result.accountIndex = Int32(earner)
        if volunteer == nil || policy.earnsToHousehold { step(.account, rule: -1) }
        if policy.requireVerifier, verifier == nil {
            result.status = .pending
            step(.pending, rule: -1)
            return nil
        }
        return (versionIndex, policy, holder, earner)
    }

    // MARK: A service record

    /// Steps 1 to 5 for a service record.
    private mutating func scoreService(_ record: ServiceRecord, into result: inout RecordScore) throws {
        let index = result.recordIndex
        let date = record.date
        guard let (versionIndex, policy, holder, earner) = opening(&result, date: date, volunteer: record.volunteer, household: nil,
                                                                   verifier: record.verifier) else { return }

        let categoryIndex = policy.categoryIndex(of: record.category)
        let categoryNumber = categoryIndex >= 0 ? categoryNumbersByVersion[versionIndex][categoryIndex] : self.categoryNumber(record.category)
        let day = ScoringDay(date)
        var hits = rememberedHits(policy, factKey(record, facts: policy.rememberedFacts, categoryNumber: categoryNumber, day: day.number))
        if hits == nil {
            let context = policy.needsContext ? try self.context(record, holder: holder, policy: policy) : nil
            hits = evaluate(policy, categoryIndex: categoryIndex, context: context)
            remember(hits!, policy, factKey(record, facts: policy.rememberedFacts, categoryNumber: categoryNumber, day: day.number))
        }
        let ruleHits = hits!
        // Checked before anything is earned, so that a record found too large has used no cap and no once-only bonus.
        guard let deductions = Self.deductionTotal(policy, hits: ruleHits, extra: 0) else { return tooLarge(&result) }

        if categoryIndex < 0 { step(.undeclared, rule: -1) }
        var minutes = record.minutes
        if minutes > policy.maxMinutes {
            step(.minutesCut, rule: -1, detail: Int64(minutes))
            minutes = policy.maxMinutes
        }
        if minutes < policy.minMinutes {
            step(.belowMinimum, rule: -1, detail: Int64(minutes))
        } else if categoryIndex >= 0 {
            result.minutesCounted = minutes
            let rate = policy.rates[categoryIndex], fastRate = policy.fastRates[categoryIndex]
            var earned = try earning(FixedDecimal.self, policy, hits: ruleHits, holder: holder, recordIndex: index,
                                     base: { FixedDecimal.make(rate, fast: fastRate)?.times(FixedDecimal.integer(minutes)) },
                                     baseStep: (.base, Int32(categoryIndex), Int64(minutes)), multiply: true)
            if earned == nil {
                earned = try earning(ExactDecimal.self, policy, hits: ruleHits, holder: holder, recordIndex: index,
                                     base: { try? rate.multiplied(by: ExactDecimal(minutes)) },
                                     baseStep: (.base, Int32(categoryIndex), Int64(minutes)), multiply: true)
            }
            guard let earned, earned <= Hundredths.maximumMagnitude else { return tooLarge(&result) }
            result.earned = earned
            result.award = try applyCaps(policy, earner: earner, categoryIndex: categoryIndex, categoryNumber: categoryNumber,
                                         day: day, earned: result.earned)
            try addAward(result.award, earner: earner, categoryNumber: categoryNumber, day: day)
        }
        try applyDeductions(policy, hits: ruleHits, total: deductions, extra: 0, extraRule: -1, earner: earner, date: date, result: &result)
        if keepsTotals { try addTotals(holder: holder, minutes: result.minutesCounted, award: result.award) }
    }

    /// The record's points cannot be computed or are beyond the ledger's largest amount: no points, no caps used, no
    /// once-only bonus spent, and (an assessment) the period not marked assessed; the record waits for a corrected policy
    /// (`RecordScore.Status.tooLarge`).
    private mutating func tooLarge(_ result: inout RecordScore, unassessing assessed: AssessedKey? = nil, earner: Int = 0) {
        if let assessed { earners[earner].assessed.remove(assessed) }
        result.status = .tooLarge
        result.earned = 0
        result.award = 0
        result.deduction = 0
        result.shortfall = 0
        step(.tooLarge, rule: -1)
    }

    // MARK: An assessment

    /// Steps 1 to 5 for an assessment.
    private mutating func scoreAssessment(_ record: Assessment, into result: inout RecordScore) throws {
        let index = result.recordIndex
        let date = record.date
        guard let (_, policy, holder, earner) = opening(&result, date: date, volunteer: record.volunteer, household: record.household,
                                                        verifier: record.verifier) else { return }
        let day = ScoringDay(date)
        // An assessment that earns nothing here (an undeclared indicator, a period assessed before, `broken`) is still
        // posted, so it is a record accepted before the next one (`volunteer.records_total`) as the store counts it then.
        func earnsNothing(_ kind: ScoreStep.Kind, rule: Int32) throws {
            step(kind, rule: rule)
            if keepsTotals { try addTotals(holder: holder, minutes: 0, award: 0) }
        }
        guard let indicatorIndex = policy.indicatorIndexByID[record.indicator] else {
            // A checked file never lets this through; scoring it gives nothing rather than a guess.
            return try earnsNothing(.undeclared, rule: -1)
        }
        let indicatorNumber = Self.number(of: record.indicator, in: &indicatorNumbers)
        let assessed = AssessedKey(indicator: indicatorNumber, periodStart: record.period.start.daysSinceEpoch,
                                   periodLength: record.period.period.lengthRank)
        let assessedBefore = try earners[earner].assessed.contains(assessed)
            || history.hasAssessment(indicator: record.indicator, account: earners[earner].account, period: record.period)
        if assessedBefore { return try earnsNothing(.alreadyAssessed, rule: Int32(indicatorIndex)) }
        earners[earner].assessed.insert(assessed)
        guard record.result == .met else { return try earnsNothing(.indicatorNotMet, rule: Int32(indicatorIndex)) }
        var hits = rememberedHits(policy, factKey(record, facts: policy.rememberedFacts, indicatorNumber: indicatorNumber))
        if hits == nil {
            let context = policy.needsContext ? try self.context(record, holder: holder, policy: policy) : nil
            hits = evaluate(policy, categoryIndex: -1, context: context)
            remember(hits!, policy, factKey(record, facts: policy.rememberedFacts, indicatorNumber: indicatorNumber))
        }
        let ruleHits = hits!
        let points = policy.policy.indicators[indicatorIndex].points
        var deduction: Int64 = 0
        if points.isNegative {
            guard let value = try? points.negated().hundredths() else { return tooLarge(&result, unassessing: assessed, earner: earner) }
            deduction = value
        }
        // Checked before anything is earned, so that a record found too large has used no cap and no once-only bonus.
        guard let deductions = Self.deductionTotal(policy, hits: ruleHits, extra: deduction) else {
            return tooLarge(&result, unassessing: assessed, earner: earner)
        }
        if !points.isNegative {
            let sixty = ExactDecimal(60)
            var earned = try earning(FixedDecimal.self, policy, hits: ruleHits, holder: holder, recordIndex: index,
                                     base: { FixedDecimal(points)?.times(FixedDecimal.integer(60)) },
                                     baseStep: (.indicator, Int32(indicatorIndex), 0), multiply: false)
            if earned == nil {
                earned = try earning(ExactDecimal.self, policy, hits: ruleHits, holder: holder, recordIndex: index,
                                     base: { try? points.multiplied(by: sixty) },
                                     baseStep: (.indicator, Int32(indicatorIndex), 0), multiply: false)
            }
            guard let earned, earned <= Hundredths.maximumMagnitude else { return tooLarge(&result, unassessing: assessed, earner: earner) }
            result.earned = earned
            result.award = try applyCaps(policy, earner: earner, categoryIndex: -1, categoryNumber: -1, day: day, earned: result.earned)
            try addAward(result.award, earner: earner, categoryNumber: -1, day: day)
        }
        try applyDeductions(policy, hits: ruleHits, total: deductions, extra: deduction, extraRule: Int32(indicatorIndex), earner: earner,
                            date: date, result: &result)
        if keepsTotals { try addTotals(holder: holder, minutes: 0, award: result.award) }
    }

    // MARK: Steps

    @inline(__always)
    mutating func step(_ kind: ScoreStep.Kind, rule: Int32, detail: Int64 = 0, effect: ExactDecimal = .zero, running: ExactDecimal = .zero) {
        guard explain else { return }
        steps.append(ScoreStep(kind: kind, rule: rule, detail: detail, effectTimes60: effect, runningTimes60: running))
    }

    static func times60(_ hundredths: Int64) -> ExactDecimal {
        (try? ExactDecimal(hundredths: hundredths).multiplied(by: ExactDecimal(60))) ?? .zero
    }

    // MARK: Rules

    /// What every multiplier, bonus and penalty does for a record with these facts, when it is
    /// remembered: rules that read only facts of the record give the same outcome for the same facts.
    /// (The key is ignored when the rules read volunteer or household facts: nil then.)
    mutating func rememberedHits(_ policy: CompiledScoringPolicy, _ key: RecordFactKey) -> [RuleHit]? {
        if policy.rules.isEmpty { return [] }
        guard policy.allRulesReadRecordOnly else { return nil }
        // Records in canonical order often share their facts with the one before: no hashing then.
        if let last = lastHits, last.version == policy.versionIndex, last.key == key { return last.hits }
        guard let hits = rememberedHitsByVersion[policy.versionIndex][key] else { return nil }
        lastHits = (policy.versionIndex, key, hits)
        return hits
    }

    /// Remembers the outcome of the rules for records with these facts (up to a limit).
    mutating func remember(_ hits: [RuleHit], _ policy: CompiledScoringPolicy, _ key: RecordFactKey) {
        guard policy.allRulesReadRecordOnly, rememberedHitsByVersion[policy.versionIndex].count < Self.rememberedOutcomesMaximum else { return }
        rememberedHitsByVersion[policy.versionIndex][key] = hits
        lastHits = (policy.versionIndex, key, hits)
    }

    /// Tests every rule against one record.
    mutating func evaluate(_ policy: CompiledScoringPolicy, categoryIndex: Int, context: ExpressionContext?) -> [RuleHit] {
        var hits: [RuleHit] = []
        for rule in policy.rules where policy.allows(rule, categoryIndex: categoryIndex) {
            if let when = rule.when, let context {
                switch when.evaluateCondition(context) {
                case .success(false): continue
                case .success(true): break
                case .failure(let error):
                    ruleErrors.append(error)
                    hits.append(RuleHit(family: rule.family, rule: rule.index, outcome: .failed(errorIndex: ruleErrors.count - 1)))
                    continue
                }
            }
            let amount: ExactDecimal
            switch rule.amount {
            case .fixed(let value): amount = value
            case .computed(let expression):
                guard let context else { continue }
                switch expression.evaluateNumber(context) {
                case .success(let value): amount = value
                case .failure(let error):
                    ruleErrors.append(error)
                    hits.append(RuleHit(family: rule.family, rule: rule.index, outcome: .failed(errorIndex: ruleErrors.count - 1)))
                    continue
                }
            }
            let valid = rule.family == .penalty ? amount < .zero : amount > .zero
            hits.append(RuleHit(family: rule.family, rule: rule.index,
                                outcome: valid ? .applies(amount, rule.fixedAmount ?? FixedDecimal(amount)) : .invalid(amount)))
        }
        return hits
    }

    /// Writes the step of a rule that could not be applied, with the amount so far (which it leaves as it was).
    mutating func stepNotApplied(_ hit: RuleHit, running: @autoclosure () -> ExactDecimal) {
        guard explain else { return }
        switch hit.outcome {
        case .failed(let errorIndex):
            failures[steps.count] = ruleErrors[errorIndex]
            step(.ruleFailed, rule: hit.rule, detail: hit.family.rawValue, running: running())
        case .invalid(let amount):
            step(.ruleInvalidAmount, rule: hit.rule, detail: hit.family.rawValue, effect: amount, running: running())
        case .applies:
            break
        }
    }

    /// Steps 3 and 4 for an earning record: the base, the multipliers, the bonuses and the rounding,
    /// computed in `N`. Returns nil (and writes no step) when a value does not fit `N`.
    mutating func earning<N: ScoringNumber>(
        _: N.Type, _ policy: CompiledScoringPolicy, hits: [RuleHit], holder: Int, recordIndex: Int,
        base: () -> N?, baseStep: (kind: ScoreStep.Kind, rule: Int32, detail: Int64), multiply: Bool
    ) throws -> Int64? {
        let firstStep = steps.count
        func giveUp() -> Int64? {
            if explain {
                for index in firstStep..<steps.count { failures[index] = nil }
                steps.removeSubrange(firstStep...)
            }
            return nil
        }
        guard let base = base() else { return giveUp() }
        step(baseStep.kind, rule: baseStep.rule, detail: baseStep.detail, effect: explain ? base.exactValue : .zero,
             running: explain ? base.exactValue : .zero)
        var amount = base
        if multiply && policy.hasMultipliers {
            var combined: N?
            var factorCount = 0
            for hit in hits where hit.family == .multiplier {
                guard case .applies(let exact, let fast) = hit.outcome else { stepNotApplied(hit, running: amount.exactValue); continue }
                guard let factor = N.make(exact, fast: fast) else { return giveUp() }
                factorCount += 1
                switch policy.combination {
                case .max:
                    if let current = combined {
                        guard let less = current.isLess(than: factor) else { return giveUp() }
                        if less { combined = factor }
                    } else {
                        combined = factor
                    }
                case .product:
                    guard let product = (combined ?? N.one).times(factor) else { return giveUp() }
                    combined = product
                case .sum:
                    guard let extra = factor.minus(N.one), let sum = (combined ?? N.one).plus(extra) else { return giveUp() }
                    combined = sum
                }
                step(.multiplier, rule: hit.rule, effect: explain ? exact : .zero, running: explain ? amount.exactValue : .zero)
            }
            if var combined {
                // Under "sum", factors below 1 can add up to less than 0 (0.5 and 0.4: 1 − 0.5 − 0.6 = −0.1): a service then
                // earns nothing from its hours, never less (an award is never negative). The step keeps the sum and says so.
                let raw = combined
                var belowZero = false
                if policy.combination == .sum {
                    guard let negative = combined.isLess(than: N.integer(0)) else { return giveUp() }
                    if negative {
                        combined = N.integer(0)
                        belowZero = true
                    }
                }
                guard let product = amount.times(combined) else { return giveUp() }
                amount = product
                if explain {
                    if factorCount == 1 {
                        steps[steps.count - 1].runningTimes60 = amount.exactValue
                    } else {
                        step(.combinedFactor, rule: -1, detail: belowZero ? 1 : 0, effect: raw.exactValue, running: amount.exactValue)
                    }
                }
            }
        }
        var granted: [Int32] = []
        for hit in hits where hit.family == .bonus {
            guard case .applies(let exact, let fast) = hit.outcome else { stepNotApplied(hit, running: amount.exactValue); continue }
            if policy.bonusIsOnce[Int(hit.rule)] {
                let id = policy.policy.bonuses[Int(hit.rule)].id
                if try hasReceived(bonus: bonusNumbersByVersion[policy.versionIndex][Int(hit.rule)], id: id, holder: holder) {
                    step(.bonusAlreadyReceived, rule: hit.rule, running: explain ? amount.exactValue : .zero)
                    continue
                }
                granted.append(hit.rule)
            }
            guard let points = N.make(exact, fast: fast), let points60 = points.times(N.integer(60)),
                  let sum = amount.plus(points60) else { return giveUp() }
            amount = sum
            step(.bonus, rule: hit.rule, effect: explain ? points60.exactValue : .zero, running: explain ? amount.exactValue : .zero)
        }
        guard let step60 = N.make(policy.stepTimes60, fast: policy.fastStepTimes60),
              let rounded = amount.roundedToStep(step60, mode: policy.rounding),
              let earned = rounded.hundredthsOfSixtieth else { return giveUp() }
        // Beyond the ledger's largest amount: the caller marks the record too large; no once-only bonus is spent on it.
        guard earned <= Hundredths.maximumMagnitude else { return earned }
        if explain {
            let change = rounded.minus(amount).map(\.exactValue) ?? .zero
            step(.rounding, rule: -1, effect: change, running: rounded.exactValue)
        }
        for bonus in granted {
            markReceived(bonusNumbersByVersion[policy.versionIndex][Int(bonus)], holder: holder)
            onceBonusGrants.append((recordIndex, bonus))
        }
        return earned
    }

    /// The hundredths a matching penalty takes (a computed one rounded to 0.01 by the policy's mode): negative, or nil when
    /// it cannot be computed or is beyond the ledger's largest amount.
    static func penaltyHundredths(_ exact: ExactDecimal, _ fast: FixedDecimal?, rounding: ExactDecimal.RoundingMode) -> Int64? {
        let hundredths: Int64
        if let fast, fast.scale <= 2, let value = fast.aligned(to: 2) {
            hundredths = value
        } else {
            guard let rounded = try? exact.rounded(toStep: ExactDecimal(hundredths: 1), mode: rounding),
                  let value = try? rounded.hundredths() else { return nil }
            hundredths = value
        }
        return hundredths.magnitude <= UInt64(Hundredths.maximumMagnitude) ? hundredths : nil
    }

    /// What a record's penalties take in all, with `extra` (a deduction indicator's points, ≥ 0); nil when a penalty cannot
    /// be computed or the total is beyond the ledger's largest amount (the record is then too large).
    static func deductionTotal(_ policy: CompiledScoringPolicy, hits: [RuleHit], extra: Int64) -> Int64? {
        guard extra <= Hundredths.maximumMagnitude else { return nil }
        var total = extra
        for hit in hits where hit.family == .penalty {
            guard case .applies(let exact, let fast) = hit.outcome else { continue }
            guard let hundredths = penaltyHundredths(exact, fast, rounding: policy.rounding) else { return nil }
            total -= hundredths
            guard total <= Hundredths.maximumMagnitude else { return nil }
        }
        return total
    }

    /// Step 5 (penalties and deductions): `total` (from `deductionTotal`) taken in full, never capped, but not below the
    /// floor; with `explain`, a step for each deduction and each penalty.
    mutating func applyDeductions(_ policy: CompiledScoringPolicy, hits: [RuleHit], total: Int64, extra: Int64, extraRule: Int32, earner: Int,
                                  date: LocalDate, result: inout RecordScore) throws {
        if explain {
            var running = result.award
            if extra > 0 {
                running -= extra
                step(.deduction, rule: extraRule, effect: Self.times60(-extra), running: Self.times60(running))
            }
            for hit in hits where hit.family == .penalty {
                guard case .applies(let exact, let fast) = hit.outcome,
                      let hundredths = Self.penaltyHundredths(exact, fast, rounding: policy.rounding) else {
                    stepNotApplied(hit, running: Self.times60(running))
                    continue
                }
                running += hundredths
                // A computed amount with more than 2 decimals (-0.105) is taken rounded (-0.11): the step says so (detail 1).
                // One taken as computed is detail 2, so its line names the expression; 0 is a fixed amount, or a step
                // stored before computed amounts were told apart, which reads as it did.
                let computed: Bool = { if case .computed = policy.policy.penalties[Int(hit.rule)].points { return true } else { return false } }()
                step(.penalty, rule: hit.rule, detail: exact.scale > 2 ? 1 : (computed ? 2 : 0),
                     effect: Self.times60(hundredths), running: Self.times60(running))
            }
        }
        // The record's award opens a lot like the run's earlier ones (it counts below unless it expires on its own day).
        if result.award > 0, let expiresOn = policy.policy.expiry.expiryDate(earnedOn: date) {
            earners[earner].awardsOfThisRun.add(result.award, expiringOn: expiresOn)
        }
        if total > 0 {
            // What the account can spend on the record's day (the penalty is dated so): its balance with this award, less
            // points that are not spendable then (expired and waiting for the nightly expiry, or credited later, as the
            // history knows them; awards of this run whose lots expire by then), above the floor.
            let balance = try self.balance(earner: earner) + result.award - history.expiredPoints(of: earners[earner].account, on: date)
                - earners[earner].awardsOfThisRun.expired(on: date)
            let available = max(0, balance - policy.floor)
            result.deduction = min(total, available)
            result.shortfall = total - result.deduction
            if result.shortfall > 0 {
                step(.floor, rule: -1, detail: result.shortfall, effect: explain ? Self.times60(result.shortfall) : .zero,
                     running: explain ? Self.times60(result.award - result.deduction) : .zero)
            }
        }
        earners[earner].balanceChange += result.award - result.deduction
    }

    // MARK: Caps

    /// The part of `earned` that fits under every cap, with a step for each cap that cut.
    mutating func applyCaps(_ policy: CompiledScoringPolicy, earner: Int, categoryIndex: Int, categoryNumber: Int, day: ScoringDay,
                   earned: Int64) throws -> Int64 {
        guard earned > 0, policy.anyCap else { return earned }
        var award = earned
        var checked = false
        for cap in ScoringCap.allCases {
            guard let limit = policy.cap(cap, categoryIndex: categoryIndex) else { continue }
            checked = true
            let before: Int64
            switch cap {
            case .categoryDaily, .categoryMonthly:
                before = try categoryEarned(earner: earner, categoryNumber: categoryNumber, period: cap.period, day: day)
            default:
                before = try windowEarned(earner: earner, period: cap.period, day: day)
            }
            let room = max(0, limit - before)
            if award > room {
                let cut = award - room
                award = room
                step(.cap, rule: cap.rawValue, detail: before, effect: explain ? Self.times60(-cut) : .zero,
                     running: explain ? Self.times60(award) : .zero)
            }
        }
        if checked, award == earned { step(.capsNotReached, rule: -1, running: explain ? Self.times60(award) : .zero) }
        return award
    }

    /// Adds an award to every window total of the earner (and to its category's).
    mutating func addAward(_ award: Int64, earner: Int, categoryNumber: Int, day: ScoringDay) throws {
        guard award > 0 else { return }
        for period in [PolicyPeriod.day, .week, .month, .year] {
            _ = try windowEarned(earner: earner, period: period, day: day)
            earners[earner].windows[Self.slot(period)].earned += award
        }
        if categoryNumber >= 0, categoryCapped[categoryNumber] {
            for period in [PolicyPeriod.day, .month] {
                _ = try categoryEarned(earner: earner, categoryNumber: categoryNumber, period: period, day: day)
                let position = earners[earner].categories.firstIndex { $0.category == categoryNumber }!
                if period == .day { earners[earner].categories[position].day.earned += award }
                else { earners[earner].categories[position].month.earned += award }
            }
        }
    }

    static func slot(_ period: PolicyPeriod) -> Int {
        switch period {
        case .day: 0
        case .week: 1
        case .month: 2
        case .quarter, .year: 3
        }
    }

    /// What the earner was awarded in the window of `period` that holds `date`: history plus this run.
    mutating func windowEarned(earner: Int, period: PolicyPeriod, day: ScoringDay) throws -> Int64 {
        let slot = Self.slot(period)
        let key = day.key(period)
        if earners[earner].windows[slot].key != key {
            let before = try history.awardedPoints(to: earners[earner].account, in: ScoringWindow(period, containing: day.date))
            earners[earner].windows[slot] = WindowTotal(key: key, earned: before)
        }
        return earners[earner].windows[slot].earned
    }

    mutating func categoryEarned(earner: Int, categoryNumber: Int, period: PolicyPeriod, day: ScoringDay) throws -> Int64 {
        let slot = period == .day ? 0 : 1
        let key = day.key(period)
        var position = earners[earner].categories.firstIndex { $0.category == categoryNumber }
        if position == nil {
            earners[earner].categories.append(CategoryTotals(category: categoryNumber))
            position = earners[earner].categories.count - 1
        }
        let index = position!
        let current = slot == 0 ? earners[earner].categories[index].day : earners[earner].categories[index].month
        if current.key != key {
            let before = try history.awardedPoints(to: earners[earner].account, category: categoryIDs[categoryNumber],
                                                   in: ScoringWindow(period, containing: day.date))
            let total = WindowTotal(key: key, earned: before)
            if slot == 0 { earners[earner].categories[index].day = total } else { earners[earner].categories[index].month = total }
            return before
        }
        return current.earned
    }

    // MARK: Numbers for ids

    static func number(of id: String, in table: inout [String: Int]) -> Int {
        if let number = table[id] { return number }
        let number = table.count
        table[id] = number
        return number
    }

    mutating func categoryNumber(_ id: String) -> Int {
        if let number = categoryNumbers[id] { return number }
        categoryNumbers[id] = categoryIDs.count
        categoryIDs.append(id)
        categoryCapped.append(cappedCategories.contains(id))
        return categoryIDs.count - 1
    }

    // MARK: Facts for remembered rule outcomes

    mutating func factKey(_ record: ServiceRecord, facts: RecordFactSet, categoryNumber: Int, day: Int) -> RecordFactKey {
        var key = RecordFactKey()
        if facts.isEmpty { return key }
        if facts.contains(.kind) { key.kind = 1 }
        if facts.contains(.category) { key.category = Int32(categoryNumber + 1) }
        if facts.contains(.date) { key.day = Int32(truncatingIfNeeded: day) }
        if facts.contains(.minutes) { key.minutes = Int32(record.minutes) }
        if facts.contains(.startHour) { key.startHour = Int8(record.start.map { $0.hour + 1 } ?? 0) }
        if facts.contains(.responseLevel) {
            switch record.responseLevel {
            case nil: key.responseLevel = 0
            case .one: key.responseLevel = 1
            case .two: key.responseLevel = 2
            case .three: key.responseLevel = 3
            }
        }
        if facts.contains(.rating) { key.rating = Int8(record.rating ?? 0) }
        if facts.contains(.tags) { key.tags = tagListNumber(record.tags) }
        if facts.contains(.station) { key.station = record.station.map { Self.number(of: $0, in: &stationNumbers) } ?? 0 }
        if facts.contains(.verifier) { key.verifier = record.verifier.map { Self.number(of: $0, in: &verifierNumbers) } ?? 0 }
        return key
    }

    mutating func factKey(_ record: Assessment, facts: RecordFactSet, indicatorNumber: Int) -> RecordFactKey {
        var key = RecordFactKey()
        if facts.isEmpty { return key }
        if facts.contains(.kind) { key.kind = 2 }
        if facts.contains(.indicator) { key.indicator = Int32(indicatorNumber + 1) }
        if facts.contains(.date) { key.day = Int32(record.date.daysSinceEpoch) }
        if facts.contains(.verifier) { key.verifier = record.verifier.map { Self.number(of: $0, in: &verifierNumbers) } ?? 0 }
        return key
    }

    mutating func tagListNumber(_ tags: [String]) -> Int32 {
        if tags.isEmpty { return 0 }
        if let number = tagLists[tags] { return number }
        let number = Int32(tagLists.count + 1)
        tagLists[tags] = number
        return number
    }

    static func number(of text: String, in table: inout [String: Int32]) -> Int32 {
        if let number = table[text] { return number }
        let number = Int32(table.count + 1)
        table[text] = number
        return number
    }

    // MARK: Holders, earners and their history

    /// The holder of a record: its volunteer, or the household of a household assessment.
    mutating func holderIndex(volunteer: String?, household: String?) -> Int {
        let key = volunteer ?? "household:" + (household ?? "")
        if let index = holderIndexByKey[key] { return index }
        let index = holders.count
        holderIndexByKey[key] = index
        let known = volunteer.flatMap { scorer.community?.volunteer($0) }
        let account: AccountID = volunteer.map { .volunteer($0) } ?? .household(household ?? "")
        let householdID = volunteer == nil ? household : (known?.household ?? household)
        holders.append(HolderState(account: account, volunteerID: volunteer, volunteer: known, household: householdID))
        links.append(HolderLinks())
        return index
    }

    /// The account a record's points go to under the version's `earn_to`.
    mutating func earnerIndex(holder: Int, policy: CompiledScoringPolicy) -> Int {
        let toHousehold = policy.earnsToHousehold
        let cached = toHousehold ? links[holder].householdEarner : links[holder].volunteerEarner
        if cached >= 0 { return Int(cached) }
        var account = holders[holder].account
        if toHousehold, let household = holders[holder].household { account = .household(household) }
        let index: Int
        if let existing = earnerIndexByAccount[account] {
            index = existing
        } else {
            index = earners.count
            earnerIndexByAccount[account] = index
            earners.append(EarnerState(account: account))
            accounts.append(account)
        }
        if toHousehold { links[holder].householdEarner = Int32(index) } else { links[holder].volunteerEarner = Int32(index) }
        return index
    }

    mutating func hasReceived(bonus: Int, id: String, holder: Int) throws -> Bool {
        if bonus < 64 {
            let bit = UInt64(1) << UInt64(bonus)
            if links[holder].bonusesReceived & bit != 0 { return true }
            if links[holder].bonusesAsked & bit != 0 { return false }
            links[holder].bonusesAsked |= bit
        } else {
            if holders[holder].moreBonusesReceived.contains(bonus) { return true }
            if holders[holder].moreBonusesAsked.contains(bonus) { return false }
            holders[holder].moreBonusesAsked.append(bonus)
        }
        if try history.hasReceivedBonus(id, holder: holders[holder].account) {
            markReceived(bonus, holder: holder)
            return true
        }
        return false
    }

    mutating func markReceived(_ bonus: Int, holder: Int) {
        if bonus < 64 {
            links[holder].bonusesReceived |= UInt64(1) << UInt64(bonus)
        } else {
            holders[holder].moreBonusesReceived.append(bonus)
        }
    }

    mutating func balance(earner: Int) throws -> Int64 {
        if earners[earner].baseBalance == nil { earners[earner].baseBalance = try history.balance(of: earners[earner].account) }
        return earners[earner].baseBalance! + earners[earner].balanceChange
    }

    // MARK: Expression contexts

    mutating func context(_ record: ServiceRecord, holder: Int, policy: CompiledScoringPolicy) throws -> ExpressionContext {
        let facts = ExpressionRecordFacts(
            kind: .service, category: record.category, date: record.date, minutes: record.minutes,
            startHour: record.start?.hour, responseLevel: record.responseLevel?.rawValue, rating: record.rating,
            tags: record.tags, station: record.station, verifier: record.verifier, isHoliday: policy.holidays.contains(record.date))
        return try context(facts, holder: holder, policy: policy)
    }

    mutating func context(_ record: Assessment, holder: Int, policy: CompiledScoringPolicy) throws -> ExpressionContext {
        let facts = ExpressionRecordFacts(
            kind: .assessment, category: "", indicator: record.indicator, date: record.date, minutes: 0,
            verifier: record.verifier, isHoliday: policy.holidays.contains(record.date))
        return try context(facts, holder: holder, policy: policy)
    }

    /// The record's facts with the volunteer's and the household's.
    mutating func context(_ facts: ExpressionRecordFacts, holder: Int, policy: CompiledScoringPolicy) throws -> ExpressionContext {
        if holders[holder].volunteerFacts == nil {
            let state = holders[holder]
            if let volunteer = state.volunteer {
                holders[holder].volunteerFacts = ExpressionVolunteerFacts(
                    id: volunteer.id, household: volunteer.household, teams: volunteer.teams, tags: volunteer.tags,
                    birthDate: volunteer.birthDate, joined: volunteer.joined)
            } else {
                // Not in the community (a dry run without one): only the id is known.
                holders[holder].volunteerFacts = ExpressionVolunteerFacts(id: state.volunteerID ?? "", household: state.household,
                                                                          joined: facts.date)
            }
            if let household = state.household {
                let known = scorer.community?.household(household)
                holders[holder].householdFacts = ExpressionHouseholdFacts(
                    id: household, name: known?.name ?? "", members: scorer.community?.memberCount(of: household) ?? 0)
            }
        }
        var volunteer = holders[holder].volunteerFacts!
        if holders[holder].volunteer == nil { volunteer.joined = facts.date }
        var household = holders[holder].householdFacts
        if policy.needsTotals {
            let totals = try totals(holder: holder)
            volunteer.hoursTotal = (try? ExactDecimal(Int(totals.minutes)).divided(by: ExactDecimal(60))) ?? .zero
            volunteer.recordsTotal = totals.records
            volunteer.level = policy.policy.level(forHours: volunteer.hoursTotal, points: ExactDecimal(hundredths: totals.points))?.id
            if let id = holders[holder].household, household != nil {
                let sums = try self.totals(ofHousehold: id)
                household!.hoursTotal = (try? ExactDecimal(Int(sums.minutes)).divided(by: ExactDecimal(60))) ?? .zero
                household!.pointsTotal = ExactDecimal(hundredths: sums.points)
            }
        }
        return ExpressionContext(record: facts, volunteer: volunteer, household: household)
    }

    // MARK: Totals

    mutating func totals(holder: Int) throws -> ScoringTotals {
        if !holders[holder].totalsLoaded {
            holders[holder].totals = try holders[holder].volunteerID.map { try history.totals(ofVolunteer: $0) } ?? .zero
            holders[holder].totalsLoaded = true
        }
        return holders[holder].totals
    }

    mutating func totals(ofHousehold id: String) throws -> ScoringTotals {
        if let known = householdTotals[id] { return known }
        let loaded = try history.totals(ofHousehold: id)
        householdTotals[id] = loaded
        return loaded
    }

    /// Adds a scored record to the totals that `volunteer.*_total`, `household.*_total` and levels read.
    /// A household assessed without a volunteer adds to its household's totals only: `volunteer.*_total` are a
    /// volunteer's records, and the store's history has none for it (one run would otherwise count what two nights do not).
    mutating func addTotals(holder: Int, minutes: Int, award: Int64) throws {
        if holders[holder].volunteerID != nil {
            var totals = try totals(holder: holder)
            totals.minutes += Int64(minutes)
            totals.records += 1
            totals.points += award
            holders[holder].totals = totals
        }
        if let household = holders[holder].household {
            var sums = try self.totals(ofHousehold: household)
            sums.minutes += Int64(minutes)
            sums.records += 1
            sums.points += award
            householdTotals[household] = sums
        }
    }
}

/// A record's date with the numbers of the windows that hold it, computed once per record.
struct ScoringDay {
    let date: LocalDate
    /// Days since 1970-01-01.
    let number: Int
    let week: Int
    let month: Int
    let year: Int

    init(_ date: LocalDate) {
        self.date = date
        number = date.daysSinceEpoch
        // 1970-01-01 was a Thursday: Monday-based weekday index 3.
        let weekdayIndex = ((number % 7) + 7 + 3) % 7
        week = number - weekdayIndex
        month = date.year * 12 + date.month
        year = date.year
    }

    /// A number naming the window of `period` that holds the day (dates only move forward in a run).
    @inline(__always)
    func key(_ period: PolicyPeriod) -> Int {
        switch period {
        case .day: number
        case .week: week
        case .month: month
        case .quarter: date.year * 4 + (date.month - 1) / 3
        case .year: year
        }
    }
}

/// What is known about one holder (a volunteer, or a household assessed on its own) during a run.
struct HolderState {
    let account: AccountID
    let volunteerID: String?
    let volunteer: Volunteer?
    let household: String?
    var volunteerFacts: ExpressionVolunteerFacts?
    var householdFacts: ExpressionHouseholdFacts?
    /// Once-only bonuses numbered 64 and above, received and asked of the history (see `HolderLinks`).
    var moreBonusesReceived: [Int] = []
    var moreBonusesAsked: [Int] = []
    var totals = ScoringTotals.zero
    var totalsLoaded = false

    init(account: AccountID, volunteerID: String?, volunteer: Volunteer?, household: String?) {
        self.account = account
        self.volunteerID = volunteerID
        self.volunteer = volunteer
        self.household = household
    }
}

/// The points awarded to an account in one window so far.
struct WindowTotal {
    /// `ScoringSession.windowKey` of the window; `Int.min` before the first use.
    var key = Int.min
    var earned: Int64 = 0
}

/// Totals of one category for an account: the current day and month.
struct CategoryTotals {
    let category: Int
    var day = WindowTotal()
    var month = WindowTotal()
}

/// The day, week, month and year totals of an account, stored inline.
struct WindowTotals {
    var day = WindowTotal()
    var week = WindowTotal()
    var month = WindowTotal()
    var year = WindowTotal()

    /// By `ScoringSession.slot`: 0 day, 1 week, 2 month, 3 year.
    subscript(slot: Int) -> WindowTotal {
        get {
            switch slot {
            case 0: day
            case 1: week
            case 2: month
            default: year
            }
        }
        set {
            switch slot {
            case 0: day = newValue
            case 1: week = newValue
            case 2: month = newValue
            default: year = newValue
            }
        }
    }
}

/// The accounts a holder's points go to and the once-only bonuses it holds: read for every record,
/// so small and apart from the rest of `HolderState`.
struct HolderLinks {
    var volunteerEarner: Int32 = -1
    var householdEarner: Int32 = -1
    /// Bit n: once-only bonus number n received (numbers below 64).
    var bonusesReceived: UInt64 = 0
    /// Bit n: the history was asked about bonus number n.
    var bonusesAsked: UInt64 = 0
}

/// An indicator assessed in a period (by the period's first day and its length: the month 2026-10 and the quarter
/// 2026-Q4 start on the same day but are two periods, as the store's history tells them apart by their labels).
struct AssessedKey: Hashable {
    let indicator: Int
    let periodStart: Int
    let periodLength: Int
}

/// The running state of one account during a run.
struct EarnerState {
    let account: AccountID
    /// Day, week, month and year.
    var windows = WindowTotals()
    var categories: [CategoryTotals] = []
    var baseBalance: Int64?
    var balanceChange: Int64 = 0
    /// The lots this run's awards open, which the history does not know yet.
    var awardsOfThisRun = AwardLotsOfRun()
    var assessed: Set<AssessedKey> = []

    init(account: AccountID) {
        self.account = account
    }
}

/// The expiring lots a run's awards open for one account, in the order scored: what a penalty dated later cannot take once
/// they have expired (the ledger posts the run in the same order, and a debit never draws from a lot expired by its date).
/// Counted whole: what an earlier penalty of the run drew from such a lot is counted again here, so a penalty can come
/// out smaller than the ledger would allow but never larger (a shortfall, never a refused posting).
struct AwardLotsOfRun {
    private var lots: [(expiresOn: LocalDate, points: Int64)] = []

    mutating func add(_ points: Int64, expiringOn date: LocalDate) {
        lots.append((date, points))
    }

    /// The points of lots expired on `date` (a lot expiring on D is usable before D).
    func expired(on date: LocalDate) -> Int64 {
        var total: Int64 = 0
        for lot in lots where lot.expiresOn <= date { total += lot.points }
        return total
    }
}
