/// "Did you mean ...?" for names and values in expressions.
enum ExpressionSpelling {
    /// The candidate the admin most likely meant by `word`, or nil when none is close enough.
    ///
    /// In order: an alias (`"saturday"` → `"sat"`); the same word ignoring case and underscores
    /// (`"starts_with"` → `"startsWith"`); a candidate that is a prefix of the word or the word a
    /// prefix of it, at least 3 characters (`"start"` → `"start_hour"`); then the single closest
    /// candidate by edit distance, at most 1 for words up to 4 characters and 2 for longer ones.
    /// Ties are not guessed: `"IV"` is as close to `"I"` as to `"II"`, so no suggestion.
    static func suggestion(for word: String, among candidates: [String], aliases: [String: String] = [:]) -> String? {
        guard !candidates.isEmpty, word.unicodeScalars.count <= 64 else { return nil }
        if let alias = aliases[word.lowercased()] ?? aliases[word], candidates.contains(alias) { return alias }
        let folded = fold(word)
        if let match = unique(candidates.filter { fold($0) == folded }) { return match }
        if folded.count >= 3 {
            let prefixMatches = candidates.filter {
                let candidate = fold($0)
                return candidate.count >= 3 && (folded.starts(with: candidate) || candidate.starts(with: folded))
            }
            if let match = unique(prefixMatches) { return match }
        }
        let limit = folded.count <= 4 ? 1 : 2
        var best: [String] = []
        var bestDistance = Int.max
        for candidate in candidates {
            let distance = editDistance(folded, fold(candidate))
            if distance < bestDistance {
                bestDistance = distance
                best = [candidate]
            } else if distance == bestDistance {
                best.append(candidate)
            }
        }
        guard bestDistance <= limit else { return nil }
        return unique(best)
    }

    /// The only element, or nil when there are none or several.
    private static func unique(_ matches: [String]) -> String? {
        matches.count == 1 ? matches[0] : nil
    }

    /// Lowercased scalars without underscores, so `start_hour`, `startHour` and `StartHour` agree.
    private static func fold(_ word: String) -> [Unicode.Scalar] {
        word.lowercased().unicodeScalars.filter { $0 != "_" }
    }

    /// The edit distance between two scalar sequences: insertions, deletions, substitutions and
    /// swaps of two neighbours each cost 1 (optimal string alignment), so `bleu` is 1 from `blue`.
    /// - Complexity: O(m × n) time and space.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var distances = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { distances[i][0] = i }
        for j in 0...b.count { distances[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(distances[i - 1][j] + 1, distances[i][j - 1] + 1, distances[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, distances[i - 2][j - 2] + 1)
                }
                distances[i][j] = best
            }
        }
        return distances[a.count][b.count]
    }
}
