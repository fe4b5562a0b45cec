import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

@Suite("CLI: demo")
struct DemoCommandTests {
    @Test("the demo's fund never goes below zero (the merchants' and the donor's money comes in before the first goods are bought); its baskets")
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
    }
}
