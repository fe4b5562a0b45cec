/// Whether a record is an hourly service or an indicator assessment.
public enum ExpressionRecordKind: String, Sendable, Hashable, CaseIterable {
    case service
    case assessment
}

/// What an expression can read about the record being scored (`record.*`).
///
/// `record.weekday` and `record.hours` are derived from `date` and `minutes`, so they can never disagree.
public struct ExpressionRecordFacts: Sendable, Hashable {
    /// `record.kind`.
    public var kind: ExpressionRecordKind
    /// `record.category`: a category id the policy declares, such as "orange".
    public var category: String
    /// `record.indicator`: the indicator id of an assessment; empty for a service record.
    public var indicator: String
    /// `record.date`: the service date (also gives `record.weekday` and `volunteer.age`).
    public var date: LocalDate
    /// `record.minutes`: the length of the service.
    public var minutes: Int
    /// `record.start_hour`: the hour the service started, 0...23, if known.
    public var startHour: Int?
    /// `record.response_level`: "I", "II" or "III" during an emergency response.
    public var responseLevel: String?
    /// `record.rating`: the satisfaction rating 1...5, if the served resident gave one.
    public var rating: Int?
    /// `record.tags`.
    public var tags: [String]
    /// `record.station`: the station the service was done for, if any.
    public var station: String?
    /// `record.verifier`: who verified the record, if anyone yet.
    public var verifier: String?
    /// `record.is_holiday`: whether the date is a public holiday in the community's calendar.
    public var isHoliday: Bool

    /// Creates the facts of one record; optional facts default to absent.
    public init(
        kind: ExpressionRecordKind = .service, category: String, indicator: String = "", date: LocalDate,
        minutes: Int, startHour: Int? = nil, responseLevel: String? = nil, rating: Int? = nil,
        tags: [String] = [], station: String? = nil, verifier: String? = nil, isHoliday: Bool = false
    ) {
        self.kind = kind
        self.category = category
        self.indicator = indicator
        self.date = date
        self.minutes = minutes
        self.startHour = startHour
        self.responseLevel = responseLevel
        self.rating = rating
        self.tags = tags
        self.station = station
        self.verifier = verifier
        self.isHoliday = isHoliday
    }
}

/// What an expression can read about the volunteer who served (`volunteer.*`).
public struct ExpressionVolunteerFacts: Sendable, Hashable {
    /// `volunteer.id`.
    public var id: String
    /// `volunteer.household`: the household id, absent when the volunteer belongs to none.
    public var household: String?
    /// `volunteer.teams`.
    public var teams: [String]
    /// `volunteer.tags`.
    public var tags: [String]
    /// The birth date, if known; `volunteer.age` is computed from it on the service date.
    public var birthDate: LocalDate?
    /// `volunteer.joined`.
    public var joined: LocalDate
    /// `volunteer.hours_total`: hours served before this record.
    public var hoursTotal: ExactDecimal
    /// `volunteer.records_total`: records accepted before this record.
    public var recordsTotal: Int
    /// `volunteer.level`: a star level or similar, if the community uses levels.
    public var level: String?

    /// Creates the facts of one volunteer; optional facts default to absent.
    public init(
        id: String, household: String? = nil, teams: [String] = [], tags: [String] = [],
        birthDate: LocalDate? = nil, joined: LocalDate, hoursTotal: ExactDecimal = .zero,
        recordsTotal: Int = 0, level: String? = nil
    ) {
        self.id = id
        self.household = household
        self.teams = teams
        self.tags = tags
        self.birthDate = birthDate
        self.joined = joined
        self.hoursTotal = hoursTotal
        self.recordsTotal = recordsTotal
        self.level = level
    }

    /// Age in whole years on `date`, or nil when the birth date is unknown or after `date`.
    /// Someone born on 29 February turns a year older on 1 March in common years.
    public func age(on date: LocalDate) -> Int? {
        guard let birthDate, birthDate <= date else { return nil }
        let hadBirthday = (date.month, date.day) >= (birthDate.month, birthDate.day)
        return date.year - birthDate.year - (hadBirthday ? 0 : 1)
    }
}

/// What an expression can read about the volunteer's household (`household.*`).
public struct ExpressionHouseholdFacts: Sendable, Hashable {
    /// `household.id`.
    public var id: String
    /// `household.name`.
    public var name: String
    /// `household.members`.
    public var members: Int
    /// `household.hours_total`.
    public var hoursTotal: ExactDecimal
    /// `household.points_total`.
    public var pointsTotal: ExactDecimal

    /// Creates the facts of one household.
    public init(id: String, name: String, members: Int, hoursTotal: ExactDecimal = .zero, pointsTotal: ExactDecimal = .zero) {
        self.id = id
        self.name = name
        self.members = members
        self.hoursTotal = hoursTotal
        self.pointsTotal = pointsTotal
    }
}

/// Everything one evaluation can read. When `household` is nil every `household.*` field is absent.
public struct ExpressionContext: Sendable, Hashable {
    public var record: ExpressionRecordFacts
    public var volunteer: ExpressionVolunteerFacts
    public var household: ExpressionHouseholdFacts?

    /// Creates a context for scoring one record.
    public init(record: ExpressionRecordFacts, volunteer: ExpressionVolunteerFacts, household: ExpressionHouseholdFacts? = nil) {
        self.record = record
        self.volunteer = volunteer
        self.household = household
    }

    /// A context for evaluating expressions that read no field (such as `'1.5'`, `'false'` or a divisor `(60 - 60)`);
    /// its facts are never read.
    static let readingNothing = ExpressionContext(
        record: ExpressionRecordFacts(category: "", date: LocalDate(daysSinceEpoch: 0), minutes: 0),
        volunteer: ExpressionVolunteerFacts(id: "", joined: LocalDate(daysSinceEpoch: 0)))
}
