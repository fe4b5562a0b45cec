import Testing
@testable import TimeBankCore

/// P122: a value of the policy that makes a whole category earn nothing, warned of in plain words on the value.
@Suite("Policy check: values with which a category earns nothing")
struct PolicyEarnsNothingTests {
    typealias F = PolicyFixtures

    /// A policy with 橙色关怀 (orange) at 12 an hour and 绿色环保 (green) with `green`'s lines.
    static func policy(green: String, more: String = "") -> String {
        F.header + F.orange + "[categories.green]\nlabel = \"绿色环保\"\n" + green + "\n" + more
    }

    @Test("points_per_hour written as 0 in any form is warned of, on the value", arguments: ["0", "0.0", "0.00", "0e3"])
    func rateZero(_ written: String) throws {
        let result = F.load(Self.policy(green: "points_per_hour = \(written)\n"))
        #expect(F.ids(result) == ["P122"], "\(result.rendered())")
        #expect(result.policy != nil, "a warning: the policy still loads")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.severity == .warning)
        #expect(F.spanText(result, diagnostic) == written)
        #expect(diagnostic.message == "every service of 绿色环保 (\"green\") will earn 0 积分: its \"points_per_hour\" is 0")
        // The example rate is the first category's that earns (orange's 12).
        #expect(diagnostic.help == ["if it is a slip, write the points one hour of 绿色环保 earns, such as points_per_hour = 12; "
                                    + "if 绿色环保 is meant to earn no points (its hours counted only), nothing needs changing"])
        #expect(diagnostic.notes.isEmpty)
    }

    @Test("a rate above 0, however small, is not warned of", arguments: ["0.01", "1", "10"])
    func rateAboveZero(_ written: String) {
        let result = F.load(Self.policy(green: "points_per_hour = \(written)\n"))
        #expect(result.diagnostics.isEmpty, "\(result.rendered())")
    }

    @Test("a bonus that can apply to the category still gives its records points: the message says hours, a note names it")
    func rateZeroWithBonus() throws {
        let more = "[earning]\ncombine_multipliers = \"max\"\n\n[multipliers.weekend]\nfactor = 1.2\nwhen = 'record.weekday == \"sat\"'\n\n"
            + "[bonuses.first_service]\npoints = 5\nonce = true\n\n[bonuses.orange_only]\npoints = 2\ncategories = [\"orange\"]\n"
        let result = F.load(Self.policy(green: "points_per_hour = 0\n", more: more))
        let diagnostic = try #require(result.diagnostics.first { $0.id == "P122" })
        #expect(diagnostic.message == "the hours of every service of 绿色环保 (\"green\") will earn 0 积分: its \"points_per_hour\" is 0")
        #expect(diagnostic.notes == ["a multiplier cannot change that: 0 times any factor is 0 (\"weekend\")",
                                     "only a bonus can give its records points: \"first_service\""])
    }

    @Test("a category without a label is named by its id; with no category that earns, the example rate is 10")
    func noLabel() throws {
        let result = F.load(F.header + "[categories.green]\npoints_per_hour = 0\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P122")
        #expect(diagnostic.message == "every service of \"green\" will earn 0 积分: its \"points_per_hour\" is 0")
        #expect(diagnostic.help.first?.contains("such as points_per_hour = 10;") == true)
    }
}
