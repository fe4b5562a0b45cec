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

    // MARK: P123, caps of 0

    @Test("a category's daily_cap or monthly_cap of 0 is warned of on the value", arguments: ["daily_cap", "monthly_cap"])
    func categoryCapZero(_ key: String) throws {
        let result = F.load(Self.policy(green: "points_per_hour = 10\n\(key) = 0\n"))
        #expect(F.ids(result) == ["P123"], "\(result.rendered())")
        #expect(result.policy != nil)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.severity == .warning)
        #expect(F.spanText(result, diagnostic) == "0")
        let period = key == "daily_cap" ? "day" : "month"
        #expect(diagnostic.message == "every service of 绿色环保 (\"green\") will earn 0 积分: its \"\(key)\" is 0, so it cuts everything "
                + "an account earns in 绿色环保 in a \(period), bonuses included")
        #expect(diagnostic.help == ["if it is a slip, write the most one account may earn in 绿色环保 in a \(period), such as "
                + "\(key) = \(key == "daily_cap" ? 60 : 600), or remove the line for no cap; if 绿色环保 is meant to earn no points "
                + "(its hours counted only), nothing needs changing"])
    }

    @Test("both category caps of 0: one warning on the daily cap, a note names the monthly cap's line; no P115")
    func bothCategoryCaps() throws {
        let result = F.load(Self.policy(green: "points_per_hour = 10\ndaily_cap = 0\nmonthly_cap = 0\n"))
        #expect(F.ids(result) == ["P123"], "\(result.rendered())")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.range.start.line == 13)
        #expect(diagnostic.notes == ["its \"monthly_cap\" on line 14 is 0 too"])
    }

    @Test("a monthly_cap of 0 below a daily_cap is P123, not P115")
    func categoryMonthlyZeroBelowDaily() {
        let result = F.load(Self.policy(green: "points_per_hour = 10\ndaily_cap = 30\nmonthly_cap = 0\n"))
        #expect(F.ids(result) == ["P123"], "\(result.rendered())")
    }

    @Test("a category whose rate is 0 is P122 only: its caps do not add a warning")
    func rateZeroAndCapZero() {
        let result = F.load(Self.policy(green: "points_per_hour = 0\ndaily_cap = 0\n"))
        #expect(F.ids(result) == ["P122"], "\(result.rendered())")
    }

    @Test("caps above 0, however small, are not warned of")
    func capsAboveZero() {
        let result = F.load(Self.policy(green: "points_per_hour = 10\ndaily_cap = 0.01\n", more: "[caps]\ndaily = 0.01\nmonthly = 1\n"))
        #expect(result.diagnostics.isEmpty, "\(result.rendered())")
    }

    @Test("a [caps] cap of 0 is warned of once, on the shortest period's, with the others' lines; no P115, no P114 for the items",
          arguments: ["daily", "weekly", "monthly", "yearly"])
    func capsZero(_ key: String) throws {
        let catalog = "[catalog.rice]\nkind = \"goods\"\nprice = 50\n"
        let text = F.header + F.orange + "[caps]\n\(key) = 0\n" + (key == "yearly" ? "" : "yearly = 0\n") + "\n" + catalog
        let single = F.load(text)
        #expect(F.ids(single) == ["P123"], "\(single.rendered())")
        let diagnostic = try #require(single.diagnostics.first)
        #expect(diagnostic.range.start.line == 11)
        let period = ["daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"][key]!
        #expect(diagnostic.message == "no service will earn any 积分: the \(key) cap is 0, so it cuts everything an account earns in a "
                + "\(period), bonuses included")
        let others = key == "yearly" ? [] : ["the yearly cap on line 12 is 0 too"]
        #expect(diagnostic.notes == others + ["caps limit earning only: penalties and deductions are still taken, and grants still paid"])
    }

    @Test("the message names what the policy can earn by: services, assessments or both")
    func capsZeroSubjects() throws {
        let indicator = "[indicators.clean]\npoints = 5\n\n"
        let both = F.load(F.header + F.orange + indicator + "[caps]\nmonthly = 0\n")
        #expect(both.diagnostics.first?.message.hasPrefix("no service and no assessment will earn any 积分") == true, "\(both.rendered())")
        let assessments = F.load(F.header + indicator + "[caps]\nmonthly = 0\n")
        #expect(assessments.diagnostics.first?.message.hasPrefix("no assessment will earn any 积分") == true, "\(assessments.rendered())")
    }

    @Test("a cap of 0 below a shorter cap is P123, not P115; with a grant P114 still says what the grants alone allow")
    func capsZeroBelowDailyWithGrant() {
        let result = F.load(F.header + F.orange + "[caps]\ndaily = 50\nmonthly = 0\n\n[grants.base]\npoints = 10\n\n"
                            + "[catalog.tv]\nkind = \"goods\"\nprice = 500\n")
        #expect(F.ids(result) == ["P123", "P114"], "\(result.rendered())")
    }

    // MARK: P111, min_minutes above max_minutes_per_record (an error already)

    @Test("min_minutes above max_minutes_per_record: the error says no service could earn, on min_minutes, with the other's line")
    func minutesExcludeEachOther() throws {
        let written = F.load(F.header + F.orange + "[earning]\nmin_minutes = 600\nmax_minutes_per_record = 480\n")
        let diagnostic = try #require(written.diagnostics.first)
        #expect(F.ids(written) == ["P111"], "\(written.rendered())")
        #expect(F.spanText(written, diagnostic) == "600")
        #expect(diagnostic.message == "\"min_minutes\" (600) is more than \"max_minutes_per_record\" (480), so no service could ever earn points")
        #expect(diagnostic.notes == ["\"max_minutes_per_record\" is set on line 12"])
        let byDefault = F.load(F.header + F.orange + "[earning]\nmin_minutes = 721\n")
        #expect(byDefault.diagnostics.first?.notes == ["\"max_minutes_per_record\" is not written, so it is the default, 720"],
                "\(byDefault.rendered())")
    }
}
