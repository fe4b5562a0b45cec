/// "Did you mean ...?" for names and values in expressions.
enum ExpressionSpelling {
    /// The candidate the admin most likely meant by `word`, or nil when none is close enough.
    ///
    /// In order: an alias (`"saturday"` → `"sat"`); then, unless a candidate is the same word but for case, underscores
    /// and full-width forms (`"starts_with"` → `"startsWith"`, which `Spelling.nearest` finds), a candidate that is a
    /// prefix of the word or the word a prefix of it, at least 3 characters (`"start"` → `"start_hour"`); then
    /// `Spelling.nearest`, the rule every did-you-mean of the program follows. Ties are not guessed: `"IV"` is as close
    /// to `"I"` as to `"II"`, so no suggestion.
    static func suggestion(for word: String, among candidates: [String], aliases: [String: String] = [:]) -> String? {
        guard !candidates.isEmpty, word.unicodeScalars.count <= Spelling.comparedLengthMaximum else { return nil }
        if let alias = aliases[word.lowercased()] ?? aliases[word], candidates.contains(alias) { return alias }
        let folded = Spelling.fold(word)
        if folded.count >= 3, !candidates.contains(where: { Spelling.fold($0) == folded }) {
            let prefixMatches = candidates.filter {
                let candidate = Spelling.fold($0)
                return candidate.count >= 3 && (folded.starts(with: candidate) || candidate.starts(with: folded))
            }
            if prefixMatches.count == 1 { return prefixMatches[0] }
        }
        return Spelling.nearest(to: word, among: candidates)
    }
}
