import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// docs/fund.md's example community, built as the page describes it: three households (王家 H0001, 李家 H0002, 张家
/// H0003, one volunteer each) under `config/policy.toml`, whose volunteers earned 20.00 points in September, 40.00 in
/// October and 60.00 in November; the commands typed on 21 November 2026, the dividend's on 5 January 2027. Each
/// command the page shows as `$ timebank …` is run in that order and must print what the page shows under it, read
/// from the page at test time, character for character.
@Suite("docs/fund.md examples")
struct FundDocExamplesTests {
    static let root = ScoringDocExamplesTests.repositoryRoot
    static let documentPath = root + "/docs/fund.md"
    static let typedOn = Timestamp("2026-11-21T02:00:00.000Z")!
    static let dividendOn = Timestamp("2027-01-05T02:00:00.000Z")!

    /// The commands of the page that run on the demo community (`timebank demo`), not on the three households.
    static let onTheDemo = [
        "stock receive --station S03 --item rice_5kg --qty 10000 --key big1",
        "stock receive --station S03 --item rice_5kg --qty 10000 --key big1 --reason \"发票 123: 整年的米\"",
    ]

    @Test("the three households' contributions, donation, fund reports and dividend print what the page shows")
    func threeHouseholds() throws {
        var shown = ShownCommand.all(in: try String(contentsOfFile: Self.documentPath, encoding: .utf8))
        let cli = try CLIHarness(now: Self.typedOn)
        let admin = CLIHarness.asAdmin

        // The community. The admin and 张敏 are made through the library with few PBKDF2 iterations (the CLI checks
        // them the same way); nothing here writes a ledger entry, so the awards are entries #1 to #4, as on the page.
        try cli.ok(["init"])
        let store = try TimeBankStore(path: cli.databasePath, clock: cli.clock)
        try store.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "9000", by: nil, iterations: 10)
        try cli.ok(["team", "import", Self.root + "/seeds/teams.csv"], admin)
        try cli.ok(["household", "import", try cli.write("households.csv", """
            id,name,address
            H0001,王家,泰山路1号
            H0002,李家,泰山路2号
            H0003,张家,泰山路3号

            """)], admin)
        try cli.ok(["volunteer", "import", try cli.write("volunteers.csv", """
            id,name,household,birth_date,teams,tags,joined
            V0001,王一,H0001,1960-01-01,orange,,2024-01-01
            V0002,李二,H0002,1960-01-01,orange,,2024-01-01
            V0003,张三,H0003,1960-01-01,orange,,2024-01-01

            """)], admin)
        try cli.ok(["station", "import", Self.root + "/seeds/stations.csv"], admin)
        try cli.ok(["policy", "activate", Self.root + "/config/policy.toml"], admin)
        for (key, volunteer, points, date) in [("a1", "V0001", "20", "2026-09-15"), ("a2", "V0001", "40", "2026-10-15"),
                                               ("a3", "V0002", "40", "2026-11-15"), ("a4", "V0003", "20", "2026-11-15")] {
            try cli.ok(["post", "--from", "system:issuance", "--to", volunteer, "--points", points, "--kind", "award", "--key", key,
                        "--date", date, "--expires", "2027-12-31"], admin)
        }
        let signedIn = try store.signIn(operatorID: "admin", pin: "9000")
        try store.addOperator(Operator(id: "op-zhang", name: "张敏", role: .operator, station: "S01"), pin: "1357", by: signedIn, iterations: 10)

        /// Runs the page's next showing of `command` and compares.
        func check(_ command: String, at moment: Timestamp? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            let position = try #require(shown.firstIndex { $0.command == command },
                                        "docs/fund.md shows no (more) `$ timebank \(command)`", sourceLocation: sourceLocation)
            let example = shown.remove(at: position)
            let actual = cli.shown(ReadmeTourTests.words(command), environment: admin, at: moment)
            #expect(actual == example.expected, "docs/fund.md:\(example.line): timebank \(command) printed:\n\(actual)",
                    sourceLocation: sourceLocation)
        }

        try check("fund contribute --merchant 泰山路超市 --turnover 12345.67 --date 2026-11-20")
        try check("fund contribute --merchant 泰山路超市 --turnover 12345.67 --date 2026-11-20")   // the retry
        try check("fund contribute --merchant 泰山路超市 --turnover 800 --date 2026-11-20")
        try check("fund contribute --merchant 泰山路超市 --turnover \"12,345.67\"")
        try check("fund donate --donor \"爱心企业 鲁味斋\" --amount 500 --date 2026-11-20 --memo \"重阳节捐赠\"")
        // The stock purchase the page names under the November report: 10 × 10.00 CNY.
        try cli.ok(["stock", "receive", "--station", "S01", "--item", "biscuits", "--qty", "10", "--key", "S01-in-1"],
                   ["TIMEBANK_OPERATOR": "op-zhang", "TIMEBANK_PIN": "1357"])
        try check("fund report --from 2026-11-01 --to 2026-11-30")
        try check("fund report --from 2026-10-01 --to 2026-10-31")
        try check("dividend --period 2026-Q4 --amount 333.33 --date 2026-12-20", at: Self.dividendOn)
        try check("dividend --period 2026-Q4 --amount 333.33 --date 2027-01-05", at: Self.dividendOn)
        try check("fund report --from 2027-01-01 --to 2027-01-31 --json", at: Self.dividendOn)

        // "Running it again prints `Already paid under this key (same content): nothing changed.` and the same table."
        let paid = try #require(ShownCommand.all(in: try String(contentsOfFile: Self.documentPath, encoding: .utf8))
            .first { $0.command == "dividend --period 2026-Q4 --amount 333.33 --date 2027-01-05" })
        let again = cli.shown(["dividend", "--period", "2026-Q4", "--amount", "333.33", "--date", "2027-01-05"], environment: admin,
                              at: Self.dividendOn)
        #expect(again.hasPrefix("Already paid under this key (same content): nothing changed."), "\(again)")
        #expect(again.contains(paid.expected.components(separatedBy: "\n\n")[1]), "\(again)")

        // Every command the page shows was run, but the two of the demo community (DemoCommandTests runs those).
        #expect(shown.map(\.command) == Self.onTheDemo, "docs/fund.md shows commands this test does not run: \(shown.map(\.command))")
    }
}
