import TimeBankCore
import TimeBankStorage

/// What every `report` command shares: the range, the format and where the report goes.
struct ReportOptions {
    static let valueOptions = ["--from", "--to", "--format", "--out"]
    static let help = """
      --from DATE    the first day (default: the --to day)
      --to DATE      the last day, inclusive (default: yesterday in the community's time zone)
      --format F     text (aligned columns), csv (RFC 4180, a header row of column ids) or json; --json means json
      --out FILE     write the report to FILE instead of standard output (without --format, a FILE
                     ending in .csv, .json or .txt is written in that format, and a --format or --json
                     that says another is refused; a CSV file starts with a UTF-8 byte order mark, so
                     that Excel shows Chinese names)
    """
    let from: LocalDate?
    let to: LocalDate?
    let format: ReportFormat?
    let out: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "no arguments", datesAreOptions: true)
        from = try arguments.date("--from")
        to = try arguments.date("--to")
        format = try arguments.value("--format").map { try ReportError.format($0) }
        out = try arguments.value("--out")
        // Before the command's other options: an `--out` name and a `--format` that disagree is the first thing to fix
        // (Q007); the global `--json` is checked by `resolvedFormat`, first thing in `run`.
        if let format { try Self.checkFile(out, agreesWith: format, askedBy: "--format \(format.rawValue)") }
    }

    /// Q007 when `out`'s name says another format than `asked`.
    static func checkFile(_ out: String?, agreesWith asked: ReportFormat, askedBy: String) throws {
        if let out, let fileFormat = format(ofFileNamed: out), asked != fileFormat {
            throw ReportError.formatDisagreesWithFile(file: out, fileFormat: fileFormat, asked: asked, askedBy: askedBy)
        }
    }

    /// The range asked for: `--to` defaults to yesterday, `--from` to the `--to` day. Q001/Q003 when bad (Q003 only
    /// for a report with a row per day).
    func range(_ context: CommandContext, rowPerDay: Bool = false) throws -> (from: LocalDate, to: LocalDate) {
        let last = to ?? context.today.adding(days: -1)
        let first = from ?? last
        try validate(from: first, through: last, rowPerDay: rowPerDay)
        return (first, last)
    }

    /// Q001/Q003 for a range that ends on `through`, which is yesterday when no `--to` was given: a `--from` after
    /// that says so rather than "after it ends".
    func validate(from first: LocalDate, through last: LocalDate, rowPerDay: Bool = false) throws {
        if to == nil, first > last { throw ReportError.startsAfterDefaultEnd(from: first, yesterday: last) }
        try ReportError.validate(from: first, through: last, rowPerDay: rowPerDay)
    }

    /// The format: `--format`, else json under the global `--json`, else the one `--out`'s name ends with (`.csv`,
    /// `.json`: `--out daily.csv` must not fill a spreadsheet's file with an aligned text table), else text. Q007 when
    /// `--out`'s name says one format and `--format` or `--json` another: `--out daily.json --format csv` would leave a
    /// CSV file that every program opens as JSON, and fails.
    func resolvedFormat(_ context: CommandContext) throws -> ReportFormat {
        if let format, context.json, format != .json {
            throw UsageError("--json and --format \(format.rawValue) ask for different formats; give one of them")
        }
        let asked = format ?? (context.json ? .json : nil)
        if let asked { try Self.checkFile(out, agreesWith: asked, askedBy: format.map { "--format \($0.rawValue)" } ?? "--json") }
        return asked ?? out.flatMap(Self.format(ofFileNamed:)) ?? .text
    }

    /// The report format a file name's extension names, in any case: `.csv`, `.json`, `.txt`; nil for any other.
    static func format(ofFileNamed path: String) -> ReportFormat? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "csv": return .csv
        case "json": return .json
        case "txt": return .text
        default: return nil
        }
    }

    /// The run of a report over the asked range: the format first (Q007 before any work), then the range, then the
    /// table `report` reads from the store for it, emitted as `emit` does.
    func emitRangeReport(_ context: CommandContext, rowPerDay: Bool = false, balancesAtEnd: Bool = false,
                         _ report: (TimeBankStore, LocalDate, LocalDate) throws -> ReportTable) throws -> Int32 {
        let format = try resolvedFormat(context)
        let (from, to) = try range(context, rowPerDay: rowPerDay)
        let store = try context.openStore()
        return try emit(try report(store, from, to), as: format, context, store: store, balancesAtEnd: balancesAtEnd)
    }

    /// Prints the report in `format` (`resolvedFormat`, which each command reads first of all, before the range, the
    /// store or the report's work: `--out daily.json --format csv` on a year's report is refused at once, Q007), or
    /// writes it to `--out` and says so. With `store`, a range that runs past the last settled day or past today gets a
    /// NOTE saying so (`UnsettledRangeNote`): in the notes of text and JSON; CSV has no notes and stays rows only.
    func emit(_ table: ReportTable, as format: ReportFormat, _ context: CommandContext, store: TimeBankStore? = nil,
              balancesAtEnd: Bool = false) throws -> Int32 {
        var table = table
        if let store, let from = table.from, let through = table.to,
           let note = UnsettledRangeNote.note(from: from, through: through, lastSettled: try store.latestSettledDate(), today: context.today,
                                              balancesAtEnd: balancesAtEnd) {
            table.notes.append(note)
        }
        let text = table.rendered(as: format)
        guard let out else {
            context.output.write(text)
            return ExitCode.done
        }
        // A CSV file is for a spreadsheet: Excel on a Chinese Windows reads UTF-8 without a byte order mark as GBK,
        // so every name would be mojibake. Standard output stays plain for programs.
        // A folder given for --out is told a file name in it of the report and the format (`daily.csv`, `ranking.txt`).
        try FileSystem.write(format == .csv ? ReportTable.csvFileByteOrderMark + text : text, to: out,
                             database: context.databasePath, example: "\(table.name).\(format == .text ? "txt" : format.rawValue)")
        if context.json {
            context.output.line(JSON.object([("report", .string(table.name)), ("file", .string(out)),
                                             ("format", .string(format.rawValue)), ("rows", .integer(table.rows.count))]).rendered())
        } else {
            context.output.line("wrote the \(table.name) report (\(table.rows.count) row\(table.rows.count == 1 ? "" : "s"), \(format.rawValue)) to \(out)")
        }
        return ExitCode.done
    }
}

struct ReportDailyCommand: Command {
    static let name = "report daily"
    static let readsOnly = true
    static let abstract = "Per day: records posted, points awarded, deducted, granted, expired, redeemed, refunded, moved; fund CNY"
    static let help = """
    Usage: timebank report daily [--from DATE] [--to DATE] [--format text|csv|json] [--out FILE]

    One row per day of the range, from the ledger's entries by kind and effective date (docs/reports.md):
    records posted (by service date), points awarded, deducted, granted, expired, redeemed (reaching a station),
    refunded (reversals of redemptions), transferred, donated, adjusted, reversed (other reversals), and CNY
    into and out of the fund; a totals row.

    \(ReportOptions.help)

    Examples:
      timebank report daily
      timebank report daily --from 2026-11-01 --to 2026-11-30 --format csv --out daily-2026-11.csv
    """
    static let valueOptions = ReportOptions.valueOptions
    let options: ReportOptions

    init(_ arguments: Arguments) throws { options = try ReportOptions(arguments) }

    func run(_ context: CommandContext) throws -> Int32 {
        try options.emitRangeReport(context, rowPerDay: true) { store, from, to in try store.dailyReport(from: from, through: to) }
    }
}

struct ReportStationsCommand: Command {
    static let name = "report stations"
    static let readsOnly = true
    static let abstract = "Per station: receipts, refunds, redemptions, items out, points received, low stock"
    static let help = """
    Usage: timebank report stations [--from DATE] [--to DATE] [--format text|csv|json] [--out FILE]

    Per station (兑换站): receipts and refunds in the range, redemptions (receipts less refunds), items out (units
    redeemed less units refunded), points received (the ledger's postings to station:ID), and how many goods are
    low (5 units or fewer on the last day, from the stock movements). The notes check the ledger's points against
    the receipts and name every low item.

    \(ReportOptions.help)

    Examples:
      timebank report stations --from 2026-11-01 --to 2026-11-30
      timebank report stations --json
    """
    static let valueOptions = ReportOptions.valueOptions
    let options: ReportOptions

    init(_ arguments: Arguments) throws { options = try ReportOptions(arguments) }

    func run(_ context: CommandContext) throws -> Int32 {
        try options.emitRangeReport(context) { store, from, to in try store.stationsReport(from: from, through: to) }
    }
}

struct ReportCategoriesCommand: Command {
    static let name = "report categories"
    static let readsOnly = true
    static let abstract = "Per category and indicator: records posted, hours, points awarded and deducted"
    static let help = """
    Usage: timebank report categories [--from DATE] [--to DATE] [--format text|csv|json] [--out FILE]

    Per service category (五彩: red, orange, blue, green, purple) and per assessment indicator: records posted,
    minutes counted and hours, points awarded and deducted, from the posted scores of the records dated in the
    range; amounts of reversed entries are left out.

    \(ReportOptions.help)

    Example:
      timebank report categories --from 2026-11-01 --to 2026-11-30
    """
    static let valueOptions = ReportOptions.valueOptions
    let options: ReportOptions

    init(_ arguments: Arguments) throws { options = try ReportOptions(arguments) }

    func run(_ context: CommandContext) throws -> Int32 {
        try options.emitRangeReport(context) { store, from, to in try store.categoriesReport(from: from, through: to) }
    }
}

struct ReportRejectsCommand: Command {
    static let name = "report rejects"
    static let readsOnly = true
    static let abstract = "Every record of a range accounted for: rejected with reasons, pending with why"
    static let help = """
    Usage: timebank report rejects [--from DATE] [--to DATE] [--format text|csv|json] [--out FILE]

    Lists each record with a service date in the range that is not posted: rejected ones with their reason,
    pending ones with why they wait (no verifier yet, the date they are accepted automatically, no policy in
    force), approved ones the next settlement posts. The last line checks that every record read is accounted
    for: read = posted + pending + rejected + approved-not-posted. Exits 3 when it does not add up.

    \(ReportOptions.help)

    Example:
      timebank report rejects --from 2026-11-01 --to 2026-11-30
    """
    static let valueOptions = ReportOptions.valueOptions
    let options: ReportOptions

    init(_ arguments: Arguments) throws { options = try ReportOptions(arguments) }

    func run(_ context: CommandContext) throws -> Int32 {
        let format = try options.resolvedFormat(context)
        let (from, to) = try options.range(context)
        let store = try context.openStore()
        // The exit code is the printed check's: both read in one snapshot.
        let (report, accounting) = try store.rejectsReportAccounted(from: from, through: to)
        let exit = try options.emit(report, as: format, context, store: store)
        return accounting.addsUp ? exit : ExitCode.integrity
    }
}

struct ReportRankingCommand: Command {
    static let name = "report ranking"
    static let readsOnly = true
    static let abstract = "Volunteers ranked by points earned or hours served (ties share a rank)"
    static let help = """
    Usage: timebank report ranking [--from DATE] [--to DATE] [--top N] [--by points|hours]
                                   [--format text|csv|json] [--out FILE]

    Ranks volunteers by points earned (awards, not reversed) or hours served in the range. Equal measures share
    a rank (1, 2, 2, 4); within a tie, the other measure and then the volunteer id decide the order; the top N
    lists everyone tied at place N, so it may be longer than N; volunteers with nothing are not ranked.
    --top and --by default to the [ranking] of the policy in force on the last day (top 10 by points when
    it has none). Without --from the range is the policy's ranking period (a month unless it says otherwise)
    that holds the --to day (default: yesterday), up to it: --to 2026-10-31 ranks October.

      --top N        how many places (default: the policy's top)
      --by MEASURE   points or hours (default: the policy's)
    \(ReportOptions.help)

    Examples:
      timebank report ranking
      timebank report ranking --to 2026-10-31 --top 10 --by hours      # October
    """
    static let valueOptions = ReportOptions.valueOptions + ["--top", "--by"]
    let options: ReportOptions
    let top: Int?
    let measure: PolicyRanking.Measure?

    init(_ arguments: Arguments) throws {
        options = try ReportOptions(arguments)
        if let text = try arguments.value("--top") {
            guard let value = Arguments.wholeNumber(text), value >= 1 else { throw ReportError.invalidTop(text) }
            top = value
        } else {
            top = nil
        }
        if let text = try arguments.value("--by") {
            guard let value = PolicyRanking.Measure(rawValue: text.lowercased()) else { throw ReportError.unknownMeasure(text) }
            measure = value
        } else {
            measure = nil
        }
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let format = try options.resolvedFormat(context)
        let store = try context.openStore()
        let last = options.to ?? context.today.adding(days: -1)
        let policyRanking: PolicyRanking? = try store.policyVersion(inForceOn: last) == nil
            ? nil : try store.policy(inForceOn: last).policy.ranking
        // Without --from, the ranking period that holds the last day, up to it: `--to 2026-10-31` is October's ranking,
        // not the ranking of one day, which nobody who names a month's last day means.
        let first = options.from ?? ScoringWindow(policyRanking?.period ?? .month, containing: last).start
        try options.validate(from: first, through: last)
        let table = try store.rankingReport(from: first, through: last, top: top ?? policyRanking?.top ?? 10,
                                            by: measure ?? policyRanking?.by ?? .points)
        return try options.emit(table, as: format, context, store: store)
    }
}

struct ReportLevelsCommand: Command {
    static let name = "report levels"
    static let readsOnly = true
    static let abstract = "Star levels (星级志愿者): who reached, lost or changed a level, and how many hold each"
    static let help = """
    Usage: timebank report levels [--from DATE] [--to DATE] [--format text|csv|json] [--out FILE]

    Every star-level change the nightly settlement made on a night in the range, oldest first: the volunteer,
    the level before and after (named as the policy in force on the last day names them; a level it does not
    have, by the latest earlier version that does), whether it was reached, went up or down (by the levels of
    the version in force that night), or was lost (a withdrawn record can take a level away), and the total it was
    worked out from (minutes and hours served, or points earned when the levels count points). A note (text
    and json) says how many volunteers held each level at the end of the range.
    Without --from the range is the month that holds the --to day (default: yesterday), up to it.

    \(ReportOptions.help)

    Examples:
      timebank report levels                        # this month's new stars, up to yesterday
      timebank report levels --to 2026-10-31        # October
    """
    static let valueOptions = ReportOptions.valueOptions
    let options: ReportOptions

    init(_ arguments: Arguments) throws { options = try ReportOptions(arguments) }

    func run(_ context: CommandContext) throws -> Int32 {
        let format = try options.resolvedFormat(context)
        let last = options.to ?? context.today.adding(days: -1)
        let first = options.from ?? ScoringWindow(.month, containing: last).start
        try options.validate(from: first, through: last)
        let store = try context.openStore()
        return try options.emit(try store.levelsReport(from: first, through: last), as: format, context, store: store)
    }
}

struct ReportExpiringCommand: Command {
    static let name = "report expiring"
    static let readsOnly = true
    static let abstract = "Notices of points expiring soon: who, how many, when"
    static let help = """
    Usage: timebank report expiring [--as-of DATE] [--within DAYS] [--format text|csv|json] [--out FILE]
           timebank report expiring --from DATE --to DATE [--format text|csv|json] [--out FILE]

    Lists, per volunteer or household account and expiry date, the points still in lots that expire after the
    --as-of day and at most --within days after it, sorted by date and then account, with names and a totals
    row. A lot expiring on a day can be spent until the day before. --from and --to instead list the lots
    expiring on those days (inclusive), past or to come, whenever they were credited: for a day past, the
    points that expired; for a day to come, what is still there.

      --as-of DATE   the day the notices are for (default: today in the community's time zone)
      --within DAYS  how many days ahead (default: warn_days of the policy in force, 30 when there is none)
      --from DATE, --to DATE   the expiry dates to list instead (both needed)
      --format F     text, csv or json; --json means json
      --out FILE     write the report to FILE instead of standard output (without --format, a FILE
                     ending in .csv, .json or .txt is written in that format, and a --format or --json
                     that says another is refused; a CSV file starts with a UTF-8 byte order mark, so
                     that Excel shows Chinese names)

    Examples:
      timebank report expiring
      timebank report expiring --as-of 2026-11-30 --within 14 --format csv --out expiring.csv
    """
    static let valueOptions = ReportOptions.valueOptions + ["--as-of", "--within"]
    let options: ReportOptions
    let asOf: LocalDate?
    let within: Int?

    init(_ arguments: Arguments) throws {
        options = try ReportOptions(arguments)
        asOf = try arguments.date("--as-of")
        if let text = try arguments.value("--within") {
            guard let days = Arguments.wholeNumber(text), (0...ReportError.rangeDaysMaximum).contains(days) else {
                throw ReportError.invalidWithin(text, maximum: ReportError.rangeDaysMaximum)
            }
            within = days
        } else {
            within = nil
        }
        let byRange = options.from != nil || options.to != nil
        if byRange, asOf != nil || within != nil {
            throw UsageError("give --from and --to, or --as-of and --within, not both")
        }
        if byRange, options.from == nil || options.to == nil {
            throw UsageError("--from and --to go together here: give both (the first and last expiry dates to list)")
        }
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let format = try options.resolvedFormat(context)
        let store = try context.openStore()
        let table: ReportTable
        if let from = options.from, let to = options.to {
            table = try store.expiringReport(from: from, through: to)
        } else {
            let day = asOf ?? context.today
            let days = try within ?? (store.policyVersion(inForceOn: day) == nil ? 30 : store.policy(inForceOn: day).policy.expiry.warnDays)
            table = try store.expiringReport(asOf: day, withinDays: days)
        }
        return try options.emit(table, as: format, context)
    }
}

struct ReportFundCommand: Command {
    static let name = "report fund"
    static let readsOnly = true
    static let abstract = "The micro-fund as a report: money in and out by kind, balances, points outstanding, coverage"
    static let help = """
    Usage: timebank report fund [--from DATE] [--to DATE] [--format text|csv|json] [--out FILE]

    The numbers of `timebank fund report` (docs/reports.md) as a report table: one row per kind of money
    movement of fund:main in the range (entries, CNY in, CNY out) with a totals row; the notes give the opening
    and closing balance, the points outstanding at the end, their value at the policy's point_value, the coverage
    ratio (fund ÷ that value) and a WARNING line when it is below 1. For programs the same numbers are figures:
    a "figures" object in JSON (coverage_ratio, below_one… as in fund report --json), and in CSV one value per
    line under the header figure,kind,value (cny_in,contributions,30.00 … closing_balance,,30.00 … below_one,,true).

    \(ReportOptions.help)

    Example:
      timebank report fund --from 2026-11-01 --to 2026-11-30 --format csv
    """
    static let valueOptions = ReportOptions.valueOptions
    let options: ReportOptions

    init(_ arguments: Arguments) throws { options = try ReportOptions(arguments) }

    func run(_ context: CommandContext) throws -> Int32 {
        try options.emitRangeReport(context, balancesAtEnd: true) { store, from, to in try store.fundReportTable(from: from, through: to) }
    }
}
