import TimeBankCore

/// What `postScores` did. Amounts are hundredths.
public struct RecordPostingSummary: Sendable, Hashable {
    /// Records whose points were posted now.
    public var posted = 0
    /// Records posted before (nothing written for them).
    public var alreadyPosted = 0
    /// Records left out: pending for a verifier, or no policy in force (reference and status).
    public var notScored: [String] = []
    /// Ledger entries written.
    public var entries = 0
    public var awarded: Int64 = 0
    public var deducted: Int64 = 0
    public var shortfall: Int64 = 0
    /// Of the awards posted, those whose lot expires on or before the day given to `postScores` as `expiredBy` (a
    /// record of long ago, accepted late, whose points had expired before they were posted): how many, and their points.
    public var expiredOnArrival = 0
    public var expiredOnArrivalPoints: Int64 = 0
}

/// A stored record's explanation: the one posted with its points, or a preview of what posting
/// it now would give.
public struct StoredRecordExplanation: Sendable {
    public var stored: StoredRecord
    /// True when the points are not posted yet: the lines show what posting now would give.
    public var isPreview: Bool
    public var lines: [ScoreExplanationLine]
    public var status: RecordScore.Status
    public var account: AccountID?
    public var policyVersion: String?
    public var minutesCounted: Int
    public var earned: Int64
    public var award: Int64
    public var deduction: Int64
    public var shortfall: Int64
    /// For a pending record without a verifier under a version that requires one and accepts records automatically
    /// (`auto_accept_after_days`): the day whose nightly settlement accepts it unless it is rejected before. The preview
    /// then shows what it would give accepted so (as the night scores it), not the 0.00 of a record kept pending.
    public var autoAcceptOn: LocalDate? = nil
    /// The day from which those days count: the record's date, or the day it was imported when that is later.
    public var autoAcceptCountsFrom: LocalDate? = nil

    /// Hundredths the caps took off what the record earned.
    public var capped: Int64 { earned - award }
    /// Hundredths the record brought in the end: its award less its penalty's deduction.
    public var net: Int64 { award - deduction }
}

extension TimeBankStore {
    /// Whether the store has posted a score for the record with this source and id (its points are in the history).
    public func isPosted(source: String, id: String) throws -> Bool {
        try statement(.recordForPosting).bind(1, source).bind(2, id).first { $0.int64(2) != 0 } ?? false
    }

    /// The ledger key of the award of a record: derived from its source and id, so it posts once.
    public static func awardKey(for record: Record) -> String { RecordEntryKey.key(source: record.source, id: record.id, side: .award) }
    /// The ledger key of the penalties and deductions of a record.
    public static func penaltyKey(for record: Record) -> String { RecordEntryKey.key(source: record.source, id: record.id, side: .penalty) }

    /// Scores the approved records of `day` whose points are not posted yet, by the versions in force,
    /// against the posted history, with explanations.
    public func scoreApprovedRecords(on day: LocalDate) throws -> ScoringRun {
        let stored = try records(matching: RecordQuery(status: .approved, from: day, to: day, posted: false))
        let scorer = Scorer(timeline: try storedPolicyTimeline(), community: try communityDirectory())
        return try scorer.score(stored.map(\.recordForScoring), history: StoreScoringHistory(store: self))
    }

    /// Scores and posts the approved records of `day` (see `postScores`). Running it again for the
    /// same day posts nothing new.
    @discardableResult
    public func postApprovedRecords(on day: LocalDate, actor: String) throws -> RecordPostingSummary {
        try writeTransaction {
            try postScores(try scoreApprovedRecords(on: day), actor: actor)
        }
    }

    /// Posts what a run scored, all in one transaction: for each scored record an award entry
    /// (issuance → account, opening a lot that expires by the policy) and a penalty entry (account
    /// → issuance), keyed by the record's source and id so that nothing posts twice, with the
    /// amounts and the explanation in `record_scores`. Records posted before are skipped; a record
    /// that is not approved is refused (E106). Nothing is written when anything fails.
    @discardableResult
    public func postScores(_ run: ScoringRun, actor: String) throws -> RecordPostingSummary {
        try postScores(run, actor: actor, queued: nil)
    }

    /// `postScores` for a chunk of the settlement's queue: `queued[i]` is the stored number of `run.records[i]`, read
    /// in this write transaction as approved and not posted, so no record is looked up again; and the scores are
    /// posted in the queue's order (household by household) rather than the order they were scored in, so that
    /// the ledger does not depend on how the queue is cut into transactions. (Both orders give each account its
    /// records in canonical order.)
    func postScores(_ run: ScoringRun, actor: String, queued: [Int64]?, expiredBy: LocalDate? = nil) throws -> RecordPostingSummary {
        precondition(queued == nil || queued?.count == run.records.count)
        try Self.validateRecordText(actor, field: "actor", maximum: LedgerRules.actorLengthMaximum)
        // A posted record's explanation is written again from its steps and the stored version that scored it.
        if let unstored = run.scores.first(where: { $0.status == .scored && run.version(of: $0)?.storedNumber == nil }) {
            throw RecordStoreError.versionNotStored(reference: run.record(of: unstored).reference,
                                                    version: run.version(of: unstored)?.label ?? "")
        }
        return try writeTransaction {
            var summary = RecordPostingSummary()
            let postedAt = clock.now().description
            // Most records of a run share their date and the expiry of their lots: each is written out once.
            var dates = DateTextCache()
            var accountTexts: [AccountID: String] = [:]
            // Each record's explanation is kept as its steps (`PostedScoreSteps`), written into one reused buffer.
            var steps: [UInt8] = []
            steps.reserveCapacity(256)
            func text(_ account: AccountID) -> String {
                if let known = accountTexts[account] { return known }
                let text = account.description
                accountTexts[account] = text
                return text
            }
            var order = Array(run.scores.indices)
            if queued != nil { order.sort { run.scores[$0].recordIndex < run.scores[$1].recordIndex } }
            for position in order {
                let score = run.scores[position]
                let record = run.record(of: score)
                guard score.status == .scored, let account = run.account(of: score), let version = run.version(of: score) else {
                    summary.notScored.append("\(record.reference) (\(score.status.rawValue))")
                    continue
                }
                // Only what posting needs: the number, the status, and whether points were posted.
                let stored: (number: Int64, status: String, posted: Bool)
                if let queued {
                    stored = (queued[score.recordIndex], StoredRecord.Status.approved.rawValue, false)
                } else if let found = try statement(.recordForPosting).bind(1, record.source).bind(2, record.id)
                    .first({ (number: $0.int64(0), status: $0.text(1), posted: $0.int64(2) != 0) }) {
                    stored = found
                } else {
                    _ = try storedRecord(id: record.id, source: record.source) // throws E100 with a suggestion
                    continue
                }
                if stored.posted {
                    summary.alreadyPosted += 1
                    continue
                }
                guard stored.status == StoredRecord.Status.approved.rawValue else {
                    throw RecordStoreError.notApproved(reference: record.reference, status: stored.status)
                }
                let memo = Self.postingMemo(record, policy: version.policy)
                var awardEntry: Int64?, penaltyEntry: Int64?
                if score.award > 0 {
                    let expiresOn = version.policy.expiry.expiryDate(earnedOn: record.date)
                    let request = EntryRequest.move(
                        key: Self.awardKey(for: record), kind: .award, date: record.date, actor: actor, memo: memo,
                        from: .issuance, to: account, amount: score.award, lotExpiresOn: expiresOn)
                    awardEntry = try post(request).entry.sequence
                    summary.entries += 1
                    if let expiresOn, let expiredBy, expiresOn <= expiredBy {
                        summary.expiredOnArrival += 1
                        summary.expiredOnArrivalPoints += score.award
                    }
                }
                if score.deduction > 0 {
                    let request = EntryRequest.move(key: Self.penaltyKey(for: record), kind: .penalty, date: record.date,
                                                    actor: actor, memo: memo, from: account, to: .issuance, amount: score.deduction)
                    penaltyEntry = try post(request).entry.sequence
                    summary.entries += 1
                }
                var category: String?, indicator: String?, period: String?, volunteer: String?
                switch record {
                case .service(let service):
                    category = service.category
                    volunteer = service.volunteer
                case .assessment(let assessment):
                    indicator = assessment.indicator
                    period = assessment.period.label
                    volunteer = assessment.volunteer
                }
                let bonuses = run.bonusesApplied(score)
                try statement(.insertRecordScore)
                    .bind(1, stored.number).bind(2, version.storedNumber).bind(3, text(account)).bind(4, text(run.holder(of: score)))
                    .bind(5, volunteer).bind(6, dates.text(record.date)).bind(7, category).bind(8, indicator).bind(9, period)
                    .bind(10, Int64(score.minutesCounted)).bind(11, score.earned).bind(12, score.award).bind(13, score.deduction)
                    .bind(14, score.shortfall).bind(15, bonuses.isEmpty ? "" : bonuses.map(\.id).joined(separator: ";"))
                    .bind(16, awardEntry).bind(17, penaltyEntry).bind(18, postedAt).bind(19, actor)
                    .run()
                PostedScoreSteps.encode(run, score, into: &steps)
                try steps.withUnsafeBufferPointer { try statement(.insertRecordScoreExplanation).bind(1, stored.number).bind(2, utf8: $0).run() }
                summary.posted += 1
                summary.awarded += score.award
                summary.deducted += score.deduction
                summary.shortfall += score.shortfall
            }
            return summary
        }
    }

    /// One line naming the record for the passbook: `orange 橙色关怀 90 min · default:r1`.
    static func postingMemo(_ record: Record, policy: Policy) -> String {
        let text: String
        switch record {
        case .service(let service):
            let label = policy.category(service.category)?.label ?? service.category
            text = "\(label) \(service.minutes) min · \(record.reference)"
        case .assessment(let assessment):
            let label = policy.indicator(assessment.indicator)?.label ?? assessment.indicator
            text = "\(label) \(assessment.period.label) · \(record.reference)"
        }
        // Control characters become spaces; the memo is cut to the ledger's maximum. Most memos need neither, and
        // are returned as they are.
        var scalarCount = 0
        var clean = true
        for scalar in text.unicodeScalars {
            scalarCount += 1
            if scalar.isControl { clean = false }
        }
        if clean, scalarCount <= LedgerRules.memoLengthMaximum { return text }
        let line = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isControl ? " " : $0 }))
        return String(line.unicodeScalars.prefix(LedgerRules.memoLengthMaximum))
    }

    /// The explanation of a stored record: the one posted with its points, else a preview of what
    /// posting it now would give (the records not posted yet of its volunteer and of its household are scored in canonical
    /// order up to it, against the posted history).
    public func explainRecord(id: String, source: String? = nil) throws -> StoredRecordExplanation {
        let stored = try storedRecord(id: id, source: source)
        if let posted = stored.posted {
            // One row since migration 7, holding the scorer's steps (`PostedScoreSteps`) or, for records posted before
            // those were kept, the lines; one row per line for records posted before migration 7.
            let encoded = try database.statement("SELECT lines FROM record_score_explanations WHERE record = ?")
                .bind(.integer(stored.number)).first { $0.text(0) }
            let lines = try encoded.map {
                let unreadable = StoredDataError(sequence: posted.awardEntry, detail: "the stored explanation of \(stored.record.reference) cannot be read")
                guard PostedScoreSteps.isEncoded($0) else {
                    guard let lines = ExplanationEncoding.decode($0) else { throw unreadable }
                    return lines
                }
                guard let steps = PostedScoreSteps.decode($0) else { throw unreadable }
                let timeline = try storedPolicyTimeline()
                let version = timeline.versions.first { $0.storedNumber == posted.policyVersion }
                guard version != nil || posted.policyVersion == nil else { throw unreadable }
                let subject = ScoreExplanationSubject(record: stored.recordForScoring, version: version, account: posted.account,
                                                      firstEffective: timeline.firstEffective)
                guard steps.allSatisfy({ subject.canWord($0.step) }) else { throw unreadable }
                return steps.map { subject.line($0.step, failure: $0.failure) }
            } ?? database.statement("""
                SELECT rule, text, effect, running FROM record_score_steps WHERE record = ? ORDER BY idx
                """).bind(.integer(stored.number)).rows {
                ScoreExplanationLine(rule: $0.text(0), text: $0.text(1), effect: $0.text(2), running: $0.text(3), applied: false)
            }
            return StoredRecordExplanation(
                stored: stored, isPreview: false, lines: lines, status: .scored, account: posted.account,
                policyVersion: posted.policyVersion.map { "#\($0)" }, minutesCounted: posted.minutesCounted, earned: posted.earned,
                award: posted.award, deduction: posted.deduction, shortfall: posted.shortfall)
        }
        var empty = StoredRecordExplanation(stored: stored, isPreview: true, lines: [], status: .pending, account: nil,
                                            policyVersion: nil, minutesCounted: 0, earned: 0, award: 0, deduction: 0, shortfall: 0)
        guard stored.status != .rejected else { return empty }
        // The unposted records up to this one that the night scores with it (it scores household by household): the
        // volunteer's, and when the volunteer (or the assessed household) belongs to a household now, those of its
        // members and its assessments. So the caps, once-only bonuses and the floor of a household's account see the
        // records of the other members before this one (under earn_to = "household" they count against the same caps).
        let community = try communityDirectory()
        let household: String? = {
            if let volunteer = stored.record.volunteer { return community.volunteer(volunteer)?.household }
            if case .assessment(let assessment) = stored.record { return assessment.household }
            return nil
        }()
        var holderFilter = ["r.volunteer = ?"]
        var holderValues: [SQLiteValue] = [stored.record.volunteer.map(SQLiteValue.text) ?? .null]
        if let household {
            holderFilter.append("r.volunteer IN (SELECT id FROM volunteers WHERE household = ?)")
            holderFilter.append("(r.volunteer IS NULL AND r.household = ?)")
            holderValues += [.text(household), .text(household)]
        }
        let holderRecords = try database.statement("""
            SELECT \(Self.recordColumns) FROM \(Self.recordTables)
            WHERE s.record IS NULL AND r.service_date <= ? AND (\(holderFilter.joined(separator: " OR ")))
            ORDER BY r.service_date, coalesce(r.start_time, ''), CAST(r.id AS BLOB), CAST(r.source AS BLOB)
            """).bind([.text(stored.record.date.description)] + holderValues).rows(Self.storedRecord)
            .filter { $0.status != .rejected }
        let timeline = try storedPolicyTimeline()
        let scorer = Scorer(timeline: timeline, community: community)
        // A pending record without a verifier that the night will accept on its own (auto_accept_after_days) is previewed
        // as accepted so, the holder's earlier ones too (they are accepted no later): its points, not "stays pending, 0.00".
        // The accept step's own rule (`RecordAcceptance`), asked of the first night that could accept it on its own.
        let zone = try communityTimeZone(at: clock.now())
        func autoAcceptance(_ record: StoredRecord) -> (record: Record, on: LocalDate, countsFrom: LocalDate)? {
            guard record.status == .pending else { return nil }
            return RecordAcceptance.previewedAsAutoAccepted(record.recordForScoring, policy: timeline.version(inForceOn: record.record.date)?.policy,
                                                            importedOn: communityDay(of: record.importedAt, zone: zone))
        }
        let scored = holderRecords.map { holder in autoAcceptance(holder)?.record ?? holder.recordForScoring }
        let own = autoAcceptance(stored)
        empty.autoAcceptOn = own?.on
        empty.autoAcceptCountsFrom = own?.countsFrom
        let run = try scorer.score(scored, history: StoreScoringHistory(store: self))
        guard let score = run.scores.first(where: { run.record(of: $0).reference == stored.record.reference }) else { return empty }
        empty.lines = run.explanation(of: score)
        empty.status = score.status
        empty.account = run.account(of: score)
        empty.policyVersion = run.version(of: score)?.label
        empty.minutesCounted = score.minutesCounted
        empty.earned = score.earned
        empty.award = score.award
        empty.deduction = score.deduction
        empty.shortfall = score.shortfall
        return empty
    }
}

/// A posted record's explanation as the lines themselves, as records posted from migration 7 until the steps were kept
/// instead (`PostedScoreSteps`) hold it: for each line its rule, text, effect and running total, each field as its
/// length in UTF-8 bytes, `:`, and the field (any character may appear in a field). Read, no longer written.
enum ExplanationEncoding {
    /// Nil when the text is not such an encoding.
    static func decode(_ text: String) -> [ScoreExplanationLine]? {
        let bytes = Array(text.utf8)
        var fields: [String] = []
        var index = 0
        while index < bytes.count {
            var length = 0, digits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 9 {
                length = length * 10 + Int(bytes[index] - 0x30)
                index += 1
                digits += 1
            }
            guard digits > 0, index < bytes.count, bytes[index] == 0x3A, index + 1 + length <= bytes.count else { return nil }
            fields.append(String(decoding: bytes[(index + 1)..<(index + 1 + length)], as: UTF8.self))
            index += 1 + length
        }
        guard fields.count % 4 == 0 else { return nil }
        return stride(from: 0, to: fields.count, by: 4).map {
            ScoreExplanationLine(rule: fields[$0], text: fields[$0 + 1], effect: fields[$0 + 2], running: fields[$0 + 3], applied: false)
        }
    }
}
