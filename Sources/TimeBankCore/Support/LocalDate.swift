/// A calendar date without a time zone (proleptic Gregorian), such as a service date or an
/// entry's effective date.
///
///     let date = try LocalDate(parsing: "2026-10-01")
///     date.adding(days: 1).description // "2026-10-02"
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date, or returns nil when the parts do not name a real day (e.g. 2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard let date = text.withUTF8({ LocalDate(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = date
    }

    /// Parses exactly `YYYY-MM-DD` from UTF-8 bytes.
    public init?(utf8 bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for offset in range {
                let digit = bytes[offset]
                guard digit >= 48, digit <= 57 else { return nil }
                value = value * 10 + Int(digit - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The English name of `month` (1...12), as messages write a month: `October`.
    public static func monthName(_ month: Int) -> String {
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
         "December"][month - 1]
    }

    /// Whether `year` has a 29 February (Gregorian rules).
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` (1...12) of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The first day a `LocalDate` can name: 0001-01-01.
    public static let earliest = LocalDate(year: 1, month: 1, day: 1)!
    /// The last day a `LocalDate` can name: 9999-12-31 (four digits of year, as every date is written and stored).
    public static let latest = LocalDate(year: 9999, month: 12, day: 31)!
    /// `earliest` and `latest` as days since the epoch.
    static let earliestDaysSinceEpoch = -719_162
    static let latestDaysSinceEpoch = 2_932_896

    /// The date `days` days after the epoch 1970-01-01, clamped to `earliest...latest`: a day outside them (year 10000,
    /// year 0) cannot be written in four digits, and an API caller's `Int.max` must not trap.
    public init(daysSinceEpoch days: Int) {
        let z = min(max(days, Self.earliestDaysSinceEpoch), Self.latestDaysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// The date `days` days later (earlier when negative), clamped to `earliest...latest` (9999-12-31 + 1 day is
    /// 9999-12-31): callers that must not move past the last day compare with `latest` first.
    public func adding(days: Int) -> LocalDate {
        let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        return LocalDate(daysSinceEpoch: overflow ? (days > 0 ? Int.max : Int.min) : sum)
    }

    /// Adds calendar months, clamping the day to the end of a shorter month (Jan 31 + 1 month = Feb 28), and the
    /// result to `earliest...latest` like `adding(days:)`.
    public func adding(months: Int) -> LocalDate {
        let (total, overflow) = (year * 12 + (month - 1)).addingReportingOverflow(months)
        if overflow || total >= 10_000 * 12 { return months > 0 ? .latest : .earliest }
        if total < 12 { return .earliest }
        let newYear = total / 12
        let newMonth = total % 12 + 1
        let newDay = min(day, LocalDate.daysIn(month: newMonth, year: newYear))
        return LocalDate(year: newYear, month: newMonth, day: newDay)!
    }

    /// 1 = Monday ... 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        let weekday = (daysSinceEpoch % 7 + 7 + 3) % 7 // 1970-01-01 was a Thursday (index 3 from Monday=0)
        return weekday + 1
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { buffer in
            func put(_ value: Int, at offset: Int, digits: Int) {
                var value = value
                for position in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[position] = UInt8(48 + value % 10)
                    value /= 10
                }
            }
            put(year, at: 0, digits: 4)
            buffer[4] = UInt8(ascii: "-")
            put(month, at: 5, digits: 2)
            buffer[7] = UInt8(ascii: "-")
            put(day, at: 8, digits: 2)
            return 10
        }
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
