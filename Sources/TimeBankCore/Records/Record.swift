/// A time of day in whole minutes since midnight, `00:00` to `24:00` (`24:00` only ends a service).
///
///     TimeOfDay(parsing: "09:30")?.minutesSinceMidnight   // 570
///     TimeOfDay(minutesSinceMidnight: 1440).description   // "24:00"
public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 0...1440.
    public let minutesSinceMidnight: Int

    /// The last minute a service can end at: midnight at the end of the day.
    public static let endOfDayMinutes = 1440

    /// Creates a time from minutes since midnight, or nil outside 0...1440.
    public init?(minutesSinceMidnight minutes: Int) {
        guard (0...TimeOfDay.endOfDayMinutes).contains(minutes) else { return nil }
        self.minutesSinceMidnight = minutes
    }

    /// Parses `H:MM`, `HH:MM` or `HH:MM:00` (24-hour clock, `24:00` allowed). Seconds other than
    /// `00` are refused: service is counted in whole minutes.
    public init?(parsing text: some StringProtocol) {
        // Read from the UTF-8 bytes, with no substrings: an import reads two times a row.
        var part = 0, hour = 0, minute = 0, second = 0
        var digits = (hour: 0, minute: 0, second: 0)
        for byte in text.utf8 {
            if byte == UInt8(ascii: ":") {
                part += 1
                guard part <= 2 else { return nil }
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            let digit = Int(byte - 48)
            switch part {
            case 0: (hour, digits.hour) = (hour * 10 + digit, digits.hour + 1)
            case 1: (minute, digits.minute) = (minute * 10 + digit, digits.minute + 1)
            default: (second, digits.second) = (second * 10 + digit, digits.second + 1)
            }
            guard digits.hour <= 2, digits.minute <= 2, digits.second <= 2 else { return nil }
        }
        guard part >= 1, digits.hour >= 1, digits.minute == 2, minute < 60,
              part == 1 || (digits.second == 2 && second == 0),
              hour < 24 || (hour == 24 && minute == 0) else { return nil }
        self.minutesSinceMidnight = hour * 60 + minute
    }

    /// The hour, 0...24.
    public var hour: Int { minutesSinceMidnight / 60 }

    /// `HH:MM`.
    public var description: String {
        // Written digit by digit (the hour is at most 24): an import writes two times per row.
        let hour = minutesSinceMidnight / 60, minute = minutesSinceMidnight % 60
        return String(unsafeUninitializedCapacity: 5) { text in
            text[0] = UInt8(48 + hour / 10)
            text[1] = UInt8(48 + hour % 10)
            text[2] = UInt8(ascii: ":")
            text[3] = UInt8(48 + minute / 10)
            text[4] = UInt8(48 + minute % 10)
            return 5
        }
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutesSinceMidnight < rhs.minutesSinceMidnight }
}

/// The emergency response level a service was done under (平急转换): Ⅰ severe, Ⅱ serious, Ⅲ normal.
public enum ResponseLevel: String, Sendable, Hashable, CaseIterable {
    case one = "I"
    case two = "II"
    case three = "III"

    /// Reads `I`, `II`, `III`, the Roman numeral characters `Ⅰ Ⅱ Ⅲ`, `1 2 3` and `一级 二级 三级`.
    public init?(spelling text: String) {
        switch text {
        case "I", "i", "Ⅰ", "1", "一级", "一": self = .one
        case "II", "ii", "Ⅱ", "2", "二级", "二": self = .two
        case "III", "iii", "Ⅲ", "3", "三级", "三": self = .three
        default: return nil
        }
    }
}

/// One piece of service: who served, in which category, when and for how long, and who verified it.
/// `source` and `id` together identify it everywhere (imports, the ledger's keys, explanations).
public struct ServiceRecord: Sendable, Hashable {
    /// Where the record comes from, such as `default` or `wechat-miniapp`; ids are unique per source.
    public var source: String
    /// The record's id in its source: the idempotency key of imports and of the points it earns.
    public var id: String
    /// The volunteer who served.
    public var volunteer: String
    /// The category id the policy declares, such as `orange`.
    public var category: String
    /// The service date (the day the service started).
    public var date: LocalDate
    /// When the service started, if known.
    public var start: TimeOfDay?
    /// When the service ended, if known (after `start`, at most `24:00`).
    public var end: TimeOfDay?
    /// The length of the service; `end - start` when both are known. 0 for a no-show.
    public var minutes: Int
    /// Who verified the record (核实人), if anyone yet.
    public var verifier: String?
    public var responseLevel: ResponseLevel?
    /// The served resident's satisfaction rating, 1...5, if given.
    public var rating: Int?
    public var tags: [String]
    /// The station the service was done for, if any.
    public var station: String?
    /// Free text for people; never read by the policy.
    public var note: String

    /// Creates a record; optional facts default to absent.
    public init(
        source: String = "default", id: String, volunteer: String, category: String, date: LocalDate,
        start: TimeOfDay? = nil, end: TimeOfDay? = nil, minutes: Int, verifier: String? = nil,
        responseLevel: ResponseLevel? = nil, rating: Int? = nil, tags: [String] = [], station: String? = nil,
        note: String = ""
    ) {
        self.source = source
        self.id = id
        self.volunteer = volunteer
        self.category = category
        self.date = date
        self.start = start
        self.end = end
        self.minutes = minutes
        self.verifier = verifier
        self.responseLevel = responseLevel
        self.rating = rating
        self.tags = tags
        self.station = station
        self.note = note
    }
}

/// Whether an assessed indicator held in the period.
public enum AssessmentResult: String, Sendable, Hashable, CaseIterable {
    /// The indicator's statement is true for the period: its points apply (negative for a deduction
    /// indicator such as 违章搭建).
    case met
    /// Assessed, and not true: zero points, but the period counts as assessed.
    case broken

    /// Reads `met`/`broken` and the usual spellings: `yes`/`no`, `true`/`false`, `1`/`0`,
    /// `达标`/`未达标`, `是`/`否`, `not_met`.
    public init?(spelling text: String) {
        switch text.lowercased() {
        case "met", "yes", "true", "1", "y", "达标", "是", "符合", "合格": self = .met
        case "broken", "not_met", "not met", "no", "false", "0", "n", "未达标", "否", "不符合", "不合格": self = .broken
        default: return nil
        }
    }
}

/// An assessment (信义积分): an indicator met or broken by a volunteer or a household in a period.
public struct Assessment: Sendable, Hashable {
    public var source: String
    public var id: String
    /// The volunteer assessed; nil when the assessment is of a household.
    public var volunteer: String?
    /// The household assessed (or the volunteer's household, when both are given).
    public var household: String?
    /// The indicator id the policy declares.
    public var indicator: String
    /// The period assessed; its length is the indicator's `per`.
    public var period: ScoringWindow
    public var result: AssessmentResult
    /// The day the assessment counts on (caps, the policy in force): the last day of the period unless given.
    public var date: LocalDate
    public var verifier: String?
    public var note: String

    /// Creates an assessment; `date` defaults to the last day of the period.
    public init(
        source: String = "default", id: String, volunteer: String? = nil, household: String? = nil,
        indicator: String, period: ScoringWindow, result: AssessmentResult = .met, date: LocalDate? = nil,
        verifier: String? = nil, note: String = ""
    ) {
        self.source = source
        self.id = id
        self.volunteer = volunteer
        self.household = household
        self.indicator = indicator
        self.period = period
        self.result = result
        self.date = date ?? period.lastDay
        self.verifier = verifier
        self.note = note
    }
}

/// A service record or an assessment: what the scorer turns into points.
public enum Record: Sendable, Hashable {
    case service(ServiceRecord)
    case assessment(Assessment)

    /// Where the record comes from, such as `default` or `wechat-miniapp`; ids are unique per source.
    public var source: String {
        switch self {
        case .service(let record): record.source
        case .assessment(let assessment): assessment.source
        }
    }

    /// The record's id in its source.
    public var id: String {
        switch self {
        case .service(let record): record.id
        case .assessment(let assessment): assessment.id
        }
    }

    /// The day the record counts on.
    public var date: LocalDate {
        switch self {
        case .service(let record): record.date
        case .assessment(let assessment): assessment.date
        }
    }

    /// The start time, for the canonical order (assessments have none).
    public var start: TimeOfDay? {
        if case .service(let record) = self { return record.start }
        return nil
    }

    /// The volunteer, when the record names one.
    public var volunteer: String? {
        switch self {
        case .service(let record): record.volunteer
        case .assessment(let assessment): assessment.volunteer
        }
    }

    /// Who verified the record; nil when nobody has (it then waits, or is auto-accepted).
    public var verifier: String? {
        get {
            switch self {
            case .service(let record): record.verifier
            case .assessment(let assessment): assessment.verifier
            }
        }
        set {
            switch self {
            case .service(var record):
                record.verifier = newValue
                self = .service(record)
            case .assessment(var assessment):
                assessment.verifier = newValue
                self = .assessment(assessment)
            }
        }
    }

    /// The category of a service record or the indicator of an assessment.
    public var ruleSubject: String {
        switch self {
        case .service(let record): record.category
        case .assessment(let assessment): assessment.indicator
        }
    }

    /// What the canonical order compares: date and start time packed in one integer that orders
    /// like them, then the id and the source.
    var orderFacts: (key: Int64, id: String, source: String) {
        switch self {
        case .service(let record):
            (Int64(record.date.daysSinceEpoch) << 12 + Int64((record.start?.minutesSinceMidnight ?? -1) + 1), record.id, record.source)
        case .assessment(let assessment):
            (Int64(assessment.date.daysSinceEpoch) << 12, assessment.id, assessment.source)
        }
    }

    /// `SOURCE:ID`, how messages and the ledger name the record.
    public var reference: String { source + ":" + id }

    /// Whether `lhs` comes before `rhs` in the canonical order: service date, then start time
    /// (a record without one comes before 00:00), then id, then source (byte order, so the
    /// order never depends on a locale).
    public static func canonicallyPrecedes(_ lhs: Record, _ rhs: Record) -> Bool {
        let leftDate = lhs.date, rightDate = rhs.date
        if leftDate != rightDate { return leftDate < rightDate }
        let leftStart = lhs.start?.minutesSinceMidnight ?? -1, rightStart = rhs.start?.minutesSinceMidnight ?? -1
        if leftStart != rightStart { return leftStart < rightStart }
        let leftID = lhs.id, rightID = rhs.id
        if leftID != rightID { return bytesPrecede(leftID, rightID) }
        return bytesPrecede(lhs.source, rhs.source)
    }

    /// Whether `lhs` comes before `rhs` comparing their UTF-8 bytes (a locale-free, stable order).
    static func bytesPrecede(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs, rhs = rhs
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                let count = min(left.count, right.count)
                var index = 0
                while index < count {
                    if left[index] != right[index] { return left[index] < right[index] }
                    index += 1
                }
                return left.count < right.count
            }
        }
    }
}
