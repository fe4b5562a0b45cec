import TimeBankCore
import TimeBankStorage

struct WhatIfCommand: Command {
    static let name = "whatif"
    static let abstract = "Re-score history under a new policy and show what would change, largest changes first"
    static let help = """
    Usage: timebank whatif --policy NEW --against OLD (RECORDS | --stored) [--all] [--format csv|jsonl] [--encoding NAME]
           timebank --db PATH whatif --policy NEW --active [--as-activated] (RECORDS | --stored) [--all]

    Scores the same records twice, before activating NEW: under NEW, and under OLD (a file) or under the
    activated versions (--active, each record by the version in force on its date). NEW and OLD apply to
    every record whatever its date; with --as-activated, NEW scores only the records from its effective
    date and the activated versions the rest, as `policy activate NEW` would make it (so a version from
    the middle of a month changes nothing before that day). Both runs start from an empty history (the
    records are the history), so caps and once-only bonuses count only these records. Prints, per
    account, per category and in total, the points before and after and the change, largest changes
    first; --all lists unchanged ones too. A record waiting for acceptance without a verifier (every
    record of RECORDS, the pending ones of --stored) is scored as accepted under a version that accepts
    records on its own (auto_accept_after_days), as `score` previews it, and as pending (nothing) under
    one that does not; a note says how many. "Before" is such a re-score, not the ledger: over --stored it
    can differ from the points posted (a record imported late can get a once-only bonus here); the
    output says so under the total, and --json in "notes" (a list of lines; for a record file only the note of records scored as accepted).
    RECORDS is a record file (docs/records.md); --stored takes every stored record that is not rejected or withdrawn.
    --format csv|jsonl says how RECORDS is written; by default its name says (.csv; .jsonl, .ndjson or .json),
    else its first character ({ starts JSON Lines, anything else is CSV).
    --encoding NAME reads RECORDS saved in another encoding, such as GB18030 (also GBK), converting it to
    UTF-8 first; `timebank help record import` lists the names.

    Examples:
      timebank whatif --policy proposal.toml --against config/policy.toml october.csv
      timebank --db community.sqlite whatif --policy proposal.toml --active --stored
      timebank --db community.sqlite whatif --policy v2.toml --active --as-activated --stored
    """
    static let valueOptions = ["--policy", "--against", "--format", EncodingOption.name]
    static let flagOptions = ["--active", "--stored", "--all", "--as-activated"]
    let newPath: String
    let oldPath: String?
    let recordsPath: String?
    let format: RecordFileFormat?
    let encoding: SourceEncoding
    let showAll: Bool
    /// NEW from its effective date after the activated versions, as activating it would make it; else NEW for every record.
    let asActivated: Bool

    init(_ arguments: Arguments) throws {
        try arguments.refusePolicyAsPositional(positionals: "the records to score (or --stored for the stored records)")
        try arguments.expectPositionals(0...1, "a record file (or --stored)")
        newPath = try arguments.required("--policy")
        oldPath = try arguments.value("--against")
        guard (oldPath == nil) == arguments.flag("--active") else {
            throw UsageError("give the policy to compare with: --against OLD.toml, or --active for the activated versions")
        }
        guard arguments.flag("--stored") == arguments.positionals.isEmpty else {
            throw UsageError("give a record file, or --stored for the stored records (not both)")
        }
        recordsPath = arguments.positionals.first
        format = try ScoringPresentation.format(arguments)
        encoding = try EncodingOption.parse(arguments)
        if try arguments.value(EncodingOption.name) != nil, recordsPath == nil {
            throw UsageError("--encoding names the encoding of a record file; --stored reads the stored records, which are UTF-8 already")
        }
        if format != nil, recordsPath == nil {
            throw UsageError("--format says how a record file is written; --stored reads the stored records: leave --format out")
        }
        showAll = arguments.flag("--all")
        asActivated = arguments.flag("--as-activated")
        if asActivated, oldPath != nil {
            throw UsageError("--as-activated goes with --active: it puts NEW after the activated versions, from its effective date")
        }
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let needsStore = oldPath == nil || recordsPath == nil
        let store = needsStore || context.databasePathGiven ? try context.openStore() : nil
        let stations = try store?.stations().map(\.id)
        let newVersion = try ScoringPresentation.loadPolicy(newPath, context: context, stations: stations)
        let oldTimeline: PolicyTimeline
        if let oldPath {
            oldTimeline = .always(try ScoringPresentation.loadPolicy(oldPath, context: context, stations: stations))
        } else {
            oldTimeline = try store!.storedPolicyTimeline()
            if oldTimeline.versions.isEmpty {
                throw PolicyStoreError.noPolicyInForce(date: context.today, firstEffective: nil)
            }
        }
        let community = try store?.communityDirectory()
        var records: [Record]
        /// Which records wait for acceptance (every record of a file; the pending ones of --stored).
        var waiting: [Bool]
        var rejected: [RejectedRow] = []
        if let recordsPath {
            do {
                // Checked against OLD, as `score` checks against its policy: a category written by its label (橙色关怀)
                // becomes its id, and one OLD does not declare is rejected (E004) rather than scored 0 under both.
                var validation = RecordValidator.Context(policies: oldTimeline, community: community)
                validation.requiresPolicyInForce = false
                let contents = try ScoringPresentation.readRecords(recordsPath, format: format, encoding: encoding, context: validation, context)
                records = contents.records
                waiting = records.map { _ in true }
                rejected = contents.rejected
                ScoringPresentation.printRejected(rejected, path: recordsPath, text: contents.source, context)
            } catch let error as RenderedFileError {
                return context.report(error)
            }
        } else {
            // A withdrawn record counts no more (docs/records.md): the scorer's history leaves it out, and so does this
            // re-score, or its correction would be counted beside it and its once-only bonus not freed.
            let stored = try store!.records().filter { $0.status != .rejected && !$0.isWithdrawn }
            records = stored.map(\.recordForScoring)
            waiting = stored.map { $0.status == .pending }
        }
        // A waiting record without a verifier is scored as accepted under a version that accepts it on its own
        // (auto_accept_after_days), as `score` and `explain` preview it, and stays pending under one that does not: otherwise
        // both sides would score it 0 and a proposal's effect on it would not show.
        var previewed: Set<Int> = []
        func accepted(under timeline: PolicyTimeline) -> [Record] {
            records.indices.map { index in
                let record = records[index]
                guard waiting[index], let preview = RecordAcceptance.previewedAsAutoAccepted(
                    record, policy: timeline.version(inForceOn: record.date)?.policy, importedOn: nil) else { return record }
                previewed.insert(index)
                return preview.record
            }
        }
        let options = ScoringOptions(explain: false)
        let before = try Scorer(timeline: oldTimeline, community: community, options: options).score(accepted(under: oldTimeline))
        let afterTimeline = asActivated ? PolicyTimeline(oldTimeline.versions + [newVersion]) : .always(newVersion)
        let after = try Scorer(timeline: afterTimeline, community: community, options: options).score(accepted(under: afterTimeline))
        let comparison = WhatIfComparison(before: before, after: after)
        let oldLabel = oldPath ?? "the activated versions"
        // The stored records invite reading "before" as the ledger; it is a re-score of them from an empty history. The text
        // prints these notes under the total, --json gives them as "notes" (for a record file only the note of records scored as accepted).
        var notes: [String] = []
        if recordsPath == nil {
            notes.append("\"Before\" is these records scored again from an empty history, not the ledger's points: caps and once-only "
                + "bonuses count only these records, so a record imported late can get a bonus here that the ledger did not give it.")
            if oldPath == nil, !asActivated {
                notes.append("With --as-activated, \(newPath) scores only the records from its effective date (\(newVersion.policy.effective)), "
                    + "as activating it would.")
            }
        }
        if !previewed.isEmpty {
            let one = previewed.count == 1
            notes.append("\(previewed.count) record\(one ? "" : "s") waiting for acceptance without a verifier \(one ? "is" : "are") scored as "
                + "accepted under a version that accepts records on its own (auto_accept_after_days), as the night that accepts "
                + "\(one ? "it" : "them") will score \(one ? "it" : "them"), and as pending (nothing) under one that does not.")
        }
        if context.json {
            context.output.line(JSON.object([
                ("new", .string(newPath)), ("old", .string(oldLabel)), ("as_activated", .bool(asActivated)), ("records", .integer(records.count)),
                ("rejected", .integer(rejected.count)), ("changed_records", .integer(comparison.changedRecords)),
                ("total", comparison.total.json),
                ("by_account", .array(comparison.byAccount.filter { showAll || $0.change != 0 }.map(\.json))),
                ("by_category", .array(comparison.byCategory.filter { showAll || $0.change != 0 }.map(\.json))),
                ("notes", .array(notes.map { .string($0) })),
            ]).rendered())
            return rejected.isEmpty ? ExitCode.done : ExitCode.badInput
        }
        let recordCount = "\(records.count) record\(records.count == 1 ? "" : "s")"
        let over = recordsPath.map { "\(recordCount) of \($0)" }
            ?? "the \(records.count) stored record\(records.count == 1 ? " that is" : "s that are") not rejected or withdrawn"
        if asActivated {
            context.output.line("What if \(newPath) were activated (in force from \(newVersion.policy.effective), after \(oldLabel)), "
                + "over \(over):")
        } else {
            context.output.line("What if \(newPath) replaced \(oldLabel), over \(over):")
        }
        let total = comparison.total
        // Named as the proposal names the points (积分, 信义币); a proposal that renames them says so in the policy's diff.
        // Points named otherwise before (积分 under OLD, 时间币 in the proposal) are named on each side.
        let oldUnits = records.isEmpty ? Set(oldTimeline.versions.map(\.policy.unit))
            : Set(Set(records.map(\.date)).compactMap { oldTimeline.version(inForceOn: $0)?.policy.unit })
        let beforeUnit = oldUnits.count == 1 && oldUnits.first != newVersion.policy.unit ? " " + oldUnits.first! : ""
        context.output.line("Total: \(Hundredths.format(total.before))\(beforeUnit) → \(Hundredths.format(total.after)) \(newVersion.policy.unit), "
            + "change \(Hundredths.formatSigned(total.change)); \(comparison.changedRecords) of \(recordCount) "
            + "change\(records.count == 1 ? "s" : "")")
        for note in notes { context.output.line(note) }
        for (title, key, rows) in [("By account", "Account", comparison.byAccount), ("By category", "Category", comparison.byCategory)] {
            let shown = rows.filter { showAll || $0.change != 0 }
            context.output.line("")
            guard !rows.isEmpty else {
                context.output.line("\(title): no records to compare")
                continue
            }
            guard !shown.isEmpty else {
                // Nothing changes: an empty table would read as nothing compared.
                let noun = key == "Account" ? (rows.count == 1 ? "account" : "accounts") : (rows.count == 1 ? "category" : "categories")
                context.output.line("\(title): no change (\(rows.count) \(noun) unchanged; --all lists \(rows.count == 1 ? "it" : "them"))")
                continue
            }
            context.output.line("\(title) (largest changes first)" + (shown.count < rows.count ? ", \(rows.count - shown.count) unchanged not shown:" : ":"))
            var table = TextTable([(key, .left), ("Records", .right), ("Before", .right), ("After", .right), ("Change", .right)])
            for row in shown {
                table.add([row.key, String(row.records), Hundredths.format(row.before), Hundredths.format(row.after),
                           Hundredths.formatSigned(row.change)])
            }
            context.output.write(table.rendered())
        }
        return rejected.isEmpty ? ExitCode.done : ExitCode.badInput
    }
}

/// Net points per group under two runs of the same records, largest changes first.
struct WhatIfComparison {
    struct Row {
        var key: String
        var records = 0
        var before: Int64 = 0
        var after: Int64 = 0
        var change: Int64 { after - before }

        var json: JSON {
            .object([("key", .string(key)), ("records", .integer(records)), ("before", .amount(before)),
                     ("after", .amount(after)), ("change", .amount(change))])
        }
    }

    var byAccount: [Row]
    var byCategory: [Row]
    var total: Row
    var changedRecords: Int

    init(before: ScoringRun, after: ScoringRun) {
        var accounts: [String: Row] = [:], categories: [String: Row] = [:]
        var total = Row(key: "total")
        var changed = 0
        var afterByRecord: [Int: RecordScore] = [:]
        for score in after.scores { afterByRecord[score.recordIndex] = score }
        for old in before.scores {
            let new = afterByRecord[old.recordIndex]!
            let record = before.record(of: old)
            let oldNet = old.status == .scored ? old.net : 0, newNet = new.status == .scored ? new.net : 0
            if oldNet != newNet { changed += 1 }
            let accountKey = (after.account(of: new) ?? before.account(of: old))?.description ?? ""
            for (key, table) in [(accountKey, 0), (ScoringRun.categoryKey(of: record), 1)] {
                var row = (table == 0 ? accounts[key] : categories[key]) ?? Row(key: key)
                row.records += 1
                row.before += oldNet
                row.after += newNet
                if table == 0 { accounts[key] = row } else { categories[key] = row }
            }
            total.records += 1
            total.before += oldNet
            total.after += newNet
        }
        func ordered(_ rows: [String: Row]) -> [Row] {
            rows.values.sorted {
                $0.change.magnitude != $1.change.magnitude ? $0.change.magnitude > $1.change.magnitude
                    : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)
            }
        }
        byAccount = ordered(accounts)
        byCategory = ordered(categories)
        self.total = total
        changedRecords = changed
    }
}
