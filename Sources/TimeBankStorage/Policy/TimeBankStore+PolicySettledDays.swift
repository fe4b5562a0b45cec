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
    /// The latest settled day on or after `effective`.
    public var lastSettled: LocalDate
    /// The label of the stored version in force on `effective` (the one that scored those days); nil when none was.
    public var replacedVersion: String?
    /// Records dated `effective` through `lastSettled` that were scored and posted.
    public var postedRecords: Int
    /// Records dated `effective` through `lastSettled` not posted yet (pending, or approved and waiting).
    public var waitingRecords: Int

    /// `version 2 would take effect on 2026-11-01, but the nightly settlement has closed the days through 2026-11-07 already: ...`
    public var description: String {
        let days = "the nightly settlement has closed the days through \(lastSettled) already"
        let scoredBy = replacedVersion.map { "version \($0) gave them" } ?? "they were given"
        let posted = postedRecords == 0
            ? "no record of those days was posted"
            : "the \(postedRecords) record\(postedRecords == 1 ? "" : "s") of those days posted keep\(postedRecords == 1 ? "s" : "") the points \(scoredBy) "
                + "(a posted record is never scored again)"
        let waiting = waitingRecords == 0
            ? "version \(version) would score none of them"
            : "only the \(waitingRecords) not posted yet would be scored by version \(version)"
                + (postedRecords == 0 ? "" : ", so the same days would be scored by two rules")
        return "version \(version) would take effect on \(effective), but \(days): \(posted), and \(waiting)"
    }
}

extension TimeBankStore {
    /// The settled days a version taking effect on `policy.effective` would fall on, with the records of those days posted
    /// and not posted yet; nil when no day on or after it is settled. `replaced` is the label of the version in force then.
    public func settledOverlap(of policy: Policy, replacedVersion: String?) throws -> PolicySettledOverlap? {
        let from = policy.effective.description
        guard let last = try database.statement("SELECT max(date) FROM settlements WHERE date >= ?").bind(.text(from))
            .first({ $0.optionalText(0) }) ?? nil, let lastSettled = LocalDate(last) else { return nil }
        let posted = try database.statement("SELECT count(*) FROM record_scores WHERE service_date >= ? AND service_date <= ?")
            .bind(.text(from), .text(last)).first { Int($0.int64(0)) } ?? 0
        let waiting = try database.statement("""
            SELECT count(*) FROM records r WHERE r.service_date >= ? AND r.service_date <= ? AND (r.status = 'pending'
                OR (r.status = 'approved' AND NOT EXISTS (SELECT 1 FROM record_scores s WHERE s.record = r.number)))
            """).bind(.text(from), .text(last)).first { Int($0.int64(0)) } ?? 0
        return PolicySettledOverlap(version: policy.version, effective: policy.effective, lastSettled: lastSettled,
                                    replacedVersion: replacedVersion, postedRecords: posted, waitingRecords: waiting)
    }
}
