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
        let elsewhere = try f.expectRefusal("O004") { try f.store.cancel(hold: hold.number, reason: "x", by: f.op2, on: f.today) }
        #expect(elsewhere?.message.hasPrefix("booking B\(hold.number) belongs to station S01, and op2 works at station S02") == true)
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

    @Test("fulfilling or cancelling a lapsed booking no write has released yet is R014, and the release it says happened is kept")
    func refusedLapsedHoldStaysReleased() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.award(.volunteer("V4"), 10_000)
        let soon = Timestamp(millisecondsSinceEpoch: f.clock.now().millisecondsSinceEpoch + 30 * 60_000)
        let first = try book(f, "V1", expiresAt: soon).hold
        let second = try book(f, "V4", "health_check", expiresAt: soon).hold
        f.clock.advance(minutes: 31)
        // The volunteer did not come: fulfilling is refused, and R014 says the points went back, so they have.
        do {
            try f.store.fulfil(hold: first.number, by: f.op1, on: f.today)
            Issue.record("fulfilling a lapsed booking went through")
        } catch let error as RedemptionError {
            #expect(error.code == "R014")
            #expect(error.message.contains("its points went back"), "\(error.message)")
        }
        #expect(try f.store.hold(number: first.number)?.state == .expired)
        #expect(try f.store.balance(.volunteer("V1")) == 10_000)
        // Cancelling the other (a no-show) the same way: refused, released.
        #expect(throws: RedemptionError.holdNotActive(hold: second.number, state: .expired)) {
            try f.store.cancel(hold: second.number, reason: "没来", by: f.op1, on: f.today)
        }
        #expect(RedemptionError.holdNotActive(hold: second.number, state: .expired).message
                == "booking B\(second.number) is expired already (not fulfilled in time) and its points went back; book again if the "
                + "volunteer still wants the service")
        #expect(try f.store.hold(number: second.number)?.state == .expired)
        #expect(try f.store.balance(.volunteer("V4")) == 10_000)
        #expect(try f.store.balance(TimeBankStore.heldAccount.id) == 0)
        // Asked again, nothing more is written.
        let after = try f.snapshot()
        try f.expectRefusal("R014") { try f.store.fulfil(hold: first.number, by: f.op1, on: f.today) }
        #expect(try f.snapshot() == after)
        try f.expectClean()
    }

    @Test("the release of a lapsed booking names its lapse time in the community's local time, as its receipt would (was: the UTC instant)")
    func lapseMemoInLocalTime() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        let hold = try book(f, "V1", serviceDay: "2026-10-08").hold
        #expect(hold.expiresAt.description == "2026-10-08T16:00:00.000Z")
        f.clock.advance(minutes: 15 * 60)   // 2026-10-08T17:00Z, 01:00 on the 9th in China
        #expect(try f.store.expireHolds().map(\.number) == [hold.number])
        let release = try #require(try f.store.entry(key: "release:B\(hold.number)"))
        #expect(release.memo == "预约过期 B\(hold.number) (hold lapsed 2026-10-09 00:00:00 (UTC+8))")
        // At an offset the store is told to use (`TIMEBANK_UTC_OFFSET_MINUTES`), that one.
        let g = try StationFixture()
        g.store.utcOffsetOverride = 0
        try g.award(.volunteer("V1"), 10_000)
        let utcHold = try g.store.book(BookingRequest(key: "bk", station: "S01", volunteer: "V1", item: "home_cleaning", date: g.today,
                                                      serviceDate: nil, expiresAt: nil), by: g.op1, utcOffsetMinutes: 0).hold
        g.clock.advance(minutes: 23 * 60)
        #expect(try g.store.expireHolds().count == 1)
        #expect(try g.store.entry(key: "release:B\(utcHold.number)")?.memo == "预约过期 B\(utcHold.number) (hold lapsed 2026-10-09 00:00:00 (UTC+0))")
        try f.expectClean()
        try g.expectClean()
    }

    @Test("a booking holds the price of the day it was booked: a version repricing the service from before its service day does not change it")
    func bookingKeepsPriceOfDayBooked() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.award(.volunteer("V4"), 10_000)
        let hold = try book(f, "V1", serviceDay: "2026-10-10").hold
        #expect(hold.points == 8_000)
        // Version 2, in force from 2026-10-09, prices home_cleaning at 95.
        let repriced = stationTestPolicy()
            .replacingOccurrences(of: "version = 1\neffective = 2026-01-01", with: "version = 2\neffective = 2026-10-09")
            .replacingOccurrences(of: "kind = \"service\"\nprice = 80", with: "kind = \"service\"\nprice = 95")
        #expect(repriced.contains("price = 95"))
        try f.store.activatePolicy(repriced, actor: "test")
        f.clock.advance(minutes: 2 * 24 * 60)   // 2026-10-10, 10:00 in China
        let day = LocalDate("2026-10-10")!
        let receipt = try f.store.fulfil(hold: hold.number, by: f.op1, on: day).receipt
        #expect(receipt.points == 8_000 && receipt.unitPrice == 8_000)
        #expect(try f.store.balance(.volunteer("V1")) == 2_000)
        // A booking made now pays the new price.
        let later = try f.store.book(BookingRequest(key: "bk-later", station: "S01", volunteer: "V4", item: "home_cleaning", date: day,
                                                    serviceDate: LocalDate("2026-10-11")), by: f.op1).hold
        #expect(later.points == 9_500)
        try f.expectClean()
    }

    @Test("a booking fulfilled under a later version pays the fund the unit cost of the version that priced it, and its receipt names that version")
    func fulfilmentKeepsVersionOfDayBooked() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        let hold = try book(f, "V1", "health_check", serviceDay: "2026-10-10").hold
        #expect(hold.points == 10_000)
        // Version 2, in force from 2026-10-09, prices health_check at 120 and pays its provider 70 CNY (version 1: 100 and 50).
        let repriced = stationTestPolicy()
            .replacingOccurrences(of: "version = 1\neffective = 2026-01-01", with: "version = 2\neffective = 2026-10-09")
            .replacingOccurrences(of: "price = 100\nunit_cost = 50", with: "price = 120\nunit_cost = 70")
        #expect(repriced.contains("unit_cost = 70"))
        try f.store.activatePolicy(repriced, actor: "test")
        let versions = try f.store.policyVersions().map(\.number)
        #expect(versions.count == 2)
        f.clock.advance(minutes: 2 * 24 * 60)   // 2026-10-10, 10:00 in China
        let receipt = try f.store.fulfil(hold: hold.number, by: f.op1, on: LocalDate("2026-10-10")!).receipt
        #expect(receipt.points == 10_000)
        #expect(receipt.policyVersion == versions[0])
        #expect(try f.store.receipt(number: receipt.number)?.policyVersion == versions[0])
        #expect(try f.store.balance(.fund, .cny) == -5_000)
        #expect(try f.store.balance(.outside, .cny) == 5_000)
        // A service redeemed at the counter that day is priced, costed and recorded by version 2.
        try f.award(.volunteer("V4"), 20_000)
        let counter = try f.redeem("V4", "health_check", on: LocalDate("2026-10-10")!).receipt
        #expect(counter.policyVersion == versions[1] && counter.points == 12_000)
        #expect(try f.store.balance(.fund, .cny) == -12_000)
        try f.expectClean()
    }

    @Test("expireHolds releases every lapsed hold at once")
    func sweep() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        let soon = Timestamp(millisecondsSinceEpoch: f.clock.now().millisecondsSinceEpoch + 60_000)
        let first = try book(f, "V1", expiresAt: soon).hold
        // (A second service of today: a hold lapsing before a later service day starts is refused, R027.)
        let second = try book(f, "V1", "health_check", expiresAt: soon).hold
        #expect(try f.store.expireHolds().isEmpty)
        f.clock.advance(minutes: 2)
        #expect(try f.store.expireHolds().map(\.number) == [first.number, second.number])
        #expect(try f.store.balance(.volunteer("V1")) == 20_000)
        #expect(try f.store.holds(activeOnly: true).isEmpty)
        try f.expectClean()
    }

    @Test("more than 1,000 lapsed bookings: every one is released before a write, so the 1,001st cannot be fulfilled (was: fulfilled after its lapse)")
    func moreThanAThousandLapsed() throws {
        // A service with no capacity or limit, priced 0.01, so that one volunteer can book it 1,001 times.
        let f = try StationFixture(policy: stationTestPolicy() + """

            [catalog.phone_call]
            label = "电话问候"
            kind = "service"
            price = 0.01
            """)
        try f.award(.volunteer("V1"), 10_000)
        let soon = Timestamp(millisecondsSinceEpoch: f.clock.now().millisecondsSinceEpoch + 10 * 60_000)
        var last: Hold?
        for index in 1...1_001 { last = try book(f, "V1", "phone_call", key: "call-\(index)", expiresAt: soon).hold }
        let hold = try #require(last)
        #expect(try f.store.balance(.volunteer("V1")) == 10_000 - 1_001)
        f.clock.advance(minutes: 11)
        // Every hold has lapsed: fulfilling the last one is R014 (docs/stations.md: "fulfilling it then is R014"), and
        // every booking's points are back.
        do {
            try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today)
            Issue.record("fulfilling a lapsed booking went through")
        } catch let error as RedemptionError {
            #expect(error.code == "R014", "\(error.message)")
        }
        #expect(try f.store.hold(number: hold.number)?.state == .expired)
        #expect(try f.store.balance(.volunteer("V1")) == 10_000)
        #expect(try f.store.holds(activeOnly: true, limit: 2_000).isEmpty)
        #expect(try f.store.balance(TimeBankStore.heldAccount.id) == 0)
        try f.expectClean()
    }

    @Test("a booking typed in later must be payable on the day it was booked: R001 names that day (was: L017 from the ledger)")
    func backDatedBooking() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000, on: "2026-10-05")
        let request = BookingRequest(key: "paper-bk-1", station: "S01", volunteer: "V1", item: "home_cleaning",
                                     date: LocalDate("2026-10-03")!, serviceDate: LocalDate("2026-10-09"))
        // On the service day V1 has 100.00 points, but on 10-03, the day of the hold entry, none yet.
        try f.expectRefusal("R001") { try f.store.book(request, by: f.op1) }
        do {
            try f.store.book(request, by: f.op1)
        } catch let error as RedemptionError {
            #expect(error.message == "volunteer:V1 can spend 0.00 积分 on 2026-10-03, the booking made that day costs 80.00; 80.00 more 积分 "
                        + "are needed. 100.00 more came in after 2026-10-03 "
                        + "(credited, or given back by a refund or a cancelled booking), and 积分 cannot be spent before they came in: "
                        + "book it on 2026-10-05 or later")
        }
        // Booked on 10-05, when the points were there, it is held.
        var later = request
        later.date = LocalDate("2026-10-05")!
        #expect(try f.store.book(later, by: f.op1).hold.points == 8_000)
        try f.expectClean()
    }

    @Test("a booking short of points says the booking costs (not the redemption); short on its service day, no day of booking is advised")
    func bookingShortOfPoints() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 3_000, on: "2026-10-01")
        let today = BookingRequest(key: "bk-short", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                   serviceDate: LocalDate("2026-10-09"))
        try f.expectRefusal("R001") { try f.store.book(today, by: f.op1) }
        do {
            try f.store.book(today, by: f.op1)
        } catch let error as RedemptionError {
            #expect(error.message == "volunteer:V1 can spend 30.00 积分, the booking costs 80.00; 50.00 more 积分 are needed")
        }
        // Typed in for 10-03, with 40.00 more from 10-05: short on the service day as well, so that is what it says (was: the
        // day of booking, and "date it later", which would not help).
        try f.award(.volunteer("V1"), 4_000, on: "2026-10-05")
        var paper = today
        paper.key = "bk-paper"
        paper.date = LocalDate("2026-10-03")!
        try f.expectRefusal("R001") { try f.store.book(paper, by: f.op1) }
        do {
            try f.store.book(paper, by: f.op1)
        } catch let error as RedemptionError {
            #expect(error.message == "volunteer:V1 can spend 70.00 积分, the booking costs 80.00; 10.00 more 积分 are needed")
        }
        try f.expectClean()
    }

    @Test("a booking short on its service day because points expire before it says so, naming the day")
    func bookingAfterPointsExpire() throws {
        let f = try StationFixture()
        // 100.00 now (10-08), all expiring on 10-12: the booking for 10-14 cannot be paid from them.
        try f.award(.volunteer("V1"), 10_000, expires: "2026-10-12", on: "2026-10-01")
        let late = BookingRequest(key: "bk-late", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                  serviceDate: LocalDate("2026-10-14"))
        let refused = try f.expectRefusal("R001") { _ = try f.store.book(late, by: f.op1) }
        #expect(refused?.message == "volunteer:V1 can spend 0.00 积分 on the service day 2026-10-14, the booking costs 80.00; 80.00 more "
            + "积分 are needed. 100.00 of the 积分 it holds expire before then (the first on 2026-10-12), and a booking is paid from "
            + "what can be spent on its service day")
        // For 10-11 they still pay.
        var earlier = late
        earlier.key = "bk-earlier"
        earlier.serviceDate = LocalDate("2026-10-11")
        _ = try f.store.book(earlier, by: f.op1)
        try f.expectClean()
    }

    @Test("a booking short because a lot expired before the day of booking names it apart from the lots expiring before the service day")
    func bookingWithExpiredLotNotYetTaken() throws {
        let f = try StationFixture()
        // On 10-08: 30.00 expired on 10-05 (the nightly expiry has not run), 60.00 expire on 10-12, 10.00 never.
        try f.award(.volunteer("V1"), 3_000, expires: "2026-10-05", on: "2026-10-01")
        try f.award(.volunteer("V1"), 6_000, expires: "2026-10-12", on: "2026-10-01")
        try f.award(.volunteer("V1"), 1_000, on: "2026-10-01")
        #expect(try f.store.balance(.volunteer("V1")) == 10_000)
        let request = BookingRequest(key: "bk", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                     serviceDate: LocalDate("2026-10-14"))
        let refused = try f.expectRefusal("R001") { _ = try f.store.book(request, by: f.op1) }
        #expect(refused?.message == "volunteer:V1 can spend 10.00 积分 on the service day 2026-10-14, the booking costs 80.00; 70.00 more "
            + "积分 are needed. 30.00 积分 of its balance expired on 2026-10-05: the balance still shows them until the nightly expiry "
            + "takes them, but they cannot be spent. 60.00 of the 积分 it holds expire before then (the first on 2026-10-12), and a "
            + "booking is paid from what can be spent on its service day")
        try f.expectClean()
    }

    @Test("a booking is not fulfilled before its service day (R028): the receipt would record a service not yet given")
    func notFulfilledEarly() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        let hold = try book(f, "V1", serviceDay: "2026-10-10").hold
        let refusal = try f.expectRefusal("R028") { try f.store.fulfil(hold: hold.number, by: f.op1, on: f.today) }
        #expect(refusal?.message.hasPrefix("booking B\(hold.number) is for 2026-10-10: fulfilling it on 2026-10-08 would record the "
                                           + "service as given before its day") == true)
        #expect(refusal?.category == .refused)
        // On its day it goes through, with the service day on the receipt.
        f.clock.advance(minutes: 2 * 24 * 60)
        let receipt = try f.store.fulfil(hold: hold.number, by: f.op1, on: LocalDate("2026-10-10")!).receipt
        #expect(receipt.serviceDate == LocalDate("2026-10-10") && receipt.redeemedOn == LocalDate("2026-10-10"))
        try f.expectClean()
    }

    @Test("R003 of an item the volunteer has only booked says the booking counts, and that cancelling it frees it")
    func limitCountsABooking() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 30_000)
        let hold = try book(f, "V1", "health_check", serviceDay: "2026-10-12").hold
        let refusal = try f.expectRefusal("R003") { try f.redeem("V1", "health_check") }
        #expect(refusal?.message == "V1 may redeem health_check 1 time per year and has 1 this year (booked ahead and not fulfilled yet: "
                + "cancelling the booking frees it, `timebank booking list`); the limit resets on 2027-01-01")
        try f.store.cancel(hold: hold.number, reason: "改为今天", by: f.op1, on: f.today)
        let redeemed = try f.redeem("V1", "health_check")
        #expect(redeemed.isNew)
        // Redeemed, not booked: the receipt that took it, where and when.
        let plain = try f.expectRefusal("R003") { _ = try book(f, "V1", "health_check", serviceDay: "2026-10-12") }
        #expect(plain?.message == "V1 may redeem health_check 1 time per year and has 1 this year (receipt R\(redeemed.receipt.number) at S01 "
                + "on 2026-10-08); the limit resets on 2027-01-01")
        try f.expectClean()
    }

    @Test("a booking sent again after its service day is the retry it is (the original booking), not R025")
    func retryAfterServiceDay() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        var request = BookingRequest(key: "S01-bk-9", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                     serviceDate: f.today.adding(days: 1))
        let booked = try f.store.book(request, by: f.op1).hold
        try f.store.cancel(hold: booked.number, reason: "改期", by: f.op1, on: f.today)
        // Two days later the counter's retry queue sends it again, dated the day it is sent.
        f.clock.advance(minutes: 2 * 24 * 60)
        request.date = f.today.adding(days: 2)
        let before = try f.snapshot()
        #expect(try f.store.book(request, by: f.op1) == .exists(try #require(try f.store.hold(number: booked.number))))
        #expect(try f.snapshot() == before)
        // A new key for that past day is still R025.
        request.key = "S01-bk-10"
        try f.expectRefusal("R025") { _ = try f.store.book(request, by: f.op1) }
        // Booked for today (no service day given) and sent again after midnight: the same booking, not R008.
        var today = BookingRequest(key: "S01-bk-11", station: "S01", volunteer: "V1", item: "health_check", date: request.date)
        let forToday = try f.store.book(today, by: f.op1).hold
        f.clock.advance(minutes: 24 * 60)
        today.date = request.date.adding(days: 1)
        #expect(try f.store.book(today, by: f.op1).hold.number == forToday.number)
        today.quantity = 2
        let twice = try f.expectRefusal("R008") { _ = try f.store.book(today, by: f.op1) }
        #expect(twice?.message.contains("(this one differs: quantity 2, not 1);") == true)
        // A key used for a booking of a later day, sent without a service day (for today): another booking, R008.
        let later = BookingRequest(key: "S01-bk-12", station: "S01", volunteer: "V1", item: "health_check", date: today.date,
                                   serviceDate: today.date.adding(days: 2))
        _ = try f.store.book(later, by: f.op1)
        var forTodayNow = later
        forTodayNow.serviceDate = nil
        let otherDay = try f.expectRefusal("R008") { _ = try f.store.book(forTodayNow, by: f.op1) }
        #expect(otherDay?.message.contains("(this one differs: service day \(today.date), not \(today.date.adding(days: 2)));") == true)
        try f.expectClean()
    }

    @Test("a booking for a service day that has ended, or before the day of booking, is R025 in local dates, naming the redemption to type")
    func bookingTooLate() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        // A paper booking of 10-06 for 10-07: its hold would have lapsed at midnight after 10-07; it is 10-08 now.
        let paper = BookingRequest(key: "paper-bk-2", station: "S01", volunteer: "V1", item: "home_cleaning",
                                   date: LocalDate("2026-10-06")!, serviceDate: LocalDate("2026-10-07"))
        try f.expectRefusal("R025") { try f.store.book(paper, by: f.op1) }
        do {
            try f.store.book(paper, by: f.op1)
        } catch let error as RedemptionError {
            #expect(error.message == "a booking for 2026-10-07 would lapse at the end of that day (2026-10-08 00:00:00 (UTC+8)), which has passed: "
                        + "book for today or a later day. If the service was given on 2026-10-07, type it in as a redemption of that day: "
                        + "`timebank redeem --station S01 --volunteer V1 --item home_cleaning --date 2026-10-07 --key KEY`; nothing was written")
        }
        let before = BookingRequest(key: "bk-3", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                    serviceDate: LocalDate("2026-10-07"))
        try f.expectRefusal("R025") { try f.store.book(before, by: f.op1) }
        do {
            try f.store.book(before, by: f.op1)
        } catch let error as RedemptionError {
            #expect(error.message.hasPrefix("a booking made on 2026-10-08 cannot be for 2026-10-07, a day before it: give --for 2026-10-08 or later."))
        }
        let passed = Timestamp(millisecondsSinceEpoch: f.clock.now().millisecondsSinceEpoch - 60_000)
        try f.expectRefusal("R025") { _ = try book(f, "V1", expiresAt: passed) }
        // What the message says to type works.
        #expect(try f.store.redeem(RedemptionRequest(key: "paper-1", station: "S01", volunteer: "V1", item: "home_cleaning",
                                                     date: LocalDate("2026-10-07")!), by: f.op1).isNew)
        try f.expectClean()
    }

    @Test("the entries of bookings, their endings and gifts are not reversed by hand (R024); each names its command")
    func reverseByHandRefused() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 30_000)
        let held = try book(f, "V1", key: "bk-1", serviceDay: "2026-10-09").hold
        let cancelled = try book(f, "V1", key: "bk-2", serviceDay: "2026-10-10").hold
        try f.store.cancel(hold: cancelled.number, reason: "改期", by: f.op1, on: f.today)
        let gift = try f.store.transfer(TransferRequest(key: "g1", from: "V1", to: "V4", points: 1_000, date: f.today), by: f.op1)
        let donation = try f.store.transfer(TransferRequest(key: "d1", from: "V1", to: nil, points: 500, date: f.today), by: f.op1)
        let release = try f.store.entrySequence(named: "release:B2")
        func refusal(_ sequence: Int64) throws -> String {
            var message = ""
            try f.expectRefusal("R024") {
                do {
                    try f.store.reverse(sequence: sequence, key: "undo-\(sequence)", actor: "admin", memo: "x", on: f.today)
                } catch let error as RedemptionError {
                    message = error.message
                    throw error
                }
            }
            return message
        }
        #expect(try refusal(held.entry).contains("Cancel it instead: `timebank cancel B1 --reason TEXT`"))
        #expect(try refusal(cancelled.entry).contains("It was cancelled already"))
        #expect(try refusal(release).hasPrefix("entry #\(release) is the cancellation of booking B2"))
        // A gift's entry: an admin's undo (`reverse` signed in, `undoGift`), which frees the gift limit too.
        for gift in [gift.entry.sequence, donation.entry.sequence] {
            #expect(try refusal(gift).contains("An admin undoes it instead, while the receiver still holds the points: `timebank reverse \(gift) "
                                               + "--key KEY --reason TEXT` signed in as an admin"))
        }
        // An award is still corrected by hand.
        let award = try f.award(.volunteer("V2"), 100)
        #expect(try f.store.reverse(sequence: award.sequence, key: "undo-award", actor: "admin", memo: "x", on: f.today).entry.reverses == award.sequence)
        try f.expectClean()
    }
}

@Suite("Stations: a booking's lapse through the library")
struct BookingLapseZoneTests {
    /// A library caller that gives no offset: the booking lapses at the end of its service day in the zone of the policy in
    /// force on that day, as the settlement voids it (the default was UTC+8 whatever the policy's zone).
    @Test func libraryBookingLapsesInThePolicysZone() throws {
        let f = try StationFixture(policy: stationTestPolicy().replacingOccurrences(of: "effective = 2026-01-01",
                                                                                      with: "effective = 2026-01-01\ntimezone = \"America/New_York\""))
        try f.award(.volunteer("V4"), 50_000)
        let day = LocalDate("2026-10-09")!
        let hold = try f.store.book(BookingRequest(key: "bk-ny", station: "S01", volunteer: "V4", item: "home_cleaning", date: f.today,
                                                   serviceDate: day), by: f.op1).hold
        // Midnight after 9 October in New York (UTC-4 then) is 04:00Z on the 10th.
        #expect(hold.expiresAt == Timestamp("2026-10-10T04:00:00.000Z")!, "\(hold.expiresAt)")
        #expect(hold.expiresAt == Hold.defaultExpiry(serviceDate: day, utcOffsetMinutes: try f.store.communityOffsetMinutes(atEndOf: day)))
        // An offset given still decides.
        let given = try f.store.book(BookingRequest(key: "bk-8", station: "S02", volunteer: "V4", item: "home_cleaning", date: f.today,
                                                    serviceDate: day), by: f.op2, utcOffsetMinutes: 480).hold
        #expect(given.expiresAt == Timestamp("2026-10-09T16:00:00.000Z")!)
    }
}
