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
        ("[multipliers.m]\nlabel = \"m\"\nwhen = 'true'\nfactor = '9223372036854775807 + 1'\n", "9223372036854775807 + 1", "overflowed"),
        ("[bonuses.b]\nlabel = \"b\"\npoints = 1\nwhen = '9223372036854775807 * 2 > 0'\n", "9223372036854775807 * 2", "overflowed"),
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

    /// A divisor that reads no field is the same for every record: a zero one is P227 where it is written, whether
    /// the expression around it reads a field (`record.minutes / (60 - 60)`, which P113 cannot see) or not.
    @Test("a divisor computed to zero from no field is P227 at the divisor", arguments: [
        ("[multipliers.m]\nlabel = \"m\"\nwhen = 'true'\nfactor = '1 / (2 - 2)'\n", "(2 - 2)"),
        ("[multipliers.m]\nlabel = \"m\"\nwhen = 'true'\nfactor = 'record.minutes / (60 - 60)'\n", "(60 - 60)"),
        ("[bonuses.b]\nlabel = \"b\"\npoints = '10 / (3 - 3)'\nwhen = 'record.minutes >= 60'\n", "(3 - 3)"),
        ("[bonuses.b]\nlabel = \"b\"\npoints = 1\nwhen = 'record.minutes / (1.5 * 0) > 0'\n", "(1.5 * 0)"),
    ])
    func computedZeroDivisor(_ rule: String, span: String) throws {
        let result = F.load(Self.start + rule)
        #expect(F.ids(result) == ["P227"], "\(result.rendered())")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(F.spanText(result, diagnostic) == span)
        #expect(diagnostic.message == "division by zero: this divisor reads no field and is 0 for every record", "\(diagnostic.message)")
        #expect(result.policy == nil)
    }

    @Test("one that reads a field may fail only for some records, and is not reported")
    func readsAField() {
        let result = F.load(Self.start + "[multipliers.m]\nlabel = \"m\"\nwhen = 'record.minutes != 90'\nfactor = '90 / (record.minutes - 90) + 1'\n")
        #expect(F.ids(result).isEmpty, "\(result.rendered())")
    }
}
