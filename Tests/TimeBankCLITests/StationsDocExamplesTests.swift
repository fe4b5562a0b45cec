import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// docs/stations.md's day at station S01, replayed: the page's set-up (the seeds, `config/policy.toml`, 2000 CNY in the
/// fund, the four awards), then the writes of the day that succeed, in the page's order, on 2026-11-22 (UTC+8) at 07:36;
/// the closing-time lists (`receipt list` of the day, `stock history` of the rice) and the end of the day's checks
/// (`booking expire`, `stock verify`, `verify`) must print the blocks the page shows under them, read from the page at
/// test time, character for character. The page's refusals write nothing, so they
/// are left out.
@Suite("docs/stations.md examples")
struct StationsDocExamplesTests {
    static let root = ScoringDocExamplesTests.repositoryRoot
    static let documentPath = root + "/docs/stations.md"

    @Test("closing time: the day's receipt list, the rice's stock history and the end of the day's checks print what the page shows")
    func closingTime() throws {
        let page = try String(contentsOfFile: Self.documentPath, encoding: .utf8)
        let receipts = try #require(ShownCommand.outputBlock(after: "receipt list --station S01 --date 2026-11-22", in: page),
                                    "docs/stations.md: no output block after the ```sh block typing the closing receipt list")
        let history = try #require(ShownCommand.outputBlock(after: "stock history --station S01 --item rice_5kg", in: page),
                                   "docs/stations.md: no output block after the ```sh block typing the rice's stock history")
        let checks = try #require(ShownCommand.outputBlock(after: "stock verify", in: page),
                                  "docs/stations.md: no output block after the ```sh block typing the end of the day's checks")

        let cli = try CLIHarness(now: Timestamp("2026-11-21T23:36:40.000Z")!)
        let admin = CLIHarness.asAdmin, zhang = ["TIMEBANK_OPERATOR": "op-zhang", "TIMEBANK_PIN": "1357"]
        // "Setting up (the admin, once)". The operators are made through the library with few PBKDF2 iterations (the CLI
        // checks them the same way).
        try cli.ok(["init"])
        let store = try TimeBankStore(path: cli.databasePath, clock: cli.clock)
        try store.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "9000", by: nil, iterations: 10)
        for kind in ["team", "household", "volunteer", "station"] {
            try cli.ok([kind, "import", Self.root + "/seeds/\(kind == "team" ? "teams" : kind + "s").csv"], admin)
        }
        try cli.ok(["policy", "activate", Self.root + "/config/policy.toml"], admin)
        try cli.ok(["fund", "donate", "--donor", "爱心企业 鲁味斋", "--amount", "2000"], admin)
        for (volunteer, points, key, memo, expires) in [
            ("V0001", "45", "award-V0001-1", "防汛值守 Ⅱ级响应 3小时", "2026-12-31"), ("V0001", "180", "award-V0001-2", "橙色关怀: 探访独居老人", "2027-10-01"),
            ("V0002", "125", "award-V0002-1", "绿色环保: 垃圾分类督导", "2027-10-01"), ("V0003", "30", "award-V0003-1", "绿色环保: 垃圾分类督导", "2027-10-01"),
        ] {
            try cli.ok(["post", "--from", "system:issuance", "--to", volunteer, "--points", points, "--kind", "award", "--key", key,
                        "--memo", memo, "--expires", expires], admin)
        }
        let signedIn = try store.signIn(operatorID: "admin", pin: "9000")
        try store.addOperator(Operator(id: "op-zhang", name: "张敏", role: .operator, station: "S01"), pin: "1357", by: signedIn, iterations: 10)

        // The day at the counter, as the page tells it.
        for arguments in [
            ["stock", "receive", "--station", "S01", "--item", "rice_5kg", "--qty", "20", "--supplier", "粮油店 发票0153", "--key", "S01-in-1"],
            ["stock", "receive", "--station", "S01", "--item", "biscuits", "--qty", "3", "--key", "S01-in-2"],
            ["stock", "receive", "--station", "S01", "--item", "hair_clip", "--qty", "10", "--key", "S01-in-3"],
            ["redeem", "--station", "S01", "--volunteer", "V0001", "--item", "rice_5kg", "--key", "S01-0001"],
            ["redeem", "--station", "S01", "--volunteer", "V0001", "--item", "rice_5kg", "--key", "S01-0001"],   // the retry
            ["redeem", "--station", "S01", "--volunteer", "V0002", "--item", "biscuits", "--item", "hair_clip:2", "--key", "S01-0002"],
            ["book", "--station", "S01", "--volunteer", "V0001", "--item", "health_check", "--key", "S01-bk-1"],
            ["book", "--station", "S01", "--volunteer", "V0002", "--item", "home_cleaning", "--key", "S01-bk-2"],
            ["cancel", "B2", "--reason", "老人住院, 改期"],
            ["fulfil", "B1"],
            ["refund", "R1", "--reason", "米袋破损, 退回"],
            ["transfer", "--from", "V0002", "--to", "V0003", "--points", "30", "--key", "gift-1", "--memo", "赠送给邻居"],
            ["donate", "--from", "V0002", "--points", "20", "--key", "donate-1"],
        ] {
            try cli.ok(arguments, zhang)
        }

        // Closing time.
        let receiptList = cli.shown(["receipt", "list", "--station", "S01", "--date", "2026-11-22"])
        #expect(receiptList == receipts.body.joined(separator: "\n"),
                "docs/stations.md:\(receipts.lines.lowerBound + 1): timebank receipt list --station S01 --date 2026-11-22 printed:\n\(receiptList)")
        let stockHistory = cli.shown(["stock", "history", "--station", "S01", "--item", "rice_5kg"])
        #expect(stockHistory == history.body.joined(separator: "\n"),
                "docs/stations.md:\(history.lines.lowerBound + 1): timebank stock history --station S01 --item rice_5kg printed:\n\(stockHistory)")
        // The end of the day's checks: the three commands of the block, one after the other, as a terminal shows them.
        // The head hash hangs on every entry's time, which the harness's clock gives otherwise than the page's run did: it is
        // held to be 64 hex digits on both sides, and the rest to the character.
        func headless(_ text: String) -> String {
            text.replacing(/Head hash: [0-9a-f]{64}/, with: "Head hash: (64 hex digits)")
        }
        let checked = [["booking", "expire"], ["stock", "verify"], ["verify"]].map { cli.shown($0, environment: zhang) }.joined(separator: "\n")
        #expect(headless(checked) == headless(checks.body.joined(separator: "\n")) && checked.contains("Head hash: "),
                "docs/stations.md:\(checks.lines.lowerBound + 1): timebank booking expire, stock verify and verify printed:\n\(checked)")
    }
}
