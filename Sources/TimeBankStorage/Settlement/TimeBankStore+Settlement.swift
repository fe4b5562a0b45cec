import TimeBankCore

/// What to settle and how.
public struct SettlementRequest: Sendable {
    /// The day to close.
    public var date: LocalDate
    /// Who the ledger entries and decisions are recorded as.
    public var actor: String
    /// Where the day's report files go (`DIR/2026-11-21/stations.csv`, ...); nil: only into the database.
    public var reportsDirectory: String?
    /// Settle `date` although a later day is settled already.
    public var allowOutOfOrder: Bool
    /// Today, to refuse days that have not ended (N003); nil: not checked.
    public var today: LocalDate?
    /// The community's offset from UTC, for the end of the day when holds lapse; nil (the default): each night's own, in the
    /// zone of the policy in force then (`communityOffsetMinutes(atEndOf:)`), so a night across summer time ends at its offset.
    public var utcOffsetMinutes: Int?
    /// Records scored and posted per transaction in the posting step.
    public var chunkSize: Int
    /// What to do about days after the last settled day and before `date` that no settlement closed (N010).
    public var missedDays: MissedDays
    /// Records per transaction of the posting step. A station waits for the longest transaction of a settlement beside
    /// it, so chunks are kept short: on the large store a chunk of 10,000 holds the database well under a second, where
    /// 50,000 held it about 3 s, and a night of 119,977 records settled as fast either way (10.6 s against 10.5 s, median
    /// of three) with less memory (149 against 183 MB); the chunk's records and scores are held in memory.
    public static let defaultChunkSize = 10_000

    /// The nights before a date that were never settled (see `TimeBankCore.MissedDays`).
    public typealias MissedDays = TimeBankCore.MissedDays

    /// A request to close `date` as `actor`; the other fields as documented above (`chunkSize` at least 1).
    public init(date: LocalDate, actor: String, reportsDirectory: String? = nil, allowOutOfOrder: Bool = false,
                today: LocalDate? = nil, utcOffsetMinutes: Int? = nil, chunkSize: Int = SettlementRequest.defaultChunkSize,
                missedDays: MissedDays = .refuse) {
        self.date = date
        self.actor = actor
        self.reportsDirectory = reportsDirectory
        self.allowOutOfOrder = allowOutOfOrder
        self.today = today
        self.utcOffsetMinutes = utcOffsetMinutes
        self.chunkSize = max(1, chunkSize)
        self.missedDays = missedDays
    }
}

extension TimeBankStore {
    /// Settles one day: accepts and posts its records, grants, expires, updates levels and rankings,
    /// reconciles, writes the reports and records the day (see `SettlementStep`). Each step commits on
    /// its own and records its progress in the same transaction, so a settlement killed at any moment
    /// finishes exactly once when run again. A settled day is returned as it was recorded, changing nothing.
    ///
    ///     let summary = try store.settle(SettlementRequest(date: LocalDate("2026-11-21")!, actor: "nightly"))
    ///     summary.posted    // records whose points were posted
    ///
    /// - Throws: N001 out of order, N002 another settlement running, N003 a day that has not ended,
    ///   N004 no policy, N008 a day before the first policy version takes effect, N010 days missed since the last
    ///   settled one (see `SettlementRequest.missedDays`), N005 reconciliation found a problem (integrity; nothing after
    ///   posting was recorded).
    public func settle(_ request: SettlementRequest, progress: (String) -> Void = { _ in }) throws -> SettlementSummary {
        var last: SettlementSummary?
        try settleDays(request, progress: progress) { last = $0 }
        guard let last else { throw SettlementError.unreadableProgress(date: request.date, detail: "no day was settled") }
        return last
    }

    /// Settles `request.date` as `settle` does and, with `missedDays: .settleFirst`, each missed day before it first, oldest
    /// first, under one lock; `settled` is given each day's summary as that day is recorded (the missed days, then the day
    /// asked for), once its report files are written (`reportFiles` says where): a day whose files cannot be (N007) is told
    /// all the same, `reportFiles.written` false, then the error is thrown. A failure stops at its day: the days before it
    /// stay settled, and a run again resumes there.
    ///
    ///     try store.settleDays(SettlementRequest(date: yesterday, actor: "nightly", missedDays: .settleFirst)) { print($0.date) }
    ///
    /// `starting` is told each day before its settlement begins, with its place among the days this call settles
    /// (1 of 1 for a single day): a log can then name the night a kill or a failure interrupted.
    public func settleDays(_ request: SettlementRequest, progress: (String) -> Void = { _ in },
                           starting: (_ day: LocalDate, _ place: Int, _ count: Int) -> Void = { _, _, _ in },
                           settled: (SettlementSummary) -> Void) throws {
        try Self.validateRecordText(request.actor, field: "actor", maximum: LedgerRules.actorLengthMaximum)
        let date = request.date
        if let today = request.today, date >= today { throw SettlementError.dateInFuture(date: date, today: today) }
        let lock = try SettlementLock(databasePath: database.path)
        defer { lock.release() }

        // Each night's files are written before its summary is told, so that the summary says whether they were; a night
        // recorded whose files cannot be (N007) is told all the same, saying so, then the error is thrown.
        func tell(_ summary: SettlementSummary) throws {
            var summary = summary
            guard let directory = request.reportsDirectory else { return settled(summary) }
            var failure: (any Error)?
            do { try writeReportFiles(of: summary.date, into: directory) } catch { failure = error }
            summary.reportFiles = SettlementSummary.ReportFilesOutcome(directory: directory, folder: ReportFiles.folder(directory, summary.date),
                                                                       written: failure == nil)
            settled(summary)
            if let failure { throw failure }
        }

        if var summary = try settlement(on: date) {
            summary.alreadySettled = true
            try tell(summary)
            return
        }
        let latest = try latestSettledDate()
        if !request.allowOutOfOrder, let latest, latest > date {
            throw SettlementError.outOfOrder(date: date, latest: latest)
        }
        let timeline = try storedPolicyTimeline()
        guard let firstEffective = timeline.firstEffective else { throw SettlementError.noPolicy }
        if date < firstEffective { throw SettlementError.beforeFirstPolicy(date: date, firstEffective: firstEffective) }
        var missed: [LocalDate] = []
        if request.missedDays != .skip, let latest, latest < date {
            var day = latest.adding(days: 1)
            while day < date {
                missed.append(day)
                day = day.adding(days: 1)
            }
        }
        if request.missedDays == .refuse, let latest, !missed.isEmpty {
            let started = Set(try database.statement("SELECT DISTINCT date FROM settlement_progress WHERE date > ? AND date < ?")
                .bind(.text(latest.description), .text(date.description)).rows { $0.text(0) })
            throw SettlementError.missedDays(date: date, lastSettled: latest, missed: missed,
                                             unfinished: missed.filter { started.contains($0.description) })
        }
        // The files of the last settled night are written again when some are missing: its run could not write them
        // (N007: a full disk, a folder without permission) after recording the night, and a catch-up would not return to it.
        // Found complete, its folder loses the stale NAME.tmp a kill between a write and its rename left (a re-run by hand).
        let unwritten = try request.reportsDirectory.flatMap { directory in
            try latest.flatMap { latest in
                if try reportFilesMissing(of: latest, in: directory) { return latest }
                ReportFiles.removeStaleTemporaries(in: ReportFiles.folder(directory, latest))
                return nil
            }
        }
        let days = missed + [date]
        for (index, day) in days.enumerated() {
            starting(day, index + 1, days.count)
            var dayRequest = request
            dayRequest.date = day
            try tell(try database.inBatchMode { try settle(dayRequest, timeline: timeline, progress: progress) })
        }
        if let unwritten, let directory = request.reportsDirectory {
            progress("\(unwritten): writing its report files again (some were missing)")
            try writeReportFiles(of: unwritten, into: directory)
        }
    }

    /// Whether a file of the reports stored for `date` is missing from `DIRECTORY/DATE/`.
    func reportFilesMissing(of date: LocalDate, in directory: String) throws -> Bool {
        try settlementReports(on: date).contains { report in
            !ReportFiles.exists(ReportFiles.folder(directory, date) + "/" + Self.reportFileName(report.name, format: report.format))
        }
    }

    static func reportFileName(_ name: String, format: String) -> String {
        name + "." + (format == "text" ? "txt" : format)
    }

    private func settle(_ request: SettlementRequest, timeline: PolicyTimeline, progress: (String) -> Void) throws -> SettlementSummary {
        let date = request.date
        // A night not begun is checked before its first write; one resumed after a kill has written already, and its
        // reconcile step checks that with the rest.
        let begun = try database.statement("SELECT 1 FROM settlement_progress WHERE date = ? LIMIT 1")
            .bind(.text(date.description)).first { _ in true } ?? false
        if !begun {
            progress("\(date) checking the ledger and the stations' books since the last night")
            try reconcileBeforeTheNight(date)
        }
        for step in SettlementStep.allCases where step != .record {
            if try isDone(step, on: date) {
                progress("\(date) step \(step.rawValue)/8 \(step.name): done before")
                continue
            }
            progress("\(date) step \(step.rawValue)/8 \(step.name)")
            switch step {
            case .accept: try acceptRecords(on: date, actor: request.actor, timeline: timeline)
            case .post: try postQueuedRecords(on: date, actor: request.actor, chunkSize: request.chunkSize, progress: progress)
            case .grant: try postGrants(on: date, actor: request.actor, timeline: timeline)
            case .expire: try expire(on: date, actor: request.actor, utcOffsetMinutes: try request.utcOffsetMinutes ?? communityOffsetMinutes(atEndOf: date))
            case .levels: try updateLevelsAndRanking(on: date, timeline: timeline)
            case .reconcile: try reconcile(on: date)
            case .report: try writeReports(on: date, timeline: timeline)
            case .record: break
            }
        }
        progress("\(date) step 8/8 \(SettlementStep.record.name)")
        return try recordSettlement(on: date, actor: request.actor, outOfOrder: (try latestSettledDate()).map { $0 > date } ?? false)
    }

    /// The recorded settlement of `date`, nil when the day is not settled.
    public func settlement(on date: LocalDate) throws -> SettlementSummary? {
        try database.statement("""
            SELECT date, settled_at, counts, ranking_period, reports, head_sequence, head_hash FROM settlements WHERE date = ?
            """).bind(.text(date.description)).first(Self.settlementRow)
    }

    /// Every settled day, oldest first.
    public func settlements() throws -> [SettlementSummary] {
        try database.statement("""
            SELECT date, settled_at, counts, ranking_period, reports, head_sequence, head_hash FROM settlements ORDER BY date
            """).rows(Self.settlementRow)
    }

    /// The latest settled day, nil before the first settlement.
    public func latestSettledDate() throws -> LocalDate? {
        try database.statement("SELECT max(date) FROM settlements").first { $0.optionalText(0) }?.flatMap { LocalDate($0) }
    }

    /// The reports the settlement of `date` stored: (name, format, content), by name.
    public func settlementReports(on date: LocalDate) throws -> [(name: String, format: String, content: String)] {
        try database.statement("SELECT name, format, content FROM settlement_reports WHERE date = ? ORDER BY name, format")
            .bind(.text(date.description)).rows { (name: $0.text(0), format: $0.text(1), content: $0.text(2)) }
    }

    static func settlementRow(_ row: SQLiteStatement) throws -> SettlementSummary {
        guard let date = LocalDate(row.text(0)) else {
            throw StoredDataError(sequence: nil, detail: "a settlement has an unreadable date \"\(row.text(0))\"")
        }
        var summary = SettlementSummary(date: date)
        guard summary.add(encoded: row.text(2)) else { throw SettlementError.unreadableProgress(date: date, detail: "counts \"\(row.text(2))\"") }
        summary.settledAt = Timestamp(row.text(1))
        summary.rankingPeriods = SettlementSummary.rankingPeriods(fromText: row.optionalText(3))
        summary.reports = row.text(4).split(separator: ";").map(String.init)
        summary.headSequence = row.int64(5)
        summary.headHash = row.text(6)
        return summary
    }

    // MARK: Progress

    func isDone(_ step: SettlementStep, on date: LocalDate) throws -> Bool {
        try database.statement("SELECT 1 FROM settlement_progress WHERE date = ? AND step = ? AND part = 0")
            .bind(.text(date.description), .integer(Int64(step.rawValue))).first { _ in true } ?? false
    }

    /// Records a step's (or a chunk's) counts; call inside the transaction that did its work.
    func recordProgress(_ step: SettlementStep, part: Int64 = 0, on date: LocalDate, detail: String? = nil,
                        counts: [(name: String, value: Int64)]) throws {
        try database.statement("""
            INSERT INTO settlement_progress(date, step, part, counts, detail, finished_at) VALUES (?, ?, ?, ?, ?, ?)
            """).bind(.text(date.description), .integer(Int64(step.rawValue)), .integer(part),
                      .text(SettlementSummary.encode(counts)), detail.map(SQLiteValue.text) ?? .null,
                      .text(clock.now().description)).run()
    }

    /// The last step: the day's row with the counts of every step and chunk, and the ledger's head.
    func recordSettlement(on date: LocalDate, actor: String, outOfOrder: Bool) throws -> SettlementSummary {
        try writeTransaction {
            var summary = SettlementSummary(date: date)
            let rows = try database.statement("SELECT counts, step, detail FROM settlement_progress WHERE date = ? ORDER BY step, part")
                .bind(.text(date.description)).rows { (counts: $0.text(0), step: $0.int64(1), detail: $0.optionalText(2)) }
            for row in rows {
                guard summary.add(encoded: row.counts) else {
                    throw SettlementError.unreadableProgress(date: date, detail: "counts \"\(row.counts)\"")
                }
                if row.step == Int64(SettlementStep.levels.rawValue) {
                    summary.rankingPeriods = SettlementSummary.rankingPeriods(fromText: row.detail)
                }
                if row.step == Int64(SettlementStep.report.rawValue), let names = row.detail {
                    summary.reports = names.split(separator: ";").map(String.init)
                }
            }
            let head = try head()
            let now = clock.now()
            let started = try database.statement("SELECT min(finished_at) FROM settlement_progress WHERE date = ?")
                .bind(.text(date.description)).first { $0.optionalText(0) } ?? nil
            summary.headSequence = head.count
            summary.headHash = SHA256.hex(head.hash)
            summary.settledAt = now
            try database.statement("""
                INSERT INTO settlements(date, started_at, settled_at, actor, out_of_order, counts, ranking_period, reports,
                    head_sequence, head_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(.text(date.description), .text(started ?? now.description), .text(now.description), .text(actor),
                          .integer(outOfOrder ? 1 : 0), .text(SettlementSummary.encode(summary.counts)),
                          SettlementSummary.rankingPeriodsText(summary.rankingPeriods).map(SQLiteValue.text) ?? .null,
                          .text(summary.reports.joined(separator: ";")),
                          .integer(head.count), .text(summary.headHash)).run()
            return summary
        }
    }

    /// Writes the stored reports of `date` into `DIRECTORY/DATE/NAME.EXT`, the CSV files with a byte order mark for the
    /// spreadsheets that open them (the stored copies have none).
    func writeReportFiles(of date: LocalDate, into directory: String) throws {
        let files = try settlementReports(on: date).map { report in
            (name: Self.reportFileName(report.name, format: report.format),
             content: (report.format == "csv" ? ReportTable.csvFileByteOrderMark : "") + report.content)
        }
        do {
            try ReportFiles.write(files, into: ReportFiles.folder(directory, date))
        } catch SettlementError.reportsNotWritten(let path, let detail, _, _) {
            throw SettlementError.reportsNotWritten(path: path, detail: detail, date: date, directory: directory)
        }
    }
}
