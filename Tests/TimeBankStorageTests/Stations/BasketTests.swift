import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Several items for one volunteer in one transaction: all or nothing, a receipt each, safe to send again.
@Suite("Stations: baskets")
struct BasketTests {
    static func basket(_ lines: [BasketLine], key: String = "S01-B1", volunteer: String = "V1") -> BasketRequest {
        BasketRequest(key: key, station: "S01", volunteer: volunteer, lines: lines, date: LocalDate("2026-10-08")!)
    }

    static let riceAndBiscuits = [BasketLine(item: "rice_5kg"), BasketLine(item: "biscuits", quantity: 2)]

    @Test("a basket writes a receipt per item under KEY/1, KEY/2, spends the points in order and takes the stock")
    func basketOfTwo() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 15_000)
        try f.stock("S01", "rice_5kg", 3)
        try f.stock("S01", "biscuits", 5)
        let outcome = try f.store.redeem(Self.basket(Self.riceAndBiscuits), by: f.op1)
        #expect(outcome.isNew)
        let receipts = outcome.receipts
        // 60.00 for the rice, then 2 × 20.00 for the biscuits: 150.00 − 100.00 = 50.00 left.
        #expect(receipts.map(\.key) == ["S01-B1/1", "S01-B1/2"])
        #expect(receipts.map(\.points) == [6_000, 4_000])
        #expect(receipts.map(\.balanceAfter) == [9_000, 5_000])
        #expect(receipts[1].number == receipts[0].number + 1)
        #expect(try f.store.balance(.volunteer("V1")) == 5_000)
        #expect(try f.store.balance(.station("S01")) == 10_000)
        #expect(try f.store.stockLevel(station: "S01", item: "rice_5kg") == 2)
        #expect(try f.store.stockLevel(station: "S01", item: "biscuits") == 3)
        // Each receipt is refunded on its own.
        try f.store.refund(receipt: receipts[1].number, reason: "饼干过期", by: f.op1, on: f.today)
        #expect(try f.store.balance(.volunteer("V1")) == 9_000)
        #expect(try f.store.stockLevel(station: "S01", item: "biscuits") == 5)
        try f.expectClean()
    }

    @Test("the first item the points do not cover refuses the whole basket, naming it and the points before it")
    func allOrNothing() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 9_000)   // 90.00: the rice (60.00) fits, the biscuits (40.00) then do not
        try f.stock("S01", "rice_5kg", 3)
        try f.stock("S01", "biscuits", 5)
        let refusal = try f.expectRefusal("R001") { try f.store.redeem(Self.basket(Self.riceAndBiscuits), by: f.op1) }
        let line = try #require(refusal as? BasketLineError)
        #expect(line.position == 2 && line.count == 2 && line.pointsBefore == 6_000)
        #expect(line.category == .refused)
        #expect(line.message.hasPrefix("item 2 of 2 (biscuits ×2): volunteer:V1 can spend 30.00 积分"))
        #expect(line.message.hasSuffix("(the item before it in the basket takes 60.00 积分); nothing in the basket was redeemed"))
        // Out of stock on the second line: the first line's stock is not taken either.
        try f.award(.volunteer("V1"), 10_000)
        let empty = try f.expectRefusal("R002") {
            try f.store.redeem(Self.basket([BasketLine(item: "rice_5kg"), BasketLine(item: "biscuits", quantity: 6)]), by: f.op1)
        }
        #expect((empty as? BasketLineError)?.position == 2)
        #expect(try f.store.receipts().isEmpty)
        try f.expectClean()
    }

    @Test("the same basket again, its items in any order, returns its receipts; other items under the key, or the key of one redemption, are R008")
    func retries() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        try f.stock("S01", "rice_5kg", 3)
        try f.stock("S01", "biscuits", 5)
        let first = try f.store.redeem(Self.basket(Self.riceAndBiscuits), by: f.op1)
        let before = try f.snapshot()
        let again = try f.store.redeem(Self.basket(Self.riceAndBiscuits), by: f.op1)
        #expect(!again.isNew && again.receipts == first.receipts)
        #expect(try f.snapshot() == before)
        // The same items scanned again in another order are the same basket: its receipts, in their first order.
        let reordered = try f.store.redeem(Self.basket(Self.riceAndBiscuits.reversed()), by: f.op1)
        #expect(!reordered.isNew && reordered.receipts == first.receipts)
        #expect(try f.snapshot() == before)
        // Another quantity, fewer items, more items, other items: all under a key the basket used.
        // Each with what differs from what went through, so that the operator sees a retry mistyped at once.
        for (lines, differs) in [([BasketLine(item: "rice_5kg"), BasketLine(item: "biscuits", quantity: 3)], "biscuits × 3, not × 2"),
                                 ([BasketLine(item: "biscuits", quantity: 3), BasketLine(item: "rice_5kg")], "biscuits × 3, not × 2"),
                                 ([BasketLine(item: "biscuits", quantity: 2), BasketLine(item: "hair_clip")],
                                  "hair_clip × 1 added; rice_5kg × 1 left out"),
                                 ([BasketLine(item: "rice_5kg"), BasketLine(item: "hair_clip")],
                                  "hair_clip × 1 added; biscuits × 2 left out"),
                                 (Self.riceAndBiscuits + [BasketLine(item: "hair_clip")], "hair_clip × 1 added")] {
            let refusal = try f.expectRefusal("R008") { try f.store.redeem(Self.basket(lines), by: f.op1) }
            // What went through, item by item, so that a quantity changed on a retry is not redeemed whole under a new key.
            #expect(refusal?.message.contains("the basket of receipts R\(first.receipts[0].number) (大米 5kg × 1) and "
                + "R\(first.receipts[1].number) (饼干礼盒 × 2) for 王秀英 (V1), 2026-10-08 at S01 with different content "
                + "(this one differs: \(differs)); nothing was written") == true)
            #expect(refusal?.message.hasSuffix("a new key would do all of it again: give one only for what is still to be done") == true)
        }
        // One redemption under the basket's key, and a basket under the key of one redemption.
        try f.expectRefusal("R008") { try f.redeem("V1", "biscuits", key: "S01-B1") }
        try f.redeem("V1", "biscuits", key: "S01-0009")
        try f.expectRefusal("R008") { try f.store.redeem(Self.basket(Self.riceAndBiscuits, key: "S01-0009"), by: f.op1) }
        try f.expectClean()
    }

    @Test("one redemption sent under KEY/1 is named as one receipt, not as a basket, when KEY is used again")
    func loneLineKey() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        try f.stock("S01", "biscuits", 5)
        let lone = try f.redeem("V1", "biscuits", key: "S01-0010/1").receipt
        let expected = "the key \"S01-0010\" was already used for receipt R\(lone.number) under \"S01-0010/1\" (the key a basket "
            + "under \"S01-0010\" gives its first item: 饼干礼盒 × 1 for 王秀英 (V1), 2026-10-08 at S01) with different content; "
            + "nothing was written. That stands as it was first sent (sending exactly that again prints it), and a new key would do "
            + "all of it again: give one only for what is still to be done"
        let single = try f.expectRefusal("R008") { try f.redeem("V1", "biscuits", key: "S01-0010") }
        #expect(single?.message == expected)
        let basket = try f.expectRefusal("R008") { try f.store.redeem(Self.basket(Self.riceAndBiscuits, key: "S01-0010"), by: f.op1) }
        // The basket is set beside that one receipt: what it adds and what it changes.
        #expect(basket?.message == expected.replacingOccurrences(of: "with different content;",
            with: "with different content (this one differs: rice_5kg × 1 added; biscuits × 2, not × 1);"))
        try f.expectClean()
    }

    @Test("a basket of one item, of more than 20, or with an item twice is R029 and writes nothing")
    func shapes() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        try f.stock("S01", "biscuits", 5)
        let one = try f.expectRefusal("R029") { try f.store.redeem(Self.basket([BasketLine(item: "biscuits")]), by: f.op1) }
        #expect(one?.message == "a basket has two items or more; redeem one item with `redeem --item` alone; nothing was written")
        let many = (0..<21).map { BasketLine(item: "item\($0)") }
        try f.expectRefusal("R029") { try f.store.redeem(Self.basket(many), by: f.op1) }
        let twice = try f.expectRefusal("R029") {
            try f.store.redeem(Self.basket([BasketLine(item: "biscuits"), BasketLine(item: "biscuits", quantity: 2)]), by: f.op1)
        }
        #expect(twice?.message == "biscuits is named twice; name it once with its quantity (biscuits:3); nothing was written")
        // An operator of another station is refused before anything is read.
        try f.expectRefusal("O004") { try f.store.redeem(Self.basket(Self.riceAndBiscuits), by: f.op2) }
    }
}
