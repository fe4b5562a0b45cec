import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

@Suite("export --format ledger")
struct ExportTests {
    static let hledger = findExecutable("hledger")

    func ledger() throws -> CLIHarness {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20.25", "--kind", "award", "--key", "a1", "--memo", "巡逻; 2小时"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V2", "--points", "10", "--kind", "award", "--key", "a2"])
        try cli.ok(["post", "--from", "V1", "--to", "V2", "--points", "3.1", "--kind", "adjustment", "--key", "t1"])
        try cli.ok(["post", "--from", "V2", "--to", "system:adjustments", "--points", "8", "--kind", "redemption", "--key", "r1"])
        try cli.ok(["reverse", "r1", "--key", "undo-r1", "--reason", "误操作"])
        try cli.ok(["post", "--from", "system:outside", "--to", "fund:main", "--cny", "1234.56", "--kind", "fund", "--key", "f1", "--memo", "商户注资"])
        try cli.ok(["post", "--from", "fund:main", "--to", "system:outside", "--cny", "200", "--kind", "fund", "--key", "f2"])
        return cli
    }

    @Test("one transaction per entry, one posting per line, POINTS and CNY as commodities")
    func journalShape() throws {
        let cli = try ledger()
        let journal = try cli.ok(["export", "--format", "ledger"])
        let transactions = journal.split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(transactions.count == 7)
        #expect(journal.contains("\n    volunteer:V1                           20.25 POINTS\n"))
        #expect(journal.contains("\n    fund:main                            1234.56 CNY\n"))
        #expect(journal.contains("(5) reversal of #4"))
        // Commodities and accounts are declared before the transactions, for strict checks.
        #expect(journal.contains("\ncommodity POINTS\ncommodity CNY\naccount fund:main\naccount system:adjustments\n"))
    }

    @Test("hledger reads the export and its balances equal `timebank balance` for every account",
          .enabled(if: hledger != nil, "hledger is not installed (apt-get install hledger); .ci/run installs it"))
    func hledgerAgrees() throws {
        let cli = try ledger()
        let path = cli.folder + "/export.journal"
        try cli.ok(["export", "--format", "ledger", "--output", path])
        let strict = try runProcess(Self.hledger!, ["-f", path, "check", "-s"])
        #expect(strict.status == 0, "hledger check -s failed: \(strict.errors)")
        let result = try runProcess(Self.hledger!, ["-f", path, "balance", "--flat", "--no-total", "--empty", "-O", "csv"])
        #expect(result.status == 0, "hledger failed: \(result.errors)")
        // hledger prints one row per account and commodity: "account","amount COMMODITY".
        var hledgerBalances: [String: Int64] = [:]
        for line in result.output.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard fields.count == 2 else { continue }
            for amount in fields[1].split(separator: ",") {
                let parts = amount.trimmingCharacters(in: .whitespaces).split(separator: " ")
                guard parts.count == 2, let value = Hundredths.parse(parts[0]) else { continue }
                hledgerBalances["\(fields[0]) \(parts[1])", default: 0] += value
            }
        }
        let store = try TimeBankStore(path: cli.databasePath)
        var ours: [String: Int64] = [:]
        for row in try store.balances() { ours["\(row.account) \(row.asset.rawValue)"] = row.balance }
        #expect(!ours.isEmpty)
        #expect(hledgerBalances.filter { $0.value != 0 } == ours, "hledger said:\n\(result.output)")
    }
}
