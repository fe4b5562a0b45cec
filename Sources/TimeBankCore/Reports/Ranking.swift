/// One line of a ranking of volunteers (排行榜).
public struct RankingRow: Sendable, Hashable {
    /// 1 for the first; volunteers with equal measures share a rank (1, 2, 2, 4).
    public var rank: Int
    /// The volunteer's id.
    public var volunteer: String
    public var name: String
    /// Points earned in the range, hundredths.
    public var points: Int64
    /// Minutes served in the range.
    public var minutes: Int64

    public init(rank: Int, volunteer: String, name: String, points: Int64, minutes: Int64) {
        self.rank = rank
        self.volunteer = volunteer
        self.name = name
        self.points = points
        self.minutes = minutes
    }
}

/// Ranks volunteers by points earned or hours served, with one documented tie rule (docs/reports.md).
///
/// - Ranked by the measure, highest first; volunteers with 0 of it are not ranked.
/// - Equal measures share a rank, and the next rank skips the shared places (standard competition
///   ranking: 1, 2, 2, 4).
/// - Within a tie, listed by the other measure (minutes when ranking by points, points when ranking
///   by hours), highest first, then by volunteer id in UTF-8 byte order. The listing order inside a
///   tie never changes the rank.
/// - The top N includes everyone tied at place N, so the list may be longer than N.
///
///     let rows = Ranking.rank([RankingRow(rank: 0, volunteer: "V1", name: "王", points: 1200, minutes: 60), ...],
///                             by: .points, top: 10)
///
/// - Complexity: O(n log n) in the number of candidates.
public enum Ranking {
    /// The ranked rows of `candidates` (their `rank` is ignored and set), at most the top `top` places
    /// plus the volunteers tied at place `top`; all when `top` is nil.
    public static func rank(_ candidates: [RankingRow], by measure: PolicyRanking.Measure, top: Int? = nil) -> [RankingRow] {
        func primary(_ row: RankingRow) -> Int64 { measure == .points ? row.points : row.minutes }
        func secondary(_ row: RankingRow) -> Int64 { measure == .points ? row.minutes : row.points }
        let sorted = candidates.filter { primary($0) > 0 }.sorted { left, right in
            if primary(left) != primary(right) { return primary(left) > primary(right) }
            if secondary(left) != secondary(right) { return secondary(left) > secondary(right) }
            return left.volunteer.utf8.lexicographicallyPrecedes(right.volunteer.utf8)
        }
        var ranked: [RankingRow] = []
        ranked.reserveCapacity(sorted.count)
        for (index, row) in sorted.enumerated() {
            var row = row
            if let previous = ranked.last, primary(previous) == primary(row) {
                row.rank = previous.rank
            } else {
                row.rank = index + 1
            }
            // Past place N only those tied with the row at place N stay.
            if let top, row.rank > top { break }
            ranked.append(row)
        }
        return ranked
    }
}
