import TimeBankCore

/// The steps of `settle`, each in its own transaction with its progress row (see `SettlementStep`).
extension TimeBankStore {
    // MARK: 1. Accept

    /// Decides every pending record dated on or before `date` by `RecordAcceptance`.
    func acceptRecords(on date: LocalDate, actor: String, timeline: PolicyTimeline) throws {
        try writeTransaction {
            let day = SQLiteValue.text(date.description)
            // The records the night reads besides the pending ones (approved before, not posted yet), and the earliest
            // service date read: the night's rejects report covers it through `date`. One pass over the records up to
            // the day, which on a long history is most of this step's time.
            let (approvedUnposted, earliest) = try database.statement("""
                SELECT count(*) FILTER (WHERE r.status = 'approved'), min(r.service_date) FROM records r
                WHERE r.service_date <= ? AND (r.status = 'pending'
                    OR (r.status = 'approved' AND NOT EXISTS (SELECT 1 FROM record_scores s WHERE s.record = r.number)))
                """).bind(day).first { ($0.int64(0), $0.optionalText(1)) } ?? (0, nil)
            // The decision reads only the kind, the category or indicator, the date, whether a verifier is named and, for a
            // record without one, when it was imported (the days of auto_accept_after_days count from then when that is
            // later than its date): it is made once per such group, and each group's rows are updated by one set-based
            // statement (a night of a million records has a few dozen groups; an import stamps all its rows alike).
            let groups = try database.statement("""
                SELECT kind, coalesce(category, indicator, ''), service_date, verifier IS NOT NULL,
                    CASE WHEN verifier IS NULL THEN imported_at ELSE '' END, count(*) FROM records
                WHERE status = 'pending' AND service_date <= ? GROUP BY 1, 2, 3, 4, 5
                """).bind(day).rows { row in
                    (kind: row.text(0), rule: row.text(1), date: row.text(2), hasVerifier: row.int64(3) != 0,
                     importedAt: row.text(4), count: row.int64(5))
                }
            let zone = groups.contains { !$0.hasVerifier } ? try communityTimeZone(at: clock.now()) : nil
            try database.execute("""
                CREATE TEMP TABLE IF NOT EXISTS acceptance_decisions (kind TEXT NOT NULL, rule TEXT NOT NULL,
                    service_date TEXT NOT NULL, has_verifier INTEGER NOT NULL, imported_at TEXT NOT NULL, status TEXT NOT NULL,
                    approval_verifier TEXT, reason TEXT NOT NULL, PRIMARY KEY (kind, rule, service_date, has_verifier, imported_at))
                """)
            try database.execute("DELETE FROM temp.acceptance_decisions")
            let decide = try database.statement("INSERT INTO temp.acceptance_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            var read: Int64 = 0, accepted: Int64 = 0, autoAccepted: Int64 = 0, rejected: Int64 = 0, pending: Int64 = 0
            for group in groups {
                read += group.count
                let facts = RecordAcceptance.Facts(isService: group.kind == "service", rule: group.rule,
                                                   date: LocalDate(group.date) ?? date, hasVerifier: group.hasVerifier,
                                                   importedOn: Timestamp(group.importedAt).map { communityDay(of: $0, zone: zone) })
                let written: (status: String, verifier: SQLiteValue, reason: String)
                switch RecordAcceptance.decide(facts, policy: timeline.version(inForceOn: facts.date)?.policy, on: date) {
                case .approve:
                    written = ("approved", .null, "accepted by the settlement of \(date)")
                    accepted += group.count
                case .autoAccept(let days):
                    written = ("approved", .text(RecordAcceptance.autoAcceptVerifier(days: days)),
                               "accepted without a verifier: nobody objected within \(days) days")
                    autoAccepted += group.count
                case .reject(let reason):
                    written = ("rejected", .null, reason)
                    rejected += group.count
                case .keepPending:
                    pending += group.count
                    continue
                }
                try decide.bind(.text(group.kind), .text(group.rule), .text(group.date), .integer(group.hasVerifier ? 1 : 0),
                                .text(group.importedAt), .text(written.status), written.verifier, .text(written.reason)).run()
            }
            try database.statement("""
                UPDATE records SET status = d.status, decided_at = ?1, decided_by = ?2, approval_verifier = d.approval_verifier,
                    decision_reason = d.reason
                FROM temp.acceptance_decisions d
                WHERE records.status = 'pending' AND records.service_date <= ?3 AND d.kind = records.kind
                  AND d.rule = coalesce(records.category, records.indicator, '') AND d.service_date = records.service_date
                  AND d.has_verifier = (records.verifier IS NOT NULL)
                  AND d.imported_at = CASE WHEN records.verifier IS NULL THEN records.imported_at ELSE '' END
                """).bind(.text(clock.now().description), .text(actor), day).run()
            try database.execute("DELETE FROM temp.acceptance_decisions")
            try recordProgress(.accept, on: date, detail: earliest, counts: [
                ("records_read", read + approvedUnposted), ("approved_before", approvedUnposted), ("accepted", accepted),
                ("auto_accepted", autoAccepted), ("rejected", rejected), ("pending", pending)])
        }
    }

    // MARK: 3. Score and post

    /// Fixes the queue of approved, unposted records dated on or before `date` in canonical order, then
    /// scores and posts it a chunk per transaction. A resumed run continues after the last committed chunk.
    /// `chunkLimit` stops after that many chunks (tests use it to stand for a run killed between chunks).
    func postQueuedRecords(on date: LocalDate, actor: String, chunkSize: Int, progress: (String) -> Void,
                           chunkLimit: Int = .max) throws {
        let day = SQLiteValue.text(date.description)
        let queueBuilt = try database.statement("SELECT 1 FROM settlement_progress WHERE date = ? AND step = \(SettlementStep.post.rawValue) AND part = -1")
            .bind(day).first { _ in true } ?? false
        if !queueBuilt {
            try writeTransaction {
                // Household by household (a volunteer without one on their own), each in canonical order. Caps,
                // once-only bonuses, floors and balances only read a household's own records, so the scores are those
                // of one canonical run; a chunk then touches a few thousand accounts' index pages, not all of them.
                try database.statement("""
                    INSERT INTO settlement_queue(date, position, record)
                    SELECT ?1, row_number() OVER (ORDER BY
                        CAST(CASE WHEN coalesce(v.household, r.household) IS NOT NULL THEN 'household:' || coalesce(v.household, r.household)
                                  ELSE 'volunteer:' || coalesce(r.volunteer, '') END AS BLOB),
                        r.service_date, coalesce(r.start_time, ''), CAST(r.id AS BLOB), CAST(r.source AS BLOB)), r.number
                    FROM records r LEFT JOIN volunteers v ON v.id = r.volunteer
                    WHERE r.status = 'approved' AND r.service_date <= ?1
                      AND NOT EXISTS (SELECT 1 FROM record_scores s WHERE s.record = r.number)
                    """).bind(day).run()
                try recordProgress(.post, part: -1, on: date, counts: [])
            }
        }
        let total = try database.statement("SELECT count(*) FROM settlement_queue WHERE date = ?").bind(day).first { $0.int64(0) } ?? 0
        // Each chunk notes the last queue position it covered, so that a run resumed with another chunk size
        // continues right after the last committed chunk.
        var (part, covered) = try database.statement("""
            SELECT coalesce(max(part), 0), coalesce(max(CAST(detail AS INTEGER)), 0) FROM settlement_progress
            WHERE date = ? AND step = \(SettlementStep.post.rawValue) AND part > 0
            """).bind(day).first { ($0.int64(0), $0.int64(1)) } ?? (0, 0)
        let timeline = try storedPolicyTimeline()
        let community = try communityDirectory()
        var chunks = 0
        while covered < total && chunks < chunkLimit {
            let first = covered + 1, last = min(covered + Int64(chunkSize), total)
            try writeTransaction {
                // The scorer's history for this chunk alone: the queue is household by household, so the chunk asks
                // about its own households only, and one cut across by the chunk boundary is read afresh from what
                // the last chunk committed (as is anything another connection committed between the two).
                let history = SettlementScoringHistory(store: self)
                // Only what scoring reads (the content and the approval's verifier), not the import and decision details.
                let queued = try database.statement("""
                    SELECT \(Self.recordContentColumns), r.approval_verifier FROM settlement_queue q JOIN records r ON r.number = q.record
                    LEFT JOIN record_scores s ON s.record = r.number
                    WHERE q.date = ? AND q.position BETWEEN ? AND ? AND r.status = 'approved' AND s.record IS NULL ORDER BY q.position
                    """).bind(day, .integer(first), .integer(last))
                    .rows { (number: $0.int64(0), record: StoredRecord.forScoring(try Self.recordContent($0), approvalVerifier: $0.optionalText(20))) }
                let scorer = Scorer(timeline: timeline, community: community)
                let run = try scorer.score(queued.map(\.record), history: history)
                let posted = try postScores(run, actor: actor, queued: queued.map(\.number), expiredBy: date)
                let entries = try database.statement("""
                    SELECT count(s.award_entry), count(s.penalty_entry) FROM settlement_queue q JOIN record_scores s ON s.record = q.record
                    WHERE q.date = ? AND q.position BETWEEN ? AND ?
                    """).bind(day, .integer(first), .integer(last)).first { ($0.int64(0), $0.int64(1)) } ?? (0, 0)
                try recordProgress(.post, part: part + 1, on: date, detail: String(last), counts: [
                    ("posted", Int64(posted.posted)), ("too_large", Int64(run.scores.lazy.filter { $0.status == .tooLarge }.count)),
                    ("award_entries", entries.0), ("penalty_entries", entries.1),
                    ("awarded", posted.awarded), ("deducted", posted.deducted),
                    ("expired_on_arrival", Int64(posted.expiredOnArrival)), ("expired_on_arrival_points", posted.expiredOnArrivalPoints)])
            }
            part += 1
            covered = last
            chunks += 1
            progress("\(date) posted \(covered) of \(total) records")
        }
        guard covered >= total else { return }
        try writeTransaction { try recordProgress(.post, on: date, counts: []) }
    }

    // MARK: 2. Grants

    /// Posts the grants due on `date`, and on every day since the previous settled night, each by the version in force
    /// on its day and dated that day, once per period per account (`GrantSchedule.due(from:through:)`). Before the records
    /// are scored, so that a penalty dated on or after a grant's day can take from it whether or not nights were skipped.
    func postGrants(on date: LocalDate, actor: String, timeline: PolicyTimeline) throws {
        try writeTransaction {
            var entries: Int64 = 0, granted: Int64 = 0
            // From the day after the previous settled night: a grant falls due on a skipped night as it would have then.
            let previous = try database.statement("SELECT max(date) FROM settlements WHERE date < ?").bind(.text(date.description))
                .first { $0.optionalText(0) }?.flatMap { LocalDate($0) }
            // The community is read only when a version has grants (most nights of a policy without them read nothing).
            let members = timeline.versions.allSatisfy { $0.policy.grants.isEmpty } ? []
                : try volunteers().map { (id: $0.id, joined: $0.joined, household: $0.household) }
            for (day, due) in GrantSchedule.due(from: previous?.adding(days: 1) ?? date, through: date, timeline: timeline, volunteers: members)
            where try entry(key: due.key) == nil {
                try post(GrantSchedule.request(due, on: day, actor: actor))
                entries += 1
                granted += due.amount
            }
            try recordProgress(.grant, on: date, counts: [("grant_entries", entries), ("granted", granted)])
        }
    }

    // MARK: 4. Expiry

    /// Voids the holds that lapsed by the end of `date` (their points go back to their lots), then posts one
    /// `expiry` entry per account for its lots expiring on or before `date` (`expiry:DATE:ACCOUNT`).
    func expire(on date: LocalDate, actor: String, utcOffsetMinutes: Int) throws {
        try writeTransaction {
            let endOfDay = Timestamp(millisecondsSinceEpoch: Int64(date.adding(days: 1).daysSinceEpoch) * 86_400_000
                                     - Int64(utcOffsetMinutes) * 60_000)
            let holds = Int64(try expireLapsedHolds(at: endOfDay).count)
            // What the expiry entry, dated `date`, may draw (`Lot.drawable`): points given back to an expired lot after
            // that day (a refund typed in before a late settlement) were not there on it; a later night sweeps them.
            var due: [(number: Int64, amount: Int64)] = []
            try database.statement("""
                SELECT \(LedgerSQL.datedLotColumns), l.account
                FROM lots l JOIN entries e ON e.sequence = l.entry
                WHERE l.remaining > 0 AND l.expires_on IS NOT NULL AND l.expires_on <= ?2 ORDER BY l.account, l.id
                """).bind(.null, .text(date.description)).forEachRow { row in
                let lot = try datedLot(row, account: .expired, on: date)   // the account is only needed by number here
                let number = row.int64(8)
                guard lot.drawable > 0 else { return }
                if due.last?.number == number { due[due.count - 1].amount += lot.drawable } else { due.append((number, lot.drawable)) }
            }
            var entries: Int64 = 0, expired: Int64 = 0
            for (number, amount) in due {
                let account = try accountID(number: number)
                try post(.move(key: EngineKey.expiry.key("\(date):\(account)"), kind: .expiry, date: date, actor: actor,
                               memo: "积分过期 points expired by \(date)", from: account, to: .expired, amount: amount))
                entries += 1
                expired += amount
            }
            try recordProgress(.expire, on: date, counts: [("holds_voided", holds), ("expiry_entries", entries), ("expired", expired)])
        }
    }

    // MARK: 5. Levels and ranking

    /// Updates each volunteer's star level from their posted records through `date`, and writes the ranking of the last
    /// period that has ended, if it is not written yet, and of every period that ended since the previous settled night
    /// (nights skipped across a period's end lose no ranking).
    func updateLevelsAndRanking(on date: LocalDate, timeline: PolicyTimeline) throws {
        try writeTransaction {
            var changes: Int64 = 0
            var rankingPeriods: [String] = []
            let policy = timeline.version(inForceOn: date)?.policy
            if let policy, let measure = StarLevels.measure(of: policy) {
                // Minutes of the records that stand (a withdrawn record counts no more), points of the awards not reversed.
                // A volunteer whose records were all withdrawn is still listed, with 0, so that a level they had is taken away.
                let totals = try starLevelTotals(through: date)
                let current = Dictionary(uniqueKeysWithValues: try database.statement("SELECT volunteer, level FROM volunteer_levels")
                    .rows { ($0.text(0), $0.text(1)) })
                for total in totals {
                    let value = measure == .minutes ? total.minutes : total.points
                    let level = StarLevels.level(for: value, in: policy)?.id
                    let before = current[total.volunteer]
                    guard level != before else { continue }
                    if let level {
                        try database.statement("""
                            INSERT INTO volunteer_levels(volunteer, level, since) VALUES (?, ?, ?)
                            ON CONFLICT(volunteer) DO UPDATE SET level = excluded.level, since = excluded.since
                            """).bind(.text(total.volunteer), .text(level), .text(date.description)).run()
                    } else {
                        try database.statement("DELETE FROM volunteer_levels WHERE volunteer = ?").bind(.text(total.volunteer)).run()
                    }
                    try database.statement("""
                        INSERT INTO level_changes(date, volunteer, from_level, to_level, measure) VALUES (?, ?, ?, ?, ?)
                        """).bind(.text(date.description), .text(total.volunteer), before.map(SQLiteValue.text) ?? .null,
                                  level.map(SQLiteValue.text) ?? .null, .integer(value)).run()
                    changes += 1
                }
            }
            for (ranking, ended) in try rankingsDue(on: date, timeline: timeline) {
                let written = try database.statement("SELECT 1 FROM ranking_periods WHERE period = ?")
                    .bind(.text(ended.label)).first { _ in true } ?? false
                guard !written else { continue }
                let rows = try self.ranking(from: ended.start, through: ended.lastDay, top: ranking.top, by: ranking.by)
                for row in rows {
                    try database.statement("""
                        INSERT INTO rankings(period, rank, volunteer, name, points, minutes, written_on) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """).bind(.text(ended.label), .integer(Int64(row.rank)), .text(row.volunteer), .text(row.name),
                                  .integer(row.points), .integer(row.minutes), .text(date.description)).run()
                }
                try database.statement("""
                    INSERT INTO ranking_periods(period, first_day, last_day, measure, top, written_on) VALUES (?, ?, ?, ?, ?, ?)
                    """).bind(.text(ended.label), .text(ended.start.description), .text(ended.lastDay.description),
                              .text(ranking.by.rawValue), .integer(Int64(ranking.top)), .text(date.description)).run()
                rankingPeriods.append(ended.label)
            }
            try recordProgress(.levels, on: date, detail: SettlementSummary.rankingPeriodsText(rankingPeriods),
                               counts: [("level_changes", changes)])
        }
    }

    /// The rankings a night of `date` is due to write, oldest first, each with the `[ranking]` that ranks it: a period is
    /// ranked by the version in force on its last day. So a version that changes the ranking period (a month to a
    /// quarter) from the first day of a period still ranks the period that ended the day before, under the version that
    /// was in force through it; the night's own version would see a quarter that has not ended and lose the month.
    /// Every period length some version ranks by is looked at, and a period is kept when the version in force on its last
    /// day ranks by that length: the versions in force on the night alone would miss, on a store's first night, the
    /// period before when a version effective inside the night's period changed the ranking (it was left unranked).
    func rankingsDue(on date: LocalDate, timeline: PolicyTimeline) throws -> [(ranking: PolicyRanking, period: ScoringWindow)] {
        guard let first = timeline.firstEffective else { return [] }
        let previous = try database.statement("SELECT max(date) FROM settlements WHERE date < ?").bind(.text(date.description))
            .first { $0.optionalText(0) }?.flatMap { LocalDate($0) }
        var lengths: [PolicyPeriod] = []
        for version in timeline.versions {
            if let ranking = version.policy.ranking, !lengths.contains(ranking.period) { lengths.append(ranking.period) }
        }
        var due: [(ranking: PolicyRanking, period: ScoringWindow)] = []
        for length in lengths {
            for period in rankingPeriodsDue(on: date, period: length, firstEffective: first, previous: previous) {
                guard let ranking = timeline.version(inForceOn: period.lastDay)?.policy.ranking, ranking.period == length,
                      !due.contains(where: { $0.period.label == period.label }) else { continue }
                due.append((ranking, period))
            }
        }
        return due.sorted { ($0.period.lastDay, $0.period.label) < ($1.period.lastDay, $1.period.label) }
    }

    /// The ranking periods of length `period` a night of `date` is due to write, oldest first: the period before the one
    /// containing `date`, and those before it that ended on or after the `previous` settled night (which wrote the period
    /// before its own, not these), none ending before the first version took effect.
    func rankingPeriodsDue(on date: LocalDate, period: PolicyPeriod, firstEffective: LocalDate, previous: LocalDate?) -> [ScoringWindow] {
        var due = [ScoringWindow(period, containing: ScoringWindow(period, containing: date).start.adding(days: -1))]
        if let previous {
            while true {
                let earlier = ScoringWindow(period, containing: due[0].start.adding(days: -1))
                guard earlier.lastDay >= previous else { break }
                due.insert(earlier, at: 0)
            }
        }
        return due.filter { $0.lastDay >= firstEffective }
    }

    // MARK: 6. Reconcile

    /// Verifies the ledger since the last settlement's reconciliation (chain from its hash, zero-sum, floors
    /// from its balances, lots, every cached balance; the whole ledger the first time) and the stations' books
    /// changed since (stock against movements, receipts and holds against the ledger), and that the head
    /// recorded by the last settlement is still in the chain. Any problem stops the settlement (N005, exit 3).
    /// When all is well, the head it reached becomes the next checkpoint, in the step's own transaction.
    func reconcile(on date: LocalDate) throws {
        let found = try reconciliation()
        guard found.problems.isEmpty else { throw SettlementError.reconciliationFailed(date: date, problems: found.problems) }
        try writeTransaction {
            try saveReconciliationCheckpoint(LedgerCheckpoint(date: date.description, sequence: found.ledger.headSequence,
                                                              hash: found.ledger.headHash, lastLot: found.lastLot,
                                                              lastMovement: found.lastMovement, balances: found.ledger.recomputedBalances),
                                             replacing: found.checkpoint)
            try recordProgress(.reconcile, on: date, counts: [("entries_verified", found.ledger.entriesChecked)])
        }
    }

    /// The same check before a night writes anything (its first step not begun): a ledger or a station's books changed
    /// since the last reconciliation (entries cut off the end, a balance, a lot, a stock level edited by hand) stop the
    /// night with N005 before it decides a record or posts an entry on top of them, which would hide the cut (a new entry
    /// taking the number of one removed) and leave more to undo. It costs what came since the last night: the
    /// stations' day, O(entries since the checkpoint + accounts). Records nothing.
    func reconcileBeforeTheNight(_ date: LocalDate) throws {
        let found = try reconciliation()
        guard found.problems.isEmpty else {
            throw SettlementError.reconciliationFailed(date: date, problems: found.problems, beforeTheNight: true)
        }
    }

    /// What the reconciliation finds since the last checkpoint (`verifyLocked`, `verifyStationsLocked`), and that the head
    /// the last settlement recorded is still in the chain; each problem as a line of N005.
    private func reconciliation() throws -> (problems: [String], ledger: VerificationReport, lastLot: Int64, lastMovement: Int64,
                                             checkpoint: LedgerCheckpoint?) {
        var problems: [String] = []
        let (ledger, stations, lastLot, lastMovement, checkpoint) = try database.readTransaction {
            let checkpoint = try reconciliationCheckpoint()
            let ledger = try verifyLocked(problemLimit: 20, after: checkpoint)
            let stations = try verifyStationsLocked(after: checkpoint)
            let lastLot = try database.statement("SELECT coalesce(max(id), 0) FROM lots").first { $0.int64(0) } ?? 0
            let lastMovement = try database.statement("SELECT coalesce(max(id), 0) FROM stock_movements").first { $0.int64(0) } ?? 0
            return (ledger, stations, lastLot, lastMovement, checkpoint)
        }
        problems += ledger.problems.map { "\($0.code) \($0.sequence.map { "entry #\($0): " } ?? "")\($0.message)" }
        problems += stations.problems.prefix(20).map { "\($0.code) \($0.message)" }
        if let last = try database.statement("SELECT date, head_sequence, head_hash FROM settlements ORDER BY head_sequence DESC LIMIT 1")
            .first({ (date: $0.text(0), sequence: $0.int64(1), hash: $0.text(2)) }), last.sequence > 0 {
            let stored = try database.statement("SELECT hash FROM entries WHERE sequence = ?").bind(.integer(last.sequence))
                .first { SHA256.hex($0.blob(0)) }
            if stored != last.hash {
                problems.append("N005 the ledger head recorded by the settlement of \(last.date) (entry #\(last.sequence), "
                                + "\(last.hash.prefix(16))…) is no longer in the chain")
            }
        }
        return (problems, ledger, lastLot, lastMovement, checkpoint)
    }

    /// The checkpoint the last reconciliation left, or nil (then the next one verifies everything).
    func reconciliationCheckpoint() throws -> LedgerCheckpoint? {
        guard let row = try database.statement("SELECT date, sequence, hash, last_lot, last_movement FROM reconciliation_checkpoint WHERE id = 1")
            .first({ (date: $0.text(0), sequence: $0.int64(1), hash: Array($0.rawBytes(2)), lot: $0.int64(3), movement: $0.int64(4)) }) else {
            return nil
        }
        var balances: [BalanceSlot: Int64] = [:]
        try database.statement("SELECT account, asset, balance FROM reconciled_balances").forEachRow {
            if let asset = Asset(rawValue: $0.text(1)) { balances[BalanceSlot(number: $0.int64(0), asset: asset)] = $0.int64(2) }
        }
        return LedgerCheckpoint(date: row.date, sequence: row.sequence, hash: row.hash, lastLot: row.lot, lastMovement: row.movement,
                                balances: balances)
    }

    /// Writes `checkpoint` over `previous`: the one row, and the balances that changed since.
    func saveReconciliationCheckpoint(_ checkpoint: LedgerCheckpoint, replacing previous: LedgerCheckpoint?) throws {
        try database.statement("""
            INSERT OR REPLACE INTO reconciliation_checkpoint(id, date, sequence, hash, last_lot, last_movement) VALUES (1, ?, ?, ?, ?, ?)
            """).bind(.text(checkpoint.date), .integer(checkpoint.sequence), .blob(checkpoint.hash), .integer(checkpoint.lastLot),
                      .integer(checkpoint.lastMovement)).run()
        let old = previous?.balances ?? [:]
        let replace = try database.statement("INSERT OR REPLACE INTO reconciled_balances(account, asset, balance) VALUES (?, ?, ?)")
        for (slot, balance) in checkpoint.balances where old[slot] != balance {
            try replace.bind(.integer(slot.number), .text(slot.asset.rawValue), .integer(balance)).run()
        }
        let remove = try database.statement("DELETE FROM reconciled_balances WHERE account = ? AND asset = ?")
        for slot in old.keys where checkpoint.balances[slot] == nil {
            try remove.bind(.integer(slot.number), .text(slot.asset.rawValue)).run()
        }
    }

    // MARK: 7. Reports

    /// The day's reports, in text, CSV and JSON, into `settlement_reports`.
    func writeReports(on date: LocalDate, timeline: PolicyTimeline) throws {
        let warnDays = timeline.version(inForceOn: date)?.policy.expiry.warnDays ?? 30
        // Every record the night read, from the earliest service date among them (step 1 noted it).
        let earliestRead = try database.statement("SELECT detail FROM settlement_progress WHERE date = ? AND step = \(SettlementStep.accept.rawValue) AND part = 0")
            .bind(.text(date.description)).first { $0.optionalText(0).flatMap { LocalDate($0) } }.flatMap { $0 }.map { min($0, date) } ?? date
        var tables: [ReportTable] = [
            try dailyReport(from: date, through: date),
            try stationsReport(from: date, through: date),
            try categoriesReport(from: date, through: date),
            try rejectsReport(from: earliestRead, through: date),
            try expiringReport(asOf: date, withinDays: warnDays),
        ]
        let periods = try database.statement("SELECT detail FROM settlement_progress WHERE date = ? AND step = \(SettlementStep.levels.rawValue) AND part = 0")
            .bind(.text(date.description)).first { $0.optionalText(0) } ?? nil
        if let periods {
            // The latest is `ranking`; earlier ones written the same night (nights skipped) are `ranking-PERIOD`. Each as
            // step 5 ranked it (`ranking_periods`: by the [ranking] in force on the period's last day), not by the night's
            // version, which may rank by another measure or top, or not at all.
            let labels = SettlementSummary.rankingPeriods(fromText: periods)
            for (index, label) in labels.enumerated() {
                guard let window = ScoringWindow(label: label),
                      let ranked = try database.statement("SELECT measure, top FROM ranking_periods WHERE period = ?")
                        .bind(.text(label)).first({ (measure: PolicyRanking.Measure(rawValue: $0.text(0)), top: Int($0.int64(1))) }),
                      let measure = ranked.measure else { continue }
                var table = try rankingReport(from: window.start, through: window.lastDay, top: ranked.top, by: measure)
                if index < labels.count - 1 { table.name = "ranking-\(label)" }
                tables.append(table)
            }
        }
        try writeTransaction {
            let insert = try database.statement(
                "INSERT OR REPLACE INTO settlement_reports(date, name, format, content) VALUES (?, ?, ?, ?)")
            for table in tables {
                for format in [ReportFormat.text, .csv, .json] {
                    try insert.bind(.text(date.description), .text(table.name), .text(format.rawValue),
                                    .text(table.rendered(as: format))).run()
                }
            }
            try recordProgress(.report, on: date, detail: tables.map(\.name).joined(separator: ";"), counts: [])
        }
    }
}
