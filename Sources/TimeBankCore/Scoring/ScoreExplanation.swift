/// One line of a record's explanation, as a volunteer or an admin reads it:
///
///     rule                    what                                       effect   points
///     categories.orange       90 min × 12 积分 an hour (橙色关怀)            +18       18
///     multipliers.weekend     周末及节假日                                   ×1.2      21.6
public struct ScoreExplanationLine: Sendable, Hashable {
    /// The policy key of the rule that acted, such as `multipliers.weekend` or `caps.daily`.
    public var rule: String
    /// What happened, in words.
    public var text: String
    /// The change: `+18`, `-0.1`, `×1.2`; empty when the step changes nothing.
    public var effect: String
    /// The points after the step (`≈` marks an amount shown to 4 decimals; the scorer keeps it exact).
    public var running: String
    /// Whether a rule acted (a factor, bonus, rounding, cap or penalty), not just a fact of the record.
    public var applied: Bool

    public init(rule: String, text: String, effect: String, running: String, applied: Bool) {
        self.rule = rule
        self.text = text
        self.effect = effect
        self.running = running
        self.applied = applied
    }
}

extension ScoringRun {
    /// The explanation of one record, step by step. Empty when the run kept no explanations.
    public func explanation(of score: RecordScore) -> [ScoreExplanationLine] {
        let subject = explanationSubject(of: score)
        return score.steps.map { index in subject.line(steps[index], failure: failureReason(at: index)) }
    }

    /// What the lines of `score`'s explanation are written against.
    public func explanationSubject(of score: RecordScore) -> ScoreExplanationSubject {
        ScoreExplanationSubject(record: records[score.recordIndex], version: version(of: score), account: account(of: score),
                                firstEffective: timeline.firstEffective)
    }

    /// Why the rule of step `index` (an index into `steps`) was not applied, when its expression failed; nil for any
    /// step but a `ruleFailed` one, without a lookup (this is asked for every step of every record posted).
    public func failureReason(at index: Int) -> String? {
        guard steps[index].kind == .ruleFailed else { return nil }
        return failures[index].map { "error[\($0.code)]: \($0.message)" }
    }

    /// The explanation as plain text lines: `rule  text  effect  → points`.
    public func explanationText(of score: RecordScore) -> [String] {
        explanation(of: score).map { line in
            "\(line.rule): \(line.text)" + (line.effect.isEmpty ? "" : " \(line.effect)") + " → \(line.running)"
        }
    }
}

/// What a record's explanation lines are written against: the record, the version that scored it, the account the
/// points went to. A scoring run makes one for each score; a posted record's stored steps (`PostedScoreSteps`) are
/// written with one made from what the store kept, so both read the same.
public struct ScoreExplanationSubject: Sendable {
    public var record: Record
    /// The version in force on the record's date; nil when none was.
    public var version: PolicyTimeline.Version?
    public var account: AccountID?
    /// When the timeline's first version takes effect (named when no version is in force).
    public var firstEffective: LocalDate?

    public init(record: Record, version: PolicyTimeline.Version?, account: AccountID?, firstEffective: LocalDate?) {
        self.record = record
        self.version = version
        self.account = account
        self.firstEffective = firstEffective
    }

    /// Whether `line` can word `step`: the rule it names exists in the version. Always so for a run's own steps; a
    /// step read back from the store is checked first, so that a damaged row is reported rather than misread.
    public func canWord(_ step: ScoreStep) -> Bool {
        guard let policy = version?.policy else { return true }
        let rule = Int(step.rule)
        switch step.kind {
        case .base: return policy.categories.indices.contains(rule)
        case .indicator, .indicatorNotMet, .alreadyAssessed: return policy.indicators.indices.contains(rule)
        case .multiplier: return policy.multipliers.indices.contains(rule)
        case .bonus, .bonusAlreadyReceived: return policy.bonuses.indices.contains(rule)
        case .penalty: return policy.penalties.indices.contains(rule)
        case .deduction: return rule < 0 || policy.indicators.indices.contains(rule)
        case .ruleFailed, .ruleInvalidAmount:
            switch RuleFamily(rawValue: step.detail) {
            case .multiplier: return policy.multipliers.indices.contains(rule)
            case .bonus: return policy.bonuses.indices.contains(rule)
            case .penalty: return policy.penalties.indices.contains(rule)
            case nil: return false
            }
        case .policy, .noPolicy, .account, .pending, .minutesCut, .belowMinimum, .combinedFactor, .rounding, .cap,
             .capsNotReached, .floor, .undeclared, .tooLarge:
            return true
        }
    }

    /// The line of one step; `failure` is why its rule's expression failed (`ScoringRun.failureReason(at:)`).
    public func line(_ step: ScoreStep, failure: String?) -> ScoreExplanationLine {
        // Facts of the record (the version, the account, a pending record) carry no amount.
        let carriesAmount: Bool
        switch step.kind {
        case .policy, .noPolicy, .account, .pending, .tooLarge: carriesAmount = false
        default: carriesAmount = true
        }
        // The running total is written only where it is shown.
        let running = carriesAmount ? ScoringRun.points(step.runningTimes60) : ""
        let effect = ScoringRun.signed(step.effectTimes60)
        func make(_ rule: String, _ text: String, effect: String = "", applied: Bool = false) -> ScoreExplanationLine {
            ScoreExplanationLine(rule: rule, text: text, effect: effect, running: running, applied: applied)
        }
        guard let version else {
            let first = firstEffective.map { "; the first version takes effect on \($0)" } ?? ""
            return ScoreExplanationLine(rule: "policy", text: "no policy version is in force on \(record.date)\(first): not scored",
                                        effect: "", running: "", applied: false)
        }
        let policy = version.policy
        // The points are named as the version names them (积分, 信义币), as the total line under the explanation does.
        let unit = policy.unit
        let rule = Int(step.rule)
        switch step.kind {
        case .policy:
            return make("policy", "\(policy.id) version \(policy.version) (\(version.label)), in force from \(policy.effective)")
        case .noPolicy:
            return make("policy", "no policy version is in force on \(record.date): not scored")
        case .account:
            if policy.accounts.earnTo == .household, account?.kind == .volunteer {
                return make("accounts.earn_to", "earn_to = \"household\", but \(account?.owner ?? "") has no known household: \(unit) go to \(account?.description ?? "")",
                            applied: true)
            }
            return make("accounts.earn_to", "\(unit) go to \(account?.description ?? "") (earn_to = \"\(policy.accounts.earnTo.rawValue)\")", applied: true)
        case .pending:
            return make("earning.require_verifier", "no verifier, and the policy requires one: the record stays pending, nothing is scored")
        case .minutesCut:
            return make("earning.max_minutes_per_record",
                        "\(step.detail) minutes given; at most \(policy.earning.maxMinutesPerRecord) count", applied: true)
        case .belowMinimum:
            return make("earning.min_minutes",
                        "\(step.detail) minutes is below the minimum of \(policy.earning.minMinutes): earns nothing", applied: true)
        case .base:
            let category = policy.categories[rule]
            return make("categories.\(category.id)",
                        "\(step.detail) min × \(category.pointsPerHour) \(unit) an hour (\(category.label))", effect: effect)
        case .indicator:
            let indicator = policy.indicators[rule]
            return make("indicators.\(indicator.id)", "\(indicator.label): met, \(indicator.points) \(unit)", effect: effect)
        case .indicatorNotMet:
            let indicator = policy.indicators[rule]
            return make("indicators.\(indicator.id)", "\(indicator.label): broken (not met), no \(unit)")
        case .alreadyAssessed:
            let indicator = policy.indicators[rule]
            let period: String = { if case .assessment(let assessment) = record { return assessment.period.label } else { return "" } }()
            return make("indicators.\(indicator.id)",
                        "\(indicator.label): assessed for \(account?.description ?? "") in \(period) already (at most once per \(indicator.per.rawValue)): no \(unit)",
                        applied: true)
        case .multiplier:
            let multiplier = policy.multipliers[rule]
            let factor: String = { if case .computed(let expression) = multiplier.factor { return " (factor " + expression.text + ")" } else { return "" } }()
            return make("multipliers.\(multiplier.id)", "\(multiplier.label)" + factor + ScoringRun.condition(multiplier.condition),
                        effect: "×" + step.effectTimes60.description, applied: true)
        case .combinedFactor:
            let mode = policy.earning.combineMultipliers
            if step.detail == 1 {
                // The sum of the factors came out below 0: the hours earn nothing, never less.
                return make("earning.combine_multipliers",
                            "factors combined by \"\(mode.rawValue)\": \(step.effectTimes60), below 0, so 0 (a service earns no less than nothing)",
                            effect: "×0", applied: true)
            }
            return make("earning.combine_multipliers", "factors combined by \"\(mode.rawValue)\": \(step.effectTimes60)",
                        effect: "×" + step.effectTimes60.description, applied: true)
        case .bonus:
            let bonus = policy.bonuses[rule]
            let once = bonus.once ? ", once per " + holderNoun(record) : ""
            return make("bonuses.\(bonus.id)", "\(bonus.label)\(once)" + ScoringRun.condition(bonus.condition) + Self.computed(bonus.points),
                        effect: effect, applied: true)
        case .bonusAlreadyReceived:
            let bonus = policy.bonuses[rule]
            return make("bonuses.\(bonus.id)", "\(bonus.label): received before (once per \(holderNoun(record))), not again")
        case .ruleFailed, .ruleInvalidAmount:
            let key: String
            switch RuleFamily(rawValue: step.detail) ?? .multiplier {
            case .multiplier: key = "multipliers.\(policy.multipliers[rule].id)"
            case .bonus: key = "bonuses.\(policy.bonuses[rule].id)"
            case .penalty: key = "penalties.\(policy.penalties[rule].id)"
            }
            if step.kind == .ruleInvalidAmount {
                let allowed = ["a factor must be above 0", "a bonus must be above 0", "a penalty must be below 0"][Int(step.detail)]
                return make(key, "not applied: it computed \(step.effectTimes60) for this record; \(allowed)")
            }
            let reason = failure ?? "its expression could not be evaluated"
            return make(key, "not applied: \(reason)")
        case .rounding:
            let mode = ScoringRun.roundingName(policy.earning.rounding)
            return make("earning.rounding", "rounded \(mode) to a step of \(policy.earning.step)", effect: effect, applied: !effect.isEmpty)
        case .cap:
            let cap = ScoringCap(rawValue: step.rule) ?? .daily
            let category: String = { if case .service(let service) = record { return service.category } else { return "" } }()
            let limit = capLimit(cap, policy: policy, category: category) ?? "?"
            let window = ScoringWindow(cap.period, containing: record.date)
            let before = Hundredths.trimmed(step.detail)
            return make(cap.key(category: category),
                        "\(ScoringRun.capName(cap)) cap \(limit): \(before) earned \(window.period == .day ? "on" : "in") \(window.label) before this record", effect: effect, applied: true)
        case .capsNotReached:
            let category: String = { if case .service(let service) = record { return service.category } else { return "" } }()
            let caps = ScoringCap.allCases.compactMap { cap -> String? in
                capLimit(cap, policy: policy, category: category).map { "\(ScoringRun.capName(cap)) \($0)" }
            }
            return make("caps", "not reached: " + caps.joined(separator: ", "))
        case .penalty:
            let penalty = policy.penalties[rule]
            // A computed amount names its expression (detail 2), so the admin can work the amount out from the line; rounded
            // to 0.01 (detail 1), it says so, as the earning's rounding step does. Steps stored before either was kept have
            // detail 0 and read as they did.
            var points = ""
            if step.detail == 1 || step.detail == 2 {
                points = Self.computed(penalty.points)
            }
            if step.detail == 1 {
                points = (points.isEmpty ? ": points" : points) + " rounded \(ScoringRun.roundingName(policy.earning.rounding)) to a step of 0.01"
            }
            return make("penalties.\(penalty.id)", penalty.label + ScoringRun.condition(penalty.condition) + points, effect: effect, applied: true)
        case .deduction:
            let indicator = rule >= 0 ? policy.indicators[rule] : nil
            return make("indicators.\(indicator?.id ?? "")", "\(indicator?.label ?? ""): met, a deduction", effect: effect, applied: true)
        case .tooLarge:
            return make("ledger", "beyond the largest amount the ledger holds (\(Hundredths.format(Hundredths.maximumMagnitude))): "
                + "check the rates, factors and bonuses; not posted, it waits for a corrected version")
        case .undeclared:
            switch record {
            case .service(let service):
                return make("categories", "category \"\(service.category)\" is not declared by this version: earns nothing", applied: true)
            case .assessment(let assessment):
                return make("indicators", "indicator \"\(assessment.indicator)\" is not declared by this version: no \(unit)", applied: true)
            }
        case .floor:
            return make("accounts.balance_floor",
                        "the balance may not go below \(policy.accounts.balanceFloor): \(Hundredths.trimmed(step.detail)) of the deduction is not taken (recorded as shortfall)",
                        effect: effect, applied: true)
        }
    }

    /// `: points EXPR` for a bonus or penalty whose points are computed per record (as a multiplier's line names its
    /// factor), or nothing for a fixed amount, which the effect shows as it is.
    private static func computed(_ points: PolicyAmount) -> String {
        if case .computed(let expression) = points { return ": points " + expression.text }
        return ""
    }

    private func holderNoun(_ record: Record) -> String { record.volunteer == nil ? "household" : "volunteer" }

    private func capLimit(_ cap: ScoringCap, policy: Policy, category: String) -> String? {
        let value: ExactDecimal?
        switch cap {
        case .categoryDaily: value = policy.category(category)?.dailyCap
        case .categoryMonthly: value = policy.category(category)?.monthlyCap
        case .daily: value = policy.caps.daily
        case .weekly: value = policy.caps.weekly
        case .monthly: value = policy.caps.monthly
        case .yearly: value = policy.caps.yearly
        }
        return value?.description
    }
}

extension ScoringRun {
    static func capName(_ cap: ScoringCap) -> String {
        switch cap {
        case .categoryDaily: "category daily"
        case .categoryMonthly: "category monthly"
        case .daily: "daily"
        case .weekly: "weekly"
        case .monthly: "monthly"
        case .yearly: "yearly"
        }
    }

    /// The rounding mode as the policy spells it.
    static func roundingName(_ mode: ExactDecimal.RoundingMode) -> String {
        switch mode {
        case .floor: "floor"
        case .ceil: "ceil"
        case .halfUp: "half_up"
        case .halfEven: "half_even"
        }
    }

    static func condition(_ condition: PolicyCondition) -> String {
        var parts: [String] = []
        if let categories = condition.categories { parts.append("categories " + categories.joined(separator: ", ")) }
        if let when = condition.when { parts.append("when " + when.text) }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")"
    }

    /// An amount × 60 as points: exact up to 4 decimals, else `≈` and 4 decimals.
    static func points(_ times60: ExactDecimal) -> String {
        guard let value = try? times60.divided(by: ExactDecimal(60)) else { return "?" }
        if value.scale <= 4 { return value.description }
        let shown = (try? value.rounded(toStep: ExactDecimal(significand: 1, scale: 4), mode: .halfEven)) ?? value
        return "≈" + shown.description
    }

    /// An effect × 60 with its sign, or empty for zero.
    static func signed(_ times60: ExactDecimal) -> String {
        guard !times60.isZero else { return "" }
        let text = points(times60)
        if times60.isNegative { return text }
        return text.hasPrefix("≈") ? "≈+" + text.dropFirst() : "+" + text
    }
}

extension Hundredths {
    /// Hundredths as points without trailing zeros: 2650 is "26.5", 6000 is "60", -5 is "-0.05".
    public static func trimmed(_ value: Int64) -> String {
        ExactDecimal(hundredths: value).description
    }
}
