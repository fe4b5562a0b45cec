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

    /// A typed reference or key as a person reads it: full-width letters, digits and signs as their ASCII forms (`Ｒ１２`,
    /// `＃１２`, `ｎｕｍｂｅｒ：１２`, as a Chinese input method types them) and white space left out (`R 12`, `number: 12`, the
    /// full-width space U+3000). Both "reads as a number" rules (R023 for receipts and bookings, L022 for entries) and the
    /// lookups by number read this form, so that what looks like receipt 12 to the person at the counter is receipt 12.
    ///
    ///     StationReference.readingForm("Ｒ１２")        // "R12"
    ///     StationReference.readingForm("number: 12")  // "number:12"
    /// - Complexity: O(n) in the number of Unicode scalars.
    public static func readingForm(_ text: String) -> String {
        // ASCII without white space (every key the engine writes) is its own reading form: no Unicode property lookups.
        if !text.utf8.contains(where: { $0 >= 0x80 || $0 == 0x20 || (0x09...0x0D).contains($0) }) { return text }
        return String(String.UnicodeScalarView(text.halfWidth.unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    /// Whether `text` (in reading form) is one or more ASCII digits.
    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (48...57).contains($0) }
    }

    /// The number `text` names when it is `number:N` (explicit), or `N` or `LETTER N` (either case), read in its reading form
    /// (`Ｒ１２` and `R 12` are `R12`).
    public static func parse(_ text: String, letter: Character?) -> (number: Int64, explicit: Bool)? {
        if let explicit = explicitNumber(in: text) { return (explicit, true) }
        var digits = Substring(readingForm(text))
        if let letter, let first = digits.first, first.uppercased() == letter.uppercased() { digits = digits.dropFirst() }
        guard let number = plainNumber(digits) else { return nil }
        return (number, false)
    }

    /// The number `text` names (see `parse`), or nil when it names none.
    public static func number(in text: String, letter: Character?) -> Int64? { parse(text, letter: letter)?.number }

    /// The number of an explicit `number:N` form (the prefix in either case, in reading form: `number: 12`), or nil.
    public static func explicitNumber(in text: String) -> Int64? {
        let reading = readingForm(text)
        guard reading.lowercased().hasPrefix(explicitPrefix) else { return nil }
        return plainNumber(Substring(reading).dropFirst(explicitPrefix.count))
    }

    /// Whether a client key would read as a receipt or booking number, to `refund`, `receipt show`, `fulfil` or `cancel` or
    /// to a person: in its reading form, digits alone (`12`, leading zeros too), with `R`, `B` (either case) or `#` in front,
    /// or `number:12`; so also `Ｒ１２`, `１２`, `R１２`, `＃１２` and `number: 12`. Such keys are refused (R023).
    ///
    ///     StationReference.readsAsNumber("Ｂ７")      // true
    ///     StationReference.readsAsNumber("S01-0001") // false
    public static func readsAsNumber(_ key: String) -> Bool {
        readsAsNumber(key, signs: ["#", receiptLetter, bookingLetter])
    }

    /// Whether `key`, in its reading form, is digits alone, digits after one of `signs` (either case), or `number:` and
    /// digits: the one rule of R023 (signs `#`, `R`, `B`) and of L022 (`LedgerRules.keyReadsAsEntryNumber`, sign `#`).
    static func readsAsNumber(_ key: String, signs: Set<Character>) -> Bool {
        var text = Substring(readingForm(key))
        // Digits, a sign or `number:` come first; anything else (`award:…`, `S01-0001`) is no number, decided without lowercasing.
        guard let lead = text.utf8.first else { return false }
        let upper = (97...122).contains(lead) ? lead - 32 : lead
        guard lead >= 0x80 || (48...57).contains(lead) || upper == UInt8(ascii: "N") || signs.contains(Character(Unicode.Scalar(upper)))
        else { return false }
        if text.lowercased().hasPrefix(explicitPrefix) {
            text = text.dropFirst(explicitPrefix.count)
        } else if let first = text.first, signs.contains(Character(first.uppercased())) {
            text = text.dropFirst()
        }
        return isDigits(text)
    }

    /// `text` as a number when it is 1 to 18 ASCII digits (no sign, no spaces).
    static func plainNumber(_ text: Substring) -> Int64? {
        guard isDigits(text), text.utf8.count <= 18 else { return nil }
        return Int64(text)
    }
}
