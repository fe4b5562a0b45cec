import TimeBankCore

/// A new version whose effective date falls on days the nightly settlement has closed already (A013). The records of
/// those days that were posted keep the points the version then in force gave them (a posted entry is never scored
/// again); only the records of those days not posted yet would be scored by the new version, so the same days would be
/// scored by two rules.
public struct PolicySettledOverlap: Sendable, Hashable {
    /// The new version's label.
    public var version: String
    /// Its effective date.
    public var effective: LocalDate
    /// The latest settled day on or after `effective` while the new version would be in force (before `laterEffective`).
    public var lastSettled: LocalDate
    /// The label of the stored version in force on `effective` (the one that scored those days); nil when none was.
    public var replacedVersion: String?
    /// Records dated `effective` through `lastSettled` that were scored and posted.
    public var postedRecords: Int
    /// Records dated `effective` through `lastSettled` not posted yet (pending, or approved and waiting).
    public var waitingRecords: Int
    /// The labels of the stored versions that scored the posted records, in activation order: usually `replacedVersion`
    /// alone, several when a version was activated over settled days before. Empty when none was posted.
    public var scoringVersions: [String] = []
    /// A stored version taking effect after `effective` (activated before, with an earlier effective date than this one's
    /// would need without `--force`): from its date on it is in force again, so the new version holds only until then.
    public var laterVersion: String?
    /// The effective date of `laterVersion`.
    public var laterEffective: LocalDate?

    /// `version 2 would take effect on 2026-11-01, but the nightly settlement has closed the days through 2026-11-07 already: ...`
    public var description: String {
        let days = "the nightly settlement has closed the days through \(lastSettled) already"
        let one = postedRecords == 1
        let scorers = scoringVersions.isEmpty ? replacedVersion.map { [$0] } ?? [] : scoringVersions
        let scoredBy = scorers.isEmpty ? "\(one ? "it was" : "they were") given"
            : "version\(scorers.count == 1 ? "" : "s") \(scorers.listedInProse) gave \(one ? "it" : "them")"
        let posted = postedRecords == 0
            ? "no record of those days was posted"
            : "the \(postedRecords) record\(one ? "" : "s") of those days posted keep\(one ? "s" : "") the points \(scoredBy) "
                + "(a posted record is never scored again)"
        let waiting = waitingRecords == 0
            ? "version \(version) would score none of them"
            : "only the \(waitingRecords) not posted yet would be scored by version \(version)"
                + (postedRecords == 0 ? "" : ", so the same days would be scored by two rules")
        var until = ""
        if let laterVersion, let laterEffective { until = " and be in force until version \(laterVersion) takes over on \(laterEffective)" }
        return "version \(version) would take effect on \(effective)\(until), but \(days): \(posted), and \(waiting)"
    }
}

extension TimeBankStore {
    /// The settled days a version taking effect on `policy.effective` would fall on, with the records of those days posted
    /// and not posted yet; nil when no day on or after it is settled. `replaced` is the label of the version in force then.
    /// A stored version with a later effective date (activated before it, so this one would be forced past A002) takes
    /// over again from that date: the days from then on are not this version's, and are not counted.
    public func settledOverlap(of policy: Policy, replacedVersion: String?) throws -> PolicySettledOverlap? {
        let from = policy.effective.description
        let later = try database.statement("""
            SELECT version, effective_date FROM policy_versions WHERE effective_date > ? ORDER BY effective_date, number LIMIT 1
            """).bind(.text(from)).first { ($0.text(0), LocalDate($0.text(1))) }
        guard let last = try database.statement("SELECT max(date) FROM settlements WHERE date >= ? AND date < ?")
            .bind(.text(from), later?.1.map { .text($0.description) } ?? .text("9999-12-31"))
            .first({ $0.optionalText(0) }) ?? nil, let lastSettled = LocalDate(last) else { return nil }
        let posted = try database.statement("SELECT count(*) FROM record_scores WHERE service_date >= ? AND service_date <= ?")
            .bind(.text(from), .text(last)).first { Int($0.int64(0)) } ?? 0
        let scorers = try database.statement("""
            SELECT v.version FROM policy_versions v WHERE v.number IN (SELECT s.policy_version FROM record_scores s
                WHERE s.service_date >= ? AND s.service_date <= ?) ORDER BY v.number
            """).bind(.text(from), .text(last)).rows { $0.text(0) }
        let waiting = try database.statement("""
            SELECT count(*) FROM records r WHERE r.service_date >= ? AND r.service_date <= ? AND (r.status = 'pending'
                OR (r.status = 'approved' AND NOT EXISTS (SELECT 1 FROM record_scores s WHERE s.record = r.number)))
            """).bind(.text(from), .text(last)).first { Int($0.int64(0)) } ?? 0
        return PolicySettledOverlap(version: policy.version, effective: policy.effective, lastSettled: lastSettled,
                                    replacedVersion: replacedVersion, postedRecords: posted, waitingRecords: waiting,
                                    scoringVersions: scorers, laterVersion: later?.0, laterEffective: later?.1)
    }
}
