import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Stored records: import (idempotent, nothing half-stored), decisions, posting with keys made from
/// record ids, the history caps read, and explanations.
@Suite("Stored records")
struct RecordStoreTests {
    static let today = LocalDate("2026-12-31")!

    static func policyText() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOfFile: root.appendingPathComponent("config/policy.toml").path, encoding: .utf8)
    }

    /// A store with V1 and V2 (household H1), station S1 and config/policy.toml active.
    static func store() throws -> TestStore {
        let test = try TestStore()
        try test.store.activatePolicy(policyText(), actor: "admin")
        return test
    }

    @discardableResult
    static func importCSV(_ store: TimeBankStore, _ text: String, name: String = "records.csv") throws -> RecordImportOutcome {
        try store.importRecords(Array(text.utf8), fileName: name, actor: "importer", today: today)
    }

    static func count(_ store: TimeBankStore) throws -> Int { try store.records().count }

    /// 1,000 rows, of which the 17 listed are bad, each in its own way.
    static func thousandRows() -> (text: String, bad: [Int]) {
        var lines = ["id,volunteer,category,date,start,end,verifier,rating,note"]
        var bad: [Int] = []
        for index in 0..<1000 {
            let volunteer = "V\(index % 2 + 1)"
            let day = LocalDate("2026-10-01")!.adding(days: index / 20)
            let hour = 6 + (index % 20) / 2
            var fields = ["r\(index)", volunteer, "orange", day.description, String(format: "%02d:00", hour),
                          String(format: "%02d:30", hour), "社区", "", index % 7 == 0 ? "\"第一行\n第二行, 有逗号\"" : ""]
            switch index {
            case 11: fields[1] = "V9"                                   // unknown volunteer
            case 50: fields[2] = "orang"                                // unknown category
            case 99: fields[5] = "05:00"                                // end before start
            case 150: fields[3] = "2026-02-30"                          // impossible date
            case 203: fields[4] = "06:15"; fields[5] = "06:45"          // overlaps r201, V2 06:00–06:30
            case 260: fields[1] = ""                                    // missing volunteer
            case 333: fields[7] = "6"                                   // rating out of range
            case 404: fields[4] = "24:00"                               // a start at midnight
            case 455: fields[0] = "bad id"                              // id with a space
            case 512: fields[2] = ""                                    // neither category nor indicator
            case 600: fields[3] = "2027-03-01"                          // in the future
            case 640: fields[4] = "9 点"                                 // not a time
            case 700: fields[0] = "r699"                                // the id of row 699 with other content
            case 777: fields[3] = "10/3/2026"                           // the year last: which day?
            case 810: fields[6] = String(repeating: "核", count: 70)    // verifier too long
            case 901: fields[4] = ""                                    // end without a start
            case 950: fields[2] = "green"; fields[7] = "x"              // rating not a number
            default: break
            }
            if [11, 50, 99, 150, 203, 260, 333, 404, 455, 512, 600, 640, 700, 777, 810, 901, 950].contains(index) { bad.append(index) }
            lines.append(fields.joined(separator: ","))
        }
        return (lines.joined(separator: "\n") + "\n", bad)
    }

    @Test("a 1,000-row file with 17 bad rows stores exactly 983 and reports 17; importing it again adds nothing")
    func thousandRowImport() throws {
        let test = try Self.store()
        let (text, bad) = Self.thousandRows()
        #expect(bad.count == 17)
        let first = try Self.importCSV(test.store, text)
        #expect(first.rowsRead == 1000)
        #expect(first.stored.count == 983)
        #expect(first.rejected.count == 17)
        #expect(first.duplicateCount == 0)
        #expect(first.rejected.map(\.row) == bad.map { $0 + 2 })
        #expect(try Self.count(test.store) == 983)
        #expect(try test.store.records(matching: RecordQuery(status: .pending)).count == 983)

        let again = try Self.importCSV(test.store, text)
        #expect(again.rowsRead == 1000)
        #expect(again.stored.isEmpty)
        #expect(again.alreadyStored.count == 983 && again.rejected.count == 17)
        #expect(again.stored.count + again.duplicateCount + again.rejected.count == again.rowsRead)
        #expect(try Self.count(test.store) == 983)
        // The note with a line break and a comma is stored as written.
        let seventh = try test.store.storedRecord(id: "r7")
        guard case .service(let service) = seventh.record else { Issue.record("not a service"); return }
        #expect(service.note == "第一行\n第二行, 有逗号")
        #expect(seventh.importRow == 9 && seventh.importFile == "records.csv" && seventh.importedBy == "importer")
    }

    @Test("a file with a byte order mark is read; a GB18030 file is refused with nothing stored")
    func encodings() throws {
        let test = try Self.store()
        let bom = try Self.importCSV(test.store, "\u{FEFF}id,volunteer,category,date,minutes,verifier\nb1,V1,orange,2026-10-03,60,社区\n")
        #expect(bom.stored.count == 1)
        let gbk: [UInt8] = Array("id,volunteer,category,date,minutes,note\nb2,V1,orange,2026-10-04,60,".utf8) + [0xCC, 0xBD, 0xB7, 0xC3, 0x0A]
        do {
            _ = try test.store.importRecords(gbk, fileName: "gbk.csv", actor: "importer", today: Self.today)
            Issue.record("a GB18030 file must be refused")
        } catch let error as RecordFileError {
            #expect(error.code == "I100" && error.message.contains("GB18030") && error.message.contains("iconv"))
        }
        #expect(try Self.count(test.store) == 1)
    }

    @Test("the same id with other content is rejected (E016) and the stored record is unchanged")
    func conflictingContent() throws {
        let test = try Self.store()
        try Self.importCSV(test.store, "id,volunteer,category,date,minutes,verifier\nc1,V1,orange,2026-10-03,60,社区\n")
        let second = try Self.importCSV(test.store, "id,volunteer,category,date,minutes,verifier\nc1,V1,orange,2026-10-03,90,社区\n")
        #expect(second.stored.isEmpty && second.rejected.count == 1)
        #expect(second.rejected[0].errors[0].code == .conflictsWithStored)
        guard case .service(let stored) = try test.store.storedRecord(id: "c1").record else { return }
        #expect(stored.minutes == 60)
        // The content of a stored record can not be edited, even by hand.
        #expect(throws: (any Error).self) { try test.store.database.execute("UPDATE records SET minutes = 90 WHERE id = 'c1'") }
        #expect(throws: (any Error).self) { try test.store.database.execute("DELETE FROM records") }
    }

    @Test("a stored record overlapping a new row rejects the row; two sources may share an id")
    func storedOverlapAndSources() throws {
        let test = try Self.store()
        try Self.importCSV(test.store, "id,volunteer,category,date,start,end,verifier\no1,V1,orange,2026-10-03,09:00,10:00,社区\n")
        let overlapping = try Self.importCSV(test.store, "id,volunteer,category,date,start,end,verifier\no2,V1,red,2026-10-03,09:30,10:30,社区\n")
        #expect(overlapping.rejected.first?.errors.first?.code == .overlap)
        let other = try test.store.importRecords(Array("id,volunteer,category,date,start,end,verifier\no1,V2,red,2026-10-03,09:00,10:00,社区\n".utf8),
                                                 fileName: "app.csv", source: "wechat", actor: "importer", today: Self.today)
        #expect(other.stored.count == 1)
        #expect(throws: RecordStoreError.ambiguousRecord(id: "o1", sources: ["default", "wechat"])) { try test.store.storedRecord(id: "o1") }
        #expect(try test.store.storedRecord(id: "o1", source: "wechat").record.volunteer == "V2")
        #expect(throws: RecordStoreError.self) { try test.store.storedRecord(id: "O9") }
    }

    @Test("approve and reject: once, with a verifier where the policy wants one, with a reason")
    func decisions() throws {
        let test = try Self.store()
        try Self.importCSV(test.store, """
            id,volunteer,category,date,start,end,verifier
            d1,V1,orange,2026-10-03,09:00,10:00,社区
            d2,V1,orange,2026-10-03,11:00,12:00,
            d3,V2,orange,2026-10-03,09:00,10:00,社区

            """)
        #expect(throws: RecordStoreError.verifierRequired(reference: "default:d2")) {
            try test.store.approveRecords([("d1", nil), ("d2", nil)], actor: "admin")
        }
        // All or none: d1 was not approved either.
        #expect(try test.store.storedRecord(id: "d1").status == .pending)
        let approved = try test.store.approveRecords([("d1", nil)], actor: "admin")
        #expect(approved[0].status == .approved && approved[0].decidedBy == "admin")
        // Approved again (a retried command): nothing changes, nothing is returned, nothing is refused.
        #expect(try test.store.approveRecords([("d1", nil)], actor: "other").isEmpty)
        #expect(try test.store.storedRecord(id: "d1").decidedBy == "admin")
        let withVerifier = try test.store.approveRecords([("d2", nil)], actor: "admin", verifier: "张主任")
        #expect(withVerifier[0].approvalVerifier == "张主任" && withVerifier[0].recordForScoring.verifier == "张主任")
        // Approved and not posted: a decision is made once, and the message says what works from there.
        let decided = #expect(throws: RecordStoreError.self) {
            try test.store.rejectRecords([("d1", nil)], actor: "admin", reason: "重复")
        }
        #expect(decided?.code == "E102")
        #expect(decided?.message.hasPrefix("record default:d1 is approved already; a decision is made once: let the next nightly "
            + "settlement post it, then reverse its entries, which withdraws it") == true)
        #expect(throws: RecordStoreError.self) { try test.store.rejectRecords([("d3", nil)], actor: "admin", reason: " ") }
        let rejected = try test.store.rejectRecords([("d3", nil)], actor: "admin", reason: "重复登记")
        #expect(rejected[0].status == .rejected && rejected[0].decisionReason == "重复登记")
        // The same rejection retried with a space at an end (a full-width one too) is the same: nothing changes, nothing refused.
        #expect(try test.store.rejectRecords([("d3", nil)], actor: "admin", reason: "重复登记 ").isEmpty)
        #expect(try test.store.rejectRecords([("d3", nil)], actor: "admin", reason: "\u{3000}重复登记").isEmpty)
        #expect(try test.store.storedRecord(id: "d3").decisionReason == "重复登记")
        #expect(throws: (any Error).self) { try test.store.database.execute("UPDATE records SET status = 'approved' WHERE id = 'd3'") }
    }

    @Test("rejecting with a reason per record: each keeps its own, all or none; one named twice with two reasons is E104")
    func rejectionReasonPerRecord() throws {
        let test = try Self.store()
        try Self.importCSV(test.store, """
            id,volunteer,category,date,start,end,verifier
            d1,V1,orange,2026-10-03,09:00,10:00,社区
            d2,V1,orange,2026-10-03,11:00,12:00,社区
            d3,V2,orange,2026-10-03,09:00,10:00,社区

            """)
        let twice = #expect(throws: RecordStoreError.self) {
            try test.store.rejectRecordsNamingUnchanged([("d1", nil, "重复登记"), ("default:d1", nil, "未核实")], actor: "admin")
        }
        #expect(twice?.code == "E104" && twice?.message == "the reason of record default:d1 is given twice, \"重复登记\" and \"未核实\": give it one")
        let unusable = #expect(throws: RecordStoreError.self) {
            try test.store.rejectRecordsNamingUnchanged([("d1", nil, "重复登记"), ("d2", nil, "第一行\n第二行")], actor: "admin")
        }
        #expect(unusable?.code == "E104" && unusable?.message.hasPrefix("the reason for d2 ") == true, "\(unusable?.message ?? "")")
        #expect(try test.store.storedRecord(id: "d1").status == .pending)
        let decisions = try test.store.rejectRecordsNamingUnchanged(
            [("d1", nil, "重复登记"), ("d2", nil, "未核实"), ("default:d1", nil, "重复登记 ")], actor: "admin")
        #expect(decisions.decided.map(\.decisionReason) == ["重复登记", "未核实"])
        #expect(try test.store.storedRecord(id: "d3").status == .pending)
    }

    @Test("E102 gives the earlier decision's time in the community's local time, as receipts do, not in UTC")
    func earlierDecisionInLocalTime() throws {
        // 18:03 UTC on 7 November is 02:03 on 8 November in Shanghai (config/policy.toml's timezone).
        let test = try TestStore(clock: FixedClock(Timestamp("2026-11-07T18:03:00.000Z")!))
        try test.store.activatePolicy(Self.policyText(), actor: "admin")
        try Self.importCSV(test.store, "id,volunteer,category,date,start,end,verifier\nt1,V1,orange,2026-10-03,09:00,10:00,社区\n")
        try test.store.rejectRecords([("t1", nil)], actor: "admin", reason: "重复登记")
        for attempt: () throws -> Void in [{ try test.store.approveRecords([("t1", nil)], actor: "admin") },
                                           { try test.store.rejectRecords([("t1", nil)], actor: "admin", reason: "另一个") }] {
            let refused = #expect(throws: RecordStoreError.self) { try attempt() }
            #expect(refused?.code == "E102")
            #expect(refused?.message.contains("it was decided at 2026-11-08 02:03:00 (UTC+8) by admin, for \"重复登记\"") == true,
                    "\(refused?.message ?? "")")
            #expect(refused?.message.contains("18:03") == false)
        }
    }

    @Test("posting a day: entries keyed by record id, once; caps count what is posted; explain shows what was posted")
    func posting() throws {
        let test = try Self.store()
        let store = test.store
        try Self.importCSV(store, """
            id,volunteer,category,date,start,end,minutes,verifier,tags
            p1,V1,red,2026-10-12,09:00,12:00,,社区,
            p2,V1,red,2026-10-12,13:00,16:00,,社区,
            p3,V2,red,2026-10-12,,,0,社区,no_show

            """)
        try store.approveRecords([("p1", nil), ("p2", nil), ("p3", nil)], actor: "admin")
        let summary = try store.postApprovedRecords(on: LocalDate("2026-10-12")!, actor: "settlement")
        // p1: 30 + 5 first service = 35; p2: 30, cut to 25 by the daily cap of 60; p3: a no-show at 0, shortfall 5.
        #expect(summary.posted == 3 && summary.entries == 2)
        #expect(summary.awarded == 6000 && summary.deducted == 0 && summary.shortfall == 500)
        #expect(try store.balance(.volunteer("V1")) == 6000)
        let award = try #require(try store.entry(key: "record:default:p1:award"))
        #expect(award.kind == .award && award.postings[0].lotExpiresOn == LocalDate("2027-10-12"))
        #expect(award.memo == "红色教育 180 min · default:p1")
        // Settling again posts nothing.
        let again = try store.postApprovedRecords(on: LocalDate("2026-10-12")!, actor: "settlement")
        #expect(again.posted == 0 && again.entries == 0)
        #expect(try store.verify().isClean)

        // A record of the same day that arrives late fits into what is left of the day's cap: nothing.
        try Self.importCSV(store, "id,volunteer,category,date,start,end,verifier\np4,V1,orange,2026-10-12,17:00,18:00,社区\n", name: "late.csv")
        try store.approveRecords([("p4", nil)], actor: "admin")
        let late = try store.postApprovedRecords(on: LocalDate("2026-10-12")!, actor: "settlement")
        #expect(late.posted == 1 && late.awarded == 0)
        let explained = try store.explainRecord(id: "p4")
        #expect(!explained.isPreview && explained.earned == 1200 && explained.award == 0)
        // Stored in one row, read back line for line as the scorer wrote them.
        #expect(try store.database.statement("SELECT count(*) FROM record_score_explanations").first { $0.int64(0) } == 4)
        #expect(try store.database.statement("SELECT count(*) FROM record_score_steps").first { $0.int64(0) } == 0)
        #expect(explained.lines.contains { $0.rule == "caps.daily" && $0.text.contains("60 earned") })
        // The once-only bonus is remembered from the posted scores.
        #expect(explained.lines.contains { $0.rule == "bonuses.first_service" && $0.text.contains("received before") })

        // A posted record whose award stands is not rejected: the message gives the reversal that would withdraw it.
        #expect(throws: RecordStoreError.alreadyPosted(
            reference: "default:p1", standing: "its award #1 (35.00 points) stands",
            steps: "`timebank reverse 1 --key withdraw-p1-award --reason TEXT`")) {
            try store.rejectRecords([("p1", nil)], actor: "admin", reason: "错误")
        }
        let shown = try store.storedRecord(id: "p2")
        #expect(shown.posted?.earned == 3000 && shown.posted?.award == 2500 && shown.posted?.capped == 500)
    }

    @Test("a reversed award gives its room in the cap back")
    func reversalFreesTheCap() throws {
        let test = try Self.store()
        let store = test.store
        try Self.importCSV(store, "id,volunteer,category,date,start,end,verifier\nq1,V1,red,2026-10-13,08:00,14:00,社区\n")
        try store.approveRecords([("q1", nil)], actor: "admin")
        try store.postApprovedRecords(on: LocalDate("2026-10-13")!, actor: "settlement")
        let history = StoreScoringHistory(store: store)
        let day = ScoringWindow(.day, containing: LocalDate("2026-10-13")!)
        #expect(try history.awardedPoints(to: .volunteer("V1"), in: day) == 6000)
        #expect(try history.awardedPoints(to: .volunteer("V1"), category: "red", in: day) == 6000)
        let entry = try #require(try store.entry(key: "record:default:q1:award"))
        try store.reverse(sequence: entry.sequence, key: "undo-q1", actor: "admin", memo: "recorded twice", on: LocalDate("2026-10-14")!)
        #expect(try history.awardedPoints(to: .volunteer("V1"), in: day) == 0)
        #expect(try history.awardedPoints(to: .volunteer("V1"), category: "red", in: day) == 0)
        // With its only entry reversed q1 is withdrawn: the once-only bonus it received is free again.
        #expect(try !history.hasReceivedBonus("first_service", holder: .volunteer("V1")))
    }

    @Test("a preview explains a record not posted yet, counting the volunteer's earlier unposted records")
    func preview() throws {
        let test = try Self.store()
        try Self.importCSV(test.store, """
            id,volunteer,category,date,start,end,verifier
            v1,V1,red,2026-10-12,09:00,10:00,社区
            v2,V1,red,2026-10-12,11:00,12:00,社区

            """)
        let preview = try test.store.explainRecord(id: "v2")
        #expect(preview.isPreview && preview.award == 1000)
        #expect(preview.lines.contains { $0.rule == "bonuses.first_service" && $0.text.contains("received before") })
    }

    @Test("under earn_to = household a preview counts the other members' and the household's unposted records, as the night does")
    func householdPreview() throws {
        let test = try TestStore(volunteers: ["V1", "V2", "V3"])
        try test.store.activatePolicy("""
            [policy]
            id = "household-preview"
            version = 1
            effective = 2026-10-01

            [accounts]
            earn_to = "household"

            [earning]
            require_verifier = false

            [categories.care]
            points_per_hour = 12
            daily_cap = 20

            [indicators.tidy]
            points = 5
            per = "quarter"

            [penalties.no_show]
            points = -30
            when = 'record.tags.contains("no_show")'

            """, actor: "admin")
        // H1 (V1, V2, V3) on 12 October: V1's hour earns 12; V2's hour 12, of which the category's daily cap of 20
        // leaves 8; the household's tidy courtyard 5; V3's no-show takes 25 of its 30, all H1 has (shortfall 5).
        try Self.importCSV(test.store, """
            id,volunteer,household,category,indicator,period,result,date,minutes,tags
            w1,V1,,care,,,,2026-10-12,60,
            w2,V2,,care,,,,2026-10-12,60,
            w3,,H1,,tidy,2026-Q4,met,2026-10-12,,
            w4,V3,,care,,,,2026-10-12,0,no_show

            """)
        let previews = try ["w1", "w2", "w3", "w4"].map { try test.store.explainRecord(id: $0) }
        #expect(previews.allSatisfy { $0.isPreview })
        #expect(previews.map(\.award) == [1200, 800, 500, 0])
        #expect(previews.map(\.deduction) == [0, 0, 0, 2500])
        #expect(previews[3].shortfall == 500)
        try test.store.approveRecords([("w1", nil), ("w2", nil), ("w3", nil), ("w4", nil)], actor: "admin")
        try test.store.postApprovedRecords(on: LocalDate("2026-10-12")!, actor: "settlement")
        let posted = try ["w1", "w2", "w3", "w4"].map { try test.store.explainRecord(id: $0) }
        let allPosted = posted.allSatisfy { !$0.isPreview }
        #expect(allPosted)
        #expect(posted.map(\.award) == previews.map(\.award))
        #expect(posted.map(\.deduction) == previews.map(\.deduction))
    }

    @Test("a posted explanation is kept as the scorer's steps and read back as the very lines the run gave")
    func explanationFromSteps() throws {
        // config/policy.toml and a factor from the rating, which fails for a record without one.
        let test = try TestStore(volunteers: ["V1", "V2", "V3"])
        try test.store.activatePolicy(Self.policyText() + """

            [multipliers.satisfaction]
            label = "满意度"
            factor = 'record.rating / 5'
            categories = ["purple"]

            """, actor: "admin")
        // A Saturday: the weekend factor, the first-service bonus and its repeat, the daily and green caps, a record
        // below the minimum, one cut to 480 minutes, a factor that fails, one from a rating, rounding, a no-show
        // penalty the floor stops.
        try Self.importCSV(test.store, """
            id,volunteer,category,date,start,end,verifier,rating,tags
            a1,V1,orange,2026-10-17,08:00,10:00,社区,,
            a2,V1,blue,2026-10-17,10:00,13:00,社区,,
            a3,V1,green,2026-10-17,13:00,17:00,社区,,
            a4,V1,red,2026-10-17,17:00,17:20,社区,,
            b1,V2,purple,2026-10-17,08:00,09:00,社区,,
            b2,V2,purple,2026-10-17,09:00,10:00,社区,4,
            b3,V2,orange,2026-10-17,10:00,10:35,社区,,
            c1,V3,red,2026-10-17,08:00,08:10,社区,,no_show
            c2,V3,red,2026-10-17,09:00,19:00,社区,,

            """)
        let ids = ["a1", "a2", "a3", "a4", "b1", "b2", "b3", "c1", "c2"]
        try test.store.approveRecords(ids.map { ($0, nil) }, actor: "admin")
        let day = LocalDate("2026-10-17")!
        let run = try test.store.scoreApprovedRecords(on: day)
        var expected: [String: [ScoreExplanationLine]] = [:]
        for score in run.scores { expected[run.record(of: score).id] = run.explanation(of: score) }
        let kinds = Set(run.scores.flatMap { score in score.steps.map { run.steps[$0].kind } })
        #expect(kinds.isSuperset(of: [.policy, .base, .multiplier, .combinedFactor, .bonus, .bonusAlreadyReceived,
                                      .ruleFailed, .rounding, .cap, .capsNotReached, .belowMinimum, .minutesCut, .penalty, .floor]))

        let summary = try test.store.postApprovedRecords(on: day, actor: "settlement")
        #expect(summary.posted == ids.count)
        for id in ids {
            let explained = try test.store.explainRecord(id: id)
            #expect(!explained.isPreview)
            #expect(explained.lines == expected[id], "\(id)")
        }
        #expect(try test.store.explainRecord(id: "b1").lines.contains { $0.text.contains("not applied: error[") })
        // Kept short: the steps, not the words.
        let stored = try test.store.database.statement("SELECT lines FROM record_score_explanations").rows { $0.text(0) }
        #expect(stored.count == ids.count && stored.allSatisfy { $0.hasPrefix("~") && PostedScoreSteps.decode($0) != nil })
        #expect(stored.map(\.utf8.count).max()! < 200)
    }

    @Test("scores of a policy that is not stored are not posted (E107): their explanation could not be read again")
    func unstoredVersionRefused() throws {
        let test = try Self.store()
        try Self.importCSV(test.store, "id,volunteer,category,date,start,end,verifier\nf1,V1,red,2026-10-12,09:00,10:00,社区\n")
        try test.store.approveRecords([("f1", nil)], actor: "admin")
        let policy = try #require(PolicyLoader.load(text: try Self.policyText(), path: "policy.toml").policy)
        let scorer = Scorer(timeline: PolicyTimeline([.init(label: "policy.toml", policy: policy)]),
                            community: try test.store.communityDirectory())
        let run = try scorer.score(try test.store.records().map(\.recordForScoring), history: StoreScoringHistory(store: test.store))
        #expect(throws: RecordStoreError.versionNotStored(reference: "default:f1", version: "policy.toml")) {
            try test.store.postScores(run, actor: "admin")
        }
        #expect(try test.store.storedRecord(id: "f1").posted == nil)
        #expect(try test.store.entry(key: "record:default:f1:award") == nil)
    }

    @Test("an explanation kept as lines (posted before the steps were kept) is still read")
    func explanationFromLines() throws {
        let test = try Self.store()
        try Self.importCSV(test.store, "id,volunteer,category,date,start,end,verifier\nold2,V1,orange,2026-10-12,09:00,10:00,社区\n")
        try test.store.approveRecords([("old2", nil)], actor: "admin")
        _ = try test.store.postApprovedRecords(on: LocalDate("2026-10-12")!, actor: "settlement")
        let number = try test.store.storedRecord(id: "old2").number
        // As such a database holds it: each field as its length in UTF-8 bytes, ":", the field.
        try test.store.database.execute("DROP TRIGGER record_score_explanations_append_only_update")
        try test.store.database.statement("UPDATE record_score_explanations SET lines = ? WHERE record = ?")
            .bind(.text("10:caps.daily9:上限 600:4:12.50:5:x:y;z0:0:"), .integer(number)).run()
        #expect(try test.store.explainRecord(id: "old2").lines == [
            ScoreExplanationLine(rule: "caps.daily", text: "上限 60", effect: "", running: "12.5", applied: false),
            ScoreExplanationLine(rule: "", text: "x:y;z", effect: "", running: "", applied: false),
        ])
        for broken in ["5:abc", "x:1", "3:abc", "1:a1:b1:c1:d1:e", ":abc"] {
            #expect(ExplanationEncoding.decode(broken) == nil, "\(broken)")
        }
        // A row that is neither form, or names a rule its version does not have (category 99, a rule of family 7),
        // is reported, not shown wrong.
        for damaged in ["~9,9", "~6,99,60,720,720;", "~14,0,7,0,0;", "~14,99,0,0,0;"] {
            try test.store.database.statement("UPDATE record_score_explanations SET lines = ? WHERE record = ?")
                .bind(.text(damaged), .integer(number)).run()
            #expect(throws: StoredDataError.self, "\(damaged)") { try test.store.explainRecord(id: "old2") }
        }
    }

    @Test("a record posted before explanations moved into one row is still explained from its step rows")
    func explanationFromStepRows() throws {
        let test = try Self.store()
        try Self.importCSV(test.store, "id,volunteer,category,date,start,end,verifier\nold1,V1,orange,2026-10-12,09:00,10:00,社区\n", name: "old.csv")
        try test.store.approveRecords([("old1", nil)], actor: "admin")
        _ = try test.store.postApprovedRecords(on: LocalDate("2026-10-12")!, actor: "settlement")
        let now = try test.store.explainRecord(id: "old1")
        // As a database written before migration 7 holds it: the lines in record_score_steps, no single row.
        try test.store.database.execute("DROP TRIGGER record_score_explanations_append_only_delete")
        try test.store.database.execute("DELETE FROM record_score_explanations")
        // Such a database wrote the rate in "points", before the lines named the policy's unit.
        #expect(now.lines.map(\.text).contains("60 min × 12 积分 an hour (橙色关怀)"))
        let stored = now.lines.map { line in
            var line = line
            line.text = line.text.replacingOccurrences(of: "12 积分 an hour", with: "12 points an hour")
            return line
        }
        for (index, line) in stored.enumerated() {
            try test.store.database.statement("INSERT INTO record_score_steps(record, idx, rule, text, effect, running) VALUES (?, ?, ?, ?, ?, ?)")
                .bind(.integer(now.stored.number), .integer(Int64(index)), .text(line.rule), .text(line.text), .text(line.effect), .text(line.running)).run()
        }
        // The words as stored (rows of lines keep no mark of which rules acted), "points" and all.
        func words(_ lines: [ScoreExplanationLine]) -> [[String]] { lines.map { [$0.rule, $0.text, $0.effect, $0.running] } }
        let read = try test.store.explainRecord(id: "old1").lines
        #expect(words(read) == words(stored))
        #expect(read.map(\.text).contains("60 min × 12 points an hour (橙色关怀)"))
        #expect(!now.lines.isEmpty)
    }
}
