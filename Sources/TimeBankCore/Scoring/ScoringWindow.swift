/// One calendar period, such as the month of October 2026: the window a cap, an indicator's
/// once-per-period rule or an assessment's period covers. Days from `start` up to `end` (exclusive).
///
///     ScoringWindow(.week, containing: LocalDate("2026-10-08")!).start   // 2026-10-05, a Monday
///     ScoringWindow(.quarter, containing: LocalDate("2026-10-08")!).label // "2026-Q4"
///
/// Weeks run Monday to Sunday (ISO 8601); quarters start in January, April, July and October.
public struct ScoringWindow: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let period: PolicyPeriod
    /// The first day of the window.
    public let start: LocalDate

    /// The window of `period` that contains `date`.
    public init(_ period: PolicyPeriod, containing date: LocalDate) {
        self.period = period
        switch period {
        case .day: start = date
        case .week: start = date.adding(days: 1 - date.isoWeekday)
        case .month: start = LocalDate(year: date.year, month: date.month, day: 1)!
        case .quarter: start = LocalDate(year: date.year, month: (date.month - 1) / 3 * 3 + 1, day: 1)!
        case .year: start = LocalDate(year: date.year, month: 1, day: 1)!
        }
    }

    /// The first day after the window.
    public var end: LocalDate {
        switch period {
        case .day: start.adding(days: 1)
        case .week: start.adding(days: 7)
        case .month: start.adding(months: 1)
        case .quarter: start.adding(months: 3)
        case .year: start.adding(months: 12)
        }
    }

    /// The last day of the window.
    public var lastDay: LocalDate { end.adding(days: -1) }

    /// Whether `date` falls in the window.
    public func contains(_ date: LocalDate) -> Bool { start <= date && date < end }

    /// How the window is written in record files and reports: `2026-10-03` (day),
    /// `2026-W40` (ISO week), `2026-10` (month), `2026-Q4` (quarter), `2026` (year).
    public var label: String {
        let year = String(start.year)
        switch period {
        case .day: return start.description
        case .week:
            let (weekYear, week) = isoWeek
            return "\(weekYear)-W" + (week < 10 ? "0" : "") + String(week)
        case .month: return year + "-" + (start.month < 10 ? "0" : "") + String(start.month)
        case .quarter: return year + "-Q" + String((start.month - 1) / 3 + 1)
        case .year: return year
        }
    }

    public var description: String { label }

    /// The ISO 8601 week-numbering year and week of `start` (a Monday).
    private var isoWeek: (year: Int, week: Int) {
        let thursday = start.adding(days: 3)
        let firstDay = LocalDate(year: thursday.year, month: 1, day: 1)!
        return (thursday.year, (thursday.daysSinceEpoch - firstDay.daysSinceEpoch) / 7 + 1)
    }

    /// Parses a period label: `2026` (year), `2026-Q4` (quarter), `2026-10` (month),
    /// `2026-W40` (ISO week) or `2026-10-03` (day). Nil when the text is none of these or names
    /// no real period.
    public init?(label text: String) {
        let bytes = Array(text.utf8)
        func number(_ slice: ArraySlice<UInt8>) -> Int? {
            guard !slice.isEmpty, slice.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return slice.reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        guard bytes.count >= 4, let year = number(bytes[0..<4]), year >= 1 else { return nil }
        if bytes.count == 4 {
            self.init(.year, containing: LocalDate(year: year, month: 1, day: 1)!)
            return
        }
        guard bytes[4] == UInt8(ascii: "-") else { return nil }
        let rest = bytes[5...]
        if rest.first == UInt8(ascii: "Q") || rest.first == UInt8(ascii: "q") {
            guard rest.count == 2, let quarter = number(rest.dropFirst()), (1...4).contains(quarter) else { return nil }
            self.init(.quarter, containing: LocalDate(year: year, month: quarter * 3 - 2, day: 1)!)
        } else if rest.first == UInt8(ascii: "W") || rest.first == UInt8(ascii: "w") {
            guard rest.count == 3, let week = number(rest.dropFirst()), week >= 1 else { return nil }
            // Week 1 is the week with the year's first Thursday.
            let january4 = LocalDate(year: year, month: 1, day: 4)!
            let monday = january4.adding(days: 1 - january4.isoWeekday).adding(days: (week - 1) * 7)
            let window = ScoringWindow(.week, containing: monday)
            guard window.isoWeek == (year, week) else { return nil }
            self = window
        } else if rest.count == 2, let month = number(rest), (1...12).contains(month) {
            self.init(.month, containing: LocalDate(year: year, month: month, day: 1)!)
        } else if let date = LocalDate(text) {
            self.init(.day, containing: date)
        } else {
            return nil
        }
    }

    public static func < (lhs: ScoringWindow, rhs: ScoringWindow) -> Bool {
        (lhs.start, lhs.period.lengthRank) < (rhs.start, rhs.period.lengthRank)
    }
}

extension PolicyPeriod {
    /// Shortest first: day 0, week 1, month 2, quarter 3, year 4.
    var lengthRank: Int {
        switch self {
        case .day: 0
        case .week: 1
        case .month: 2
        case .quarter: 3
        case .year: 4
        }
    }
}
