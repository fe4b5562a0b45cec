import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Every report over the hand-built community of `ReportFixture`; each expected number is worked out
/// in the fixture's table.
@Suite("Reports from the store")
struct ReportStoreTests {
    /// The rows of `table` as text cells, for comparing whole rows at once.
    static func lines(_ table: ReportTable) -> [[String]] { table.rows.map { $0.map(\.text) } }

    @Test("stations: receipts, refunds, net redemptions, items out, ledger points, low stock; the check adds up")
    func stations() throws {
        let fixture = try ReportFixture()
        let table = try fixture.store.stationsReport(from: fixture.first, through: fixture.last)
        #expect(table.columns.map(\.id) == ["station", "name", "receipts", "refunds", "redemptions", "items_out", "points", "low_stock"])
        #expect(Self.lines(table) == [
            ["S01", "第一兑换站", "2", "1", "1", "1", "60.00", "1"],   // rice 60 + biscuits 20 − refund 20; rice 6 − 1 = 5 left
            ["S02", "第二兑换站", "1", "0", "1", "1", "20.00", "1"],   // biscuits 3 − 1 = 2 left
        ])
        #expect(table.totals?.map(\.text) == ["Total", "", "3", "1", "2", "2", "80.00", "2"])
        #expect(table.notes == [
            "Check: points received (ledger) = receipts − refunds = 100.00 − 20.00 = 80.00: adds up.",
            "Low stock (at most 5 units on 2026-10-08):",
            "  S01 rice_5kg 大米 5kg: 5 left",
            "  S02 biscuits 饼干礼盒: 2 left",
        ])
        // Before the day of the redemptions nothing happened at the stations and nothing was stocked.
        let before = try fixture.store.stationsReport(from: fixture.first, through: LocalDate("2026-10-07")!)
        #expect(before.totals?.map(\.text) == ["Total", "", "0", "0", "0", "0", "0.00", "0"])
    }

    /// S01 has 5 rice and 10 biscuits, S02 2 biscuits. From version 2 (in force on the last day) biscuits are low at 10
    /// or fewer and rice only at 0: the report names biscuits at both stations, not the rice.
    @Test("stations: each item's low_stock from the catalog in force on the last day")
    func lowStockLevels() throws {
        let fixture = try ReportFixture()
        let version2 = reportTestPolicy
            .replacingOccurrences(of: "version = 1\neffective = 2026-01-01", with: "version = 2\neffective = 2026-10-08")
            .replacingOccurrences(of: "price = 60\nunit_cost = 30", with: "price = 60\nunit_cost = 30\nlow_stock = 0")
            .replacingOccurrences(of: "price = 20\nunit_cost = 10", with: "price = 20\nunit_cost = 10\nreorder_level = 10")
        // `reorder_level` is another name: the checker says what to write instead and refuses the version.
        #expect(throws: (any Error).self) { try fixture.store.activatePolicy(version2, actor: "admin", overrideReason: "test") }
        try fixture.store.activatePolicy(version2.replacingOccurrences(of: "reorder_level", with: "low_stock"), actor: "admin",
                                         overrideReason: "test")
        let table = try fixture.store.stationsReport(from: fixture.first, through: fixture.last)
        #expect(table.rows.map { $0.last?.text } == ["1", "1"])
        #expect(table.notes.dropFirst() == [
            "Low stock (at or below each item's low_stock, 5 when not set, on 2026-10-08):",
            "  S01 biscuits 饼干礼盒: 10 left (low_stock 10)",
            "  S02 biscuits 饼干礼盒: 2 left (low_stock 10)",
        ])
        // The day before, version 1 is in force: 5 for every item, and nothing had been stocked yet.
        let before = try fixture.store.stationsReport(from: fixture.first, through: LocalDate("2026-10-07")!)
        #expect(before.notes.last == "Low stock (at most 5 units on 2026-10-07): none.")
    }

    @Test("categories: posted scores not reversed, per category and indicator, with hours and a totals row")
    func categories() throws {
        let fixture = try ReportFixture()
        let table = try fixture.store.categoriesReport(from: fixture.first, through: fixture.last)
        #expect(Self.lines(table) == [
            ["category", "green", "绿色环保", "1", "90", "1.50", "15.00", "0.00", "15.00"],           // r6 (r3 reversed)
            ["category", "orange", "橙色关怀", "2", "210", "3.50", "42.00", "0.00", "42.00"],         // r1 24 + r2 18
            ["indicator", "garbage_sorting", "垃圾分类达标", "1", "0", "0.00", "3.00", "0.00", "3.00"],
            ["indicator", "illegal_structure", "违章搭建", "1", "0", "0.00", "0.00", "20.00", "-20.00"],
        ])
        #expect(table.totals?.map(\.text) == ["Total", "", "", "5", "300", "5.00", "60.00", "20.00", "40.00"])
        #expect(table.notes[1] == "1 posted record is left out: withdrawn (every entry reversed, or withdrawn by an admin).")
        // One day: only what is dated 2026-10-02.
        let day = try fixture.store.categoriesReport(from: LocalDate("2026-10-02")!, through: LocalDate("2026-10-02")!)
        #expect(Self.lines(day) == [["category", "orange", "橙色关怀", "2", "210", "3.50", "42.00", "0.00", "42.00"]])
    }

    @Test("rejects: read = posted + pending + rejected + approved-not-posted on a mix, each open record with its reason")
    func rejects() throws {
        let fixture = try ReportFixture()
        let accounting = try fixture.store.recordAccounting(from: fixture.first, through: fixture.last)
        #expect(accounting == TimeBankStore.RecordAccounting(read: 9, posted: 6, pending: 1, rejected: 1, approvedNotPosted: 1))
        #expect(accounting.read == accounting.posted + accounting.pending + accounting.rejected + accounting.approvedNotPosted)
        let table = try fixture.store.rejectsReport(from: fixture.first, through: fixture.last)
        #expect(Self.lines(table) == [
            ["rejected", "default:r5", "2026-10-03", "V3", "orange", "与纸质记录重复 duplicate of the paper record"],
            // Imported on the 8th: its 3 days count from then, not from its date.
            ["pending", "default:r4", "2026-10-03", "V4", "green",
             "no verifier yet: accepted automatically on 2026-10-11 (3 days from its import on 2026-10-08) unless rejected before"],
            ["approved", "default:r7", "2026-10-04", "V1", "green", "approved, posted by the next settlement of 2026-10-04 or later"],
            // Posted, and withdrawn since: its only entry was reversed.
            ["withdrawn", "default:r3", "2026-10-03", "V2", "green", "withdrawn (award #13 reversed by #21)"],
        ])
        #expect(table.notes == ["Read 9 = posted 6 (1 of them withdrawn) + pending 1 + rejected 1 + approved, not posted 1: adds up."])
        // Posting r7's day leaves only the pending and the rejected record open.
        try fixture.store.postApprovedRecords(on: LocalDate("2026-10-04")!, actor: "settlement")
        let after = try fixture.store.recordAccounting(from: fixture.first, through: fixture.last)
        #expect(after == TimeBankStore.RecordAccounting(read: 9, posted: 7, pending: 1, rejected: 1, approvedNotPosted: 0))
        #expect(after.addsUp)
    }

    @Test("a pending record's reason follows the settlement's rule: verified, no verifier (from its date or its later import), no policy")
    func pendingReasons() throws {
        let policy = try #require(PolicyLoader.load(text: reportTestPolicy, path: "test.toml").policy)
        let day = LocalDate("2026-10-03")!
        func service(verifier: String?) -> Record {
            .service(ServiceRecord(source: "default", id: "x", volunteer: "V1", category: "orange", date: day, start: nil, end: nil,
                                   minutes: 60, verifier: verifier, responseLevel: nil, rating: nil, tags: [], station: nil, note: ""))
        }
        #expect(TimeBankStore.pendingReason(service(verifier: "社区"), policy: policy, importedOn: day)
            == "accepted by the settlement of 2026-10-03 or later (verified by 社区)")
        // Its day settled already (a late record): the next night takes it, not its own day's, long past.
        #expect(TimeBankStore.pendingReason(service(verifier: "社区"), policy: policy, importedOn: day, nextNight: LocalDate("2026-11-08")!)
            == "accepted by the next settlement, of 2026-11-08 (verified by 社区)")
        #expect(TimeBankStore.pendingReason(service(verifier: "社区"), policy: policy, importedOn: day, nextNight: day)
            == "accepted by the settlement of 2026-10-03 or later (verified by 社区)")
        #expect(TimeBankStore.pendingReason(service(verifier: nil), policy: policy, importedOn: day)
            == "no verifier yet: accepted automatically on 2026-10-06 unless rejected before")
        // Imported five days late: the three days count from the import.
        #expect(TimeBankStore.pendingReason(service(verifier: nil), policy: policy, importedOn: day.adding(days: 5))
            == "no verifier yet: accepted automatically on 2026-10-11 (3 days from its import on 2026-10-08) unless rejected before")
        #expect(TimeBankStore.pendingReason(service(verifier: "社区"), policy: nil, importedOn: day)
            == "rejected by the next settlement: no policy version is in force on 2026-10-03")
    }

    @Test("ranking by points: awards to the volunteer not reversed, penalties do not lower it, households are not ranked")
    func rankingByPoints() throws {
        let fixture = try ReportFixture()
        let rows = try fixture.store.ranking(from: fixture.first, through: fixture.last, top: nil, by: .points)
        #expect(rows == [
            RankingRow(rank: 1, volunteer: "V1", name: "王秀英", points: 12_400, minutes: 120),   // 100 + r1 24
            RankingRow(rank: 2, volunteer: "V3", name: "赵", points: 5_000, minutes: 0),          // 50; a2's −20 does not count
            RankingRow(rank: 3, volunteer: "V2", name: "王小明", points: 1_800, minutes: 90),    // r2 18 (r3 reversed)
            RankingRow(rank: 4, volunteer: "V4", name: "李华", points: 1_500, minutes: 90),      // r6 15
        ])
    }

    @Test("ranking by hours: V2 and V4 tie at place 2 with 90 minutes, so the top 2 lists three, V2 first by points")
    func rankingByHours() throws {
        let fixture = try ReportFixture()
        let rows = try fixture.store.ranking(from: fixture.first, through: fixture.last, top: 2, by: .hours)
        #expect(rows.map { "\($0.rank) \($0.volunteer) \($0.minutes) \(Hundredths.format($0.points))" }
            == ["1 V1 120 124.00", "2 V2 90 18.00", "2 V4 90 15.00"])
        let table = try fixture.store.rankingReport(from: fixture.first, through: fixture.last, top: 2, by: .hours)
        #expect(Self.lines(table) == [["1", "V1", "王秀英", "124.00", "120", "2.00"], ["2", "V2", "王小明", "18.00", "90", "1.50"],
                                      ["2", "V4", "李华", "15.00", "90", "1.50"]])
        #expect(table.notes.dropFirst() == ["3 volunteers listed for the top 2: those tied at place 2 are all shown.",
                                            "2 records dated in this range are not posted yet (pending, or approved and waiting for a nightly "
                                                + "settlement): the ranking can still change."])   // r4 pending, r7 approved
        #expect(throws: ReportError.invalidTop("0")) { try fixture.store.ranking(from: fixture.first, through: fixture.last, top: 0) }
    }

    @Test("expiring: lots with points left expiring after the day and within N days, by date then account")
    func expiring() throws {
        let fixture = try ReportFixture()
        let table = try fixture.store.expiringReport(asOf: fixture.last, withinDays: 30)
        #expect(table.from == LocalDate("2026-10-09") && table.to == LocalDate("2026-11-07"))
        #expect(Self.lines(table) == [
            ["2026-10-09", "household:H1", "王家", "", "7.50", "2"],     // 5.00 + 2.50; the 1.00 lot expiring on 10-08 is out
            ["2026-10-20", "volunteer:V3", "赵", "", "10.00", "1"],      // 50 − 20 penalty − 20 biscuits
            ["2026-11-07", "household:H2", "李家", "", "4.00", "1"],     // the 6.00 lot of 11-08 is a day too late
        ])
        #expect(table.totals?.map(\.text) == ["Total", "3 accounts", "", "", "21.50", "4"])
        // For programs the count of accounts is a total of its own, beside the sums.
        #expect(table.rendered(as: .json).contains("\n  \"totals\": {\"accounts\": 3, \"points\": 21.50, \"lots\": 4},\n"))
        #expect(try fixture.store.expiringReport(asOf: fixture.last, withinDays: 0).rows.isEmpty)
        #expect(Self.lines(try fixture.store.expiringReport(asOf: fixture.last, withinDays: 1)) == [["2026-10-09", "household:H1", "王家", "", "7.50", "2"]])
    }

    @Test("expiring as of a past day: what the lots held at the end of that day, not what they hold now")
    func expiringAsOfThePast() throws {
        let fixture = try ReportFixture()
        // At the end of 10-05: H1's 1.00 lot expiring 10-08 was still ahead; V3's lot of 50.00 had given 20.00 to the
        // penalty of 10-03 (the biscuits came on 10-08). The window ends on 11-04: H2's lots (11-07, 11-08) are out.
        let fifth = Self.lines(try fixture.store.expiringReport(asOf: LocalDate("2026-10-05")!, withinDays: 30))
        #expect(fifth == [
            ["2026-10-08", "household:H1", "王家", "", "1.00", "1"],
            ["2026-10-09", "household:H1", "王家", "", "7.50", "2"],
            ["2026-10-20", "volunteer:V3", "赵", "", "30.00", "1"],
        ])
        // At the end of 10-01, V3's lot (opened on 10-02) did not exist yet.
        let first = Self.lines(try fixture.store.expiringReport(asOf: LocalDate("2026-10-01")!, withinDays: 30))
        #expect(first == [
            ["2026-10-08", "household:H1", "王家", "", "1.00", "1"],
            ["2026-10-09", "household:H1", "王家", "", "7.50", "2"],
        ])
    }

    @Test("expiring from and to: every lot expiring on those days, credited before or after the first, with what it held the day before")
    func expiringInARange() throws {
        let fixture = try ReportFixture()
        let table = try fixture.store.expiringReport(from: LocalDate("2026-10-01")!, through: LocalDate("2026-11-30")!)
        #expect(table.from == LocalDate("2026-10-01") && table.to == LocalDate("2026-11-30"))
        #expect(table.title == "积分到期 Points expiring 2026-10-01 – 2026-11-30")
        #expect(Self.lines(table) == [
            ["2026-10-08", "household:H1", "王家", "", "1.00", "1"],     // expired on 10-08 with its 1.00
            ["2026-10-09", "household:H1", "王家", "", "7.50", "2"],
            ["2026-10-20", "volunteer:V3", "赵", "", "10.00", "1"],      // credited on 10-02, after the first day: 50 − 20 − 20
            ["2026-11-07", "household:H2", "李家", "", "4.00", "1"],
            ["2026-11-08", "household:H2", "李家", "", "6.00", "1"],
        ])
        #expect(table.totals?.map(\.text) == ["Total", "3 accounts", "", "", "28.50", "6"])
        // One day: the lots expiring on it.
        #expect(Self.lines(try fixture.store.expiringReport(from: LocalDate("2026-10-20")!, through: LocalDate("2026-10-20")!))
                    == [["2026-10-20", "volunteer:V3", "赵", "", "10.00", "1"]])
        #expect(throws: ReportError.self) { try fixture.store.expiringReport(from: LocalDate("2026-11-30")!, through: LocalDate("2026-10-01")!) }
    }

    /// A range across two versions is headed as the version in force on its last day names a point, as every other report
    /// is (it took the first day's).
    @Test func expiringRangeNamedByItsLastDay() throws {
        let fixture = try ReportFixture()
        try fixture.store.activatePolicy(reportTestPolicy.replacingOccurrences(of: "version = 1", with: "version = 2")
            .replacingOccurrences(of: "effective = 2026-01-01", with: "effective = 2026-11-01\nunit = \"信义币\""), actor: "test")
        let table = try fixture.store.expiringReport(from: LocalDate("2026-10-01")!, through: LocalDate("2026-11-30")!)
        #expect(table.title == "信义币到期 Points expiring 2026-10-01 – 2026-11-30", "\(table.title)")
        // A range wholly under version 1 keeps its name.
        #expect(try fixture.store.expiringReport(from: LocalDate("2026-10-01")!, through: LocalDate("2026-10-31")!).title
                == "积分到期 Points expiring 2026-10-01 – 2026-10-31")
    }

    @Test("daily: one row per day from ledger entries by kind and effective date, with totals")
    func daily() throws {
        let fixture = try ReportFixture()
        let table = try fixture.store.dailyReport(from: fixture.first, through: fixture.last)
        #expect(table.columns.map(\.id) == ["date", "records", "awarded", "deducted", "granted", "expired", "redeemed", "refunded",
                                            "transferred", "donated", "adjusted", "reversed", "cny_in", "cny_out"])
        let zero = ["0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"]
        #expect(Self.lines(table) == [
            ["2026-10-01", "0", "118.50"] + zero.dropFirst(),
            ["2026-10-02", "2", "92.00"] + zero.dropFirst(),
            ["2026-10-03", "4", "38.00", "20.00"] + zero.dropFirst(2),
            ["2026-10-04", "0"] + zero, ["2026-10-05", "0"] + zero, ["2026-10-06", "0"] + zero, ["2026-10-07", "0"] + zero,
            ["2026-10-08", "0", "0.00", "0.00", "0.00", "0.00", "100.00", "20.00", "0.00", "0.00", "0.00", "20.00", "0.00", "310.00"],
        ])
        #expect(table.totals?.map(\.text)
            == ["Total", "6", "248.50", "20.00", "0.00", "0.00", "100.00", "20.00", "0.00", "0.00", "0.00", "20.00", "0.00", "310.00"])
    }

    /// `post --kind refund` (or `fund`, `dividend`) by hand moves points under a kind no column of the daily report has: the
    /// engine's refunds are reversals, its fund and dividend entries move CNY. The columns stay as they are; a note names
    /// the points, by kind, and their days, so that 9.50 points credited on 10-05 and 10-06 are not missing from the morning.
    @Test("daily: points posted by hand under a kind no column has (refund, fund, dividend) are named in a note")
    func dailyUnlistedKinds() throws {
        let fixture = try ReportFixture()
        func post(_ key: String, _ kind: EntryKind, _ amount: Int64, on day: String) throws {
            try fixture.store.post(.move(key: key, kind: kind, date: LocalDate(day)!, actor: "admin", memo: "手工", from: .issuance,
                                         to: .volunteer("V1"), amount: amount))
        }
        try post("by-hand-refund", .refund, 700, on: "2026-10-05")
        try post("by-hand-dividend", .dividend, 200, on: "2026-10-06")
        try post("by-hand-fund", .fund, 50, on: "2026-10-06")
        let table = try fixture.store.dailyReport(from: fixture.first, through: fixture.last)
        #expect(table.notes[1] == "Not in the columns: 9.50 points moved by entries of kinds no column has "
            + "(refund 7.00, fund 0.50, dividend 2.00, posted by hand), on 2026-10-05, 2026-10-06.")
        // The columns do not change: 10-05 and 10-06 still read zeros, the totals as before.
        #expect(table.totals?.map(\.text)
            == ["Total", "6", "248.50", "20.00", "0.00", "0.00", "100.00", "20.00", "0.00", "0.00", "0.00", "20.00", "0.00", "310.00"])
        // A range without such entries has no such note.
        #expect(try fixture.store.dailyReport(from: fixture.first, through: LocalDate("2026-10-04")!).notes.count == 2)
    }

    /// r4 (10-03, pending) and r7 (10-04, approved) are not posted: once a night posts them, 10-03 and 10-04 gain their
    /// records and points, though those days may be settled already. The morning's daily and categories say so, as the
    /// ranking does; a range without such records has no such note.
    @Test("daily and categories: records of the range not posted yet are counted in a note (their days' figures can still change)")
    func unpostedRecordsNote() throws {
        let fixture = try ReportFixture()
        let daily = try fixture.store.dailyReport(from: fixture.first, through: fixture.last)
        #expect(daily.notes == [
            "Points by ledger entry kind and effective date; refunded = reversals of redemptions, reversed = other reversals.",
            "2 records dated in this range are not posted yet (pending, or approved and waiting for a nightly settlement): "
                + "their points will count on their service dates, so these figures can still change.",
        ])
        let categories = try fixture.store.categoriesReport(from: fixture.first, through: fixture.last)
        #expect(categories.notes == [
            "From the posted scores of records dated in the range; amounts of reversed entries are left out.",
            "1 posted record is left out: withdrawn (every entry reversed, or withdrawn by an admin).",
            "2 records dated in this range are not posted yet (pending, or approved and waiting for a nightly settlement): "
                + "their hours and points will count once posted, so these figures can still change.",
        ])
        let october4 = LocalDate("2026-10-04")!
        #expect(try fixture.store.dailyReport(from: october4, through: october4).notes.last?.hasPrefix("1 record dated in this range is not posted yet") == true)
        // r5 (10-03) is rejected: it never will be posted, and is not counted.
        let october2 = LocalDate("2026-10-02")!
        #expect(try fixture.store.dailyReport(from: october2, through: october2).notes.count == 1)
        #expect(try fixture.store.categoriesReport(from: october2, through: october2).notes.count == 1)
    }

    @Test("reports refuse a reversed range (Q001) and write nothing")
    func badRange() throws {
        let fixture = try ReportFixture()
        let before = try fixture.stations.snapshot()
        #expect(throws: ReportError.rangeReversed(from: fixture.last, to: fixture.first)) {
            try fixture.store.dailyReport(from: fixture.last, through: fixture.first)
        }
        #expect(throws: ReportError.self) { try fixture.store.stationsReport(from: fixture.last, through: fixture.first) }
        #expect(throws: ReportError.self) { try fixture.store.categoriesReport(from: fixture.last, through: fixture.first) }
        #expect(throws: ReportError.self) { try fixture.store.rejectsReport(from: fixture.last, through: fixture.first) }
        #expect(throws: ReportError.self) { try fixture.store.ranking(from: fixture.last, through: fixture.first) }
        #expect(throws: ReportError.invalidWithin("-1", maximum: 3_660)) { try fixture.store.expiringReport(asOf: fixture.last, withinDays: -1) }
        #expect(try fixture.stations.snapshot() == before)
    }

    @Test("the fixture's ledger and stations verify clean (the reports read a sound history)")
    func fixtureIsSound() throws {
        let fixture = try ReportFixture()
        try fixture.stations.expectClean()
        if let folder = ProcessInfo.processInfo.environment["TIMEBANK_REPORT_SAMPLES"] {
            // Writes the sample outputs docs/reports.md shows.
            let store = fixture.store
            let samples: [ReportTable] = [
                try store.dailyReport(from: fixture.first, through: fixture.last),
                try store.stationsReport(from: fixture.first, through: fixture.last),
                try store.categoriesReport(from: fixture.first, through: fixture.last),
                try store.rejectsReport(from: fixture.first, through: fixture.last),
                try store.expiringReport(asOf: fixture.last, withinDays: 30),
                try store.rankingReport(from: fixture.first, through: fixture.last, top: 2, by: .hours),
            ]
            for table in samples {
                for format in ReportFormat.allCases {
                    try table.rendered(as: format).write(toFile: "\(folder)/\(table.name).\(format.fileExtension)", atomically: true, encoding: .utf8)
                }
            }
        }
    }
}
