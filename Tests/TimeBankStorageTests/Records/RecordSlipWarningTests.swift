import Foundation
import Testing
@testable import TimeBankCore
@testable import TimeBankStorage

/// I110 to I114: slips a row may hold that do not refuse it, named by the import of the records stored now.
@Suite("Record import: slip warnings")
struct RecordSlipWarningTests {
    static func date(_ text: String) -> LocalDate { LocalDate(text)! }

    /// The kinds of the warnings, as `CODE ID`, in order.
    static func codes(_ warnings: [RecordRowWarning]) -> [String] { warnings.map { "\($0.code.rawValue) \($0.record.id)" } }

    @Test("I110: minutes over the max_minutes_per_record of the version in force on the record's date; stored all the same")
    func minutesOverCounted() throws {
        let test = try RecordStoreTests.store()
        // A second version from 2026-10-10 counts up to 600 minutes.
        let later = try RecordStoreTests.policyText()
            .replacingOccurrences(of: "version = 1 ", with: "version = 2 ")
            .replacingOccurrences(of: "effective = 2026-10-01", with: "effective = 2026-10-10")
            .replacingOccurrences(of: "max_minutes_per_record = 480", with: "max_minutes_per_record = 600")
        try test.store.activatePolicy(later, actor: "admin")
        let outcome = try RecordStoreTests.importCSV(test.store, """
            id,volunteer,category,date,start,end,minutes,verifier
            m1,V1,orange,2026-10-03,,,1200,社区
            m2,V1,orange,2026-10-04,,,480,社区
            m3,V1,orange,2026-10-05,08:00,20:00,,社区
            m4,V1,orange,2026-10-12,,,540,社区
            m5,V1,orange,2026-10-13,,,720,社区
            m6,V2,orange,2026-10-03,,,１２００,社区

            """)
        #expect(outcome.stored.count == 6 && outcome.rejected.isEmpty)
        try #require(Self.codes(outcome.warnings) == ["I110 m1", "I110 m3", "I110 m5", "I110 m6"])
        #expect(outcome.warnings.map { $0.row } == [2, 4, 6, 7])
        #expect(outcome.warnings[0].kind == .minutesOverCounted(minutes: 1200, counted: 480, typed: "1200", policyLabel: "#1", suggestion: 120))
        #expect(outcome.warnings[0].detail(defaultSource: "default")
                == "1200 minutes typed; only 480 will count (max_minutes_per_record of the policy in force on 2026-10-03, #1): did you mean 120?")
        // Times are not guessed at; 720 minutes under #2 (600 count) are not guessed to be 72.
        #expect(outcome.warnings[1].kind == .minutesOverCounted(minutes: 720, counted: 480, typed: "08:00–20:00", policyLabel: "#1", suggestion: nil))
        #expect(outcome.warnings[2].kind == .minutesOverCounted(minutes: 720, counted: 600, typed: "720", policyLabel: "#2", suggestion: nil))
        // Full-width digits, as a Chinese input method types them, are shown as typed.
        #expect(outcome.warnings[3].detail(defaultSource: "default")
                == "１２００ is 1200 minutes; only 480 will count (max_minutes_per_record of the policy in force on 2026-10-03, #1): did you mean 120?")
    }

    @Test("I111: the same volunteer, day, category and minutes, once with times and once with minutes only: in the file, stored, across validators")
    func sameServiceTwice() throws {
        let text = """
            id,volunteer,category,date,start,end,minutes,verifier
            t1,V1,orange,2026-10-03,09:00,11:00,,社区
            t2,V1,orange,2026-10-03,,,120,社区
            t3,V1,orange,2026-10-03,,,90,社区
            t4,V1,green,2026-10-03,,,120,社区
            t5,V2,orange,2026-10-03,,,120,社区
            t6,V1,orange,2026-10-04,,,120,社区
            t7,V1,orange,2026-10-04,14:00,16:00,,社区
            t8,V1,orange,2026-10-04,,,120,社区

            """
        let test = try RecordStoreTests.store()
        let outcome = try RecordStoreTests.importCSV(test.store, text)
        #expect(outcome.rejected.isEmpty)
        // t8 is like t7 too (t6 is the same kind as t8: minutes only, which the check leaves to E024).
        try #require(Self.codes(outcome.warnings) == ["I111 t2", "I111 t7", "I111 t8"])
        #expect(outcome.warnings[0].kind == .sameServiceTwice(other: "default:t1", otherHasTimes: true, otherTimes: "09:00–11:00"))
        #expect(outcome.warnings[1].kind == .sameServiceTwice(other: "default:t6", otherHasTimes: false, otherTimes: nil))
        #expect(outcome.warnings[0].detail(defaultSource: "default") == "V1, orange on 2026-10-03, 120 minutes, no times; record t1 is the "
                + "same volunteer, day, category and duration (09:00–11:00): the same service typed twice?")
        // Imported again: nothing stored now, nothing warned of.
        #expect(try RecordStoreTests.importCSV(test.store, text).warnings.isEmpty)

        // Against a stored record, from another team leader's sheet (another source).
        let second = try RecordStoreTests.importCSV(test.store, """
            id,volunteer,category,date,start,end,minutes,verifier
            x1,V2,orange,2026-10-03,13:00,15:00,,李主任

            """, name: "team2.csv")
        try #require(Self.codes(second.warnings) == ["I111 x1"])
        #expect(second.warnings[0].kind == .sameServiceTwice(other: "default:t5", otherHasTimes: false, otherTimes: nil))

        // Rows checked by validators of 1 row each still find each other, through the store.
        let batches = try RecordStreamImportTests.importInBatches(text, batch: 1)
        #expect(Self.codes(batches.summary.warnings) == ["I111 t2", "I111 t7", "I111 t8"])
        #expect(batches.summary.warningCount(.sameServiceTwice) == 3 && batches.summary.warningCount(.minutesOverCounted) == 0)
    }

    @Test("a rejected record is no twin: after `record reject`, its like is stored without I111")
    func rejectedRecordIsNoTwin() throws {
        let test = try RecordStoreTests.store()
        _ = try RecordStoreTests.importCSV(test.store, "id,volunteer,category,date,minutes,verifier\nt1,V1,orange,2026-10-03,120,社区\nt3,V2,orange,2026-10-03,120,社区\n")
        _ = try test.store.rejectRecords([(id: "t1", source: nil)], actor: "admin", reason: "重复登记")
        // t4 is like t3, which stands; t2 like t1, which is rejected.
        let outcome = try RecordStoreTests.importCSV(test.store, "id,volunteer,category,date,start,end,verifier\n"
            + "t2,V1,orange,2026-10-03,09:00,11:00,社区\nt4,V2,orange,2026-10-03,09:00,11:00,社区\n")
        #expect(outcome.stored.count == 2 && Self.codes(outcome.warnings) == ["I111 t4"])
    }

    @Test("a streamed import counts every warning and keeps the first 20 of each code")
    func summaryKeepsTheFirst() throws {
        var lines = ["id,volunteer,category,date,minutes,verifier"]
        for day in 1...25 { lines.append("w\(day),V1,orange,2026-10-\(day < 10 ? "0" : "")\(day),1000,社区") }
        let (_, summary) = try RecordStreamImportTests.importInBatches(lines.joined(separator: "\n") + "\n", batch: 7)
        #expect(summary.storedCount == 25 && summary.warningCount(.minutesOverCounted) == 25)
        #expect(summary.warnings.map(\.record.id) == (1...20).map { "w\($0)" })
        #expect(summary.warnings.allSatisfy { if case .minutesOverCounted(_, _, _, _, let suggestion) = $0.kind { suggestion == 100 } else { false } })
    }

    @Test("I113: fewer minutes than min_minutes of the version in force earn nothing; named, with hours typed as minutes suggested")
    func minutesBelowMinimum() throws {
        let test = try RecordStoreTests.store()
        // config/policy.toml: min_minutes = 30, max_minutes_per_record = 480. n1 is 2 hours typed as 2 (120 minutes meant);
        // n2 a real 25-minute visit (no guess: 25 hours are more than a day); n3 and n4 are not below 30; n5, 0 minutes,
        // is a no-show (its penalty is the point); n6 has times (nothing was typed as hours); n7 is 9 hours, past the count.
        let outcome = try RecordStoreTests.importCSV(test.store, """
            id,volunteer,category,date,start,end,minutes,verifier,tags
            n1,V1,orange,2026-10-03,,,2,社区,
            n2,V1,orange,2026-10-04,,,25,社区,
            n3,V1,orange,2026-10-05,,,30,社区,
            n4,V1,orange,2026-10-06,,,120,社区,
            n5,V2,orange,2026-10-03,,,0,社区,no_show
            n6,V2,orange,2026-10-04,09:00,09:20,,社区,
            n7,V2,orange,2026-10-05,,,9,社区,

            """)
        #expect(outcome.stored.count == 7 && outcome.rejected.isEmpty)
        try #require(Self.codes(outcome.warnings) == ["I113 n1", "I113 n2", "I113 n6", "I113 n7"])
        #expect(outcome.warnings.map(\.row) == [2, 3, 7, 8])
        #expect(outcome.warnings[0].kind == .minutesBelowMinimum(minutes: 2, minimum: 30, policyLabel: "#1", suggestion: 120))
        #expect(outcome.warnings[0].detail(defaultSource: "default")
                == "2 minutes earn nothing: the policy in force on 2026-10-03 (#1) counts a service from min_minutes = 30: "
                    + "2 hours is 120 minutes, did you mean 120?")
        #expect(outcome.warnings[1].kind == .minutesBelowMinimum(minutes: 25, minimum: 30, policyLabel: "#1", suggestion: nil))
        #expect(outcome.warnings[2].kind == .minutesBelowMinimum(minutes: 20, minimum: 30, policyLabel: "#1", suggestion: nil))
        #expect(outcome.warnings[3].kind == .minutesBelowMinimum(minutes: 9, minimum: 30, policyLabel: "#1", suggestion: nil))
        // What the engine makes of n1 as stored: 0.00 points, the minimum named.
        let n1 = try test.store.explainRecord(id: "n1")
        #expect(n1.earned == 0 && n1.award == 0 && n1.minutesCounted == 0)
    }

    @Test("I112: a deduction indicator assessed broken deducts nothing and is named; met, and a positive indicator broken, are not")
    func deductionBroken() throws {
        let test = try TestStore()
        try test.store.activatePolicy("""
            [policy]
            id = "village"
            version = 1
            effective = 2026-10-01
            unit = "信义币"

            [accounts]
            earn_to = "household"

            [categories.care]
            points_per_hour = 10

            [indicators.littering]
            label = "乱堆乱放"
            points = -5
            per = "month"

            [indicators.tidy]
            points = 3
            per = "month"

            """, actor: "admin")
        // d1 and d2 are the clerk's two ways of writing "broke the rule" as 未达标/no; d3 is met (deducts 5); d4 and d5 are
        // a positive indicator, broken (earns nothing, as meant) and met; d6 is by its label, of V3, who has no household
        // (V2 is H1's, which earns littering once a month: its October is d1's, E026).
        try test.store.addVolunteer(Volunteer(id: "V3", name: "志愿者V3", household: nil, birthDate: nil, teams: [], tags: [],
                                              joined: LocalDate("2024-01-01")!))
        let outcome = try RecordStoreTests.importCSV(test.store, """
            id,volunteer,household,indicator,period,result,verifier
            d1,,H1,littering,2026-10,未达标,村委会
            d2,V1,,littering,2026-12,no,村委会
            d3,,H1,littering,2026-11,达标,村委会
            d4,,H1,tidy,2026-10,broken,村委会
            d5,,H1,tidy,2026-11,met,村委会
            d6,V3,,乱堆乱放,2026-10,broken,村委会

            """)
        #expect(outcome.stored.count == 6 && outcome.rejected.isEmpty)
        try #require(Self.codes(outcome.warnings) == ["I112 d1", "I112 d2", "I112 d6"])
        #expect(outcome.warnings.map(\.row) == [2, 3, 7])
        #expect(outcome.warnings[0].kind == .deductionBroken(label: "乱堆乱放", points: ExactDecimal(-5), unit: "信义币"))
        #expect(outcome.warnings[0].detail(defaultSource: "default")
                == "broken on 乱堆乱放 (littering, -5.00 信义币) means the rule was kept: nothing is deducted")
        // What the engine makes of them: the broken deduction takes nothing, the met one 5 (of which H1, with no points
        // yet, pays nothing: a shortfall).
        let broken = try test.store.explainRecord(id: "d1"), met = try test.store.explainRecord(id: "d3")
        #expect(broken.deduction + broken.shortfall == 0)
        #expect(met.deduction + met.shortfall == 500)
    }

    @Test("I114: a service of 0 minutes that no penalty of the version in force applies to posts nothing; named, with the penalties")
    func zeroMinutesNoPenalty() throws {
        let test = try RecordStoreTests.store()
        // config/policy.toml has one penalty, no_show (-5) when the tags hold "no_show". z1 forgot the tag; z2 has it (the
        // penalty is the point); z3 wrote 缺席 where the policy reads no_show; z4 worked 60 minutes (not 0: nothing to say).
        let outcome = try RecordStoreTests.importCSV(test.store, """
            id,volunteer,category,date,minutes,verifier,tags
            z1,V1,orange,2026-10-03,0,社区,
            z2,V2,orange,2026-10-03,0,社区,no_show
            z3,V2,orange,2026-10-04,0,社区,缺席
            z4,V1,orange,2026-10-04,60,社区,
            z5,V1,orange,2026-10-05,0,,

            """)
        #expect(outcome.stored.count == 5 && outcome.rejected.isEmpty)
        // z5 has no verifier (require_verifier = true): it is scored as the settlement will once it is auto-accepted.
        try #require(Self.codes(outcome.warnings) == ["I114 z1", "I114 z3", "I114 z5"])
        #expect(outcome.warnings.map(\.row) == [2, 4, 6])
        let penalties = [#"no_show 无故缺席 when record.tags.contains("no_show")"#]
        #expect(outcome.warnings[0].kind == .zeroMinutesNoPenalty(policyLabel: "#1", penalties: penalties, tags: []))
        #expect(outcome.warnings[0].detail(defaultSource: "default")
                == "0 minutes, no tags: no penalty applies, so it posts nothing; the penalties of the policy in force on "
                    + #"2026-10-03 (#1): no_show 无故缺席 when record.tags.contains("no_show")"#)
        #expect(outcome.warnings[1].kind == .zeroMinutesNoPenalty(policyLabel: "#1", penalties: penalties, tags: ["缺席"]))
        #expect(outcome.warnings[1].detail(defaultSource: "default").hasPrefix("0 minutes, tags 缺席: no penalty applies"))
        // What the engine makes of them once posted: z1 nothing at all, z2 its 5 points (a shortfall: V2 has none yet).
        let z1 = try test.store.explainRecord(id: "z1"), z2 = try test.store.explainRecord(id: "z2")
        #expect(z1.award == 0 && z1.deduction + z1.shortfall == 0)
        #expect(z2.deduction + z2.shortfall == 500)
    }

    @Test("I114 follows the penalties' categories and conditions; a policy with none says so; a failing penalty is left to the scorer")
    func zeroMinutesNoPenaltyRules() throws {
        let test = try TestStore()
        try test.store.activatePolicy("""
            [policy]
            id = "village"
            version = 1
            effective = 2026-10-01

            [categories.care]
            points_per_hour = 10

            [categories.clean]
            points_per_hour = 10

            [penalties.absent]
            label = "缺席"
            points = -3
            categories = ["care"]
            when = 'record.tags.contains("缺席")'

            [penalties.late_report]
            points = -1
            when = 'record.rating - 1 < 1'

            """, actor: "admin")
        // a1: care, tagged 缺席 (absent applies). a2: clean, tagged 缺席 (absent is for care only; late_report needs a
        // rating, and arithmetic on an absent one fails: the scorer reports that, so no I114). a3: clean, rated 5: nothing applies.
        let outcome = try RecordStoreTests.importCSV(test.store, """
            id,volunteer,category,date,minutes,verifier,tags,rating
            a1,V1,care,2026-10-03,0,社区,缺席,
            a2,V1,clean,2026-10-03,0,社区,缺席,
            a3,V2,clean,2026-10-03,0,社区,,5

            """)
        #expect(outcome.stored.count == 3 && outcome.rejected.isEmpty)
        try #require(Self.codes(outcome.warnings) == ["I114 a3"])
        #expect(outcome.warnings[0].kind == .zeroMinutesNoPenalty(
            policyLabel: "#1", penalties: [#"absent 缺席 for categories care when record.tags.contains("缺席")"#,
                                           "late_report when record.rating - 1 < 1"], tags: []))

        // A version without penalties from 2026-11-01: a 0-minute service then posts nothing, whatever it holds.
        try test.store.activatePolicy("""
            [policy]
            id = "village"
            version = 2
            effective = 2026-11-01

            [categories.care]
            points_per_hour = 10

            """, actor: "admin")
        let later = try RecordStoreTests.importCSV(test.store, """
            id,volunteer,category,date,minutes,verifier,tags
            b1,V1,care,2026-11-02,0,社区,缺席

            """, name: "later.csv")
        try #require(Self.codes(later.warnings) == ["I114 b1"])
        #expect(later.warnings[0].detail(defaultSource: "default")
                == "0 minutes earn nothing, and the policy in force on 2026-11-02 (#2) has no penalties: the record posts nothing")
    }

    @Test("I114 judges a penalty that reads the volunteer's totals with what the store holds, not as for a newcomer")
    func zeroMinutesNoPenaltyReadsHistory() throws {
        let test = try TestStore()
        // Only a repeat absence is penalised: from the third record on.
        try test.store.activatePolicy("""
            [policy]
            id = "village"
            version = 1
            effective = 2026-10-01

            [categories.care]
            points_per_hour = 10

            [penalties.repeat_absent]
            points = -3
            when = 'record.tags.contains("缺席") && volunteer.records_total >= 2'

            """, actor: "admin")
        try RecordStoreTests.importCSV(test.store, """
            id,volunteer,category,date,minutes,verifier
            h1,V1,care,2026-10-03,60,社区
            h2,V1,care,2026-10-03,30,社区

            """)
        _ = try test.store.approveRecords([("h1", nil), ("h2", nil)], actor: "admin")
        try test.store.postApprovedRecords(on: LocalDate("2026-10-03")!, actor: "admin")
        // V1 has two records posted: the penalty applies to its absence, and nothing is said. V2 has none: it does not
        // apply, and I114 says so. Scored with no history, V1's absence was named too.
        let outcome = try RecordStoreTests.importCSV(test.store, """
            id,volunteer,category,date,minutes,verifier,tags
            h3,V1,care,2026-10-04,0,社区,缺席
            h4,V2,care,2026-10-04,0,社区,缺席

            """, name: "absences.csv")
        #expect(outcome.stored.count == 2 && outcome.rejected.isEmpty)
        #expect(Self.codes(outcome.warnings) == ["I114 h4"])
    }
}
