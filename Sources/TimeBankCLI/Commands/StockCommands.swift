import TimeBankCore
import TimeBankStorage

struct StockReceiveCommand: Command {
    static let name = "stock receive"
    static let abstract = "Record goods delivered to a station; their cost is paid from the fund (CNY)"
    static let help = """
    Usage: timebank stock receive --station STATION --item ITEM --qty N --key KEY
                                  [--unit-cost CNY] [--supplier TEXT] [--reason TEXT]
                                  [--date YYYY-MM-DD] [--operator ID]

    Adds N units of a goods item of the policy's catalog to the station's stock and posts their cost
    (N × unit cost, the catalog's unit_cost unless --unit-cost is given) from fund:main to system:outside.
    Stock history is append-only; the same KEY again changes nothing.
    A delivery that costs more than the fund holds is refused (F016) unless --reason says why the fund
    pays it anyway (kept in the ledger entry's memo): a mistyped --qty must not empty the fund. After a
    payment that leaves the fund below zero, or its coverage ratio (fund ÷ value of the points
    outstanding, as fund report computes it) below 1, a WARNING line gives the balance and the ratio
    (in --json: "fund" and "warning"; a retry of a paid delivery gives "fund" as it stands now and
    "warning": null, as nothing was paid again).
    \(CatalogItemOption.help)

    Example:
      timebank stock receive --station S01 --item rice_5kg --qty 20 --supplier "粮油店 发票 0153" --key S01-in-20261008-1
    """
    static let valueOptions = ["--station", "--item", "--qty", "--key", "--unit-cost", "--supplier", "--reason", "--date", OperatorSignIn.option]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        for name in ["--station", "--item"] { _ = try arguments.required(name) }
        _ = try arguments.requiredKey()
        _ = try quantityOption(arguments, default: nil)
        _ = try arguments.date("--date")
        if let cost = try arguments.value("--unit-cost"), Arguments.typedAmount(cost) == nil {
            throw StockError.invalidCost(cost, problem: Arguments.amountProblem(cost))
        }
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
        let outcome = try store.receiveStock(StockReceiveRequest(
            key: try arguments.requiredKey(), station: try arguments.required("--station"), item: try arguments.required("--item"),
            quantity: try quantityOption(arguments, default: nil), unitCost: try arguments.value("--unit-cost").flatMap { Arguments.typedAmount($0) },
            supplierNote: try arguments.value("--supplier") ?? "", date: try arguments.eventDate("--date", today: context.today),
            needsReasonWhenFundShort: true, fundShortfallReason: try arguments.value("--reason") ?? ""), by: session)
        guard outcome.entry != nil else {
            // Free goods because the catalog gives the item no unit_cost, not because anyone said so: say it, as the
            // fund report will never show them.
            // (Read only for a new delivery without --unit-cost: a retry prints what it printed, without the policy.)
            // The item as stored (typed by its label, it is its id now).
            let item = try outcome.movements.first?.item ?? arguments.required("--item")
            let unpriced = try outcome.isNew && arguments.value("--unit-cost") == nil
                && store.policy(inForceOn: outcome.movements.first?.date ?? context.today).policy.catalogItem(item)?.unitCost == nil
            let note = unpriced ? "no fund payment: the policy's catalog gives \(item) no unit_cost, so this delivery is recorded as donated "
                + "goods; a delivery the fund pays for needs unit_cost in the catalog or --unit-cost CNY" : nil
            printStockOutcome(outcome, verb: "Received", context, json: note.map { [("warning", .string($0))] } ?? [],
                              lines: note.map { ["  " + $0] } ?? [], notKept: try stockNotKept(outcome, arguments, signedIn: session.operatorID))
            return ExitCode.done
        }
        // A payment was made: how the fund stands now, read as `fund report` reads it (through today). A retry of a paid
        // delivery gives the same JSON members (a program reading "fund" must find it), with no warning: nothing was paid now.
        let fund = try store.fundReport(from: context.today, through: context.today)
        let warning = outcome.isNew ? Self.warning(fund, paid: outcome.movements.reduce(0) { $0 + Int64($1.quantity) * ($1.unitCost ?? 0) }) : nil
        let ratio = fund.coverage.ratioText(decimals: 6).map(JSON.number) ?? .null
        // The reason for paying more than the fund held is in the payment's memo, not compared: another one now is not kept.
        var notKept = try stockNotKept(outcome, arguments, signedIn: session.operatorID)
        if !outcome.isNew, let entry = outcome.entry, let given = try arguments.value("--reason").map(FundName.normalized), !given.isEmpty {
            let memo = try store.entry(sequence: entry)?.memo ?? ""
            let stored = memo.range(of: " 超支原因 ").map { String(memo[$0.upperBound...]) } ?? ""
            notKept.compare("--reason", given: given, stored: stored, keptAs: stored.isEmpty ? "with no reason" : "with the reason \(stored)")
        }
        printStockOutcome(outcome, verb: "Received", context, json: [
            ("fund", .object([("balance", .amount(fund.closingBalance)), ("coverage_ratio", ratio),
                              ("below_one", .bool(fund.coverage.isBelowOne))])),
            ("warning", .optional(warning)),
        ], lines: [warning].compactMap { $0 }, notKept: notKept)
        return ExitCode.done
    }

    /// The WARNING after a payment that leaves the fund below zero or covering less than the points are worth, or nil.
    static func warning(_ fund: FundReport, paid: Int64) -> String? {
        let balance = Hundredths.format(fund.closingBalance)
        let worth = Hundredths.format((try? FundMath.fen(fund.liability)) ?? 0)
        if fund.closingBalance < 0 {
            let ratio = if case .ratio = fund.coverage { "coverage ratio \(fund.coverage.text(decimals: 4))" } else { fund.coverageLine }
            return "WARNING: after this payment of \(Hundredths.format(paid)) CNY the fund is below zero: balance \(balance) CNY; \(ratio) "
                + "(points outstanding worth \(worth) CNY). Put money in (fund contribute, fund donate) or correct the delivery"
        }
        guard fund.coverage.isBelowOne else { return nil }
        return "WARNING: after this payment of \(Hundredths.format(paid)) CNY the fund covers only \(fund.coverage.text(decimals: 4)) of the "
            + "points outstanding: balance \(balance) CNY for points worth \(worth) CNY (coverage ratio below 1)"
    }
}

struct StockAdjustCommand: Command {
    static let name = "stock adjust"
    static let abstract = "Correct a station's stock with a reason: damaged, lost, count-correction"
    static let help = """
    Usage: timebank stock adjust --station STATION --item ITEM --qty N --reason damaged|lost|count-correction
                                 --key KEY [--note TEXT] [--date YYYY-MM-DD] [--operator ID]

    N is signed: -2 takes two away. damaged and lost only take stock away; a count correction goes
    either way. Stock never goes below 0.
    \(CatalogItemOption.help)

    Example:
      timebank stock adjust --station S01 --item biscuits --qty -2 --reason damaged --note "受潮" --key S01-adj-20261008-1
    """
    static let valueOptions = ["--station", "--item", "--qty", "--key", "--reason", "--note", "--date", OperatorSignIn.option]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        for name in ["--station", "--item"] { _ = try arguments.required(name) }
        _ = try arguments.requiredKey()
        _ = try quantityOption(arguments, default: nil)
        _ = try Self.reason(arguments)
        _ = try arguments.date("--date")
        self.arguments = arguments
    }

    /// Said after a count-correction that takes goods off the shelf: the fund paid for them, and only an admin's post takes
    /// money back. One fact a line, each under 100 characters, for an operator's narrow terminal.
    static let fundNote = [
        "  note: the fund paid for these goods when they were received",
        "    if they never arrived and the supplier pays back, an admin records the money (docs/fund.md):",
        "    timebank post --from system:outside --to fund:main --cny AMOUNT --kind adjustment --key KEY",
    ]

    static func reason(_ arguments: Arguments) throws -> StockAdjustmentReason {
        guard let text = try arguments.value("--reason") else {
            throw StockError.invalidReason("give --reason damaged, lost or count-correction")
        }
        guard let reason = StockAdjustmentReason(rawValue: text) else {
            let hint = Spelling.nearest(to: text, among: StockAdjustmentReason.allCases.map(\.rawValue)).map { "; did you mean \($0)?" } ?? ""
            throw StockError.invalidReason("\"\(text)\" is not damaged, lost or count-correction\(hint)")
        }
        return reason
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
        let outcome = try store.adjustStock(StockAdjustRequest(
            key: try arguments.requiredKey(), station: try arguments.required("--station"), item: try arguments.required("--item"),
            quantity: try quantityOption(arguments, default: nil), reason: try Self.reason(arguments), note: try arguments.value("--note") ?? "",
            date: try arguments.eventDate("--date", today: context.today)), by: session)
        // Fewer goods on the shelf than were received: the fund paid for them at `stock receive`. Goods damaged or lost
        // are the fund's loss; goods that never came were paid for nothing, and only an admin's post takes money back.
        let reason = try Self.reason(arguments)
        let lines = outcome.isNew && reason == .countCorrection && outcome.movements.contains(where: { $0.quantity < 0 })
            ? Self.fundNote : []
        printStockOutcome(outcome, verb: "Adjusted", context, lines: lines,
                          notKept: try stockNotKept(outcome, arguments, signedIn: session.operatorID))
        return ExitCode.done
    }
}

struct StockMoveCommand: Command {
    static let name = "stock move"
    static let abstract = "Send goods from one station to another (out and in as one operation)"
    static let help = """
    Usage: timebank stock move --from STATION --to STATION --item ITEM --qty N --key KEY
                               [--note TEXT] [--date YYYY-MM-DD] [--operator ID]

    The operator must work at the sending station (or be an admin).
    --note TEXT is written after "to S02: " on the way out and "from S01: " on the way in; a stock note
    holds 200 characters with those words, and a longer one is refused (R020, naming what is left).
    \(CatalogItemOption.help)

    Example:
      timebank stock move --from S01 --to S02 --item rice_5kg --qty 5 --key move-20261008-1
    """
    static let valueOptions = ["--from", "--to", "--item", "--qty", "--key", "--note", "--date", OperatorSignIn.option]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        for name in ["--from", "--to", "--item"] { _ = try arguments.required(name) }
        _ = try arguments.requiredKey()
        _ = try quantityOption(arguments, default: nil)
        _ = try arguments.date("--date")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
        let outcome = try store.moveStock(StockMoveRequest(
            key: try arguments.requiredKey(), from: try arguments.required("--from"), to: try arguments.required("--to"),
            item: try arguments.required("--item"), quantity: try quantityOption(arguments, default: nil),
            note: try arguments.value("--note") ?? "", date: try arguments.eventDate("--date", today: context.today)), by: session)
        printStockOutcome(outcome, verb: "Moved", context, notKept: try stockNotKept(outcome, arguments, signedIn: session.operatorID))
        return ExitCode.done
    }
}

struct StockCountCommand: Command {
    static let name = "stock count"
    static let abstract = "Record a stocktake (盘点): the counted numbers, corrected in by count-corrections, all or nothing"
    static let help = """
    Usage: timebank stock count --station STATION --item ITEM --counted N --key KEY
                                [--note TEXT] [--date YYYY-MM-DD] [--dry-run] [--operator ID]
           timebank stock count --station STATION --file COUNTS.csv --key KEY
                                [--encoding NAME] [--note TEXT] [--date YYYY-MM-DD] [--dry-run] [--operator ID]

    For each item counted, compares the number on the shelf with the level the books give (at the end of
    --date, today when not given) and writes the difference, counted − level, as a count-correction (what
    `stock adjust --reason count-correction` writes), keyed KEY/ITEM (S01-count-2026-11/rice_5kg); an item
    that agrees writes nothing. Every line in one transaction: a bad line writes nothing at all. Prints each
    item with its label, the level expected, the number counted and the difference, then the station's
    other stocked items as "not counted" (left as they are). --dry-run prints the same and writes nothing.
    The same KEY with the same counts again prints the stocktake as it was and writes nothing (another --date
    or operator on the retry is said not kept); other counts under it are refused (K006), naming what went through.
    A difference \(StockCountRules.farFromBooks.inWords) (3 counted
    for 63 on the books) is marked "check" (--json: "check": true): most often a slip of the pen. It is
    written as counted all the same; a wrong count is put right by counting the item again under a new KEY.
    Past stocktakes, their lines as counted: timebank stock counts.
    --note TEXT is written on each correction after "盘点 KEY: counted N, expected M; "; a stock note holds
    200 characters with those words, and a longer one is refused before anything is written (R020,
    naming what is left).

    The sheet is CSV in UTF-8 (with or without a byte order mark) with the columns item,counted, headed in
    English or in Chinese (物品 or 商品, 盘点数量 or 实盘数量); an item is its catalog id or its exact catalog
    label. A bad row (an unknown item, one listed twice, a counted number that is blank, negative, not a
    whole number or above 1,000,000, a service) is named with its row and cell (R005, K008, K009, K004).
    An item never delivered to the station is counted like any other: what is on the shelf is put on the
    books, as stock adjust does.
    \(CatalogItemOption.help)
    \(EncodingOption.help)

    Examples:
      timebank stock count --station S01 --file 盘点-2026-11.csv --key S01-count-2026-11 --dry-run
      timebank stock count --station S01 --item biscuits --counted 2 --key S01-count-2026-11-biscuits
    """
    static let valueOptions = ["--station", "--item", "--counted", "--file", "--key", "--note", "--date", EncodingOption.name,
                               OperatorSignIn.option]
    static let flagOptions = ["--dry-run"]
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        _ = try arguments.required("--station")
        _ = try arguments.requiredKey()
        _ = try arguments.date("--date")
        _ = try EncodingOption.parse(arguments)
        let file = try arguments.value("--file"), item = try arguments.value("--item"), counted = try arguments.value("--counted")
        if file != nil, item != nil || counted != nil {
            throw UsageError("give --file COUNTS.csv for a sheet, or --item and --counted for one item, not both")
        }
        if file == nil {
            guard item != nil, let counted else {
                throw UsageError(item == nil ? "give --item ITEM --counted N for one item, or --file COUNTS.csv for a sheet"
                                 : "give --counted N: the number of \(item!) counted on the shelf")
            }
            _ = try StockCountRules.counted(counted).get()
        }
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let session = try OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
        var sheet: CommunityFileContents?
        let lines: [StockCountLine]
        if let path = try arguments.value("--file") {
            let file: CommunityFileContents
            do {
                file = try CommunityFile.rows(path: path, encoding: try EncodingOption.parse(arguments), columns: ["item", "counted"],
                                              required: ["item", "counted"])
            } catch let error as RenderedFileError {
                return context.report(error)
            }
            context.noteSkipped(file.titles, in: path)
            sheet = file
            var read: [StockCountLine] = []
            var problems: [CommunityCSV.RowError] = []
            for (row, fields) in file.rows {
                func cell(_ column: String) -> String { file.header[column].flatMap { $0 < fields.count ? fields[$0] : nil } ?? "" }
                let item = cell("item").trimmingASCIISpaces()
                if item.isEmpty {
                    problems.append(CommunityCSV.RowError(row: row, column: "item", reason: "the item is blank: write its catalog id or label",
                                                          code: "R005"))
                }
                switch StockCountRules.counted(cell("counted")) {
                case .success(let counted): if !item.isEmpty { read.append(StockCountLine(item: item, counted: counted, row: row)) }
                case .failure(let error): problems.append(CommunityCSV.RowError(row: row, column: "counted", reason: error.message, code: error.code))
                }
            }
            if !problems.isEmpty {
                // The items of the rows whose counts were read are checked too (a dry run), so that one round fixes every row.
                if !read.isEmpty {
                    do { _ = try store.countStock(try request(read, context), dryRun: true, by: session) }
                    catch StockCountError.badLines(let more) { problems += more }
                    catch {}
                }
                let sorted = problems.enumerated().sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }.map(\.element)
                return Self.refuse(StockCountError.badLines(sorted), sheet: file, path: path, context)
            }
            // A sheet of its header alone (K010) is named, as every other refusal of a whole file is.
            if read.isEmpty { throw FileRefusedError(StockCountError.empty, path: path) }
            lines = read
        } else {
            lines = [StockCountLine(item: try arguments.required("--item"), counted: try StockCountRules.counted(try arguments.required("--counted")).get())]
        }
        let outcome: StockCountOutcome
        do {
            outcome = try store.countStock(try request(lines, context), dryRun: arguments.flag("--dry-run"), by: session)
        } catch let error as StockCountError {
            guard case .badLines = error, let sheet, let path = try arguments.value("--file") else { throw error }
            return Self.refuse(error, sheet: sheet, path: path, context)
        }
        // A retry finds the stocktake as it was: its day and operator are not compared, so another one now is said not kept.
        let notKept = outcome.isNew || outcome.isDryRun ? RetryNotKept()
            : RetryNotKept(date: try arguments.date("--date"), stored: outcome.date, operator: session.operatorID, storedOperator: outcome.actor)
        Self.print(outcome, context, notKept: notKept)
        return ExitCode.done
    }

    func request(_ lines: [StockCountLine], _ context: CommandContext) throws -> StockCountRequest {
        StockCountRequest(key: try arguments.requiredKey(), station: try arguments.required("--station"), lines: lines,
                          note: try arguments.value("--note") ?? "", date: try arguments.eventDate("--date", today: context.today))
    }

    /// Each bad row of the sheet with its line and a marker under the cell, as the imports show theirs; nothing was written.
    static func refuse(_ error: StockCountError, sheet: CommunityFileContents, path: String, _ context: CommandContext) -> Int32 {
        guard case .badLines(let problems) = error else { return ExitCode.badInput }
        CommunityRowErrors.print(problems, file: sheet, path: path, context)
        if context.json {
            context.output.line(JSON.object([TimeBankCLI.errorMember(code: error.code, message: "\(path): \(error.message)",
                                                                     exit: ExitCode.badInput)]).rendered())
        } else {
            let rows = Set(problems.map(\.row)).count
            context.errors.line("Nothing was written: \(rows) bad row\(rows == 1 ? "" : "s") in \(path). Fix \(rows == 1 ? "it" : "them") and run the same command again.")
        }
        return ExitCode.badInput
    }

    /// `notKept`: what a retry gave that the stocktake does not keep (another --date, another operator).
    static func print(_ outcome: StockCountOutcome, _ context: CommandContext, notKept: RetryNotKept = RetryNotKept()) {
        if context.json {
            let outcomeName = outcome.isDryRun ? "dry_run" : outcome.isNew ? "created" : "exists"
            context.output.line(notKept.addedTo(.object([("outcome", .string(outcomeName))] + json(outcome)),
                                                retry: outcomeName == "exists").rendered())
            return
        }
        if outcome.isDryRun {
            context.output.line("Dry run of stocktake \(outcome.key) at \(outcome.station) on \(outcome.date): nothing was written")
        } else if outcome.isNew {
            context.output.line(heading(outcome))
        } else {
            context.output.line(notKept.clause.map { "Already recorded as stocktake #\(outcome.number ?? 0) (\(outcome.key)) at \(outcome.station): \($0)" }
                                ?? "Already recorded as stocktake #\(outcome.number ?? 0) at \(outcome.station) on \(outcome.date) by \(outcome.actor) "
                                + "(same key, same counts): nothing changed")
        }
        printTable(outcome, context)
        if outcome.isNew && !outcome.isDryRun && outcome.corrected.contains(where: { $0.difference < 0 }) {
            for line in StockAdjustCommand.fundNote { context.output.line(line) }
        }
    }

    /// `Stocktake #1 (S01-count-2026-11) at S01 on 2026-11-08 by op-zhang`.
    static func heading(_ outcome: StockCountOutcome) -> String {
        "Stocktake #\(outcome.number ?? 0) (\(outcome.key)) at \(outcome.station) on \(outcome.date) by \(outcome.actor)"
    }

    /// The table of a stocktake, its summary line and, for counts far from the books, the lines that say what to do.
    static func printTable(_ outcome: StockCountOutcome, _ context: CommandContext) {
        let marked = outcome.toCheck
        var columns: [(String, TextAlignment)] = [("Item", .left), ("Label", .left), ("Expected", .right), ("Counted", .right), ("Difference", .right)]
        if !marked.isEmpty { columns.append(("", .left)) }
        var table = TextTable(columns)
        for result in outcome.results {
            let difference = switch result.status {
            case .corrected: (result.difference > 0 ? "+" : "") + String(result.difference)
            case .agrees: "agrees"
            case .notCounted: "not counted"
            }
            let check = result.needsCheck ? ["check: \(result.counted ?? 0) counted, \(result.expected) on the books"] : marked.isEmpty ? [] : [""]
            table.add([result.item, result.label, String(result.expected), result.counted.map(String.init) ?? "-", difference] + check)
        }
        context.output.write(table.rendered())
        let corrected = outcome.corrected.count
        context.output.line("\(corrected) corrected" + (corrected == 0 ? "" : outcome.isDryRun ? " when written" : " (count-correction, keys \(outcome.key)/ITEM)")
                            + ", \(outcome.agreeing.count) agree, \(outcome.notCounted.count) not counted (left as they are)")
        for line in checkLines(outcome) { context.output.line(line) }
    }

    /// The lines after the table of a stocktake with counts far from the books: one fact a line, each short enough for a
    /// narrow terminal (but for the names of the items, which are as long as they are).
    static func checkLines(_ outcome: StockCountOutcome) -> [String] {
        let marked = outcome.toCheck
        guard !marked.isEmpty else { return [] }
        let names = marked.map { $0.label == $0.item ? $0.item : "\($0.item) (\($0.label))" }.listedInProse
        let was = marked.count == 1 ? "was" : "were"
        let far = "    (far: \(StockCountRules.farFromBooks.inWords))"
        if outcome.isDryRun {
            return ["  check: \(names) \(was) counted far from the books", far,
                    "    count again before writing: a slip of the pen (3 for 63) would be written as counted"]
        }
        return ["  check: \(names) \(was) counted far from the books and written as counted", far,
                "    if a count was wrong, count that item again and run stock count for it under a new key:",
                "    timebank stock count --station \(outcome.station) --item ITEM --counted N --key NEW-KEY",
                "    the new count is set beside the level as it stands then, and corrects it"]
    }

    /// A stocktake as a JSON document's members (without `outcome`): what `stock count` and `stock counts --key` print.
    static func json(_ outcome: StockCountOutcome) -> [(String, JSON)] {
        [
            ("stocktake", outcome.number.map { .integer($0) } ?? .null), ("key", .string(outcome.key)),
            ("station", .string(outcome.station)), ("date", .string(outcome.date.description)), ("operator", .string(outcome.actor)),
            ("note", .string(outcome.note)),
            ("lines", .array(outcome.results.map { result in
                .object([("item", .string(result.item)), ("label", .string(result.label)), ("expected", .integer(result.expected)),
                         ("counted", result.counted.map { .integer($0) } ?? .null), ("difference", .integer(result.difference)),
                         ("status", .string(result.status.rawValue)), ("row", result.row.map { .integer($0) } ?? .null),
                         ("correction_key", result.status == .corrected
                            ? .string(StockCountRequest.correctionKey(outcome.key, item: result.item)) : .null),
                         ("operation", result.operation.map { .integer($0) } ?? .null), ("check", .bool(result.needsCheck))])
            })),
            ("corrected", .integer(outcome.corrected.count)), ("agreeing", .integer(outcome.agreeing.count)),
            ("not_counted", .integer(outcome.notCounted.count)),
        ]
    }
}

/// Prints what a stock operation did; `json` members are added to the JSON object and `lines` printed after the text.
/// `notKept`: what a retry gave that the operation does not keep (`RetryNotKept`): the day (--date) and the operator are
/// not compared, nor the reason a delivery gave for paying more than the fund held; another one on a retry is said not kept.
func printStockOutcome(_ outcome: StockOperationOutcome, verb: String, _ context: CommandContext, json extra: [(String, JSON)] = [],
                       lines: [String] = [], notKept: RetryNotKept = RetryNotKept()) {
    if context.json {
        context.output.line(notKept.addedTo(JSON.object([
            ("outcome", .string(outcome.isNew ? "created" : "exists")), ("operation", .integer(outcome.number)),
            ("entry", outcome.entry.map { .integer($0) } ?? .null),
            ("movements", .array(outcome.movements.map(movementJSON))),
            ("levels_after", .array(outcome.levelsAfter.map {
                .object([("station", .string($0.station)), ("item", .string($0.item)), ("quantity", .integer($0.quantity))])
            })),
        ] + extra), retry: !outcome.isNew).rendered())
        return
    }
    defer { for line in lines { context.output.line(line) } }
    if !outcome.isNew {
        context.output.line(notKept.clause.map { "Already recorded as stock operation #\(outcome.number): \($0)" }
                            ?? "Already recorded as stock operation #\(outcome.number) (same key, same content): nothing changed")
    }
    for movement in outcome.movements {
        context.output.line("\(outcome.isNew ? verb : "  ") \(movement.item) \(movement.quantity > 0 ? "+" : "")\(movement.quantity) at \(movement.station)"
                            + (movement.unitCost.map { " @ \(Hundredths.format($0)) CNY" } ?? ""))
    }
    for level in outcome.levelsAfter { context.output.line("  \(level.station) now has \(level.quantity) \(level.item)") }
    if let entry = outcome.entry { context.output.line("  paid from the fund: entry #\(entry)") }
}

/// What a stock operation sent again gave that it does not keep: another --date, another operator.
func stockNotKept(_ outcome: StockOperationOutcome, _ arguments: Arguments, signedIn: String) throws -> RetryNotKept {
    var notKept = RetryNotKept()
    if !outcome.isNew, let first = outcome.movements.first {
        notKept.compareDate(try arguments.date("--date"), stored: first.date)
        notKept.compareOperator(signedIn, stored: first.actor)
    }
    return notKept
}

func movementJSON(_ movement: StockMovement) -> JSON {
    .object([("id", .integer(movement.id)), ("station", .string(movement.station)), ("item", .string(movement.item)),
             ("quantity", .integer(movement.quantity)), ("kind", .string(movement.kind.rawValue)),
             ("reason", .optional(movement.reason?.rawValue)), ("unit_cost", movement.unitCost.map { .amount($0) } ?? .null),
             ("note", .string(movement.note)), ("operation", movement.operation.map { .integer($0) } ?? .null),
             ("receipt", movement.receipt.map { .string("R\($0)") } ?? .null), ("actor", .string(movement.actor)),
             ("date", .string(movement.date.description)), ("recorded_at", .string(movement.recordedAt.description))])
}

struct StockListCommand: Command {
    static let name = "stock list"
    static let readsOnly = true
    static let abstract = "Show stock levels by station and item, flagging low and empty shelves"

    static let help = """
    Usage: timebank stock list [--station STATION] [--low-at N] [--date YYYY-MM-DD]

    Lists every goods item of the policy in force for each station (or one station), with LOW when
    at most the item's low_stock of the catalog are left (5 when not set, as `report stations` counts),
    or at most N with --low-at N for every item, and OUT at 0; an item never delivered to the station (no stock
    movement of it there) is "not stocked yet", not OUT, as report stations leaves it out of its low stock.
    Without --date: the levels now. With --date D: the
    levels at the end of day D, the sum of the stock movements dated D or before (paper receipts
    typed in later count on their own day), with the goods of the policy in force on D.

    Examples:
      timebank stock list --station S01
      timebank stock list --station S01 --date 2026-10-31
    """
    static let valueOptions = ["--station", "--low-at", "--date"]
    let station: String?
    /// `--low-at N` for every item; nil: each item's `low_stock` from the catalog.
    let lowLevel: Int?
    let date: LocalDate?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        station = try arguments.value("--station")
        if let low = try arguments.value("--low-at") {
            guard let level = Int(low), level >= 0 else { throw UsageError("--low-at must be a whole number ≥ 0") }
            lowLevel = level
        } else {
            lowLevel = nil
        }
        date = try arguments.date("--date")
    }

    /// A shelf's flag in JSON: `"LOW"` or `"OUT"`, null for a shelf that is fine or not stocked yet (`"stocked": false`).
    static func flagJSON(_ flag: String) -> JSON { flag.isEmpty ? .null : .string(flag) }

    /// What the text table says of an item never delivered to the station: it is not on that shelf yet, not sold out.
    static let notStockedText = "not stocked yet"

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let stations = try station.map { [try store.requireStationForCLI($0)] } ?? store.stations()
        let levels = try date.map { try store.stockLevels(station: station, asOf: $0) } ?? store.stockLevels(station: station)
        let catalog = (try? store.counterPolicyInForce(on: date ?? context.today).catalog.filter { $0.kind == .goods }) ?? []
        // The level each item is low at: --low-at for all, else the catalog's `low_stock` (what `report stations` counts).
        func lowAt(_ item: String) -> Int {
            lowLevel ?? catalog.first { $0.id == item }?.lowStockLevel ?? PolicyCatalogItem.defaultLowStock
        }
        // A shelf is stocked once it has a stock movement (by `date`, with --date): what `report stations` counts as the
        // station's shelf. A catalog item never delivered there is not out of stock: it was never in.
        var rows: [(station: Station, item: String, label: String, level: StockLevel, lowAt: Int, stocked: Bool)] = []
        for place in stations {
            var items = catalog.map { ($0.id, $0.label) }
            for level in levels where level.station == place.id && !items.contains(where: { $0.0 == level.item }) {
                items.append((level.item, level.item))
            }
            for (item, label) in items {
                let stored = levels.first { $0.station == place.id && $0.item == item }
                rows.append((place, item, label, StockLevel(station: place.id, item: item, quantity: stored?.quantity ?? 0), lowAt(item),
                             stored != nil))
            }
        }
        func flag(_ row: (station: Station, item: String, label: String, level: StockLevel, lowAt: Int, stocked: Bool)) -> String {
            row.stocked ? row.level.flag(lowLevel: row.lowAt) : ""
        }
        if context.json {
            context.output.line(JSON.array(rows.map {
                .object([("station", .string($0.station.id)), ("item", .string($0.item)), ("label", .string($0.label)),
                         ("quantity", .integer($0.level.quantity)), ("low_stock", .integer($0.lowAt)),
                         ("flag", Self.flagJSON(flag($0))), ("stocked", .bool($0.stocked))]
                        + (date.map { [("at_end_of", JSON.string($0.description))] } ?? []))
            }).rendered())
            return ExitCode.done
        }
        if let date { context.output.line("Stock at the end of \(date) (movements dated \(date) or before):") }
        let levelsDiffer = Set(rows.map(\.lowAt)).count > 1
        var table = TextTable([("Station", .left), ("Item", .left), ("Label", .left), ("On hand", .right), ("Flag", .left)])
        for row in rows {
            let shown = flag(row)
            table.add([row.station.id, row.item, row.label, String(row.level.quantity),
                       row.stocked ? shown + (levelsDiffer && shown == "LOW" ? " (low_stock \(row.lowAt))" : "") : Self.notStockedText])
        }
        context.output.write(table.rendered())
        let low = rows.filter { !flag($0).isEmpty }.count
        let notStocked = rows.filter { !$0.stocked }.count
        let rule = lowLevel.map { "at most \($0) left" }
            ?? (levelsDiffer ? "at or below each item's low_stock, \(PolicyCatalogItem.defaultLowStock) when not set"
                : "at most \(rows.first?.lowAt ?? PolicyCatalogItem.defaultLowStock) left")
        context.output.line("\(rows.count) shelves, \(low) low or out (LOW: \(rule))"
            + (notStocked == 0 ? "" : "; \(notStocked) not stocked yet (never delivered to the station)"))
        return ExitCode.done
    }
}

struct StockHistoryCommand: Command {
    static let name = "stock history"
    static let readsOnly = true
    static let abstract = "Show the append-only stock history of a station or item"
    static let help = """
    Usage: timebank stock history [--station STATION] [--item ITEM] [--limit N]

    \(CatalogItemOption.help)

    Example:
      timebank stock history --station S01 --item rice_5kg
    """
    static let valueOptions = ["--station", "--item", "--limit"]
    let station: String?
    let item: String?
    let limit: Int

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        station = try arguments.value("--station")
        item = try arguments.value("--item")
        limit = try arguments.limit(default: 100)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        if let station { _ = try store.requireStationForCLI(station) }   // a typo is R019, not an empty history
        // An item by id or exact label; a typo is R005.
        let item = try self.item.map { try store.requireStockItem($0, on: context.today) }
        let movements = try store.stockMovements(station: station, item: item, limit: limit)
        if context.json {
            context.output.line(JSON.array(movements.map(movementJSON)).rendered())
            return ExitCode.done
        }
        var table = TextTable([("#", .right), ("Date", .left), ("Station", .left), ("Item", .left), ("Change", .right), ("Kind", .left),
                               ("By", .left), ("Note", .left)])
        for movement in movements {
            let kind = movement.kind.rawValue + (movement.reason.map { " (\($0.rawValue))" } ?? "")
            let note = movement.receipt.map { "R\($0) " } ?? ""
            table.add([String(movement.id), movement.date.description, movement.station, movement.item,
                       (movement.quantity > 0 ? "+" : "") + String(movement.quantity), kind, movement.actor, truncated(note + movement.note, toWidth: 30)])
        }
        context.output.write(table.rendered())
        return ExitCode.done
    }
}

struct StockCountsCommand: Command {
    static let name = "stock counts"
    static let readsOnly = true
    static let abstract = "List the stocktakes on record, or show one whole (its agreeing and not-counted lines too)"
    static let help = """
    Usage: timebank stock counts [--station STATION] [--limit N]
           timebank stock counts --key KEY

    Lists the stocktakes (stock count) on record, newest first: number, day, station, key, operator and
    how many lines were corrected, agreed, not counted and marked check. With --key: the stocktake under
    KEY as it was written, every line with the level expected and the number counted, as stock count
    printed it (stock history shows only the corrections, as count-correction adjustments).
    No sign-in: auditors read it as any other report.

    Examples:
      timebank stock counts --station S01
      timebank stock counts --key S01-count-2026-11
    """
    static let valueOptions = ["--station", "--key", "--limit"]
    let station: String?
    let key: String?
    let limit: Int

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        station = try arguments.value("--station")
        key = try arguments.value("--key")
        let limitGiven = try arguments.value("--limit") != nil
        if key != nil, station != nil || limitGiven {
            throw UsageError("--key shows one stocktake: leave out --station and --limit")
        }
        limit = try arguments.limit(default: 100)
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        if let key {
            let typed = key.trimmingASCIISpaces()
            guard let count = try store.stockCount(key: typed) else { throw StockCountError.unknownKey(typed) }
            if context.json {
                context.output.line(JSON.object(StockCountCommand.json(count)).rendered())
            } else {
                context.output.line(StockCountCommand.heading(count) + (count.note.isEmpty ? "" : " (\(count.note))"))
                StockCountCommand.printTable(count, context)
            }
            return ExitCode.done
        }
        if let station { _ = try store.requireStationForCLI(station) }   // a typo is R019, not an empty list
        let counts = try store.stockCounts(station: station, limit: limit)
        if context.json {
            context.output.line(JSON.array(counts.map { count in
                .object([("stocktake", count.number.map { .integer($0) } ?? .null), ("key", .string(count.key)),
                         ("station", .string(count.station)), ("date", .string(count.date.description)), ("operator", .string(count.actor)),
                         ("note", .string(count.note)), ("corrected", .integer(count.corrected.count)),
                         ("agreeing", .integer(count.agreeing.count)), ("not_counted", .integer(count.notCounted.count)),
                         ("to_check", .integer(count.toCheck.count))])
            }).rendered())
            return ExitCode.done
        }
        var table = TextTable([("#", .right), ("Date", .left), ("Station", .left), ("Key", .left), ("By", .left), ("Corrected", .right),
                               ("Agree", .right), ("Not counted", .right), ("Check", .right)])
        for count in counts {
            table.add([String(count.number ?? 0), count.date.description, count.station, count.key, count.actor, String(count.corrected.count),
                       String(count.agreeing.count), String(count.notCounted.count), String(count.toCheck.count)])
        }
        context.output.write(table.rendered())
        context.output.line("\(counts.count) stocktake\(counts.count == 1 ? "" : "s")"
                            + (counts.isEmpty ? "" : "; each whole: timebank stock counts --key KEY"))
        return ExitCode.done
    }
}

struct StockVerifyCommand: Command {
    static let name = "stock verify"
    static let readsOnly = true
    static let abstract = "Check stock levels, receipts, refunds and bookings against their history and the ledger"
    static let help = """
    Usage: timebank stock verify

    Recomputes every stock level from its movements (V201), checks each receipt against its ledger entry
    and stock movements (V202), system:held against the open bookings (V203), each refund against the
    redemption it undoes (V204), each station's points against its receipts (V205) and each booking against
    its hold entry and its ending's entry (V206). Exit 3 when something is wrong. Run `timebank verify` for
    the ledger itself.

    Example:
      timebank stock verify
    """

    init(_ arguments: Arguments) throws { try arguments.expectPositionals(0...0, "no arguments") }

    func run(_ context: CommandContext) throws -> Int32 {
        let report = try context.openStore().verifyStations()
        if context.json {
            context.output.line(JSON.object([
                ("ok", .bool(report.isClean)), ("stock_levels", .integer(report.stockLevelsChecked)),
                ("receipts", .integer(report.receiptsChecked)), ("bookings", .integer(report.holdsChecked)),
                ("problems", .array(report.problems.map { .object([("code", .string($0.code)), ("message", .string($0.message))]) })),
            ]).rendered())
        } else {
            for problem in report.problems { context.errors.line(problem.description) }
            context.output.line("\(report.isClean ? "OK" : "FAILED"): \(report.stockLevelsChecked) stock levels, \(report.receiptsChecked) receipts, "
                                + "\(report.holdsChecked) bookings checked" + (report.isClean ? "" : "; \(report.problems.count) problems"))
        }
        return report.isClean ? ExitCode.done : ExitCode.integrity
    }
}

extension TimeBankStore {
    /// A station for a read command: R019 with a suggestion when unknown.
    func requireStationForCLI(_ id: String) throws -> Station {
        guard let station = try station(id) else {
            throw RedemptionError.unknownStation(id, suggestion: try stationSuggestion(for: id))
        }
        return station
    }
}
