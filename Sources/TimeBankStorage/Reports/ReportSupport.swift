import TimeBankCore

/// What the report functions share: titles with a range, hours from minutes, labels from the policy.
enum ReportSupport {
    /// `2026-11-01 – 2026-11-30`, or just `2026-11-01` for one day.
    static func range(_ from: LocalDate, _ through: LocalDate) -> String {
        from == through ? from.description : "\(from) – \(through)"
    }

    /// Minutes as hours in hundredths, rounded half up: 90 → 1.50, 20 → 0.33, 50 → 0.83.
    static func hours(minutes: Int64) -> Int64 {
        let doubled = minutes * 200 + 60
        return minutes >= 0 ? doubled / 120 : -(((-minutes) * 200 + 60) / 120)
    }

    /// The note of a report whose figures come from posted records, when `count` records dated in its range are not
    /// posted yet (`UnpostedRecordsNote`); `consequence` says how the figures can change (`the ranking can still change`).
    static func unpostedRecordsNote(_ count: Int64, consequence: String) -> String? {
        UnpostedRecordsNote.text(count, dated: "in this range", consequence: consequence)
    }

    /// The SQL condition "entry `column` is not reversed" (`column` may be NULL: then true).
    static func notReversed(_ column: String) -> String {
        "(\(column) IS NULL OR NOT EXISTS (SELECT 1 FROM entries rv WHERE rv.reverses = \(column)))"
    }
}

extension TimeBankStore {
    /// How many records dated in the range (from `from`, or from the first, through `through`) are neither posted nor
    /// rejected: pending, or approved and not posted yet.
    func unpostedRecordCount(from: LocalDate?, through: LocalDate) throws -> Int64 {
        try database.statement("""
            SELECT count(*) FROM records r WHERE r.service_date >= ? AND r.service_date <= ? AND r.status <> 'rejected'
              AND NOT EXISTS (SELECT 1 FROM record_scores s WHERE s.record = r.number)
            """).bind(.text(from?.description ?? ""), .text(through.description)).first { $0.int64(0) } ?? 0
    }

    /// The policy in force on `date`, or nil when none is (reports still work without one: ids stand in for labels).
    func reportPolicy(on date: LocalDate) throws -> Policy? {
        guard try policyVersion(inForceOn: date) != nil else { return nil }
        return try policy(inForceOn: date).policy
    }
}

extension SQLiteStatement {
    /// Calls `body` with every row (for reports that fold rows into their own structures).
    func forEachRow(_ body: (SQLiteStatement) throws -> Void) throws {
        _ = try rows(body)
    }
}
