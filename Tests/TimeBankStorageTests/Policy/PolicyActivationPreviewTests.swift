import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// `previewActivation`: what `activatePolicy` would do, found without writing, agrees with what it then does.
@Suite("Policy activation preview")
struct PolicyActivationPreviewTests {
    static func policy(_ text: String) throws -> Policy {
        let result = PolicyLoader.load(text: text, path: "v")
        return try #require(result.policy, "\(result.rendered())")
    }

    /// The code `activatePolicy` throws for `text` without an override, or nil when it stores it.
    static func activationCode(_ store: TimeBankStore, _ text: String) -> String? {
        do {
            try store.activatePolicy(text, actor: "admin")
            return nil
        } catch let error as PolicyStoreError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    @Test("the version in force on the new effective date, what changes, and A012 as activate would say it; nothing is written")
    func droppedCategory() throws {
        let test = try PolicyImpactTests.store()
        let text = PolicyImpactTests.policy(version: 2, effective: "2026-11-01", purple: false, weekend: false)
            .replacingOccurrences(of: "points_per_hour = 12", with: "points_per_hour = 15")
            + "\n[categories.teal]\nlabel = \"青色\"\npoints_per_hour = 8\n"
        let preview = try test.store.previewActivation(text, policy: try Self.policy(text))
        #expect(try test.store.policyVersions().count == 1)
        #expect(preview.replaced?.record.number == 1)
        #expect(preview.alreadyActive == nil)
        #expect(preview.refusal == nil)
        let comparison = try #require(preview.comparison)
        #expect(comparison.added.map { "\($0.kind.rawValue) \($0.id) \($0.value)" } == ["category teal 8"])
        #expect(comparison.removed.map { "\($0.kind.rawValue) \($0.id) \($0.value)" } == ["category purple 10", "multiplier weekend 1.5"])
        #expect(comparison.changed.map { "\($0.kind.rawValue) \($0.id) \($0.old) → \($0.new)" } == ["category orange 12 → 15"])
        #expect(preview.impact.dropped.map(\.kind) == [.category, .multiplier])
        // The same message activate gives.
        let dropped = try #require(preview.droppedInUse)
        #expect(dropped.code == "A012")
        #expect(Self.activationCode(test.store, text) == "A012")
        do {
            try test.store.activatePolicy(text, actor: "admin")
        } catch let error as PolicyStoreError {
            #expect(error.message == dropped.message)
        }
    }

    @Test("each refusal activate gives is the preview's, and a version activate stores has none",
          arguments: [
            // (effective, version, id, purple): A002 before the latest, A004 a version label taken, A005 another policy.
            ("2026-09-01", 2, "impact", true, "A002"), ("2026-11-01", 1, "impact", true, "A004"), ("2026-11-01", 2, "other", true, "A005"),
            ("2026-11-01", 2, "impact", false, "A012"), ("2026-11-10", 2, "impact", false, nil),
          ] as [(String, Int, String, Bool, String?)])
    func refusals(_ effective: String, _ version: Int, _ id: String, _ purple: Bool, _ expected: String?) throws {
        let test = try PolicyImpactTests.store()
        let text = PolicyImpactTests.policy(version: version, effective: effective, purple: purple)
            .replacingOccurrences(of: "id = \"impact\"", with: "id = \"\(id)\"")
        let preview = try test.store.previewActivation(text, policy: try Self.policy(text))
        #expect((preview.refusal ?? preview.droppedInUse)?.code == expected)
        #expect(try test.store.policyVersions().count == 1)
        #expect(Self.activationCode(test.store, text) == expected)
    }

    @Test("the text of a stored version: active already, or superseded (A011); nothing to compare")
    func storedText() throws {
        let test = try PolicyImpactTests.store()
        let first = PolicyImpactTests.policy(version: 1, effective: "2026-10-01")
        let same = try test.store.previewActivation(first, policy: try Self.policy(first))
        #expect(same.alreadyActive?.number == 1)
        #expect(same.comparison == nil && same.refusal == nil && same.impact.dropped.isEmpty)
        try test.store.activatePolicy(PolicyImpactTests.policy(version: 2, effective: "2026-11-10"), actor: "admin")
        let superseded = try test.store.previewActivation(first, policy: try Self.policy(first))
        #expect(superseded.alreadyActive == nil)
        #expect(superseded.refusal?.code == "A011")
        #expect(superseded.comparison == nil)
    }

    @Test("with no version stored there is nothing to compare and nothing to refuse")
    func firstVersion() throws {
        let test = try TestStore()
        let text = PolicyImpactTests.policy(version: 1, effective: "2026-10-01")
        let preview = try test.store.previewActivation(text, policy: try Self.policy(text))
        #expect(preview.replaced == nil && preview.comparison == nil && preview.refusal == nil && preview.firstEffective == nil)
        #expect(preview.impact.dropped.isEmpty)
    }
}
