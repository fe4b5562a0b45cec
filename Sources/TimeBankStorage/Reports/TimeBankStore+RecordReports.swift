import TimeBankCore

/// Reports about records and lots: what happened to every record of a range (rejects), and the
/// points about to expire.
extension TimeBankStore {
    /// How the records dated in a range split; `read` is counted on its own, so `addsUp` is a real check.
    public struct RecordAccounting: Sendable, Hashable {
        /// Every stored record with a service date in the range.
        public var read: Int64
        /// Records whose points are posted (they have a posted score).
        public var posted: Int64
        /// Records waiting for a decision.
        public var pending: Int64
        /// Records rejected, with a reason.
        public var rejected: Int64
        /// Records approved but not posted yet (0 after a settlement of their date).
        public var approvedNotPosted: Int64

        /// read = posted + pending + rejected + approved-not-posted.
        public var addsUp: Bool { read == posted + pending + rejected + approvedNotPosted }
    }

    /// Counts the records with a service date in the range by what became of them, in one statement
    /// (so that an import running meanwhile cannot make the counts disagree).
    public func recordAccounting(from: LocalDate, through: LocalDate) throws -> RecordAccounting {
        try ReportError.validate(from: from, through: through)
        return try database.statement("""
            SELECT count(*), coalesce(sum(scored), 0),
                   coalesce(sum(status = 'pending' AND NOT scored), 0),
                   coalesce(sum(status = 'rejected' AND NOT scored), 0),
                   coalesce(sum(status = 'approved' AND NOT scored), 0)
            FROM (SELECT r.status, EXISTS (SELECT 1 FROM record_scores s WHERE s.record = r.number) AS scored
                  FROM records r WHERE r.service_date BETWEEN ? AND ?)
            """).bind(.text(from.description), .text(through.description)).first {
            RecordAccounting(read: $0.int64(0), posted: $0.int64(1), pending: $0.int64(2), rejected: $0.int64(3),
                             approvedNotPosted: $0.int64(4))
        } ?? RecordAccounting(read: 0, posted: 0, pending: 0, rejected: 0, approvedNotPosted: 0)
    }

    // MARK: Rejects

    /// Accounts for every record with a service date in the range: each rejected record with its
    /// reason, each pending one with why it waits (no verifier yet, the auto-accept date, no policy
    /// in force), each approved one not posted yet, each posted one withdrawn since; a note with the counts and the check
    /// read = posted + pending + rejected + approved-not-posted.
    public func rejectsReport(from: LocalDate, through: LocalDate) throws -> ReportTable {
        try rejectsReportAccounted(from: from, through: through).report
    }

    /// `rejectsReport` with the accounting its check line says, both read in one snapshot: whether it adds up is then what
    /// the printed line says, though an import or a settlement writes between (`report rejects` exits 3 by it).
    public func rejectsReportAccounted(from: LocalDate, through: LocalDate) throws -> (report: ReportTable, accounting: RecordAccounting) {
        return try database.readTransaction {
            let accounting = try recordAccounting(from: from, through: through)
            let timeline = try storedPolicyTimeline()
            let zone = try communityTimeZone(at: clock.now())
            // A record of a day settled already is taken by the next night, not by its own day's (long past).
            let nextNight = try latestSettledDate()?.adding(days: 1)
            let columns = [
                ReportColumn("status", "Status", .text), ReportColumn("record", "Record", .text), ReportColumn("date", "Date", .date),
                ReportColumn("who", "Who", .text), ReportColumn("subject", "Category", .text), ReportColumn("reason", "Reason", .text),
            ]
            var rows: [[ReportCell]] = []
            func row(_ stored: StoredRecord, _ status: String, _ reason: String) -> [ReportCell] {
                let record = stored.record
                let who: String
                let subject: String
                switch record {
                case .service(let service):
                    who = service.volunteer
                    subject = service.category
                case .assessment(let assessment):
                    who = assessment.volunteer ?? assessment.household.map { "household:" + $0 } ?? ""
                    subject = "\(assessment.indicator) \(assessment.period.label)"
                }
                return [.text(status), .text(record.reference), .date(record.date), .text(who), .text(subject), .text(reason)]
            }
            for stored in try records(matching: RecordQuery(status: .rejected, from: from, to: through, posted: false)) {
                rows.append(row(stored, "rejected", stored.decisionReason ?? "(no reason recorded)"))
            }
            for stored in try records(matching: RecordQuery(status: .pending, from: from, to: through, posted: false)) {
                rows.append(row(stored, "pending", Self.pendingReason(stored.record, policy: timeline.version(inForceOn: stored.record.date)?.policy,
                                                                      importedOn: communityDay(of: stored.importedAt, zone: zone),
                                                                      nextNight: nextNight)))
            }
            for stored in try records(matching: RecordQuery(status: .approved, from: from, to: through, posted: false)) {
                let date = stored.record.date
                rows.append(row(stored, "approved", "approved, posted by "
                    + (nextNight.map { date < $0 } == true ? Self.night(date, nextNight: nextNight) : "the next settlement of \(date) or later")))
            }
            // Posted, then withdrawn: counted as posted (their entries and reversals are in the ledger), listed here
            // because they count no more.
            let withdrawn = try records(matching: RecordQuery(from: from, to: through, posted: true, withdrawn: true))
            for stored in withdrawn {
                let how = stored.withdrawal.map { "withdrawn by \($0.by): \($0.reason)" } ?? "withdrawn"
                let entries = stored.posted?.entries.map { "\($0.kind.rawValue) #\($0.sequence) reversed by #\($0.reversedBy ?? 0)" } ?? []
                rows.append(row(stored, "withdrawn", how + (entries.isEmpty ? "" : " (" + entries.joined(separator: ", ") + ")")))
            }
            let check = accounting.addsUp ? "adds up" : "DOES NOT ADD UP (\(accounting.read) ≠ "
                + "\(accounting.posted + accounting.pending + accounting.rejected + accounting.approvedNotPosted))"
            let summary = "Read \(accounting.read) = posted \(accounting.posted)"
                + (withdrawn.isEmpty ? "" : " (\(withdrawn.count) of them withdrawn)")
                + " + pending \(accounting.pending) + rejected "
                + "\(accounting.rejected) + approved, not posted \(accounting.approvedNotPosted): \(check)."
            return (ReportTable(
                name: "rejects", title: "记录核对 Rejects and pending records \(ReportSupport.range(from, through))", from: from, to: through,
                columns: columns, rows: rows, notes: [summary]), accounting)
        }
    }

    /// Why a pending record waits: the settlement's own rule (`RecordAcceptance`) asked about the first
    /// settlement that can take it, the one of its service date (`importedOn`: the community's day it was imported,
    /// from which `auto_accept_after_days` counts when that is later).
    /// `nextNight` is the day after the last one settled: a settlement of a day before it is past.
    static func pendingReason(_ record: Record, policy: Policy?, importedOn: LocalDate?, nextNight: LocalDate? = nil) -> String {
        let facts = RecordAcceptance.Facts(record, importedOn: importedOn)
        switch RecordAcceptance.decide(facts, policy: policy, on: record.date) {
        case .approve:
            return "accepted by " + night(record.date, nextNight: nextNight)
                + (record.verifier.map { " (verified by \($0))" } ?? " (the policy needs no verifier)")
        case .autoAccept(let days):
            // Decided on its own date, a record is auto-accepted only when its days (0) count from that date: a late import
            // keeps it pending, and `.keepPending`'s reason names the import.
            return "accepted automatically by " + night(record.date.adding(days: days), nextNight: nextNight)
        case .reject(let reason):
            return "rejected by the next settlement: \(reason)"
        case .keepPending(let reason):
            return reason
        }
    }

    /// `the settlement of 2026-11-08 or later`, or, for a day settled already, `the next settlement, of 2026-11-08`.
    static func night(_ date: LocalDate, nextNight: LocalDate?) -> String {
        guard let nextNight, date < nextNight else { return "the settlement of \(date) or later" }
        return "the next settlement, of \(nextNight)"
    }

    // MARK: Expiring

    /// Notices of points about to expire: per account and expiry date, the points still in lots that
    /// expire after `asOf` and at most `withinDays` days after it (asOf < expires_on <= asOf + N),
    /// sorted by date, then account; with the volunteer's or household's name and a totals row. The
    /// points are the lots' remaining points now (a later spending or expiry is already taken off).
    public func expiringReport(asOf: LocalDate, withinDays: Int) throws -> ReportTable {
        guard (0...ReportError.rangeDaysMaximum).contains(withinDays) else {
            throw ReportError.invalidWithin(String(withinDays), maximum: ReportError.rangeDaysMaximum)
        }
        return try database.readTransaction {
            let first = asOf.adding(days: 1)
            let last = asOf.adding(days: withinDays)
            // What each lot held at the end of the as-of day, by the entries' effective dates. When no entry is dated
            // after that day (every settlement's own report), that is what the lots hold now.
            let latest = try database.statement("SELECT max(effective_date) FROM entries").first { $0.optionalText(0) } ?? nil
            let lots = latest.map { $0 <= asOf.description } ?? true
                ? "SELECT account, expires_on, remaining FROM lots WHERE remaining > 0 AND expires_on > ?1 AND expires_on <= ?2"
                : """
                  SELECT l.account AS account, l.expires_on AS expires_on,
                         l.amount - coalesce((SELECT sum(la.amount) FROM lot_allocations la JOIN entries e ON e.sequence = la.entry
                                              WHERE la.lot = l.id AND e.effective_date <= ?1), 0) AS remaining
                  FROM lots l JOIN entries opened ON opened.sequence = l.entry
                  WHERE l.expires_on > ?1 AND l.expires_on <= ?2 AND opened.effective_date <= ?1
                  """
            let window = withinDays == 0 ? "none (0 days)" : ReportSupport.range(first, last)
            // The Chinese title names the points as the policy in force does (信义币到期提醒); 积分 before any policy.
            let unit = policyUnit(on: asOf)
            return try expiringTable(
                lots: lots, binding: asOf, last, unit: unit, title: "\(unit ?? "积分")到期提醒 Points expiring \(window), as of \(asOf)",
                from: withinDays == 0 ? nil : first, to: withinDays == 0 ? nil : last,
                note: "Points in lots expiring after \(asOf) and within \(withinDays) day\(withinDays == 1 ? "" : "s"); "
                    + "a lot expiring on a day can be spent until the day before.")
        }
    }

    /// The lots expiring on the days from `first` through `last`, per account and expiry date, each with the points
    /// that expired with it or will: what is left in it, plus what `expiry` entries (not reversed) took from it. For a
    /// day to come that is what it holds now; for a day past, what expired, points given back to it after its expiry
    /// and swept on a later night included, whenever the lot was credited.
    public func expiringReport(from first: LocalDate, through last: LocalDate) throws -> ReportTable {
        try ReportError.validate(from: first, through: last)
        return try database.readTransaction {
            let lots = """
                SELECT l.account AS account, l.expires_on AS expires_on,
                       l.remaining + coalesce((SELECT sum(la.amount) FROM lot_allocations la JOIN entries e ON e.sequence = la.entry
                                               WHERE la.lot = l.id AND e.kind = 'expiry'
                                                 AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses = e.sequence)), 0) AS remaining
                FROM lots l WHERE l.expires_on >= ?1 AND l.expires_on <= ?2
                """
            // Named as every report is, by the version in force on the last day (the first day's before any version then).
            let unit = policyUnit(on: last) ?? policyUnit(on: first)
            return try expiringTable(
                lots: lots, binding: first, last, unit: unit, title: "\(unit ?? "积分")到期 Points expiring \(ReportSupport.range(first, last))",
                from: first, to: last,
                note: "Points in lots expiring on the days from \(first) to \(last): for a day past, what expired (swept by the nightly "
                    + "expiry or waiting for it); for a day to come, what is still there (a lot expiring on a day can be spent until the day before).")
        }
    }

    /// The expiring table from `lots` (`account, expires_on, remaining` of each lot, with `?1` and `?2` bound to
    /// `first` and `second`): rows per expiry date and account, with names and a totals row. `unit`: what the policy in
    /// force calls a point (nil before any policy), which heads the points column of the notice residents read; its id
    /// stays "points".
    private func expiringTable(lots: String, binding first: LocalDate, _ second: LocalDate, unit: String?, title: String, from: LocalDate?,
                               to: LocalDate?, note: String) throws -> ReportTable {
        let columns = [
            ReportColumn("expires_on", "Expires on", .date), ReportColumn("account", "Account", .text),
            ReportColumn("name", "Name", .text), ReportColumn("household", "Household", .text),
            ReportColumn("points", unit ?? PointsUnit.heading, .amount), ReportColumn("lots", "Lots", .integer),
        ]
        var rows: [[ReportCell]] = []
        var totalPoints: Int64 = 0
        var totalLots: Int64 = 0
        var accounts = Set<String>()
        try database.statement("""
            SELECT l.expires_on, a.id, a.kind, coalesce(v.name, h.name, a.name), coalesce(v.household, ''), sum(l.remaining), count(*)
            FROM (\(lots)) l
            JOIN accounts a ON a.number = l.account
            LEFT JOIN volunteers v ON a.kind = 'volunteer' AND v.id = substr(a.id, 11)
            LEFT JOIN households h ON a.kind = 'household' AND h.id = substr(a.id, 11)
            WHERE l.remaining > 0
            GROUP BY l.expires_on, a.id
            ORDER BY l.expires_on, CAST(a.id AS BLOB)
            """).bind(.text(first.description), .text(second.description)).forEachRow { row in
            guard let day = LocalDate(row.text(0)) else { throw StoredDataError(sequence: nil, detail: "a lot has an unreadable expiry date") }
            rows.append([.date(day), .text(row.text(1)), .text(row.text(3)), .text(row.text(4)), .amount(row.int64(5)),
                         .integer(row.int64(6))])
            totalPoints += row.int64(5)
            totalLots += row.int64(6)
            accounts.insert(row.text(1))
        }
        return ReportTable(
            name: "expiring", title: title, from: from, to: to, columns: columns, rows: rows,
            totals: [.text("Total"), .tally(Int64(accounts.count), one: "account", many: "accounts"), .text(""), .text(""),
                     .amount(totalPoints), .integer(totalLots)],
            notes: [note])
    }
}
