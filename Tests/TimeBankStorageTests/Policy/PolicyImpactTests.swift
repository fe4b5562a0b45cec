import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// A new version that drops a category, indicator or rule that records not posted yet still use: counted, refused
/// (A012) when records would be lost unless forced, and what the settlement then does with them.
@Suite("Policy version impact on records not posted yet")
struct PolicyImpactTests {
    /// A policy with `orange` and, when `purple`, `purple`; a weekend multiplier when `weekend`.
    static func policy(version: Int, effective: String, purple: Bool = true, weekend: Bool = true) -> String {
        var text = """
            [policy]
            id = "impact"
            version = \(version)
            effective = \(effective)

            [earning]
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12

            """
        if purple { text += "[categories.purple]\npoints_per_hour = 10\n\n" }
        if weekend { text += "[multipliers.weekend]\nfactor = 1.5\nwhen = 'record.weekday in [\"sat\", \"sun\"]'\n" }
        return text
    }

    static func store() throws -> TestStore {
        let test = try TestStore()
        try test.store.activatePolicy(policy(version: 1, effective: "2026-10-01"), actor: "admin")
        // 2026-11-07 is a Saturday; p0 is dated before the new version and stays with version 1.
        let rows = ["p0,V1,purple,2026-10-20,09:00,10:00,社区", "p1,V1,purple,2026-11-07,09:00,10:00,社区",
                    "p2,V2,purple,2026-11-09,09:00,10:00,", "o1,V1,orange,2026-11-07,11:00,12:00,社区"]
        let text = (["id,volunteer,category,date,start,end,verifier"] + rows).joined(separator: "\n") + "\n"
        let outcome = try test.store.importRecords(Array(text.utf8), fileName: "day.csv", actor: "importer", today: nil)
        #expect(outcome.rejected.isEmpty, "\(outcome.rejected)")
        _ = try test.store.approveRecords([("p1", nil)], actor: "admin")
        return test
    }

    @Test("dropping a category that records not posted yet use is refused (A012) with the counts; --force activates it")
    func droppedCategory() throws {
        let test = try Self.store()
        let next = Self.policy(version: 2, effective: "2026-11-01", purple: false)
        do {
            try test.store.activatePolicy(next, actor: "admin")
            Issue.record("expected A012")
        } catch let error as PolicyStoreError {
            #expect(error.code == "A012")
            #expect(error.category == .refused)
            #expect(error.message.contains("category \"purple\": 1 pending and 1 approved records dated 2026-11-07 to 2026-11-09"), "\(error.message)")
            #expect(error.message.contains("let it take effect after 2026-11-09"), "\(error.message)")
        }
        #expect(try test.store.policyVersions().count == 1)
        // Taking effect after the records' dates loses nothing: allowed.
        let later = try test.store.impactOfActivating(try #require(PolicyLoader.load(
            text: Self.policy(version: 2, effective: "2026-11-10", purple: false), path: "v2").policy))
        #expect(later.dropped.isEmpty)
        try test.store.activatePolicy(next, actor: "admin", overrideReason: "purple merged into orange")
        #expect(try test.store.policyVersions().count == 2)
    }

    @Test("the impact counts categories and the rules that act on the records, only in the new version's time in force")
    func counts() throws {
        let test = try Self.store()
        let policy = try #require(PolicyLoader.load(text: Self.policy(version: 2, effective: "2026-11-01", purple: false, weekend: false),
                                                    path: "v2").policy)
        let impact = try test.store.impactOfActivating(policy)
        #expect(impact.losesRecords)
        #expect(impact.dropped.map(\.kind) == [.category, .multiplier])
        let category = try #require(impact.dropped.first)
        #expect((category.id, category.pending, category.approved) == ("purple", 1, 1))
        // The weekend multiplier acts on the two Saturday records, the pending one scored as if approved.
        let weekend = try #require(impact.dropped.last)
        #expect((weekend.id, weekend.pending, weekend.approved) == ("weekend", 1, 1))
        #expect((weekend.firstDate, weekend.lastDate) == (date("2026-11-07"), date("2026-11-07")))
        #expect(weekend.description == "multiplier \"weekend\": 1 pending and 1 approved records dated 2026-11-07; they would be scored without it")
        // One record is "it", as `policy check --against-active` prints it to the admin.
        var one = weekend
        one.approved = 0
        #expect(one.description == "multiplier \"weekend\": 1 pending record dated 2026-11-07; it would be scored without it")
        // Only rules dropped: activated without an override.
        let rulesOnly = Self.policy(version: 2, effective: "2026-11-01", weekend: false)
        #expect(try test.store.impactOfActivating(try #require(PolicyLoader.load(text: rulesOnly, path: "v2").policy)).losesRecords == false)
        try test.store.activatePolicy(rulesOnly, actor: "admin")
    }

    @Test("a later stored version bounds the records the new one would score")
    func laterVersionBounds() throws {
        let test = try Self.store()
        try test.store.activatePolicy(Self.policy(version: 2, effective: "2026-11-08"), actor: "admin")
        // Effective 2026-11-01 (forced: before the latest), it scores 2026-11-01 to 2026-11-07 only: p1, not p2.
        let policy = try #require(PolicyLoader.load(text: Self.policy(version: 3, effective: "2026-11-01", purple: false), path: "v3").policy)
        let impact = try test.store.impactOfActivating(policy, rules: false)
        #expect(impact.until == date("2026-11-08"))
        #expect(impact.dropped.map { "\($0.id):\($0.pending):\($0.approved)" } == ["purple:0:1"])
    }

    @Test("without the check the settlement rejects the dropped category's pending records for good and posts approved ones with nothing")
    func whatTheWarningIsAbout() throws {
        let test = try Self.store()
        try test.store.activatePolicy(Self.policy(version: 2, effective: "2026-11-01", purple: false), actor: "admin", overrideReason: "test")
        _ = try test.store.settle(SettlementRequest(date: date("2026-11-09"), actor: "nightly", allowOutOfOrder: false, chunkSize: 100))
        #expect(try test.store.storedRecord(id: "p2").status == .rejected)
        #expect(try test.store.storedRecord(id: "p1").posted?.award == 0)
        #expect(try test.store.storedRecord(id: "p0").posted?.award == 1_000)
    }

    @Test("once the version in force drops a category, approving a pending record of it is refused (E027), all or none")
    func approvingWhatCannotBeScored() throws {
        let test = try Self.store()
        try test.store.activatePolicy(Self.policy(version: 2, effective: "2026-11-01", purple: false), actor: "admin", overrideReason: "test")
        // p2 (purple, 2026-11-09) would be posted with no points; o1 (orange) is fine, but the command is all or none.
        do {
            _ = try test.store.approveRecords([("o1", nil), ("p2", nil)], actor: "admin", verifier: "社区")
            Issue.record("expected E027")
        } catch let error as RecordStoreError {
            #expect(error.code == "E027")
            #expect(error.category == .refused)
            #expect(error.message == "record default:p2 cannot be approved: category \"purple\" is not in policy version 2 in force on "
                + "2026-11-09, so approved it would be posted with no points (the nightly settlement rejects such a pending record "
                + "instead). Reject it (timebank record reject p2 --reason TEXT) and import it again under a category or indicator of "
                + "version 2, or activate a version that has it for that day")
        }
        #expect(try test.store.storedRecord(id: "p2").status == .pending)
        #expect(try test.store.storedRecord(id: "o1").status == .pending)
        // A purple record of a day version 1 is in force on is still scored by it, and approved.
        _ = try test.store.approveRecords([("p0", nil)], actor: "admin")
        #expect(try test.store.storedRecord(id: "p0").status == .approved)
    }

    @Test("explain's preview says why the version in force cannot score a record not posted yet (settlementRejection)")
    func settlementRejectionOfAPreview() throws {
        let test = try Self.store()
        try test.store.activatePolicy(Self.policy(version: 2, effective: "2026-11-01", purple: false), actor: "admin", overrideReason: "test")
        let reason = "category \"purple\" is not in policy version 2 in force on 2026-11-09"
        #expect(try test.store.settlementRejection(of: test.store.storedRecord(id: "p2").record) == reason)
        #expect(try test.store.settlementRejection(of: test.store.storedRecord(id: "p1").record)?.hasPrefix("category \"purple\"") == true)
        #expect(try test.store.settlementRejection(of: test.store.storedRecord(id: "o1").record) == nil)
        #expect(try test.store.settlementRejection(of: test.store.storedRecord(id: "p0").record) == nil, "version 1 scores it")
    }
}
