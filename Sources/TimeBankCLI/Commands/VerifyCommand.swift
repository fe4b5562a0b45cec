import TimeBankCore
import TimeBankStorage

struct VerifyCommand: Command {
    static let name = "verify"
    static let abstract = "Recompute the whole ledger (hash chain, zero-sum, balances, lots, floors) and the stations' books"
    static let help = """
    Usage: timebank verify

    Reads every entry and checks: each entry's hash and its link to the previous one, that postings sum
    to zero per asset, that no write left an account below its floor, that cached balances equal the
    postings, that every lot's remainder equals its credit less its allocations, and that no lot held less
    than nothing, and no account without lots (a station's points, CNY) less than its floor, at the end
    of any day by the entries' dates (a write dated back spent nothing that came in later). It also checks
    the stations' books: stock, receipts, held points and refunds.
    Exits 0 when all holds, 3 (naming the first broken entry) when anything does not.

    Example:
      timebank verify
    """

    init(_ arguments: Arguments) throws { try arguments.expectPositionals(0...0, "no arguments") }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let report = try store.verify()
        let stations = try store.verifyStations()
        let clean = report.isClean && stations.isClean
        if context.json {
            context.output.line(JSON.object([
                ("ok", .bool(clean)), ("entries", .integer(report.entriesChecked)),
                ("postings", .integer(report.postingsChecked)), ("lots", .integer(report.lotsChecked)),
                ("accounts", .integer(report.accountsChecked)), ("posted_scores", .integer(report.postedScoresChecked)),
                ("dividends", .integer(report.dividendsChecked)), ("head_hash", .string(SHA256.hex(report.headHash))),
                ("first_broken_entry", report.firstBrokenEntry.map { .integer($0) } ?? .null),
                ("stock_levels", .integer(stations.stockLevelsChecked)), ("receipts", .integer(stations.receiptsChecked)),
                ("holds", .integer(stations.holdsChecked)),
                ("problems", .array((report.problems + stations.problems).map {
                    .object([("code", .string($0.code)), ("entry", $0.sequence.map { .integer($0) } ?? .null), ("message", .string($0.message))])
                })),
            ]).rendered())
        } else if clean {
            context.output.line("OK: \(report.entriesChecked) entries, \(report.postingsChecked) postings, \(report.lotsChecked) lots and \(report.accountsChecked) accounts verified.")
            context.output.line("Records: \(report.postedScoresChecked) posted scores agree with their award and penalty entries.")
            if report.dividendsChecked > 0 {
                context.output.line("Dividends: the allocation tables of \(plural(Int(report.dividendsChecked), "dividend")) agree with their entries.")
            }
            context.output.line("Stations: \(stations.stockLevelsChecked) stock levels, \(stations.receiptsChecked) receipts and \(stations.holdsChecked) holds agree with the ledger.")
            context.output.line("Head hash: \(SHA256.hex(report.headHash))")
        } else {
            for problem in report.problems + stations.problems { context.errors.line(problem.description) }
            if let first = report.firstBrokenEntry {
                context.errors.line("verify FAILED: the first broken entry is #\(first) (\(report.problems.count + stations.problems.count) problem(s))")
            } else {
                context.errors.line("verify FAILED: \(report.problems.count + stations.problems.count) problem(s)")
            }
        }
        return clean ? ExitCode.done : ExitCode.integrity
    }
}
