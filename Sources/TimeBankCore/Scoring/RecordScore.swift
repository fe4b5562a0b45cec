/// What scoring decided for one record. Amounts are hundredths of a point.
///
/// `award` is what the record earns after caps (never negative), `deduction` what penalties and
/// deduction indicators take (never more than the balance above the floor allows), so the
/// account changes by `net = award - deduction`. Nothing is lost silently: `capped` is what caps
/// cut, `shortfall` what the floor kept a penalty from taking.
public struct RecordScore: Sendable, Hashable {
    /// Where scoring stopped.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Scored: the amounts are final for this history.
        case scored
        /// The policy requires a verifier and the record has none: it stays pending, no points.
        case pending
        /// No policy version is in force on the record's date: nothing can be scored.
        case noPolicy = "no_policy"
        /// The points the policy gives this record cannot be computed, or are beyond the largest amount the ledger holds
        /// (a rate or factor far too large): nothing is posted, and the record waits for a corrected policy.
        case tooLarge = "too_large"
    }

    /// The index of the record in the input of the run.
    public var recordIndex: Int
    public var status: Status
    /// Where the points go (`ScoringRun.account(of:)`): an index into `ScoringRun.accounts`, -1 when none.
    public var accountIndex: Int32
    /// Stored small: a million scores should fit in a few dozen megabytes.
    private var storedVersionIndex: Int32
    private var storedMinutesCounted: Int32
    private var firstStep: Int32
    private var stepCount: Int32
    /// Earned before caps: rounded to the step. Hundredths.
    public var earned: Int64
    /// Earned after caps. Hundredths.
    public var award: Int64
    /// Points taken by penalties and deduction indicators. Hundredths, never negative.
    public var deduction: Int64
    /// Penalty points the balance floor stopped from being taken, recorded rather than lost. Hundredths.
    public var shortfall: Int64

    /// A score with nothing earned yet.
    init(recordIndex: Int, firstStep: Int) {
        self.recordIndex = recordIndex
        self.status = .scored
        self.accountIndex = -1
        self.storedVersionIndex = -1
        self.storedMinutesCounted = 0
        self.firstStep = Int32(truncatingIfNeeded: firstStep)
        self.stepCount = 0
        self.earned = 0
        self.award = 0
        self.deduction = 0
        self.shortfall = 0
    }

    /// The index of the policy version in the timeline, when one is in force.
    public var versionIndex: Int? {
        get { storedVersionIndex >= 0 ? Int(storedVersionIndex) : nil }
        set { storedVersionIndex = newValue.map { Int32($0) } ?? -1 }
    }

    /// Minutes that count (at most `max_minutes_per_record`; 0 below `min_minutes`).
    public var minutesCounted: Int {
        get { Int(storedMinutesCounted) }
        set { storedMinutesCounted = Int32(clamping: newValue) }
    }

    /// What caps cut: `earned - award`. Hundredths.
    public var capped: Int64 { earned - award }

    /// How the account's balance changes: `award - deduction`.
    public var net: Int64 { award - deduction }

    /// The record's explanation: a range of `ScoringRun.steps` (empty when the run kept none).
    public var steps: Range<Int> {
        get { Int(firstStep)..<(Int(firstStep) + Int(stepCount)) }
        set {
            firstStep = Int32(truncatingIfNeeded: newValue.lowerBound)
            stepCount = Int32(truncatingIfNeeded: newValue.count)
        }
    }
}

/// One step of a record's explanation: which rule acted, its effect and the amount after it.
///
/// Amounts are kept exact and multiplied by 60 (`effectTimes60`, `runningTimes60`) so that a
/// 50-minute service at 12 points an hour is exactly 600/60 = 10, with no rounding before the
/// policy's own rounding step. `ScoringRun.explanation(of:)` turns steps into lines for people.
public struct ScoreStep: Sendable, Hashable {
    /// What the step did. The numbers are stored (a posted record's steps, `PostedScoreSteps`): a new kind takes
    /// the next number, and no number is ever reused or changed.
    public enum Kind: UInt8, Sendable, Hashable {
        /// The policy version that scores the record (`rule` = version index).
        case policy = 0
        /// No version in force on the record's date.
        case noPolicy = 1
        /// The points go to another account than the record's volunteer (a household).
        case account = 2
        /// The record needs a verifier and has none: it stays pending.
        case pending = 3
        /// Minutes above `max_minutes_per_record` are not counted (`detail` = minutes given).
        case minutesCut = 4
        /// Fewer minutes than `min_minutes`: nothing earned (`detail` = minutes).
        case belowMinimum = 5
        /// Hours × the category's rate (`rule` = category index, `detail` = minutes counted).
        case base = 6
        /// An assessment met: the indicator's points (`rule` = indicator index).
        case indicator = 7
        /// An assessment broken: no points (`rule` = indicator index).
        case indicatorNotMet = 8
        /// The indicator was assessed in this period already (`rule` = indicator index).
        case alreadyAssessed = 9
        /// A matching multiplier and its factor (`rule` = multiplier index, `effect` = the factor itself).
        case multiplier = 10
        /// Several factors combined by `combine_multipliers` (`effect` = the combined factor; `detail` = 1 when a "sum"
        /// came out below 0 and 0 was applied instead).
        case combinedFactor = 11
        /// A matching bonus.
        case bonus = 12
        /// A once-only bonus the holder received before (`rule` = bonus index).
        case bonusAlreadyReceived = 13
        /// A rule whose expression could not be evaluated for this record; it is not applied.
        case ruleFailed = 14
        /// A computed amount outside what the rule allows (a factor ≤ 0, a bonus ≤ 0, a penalty ≥ 0); not applied.
        case ruleInvalidAmount = 15
        /// Rounding to the step.
        case rounding = 16
        /// A cap cut the earning (`rule` = `ScoringCap`, `detail` = hundredths earned before in the window).
        case cap = 17
        /// Caps were checked and none cut anything.
        case capsNotReached = 18
        /// A matching penalty (`detail` = 1 when its computed points had more than 2 decimals and were rounded to 0.01 by the
        /// policy's mode, so that `effect` is the rounded amount; 2 when they were computed and taken as they came; 0 for
        /// fixed points, and for every step stored before computed amounts were told apart).
        case penalty = 19
        /// An assessment of a deduction indicator.
        case deduction = 20
        /// The floor kept the penalty from taking everything (`detail` = the shortfall in hundredths).
        case floor = 21
        /// The version does not declare the record's category or indicator: nothing earned from it.
        case undeclared = 22
        /// The points cannot be computed or exceed the ledger's largest amount (`rule` = -1).
        case tooLarge = 23
    }

    public var kind: Kind
    /// Which rule: an index into the policy's list for this kind (see `Kind`), or -1.
    public var rule: Int32
    /// A number the kind explains (minutes, hundredths earned before, ...).
    public var detail: Int64
    /// The step's effect × 60 (for `multiplier` and `combinedFactor`: the factor itself).
    public var effectTimes60: ExactDecimal
    /// The amount after the step × 60.
    public var runningTimes60: ExactDecimal
}

/// The caps a record's earning is checked against, in the order they are applied. The numbers are stored (the rule
/// of a posted `cap` step): never reused or changed.
public enum ScoringCap: Int32, Sendable, Hashable, CaseIterable {
    case categoryDaily = 0
    case categoryMonthly = 1
    case daily = 2
    case weekly = 3
    case monthly = 4
    case yearly = 5

    /// The calendar period the cap counts over.
    public var period: PolicyPeriod {
        switch self {
        case .categoryDaily, .daily: .day
        case .weekly: .week
        case .categoryMonthly, .monthly: .month
        case .yearly: .year
        }
    }

    /// The policy key that sets it, such as `caps.daily` or `categories.green.daily_cap`.
    public func key(category: String) -> String {
        switch self {
        case .categoryDaily: "categories.\(category).daily_cap"
        case .categoryMonthly: "categories.\(category).monthly_cap"
        case .daily: "caps.daily"
        case .weekly: "caps.weekly"
        case .monthly: "caps.monthly"
        case .yearly: "caps.yearly"
        }
    }
}
