import TimeBankCore
import TimeBankStorage

struct VerifyCommand: Command {
    static let name = "verify"
    static let readsOnly = true
    static let abstract = "Recompute the whole ledger (hash chain, zero-sum, balances, lots, floors) and the stations' books"
    static let help = """
    Usage: timebank verify [--head HASH]...

    Reads every entry and checks: each entry's hash and its link to the previous one, that postings sum
    to zero per asset, that no write left an account below its floor, that cached balances equal the
    postings, that every lot's remainder equals its credit less its allocations, and that no lot held less
    than nothing, and no account without lots (a station's points, CNY) less than its floor, at the end
    of any day by the entries' dates (a write dated back spent nothing that came in later). It also checks
    the stations' books: stock, receipts, held points and refunds. First it runs SQLite's own integrity
    check of the file (V023): a damaged page (a disk fault, a copy made with cp while the database was
    written) can leave every row readable and the ledger's checks passing.
    --head HASH checks that a head noted outside the store is still in the chain: the hash verify, settle
    and backup print (the nightly log keeps it), whole or its first 12 or more hexadecimal digits. The
    entries up to that one are then exactly as they were when it was noted. A ledger cut short after it,
    or rewritten with hashes made afresh (which the chain alone cannot show), fails with V024. Give it
    more than once to check several heads.
    Exits 0 when all holds, 3 (naming the first broken entry, then what to do) when anything does not.

    Examples:
      timebank verify
      timebank verify --head c2789b33b9f1749e
    """

    static let valueOptions = ["--head"]

    /// The heads noted outside the store, as given (hexadecimal digits).
    let heads: [String]

    /// The fewest hexadecimal digits of a head `--head` accepts: 12 digits tell one entry of a million from another with
    /// a chance of a mix-up of about one in 280,000 (and a prefix that names two entries is refused).
    static let headDigitsMinimum = 12

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "no arguments")
        heads = try arguments.values("--head").map { text in
            let hash = text.trimmingCharacters(in: .whitespaces)
            guard (Self.headDigitsMinimum...64).contains(hash.count), hash.allSatisfy(\.isHexDigit) else {
                throw UsageError("--head \"\(text)\" is not a ledger hash: write the 64 hexadecimal digits that verify, settle or "
                                 + "backup printed (at least the first \(Self.headDigitsMinimum)), such as --head c2789b33b9f1749e")
            }
            return hash.lowercased()
        }
    }

    /// The entry each `--head` names, nil for one not in the chain; a prefix that names two entries is refused (exit 2).
    func headEntries(_ store: TimeBankStore) throws -> [Int64?] {
        let found = try store.entries(withHashPrefixes: heads)
        return try heads.map { head in
            let entries = found[head] ?? []
            if entries.count > 1 {
                throw UsageError("--head \(head) begins the hashes of entries #\(entries[0]) and #\(entries[1]): "
                                 + "give more of its digits (all 64 name one entry)")
            }
            return entries.first
        }
    }

    /// The line under a failed verify: what an auditor does next.
    static let whatToDo = "help: verify changed nothing. Stop the writers (the nightly job, the stations) and find out who or what changed "
        + "the file (a hand edit with sqlite3? a disk fault?); if the data is damaged, restore the last good backup "
        + "(docs/operations.md, Restore) and check it with `timebank verify --head HASH` of the last head noted outside the store"
    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let damage = try store.database.integrityProblems()
        // V023 (the file itself), printed as the ledger's problems are.
        let fileProblems = damage.isEmpty ? [] : [VerificationProblem(code: "V023", sequence: nil, message:
            "SQLite's integrity check of the database file failed: \(TimeBankStore.integrityProblemsText(damage)). "
                + "Its pages are damaged (a disk fault, a copy made with cp while it was written, a hand edit): stop the writers "
                + "and restore the last good backup (docs/operations.md, Restore); `sqlite3 DB 'PRAGMA integrity_check'` lists the problems")]
        let report: VerificationReport
        let stations: StationsVerificationReport
        let found: [Int64?]
        do {
            found = try headEntries(store)
            report = try store.verify()
            stations = try store.verifyStations()
        } catch where !fileProblems.isEmpty {
            // The damage stopped the ledger's checks too: say what SQLite found, then what stopped them.
            context.errors.line(fileProblems[0].description)
            context.errors.line("verify FAILED: the ledger could not be read through the damage (\(error))")
            if context.json {
                context.output.line(JSON.object([("ok", .bool(false)), ("problems", .array([
                    .object([("code", .string("V023")), ("entry", .null), ("message", .string(fileProblems[0].message))]),
                ]))]).rendered())
            }
            return ExitCode.integrity
        }
        let head = report.entriesChecked
        // V024: a head noted outside the store that the chain no longer holds.
        let headProblems = zip(heads, found).compactMap { given, entry -> VerificationProblem? in
            guard entry == nil else { return nil }
            return VerificationProblem(code: "V024", sequence: nil, message:
                "the head \(given) given with --head is not in the chain, which ends at #\(head) (head \(SHA256.hex(report.headHash))): "
                    + "the ledger was cut short after that head was noted, or rewritten with hashes made afresh. Stop the writers, "
                    + "and restore the last backup whose head hash is this one or comes after it (docs/operations.md, Restore)")
        }
        let problems = fileProblems + report.problems + headProblems + stations.problems
        let clean = problems.isEmpty
        if context.json {
            context.output.line(JSON.object([
                ("ok", .bool(clean)), ("entries", .integer(report.entriesChecked)),
                ("postings", .integer(report.postingsChecked)), ("lots", .integer(report.lotsChecked)),
                ("accounts", .integer(report.accountsChecked)), ("posted_scores", .integer(report.postedScoresChecked)),
                ("dividends", .integer(report.dividendsChecked)), ("head_hash", .string(SHA256.hex(report.headHash))),
                ("first_broken_entry", report.firstBrokenEntry.map { .integer($0) } ?? .null),
                ("stock_levels", .integer(stations.stockLevelsChecked)), ("receipts", .integer(stations.receiptsChecked)),
                ("holds", .integer(stations.holdsChecked)),
                ("heads", .array(zip(heads, found).map { given, entry in
                    .object([("given", .string(given)), ("entry", entry.map { .integer($0) } ?? .null)])
                })),
                ("problems", .array(problems.map {
                    .object([("code", .string($0.code)), ("entry", $0.sequence.map { .integer($0) } ?? .null), ("message", .string($0.message))])
                })),
            ]).rendered())
        } else if clean {
            func n<Count: BinaryInteger>(_ count: Count, _ noun: String, _ nouns: String) -> String { "\(count) \(count == 1 ? noun : nouns)" }
            context.output.line("OK: \(n(report.entriesChecked, "entry", "entries")), \(n(report.postingsChecked, "posting", "postings")), "
                + "\(n(report.lotsChecked, "lot", "lots")) and \(n(report.accountsChecked, "account", "accounts")) verified.")
            context.output.line("Records: \(report.postedScoresChecked) posted scores agree with their award and penalty entries.")
            if report.dividendsChecked > 0 {
                context.output.line("Dividends: the allocation tables of \(plural(Int(report.dividendsChecked), "dividend")) agree with their entries.")
            }
            context.output.line("Stations: \(stations.stockLevelsChecked) stock levels, \(stations.receiptsChecked) receipts and \(stations.holdsChecked) holds agree with the ledger.")
            context.output.line("Head hash: \(SHA256.hex(report.headHash))")
            for (given, entry) in zip(heads, found) {
                guard let entry else { continue }
                let after = head - entry
                let written = after == 0 ? "" : "; \(after) \(after == 1 ? "entry" : "entries") written after it"
                if entry == 0 {
                    // 64 zeros: the head of the ledger before its first entry, noted on a night when nothing was posted yet.
                    context.output.line("Head \(given) (--head): the empty ledger's head, which every chain begins with\(written).")
                } else {
                    context.output.line("Head \(given) (--head): entry #\(entry), still in the chain"
                        + (after == 0 ? " (the newest entry)." : written + "."))
                }
            }
        } else {
            for problem in problems { context.errors.line(problem.description) }
            if let first = report.firstBrokenEntry {
                context.errors.line("verify FAILED: the first broken entry is #\(first) (\(problems.count) problem\(problems.count == 1 ? "" : "s"))")
            } else {
                context.errors.line("verify FAILED: \(problems.count) problem\(problems.count == 1 ? "" : "s")")
            }
            // What to do (docs/operations.md, exit 3): verify changed nothing; the file was changed outside timebank.
            context.errors.line(Self.whatToDo)
        }
        return clean ? ExitCode.done : ExitCode.integrity
    }
}
