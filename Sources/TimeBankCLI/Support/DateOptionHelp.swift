import TimeBankCore

/// What to write instead of a date option typed the way people write dates (U001): `2026/11/1`, `2026.11.01`,
/// `2026年11月1日`, `20261101` and full-width digits are a day written another way; `2026-02-30` is no day; `2026-11`, `2026年11月`,
/// `2026-Q4`, `2026年第四季度` and `2026` are a month, a quarter and a year, which an auditor asking for "November" means
/// as a range.
///
///     DateOptionHelp.help(for: "2026/11/1", option: "--from")   // "write 2026-11-01 (YYYY-MM-DD)"
///     DateOptionHelp.help(for: "2026-11-31", option: "--on")
///     // "2026-11 has 30 days: write 2026-11-30 (its last day) or 2026-12-01 (the first of the next month)"
///     DateOptionHelp.help(for: "2026-11", option: "--from")
///     // "a month is not a day: for November 2026 write --from 2026-11-01 --to 2026-11-30"
enum DateOptionHelp {
    static func help(for typed: String, option: String) -> String {
        if let date = day(typed) { return "write \(date) (YYYY-MM-DD)" }
        let text = typed.halfWidth.filter { !$0.isWhitespace }
        let parts = text.split(whereSeparator: { "/.-年月日".contains($0) }).map(String.init)
        guard let year = parts.first.flatMap({ $0.count == 4 ? Int($0) : nil }) else { return fallback }
        if parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]) {
            guard (1...12).contains(month) else { return "there is no month \(month); " + fallback }
            // A year outside 1–9999 (`0000-01-01`) has no last day to offer.
            guard let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year)), day > last.day else {
                return fallback
            }
            // 9999-12-31 is the last day a date can name: there is no next month to offer.
            return "\(String(last.description.prefix(7))) has \(last.day) days: write \(last) (its last day)"
                + (last == LocalDate.latest ? "" : " or \(last.adding(days: 1)) (the first of the next month)")
        }
        if parts.count == 2, let month = Int(parts[1]), (1...12).contains(month),
           let first = LocalDate(year: year, month: month, day: 1) {
            return range("a month", "\(LocalDate.monthName(month)) \(year)", first, months: 1, option: option)
        }
        if parts.count == 2, let quarter = SpreadsheetDates.quarter(parts[1]), let first = LocalDate(year: year, month: quarter * 3 - 2, day: 1) {
            return range("a quarter", "\(year) Q\(quarter)", first, months: 3, option: option)
        }
        if parts.count == 1, text.count == 4 || text == "\(year)年", let first = LocalDate(year: year, month: 1, day: 1) {
            return range("a year", "\(year)", first, months: 12, option: option)
        }
        return fallback
    }

    static let fallback = "write YYYY-MM-DD, e.g. 2026-10-01"

    /// The day `typed` names when written another way: `2026/11/1`, `2026.11.01`, `2026-11-1`, `2026年11月1日`, `20261101`,
    /// full-width digits; nil when it names no day.
    static func day(_ typed: String) -> LocalDate? {
        let text = typed.halfWidth.filter { !$0.isWhitespace }
        // 20261101, as forms and file names write a day.
        if text.count == 8, text.allSatisfy({ $0.isASCII && $0.isNumber }) { return SpreadsheetDates.eightDigitDay(text) }
        let parts = text.split(whereSeparator: { "/.-年月日".contains($0) }).map(String.init)
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else {
            return nil
        }
        return LocalDate(year: year, month: month, day: day)
    }

    /// The `--from … --to …` that dates given as arguments (`report daily 2026-11-01 2026-11-30`, `statement V1 2026-11`)
    /// mean: one or two days, or one month, quarter or year; nil when they are not dates.
    static func rangeOptions(for arguments: [String]) -> String? {
        let days = arguments.map { LocalDate($0) ?? day($0) }
        if (1...2).contains(arguments.count), days.allSatisfy({ $0 != nil }) {
            return "--from \(days[0]!)" + (days.count == 2 ? " --to \(days[1]!)" : "")
        }
        if arguments.count == 1 {
            let written = help(for: arguments[0], option: "--from")
            if let range = written.range(of: " write --from ") { return "--from " + written[range.upperBound...] }
        }
        return nil
    }

    /// "a month is not a day: for November 2026 write --from 2026-11-01 --to 2026-11-30" (the option typed first).
    private static func range(_ what: String, _ name: String, _ first: LocalDate, months: Int, option: String) -> String {
        var month = first.month + months, year = first.year
        if month > 12 { month -= 12; year += 1 }
        // The range of December 9999 (or of 9999 itself) ends on the last day there is.
        let last = LocalDate(year: year, month: month, day: 1)?.adding(days: -1) ?? LocalDate.latest
        let written = ["--from", "--to"].contains(option) ? "--from \(first) --to \(last)"
            : "\(option) \(first) (\(name) runs from \(first) to \(last))"
        return "\(what) is not a day: for \(name) write \(written)"
    }
}
