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
              note: the fund paid for these goods when they were received
                if they never arrived and the supplier pays back, an admin records the money (docs/fund.md):
                timebank post --from system:outside --to fund:main --cny AMOUNT --kind adjustment --key KEY

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
        // In --json, the error's message names the sheet too, as the lines printed beside it do.
        let refusedJSON = cli.run(["stock", "count", "--station", "S1", "--file", sheet, "--key", "c-1", "--json"], environment: CLIHarness.asOp1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(refusedJSON.output.utf8)) as? [String: Any])
        let error = try #require(document["error"] as? [String: Any], "\(refusedJSON.output)")
        #expect(refusedJSON.exit == 2 && (error["message"] as? String)?.hasPrefix(sheet + ": ") == true, "\(error)")
        let empty = try cli.write("empty.csv", "物品,盘点数量\n")
        let none = cli.run(["stock", "count", "--station", "S1", "--file", empty, "--key", "c-1"], environment: CLIHarness.asOp1)
        #expect(none.exit == 2 && none.errors.hasPrefix("error[K010]"), "\(none.errors)")
        #expect(try cli.ok(["stock", "history", "--station", "S1"], [:]).split(separator: "\n").count == 2, "nothing written")
    }

    @Test("a retry under the key with another --date or operator says what was not kept, in text and in --json")
    func retryNotKept() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "20", "--key", "in-1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        let arguments = ["stock", "count", "--station", "S1", "--item", "biscuits", "--counted", "18", "--key", "c-1"]
        try cli.ok(arguments + ["--date", "2026-10-31"], CLIHarness.asOp1)
        let same = try cli.ok(arguments + ["--date", "2026-10-31"], CLIHarness.asOp1)
        #expect(same.hasPrefix("Already recorded as stocktake #1 at S1 on 2026-10-31 by op1 (same key, same counts): nothing changed\n"), "\(same)")
        let other = try cli.ok(arguments + ["--date", "2026-11-01"], CLIHarness.asAdmin)
        #expect(other.hasPrefix("Already recorded as stocktake #1 (c-1) at S1: left as it was, on 2026-10-31 by op1; "
                                + "--date 2026-11-01 and the operator admin were not kept\n"), "\(other)")
        let json = cli.run(arguments + ["--json"], environment: CLIHarness.asAdmin)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let notKept = try #require(document["not_kept"] as? [[String: String]])
        #expect(notKept == [["option": "operator", "given": "admin", "kept": "op1"]], "no --date given: the day is not compared")
        #expect(try cli.ok(["stock", "history", "--station", "S1", "--item", "biscuits"], [:]).components(separatedBy: "count-correction").count == 2)
    }

    @Test("a count far from the books (more than half the level and at least 10 units) is marked check, written, and named after the table")
    func farFromBooks() throws {
        let cli = try CLIHarness()
        try cli.stations()
        for (item, qty) in [("rice_5kg", "63"), ("biscuits", "15")] {
            try cli.ok(["stock", "receive", "--station", "S1", "--item", item, "--qty", qty, "--key", "in-\(item)", "--date", "2026-10-01"], CLIHarness.asAdmin)
        }
        // rice 3 of 63: -60, marked. biscuits 6 of 15: -9, more than half but under 10 units.
        let sheet = try cli.write("s.csv", "item,counted\nrice_5kg,3\nbiscuits,6\n")
        let dry = try cli.ok(["stock", "count", "--station", "S1", "--file", sheet, "--key", "c-1", "--date", "2026-10-31", "--dry-run"],
                             CLIHarness.asOp1)
        #expect(Array(dry.split(separator: "\n").map(String.init).suffix(3)) == [
            "  check: rice_5kg (大米 5kg) was counted far from the books",
            "    (far: more than half the level expected and at least 10 units)",
            "    count again before writing: a slip of the pen (3 for 63) would be written as counted",
        ], "\(dry)")
        let output = try cli.ok(["stock", "count", "--station", "S1", "--file", sheet, "--key", "c-1", "--date", "2026-10-31"], CLIHarness.asOp1)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines[3].hasSuffix("-60  check: 3 counted, 63 on the books"), "\(output)")
        #expect(!lines[4].contains("check"), "\(output)")
        // After the table and its summary: one fact a line, each short enough for a narrow terminal.
        #expect(Array(lines.dropFirst(6).prefix(5)) == [
            "  check: rice_5kg (大米 5kg) was counted far from the books and written as counted",
            "    (far: more than half the level expected and at least 10 units)",
            "    if a count was wrong, count that item again and run stock count for it under a new key:",
            "    timebank stock count --station S1 --item ITEM --counted N --key NEW-KEY",
            "    the new count is set beside the level as it stands then, and corrects it",
        ], "\(output)")
        #expect(lines.count == 14 && lines.dropFirst(5).allSatisfy { $0.count < 100 }, "the check and the fund's note: \(output)")
        #expect(try cli.ok(["stock", "list", "--station", "S1", "--json"], [:]).contains("\"quantity\": 3"), "written as counted")
        let json = cli.run(["stock", "counts", "--key", "c-1", "--json"], environment: [:])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let checks = try #require(document["lines"] as? [[String: Any]]).map { $0["check"] as? Bool }
        #expect(checks == [true, false])
        #expect(StockCountRules.farFromBooks.holds(difference: 10, expected: 19) && !StockCountRules.farFromBooks.holds(difference: 10, expected: 20))
        #expect(StockCountRules.farFromBooks.holds(difference: 12, expected: 0) && !StockCountRules.farFromBooks.holds(difference: -9, expected: 10))
    }

    @Test("stock counts lists the stocktakes and shows one whole (its agreeing and not-counted lines), to an auditor; K011 for no such key")
    func listAndShow() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "20", "--key", "in-1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "10", "--key", "in-2", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "count", "--station", "S1", "--item", "biscuits", "--counted", "20", "--key", "c-1", "--date", "2026-10-31"], CLIHarness.asOp1)
        try cli.ok(["stock", "count", "--station", "S1", "--item", "rice_5kg", "--counted", "9", "--key", "c-2", "--date", "2026-11-30"], CLIHarness.asOp1)
        let list = try cli.ok(["stock", "counts", "--station", "S1"], CLIHarness.asAuditor)
        #expect(list == """
            #  Date        Station  Key  By   Corrected  Agree  Not counted  Check
            -  ----------  -------  ---  ---  ---------  -----  -----------  -----
            2  2026-11-30  S1       c-2  op1          1      0            1      0
            1  2026-10-31  S1       c-1  op1          0      1            1      0
            2 stocktakes; each whole: timebank stock counts --key KEY

            """, "\(list)")
        let shown = try cli.ok(["stock", "counts", "--key", "c-1"], CLIHarness.asAuditor)
        #expect(shown.hasPrefix("Stocktake #1 (c-1) at S1 on 2026-10-31 by op1\n"), "\(shown)")
        #expect(shown.contains("biscuits  饼干礼盒        20       20       agrees") && shown.contains("not counted"), "\(shown)")
        #expect(try cli.ok(["stock", "counts", "--station", "S2"], [:]).hasSuffix("0 stocktakes\n"))
        let unknown = cli.run(["stock", "counts", "--key", "c-9"], environment: [:])
        #expect(unknown.exit == 2 && unknown.errors.hasPrefix("error[K011]"), "\(unknown.errors)")
        #expect(cli.run(["stock", "counts", "--station", "S9"], environment: [:]).exit == 2)
    }
}
