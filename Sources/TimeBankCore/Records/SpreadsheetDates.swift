/// Dates and periods as spreadsheets write them, year first. A Chinese spreadsheet saves a date cell as `2026/10/3`
/// (or `2026.10.3`, `2026年10月3日`, or with a midnight time, `2026/10/3 0:00`), and a month as `2026年10月`. With the
/// year first and written in full there is one day or one period they can mean, so the record and community imports
/// read them as that day, as they read full-width digits: the stored value is the same as for `2026-10-03`.
///
/// What is left out on purpose: a two-digit year (`26/10/3`), day or month first (`3/10/2026`: the 3rd of October, or
/// the 10th of March?), a time other than midnight (`2026/11/5 9:00`: a time the file would lose), a spreadsheet's date
/// number (`46331`), and `2026.1` as a period (a spreadsheet shows the text `2026.10` as the number 2026.1). Those
/// keep their help with the value to write.
extension LocalDate {
    /// The day a spreadsheet's date cell names, year first: `2026/10/3`, `2026.10.03`, `2026-10-3`, `2026年10月3日`,
    /// full-width digits, or any of these with a midnight time (`2026/10/3 0:00`, `2026-10-03 00:00:00`); nil for
    /// anything else, and for a day that does not exist (`2026/2/30`).
    public static func yearFirst(_ typed: some StringProtocol) -> LocalDate? {
        let text = LedgerRules.trimmingSpaces(String(typed).halfWidth)
        var parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 1 || (parts.count == 2 && SpreadsheetDates.isMidnight(parts[1])) else { return nil }
        guard let fields = SpreadsheetDates.yearFirstFields(parts.removeFirst(), count: 3) else { return nil }
        return LocalDate(year: fields[0], month: fields[1], day: fields[2])
    }
}

extension ScoringWindow {
    /// The month, quarter or year a spreadsheet wrote another way, year first: `2026年10月`, `2026/10`, `2026-1` and
    /// `2026.10` are `2026-10`; `2026年第四季度`, `2026Q4` and `2026 Q4` are `2026-Q4`; `2026年` is `2026`. Nil for
    /// anything else, and for `2026.1`, which a spreadsheet may have made of `2026.10` (`2026.2` is February: there is no
    /// month 20).
    public static func yearFirst(_ typed: some StringProtocol) -> ScoringWindow? {
        SpreadsheetDates.periodLabel(String(typed)).flatMap { ScoringWindow(label: $0) }
    }
}

/// The readings behind `LocalDate.yearFirst` and `ScoringWindow.yearFirst`, and the quarter a person writes.
public enum SpreadsheetDates {
    /// The day eight digits name, `20261105` as forms and file names write a day; nil for anything else and for no day
    /// (`20261131`). Never read as the date itself (the digits could be a number): only offered as the date to write.
    public static func eightDigitDay(_ text: some StringProtocol) -> LocalDate? {
        guard text.count == 8, text.allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(text.prefix(4)),
              let month = Int(text.dropFirst(4).prefix(2)), let day = Int(text.suffix(2)) else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// `0:00`, `00:00` or `00:00:00`: the time a spreadsheet writes after a date cell's day.
    static func isMidnight(_ time: Substring) -> Bool {
        let fields = time.split(separator: ":", omittingEmptySubsequences: false)
        return (2...3).contains(fields.count)
            && fields.allSatisfy { (1...2).contains($0.count) && $0.allSatisfy { $0 == "0" } }
    }

    /// The numbers of a year-first date or month: a year of four digits, then `count - 1` numbers of one or two digits,
    /// joined by one separator used throughout (`/`, `.`, `-`) or by `年`, `月` (and an optional closing `日`).
    static func yearFirstFields(_ text: Substring, count: Int) -> [Int]? {
        var text = text
        if text.last == "日" || (count == 2 && text.last == "月") { text.removeLast() }
        let chinese = text.contains("年")
        let separators: Set<Character> = chinese ? ["年", "月"] : ["/", ".", "-"]
        let fields = text.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
        guard fields.count == count else { return nil }
        if chinese {
            // 年 then 月, in that order.
            guard text.firstIndex(of: "年").map({ index in !text[..<index].contains("月") }) ?? false else { return nil }
        } else {
            guard let separator = text.first(where: { separators.contains($0) }),
                  text.allSatisfy({ !separators.contains($0) || $0 == separator }) else { return nil }
        }
        var numbers: [Int] = []
        for (index, field) in fields.enumerated() {
            let digits = index == 0 ? 4...4 : 1...2
            guard digits.contains(field.count), field.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(field) else { return nil }
            numbers.append(number)
        }
        return numbers
    }

    /// The canonical label (`2026-10`, `2026-Q4`, `2026`) of a period written year first another way; nil when there is
    /// none, or when it could be two months (`2026.1`).
    static func periodLabel(_ typed: String) -> String? {
        let text = Substring(typed.halfWidth.filter { !$0.isWhitespace })
        if text.count == 5, text.last == "年", text.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }) {
            return String(text.dropLast())
        }
        if let fields = yearFirstFields(text, count: 2), (1...12).contains(fields[1]) {
            if text.contains("."), text.split(separator: ".").last == "1" { return nil }
            return "\(fields[0])-" + (fields[1] < 10 ? "0" : "") + "\(fields[1])"
        }
        return quarterLabel(text)
    }

    /// `2026年第四季度`, `2026年4季度`, `2026Q4`, `2026-q4`, `2026/Q4` as `2026-Q4`.
    private static func quarterLabel(_ text: Substring) -> String? {
        guard text.count > 4, text.prefix(4).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var rest = text.dropFirst(4)
        if let first = rest.first, "年/.-".contains(first) { rest = rest.dropFirst() }
        // Q4 or 第四季度: a number alone after the year is a month, read before this.
        guard rest.first == "Q" || rest.first == "q" || rest.hasSuffix("季度"), let quarter = quarter(rest) else { return nil }
        return "\(text.prefix(4))-Q\(quarter)"
    }

    /// The quarter `Q4`, `4`, `第四季度` or `四季度` names, 1 to 4; nil for anything else.
    public static func quarter(_ text: some StringProtocol) -> Int? {
        var rest = Substring(text)
        if rest.first == "Q" || rest.first == "q" { rest = rest.dropFirst() }
        if rest.first == "第" { rest = rest.dropFirst() }
        if rest.hasSuffix("季度") { rest = rest.dropLast(2) }
        switch rest {
        case "1", "一": return 1
        case "2", "二": return 2
        case "3", "三": return 3
        case "4", "四": return 4
        default: return nil
        }
    }
}
