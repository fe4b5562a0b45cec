import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// A catalog item typed by its exact label (饼干礼盒, as on the shelf and the slip) is that item, at the counter and in the
/// stock room; the request is resolved to the id before it is fingerprinted, so a retry by id is the same request.
@Suite("Stations: items typed by their labels")
struct ItemLabelTests {
    /// The test policy with a third goods item labelled 饼干礼盒 too (`gift_box`), and one whose label is another item's id
    /// (`hair_clip`, labelled `biscuits`).
    static let sharedLabelPolicy = stationTestPolicy() + """


        [catalog.gift_box]
        label = "饼干礼盒"
        kind = "goods"
        price = 30

        [catalog.hair_clip]
        label = "biscuits"
        kind = "goods"
        price = 5
        """

    @Test("redeem by label: 饼干礼盒, 大米５ｋｇ (full width) and ' 大米 5kg ' name their items; the receipt holds the id")
    func redeemByLabel() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        try f.award(.volunteer("V4"), 20_000)
        try f.stock("S01", "biscuits", 5)
        try f.stock("S01", "rice_5kg", 5)
        let biscuits = try f.redeem("V1", "饼干礼盒").receipt
        #expect(biscuits.item == "biscuits" && biscuits.itemLabel == "饼干礼盒" && biscuits.points == 2_000)
        #expect(try f.redeem("V1", "大米５ｋｇ").receipt.item == "rice_5kg")
        #expect(try f.redeem("V4", " 大米 5kg ").receipt.item == "rice_5kg")
        #expect(try f.store.stockLevel(station: "S01", item: "biscuits") == 4)
        #expect(try f.store.stockLevel(station: "S01", item: "rice_5kg") == 3)
        try f.expectClean()
    }

    @Test("a retry under the same key typed by id after a first send by label (and the other way) is the same request: exists, nothing written")
    func retryLabelThenID() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        try f.stock("S01", "biscuits", 5)
        let first = try f.redeem("V1", "饼干礼盒", key: "S01-0001")
        #expect(first.isNew)
        let before = try f.snapshot()
        let again = try f.redeem("V1", "biscuits", key: "S01-0001")
        #expect(!again.isNew && again.receipt.number == first.receipt.number)
        #expect(try f.snapshot() == before)
        let byID = try f.redeem("V1", "biscuits", key: "S01-0002")
        let byLabel = try f.redeem("V1", "饼干礼盒", key: "S01-0002")
        #expect(byID.isNew && !byLabel.isNew && byLabel.receipt.number == byID.receipt.number)
        // Another item under the key is still R008, named by its id.
        let refusal = try f.expectRefusal("R008") { try f.redeem("V1", "大米 5kg", key: "S01-0001") }
        #expect(refusal?.message.contains("item rice_5kg, not biscuits") == true, "\(refusal?.message ?? "")")
        try f.expectClean()
    }

    @Test("a basket by labels; sent again by ids in another order it exists; an item by label and by id is named twice (R029)")
    func basketByLabels() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        try f.stock("S01", "biscuits", 5)
        try f.stock("S01", "rice_5kg", 5)
        func basket(_ lines: [BasketLine], key: String = "S01-B1") -> BasketRequest {
            BasketRequest(key: key, station: "S01", volunteer: "V1", lines: lines, date: f.today)
        }
        let outcome = try f.store.redeem(basket([BasketLine(item: "饼干礼盒", quantity: 2), BasketLine(item: "大米 5kg")]), by: f.op1)
        #expect(outcome.isNew && outcome.receipts.map(\.item) == ["biscuits", "rice_5kg"])
        let before = try f.snapshot()
        let again = try f.store.redeem(basket([BasketLine(item: "rice_5kg"), BasketLine(item: "biscuits", quantity: 2)]), by: f.op1)
        #expect(!again.isNew && again.receipts.map(\.number) == outcome.receipts.map(\.number))
        #expect(try f.snapshot() == before)
        let twice = try f.expectRefusal("R029") {
            try f.store.redeem(basket([BasketLine(item: "饼干礼盒"), BasketLine(item: "biscuits")], key: "S01-B2"), by: f.op1)
        }
        #expect(twice?.message == "biscuits is named twice; name it once with its quantity (biscuits:2); nothing was written")
        try f.expectClean()
    }

    @Test("two items with one label: R005 names both ids with their labels and says to type the id; nothing written; ids still work")
    func sharedLabelRefused() throws {
        let f = try StationFixture(policy: Self.sharedLabelPolicy)
        try f.award(.volunteer("V1"), 20_000)
        try f.stock("S01", "biscuits", 5)
        try f.stock("S01", "gift_box", 5)
        let expected = "no catalog item \"饼干礼盒\" in the policy in force, and 2 of its items have that label: biscuits (饼干礼盒) "
            + "and gift_box (饼干礼盒); type the id of the one meant"
        #expect(try f.expectRefusal("R005") { try f.redeem("V1", "饼干礼盒") }?.message == expected)
        #expect(try f.expectRefusal("R005") {
            try f.store.adjustStock(StockAdjustRequest(key: "adj-1", station: "S01", item: "饼干礼盒", quantity: -1, reason: .damaged,
                                                       date: f.today), by: f.op1)
        }?.message == expected)
        #expect(try f.expectRefusal("R005") {
            try f.store.countStock(StockCountRequest(key: "count-1", station: "S01", lines: [StockCountLine(item: "饼干礼盒", counted: 4)],
                                                     date: f.today), by: f.op1)
        }?.message == expected)
        #expect(try f.redeem("V1", "gift_box").receipt.item == "gift_box")
        // An id wins over a label: `biscuits` is the item with that id, not hair_clip, whose label it is.
        #expect(try f.redeem("V1", "biscuits").receipt.item == "biscuits")
        try f.expectClean()
    }

    @Test("a label that is only near is still R005 with its did-you-mean; nothing written")
    func nearLabelStillUnknown() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        try f.stock("S01", "biscuits", 5)
        #expect(try f.expectRefusal("R005") { try f.redeem("V1", "饼干") }?.message
            == "no catalog item \"饼干\" in the policy in force; did you mean \"biscuits\"?")
        #expect(try f.expectRefusal("R005") { try f.redeem("V1", "饼干礼盒子") }?.code == "R005")
        #expect(try f.expectRefusal("R005") { try f.redeem("V1", "大米 5KG") }?.code == "R005")
    }

    @Test("stock receive, adjust and move by label write the id, and a retry by id finds them; stock history takes the label")
    func stockByLabel() throws {
        let f = try StationFixture()
        let received = try f.store.receiveStock(StockReceiveRequest(key: "in-1", station: "S01", item: "饼干礼盒", quantity: 6, date: f.today),
                                                by: f.op1)
        #expect(received.isNew && received.movements.map(\.item) == ["biscuits"])
        let adjust = StockAdjustRequest(key: "adj-1", station: "S01", item: "饼干礼盒", quantity: -2, reason: .damaged, note: "受潮", date: f.today)
        let adjusted = try f.store.adjustStock(adjust, by: f.op1)
        #expect(adjusted.isNew && adjusted.movements.map(\.item) == ["biscuits"] && adjusted.movements.map(\.quantity) == [-2])
        #expect(try f.store.stockLevel(station: "S01", item: "biscuits") == 4)
        let moved = try f.store.moveStock(StockMoveRequest(key: "mv-1", from: "S01", to: "S02", item: "饼干礼盒", quantity: 1, date: f.today),
                                          by: f.op1)
        #expect(moved.movements.map(\.item) == ["biscuits", "biscuits"])
        let before = try f.snapshot()
        var byID = adjust
        byID.item = "biscuits"
        #expect(try !f.store.adjustStock(byID, by: f.op1).isNew)
        #expect(try !f.store.receiveStock(StockReceiveRequest(key: "in-1", station: "S01", item: "biscuits", quantity: 6, date: f.today),
                                          by: f.op1).isNew)
        #expect(try !f.store.moveStock(StockMoveRequest(key: "mv-1", from: "S01", to: "S02", item: "biscuits", quantity: 1, date: f.today),
                                       by: f.op1).isNew)
        #expect(try f.snapshot() == before)
        #expect(try f.store.requireStockItem("饼干礼盒", on: f.today) == "biscuits")
        try f.expectRefusal("R005") { try f.store.requireStockItem("饼干", on: f.today) }
        // A service by its label is still no goods: K004.
        try f.expectRefusal("K004") {
            try f.store.adjustStock(StockAdjustRequest(key: "adj-2", station: "S01", item: "上门保洁", quantity: -1, reason: .lost, date: f.today),
                                    by: f.op1)
        }
        try f.expectClean()
    }

    @Test("book a service by its label: the hold holds the id, and a retry by id exists")
    func bookByLabel() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        let request = BookingRequest(key: "bk-1", station: "S01", volunteer: "V1", item: "上门保洁", date: f.today)
        let hold = try f.store.book(request, by: f.op1).hold
        #expect(hold.item == "home_cleaning")
        var byID = request
        byID.item = "home_cleaning"
        let before = try f.snapshot()
        #expect(try !f.store.book(byID, by: f.op1).isNew)
        #expect(try f.snapshot() == before)
        try f.expectClean()
    }

    @Test("a label is read in the policy in force on the business day, as an id is")
    func labelOfTheDay() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        try f.stock("S01", "biscuits", 5)
        // Version 2, in force from 2026-10-09, labels the biscuits 曲奇礼盒.
        let relabelled = stationTestPolicy()
            .replacingOccurrences(of: "version = 1\neffective = 2026-01-01", with: "version = 2\neffective = 2026-10-09")
            .replacingOccurrences(of: "label = \"饼干礼盒\"", with: "label = \"曲奇礼盒\"")
        #expect(relabelled.contains("曲奇礼盒"))
        try f.store.activatePolicy(relabelled, actor: "test")
        try f.expectRefusal("R005") { try f.redeem("V1", "曲奇礼盒") }
        #expect(try f.redeem("V1", "饼干礼盒").receipt.item == "biscuits")
        f.clock.advance(minutes: 24 * 60)
        let tomorrow = LocalDate("2026-10-09")!
        try f.expectRefusal("R005") { try f.redeem("V1", "饼干礼盒", on: tomorrow) }
        #expect(try f.redeem("V1", "曲奇礼盒", on: tomorrow).receipt.item == "biscuits")
        try f.expectClean()
    }
}
