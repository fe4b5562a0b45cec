import Foundation
import TimeBankCore
import TimeBankStorage

struct RecordImportCommand: Command {
    static let name = "record import"
    static let abstract = "Import service records and assessments (CSV or JSON Lines) as pending records"
    static let help = """
    Usage: timebank record import FILE [--source NAME] [--format csv|jsonl] [--rejects OUT] [--encoding NAME]

    Reads service records and assessments (docs/records.md): CSV with a header row (columns in any order;
    UTF-8 with or without a byte order mark; Chinese column names such as 日期 are understood; a sheet's
    title above the header, a row of one cell such as 太白湖社区十月服务记录, is skipped with a note) or JSON Lines.
    A file that is not UTF-8 is refused whole, naming the encoding it looks like (GB18030 from Chinese
    spreadsheet software) and the --encoding to give. A bad row (unknown volunteer or category, end before
    start, an impossible date, overlapping another record of the volunteer, a missing field) is rejected with
    its row, column and reason; the good rows are stored as pending, all in one transaction.
    Dates are YYYY-MM-DD; a date written year first as a spreadsheet saves it (2026/10/3, 2026年10月3日) is
    read as that day, and a period written 2026年10月 or 2026/10 as that month (docs/records.md).
    Counts always add up: read = stored + duplicates + rejected. A record is known by its source and id:
    importing a file again adds nothing, and a stored id with other content is rejected (E016).
    --source names the source of rows without a source column (default "default").
    --format csv|jsonl says how FILE is written; by default its name says (.csv; .jsonl, .ndjson or .json),
    else its first character ({ starts JSON Lines, anything else is CSV).
    Exits 0 when every row was read, 2 when any row was rejected (the good rows are stored all the same).
    Records dated before their volunteer's day of joining are stored and scored as any other, with a
    WARNING naming them (a day of joining left at its default, the day of `volunteer add`, or a mistyped
    year); in --json, "dated_before_joining" counts them and "dated_before_joining_first" lists up to 20.
    Slips are stored with a WARNING too (reject a wrong one before the nightly settlement accepts it):
    minutes over the policy's max_minutes_per_record (I110: 1200 typed for 120, with what will count and a
    did-you-mean), and the same volunteer, day, category and minutes as another record, one with times and
    the other minutes only (I111: the same service typed twice, both named), and a deduction indicator
    (negative points) assessed broken (I112: 未达标 written for "broke the rule" deducts nothing; met is
    what deducts), and a service of fewer minutes than the policy's min_minutes, which earns nothing (I113:
    2 typed for 2 hours, with a did-you-mean 120), and a service of 0 minutes that no penalty applies to,
    which posts nothing (I114: a no-show whose tag was forgotten, with the penalties and what they read);
    in --json, "minutes_over_counted", "same_service_twice", "deduction_broken", "minutes_below_minimum",
    "zero_minutes_no_penalty" and "warnings" (up to 20 of each).
    The first 1,000 rejected rows are listed; --rejects OUT writes every one of them to OUT, as written
    in FILE (the CSV header first), each with one more column, rejected_because, holding its errors:
    a file to send back to the team leader. The import reads past that column, so once the rows are
    put right, `timebank record import OUT` (with the same --source) stores them; rows still wrong are
    rejected again with their new reasons. OUT is written only when the import went through: it is
    written as OUT.partial-PID and renamed; the next import with --rejects OUT removes such a file that
    an import killed part-way left.
    \(EncodingOption.help)
    The records store FILE's name, and --rejects OUT is written in UTF-8, whatever FILE's encoding.

    Examples:
      timebank record import october.csv
      timebank record import october-from-excel.csv --encoding GB18030
      timebank record import october.csv --rejects october-rejects.csv
      timebank record import app-export.jsonl --source wechat
    """
    static let valueOptions = ["--source", "--format", "--rejects", EncodingOption.name]
    let path: String
    let source: String
    let format: RecordFileFormat?
    let rejectsPath: String?
    let encoding: SourceEncoding

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a record file (CSV or JSON Lines)")
        path = arguments.positionals[0]
        source = try arguments.value("--source") ?? "default"
        format = try ScoringPresentation.format(arguments)
        rejectsPath = try arguments.value("--rejects")
        encoding = try EncodingOption.parse(arguments)
        if let rejectsPath {
            if rejectsPath == path || FileSystem.sameFile(rejectsPath, path) {
                throw UsageError("--rejects \(rejectsPath) is the file being imported; give another name, e.g. rejects.csv")
            }
            if let kind = FileSystem.databaseFileKind(rejectsPath) {
                throw UsageError("--rejects \(rejectsPath) is \(kind); the rejected rows never overwrite one: give another file name")
            }
            if let problem = FileSystem.writeProblem(rejectsPath) { throw UsageError("cannot write --rejects \(rejectsPath): \(problem)") }
        }
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        // Another encoding is read from a UTF-8 copy (in pieces, as the file itself is), and so is a pipe
        // (`<(command)`, /dev/stdin), whose start cannot be read again; messages and the stored records name the file given.
        let readable = encoding == .utf8 && !FileSystem.isPipe(path) ? path
            : try TextConversion.utf8Copy(ofFileAt: path, from: encoding, fileName: path, temporaryFolder: context.environment["TMPDIR"])
        defer { if readable != path { try? FileManager.default.removeItem(atPath: readable) } }
        // Read in pieces: a file of a million rows is never held whole, nor are its stored records.
        let summary: RecordImportSummary
        let rejects = try rejectsPath.map { try RejectsWriter(target: $0, importing: readable, named: path, format: format) }
        defer { rejects?.discard() }
        do {
            summary = try store.importRecords(atPath: readable, fileName: path, format: format, source: source, actor: context.actor,
                                              today: context.today, onRejected: rejects.map { writer in { writer.add($0, text: $1) } })
            try rejects?.commit()
        } catch let error as RecordFileError {
            // A refused header is shown with its lines, which are at the start of the file.
            let start = FileHandle(forReadingAtPath: readable).map { String(decoding: $0.readData(ofLength: 1 << 20), as: UTF8.self) } ?? ""
            return context.report(RenderedFileError(error: error, path: path, text: start))
        } catch let error as RecordFileReadError {
            throw UsageError("cannot read \(path): \(error.reason)")
        }
        if context.json {
            context.output.line(JSON.object([
                ("file", .string(path)), ("format", .string(summary.format.rawValue)), ("read", .integer(summary.rowsRead)),
                ("stored", .integer(summary.storedCount)), ("duplicates", .integer(summary.duplicateCount)),
                ("already_stored", .integer(summary.alreadyStoredCount)),
                ("duplicates_in_file", .integer(summary.duplicatesInFileCount)), ("rejected", .integer(summary.rejectedCount)),
                ("errors", ScoringPresentation.rejectedJSON(summary.rejected)),
                ("dated_before_joining", .integer(summary.datedBeforeJoiningCount)),
                ("dated_before_joining_first", .array(summary.datedBeforeJoining.map {
                    .object([("row", .integer($0.row)), ("id", .string($0.id)), ("volunteer", .string($0.volunteer)),
                             ("date", .string($0.date.description)), ("joined", .string($0.joined.description))])
                })),
            ] + ScoringPresentation.slipCountsJSON(summary.warningCount) + [
                ("warnings", ScoringPresentation.slipsJSON(summary.warnings, source: source)),
                ("skipped_titles", .array(summary.skippedTitles.map { .object([("line", .integer($0.line)), ("text", .string($0.text))]) })),
            ] + (rejects.map { [("rejects_file", JSON.string($0.target))] } ?? [])).rendered())
        } else {
            context.noteSkipped(summary.skippedTitles, in: path)
            ScoringPresentation.printRejected(summary.rejected, path: path, text: summary.rejectedText, context)
            if summary.rejectedCount > summary.rejected.count {
                context.errors.line("(\(summary.rejectedCount) rejected rows in all; the first \(summary.rejected.count) are listed)")
            }
            context.output.line("\(path): read \(plural(summary.rowsRead, "row")): \(summary.storedCount) stored as pending, "
                + "\(summary.duplicateCount) duplicates (\(summary.alreadyStoredCount) stored before, "
                + "\(summary.duplicatesInFileCount) repeated in the file), \(summary.rejectedCount) rejected")
            for line in Self.beforeJoiningWarning(summary, source: source) { context.output.line(line) }
            for line in Self.slipWarnings(summary, source: source) { context.output.line(line) }
            if let rejects {
                context.output.line("wrote \(plural(summary.rejectedCount, "rejected row")) to \(rejects.target)"
                    + (summary.rejectedCount == 0 ? "" : ", each with its errors "
                        + (rejects.format == .csv ? "in the last column, rejected_because" : "under the key rejected_because")
                        + ": put them right, then `timebank record import \(rejects.target)"
                        + (source == "default" ? "" : " --source \(source)") + "`"))
            }
        }
        return summary.rejectedCount == 0 ? ExitCode.done : ExitCode.badInput
    }

    /// The WARNING for records stored now that are dated before their volunteer joined: stored all the same (service
    /// done before the volunteer was entered is real), but a day of joining left at its default (the day of
    /// `volunteer add`) or a mistyped year would otherwise go unseen. No lines when there are none.
    static func beforeJoiningWarning(_ summary: RecordImportSummary, source: String) -> [String] {
        let count = summary.datedBeforeJoiningCount
        guard count > 0, let first = summary.datedBeforeJoining.first else { return [] }
        let shown = summary.datedBeforeJoining.prefix(5)
        var lines = ["WARNING: \(count == 1 ? "1 record" : "\(count) records") stored now \(count == 1 ? "is" : "are") dated before "
                     + "\(count == 1 ? "its" : "their") volunteer joined; stored as pending all the same:"]
        lines += shown.map { "  row \($0.row), \($0.id): \($0.volunteer) on \($0.date), joined \($0.joined)" }
        if count > shown.count { lines.append("  and \(count - shown.count) more") }
        let reference = source == "default" ? first.id : "\(first.id) --source \(source)"
        lines.append("  If a day of joining is wrong (`volunteer add` without --joined takes the day it ran): `timebank volunteer update \(first.volunteer) --joined YYYY-MM-DD --reason TEXT`. If a record's "
                     + "date is wrong: `timebank record reject \(reference) --reason TEXT`, then import it corrected under a new id.")
        return lines
    }
}

extension RecordImportCommand {
    /// The WARNINGs for slips in records stored now (I110: more minutes than the policy counts in one record; I111: the
    /// same service typed twice, once with times and once with minutes only; I112: a deduction indicator assessed broken): stored all the same (a whole day's service
    /// is real, and so are two services of one length), but whoever typed them is told while the records are pending.
    /// No lines when there are none.
    static func slipWarnings(_ summary: RecordImportSummary, source: String) -> [String] {
        var lines: [String] = []
        for code in RecordRowWarning.Code.allCases {
            let count = summary.warningCount(code)
            let listed = summary.warnings.filter { $0.code == code }
            guard count > 0, let first = listed.first else { continue }
            let records = count == 1 ? "1 record stored now" : "\(count) records stored now"
            lines.append(ScoringPresentation.slipHeading(code, records: records, count: count, outcome: "stored as pending all the same"))
            lines += ScoringPresentation.slipLines(listed, count: count, source: source)
            let reference = source == first.record.source ? first.record.id : "\(first.record.id) --source \(first.record.source)"
            let reject = "`timebank record reject \(reference) --reason TEXT`"
            switch code {
            case .minutesOverCounted:
                lines.append("  If the minutes are wrong, reject the record before the nightly settlement accepts it: \(reject), then "
                             + "import it corrected under a new id. A service that really was that long (a whole day's event) needs "
                             + "nothing: it counts as the policy says.")
            case .sameServiceTwice:
                lines.append("  If it is one service, reject one of the two before the nightly settlement accepts it: \(reject). "
                             + "Two services of the same length need nothing.")
            case .deductionBroken:
                lines.append("  If the rule was broken (the deduction was meant), the result is met (达标): reject the record, \(reject) "
                             + "(before or after the nightly settlement: a broken assessment posts nothing), then import it again "
                             + "as met under a new id. An assessment that really found the rule kept needs nothing.")
            case .minutesBelowMinimum:
                lines.append("  If the minutes are wrong (hours typed in the minutes column), reject the record before the nightly "
                             + "settlement accepts it: \(reject), then import it corrected under a new id. A service that really was "
                             + "that short needs nothing: it earns nothing, as the policy says.")
            case .zeroMinutesNoPenalty:
                lines.append("  If the volunteer signed up and did not come, reject the record before the nightly settlement accepts "
                             + "it: \(reject), then import it again under a new id with what the penalty reads (its condition, "
                             + "above; a tag goes in the tags column). A record meant to post nothing needs nothing.")
            }
        }
        return lines
    }
}

struct RecordListCommand: Command {
    static let name = "record list"
    static let readsOnly = true
    static let abstract = "List stored records: pending, approved, rejected, with the points posted"
    static let help = """
    Usage: timebank record list [--status pending|approved|rejected|withdrawn] [--volunteer ID] [--source NAME]
                                [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--limit N]

    Lists stored records in canonical order (service date, start time, id). Points show once posted: what
    the record brings now, so a record whose entries were reversed shows 0.00 (posted 29.00).
    --status approved lists the approved records that stand; a posted record withdrawn since (every
    entry of it reversed) is listed by --status withdrawn only. Its Status reads "approved, posted,
    withdrawn"; in --json "status" stays the decision ("approved") and "withdrawn" is true.
    Without --limit the text shows the latest 1,000 (the last in that order) and says how many earlier
    ones match (a store of some years holds a million records); --limit N shows the latest N, and says
    so when more match; --from/--to find earlier ones. --json lists every match unless --limit is given.

    Examples:
      timebank record list --status pending
      timebank record list --volunteer V0001 --from 2026-10-01 --to 2026-10-31
    """
    static let valueOptions = ["--status", "--volunteer", "--source", "--from", "--to", "--limit"]
    let query: RecordQuery

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "no arguments")
        var query = RecordQuery()
        if let text = try arguments.value("--status") {
            if text == "withdrawn" {
                query.posted = true
                query.withdrawn = true
            } else {
                guard let status = StoredRecord.Status(rawValue: text) else {
                    throw UsageError("--status must be pending, approved, rejected or withdrawn, not \"\(text)\"")
                }
                // `.approved` is the approved records that stand (RecordQuery): one withdrawn since is --status withdrawn.
                query.status = status
            }
        }
        query.volunteer = try arguments.value("--volunteer")
        query.source = try arguments.value("--source")
        (query.from, query.to) = try arguments.dateRange()
        if let text = try arguments.value("--limit") {
            guard let limit = Arguments.wholeNumber(text), limit > 0 else { throw UsageError("--limit must be a whole number above 0") }
            query.limit = limit
        }
        self.query = query
    }

    /// The points a posted record brings now, as its volunteer's balance counts them: `12.00`, or for a record whose
    /// entries were reversed what stands and what was posted, `0.00 (posted 29.00)`, so that the column adds up to
    /// the passbook's and a withdrawn record's points are not read as standing.
    static func points(_ posted: PostedScore) -> String {
        let standing = posted.standingNet
        guard standing != posted.net else { return Hundredths.format(posted.net) }
        return "\(Hundredths.format(standing)) (posted \(Hundredths.format(posted.net)))"
    }

    /// The records the text shows when no --limit is given.
    static let shownByDefault = 1_000

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        // A mistyped id would list no records, as if the volunteer had none: C003 with the near id, as `volunteer show`.
        if let volunteer = query.volunteer { try AccountReference.requireMember(volunteer, kind: .volunteer, in: store) }
        // The text shows the latest and reads one record before them, to say how many earlier ones match (with --limit too:
        // "3 records" for the latest 3 of 1,200 would read as all there are).
        var shown = query
        shown.latest = true
        let shownMaximum = query.limit ?? Self.shownByDefault
        if !context.json { shown.limit = shownMaximum + 1 }
        var records = try store.records(matching: shown)
        var more = 0
        if !context.json, records.count > shownMaximum {
            records.removeFirst()
            more = try store.recordCount(matching: query) - records.count   // the count reads no limit
        }
        if context.json {
            context.output.line(JSON.array(records.map { RecordJSON.stored($0) }).rendered())
            return ExitCode.done
        }
        // The points column is headed as the policies in force on the posted records' dates name them (积分), `Points`
        // when they differ; with none posted, as today's policy does.
        var units = Set(Set(records.filter { $0.posted != nil }.map(\.record.date)).map { store.pointsHeading(on: $0) })
        if units.isEmpty { units = [store.pointsHeading(on: context.today)] }
        var table = TextTable([("Record", .left), ("Date", .left), ("Time", .left), ("Volunteer", .left), ("Category", .left),
                               ("Minutes", .right), ("Verifier", .left), ("Status", .left),
                               (units.count == 1 ? units.first! : PointsUnit.heading, .right)])
        for stored in records {
            let record = stored.record
            let minutes: String = { if case .service(let service) = record { return String(service.minutes) } else { return "" } }()
            let who: String = {
                if case .assessment(let assessment) = record, assessment.volunteer == nil { return "household:" + (assessment.household ?? "") }
                return record.volunteer ?? ""
            }()
            table.add([ScoringPresentation.name(record), record.date.description, ScoringPresentation.time(record), who,
                       ScoringPresentation.subject(record), minutes, record.verifier ?? stored.approvalVerifier ?? "",
                       RecordJSON.status(stored),
                       stored.posted.map(Self.points) ?? ""])
        }
        context.output.write(table.rendered())
        if more > 0 {
            context.output.line("the latest \(records.count) record\(records.count == 1 ? "" : "s"); \(more) earlier \(more == 1 ? "matches" : "match"): give "
                                + (query.limit == nil ? "--limit N" : "a larger --limit") + " to see more, or narrow the "
                                + "list with --from/--to, --volunteer or --status")
        } else {
            var withdrawn = query
            withdrawn.withdrawn = true
            withdrawn.posted = true
            let leftOut = query.status == .approved ? try store.recordCount(matching: withdrawn) : 0
            context.output.line("\(records.count) record\(records.count == 1 ? "" : "s")"
                + (leftOut > 0 ? "; \(leftOut) approved and withdrawn since \(leftOut == 1 ? "is" : "are") not listed: --status withdrawn" : ""))
        }
        return ExitCode.done
    }
}

struct RecordShowCommand: Command {
    static let name = "record show"
    static let readsOnly = true
    static let abstract = "Show one stored record: its fields, where it came from, the decision and the points"
    static let help = """
    Usage: timebank record show ID [--source NAME]

    --source is needed only when several sources use the same id. ID may also be written SOURCE:ID
    (default:r-2026-10-03-001, as an award's memo shows it) or be the number of the entry that posted the
    record's points or reversed them (3088, #3088), as a passbook line shows it.

    Examples:
      timebank record show r-2026-10-03-001
      timebank record show '#3088'
    """
    static let valueOptions = ["--source"]
    let id: String
    let source: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a record id")
        id = arguments.positionals[0]
        source = try arguments.value("--source")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let stored = try context.openStore().storedRecord(named: id, source: source)
        if context.json {
            context.output.line(RecordJSON.stored(stored).rendered())
            return ExitCode.done
        }
        for (name, value) in RecordJSON.fields(stored, time: context.localTime) where !value.isEmpty {
            // A note over several lines stays under its column.
            context.output.line(padded(name, toWidth: 16) + value.replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: 16)))
        }
        return ExitCode.done
    }
}

struct RecordApproveCommand: Command {
    static let name = "record approve"
    static let abstract = "Approve pending records so the nightly settlement scores and posts them"
    static let help = """
    Usage: timebank record approve ID... [--file FILE] [--source NAME] [--verifier NAME]

    Approves pending records, all or none. Under a policy that requires a verifier (核实人), a record
    that names none needs --verifier, somebody other than the record's own volunteer (or a member of the
    household it assesses: E029, nothing approved). A record rejected already is refused (E102), and so is one that the
    policy version in force on its date cannot score, as a version that dropped its category (E027): it
    would be posted with no points. A record approved already is left as it is and named as such:
    sending the same command again is safe. Past 20 records the line names the first 20 and counts the
    rest (`record list --status approved` lists them). With --json, each record named is listed with
    "decided_now": true when approved now, false when it was approved already and left as it was, and
    "verifier_not_kept": the --verifier given when the record stands with another verifier (the one
    it names, or the one it was first approved with), else null.

    \(RecordReferenceList.idHelp)

    \(RecordReferenceList.fileHelp)

    Examples:
      timebank record approve r1 r2 r3
      timebank record approve r4 --verifier 张主任
      timebank record approve --file checked-by-zhang.txt --verifier 张主任
    """
    static let valueOptions = ["--source", "--verifier", "--file"]
    let references: [(id: String, source: String?)]
    /// Where `--file` names each record, for a refusal.
    let places: [String: String]
    let verifier: String?

    init(_ arguments: Arguments) throws {
        (references, places) = try RecordReferenceList.references(arguments, source: try arguments.value("--source"))
        verifier = try arguments.value("--verifier")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let decisions: TimeBankStore.RecordDecisions
        do {
            decisions = try store.approveRecordsNamingUnchanged(references, actor: context.actor, verifier: verifier,
                                                                 namingEveryProblem: true)
        } catch let error as RecordStoreError {
            return RecordDecisionRetries.refused(error, named: references.count, verb: "approved", places: places, context)
        }
        let approved = decisions.decided, already = decisions.unchanged
        if context.json {
            context.output.line(RecordJSON.approvals(decided: approved, unchanged: already, verifier: verifier).rendered())
        } else {
            if !approved.isEmpty || already.isEmpty {
                context.output.line("Approved \(approved.count) record\(approved.count == 1 ? "" : "s")"
                    + (approved.isEmpty ? "" : ": " + RecordDecisionRetries.named(approved.map { ScoringPresentation.name($0.record) },
                                                                                  status: "approved")))
            }
            RecordDecisionRetries.write(already, verb: "approved", verifier: verifier, context)
        }
        return ExitCode.done
    }
}

struct RecordRejectCommand: Command {
    static let name = "record reject"
    static let abstract = "Reject pending records, or withdraw posted ones whose entries are reversed, with a reason"
    static let help = """
    Usage: timebank record reject ID... [--file FILE] --reason TEXT [--source NAME]
           timebank record reject --file FILE [--reason TEXT] [--source NAME]   (FILE with a reason column)

    Rejects pending records, all or none, and keeps the reason with them (records are never deleted).

    A posted record is corrected in the ledger: reversing every entry posted for it (its award and its
    penalty; `record show` names them) withdraws it, and it counts no more (overlaps, caps, once-only
    bonuses, levels, rankings, reports of hours). Rejecting it then keeps the reason with it, and is the
    only way to withdraw a posted record that has no entry at all (its points came to 0.00). Rejecting a
    posted record with an entry that stands is refused (E105) with the reverse commands that would
    withdraw it. A record approved and not posted yet cannot be rejected (E102): it is posted first.
    A record rejected or withdrawn already with the same reason is left as it is and named as such
    (sending the same command again is safe); with another reason it is refused (E102). With --json,
    each record named is listed with "decided_now": false when it was left as it was.

    \(RecordReferenceList.idHelp)

    \(RecordReferenceList.rejectFileHelp)

    Examples:
      timebank record reject r9 --reason "重复登记: 与 r8 为同一次服务"
      timebank reverse 17 --key withdraw-r1-award --reason "时长登记错误"
      timebank record reject r1 --reason "时长登记错误: 更正为 r1b"
      timebank record reject --file october-checked.csv    # id,reason: 重复登记 for one, 未核实 for another
    """
    static let valueOptions = ["--source", "--reason", "--file"]
    let references: [(id: String, source: String?, reason: String)]
    /// Where `--file` names each record, for a refusal.
    let places: [String: String]

    init(_ arguments: Arguments) throws {
        (references, places) = try RecordReferenceList.rejections(arguments, source: try arguments.value("--source"),
                                                                  reason: try arguments.value("--reason"))
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let decisions: TimeBankStore.RecordDecisions
        do {
            decisions = try store.rejectRecordsNamingUnchanged(references, actor: context.actor, namingEveryProblem: true)
        } catch let error as RecordStoreError {
            return RecordDecisionRetries.refused(error, named: references.count, verb: "rejected", places: places, context)
        }
        let rejected = decisions.decided, already = decisions.unchanged
        if context.json {
            context.output.line(RecordJSON.decisions(decided: rejected, unchanged: already).rendered())
        } else {
            RecordDecisionRetries.write(already.filter { $0.posted == nil }, verb: "rejected", context)
            RecordDecisionRetries.write(already.filter { $0.posted != nil }, verb: "withdrawn", context)
            let withdrawn = rejected.filter { $0.posted != nil }, refused = rejected.filter { $0.posted == nil }
            // Records rejected for different reasons (a file with a reason column) are named each with its own.
            let reasons = references.count > 1 && Set(references.map { LedgerRules.trimmingSpaces($0.reason) }).count > 1
            func reason(_ stored: StoredRecord) -> String {
                guard reasons, let kept = stored.withdrawal?.reason ?? stored.decisionReason else { return "" }
                return " (\(kept))"
            }
            if !refused.isEmpty {
                context.output.line("Rejected \(refused.count) record\(refused.count == 1 ? "" : "s"): "
                    + RecordDecisionRetries.named(refused.map { ScoringPresentation.name($0.record) + reason($0) }, status: "rejected"))
            }
            if !withdrawn.isEmpty {
                context.output.line("Withdrew \(withdrawn.count) posted record\(withdrawn.count == 1 ? "" : "s"): "
                    + RecordDecisionRetries.named(withdrawn.map { ScoringPresentation.name($0.record) + reason($0) + RecordJSON.reversals($0) },
                                                  status: "withdrawn")
                    + "; \(withdrawn.count == 1 ? "it counts" : "they count") no more, and a correction is imported under a new id")
            }
        }
        return ExitCode.done
    }
}

/// Stored records as JSON and as name/value lines.
enum RecordJSON {
    /// `time` words a stored moment: the community's local time for the text of `record show`, the stored UTC time
    /// (the default) for the JSON lines kept for programs.
    static func fields(_ stored: StoredRecord, time: (Timestamp) -> String = { $0.description }) -> [(String, String)] {
        let record = stored.record
        var fields: [(String, String)] = [("source", record.source), ("id", record.id)]
        switch record {
        case .service(let service):
            fields += [("kind", "service"), ("volunteer", service.volunteer), ("category", service.category),
                       ("date", service.date.description), ("start", service.start?.description ?? ""),
                       ("end", service.end?.description ?? ""), ("minutes", String(service.minutes)),
                       ("verifier", service.verifier ?? ""), ("response_level", service.responseLevel?.rawValue ?? ""),
                       ("rating", service.rating.map(String.init) ?? ""), ("tags", service.tags.joined(separator: ";")),
                       ("station", service.station ?? ""), ("note", service.note)]
        case .assessment(let assessment):
            fields += [("kind", "assessment"), ("volunteer", assessment.volunteer ?? ""), ("household", assessment.household ?? ""),
                       ("indicator", assessment.indicator), ("period", assessment.period.label),
                       ("result", assessment.result.rawValue), ("date", assessment.date.description),
                       ("verifier", assessment.verifier ?? ""), ("note", assessment.note)]
        }
        fields += [("status", status(stored)),
                   ("imported", "\(time(stored.importedAt)) by \(stored.importedBy) from \(stored.importFile) row \(stored.importRow)"),
                   ("decided", stored.decidedAt.map { "\(time($0)) by \(stored.decidedBy ?? "")" } ?? ""),
                   ("reason", stored.decisionReason ?? ""), ("approval_verifier", stored.approvalVerifier ?? "")]
        if let posted = stored.posted {
            fields += [("posted", "\(time(posted.postedAt)) by \(posted.postedBy)" + (posted.policyVersion.map { " under policy version #\($0)" } ?? "")),
                       ("account", posted.account.description),
                       ("points", "\(Hundredths.format(posted.net)) (earned \(Hundredths.format(posted.earned)), capped "
                        + "\(Hundredths.format(posted.capped)), taken \(Hundredths.format(posted.deduction)), shortfall "
                        + "\(Hundredths.format(posted.shortfall)))"),
                       ("entries", posted.entries.map { "\($0.kind.rawValue) #\($0.sequence)" + ($0.reversedBy.map { " reversed by #\($0)" } ?? "") }
                        .joined(separator: ", "))]
            if stored.isWithdrawn {
                fields.append(("withdrawn", stored.withdrawal.map { "\(time($0.at)) by \($0.by): \($0.reason)" }
                    ?? "every entry reversed: it counts no more (overlaps, caps, bonuses, levels, rankings, reports of hours)"))
            } else if !posted.standingEntries.isEmpty && posted.standingEntries.count < posted.entries.count {
                fields.append(("withdrawn", "no: " + stored.ledgerStanding + "; reverse it too to withdraw the record"))
            }
        }
        return fields
    }

    /// `pending`, `approved, posted`, `approved, posted, withdrawn`.
    static func status(_ stored: StoredRecord) -> String {
        stored.status.rawValue + (stored.posted != nil ? ", posted" : "") + (stored.isWithdrawn ? ", withdrawn" : "")
    }

    /// ` (award #1 reversed by #2)`, or nothing for a record without entries.
    static func reversals(_ stored: StoredRecord) -> String {
        let entries = stored.posted?.entries ?? []
        return entries.isEmpty ? "" : " (" + entries.map { "\($0.kind.rawValue) #\($0.sequence) reversed by #\($0.reversedBy ?? 0)" }
            .joined(separator: ", ") + ")"
    }

    /// `record approve` and `record reject` with `--json`: the records decided now, then those that had the decision
    /// already and were left as they were (a command sent again), each with `decided_now` saying which it is.
    /// `extra`: members added to each record after `decided_now`.
    static func decisions(decided: [StoredRecord], unchanged: [StoredRecord],
                          extra: (StoredRecord) -> [(String, JSON)] = { _ in [] }) -> JSON {
        .array(decided.map { stored($0, decidedNow: true, extra: extra($0)) } + unchanged.map { stored($0, decidedNow: false, extra: extra($0)) })
    }

    /// `record approve --json`: `decisions(decided:unchanged:)` with `verifier_not_kept` on each record, the `--verifier`
    /// given when the record stands with another one (a retry with another verifier keeps the first), else null.
    static func approvals(decided: [StoredRecord], unchanged: [StoredRecord], verifier: String?) -> JSON {
        decisions(decided: decided, unchanged: unchanged) { record in
            [("verifier_not_kept", .optional(RecordDecisionRetries.verifierNotKept(record, given: verifier)))]
        }
    }

    /// A stored record's members; `decidedNow`, for a decision's output, adds `decided_now` (false: left as it was), then
    /// `extra`.
    static func stored(_ stored: StoredRecord, decidedNow: Bool? = nil, extra: [(String, JSON)] = []) -> JSON {
        var members: [(String, JSON)] = fields(stored).map { name, value in
            if value.isEmpty { return (name, .null) }
            if name == "status" { return (name, .string(stored.status.rawValue)) }   // the decision; `withdrawn` is its own member
            return (name, ["minutes", "rating"].contains(name) ? .number(value) : .string(value))
        }
        // The lines `imported`, `decided` and `posted` (kept for the programs that read them) as members of their own.
        members += [("imported_at", .string(stored.importedAt.description)), ("imported_by", .string(stored.importedBy)),
                    ("import_file", .string(stored.importFile)), ("import_row", .integer(Int64(stored.importRow))),
                    ("decided_at", .optional(stored.decidedAt?.description)), ("decided_by", .optional(stored.decidedBy)),
                    ("posted_at", .optional(stored.posted?.postedAt.description)), ("posted_by", .optional(stored.posted?.postedBy)),
                    ("policy_version", stored.posted?.policyVersion.map { .integer(Int64($0)) } ?? .null)]
        if let posted = stored.posted {
            members.removeAll { ["points", "entries"].contains($0.0) }
            members.removeAll { $0.0 == "withdrawn" }
            members += [("earned", .amount(posted.earned)), ("award", .amount(posted.award)), ("capped", .amount(posted.capped)),
                        ("taken", .amount(posted.deduction)), ("shortfall", .amount(posted.shortfall)),
                        ("points", .amount(posted.net)), ("award_entry", posted.awardEntry.map { .integer($0) } ?? .null),
                        ("award_reversed_by", posted.awardReversedBy.map { .integer($0) } ?? .null),
                        ("penalty_entry", posted.penaltyEntry.map { .integer($0) } ?? .null),
                        ("penalty_reversed_by", posted.penaltyReversedBy.map { .integer($0) } ?? .null),
                        ("withdrawn", .bool(stored.isWithdrawn)),
                        ("withdrawal", stored.withdrawal.map { .object([("at", .string($0.at.description)), ("by", .string($0.by)),
                                                                         ("reason", .string($0.reason))]) } ?? .null)]
        }
        if let decidedNow { members.append(("decided_now", .bool(decidedNow))) }
        return .object(members + extra)
    }
}

extension StoredRecord {
    /// The verifier the record stands with: the one it names, else the one it was approved with.
    var verifierKept: String? { record.verifier ?? approvalVerifier }
}

/// A decision sent again (a retried `record approve` or `record reject`): the records the store left as they were,
/// because they had that decision already (`RecordDecisions.unchanged`).
enum RecordDecisionRetries {
    /// A decision refused: the error, and when one of several records named stopped it, that none was decided (the
    /// decision is all or none; an operator who sees one id refused would otherwise take the others for done).
    /// `places`: where `--file` names each record (`RecordReferenceList.places`), said before each refusal of one.
    static func refused(_ error: RecordStoreError, named: Int, verb: String, places: [String: String] = [:], _ context: CommandContext) -> Int32 {
        let exit = TimeBankCLI.fail(places.isEmpty ? error : RecordReferenceList.PlacedRefusal(error, places: places), context)
        switch error {
        case .invalidText, .decisionsRefused: break   // names no record, or says so itself
        default:
            if named > 1, !context.json {
                context.errors.line("None of the \(named) records named was \(verb) (a decision is all or none): leave that one out "
                                    + "or put it right, then send the command again.")
            }
        }
        return exit
    }

    /// `r3 was approved already (2026-11-07 16:00:00 (UTC+8) by admin): left as it was`.
    /// `verifier`: the --verifier of a retried approval; when the record was approved with another one, the line says
    /// which stands, so a verifier typed differently the second time is not taken for kept.
    static func write(_ records: [StoredRecord], verb: String, verifier: String? = nil, _ context: CommandContext) {
        // A file of thousands sent again: the first `namedMaximum` each on a line, the rest counted.
        let rest = records.dropFirst(namedMaximum)
        defer {
            if !rest.isEmpty {
                let others = rest.filter { verifierNotKept($0, given: verifier) != nil }.count
                context.output.line("… and \(rest.count) more were \(verb) already: left as they were"
                    + (others == 0 ? "" : "; \(others) of them stand with another verifier, not --verifier \(verifier ?? "")"))
            }
        }
        for stored in records.prefix(namedMaximum) {
            let when = verb == "withdrawn" ? stored.withdrawal.map { ($0.at, $0.by) } : stored.decidedAt.map { ($0, stored.decidedBy ?? "") }
            let otherVerifier = verifierNotKept(stored, given: verifier)
                .map { ", with the verifier \(stored.verifierKept ?? ""); --verifier \($0) was not kept" } ?? ""
            context.output.line("\(ScoringPresentation.name(stored.record)) was \(verb) already"
                + (when.map { " (\(context.localTime($0.0)) by \($0.1))" } ?? "") + ": left as it was" + otherVerifier)
        }
    }

    /// How many records a decision's line names; the rest are counted (a file of thousands is one long line otherwise).
    static let namedMaximum = 20

    /// `r1, r2, r3`, or the first `namedMaximum` and `and 5 more (timebank record list --status approved lists them)`.
    static func named(_ names: [String], status: String) -> String {
        guard names.count > namedMaximum else { return names.joined(separator: ", ") }
        return names.prefix(namedMaximum).joined(separator: ", ")
            + " and \(names.count - namedMaximum) more (timebank record list --status \(status) lists them)"
    }

    /// The `--verifier` given to an approval when the record stands with another verifier (`StoredRecord.verifierKept`),
    /// nil when it was kept, none was given, or the record has none.
    static func verifierNotKept(_ stored: StoredRecord, given: String?) -> String? {
        guard let given, let kept = stored.verifierKept, kept != given else { return nil }
        return given
    }
}

/// Writes `record import --rejects`: every rejected row as written in the imported file, with its errors added
/// (`RecordRejectsFile`), into a temporary file beside the target, moved into place by `commit` once the import went
/// through (a file refused whole leaves no rejects file, and an older one stays as it was).
final class RejectsWriter {
    let target: String
    let format: RecordFileFormat
    private let temporary: String
    private let handle: FileHandle
    /// The header's field count when it ends with `rejected_because` already (a rejects file imported again).
    private var replacingFieldOf: Int?
    private var failure: String?
    private var committed = false

    /// `path` is the file read (a UTF-8 copy of one in another encoding), `name` the file the user gave.
    init(target: String, importing path: String, named name: String, format: RecordFileFormat?) throws {
        self.target = target
        let head = FileHandle(forReadingAtPath: path).map { [UInt8]($0.readData(ofLength: 1 << 16)) } ?? []
        self.format = format ?? RecordFileFormat.guess(fileName: name, bytes: head)
        // OUT.partial-PID, as a backup's copy is named: one left by an import killed part-way (its process gone) is removed here.
        Self.removeAbandonedPartials(of: target)
        temporary = target + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw UsageError("cannot write --rejects \(target): the file \(temporary) could not be created beside it")
        }
        self.handle = handle
        // The CSV header: the first row that is not blank (nor only commas), as the import reads it, with the column added.
        if let header = CSVReader.parse(head).rows.first(where: { !$0.isBlank }),
           let first = RecordRejectsFile.header(header.fields, format: self.format) {
            replacingFieldOf = first.replacingFieldOf
            // Opened in a spreadsheet to be put right: the byte order mark keeps its Chinese readable.
            write(ReportTable.csvFileByteOrderMark + first.line)
        }
    }

    /// Removes `TARGET.partial-PID` files whose process no longer runs: what imports killed part-way left. A file of a
    /// process still running (another import writing the same OUT) is left alone.
    static func removeAbandonedPartials(of target: String) {
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + ".partial-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    /// One rejected row, in file order.
    func add(_ row: RejectedRow, text: String) {
        write(RecordRejectsFile.line(text, row: row, format: format, replacingFieldOf: replacingFieldOf))
    }

    /// Lines wait here and go to the file in pieces: one write per line would be a system call per rejected row.
    private var pending = Data()

    private func write(_ line: String) {
        pending.append(contentsOf: Array(line.utf8))
        pending.append(UInt8(ascii: "\n"))
        if pending.count >= 1 << 16 { flush() }
    }

    private func flush() {
        guard failure == nil, !pending.isEmpty else { return }
        do { try handle.write(contentsOf: pending) } catch { failure = "\(error.localizedDescription)" }
        pending.removeAll(keepingCapacity: true)
    }

    /// Moves the file into place, replacing an older one in one step (rename(2)).
    func commit() throws {
        flush()
        try? handle.close()
        if let failure { throw UsageError("cannot write --rejects \(target): \(failure)") }
        guard rename(temporary, target) == 0 else {
            throw UsageError("cannot write --rejects \(target): \(OSErrorText.describe(errno))")
        }
        committed = true
    }

    /// Removes the temporary file unless it was moved into place.
    func discard() {
        guard !committed else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporary)
    }
}
