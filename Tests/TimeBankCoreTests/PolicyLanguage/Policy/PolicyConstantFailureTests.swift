import Testing
@testable import TimeBankCore

/// An expression that reads no field has one value for every record; where evaluating it always fails
/// (a division by a computed zero, an overflow), scoring would skip the rule for every record
/// ("not applied: error[P248]"), so `policy check` says so (P113) instead of passing the file.
@Suite("Policy constant expressions that always fail")
struct PolicyConstantFailureTests {
    typealias F = PolicyFixtures

    static let start = F.header + "[earning]\ncombine_multipliers = \"max\"\n\n" + F.orange

    @Test("a factor, points or condition that always fails is P113, pointing at the failing part", arguments: [
        ("[multipliers.m]\nlabel = \"m\"\nwhen = 'true'\nfactor = '1 / (2 - 2)'\n", "1 / (2 - 2)", "division by zero"),
        ("[multipliers.m]\nlabel = \"m\"\nwhen = 'true'\nfactor = '9223372036854775807 + 1'\n", "9223372036854775807 + 1", "overflowed"),
        ("[bonuses.b]\nlabel = \"b\"\npoints = '10 / (3 - 3)'\nwhen = 'record.minutes >= 60'\n", "10 / (3 - 3)", "division by zero"),
        ("[bonuses.b]\nlabel = \"b\"\npoints = 1\nwhen = '1 / (2 - 2) > 0'\n", "1 / (2 - 2)", "division by zero"),
    ])
    func alwaysFails(_ rule: String, span: String, words: String) throws {
        let result = F.load(Self.start + rule)
        #expect(F.ids(result) == ["P113"], "\(result.rendered())")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.severity == .error)
        #expect(F.spanText(result, diagnostic) == span)
        #expect(diagnostic.message.contains(words), "\(diagnostic.message)")
        #expect(result.policy == nil)
    }

    @Test("one that reads a field may fail only for some records, and is not reported")
    func readsAField() {
        let result = F.load(Self.start + "[multipliers.m]\nlabel = \"m\"\nwhen = 'record.minutes != 90'\nfactor = '90 / (record.minutes - 90) + 1'\n")
        #expect(F.ids(result).isEmpty, "\(result.rendered())")
    }
}
