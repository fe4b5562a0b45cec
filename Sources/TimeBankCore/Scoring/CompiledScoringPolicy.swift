/// A policy version in the form the scorer uses for every record: ids resolved to indexes, caps in
/// hundredths, amounts as machine-word decimals, category lists as masks, holidays as a set, and
/// each rule marked with the record facts it reads, so that the outcome of the rules can be
/// remembered per combination of those facts. Built once per version; scoring a record never
/// walks TOML, parses an expression or searches a list by name. A class, so that handing it to
/// each record's scoring copies nothing.
final class CompiledScoringPolicy: Sendable {
    /// A multiplier, bonus or penalty, ready to test against a record.
    struct Rule: Sendable {
        let family: RuleFamily
        /// The rule's index in the policy's list of its family.
        let index: Int32
        /// Which categories (by index in the policy) the rule is limited to; nil: any record.
        let categoryMask: [Bool]?
        let when: CompiledExpression?
        let amount: PolicyAmount
        /// The amount in a machine word, when it is fixed and fits.
        let fixedAmount: FixedDecimal?
        /// For bonuses: at most once per holder.
        let once: Bool
        /// The record facts the rule reads; nil when it reads volunteer or household facts too.
        let recordFacts: RecordFactSet?
    }

    let version: PolicyTimeline.Version
    /// The version's index in the timeline.
    let versionIndex: Int
    let policy: Policy
    let categoryIndexByID: [String: Int]
    let categoryIDs: [String]
    let indicatorIndexByID: [String: Int]
    /// Points per hour, by category index, exact and (when it fits) as a machine word.
    let rates: [ExactDecimal]
    let fastRates: [FixedDecimal?]
    /// Category daily and monthly caps in hundredths, by category index.
    let categoryDailyCaps: [Int64?]
    let categoryMonthlyCaps: [Int64?]
    /// `[caps]` in hundredths; nil when not set.
    let daily: Int64?
    let weekly: Int64?
    let monthly: Int64?
    let yearly: Int64?
    let anyCap: Bool
    /// Multipliers, then bonuses, then penalties, each in file order.
    let rules: [Rule]
    let hasMultipliers: Bool
    /// By bonus index: whether the bonus is once-only.
    let bonusIsOnce: [Bool]
    /// Whether every rule reads only facts of the record, so one remembered outcome serves every
    /// record with the same facts.
    let allRulesReadRecordOnly: Bool
    /// The facts the record-only rules read together: the key of the remembered outcomes.
    let rememberedFacts: RecordFactSet
    /// 60 × step: rounding `60 × amount` to it rounds `amount` to the step exactly.
    let stepTimes60: ExactDecimal
    let fastStepTimes60: FixedDecimal?
    let rounding: ExactDecimal.RoundingMode
    let combination: PolicyMultiplierCombination
    let minMinutes: Int
    let maxMinutes: Int
    let requireVerifier: Bool
    let earnsToHousehold: Bool
    let floor: Int64
    let holidays: Set<LocalDate>
    /// Whether any rule has an expression, so a record's facts may be needed.
    let needsContext: Bool
    /// Whether an expression reads totals (hours, records, level, household totals).
    let needsTotals: Bool

    /// The fields whose values depend on what was scored before the record.
    static let totalFields: Set<String> = [
        "volunteer.hours_total", "volunteer.records_total", "volunteer.level",
        "household.hours_total", "household.points_total",
    ]

    init(_ version: PolicyTimeline.Version, index: Int) {
        let policy = version.policy
        self.version = version
        self.versionIndex = index
        self.policy = policy
        var categoryIndexByID: [String: Int] = [:]
        for (index, category) in policy.categories.enumerated() { categoryIndexByID[category.id] = index }
        self.categoryIndexByID = categoryIndexByID
        self.categoryIDs = policy.categories.map(\.id)
        var indicatorIndexByID: [String: Int] = [:]
        for (index, indicator) in policy.indicators.enumerated() { indicatorIndexByID[indicator.id] = index }
        self.indicatorIndexByID = indicatorIndexByID
        rates = policy.categories.map(\.pointsPerHour)
        fastRates = rates.map { FixedDecimal($0) }
        // The checker allows at most two decimals in caps, so hundredths are exact.
        func hundredths(_ value: ExactDecimal?) -> Int64? { value.flatMap { try? $0.hundredths() } }
        categoryDailyCaps = policy.categories.map { hundredths($0.dailyCap) }
        categoryMonthlyCaps = policy.categories.map { hundredths($0.monthlyCap) }
        daily = hundredths(policy.caps.daily)
        weekly = hundredths(policy.caps.weekly)
        monthly = hundredths(policy.caps.monthly)
        yearly = hundredths(policy.caps.yearly)
        anyCap = daily != nil || weekly != nil || monthly != nil || yearly != nil
            || categoryDailyCaps.contains { $0 != nil } || categoryMonthlyCaps.contains { $0 != nil }

        func rule(_ family: RuleFamily, _ index: Int, _ condition: PolicyCondition, _ amount: PolicyAmount, once: Bool) -> Rule {
            var expressions: [CompiledExpression] = []
            if let when = condition.when { expressions.append(when) }
            if case .computed(let expression) = amount { expressions.append(expression) }
            var facts: RecordFactSet? = condition.categories == nil ? [] : [.category]
            for expression in expressions {
                for path in expression.referencedFields {
                    if let fact = RecordFactSet(fieldPath: path) { facts?.formUnion(fact) } else { facts = nil }
                }
            }
            let mask = condition.categories.map { categories in policy.categories.map { categories.contains($0.id) } }
            return Rule(family: family, index: Int32(index), categoryMask: mask, when: condition.when, amount: amount,
                        fixedAmount: amount.fixedValue.flatMap { FixedDecimal($0) }, once: once, recordFacts: facts)
        }
        var rules: [Rule] = []
        for (index, multiplier) in policy.multipliers.enumerated() {
            rules.append(rule(.multiplier, index, multiplier.condition, multiplier.factor, once: false))
        }
        for (index, bonus) in policy.bonuses.enumerated() {
            rules.append(rule(.bonus, index, bonus.condition, bonus.points, once: bonus.once))
        }
        for (index, penalty) in policy.penalties.enumerated() {
            rules.append(rule(.penalty, index, penalty.condition, penalty.points, once: false))
        }
        self.rules = rules
        hasMultipliers = !policy.multipliers.isEmpty
        bonusIsOnce = policy.bonuses.map(\.once)
        allRulesReadRecordOnly = rules.allSatisfy { $0.recordFacts != nil }
        rememberedFacts = rules.reduce(into: RecordFactSet()) { $0.formUnion($1.recordFacts ?? []) }

        stepTimes60 = (try? policy.earning.step.multiplied(by: ExactDecimal(60))) ?? ExactDecimal(60)
        fastStepTimes60 = FixedDecimal(stepTimes60)
        rounding = policy.earning.rounding
        combination = policy.earning.combineMultipliers
        minMinutes = policy.earning.minMinutes
        maxMinutes = policy.earning.maxMinutesPerRecord
        requireVerifier = policy.earning.requireVerifier
        earnsToHousehold = policy.accounts.earnTo == .household
        floor = hundredths(policy.accounts.balanceFloor) ?? 0
        holidays = Set(policy.calendar.holidays)
        let expressions = rules.flatMap { rule -> [CompiledExpression] in
            var list: [CompiledExpression] = []
            if let when = rule.when { list.append(when) }
            if case .computed(let expression) = rule.amount { list.append(expression) }
            return list
        }
        needsContext = !expressions.isEmpty
        needsTotals = expressions.contains { $0.referencedFields.contains(where: Self.totalFields.contains) }
    }

    /// The index of a category id, or -1. A few categories are searched in order (comparing short
    /// strings is cheaper than hashing them); many are looked up in the dictionary.
    @inline(__always)
    func categoryIndex(of id: String) -> Int {
        if categoryIDs.count <= 16 {
            for index in categoryIDs.indices where categoryIDs[index] == id { return index }
            return -1
        }
        return categoryIndexByID[id] ?? -1
    }

    /// Whether the rule's category list allows a record of category `categoryIndex` (-1: an assessment).
    @inline(__always)
    func allows(_ rule: Rule, categoryIndex: Int) -> Bool {
        guard let mask = rule.categoryMask else { return true }
        return categoryIndex >= 0 && mask[categoryIndex]
    }

    /// The cap in hundredths, if the policy sets it, for a record of category `categoryIndex`.
    @inline(__always)
    func cap(_ cap: ScoringCap, categoryIndex: Int) -> Int64? {
        switch cap {
        case .categoryDaily: categoryIndex >= 0 ? categoryDailyCaps[categoryIndex] : nil
        case .categoryMonthly: categoryIndex >= 0 ? categoryMonthlyCaps[categoryIndex] : nil
        case .daily: daily
        case .weekly: weekly
        case .monthly: monthly
        case .yearly: yearly
        }
    }
}

/// The three lists of rules a record is tested against. The numbers are stored (the detail of a posted `ruleFailed`
/// or `ruleInvalidAmount` step): never reused or changed.
enum RuleFamily: Int64, Sendable {
    case multiplier = 0
    case bonus = 1
    case penalty = 2
}

/// Facts of a record that rule expressions can read (see `ExpressionSchema.fields`).
struct RecordFactSet: OptionSet, Hashable, Sendable {
    let rawValue: UInt16

    init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    static let kind = RecordFactSet(rawValue: 1 << 0)
    static let category = RecordFactSet(rawValue: 1 << 1)
    static let indicator = RecordFactSet(rawValue: 1 << 2)
    /// `record.date`, `record.weekday`, `record.is_holiday`.
    static let date = RecordFactSet(rawValue: 1 << 3)
    /// `record.minutes`, `record.hours`.
    static let minutes = RecordFactSet(rawValue: 1 << 4)
    static let startHour = RecordFactSet(rawValue: 1 << 5)
    static let responseLevel = RecordFactSet(rawValue: 1 << 6)
    static let rating = RecordFactSet(rawValue: 1 << 7)
    static let tags = RecordFactSet(rawValue: 1 << 8)
    static let station = RecordFactSet(rawValue: 1 << 9)
    static let verifier = RecordFactSet(rawValue: 1 << 10)

    /// The fact a `record.*` field reads; nil for `volunteer.*` and `household.*` fields.
    init?(fieldPath path: String) {
        switch path {
        case "record.kind": self = .kind
        case "record.category": self = .category
        case "record.indicator": self = .indicator
        case "record.date", "record.weekday", "record.is_holiday": self = .date
        case "record.minutes", "record.hours": self = .minutes
        case "record.start_hour": self = .startHour
        case "record.response_level": self = .responseLevel
        case "record.rating": self = .rating
        case "record.tags": self = .tags
        case "record.station": self = .station
        case "record.verifier": self = .verifier
        default: return nil
        }
    }
}

/// The values of the facts a policy's rules read, for one record: equal keys give equal rule
/// outcomes. Facts the rules do not read stay 0.
struct RecordFactKey: Hashable {
    var day: Int32 = 0
    var minutes: Int32 = 0
    var category: Int32 = 0
    var indicator: Int32 = 0
    var station: Int32 = 0
    var verifier: Int32 = 0
    var tags: Int32 = 0
    var kind: Int8 = 0
    var startHour: Int8 = 0
    var responseLevel: Int8 = 0
    var rating: Int8 = 0

    /// Hashes the facts packed in four words: one hash per record, so it should be cheap.
    func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(UInt32(bitPattern: day)) << 32 | UInt64(UInt32(bitPattern: minutes)))
        hasher.combine(UInt64(UInt32(bitPattern: category)) << 32 | UInt64(UInt32(bitPattern: indicator)))
        hasher.combine(UInt64(UInt32(bitPattern: station)) << 32 | UInt64(UInt32(bitPattern: verifier)))
        let small = UInt64(UInt8(bitPattern: kind)) << 24 | UInt64(UInt8(bitPattern: startHour)) << 16
            | UInt64(UInt8(bitPattern: responseLevel)) << 8 | UInt64(UInt8(bitPattern: rating))
        hasher.combine(UInt64(UInt32(bitPattern: tags)) << 32 | small)
    }
}

/// What one rule did for one record. Plain values only, so that copying one costs nothing.
struct RuleHit: Sendable {
    enum Outcome: Sendable {
        /// The condition holds; the amount (a factor or points), exact and as a machine word when it fits.
        case applies(ExactDecimal, FixedDecimal?)
        /// The condition or amount could not be evaluated: the error is `ScoringSession.ruleErrors[index]`.
        case failed(errorIndex: Int)
        /// The amount is outside what the rule allows (a factor ≤ 0, a bonus ≤ 0, a penalty ≥ 0).
        case invalid(ExactDecimal)
    }

    let family: RuleFamily
    let rule: Int32
    let outcome: Outcome
}
