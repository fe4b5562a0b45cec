/// What a new policy version changes, compared with an older one: the categories, indicators, multipliers, bonuses,
/// penalties, grants and catalog items it adds or removes (by id), and the rates, points, factors and prices it changes;
/// and the settings of [policy] `timezone` and `unit`, [earning], an indicator's `per` and `dimension`, a rule's
/// conditions (`when`, `categories`) and a bonus's `once`, [caps], a category's caps, a grant's `every` and `to`, [expiry],
/// [accounts], [transfers], the levels' thresholds, [ranking], a catalog item's `eligible` and [fund] it changes.
/// Expressions are compared by their tokens (white space between them is no change) and shown as written, on one line.
///
/// Labels, the catalog's keys other than `price` and `eligible` and [calendar] are not compared (`notCompared`
/// names them): this is the short list an admin reads before activating a version (`timebank policy check FILE
/// --against-active`), and `timebank policy show` prints the rest.
///
///     let comparison = PolicyComparison(from: stored, to: new)
///     comparison.changed    // [category "orange": 12 → 15]
///     comparison.settings   // [[multipliers.weekend] when: 'record.weekday in ["sat", "sun"]' → 'record.weekday == "sun"',
///                           //  [caps] monthly: 600 → 800]
///
/// - Complexity: O(n²) in the number of ids, which a policy keeps small.
public struct PolicyComparison: Sendable, Hashable {
    /// The kinds of ids compared, in the order they are listed.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case category, indicator, multiplier, bonus, penalty, grant
        case catalogItem = "catalog_item"
    }

    /// A rate, points or factor: a number, or an expression computed per record.
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case number(ExactDecimal)
        case expression(String)

        /// An expression as written, on one line (`CompiledExpression.spacedText`).
        init(_ amount: PolicyAmount) {
            switch amount {
            case .fixed(let value): self = .number(value)
            case .computed(let expression): self = .expression(expression.spacedText)
            }
        }

        public var description: String {
            switch self {
            case .number(let value): value.description
            case .expression(let text): "'" + text + "'"
            }
        }
    }

    /// A category, indicator, rule or catalog item with its value: `points_per_hour`, the indicator's or rule's `points`,
    /// `factor`, or the item's `price`.
    public struct Item: Sendable, Hashable {
        public var kind: Kind
        public var id: String
        public var label: String
        public var value: Value
        /// What `value` is compared by: an expression's tokens, so white space between them is no change.
        var comparedValue: String

        init(kind: Kind, id: String, label: String, value: Value) {
            self.init(kind: kind, id: id, label: label, value: value, comparedValue: value.description)
        }

        init(kind: Kind, id: String, label: String, amount: PolicyAmount) {
            let compared = switch amount {
            case .fixed(let number): number.description
            case .computed(let expression): "'" + expression.tokenText + "'"
            }
            self.init(kind: kind, id: id, label: label, value: Value(amount), comparedValue: compared)
        }

        init(kind: Kind, id: String, label: String, value: Value, comparedValue: String) {
            self.kind = kind
            self.id = id
            self.label = label
            self.value = value
            self.comparedValue = comparedValue
        }
    }

    /// An id both versions have, with a different value.
    public struct Change: Sendable, Hashable {
        public var kind: Kind
        public var id: String
        /// The new version's label.
        public var label: String
        public var old: Value
        public var new: Value
    }

    /// In the new version only, in its file order by kind.
    public var added: [Item]
    /// In the old version only, in its file order by kind.
    public var removed: [Item]
    /// In both, with another value, in the new version's file order by kind.
    public var changed: [Change]

    /// A setting outside the lists of ids, with another value in the new version.
    public struct SettingChange: Sendable, Hashable {
        /// The section and key as the file writes them: `[caps] monthly`, `[categories.green] daily_cap`.
        public var setting: String
        /// The old value in force, written as in a policy file (`600`, `half_even`, `true`), the default where the file
        /// leaves the key out; nil where there is none (no cap, no expiry after months).
        public var old: String?
        /// The new value, likewise.
        public var new: String?
        /// What the numbers count, for a reader (`points`, `days`); empty for a word or a flag.
        public var unit: String
    }

    /// The settings that differ, in the order of the sections in `config/policy.toml`: [policy] `timezone` and `unit`,
    /// [earning], the categories' caps
    /// (in the new version's order), the indicators' `per` and `dimension`, the multipliers', bonuses' and penalties'
    /// `when` and `categories` and the bonuses' `once`, [caps], [accounts], [transfers], [expiry], the grants' `every` and
    /// `to`, the levels' thresholds, [ranking], the catalog items' `eligible`, [fund].
    public var settings: [SettingChange]

    /// The ranking of the old version's period that the nightly settlement would not write when the new version ranks
    /// by another period: it ranks a period by the `[ranking]` of the version in force on the period's last day, so the
    /// old kind's period that the new version's `effective` date falls inside (it ends on or after that date) is never
    /// written (a switch from months to quarters from 2026-11-15 loses 2026-11; from 2026-12-01 nothing is lost). Nil
    /// when the period is kept.
    public var rankingNotWritten: ScoringWindow?

    /// What is not compared, for the reader of a comparison that lists nothing.
    public static let notCompared = ["labels", "catalog keys other than price and eligible", "level labels", "[calendar]"]

    /// Whether nothing compared differs.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty && settings.isEmpty }

    public init(from old: Policy, to new: Policy) {
        added = []
        removed = []
        changed = []
        settings = []
        for kind in Kind.allCases {
            let before = Self.items(kind, in: old)
            let after = Self.items(kind, in: new)
            for item in after {
                guard let previous = before.first(where: { $0.id == item.id }) else {
                    added.append(item)
                    continue
                }
                if previous.comparedValue != item.comparedValue {
                    changed.append(Change(kind: kind, id: item.id, label: item.label, old: previous.value, new: item.value))
                }
            }
            removed += before.filter { item in !after.contains { $0.id == item.id } }
        }
        settings = Self.settings(old, new)
        if let before = old.ranking, let after = new.ranking, before.period != after.period {
            let spanning = ScoringWindow(before.period, containing: new.effective.adding(days: -1))
            rankingNotWritten = spanning.lastDay >= new.effective ? spanning : nil
        }
    }

    /// The settings compared, old and new, keeping those that differ.
    static func settings(_ old: Policy, _ new: Policy) -> [SettingChange] {
        var changes: [SettingChange] = []
        func compare(_ setting: String, _ unit: String = "", _ value: (Policy) -> String?) {
            let (before, after) = (value(old), value(new))
            if before != after { changes.append(SettingChange(setting: setting, old: before, new: after, unit: unit)) }
        }
        // The zone decides which day is "yesterday" for the settlement from the effective date; the unit is what every
        // statement and receipt calls a point. Both change what people see, so both are said.
        compare("[policy] timezone") { $0.timezone }
        compare("[policy] unit") { $0.unit }
        compare("[earning] rounding") { policy in PolicyChecker.roundingWords.first { $0.1 == policy.earning.rounding }?.0 }
        compare("[earning] step", "points") { $0.earning.step.description }
        compare("[earning] min_minutes", "minutes") { "\($0.earning.minMinutes)" }
        compare("[earning] max_minutes_per_record", "minutes") { "\($0.earning.maxMinutesPerRecord)" }
        compare("[earning] require_verifier") { "\($0.earning.requireVerifier)" }
        compare("[earning] auto_accept_after_days", "days") { $0.earning.autoAcceptAfterDays.map { "\($0)" } }
        compare("[earning] combine_multipliers") { $0.earning.combineMultipliers.rawValue }
        // A category in both versions (one added or removed is listed with its rate).
        for category in new.categories where old.categories.contains(where: { $0.id == category.id }) {
            func cap(_ policy: Policy, _ key: KeyPath<PolicyCategory, ExactDecimal?>) -> String? {
                policy.categories.first { $0.id == category.id }?[keyPath: key]?.description
            }
            compare("[categories.\(category.id)] daily_cap", "points") { cap($0, \.dailyCap) }
            compare("[categories.\(category.id)] monthly_cap", "points") { cap($0, \.monthlyCap) }
        }
        // An indicator in both versions: its period and dimension. A period changed within a period (monthly to quarterly on
        // 06-15) does not count what the old period's awards gave: the admin should see it before activating.
        for indicator in new.indicators where old.indicators.contains(where: { $0.id == indicator.id }) {
            compare("[indicators.\(indicator.id)] per") { policy in policy.indicators.first { $0.id == indicator.id }?.per.rawValue }
            compare("[indicators.\(indicator.id)] dimension") { policy in policy.indicators.first { $0.id == indicator.id }?.dimension }
        }
        // A rule in both versions: which records it applies to. A condition is compared by its tokens (white space between
        // them is no change) and shown as written, on one line.
        func compareExpression(_ setting: String, _ value: (Policy) -> CompiledExpression?) {
            let (before, after) = (value(old), value(new))
            guard before?.tokenText != after?.tokenText else { return }
            changes.append(SettingChange(setting: setting, old: before.map { "'\($0.spacedText)'" }, new: after.map { "'\($0.spacedText)'" },
                                         unit: ""))
        }
        func conditions(_ section: String, _ id: String, _ condition: (Policy) -> PolicyCondition?) {
            compareExpression("[\(section).\(id)] when") { condition($0)?.when }
            compare("[\(section).\(id)] categories") { policy in
                condition(policy)?.categories.map { "[" + $0.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
            }
        }
        for rule in new.multipliers where old.multipliers.contains(where: { $0.id == rule.id }) {
            conditions("multipliers", rule.id) { policy in policy.multipliers.first { $0.id == rule.id }?.condition }
        }
        for rule in new.bonuses where old.bonuses.contains(where: { $0.id == rule.id }) {
            conditions("bonuses", rule.id) { policy in policy.bonuses.first { $0.id == rule.id }?.condition }
            compare("[bonuses.\(rule.id)] once") { policy in policy.bonuses.first { $0.id == rule.id }.map { "\($0.once)" } }
        }
        for rule in new.penalties where old.penalties.contains(where: { $0.id == rule.id }) {
            conditions("penalties", rule.id) { policy in policy.penalties.first { $0.id == rule.id }?.condition }
        }
        compare("[caps] daily", "points") { $0.caps.daily?.description }
        compare("[caps] weekly", "points") { $0.caps.weekly?.description }
        compare("[caps] monthly", "points") { $0.caps.monthly?.description }
        compare("[caps] yearly", "points") { $0.caps.yearly?.description }
        compare("[accounts] earn_to") { $0.accounts.earnTo.rawValue }
        compare("[accounts] balance_floor", "points") { $0.accounts.balanceFloor.description }
        compare("[transfers] enabled") { "\($0.transfers.enabled)" }
        compare("[transfers] max_points_per_month", "points") { $0.transfers.maxPointsPerMonth?.description }
        compare("[expiry] after_months", "months") { if case .afterMonths(let months) = $0.expiry.rule { "\(months)" } else { nil } }
        compare("[expiry] end_of_year") { $0.expiry.rule == .endOfYear ? "true" : nil }
        compare("[expiry] warn_days", "days") { "\($0.expiry.warnDays)" }
        // A grant in both versions (one added or removed is listed with its points).
        for grant in new.grants where old.grants.contains(where: { $0.id == grant.id }) {
            compare("[grants.\(grant.id)] every") { policy in policy.grants.first { $0.id == grant.id }?.every.rawValue }
            compare("[grants.\(grant.id)] to") { policy in policy.grants.first { $0.id == grant.id }?.to.rawValue }
        }
        // Star levels by id, in the new version's order and then those it drops: a threshold changed, added or removed.
        let levelIDs = new.levels.map(\.id) + old.levels.map(\.id).filter { id in !new.levels.contains { $0.id == id } }
        for id in levelIDs {
            func threshold(_ policy: Policy, hours: Bool) -> String? {
                switch policy.levels.first(where: { $0.id == id })?.threshold {
                case .hours(let value)?: hours ? value.description : nil
                case .points(let value)?: hours ? nil : value.description
                case nil: nil
                }
            }
            compare("[levels.\(id)] min_hours", "hours") { threshold($0, hours: true) }
            compare("[levels.\(id)] min_points", "points") { threshold($0, hours: false) }
        }
        compare("[ranking] period") { $0.ranking?.period.rawValue }
        compare("[ranking] top", "volunteers") { $0.ranking.map { "\($0.top)" } }
        compare("[ranking] by") { $0.ranking?.by.rawValue }
        // A catalog item in both versions: who may redeem it.
        for item in new.catalog where old.catalog.contains(where: { $0.id == item.id }) {
            compareExpression("[catalog.\(item.id)] eligible") { policy in policy.catalog.first { $0.id == item.id }?.eligible }
        }
        compare("[fund] merchant_rate") { $0.fund.merchantRate.description }
        compare("[fund] point_value", "CNY for one point") { $0.fund.pointValue.description }
        return changes
    }

    static func items(_ kind: Kind, in policy: Policy) -> [Item] {
        switch kind {
        case .category: policy.categories.map { Item(kind: kind, id: $0.id, label: $0.label, value: .number($0.pointsPerHour)) }
        case .indicator: policy.indicators.map { Item(kind: kind, id: $0.id, label: $0.label, value: .number($0.points)) }
        case .multiplier: policy.multipliers.map { Item(kind: kind, id: $0.id, label: $0.label, amount: $0.factor) }
        case .bonus: policy.bonuses.map { Item(kind: kind, id: $0.id, label: $0.label, amount: $0.points) }
        case .penalty: policy.penalties.map { Item(kind: kind, id: $0.id, label: $0.label, amount: $0.points) }
        case .grant: policy.grants.map { Item(kind: kind, id: $0.id, label: $0.label, value: .number($0.points)) }
        case .catalogItem: policy.catalog.map { Item(kind: kind, id: $0.id, label: $0.label, value: .number($0.price)) }
        }
    }
}
