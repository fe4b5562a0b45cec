import Testing
@testable import TimeBankCore

/// P118 and P119: what one record can earn or lose against the ledger's largest amount (10^13 points), checked
/// against what the scorer does with the same policy at the edge; P120: what one redemption can cost, checked against
/// what the redemption rules refuse.
@Suite("Policy ledger bounds")
struct PolicyLedgerBoundsTests {
    static func load(_ body: String) -> PolicyLoadResult { PolicyFixtures.load(PolicyFixtures.header + body) }

    @Test("a rate with which the shortest record that earns is beyond the ledger is an error; one at the edge is not",
          arguments: [("10000000000000", [String]()), ("10000000000000.01", ["P118"])])
    func rateEdge(_ rate: String, _ expected: [String]) {
        // 60 minutes at least and at most: a record earns exactly the rate.
        let result = Self.load("[earning]\nmin_minutes = 60\nmax_minutes_per_record = 60\n\n[categories.orange]\npoints_per_hour = \(rate)\n")
        #expect(PolicyFixtures.ids(result) == expected, "\(result.rendered())")
    }

    @Test("the warning's edge is the scorer's: the longest record at the bound posts, one minute more is too large")
    func warningAgreesWithTheScorer() throws {
        // 10^13 an hour: 60 minutes earn exactly the ledger's largest amount, 61 minutes are beyond it.
        let text = PolicyFixtures.header + "[earning]\nmin_minutes = 60\nmax_minutes_per_record = 61\n\n[categories.orange]\npoints_per_hour = 1e13\n"
        let result = PolicyFixtures.load(text)
        #expect(PolicyFixtures.ids(result) == ["P119"], "\(result.rendered())")
        let policy = try #require(result.policy)
        let run = try ScoringFixtures.scorer(policy).score([
            ScoringFixtures.service("r60", "V1", "orange", "2026-10-05", minutes: 60),
            ScoringFixtures.service("r61", "V2", "orange", "2026-10-05", minutes: 61),
        ])
        #expect(try ScoringFixtures.score(run, "r60").status == .scored)
        #expect(try ScoringFixtures.score(run, "r60").award == Hundredths.maximumMagnitude)
        #expect(try ScoringFixtures.score(run, "r61").status == .tooLarge)
        // One hundredth less an hour and the longest record fits: nothing to report.
        let fitting = PolicyFixtures.load(text.replacingOccurrences(of: "1e13", with: "9836065573770.49"))
        #expect(fitting.diagnostics.isEmpty, "\(fitting.rendered())")
    }

    @Test("a factor that makes every record it applies to too large is an error at the factor, not at the rate")
    func factorError() throws {
        let text = """
            [earning]
            min_minutes = MINUTES
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12

            [multipliers.weekend]
            factor = 1e13
            when = 'record.weekday in ["sat", "sun"]'
            """
        // 30 minutes at 12 an hour, × 10^13: 6 × 10^13 points, beyond the ledger for every weekend record.
        let result = Self.load(text.replacingOccurrences(of: "MINUTES", with: "30"))
        #expect(PolicyFixtures.ids(result) == ["P118"], "\(result.rendered())")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(PolicyFixtures.spanText(result, diagnostic) == "1e13")
        #expect(diagnostic.message.contains("would earn at least 60,000,000,000,000 points"), "\(diagnostic.message)")
        // From 1 minute on, a record of 1 minute earns 2 × 10^12 and is posted: only long records are beyond it.
        let short = Self.load(text.replacingOccurrences(of: "MINUTES", with: "0"))
        #expect(PolicyFixtures.ids(short) == ["P119"], "\(short.rendered())")
    }

    @Test("the smallest combined factor counts: a factor below 1 that can always apply keeps the short record postable")
    func smallestFactor() {
        // Two hours' worth (1.2 × 10^13 for 60 minutes) is beyond the ledger, but a record rated low gets 0.5 ("product").
        let result = Self.load("""
            [earning]
            min_minutes = 60
            max_minutes_per_record = 60
            combine_multipliers = "product"

            [categories.orange]
            points_per_hour = 1.2e13

            [multipliers.low_rating]
            factor = 0.5
            when = 'has(record.rating) && record.rating <= 2'
            """)
        #expect(PolicyFixtures.ids(result) == ["P119"], "\(result.rendered())")
    }

    @Test("bonuses and penalties that can all match one record are added up")
    func sums() {
        let bonuses = Self.load(PolicyFixtures.orange + "[bonuses.a]\npoints = 6e12\n\n[bonuses.b]\npoints = 4e12\ncategories = [\"orange\"]\n")
        #expect(PolicyFixtures.ids(bonuses) == ["P119"], "\(bonuses.rendered())")
        let penalties = Self.load(PolicyFixtures.orange + """
            [penalties.a]
            points = -6e12
            when = 'record.tags.contains("no_show")'

            [penalties.b]
            points = -5e12
            when = 'record.tags.contains("late")'
            """)
        #expect(PolicyFixtures.ids(penalties) == ["P119"], "\(penalties.rendered())")
        let byCategory = Self.load(PolicyFixtures.orange + """
            [penalties.a]
            points = -6e12
            when = 'record.tags.contains("no_show")'
            categories = ["orange"]

            [penalties.b]
            points = -5e12
            when = 'record.tags.contains("late")'
            categories = ["orange"]
            """)
        #expect(PolicyFixtures.ids(byCategory) == ["P119"])
    }

    @Test("a factor written as an expression has no bound: nothing is said of the records it always applies to")
    func computedFactor() {
        let result = Self.load("""
            [earning]
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12

            [multipliers.satisfaction]
            factor = 'has(record.rating) ? record.rating * 1e12 : 1'
            categories = ["orange"]
            """)
        #expect(result.diagnostics.isEmpty, "\(result.rendered())")
    }

    @Test("an amount of points or money beyond the ledger's largest is P103 with the largest accepted value",
          arguments: ["[catalog.rice]\nkind = \"goods\"\nprice = 1e17\n", "[caps]\ndaily = 10000000000000.01\n",
                      "[penalties.p]\npoints = -1e15\nwhen = 'record.tags.contains(\"x\")'\n"])
    func amountTooLarge(_ body: String) throws {
        let result = Self.load(PolicyFixtures.orange + body)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P103", "\(result.rendered())")
        #expect(diagnostic.message.contains("too large"), "\(diagnostic.message)")
        #expect(!diagnostic.message.contains("digits after the point"))
        #expect(diagnostic.help.first?.contains("10000000000000 (ten trillion)") == true)
    }

    @Test("a price that 1,000 units (the most one redemption carries) take beyond the ledger is a warning, at the redemption rules' edge",
          arguments: [("10000000000", [String]()), ("10000000000.01", ["P120"])])
    func priceEdge(_ price: String, _ expected: [String]) throws {
        let result = Self.load(PolicyFixtures.orange + "[catalog.lantern]\nkind = \"goods\"\nprice = \(price)\n")
        #expect(PolicyFixtures.ids(result) == expected, "\(result.rendered())")
        // It is a warning: the policy loads, and the counter refuses what the warning says.
        let item = try #require(result.policy?.catalogItem("lantern"))
        let most = RedemptionRules.quantityMaximum
        if expected.isEmpty {
            #expect(try RedemptionRules.price(of: item, quantity: most).total == Hundredths.maximumMagnitude)
        } else {
            #expect(throws: RedemptionError.self) { try RedemptionRules.price(of: item, quantity: most) }
            #expect(try RedemptionRules.price(of: item, quantity: most - 1).total <= Hundredths.maximumMagnitude)
            let diagnostic = try #require(result.diagnostics.first)
            #expect(diagnostic.severity == .warning)
            #expect(diagnostic.message.contains("1,000 of \"lantern\" (the most one redemption may carry) would cost 10,000,000,000,010 points"),
                    "\(diagnostic.message)")
            #expect(diagnostic.help.first == "lower the price: at most 10000000000 lets a redemption of 1,000 fit within the ledger")
            #expect(diagnostic.notes == ["a redemption of more than 999 is refused at the counter (R010: it costs too many points)"])
            #expect(PolicyFixtures.spanText(result, diagnostic) == price)
        }
    }

    @Test("the most one redemption can carry is the smaller of 1,000, the item's limit and a service's capacity_per_day",
          arguments: [("limit = { count = 2, per = \"month\" }", "5e12", [String]()), ("limit = { count = 3, per = \"month\" }", "5e12", ["P120"]),
                      ("capacity_per_day = 4", "2.5e12", []), ("capacity_per_day = 4", "2.6e12", ["P120"])])
    func smallerQuantities(_ line: String, _ price: String, _ expected: [String]) {
        let kind = line.hasPrefix("capacity") ? "service" : "goods"
        let result = Self.load(PolicyFixtures.orange + "[catalog.visit]\nkind = \"\(kind)\"\nprice = \(price)\n\(line)\n")
        #expect(PolicyFixtures.ids(result) == expected, "\(result.rendered())")
    }

    @Test("a service's unit_cost that its capacity_per_day takes beyond the ledger is a warning, at the redemption rules' edge; goods pay theirs when received",
          arguments: [("service", "2500000000000", [String]()), ("service", "2500000000000.01", ["P120"]), ("goods", "2500000000000.01", [])])
    func unitCostEdge(_ kind: String, _ unitCost: String, _ expected: [String]) throws {
        let capacity = kind == "service" ? "capacity_per_day = 4\n" : ""
        let result = Self.load(PolicyFixtures.orange + "[catalog.visit]\nkind = \"\(kind)\"\nprice = 10\nunit_cost = \(unitCost)\n\(capacity)")
        #expect(PolicyFixtures.ids(result) == expected, "\(result.rendered())")
        let item = try #require(result.policy?.catalogItem("visit"))
        guard kind == "service" else {
            #expect(try RedemptionRules.serviceCost(of: item, quantity: 1_000) == 0)
            return
        }
        if expected.isEmpty {
            #expect(try RedemptionRules.serviceCost(of: item, quantity: 4) == Hundredths.maximumMagnitude)
        } else {
            // 4 × 2,500,000,000,000.01 CNY: refused (R010) at the counter, as the warning says; 3 fit.
            #expect(throws: RedemptionError.self) { try RedemptionRules.price(of: item, quantity: 4) }
            #expect(try RedemptionRules.price(of: item, quantity: 3).total == 3_000)
            let diagnostic = try #require(result.diagnostics.first)
            #expect(diagnostic.message == "\"unit_cost\" = 2500000000000.01 is too large for large redemptions: 4 of \"visit\" (its capacity_per_day "
                + "at one station) would cost 10,000,000,000,000.04 CNY, more than 10,000,000,000,000, the largest amount the ledger holds")
            #expect(diagnostic.help.first == "lower the unit_cost: at most 2500000000000 lets a redemption of 4 fit within the ledger")
            #expect(diagnostic.notes == ["a redemption of more than 3 is refused at the counter (R010: it costs the fund too much)"])
            #expect(PolicyFixtures.spanText(result, diagnostic) == unitCost)
        }
    }

    @Test("the shipped policies are within the ledger", arguments: PolicyFixtures.configFiles)
    func shippedPolicies(_ path: String) throws {
        _ = try PolicyFixtures.configPolicy(path)
    }
}
