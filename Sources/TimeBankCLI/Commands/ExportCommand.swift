import TimeBankCore
import TimeBankStorage

struct ExportCommand: Command {
    static let name = "export"
    static let readsOnly = true
    static let abstract = "Export the ledger as a plain-text accounting journal (hledger, ledger-cli)"
    static let help = """
    Usage: timebank export --format ledger [--output FILE]

    One transaction per entry, one posting per line, POINTS and CNY as commodities. hledger and
    ledger-cli read it and balance to the same figures as `timebank balance`.
    The journal is not JSON: with --json it needs --output, and then prints what was written
    ({"file", "format", "entries", "head_hash"}); for the entries as JSON: timebank entry list --json.

    Example:
      timebank export --format ledger --output community.journal && hledger -f community.journal balance
    """
    static let valueOptions = ["--format", "--output"]
    let output: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        let format = try arguments.value("--format") ?? "ledger"
        guard format == "ledger" else { throw UsageError("--format \"\(format)\" is not supported; use --format ledger") }
        output = try arguments.value("--output")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        // Standard output under --json is one JSON document, which a journal is not.
        if context.json && output == nil {
            throw UsageError("export writes a ledger journal, not JSON: give --output FILE (--json then prints what was written), "
                             + "or leave out --json; for the entries as JSON: timebank entry list --json")
        }
        let store = try context.openStore()
        let journal = try LedgerJournal.render(store)
        if let output {
            try FileSystem.write(journal, to: output, database: context.databasePath, example: "community.journal")
            context.errors.line("Wrote \(output)")
            if context.json {
                let head = try store.head()
                context.output.line(JSON.object([("file", .string(output)), ("format", .string("ledger")),
                                                 ("entries", .integer(head.count)),
                                                 ("head_hash", .string(SHA256.hex(head.hash)))]).rendered())
            }
        } else {
            context.output.write(journal)
        }
        return ExitCode.done
    }
}

/// The plain-text accounting journal format read by hledger and ledger-cli.
enum LedgerJournal {
    static func render(_ store: TimeBankStore) throws -> String {
        let head = try store.head()
        var out = "; timebank ledger export: \(head.count) entr\(head.count == 1 ? "y" : "ies"), head hash \(SHA256.hex(head.hash))\n"
        out += "; amounts in POINTS (volunteer points) and CNY (micro-fund yuan), two decimals\n\n"
        var transactions = ""
        var accounts: Set<String> = []
        try store.forEachEntry { entry in
            transactions += "\(entry.effectiveDate) (\(entry.sequence)) \(entry.kind.rawValue)\(entry.reverses.map { " of #\($0)" } ?? "")\n"
            transactions += "    ; key: \(entry.key)\n"
            if !entry.memo.isEmpty { transactions += "    ; memo: \(entry.memo)\n" }
            for posting in entry.postings {
                // Account, at least two spaces, then the number right-aligned and its commodity.
                let account = posting.account.description
                accounts.insert(account)
                let number = Hundredths.format(posting.amount)
                transactions += "    " + account + String(repeating: " ", count: max(2, 44 - account.count - number.count))
                    + number + " " + posting.asset.rawValue + "\n"
            }
            transactions += "\n"
        }
        // Declared, so that strict checks (`hledger check -s`, ledger-cli --pedantic) accept the journal as it is.
        out += "commodity POINTS\ncommodity CNY\n"
        for account in accounts.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { out += "account \(account)\n" }
        return out + "\n" + transactions
    }
}
