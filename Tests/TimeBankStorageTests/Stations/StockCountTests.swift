import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Stations: stocktake (stock count)")
struct StockCountTests {
    /// S01 with 20 bags of rice and 3 biscuit boxes, one bag redeemed: the books say 19 rice, 3 biscuits.
    static func fixture() throws -> StationFixture {
        let f = try StationFixture()
        try f.stock("S01", "rice_5kg", 20)
        try f.stock("S01", "biscuits", 3)
        try f.award(.volunteer("V1"), 10_000)
        try f.redeem("V1", "rice_5kg")
        return f
    }

    func request(_ lines: [StockCountLine], key: String = "S01-count-10", station: String = "S01", note: String = "") -> StockCountRequest {
        StockCountRequest(key: key, station: station, lines: lines, note: note, date: LocalDate("2026-10-08")!)
    }

    @Test("differences both ways are count-corrections of counted − level under KEY/ITEM; the same sheet again writes nothing")
    func correctsBothWays() throws {
        let f = try Self.fixture()
        // Counted 17 rice (2 fewer than 19) and 5 biscuits (2 more than 3), biscuits typed by their label.
        let sheet = request([StockCountLine(item: "rice_5kg", counted: 17, row: 2), StockCountLine(item: "饼干礼盒", counted: 5, row: 3)])
        let outcome = try f.store.countStock(sheet, by: f.op1)
        #expect(outcome.isNew && outcome.number != nil)
        #expect(outcome.results.map { "\($0.item) \($0.expected) \($0.counted ?? -1) \($0.difference) \($0.status)" }
                == ["rice_5kg 19 17 -2 corrected", "biscuits 3 5 2 corrected"])
        #expect(try f.store.stockLevel(station: "S01", item: "rice_5kg") == 17)
        #expect(try f.store.stockLevel(station: "S01", item: "biscuits") == 5)
        let corrections = try f.store.stockMovements(station: "S01").filter { $0.kind == .adjust }
        #expect(corrections.map { "\($0.item) \($0.quantity) \($0.reason?.rawValue ?? "")" }
                == ["rice_5kg -2 count-correction", "biscuits 2 count-correction"])
        // Each correction is a stock operation keyed KEY/ITEM, as `stock adjust --key S01-count-10/rice_5kg` would be.
        let keys = try f.store.database.statement("SELECT key FROM stock_operations WHERE kind = 'adjust' ORDER BY number").rows { $0.text(0) }
        #expect(keys == ["S01-count-10/rice_5kg", "S01-count-10/biscuits"])
        try f.expectClean()

        // The same sheet again (in another order, rice by id): the stored result, no second correction, although the levels
        // now equal the counted numbers.
        let before = try f.snapshot()
        let again = try f.store.countStock(request([StockCountLine(item: "biscuits", counted: 5, row: 2),
                                                    StockCountLine(item: "rice_5kg", counted: 17, row: 3)]), by: f.op1)
        #expect(!again.isNew && again.number == outcome.number)
        #expect(again.results.map(\.difference) == [-2, 2])
        #expect(try f.snapshot() == before)

        // Other content under the key: K006, naming what went through.
        let refusal = try f.expectRefusal("K006") {
            try f.store.countStock(self.request([StockCountLine(item: "rice_5kg", counted: 16)]), by: f.op1)
        }
        #expect(refusal?.message.contains("stocktake #\(outcome.number!) at S01 on 2026-10-08 by op1 (rice_5kg 19 → 17, biscuits 3 → 5)") == true)
        // Its advice is a stocktake's: count again under a new key (not a delivery's correction).
        #expect(refusal?.message.hasSuffix("To count again (a shelf miscounted, or goods moved since), give the new count a new key: it "
            + "is set beside the levels as they stand then, so what the first count corrected is not corrected twice") == true)
        // A stock adjust under the stocktake's key is K006 too, with a delivery's advice; under a correction's key with its
        // content, it is that correction.
        let adjust = try f.expectRefusal("K006") {
            try f.store.adjustStock(StockAdjustRequest(key: "S01-count-10", station: "S01", item: "biscuits", quantity: -1,
                                                       reason: .damaged, date: f.today), by: f.op1)
        }
        #expect(adjust?.message.contains("use one only for another delivery or correction") == true)
    }

    @Test("a correction whose key KEY/ITEM is another stocktake's key is K006 (a stock operation under a stocktake's key), nothing written")
    func correctionKeyTakenByStocktake() throws {
        // Found by the simulation (seed 9911, step 4720): the engine wrote the correction under the other stocktake's key.
        let f = try Self.fixture()
        // A stocktake keyed like a correction: S01-count-12/rice_5kg, rice agreeing at 19.
        try f.store.countStock(request([StockCountLine(item: "rice_5kg", counted: 19)], key: "S01-count-12/rice_5kg"), by: f.op1)
        let refusal = try f.expectRefusal("K006") {
            try f.store.countStock(self.request([StockCountLine(item: "rice_5kg", counted: 18)], key: "S01-count-12"), by: f.op1)
        }
        #expect(refusal?.message.contains("stocktake #1 at S01 on 2026-10-08 by op1 (rice_5kg agreed at 19, 1 item not counted)") == true)
        // A dry run says so too.
        try f.expectRefusal("K006") {
            try f.store.countStock(self.request([StockCountLine(item: "rice_5kg", counted: 18)], key: "S01-count-12"), dryRun: true, by: f.op1)
        }
        #expect(try f.store.stockLevel(station: "S01", item: "rice_5kg") == 19)
        try f.expectClean()
    }

    @Test("items that agree write nothing of their own; the station's other stocked items are listed as not counted, untouched")
    func agreeingAndNotCounted() throws {
        let f = try Self.fixture()
        let outcome = try f.store.countStock(request([StockCountLine(item: "rice_5kg", counted: 19)]), by: f.op1)
        #expect(outcome.results.map { "\($0.item) \($0.expected) \($0.counted.map(String.init) ?? "-") \($0.status)" }
                == ["rice_5kg 19 19 agrees", "biscuits 3 - notCounted"])
        #expect(try f.store.stockMovements(station: "S01").filter { $0.kind == .adjust }.isEmpty)
        #expect(try f.store.stockLevel(station: "S01", item: "biscuits") == 3)
        // Kept whole: found again by its key, with the item not counted as it was.
        #expect(try f.store.stockCount(key: "S01-count-10")?.notCounted.map(\.item) == ["biscuits"])
        try f.expectClean()
    }

    @Test("one bad row refuses the whole sheet, naming each bad row and cell; nothing is written")
    func allOrNothing() throws {
        let f = try Self.fixture()
        let refusal = try f.expectRefusal("R005") {
            try f.store.countStock(self.request([
                StockCountLine(item: "rice_5kg", counted: 17, row: 2),
                StockCountLine(item: "rice", counted: 1, row: 3),
                StockCountLine(item: "biscuits", counted: -1, row: 4),
                StockCountLine(item: "大米 5kg", counted: 17, row: 5),
                StockCountLine(item: "health_check", counted: 1, row: 6),
            ]), by: f.op1)
        }
        let lines = try #require(refusal as? StockCountError)
        guard case .badLines(let errors) = lines else { Issue.record("\(lines)"); return }
        #expect(errors.map { "\($0.row) \($0.column) \($0.code)" } == ["3 item R005", "4 counted K009", "5 item K008", "6 item K004"])
        #expect(errors[0].help == "near it: rice_5kg (大米 5kg)")
        #expect(errors[2].reason == "rice_5kg is counted twice (first on row 2): give each item once, with all its units")
        try f.expectRefusal("K010") { try f.store.countStock(self.request([]), by: f.op1) }
        // One item typed on the command line (no row): its own error.
        try f.expectRefusal("R005") { try f.store.countStock(self.request([StockCountLine(item: "rice", counted: 1)]), by: f.op1) }
        // A correction's key taken already by a stock adjust: K006, nothing written (the rice line before it is rolled back).
        try f.store.adjustStock(StockAdjustRequest(key: "S01-count-11/biscuits", station: "S01", item: "biscuits", quantity: -1,
                                                   reason: .damaged, date: f.today), by: f.op1)
        try f.expectRefusal("K006") {
            try f.store.countStock(self.request([StockCountLine(item: "rice_5kg", counted: 10), StockCountLine(item: "biscuits", counted: 0)],
                                                key: "S01-count-11"), by: f.op1)
        }
        try f.expectClean()
    }

    @Test("a dry run gives the same table and writes nothing; an item never stocked here is counted in, as stock adjust allows")
    func dryRunAndNeverStocked() throws {
        let f = try Self.fixture()
        let sheet = request([StockCountLine(item: "rice_5kg", counted: 18)], station: "S02")
        try f.expectRefusal("O004") { try f.store.countStock(sheet, dryRun: true, by: f.op1) }
        let before = try f.snapshot()
        let dry = try f.store.countStock(sheet, dryRun: true, by: f.op2)
        #expect(dry.isDryRun && dry.number == nil && dry.results.map(\.difference) == [18])
        #expect(try f.snapshot() == before)
        let done = try f.store.countStock(sheet, by: f.op2)
        #expect(done.results == dry.results.map { var result = $0; result.operation = done.results[0].operation; return result })
        #expect(try f.store.stockLevel(station: "S02", item: "rice_5kg") == 18)
        // An auditor reads only.
        try f.expectRefusal("O003") { try f.store.countStock(self.request([StockCountLine(item: "rice_5kg", counted: 1)], key: "a"), by: f.auditor) }
        try f.expectClean()
    }

    @Test("the note goes on each correction after `盘点 KEY: counted N, expected M; `: a note too long for the longest is R020 up front, dry run too")
    func noteWithinTheLimit() throws {
        let f = try Self.fixture()
        // Rice 1000 counted, 19 expected: `盘点 S01-count-10: counted 1000, expected 19; ` is 3 + 12 + 14 + 13 + 2 = 44 characters,
        // longer than the biscuits' `盘点 S01-count-10: counted 5, expected 3; ` (40), so 200 − 44 = 156 are left for the note.
        let lines = [StockCountLine(item: "biscuits", counted: 5), StockCountLine(item: "rice_5kg", counted: 1000)]
        for dryRun in [true, false] {
            let refusal = try f.expectRefusal("R020") {
                try f.store.countStock(self.request(lines, note: String(repeating: "x", count: 157)), dryRun: dryRun, by: f.op1)
            }
            #expect(refusal?.message == "invalid note: it is written after `盘点 S01-count-10: counted 1000, expected 19; `, and a stock note "
                    + "holds at most 200 characters: 156 characters are left for the note, and it has 157", "\(String(describing: refusal))")
        }
        try f.store.countStock(request(lines, note: String(repeating: "x", count: 156)), by: f.op1)
        let notes = try f.store.stockMovements(station: "S01").filter { $0.kind == .adjust }.map(\.note)
        #expect(notes.map(\.unicodeScalars.count) == [196, 200])
        #expect(notes.last?.hasPrefix("盘点 S01-count-10: counted 1000, expected 19; xxx") == true, "\(notes)")
        try f.expectClean()
    }

    @Test("counted cells: whole numbers 0 to 1,000,000, full-width digits read as ASCII")
    func countedCells() throws {
        #expect(try StockCountRules.counted(" １７ ").get() == 17)
        #expect(try StockCountRules.counted("0").get() == 0)
        for bad in ["", "  ", "3.5", "-2", "十", "1000001", "99999999999999999999"] {
            guard case .failure(let error) = StockCountRules.counted(bad) else { Issue.record("\(bad) was read"); continue }
            #expect(error.code == "K009")
        }
    }
}
