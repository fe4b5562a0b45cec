import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Stations: a hold given a lapse time")
struct HoldMinutesTests {
    @Test("a hold that would lapse before its later service day starts is refused (R027); within the service day it is booked")
    func lapsesBeforeServiceDay() throws {
        let f = try StationFixture()   // 2026-10-08 10:00 in UTC+8
        try f.award(.volunteer("V1"), 50_000)
        func book(_ key: String, for day: String, lapsing at: String) throws -> Hold {
            try f.store.book(BookingRequest(key: key, station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                            serviceDate: LocalDate(day), expiresAt: Timestamp(at)), by: f.op1).hold
        }
        let refusal = try f.expectRefusal("R027") { _ = try book("bk-1", for: "2026-10-10", lapsing: "2026-10-08T02:30:00.000Z") }
        #expect(refusal?.message.hasPrefix("the hold would lapse at 2026-10-08 10:30:00 (UTC+8), before its service day 2026-10-10 starts "
                                           + "(2026-10-10 00:00:00 (UTC+8))") == true, "\(refusal?.message ?? "")")
        #expect(refusal?.message.contains("--hold-minutes counts from now and is for today's bookings") == true)
        // Lapsing at the very start of the service day is refused too; a minute into it, or today's booking, is booked.
        try f.expectRefusal("R027") { _ = try book("bk-1", for: "2026-10-10", lapsing: "2026-10-09T16:00:00.000Z") }
        #expect(try book("bk-2", for: "2026-10-10", lapsing: "2026-10-09T16:01:00.000Z").state == .held)
        #expect(try book("bk-3", for: "2026-10-08", lapsing: "2026-10-08T02:30:00.000Z").state == .held)
    }

    @Test("a hold that would outlast its service day is refused (R030), with the most minutes that end today; to its very end it is booked")
    func outlastsServiceDay() throws {
        let f = try StationFixture()   // 2026-10-08 10:00 in UTC+8: 14 hours to midnight
        try f.award(.volunteer("V1"), 50_000)
        func book(_ key: String, for day: String, lapsing at: String) throws -> Hold {
            try f.store.book(BookingRequest(key: key, station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                            serviceDate: LocalDate(day), expiresAt: Timestamp(at)), by: f.op1).hold
        }
        let entries = try f.store.head().count
        // Two days from now (--hold-minutes 2880), for today: it could be fulfilled on 10-10, a receipt of another day.
        let refusal = try f.expectRefusal("R030") { _ = try book("bk-1", for: "2026-10-08", lapsing: "2026-10-10T02:00:00.000Z") }
        #expect(refusal?.message.hasPrefix("the hold would last until 2026-10-10 10:00:00 (UTC+8), past the end of its service day "
                                           + "2026-10-08 (2026-10-09 00:00:00 (UTC+8))") == true, "\(refusal?.message ?? "")")
        #expect(refusal?.message.contains("or give --hold-minutes 840 or fewer (to the end of today)") == true, "\(refusal?.message ?? "")")
        // A minute past midnight, for a later day: no minutes named (--hold-minutes is for today's bookings).
        let later = try f.expectRefusal("R030") { _ = try book("bk-1", for: "2026-10-09", lapsing: "2026-10-09T16:01:00.000Z") }
        #expect(later?.message.contains("or fewer") == false && later?.message.contains("--for DATE") == true, "\(later?.message ?? "")")
        #expect(try f.store.head().count == entries)
        // To the very end of the service day it is booked, and lapses there.
        #expect(try book("bk-2", for: "2026-10-08", lapsing: "2026-10-08T16:00:00.000Z").state == .held)
    }
}
