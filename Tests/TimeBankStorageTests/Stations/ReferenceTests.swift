import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Naming receipts, bookings and entries: `R12` must never reach another volunteer's receipt.
@Suite("Stations: receipts, bookings and entries by name")
struct ReferenceTests {
    /// A receipt as a database written before R023 may hold it: a copy of receipt `number` under `key`, paid by
    /// another entry (SQL: receipts are append-only, but this timebank would refuse such a key).
    static func legacyReceipt(_ f: StationFixture, copying number: Int64, key: String, entry: Int64) throws -> Int64 {
        try f.store.database.statement("""
            INSERT INTO receipts(key, content_digest, station, station_name, volunteer, volunteer_name, paid_from, item, item_label,
                                 item_kind, quantity, unit_price, points, balance_after, operator, operator_name, redeemed_on,
                                 service_date, recorded_at, entry, hold, policy_version)
            SELECT ?, content_digest, station, station_name, volunteer, volunteer_name, paid_from, item, item_label, item_kind, quantity,
                   unit_price, points, balance_after, operator, operator_name, redeemed_on, service_date, recorded_at, ?, hold, policy_version
            FROM receipts WHERE number = ?
            """).bind(.text(key), .integer(entry), .integer(number)).run()
        return f.store.database.lastInsertedRowID
    }

    @Test("a receipt named by its booking (B1, or the booking's key) is R011 saying which receipt is the booking's")
    func receiptNamedByItsBooking() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        let fulfilled = try f.store.book(BookingRequest(key: "S01-bk-1", station: "S01", volunteer: "V1", item: "home_cleaning",
                                                        date: f.today), by: f.op1).hold
        let receipt = try f.store.fulfil(hold: fulfilled.number, by: f.op1, on: f.today).receipt
        let held = try f.store.book(BookingRequest(key: "S01-bk-2", station: "S01", volunteer: "V1", item: "health_check",
                                                   date: f.today), by: f.op1).hold
        for reference in ["B\(fulfilled.number)", "S01-bk-1", "ｂ\(fulfilled.number)"] {
            #expect(throws: RedemptionError.receiptReferenceNamesBooking(reference: reference, booking: fulfilled.number, state: .fulfilled,
                                                                        receipt: receipt.number)) { try f.store.receipt(named: reference) }
        }
        do {
            _ = try f.store.receipt(named: "S01-bk-1")
        } catch let error as RedemptionError {
            #expect(error.code == "R011")
            #expect(error.message == "\"S01-bk-1\" names booking B1, not a receipt: it was fulfilled with receipt R\(receipt.number), so give "
                    + "R\(receipt.number) (its refund gives the points back and frees the slot)")
        }
        do {
            _ = try f.store.receipt(named: "B\(held.number)")
        } catch let error as RedemptionError {
            #expect(error.message.contains("it is still held and has no receipt until `timebank fulfil B\(held.number)`"), "\(error.message)")
        }
        // A text that names neither stays the plain R011; the receipt's own names still work.
        #expect(throws: RedemptionError.unknownReceipt("B99")) { try f.store.receipt(named: "B99") }
        #expect(try f.store.receipt(named: "booking:S01-bk-1").number == receipt.number)
        #expect(try f.store.receipt(named: "R\(receipt.number)").number == receipt.number)
        try f.expectClean()
    }

    @Test("#N (how a ledger entry is written) names no receipt or booking: R011/R015 say how the slip writes the number")
    func entrySignIsNoReceipt() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        try f.stock("S01", "biscuits", 1)
        let receipt = try f.redeem("V1", "biscuits").receipt
        for reference in ["#\(receipt.number)", "＃\(receipt.number)"] {
            let refused = #expect(throws: RedemptionError.self) { try f.store.receipt(named: reference) }
            #expect(refused?.code == "R011")
            #expect(refused?.message == "no receipt \(reference) (timebank receipt list); a receipt is named as its slip prints it, "
                + "R\(receipt.number), and #\(receipt.number) is how ledger entry \(receipt.number) is written")
        }
        let booking = #expect(throws: RedemptionError.self) { try f.store.hold(named: "#7") }
        #expect(booking?.message == "no booking #7 (timebank booking list); a booking is named as its slip prints it, B7, and #7 is how "
            + "ledger entry 7 is written")
        #expect(RedemptionError.unknownReceipt("#abc").message == "no receipt #abc (timebank receipt list)")
    }

    @Test("new redemption and booking keys that read as receipt or booking numbers are refused (R023); others are fine",
          arguments: ["R1", "r07", "12", "B3", "b0", "number:4", "NUMBER:4", "#12",
                      // As a Chinese input method types them: full-width letters, digits and signs, spaces.
                      "Ｒ１４５", "１２", "Ｂ７", "Ｒ12", "R１２", "＃１２", "number: 12", "ｎｕｍｂｅｒ：１２", "B 3", "R\u{3000}12"])
    func numberShapedKeys(key: String) throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        try f.stock("S01", "biscuits", 10)
        try f.expectRefusal("R023") { try f.redeem("V1", "biscuits", key: key) }
        try f.expectRefusal("R023") {
            try f.store.book(BookingRequest(key: key, station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today), by: f.op1)
        }
        for fine in ["S01-0001", "R1a", "R-1", "RB12", "12.5", "Ｓ０１-"] {
            #expect(try f.redeem("V1", "biscuits", key: fine + key).isNew)
        }
        try f.expectClean()
    }

    @Test("StationReference reads R12, 12 and number:12 as numbers, and nothing else")
    func parsing() {
        #expect(StationReference.number(in: "R12", letter: "R") == 12)
        #expect(StationReference.number(in: "r012", letter: "R") == 12)
        #expect(StationReference.number(in: "12", letter: "R") == 12)
        #expect(StationReference.number(in: "B7", letter: "R") == nil)
        #expect(StationReference.number(in: "R+12", letter: "R") == nil)
        // Read as a person reads them (R023 refuses such keys): full-width forms and spaces.
        #expect(StationReference.number(in: "R 12", letter: "R") == 12)
        #expect(StationReference.number(in: "１２", letter: "R") == 12)
        #expect(StationReference.number(in: "Ｒ１４５", letter: "R") == 145)
        #expect(StationReference.parse("number: 12", letter: "R")?.explicit == true)
        #expect(StationReference.parse("number:12", letter: "B")?.number == 12 && StationReference.parse("number:12", letter: "B")?.explicit == true)
        #expect(StationReference.parse("B12", letter: "B")?.explicit == false)
        #expect(StationReference.readsAsNumber("B7") && StationReference.readsAsNumber("Number:7"))
        #expect(!StationReference.readsAsNumber("number:x") && !StationReference.readsAsNumber("S01-7"))
        // Each lead a number can have, in either case, with and without spaces and full-width forms; and leads it cannot.
        for key in ["7", "r7", "b7", "#7", " #7", "\u{3000}R 7", "＃７", "NUMBER:7", " number: 7", "ｎｕｍｂｅｒ：７"] {
            #expect(StationReference.readsAsNumber(key), "\(key)")
        }
        for key in ["", " ", "n7", "award:7", "x7", "S7", "7a", "R-7", "＃x"] {
            #expect(!StationReference.readsAsNumber(key), "\(key)")
        }
        #expect(StationReference.readingForm("S01-0001") == "S01-0001" && StationReference.readingForm("S01 0001\t") == "S010001")
    }

    @Test("a name that fits two receipts is refused with both listed (R022); number:N and the other's number pick one")
    func ambiguousReceipt() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.award(.volunteer("V4"), 10_000)
        try f.stock("S01", "biscuits", 5)
        let first = try f.redeem("V1", "biscuits", key: "S01-0001").receipt
        let second = try f.redeem("V4", "biscuits", key: "S01-0002").receipt
        // An older database: V4's receipt copied under the key "R1" (receipt R3).
        let legacy = try Self.legacyReceipt(f, copying: second.number, key: "R1", entry: try f.award(.volunteer("V2"), 100).sequence)
        #expect(legacy == 3)
        do {
            _ = try f.store.receipt(named: "R1")
            Issue.record("R1 names two receipts")
        } catch let error as RedemptionError {
            #expect(error.code == "R022")
            #expect(error.message == "\"R1\" names 2 receipts: R1 (receipt number 1: 饼干礼盒 × 1 for 王秀英 (V1), 2026-10-08 at S01) "
                        + "and R3 (redeemed under the key \"R1\": 饼干礼盒 × 1 for 李华 (V4), 2026-10-08 at S01); nothing was done. "
                        + "Name the one you mean by its number alone: number:1 or number:3")
        }
        #expect(try f.store.receipt(named: "number:1").number == first.number)
        #expect(try f.store.receipt(named: "R3").number == legacy)
        #expect(try f.store.receipt(named: "S01-0002").number == second.number)
        #expect(try f.store.receipt(named: "r2").number == second.number)
        for unknown in ["R9", "number:9", "S01-9"] {
            #expect(throws: RedemptionError.unknownReceipt(unknown)) { try f.store.receipt(named: unknown) }
        }
    }

    @Test("a name that fits two bookings is refused with both listed (R022)")
    func ambiguousBooking() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        let hold = try f.store.book(BookingRequest(key: "S01-bk-1", station: "S01", volunteer: "V1", item: "health_check", date: f.today),
                                    by: f.op1).hold
        // An older database: a second booking under the key "B1", holding another entry.
        let entry = try f.award(.volunteer("V2"), 100).sequence
        try f.store.database.statement("""
            INSERT INTO holds(key, content_digest, station, volunteer, paid_from, item, item_label, quantity, unit_price, points,
                              service_date, expires_at, operator, booked_on, recorded_at, entry, policy_version)
            SELECT 'B1', content_digest, station, volunteer, paid_from, item, item_label, quantity, unit_price, points, service_date,
                   expires_at, operator, booked_on, recorded_at, ?, policy_version FROM holds WHERE number = ?
            """).bind(.integer(entry), .integer(hold.number)).run()
        // "1" names only booking 1: no booking has the key "1".
        #expect(try f.store.hold(named: "1").number == 1)
        do {
            _ = try f.store.hold(named: "B1")
            Issue.record("B1 names two bookings")
        } catch let error as RedemptionError {
            #expect(error.code == "R022")
            #expect(error.message.hasPrefix("\"B1\" names 2 bookings: B1 (booking number 1: 老年人健康体检 × 1 for V1 on 2026-10-08 at S01) and B2 "))
            #expect(error.message.hasSuffix("number:1 or number:2"))
        }
        #expect(try f.store.hold(named: "number:1").number == 1)
        #expect(try f.store.hold(named: "S01-bk-1").number == 1)
    }

    @Test("an entry is found by the key the operator typed; a name that fits two entries is refused with both listed (L020)")
    func entries() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 5)
        let receipt = try f.redeem("V1", "biscuits", key: "S01-0001").receipt
        #expect(try f.store.entrySequence(named: "S01-0001") == receipt.entry)
        #expect(try f.store.entrySequence(named: "redeem:S01-0001") == receipt.entry)
        #expect(try f.store.entrySequence(named: "#\(receipt.entry)") == receipt.entry)
        // R1 is the receipt's entry, and no entry has the number or key "R1".
        #expect(try f.store.entrySequence(named: "R1") == receipt.entry)
        // A hand-posted entry under the key "1": refused now (L022), but a database written before the rule may hold one
        // (given the key with raw SQL here). Then "1" is entry 1 and that entry.
        #expect(throws: LedgerError.keyReadsAsEntryNumber(key: "1")) {
            try f.store.post(.move(key: "1", kind: .award, date: f.today, actor: "test", memo: "x", from: .issuance, to: .volunteer("V2"), amount: 100))
        }
        let posted = try f.store.post(.move(key: "one", kind: .award, date: f.today, actor: "test", memo: "x", from: .issuance,
                                            to: .volunteer("V2"), amount: 100)).entry
        try f.store.database.execute("DROP TRIGGER entries_append_only_update")
        try f.store.database.execute("UPDATE entries SET key = '1' WHERE sequence = \(posted.sequence)")
        do {
            _ = try f.store.entrySequence(named: "1")
            Issue.record("\"1\" names two entries")
        } catch let error as LedgerError {
            #expect(error.code == "L020")
            #expect(error.message.hasPrefix("\"1\" names 2 entries: #1 (entry number 1: award of 2026-10-01, service) and "
                                            + "#\(posted.sequence) (posted under the key \"1\": award of 2026-10-08, x); nothing was done."))
            #expect(error.message.hasSuffix("number:1 or number:\(posted.sequence)"))
        }
        #expect(try f.store.entrySequence(named: "number:1") == 1)
        #expect(throws: LedgerError.self) { try f.store.entrySequence(named: "S01-9") }
    }
}
