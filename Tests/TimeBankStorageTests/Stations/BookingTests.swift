import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Stations: bookings (two-phase holds)")
struct BookingTests {
    func book(_ f: StationFixture, _ volunteer: String, _ item: String = "home_cleaning", key: String = UUID().uuidString,
              serviceDay: String? = nil, expiresAt: Timestamp? = nil) throws -> BookingOutcome {
        try f.store.book(BookingRequest(key: key, station: "S01", volunteer: volunteer, item: item, date: f.today,
                                        serviceDate: serviceDay.flatMap { LocalDate($0) }, expiresAt: expiresAt), by: f.op1)
    }

    @Test("a booking holds the points (they cannot be spent twice) and a slot of the day")
    func holdsPointsAndSlot() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        let hold = try book(f, "V1", serviceDay: "2026-10-10").hold
        #expect(hold.state == .held && hold.points == 8_000)
        #expect(hold.expiresAt.description == "2026-10-10T16:00:00.000Z")   // midnight after the service day, UTC+8
        #expect(try f.store.balance(.volunteer("V1")) == 2_000)
        #expect(try f.store.balance(TimeBankStore.heldAccount.id) == 8_000)
        #expect(try f.store.slotsTaken(station: "S01", item: "home_cleaning", on: LocalDate("2026-10-10")!) == 1)
        // The held 80.00 cannot pay for anything else.
        try f.stock("S01", "rice_5kg", 1)
        try f.expectRefusal("R001") { try f.redeem("V1", "rice_5kg") }
        // The day's only slot is taken.
        try f.award(.volunteer("V4"), 10_000)
        try f.expectRefusal("R007") { _ = try book(f, "V4", serviceDay: "2026-10-10") }
        // A retry returns the booking; goods cannot be booked.
        try f.expectRefusal("R009") { _ = try book(f, "V4", "biscuits") }
        try f.expectClean()
    }

    @Test("fulfilling moves the held points to the station and prints a receipt; again returns the same receipt")
    func fulfil() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        let hold = try book(f, "V1", key: "bk-1").hold
        // Not before the day it was booked (R021), and nothing is written.
        let unbooked = try f.snapshot()
        try f.expectRefusal("R021") { try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today.adding(days: -1)) }
        try f.expectRefusal("R021") { try f.store.cancel(hold: hold.number, reason: "x", by: f.op1, on: f.today.adding(days: -1)) }
        #expect(try f.snapshot() == unbooked)
        let receipt = try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today)
        #expect(receipt.isNew)
        #expect(receipt.receipt.hold == hold.number && receipt.receipt.points == 8_000 && receipt.receipt.balanceAfter == 2_000)
        #expect(try f.store.balance(.station("S01")) == 8_000)
        #expect(try f.store.balance(TimeBankStore.heldAccount.id) == 0)
        #expect(try f.store.hold(number: hold.number)?.state == .fulfilled)
        let before = try f.snapshot()
        #expect(try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today) == .exists(receipt.receipt))
        #expect(try f.snapshot() == before)
        // The slot stays taken by the receipt.
        #expect(try f.store.slotsTaken(station: "S01", item: "home_cleaning", on: f.today) == 1)
        // A refund gives the points back to V1's lots through both entries.
        try f.store.refund(receipt: receipt.receipt.number, reason: "没有上门", by: f.op1, on: f.today)
        #expect(try f.store.balance(.volunteer("V1")) == 10_000)
        #expect(try f.store.balance(.station("S01")) == 0)
        #expect(try f.store.slotsTaken(station: "S01", item: "home_cleaning", on: f.today) == 0)
        try f.expectClean()
    }

    @Test("cancelling gives the points back to the exact lots and frees the slot; a cancelled booking cannot be fulfilled")
    func cancel() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 5_000, expires: "2026-12-31")
        try f.award(.volunteer("V1"), 5_000)
        let lotsBefore = try f.store.lots(of: .volunteer("V1"))
        let hold = try book(f, "V1").hold
        let cancelled = try f.store.cancel(hold: hold.number, reason: "改期", by: f.op1, on: f.today)
        #expect(cancelled.state == .cancelled)
        #expect(try f.store.lots(of: .volunteer("V1")) == lotsBefore)
        #expect(try f.store.slotsTaken(station: "S01", item: "home_cleaning", on: f.today) == 0)
        let before = try f.snapshot()
        #expect(try f.store.cancel(hold: hold.number, reason: "改期", by: f.op1, on: f.today).state == .cancelled)
        #expect(try f.snapshot() == before)
        try f.expectRefusal("R014") { try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today) }
        try f.expectRefusal("O004") { try f.store.cancel(hold: hold.number, reason: "x", by: f.op2, on: f.today) }
        try f.expectRefusal("R015") { try f.store.fulfil(hold: 99, by: f.op1, on: f.today) }
        try f.expectClean()
    }

    @Test("a lapsed hold releases its points and its slot, and cannot be fulfilled")
    func expiry() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.award(.volunteer("V4"), 10_000)
        let thirtyMinutes = Timestamp(millisecondsSinceEpoch: f.clock.now().millisecondsSinceEpoch + 30 * 60_000)
        let hold = try book(f, "V1", expiresAt: thirtyMinutes).hold
        #expect(try f.store.balance(.volunteer("V1")) == 2_000)
        f.clock.advance(minutes: 29)
        try f.expectRefusal("R007") { _ = try book(f, "V4") }
        f.clock.advance(minutes: 1)
        // At the expiry moment the hold lapses: the next booking releases it first and takes the slot.
        let next = try book(f, "V4").hold
        #expect(next.state == .held)
        let expired = try #require(try f.store.hold(number: hold.number))
        #expect(expired.state == .expired)
        #expect(try f.store.balance(.volunteer("V1")) == 10_000)
        #expect(try f.store.balance(TimeBankStore.heldAccount.id) == 8_000)   // V4's hold only
        try f.expectRefusal("R014") { try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today) }
        try f.expectClean()
    }

    @Test("expireHolds releases every lapsed hold at once")
    func sweep() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        let soon = Timestamp(millisecondsSinceEpoch: f.clock.now().millisecondsSinceEpoch + 60_000)
        let first = try book(f, "V1", expiresAt: soon).hold
        let second = try book(f, "V1", serviceDay: "2026-10-09", expiresAt: soon).hold
        #expect(try f.store.expireHolds().isEmpty)
        f.clock.advance(minutes: 2)
        #expect(try f.store.expireHolds().map(\.number) == [first.number, second.number])
        #expect(try f.store.balance(.volunteer("V1")) == 20_000)
        #expect(try f.store.holds(activeOnly: true).isEmpty)
        try f.expectClean()
    }
}
