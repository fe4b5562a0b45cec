import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// A record verified by the person it credits (本人核实) is refused, E029: on import (service, assessment of a volunteer,
/// assessment of a household verified by a member) and on `record approve --verifier` (docs/records.md, `verifier`).
@Suite("Records verified by their own volunteer")
struct SelfVerificationTests {
    /// config/policy.toml with a monthly indicator; households H1 (志愿者V1, 志愿者V2) and H2 (王秀英 V3, 阿卜杜·艾力 V4).
    static func store() throws -> TestStore {
        let test = try RecordWithdrawalTests.store()
        try test.store.addHousehold(Household(id: "H2", name: "王家", address: "泰山路2号"))
        for (id, name) in [("V3", "王秀英"), ("V4", "阿卜杜·艾力")] {
            try test.store.addVolunteer(Volunteer(id: id, name: name, household: "H2", birthDate: nil, teams: ["orange"], tags: [],
                                                  joined: date("2024-01-01")))
        }
        return test
    }

    @Test("import: a service or assessment verified by its own volunteer, or a household's by a member, is E029; others are stored")
    func importRefusesSelfVerified() throws {
        let test = try Self.store()
        let outcome = try RecordWithdrawalTests.importCSV(test.store, """
            id,volunteer,household,category,indicator,date,start,end,period,verifier
            s1,V3,,orange,,2026-10-03,09:00,11:00,,王秀英
            s2,V3,,orange,,2026-10-04,09:00,11:00,,王 秀英
            s3,V4,,orange,,2026-10-03,09:00,11:00,,阿卜杜•艾力
            s4,V3,,orange,,2026-10-05,09:00,11:00,,王秀英的队长
            s5,V3,,orange,,2026-10-06,09:00,11:00,,阿卜杜·艾力
            a1,V3,,,garbage_sorting,,,,2026-10,王秀英
            a2,,H2,,garbage_sorting,,,,2026-10,阿卜杜.艾力
            a3,,H1,,garbage_sorting,,,,2026-10,王秀英

            """)
        // Rows 2, 3, 4 (the name with a space, with another middle dot), 7 (an assessment) and 8 (a member of H2).
        #expect(outcome.rejected.map(\.row) == [2, 3, 4, 7, 8])
        #expect(outcome.rejected.allSatisfy { $0.errors.map(\.id) == ["E029"] && $0.errors[0].column == "verifier" })
        // The verifier who only contains the name, another volunteer of the same household for a service, and a
        // household's assessment verified by someone of another household are stored.
        #expect(outcome.stored.map(\.record.id) == ["s4", "s5", "a3"])
        let first = try #require(outcome.rejected.first?.errors.first)
        #expect(first.reason == "row 2, column \"verifier\": record s1 names its own volunteer 王秀英 (V3) as its verifier: "
            + "a record is verified by somebody other than the one it credits")
        #expect(first.help == "write the name of who checked it, or leave verifier empty: the record then waits for an approver's "
            + "`timebank record approve s1 --verifier NAME`, or is accepted by the night once the policy's auto_accept_after_days "
            + "have passed, when it has them. Another 王秀英 who checked it is written with more than the name, such as 王秀英(网格员)")
        let household = try #require(outcome.rejected.last?.errors.first)
        #expect(household.message == "record a2 names 阿卜杜·艾力 (V4), a member of household H2 it assesses, as its verifier: "
            + "a record is verified by somebody other than the one it credits")
    }

    @Test("record approve --verifier with the record's own volunteer, or a member of the household assessed, is E029; nothing written")
    func approveRefusesSelfVerifier() throws {
        let test = try Self.store()
        try RecordWithdrawalTests.importCSV(test.store, """
            id,volunteer,household,category,indicator,date,minutes,period,verifier
            p1,V3,,orange,,2026-10-03,60,,
            p2,,H2,,garbage_sorting,,,2026-10,
            p3,V3,,orange,,2026-10-04,60,,社区

            """)
        let own = #expect(throws: RecordStoreError.self) {
            try test.store.approveRecords([("p1", nil)], actor: "admin", verifier: "王 秀英")
        }
        #expect(own?.code == "E029" && own?.category == .refused)
        #expect(own?.message.hasPrefix("record default:p1 cannot be approved with --verifier 王 秀英: that is its own volunteer 王秀英 (V3); "
            + "a record is verified by somebody other than the one it credits. Give --verifier the name of who checked it") == true)
        let member = #expect(throws: RecordStoreError.self) {
            try test.store.approveRecords([("p2", nil)], actor: "admin", verifier: "王秀英")
        }
        #expect(member?.code == "E029" && member?.message.contains("王秀英 (V3), a member of household H2 it assesses") == true)
        // A namesake is told how to be written (the check has the name only).
        #expect(own?.message.hasSuffix("Another 王秀英 who checked it is written with more than the name, such as 王秀英(网格员)") == true)
        // Nothing written: both still pending, with no approval verifier.
        for id in ["p1", "p2"] {
            let stored = try test.store.storedRecord(id: id)
            #expect(stored.status == .pending && stored.approvalVerifier == nil)
        }
        // Somebody else verifies them; a record with its own verifier keeps it, and a --verifier not kept is not checked.
        #expect(try test.store.approveRecords([("p1", nil), ("p2", nil)], actor: "admin", verifier: "张主任").count == 2)
        let kept = try test.store.approveRecords([("p3", nil)], actor: "admin", verifier: "王秀英")
        #expect(kept.first?.recordForScoring.verifier == "社区" && kept.first?.approvalVerifier == nil)
    }
}

/// The comparison itself: whole names, as `PersonName` compares them, full-width forms as their ASCII.
@Suite("SelfVerification names")
struct SelfVerificationNameTests {
    static let li = Volunteer(id: "V2", name: "Li Na", household: "H1", birthDate: nil, teams: [], tags: [], joined: date("2024-01-01"))

    @Test("the same name however spaced, dotted or typed in full width; a name inside another is somebody else", arguments: [
        ("Li Na", true), ("LiNa", true), ("Ｌｉ　Ｎａ", true), ("Li Na的组长", false), ("Li", false), ("Na Li", false),
    ])
    func sameName(verifier: String, same: Bool) {
        #expect((SelfVerification.find(verifier: verifier, volunteer: Self.li) != nil) == same)
    }
}
