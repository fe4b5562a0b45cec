import Foundation
import Testing
@testable import TimeBankCore
@testable import TimeBankStorage

/// The settlement's calendar at its edges: the leap day, periods that end while nights are skipped, versions that
/// change a grant or a ranking in the middle of a period.
@Suite("Settlement calendar")
struct SettlementCalendarTests {
    /// A clock in August 2029, so that nights of 2027 to 2029 have ended.
    static func store() throws -> TestStore {
        try TestStore(clock: FixedClock(Timestamp(millisecondsSinceEpoch: 1_880_000_000_000), stepMilliseconds: 1000))
    }

    /// `SettlementTests.policy()` effective on `effective`, with its `[expiry]` and `[grants.base]` `every` replaced.
    static func policy(version: Int = 1, effective: String, afterMonths: Int = 1, every: String = "month") -> String {
        SettlementTests.policy(version: version, effective: effective)
            .replacingOccurrences(of: "after_months = 1", with: "after_months = \(afterMonths)")
            .replacingOccurrences(of: "every = \"month\"", with: "every = \"\(every)\"")
    }

    @Test("expiry dates around 29 February: clamped to the month's last day as policy.md says, never past it",
          arguments: [
            ("2028-02-29", 12, "2029-02-28"), ("2028-02-29", 48, "2032-02-29"), ("2028-02-29", 1, "2028-03-29"),
            ("2028-01-31", 1, "2028-02-29"), ("2027-01-29", 1, "2027-02-28"), ("2027-01-31", 1, "2027-02-28"),
            ("2027-02-28", 12, "2028-02-28"), ("2028-03-31", 11, "2029-02-28"),
          ])
    func leapDayExpiryDates(earned: String, months: Int, expires: String) {
        #expect(PolicyExpiry(rule: .afterMonths(months), warnDays: 0).expiryDate(earnedOn: date(earned)) == date(expires))
        #expect(PolicyExpiry(rule: .endOfYear, warnDays: 0).expiryDate(earnedOn: date(earned)) == LocalDate(year: date(earned).year + 1, month: 1, day: 1))
    }

    @Test("periods around 29 February: February 2028 ends on the 29th, 2029's on the 28th; the year and Q1 are whole")
    func leapDayPeriods() {
        #expect(ScoringWindow(.month, containing: date("2028-02-10")).lastDay == date("2028-02-29"))
        #expect(ScoringWindow(.month, containing: date("2029-02-10")).lastDay == date("2029-02-28"))
        #expect(ScoringWindow(.quarter, containing: date("2028-02-29")).lastDay == date("2028-03-31"))
        #expect(ScoringWindow(.year, containing: date("2028-02-29")).lastDay == date("2028-12-31"))
        #expect(ScoringWindow(.week, containing: date("2028-02-29")).label == "2028-W09")
    }

    @Test("service on 29 February 2028 with after_months = 12: usable through 27 February 2029, expired by the night of the 28th; warned 10 days ahead across the leap day; February's ranking counts the 29th")
    func leapDayThroughTheNights() throws {
        let test = try Self.store()
        let store = test.store
        try store.activatePolicy(Self.policy(effective: "2028-01-01", afterMonths: 12), actor: "admin")
        // Lots of V2's that expire on 1 and 2 March 2028: warned on 20 February with 10 days ahead (21 February to 1 March,
        // the 29th among them) only for the first.
        _ = try test.award("V2", 700, expires: "2028-03-01", on: "2028-01-05")
        _ = try test.award("V2", 300, expires: "2028-03-02", on: "2028-01-05")
        try SettlementTests.importRecords(store, ["r1,V1,orange,2028-02-29,09:00,11:00,社区"])   // 20.00

        _ = try SettlementTests.settle(store, "2028-02-20")
        let notice = try #require(try store.settlementReports(on: date("2028-02-20")).first { $0.name == "expiring" && $0.format == "csv" }).content
        #expect(notice.contains("2028-03-01") && !notice.contains("2028-03-02"), "\(notice)")

        let leap = try SettlementTests.settle(store, "2028-02-29", missed: .skip)
        #expect(leap.posted == 1)
        let lot = try #require(try store.lots(of: .volunteer("V1")).first { $0.openedOn == date("2028-02-29") && $0.amount == 2_000 })
        #expect(lot.expiresOn == date("2029-02-28"))

        let march = try SettlementTests.settle(store, "2028-03-01")
        #expect(march.rankingPeriods == ["2028-02"])
        #expect(try store.database.statement("SELECT volunteer, points FROM rankings WHERE period = '2028-02'")
            .rows { "\($0.text(0)) \($0.int64(1))" } == ["V1 2000"])
        #expect(march.expired == 700)   // V2's lot of 1 March

        _ = try SettlementTests.settle(store, "2029-02-27", missed: .skip)
        #expect(try store.lots(of: .volunteer("V1")).first { $0.id == lot.id }?.remaining == 2_000)
        let last = try SettlementTests.settle(store, "2029-02-28")
        #expect(try store.lots(of: .volunteer("V1")).first { $0.id == lot.id }?.remaining == 0)
        #expect(try store.entry(key: "expiry:2029-02-28:volunteer:V1") != nil)
        #expect(last.expiryEntries >= 1)
        #expect(try store.verify().isClean)
    }

    @Test("nights skipped across two years' ends: each year's grant once, dated 1 January; each year's ranking once, oldest first; a re-run writes nothing")
    func skippedYears() throws {
        let test = try Self.store()
        let store = test.store
        try store.activatePolicy(Self.policy(effective: "2026-10-01", afterMonths: 120, every: "year")
            .replacingOccurrences(of: "period = \"month\"", with: "period = \"year\""), actor: "admin")
        try SettlementTests.importRecords(store, ["r1,V1,orange,2026-12-31,09:00,11:00,社区", "r2,V2,orange,2027-06-30,09:00,10:00,社区"])
        _ = try SettlementTests.settle(store, "2026-12-30")
        let night = try SettlementTests.settle(store, "2028-01-02", missed: .skip)
        #expect(night.rankingPeriods == ["2026", "2027"])
        #expect(night.grantEntries == 2)   // H1 for 2027 and 2028
        #expect(try store.entry(key: "grant:base:2027:household:H1")?.effectiveDate == date("2027-01-01"))
        #expect(try store.entry(key: "grant:base:2028:household:H1")?.effectiveDate == date("2028-01-01"))
        let rankings = try store.database.statement("SELECT period, volunteer FROM rankings ORDER BY period, rank").rows { "\($0.text(0)) \($0.text(1))" }
        #expect(rankings == ["2026 V1", "2027 V2"])
        let next = try SettlementTests.settle(store, "2028-01-03")
        #expect(next.rankingPeriods == [] && next.grantEntries == 0)
    }

    @Test("the first night of a store, after a version that changed the ranking took effect: the period before is ranked by the version in force on its last day, as a later first night would")
    func firstNightRanksThePeriodBefore() throws {
        for withSecondVersion in [false, true] {
            let test = try Self.store()
            let store = test.store
            try store.activatePolicy(SettlementTests.policy(effective: "2026-10-01"), actor: "admin")
            if withSecondVersion {
                // From 10 November the top 2 by hours: October ended under version 1 (the top 1 by points).
                try store.activatePolicy(SettlementTests.policy(version: 2, effective: "2026-11-10")
                    .replacingOccurrences(of: "top = 1\nby = \"points\"", with: "top = 2\nby = \"hours\""), actor: "admin")
            }
            try SettlementTests.importRecords(store, ["r1,V1,orange,2026-10-05,09:00,11:00,社区", "r2,V2,orange,2026-10-06,09:00,12:00,社区"])
            let night = try SettlementTests.settle(store, "2026-11-20")
            #expect(night.rankingPeriods == ["2026-10"], "second version: \(withSecondVersion)")
            let written = try store.database.statement("SELECT rank, volunteer FROM rankings WHERE period = '2026-10' ORDER BY rank")
                .rows { "\($0.int64(0)) \($0.text(1))" }
            #expect(written == ["1 V2"], "second version: \(withSecondVersion)")   // 30.00 points against 20.00, the top 1
        }
    }

    @Test("a grant's every changed in the middle of a year: the year already granted is not granted again, the month the new version starts in is (policy.md: a grant paid by another period pays the period its effective date falls in)")
    func grantPeriodChangedMidYear() throws {
        let test = try Self.store()
        let store = test.store
        try store.activatePolicy(Self.policy(effective: "2026-10-01", afterMonths: 120, every: "year"), actor: "admin")
        try store.activatePolicy(Self.policy(version: 2, effective: "2026-11-15", afterMonths: 120, every: "month"), actor: "admin")
        try store.activatePolicy(Self.policy(version: 3, effective: "2026-12-10", afterMonths: 120, every: "year"), actor: "admin")
        _ = try SettlementTests.settle(store, "2026-10-01")
        _ = try SettlementTests.settle(store, "2027-01-05", missed: .skip)
        let grants = try store.database.statement("SELECT key, effective_date FROM entries WHERE kind = 'grant' ORDER BY sequence")
            .rows { "\($0.text(0)) \($0.text(1))" }
        #expect(grants == ["grant:base:2026:household:H1 2026-10-01", "grant:base:2026-11:household:H1 2026-11-15",
                           "grant:base:2026-12:household:H1 2026-12-01", "grant:base:2027:household:H1 2027-01-01"])
    }
}
