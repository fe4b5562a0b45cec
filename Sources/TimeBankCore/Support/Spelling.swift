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
/// eight picked by the order of the list.
///
///     Spelling.nearest(to: "V0010", among: ["V0001", "V0002"])   // "V0001" (two digits swapped)
///     Spelling.nearest(to: "Ｓ０１", among: ["S01", "S02"])        // "S01"
///     Spelling.nearest(to: "王秀音", among: ["王秀英", "李娜"])     // "王秀英"
///     Spelling.nearest(to: "xyz", among: ["red", "orange"])      // nil
public enum Spelling {
    /// The longest word (in Unicode scalars, folded) that is compared by edit distance; a longer one gets no near
    /// suggestion (only a same-but-for-case one), which keeps the cost of a mistaken paste bounded.
    public static let comparedLengthMaximum = 64

    /// The candidate that `word` most likely means, or nil when none is near enough or several are equally near.
    /// - Complexity: O(*c* × *n* × *m*) for *c* candidates of length *m* and a word of length *n*; candidates whose length
    ///   alone puts them out of reach are passed over in O(*m*).
    public static func nearest(to word: String, among candidates: some Sequence<String>) -> String? {
        let folded = fold(word)
        var same: [String] = []
        var best: [String] = []
        var bestDistance = Int.max
        let limit = min(distanceLimit(forLength: folded.count), max(folded.count - 1, 0))
        for candidate in candidates {
            let other = fold(candidate)
            if other == folded {
                same.append(candidate)
                continue
            }
            guard folded.count <= comparedLengthMaximum, abs(other.count - folded.count) <= limit else { continue }
            let distance = editDistance(folded, other)
            guard distance <= limit else { continue }
            if distance < bestDistance {
                bestDistance = distance
                best = [candidate]
            } else if distance == bestDistance {
                best.append(candidate)
            }
        }
        if !same.isEmpty { return same.count == 1 ? same[0] : nil }
        return best.count == 1 ? best[0] : nil
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
