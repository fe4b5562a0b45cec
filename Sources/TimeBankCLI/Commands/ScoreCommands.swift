import TimeBankCore
import TimeBankStorage

struct ScoreCommand: Command {
    static let name = "score"
    static let abstract = "Score a file of records by a policy, without posting anything (a dry run)"
    static let help = """
    Usage: timebank score --policy FILE[,FILE...] RECORDS [--explain] [--format csv|jsonl]
                          [--volunteers FILE.csv] [--households FILE.csv] [--encoding NAME]
           timebank --db PATH score [--policy FILE[,FILE...]] RECORDS [--explain]

    Scores every record of RECORDS (docs/records.md) as docs/scoring.md describes and prints a line per
    record (earned, capped, taken by penalties, points), then totals per account and per category.
    Nothing is written anywhere. Each record is scored by the policy version in force on its date; give
    several versions as --policy v1.toml,v2.toml. --explain prints each record's explanation step by step:
    the rule, what it did, its effect and the points after it.
    Without a database the history is empty: caps count only the records of the file, and balances start
    at 0. With --db, caps and once-only bonuses count the points already posted, penalties see the real
    balances, volunteers and households come from the database, and without --policy the activated
    versions apply; records of the file that the database has posted already are left out and named
    (their points are in that history). Only an explicit --db does this: $TIMEBANK_DB alone leaves a score a dry run, so that
    a policy draft is never scored against the live store by accident. --volunteers and --households (the
    CSV files of `volunteer import`) give volunteer facts such as households to a run without a database,
    and the names a verifier is compared with (E029: a record verified by its own volunteer; without them it is not checked);
    without either, a file with volunteers' records and a policy that earns to households (earn_to =
    "household") gets a note on standard error: each is scored to its volunteer's own account, whose caps count it.
    A record without a verifier, under a version that requires one and accepts records on its own
    (auto_accept_after_days), is scored as the night that accepts it will score it, imported today; a
    line names them and that night (--json: "auto_accepted", each id with its "auto_accept_on").
    Rows that cannot be read are listed with their row and column (exit 2); the others are still scored.
    The slips `record import` warns of are named under the totals, as it names them (the rows are scored
    all the same): minutes over the policy's max_minutes_per_record (I110) and the same service typed
    twice, once with times and once with minutes only (I111; with --db, against the stored records too),
    a deduction indicator assessed broken, which deducts nothing (I112), and a service of fewer minutes
    than the policy's min_minutes, which earns nothing (I113), and a service of 0 minutes that no penalty
    applies to, which posts nothing (I114); in --json, "minutes_over_counted", "same_service_twice",
    "deduction_broken", "minutes_below_minimum", "zero_minutes_no_penalty" and "warnings" (every one).
    The same input always prints the same output, byte for byte.
    --format csv|jsonl says how RECORDS is written; by default its name says (.csv; .jsonl, .ndjson or .json),
    else its first character ({ starts JSON Lines, anything else is CSV).
    --encoding NAME reads RECORDS (and --volunteers, --households) saved in another encoding, such as
    GB18030 (also GBK), converting them to UTF-8 first; `timebank help record import` lists the names.

    Examples:
      timebank score --policy config/policy.toml october.csv --explain
      timebank --db community.sqlite score october.csv
    """
    static let valueOptions = ["--policy", "--format", "--volunteers", "--households", EncodingOption.name]
    static let flagOptions = ["--explain"]
    let policyPaths: [String]
    let recordsPath: String
    let explain: Bool
    let format: RecordFileFormat?
    let encoding: SourceEncoding
    let volunteersPath: String?
    let householdsPath: String?

    init(_ arguments: Arguments) throws {
        try arguments.refusePolicyAsPositional(positionals: "the records to score")
        try arguments.expectPositionals(1...1, "a record file (CSV or JSON Lines)")
        recordsPath = arguments.positionals[0]
        policyPaths = try arguments.value("--policy").map { $0.split(separator: ",").map(String.init) } ?? []
        explain = arguments.flag("--explain")
        format = try ScoringPresentation.format(arguments)
        encoding = try EncodingOption.parse(arguments)
        volunteersPath = try arguments.value("--volunteers")
        householdsPath = try arguments.value("--households")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = context.databasePathGiven ? try context.openStore() : nil
        if store == nil, policyPaths.isEmpty {
            throw UsageError("give the policy with --policy FILE (or --db PATH to use the activated versions; $TIMEBANK_DB alone is not used by score)")
        }
        let stations = try store?.stations().map(\.id)
        let timeline = policyPaths.isEmpty ? try store!.storedPolicyTimeline()
            : PolicyTimeline(try policyPaths.map { try ScoringPresentation.loadPolicy($0, context: context, stations: stations) })
        if timeline.versions.isEmpty { throw PolicyStoreError.noPolicyInForce(date: context.today, firstEffective: nil) }
        let community = try store?.communityDirectory() ?? communityFromFiles()
        var validation = RecordValidator.Context(policies: timeline, community: community)
        validation.requiresPolicyInForce = false
        validation.history = store.map { StoreScoringHistory(store: $0) }
        let contents: RecordFileContents
        do {
            if let store {
                // Checked against the stored records as an import checks them: a row that overlaps a stored record
                // (E010), fills a day past 24 hours (E024) or assesses a period twice (E026) is rejected, not scored.
                contents = try store.withStoredRecordLookup { lookup in
                    validation.stored = lookup
                    return try ScoringPresentation.readRecords(recordsPath, format: format, encoding: encoding, context: validation, context)
                }
            } else {
                contents = try ScoringPresentation.readRecords(recordsPath, format: format, encoding: encoding, context: validation, context)
            }
        } catch let error as RenderedFileError {
            return context.report(error)
        }
        // Earned to households, but no volunteer of the file is known to belong to one: each of their records is scored to
        // the volunteer's own account, with that account's caps, which the night would not do. Said, not left to be noticed
        // in the totals (a household's own assessments need no volunteer and no note).
        if community == nil, timeline.versions.contains(where: { $0.policy.accounts.earnTo == .household }),
           contents.records.contains(where: { $0.volunteer != nil }) {
            context.errors.line("note: the policy earns to households (earn_to = \"household\"), but without --db or --volunteers no "
                                + "volunteer is known to belong to one: each record is scored to its volunteer's own account, and the caps "
                                + "count that account; give --volunteers FILE.csv (and --households FILE.csv), or --db, to score as the night does")
        }
        let history: any ScoringHistory = store.map { StoreScoringHistory(store: $0) } ?? EmptyScoringHistory()
        // Records the store has posted already are in its history: scored again, their points would count twice
        // against the caps. They are left out and named.
        var records = contents.records
        var alreadyPosted: [String] = [], leftOut: Set<String> = []
        if let store {
            records = try records.filter { record in
                guard try store.isPosted(source: record.source, id: record.id) else { return true }
                alreadyPosted.append(record.id)
                leftOut.insert(record.reference)
                return false
            }
        }
        // A record without a verifier that the night accepts on its own (auto_accept_after_days) is scored as that night will
        // score it, as `explain` previews a stored one: imported today, its days count from today (or its date, if later).
        var autoAccepted: [(id: String, on: LocalDate)] = []
        records = records.map { record in
            guard let preview = RecordAcceptance.previewedAsAutoAccepted(record, policy: timeline.version(inForceOn: record.date)?.policy,
                                                                          importedOn: context.today) else { return record }
            autoAccepted.append((record.id, preview.on))
            return preview.record
        }
        let run = try Scorer(timeline: timeline, community: community).score(records, history: history)
        // The slips `record import` would warn of (I110, I111, I112), for the records scored here: this is where an admin checks
        // a file before importing it.
        let slips = contents.warnings.filter { !leftOut.contains($0.record.reference) }
        let source = validation.defaultSource
        if context.json {
            context.output.line(JSON.object([
                ("file", .string(recordsPath)), ("policies", .array(timeline.versions.map { .string($0.label) })),
                ("history", .string(store == nil ? "none" : "database")),
                ("read", .integer(contents.rowsRead)), ("scored", .integer(run.count(.scored))),
                ("pending", .integer(run.count(.pending))), ("no_policy", .integer(run.count(.noPolicy))),
                ("duplicates", .integer(contents.duplicates.count)), ("rejected", .integer(contents.rejected.count)),
                ("already_posted", .array(alreadyPosted.map { .string($0) })),
                ("auto_accepted", .array(autoAccepted.map { .object([("id", .string($0.id)), ("auto_accept_on", .string($0.on.description))]) })),
                ("errors", ScoringPresentation.rejectedJSON(contents.rejected)),
            ] + ScoringPresentation.slipCountsJSON { code in slips.count { $0.code == code } } + [
                ("warnings", ScoringPresentation.slipsJSON(slips, source: source)),
                ("records", .array(run.scores.map { ScoringPresentation.scoreJSON(run, $0, explain: explain) })),
                ("totals", .object([
                    ("by_account", .array(run.totalsByAccount.map(ScoringPresentation.totalJSON))),
                    ("by_category", .array(run.totalsByCategory.map(ScoringPresentation.totalJSON))),
                    ("total", ScoringPresentation.totalJSON(run.total)),
                ])),
            ]).rendered())
        } else {
            ScoringPresentation.printRejected(contents.rejected, path: recordsPath, text: contents.source, context)
            let policies = timeline.versions.map(\.label).joined(separator: ", ")
            context.output.line("\(recordsPath): \(plural(contents.rowsRead, "row")) read, \(plural(run.scores.count, "record")) scored by \(policies)"
                + (store == nil ? " (no database: caps count only these records)" : " (caps count the points posted in \(context.databasePath))"))
            if !contents.rejected.isEmpty || !contents.duplicates.isEmpty {
                context.output.line("\(plural(contents.rejected.count, "row")) rejected, \(plural(contents.duplicates.count, "duplicate row")) left out")
            }
            if !alreadyPosted.isEmpty {
                let shown = alreadyPosted.prefix(5).joined(separator: ", ") + (alreadyPosted.count > 5 ? ", …" : "")
                context.output.line("\(plural(alreadyPosted.count, "record")) left out: posted in the database already (\(shown)); "
                    + "their points are in the history the others are scored against; `timebank explain ID` shows them")
            }
            if let earliest = autoAccepted.map(\.on).min(), let latest = autoAccepted.map(\.on).max() {
                let nights = earliest == latest ? "the nightly settlement of \(earliest) accepts" : "the nightly settlements of \(earliest) to \(latest) accept"
                let shown = autoAccepted.prefix(5).map(\.id).joined(separator: ", ") + (autoAccepted.count > 5 ? ", …" : "")
                context.output.line("\(plural(autoAccepted.count, "record")) without a verifier (\(shown)) scored as accepted: imported today, "
                    + "\(nights) \(autoAccepted.count == 1 ? "it" : "them") unless rejected before (auto_accept_after_days)")
            }
            // The points named as the policies name them (积分, 信义币; "points" when the versions differ).
            let unit = ScoringPresentation.unit(of: timeline), header = ScoringPresentation.unit(of: timeline, header: true)
            context.output.line("")
            context.output.write(ScoringPresentation.scoreTable(run, unit: header).rendered())
            if explain {
                for score in run.scores {
                    context.output.line("")
                    context.output.write(ScoringPresentation.explanationBlock(run, score, unit: unit, header: header))
                }
            }
            context.output.line("")
            context.output.line("Totals by account:")
            context.output.write(ScoringPresentation.totalsTable(run.totalsByAccount, key: "Account", unit: header).rendered())
            context.output.line("")
            context.output.line("Totals by category:")
            context.output.write(ScoringPresentation.totalsTable(run.totalsByCategory, key: "Category", unit: header).rendered())
            context.output.line("")
            let total = run.total
            context.output.line("Total: \(Hundredths.format(total.net)) \(unit) for \(plural(total.records, "record")) "
                + "(earned \(Hundredths.format(total.earned)), capped \(Hundredths.format(total.capped)), "
                + "taken \(Hundredths.format(total.deduction)), shortfall \(Hundredths.format(total.shortfall)); "
                + "\(run.count(.pending)) pending, \(run.count(.noPolicy)) without a policy in force)")
            let warnings = ScoringPresentation.dryRunSlipWarnings(slips, source: source)
            if !warnings.isEmpty { context.output.line("") }
            for line in warnings { context.output.line(line) }
        }
        return contents.rejected.isEmpty ? ExitCode.done : ExitCode.badInput
    }

    /// Volunteers and households from the CSV files of `volunteer import`, when given.
    func communityFromFiles() throws -> CommunityDirectory? {
        guard volunteersPath != nil || householdsPath != nil else { return nil }
        var households: [Household] = []
        if let householdsPath {
            let file = try CommunityFile.rows(path: householdsPath, encoding: encoding, columns: CommunityCSV.householdColumns, required: ["id", "name"])
            let result = CommunityCSV.households(file.rows, header: file.header)
            if let error = result.errors.first { throw UsageError("\(householdsPath): \(error)") }
            households = result.values
        }
        var volunteers: [Volunteer] = []
        if let volunteersPath {
            let file = try CommunityFile.rows(path: volunteersPath, encoding: encoding, columns: CommunityCSV.volunteerColumns, required: ["id", "name", "joined"])
            let result = CommunityCSV.volunteers(file.rows, header: file.header, knownHouseholds: Set(households.map(\.id)))
            if let error = result.errors.first { throw UsageError("\(volunteersPath): \(error)") }
            volunteers = result.values
        }
        return CommunityDirectory(volunteers: volunteers, households: households, stations: [])
    }
}

struct ExplainCommand: Command {
    static let name = "explain"
    static let readsOnly = true
    static let abstract = "Explain a stored record's points step by step, as the volunteer is shown them"
    static let help = """
    Usage: timebank explain RECORD_ID [--source NAME]

    For a record whose points are posted: the explanation stored with them, rule by rule (the rule, what it
    did, its effect and the points after it), written from the steps the settlement kept and the stored
    policy version that scored the record; for a withdrawn record (every entry reversed), which entries
    reversed them. For a record not posted yet: a preview of what posting it now would give, under the
    policy version in force on its date and the points already posted; when that version cannot score it
    (a category it dropped), it says so first: the night rejects it if pending, or posts no points if
    approved (--json: "cannot_be_scored"). A pending record without a verifier that the policy accepts
    automatically (auto_accept_after_days) is previewed as accepted, with the night that accepts it
    (--json: "auto_accept_on"); the days count from its date, or from the day it was imported when that
    is later (--json: "auto_accept_counts_from").

    RECORD_ID may also be written SOURCE:ID (default:r-2026-10-03-001, as an award's memo in a passbook shows
    it) or be the number of the entry that posted the record's points or reversed them (3088, #3088), as the
    passbook's Entry column shows it; a stored record id is always read as an id first.

    Examples:
      timebank explain r-2026-10-03-001
      timebank explain '#3088'
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
        let store = try context.openStore()
        let named = try store.storedRecord(named: id, source: source).record
        let explanation = try store.explainRecord(id: named.id, source: named.source)
        let stored = explanation.stored
        let record = stored.record
        if context.json {
            context.output.line(JSON.object([
                ("source", .string(record.source)), ("id", .string(record.id)), ("record_status", .string(stored.status.rawValue)),
                ("posted", .bool(!explanation.isPreview)), ("status", .string(explanation.status.rawValue)),
                ("account", .optional(explanation.account?.description)), ("policy", .optional(explanation.policyVersion)),
                ("minutes_counted", .integer(explanation.minutesCounted)), ("earned", .amount(explanation.earned)),
                ("capped", .amount(explanation.capped)), ("taken", .amount(explanation.deduction)),
                ("shortfall", .amount(explanation.shortfall)), ("points", .amount(explanation.net)),
                ("withdrawn", .bool(stored.isWithdrawn)), ("auto_accept_on", .optional(explanation.autoAcceptOn?.description)),
                ("auto_accept_counts_from", .optional(explanation.autoAcceptCountsFrom?.description)),
                ("cannot_be_scored", explanation.isPreview ? .optional(try store.settlementRejection(of: record)) : .null),
                ("award_reversed_by", stored.posted?.awardReversedBy.map { JSON.integer($0) } ?? .null),
                ("penalty_reversed_by", stored.posted?.penaltyReversedBy.map { JSON.integer($0) } ?? .null),
                ("explanation", ScoringPresentation.linesJSON(explanation.lines)),
            ]).rendered())
            return ExitCode.done
        }
        let time = ScoringPresentation.time(record)
        context.output.line("\(ScoringPresentation.name(record))  \(record.date)\(time.isEmpty ? "" : " " + time)  "
            + "\(record.volunteer ?? explanation.account?.description ?? "")  \(ScoringPresentation.subject(record))")
        if stored.status == .rejected {
            context.output.line("Rejected \(stored.decidedAt.map { "at \(context.localTime($0)) " } ?? "")by \(stored.decidedBy ?? ""): "
                + "\(stored.decisionReason ?? ""). A rejected record earns nothing.")
            return ExitCode.done
        }
        if explanation.isPreview {
            if let why = try store.settlementRejection(of: record) {
                // A pending record is rejected by the night's accept step; one approved before the version changed is posted
                // as it is, with no points.
                let fate = stored.status == .pending ? "and it will not be: the nightly settlement rejects it (\(why))"
                    : "and the version in force cannot score it (\(why)): the nightly settlement will post it with no points"
                context.output.line("Not posted yet (record \(stored.status.rawValue)), \(fate). Import it again under a new id (a stored "
                    + "record keeps its own) with a rule of the version in force on \(record.date), or activate a version that has it. "
                    + "Scored as it is, it would give:")
            } else if let day = explanation.autoAcceptOn {
                // Without this the preview would read "stays pending, 0.00" for a record the night accepts on its own.
                // A record imported after its date gets its days from the import: say so, or the night named looks wrong.
                let countedFrom = explanation.autoAcceptCountsFrom.flatMap { $0 > record.date ? ", counted from its import on \($0)" : nil } ?? ""
                context.output.line("Not posted yet (record pending, no verifier): the nightly settlement of \(day) accepts it unless it "
                    + "is rejected before (auto_accept_after_days\(countedFrom)), or `timebank record approve \(stored.commandReference) "
                    + "--verifier NAME` approves it sooner. Accepted, it would give:")
            } else if stored.status == .pending, explanation.status == .pending {
                context.output.line("Not posted yet (record pending, no verifier): nothing is scored until "
                    + "`timebank record approve \(stored.commandReference) --verifier NAME` approves it.")
            } else {
                context.output.line("Not posted yet (record \(stored.status.rawValue)): what posting it now would give.")
            }
        } else if let posted = stored.posted {
            context.output.line("Posted \(context.localTime(posted.postedAt)) by \(posted.postedBy) to \(posted.account).")
            if stored.isWithdrawn {
                context.output.line("Withdrawn" + (stored.withdrawal.map { " \(context.localTime($0.at)) by \($0.by) (\($0.reason))" } ?? "")
                    + (posted.entries.isEmpty ? "" : ": " + posted.entries.map { "its \($0.kind.rawValue) #\($0.sequence) was reversed by #\($0.reversedBy ?? 0)" }
                        .joined(separator: ", "))
                    + ". It counts no more: the points below were taken back, and later records are scored without it.")
            } else if posted.standingEntries.count < posted.entries.count {
                context.output.line("Partly reversed: \(stored.ledgerStanding). It still counts as a record until every entry is reversed.")
            }
        }
        // The points named as the policy in force on the record's day names them (before any policy: points).
        let unit = store.policyUnit(on: record.date)
        context.output.write(ScoringPresentation.explanationText(explanation.lines, unit: unit ?? PointsUnit.heading))
        context.output.line("  " + ScoringPresentation.summary(earned: explanation.earned, capped: explanation.capped,
                                                             deduction: explanation.deduction, shortfall: explanation.shortfall,
                                                             net: explanation.net, unit: unit ?? PointsUnit.unnamed))
        return ExitCode.done
    }
}

/// `1 row`, `2 rows`.
func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
