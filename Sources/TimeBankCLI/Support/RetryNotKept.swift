import TimeBankCore

/// What a retry gave that the write found under its key does not keep: the parts of a command that are not its compared
/// content (the day given with --date, the operator signed in, a reason). A retry that differs only in those finds the
/// write as it was; the answer says what was kept and what was not, as `dividend` does of another --reason and
/// `record approve` of another --verifier, instead of "same content" while dropping the new value without a word:
///
///     Already redeemed under this key: left as it was, on 2026-10-08 by op1; --date 2026-10-09 and the operator op2 were not kept.
///
/// `--json` gives the same as `not_kept` (`json`), beside `"outcome": "exists"`.
struct RetryNotKept {
    /// Each option given that the write does not keep: as the text names it (`--date`, `the operator`), as `json` names
    /// it, what was given, what is kept and how the answer says it (`on 2026-10-08`).
    private var differences: [(option: String, jsonName: String, given: String, stored: String, keptAs: String)] = []

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
    /// `jsonName` names the option in `json` (`operator` for the one signed in; the option itself by default).
    mutating func compare(_ option: String, given: String?, stored: String, keptAs phrase: String, jsonName: String? = nil) {
        guard let given, given != stored else { return }
        differences.append((option, jsonName ?? option, given, stored, phrase))
    }

    /// The day given with --date (nil without one: a retry on a later day is the same write) against the stored day.
    mutating func compareDate(_ given: LocalDate?, stored: LocalDate) {
        compare("--date", given: given?.description, stored: stored.description, keptAs: "on \(stored)")
    }

    /// The operator signed in now against the one who made the write.
    mutating func compareOperator(_ signedIn: String, stored: String) {
        compare("the operator", given: signedIn, stored: stored, keptAs: "by \(stored)", jsonName: "operator")
    }

    /// `left as it was, on 2026-10-08 by op1; --date 2026-10-09 was not kept`; nil when the retry dropped nothing.
    var clause: String? { notKept.map { "left as it was, \(differences.map(\.keptAs).joined(separator: " ")); \($0)" } }

    /// `--date 2026-10-09 was not kept` alone, for an answer that says already what stands; nil when nothing was dropped.
    var notKept: String? {
        differences.isEmpty ? nil
            : "\(differences.map { "\($0.option) \($0.given)" }.listedInProse) \(differences.count == 1 ? "was" : "were") not kept"
    }

    /// What `--json` says of a retry (`not_kept`): each option given that was not kept, what was given and what the write
    /// keeps, `[{"option": "--date", "given": "2026-10-09", "kept": "2026-10-08"}, {"option": "operator", ...}]`; empty
    /// when the retry dropped nothing.
    var json: JSON {
        .array(differences.map { .object([("option", .string($0.jsonName)), ("given", .string($0.given)), ("kept", .string($0.stored))]) })
    }

    /// `object` (a write's JSON) with `not_kept` after its `outcome`, for a retry; `object` itself when `retry` is false.
    func addedTo(_ object: JSON, retry: Bool) -> JSON {
        guard retry, case .object(var members) = object else { return object }
        let place = (members.firstIndex { $0.0 == "outcome" }).map { $0 + 1 } ?? 0
        members.insert(("not_kept", json), at: place)
        return .object(members)
    }
}
