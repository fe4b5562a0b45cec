import TimeBankCore

/// What a retry gave that the write found under its key does not keep: the parts of a command that are not its compared
/// content (the day given with --date, the operator signed in, a reason). A retry that differs only in those finds the
/// write as it was; the answer says what was kept and what was not, as `dividend` does of another --reason and
/// `record approve` of another --verifier, instead of "same content" while dropping the new value without a word:
///
///     Already redeemed under this key: left as it was, on 2026-10-08 by op1; --date 2026-10-09 and the operator op2 were not kept.
struct RetryNotKept {
    private var kept: [String] = []
    private var dropped: [String] = []

    init() {}

    /// A dated write by an operator sent again: the day given with --date and the operator signed in, against the write's.
    init(date given: LocalDate?, stored: LocalDate, operator signedIn: String, storedOperator: String) {
        compareDate(given, stored: stored)
        compareOperator(signedIn, stored: storedOperator)
    }

    /// The first line of the answer to a retry: `Already booked under this key: left as it was, on … by …; … was not
    /// kept.`, or `Already booked under this key (same content): nothing changed.` when nothing was dropped.
    func answer(_ already: String) -> String {
        clause.map { "\(already): \($0)." } ?? "\(already) (same content): nothing changed."
    }

    /// An option given on the retry (nil when it was not given: nothing was dropped) against what the write keeps.
    /// `keptAs` reads after "left as it was, " (`on 2026-10-08`, `with the reason 改期`).
    mutating func compare(_ option: String, given: String?, stored: String, keptAs phrase: String) {
        guard let given, given != stored else { return }
        kept.append(phrase)
        dropped.append("\(option) \(given)")
    }

    /// The day given with --date (nil without one: a retry on a later day is the same write) against the stored day.
    mutating func compareDate(_ given: LocalDate?, stored: LocalDate) {
        compare("--date", given: given?.description, stored: stored.description, keptAs: "on \(stored)")
    }

    /// The operator signed in now against the one who made the write.
    mutating func compareOperator(_ signedIn: String, stored: String) {
        compare("the operator", given: signedIn, stored: stored, keptAs: "by \(stored)")
    }

    /// `left as it was, on 2026-10-08 by op1; --date 2026-10-09 was not kept`; nil when the retry dropped nothing.
    var clause: String? { notKept.map { "left as it was, \(kept.joined(separator: " ")); \($0)" } }

    /// `--date 2026-10-09 was not kept` alone, for an answer that says already what stands; nil when nothing was dropped.
    var notKept: String? {
        dropped.isEmpty ? nil : "\(dropped.listedInProse) \(dropped.count == 1 ? "was" : "were") not kept"
    }
}
