/// How people name a receipt, a booking or a ledger entry at the command line: by its number (`R12`, `B7`, `17`,
/// `#17`), by the key it was written under, or by the explicit number form `number:12`, which never means a key.
///
/// A text can read both ways (`R1` is receipt 1, and may also be the key another receipt was redeemed under), so the
/// lookups refuse a text that names two different things (R022, L020) and the counter refuses new keys that read as
/// numbers (R023): a refund at the counter must never hit another volunteer's receipt.
///
///     StationReference.number(in: "R12", letter: "R")     // 12
///     StationReference.number(in: "number:12", letter: "R") // 12 (explicit)
///     StationReference.readsAsNumber("S01-0001")           // false
public enum StationReference {
    /// The explicit number form: `number:12` names number 12 and is never read as a key.
    public static let explicitPrefix = "number:"

    /// The message of a name that fits several receipts, bookings or entries (R022, L020): each candidate, and how to
    /// name the one meant by its number alone.
    static func ambiguity(_ reference: String, what: String, candidates: [String], numbers: [Int64]) -> String {
        "\"\(reference)\" names \(candidates.count) \(what): " + candidates.joined(separator: " and ")
            + "; nothing was done. Name the one you mean by its number alone: "
            + numbers.map { explicitPrefix + String($0) }.joined(separator: " or ")
    }

    /// The letters a receipt (`R`) and a booking (`B`) number is written with.
    public static let receiptLetter: Character = "R"
    public static let bookingLetter: Character = "B"

    /// The number `text` names when it is `number:N` (explicit), or `N` or `LETTER N` (either case), with ASCII digits only.
    public static func parse(_ text: String, letter: Character?) -> (number: Int64, explicit: Bool)? {
        if let explicit = explicitNumber(in: text) { return (explicit, true) }
        var digits = Substring(text)
        if let letter, let first = digits.first, first.uppercased() == letter.uppercased() { digits = digits.dropFirst() }
        guard let number = plainNumber(digits) else { return nil }
        return (number, false)
    }

    /// The number `text` names (see `parse`), or nil when it names none.
    public static func number(in text: String, letter: Character?) -> Int64? { parse(text, letter: letter)?.number }

    /// The number of an explicit `number:N` form (the prefix in either case), or nil.
    public static func explicitNumber(in text: String) -> Int64? {
        guard text.lowercased().hasPrefix(explicitPrefix) else { return nil }
        return plainNumber(Substring(text).dropFirst(explicitPrefix.count))
    }

    /// Whether a client key would read as a receipt or booking number when typed to `refund`, `receipt show`, `fulfil`
    /// or `cancel`: `R12`, `B7`, `12` (either case, leading zeros too) or `number:12`. Such keys are refused (R023).
    public static func readsAsNumber(_ key: String) -> Bool {
        parse(key, letter: receiptLetter) != nil || parse(key, letter: bookingLetter) != nil
    }

    /// `text` as a number when it is 1 to 18 ASCII digits (no sign, no spaces).
    static func plainNumber(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int64(text)
    }
}
