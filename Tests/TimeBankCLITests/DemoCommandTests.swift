import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

@Suite("CLI: demo")
struct DemoCommandTests {
    @Test("the demo's fund never goes below zero (the merchants' and the donor's money comes in before the first goods are bought); its baskets; docs/fund.md's F016 example on it")
    func fundNeverNegative() throws {
        let cli = try CLIHarness()
        let path = cli.folder + "/demo.sqlite"
        let result = cli.run(["--db", path, "demo"])
        #expect(result.exit == 0, "\(result.errors)")
        #expect(result.output.contains("8. Stations: twelve merchants and a donor put 39200.00 CNY into the micro-fund; "), "\(result.output)")
        #expect(result.output.contains("(paid from the fund: 620.00 CNY, 38580.00 CNY left)"))
        let store = try TimeBankStore(path: path)
        var day = LocalDate("2026-10-01")!
        while day <= LocalDate("2026-11-07")! {
            let report = try store.fundReport(from: day, through: day)
            #expect(report.closingBalance >= 0, "the fund is \(Hundredths.format(report.closingBalance)) CNY at the end of \(day)")
            day = day.adding(days: 1)
        }
        #expect(try store.fundReport(from: LocalDate("2026-10-08")!, through: LocalDate("2026-10-08")!).closingBalance == 3_858_000)
        // The thirty nights take a basket a day: the last one that went through is named, with its two receipts.
        let named = result.output.components(separatedBy: "receipt show ").dropFirst().first?.prefix { !$0.isWhitespace }
        let key = try #require(named.map(String.init), "\(result.output)")
        #expect(key.hasPrefix("demo-basket-"))
        #expect(try store.basketReceipts(key: key).map(\.itemLabel) == ["饼干礼盒", "发夹饰品"])
        // The nights happen on their days: a record without a verifier, imported on its day, is accepted 7 days after it,
        // whatever the machine's clock says (the days count from the import when that is later).
        let waiting = try store.records(matching: RecordQuery(status: .pending, posted: false))
        #expect(!waiting.isEmpty && waiting.allSatisfy { $0.record.date >= LocalDate("2026-11-01")! },
                "\(waiting.map { "\($0.record.id) \($0.record.date) imported \($0.importedAt)" })")
        #expect(waiting.allSatisfy { $0.importedAt.date(offsetMinutes: 480) == $0.record.date })
        // Step 11 shows October's ranking as `report ranking` gives it now. The settlement of 11-01 wrote it while the last
        // days' records without a verifier were pending, so its stored copy differs, and the label says which one is shown.
        let live = try store.rankingReport(from: LocalDate("2026-10-01")!, through: LocalDate("2026-10-31")!, top: 10, by: .points)
        let stored = try #require(try store.settlementReports(on: LocalDate("2026-11-01")!).first { $0.name == "ranking" && $0.format == "text" })
        #expect(stored.content != live.rendered(as: .text))
        let step11 = try #require(result.output.components(separatedBy: "\n11. ").dropFirst().first)
        #expect(step11.hasPrefix("The ranking of 2026-10 as it stands now (timebank report ranking --from 2026-10-01 --to 2026-10-31; "
                                 + "the settlement of 2026-11-01 wrote it as it stood that night: "), "\(step11.prefix(200))")
        let shown = step11.split(separator: "\n").dropFirst().prefix { $0.hasPrefix("   ") }.map { String($0.dropFirst(3)) }
        #expect(shown == live.rendered(as: .text).split(separator: "\n").map(String.init))

        // docs/fund.md's delivery the fund cannot pay (F016), then paid with a reason, is shown on the demo community on
        // 2026-11-08: the page's blocks, read from it at test time, are what the two commands print.
        let page = try String(contentsOfFile: FundDocExamplesTests.documentPath, encoding: .utf8)
        let demoAdmin = ["TIMEBANK_OPERATOR": "admin", "TIMEBANK_PIN": "demo-admin"]
        for command in FundDocExamplesTests.onTheDemo {
            let example = try #require(ShownCommand.all(in: page).first { $0.command == command }, "docs/fund.md shows no `$ timebank \(command)`")
            let printed = cli.shown(["--db", path] + ReadmeTourTests.words(command), environment: demoAdmin,
                                    at: Timestamp("2026-11-08T02:00:00.000Z")!)
            #expect(printed == example.expected, "docs/fund.md:\(example.line): timebank \(command) printed:\n\(printed)")
        }
    }

    @Test("the demo tells every receipt of its counter day (step 8), so the shelf it shows adds up (2 boxes of biscuits in, 1 left: who took the other is said); step 3's redemption names catalog items at the catalog's prices")
    func counterDayToldWhole() throws {
        let cli = try CLIHarness()
        let path = cli.folder + "/demo.sqlite"
        let result = cli.run(["--db", path, "demo"])
        #expect(result.exit == 0, "\(result.errors)")
        let store = try TimeBankStore(path: path)
        let step8 = try #require(result.output.components(separatedBy: "\n8. ").dropFirst().first?.components(separatedBy: "\n9. ").first)
        let receipts = try store.receipts(on: LocalDate("2026-10-08")!)
        #expect(receipts.count == 2)
        for receipt in receipts {
            #expect(step8.contains("\(receipt.itemLabel) for \(Hundredths.format(receipt.points)) 积分: receipt R\(receipt.number)"),
                    "R\(receipt.number) (\(receipt.itemLabel)) is not told:\n\(step8)")
        }
        // Step 3 came before the policy, by hand; its memo still says what the catalog (the policy activated in step 7) sells at that price.
        let policy = try #require(try store.counterPolicyInForce(on: LocalDate("2026-10-08")!))
        let redemption = try #require(try store.statement(of: .volunteer("V0004")).first { $0.kind == .redemption })
        let labels = try #require(redemption.memo.split(separator: ": ", maxSplits: 1).last).components(separatedBy: " + ")
        let prices = try labels.map { label in try #require(policy.catalog.first { $0.label == label }, "\(label) is no catalog item").price.hundredths() }
        #expect(prices.reduce(0, +) == -redemption.amount, "\(redemption.memo): \(prices) for \(Hundredths.format(-redemption.amount))")
    }

    @Test("the seed community's village and charity supermarket are named as the seed documents (domain.md) name them: 波尔村 (Bo'er village) with its 不二乡贤超市, and 抚江社区's 慈善超市; each household's address starts with a station's community")
    func seedPlacesAreTheDocumentsPlaces() throws {
        let seeds = ReadmeTourTests.repository.appendingPathComponent("seeds")
        func rows(_ file: String) throws -> [[String]] {
            try String(contentsOf: seeds.appendingPathComponent(file), encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        let stations = try rows("stations.csv")
        let byID = Dictionary(uniqueKeysWithValues: stations.map { ($0[0], $0) })
        #expect(byID["S09"].map { [$0[1], $0[2]] } == ["不二乡贤超市", "波尔村"])
        #expect(byID["S10"].map { [$0[1], $0[2]] } == ["抚江社区慈善超市", "抚江社区"])
        let communities = stations.map { $0[2] }
        for household in try rows("households.csv") {
            #expect(communities.contains { household[2].hasPrefix($0) }, "\(household)")
        }
        // "不二" is the village's motto (说一不二) that names its supermarket, not the village; 福江 is no place of the documents.
        for file in ["stations.csv", "households.csv", "README.md"] {
            let text = try String(contentsOf: seeds.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("不二村") && !text.contains("福江"), "seeds/\(file)")
        }
    }

    @Test("run where a ./config/policy.toml has an error, the demo says that the stations and the nights were left out")
    func brokenPolicyInTheFolderIsSaid() throws {
        let binary = try #require(BuiltExecutable.path)
        let cli = try CLIHarness()
        let folder = try #require(DemoCommand.defaultSeedsFolder())
        let seeds = folder.hasPrefix("/") ? folder : FileManager.default.currentDirectoryPath + "/" + folder
        try FileManager.default.createDirectory(atPath: cli.folder + "/config", withIntermediateDirectories: true)
        try "[policy]\nid = \"x\"\nversion = 1\neffective = 2026-10-01\n\n[categories.orange]\npoints_per_hour = \"twelve\"\n"
            .write(toFile: cli.folder + "/config/policy.toml", atomically: true, encoding: .utf8)
        let result = try runProcess("/bin/sh", ["-c", #"cd "$0" && exec "$1" --db demo.sqlite demo --seeds "$2""#, cli.folder, binary, seeds])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("7. Policy config/policy.toml has 1 error;"), "\(result.output)")
        #expect(result.output.contains("8–9. Left out: the stations at work and the thirty nights need the demo's policy in force"),
                "\(result.output)")
        #expect(!result.output.contains("Thirty nights"))
    }
}
