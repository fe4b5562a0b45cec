import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// A posted record is withdrawn when nothing of it stands in the ledger (every entry reversed, or an admin withdrew a
/// record without entries), and a withdrawn record is no longer history: overlaps, a full day, once-only bonuses,
/// assessments, totals, levels, rankings and the categories report leave it out (docs/records.md, "Correcting a
/// posted record").
@Suite("Withdrawn records")
struct RecordWithdrawalTests {
    static let today = RecordStoreTests.today
    static let october13 = LocalDate("2026-10-13")!

    /// config/policy.toml with an indicator assessed once a month.
    static func store() throws -> TestStore {
        let test = try TestStore()
        try test.store.activatePolicy(try RecordStoreTests.policyText() + """

            [indicators.garbage_sorting]
            label = "垃圾分类达标"
            points = 3
            per = "month"
            """, actor: "admin")
        return test
    }

    @discardableResult
    static func importCSV(_ store: TimeBankStore, _ text: String) throws -> RecordImportOutcome {
        try store.importRecords(Array(text.utf8), fileName: "records.csv", actor: "importer", today: today)
    }

    /// Three days of 8 counted hours of V1 (l1, l2, l3; 1,440 minutes, one star), settled on the 13th.
    static func settleThreeDaysOfCare(_ store: TimeBankStore) throws {
        try importCSV(store, "id,volunteer,category,date,start,end,verifier\nl1,V1,orange,2026-10-11,08:00,16:00,社区\n"
            + "l2,V1,orange,2026-10-12,08:00,16:00,社区\nl3,V1,orange,2026-10-13,08:00,16:00,社区\n")
        _ = try store.settle(SettlementRequest(date: october13, actor: "nightly", today: today))
    }

    static func post(_ store: TimeBankStore, _ ids: [String], on date: LocalDate = october13) throws {
        try store.approveRecords(ids.map { ($0, nil) }, actor: "admin")
        try store.postApprovedRecords(on: date, actor: "settlement")
    }

    @Test("every entry reversed: the record is withdrawn, and overlaps, the full day, bonuses, totals, levels and reports leave it out")
    func reversedRecordIsNoLongerHistory() throws {
        let test = try Self.store()
        let store = test.store
        try Self.importCSV(store, "id,volunteer,category,date,start,end,verifier\nq1,V1,orange,2026-10-13,00:00,20:00,社区\n")
        try Self.post(store, ["q1"])
        let history = StoreScoringHistory(store: store)
        let day = ScoringWindow(.day, containing: Self.october13)
        // 20 hours of orange care, of which 8 count (max_minutes_per_record): 96 + 5, cut to the daily cap of 60.
        #expect(try history.totals(ofVolunteer: "V1") == ScoringTotals(minutes: 480, records: 1, points: 6000))
        #expect(try history.totals(ofHousehold: "H1") == ScoringTotals(minutes: 480, records: 1, points: 6000))
        #expect(try history.hasReceivedBonus("first_service", holder: .volunteer("V1")))
        #expect(try store.ranking(from: Self.october13, through: Self.october13, by: .hours).map(\.minutes) == [480])
        // While q1 stands, a record of 5 more hours overlaps it and fills the day past 24 hours.
        let blocked = try Self.importCSV(store, "id,volunteer,category,date,start,end,minutes,verifier\n"
            + "q2,V1,orange,2026-10-13,09:00,10:00,,社区\nq3,V1,red,2026-10-13,,,300,社区\n")
        #expect(blocked.rejected.map { $0.errors[0].code.rawValue } == ["E010", "E024"])
        #expect(blocked.rejected[0].errors[0].help?.hasSuffix("if that one is wrong (record default:q1 is posted: its award #1 (60.00 points) "
            + "stands), reverse it, which withdraws the record: `timebank reverse 1 --key withdraw-q1-award --reason TEXT`; then import this row again") == true)

        let award = try #require(try store.storedRecord(id: "q1").posted?.awardEntry)
        try store.reverse(sequence: award, key: "withdraw-q1-award", actor: "admin", memo: "时长登记错误", on: Self.today)
        let withdrawn = try store.storedRecord(id: "q1")
        #expect(withdrawn.isWithdrawn && withdrawn.withdrawal == nil && withdrawn.posted?.awardReversedBy == award + 1)
        #expect(try store.postedRecord(ofEntry: award)?.record.id == "q1")
        // Approving it again is not a retry: it is withdrawn (E102).
        let approve = #expect(throws: RecordStoreError.self) { try store.approveRecords([("q1", nil)], actor: "admin") }
        #expect(approve?.message == "record default:q1 is withdrawn already; a decision is made once: every entry posted for it is reversed, "
            + "and it counts no more. If it should count after all, import it again under a new id: a stored record keeps its decision")

        #expect(try history.awardedPoints(to: .volunteer("V1"), in: day) == 0)
        #expect(try history.totals(ofVolunteer: "V1") == .zero)
        #expect(try history.totals(ofHousehold: "H1") == .zero)
        #expect(try !history.hasReceivedBonus("first_service", holder: .volunteer("V1")))
        #expect(try store.ranking(from: Self.october13, through: Self.october13, by: .hours).isEmpty)
        let categories = try store.categoriesReport(from: Self.october13, through: Self.october13)
        #expect(categories.rows.isEmpty && categories.notes.last?.contains("1 posted record is left out: withdrawn") == true)
        #expect(try store.records(matching: RecordQuery(withdrawn: true)).map(\.record.id) == ["q1"])
        #expect(try store.records(matching: RecordQuery(withdrawn: false)).isEmpty)
        let rejects = try store.rejectsReport(from: Self.october13, through: Self.october13)
        #expect(rejects.rows.map { $0[0].text } == ["withdrawn"])
        #expect(rejects.notes[0].hasPrefix("Read 1 = posted 1 (1 of them withdrawn) + pending 0"))

        // The same rows now go in, and the first of them in canonical order (q3, without a start time) gets the bonus q1
        // no longer holds.
        let corrected = try Self.importCSV(store, "id,volunteer,category,date,start,end,minutes,verifier\n"
            + "q2,V1,orange,2026-10-13,09:00,10:00,,社区\nq3,V1,red,2026-10-13,,,300,社区\n")
        #expect(corrected.rejected.isEmpty && corrected.stored.count == 2)
        try Self.post(store, ["q2", "q3"])
        #expect(try store.storedRecord(id: "q3").posted?.onceBonuses == ["first_service"])
        #expect(try store.verify().isClean)
    }

    @Test("RecordQuery(status: .approved) matches the approved records that stand, as record list --status approved: one withdrawn since is asked for as withdrawn")
    func approvedQueryLeavesOutWithdrawn() throws {
        let test = try Self.store()
        let store = test.store
        try Self.importCSV(store, "id,volunteer,category,date,start,end,verifier\n"
            + "a1,V1,orange,2026-10-13,08:00,09:00,社区\na2,V1,orange,2026-10-13,10:00,11:00,社区\n")
        try Self.post(store, ["a1", "a2"])
        let award = try #require(try store.storedRecord(id: "a1").posted?.awardEntry)
        try store.reverse(sequence: award, key: "withdraw-a1-award", actor: "admin", memo: "时长登记错误", on: Self.today)
        #expect(try store.storedRecord(id: "a1").isWithdrawn)
        // Both keep the decision "approved"; only a2 stands.
        #expect(try store.records(matching: RecordQuery(status: .approved)).map(\.record.id) == ["a2"])
        #expect(try store.recordCount(matching: RecordQuery(status: .approved)) == 1)
        #expect(try store.records(matching: RecordQuery(status: .approved, withdrawn: true)).map(\.record.id) == ["a1"])
        #expect(try store.records(matching: RecordQuery(withdrawn: true)).map(\.record.id) == ["a1"])
        // Without a status, every record is matched, the withdrawn one too.
        #expect(try store.records(matching: RecordQuery()).map(\.record.id) == ["a1", "a2"])
    }

    @Test("only the penalty reversed: the record still counts as a record (minutes, bonus, overlaps); its award reversed too withdraws it")
    func partlyReversedStands() throws {
        let test = try Self.store()
        let store = test.store
        try Self.importCSV(store, "id,volunteer,category,date,start,end,verifier,tags\nn1,V1,orange,2026-10-13,08:00,09:00,社区,no_show\n")
        try Self.post(store, ["n1"])
        let posted = try #require(try store.storedRecord(id: "n1").posted)
        let award = try #require(posted.awardEntry), penalty = try #require(posted.penaltyEntry)
        #expect(posted.award == 1700 && posted.deduction == 500)
        try store.reverse(sequence: penalty, key: "undo-penalty", actor: "admin", memo: "标记错误", on: Self.today)

        let history = StoreScoringHistory(store: store)
        let partly = try store.storedRecord(id: "n1")
        #expect(!partly.isWithdrawn && partly.posted?.standingEntries.map(\.sequence) == [award])
        // The record itself still counts, with its award.
        #expect(try history.totals(ofVolunteer: "V1") == ScoringTotals(minutes: 60, records: 1, points: 1700))
        #expect(try history.hasReceivedBonus("first_service", holder: .volunteer("V1")))
        let overlap = try Self.importCSV(store, "id,volunteer,category,date,start,end,verifier\nn2,V1,orange,2026-10-13,08:00,09:00,社区\n")
        #expect(overlap.rejected.first?.errors.first?.code == .overlap)
        #expect(overlap.rejected.first?.errors.first?.help?.contains("its award #\(award) (17.00 points) stands; "
            + "its penalty #\(penalty) (5.00 points) was reversed by #\(penalty + 1)), reverse it, which withdraws the record: "
            + "`timebank reverse \(award) --key withdraw-n1-award --reason TEXT`") == true)
        let refused = #expect(throws: RecordStoreError.self) { try store.rejectRecords([("n1", nil)], actor: "admin", reason: "x") }
        #expect(refused?.code == "E105")

        try store.reverse(sequence: award, key: "withdraw-n1-award", actor: "admin", memo: "标记错误", on: Self.today)
        #expect(try store.storedRecord(id: "n1").isWithdrawn)
        #expect(try history.totals(ofVolunteer: "V1") == .zero)
        #expect(try !history.hasReceivedBonus("first_service", holder: .volunteer("V1")))
        #expect(try Self.importCSV(store, "id,volunteer,category,date,start,end,verifier\nn2,V1,orange,2026-10-13,08:00,09:00,社区\n").stored.count == 1)
    }

    @Test("a posted record without entries is withdrawn by rejecting it, once; then its assessment's period is free")
    func withdrawWithoutEntries() throws {
        let test = try Self.store()
        let store = test.store
        try Self.importCSV(store, "id,household,indicator,period,result,verifier\na1,H1,garbage_sorting,2026-10,broken,村委会\n")
        try Self.post(store, ["a1"], on: LocalDate("2026-10-31")!)
        let posted = try store.storedRecord(id: "a1")
        #expect(posted.posted?.entries.isEmpty == true && !posted.isWithdrawn)
        let history = StoreScoringHistory(store: store)
        let october = try #require(ScoringWindow(label: "2026-10"))
        #expect(try history.hasAssessment(indicator: "garbage_sorting", account: .household("H1"), period: october))

        // The assessment should have been "met": the import says how to withdraw the one in the way.
        let met = "id,household,indicator,period,result,verifier\na2,H1,garbage_sorting,2026-10,met,村委会\n"
        let refused = try Self.importCSV(store, met)
        #expect(refused.rejected.first?.errors.first?.code == .assessedTwice)
        #expect(refused.rejected.first?.errors.first?.help?.contains("record default:a1 is posted with no ledger entry (it earned and took "
            + "0.00 points)), withdraw it: `timebank record reject a1 --reason TEXT`; then import this row again") == true)

        let withdrawn = try store.rejectRecords([("a1", nil)], actor: "admin", reason: "核查有误")
        #expect(withdrawn[0].isWithdrawn && withdrawn[0].withdrawal?.reason == "核查有误" && withdrawn[0].status == .approved)
        let again = #expect(throws: RecordStoreError.self) { try store.rejectRecords([("a1", nil)], actor: "admin", reason: "again") }
        let againMessage = again?.message ?? ""
        #expect(again?.code == "E102" && againMessage.hasPrefix("record default:a1 is withdrawn already; a decision is made once: it was decided at "))
        #expect(againMessage.hasSuffix(" by admin, for \"核查有误\"; the decision stands (the same rejection again changes nothing)"))
        // The same withdrawal again (a retry): nothing changes, nothing is returned.
        #expect(try store.rejectRecords([("a1", nil)], actor: "other", reason: "核查有误").isEmpty)
        #expect(try store.storedRecord(id: "a1").withdrawal?.by == "admin")
        #expect(try !history.hasAssessment(indicator: "garbage_sorting", account: .household("H1"), period: october))
        #expect(try Self.importCSV(store, met).stored.count == 1)
        // The withdrawal is written once: never changed or deleted.
        #expect(throws: (any Error).self) { try store.database.execute("UPDATE record_withdrawals SET reason = 'x'") }
        #expect(throws: (any Error).self) { try store.database.execute("DELETE FROM record_withdrawals") }
    }

    @Test("star levels leave a withdrawn record's minutes out, and take a level away")
    func levelsLeaveWithdrawnOut() throws {
        let test = try Self.store()
        let store = test.store
        // Three days of 8 counted hours: 24 hours, one star (20 hours); without l3, 16 hours, none.
        try Self.settleThreeDaysOfCare(store)
        let level = { try store.database.statement("SELECT level FROM volunteer_levels WHERE volunteer = 'V1'").first { $0.text(0) } }
        #expect(try level() == "star1")
        let award = try #require(try store.storedRecord(id: "l3").posted?.awardEntry)
        try store.reverse(sequence: award, key: "withdraw-l3-award", actor: "admin", memo: "错误", on: Self.october13.adding(days: 1))
        _ = try store.settle(SettlementRequest(date: Self.october13.adding(days: 1), actor: "nightly", today: Self.today))
        #expect(try level() == nil)
        // What volunteer show reads: no level, 16 hours (960 minutes) that stand.
        let policy = try store.counterPolicyInForce(on: Self.october13)
        #expect(try store.starLevel(of: "V1", policy: policy) == VolunteerStarLevel(level: nil, since: nil, measure: .minutes, value: 960))
        // The levels report: reached on the 13th (1,440 minutes), lost on the 14th (960), nobody holding one at the end.
        let report = try store.levelsReport(from: Self.october13, through: Self.october13.adding(days: 1))
        #expect(report.column("change") == [.text("reached"), .text("lost")])
        #expect(report.column("minutes") == [.integer(1_440), .integer(960)])
        #expect(report.column("from_level").last == .text(report.column("to_level").first!.text) && report.column("to_level").last == .empty)
        #expect(report.notes.last?.hasPrefix("Held at the end of 2026-10-14: none;") == true, "\(report.notes)")
        #expect(try store.levelsReport(from: Self.october13, through: Self.october13).notes.last?.contains("(star1) 1;") == true)
    }

    /// A version effective on the 14th counts the levels in points (thresholds out of reach): V1 loses star1 that night, its
    /// change holding V1's points, not minutes. The report over both nights has both columns, each row's figure in its own.
    @Test("the levels report over a version that changed the levels' measure shows each change in the measure its night counted")
    func levelsReportAcrossAMeasureChange() throws {
        let test = try Self.store()
        let store = test.store
        try Self.settleThreeDaysOfCare(store)
        let byPoints = try RecordStoreTests.policyText()
            .replacingOccurrences(of: "effective = 2026-10-01", with: "effective = 2026-10-14")
            .replacingOccurrences(of: "version = 1 ", with: "version = 2 ")
            .replacingOccurrences(of: "min_hours = ", with: "min_points = 100000")
        #expect(byPoints.contains("effective = 2026-10-14") && byPoints.contains("version = 2 ") && byPoints.contains("min_points = 10000020"))
        try store.activatePolicy(byPoints + "\n[indicators.garbage_sorting]\nlabel = \"垃圾分类达标\"\npoints = 3\nper = \"month\"\n", actor: "admin")
        _ = try store.settle(SettlementRequest(date: Self.october13.adding(days: 1), actor: "nightly", today: Self.today))
        let points = try store.balance(.volunteer("V1"))
        #expect(points > 0)
        let report = try store.levelsReport(from: Self.october13, through: Self.october13.adding(days: 1))
        #expect(report.column("change") == [.text("reached"), .text("lost")])
        #expect(report.column("minutes") == [.integer(1_440), .empty])
        #expect(report.column("hours") == [.amount(2_400), .empty])
        #expect(report.column("points") == [.empty, .amount(points)])
        #expect(report.notes.first?.hasPrefix("The levels counted hours on some nights of the range and points on others") == true, "\(report.notes)")
        // Each night alone: one measure, one set of columns, no note.
        let first = try store.levelsReport(from: Self.october13, through: Self.october13)
        #expect(first.column("minutes") == [.integer(1_440)] && first.columns.allSatisfy { $0.id != "points" })
        let second = try store.levelsReport(from: Self.october13.adding(days: 1), through: Self.october13.adding(days: 1))
        #expect(second.column("points") == [.amount(points)] && second.columns.allSatisfy { $0.id != "minutes" })
    }

    @Test("a record of another source: reversing its award finds it by the entry's key and keeps it as withdrawn")
    func recordOfAnotherSource() throws {
        let test = try Self.store()
        let store = test.store
        let imported = try store.importRecords(Array("id,volunteer,category,date,minutes,verifier\nc1,V1,orange,2026-10-13,60,社区\n".utf8),
                                fileName: "records.csv", source: "街道一组", actor: "importer", today: Self.today)
        #expect(imported.rejected.map { $0.errors.map(\.message) } == [])
        try Self.post(store, ["c1"])
        let award = try #require(try store.storedRecord(id: "c1").posted?.awardEntry)
        #expect(try store.entry(sequence: award)?.key == "record:街道一组:c1:award")
        #expect(try !store.storedRecord(id: "c1").isWithdrawn)
        try store.reverse(sequence: award, key: "withdraw-c1", actor: "admin", memo: "登记错误", on: Self.today)
        #expect(try store.storedRecord(id: "c1").isWithdrawn)
        #expect(try store.database.statement("SELECT count(*) FROM withdrawn_records").first { $0.int64(0) } == 1)
        #expect(try store.verify().problems.isEmpty)
    }

    @Test("verify compares withdrawn_records with the decisions and the ledger (V020), both ways")
    func keptWithdrawalsAreVerified() throws {
        let test = try Self.store()
        let store = test.store
        try Self.importCSV(store, "id,volunteer,category,date,minutes,verifier\nk1,V1,orange,2026-10-13,60,社区\nk2,V2,orange,2026-10-13,60,社区\n")
        try Self.post(store, ["k1", "k2"])
        let award = try #require(try store.storedRecord(id: "k1").posted?.awardEntry)
        try store.reverse(sequence: award, key: "withdraw-k1", actor: "admin", memo: "登记错误", on: Self.today)
        #expect(try store.verify().problems.isEmpty)
        // Someone with sqlite3 takes k1 out of the table and puts k2, which stands, in.
        let k2 = try #require(try store.database.statement("SELECT number FROM records WHERE id = 'k2'").first { $0.int64(0) })
        try store.database.execute("""
            DROP TRIGGER withdrawn_records_append_only_delete;
            DELETE FROM withdrawn_records;
            INSERT INTO withdrawn_records(record) VALUES (\(k2));
            """)
        let problems = try store.verify().problems
        #expect(problems.map(\.code) == ["V020", "V020"])
        #expect(problems.map(\.message) == [
            "record default:k2 is kept as withdrawn, but an entry of it still stands and no admin withdrew it",
            "record default:k1 is withdrawn (every entry of it reversed, or an admin withdrew it), but withdrawn_records does not keep it",
        ])
    }

    @Test("a store written before migration 16 keeps its withdrawn records: the migration works them out from the ledger and the decisions")
    func migrationFillsWithdrawnRecords() throws {
        let test = try Self.store()
        let store = test.store
        try Self.importCSV(store, "id,volunteer,category,date,minutes,verifier\nm1,V1,orange,2026-10-13,60,社区\nm2,V2,orange,2026-10-13,60,社区\n")
        try Self.post(store, ["m1", "m2"])
        let award = try #require(try store.storedRecord(id: "m1").posted?.awardEntry)
        try store.reverse(sequence: award, key: "withdraw-m1", actor: "admin", memo: "登记错误", on: Self.today)
        // The file as migration 15 left it: no withdrawn_records table, no trigger on record_withdrawals.
        try store.database.execute("""
            DROP TRIGGER withdrawn_records_append_only_update;
            DROP TRIGGER withdrawn_records_append_only_delete;
            DROP TRIGGER record_withdrawals_kept;
            DROP TABLE withdrawn_records;
            DELETE FROM schema_migrations WHERE version = 16;
            """)
        let reopened = try TimeBankStore(path: test.path, clock: test.clock)
        #expect(try reopened.storedRecord(id: "m1").isWithdrawn && !reopened.storedRecord(id: "m2").isWithdrawn)
        #expect(try reopened.database.statement("SELECT count(*) FROM withdrawn_records").first { $0.int64(0) } == 1)
        #expect(try reopened.verify().problems.isEmpty)
    }
}
