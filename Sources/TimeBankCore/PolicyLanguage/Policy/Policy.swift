/// A checked, compiled points policy (schema v1): what turns service records and assessments
/// into points, what limits them, and what points buy. Made only by `PolicyLoader`, so every
/// value in it has passed the checks of `docs/policy.md`.
///
///     let result = PolicyLoader.load(bytes: Array(text.utf8), path: "config/policy.toml")
///     guard let policy = result.policy else { print(result.rendered()); return }
///     policy.category("orange")?.pointsPerHour   // 12
///     policy.earning.rounding                    // .halfEven
///
/// Amounts are `ExactDecimal` (never binary floating point); conditions and computed amounts are
/// expressions compiled once at load time. Every list keeps the order of the file, and every
/// item keeps the source range of its table so that a score can name the rule that made it.
public struct Policy: Sendable {
    /// `[policy] id`: a stable name of the policy across versions, such as `taibaihu-time-bank`.
    public var id: String
    /// `[policy] name`: a title for people (defaults to the id).
    public var name: String
    /// `[policy] version`: the admin's label of this version, such as `"3"` or `"2026-10"`.
    public var version: String
    /// `[policy] effective`: the first local date this version applies to.
    public var effective: LocalDate
    /// `[policy] timezone`: the community's time zone, such as `Asia/Shanghai` or `+08:00`.
    public var timezone: String
    /// `[policy] unit`: the display name of one point, such as "积分" or "信义币".
    public var unit: String
    /// `[earning]`: rounding and the limits of one record.
    public var earning: PolicyEarning
    /// `[categories.ID]`: hourly service categories, in file order.
    public var categories: [PolicyCategory]
    /// `[indicators.ID]`: assessment indicators, in file order.
    public var indicators: [PolicyIndicator]
    /// `[multipliers.ID]`, in file order.
    public var multipliers: [PolicyMultiplier]
    /// `[bonuses.ID]`, in file order.
    public var bonuses: [PolicyBonus]
    /// `[penalties.ID]`, in file order.
    public var penalties: [PolicyPenalty]
    /// `[caps]`: earning caps per volunteer (penalties are never capped).
    public var caps: PolicyCaps
    /// `[grants.ID]`: periodic grants such as a yearly base score (基础分), in file order.
    public var grants: [PolicyGrant]
    /// `[accounts]`: who earns and the balance floor.
    public var accounts: PolicyAccounts
    /// `[transfers]`: gifts of points between volunteers.
    public var transfers: PolicyTransfers
    /// `[expiry]`: when earned points expire.
    public var expiry: PolicyExpiry
    /// `[levels.ID]`: star levels from lowest to highest, in file order.
    public var levels: [PolicyLevel]
    /// `[ranking]`, when the policy ranks volunteers.
    public var ranking: PolicyRanking?
    /// `[catalog.ID]`: what points buy, in file order.
    public var catalog: [PolicyCatalogItem]
    /// `[fund]`: the money that backs the points.
    public var fund: PolicyFund
    /// `[calendar]`: public holidays (`record.is_holiday`).
    public var calendar: PolicyCalendar
    /// The schema the policy's expressions were checked against (declared categories, indicators, levels).
    public var expressionSchema: ExpressionSchema

    /// The category with this id.
    public func category(_ id: String) -> PolicyCategory? { categories.first { $0.id == id } }
    /// The indicator with this id.
    public func indicator(_ id: String) -> PolicyIndicator? { indicators.first { $0.id == id } }
    /// The catalog item with this id.
    public func catalogItem(_ id: String) -> PolicyCatalogItem? { catalog.first { $0.id == id } }
    /// The level with this id.
    public func level(_ id: String) -> PolicyLevel? { levels.first { $0.id == id } }

    /// The highest level whose threshold is met by `hours` served and `points` earned, or nil.
    public func level(forHours hours: ExactDecimal, points: ExactDecimal) -> PolicyLevel? {
        levels.last { level in
            switch level.threshold {
            case .hours(let minimum): hours >= minimum
            case .points(let minimum): points >= minimum
            }
        }
    }
}

/// `[earning]`: how a record's points are rounded and which records count.
public struct PolicyEarning: Sendable, Hashable {
    /// How a record's points are rounded to `step`.
    public var rounding: ExactDecimal.RoundingMode
    /// The award granularity, a multiple of 0.01 such as 0.5 or 1.
    public var step: ExactDecimal
    /// Records shorter than this earn nothing.
    public var minMinutes: Int
    /// Minutes beyond this in one record are not counted.
    public var maxMinutesPerRecord: Int
    /// Whether a record needs a verifier before it is accepted.
    public var requireVerifier: Bool
    /// A record nobody rejected is accepted this many days after it was submitted; nil: never automatically.
    public var autoAcceptAfterDays: Int?
    /// How the factors of several matching multipliers combine.
    public var combineMultipliers: PolicyMultiplierCombination

    /// Rounds a record's points to the step with the policy's rounding mode.
    public func round(_ points: ExactDecimal) throws(ExactDecimalError) -> ExactDecimal {
        try points.rounded(toStep: step, mode: rounding)
    }
}

/// How several matching multipliers combine into one factor.
public enum PolicyMultiplierCombination: String, Sendable, Hashable, CaseIterable {
    /// The largest factor wins: 1.5 and 2 give 2.
    case max
    /// The factors multiply: 1.5 and 2 give 3.
    case product
    /// The extra parts add up: 1.5 and 2 give 1 + 0.5 + 1 = 2.5; 0.5 and 0.4 give 1 − 0.5 − 0.6 = −0.1, so 0 (never below 0).
    case sum

    /// The combined factor of `factors`; 1 when there are none.
    public func combine(_ factors: [ExactDecimal]) throws(ExactDecimalError) -> ExactDecimal {
        guard let first = factors.first else { return .one }
        switch self {
        case .max:
            return factors.max() ?? first
        case .product:
            var result = ExactDecimal.one
            for factor in factors { result = try result.multiplied(by: factor) }
            return result
        case .sum:
            // Factors below 1 can add up to less than 0: a service then earns nothing from its hours, never less.
            return Swift.max(try Self.sumOfExtraParts(factors), ExactDecimal.zero)
        }
    }

    /// 1 plus each factor's extra part (1.5 adds 0.5, 0.4 takes 0.6): the "sum" before it is taken as at least 0, which
    /// `policy check` reports when it comes out at 0 or below (P121).
    public static func sumOfExtraParts(_ factors: [ExactDecimal]) throws(ExactDecimalError) -> ExactDecimal {
        var result = ExactDecimal.one
        for factor in factors { result = try result.adding(try factor.subtracting(.one)) }
        return result
    }
}

/// A calendar period for caps, limits, grants, indicators and rankings.
public enum PolicyPeriod: String, Sendable, Hashable, CaseIterable {
    case day
    case week
    case month
    case quarter
    case year

    /// The key of a cap of this period in `[caps]`, and the word for it in messages: `daily`, `monthly`.
    var capKey: String {
        switch self {
        case .day: "daily"
        case .week: "weekly"
        case .month: "monthly"
        case .quarter: "quarterly"
        case .year: "yearly"
        }
    }

    /// How many whole periods of this kind a year can touch at most (for affordability checks).
    var mostPerYear: Int {
        switch self {
        case .day: 366
        case .week: 53
        case .month: 12
        case .quarter: 4
        case .year: 1
        }
    }
}

/// Whose account points go to.
public enum PolicyAccountHolder: String, Sendable, Hashable, CaseIterable {
    case volunteer
    case household
}

/// A number as written in the policy, or an expression computed per record.
public enum PolicyAmount: Sendable {
    /// A number written as a number, such as `factor = 1.5`.
    case fixed(ExactDecimal)
    /// A decimal expression such as `factor = 'record.rating / 5'`.
    case computed(CompiledExpression)

    /// The amount for one record; a fixed amount needs no context.
    public func value(in context: ExpressionContext) -> Result<ExactDecimal, ExpressionEvaluationError> {
        switch self {
        case .fixed(let value): .success(value)
        case .computed(let expression): expression.evaluateNumber(context)
        }
    }

    /// The number, when it is fixed.
    public var fixedValue: ExactDecimal? {
        if case .fixed(let value) = self { return value }
        return nil
    }
}

/// When a multiplier, bonus or penalty applies: an optional list of categories and an optional
/// `when` expression, both of which must hold.
public struct PolicyCondition: Sendable {
    /// `categories = [...]`: the rule applies only to records of these categories; nil: any category.
    public var categories: [String]?
    /// `when = '...'`: nil means always.
    public var when: CompiledExpression?

    /// Whether the rule applies to the record in `context`.
    public func matches(_ context: ExpressionContext) -> Result<Bool, ExpressionEvaluationError> {
        if let categories, !categories.contains(context.record.category) { return .success(false) }
        guard let when else { return .success(true) }
        return when.evaluateCondition(context)
    }
}

/// `[categories.ID]`: an hourly service category, such as a five-colour team's work.
public struct PolicyCategory: Sendable, Hashable {
    /// The id from the table header, such as `orange` in `[categories.orange]`.
    public var id: String
    /// The name people read, such as "橙色关怀" (defaults to the id).
    public var label: String
    /// Points for one hour of service, before multipliers.
    public var pointsPerHour: ExactDecimal
    /// Most points one account (the volunteer's, or the household's under `earn_to = "household"`) earns in this category in a day; nil: no category cap.
    public var dailyCap: ExactDecimal?
    /// Most points one account earns in this category in a month; nil: no category cap.
    public var monthlyCap: ExactDecimal?
    /// Where the category's table is in the file.
    public var range: SourceRange
}

/// `[indicators.ID]`: an assessment indicator (信义积分): points for meeting it, or a deduction.
public struct PolicyIndicator: Sendable, Hashable {
    /// The id from the table header, such as `orange` in `[categories.orange]`.
    public var id: String
    /// The name people read (defaults to the id).
    public var label: String
    /// The dimension the indicator belongs to, such as "诚信守法" (empty when none).
    public var dimension: String
    /// Points per assessment; negative for a deduction.
    public var points: ExactDecimal
    /// An indicator is assessed at most once per this period (month, quarter or year).
    public var per: PolicyPeriod
    /// Where the item's table is in the file.
    public var range: SourceRange
}

/// `[multipliers.ID]`: a factor applied to the hourly points of matching records.
public struct PolicyMultiplier: Sendable {
    /// The id from the table header, such as `orange` in `[categories.orange]`.
    public var id: String
    /// The name people read (defaults to the id).
    public var label: String
    /// A number above 0, or a decimal expression.
    public var factor: PolicyAmount
    /// When the rule applies.
    public var condition: PolicyCondition
    /// Where the item's table is in the file.
    public var range: SourceRange
}

/// `[bonuses.ID]`: points added to a matching record, optionally once per volunteer.
public struct PolicyBonus: Sendable {
    /// The id from the table header, such as `orange` in `[categories.orange]`.
    public var id: String
    /// The name people read (defaults to the id).
    public var label: String
    /// Points above 0, or a decimal expression.
    public var points: PolicyAmount
    /// When the rule applies.
    public var condition: PolicyCondition
    /// Whether a volunteer receives the bonus at most once.
    public var once: Bool
    /// Where the item's table is in the file.
    public var range: SourceRange
}

/// `[penalties.ID]`: points taken for a matching record (never capped).
public struct PolicyPenalty: Sendable {
    /// The id from the table header, such as `orange` in `[categories.orange]`.
    public var id: String
    /// The name people read (defaults to the id).
    public var label: String
    /// Points below 0, or a decimal expression.
    public var points: PolicyAmount
    /// When the rule applies.
    public var condition: PolicyCondition
    /// Where the item's table is in the file.
    public var range: SourceRange
}

/// `[caps]`: the most points one account (the volunteer's, or the household's under `earn_to = "household"`) earns per period (earning only; penalties are not capped).
public struct PolicyCaps: Sendable, Hashable {
    /// Most points earned in a day; nil: no daily cap.
    public var daily: ExactDecimal?
    /// Most points earned in a week (Monday to Sunday); nil: no weekly cap.
    public var weekly: ExactDecimal?
    /// Most points earned in a calendar month; nil: no monthly cap.
    public var monthly: ExactDecimal?
    /// Most points earned in a calendar year; nil: no yearly cap.
    public var yearly: ExactDecimal?

    /// The caps that are set, with their periods, shortest period first.
    public var all: [(period: PolicyPeriod, points: ExactDecimal)] {
        [(PolicyPeriod.day, daily), (.week, weekly), (.month, monthly), (.year, yearly)]
            .compactMap { period, points in points.map { (period, $0) } }
    }
}

/// `[grants.ID]`: points granted every period, such as a yearly base score (基础分) per household.
public struct PolicyGrant: Sendable, Hashable {
    /// The id from the table header, such as `orange` in `[categories.orange]`.
    public var id: String
    /// The name people read (defaults to the id).
    public var label: String
    /// Points per grant.
    public var points: ExactDecimal
    /// Month, quarter or year.
    public var every: PolicyPeriod
    /// Who receives it: every volunteer, or every household.
    public var to: PolicyAccountHolder
    /// Where the item's table is in the file.
    public var range: SourceRange
}

/// `[accounts]`: whose account earned points go to, and how low a balance may go.
public struct PolicyAccounts: Sendable, Hashable {
    /// Whose account earned points go to.
    public var earnTo: PolicyAccountHolder
    /// The lowest balance spending may leave (0 or more).
    public var balanceFloor: ExactDecimal
}

/// `[transfers]`: whether volunteers may give points to each other, and how many a month.
public struct PolicyTransfers: Sendable, Hashable {
    /// Whether volunteers may give points to each other.
    public var enabled: Bool
    /// Most points one volunteer may give away in a month; nil: no limit.
    public var maxPointsPerMonth: ExactDecimal?
}

/// `[expiry]`: when earned points expire, and how early volunteers are warned.
public struct PolicyExpiry: Sendable, Hashable {
    /// The rule that decides a lot's expiry date.
    public enum Rule: Sendable, Hashable {
        /// Points never expire.
        case never
        /// Points earned on day D expire on D plus this many months (31 January + 1 month = 28 or 29 February).
        case afterMonths(Int)
        /// Points earned in a year are usable through its 31 December and expire on 1 January of the next year (a lot
        /// expiring on D is usable on the days before D): service on 31 December keeps its points until the year ends.
        case endOfYear
    }

    /// How the expiry date of earned points is found.
    public var rule: Rule
    /// How many days before expiry volunteers are told.
    public var warnDays: Int

    /// The date points earned on `date` expire, or nil when they never do.
    public func expiryDate(earnedOn date: LocalDate) -> LocalDate? {
        switch rule {
        case .never: nil
        case .afterMonths(let months): date.adding(months: months)
        case .endOfYear: LocalDate(year: date.year + 1, month: 1, day: 1)
        }
    }
}

/// `[levels.ID]`: a level such as a star level (星级), reached by hours served or points earned.
public struct PolicyLevel: Sendable, Hashable {
    /// What a level is reached by.
    public enum Threshold: Sendable, Hashable {
        /// Hours served, at least.
        case hours(ExactDecimal)
        /// Points earned, at least.
        case points(ExactDecimal)
    }

    /// The id from the table header, such as `orange` in `[categories.orange]`.
    public var id: String
    /// The name people read (defaults to the id).
    public var label: String
    /// What reaching the level needs.
    public var threshold: Threshold
    /// Where the item's table is in the file.
    public var range: SourceRange
}

/// `[ranking]`: a ranking of volunteers each period, such as a monthly top 10.
public struct PolicyRanking: Sendable, Hashable {
    /// What volunteers are ranked by.
    public enum Measure: String, Sendable, Hashable, CaseIterable {
        case points
        case hours
    }

    /// How often the ranking is made.
    public var period: PolicyPeriod
    /// How many volunteers are listed.
    public var top: Int
    /// What volunteers are ranked by.
    public var by: Measure
}

/// `[catalog.ID]`: an item of the redemption catalog (积分超市): goods or a service.
public struct PolicyCatalogItem: Sendable {
    /// Goods are counted in stock; services have a daily capacity.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case goods
        case service
    }

    /// At most `count` redemptions per volunteer per period.
    public struct Limit: Sendable, Hashable {
        /// Redemptions allowed per period.
        public var count: Int
        /// The period the count applies to.
        public var per: PolicyPeriod
    }

    /// The id from the table header, such as `orange` in `[categories.orange]`.
    public var id: String
    /// The name people read (defaults to the id).
    public var label: String
    /// Goods or a service.
    public var kind: Kind
    /// A heading for the catalog, such as "生活用品" (empty when none).
    public var group: String
    /// Points one redemption costs.
    public var price: ExactDecimal
    /// What one item costs the fund, in CNY.
    public var unitCost: ExactDecimal?
    /// How often one volunteer may redeem it; nil: no limit.
    public var limit: Limit?
    /// Who may redeem it (reads `volunteer.*` and `household.*`); nil: everyone.
    public var eligible: CompiledExpression?
    /// For a service: most redemptions per station per day; nil: no limit.
    public var capacityPerDay: Int?
    /// For goods: the stock (units at one station) at or below which the stations report lists the item as low;
    /// nil: `defaultLowStock`.
    public var lowStock: Int?
    /// Where the item's table is in the file.
    public var range: SourceRange

    /// The low-stock level of goods whose table does not set `low_stock`.
    public static let defaultLowStock = 5

    /// The level in force: `low_stock`, else `defaultLowStock`.
    public var lowStockLevel: Int { lowStock ?? Self.defaultLowStock }
}

/// `[fund]`: the community micro-fund (社区微基金) that backs the points.
public struct PolicyFund: Sendable, Hashable {
    /// Always "CNY" in this version.
    public var currency: String
    /// The share of merchant turnover paid into the fund, such as 0.001 (0.1%).
    public var merchantRate: ExactDecimal
    /// CNY that backs one point.
    public var pointValue: ExactDecimal
}

/// `[calendar]`: the community's public holidays.
public struct PolicyCalendar: Sendable, Hashable {
    /// In file order.
    public var holidays: [LocalDate]

    /// Whether `date` is a holiday (`record.is_holiday`).
    public func isHoliday(_ date: LocalDate) -> Bool { holidays.contains(date) }
}
