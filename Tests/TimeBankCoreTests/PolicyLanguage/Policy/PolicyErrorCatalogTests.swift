import Foundation
import Testing
@testable import TimeBankCore

/// The wrong and right examples of `docs/policy-errors.md` (section "Policy checks"), read from the
/// document itself: each wrong example reports its id, each right one loads with no diagnostic.
@Suite("Policy error catalog")
struct PolicyErrorCatalogTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let id: String
        let wrong: String
        let right: String
        var testDescription: String { id }
    }

    /// The `### P1xx` entries of the policy section, with their first toml block after "Wrong" and after "Right".
    static let examples: [Example] = {
        guard let bytes = try? PolicyFixtures.repositoryFile("docs/policy-errors.md") else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let start = text.range(of: "## Policy checks (P100–P199)"),
              let end = text.range(of: "## Expressions (P200–P249)") else { return [] }
        let section = text[start.upperBound..<end.lowerBound]
        var examples: [Example] = []
        for entry in section.components(separatedBy: "\n### ").dropFirst() {
            let id = String(entry.prefix(4))
            func block(after marker: String) -> String? {
                guard let markerRange = entry.range(of: "\n" + marker + ":\n"),
                      let open = entry.range(of: "```toml\n", range: markerRange.upperBound..<entry.endIndex),
                      let close = entry.range(of: "```", range: open.upperBound..<entry.endIndex) else { return nil }
                let body = String(entry[open.upperBound..<close.lowerBound])
                return body.contains("[policy]") ? body : PolicyFixtures.header + body
            }
            if let wrong = block(after: "Wrong"), let right = block(after: "Right") {
                examples.append(Example(id: id, wrong: wrong, right: right))
            }
        }
        return examples
    }()

    @Test("every policy id P100–P124 has a wrong and a right example")
    func everyIDIsDocumented() {
        let documented = Set(Self.examples.map(\.id))
        for id in PolicyDiagnosticID.allCases.map(\.rawValue) {
            #expect(documented.contains(id), "docs/policy-errors.md has no wrong and right example for \(id)")
        }
    }

    @Test("the wrong example reports the id; the right one loads cleanly", arguments: examples)
    func example(_ example: Example) {
        let wrong = PolicyFixtures.load(example.wrong)
        #expect(PolicyFixtures.ids(wrong).contains(example.id), "\(example.id) wrong example:\n\(wrong.rendered())")
        let right = PolicyFixtures.load(example.right)
        #expect(right.diagnostics.isEmpty, "\(example.id) right example:\n\(right.rendered())")
        #expect(right.policy != nil)
    }

    @Test("each id's severity is as documented: P108, P114, P115, P117, P119, P120, P121, P122, P123 and P124 are warnings")
    func severities() {
        let warnings = PolicyDiagnosticID.allCases.filter { $0.severity == .warning }.map(\.rawValue)
        #expect(warnings == ["P108", "P114", "P115", "P117", "P119", "P120", "P121", "P122", "P123", "P124"])
    }
}

@Suite("P124: a step that leaves whole points out")
struct PolicyStepTests {
    @Test("0.3, 0.15 and 2.5 warn with the awards around 1; steps that divide a point or are whole do not", arguments: [
        ("0.3", "the nearest awards are 0.9 and 1.2"), ("0.15", "the nearest awards are 0.9 and 1.05"), ("2.5", "the nearest awards are 0 and 2.5"),
        ("0.01", nil), ("0.05", nil), ("0.1", nil), ("0.2", nil), ("0.25", nil), ("0.5", nil), ("1", nil), ("2", nil), ("10", nil),
    ] as [(String, String?)])
    func steps(step: String, nearest: String?) {
        let loaded = PolicyFixtures.load(PolicyFixtures.header + "[earning]\nstep = \(step)\n\n[categories.orange]\npoints_per_hour = 12\n")
        let warning = loaded.diagnostics.first { $0.id == "P124" }
        #expect(loaded.policy != nil, "a warning: the policy loads")
        if let nearest {
            #expect(warning?.severity == .warning)
            #expect(warning?.message.hasPrefix("step = \(step) makes every award a multiple of \(step) ") == true, "\(warning?.message ?? "none")")
            #expect(warning?.message.hasSuffix(nearest) == true, "\(warning?.message ?? "none")")
            #expect(warning?.range.start.line == PolicyFixtures.header.split(separator: "\n", omittingEmptySubsequences: false).count + 1)
        } else {
            #expect(warning == nil, "\(warning?.message ?? "")")
        }
    }
}
