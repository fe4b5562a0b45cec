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
}
