import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// The nightly settlement, on a small community whose every number is computed by hand in the comments.
@Suite("Nightly settlement")
struct SettlementTests {
    /// Version 1: orange and purple at 10 points an hour, steps of 0.5, a verifier or 3 days without objection,
    /// a monthly household base score of 100 that (like all points) expires a month after it is earned,
    /// warnings 10 days ahead, star levels at 2 and 5 hours, a monthly ranking of the top volunteer.
    static func policy(version: Int = 1, effective: String = "2026-10-01", purple: Bool = true) -> String {
        """
        [policy]
        id = "settlement-test"
        name = "结算测试"
        version = \(version)
        effective = \(effective)
        timezone = "Asia/Shanghai"
        unit = "积分"

        [earning]
        rounding = "half_up"
        step = 0.5
        min_minutes = 30
        max_minutes_per_record = 480
        require_verifier = true
        auto_accept_after_days = 3

        [categories.orange]
        label = "橙色关怀"
        points_per_hour = 10
        \(purple ? "\n[categories.purple]\nlabel = \"紫色便民\"\npoints_per_hour = 10\n" : "")
        [grants.base]
        label = "基础分"
        points = 100
        every = "month"
        to = "household"

        [expiry]
        after_months = 1
        warn_days = 10

        [levels.star1]
        label = "一星"
        min_hours = 2

        [levels.star2]
        label = "二星"
        min_hours = 5

        [ranking]
        period = "month"
        top = 1
        by = "points"
        """
    }

    /// V1 and V2 in household H1, station S1, the policy above.
    static func store(clock: FixedClock? = nil) throws -> TestStore {
        let test = try TestStore(clock: clock)
        try test.store.activatePolicy(policy(), actor: "admin")
        return test
    }

    static func importRecords(_ store: TimeBankStore, _ rows: [String]) throws {
        let text = (["id,volunteer,category,date,start,end,verifier"] + rows).joined(separator: "\n") + "\n"
        let outcome = try store.importRecords(Array(text.utf8), fileName: "day.csv", actor: "importer", today: nil)
        #expect(outcome.rejected.isEmpty, "\(outcome.rejected)")
    }

    /// Settles `day`; nights missed since the last settled one are refused (N010) unless `missed` says otherwise.
    static func settle(_ store: TimeBankStore, _ day: String, outOfOrder: Bool = false, chunk: Int = 20_000,
                       missed: MissedDays = .refuse) throws -> SettlementSummary {
        try store.settle(SettlementRequest(date: date(day), actor: "nightly", allowOutOfOrder: outOfOrder, chunkSize: chunk, missedDays: missed))
    }

    @Test("a month of nights: acceptance, auto-acceptance, posting, grants once per period, levels, rejection, expiry, ranking")
    func monthOfNights() throws {
        let test = try Self.store()
        let store = test.store
        try Self.importRecords(store, [
            "r1,V1,orange,2026-10-05,09:00,11:00,社区",   // 2 h × 10 = 20.00, a verifier: accepted on the 5th
            "r2,V2,orange,2026-10-05,09:00,10:30,",        // 1.5 h × 10 = 15.00, no verifier: auto-accepted on the 8th
            "r3,V2,purple,2026-10-06,14:00,15:00,社区",   // 1 h × 10 = 10.00, dated after the 5th: waits for the 8th
            "r4,V1,purple,2026-10-12,14:00,15:00,社区",   // version 2 (from the 10th) drops purple: rejected on the 12th
        ])

        // 1 October, the first day of the month: the household's base score of 100, expiring 1 November.
        let first = try Self.settle(store, "2026-10-01")
        #expect(first.grantEntries == 1 && first.granted == 10_000)
        #expect(first.recordsRead == 0 && first.posted == 0)
        #expect(try store.balance(.household("H1")) == 10_000)
        #expect(try store.lots(of: .household("H1")).map(\.expiresOn) == [date("2026-11-01")])

        // 5 October: r1 accepted and posted; r2 waits (no verifier, accepted on 5 + 3 = 8 October); r3 is later.
        let fifth = try Self.settle(store, "2026-10-05", missed: .skip)
        #expect((fifth.recordsRead, fifth.accepted, fifth.autoAccepted, fifth.rejected, fifth.pending) == (2, 1, 0, 0, 1))
        #expect((fifth.posted, fifth.awardEntries, fifth.awarded) == (1, 1, 2_000))
        #expect(fifth.grantEntries == 0)                                      // October's grant is paid already
        #expect(try store.balance(.volunteer("V1")) == 2_000)
        #expect(fifth.levelChanges == 1)                                     // V1: 120 minutes ≥ 2 h → 一星
        #expect(try store.database.statement("SELECT level FROM volunteer_levels WHERE volunteer = 'V1'").first { $0.text(0) } == "star1")
        let rejects = try store.settlementReports(on: date("2026-10-05")).first { $0.name == "rejects" && $0.format == "csv" }
        #expect(rejects?.content.contains("r2") == true)                     // pending, with the day it will be accepted

        // 8 October: r2 auto-accepted (15.00), r3 accepted (10.00): V2 has 25.00.
        let eighth = try Self.settle(store, "2026-10-08", missed: .skip)
        #expect((eighth.recordsRead, eighth.accepted, eighth.autoAccepted, eighth.pending) == (2, 1, 1, 0))
        #expect((eighth.posted, eighth.awarded) == (2, 2_500))
        #expect(try store.balance(.volunteer("V2")) == 2_500)
        #expect(try store.storedRecord(id: "r2").approvalVerifier == "auto-accept after 3 days")

        // Version 2 from 10 October has no purple: r4 (12 October) can no longer be scored and is rejected. Activating it
        // while r4 waits is refused (A012) unless forced.
        #expect(throws: PolicyStoreError.self) {
            try store.activatePolicy(Self.policy(version: 2, effective: "2026-10-10", purple: false), actor: "admin")
        }
        try store.activatePolicy(Self.policy(version: 2, effective: "2026-10-10", purple: false), actor: "admin",
                                 overrideReason: "purple ends on the 10th")
        let twelfth = try Self.settle(store, "2026-10-12", missed: .skip)
        #expect((twelfth.recordsRead, twelfth.rejected, twelfth.posted) == (1, 1, 0))
        #expect(try store.storedRecord(id: "r4").status == .rejected)
        #expect(try store.storedRecord(id: "r4").decisionReason == "category \"purple\" is not in policy version 2 in force on 2026-10-12")
        let night = try store.settlementReports(on: date("2026-10-12")).first { $0.name == "rejects" && $0.format == "text" }?.content ?? ""
        #expect(night.contains("default:r4") && night.contains("adds up"), "\(night)")

        // 25 October: the grant expiring on 1 November is within the 10 warning days.
        _ = try Self.settle(store, "2026-10-25", missed: .skip)
        let notices = try store.settlementReports(on: date("2026-10-25")).first { $0.name == "expiring" && $0.format == "csv" }
        #expect(notices?.content.contains("H1") == true)
        #expect(notices?.content.contains("2026-11-01") == true)

        // 1 November: the October grant (100.00) expires, November's is granted; October's ranking: V2 (25.00) first.
        let november = try Self.settle(store, "2026-11-01", missed: .skip)
        #expect((november.expiryEntries, november.expired) == (1, 10_000))
        #expect((november.grantEntries, november.granted) == (1, 10_000))
        #expect(try store.balance(.household("H1")) == 10_000)
        #expect(try store.balance(.expired) == 10_000)
        #expect(try store.entry(key: "expiry:2026-11-01:household:H1")?.kind == .expiry)
        #expect(november.rankingPeriod == "2026-10")
        let ranking = try store.database.statement("SELECT rank, volunteer, points FROM rankings WHERE period = '2026-10' ORDER BY rank")
            .rows { "\($0.int64(0)) \($0.text(1)) \($0.int64(2))" }
        #expect(ranking == ["1 V2 2500"])
        #expect(try store.verify().problems == [])
        #expect(try store.settlements().map(\.date.description) == ["2026-10-01", "2026-10-05", "2026-10-08", "2026-10-12", "2026-10-25", "2026-11-01"])
    }

    @Test("end_of_year: service on 31 December is posted usable that night and expires with the year's on 1 January")
    func endOfYearKeepsTheLastDay() throws {
        let test = try TestStore(clock: FixedClock(Timestamp(millisecondsSinceEpoch: 1_799_020_800_000), stepMilliseconds: 1000))
        try test.store.activatePolicy(Self.policy().replacingOccurrences(of: "after_months = 1", with: "end_of_year = true")
            .replacingOccurrences(of: "every = \"month\"", with: "every = \"year\""), actor: "admin")
        try Self.importRecords(test.store, ["d1,V1,orange,2026-12-30,09:00,11:00,社区", "d2,V1,orange,2026-12-31,09:00,10:00,社区"])
        _ = try Self.settle(test.store, "2026-12-30")
        let lastDay = try Self.settle(test.store, "2026-12-31")
        // 1 h × 10 = 10.00 posted on its own day, not expired on arrival; both lots run to 1 January 2027.
        #expect(lastDay.posted == 1 && lastDay.awarded == 1_000 && lastDay.expiredOnArrival == 0 && lastDay.expired == 0)
        #expect(try test.store.balance(.volunteer("V1")) == 3_000)
        #expect(try test.store.lots(of: .volunteer("V1")).map(\.expiresOn) == [date("2027-01-01"), date("2027-01-01")])
        // New Year's night takes the whole year's points, 31 December's with them.
        let newYear = try Self.settle(test.store, "2027-01-01")
        #expect(newYear.expired >= 3_000)
        #expect(try test.store.balance(.volunteer("V1")) == 0)
    }

    @Test("auto_accept_after_days counts from the day a record was imported when that is later than its date")
    func autoAcceptCountsFromTheImport() throws {
        // 10:00 on 10 October 2026 in the community (UTC+8): both records are imported then.
        let test = try Self.store(clock: FixedClock(Timestamp("2026-10-10T02:00:00.000Z")!, stepMilliseconds: 1000))
        let store = test.store
        try Self.importRecords(store, [
            "late,V1,orange,2026-10-02,09:00,11:00,",     // 8 days late: 3 days from the 10th, not from the 2nd (the 5th)
            "ontime,V2,orange,2026-10-10,08:00,09:00,",   // on its own day: 3 days from it
        ])
        let late = try store.storedRecord(id: "late")
        #expect(TimeBankStore.communityDate(of: late.importedAt, zone: "Asia/Shanghai") == date("2026-10-10"))

        let fifth = try Self.settle(store, "2026-10-05")
        #expect((fifth.recordsRead, fifth.autoAccepted, fifth.pending) == (1, 0, 1))
        let rejects = try store.settlementReports(on: date("2026-10-05")).first { $0.name == "rejects" && $0.format == "text" }?.content ?? ""
        #expect(rejects.contains("accepted automatically on 2026-10-13 (3 days from its import on 2026-10-10)"), "\(rejects)")
        let twelfth = try Self.settle(store, "2026-10-12", missed: .skip)
        #expect((twelfth.recordsRead, twelfth.autoAccepted, twelfth.pending) == (2, 0, 2))
        let thirteenth = try Self.settle(store, "2026-10-13")
        #expect((thirteenth.recordsRead, thirteenth.autoAccepted, thirteenth.pending, thirteenth.posted) == (2, 2, 0, 2))
        #expect(try store.storedRecord(id: "late").approvalVerifier == "auto-accept after 3 days")
        #expect(try store.balance(.volunteer("V1")) == 2_000 && store.balance(.volunteer("V2")) == 1_000)
    }

    @Test("settling a settled day changes nothing and returns the same summary")
    func rerunChangesNothing() throws {
        let test = try Self.store()
        try Self.importRecords(test.store, ["r1,V1,orange,2026-10-05,09:00,11:00,社区"])
        let first = try Self.settle(test.store, "2026-10-05")
        let head = try test.store.head()
        let again = try Self.settle(test.store, "2026-10-05")
        #expect(again.alreadySettled)
        #expect(!first.alreadySettled)
        var expected = first
        expected.alreadySettled = true
        #expect(again == expected)
        #expect(try test.store.head() == head)
    }

    @Test("a day before the latest settled one is refused (N001) unless the caller allows it; an unended day is refused (N003)")
    func orderOfDays() throws {
        let test = try Self.store()
        _ = try Self.settle(test.store, "2026-10-08")
        #expect { try Self.settle(test.store, "2026-10-06") } throws: { ($0 as? SettlementError)?.code == "N001" }
        #expect(try test.store.settlement(on: date("2026-10-06")) == nil)
        let late = try Self.settle(test.store, "2026-10-06", outOfOrder: true)
        #expect(!late.alreadySettled)
        #expect {
            try test.store.settle(SettlementRequest(date: date("2026-10-10"), actor: "nightly", today: date("2026-10-09")))
        } throws: { ($0 as? SettlementError)?.code == "N003" }
    }

    @Test("nights missed since the last settled day are refused (N010) with nothing done; settleFirst settles each in order with its reports; skip settles the day alone")
    func missedNights() throws {
        let test = try Self.store()
        try Self.importRecords(test.store, ["r1,V1,orange,2026-10-02,09:00,11:00,社区", "r2,V1,orange,2026-10-04,09:00,10:00,社区"])
        _ = try Self.settle(test.store, "2026-10-01")
        let head = try test.store.head()
        let error = #expect(throws: SettlementError.self) { try Self.settle(test.store, "2026-10-04") }
        #expect(error?.code == "N010" && error?.category == .refused)
        #expect(error?.message == "2026-10-04 cannot be settled yet: the 2 days from 2026-10-02 to 2026-10-03 are not settled (the last "
            + "settled day is 2026-10-01). Settle the nights in order: --catch-up settles them, oldest first, and then 2026-10-04, each "
            + "night with its own reports. To settle 2026-10-04 alone, pass --skip-missed: the records, grants and expiries of those "
            + "days are then settled with 2026-10-04, without reports of their own, and they can be settled later only with --allow-out-of-order")
        #expect(try test.store.head() == head && test.store.settlements().map(\.date) == [date("2026-10-01")])
        #expect(try test.store.storedRecord(id: "r1", source: nil).status == .pending)

        // Catching up: each missed night a settlement of its own, oldest first, with its reports; then the day asked for.
        let folder = test.path + "-reports"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let request = SettlementRequest(date: date("2026-10-04"), actor: "nightly", reportsDirectory: folder, missedDays: .settleFirst)
        var nights: [SettlementSummary] = []
        try test.store.settleDays(request) { nights.append($0) }
        #expect(nights.map(\.date) == ["2026-10-02", "2026-10-03", "2026-10-04"].map(date))
        #expect(nights.map(\.posted) == [1, 0, 1] && nights.allSatisfy { !$0.alreadySettled })
        #expect(try test.store.settlements().map(\.date) == ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04"].map(date))
        for night in nights {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(night.date)/stations.csv"), "\(night.date)")
        }
        // Again: the day is settled, so its summary alone, and nothing changes.
        let settledHead = try test.store.head()
        var again: [SettlementSummary] = []
        try test.store.settleDays(request) { again.append($0) }
        #expect(try again.map(\.date) == [date("2026-10-04")] && again[0].alreadySettled && test.store.head() == settledHead)

        // Skipping: 2026-10-07 alone; the 5th and 6th stay unsettled and can be settled later only out of order.
        #expect(try Self.settle(test.store, "2026-10-07", missed: .skip).alreadySettled == false)
        #expect(try test.store.settlement(on: date("2026-10-05")) == nil && test.store.settlement(on: date("2026-10-06")) == nil)
        #expect { try Self.settle(test.store, "2026-10-05") } throws: { ($0 as? SettlementError)?.code == "N001" }
    }

    @Test("a first night with nothing to post leaves the ledger empty, and the next night reconciles from there (not N005 for entry #0)")
    func firstNightEmptyLedger() throws {
        // The policy above without its base score: a first night with no records posts nothing at all.
        let test = try TestStore()
        let noGrants = Self.policy().replacingOccurrences(of: "[grants.base]\nlabel = \"基础分\"\npoints = 100\nevery = \"month\"\nto = \"household\"\n", with: "")
        #expect(noGrants != Self.policy())
        try test.store.activatePolicy(noGrants, actor: "admin")
        let first = try Self.settle(test.store, "2026-10-02")
        #expect(first.headSequence == 0 && first.grantEntries == 0)
        try Self.importRecords(test.store, ["r1,V1,orange,2026-10-03,09:00,11:00,社区"])
        let second = try Self.settle(test.store, "2026-10-03")
        #expect(second.posted == 1 && second.headSequence == 1)
        #expect(try test.store.verify().problems.isEmpty)
    }

    @Test("N010 names a missed night whose settlement started and did not finish; catching up finishes that night")
    func missedNightUnfinished() throws {
        let test = try Self.store()
        try Self.importRecords(test.store, ["r1,V1,orange,2026-10-02,09:00,11:00,社区"])
        _ = try Self.settle(test.store, "2026-10-01")
        // The night of the 2nd accepted its records (step 1, which records its progress) and was killed before the next step.
        try test.store.acceptRecords(on: date("2026-10-02"), actor: "nightly", timeline: test.store.storedPolicyTimeline())
        #expect(try test.store.isDone(.accept, on: date("2026-10-02")) && test.store.storedRecord(id: "r1", source: nil).status == .approved)
        let error = #expect(throws: SettlementError.self) { try Self.settle(test.store, "2026-10-04") }
        #expect(error?.message.contains("the 2 days from 2026-10-02 to 2026-10-03 are not settled (the last settled day is 2026-10-01); "
            + "the settlement of 2026-10-02 was started and did not finish. Settle the nights in order") == true)
        var nights: [SettlementSummary] = []
        try test.store.settleDays(SettlementRequest(date: date("2026-10-04"), actor: "nightly", missedDays: .settleFirst)) { nights.append($0) }
        #expect(nights.map(\.date) == ["2026-10-02", "2026-10-03", "2026-10-04"].map(date))
        #expect(nights[0].accepted == 1 && nights[0].posted == 1)
    }

    @Test("a second settlement of the same database while one runs is refused (N002) and posts nothing")
    func oneAtATime() throws {
        let test = try Self.store()
        let held = try SettlementLock(databasePath: test.path)
        let head = try test.store.head()
        #expect { try Self.settle(test.store, "2026-10-01") } throws: { ($0 as? SettlementError)?.code == "N002" }
        #expect(try test.store.head() == head)
        held.release()
        #expect(try Self.settle(test.store, "2026-10-01").grantEntries == 1)
    }

    @Test("a lock file that cannot be opened is N009 (not a report's N007), and nothing is settled")
    func lockNotOpened() throws {
        let test = try Self.store()
        // A folder where the lock file goes: open(2) refuses it, as it would a folder the user cannot write in.
        try FileManager.default.createDirectory(atPath: test.path + ".settle.lock", withIntermediateDirectories: false)
        let head = try test.store.head()
        let error = #expect(throws: SettlementError.self) { try Self.settle(test.store, "2026-10-01") }
        #expect(error?.code == "N009" && error?.category == .system)
        #expect(error?.message == "the settlement's lock file \(test.path).settle.lock cannot be opened (Is a directory), so nothing was "
            + "settled: the lock is made beside the database, so this user needs to be able to write in the database's folder")
        #expect(try test.store.head() == head && test.store.settlements().isEmpty)
    }

    @Test("chunks of 1 record give the same ledger, byte for byte, as one chunk")
    func chunkingDoesNotChangeTheLedger() throws {
        var heads: [String] = []
        for chunk in [1, 2, 1_000] {
            let test = try Self.store(clock: FixedClock(Timestamp(millisecondsSinceEpoch: 1_790_000_000_000)))
            var rows: [String] = []
            for index in 0..<12 {
                rows.append("c\(index),V\(index % 2 + 1),orange,2026-10-0\(index / 4 + 2),\(10 + index % 4):00,\(10 + index % 4):45,社区")
            }
            try Self.importRecords(test.store, rows)
            let summary = try Self.settle(test.store, "2026-10-05", chunk: chunk)
            #expect(summary.posted == 12)
            heads.append(summary.headHash)
        }
        #expect(Set(heads).count == 1)
    }

    @Test("a run stopped after 2 chunks of 2 and resumed with chunks of 5 posts every record once, as one uninterrupted run")
    func resumedWithAnotherChunkSize() throws {
        var heads: [String] = []
        for interrupted in [false, true] {
            let test = try Self.store(clock: FixedClock(Timestamp(millisecondsSinceEpoch: 1_790_000_000_000)))
            var rows: [String] = []
            for index in 0..<12 {
                rows.append("c\(index),V\(index % 2 + 1),orange,2026-10-0\(index / 4 + 2),\(10 + index % 4):00,\(10 + index % 4):45,社区")
            }
            try Self.importRecords(test.store, rows)
            if interrupted {
                // The first run accepts, grants, then commits two chunks of 2 records and dies.
                let timeline = try test.store.storedPolicyTimeline()
                try test.store.acceptRecords(on: date("2026-10-05"), actor: "nightly", timeline: timeline)
                try test.store.postGrants(on: date("2026-10-05"), actor: "nightly", timeline: timeline)
                try test.store.postQueuedRecords(on: date("2026-10-05"), actor: "nightly", chunkSize: 2, progress: { _ in }, chunkLimit: 2)
                #expect(try test.store.database.statement("SELECT count(*) FROM record_scores").first { $0.int64(0) } == 4)
            }
            let summary = try Self.settle(test.store, "2026-10-05", chunk: 5)
            #expect(summary.posted == 12)
            #expect(try test.store.records(matching: RecordQuery(status: .approved, posted: false)).isEmpty)
            heads.append(summary.headHash)
        }
        #expect(heads[0] == heads[1])
    }

    @Test("a balance changed behind the ledger's back stops the settlement (N005, integrity) before the day is recorded")
    func reconciliationStops() throws {
        let test = try Self.store()
        try Self.importRecords(test.store, ["r1,V1,orange,2026-10-05,09:00,11:00,社区"])
        try test.award("V2", 500)
        try test.store.database.execute("UPDATE balances SET balance = balance + 1 WHERE account = (SELECT number FROM accounts WHERE id = 'volunteer:V2')")
        do {
            _ = try Self.settle(test.store, "2026-10-05")
            Issue.record("the settlement went through")
        } catch let error as SettlementError {
            #expect(error.code == "N005")
            #expect(error.category == .integrity)
        }
        #expect(try test.store.settlement(on: date("2026-10-05")) == nil)
    }

    @Test("a ledger changed between nights stops the next one before it writes anything: no record decided, no entry posted")
    func reconciliationBeforeTheNight() throws {
        let test = try Self.store()
        try Self.importRecords(test.store, ["r1,V1,orange,2026-10-05,09:00,11:00,社区", "r2,V2,orange,2026-10-06,09:00,10:00,社区"])
        let first = try Self.settle(test.store, "2026-10-05")
        // The last entry the night posted is cut off with its lot and postings (a restore of the wrong file, a hand fix in the
        // sqlite3 shell, where foreign keys are off).
        let cut = first.headSequence
        try test.store.database.execute("""
            PRAGMA foreign_keys = OFF; DROP TRIGGER entries_append_only_delete; DROP TRIGGER postings_append_only_delete;
            DELETE FROM lot_allocations WHERE entry = \(cut); DELETE FROM lots WHERE entry = \(cut);
            DELETE FROM postings WHERE entry = \(cut); DELETE FROM entries WHERE sequence = \(cut); PRAGMA foreign_keys = ON;
            """)
        do {
            _ = try Self.settle(test.store, "2026-10-06")
            Issue.record("the settlement went through")
        } catch let error as SettlementError {
            #expect(error.code == "N005" && error.category == .integrity)
            #expect(error.message.hasPrefix("the settlement of 2026-10-06 did not start: the check of the ledger before it found "))
            #expect(error.message.contains("nothing was written"))
            #expect(error.message.contains("V001 entry #\(cut): the entry the reconciliation of 2026-10-05 ended at is gone"))
            #expect(error.message.contains("restore the last good backup"))
        }
        // Nothing was written on top: the ledger still ends where the cut left it (the night did not post r2 as #\(cut)), r2 waits.
        #expect(try test.store.database.statement("SELECT max(sequence) FROM entries").first { $0.int64(0) } == cut - 1)
        #expect(try test.store.database.statement("SELECT count(*) FROM settlement_progress WHERE date = '2026-10-06'").first { $0.int64(0) } == 0)
        #expect(try test.store.database.statement("SELECT status FROM records WHERE id = 'r2'").first { $0.text(0) } == "pending")
        #expect(try test.store.settlement(on: date("2026-10-06")) == nil)
    }

    @Test("nights skipped across a period's end: the next night writes every ranking missed, oldest first")
    func skippedNightsKeepRankings() throws {
        let test = try Self.store()
        try Self.importRecords(test.store, [
            "r1,V1,orange,2026-10-05,09:00,11:00,社区",   // 20.00 in October
            "r2,V2,orange,2026-11-10,09:00,10:30,社区",   // 15.00 in November
        ])
        #expect(try Self.settle(test.store, "2026-10-05").rankingPeriods == [])   // September is before the policy
        // No night from 6 October to 1 December: October's ranking was due on 1 November, November's on 1 December.
        let night = try Self.settle(test.store, "2026-12-02", missed: .skip)
        #expect(night.rankingPeriods == ["2026-10", "2026-11"] && night.rankingPeriod == "2026-11")
        let rankings = try test.store.database.statement("SELECT period, rank, volunteer, points FROM rankings ORDER BY period, rank")
            .rows { "\($0.text(0)) \($0.int64(1)) \($0.text(2)) \($0.int64(3))" }
        #expect(rankings == ["2026-10 1 V1 2000", "2026-11 1 V2 1500"])
        #expect(night.reports.contains("ranking-2026-10") && night.reports.contains("ranking"))
        let stored = try test.store.settlementReports(on: date("2026-12-02")).filter { $0.format == "csv" }.map(\.name)
        #expect(stored.contains("ranking-2026-10") && stored.contains("ranking"))
        // Settled again: the same summary, nothing written twice.
        let again = try Self.settle(test.store, "2026-12-02")
        #expect(again.alreadySettled && again.rankingPeriods == ["2026-10", "2026-11"])
        #expect(try test.store.database.statement("SELECT count(*) FROM ranking_periods").first { $0.int64(0) } == 2)
    }

    @Test("the stored ranking report ranks the period as it was written: by the [ranking] in force on its last day, not the night's")
    func storedRankingReportKeepsThePeriodsRanking() throws {
        let test = try Self.store()
        // Version 2, from 1 November, ranks the top 2 by hours; October ends under version 1: the top 1 by points.
        let second = Self.policy(version: 2, effective: "2026-11-01")
            .replacingOccurrences(of: "top = 1\nby = \"points\"", with: "top = 2\nby = \"hours\"")
        try test.store.activatePolicy(second, actor: "admin")
        try Self.importRecords(test.store, [
            "r1,V1,orange,2026-10-05,09:00,11:00,社区",   // 20.00 points, 120 minutes
            "r2,V2,orange,2026-10-06,09:00,10:30,社区",   // 15.00 points, 90 minutes
        ])
        _ = try Self.settle(test.store, "2026-10-31", missed: .skip)
        let night = try Self.settle(test.store, "2026-11-01")
        #expect(night.rankingPeriods == ["2026-10"])
        let written = try test.store.database.statement("SELECT rank, volunteer FROM rankings WHERE period = '2026-10' ORDER BY rank")
            .rows { "\($0.int64(0)) \($0.text(1))" }
        #expect(written == ["1 V1"])
        let reports = try test.store.settlementReports(on: date("2026-11-01")).filter { $0.name == "ranking" }
        let text = try #require(reports.first { $0.format == "text" }).content
        #expect(text.hasPrefix("排行榜 Ranking by 积分, top 1, 2026-10-01 – 2026-10-31"), "\(text)")
        let csv = try #require(reports.first { $0.format == "csv" }).content
        #expect(csv == "rank,volunteer,name,points,minutes,hours\n1,V1,志愿者V1,20.00,120,2.00\n", "\(csv)")
    }

    @Test("a penalty cannot take points that expired by its day and wait for the nightly expiry: shortfall, and the night finishes")
    func penaltyOnExpiredPoints() throws {
        let test = try TestStore()
        try test.store.activatePolicy(Self.policy().replacingOccurrences(of: "[expiry]", with: """
            [penalties.no_show]
            label = "无故缺席"
            points = -4
            when = 'record.tags.contains("no_show")'

            [expiry]
            """), actor: "admin")
        // V1's only points: 10.00 in a lot that expires on 5 October, so they cannot be spent on the 5th.
        _ = try test.award("V1", 1000, expires: "2026-10-05", on: "2026-09-01")
        let text = "id,volunteer,category,date,minutes,verifier,tags\nn1,V1,orange,2026-10-05,0,社区,no_show\n"
        #expect(try test.store.importRecords(Array(text.utf8), fileName: "n.csv", actor: "importer", today: nil).rejected.isEmpty)
        let night = try Self.settle(test.store, "2026-10-05")
        #expect(night.posted == 1 && night.penaltyEntries == 0)
        let posted = try #require(try test.store.storedRecord(id: "n1", source: nil).posted)
        #expect((posted.deduction, posted.shortfall) == (0, 400))
        // The expiry of the same night took the 10.00 as usual.
        #expect(night.expired == 1000)
        #expect(try test.store.balance(.volunteer("V1")) == 0)
    }

    @Test("an award posted the same night whose lot expired before a later penalty's day: the penalty cannot take it (shortfall), the night finishes")
    func penaltyAfterInRunAwardExpired() throws {
        let test = try TestStore()
        try test.store.activatePolicy(Self.policy(effective: "2026-08-01").replacingOccurrences(of: "[expiry]", with: """
            [penalties.no_show]
            label = "无故缺席"
            points = -4
            when = 'record.tags.contains("no_show")'

            [expiry]
            """), actor: "admin")
        // Both imported late and settled on one night, in order: a1's 10.00 (a lot expiring on 3 September, one month after
        // its day), then n1's penalty dated 5 October, when those points can no longer be spent.
        let text = """
            id,volunteer,category,date,minutes,verifier,tags
            a1,V1,orange,2026-08-03,60,社区,
            n1,V1,orange,2026-10-05,0,社区,no_show

            """
        #expect(try test.store.importRecords(Array(text.utf8), fileName: "late.csv", actor: "importer", today: nil).rejected.isEmpty)
        let night = try Self.settle(test.store, "2026-10-05")
        #expect(night.posted == 2 && night.penaltyEntries == 0)
        #expect(try test.store.storedRecord(id: "a1", source: nil).posted?.award == 1000)
        let penalty = try #require(try test.store.storedRecord(id: "n1", source: nil).posted)
        #expect((penalty.deduction, penalty.shortfall) == (0, 400))
        #expect(night.expired == 1000)
        #expect(try test.store.balance(.volunteer("V1")) == 0)
    }

    /// The test policy with the monthly base score of 100 to each volunteer and a no-show penalty of 4.
    static func grantAndPenaltyPolicy() -> String {
        policy().replacingOccurrences(of: "to = \"household\"", with: "to = \"volunteer\"").replacingOccurrences(of: "[expiry]", with: """
            [penalties.no_show]
            label = "无故缺席"
            points = -4
            when = 'record.tags.contains("no_show")'

            [expiry]
            """)
    }

    @Test("grants come before scoring, dated as nightly runs would have: a penalty takes the same points whether nights were skipped or not")
    func skippedNightsGrantBeforePenalty() throws {
        // V1 misses a service on 3 November (no-show, -4.00). November's base score (100.00) is due on 1 November.
        // Every night from 1 to 3 November, or only 1 October and then 3 November: either way the grant is dated
        // 1 November, is posted before the penalty is scored, and the penalty takes 4.00 of it.
        var outcomes: [[String]] = []
        for nights in [["2026-10-01", "2026-11-01", "2026-11-02", "2026-11-03"], ["2026-10-01", "2026-11-03"]] {
            let test = try TestStore()
            try test.store.activatePolicy(Self.grantAndPenaltyPolicy(), actor: "admin")
            let text = "id,volunteer,category,date,minutes,verifier,tags\nn1,V1,orange,2026-11-03,0,社区,no_show\n"
            #expect(try test.store.importRecords(Array(text.utf8), fileName: "n.csv", actor: "importer", today: nil).rejected.isEmpty)
            for night in nights { _ = try Self.settle(test.store, night, missed: .skip) }
            let penalty = try #require(try test.store.storedRecord(id: "n1", source: nil).posted)
            #expect((penalty.deduction, penalty.shortfall) == (400, 0), "\(nights)")
            #expect(try test.store.balance(.volunteer("V1")) == 9_600)
            let grant = try #require(try test.store.entry(key: "grant:base:2026-11:volunteer:V1"))
            #expect(grant.effectiveDate == date("2026-11-01"))
            outcomes.append(try test.store.lots(of: .volunteer("V1")).map { "\($0.amount) \($0.expiresOn.map(\.description) ?? "-") \($0.remaining)" })
            #expect(try test.store.verify().isClean)
        }
        #expect(outcomes[0] == outcomes[1])
        #expect(outcomes[0] == ["10000 2026-11-01 0", "10000 2026-12-01 9600"])   // October's grant expired on 1 November
    }

    @Test("a penalty dated on a period's first day, settled that night, takes from the grant of the same night")
    func penaltyOnTheGrantDay() throws {
        let test = try TestStore()
        try test.store.activatePolicy(Self.grantAndPenaltyPolicy(), actor: "admin")
        let text = "id,volunteer,category,date,minutes,verifier,tags\nn1,V1,orange,2026-10-01,0,社区,no_show\n"
        #expect(try test.store.importRecords(Array(text.utf8), fileName: "n.csv", actor: "importer", today: nil).rejected.isEmpty)
        let night = try Self.settle(test.store, "2026-10-01")
        #expect(night.grantEntries == 2 && night.penaltyEntries == 1)   // V1 and V2 (both joined before)
        #expect(try test.store.storedRecord(id: "n1", source: nil).posted?.deduction == 400)
        #expect(try test.store.balance(.volunteer("V1")) == 9_600)
    }

    @Test("nights skipped across two months' ends: each month's grant is posted, dated its first day, by the version then in force")
    func skippedMonthsGrants() throws {
        let test = try TestStore()
        try test.store.activatePolicy(Self.grantAndPenaltyPolicy(), actor: "admin")
        _ = try Self.settle(test.store, "2026-10-01")
        let night = try Self.settle(test.store, "2026-12-02", missed: .skip)
        #expect(night.grantEntries == 4 && night.granted == 40_000)   // November and December, V1 and V2
        for month in ["2026-11", "2026-12"] {
            #expect(try test.store.entry(key: "grant:base:\(month):volunteer:V1")?.effectiveDate == date("\(month)-01"))
        }
        // October's and November's grants expired a month after their days; December's is held.
        #expect(try test.store.balance(.volunteer("V1")) == 10_000)
        #expect(try test.store.verify().isClean)
    }

    @Test("a factor so large that a record's points are beyond the ledger: not posted as 0, not jamming the night; posted after a fix")
    func pointsBeyondTheLedger() throws {
        let test = try TestStore()
        func policy(_ factor: String, version: Int, effective: String) -> String {
            Self.policy(version: version, effective: effective)
                .replacingOccurrences(of: "auto_accept_after_days = 3", with: "auto_accept_after_days = 3\ncombine_multipliers = \"max\"")
                .replacingOccurrences(of: "[expiry]", with: """
                [multipliers.big]
                factor = \(factor)
                when = 'record.category == "purple"'

                [expiry]
                """)
        }
        // A computed factor that overflows the arithmetic (120 × 10^15; policy check cannot bound an expression); then
        // 10^12, which policy check warns of (P119): 2 h × 10 × 10^12 is beyond the ledger's 10^13 points.
        try test.store.activatePolicy(policy("'record.minutes * 1e15'", version: 1, effective: "2026-10-01"), actor: "admin")
        try Self.importRecords(test.store, ["p1,V1,purple,2026-10-05,09:00,11:00,社区", "o1,V2,orange,2026-10-05,09:00,11:00,社区"])
        let night = try Self.settle(test.store, "2026-10-05")
        #expect(night.posted == 1 && night.tooLarge == 1)
        #expect(try test.store.storedRecord(id: "p1", source: nil).posted == nil)
        #expect(try test.store.storedRecord(id: "o1", source: nil).posted?.award == 2_000)
        try test.store.activatePolicy(policy("1e12", version: 2, effective: "2026-10-01"), actor: "admin", overrideReason: "still wrong")
        #expect(try Self.settle(test.store, "2026-10-06").tooLarge == 1)
        // Corrected: the waiting record posts on the next night, by the corrected version.
        try test.store.activatePolicy(policy("2", version: 3, effective: "2026-10-01"), actor: "admin", overrideReason: "factor 2")
        let fixed = try Self.settle(test.store, "2026-10-07")
        #expect(fixed.posted == 1 && fixed.tooLarge == 0)
        #expect(try test.store.storedRecord(id: "p1", source: nil).posted?.award == 4_000)
        #expect(try test.store.verify().isClean)
    }

    @Test("a record of long ago accepted late: its points had expired before they were posted, and the summary counts them")
    func expiredOnArrival() throws {
        let test = try Self.store()   // after_months = 1
        try Self.importRecords(test.store, ["old1,V1,orange,2026-10-02,09:00,11:00,社区", "new1,V2,orange,2026-11-04,09:00,11:00,社区"])
        let night = try Self.settle(test.store, "2026-11-05")
        // old1's 20.00 were earned on 10-02 and expired on 11-02; new1's expire on 12-04.
        #expect(night.posted == 2 && night.awarded == 4_000)
        #expect(night.expiredOnArrival == 1 && night.expiredOnArrivalPoints == 2_000)
        #expect(night.expired == 2_000)
        #expect(try test.store.balance(.volunteer("V1")) == 0)
        // Stored with the settlement: settling the day again returns the same counts.
        let again = try Self.settle(test.store, "2026-11-05")
        #expect(again.alreadySettled && again.expiredOnArrival == 1 && again.expiredOnArrivalPoints == 2_000)
        #expect(try Self.settle(test.store, "2026-11-06").expiredOnArrival == 0)
    }

    @Test("verify finds entries cut off the end after a settlement recorded them: V001 names the settled day's head")
    func verifyFindsATruncatedLedger() throws {
        let test = try Self.store()
        try Self.importRecords(test.store, ["r1,V1,orange,2026-10-05,09:00,11:00,社区"])
        let first = try Self.settle(test.store, "2026-10-05")
        _ = try test.award("V2", 500, on: "2026-10-06")
        let second = try Self.settle(test.store, "2026-10-06")
        #expect(second.headSequence == first.headSequence + 1)
        #expect(try test.store.verify().isClean)
        // The last entry is removed with everything that points at it: the chain left is whole, only shorter.
        let cut = second.headSequence
        try test.store.database.execute("""
            DROP TRIGGER entries_append_only_delete; DROP TRIGGER postings_append_only_delete;
            DELETE FROM lot_allocations WHERE entry = \(cut); DELETE FROM lots WHERE entry = \(cut);
            DELETE FROM postings WHERE entry = \(cut); DELETE FROM entries WHERE sequence = \(cut);
            """)
        let report = try test.store.verify()
        let truncated = try #require(report.problems.first { $0.code == "V001" })
        #expect(truncated.sequence == cut)
        #expect(truncated.message.hasPrefix("the ledger head recorded by the settlement of 2026-10-06 (hash \(second.headHash.prefix(16))…) "
                                            + "is gone: the ledger ends at #\(cut - 1), so entries after it were removed"))
        #expect(report.problems.contains { $0.message.hasPrefix("the ledger head recorded by the reconciliation of 2026-10-06") })
        // A recorded head whose hash no longer matches is named too.
        try test.store.database.execute("""
            DROP TRIGGER settlements_never_changed;
            UPDATE settlements SET head_hash = '00' || substr(head_hash, 3) WHERE date = '2026-10-05';
            """)
        #expect(try test.store.verify().problems.contains {
            $0.code == "V001" && $0.message.contains("by the settlement of 2026-10-05") && $0.message.hasSuffix("no longer has that hash: the entry was changed or replaced")
        })
    }

    @Test("each reconciliation checks what came after the last one: the new entries only, an earlier lot drawn from, every balance")
    func reconciliationFromTheLastCheckpoint() throws {
        let test = try Self.store()
        let early = try test.award("V2", 500, expires: "2027-01-01", on: "2026-10-01")
        try Self.importRecords(test.store, ["r1,V1,orange,2026-10-05,09:00,11:00,社区"])
        let first = try Self.settle(test.store, "2026-10-05")
        // Night 1 had nothing to start from: every entry (the award, r1's award, the household grant).
        #expect(first.entriesVerified == first.headSequence)

        // Between the nights: V2 gives 200 to V1, drawn from the lot the early award opened.
        let gift = try test.store.post(.move(key: "gift-1", kind: .transfer, date: date("2026-10-06"), actor: "test", memo: "gift",
                                             from: .volunteer("V2"), to: .volunteer("V1"), amount: 200)).entry
        let second = try Self.settle(test.store, "2026-10-06")
        #expect(second.entriesVerified == second.headSequence - first.headSequence)
        #expect(second.entriesVerified >= 1)
        let checkpoint = try #require(try test.store.reconciliationCheckpoint())
        #expect(checkpoint.sequence == second.headSequence)
        let v2 = try #require(try test.store.storedAccount(.volunteer("V2")))
        #expect(checkpoint.balances[BalanceSlot(number: v2.number, asset: .points)] == 300)

        // Night 3: the earlier lot (opened before the checkpoint) was changed behind the ledger's back after the
        // gift drew from it; the next reconciliation looks at it because a new entry draws from it again.
        #expect(gift.sequence > early.sequence)
        try test.store.database.execute("UPDATE lots SET remaining = remaining - 1 WHERE entry = \(early.sequence)")
        _ = try test.store.post(.move(key: "gift-2", kind: .transfer, date: date("2026-10-07"), actor: "test", memo: "gift",
                                      from: .volunteer("V2"), to: .volunteer("V1"), amount: 50))
        do {
            _ = try Self.settle(test.store, "2026-10-07")
            Issue.record("the settlement went through")
        } catch let error as SettlementError {
            #expect(error.code == "N005")
            #expect("\(error)".contains("V005"))
        }
        #expect(try test.store.settlement(on: date("2026-10-07")) == nil)
        // The whole-ledger check finds it too.
        #expect(try test.store.verify().problems.contains { $0.code == "V005" })
    }

    @Test("with config/policy.toml's caps and once-only bonus, chunks of 1 record score and post exactly as one chunk (each chunk reads what the one before committed)")
    func historyAcrossChunks() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let policy = try String(contentsOfFile: root.appendingPathComponent("config/policy.toml").path, encoding: .utf8)
        // Three days across a month's end; each volunteer serves 2 hours 6 times a day in turn through green (daily cap
        // of 30 for the category), red and orange: the daily cap of 60 cuts in every day, the bonus comes once.
        var rows: [String] = []
        for (dayIndex, day) in ["2026-10-30", "2026-10-31", "2026-11-01"].enumerated() {
            for volunteer in ["V1", "V2"] {
                for slot in 0..<6 {
                    let category = ["green", "red", "orange"][(slot + dayIndex) % 3]
                    rows.append("\(volunteer)-\(day)-\(slot),\(volunteer),\(category),\(day),\(String(format: "%02d", 6 + slot * 2)):00,\(String(format: "%02d", 8 + slot * 2)):00,社区")
                }
            }
        }
        var fingerprints: [[String]] = []
        for chunk in [1, 1_000] {
            let test = try TestStore(clock: FixedClock(Timestamp("2026-11-02T01:00:00.000Z")!))
            try test.store.activatePolicy(policy, actor: "admin")
            try Self.importRecords(test.store, rows)
            let summary = try Self.settle(test.store, "2026-11-01", chunk: chunk)
            #expect(summary.posted == rows.count)
            var lines = try test.store.database.statement("""
                SELECT r.id, s.earned, s.award, s.once_bonuses FROM record_scores s JOIN records r ON r.number = s.record ORDER BY r.id
                """).rows { "\($0.text(0)) \($0.int64(1)) \($0.int64(2)) \($0.text(3))" }
            lines.append("head \(summary.headHash)")
            fingerprints.append(lines)
        }
        #expect(fingerprints[0] == fingerprints[1])
        // The caps acted: on Friday 30 October V1 earned 25 (green 20 + the bonus of 5), 20, 24, 20, 20, 24 and was
        // awarded 25, 20, 15, 0, 0, 0: the daily cap of 60.
        let day1 = fingerprints[1].filter { $0.hasPrefix("V1-2026-10-30") }.compactMap { Int64($0.split(separator: " ")[2]) }
        #expect(day1.reduce(0, +) == 6_000)
        #expect(fingerprints[1].filter { $0.hasSuffix("first_service") }.count == 2)
    }

    @Test("an award posted by another connection between two chunks counts toward the caps of the records posted after it")
    func awardBetweenChunks() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let policy = try String(contentsOfFile: root.appendingPathComponent("config/policy.toml").path, encoding: .utf8)
        // config/policy.toml: a daily cap of 60. Two 2-hour records of V1 on Friday 30 October, posted one per chunk.
        var awards: [Bool: Int64] = [:]
        for withManualAward in [false, true] {
            let test = try TestStore(clock: FixedClock(Timestamp("2026-11-02T01:00:00.000Z")!))
            try test.store.activatePolicy(policy, actor: "admin")
            try Self.importRecords(test.store, ["a,V1,orange,2026-10-30,06:00,08:00,社区", "b,V1,orange,2026-10-30,09:00,11:00,社区"])
            var posted = false
            _ = try test.store.settle(SettlementRequest(date: date("2026-10-30"), actor: "nightly", chunkSize: 1)) { message in
                // After the first chunk: 40.00 points awarded to V1 for that day by an admin, through another connection.
                guard withManualAward, !posted, message.contains("posted 1 of 2") else { return }
                posted = true
                let admin = try? TimeBankStore(path: test.path, clock: test.clock)
                _ = try? admin?.post(.move(key: "manual-award", kind: .award, date: date("2026-10-30"), actor: "admin", memo: "表彰",
                                           from: .issuance, to: .volunteer("V1"), amount: 4_000))
            }
            #expect(posted == withManualAward)
            awards[withManualAward] = try test.store.database.statement("""
                SELECT s.award FROM record_scores s JOIN records r ON r.number = s.record WHERE r.id = 'b'
                """).first { $0.int64(0) }
        }
        // Without it, b earns under the cap; with it, V1 already has more than 60 that day: b earns nothing.
        #expect((awards[false] ?? 0) > 0)
        #expect(awards[true] == 0)
    }
}
