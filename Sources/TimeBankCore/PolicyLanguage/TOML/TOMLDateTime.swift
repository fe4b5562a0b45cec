/// A TOML date/time value in one of its four kinds, kept as written (no time-zone conversion).
///
///     1979-05-27T07:32:00+08:00  -> .offsetDateTime
///     1979-05-27T07:32:00        -> .localDateTime
///     1979-05-27                 -> .localDate
///     07:32                      -> .localTime (seconds are optional since TOML 1.1)
public enum TOMLDateTime: Sendable, Hashable, CustomStringConvertible {
    case offsetDateTime(TOMLDate, TOMLTime, TOMLTimeOffset)
    case localDateTime(TOMLDate, TOMLTime)
    case localDate(TOMLDate)
    case localTime(TOMLTime)

    /// The date part, when there is one.
    public var date: TOMLDate? {
        switch self {
        case .offsetDateTime(let date, _, _), .localDateTime(let date, _), .localDate(let date): return date
        case .localTime: return nil
        }
    }

    /// The time part, when there is one.
    public var time: TOMLTime? {
        switch self {
        case .offsetDateTime(_, let time, _), .localDateTime(_, let time), .localTime(let time): return time
        case .localDate: return nil
        }
    }

    /// The offset from UTC, for an offset date-time.
    public var offset: TOMLTimeOffset? {
        if case .offsetDateTime(_, _, let offset) = self { return offset }
        return nil
    }

    /// The kind in words with an article, for messages.
    public var kindDescription: String {
        switch self {
        case .offsetDateTime: return "a date-time with offset"
        case .localDateTime: return "a local date-time"
        case .localDate: return "a date"
        case .localTime: return "a time of day"
        }
    }

    /// RFC 3339 text with `T` between date and time, seconds always present and `Z` for UTC
    /// written as `Z`, e.g. `1979-05-27T07:32:00.5+08:00`.
    public var description: String {
        switch self {
        case .offsetDateTime(let date, let time, let offset): return "\(date)T\(time)\(offset)"
        case .localDateTime(let date, let time): return "\(date)T\(time)"
        case .localDate(let date): return date.description
        case .localTime(let time): return time.description
        }
    }
}

/// A calendar date as written in TOML (year 0000 to 9999; the day is valid for the month).
public struct TOMLDate: Sendable, Hashable, CustomStringConvertible {
    /// 0 to 9999.
    public var year: Int
    /// 1 to 12.
    public var month: Int
    /// 1 to the number of days in the month.
    public var day: Int

    /// A date from its parts (not checked: the decoder checks what it reads).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The same day as the project's `LocalDate`, or nil for the year 0000 that `LocalDate` lacks.
    public var localDate: LocalDate? { LocalDate(year: year, month: month, day: day) }

    /// `YYYY-MM-DD`.
    public var description: String {
        "\(TOMLDate.padded(year, width: 4))-\(TOMLDate.padded(month, width: 2))-\(TOMLDate.padded(day, width: 2))"
    }

    static func padded(_ number: Int, width: Int) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// A time of day as written in TOML; fractional seconds are kept as their digits.
public struct TOMLTime: Sendable, Hashable, CustomStringConvertible {
    /// 0 to 23.
    public var hour: Int
    /// 0 to 59.
    public var minute: Int
    /// 0 when the seconds were left out (allowed since TOML 1.1); 60 only for a leap second.
    public var second: Int
    /// False when the text was `HH:MM` without seconds.
    public var hasSeconds: Bool
    /// The digits after the decimal point of the seconds, e.g. `"999999"`; empty when none.
    public var fractionDigits: String

    /// A time from its parts (not checked: the decoder checks what it reads).
    public init(hour: Int, minute: Int, second: Int, hasSeconds: Bool = true, fractionDigits: String = "") {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.hasSeconds = hasSeconds
        self.fractionDigits = fractionDigits
    }

    /// `HH:MM:SS` with `.fraction` when there is one (seconds always shown).
    public var description: String {
        let base = "\(TOMLDate.padded(hour, width: 2)):\(TOMLDate.padded(minute, width: 2)):\(TOMLDate.padded(second, width: 2))"
        return fractionDigits.isEmpty ? base : base + "." + fractionDigits
    }
}

/// The offset of an offset date-time from UTC.
public struct TOMLTimeOffset: Sendable, Hashable, CustomStringConvertible {
    /// Minutes east of UTC: `+08:00` is 480, `-07:30` is -450.
    public var minutesEastOfUTC: Int
    /// True when written as `Z`/`z` rather than as a numeric offset.
    public var isZulu: Bool

    /// An offset of `minutesEastOfUTC`; `isZulu` when written as `Z`.
    public init(minutesEastOfUTC: Int, isZulu: Bool = false) {
        self.minutesEastOfUTC = minutesEastOfUTC
        self.isZulu = isZulu
    }

    /// `Z`, or `+HH:MM` / `-HH:MM`.
    public var description: String {
        if isZulu { return "Z" }
        let magnitude = abs(minutesEastOfUTC)
        let sign = minutesEastOfUTC < 0 ? "-" : "+"
        return "\(sign)\(TOMLDate.padded(magnitude / 60, width: 2)):\(TOMLDate.padded(magnitude % 60, width: 2))"
    }
}
