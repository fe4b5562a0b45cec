import Testing
@testable import TimeBankCore

/// P121: factors written as numbers that `combine_multipliers = "sum"` can take to 0 or below for one record
/// (1 plus the extra part of each: 0.5 and 0.4 give 1 − 0.5 − 0.6 = −0.1).
@Suite("Policy check: factors summed to 0 or below")
struct PolicySumOfFactorsTests {
    /// A policy with `combination` and one multiplier per `(factor, when, categories)`; categories orange and red at 10.
    static func policy(_ combination: String, _ multipliers: [Multiplier]) -> String {
        var text = PolicyFixtures.header + "[earning]\ncombine_multipliers = \"\(combination)\"\n\n"
            + "[categories.orange]\npoints_per_hour = 10\n\n[categories.red]\npoints_per_hour = 10\n\n"
        for (index, multiplier) in multipliers.enumerated() {
            text += "[multipliers.m\(index)]\nfactor = \(multiplier.0)\n"
            if let when = multiplier.1 { text += "when = '\(when)'\n" }
            if let categories = multiplier.2 { text += "categories = \(categories)\n" }
            text += "\n"
        }
        return text
    }

    static let trainee = "record.tags.contains(\"trainee\")"
    static let short = "record.minutes < 30"

    typealias Multiplier = (factor: String, when: String?, categories: String?)

    /// The multipliers, and whether P121 is reported.
    static let cases: [([Multiplier], Bool)] = [
        ([("0.5", trainee, nil), ("0.4", short, nil)], true),   // 1 − 0.5 − 0.6 = −0.1
        ([("0.5", trainee, nil), ("0.5", short, nil)], true),                                   // exactly 0: earns nothing too
        ([("0.5", trainee, nil), ("0.6", short, nil)], false),                                  // 0.1
        // A factor above 1 that always applies raises every sum: 1 + 0.5 − 0.5 − 0.6 = 0.4.
        ([("1.5", nil, "[\"orange\", \"red\"]"), ("0.5", trainee, nil), ("0.4", short, nil)], false),
        // A factor above 1 under a condition may not match: it does not help.
        ([("1.5", "record.weekday == \"sat\"", nil), ("0.5", trainee, nil), ("0.4", short, nil)], true),
        // Never both on one record: one is for orange, the other for red.
        ([("0.5", trainee, "[\"orange\"]"), ("0.4", short, "[\"red\"]")], false),
        // A factor written as an expression has no value at check time.
        ([("0.5", trainee, nil), ("'record.minutes > 30 ? 0.4 : 1'", short, nil)], false),
    ]

    @Test("warned where the factors below 1 can take 1 or more away together", arguments: cases)
    func warned(_ multipliers: [Multiplier], _ expected: Bool) {
        let result = PolicyFixtures.load(Self.policy("sum", multipliers))
        #expect(PolicyFixtures.ids(result).filter { $0 == "P121" }.count == (expected ? 1 : 0), "\(result.rendered())")
        #expect(!result.hasErrors, "a warning: the policy still loads")
    }

    @Test("only under \"sum\": product and max of the same factors are above 0", arguments: ["product", "max"])
    func otherCombinations(_ combination: String) {
        let result = PolicyFixtures.load(Self.policy(combination, [("0.5", Self.trainee, nil), ("0.4", Self.short, nil)]))
        #expect(result.diagnostics.isEmpty, "\(result.rendered())")
    }

    @Test("the warning is on the combine_multipliers value and names both categories once")
    func placeAndCategories() throws {
        let result = PolicyFixtures.load(Self.policy("sum", [("0.5", Self.trainee, nil), ("0.4", Self.short, nil)]))
        let diagnostic = try #require(result.diagnostics.first { $0.id == "P121" })
        #expect(diagnostic.severity == .warning)
        #expect(PolicyFixtures.spanText(result, diagnostic) == "\"sum\"")
        #expect(diagnostic.message.contains("a record of \"orange\", \"red\" that"))
        #expect(diagnostic.message.contains("1 − 0.5 − 0.6 = −0.1, taken as 0"))
        #expect(diagnostic.help == ["write combine_multipliers = \"product\" (0.5 × 0.4 = 0.2: an hour of \"orange\" then earns 2) or \"max\", "
                                    + "or raise the factors so that together they take away less than 1"])
    }
}
