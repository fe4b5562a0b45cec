/// "Did you mean …?": the one rule every unknown id, name, option, column and policy word is checked by, so that the same
/// typo gets the same suggestion in every command.
///
/// A candidate is suggested for a typed word when, in this order:
/// 1. it is the same word but for case, full-width forms (`Ｓ０１`, as a Chinese input method types them), underscores,
///    hyphens and white space (`s01` → `S01`, `Ｖ０００１` → `V0001`, `birth date` → `birth_date`), and it is the only such
///    candidate;
/// 2. else it is the only candidate nearest to the word by `editDistance` (both folded as in 1), no farther than
///    `distanceLimit(forLength:)` allows and not so far that nothing of the word is left.
///
/// Ties are never guessed: `V0009` is as near to `V0001` as to `V0008`, so it gets no suggestion, rather than one of
/// eight picked by the order of the list. Spellings of one thing are one candidate, though (`nearest(to:among:)` with
/// meanings): `生日期` is as near to `生日` as to `出生日期`, both the birth date, so it means the birth date.
///
///     Spelling.nearest(to: "V0010", among: ["V0001", "V0002"])   // "V0001" (two digits swapped)
///     Spelling.nearest(to: "Ｓ０１", among: ["S01", "S02"])        // "S01"
///     Spelling.nearest(to: "王秀音", among: ["王秀英", "李娜"])     // "王秀英"
///     Spelling.nearest(to: "xyz", among: ["red", "orange"])      // nil
public enum Spelling {
    /// The one candidate that is `word` with its number written in full: the same letters (but for case and full width)
    /// and the same number, its leading zeros left out or added (`V1` → `V0001`, `v204` → `V0204`), as a counter types the
    /// number on a volunteer's card. Nil when none or several are, or when the word has no letters before its digits or
    /// more than 6 digits (a phone number is no id).
    ///
    ///     Spelling.sameNumber(as: "V1", among: ["V0001", "V0010"])   // "V0001"
    public static func sameNumber(as word: String, among candidates: some Sequence<String>) -> String? {
        func split(_ text: String) -> (letters: String, number: Int)? {
            let folded = StationReference.readingForm(text).uppercased()
            let letters = folded.prefix(while: { $0.isASCII && $0.isLetter })
            let digits = folded.dropFirst(letters.count)
            guard !letters.isEmpty, !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let number = Int(digits) else { return nil }
            return (String(letters), number)
        }
        guard let typed = split(word) else { return nil }
        var found: String?
        for candidate in candidates where candidate != word {
            guard let other = split(candidate), other == typed else { continue }
            if found != nil { return nil }
            found = candidate
        }
        return found
    }

    /// The longest word (in Unicode scalars, folded) that is compared by edit distance; a longer one gets no near
    /// suggestion (only a same-but-for-case one), which keeps the cost of a mistaken paste bounded.
    public static let comparedLengthMaximum = 64

    /// The candidate that `word` most likely means, or nil when none is near enough or several are equally near.
    /// - Complexity: O(*c* × *n* × *m*) for *c* candidates of length *m* and a word of length *n*; candidates whose length
    ///   alone puts them out of reach are passed over in O(*m*), and a candidate's distance is given up as soon as it is
    ///   sure to be farther than the nearest so far (or the limit): an unknown record id among a large store's 982,107
    ///   takes 0.5 s with SQLite's reading of the ids (docs/operations.md).
    public static func nearest(to word: String, among candidates: some Sequence<String>) -> String? {
        let (same, best) = closest(to: word, among: candidates, spelledAs: { $0 })
        if !same.isEmpty { return same.count == 1 ? same[0] : nil }
        return best.count == 1 ? best[0] : nil
    }

    /// The meaning `word` most likely has, among spellings that each have one (several may share it): the rule of
    /// `nearest(to:among:)` over the spellings, where a tie between spellings of one meaning is no tie. `生日期` is one edit
    /// from `生日` and one from `出生日期`, which both head the `birth_date` column, so it means `birth_date`; it is no tie
    /// unless the nearest spellings mean different things.
    ///
    ///     Spelling.nearest(to: "生日期", among: [(spelling: "生日", meaning: "birth_date"),
    ///                                            (spelling: "出生日期", meaning: "birth_date")])   // "birth_date"
    /// - Complexity: as `nearest(to:among:)`.
    public static func nearest<Meaning: Hashable>(to word: String,
                                                  among candidates: some Sequence<(spelling: String, meaning: Meaning)>) -> Meaning? {
        nearestSpelling(to: word, among: candidates)?.meaning
    }

    /// As `nearest(to:among:)` with meanings, with the spelling to suggest: of the nearest spellings of that meaning, the
    /// first written as `word` is (a heading typed in Chinese is answered with a Chinese heading, `服务时常` with `服务时长`,
    /// not with the English column's name), else the first.
    ///
    ///     Spelling.nearestSpelling(to: "入队日其", among: [(spelling: "joined", meaning: "joined"),
    ///                                                    (spelling: "入队日期", meaning: "joined")])   // ("入队日期", "joined")
    /// - Complexity: as `nearest(to:among:)`.
    public static func nearestSpelling<Meaning: Hashable>(to word: String, among candidates: some Sequence<(spelling: String, meaning: Meaning)>)
        -> (spelling: String, meaning: Meaning)? {
        let (same, best) = closest(to: word, among: candidates, spelledAs: { $0.spelling })
        let nearest = same.isEmpty ? best : same
        guard let meaning = nearest.first?.meaning, nearest.allSatisfy({ $0.meaning == meaning }) else { return nil }
        let chinese = isWrittenInChinese(word)
        let chosen = nearest.first { isWrittenInChinese($0.spelling) == chinese } ?? nearest[0]
        return (chosen.spelling, chosen.meaning)
    }

    /// `did you mean "服务时长" (minutes)?` for a suggestion of `nearestSpelling` whose spelling is not its meaning's own name,
    /// `did you mean "minutes"?` for one that is.
    public static func didYouMean(_ suggestion: (spelling: String, meaning: String)) -> String {
        suggestion.spelling == suggestion.meaning ? "did you mean \"\(suggestion.meaning)\"?"
            : "did you mean \"\(suggestion.spelling)\" (\(suggestion.meaning))?"
    }

    /// Whether `text` has a Han character (a heading typed with a Chinese input method).
    static func isWrittenInChinese(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.isIdeographic }
    }

    /// The candidates that are the same as `word` but for case, width and separators (`same`), else (`same` empty) those
    /// nearest to it by `editDistance` within the limit (`best`): what `nearest` decides from.
    private static func closest<Candidate>(to word: String, among candidates: some Sequence<Candidate>,
                                           spelledAs spelling: (Candidate) -> String) -> (same: [Candidate], best: [Candidate]) {
        let folded = fold(word)
        var same: [Candidate] = []
        var best: [Candidate] = []
        var bestDistance = Int.max
        let limit = min(distanceLimit(forLength: folded.count), max(folded.count - 1, 0))
        var other: [Unicode.Scalar] = []
        var rows = DistanceRows()
        for candidate in candidates {
            fold(spelling(candidate), into: &other)
            if other == folded {
                same.append(candidate)
                continue
            }
            // Once a candidate is the same but for case or width, only such candidates decide (see below).
            guard same.isEmpty, folded.count <= comparedLengthMaximum, abs(other.count - folded.count) <= limit else { continue }
            // A candidate farther than the nearest so far can neither win nor tie: its distance need not be finished.
            guard let distance = boundedEditDistance(folded, other, bound: min(limit, bestDistance), rows: &rows) else { continue }
            if distance < bestDistance {
                bestDistance = distance
                best = [candidate]
            } else if distance == bestDistance {
                best.append(candidate)
            }
        }
        return (same, best)
    }

    /// How many edits a typed word of `length` Unicode scalars (folded) may be from a candidate and still be suggested:
    /// about a third of the word, at least 1 and at most 3 (`orang` → `orange` is 1 edit for 5 letters; `categry` →
    /// `category` is 1 for 7; a 9-letter word may have 3).
    public static func distanceLimit(forLength length: Int) -> Int {
        max(1, min(3, length / 3))
    }

    /// The word as it is compared: lowercased, full-width forms as the ASCII they stand for, without underscores,
    /// hyphens and white space, so that `start_hour`, `startHour`, `Start-Hour` and `ｓｔａｒｔ　ｈｏｕｒ` agree.
    /// - Complexity: O(n) in the number of Unicode scalars.
    public static func fold(_ word: String) -> [Unicode.Scalar] {
        word.halfWidth.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" && !$0.properties.isWhitespace }
    }

    /// `fold(word)` into `folded`, whose storage is reused: an ASCII word (every id a store makes) is folded byte by byte,
    /// as `fold` would (ASCII is its own half width; its white space is tab to carriage return and space), without the
    /// Unicode tables; any other word as `fold` does.
    static func fold(_ word: String, into folded: inout [Unicode.Scalar]) {
        folded.removeAll(keepingCapacity: true)
        let ascii: Bool? = word.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes {
                if byte >= 0x80 { return false }
                if byte == 0x5F || byte == 0x2D || byte == 0x20 || (0x09...0x0D).contains(byte) { continue }
                folded.append(Unicode.Scalar((0x41...0x5A).contains(byte) ? byte + 0x20 : byte))
            }
            return true
        }
        if ascii == true { return }
        folded = fold(word)
    }

    /// The three rows `boundedEditDistance` works in, kept from one candidate to the next.
    struct DistanceRows {
        var beforePrevious: [Int] = []
        var previous: [Int] = []
        var current: [Int] = []
    }

    /// `editDistance(a, b)` when it is at most `bound`, else nil, given up as soon as every later row must exceed `bound`:
    /// a row's smallest value is at least the smaller of the row before's and the one before that's plus 1 (each step
    /// reads one of those rows), so once two rows in a row are all above `bound`, so is every later row and the distance.
    static func boundedEditDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], bound: Int, rows: inout DistanceRows) -> Int? {
        if a.isEmpty || b.isEmpty {
            let distance = max(a.count, b.count)
            return distance <= bound ? distance : nil
        }
        let width = b.count + 1
        if rows.previous.count < width {
            rows.beforePrevious = [Int](repeating: 0, count: width)
            rows.previous = [Int](repeating: 0, count: width)
            rows.current = [Int](repeating: 0, count: width)
        }
        for j in 0..<width { rows.previous[j] = j }
        var previousMinimum = 0
        for i in 1...a.count {
            rows.current[0] = i
            var minimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var distance = min(rows.previous[j] + 1, rows.current[j - 1] + 1, rows.previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    distance = min(distance, rows.beforePrevious[j - 2] + 1)
                }
                rows.current[j] = distance
                minimum = min(minimum, distance)
            }
            if minimum > bound, previousMinimum > bound { return nil }
            previousMinimum = minimum
            swap(&rows.beforePrevious, &rows.previous)
            swap(&rows.previous, &rows.current)
        }
        let distance = rows.previous[b.count]
        return distance <= bound ? distance : nil
    }

    /// The edit distance between two scalar sequences: inserting, deleting or replacing one scalar, or swapping two
    /// neighbours, each cost 1 (optimal string alignment), so `bleu` is 1 from `blue` and `V0010` 1 from `V0001`.
    /// Scalars, not characters: a Chinese character is one scalar, and the ids and words compared hold no combining marks.
    ///
    ///     Spelling.editDistance(Array("kitten".unicodeScalars), Array("sitting".unicodeScalars))   // 3
    /// - Complexity: O(m × n) time, O(n) space.
    public static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rows of the table: the one before the previous is what a swap of two neighbours reads.
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var distance = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    distance = min(distance, beforePrevious[j - 2] + 1)
                }
                current[j] = distance
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
