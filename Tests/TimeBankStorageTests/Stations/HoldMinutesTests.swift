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
}
