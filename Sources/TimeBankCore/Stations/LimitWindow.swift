/// The calendar period that contains a day, for per-volunteer limits: `[start, end)`.
///
///     LimitWindow(.week, containing: LocalDate("2026-10-08")!)   // 2026-10-05 (Monday) ..< 2026-10-12
///     LimitWindow(.month, containing: LocalDate("2026-10-08")!)  // 2026-10-01 ..< 2026-11-01: resets on 1 November
///
/// Weeks run Monday to Sunday (ISO 8601), quarters start in January, April, July and October.
public struct LimitWindow: Hashable, Sendable {
    public let period: PolicyPeriod
    /// The first day of the period.
    public let start: LocalDate
    /// The first day after the period: the day the limit resets.
    public let end: LocalDate

    public init(_ period: PolicyPeriod, containing date: LocalDate) {
        self.period = period
        switch period {
        case .day:
            start = date
            end = date.adding(days: 1)
        case .week:
            start = date.adding(days: 1 - date.isoWeekday)
            end = start.adding(days: 7)
        case .month:
            start = LocalDate(year: date.year, month: date.month, day: 1)!
            end = start.adding(months: 1)
        case .quarter:
            start = LocalDate(year: date.year, month: (date.month - 1) / 3 * 3 + 1, day: 1)!
            end = start.adding(months: 3)
        case .year:
            start = LocalDate(year: date.year, month: 1, day: 1)!
            end = start.adding(months: 12)
        }
    }

    /// Whether `date` falls in the window.
    public func contains(_ date: LocalDate) -> Bool { start <= date && date < end }
}
