import TimeBankCore
import TimeBankStorage

/// Reading record files and policy files for the record and scoring commands, and printing what
/// they give: rejected rows with their line and a marker, score tables, explanations and totals.
enum ScoringPresentation {
    /// The `--json` count of each slip, by its key (`"minutes_over_counted": 1`, ... in the order of the codes), as
    /// `record import` and `score` give them; `count` says how many of a code there are.
    static func slipCountsJSON(_ count: (RecordRowWarning.Code) -> Int) -> [(String, JSON)] {
        RecordRowWarning.Code.allCases.map { code in
            let key = switch code {
            case .minutesOverCounted: "minutes_over_counted"
            case .sameServiceTwice: "same_service_twice"
            case .deductionBroken: "deduction_broken"
            case .minutesBelowMinimum: "minutes_below_minimum"
            case .zeroMinutesNoPenalty: "zero_minutes_no_penalty"
            }
            return (key, .integer(Int64(count(code))))
        }
    }

    /// The most rejected rows printed in full; the rest are counted (all of them are in `--json`).
    static let rejectedRowsShownMaximum = 50

    /// Reads a policy file; on errors prints them and throws (exit 2).
    static func loadPolicy(_ path: String, context: CommandContext, stations: [String]? = nil) throws -> PolicyTimeline.Version {
        let result = PolicyLoader.load(bytes: try FileSystem.readBytes(path), path: path, stations: stations, timeZones: SystemTimeZones.names)
        guard let policy = result.policy else {
            context.errors.write(result.rendered())
            throw UsageError("\(path) has errors (above); fix them with `timebank policy check \(path)`")
        }
        return PolicyTimeline.Version(label: path, policy: policy)
    }

    /// Reads a record file (converted from `encoding`, the command's `--encoding`), printing a whole-file refusal
    /// (encoding, header) with its lines and markers.
    static func readRecords(_ path: String, format: RecordFileFormat?, encoding: SourceEncoding, context validation: RecordValidator.Context,
                            _ context: CommandContext) throws -> RecordFileContents {
        let bytes = try TextConversion.utf8(try FileSystem.readBytes(path), from: encoding, fileName: path)
        do {
            return try RecordFile.read(bytes, fileName: path, format: format, context: validation)
        } catch {
            throw RenderedFileError(error: error, path: path, text: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// `--format csv|jsonl`, or nil to tell by the file's name and content.
    static func format(_ arguments: Arguments) throws -> RecordFileFormat? {
        guard let text = try arguments.value("--format") else { return nil }
        guard let format = RecordFileFormat(rawValue: text.lowercased()) else {
            throw UsageError("--format must be csv or jsonl, not \"\(text)\"")
        }
        return format
    }

    /// Prints rejected rows to standard error: each problem with its line, a marker and help.
    static func printRejected(_ rows: [RejectedRow], path: String, text: String, _ context: CommandContext) {
        guard !rows.isEmpty else { return }
        let renderer = DiagnosticRenderer(path: path, source: text)
        for row in rows.prefix(rejectedRowsShownMaximum) {
            for error in row.errors { context.errors.write(renderer.render(error.diagnostic)) }
        }
        if rows.count > rejectedRowsShownMaximum {
            context.errors.line("… and \(rows.count - rejectedRowsShownMaximum) more rejected rows (--json lists them all)")
        }
    }

    static func rejectedJSON(_ rows: [RejectedRow]) -> JSON {
        .array(rows.flatMap { row in
            row.errors.map { error in
                JSON.object([
                    ("row", .integer(row.row)), ("line", .integer(error.range.start.line)), ("column", .string(error.column)),
                    ("code", .string(error.id)), ("message", .string(error.message)), ("help", .optional(error.help)),
                ])
            }
        })
    }

    // MARK: Slips (I110 to I114)

    /// The first line of a block of I110 to I114 warnings: `records` says which ("2 records of the file"), `outcome` what
    /// was done with them all the same (scored, stored as pending).
    static func slipHeading(_ code: RecordRowWarning.Code, records: String, count: Int, outcome: String) -> String {
        switch code {
        case .minutesOverCounted:
            "WARNING[I110]: \(records) \(count == 1 ? "has" : "have") more minutes than the policy counts in one "
                + "record (max_minutes_per_record); \(outcome):"
        case .sameServiceTwice:
            "WARNING[I111]: \(records) \(count == 1 ? "looks" : "look") like the same service as another record, one "
                + "with times and one with minutes only; \(outcome):"
        case .deductionBroken:
            "WARNING[I112]: \(records) \(count == 1 ? "assesses" : "assess") a deduction indicator as broken, which deducts "
                + "nothing; \(outcome):"
        case .minutesBelowMinimum:
            "WARNING[I113]: \(records) \(count == 1 ? "has" : "have") fewer minutes than the policy counts (min_minutes), "
                + "so \(count == 1 ? "it earns" : "they earn") nothing; \(outcome):"
        case .zeroMinutesNoPenalty:
            "WARNING[I114]: \(records) \(count == 1 ? "has" : "have") 0 minutes and no penalty that applies, so "
                + "\(count == 1 ? "it posts" : "they post") nothing; \(outcome):"
        }
    }

    /// The slips of one code as `record import` and `score` list them: the first five, each with its row and id, then
    /// how many more of the `count` in all.
    static func slipLines(_ listed: [RecordRowWarning], count: Int, source: String) -> [String] {
        let shown = listed.prefix(5)
        var lines = shown.map { "  row \($0.row), \(RecordRowWarning.shortReference($0.record.reference, defaultSource: source)): "
            + $0.detail(defaultSource: source) }
        if count > shown.count { lines.append("  and \(count - shown.count) more") }
        return lines
    }

    /// `score`'s WARNINGs for the slips of a file (I110: more minutes than the policy counts in one record; I111: the
    /// same service typed twice; I112: a deduction indicator assessed broken), as `record import` gives them, worded for a dry run: the rows are scored all the same,
    /// and the file can still be put right before it is imported. No lines when there are none.
    static func dryRunSlipWarnings(_ warnings: [RecordRowWarning], source: String) -> [String] {
        var lines: [String] = []
        for code in RecordRowWarning.Code.allCases {
            let listed = warnings.filter { $0.code == code }
            let count = listed.count
            guard count > 0 else { continue }
            let records = count == 1 ? "1 record of the file" : "\(count) records of the file"
            lines.append(slipHeading(code, records: records, count: count, outcome: "scored all the same"))
            lines += slipLines(listed, count: count, source: source)
            switch code {
            case .minutesOverCounted:
                lines.append("  If the minutes are wrong, correct the row before importing the file (`record import` stores it with "
                             + "this warning). A service that really was that long (a whole day's event) needs nothing: it counts as "
                             + "the policy says.")
            case .sameServiceTwice:
                lines.append("  If it is one service, leave one of the two out before importing the file (a record stored already: "
                             + "`timebank record reject ID --reason TEXT`). Two services of the same length need nothing.")
            case .deductionBroken:
                lines.append("  If the rule was broken (the deduction was meant), the result is met (达标): write met in the row before "
                             + "importing the file. An assessment that really found the rule kept needs nothing.")
            case .minutesBelowMinimum:
                lines.append("  If the minutes are wrong (hours typed in the minutes column), correct the row before importing the file "
                             + "(`record import` stores it with this warning). A service that really was that short needs nothing: "
                             + "it earns nothing, as the policy says.")
            case .zeroMinutesNoPenalty:
                lines.append("  If the volunteer signed up and did not come, write what the penalty reads (its condition, above; a tag "
                             + "goes in the tags column) in the row before importing the file. A record meant to post nothing needs "
                             + "nothing.")
            }
        }
        return lines
    }

    /// The slips for `--json`, as `record import --json` gives them: `code`, `row`, `id`, `source`, `message`.
    static func slipsJSON(_ warnings: [RecordRowWarning], source: String) -> JSON {
        .array(warnings.map {
            .object([("code", .string($0.code.rawValue)), ("row", .integer($0.row)), ("id", .string($0.record.id)),
                     ("source", .string($0.record.source)), ("message", .string($0.detail(defaultSource: source)))])
        })
    }

    // MARK: Scores

    /// `source:id`, or just the id for the default source.
    static func name(_ record: Record) -> String {
        record.source == "default" ? record.id : record.reference
    }

    static func subject(_ record: Record) -> String {
        switch record {
        case .service(let service): service.category
        case .assessment(let assessment): "\(assessment.indicator) \(assessment.period.label)"
        }
    }

    static func time(_ record: Record) -> String {
        guard case .service(let service) = record, let start = service.start else { return "" }
        return start.description + (service.end.map { "–\($0)" } ?? "")
    }

    /// The word for points in a scoring text: the unit the policies name them by (积分, 信义币) when they agree, else
    /// "points"; `header` capitalizes "points" for a column.
    static func unit(of timeline: PolicyTimeline, header: Bool = false) -> String {
        let units = Set(timeline.versions.map(\.policy.unit))
        return units.count == 1 ? units.first! : header ? PointsUnit.heading : PointsUnit.unnamed
    }

    /// One line per record: what it earned, what caps cut, what was taken, and the net points (headed by `unit`). Minutes
    /// the policy does not count as typed (over max_minutes_per_record, under min_minutes) read `480 of 1200`, so that the
    /// column of the scored records adds up to the totals.
    static func scoreTable(_ run: ScoringRun, unit: String) -> TextTable {
        var table = TextTable([("Record", .left), ("Date", .left), ("Time", .left), ("Account", .left), ("Category", .left),
                               ("Minutes", .right), ("Earned", .right), ("Capped", .right), ("Taken", .right),
                               (unit, .right), ("Status", .left)])
        for score in run.scores {
            let record = run.record(of: score)
            let minutes: String = {
                guard case .service(let service) = record else { return "" }
                // Only a scored record's minutes go into the totals; the others' status says why they count none.
                guard score.status == .scored, score.minutesCounted != service.minutes else { return String(service.minutes) }
                return "\(score.minutesCounted) of \(service.minutes)"
            }()
            table.add([name(record), record.date.description, time(record), run.account(of: score)?.description ?? "",
                       subject(record), minutes, Hundredths.format(score.earned), Hundredths.format(score.capped),
                       Hundredths.format(score.deduction), Hundredths.format(score.net), statusText(score)])
        }
        return table
    }

    static func statusText(_ score: RecordScore) -> String {
        switch score.status {
        case .scored: score.shortfall > 0 ? "scored, shortfall \(Hundredths.format(score.shortfall))" : "scored"
        case .pending: "pending: no verifier"
        case .noPolicy: "no policy in force"
        case .tooLarge: "too large: not scored"
        }
    }

    /// A record's explanation as an indented table: rule, what happened, effect, points after (headed by `unit`).
    static func explanationText(_ lines: [ScoreExplanationLine], unit: String, indent: String = "  ") -> String {
        var table = TextTable([("Rule", .left), ("What", .left), ("Effect", .right), (unit, .right)])
        for line in lines { table.add([line.rule, line.text, line.effect, line.running]) }
        return table.rendered().split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : indent + $0 }.joined(separator: "\n")
    }

    /// `= 26.50 积分 (earned 26.50, capped 0.00, taken 0.00)`, the points named `unit`.
    static func summary(earned: Int64, capped: Int64, deduction: Int64, shortfall: Int64, net: Int64, unit: String) -> String {
        var text = "= \(Hundredths.format(net)) \(unit) (earned \(Hundredths.format(earned)), capped \(Hundredths.format(capped)), "
            + "taken \(Hundredths.format(deduction))"
        if shortfall > 0 { text += ", shortfall \(Hundredths.format(shortfall)) not taken" }
        return text + ")"
    }

    static func explanationBlock(_ run: ScoringRun, _ score: RecordScore, unit: String, header: String) -> String {
        let record = run.record(of: score)
        var out = "\(name(record))  \(record.date)\(time(record).isEmpty ? "" : " " + time(record))  "
            + "\(record.volunteer ?? (run.account(of: score)?.description ?? ""))  \(subject(record))\n"
        out += explanationText(run.explanation(of: score), unit: header)
        out += "  " + summary(earned: score.earned, capped: score.capped, deduction: score.deduction, shortfall: score.shortfall,
                              net: score.net, unit: unit) + "\n"
        return out
    }

    static func totalsTable(_ totals: [ScoreTotal], key: String, unit: String) -> TextTable {
        var table = TextTable([(key, .left), ("Records", .right), ("Minutes", .right), ("Earned", .right), ("Capped", .right),
                               ("Taken", .right), ("Shortfall", .right), (unit, .right)])
        for total in totals {
            table.add([total.key, String(total.records), String(total.minutes), Hundredths.format(total.earned),
                       Hundredths.format(total.capped), Hundredths.format(total.deduction), Hundredths.format(total.shortfall),
                       Hundredths.format(total.net)])
        }
        return table
    }

    static func totalJSON(_ total: ScoreTotal) -> JSON {
        .object([("key", .string(total.key)), ("records", .integer(total.records)), ("minutes", .integer(total.minutes)),
                 ("earned", .amount(total.earned)), ("capped", .amount(total.capped)), ("taken", .amount(total.deduction)),
                 ("shortfall", .amount(total.shortfall)), ("points", .amount(total.net))])
    }

    static func linesJSON(_ lines: [ScoreExplanationLine]) -> JSON {
        .array(lines.map { .object([("rule", .string($0.rule)), ("text", .string($0.text)), ("effect", .string($0.effect)),
                                    ("points", .string($0.running))]) })
    }

    static func scoreJSON(_ run: ScoringRun, _ score: RecordScore, explain: Bool) -> JSON {
        let record = run.record(of: score)
        var members: [(String, JSON)] = [
            ("source", .string(record.source)), ("id", .string(record.id)), ("date", .string(record.date.description)),
            ("kind", .string({ if case .service = record { return "service" } else { return "assessment" } }())),
            ("volunteer", .optional(record.volunteer)), ("account", .optional(run.account(of: score)?.description)),
            ("category", .string(ScoringRun.categoryKey(of: record))), ("status", .string(score.status.rawValue)),
            ("policy", .optional(run.version(of: score)?.label)), ("minutes_counted", .integer(score.minutesCounted)),
            ("earned", .amount(score.earned)), ("capped", .amount(score.capped)), ("taken", .amount(score.deduction)),
            ("shortfall", .amount(score.shortfall)), ("points", .amount(score.net)),
        ]
        if explain { members.append(("explanation", linesJSON(run.explanation(of: score)))) }
        return .object(members)
    }
}

/// A record file refused whole, printed with its lines and markers.
struct RenderedFileError: TimeBankError {
    let error: RecordFileError
    let path: String
    let text: String

    /// Every command that shows one reads other encodings with `--encoding`: a file that is not UTF-8 is told so.
    init(error: RecordFileError, path: String, text: String) {
        if case .notUTF8(let encoding) = error {
            self.error = .notUTF8(encoding.offeringEncodingOption)
        } else {
            self.error = error
        }
        self.path = path
        self.text = text
    }

    var code: String { error.code }
    var category: ErrorCategory { error.category }
    var message: String { error.message }

    /// The diagnostics with the file's lines (for a file that is not UTF-8, the message and help alone).
    var rendered: String {
        if case .notUTF8(let encoding) = error {
            return "\(path):\(encoding.location): error[\(encoding.id)]: \(encoding.message)\n  = help: \(encoding.help)\n"
                + "Nothing was read from \(path).\n"
        }
        return DiagnosticRenderer(path: path, source: text).render(error.diagnostics) + "Nothing was read from \(path).\n"
    }
}

extension CommandContext {
    /// Prints a refused record file with its lines; returns the exit code.
    func report(_ error: RenderedFileError) -> Int32 {
        errors.write(error.rendered)
        if json {
            output.line(JSON.object([TimeBankCLI.errorMember(code: error.code, message: error.message, exit: ExitCode.badInput)]).rendered())
        }
        return ExitCode.badInput
    }
}
