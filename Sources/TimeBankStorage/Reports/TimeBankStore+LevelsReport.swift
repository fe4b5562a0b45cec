import TimeBankCore

/// The star levels (星级志愿者) as a report: who reached, lost or changed a level in a range, and how many hold each.
extension TimeBankStore {
    /// Every star-level change the nightly settlement wrote on a night in the range (`level_changes`), oldest first: the
    /// night, the volunteer, the level before and after, whether it went up or down, and the total it was worked out
    /// from (minutes served, or the points earned when the levels count points). The levels are named as the policy in
    /// force on the range's last day names them (a level that version does not have, because a later version dropped
    /// `[levels]` or renamed it, keeps the label of the latest earlier version that has it), and each change is `up` or
    /// `down` by the levels of the version its night used. A note says how many volunteers held each level at the end
    /// of the range (their latest change on or before it).
    public func levelsReport(from: LocalDate, through: LocalDate) throws -> ReportTable {
        try ReportError.validate(from: from, through: through)
        let policy = try? counterPolicyInForce(on: through)
        let measure = policy.flatMap(StarLevels.measure(of:)) ?? .minutes
        let levels = policy?.levels ?? []
        // Each change holds the total in the measure its night counted: that of the version in force on its date.
        let timeline = try storedPolicyTimeline()
        let measureOn = { (date: LocalDate) in timeline.version(inForceOn: date).flatMap { StarLevels.measure(of: $0.policy) } ?? measure }
        // Level `id` as the version in force on `date` defines it, or the latest version in force by then that has it.
        func definition(_ id: String, on date: LocalDate) -> (policy: Policy, level: PolicyLevel)? {
            let inForce = date == through ? policy : timeline.version(inForceOn: date)?.policy
            if let inForce, let level = inForce.levels.first(where: { $0.id == id }) { return (inForce, level) }
            for version in timeline.versions.reversed() where version.policy.effective <= date {
                if let level = version.policy.levels.first(where: { $0.id == id }) { return (version.policy, level) }
            }
            return nil
        }
        let named = { (id: String) in StarLevels.name(id, in: definition(id, on: through)?.policy) }
        return try database.readTransaction {
            let range: [SQLiteValue] = [.text(from.description), .text(through.description)]
            let changes = try database.statement("""
                SELECT c.date, c.volunteer, coalesce(v.name, ''), c.from_level, c.to_level, c.measure
                FROM level_changes c LEFT JOIN volunteers v ON v.id = c.volunteer
                WHERE c.date BETWEEN ? AND ? ORDER BY c.date, CAST(c.volunteer AS BLOB)
                """).bind(range).rows {
                (date: LocalDate($0.text(0)) ?? from, volunteer: $0.text(1), name: $0.text(2), before: $0.optionalText(3),
                 after: $0.optionalText(4), value: $0.int64(5))
            }
            // At the end of the range: each volunteer's level after their latest change on or before it.
            let held = try database.statement("""
                SELECT c.to_level, count(*) FROM level_changes c
                WHERE c.date = (SELECT max(l.date) FROM level_changes l WHERE l.volunteer = c.volunteer AND l.date <= ?)
                  AND c.to_level IS NOT NULL
                GROUP BY c.to_level
                """).bind(.text(through.description)).rows { (level: $0.text(0), count: $0.int64(1)) }
            let order = { (id: String) in levels.firstIndex { $0.id == id } ?? levels.count }
            let holders = held.sorted { (order($0.level), $0.level) < (order($1.level), $1.level) }

            // Up or down by the levels the night used (the version in force on `date`, which has levels: a night without
            // them writes no change), not by those of the range's last day, which may have none or others. A level that
            // version no longer has (renamed) is compared by its threshold in the version that had it, when both count
            // the same measure.
            func direction(_ before: String?, _ after: String?, on date: LocalDate) -> String {
                guard let after else { return "lost" }
                guard let before else { return "reached" }
                let night = timeline.version(inForceOn: date)?.policy.levels ?? []
                if let up = night.firstIndex(where: { $0.id == after }), let down = night.firstIndex(where: { $0.id == before }) {
                    return up >= down ? "up" : "down"
                }
                guard let new = definition(after, on: date)?.level, let old = definition(before, on: date)?.level,
                      let newNeeded = StarLevels.needed(for: new), let oldNeeded = StarLevels.needed(for: old),
                      Self.sameMeasure(new, old) else { return "up" }
                return newNeeded >= oldNeeded ? "up" : "down"
            }
            var columns = [ReportColumn("date", "Date", .date), ReportColumn("volunteer", "Volunteer", .text), ReportColumn("name", "Name", .text),
                           ReportColumn("from_level", "From", .text), ReportColumn("to_level", "To", .text), ReportColumn("change", "Change", .text)]
            let unit = policyUnit(on: through)
            // A range across a version that changed the levels' measure (hours to points or back) has both columns, each
            // row's figure in its own and the other left empty.
            let counted = changes.map { measureOn($0.date) }
            // The columns of the measures the changes were counted in; for a range without changes, the last day's.
            let measures = counted.isEmpty ? [measure] : Set(counted)
            let byMinutes = measures.contains(.minutes), byPoints = measures.contains(.points)
            if byMinutes { columns += [ReportColumn("minutes", "Minutes", .integer), ReportColumn("hours", "Hours", .amount)] }
            if byPoints { columns += [ReportColumn("points", unit ?? PointsUnit.heading, .amount)] }
            let rows: [[ReportCell]] = zip(changes, counted).map { change, counted in
                // No level before (reached) or after (lost): an empty cell, which a spreadsheet does not take for a formula as `-`.
                var row: [ReportCell] = [.date(change.date), .text(change.volunteer), .text(change.name), change.before.map { .text(named($0)) } ?? .empty,
                 change.after.map { .text(named($0)) } ?? .empty,
                 .text(direction(change.before, change.after, on: change.date))]
                if byMinutes { row += counted == .minutes ? [.integer(change.value), .amount(ReportSupport.hours(minutes: change.value))] : [.empty, .empty] }
                if byPoints { row += counted == .points ? [.amount(change.value)] : [.empty] }
                return row
            }
            var notes: [String] = []
            if byMinutes && byPoints {
                notes.append("The levels counted hours on some nights of the range and points on others (a policy version changed "
                             + "their measure): each change shows the total its night counted, the other column left empty.")
            }
            if levels.isEmpty {
                notes.append("The policy in force on \(through) has no star levels ([levels.ID]).")
            }
            let heldText = holders.isEmpty ? "none" : holders.map { "\(named($0.level)) \($0.count)" }.joined(separator: ", ")
            notes.append("Held at the end of \(through): \(heldText); a level changes only when a night is settled, from the "
                         + (measure == .minutes ? "minutes served in posted records that stand" : "points of posted awards not reversed")
                         + " through that night.")
            return ReportTable(
                name: "levels", title: "星级志愿者 Star levels, \(ReportSupport.range(from, through))", from: from, to: through,
                columns: columns, rows: rows, notes: notes)
        }
    }

    /// Whether two levels count the same thing (hours, or points), so that their thresholds compare.
    private static func sameMeasure(_ first: PolicyLevel, _ second: PolicyLevel) -> Bool {
        switch (first.threshold, second.threshold) {
        case (.hours, .hours), (.points, .points): true
        default: false
        }
    }
}
