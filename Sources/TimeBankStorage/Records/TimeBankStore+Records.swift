import TimeBankCore

/// A record as stored: its content, where it came from, and the decision about it.
public struct StoredRecord: Sendable, Hashable {
    /// Where a record stands.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Imported, not decided yet.
        case pending
        /// Accepted: scored and posted by the nightly settlement.
        case approved
        /// Refused, with a reason; never scored.
        case rejected
    }

    /// The store's number for the record.
    public var number: Int64
    public var record: Record
    public var status: Status
    public var importedAt: Timestamp
    public var importedBy: String
    public var importFile: String
    public var importRow: Int
    public var decidedAt: Timestamp?
    public var decidedBy: String?
    public var decisionReason: String?
    /// The verifier named at approval, when the record named none.
    public var approvalVerifier: String?
    /// What was posted for it, once the points are in the ledger.
    public var posted: PostedScore?
    /// An admin's decision to withdraw the posted record (`rejectRecords` of a posted record none of whose entries
    /// stands): when, by whom and why. Nil also for a record withdrawn by the reversal of its entries alone.
    public var withdrawal: Withdrawal?

    /// An admin's withdrawal of a posted record, kept with it (`record_withdrawals`).
    public struct Withdrawal: Sendable, Hashable {
        public var at: Timestamp
        public var by: String
        public var reason: String
    }

    /// Whether the record is posted and withdrawn: nothing of it stands in the ledger (it had entries and every one
    /// is reversed), or an admin withdrew it. A withdrawn record no longer counts anywhere: not for overlaps or a full
    /// day, not in the scoring history (once-only bonuses, assessments, totals), levels, rankings or reports of hours.
    /// docs/records.md, "Correcting a posted record".
    public var isWithdrawn: Bool {
        guard let posted else { return false }
        return withdrawal != nil || (!posted.entries.isEmpty && posted.standingEntries.isEmpty)
    }

    /// The record as the scorer sees it: with the approval's verifier when the record names none.
    public var recordForScoring: Record { Self.forScoring(record, approvalVerifier: approvalVerifier) }

    /// `record` with the approval's verifier when it names none.
    static func forScoring(_ record: Record, approvalVerifier: String?) -> Record {
        guard let approvalVerifier, record.verifier == nil else { return record }
        var scored = record
        scored.verifier = approvalVerifier
        return scored
    }
}

/// The amounts posted for a record (hundredths) and the ledger entries that carry them.
public struct PostedScore: Sendable, Hashable {
    public var policyVersion: Int64?
    public var account: AccountID
    public var minutesCounted: Int
    public var earned: Int64
    public var award: Int64
    public var deduction: Int64
    public var shortfall: Int64
    public var onceBonuses: [String]
    public var awardEntry: Int64?
    public var penaltyEntry: Int64?
    public var postedAt: Timestamp
    public var postedBy: String
    /// The entry that reversed the award entry, if one did.
    public var awardReversedBy: Int64? = nil
    /// The entry that reversed the penalty entry, if one did.
    public var penaltyReversedBy: Int64? = nil

    /// Hundredths the caps took off what the record earned.
    public var capped: Int64 { earned - award }
    /// Hundredths the record brought in the end: its award less its penalty's deduction.
    public var net: Int64 { award - deduction }

    /// One ledger entry posted for a record, and the entry that reversed it.
    public struct Entry: Sendable, Hashable {
        /// Whether the entry credited the record's award or took its penalty.
        public enum Kind: String, Sendable, Hashable { case award, penalty }
        public var kind: Kind
        public var sequence: Int64
        /// Hundredths: the award, or the points taken.
        public var amount: Int64
        public var reversedBy: Int64?
    }

    /// The award entry, then the penalty entry, those that were posted.
    public var entries: [Entry] {
        var entries: [Entry] = []
        if let awardEntry { entries.append(Entry(kind: .award, sequence: awardEntry, amount: award, reversedBy: awardReversedBy)) }
        if let penaltyEntry {
            entries.append(Entry(kind: .penalty, sequence: penaltyEntry, amount: deduction, reversedBy: penaltyReversedBy))
        }
        return entries
    }

    /// The entries not reversed.
    public var standingEntries: [Entry] { entries.filter { $0.reversedBy == nil } }

    /// Hundredths the record still brings: `net` less what the reversals of its entries took back (0 once withdrawn).
    public var standingNet: Int64 {
        standingEntries.reduce(0) { $0 + ($1.kind == .award ? $1.amount : -$1.amount) }
    }

    /// The entries not reversed, in the order to reverse them: the penalty first, since its reversal gives points back
    /// that the award's reversal may need (the award's points may have been spent down to the penalty).
    public var reversalOrder: [Entry] { standingEntries.sorted { $0.kind == .penalty && $1.kind == .award } }
}

/// What importing a record file did. Every row read is in exactly one list:
/// `rowsRead == stored.count + alreadyStored.count + duplicatesInFile.count + rejected.count`.
public struct RecordImportOutcome: Sendable {
    public var fileName: String
    public var format: RecordFileFormat
    public var rowsRead: Int
    /// Rows stored now, as pending records.
    public var stored: [AcceptedRecord]
    /// Rows whose record (same source, id and content) was stored before: nothing added.
    public var alreadyStored: [AcceptedRecord]
    /// Rows repeating an earlier row of the same file.
    public var duplicatesInFile: [DuplicateRecord]
    /// Bad rows, and rows whose id is stored with other content.
    public var rejected: [RejectedRow]
    /// The file's text, to show the lines of rejected rows.
    public var text: String
    /// The records stored now that are dated before their volunteer joined, in row order (stored all the same).
    public var datedBeforeJoining: [RecordBeforeJoining] = []
    /// Rows above the CSV header read as the sheet's title and skipped.
    public var skippedTitles: [SkippedTitle] = []
    /// The slips of the records stored now (I110, I111), in row order (stored all the same).
    public var warnings: [RecordRowWarning] = []

    /// Rows that added nothing because their record is known: stored before, or earlier in the file.
    public var duplicateCount: Int { alreadyStored.count + duplicatesInFile.count }
}

/// What importing a record file in pieces did (`importRecords(atPath:...)`): the counts, and only the
/// first rejected rows, so that its size does not grow with the file.
/// `rowsRead == storedCount + alreadyStoredCount + duplicatesInFileCount + rejectedCount`.
public struct RecordImportSummary: Sendable {
    public var fileName: String
    public var format: RecordFileFormat
    public var rowsRead = 0
    /// Rows stored now, as pending records.
    public var storedCount = 0
    /// Rows whose record (same source, id and content) was stored before: nothing added.
    public var alreadyStoredCount = 0
    /// Rows repeating an earlier row of the same file.
    public var duplicatesInFileCount = 0
    /// Every rejected row: bad rows, and rows whose id is stored with other content.
    public var rejectedCount = 0
    /// The first rejected rows (at most `rejectedRowsKept`), in row order.
    public var rejected: [RejectedRow] = []
    /// The file's lines of the rejected rows kept, each on its own line number (the other lines empty),
    /// to show them with `DiagnosticRenderer`.
    public var rejectedText = ""
    /// How many of the records stored now are dated before their volunteer joined (stored all the same).
    public var datedBeforeJoiningCount = 0
    /// The first of them (at most `RecordBeforeJoining.kept`), in row order.
    public var datedBeforeJoining: [RecordBeforeJoining] = []
    /// Rows above the CSV header read as the sheet's title and skipped.
    public var skippedTitles: [SkippedTitle] = []
    /// How many records stored now got each warning (I110, I111; stored all the same).
    public var warningCounts: [RecordRowWarning.Code: Int] = [:]
    /// The first warnings of each code (at most `RecordRowWarning.kept` of each), in row order.
    public var warnings: [RecordRowWarning] = []

    /// How many records stored now got a warning of `code`.
    public func warningCount(_ code: RecordRowWarning.Code) -> Int { warningCounts[code] ?? 0 }

    /// A summary of nothing read yet.
    public init(fileName: String, format: RecordFileFormat) {
        self.fileName = fileName
        self.format = format
    }

    /// Rows that added nothing because their record is known: stored before, or earlier in the file.
    public var duplicateCount: Int { alreadyStoredCount + duplicatesInFileCount }
}

/// A record stored by an import whose date is before its volunteer's day of joining (`Volunteer.joined`). It is stored
/// and scored as any other (service done before the volunteer was entered is real service), but the import names it:
/// a day of joining left at its default (the day of `volunteer add`) or a record's mistyped year would otherwise go unseen.
public struct RecordBeforeJoining: Sendable, Hashable {
    /// The record's row in the file.
    public var row: Int
    public var id: String
    public var volunteer: String
    public var date: LocalDate
    public var joined: LocalDate

    /// How many a streamed import's summary keeps (`RecordImportSummary.datedBeforeJoining`).
    public static let kept = 20

    /// The record's volunteer's day of joining when the record is dated before it; nil otherwise, or when the
    /// record names no volunteer (a household's assessment) or the community was not read.
    static func check(_ record: Record, row: Int, in community: CommunityDirectory?) -> RecordBeforeJoining? {
        guard let volunteer = record.volunteer, let joined = community?.volunteersByID[volunteer]?.joined,
              record.date < joined else { return nil }
        return RecordBeforeJoining(row: row, id: record.id, volunteer: volunteer, date: record.date, joined: joined)
    }
}

/// Filters for `records(matching:)`; nil fields do not filter.
public struct RecordQuery: Sendable, Hashable {
    /// Only records with this decision. `.approved` matches the approved records that stand, as `record list --status
    /// approved` does: a posted record withdrawn since is matched by `withdrawn: true` (with `.approved` or without a status).
    public var status: StoredRecord.Status?
    public var volunteer: String?
    public var source: String?
    public var from: LocalDate?
    public var to: LocalDate?
    /// Only records whose points are (true) or are not (false) posted yet.
    public var posted: Bool?
    /// Only posted records that are withdrawn (true), or only records that are not (false): `StoredRecord.isWithdrawn`.
    /// Nil is false with `status: .approved` (an approved record withdrawn since no longer stands), else either.
    public var withdrawn: Bool?
    /// At most this many, in canonical order: the first ones, or with `latest` the last ones.
    public var limit: Int?
    /// With `limit`: the latest `limit` records in canonical order (the last ones), still returned in that order; as
    /// `record list` shows them (a store of some years holds a million records, and the list is read for the recent ones).
    public var latest = false

    /// A query; every filter left nil matches every record.
    public init(status: StoredRecord.Status? = nil, volunteer: String? = nil, source: String? = nil, from: LocalDate? = nil,
                to: LocalDate? = nil, posted: Bool? = nil, withdrawn: Bool? = nil, limit: Int? = nil) {
        self.withdrawn = withdrawn
        self.status = status
        self.volunteer = volunteer
        self.source = source
        self.from = from
        self.to = to
        self.posted = posted
        self.limit = limit
    }
}

extension TimeBankStore {
    /// The longest rejection reason.
    public static let recordReasonLengthMaximum = 500

    // MARK: Import

    /// Reads a record file and stores its good rows as pending records, all in one transaction.
    ///
    /// The file is refused whole (nothing stored) when it is not UTF-8 or its header is wrong.
    /// Otherwise each bad row is rejected with its row, column and reason, and the good rows are
    /// stored. Importing the same file again adds nothing; a row whose (source, id) is stored with
    /// other content is rejected (E016).
    ///
    ///     let outcome = try store.importRecords(bytes, fileName: "october.csv", actor: "admin", today: today)
    ///     outcome.stored.count + outcome.duplicateCount + outcome.rejected.count == outcome.rowsRead   // always
    ///
    /// - Parameters:
    ///   - source: the source of rows without a `source` value.
    ///   - today: records dated after it are refused; nil: not checked.
    public func importRecords(_ bytes: [UInt8], fileName: String, format: RecordFileFormat? = nil, source: String = "default",
                              actor: String, today: LocalDate?) throws -> RecordImportOutcome {
        var outcome = RecordImportOutcome(fileName: fileName, format: format ?? .csv, rowsRead: 0, stored: [], alreadyStored: [],
                                          duplicatesInFile: [], rejected: [], text: "")
        let read = try importRecordStream(
            fileName: fileName, format: format ?? RecordFileFormat.guess(fileName: fileName, bytes: bytes), source: source,
            actor: actor, today: today,
            feed: { stream, each in
                try stream.feed(bytes, each: each)
                try stream.finish(each: each)
            },
            prefix: { _ in bytes },
            sink: { event, _ in
                switch event {
                case .stored(let accepted, let beforeJoining, let warnings):
                    outcome.stored.append(accepted)
                    if let beforeJoining { outcome.datedBeforeJoining.append(beforeJoining) }
                    outcome.warnings += warnings
                case .alreadyStored(let accepted): outcome.alreadyStored.append(accepted)
                case .duplicateInFile(let duplicate): outcome.duplicatesInFile.append(duplicate)
                case .rejected(let row): outcome.rejected.append(row)
                }
            })
        outcome.format = read.format
        outcome.rowsRead = read.rowsRead
        outcome.skippedTitles = read.titles
        outcome.rejected.sort { $0.row < $1.row }
        outcome.text = String(decoding: bytes, as: UTF8.self)
        return outcome
    }

    /// Imports the record file at `path` like `importRecords(_:fileName:...)`, reading it in pieces of
    /// `chunkByteCount` bytes, so that memory does not grow with the file: the outcome holds the counts
    /// and only the first `rejectedRowsKept` rejected rows (with their lines), not the stored records.
    ///
    /// All rows go in one transaction as they are read: a file refused whole (not UTF-8 anywhere in it,
    /// a bad header) rolls back and stores nothing.
    ///
    ///     let summary = try store.importRecords(atPath: "october.csv", actor: "admin", today: today)
    ///     summary.storedCount + summary.duplicateCount + summary.rejectedCount == summary.rowsRead   // always
    ///
    /// - Parameters:
    ///   - fileName: the name used in messages and stored with the records (default: `path`).
    ///   - validationBatchRows: rows checked against each other in memory; rows further apart are checked
    ///     against what the import stored (see `importValidationBatchRows`).
    ///   - onRejected: called with every rejected row (not only the kept ones) and its text as written, in file order,
    ///     while the import runs (`record import --rejects`); the import may still be refused whole after it.
    public func importRecords(atPath path: String, fileName: String? = nil, format: RecordFileFormat? = nil,
                              source: String = "default", actor: String, today: LocalDate?, rejectedRowsKept: Int = 1_000,
                              chunkByteCount: Int = 1 << 20,
                              validationBatchRows: Int = TimeBankStore.importValidationBatchRows,
                              onRejected: ((RejectedRow, String) -> Void)? = nil) throws -> RecordImportSummary {
        try database.inBatchMode {
            try importRecordFile(atPath: path, fileName: fileName, format: format, source: source, actor: actor, today: today,
                                 rejectedRowsKept: rejectedRowsKept, chunkByteCount: chunkByteCount, validationBatchRows: validationBatchRows,
                                 onRejected: onRejected)
        }
    }

    private func importRecordFile(atPath path: String, fileName: String?, format: RecordFileFormat?, source: String, actor: String,
                                  today: LocalDate?, rejectedRowsKept: Int, chunkByteCount: Int,
                                  validationBatchRows: Int, onRejected: ((RejectedRow, String) -> Void)?) throws -> RecordImportSummary {
        let name = fileName ?? path
        let file = try RecordFileReader(path: path, chunkByteCount: chunkByteCount)
        var summary = RecordImportSummary(fileName: name, format: format ?? .csv)
        var keptLines: [Int: String] = [:]
        let read = try importRecordStream(
            fileName: name, format: format, source: source, actor: actor, today: today, validationBatchRows: validationBatchRows,
            feed: { stream, each in
                try file.forEachChunk { try stream.feed($0, each: each) }
                try stream.finish(each: each)
            },
            prefix: { offset in try file.prefix(count: max(offset + 4, TextEncodingCheck.sampleByteCountMax)) },
            sink: { event, text in
                switch event {
                case .stored(_, let beforeJoining, let warnings):
                    summary.storedCount += 1
                    for warning in warnings {
                        let count = summary.warningCounts[warning.code, default: 0]
                        summary.warningCounts[warning.code] = count + 1
                        if count < RecordRowWarning.kept { summary.warnings.append(warning) }
                    }
                    if let beforeJoining {
                        summary.datedBeforeJoiningCount += 1
                        if summary.datedBeforeJoining.count < RecordBeforeJoining.kept { summary.datedBeforeJoining.append(beforeJoining) }
                    }
                case .alreadyStored: summary.alreadyStoredCount += 1
                case .duplicateInFile: summary.duplicatesInFileCount += 1
                case .rejected(let row):
                    summary.rejectedCount += 1
                    let kept = summary.rejected.count < rejectedRowsKept
                    guard kept || onRejected != nil else { return }
                    let written = String(decoding: text.bytes, as: UTF8.self)
                    onRejected?(row, written)
                    guard kept else { return }
                    summary.rejected.append(row)
                    var lines = written
                        .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
                    // The row's own line break ends it: the empty piece after it is not the next line (which, when
                    // it is rejected too, must show its own text).
                    if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
                    for (offset, line) in lines.enumerated() where keptLines[text.line + offset] == nil {
                        keptLines[text.line + offset] = String(line)
                    }
                }
            })
        summary.format = read.format
        summary.rowsRead = read.rowsRead
        summary.skippedTitles = read.titles
        if let last = keptLines.keys.max() {
            summary.rejectedText = (1...last).map { keptLines[$0] ?? "" }.joined(separator: "\n")
        }
        return summary
    }

    /// Rows checked by one `RecordValidator` during an import: it keeps every row it accepted (to find
    /// duplicates and overlaps), so it is replaced after this many, and the rows before are found in the
    /// database instead (see `RecordFileStream.validatorBatchRows`).
    public static let importValidationBatchRows = 50_000

    /// What one row of an import did.
    enum RecordImportEvent {
        /// With the volunteer's day of joining when the record is dated before it, and the row's slips (I110, I111).
        case stored(AcceptedRecord, beforeJoining: RecordBeforeJoining?, warnings: [RecordRowWarning])
        case alreadyStored(AcceptedRecord)
        case duplicateInFile(DuplicateRecord)
        case rejected(RejectedRow)
    }

    /// The import itself: `feed` hands the file to the stream, each row is checked and its record
    /// inserted at once, and `sink` hears what each row did; all in one write transaction.
    /// `prefix(offset)` reads the file's start when the stream finds a byte that is not UTF-8 there.
    func importRecordStream(
        fileName: String, format: RecordFileFormat?, source: String, actor: String, today: LocalDate?,
        validationBatchRows: Int = TimeBankStore.importValidationBatchRows,
        feed: (inout RecordFileStream, (RecordFileStream.Row, RecordFileStream.RowText) throws -> Void) throws -> Void,
        prefix: (Int) throws -> [UInt8],
        sink unescapedSink: (RecordImportEvent, RecordFileStream.RowText) -> Void
    ) throws -> (format: RecordFileFormat, rowsRead: Int, titles: [SkippedTitle]) {
        // `feed` calls back into `handle`, which calls `sink`: Swift needs to be told that neither outlives this call.
        try withoutActuallyEscaping(unescapedSink) { sink in
            try importRecordStream(fileName: fileName, format: format, source: source, actor: actor, today: today,
                                   validationBatchRows: validationBatchRows, feed: feed, prefix: prefix, escapingSink: sink)
        }
    }

    private func importRecordStream(
        fileName: String, format: RecordFileFormat?, source: String, actor: String, today: LocalDate?, validationBatchRows: Int,
        feed: (inout RecordFileStream, (RecordFileStream.Row, RecordFileStream.RowText) throws -> Void) throws -> Void,
        prefix: (Int) throws -> [UInt8],
        escapingSink sink: @escaping (RecordImportEvent, RecordFileStream.RowText) -> Void
    ) throws -> (format: RecordFileFormat, rowsRead: Int, titles: [SkippedTitle]) {
        guard AccountID.isValidOwner(source) else {
            throw RecordStoreError.invalidText(field: "source", problem: "\"\(source)\" is not a valid source: use 1 to 64 characters without spaces or \":\"")
        }
        try Self.validateRecordText(actor, field: "actor", maximum: LedgerRules.actorLengthMaximum)
        // The rows are checked inside the write transaction, so that another import cannot store an
        // overlapping record between the check and the insert.
        return try writeTransaction {
            let lookup = StoreRecordLookup(store: self)
            var context = RecordValidator.Context(defaultSource: source, policies: try storedPolicyTimeline(),
                                                  community: try communityDirectory(), today: today, stored: lookup)
            context.history = StoreScoringHistory(store: self)
            var stream = RecordFileStream(fileName: fileName, format: format, context: context)
            let importedAt = clock.now().description
            let inserter = try RecordInserter(store: self, importedAt: importedAt, actor: actor, file: fileName)
            stream.validatorBatchRows = max(1, validationBatchRows)
            func handle(_ row: RecordFileStream.Row, _ text: RecordFileStream.RowText) throws {
                switch row {
                case .checked(let input, .accepted(let record, let warnings)):
                    let accepted = AcceptedRecord(row: input.row, record: record, idRange: input.values[.id]?.range ?? input.range)
                    switch try inserter.insert(record, row: input.row) {
                    case .stored:
                        sink(.stored(accepted, beforeJoining: RecordBeforeJoining.check(record, row: input.row, in: context.community),
                                     warnings: warnings), text)
                    case .alreadyStored: sink(.alreadyStored(accepted), text)
                    case .duplicateInFile(let firstRow):
                        sink(.duplicateInFile(DuplicateRecord(row: input.row, firstRow: firstRow, record: record)), text)
                    case .conflictInFile(let firstRow):
                        // RecordValidator's E015, which finds this within one batch of rows; the earlier row is stored.
                        let first = try storedRecord(id: record.id, source: record.source).record
                        sink(.rejected(RejectedRow(row: accepted.row, errors: [RecordValidator.conflictInFile(
                            record, first: first, firstRow: firstRow, row: accepted.row, idRange: accepted.idRange)])), text)
                    case .conflict:
                        let stored = try storedRecord(id: record.id, source: record.source)
                        sink(.rejected(RejectedRow(row: accepted.row, errors: [Self.conflictWithStored(
                            record, stored: stored, row: accepted.row, idRange: accepted.idRange, fileName: fileName)])), text)
                    }
                case .checked(let input, .duplicate(let record, let firstRow)):
                    sink(.duplicateInFile(DuplicateRecord(row: input.row, firstRow: firstRow, record: record)), text)
                case .checked(let input, .rejected(let errors)):
                    sink(.rejected(RejectedRow(row: input.row, errors: errors)), text)
                case .unreadable(let row):
                    sink(.rejected(row), text)
                }
                if let error = lookup.error { throw error }
            }
            do {
                try feed(&stream, handle)
            } catch let notUTF8 as RecordFileStream.NotUTF8 {
                throw RecordFile.encodingError(prefix: try prefix(notUTF8.offset), fileName: fileName)
            }
            if let error = lookup.error { throw error }
            return (stream.format ?? .csv, stream.rowsRead, stream.skippedTitles)
        }
    }

    /// E016: the row's id is stored with other content. The message names the fields that differ; the help says what to
    /// do when the row is another record under the same id (two teams' files that number their rows 1, 2, 3: importing
    /// the file under its own source keeps both), and what when it corrects the stored one. Which comes first follows
    /// the difference: another volunteer, day or kind is most likely another record, not a correction.
    static func conflictWithStored(_ record: Record, stored: StoredRecord, row: Int, idRange: SourceRange, fileName: String) -> RecordRowError {
        let fields = RecordDifference.fields(stored.record, record)
        let anotherSource = "import its file under a source of its own: `timebank record import \(fileName) --source NAME`"
        let correction = "a stored record never changes: \(stored.correction.forCorrectedImport)"
        let help: String
        if fields.contains(where: { ["kind", "volunteer", "household", "date"].contains($0.name) }) {
            help = "if this row is another record that happens to have the same id (files that number their rows 1, 2, 3 give "
                + "every team the same ids), \(anotherSource); if it corrects the stored record, \(correction)"
        } else {
            help = "\(correction); if this row is another record that happens to have the same id, \(anotherSource)"
        }
        return RecordRowError(
            .conflictsWithStored, row: row, column: "id", range: idRange,
            message: "record \(record.reference) is stored already with other content ("
                + RecordDifference.summary(fields, firstName: "stored", secondName: "in this row") + ")",
            help: help)
    }

    static let insertRecordSQL = """
        INSERT INTO records(source, id, kind, volunteer, household, category, indicator, service_date, start_time, end_time,
            minutes, period, result, verifier, response_level, rating, tags, station, note, content_sha256, imported_at,
            imported_by, import_file, import_row, status)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')
        ON CONFLICT(source, id) DO NOTHING
        """

    static func recordValues(_ record: Record, digest: String, importedAt: String, actor: String, file: String, row: Int) -> [SQLiteValue] {
        func text(_ value: String?) -> SQLiteValue { value.map(SQLiteValue.text) ?? .null }
        switch record {
        case .service(let service):
            return [.text(service.source), .text(service.id), .text("service"), .text(service.volunteer), .null,
                    .text(service.category), .null, .text(service.date.description), text(service.start?.description),
                    text(service.end?.description), .integer(Int64(service.minutes)), .null, .null, text(service.verifier),
                    text(service.responseLevel?.rawValue), service.rating.map { .integer(Int64($0)) } ?? .null,
                    .text(Self.joinedTags(service.tags)), text(service.station), .text(service.note), .text(digest),
                    .text(importedAt), .text(actor), .text(file), .integer(Int64(row))]
        case .assessment(let assessment):
            return [.text(assessment.source), .text(assessment.id), .text("assessment"), text(assessment.volunteer),
                    text(assessment.household), .null, .text(assessment.indicator), .text(assessment.date.description), .null,
                    .null, .integer(0), .text(assessment.period.label), .text(assessment.result.rawValue), text(assessment.verifier),
                    .null, .null, .text(""), .null, .text(assessment.note), .text(digest), .text(importedAt), .text(actor),
                    .text(file), .integer(Int64(row))]
        }
    }

    /// Tags stored as one text: each tag's length, a colon and the tag (tags may hold any character).
    static func joinedTags(_ tags: [String]) -> String {
        tags.map { "\($0.utf8.count):\($0)" }.joined()
    }

    static func splitTags(_ text: String) -> [String]? {
        var tags: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            guard let colon = rest.firstIndex(of: ":"), let count = Int(rest[..<colon]) else { return nil }
            let bytes = Array(rest[rest.index(after: colon)...].utf8)
            guard bytes.count >= count else { return nil }
            tags.append(String(decoding: bytes[..<count], as: UTF8.self))
            rest = Substring(String(decoding: bytes[count...], as: UTF8.self))
        }
        return tags
    }

    // MARK: Reading

    static let recordColumns = recordContentColumns + """
        ,
        r.imported_at, r.imported_by, r.import_file, r.import_row, r.status, r.decided_at, r.decided_by, r.decision_reason,
        r.approval_verifier,
        s.policy_version, s.account, s.minutes_counted, s.earned, s.award, s.deduction, s.shortfall, s.once_bonuses,
        s.award_entry, s.penalty_entry, s.posted_at, s.posted_by,
        (SELECT ra.sequence FROM entries ra WHERE ra.reverses = s.award_entry),
        (SELECT rp.sequence FROM entries rp WHERE rp.reverses = s.penalty_entry),
        w.withdrawn_at, w.withdrawn_by, w.reason
        """

    /// The tables `recordColumns` reads: a record, its posted score and its withdrawal.
    static let recordTables = """
        records r LEFT JOIN record_scores s ON s.record = r.number LEFT JOIN record_withdrawals w ON w.record = r.number
        """

    /// Stored records that match `query`, in canonical order (service date, start time, id, source).
    public func records(matching query: RecordQuery = RecordQuery()) throws -> [StoredRecord] {
        let (filter, values) = Self.recordFilter(query)
        // Start times are HH:MM, so text order is time order; records without one come first, as in canonical order.
        let latest = query.latest && query.limit != nil
        let direction = latest ? " DESC" : ""
        var sql = """
            SELECT \(Self.recordColumns) FROM \(Self.recordTables) \(filter)
            ORDER BY r.service_date\(direction), coalesce(r.start_time, '')\(direction), CAST(r.id AS BLOB)\(direction), CAST(r.source AS BLOB)\(direction)
            """
        if let limit = query.limit { sql += " LIMIT \(max(0, limit))" }
        let records = try database.statement(sql).bind(values).rows(Self.storedRecord)
        return latest ? records.reversed() : records
    }

    /// How many stored records match `query` (its `limit` left out): what `records(matching:)` would return without one.
    public func recordCount(matching query: RecordQuery = RecordQuery()) throws -> Int {
        let (filter, values) = Self.recordFilter(query)
        return try database.statement("SELECT count(*) FROM \(Self.recordTables) \(filter)").bind(values).first { Int($0.int64(0)) } ?? 0
    }

    /// The WHERE clause of `query` over `recordTables`, and its values.
    private static func recordFilter(_ query: RecordQuery) -> (String, [SQLiteValue]) {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let status = query.status { conditions.append("r.status = ?"); values.append(.text(status.rawValue)) }
        if let volunteer = query.volunteer { conditions.append("r.volunteer = ?"); values.append(.text(volunteer)) }
        if let source = query.source { conditions.append("r.source = ?"); values.append(.text(source)) }
        if let from = query.from { conditions.append("r.service_date >= ?"); values.append(.text(from.description)) }
        if let to = query.to { conditions.append("r.service_date <= ?"); values.append(.text(to.description)) }
        if let posted = query.posted { conditions.append(posted ? "s.record IS NOT NULL" : "s.record IS NULL") }
        // The statuses part the records: an approved record withdrawn since (every entry reversed) counts no more, and is
        // asked for as withdrawn, not found among the approved ones that stand.
        if let withdrawn = query.withdrawn ?? (query.status == .approved ? false : nil) {
            conditions.append(withdrawn ? "(s.record IS NOT NULL AND \(WithdrawnRecordsSQL.withdrawn("s")))"
                                        : "(s.record IS NULL OR \(WithdrawnRecordsSQL.stands("s")))")
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), values)
    }

    /// The stored record with `id` (from `source`, when several sources use the id).
    /// Throws E100 when there is none and E101 when the id is ambiguous.
    public func storedRecord(id: String, source: String? = nil) throws -> StoredRecord {
        var sql = "SELECT \(Self.recordColumns) FROM \(Self.recordTables) WHERE r.id = ?"
        var values: [SQLiteValue] = [.text(id)]
        if let source {
            sql += " AND r.source = ?"
            values.append(.text(source))
        }
        let found = try database.statement(sql + " ORDER BY r.source").bind(values).rows(Self.storedRecord)
        if found.count == 1 { return found[0] }
        if found.count > 1 { throw RecordStoreError.ambiguousRecord(id: id, sources: found.map(\.record.source)) }
        if source != nil {
            let others = try database.statement("SELECT source FROM records WHERE id = ? ORDER BY CAST(source AS BLOB)")
                .bind(.text(id)).rows { $0.text(0) }
            if !others.isEmpty { throw RecordStoreError.noSuchRecord(id: id, source: source, suggestion: nil, otherSources: others) }
        }
        // The did-you-mean every unknown id gets (`Spelling.nearest`): the same id but for case, full width or spaces, else
        // the one near id. Ids only, once each, and only on this error path.
        let near = Spelling.nearest(to: id, among: try database.statement("SELECT DISTINCT id FROM records").rows { $0.text(0) })
        throw RecordStoreError.noSuchRecord(id: id, source: source, suggestion: near, volunteerName: try volunteer(id)?.name)
    }

    /// The columns of a record's content, as the first 20 of `recordColumns`: what scoring reads.
    static let recordContentColumns = """
        r.number, r.source, r.id, r.kind, r.volunteer, r.household, r.category, r.indicator, r.service_date, r.start_time,
        r.end_time, r.minutes, r.period, r.result, r.verifier, r.response_level, r.rating, r.tags, r.station, r.note
        """

    /// The record in columns 0–19 (`recordContentColumns`).
    static func recordContent(_ row: SQLiteStatement) throws -> Record {
        let number = row.int64(0)
        func fail(_ detail: String) -> StoredDataError { StoredDataError(sequence: nil, detail: "record #\(number): \(detail)") }
        guard let date = LocalDate(row.text(8)) else { throw fail("unreadable date") }
        switch row.text(3) {
        case "service":
            guard let tags = splitTags(row.text(17)) else { throw fail("unreadable tags") }
            return .service(ServiceRecord(
                source: row.text(1), id: row.text(2), volunteer: row.optionalText(4) ?? "", category: row.optionalText(6) ?? "",
                date: date, start: row.optionalText(9).flatMap { TimeOfDay(parsing: $0) },
                end: row.optionalText(10).flatMap { TimeOfDay(parsing: $0) }, minutes: Int(row.int64(11)),
                verifier: row.optionalText(14), responseLevel: row.optionalText(15).flatMap { ResponseLevel(rawValue: $0) },
                rating: row.optionalInt64(16).map { Int($0) }, tags: tags, station: row.optionalText(18), note: row.text(19)))
        case "assessment":
            guard let period = row.optionalText(12).flatMap({ ScoringWindow(label: $0) }),
                  let result = row.optionalText(13).flatMap({ AssessmentResult(rawValue: $0) }) else { throw fail("unreadable period or result") }
            return .assessment(Assessment(
                source: row.text(1), id: row.text(2), volunteer: row.optionalText(4), household: row.optionalText(5),
                indicator: row.optionalText(7) ?? "", period: period, result: result, date: date, verifier: row.optionalText(14),
                note: row.text(19)))
        default:
            throw fail("unknown kind \(row.text(3))")
        }
    }

    static func storedRecord(_ row: SQLiteStatement) throws -> StoredRecord {
        let number = row.int64(0)
        func fail(_ detail: String) -> StoredDataError { StoredDataError(sequence: nil, detail: "record #\(number): \(detail)") }
        let record = try recordContent(row)
        guard let importedAt = Timestamp(row.text(20)), let status = StoredRecord.Status(rawValue: row.text(24)) else {
            throw fail("unreadable import time or status")
        }
        var posted: PostedScore?
        if let account = row.optionalText(30) {
            guard let accountID = AccountID(account), let postedAt = Timestamp(row.text(39)) else { throw fail("unreadable posted score") }
            posted = PostedScore(
                policyVersion: row.optionalInt64(29), account: accountID, minutesCounted: Int(row.int64(31)), earned: row.int64(32),
                award: row.int64(33), deduction: row.int64(34), shortfall: row.int64(35),
                onceBonuses: row.text(36).split(separator: ";").map(String.init), awardEntry: row.optionalInt64(37),
                penaltyEntry: row.optionalInt64(38), postedAt: postedAt, postedBy: row.text(40),
                awardReversedBy: row.optionalInt64(41), penaltyReversedBy: row.optionalInt64(42))
        }
        var withdrawal: StoredRecord.Withdrawal?
        if let at = row.optionalText(43) {
            guard let at = Timestamp(at) else { throw fail("unreadable withdrawal time") }
            withdrawal = StoredRecord.Withdrawal(at: at, by: row.text(44), reason: row.text(45))
        }
        return StoredRecord(
            number: number, record: record, status: status, importedAt: importedAt, importedBy: row.text(21),
            importFile: row.text(22), importRow: Int(row.int64(23)), decidedAt: row.optionalText(25).flatMap { Timestamp($0) },
            decidedBy: row.optionalText(26), decisionReason: row.optionalText(27), approvalVerifier: row.optionalText(28),
            posted: posted, withdrawal: withdrawal)
    }

    // MARK: Decisions

    /// What `approveRecords` or `rejectRecords` did with the records named: each named once, in the order named.
    public struct RecordDecisions: Sendable {
        /// The records this call decided.
        public var decided: [StoredRecord]
        /// The records that had this decision already (a retried command): left as they were.
        public var unchanged: [StoredRecord]
    }

    /// Approves pending records, all or none (a record named twice is approved once). A record without a verifier under a
    /// policy that requires one needs `verifier` (E103); a record rejected or withdrawn already is refused (E102), and so is
    /// one the version in force on its date cannot score (E027: none in force, or its category or indicator dropped). A record
    /// approved already is left as it is and not returned: a retried command is safe. Returns the records approved by
    /// this call (`approveRecordsNamingUnchanged` also those left as they were).
    @discardableResult
    public func approveRecords(_ references: [(id: String, source: String?)], actor: String, verifier: String? = nil) throws -> [StoredRecord] {
        try approveRecordsNamingUnchanged(references, actor: actor, verifier: verifier).decided
    }

    /// Whom `verifier` names of those a stored record credits: its volunteer, or a member of the household it assesses (E029).
    func selfVerification(_ verifier: String, of record: Record) throws -> SelfVerification? {
        if let volunteer = record.volunteer {
            return try self.volunteer(volunteer).flatMap { SelfVerification.find(verifier: verifier, volunteer: $0) }
        }
        guard case .assessment(let assessment) = record, let household = assessment.household else { return nil }
        return SelfVerification.find(verifier: verifier, household: household, members: try volunteers(household: household))
    }

    /// Why no stored version can score `record` as it is (none in force on its date, or the one in force, `policy`, lacks its
    /// category or indicator); nil when it can.
    static func unscorable(_ record: Record, by policy: Policy?) -> String? {
        if case .reject(let reason) = RecordAcceptance.decide(.init(record, hasVerifier: true), policy: policy, on: record.date) {
            return reason
        }
        return nil
    }

    /// Why the nightly settlement would reject `record`, not posted yet, instead of scoring it: no version in force on its
    /// date, or the one in force lacks its category or indicator (`approveRecords` refuses it, E027); nil when it can be
    /// scored. `explain` says so beside its preview, which would otherwise read as a record earning nothing.
    public func settlementRejection(of record: Record) throws -> String? {
        let inForce = try policyText(inForceOn: record.date).map { try compiledStoredPolicy($0.record, text: $0.text) }
        return Self.unscorable(record, by: inForce)
    }

    /// `approveRecords`, naming the records approved already as well. `namingEveryProblem`: check every record named before
    /// refusing, and when several cannot be approved throw E028 naming each (`record approve` does; by default the first
    /// refusal is thrown as it is).
    public func approveRecordsNamingUnchanged(_ references: [(id: String, source: String?)], actor: String,
                                             verifier: String? = nil, namingEveryProblem: Bool = false) throws -> RecordDecisions {
        try Self.validateRecordText(actor, field: "actor", maximum: LedgerRules.actorLengthMaximum)
        if let verifier { try Self.validateRecordText(verifier, field: "verifier", maximum: RecordValidator.nameLengthMaximum) }
        let timeline = try storedPolicyTimeline()
        return try writeTransaction {
            var decisions = RecordDecisions(decided: [], unchanged: []), named: Set<Int64> = []
            var problems = RecordDecisionProblems(decision: "approved", named: references.count, gathering: namingEveryProblem)
            for reference in references { try problems.collect(reference.id) {
                let stored = try recordToDecide(reference)
                guard named.insert(stored.number).inserted else { return }     // named twice: approved once
                if stored.isWithdrawn {
                    throw RecordStoreError.alreadyDecided(
                        reference: stored.record.reference, status: "withdrawn",
                        next: (try stored.withdrawal.map { try earlierDecision(at: $0.at, by: $0.by, reason: $0.reason, sameAgain: nil) }
                            ?? "every entry posted for it is reversed, and it counts no more") + Self.countAfterAll)
                }
                // Approved already: the same decision again (a retried command) changes nothing and is not refused.
                if stored.status == .approved {
                    decisions.unchanged.append(stored)
                    return
                }
                guard stored.status == .pending else {
                    throw RecordStoreError.alreadyDecided(
                        reference: stored.record.reference, status: stored.status.rawValue,
                        next: try stored.decidedAt.map {
                            try earlierDecision(at: $0, by: stored.decidedBy ?? "", reason: stored.decisionReason ?? "", sameAgain: nil)
                                + Self.countAfterAll
                        })
                }
                // A record the version in force cannot score would be posted with no points, for good: refused, as the
                // nightly settlement rejects such a pending record (a category dropped or renamed by a new version).
                let inForce = timeline.version(inForceOn: stored.record.date)?.policy
                if let why = Self.unscorable(stored.record, by: inForce) {
                    throw RecordStoreError.cannotBeScored(reference: stored.record.reference, id: stored.record.id, why: why,
                                                          version: inForce?.version)
                }
                let requires = inForce?.earning.requireVerifier ?? true
                if requires, stored.record.verifier == nil, verifier == nil {
                    throw RecordStoreError.verifierRequired(reference: stored.record.reference)
                }
                // The verifier kept with the approval is the one check between the claim and the points: not the person it credits
                // (E029). A record that names its own verifier keeps it, and --verifier is not kept: nothing to check.
                if stored.record.verifier == nil, let verifier,
                   let found = try selfVerification(verifier, of: stored.record) {
                    throw RecordStoreError.verifiedBySelf(reference: stored.record.reference, id: stored.record.id,
                                                          verifier: verifier, found: found)
                }
                try database.statement("""
                    UPDATE records SET status = 'approved', decided_at = ?, decided_by = ?, approval_verifier = ? WHERE number = ?
                    """).bind(.text(clock.now().description), .text(actor),
                              stored.record.verifier == nil ? (verifier.map(SQLiteValue.text) ?? .null) : .null,
                              .integer(stored.number)).run()
                decisions.decided.append(try storedRecord(id: stored.record.id, source: stored.record.source))
            } }
            try problems.throwIfAny()
            return decisions
        }
    }

    /// Rejects pending records with a reason, all or none (a record named twice is rejected once), and withdraws posted
    /// records none of whose entries stands any more (every entry reversed, or none posted), keeping the reason with
    /// them (`record_withdrawals`; the record stays approved and posted, and counts no more: `StoredRecord.isWithdrawn`).
    ///
    /// Refused: a posted record with an entry that stands (E105, naming the reversals that would withdraw it); a
    /// record approved and not posted yet, or rejected or withdrawn by an earlier decision with another reason (E102).
    /// A record rejected or withdrawn already with the same reason is left as it is and not returned (a retried command;
    /// `rejectRecordsNamingUnchanged` also returns those).
    @discardableResult
    public func rejectRecords(_ references: [(id: String, source: String?)], actor: String, reason: String) throws -> [StoredRecord] {
        try rejectRecordsNamingUnchanged(references, actor: actor, reason: reason).decided
    }

    /// `rejectRecords`, naming the records rejected or withdrawn already with the same reason as well. `namingEveryProblem`:
    /// as for `approveRecordsNamingUnchanged` (E028).
    public func rejectRecordsNamingUnchanged(_ references: [(id: String, source: String?)], actor: String,
                                            reason typed: String, namingEveryProblem: Bool = false) throws -> RecordDecisions {
        try rejectRecordsNamingUnchanged(references.map { (id: $0.id, source: $0.source, reason: typed) }, actor: actor,
                                         namingEveryProblem: namingEveryProblem)
    }

    /// `rejectRecords` with a reason of its own for each record (`record reject --file` with a reason column), all or
    /// none. A record named twice with the same reason is rejected once; with two reasons it is refused (E104), since
    /// either would be a guess.
    public func rejectRecordsNamingUnchanged(_ rejections: [(id: String, source: String?, reason: String)], actor: String,
                                            namingEveryProblem: Bool = false) throws -> RecordDecisions {
        try Self.validateRecordText(actor, field: "actor", maximum: LedgerRules.actorLengthMaximum)
        // One reason for all keeps the message it always had; several name the record whose reason is unusable.
        let oneReason = Set(rejections.map(\.reason)).count <= 1
        for rejection in rejections {
            try Self.validateRecordText(rejection.reason, field: oneReason ? "reason" : "reason for \(rejection.id)",
                                        maximum: Self.recordReasonLengthMaximum)
        }
        return try writeTransaction {
            var decisions = RecordDecisions(decided: [], unchanged: []), named: [Int64: String] = [:]
            let now = clock.now().description
            var problems = RecordDecisionProblems(decision: "rejected", named: rejections.count, gathering: namingEveryProblem)
            for rejection in rejections { try problems.collect(rejection.id) {
                let reference = (id: rejection.id, source: rejection.source)
                // Kept without spaces at its ends, so that a retry typed `"重复登记 "` is the same rejection as `"重复登记"`; a
                // reason stored with them before is compared the same way.
                let reason = LedgerRules.trimmingSpaces(rejection.reason)
                func same(_ stored: String?) -> Bool { stored.map(LedgerRules.trimmingSpaces) == reason }
                let stored = try recordToDecide(reference)
                if let first = named[stored.number] {                            // named twice: rejected once
                    guard first == reason else {
                        throw RecordStoreError.invalidText(
                            field: "reason", problem: "of record \(stored.record.reference) is given twice, \"\(first)\" and \"\(reason)\": "
                                + "give it one")
                    }
                    return
                }
                named[stored.number] = reason
                if let posted = stored.posted {
                    if let withdrawal = stored.withdrawal {
                        // The same withdrawal again (a retried command) changes nothing; another reason is refused.
                        if same(withdrawal.reason) {
                            decisions.unchanged.append(stored)
                            return
                        }
                        throw RecordStoreError.alreadyDecided(
                            reference: stored.record.reference, status: "withdrawn",
                            next: try earlierDecision(at: withdrawal.at, by: withdrawal.by, reason: withdrawal.reason, sameAgain: "rejection"))
                    }
                    let standing = posted.reversalOrder
                    guard standing.isEmpty else {
                        throw RecordStoreError.alreadyPosted(
                            reference: stored.record.reference, standing: stored.ledgerStanding,
                            steps: standing.map(stored.reverseCommand).joined(separator: " and "))
                    }
                    try database.statement("INSERT INTO record_withdrawals(record, withdrawn_at, withdrawn_by, reason) VALUES (?, ?, ?, ?)")
                        .bind(.integer(stored.number), .text(now), .text(actor), .text(reason)).run()
                    decisions.decided.append(try storedRecord(id: stored.record.id, source: stored.record.source))
                    return
                }
                // The same rejection again (a retried command) changes nothing; another reason is refused.
                if stored.status == .rejected, same(stored.decisionReason) {
                    decisions.unchanged.append(stored)
                    return
                }
                guard stored.status == .pending else {
                    throw RecordStoreError.alreadyDecided(
                        reference: stored.record.reference, status: stored.status.rawValue,
                        next: stored.status == .approved ? stored.correction.steps
                            : try stored.decidedAt.map {
                                try earlierDecision(at: $0, by: stored.decidedBy ?? "", reason: stored.decisionReason ?? "", sameAgain: "rejection")
                            })
                }
                try database.statement("UPDATE records SET status = 'rejected', decided_at = ?, decided_by = ?, decision_reason = ? WHERE number = ?")
                    .bind(.text(now), .text(actor), .text(reason), .integer(stored.number)).run()
                decisions.decided.append(try storedRecord(id: stored.record.id, source: stored.record.source))
            } }
            try problems.throwIfAny()
            return decisions
        }
    }

    /// The record a decision names: its id (in `source` when given), or, with no `--source`, `SOURCE:ID` as the decisions'
    /// own messages, award memos and `report rejects` write a record (`default:r1`; also its entry's key,
    /// `record:default:r1:award`). Neither a source nor an id holds a colon, so the two cannot be confused. Unlike
    /// `storedRecord(named:)`, an entry number is not read: a decision is a write, and a mistyped number must not decide
    /// the record of some entry.
    func recordToDecide(_ reference: (id: String, source: String?)) throws -> StoredRecord {
        do {
            return try storedRecord(id: reference.id, source: reference.source)
        } catch let error as RecordStoreError {
            guard case .noSuchRecord = error, reference.source == nil, let found = try recordNamedBySourceAndID(reference.id) else {
                throw error
            }
            return found
        }
    }

    /// E102's advice for approving a rejected or withdrawn record: the verifier who finds the rejection wrong is told what
    /// works (the id keeps its decision; its rows, imported again under a new id, are a new record).
    static let countAfterAll = ". If it should count after all, import it again under a new id: a stored record keeps its decision"

    /// `it was decided at 2026-11-07 16:00:00 (UTC+8) by admin, for "重复登记"; the decision stands`: E102's end for a
    /// rejected or withdrawn record approved, or rejected again with another reason. The time is the community's local
    /// time, as receipts and `policy versions` show a stored moment (`communityLocalTime`). `sameAgain`: the decision
    /// that may be sent again unchanged ("rejection"), named in parentheses.
    func earlierDecision(at: Timestamp, by: String, reason: String, sameAgain: String?) throws -> String {
        "it was decided at \(try communityLocalTime(at)) by \(by), for \"\(reason)\"; the decision stands"
            + (sameAgain.map { " (the same \($0) again changes nothing)" } ?? "")
    }

    static func validateRecordText(_ text: String, field: String, maximum: Int) throws {
        if let problem = LedgerRules.lineProblem(text, maximum: maximum) { throw RecordStoreError.invalidText(field: field, problem: problem) }
    }

    // MARK: What records are checked and scored against

    /// Every activated policy version, compiled, as a timeline (the version in force on a day scores it).
    public func storedPolicyTimeline() throws -> PolicyTimeline {
        var versions: [PolicyTimeline.Version] = []
        for record in try policyVersions() {
            // The text is read and its hash checked every time (A007); it is compiled once per process.
            let policy = try compiledStoredPolicy(record, text: try policyText(version: record.number))
            versions.append(.init(label: "#\(record.number)", storedNumber: record.number, policy: policy))
        }
        return PolicyTimeline(versions)
    }

    /// The community's volunteers, households and stations, for record checks and `volunteer.*` facts.
    public func communityDirectory() throws -> CommunityDirectory {
        CommunityDirectory(volunteers: try volunteers(), households: try households(), stations: try stations().map(\.id))
    }
}

extension TimeBankStore {
    /// Runs `body` with the stored records as record checks see them (overlaps, full days, periods assessed: E010,
    /// E024, E026), so that a dry run (`score --db`) rejects what an import would; a storage failure met by a check is
    /// thrown after `body` returns.
    public func withStoredRecordLookup<T>(_ body: (any StoredRecordLookup) throws -> T) throws -> T {
        let lookup = StoreRecordLookup(store: self)
        let result = try body(lookup)
        if let error = lookup.error { throw error }
        return result
    }
}

/// Answers the record checks' questions about stored records: one query per day or period.
final class StoreRecordLookup: StoredRecordLookup {
    let store: TimeBankStore
    /// The first storage failure; the import throws it after reading the file.
    var error: (any Error)?

    init(store: TimeBankStore) {
        self.store = store
    }

    func services(on date: LocalDate) -> [String: [RecordValidator.StoredService]] {
        guard error == nil else { return [:] }
        do {
            var result: [String: [RecordValidator.StoredService]] = [:]
            let rows = try store.database.statement("""
                SELECT volunteer, source, id, start_time, end_time, minutes, category FROM records r
                WHERE service_date = ? AND kind = 'service' AND status <> 'rejected' AND \(WithdrawnRecordsSQL.recordStands("r"))
                """).bind(.text(date.description)).rows { row in
                (row.text(0), RecordValidator.StoredService(
                    reference: row.text(1) + ":" + row.text(2), start: Self.time(row, 3), end: Self.time(row, 4),
                    minutes: Int(row.int64(5)), category: row.text(6)))
            }
            for (volunteer, service) in rows { result[volunteer, default: []].append(service) }
            return result
        } catch {
            self.error = error
            return [:]
        }
    }

    /// How to take the stored record `SOURCE:ID` out of the way (`StoredRecord.correction`), for E010's and E026's help.
    func correctionAdvice(for reference: String) -> String? {
        guard error == nil, let colon = reference.firstIndex(of: ":") else { return nil }
        do {
            return try store.storedRecord(id: String(reference[reference.index(after: colon)...]),
                                          source: String(reference[..<colon])).correction.ifWrong
        } catch {
            // Not stored (a row of this file checked by this validator and not inserted yet): no advice.
            return nil
        }
    }

    func isStored(source: String, id: String) -> Bool {
        guard error == nil else { return false }
        do {
            return try store.database.statement("SELECT 1 FROM records WHERE source = ? AND id = ?")
                .bind(.text(source), .text(id)).first { _ in true } ?? false
        } catch {
            self.error = error
            return false
        }
    }

    /// A stored start or end time: `HH:MM` as the import writes it, read without making a string.
    static func time(_ row: SQLiteStatement, _ column: Int32) -> TimeOfDay? {
        guard !row.isNull(column) else { return nil }
        let bytes = row.rawBytes(column)
        if bytes.count == 5, bytes[2] == UInt8(ascii: ":") {
            let digits = [bytes[0], bytes[1], bytes[3], bytes[4]].map { Int($0) - 48 }
            if digits.allSatisfy({ (0...9).contains($0) }) {
                return TimeOfDay(minutesSinceMidnight: (digits[0] * 10 + digits[1]) * 60 + digits[2] * 10 + digits[3])
            }
        }
        return TimeOfDay(parsing: row.text(column))
    }

    func assessments(in period: ScoringWindow) -> [RecordValidator.AssessmentSlot: String] {
        var result: [RecordValidator.AssessmentSlot: String] = [:]
        for stored in storedAssessments(in: period) {
            result[RecordValidator.AssessmentSlot(target: stored.target, indicator: stored.indicator, period: period)] = stored.reference
        }
        return result
    }

    /// With each one's date, household and, once posted, the account it was posted to (E026 under `earn_to = "household"`).
    func storedAssessments(in period: ScoringWindow) -> [RecordValidator.StoredAssessment] {
        guard error == nil else { return [] }
        do {
            return try store.database.statement("""
                SELECT r.volunteer, r.household, r.indicator, r.source, r.id, r.service_date, s.account FROM records r
                LEFT JOIN record_scores s ON s.record = r.number
                WHERE r.period = ? AND r.kind = 'assessment' AND r.status <> 'rejected' AND \(WithdrawnRecordsSQL.recordStands("r"))
                """).bind(.text(period.label)).rows { row in
                RecordValidator.StoredAssessment(
                    reference: row.text(3) + ":" + row.text(4),
                    target: row.optionalText(0).map { "volunteer:" + $0 } ?? "household:" + (row.optionalText(1) ?? ""),
                    indicator: row.text(2), household: row.optionalText(1), date: LocalDate(row.text(5)),
                    postedAccount: row.optionalText(6))
            }
        } catch {
            self.error = error
            return []
        }
    }
}

/// Inserts the records of an import: pending, keyed by (source, id); a record stored before is told
/// apart from another record under the same id by its content digest.
///
/// This runs once per row of files of millions of rows: the canonical text and the digest are written into
/// buffers kept from row to row, and the digest is bound from its bytes.
final class RecordInserter {
    enum Result {
        case stored
        /// Stored before this import, with the same content.
        case alreadyStored
        /// Stored by this import from an earlier row (`firstRow`), with the same content.
        case duplicateInFile(firstRow: Int)
        /// Stored by this import from an earlier row, with other content.
        case conflictInFile(firstRow: Int)
        /// Stored before this import, with other content.
        case conflict
    }

    let store: TimeBankStore
    let insert: SQLiteStatement
    let existing: SQLiteStatement
    let importedAt: String
    let actor: String
    let file: String
    /// Records numbered from here on were stored by this import (the write lock is held throughout).
    let firstNumber: Int64
    /// The canonical text of the row being inserted (`RecordEncoding`), kept to reuse its memory.
    private var canonicalText: [UInt8] = []
    /// The SHA-256 of the canonical text, and the same in lowercase hex as stored in `content_sha256`.
    private var digest = [UInt8](repeating: 0, count: 32)
    private var digestHex = [UInt8](repeating: 0, count: 64)

    init(store: TimeBankStore, importedAt: String, actor: String, file: String) throws {
        self.store = store
        self.insert = try store.database.statement(TimeBankStore.insertRecordSQL)
        self.existing = try store.database.statement("SELECT content_sha256, number, import_row FROM records WHERE source = ? AND id = ?")
        self.firstNumber = (try store.database.statement("SELECT coalesce(max(number), 0) FROM records").first { $0.int64(0) } ?? 0) + 1
        self.importedAt = importedAt
        self.actor = actor
        self.file = file
    }

    func insert(_ record: Record, row: Int) throws -> Result {
        canonicalText.removeAll(keepingCapacity: true)
        RecordEncoding.appendCanonicalText(of: record, to: &canonicalText)
        canonicalText.withUnsafeBytes { text in digest.withUnsafeMutableBufferPointer { store.hasher.hash(text, into: $0.baseAddress!) } }
        SHA256.writeHex(digest, into: &digestHex)
        // The same values as `TimeBankStore.recordValues`, bound one by one.
        switch record {
        case .service(let service):
            try insert.bind(1, service.source).bind(2, service.id).bind(3, "service").bind(4, service.volunteer).bindNull(5)
                .bind(6, service.category).bindNull(7).bind(8, service.date.description).bind(9, service.start?.description)
                .bind(10, service.end?.description).bind(11, Int64(service.minutes)).bindNull(12).bindNull(13)
                .bind(14, service.verifier).bind(15, service.responseLevel?.rawValue).bind(16, service.rating.map { Int64($0) })
                .bind(17, service.tags.isEmpty ? "" : TimeBankStore.joinedTags(service.tags)).bind(18, service.station)
                .bind(19, service.note)
        case .assessment(let assessment):
            try insert.bind(1, assessment.source).bind(2, assessment.id).bind(3, "assessment").bind(4, assessment.volunteer)
                .bind(5, assessment.household).bindNull(6).bind(7, assessment.indicator).bind(8, assessment.date.description)
                .bindNull(9).bindNull(10).bind(11, Int64(0)).bind(12, assessment.period.label).bind(13, assessment.result.rawValue)
                .bind(14, assessment.verifier).bindNull(15).bindNull(16).bind(17, "").bindNull(18).bind(19, assessment.note)
        }
        try digestHex.withUnsafeBufferPointer { _ = try insert.bind(20, utf8: $0) }
        try insert.bind(21, importedAt).bind(22, actor).bind(23, file).bind(24, Int64(row)).run()
        if store.database.changes == 1 { return .stored }
        guard let stored = try existing.bind(1, record.source).bind(2, record.id)
            .first({ (sameContent: $0.rawBytes(0).elementsEqual(digestHex), number: $0.int64(1), row: Int($0.int64(2))) })
        else { return .conflict }
        if stored.number >= firstNumber {
            return stored.sameContent ? .duplicateInFile(firstRow: stored.row) : .conflictInFile(firstRow: stored.row)
        }
        return stored.sameContent ? .alreadyStored : .conflict
    }
}

/// What a decision (`approveRecords`, `rejectRecords`) could not do, gathered over every record named: the decision is
/// all or none, and a list of 200 ids with three bad ones is put right in one go, not one error per attempt.
struct RecordDecisionProblems {
    /// `approved` or `rejected`.
    let decision: String
    /// How many records were named.
    let named: Int
    /// False: the first refusal is thrown as it is, and the records after it are not checked.
    let gathering: Bool
    private(set) var problems: [RecordStoreError] = []

    /// Runs `body` for one record named, keeping the refusal it throws when gathering (other errors, such as SQLite's,
    /// stop the decision).
    mutating func collect(_ id: String, _ body: () throws -> Void) throws {
        do { try body() } catch let error as RecordStoreError where gathering { problems.append(error) }
    }

    /// One problem: its own error; several: E028, naming each.
    func throwIfAny() throws {
        guard let first = problems.first else { return }
        if problems.count == 1 { throw first }
        throw RecordStoreError.decisionsRefused(decision: decision, named: named, problems: problems)
    }
}
