import TimeBankCore

/// A volunteer's star level (星级志愿者) as the nightly settlement last wrote it, and what it is measured by now: what
/// `volunteer show` tells a volunteer at the counter.
public struct VolunteerStarLevel: Sendable, Hashable {
    /// The level held (`star2`), nil below the first; as of the last settled night.
    public var level: String?
    /// The night the level was reached (or last changed).
    public var since: LocalDate?
    /// What the levels count: minutes served or hundredths of a point earned.
    public var measure: StarLevels.Measure
    /// The volunteer's total in that measure: the minutes counted in their posted records that stand, or the points of
    /// their awards not reversed (as the settlement counts them).
    public var value: Int64

    public init(level: String?, since: LocalDate?, measure: StarLevels.Measure, value: Int64) {
        self.level = level
        self.since = since
        self.measure = measure
        self.value = value
    }
}

extension TimeBankStore {
    /// Each volunteer's totals for star levels, through `date` when given: the minutes counted in their posted records
    /// that stand (a withdrawn record counts no more) and the points of their awards not reversed. `volunteer` narrows
    /// it to one. The settlement's levels step and `volunteer show` read the same figures.
    func starLevelTotals(through date: LocalDate?, volunteer: String? = nil) throws -> [(volunteer: String, minutes: Int64, points: Int64)] {
        var conditions = ["s.volunteer IS NOT NULL"]
        var values: [SQLiteValue] = []
        if let date { conditions.append("s.service_date <= ?"); values.append(.text(date.description)) }
        if let volunteer { conditions.append("s.volunteer = ?"); values.append(.text(volunteer)) }
        return try database.statement("""
            SELECT s.volunteer, sum(CASE WHEN \(WithdrawnRecordsSQL.stands("s")) THEN s.minutes_counted ELSE 0 END),
                   sum(CASE WHEN s.award_entry IS NOT NULL AND \(ReportSupport.notReversed("s.award_entry")) THEN s.award ELSE 0 END)
            FROM record_scores s
            WHERE \(conditions.joined(separator: " AND "))
            GROUP BY s.volunteer ORDER BY s.volunteer
            """).bind(values).rows { (volunteer: $0.text(0), minutes: $0.int64(1), points: $0.int64(2)) }
    }

    /// The star level `volunteer` holds and their total towards the levels of `policy` (the version in force today, say);
    /// nil when that policy has no levels and the volunteer holds none.
    public func starLevel(of volunteer: String, policy: Policy?) throws -> VolunteerStarLevel? {
        let held = try database.statement("SELECT level, since FROM volunteer_levels WHERE volunteer = ?").bind(.text(volunteer))
            .first { (level: $0.text(0), since: LocalDate($0.text(1))) }
        guard let measure = policy.flatMap(StarLevels.measure(of:)) ?? (held == nil ? nil : .minutes) else { return nil }
        let total = try starLevelTotals(through: nil, volunteer: volunteer).first
        return VolunteerStarLevel(level: held?.level, since: held?.since, measure: measure,
                                  value: measure == .minutes ? total?.minutes ?? 0 : total?.points ?? 0)
    }

    /// Every volunteer's star level as the last settled night left it: volunteer id → (level id, the night it was reached).
    public func starLevelsHeld() throws -> [String: (level: String, since: LocalDate?)] {
        Dictionary(try database.statement("SELECT volunteer, level, since FROM volunteer_levels")
            .rows { ($0.text(0), (level: $0.text(1), since: LocalDate($0.text(2)))) }, uniquingKeysWith: { first, _ in first })
    }
}
