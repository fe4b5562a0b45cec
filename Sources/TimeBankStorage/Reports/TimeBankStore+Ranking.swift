import TimeBankCore

/// The ranking of volunteers (排行榜) by points earned or hours served in a range.
extension TimeBankStore {
    /// Volunteers ranked by `measure` over the records and awards dated in the range, with the tie
    /// rule of `Ranking.rank` (shared ranks 1, 2, 2, 4; the top N includes everyone tied at place N;
    /// volunteers with 0 are not ranked).
    ///
    /// Points earned: award entries to the volunteer's account dated in the range and not reversed,
    /// plus the awards of the volunteer's records credited to another account (their household's,
    /// under `earn_to = "household"`), not reversed. Penalties do not lower it. Minutes: the minutes
    /// counted of the volunteer's posted records dated in the range that stand (not withdrawn: docs/records.md).
    public func ranking(from: LocalDate, through: LocalDate, top: Int? = nil,
                        by measure: PolicyRanking.Measure = .points) throws -> [RankingRow] {
        try ReportError.validate(from: from, through: through)
        if let top, top < 1 { throw ReportError.invalidTop(String(top)) }
        return try database.readTransaction {
            let range: [SQLiteValue] = [.text(from.description), .text(through.description)]
            var candidates: [String: RankingRow] = [:]
            func add(_ volunteer: String, points: Int64 = 0, minutes: Int64 = 0) {
                candidates[volunteer, default: RankingRow(rank: 0, volunteer: volunteer, name: "", points: 0, minutes: 0)].points += points
                candidates[volunteer]!.minutes += minutes
            }
            try database.statement("""
                SELECT substr(a.id, 11), sum(p.amount) FROM entries e
                CROSS JOIN postings p ON p.entry = e.sequence JOIN accounts a ON a.number = p.account
                WHERE e.kind = 'award' AND e.effective_date BETWEEN ? AND ? AND a.kind = 'volunteer' AND p.asset = 'POINTS'
                  AND p.amount > 0 AND NOT EXISTS (SELECT 1 FROM entries rv WHERE rv.reverses = e.sequence)
                GROUP BY a.id
                """).bind(range).forEachRow { add($0.text(0), points: $0.int64(1)) }
            try database.statement("""
                SELECT s.volunteer,
                       sum(CASE WHEN s.account <> 'volunteer:' || s.volunteer AND s.award_entry IS NOT NULL
                                     AND \(ReportSupport.notReversed("s.award_entry")) THEN s.award ELSE 0 END),
                       sum(CASE WHEN \(WithdrawnRecordsSQL.stands("s")) THEN s.minutes_counted ELSE 0 END)
                FROM records r JOIN record_scores s ON s.record = r.number
                WHERE r.service_date BETWEEN ? AND ? AND s.volunteer IS NOT NULL
                GROUP BY s.volunteer
                """).bind(range).forEachRow { add($0.text(0), points: $0.int64(1), minutes: $0.int64(2)) }
            let names = Dictionary(try database.statement("SELECT id, name FROM volunteers").rows { ($0.text(0), $0.text(1)) },
                                   uniquingKeysWith: { first, _ in first })
            let named = candidates.values.map { row in
                var row = row
                row.name = names[row.volunteer] ?? ""
                return row
            }
            return Ranking.rank(named, by: measure, top: top)
        }
    }

    /// The ranking as a report: rank, volunteer, name, points, minutes and hours; the notes state the tie
    /// rule and when ties at place N made the list longer than N.
    public func rankingReport(from: LocalDate, through: LocalDate, top: Int? = nil,
                              by measure: PolicyRanking.Measure = .points) throws -> ReportTable {
        let rows = try ranking(from: from, through: through, top: top, by: measure)
        // The board names the points as the policy in force on its last day does (积分, 信义币); the column's id stays "points".
        let unit = policyUnit(on: through)
        let points = unit ?? PointsUnit.unnamed
        let columns = [
            ReportColumn("rank", "Rank", .integer), ReportColumn("volunteer", "Volunteer", .text), ReportColumn("name", "Name", .text),
            ReportColumn("points", unit ?? PointsUnit.heading, .amount), ReportColumn("minutes", "Minutes", .integer),
            ReportColumn("hours", "Hours", .amount),
        ]
        var notes = ["Ranked by \(measure == .points ? "\(points) earned" : "hours served"); equal \(measure == .points ? points : "hours") share a "
            + "rank (1, 2, 2, 4), listed by \(measure == .points ? "hours" : points) and then volunteer id; volunteers with none are not ranked."]
        if let top, rows.count > top {
            notes.append("\(rows.count) volunteers listed for the top \(top): those tied at place \(rows.last!.rank) are all shown.")
        }
        if let note = ReportSupport.unpostedRecordsNote(try unpostedRecordCount(from: from, through: through),
                                                        consequence: "the ranking can still change") {
            notes.append(note)
        }
        let topText = top.map { ", top \($0)" } ?? ""
        return ReportTable(
            name: "ranking", title: "排行榜 Ranking by \(measure == .points ? points : "hours")\(topText), \(ReportSupport.range(from, through))",
            from: from, to: through, columns: columns,
            rows: rows.map { [.count($0.rank), .text($0.volunteer), .text($0.name), .amount($0.points), .integer($0.minutes),
                              .amount(ReportSupport.hours(minutes: $0.minutes))] },
            notes: notes)
    }
}
