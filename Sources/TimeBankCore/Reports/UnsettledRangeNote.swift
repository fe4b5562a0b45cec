/// The note a report gets when its range runs past the last settled day or past today: those days have no figures
/// yet, or figures that the nightly settlement will still change, and a reader must not take zeros for a quiet day.
///
///     UnsettledRangeNote.note(from: LocalDate("2026-11-20")!, through: LocalDate("2027-01-01")!,
///                             lastSettled: LocalDate("2026-11-20")!, today: LocalDate("2026-11-21")!)
///     // "NOTE: the last settled day is 2026-11-20; 2026-11-21 to 2027-01-01 are not settled yet, so their figures
///     //  are not final (records are posted and points expire at the nightly settlement); the days after today
///     //  (2026-11-21) have not happened, so they have no figures."
public enum UnsettledRangeNote {
    /// The note for a report from `from` through `through`, or nil when every day of it is settled (or, before the
    /// first settlement, when it ends by today). `balancesAtEnd`: the report gives balances at the end of `through`
    /// (the fund report), which for such a day are what is recorded so far, a projection.
    public static func note(from: LocalDate, through: LocalDate, lastSettled: LocalDate?, today: LocalDate,
                            balancesAtEnd: Bool = false) -> String? {
        let projection = balancesAtEnd
            ? " The balances and points outstanding at the end of \(through) are what is recorded so far: a projection, not that day's figures."
            : ""
        guard let lastSettled else {
            // A community that never settles (it posts by hand) has no settled days to speak of: only the future is noted.
            guard through > today else { return nil }
            let first = max(from, today.adding(days: 1))
            return "NOTE: \(span(first, through)) \(first == through ? "is" : "are") after today (\(today)): "
                + "\(first == through ? "it has" : "they have") not happened, so \(first == through ? "it has" : "they have") no figures."
                + projection
        }
        guard through > lastSettled else { return nil }
        let first = max(from, lastSettled.adding(days: 1))
        let span = span(first, through)
        let plural = first != through
        if first > today {
            return "NOTE: the last settled day is \(lastSettled); \(span) \(plural ? "have" : "has") not happened yet (today is \(today)), "
                + "so \(plural ? "they have" : "it has") no figures." + projection
        }
        var text = "NOTE: the last settled day is \(lastSettled); \(span) \(plural ? "are" : "is") not settled yet, so "
            + "\(plural ? "their" : "its") figures are not final (records are posted and points expire at the nightly settlement)"
        if through > today { text += "; the days after today (\(today)) have not happened, so they have no figures" }
        return text + "." + projection
    }

    private static func span(_ first: LocalDate, _ last: LocalDate) -> String {
        first == last ? "\(first)" : "\(first) to \(last)"
    }
}
