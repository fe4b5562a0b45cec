/// What the policy tells the expression checker: the names it declares and the fields it has
/// switched off. The fields themselves are fixed (see `ExpressionSchema.fields`).
///
///     let schema = ExpressionSchema(categories: ["red", "orange", "blue", "green", "purple"])
///     ExpressionCompiler.compile(#"record.category == "orang""#, at: start, expecting: .bool, schema: schema)
///     // error[P230]: unknown category "orang"; help: did you mean "orange"?
public struct ExpressionSchema: Sendable, Hashable {
    /// The category ids the policy declares; a string compared with `record.category` must be one of them.
    public var categories: [String]
    /// The indicator ids the policy declares, or nil to leave `record.indicator` comparisons unchecked.
    public var indicators: [String]?
    /// The station ids the community has, or nil to leave `record.station` comparisons unchecked.
    public var stations: [String]?
    /// The volunteer levels the policy declares, or nil to leave `volunteer.level` comparisons unchecked.
    public var volunteerLevels: [String]?
    /// The community's teams, or nil to leave `volunteer.teams` lookups unchecked. A team that is not one is a warning
    /// (P233), never an error: the community's teams can change after a version is stored.
    public var teams: [Team]?
    /// Fields the policy has switched off (a feature flag), keyed by path such as `"record.rating"`,
    /// with the reason shown to the admin who uses one anyway.
    public var unavailableFields: [String: String]
    /// The label of each category that has one (`"purple": "紫色便民"`), so that a label written where an id belongs
    /// is answered with the id.
    public var categoryLabels: [String: String]
    /// The label of each indicator that has one (`"garbage_sorting": "垃圾分类达标"`), likewise.
    public var indicatorLabels: [String: String]
    /// The label of each level that has one (`"star1": "一星志愿者"`), likewise.
    public var levelLabels: [String: String]

    /// Creates a schema from the policy's declarations.
    public init(
        categories: [String], indicators: [String]? = nil, stations: [String]? = nil,
        volunteerLevels: [String]? = nil, unavailableFields: [String: String] = [:], categoryLabels: [String: String] = [:],
        indicatorLabels: [String: String] = [:], levelLabels: [String: String] = [:], teams: [Team]? = nil
    ) {
        self.indicatorLabels = indicatorLabels
        self.levelLabels = levelLabels
        self.teams = teams
        self.categories = categories
        self.indicators = indicators
        self.stations = stations
        self.volunteerLevels = volunteerLevels
        self.unavailableFields = unavailableFields
        self.categoryLabels = categoryLabels
    }

    /// The one declared category whose label is `label`; nil when none has it, or several do (no guessing).
    public func categoryID(labelled label: String) -> String? {
        let ids = categories.filter { categoryLabels[$0] == label }
        return ids.count == 1 ? ids[0] : nil
    }

    /// The one declared category, indicator or level whose label is `label`; nil for stations, when none has it, or
    /// when several do.
    func id(labelled label: String, kind: ExpressionDeclaredNames) -> String? {
        let labels: [String: String]
        switch kind {
        case .category: return categoryID(labelled: label)
        case .indicator: labels = indicatorLabels
        case .level: labels = levelLabels
        case .station: return nil
        }
        let ids = (kind.names(in: self) ?? []).filter { labels[$0] == label }
        return ids.count == 1 ? ids[0] : nil
    }

    /// Every field an expression can read, in documentation order.
    public static var fields: [ExpressionFieldInfo] {
        ExpressionField.all.map {
            ExpressionFieldInfo(path: $0.path, type: $0.type, isOptional: $0.presenceKey != nil, summary: $0.summary)
        }
    }
}

/// A description of one readable field, for documentation and tools.
public struct ExpressionFieldInfo: Sendable, Hashable {
    /// The path as written in an expression, such as `record.rating`.
    public let path: String
    public let type: ExpressionType
    /// Whether the field can be absent (test it with `has(...)`).
    public let isOptional: Bool
    /// What the field means, with its allowed values where they are fixed.
    public let summary: String
}

/// The three names an expression can start from.
enum ExpressionRoot: String, CaseIterable, Sendable {
    case record
    case volunteer
    case household
}

/// The values a field can take, used to reject comparisons that can never hold.
enum ExpressionFieldDomain: Sendable {
    /// A fixed set of strings; `aliases` maps common misspellings (lowercased) to the right value.
    case strings([String], aliases: [String: String])
    /// Names the policy declares (categories, indicators, ...), looked up in the schema.
    case declared(ExpressionDeclaredNames)
    /// Whole numbers in a closed range.
    case integers(ClosedRange<Int>)
}

/// Which list of declared names a field's values come from.
enum ExpressionDeclaredNames: String, Sendable {
    case category
    case indicator
    case station
    case level

    /// The declared names, or nil when the policy does not constrain them.
    func names(in schema: ExpressionSchema) -> [String]? {
        switch self {
        case .category: schema.categories
        case .indicator: schema.indicators
        case .station: schema.stations
        case .level: schema.volunteerLevels
        }
    }
}

/// One readable field: its type, whether it can be absent, its domain, and how to read it.
struct ExpressionField: Sendable {
    let root: ExpressionRoot
    let name: String
    let type: ExpressionType
    /// Nil when the field is always present; otherwise the key `has(...)` proves present
    /// (all household fields share the key "household": they are present together).
    let presenceKey: String?
    let domain: ExpressionFieldDomain?
    let summary: String
    /// Reads the field; nil means absent.
    let read: @Sendable (ExpressionContext) -> ExpressionValue?

    var path: String { root.rawValue + "." + name }

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Full English and Chinese weekday names, so `"saturday"` or `"周六"` gets `did you mean "sat"?`.
    static let weekdayAliases: [String: String] = {
        let english = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        let chineseDays = ["一", "二", "三", "四", "五", "六", "日"]
        var aliases: [String: String] = [:]
        for (index, short) in weekdays.enumerated() {
            aliases[english[index]] = short
            aliases["周" + chineseDays[index]] = short
            aliases["星期" + chineseDays[index]] = short
        }
        aliases["周天"] = "sun"
        aliases["星期天"] = "sun"
        return aliases
    }()

    static let responseLevelAliases: [String: String] = ["1": "I", "2": "II", "3": "III", "Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III"]

    /// All fields, in documentation order.
    static let all: [ExpressionField] = [
        // record
        ExpressionField(
            root: .record, name: "category", type: .string, presenceKey: nil, domain: .declared(.category),
            summary: "the record's category id; must be a category the policy declares"
        ) { .string($0.record.category) },
        ExpressionField(
            root: .record, name: "indicator", type: .string, presenceKey: nil, domain: .declared(.indicator),
            summary: "the indicator id of an assessment; empty for a service record"
        ) { .string($0.record.indicator) },
        ExpressionField(
            root: .record, name: "kind", type: .string, presenceKey: nil,
            domain: .strings(ExpressionRecordKind.allCases.map(\.rawValue), aliases: [:]),
            summary: "\"service\" or \"assessment\""
        ) { .string($0.record.kind.rawValue) },
        ExpressionField(
            root: .record, name: "date", type: .date, presenceKey: nil, domain: nil,
            summary: "the service date"
        ) { .date($0.record.date) },
        ExpressionField(
            root: .record, name: "weekday", type: .string, presenceKey: nil,
            domain: .strings(weekdays, aliases: weekdayAliases),
            summary: "the day of the week of record.date: \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\""
        ) { .string(weekdays[$0.record.date.isoWeekday - 1]) },
        ExpressionField(
            root: .record, name: "minutes", type: .int, presenceKey: nil, domain: nil,
            summary: "the length of the service in minutes"
        ) { .int($0.record.minutes) },
        ExpressionField(
            root: .record, name: "hours", type: .decimal, presenceKey: nil, domain: nil,
            summary: "record.minutes / 60 (exact, or rounded half-even to 18 fractional digits)"
        ) { context in
            // minutes / 60 always fits: |minutes| < 10^19, so the quotient is far below 10^20.
            (try? ExactDecimal(context.record.minutes).divided(by: ExactDecimal(60))).map { .decimal($0) }
        },
        ExpressionField(
            root: .record, name: "start_hour", type: .int, presenceKey: "record.start_hour", domain: .integers(0...23),
            summary: "the hour the service started, 0 to 23"
        ) { context in context.record.startHour.map { .int($0) } },
        ExpressionField(
            root: .record, name: "response_level", type: .string, presenceKey: "record.response_level",
            domain: .strings(["I", "II", "III"], aliases: responseLevelAliases),
            summary: "the emergency response level \"I\" (severe), \"II\" (serious) or \"III\" (normal)"
        ) { context in context.record.responseLevel.map { .string($0) } },
        ExpressionField(
            root: .record, name: "rating", type: .int, presenceKey: "record.rating", domain: .integers(1...5),
            summary: "the satisfaction rating, 1 to 5"
        ) { context in context.record.rating.map { .int($0) } },
        ExpressionField(
            root: .record, name: "tags", type: .list(.string), presenceKey: nil, domain: nil,
            summary: "the record's tags"
        ) { context in .list(context.record.tags.map { .string($0) }) },
        ExpressionField(
            root: .record, name: "station", type: .string, presenceKey: "record.station", domain: .declared(.station),
            summary: "the station the service was done for"
        ) { context in context.record.station.map { .string($0) } },
        ExpressionField(
            root: .record, name: "verifier", type: .string, presenceKey: "record.verifier", domain: nil,
            summary: "who verified the record"
        ) { context in context.record.verifier.map { .string($0) } },
        ExpressionField(
            root: .record, name: "is_holiday", type: .bool, presenceKey: nil, domain: nil,
            summary: "whether record.date is a public holiday"
        ) { .bool($0.record.isHoliday) },
        // volunteer
        ExpressionField(
            root: .volunteer, name: "id", type: .string, presenceKey: nil, domain: nil,
            summary: "the volunteer's id"
        ) { .string($0.volunteer.id) },
        ExpressionField(
            root: .volunteer, name: "household", type: .string, presenceKey: "household", domain: nil,
            summary: "the volunteer's household id (absent when the volunteer has no household)"
        ) { context in context.volunteer.household.map { .string($0) } },
        ExpressionField(
            root: .volunteer, name: "teams", type: .list(.string), presenceKey: nil, domain: nil,
            summary: "the teams the volunteer belongs to"
        ) { context in .list(context.volunteer.teams.map { .string($0) }) },
        ExpressionField(
            root: .volunteer, name: "tags", type: .list(.string), presenceKey: nil, domain: nil,
            summary: "the volunteer's profile tags"
        ) { context in .list(context.volunteer.tags.map { .string($0) }) },
        ExpressionField(
            root: .volunteer, name: "age", type: .int, presenceKey: "volunteer.age", domain: nil,
            summary: "the volunteer's age in whole years on record.date (absent when the birth date is unknown)"
        ) { context in context.volunteer.age(on: context.record.date).map { .int($0) } },
        ExpressionField(
            root: .volunteer, name: "joined", type: .date, presenceKey: nil, domain: nil,
            summary: "the date the volunteer joined"
        ) { .date($0.volunteer.joined) },
        ExpressionField(
            root: .volunteer, name: "hours_total", type: .decimal, presenceKey: nil, domain: nil,
            summary: "hours served before this record"
        ) { .decimal($0.volunteer.hoursTotal) },
        ExpressionField(
            root: .volunteer, name: "records_total", type: .int, presenceKey: nil, domain: nil,
            summary: "records accepted before this record"
        ) { .int($0.volunteer.recordsTotal) },
        ExpressionField(
            root: .volunteer, name: "level", type: .string, presenceKey: "volunteer.level", domain: .declared(.level),
            summary: "the volunteer's level, such as a star level"
        ) { context in context.volunteer.level.map { .string($0) } },
        // household: every field is absent when the volunteer has no household.
        ExpressionField(
            root: .household, name: "id", type: .string, presenceKey: "household", domain: nil,
            summary: "the household's id (every household field is absent when the volunteer has no household)"
        ) { context in context.household.map { .string($0.id) } },
        ExpressionField(
            root: .household, name: "name", type: .string, presenceKey: "household", domain: nil,
            summary: "the household's name"
        ) { context in context.household.map { .string($0.name) } },
        ExpressionField(
            root: .household, name: "members", type: .int, presenceKey: "household", domain: nil,
            summary: "how many members the household has"
        ) { context in context.household.map { .int($0.members) } },
        ExpressionField(
            root: .household, name: "hours_total", type: .decimal, presenceKey: "household", domain: nil,
            summary: "hours the household's members served before this record"
        ) { context in context.household.map { .decimal($0.hoursTotal) } },
        ExpressionField(
            root: .household, name: "points_total", type: .decimal, presenceKey: "household", domain: nil,
            summary: "points the household earned before this record"
        ) { context in context.household.map { .decimal($0.pointsTotal) } },
    ]

    /// The fields of one root, by name.
    static let byRoot: [ExpressionRoot: [String: ExpressionField]] = {
        var table: [ExpressionRoot: [String: ExpressionField]] = [:]
        for field in all { table[field.root, default: [:]][field.name] = field }
        return table
    }()

    /// The field names of one root, in documentation order (for suggestions).
    static func names(of root: ExpressionRoot) -> [String] {
        all.filter { $0.root == root }.map(\.name)
    }
}
