import TimeBankCore

/// What activating a new policy version would do to the records not posted yet (pending, or approved and waiting for
/// the settlement) that it would score: the categories, indicators and rules that the version in force on their dates
/// declares and the new one drops.
///
/// A dropped category or indicator loses records for good: the nightly settlement rejects its pending records (a decision
/// is made once) and posts its approved ones with no points. A dropped multiplier, bonus or penalty only changes what its
/// records earn: they are scored without it.
public struct PolicyVersionImpact: Sendable, Hashable {
    /// A category, indicator or rule the new version drops, and the records not posted yet that use it.
    public struct DroppedUse: Sendable, Hashable {
        /// What the new version drops: a category or indicator (its records are lost), or a rule (its records earn without it).
        public enum Kind: String, Sendable, Hashable {
            case category, indicator, multiplier, bonus, penalty
        }

        public var kind: Kind
        public var id: String
        /// Records waiting for a decision.
        public var pending: Int
        /// Records approved and not posted yet.
        public var approved: Int
        public var firstDate: LocalDate
        public var lastDate: LocalDate

        /// Whether the records are lost (rejected, or posted with no points) rather than scored without a rule.
        public var losesRecords: Bool { kind == .category || kind == .indicator }

        /// `category "purple": 3 pending and 1 approved records dated 2026-11-01 to 2026-11-03; ...what happens...` (a rule
        /// dropped: `...; it would be scored without it` for one record, `they` for more)
        public var description: String {
            var counts: [String] = []
            if pending > 0 { counts.append("\(pending) pending") }
            if approved > 0 { counts.append("\(approved) approved") }
            let total = pending + approved
            let dates = firstDate == lastDate ? "dated \(firstDate)" : "dated \(firstDate) to \(lastDate)"
            let what: String
            switch kind {
            case .category, .indicator:
                var parts: [String] = []
                if pending > 0 { parts.append("the nightly settlement would reject the pending ones for good") }
                if approved > 0 { parts.append("post the approved ones with no points") }
                what = parts.joined(separator: " and ")
            case .multiplier, .bonus, .penalty:
                what = total == 1 ? "it would be scored without it" : "they would be scored without it"
            }
            return "\(kind.rawValue) \"\(id)\": \(counts.joined(separator: " and ")) record\(total == 1 ? "" : "s") \(dates); \(what)"
        }
    }

    /// The new version's label.
    public var version: String
    /// The first day it would score.
    public var from: LocalDate
    /// The day a later stored version takes over from it, if one does.
    public var until: LocalDate?
    /// What it drops, categories and indicators first, each by id.
    public var dropped: [DroppedUse]

    /// Whether records would be lost (a dropped category or indicator), not only scored differently.
    public var losesRecords: Bool { dropped.contains(where: \.losesRecords) }
    /// The last date of a record that would be lost, to say from when the new version could take effect instead.
    public var lastLostDate: LocalDate? { dropped.filter(\.losesRecords).map(\.lastDate).max() }
}

extension TimeBankStore {
    /// What activating `policy` now would do to the records not posted yet that it would score (those dated from its
    /// effective date up to the next stored version's): the categories and indicators they use that it drops, and,
    /// with `rules`, the multipliers, bonuses and penalties that act on them under the versions in force now
    /// (found by scoring them, a pending record as if it were approved) and that it drops.
    public func impactOfActivating(_ policy: Policy, rules: Bool = true) throws -> PolicyVersionImpact {
        let until = try policyVersions().map(\.effective).filter { $0 > policy.effective }.min()
        var impact = PolicyVersionImpact(version: policy.version, from: policy.effective, until: until, dropped: [])
        let timeline = try storedPolicyTimeline()
        guard !timeline.versions.isEmpty else { return impact }
        let range = "r.service_date >= ?1 AND (?2 IS NULL OR r.service_date < ?2) AND (r.status = 'pending' OR (r.status = 'approved' "
            + "AND NOT EXISTS (SELECT 1 FROM record_scores s WHERE s.record = r.number)))"
        let bounds: [SQLiteValue] = [.text(policy.effective.description), until.map { .text($0.description) } ?? .null]
        var uses: [String: PolicyVersionImpact.DroppedUse] = [:]
        func count(_ kind: PolicyVersionImpact.DroppedUse.Kind, _ id: String, pending: Bool, date: LocalDate, records: Int) {
            let key = kind.rawValue + "." + id
            var use = uses[key] ?? .init(kind: kind, id: id, pending: 0, approved: 0, firstDate: date, lastDate: date)
            if pending { use.pending += records } else { use.approved += records }
            use.firstDate = min(use.firstDate, date)
            use.lastDate = max(use.lastDate, date)
            uses[key] = use
        }

        // Categories and indicators: one group per kind, id, date and status.
        let groups = try database.statement("""
            SELECT r.kind, coalesce(r.category, r.indicator, ''), r.service_date, r.status, count(*) FROM records r
            WHERE \(range) GROUP BY 1, 2, 3, 4
            """).bind(bounds).rows { (kind: $0.text(0), id: $0.text(1), date: $0.text(2), status: $0.text(3), count: Int($0.int64(4))) }
        var oldVersions = Set<Int>()
        for group in groups {
            guard let date = LocalDate(group.date), let index = timeline.index(inForceOn: date) else { continue }
            oldVersions.insert(index)
            let old = timeline.versions[index].policy
            if group.kind == "service", old.category(group.id) != nil, policy.category(group.id) == nil {
                count(.category, group.id, pending: group.status == "pending", date: date, records: group.count)
            } else if group.kind == "assessment", old.indicator(group.id) != nil, policy.indicator(group.id) == nil {
                count(.indicator, group.id, pending: group.status == "pending", date: date, records: group.count)
            }
        }

        // Rules: only when a version in force on those dates declares one the new version does not.
        let kept = Set(policy.multipliers.map { "multipliers." + $0.id } + policy.bonuses.map { "bonuses." + $0.id }
            + policy.penalties.map { "penalties." + $0.id })
        let droppedRules = oldVersions.contains { index in
            let old = timeline.versions[index].policy
            return (old.multipliers.map { "multipliers." + $0.id } + old.bonuses.map { "bonuses." + $0.id }
                + old.penalties.map { "penalties." + $0.id }).contains { !kept.contains($0) }
        }
        if rules, droppedRules {
            let stored = try database.statement("""
                SELECT \(Self.recordContentColumns), r.approval_verifier, r.status FROM records r WHERE \(range)
                ORDER BY r.service_date, coalesce(r.start_time, ''), CAST(r.id AS BLOB), CAST(r.source AS BLOB)
                """).bind(bounds).rows { row in
                    let pending = row.text(21) == "pending"
                    // A pending record is scored as if approved, to see the rules that would act on it.
                    return (record: StoredRecord.forScoring(try Self.recordContent(row),
                                                            approvalVerifier: row.optionalText(20) ?? (pending ? "(pending)" : nil)),
                            pending: pending)
                }
            let scorer = Scorer(timeline: timeline, community: try communityDirectory(), options: ScoringOptions(explain: true))
            let run = try scorer.score(stored.map(\.record), history: StoreScoringHistory(store: self))
            let kinds: [(prefix: String, kind: PolicyVersionImpact.DroppedUse.Kind)] =
                [("multipliers.", .multiplier), ("bonuses.", .bonus), ("penalties.", .penalty)]
            for score in run.scores {
                let record = run.record(of: score)
                for rule in Set(run.rulesApplied(score)) where !kept.contains(rule) {
                    guard let kind = kinds.first(where: { rule.hasPrefix($0.prefix) }) else { continue }
                    count(kind.kind, String(rule.dropFirst(kind.prefix.count)), pending: stored[score.recordIndex].pending,
                          date: record.date, records: 1)
                }
            }
        }
        let order: [PolicyVersionImpact.DroppedUse.Kind] = [.category, .indicator, .multiplier, .bonus, .penalty]
        impact.dropped = uses.values.sorted {
            (order.firstIndex(of: $0.kind) ?? 0, $0.id) < (order.firstIndex(of: $1.kind) ?? 0, $1.id)
        }
        return impact
    }
}
