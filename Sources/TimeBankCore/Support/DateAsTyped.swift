/// What to write for a date typed another way than `YYYY-MM-DD` in an option (`--on 2026/11/15`, `2026年11月15日`,
/// `2026-11-1`, `20261115`, full-width `２０２６-１１-１５`), or for a day its month does not have (`2026-11-31`).
public enum DateAsTyped {
    /// The help after "is not a date; ": the date written right when `text` names one, the month's last day and the
    /// first of the next for a day the month does not have, else the form with an example.
    ///
    ///     DateAsTyped.help("2026/11/15")   // "write 2026-11-15 (YYYY-MM-DD)"
    ///     DateAsTyped.help("2026-11-31")   // "2026-11 has 30 days: write 2026-11-30 (its last day) or 2026-12-01 (...)"
    public static func help(_ text: String) -> String {
        var plain = text.halfWidth.trimmingASCIISpaces()
        // 20261115: eight digits with no separator.
        if plain.count == 8, plain.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            plain = String(plain.prefix(4)) + "/" + String(plain.dropFirst(4).prefix(2)) + "/" + String(plain.suffix(2))
        }
        // 2026-11-1: the hyphens of the right form, a zero left out (read as the other separators are).
        let parts = plain.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3 { plain = parts.joined(separator: "/") }
        switch TOMLScalarReader.dateWithOtherSeparators(plain) {
        case .day(let date)?:
            return "write \(date) (YYYY-MM-DD)"
        case .noDay?:
            let numbers = plain.split(whereSeparator: { !$0.isASCII || $0 == "/" || $0 == "." }).compactMap { Int($0) }
            if numbers.count == 3, (1...12).contains(numbers[1]), numbers[2] <= 31,
               let last = (28...31).reversed().lazy.compactMap({ LocalDate(year: numbers[0], month: numbers[1], day: $0) }).first,
               numbers[2] > last.day {
                let month = String(numbers[0]) + "-" + (numbers[1] < 10 ? "0" : "") + String(numbers[1])
                return "\(month) has \(last.day) days: write \(last) (its last day) or \(last.adding(days: 1)) (the first of the next month)"
            }
            return "write YYYY-MM-DD, e.g. 2026-10-01"
        case nil:
            return "write YYYY-MM-DD, e.g. 2026-10-01"
        }
    }
}
