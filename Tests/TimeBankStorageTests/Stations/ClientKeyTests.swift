import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Stations: the keys of new receipts, bookings, gifts and stock operations")
struct ClientKeyTests {
    @Test("a blank key, or one with white space at its start or end, is refused for a new write (L010)", arguments: [
        "   ", "S01-0001 ", " S01-0001", "S01-0001\u{3000}", "\u{3000}\u{3000}", "S01-0001\u{00A0}",
    ])
    func spacesAroundKey(key: String) throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        try f.award(.volunteer("V2"), 5_000)
        try f.stock("S01", "biscuits", 5)
        let redeemed = try f.expectRefusal("L010") { try f.redeem("V1", "biscuits", key: key) }
        #expect(redeemed?.message.contains(LedgerRules.trimmingSpaces(key).isEmpty ? "is blank" : "at its start or end") == true)
        try f.expectRefusal("L010") {
            try f.store.book(BookingRequest(key: key, station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today), by: f.op1)
        }
        try f.expectRefusal("L010") {
            try f.store.transfer(TransferRequest(key: key, from: "V2", to: "V4", points: 100, date: f.today), by: f.op1)
        }
        try f.expectRefusal("L010") {
            try f.store.receiveStock(StockReceiveRequest(key: key, station: "S01", item: "rice_5kg", quantity: 1, date: f.today), by: f.op1)
        }
        try f.expectRefusal("L010") {
            try f.store.adjustStock(StockAdjustRequest(key: key, station: "S01", item: "biscuits", quantity: -1, reason: .damaged,
                                                       date: f.today), by: f.op1)
        }
        try f.expectRefusal("L010") {
            try f.store.moveStock(StockMoveRequest(key: key, from: "S01", to: "S02", item: "biscuits", quantity: 1, date: f.today), by: f.op1)
        }
        try f.expectRefusal("L010") {
            try f.store.post(.move(key: key, kind: .award, date: f.today, actor: "test", memo: "", from: .issuance, to: .volunteer("V1"),
                                   amount: 100))
        }
        try f.expectRefusal("L010") {
            try f.store.donate(donor: "街道办", amount: 100, date: f.today, key: key, actor: "admin")
        }
    }

    @Test("a receipt stored under a key with a trailing space (before the rule) is still found by its retry")
    func storedKeyWithSpaceStillFound() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        try f.stock("S01", "biscuits", 5)
        let spaced = RedemptionRequest(key: "S01-0001 ", station: "S01", volunteer: "V1", item: "biscuits", date: f.today)
        let receipt = try f.redeem("V1", "biscuits", key: "S01-0001").receipt
        // Given the key "S01-0001 " with raw SQL, as a database written before the rule holds it.
        try f.store.database.execute("DROP TRIGGER receipts_append_only_update")
        try f.store.database.statement("UPDATE receipts SET key = ?, content_digest = ? WHERE number = ?")
            .bind(.text(spaced.key), .blob(spaced.contentDigest), .integer(receipt.number)).run()
        let before = try f.snapshot()
        let retry = try f.store.redeem(spaced, by: f.op1)
        #expect(!retry.isNew && retry.receipt.number == receipt.number)
        #expect(try f.snapshot() == before)
    }

    @Test("a redemption key that starts with booking: is refused (R026); a fulfilment whose receipt key is taken still goes through")
    func bookingPrefix() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        try f.stock("S01", "biscuits", 5)
        let refusal = try f.expectRefusal("R026") { try f.redeem("V1", "biscuits", key: "booking:bk-1") }
        #expect(refusal?.message.contains("starts with \"booking:\"") == true)
        // A database written before R026: a redemption holds the key the fulfilment of the booking bk-1 would write its receipt under.
        let redeemed = try f.redeem("V1", "biscuits", key: "S01-0001").receipt
        try f.store.database.execute("DROP TRIGGER receipts_append_only_update")
        try f.store.database.statement("UPDATE receipts SET key = ? WHERE number = ?").bind(.text("booking:bk-1"), .integer(redeemed.number)).run()
        let hold = try f.store.book(BookingRequest(key: "bk-1", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today),
                                    by: f.op1).hold
        let fulfilled = try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today)
        #expect(fulfilled.isNew && fulfilled.receipt.key == "booking:bk-1#2" && fulfilled.receipt.hold == hold.number)
        #expect(try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today) == .exists(fulfilled.receipt))
        #expect(try f.store.receipt(key: "booking:bk-1")?.number == redeemed.number)
    }
}
