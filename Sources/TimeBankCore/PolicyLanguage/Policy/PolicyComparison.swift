/// What a new policy version changes, compared with an older one: the categories, indicators, multipliers, bonuses,
/// penalties, grants and catalog items it adds or removes (by id; a rule with its `when`, `categories` and `once`, a
/// catalog item with its `eligible`), and the rates, points, factors and prices it changes; the settings of [policy]
/// `timezone` and `unit`, [earning], an indicator's `per` and `dimension`, a rule's conditions (`when`, `categories`)
/// and a bonus's `once`, [caps], a category's caps, a grant's `every` and `to`, [expiry], [accounts], [transfers], the
/// levels' thresholds, [ranking], a catalog item's `kind`, `unit_cost`, `limit`, `eligible`, `capacity_per_day` and
/// `low_stock`, and [fund] it changes; and the [calendar] holidays it adds or removes from its effective date on.
/// Expressions are compared by their tokens (white space between them is no change) and shown as written, on one line.
///
/// Labels, [policy] `name` and the catalog's `group` are not compared (`notCompared` names them): they change no
/// points and nobody's right to anything, and `timebank policy show` prints them.
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
        /// A multiplier's, bonus's or penalty's `when` as written, on one line (`CompiledExpression.spacedText`); nil: none
        /// (always), or not a rule. Listed with an added or removed rule, so an admin sees which records it applies to.
        public var when: String?
        /// A rule's `categories`; nil: any category, or not a rule.
        public var categories: [String]?
        /// A bonus's `once`; nil for everything else.
        public var once: Bool?
        /// A catalog item's `eligible` as written, on one line; nil: everyone, or not a catalog item.
        public var eligible: String?
        /// The keys an added or removed item has beyond its value, as a policy file writes them, which the comparison of an
        /// item in both versions compares one by one: a category's `daily_cap = 40` and `monthly_cap`, an indicator's
        /// `per = "month"` and `dimension`, a grant's `every` and `to`, a catalog item's `kind`, `unit_cost`, `limit` and
        /// `capacity_per_day`; keys not written are left out.
        public var details: [String] = []

        /// Whether the item is a multiplier, bonus or penalty: one with neither `when` nor `categories` applies to every record.
        public var isRule: Bool { kind == .multiplier || kind == .bonus || kind == .penalty }

        init(kind: Kind, id: String, label: String, value: Value) {
            self.init(kind: kind, id: id, label: label, value: value, comparedValue: value.description)
        }

        init(kind: Kind, id: String, label: String, amount: PolicyAmount, condition: PolicyCondition, once: Bool? = nil) {
            let compared = switch amount {
            case .fixed(let number): number.description
            case .computed(let expression): "'" + expression.tokenText + "'"
            }
            self.init(kind: kind, id: id, label: label, value: Value(amount), comparedValue: compared)
            when = condition.when?.spacedText
            categories = condition.categories
            self.once = once
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
    /// `to`, the levels' thresholds, [ranking], the catalog items' `kind`, `unit_cost`, `limit`, `eligible`,
    /// `capacity_per_day` and `low_stock`, [fund].
    public var settings: [SettingChange]

    /// The ranking of the old version's period that the nightly settlement would not write when the new version ranks
    /// by another period: it ranks a period by the `[ranking]` of the version in force on the period's last day, so the
    /// old kind's period that the new version's `effective` date falls inside (it ends on or after that date) is never
    /// written (a switch from months to quarters from 2026-11-15 loses 2026-11; from 2026-12-01 nothing is lost). Nil
    /// when the period is kept.
    public var rankingNotWritten: ScoringWindow?

    /// `[calendar] holidays` the new version has and the old one had not, from the new version's `effective` date on,
    /// earliest first: `record.is_holiday` becomes true on them. A date before `effective` is not compared: no record the
    /// new version scores falls on it.
    public var holidaysAdded: [LocalDate]
    /// `[calendar] holidays` the old version had and the new one has not, from the new version's `effective` date on,
    /// earliest first: `record.is_holiday` becomes false on them.
    public var holidaysRemoved: [LocalDate]

    /// What is not compared, for the reader of a comparison: names for people and the catalog's headings.
    public static let notCompared = ["labels", "[policy] name", "catalog groups"]

    /// Whether nothing compared differs.
    public var isEmpty: Bool {
        added.isEmpty && removed.isEmpty && changed.isEmpty && settings.isEmpty && holidaysAdded.isEmpty && holidaysRemoved.isEmpty
    }

    public init(from old: Policy, to new: Policy) {
        added = []
        removed = []
        changed = []
        settings = []
        holidaysAdded = []
        holidaysRemoved = []
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
        let before = Set(old.calendar.holidays.filter { $0 >= new.effective })
        let after = Set(new.calendar.holidays.filter { $0 >= new.effective })
        holidaysAdded = after.subtracting(before).sorted()
        holidaysRemoved = before.subtracting(after).sorted()
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
            // The same categories in another order apply to the same records: no change. Shown as written.
            let (before, after) = (condition(old)?.categories, condition(new)?.categories)
            if before.map(Set.init) != after.map(Set.init) {
                changes.append(SettingChange(setting: "[\(section).\(id)] categories", old: before.map(Self.written), new: after.map(Self.written),
                                             unit: ""))
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
        // A catalog item in both versions (one added or removed is listed with its price and eligible): what it is, what it
        // costs the fund, how often one volunteer may take it, who may, how many a station serves a day, when it is low.
        for item in new.catalog where old.catalog.contains(where: { $0.id == item.id }) {
            func key<Value>(_ policy: Policy, _ value: (PolicyCatalogItem) -> Value?) -> Value? {
                policy.catalog.first { $0.id == item.id }.flatMap(value)
            }
            let section = "[catalog.\(item.id)]"
            compare("\(section) kind") { key($0) { $0.kind.rawValue } }
            compare("\(section) unit_cost", "CNY") { key($0) { $0.unitCost?.description } }
            compare("\(section) limit") { key($0) { $0.limit.map { "{ count = \($0.count), per = \"\($0.per.rawValue)\" }" } } }
            compareExpression("\(section) eligible") { key($0) { $0.eligible } }
            compare("\(section) capacity_per_day", "redemptions") { key($0) { $0.capacityPerDay.map { "\($0)" } } }
            // Goods that leave low_stock out are low at the default level; a service has no stock.
            compare("\(section) low_stock", "units") { key($0) { $0.kind == .goods ? "\($0.lowStockLevel)" : nil } }
        }
        compare("[fund] merchant_rate") { $0.fund.merchantRate.description }
        compare("[fund] point_value", "CNY for one point") { $0.fund.pointValue.description }
        return changes
    }

    /// A rule's `categories` as a policy file writes them: `["orange", "green"]`.
    public static func written(_ categories: [String]) -> String {
        "[" + categories.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    static func items(_ kind: Kind, in policy: Policy) -> [Item] {
        switch kind {
        case .category: policy.categories.map { category in
            var item = Item(kind: kind, id: category.id, label: category.label, value: .number(category.pointsPerHour))
            item.details = [category.dailyCap.map { "daily_cap = \($0)" }, category.monthlyCap.map { "monthly_cap = \($0)" }].compactMap { $0 }
            return item
        }
        case .indicator: policy.indicators.map { indicator in
            var item = Item(kind: kind, id: indicator.id, label: indicator.label, value: .number(indicator.points))
            item.details = ["per = \"\(indicator.per.rawValue)\""] + (indicator.dimension.isEmpty ? [] : ["dimension = \"\(indicator.dimension)\""])
            return item
        }
        case .multiplier: policy.multipliers.map { Item(kind: kind, id: $0.id, label: $0.label, amount: $0.factor, condition: $0.condition) }
        case .bonus: policy.bonuses.map { Item(kind: kind, id: $0.id, label: $0.label, amount: $0.points, condition: $0.condition, once: $0.once) }
        case .penalty: policy.penalties.map { Item(kind: kind, id: $0.id, label: $0.label, amount: $0.points, condition: $0.condition) }
        case .grant: policy.grants.map { grant in
            var item = Item(kind: kind, id: grant.id, label: grant.label, value: .number(grant.points))
            item.details = ["every = \"\(grant.every.rawValue)\"", "to = \"\(grant.to.rawValue)\""]
            return item
        }
        case .catalogItem: policy.catalog.map { catalogItem in
            var item = Item(kind: kind, id: catalogItem.id, label: catalogItem.label, value: .number(catalogItem.price))
            item.eligible = catalogItem.eligible?.spacedText
            item.details = ["kind = \"\(catalogItem.kind.rawValue)\"", catalogItem.unitCost.map { "unit_cost = \($0)" },
                            catalogItem.limit.map { "limit = { count = \($0.count), per = \"\($0.per.rawValue)\" }" },
                            catalogItem.capacityPerDay.map { "capacity_per_day = \($0)" }].compactMap { $0 }
            return item
        }
        }
    }
}
