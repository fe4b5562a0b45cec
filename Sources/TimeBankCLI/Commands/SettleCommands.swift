import TimeBankCore
import TimeBankStorage

struct SettleCommand: Command {
    static let name = "settle"
    static let abstract = "Close a day: accept records, grant, score and post, expire, reconcile, report"
    static let help = """
    Usage: timebank settle [--date YYYY-MM-DD] [--reports DIR] [--catch-up | --skip-missed] [--allow-out-of-order]

    The nightly settlement of one day (default: yesterday in the community's time zone):
      1. accepts pending records dated on or before it (a verifier named, or no objection within the
         policy's auto_accept_after_days) and rejects those no policy version can score, with reasons;
      2. posts the periodic grants (基础分) due on each day since the previous settled night, dated that
         day, once per period per account (so a penalty scored next can take from them);
      3. scores the accepted records household by household, each in canonical order, by the version in
         force on each service date, and posts their awards and penalties (keys derived from the record
         ids: nothing posts twice);
      4. voids lapsed holds and expires lots whose expiry date has come, one entry per account;
      5. updates star levels and, after a ranking period ends, writes its ranking;
      6. reconciles: verifies the ledger and the stations' books (a mismatch stops here: exit 3);
      7. writes the day's reports into the database (and as files under --reports DIR/DATE/);
      8. records the day with its counts and the ledger's head hash.
    Each step commits on its own: a settlement killed at any moment finishes the day exactly once when run
    again. Settling a settled day changes nothing and prints the same summary. A day before the latest
    settled one is refused unless --allow-out-of-order. Nights are settled in order: when days between the
    last settled day and D were never settled (the machine was off, a night failed), D is refused (N010)
    unless --catch-up settles them first, oldest first, each with its own summary and reports, or
    --skip-missed settles D alone. Progress goes to stderr when it is a terminal.

    Options:
      --date D                the day to settle (default: yesterday)
      --reports DIR           also write the reports as files under DIR/D/ (text, CSV and JSON)
      --catch-up              first settle the days missed since the last settled day, oldest first
                              (scripts/nightly-settlement does); with --json, prints an array of summaries
      --skip-missed           settle D alone: the missed days' records, grants and expiries are settled
                              with it, and those days get no reports of their own
      --allow-out-of-order    settle D although a later day is settled already
      --chunk-size N          records scored and posted per transaction in step 3 (default 10000)

    Exit codes: 0 settled (or settled before, or nothing to settle yet: yesterday, the default, comes
    before the first policy version takes effect), 1 refused (out of order, days missed, another
    settlement running, a day that has not ended, no policy, a --date before the first policy
    version), 2 bad input, 3 reconciliation found a mismatch, 4 system failure. With --catch-up, a
    failure stops at its day: the days before it stay settled. A night recorded whose report files
    cannot be written (N007, exit 4) prints its summary before the error, its reports line saying the
    files were not written and the command that writes them; with --json, the summaries of the nights
    recorded go beside the error: the summary's members, or "summaries" with --catch-up
    ("report_files": {"folder", "written", "command"}; null without --reports).

    Examples:
      timebank settle --date 2026-11-21 --reports reports/
      timebank settle --catch-up --reports reports/      # every night missed, then yesterday
    """
    static let valueOptions = ["--date", "--reports", "--chunk-size"]
    static let flagOptions = ["--allow-out-of-order", "--catch-up", "--skip-missed"]

    var date: LocalDate?
    var reports: String?
    var allowOutOfOrder: Bool
    var missedDays = SettlementRequest.MissedDays.refuse
    var chunkSize = SettlementRequest.defaultChunkSize

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "no arguments")
        date = try arguments.date("--date")
        reports = try arguments.value("--reports")
        allowOutOfOrder = arguments.flag("--allow-out-of-order")
        switch (arguments.flag("--catch-up"), arguments.flag("--skip-missed")) {
        case (true, true): throw UsageError("--catch-up and --skip-missed cannot go together: the first settles the missed days, the second leaves them")
        case (true, false): missedDays = .settleFirst
        case (false, true): missedDays = .skip
        case (false, false): break
        }
        if let text = try arguments.value("--chunk-size") {
            guard let size = Arguments.wholeNumber(text), (1...1_000_000).contains(size) else {
                throw UsageError("--chunk-size is \"\(text)\"; give a whole number from 1 to 1000000")
            }
            chunkSize = size
        }
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let today = context.today
        let day = date ?? today.adding(days: -1)
        let showProgress = (context.errors as? StandardStream)?.isTerminal == true && !context.json
        // $TIMEBANK_UTC_OFFSET_MINUTES when set; else each night ends at its own offset in the policy's zone.
        let offset = context.utcOffsetSetting
        let request = SettlementRequest(date: day, actor: context.actor, reportsDirectory: reports, allowOutOfOrder: allowOutOfOrder,
                                        today: today, utcOffsetMinutes: offset, chunkSize: chunkSize, missedDays: missedDays)
        var summaries: [SettlementSummary] = []
        // Each night's text as it is recorded (a failure on a later night leaves the earlier ones shown); JSON at the end.
        // During a catch-up each night is announced on stderr before it starts, terminal or not: the nightly job's log then
        // names the night a kill or a failure interrupted (the one after the last "Settled" line).
        do {
            try store.settleDays(request, progress: { if showProgress { context.errors.line($0) } }, starting: { day, place, count in
                if count > 1 { context.errors.line("Settling \(day) (night \(place) of \(count)\(place < count ? ", a missed night" : "")).") }
            }) { summary in
                if !context.json { context.output.write((summaries.isEmpty ? "" : "\n") + Self.text(summary, context,
                                                                                                     unit: store.policyUnit(on: summary.date) ?? PointsUnit.unnamed)) }
                summaries.append(summary)
            }
        } catch SettlementError.beforeFirstPolicy(let day, let firstEffective) where date == nil {
            // A new community whose first policy version takes effect on a later day: the nightly job, installed before then,
            // has nothing to settle yet. That is its normal state, not a refusal to mail about every night (N008 stays for a
            // --date typed before the first version, most likely a mistyped year). No day can be settled before it either.
            return nothingToSettleYet(yesterday: day, firstEffective: firstEffective, context)
        } catch where context.json && !summaries.isEmpty {
            // Nights were recorded before the failure (their files not written, N007; a later night of a catch-up refused):
            // their summaries are printed beside the error, as the text prints them before it.
            return TimeBankCLI.fail(error, context, beside: missedDays == .settleFirst
                ? [("summaries", JSON.array(summaries.map(Self.json)))] : Self.members(summaries[summaries.count - 1]))
        }
        if context.json {
            context.output.line((missedDays == .settleFirst ? JSON.array(summaries.map(Self.json)) : Self.json(summaries[summaries.count - 1])).rendered())
        }
        return ExitCode.done
    }

    /// Yesterday comes before the first policy version takes effect: nothing is settled, exit 0 (the text says when the first
    /// night is; `--json` gives no summary: an empty array with --catch-up, else an object saying so).
    private func nothingToSettleYet(yesterday: LocalDate, firstEffective: LocalDate, _ context: CommandContext) -> Int32 {
        if context.json {
            context.output.line((missedDays == .settleFirst ? JSON.array([]) : JSON.object([
                ("date", .string(yesterday.description)), ("settled", .bool(false)), ("first_day", .string(firstEffective.description)),
            ])).rendered())
        } else {
            context.output.line("Nothing to settle yet: yesterday, \(yesterday), comes before the first policy version takes effect "
                + "(\(firstEffective)). The first night to settle is \(firstEffective), in the night after it; nothing was written.")
        }
        return ExitCode.done
    }

    /// The night's summary as the admin reads it, the points named `unit` (the policy's 积分, 信义币).
    static func text(_ summary: SettlementSummary, _ context: CommandContext, unit: String) -> String {
        let p = Hundredths.format
        // When, in local time as receipts print it (`--json` keeps the stored UTC moment in settled_at).
        let settledAt = summary.settledAt.map { Receipt.localTime($0, utcOffsetMinutes: context.utcOffsetMinutes(at: $0)) }
        var out = summary.alreadySettled
            ? "\(summary.date) was settled before (at \(settledAt ?? "?")); nothing changed.\n"
            : "Settled \(summary.date).\n"
        out += "  records:  \(summary.recordsRead) read: "
            + (summary.approvedBefore > 0 ? "\(summary.approvedBefore) approved before, " : "")
            + "\(summary.accepted) accepted, \(summary.autoAccepted) auto-accepted, "
            + "\(summary.rejected) rejected, \(summary.pending) still pending\n"
        // `1 record`, `0 records`.
        func n<Count: BinaryInteger>(_ count: Count, _ singular: String, _ plural: String) -> String { "\(count) \(count == 1 ? singular : plural)" }
        out += "  posted:   \(n(summary.posted, "record", "records")): \(n(summary.awardEntries, "award", "awards")) (\(p(summary.awarded)) \(unit)), "
            + "\(n(summary.penaltyEntries, "penalty", "penalties")) (\(p(summary.deducted)) \(unit))\n"
        if summary.tooLarge > 0 {
            out += "  WARNING:  \(summary.tooLarge) approved record\(summary.tooLarge == 1 ? "" : "s") not posted: the policy in force gives "
                + "\(summary.tooLarge == 1 ? "it" : "them") more points than the ledger can hold (a rate or factor far too large?); "
                + "`timebank report rejects` lists \(summary.tooLarge == 1 ? "it" : "them") and `timebank explain ID` shows why. Activate a "
                + "corrected version (policy activate --force --reason) and a later night posts \(summary.tooLarge == 1 ? "it" : "them")\n"
        }
        if summary.expiredOnArrival > 0 {
            let one = summary.expiredOnArrival == 1
            out += "  NOTE:     \(summary.expiredOnArrival) award\(one ? "" : "s") (\(p(summary.expiredOnArrivalPoints)) \(unit)) had expired by "
                + "\(summary.date) before \(one ? "it was" : "they were") posted: the policy's [expiry], counted from the service date, "
                + "ended \(one ? "its" : "their") points by that day (a service of long ago, accepted late), so tonight's expiry takes "
                + "them back (`timebank statement` shows both)\n"
        }
        out += "  grants:   \(summary.grantEntries) (\(p(summary.granted)) \(unit))\n"
        out += "  expiry:   \(n(summary.expiryEntries, "account", "accounts")) (\(p(summary.expired)) \(unit)); "
            + "\(n(summary.holdsVoided, "lapsed hold", "lapsed holds")) voided\n"
        out += "  levels:   \(summary.levelChanges) changed" + (summary.rankingPeriods.isEmpty ? ""
            : "; ranking\(summary.rankingPeriods.count == 1 ? "" : "s") of \(summary.rankingPeriods.joined(separator: ", ")) written") + "\n"
        out += "  verified: \(n(summary.entriesVerified, "entry", "entries")); stations' books agree\n"
        out += "  reports:  \(summary.reports.joined(separator: ", "))"
        if let files = summary.reportFiles {
            out += files.written ? " (files in \(files.folder)/)"
                : " (files not written to \(files.folder)/: see the error below; once its cause is fixed, "
                    + "`\(SettlementError.writeReportsCommand(date: summary.date, directory: files.directory))` writes them)"
        }
        out += "\n"
        out += "  ledger:   \(n(summary.headSequence, "entry", "entries")), head \(summary.headHash)\n"
        return out
    }

    static func json(_ summary: SettlementSummary) -> JSON { .object(members(summary)) }

    /// The summary's members, for an object of its own or beside an error.
    static func members(_ summary: SettlementSummary) -> [(String, JSON)] {
        var members: [(String, JSON)] = [("date", .string(summary.date.description)), ("already_settled", .bool(summary.alreadySettled))]
        for count in summary.counts {
            members.append((count.name, SettlementSummary.amountNames.contains(count.name) ? .amount(count.value) : .integer(count.value)))
        }
        members += [
            ("ranking_period", .optional(summary.rankingPeriod)),
            ("ranking_periods", .array(summary.rankingPeriods.map(JSON.string))),
            ("reports", .array(summary.reports.map(JSON.string))),
            ("head_sequence", .integer(summary.headSequence)), ("head_hash", .string(summary.headHash)),
            ("settled_at", .optional(summary.settledAt?.description)),
            // Where this call wrote the day's files (`--reports`), or that it could not (N007) and what writes them; null: none asked for.
            ("report_files", summary.reportFiles.map { files in .object([
                ("folder", .string(files.folder + "/")), ("written", .bool(files.written)),
                ("command", .optional(files.written ? nil : SettlementError.writeReportsCommand(date: summary.date, directory: files.directory))),
            ]) } ?? .null),
        ]
        return members
    }
}

struct SettlementListCommand: Command {
    static let name = "settlement list"
    static let readsOnly = true
    static let abstract = "List the settled days with their counts and ledger head"
    static let help = """
    Usage: timebank settlement list [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format text|csv|json]

    One line per settled day: records posted, points awarded, grants, expiry, and the ledger's head when
    the day was recorded: the entries the whole ledger held then (not the night's own) and the start of
    the head hash.

    Each line is what that night did: read counts every record still waiting (it is read again each
    night until decided), posted and awarded take in late records of earlier days. `report daily` and
    `report categories` count by service date, so over the same days they differ by the records posted
    on a later night; use them for a month's figures.

    --format csv writes a header of column ids (date, then the counts --json gives, head_sequence,
    head_hash, settled_at) and a row per night with the whole head hash: for a spreadsheet, and for a
    script (scripts/nightly-settlement notes each night's head from it). No night in the range is the
    header alone. --format json is --json.

    Examples:
      timebank settlement list --from 2026-11-01
      timebank settlement list --from 2026-11-01 --format csv
    """
    static let valueOptions = ["--from", "--to", "--format"]

    var from: LocalDate?
    var to: LocalDate?
    var format: ReportFormat?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "no arguments")
        (from, to) = try arguments.dateRange()
        format = try arguments.value("--format").map { try ReportError.format($0) }
    }

    func run(_ context: CommandContext) throws -> Int32 {
        if let format, context.json, format != .json {
            throw UsageError("--json and --format \(format.rawValue) ask for different formats; give one of them")
        }
        let settled = try context.openStore().settlements().filter { summary in
            (from.map { summary.date >= $0 } ?? true) && (to.map { summary.date <= $0 } ?? true)
        }
        if context.json || format == .json {
            context.output.line(JSON.array(settled.map(SettleCommand.json)).rendered())
            return ExitCode.done
        }
        if format == .csv {
            context.output.write(Self.csv(settled))
            return ExitCode.done
        }
        guard !settled.isEmpty else {
            context.output.line("No settled days\(from == nil && to == nil ? "" : " in that range"). Settle one with `timebank settle`.")
            return ExitCode.done
        }
        var table = TextTable([("date", .left), ("read", .right), ("posted", .right), ("rejected", .right), ("pending", .right),
                               ("awarded", .right), ("granted", .right), ("expired", .right), ("ledger entries", .right), ("head hash", .left)])
        for summary in settled {
            table.add([summary.date.description, String(summary.recordsRead), String(summary.posted), String(summary.rejected),
                       String(summary.pending), Hundredths.format(summary.awarded), Hundredths.format(summary.granted),
                       Hundredths.format(summary.expired), String(summary.headSequence), String(summary.headHash.prefix(16))])
        }
        context.output.write(table.rendered())
        context.output.line("")
        context.output.line(Self.note)
        return ExitCode.done
    }

    /// The nights as CSV: a header of column ids, a row per night, amounts with two decimals, the whole head hash.
    static func csv(_ settled: [SettlementSummary]) -> String {
        let counts = SettlementSummary.countNames
        var out = (["date"] + counts + ["head_sequence", "head_hash", "settled_at"]).joined(separator: ",") + "\n"
        for summary in settled {
            let values = Dictionary(summary.counts.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            let fields = [summary.date.description]
                + counts.map { name in values[name].map { SettlementSummary.amountNames.contains(name) ? Hundredths.format($0) : String($0) } ?? "" }
                + [String(summary.headSequence), summary.headHash, summary.settledAt?.description ?? ""]
            out += fields.map(ReportTable.csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Why a range of nights and the reports of the same days disagree: a night counts what it read and posted, late
    /// records of earlier days included; the reports count by service date.
    static let note = "Each line is what that night did: read counts every record still waiting, read again each night until decided; "
        + "posted and awarded take in late records of earlier days. For a month's records and points by service date, use "
        + "`timebank report daily` or `report categories`: over the same days they differ by the records posted on a later night."
}
