import Foundation
import Testing
import TimeBankCore
@testable import TimeBankCLI

@Suite("stock count at the command line")
struct StockCountCommandTests {
    @Test("a sheet headed in Chinese (with a BOM, items by label or id): the table, the corrections, the same sheet again writes nothing")
    func chineseSheet() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "20", "--key", "in-1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "10", "--key", "in-2", "--date", "2026-10-01"], CLIHarness.asAdmin)
        let sheet = try cli.write("盘点.csv", "\u{FEFF}物品,实盘数量\n饼干礼盒,18\nrice_5kg,１０\n")
        let arguments = ["stock", "count", "--station", "S1", "--file", sheet, "--key", "S1-count-10", "--date", "2026-10-31"]
        let dry = try cli.ok(arguments + ["--dry-run"], CLIHarness.asOp1)
        #expect(dry.hasPrefix("Dry run of stocktake S1-count-10 at S1 on 2026-10-31: nothing was written\n"), "\(dry)")
        let first = try cli.ok(arguments, CLIHarness.asOp1)
        #expect(first == """
            Stocktake #1 (S1-count-10) at S1 on 2026-10-31 by op1
            Item      Label     Expected  Counted  Difference
            --------  --------  --------  -------  ----------
            biscuits  饼干礼盒        20       18          -2
            rice_5kg  大米 5kg        10       10      agrees
            1 corrected (count-correction, keys S1-count-10/ITEM), 1 agree, 0 not counted (left as they are)
            \(StockAdjustCommand.fundNote)

            """, "\(first)")
        #expect(dry.split(separator: "\n").dropFirst().prefix(4) == first.split(separator: "\n").dropFirst().prefix(4))
        let again = cli.run(arguments + ["--json"], environment: CLIHarness.asOp1)
        #expect(again.exit == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [String: Any])
        #expect(json["outcome"] as? String == "exists" && json["corrected"] as? Int == 1)
        let lines = try #require(json["lines"] as? [[String: Any]])
        #expect(lines.first?["correction_key"] as? String == "S1-count-10/biscuits" && lines.first?["difference"] as? Int == -2)
        let history = try cli.ok(["stock", "history", "--station", "S1", "--item", "biscuits"], [:])
        #expect(history.components(separatedBy: "count-correction").count == 2, "one correction: \(history)")
        #expect(try cli.ok(["stock", "verify"], [:]).hasPrefix("OK"))
    }

    @Test("a bad sheet names every bad row and cell and writes nothing; an empty sheet is K010")
    func badSheet() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let sheet = try cli.write("bad.csv", "商品,盘点数量\nbiscuit,3\nbiscuits,三\nbiscuits,2\n饼干礼盒,1\n")
        let refused = cli.run(["stock", "count", "--station", "S1", "--file", sheet, "--key", "c-1"], environment: CLIHarness.asOp1)
        #expect(refused.exit == 2)
        #expect(refused.errors.contains("bad.csv:2:1: error[R005]: row 2, column \"item\": no catalog item \"biscuit\""), "\(refused.errors)")
        #expect(refused.errors.contains("bad.csv:3:10: error[K009]: row 3, column \"counted\": the counted number \"三\" is not a whole number"))
        #expect(refused.errors.contains("bad.csv:5:1: error[K008]: row 5, column \"item\": biscuits is counted twice (first on row 4)"))
        #expect(refused.errors.hasSuffix("Nothing was written: 3 bad rows in \(sheet). Fix them and run the same command again.\n"))
        let empty = try cli.write("empty.csv", "物品,盘点数量\n")
        let none = cli.run(["stock", "count", "--station", "S1", "--file", empty, "--key", "c-1"], environment: CLIHarness.asOp1)
        #expect(none.exit == 2 && none.errors.hasPrefix("error[K010]"), "\(none.errors)")
        #expect(try cli.ok(["stock", "history", "--station", "S1"], [:]).split(separator: "\n").count == 2, "nothing written")
    }
}
