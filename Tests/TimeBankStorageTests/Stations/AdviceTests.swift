import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Refusals whose advice must work when followed.
@Suite("Stations: what a refusal advises works")
struct AdviceTests {
    @Test("R007 with a slot left says how many are left and wanted, not fully booked")
    func capacityLeft() throws {
        let f = try StationFixture(policy: stationTestPolicy().replacingOccurrences(of: "capacity_per_day = 1", with: "capacity_per_day = 4"))
        try f.award(.volunteer("V1"), 50_000)
        try f.award(.volunteer("V4"), 50_000)
        func book(_ key: String, _ volunteer: String, _ quantity: Int) throws {
            try f.store.book(BookingRequest(key: key, station: "S01", volunteer: volunteer, item: "home_cleaning", quantity: quantity,
                                            date: f.today), by: f.op1)
        }
        try book("bk-1", "V1", 3)
        let left = try f.expectRefusal("R007") { try book("bk-2", "V4", 2) }
        #expect(left?.message == "home_cleaning has 1 slot left at S01 on 2026-10-08 (4 a day), 2 wanted: book at most 1 there; "
                    + "free at S02 第二兑换站 (4 left)", "\(left?.message ?? "")")
        try book("bk-2", "V4", 1)   // what it advised
        let full = try f.expectRefusal("R007") { try book("bk-3", "V4", 1) }
        #expect(full?.message == "home_cleaning is fully booked at S01 on 2026-10-08 (4 a day); free at S02 第二兑换站 (4 left)", "\(full?.message ?? "")")
    }

    @Test("R003 of more than the limit at once says the most at once, not that the limit resets")
    func moreThanLimitAtOnce() throws {
        let f = try StationFixture()   // rice: 1 a month
        try f.award(.volunteer("V1"), 50_000)
        try f.stock("S01", "rice_5kg", 5)
        let refusal = try f.expectRefusal("R003") { try f.redeem("V1", "rice_5kg", quantity: 2) }
        #expect(refusal?.message == "V1 may redeem rice_5kg 1 time per month and has 0 this month (2 wanted); the most that can be redeemed "
                    + "at once is 1: redeem at most 1", "\(refusal?.message ?? "")")
        #expect(try f.redeem("V1", "rice_5kg", quantity: 1).isNew)
    }

    @Test("cancel of a fulfilled booking points to refunding its receipt; fulfil after the hold lapsed names the redemption")
    func endedBookings() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        try f.award(.volunteer("V4"), 50_000)
        let done = try f.store.book(BookingRequest(key: "bk-1", station: "S01", volunteer: "V4", item: "home_cleaning", date: f.today),
                                    by: f.op1).hold
        let receipt = try f.store.fulfil(hold: done.number, by: f.op1, on: f.today).receipt
        let cancel = try f.expectRefusal("R014") { try f.store.cancel(hold: done.number, reason: "x", by: f.op1, on: f.today) }
        #expect(cancel?.message == "booking B1 is fulfilled already (receipt R\(receipt.number)): to give its points back and free the slot, "
                    + "refund the receipt: `timebank refund R\(receipt.number) --reason TEXT`", "\(cancel?.message ?? "")")
        // A booking of health_check (1 a year) that lapsed: the service given that day is a redemption, advised while the limit allows.
        let lapsing = try f.store.book(BookingRequest(key: "bk-2", station: "S01", volunteer: "V1", item: "health_check", date: f.today,
                                                      expiresAt: Timestamp("2026-10-08T02:30:00.000Z")), by: f.op1).hold
        f.clock.advance(minutes: 60)
        try f.store.expireHolds()
        let fulfil = try f.expectRefusal("R014") { try f.store.fulfil(hold: lapsing.number, by: f.op1, on: f.today) }
        let command = "timebank redeem --station S01 --volunteer V1 --item health_check --date 2026-10-08 --key KEY"
        #expect(fulfil?.message == "booking B2 is expired already and its points went back. If the service was given on 2026-10-08, "
                    + "record it as a redemption of that day: `\(command)`", "\(fulfil?.message ?? "")")
        #expect(try f.store.redeem(RedemptionRequest(key: "paper-1", station: "S01", volunteer: "V1", item: "health_check", date: f.today),
                                   by: f.op1).isNew)
        // Now the limit is reached: no redemption is advised.
        let again = try f.expectRefusal("R014") { try f.store.fulfil(hold: lapsing.number, by: f.op1, on: f.today) }
        #expect(again?.message.contains("timebank redeem") == false)
    }

    @Test("fulfil of a booking that lapsed, asked a day later, names a redemption of its service day, not of the day asked")
    func lapsedBookingAdviceNamesServiceDay() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        // Booked on 2026-10-08 for that day; it lapses at midnight. The operator types the fulfilment in on 2026-10-09.
        let hold = try f.store.book(BookingRequest(key: "bk-1", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today),
                                    by: f.op1).hold
        f.clock.advance(minutes: 24 * 60)
        try f.store.expireHolds()
        let fulfil = try f.expectRefusal("R014") { try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today.adding(days: 1)) }
        let command = "timebank redeem --station S01 --volunteer V1 --item home_cleaning --date 2026-10-08 --key KEY"
        #expect(fulfil?.message == "booking B1 is expired already and its points went back. If the service was given on 2026-10-08, "
                    + "record it as a redemption of that day: `\(command)`", "\(fulfil?.message ?? "")")
    }

    /// A booking of 2 that lapsed: the redemption advised is of 2 (it advised 1, and the operator following it charged for
    /// one of the two services given); a later version's price for that day is said beside what the booking held.
    @Test func lapsedBookingOfSeveralAdvisesThemAll() throws {
        let f = try StationFixture(policy: stationTestPolicy().replacingOccurrences(of: "capacity_per_day = 1", with: "capacity_per_day = 4"))
        try f.award(.volunteer("V1"), 50_000)
        let hold = try f.store.book(BookingRequest(key: "bk-1", station: "S01", volunteer: "V1", item: "home_cleaning", quantity: 2,
                                                   date: f.today), by: f.op1).hold
        #expect(hold.points == 16_000)
        f.clock.advance(minutes: 24 * 60)
        try f.store.expireHolds()
        let fulfil = try f.expectRefusal("R014") { try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today.adding(days: 1)) }
        let command = "timebank redeem --station S01 --volunteer V1 --item home_cleaning --qty 2 --date 2026-10-08 --key KEY"
        #expect(fulfil?.message == "booking B1 is expired already and its points went back. If the service was given on 2026-10-08, "
                    + "record it as a redemption of that day: `\(command)`", "\(fulfil?.message ?? "")")
        // R025 of a booking of 2 for a past day: the same.
        let paper = BookingRequest(key: "paper-bk", station: "S01", volunteer: "V1", item: "home_cleaning", quantity: 2,
                                   date: LocalDate("2026-10-09")!, serviceDate: LocalDate("2026-10-07"))
        f.clock.advance(minutes: 24 * 60)
        let late = try f.expectRefusal("R025") { try f.store.book(paper, by: f.op1) }
        #expect(late?.message.contains("`timebank redeem --station S01 --volunteer V1 --item home_cleaning --qty 2 --date 2026-10-07 --key KEY`") == true,
                "\(late?.message ?? "")")
        // A version effective from 2026-10-08 prices home_cleaning at 90: the redemption of that day costs 180.00, not the 160.00 held.
        try f.store.activatePolicy(stationTestPolicy().replacingOccurrences(of: "version = 1", with: "version = 2")
            .replacingOccurrences(of: "effective = 2026-01-01", with: "effective = 2026-10-08")
            .replacingOccurrences(of: "capacity_per_day = 1", with: "capacity_per_day = 4")
            .replacingOccurrences(of: "price = 80", with: "price = 90"), actor: "test")
        let priced = try f.expectRefusal("R014") { try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today.adding(days: 2)) }
        #expect(priced?.message.hasSuffix("`\(command)` (by the policy in force that day it costs 180.00 积分, where the booking held 160.00)") == true,
                "\(priced?.message ?? "")")
    }

    @Test("R025 names the redemption to type only when the item's limit allows it")
    func bookingTooLateWithinLimit() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 50_000)
        let paper = BookingRequest(key: "paper-bk", station: "S01", volunteer: "V1", item: "health_check",
                                   date: LocalDate("2026-10-06")!, serviceDate: LocalDate("2026-10-07"))
        let first = try f.expectRefusal("R025") { try f.store.book(paper, by: f.op1) }
        #expect(first?.message.contains("`timebank redeem --station S01 --volunteer V1 --item health_check --date 2026-10-07 --key KEY`") == true)
        try f.store.redeem(RedemptionRequest(key: "S01-1", station: "S01", volunteer: "V1", item: "health_check", date: f.today), by: f.op1)
        let second = try f.expectRefusal("R025") { try f.store.book(paper, by: f.op1) }
        #expect(second?.message.contains("timebank redeem") == false)
        #expect(second?.message.contains("V1 has reached the limit of health_check for that period, R003") == true, "\(second?.message ?? "")")
    }
}
