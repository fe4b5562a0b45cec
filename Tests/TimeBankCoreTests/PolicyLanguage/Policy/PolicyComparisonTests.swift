import Testing
@testable import TimeBankCore

/// `PolicyComparison`: what a new version adds, removes and changes among categories, indicators and rules, by id.
@Suite("Policy comparison")
struct PolicyComparisonTests {
    static func policy(_ body: String) throws -> Policy {
        let result = PolicyFixtures.load(PolicyFixtures.header + body)
        return try #require(result.policy, "\(result.rendered())")
    }

    @Test("added, removed and changed by id, in kind order and file order; labels alone are no change")
    func changes() throws {
        let old = try Self.policy("""
            [earning]
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12

            [categories.purple]
            points_per_hour = 10

            [indicators.tidy]
            points = 5

            [multipliers.weekend]
            factor = 1.2
            when = 'record.weekday in ["sat", "sun"]'

            [penalties.no_show]
            points = -5
            when = 'record.tags.contains("no_show")'
            """)
        let new = try Self.policy("""
            [earning]
            combine_multipliers = "max"

            [categories.teal]
            points_per_hour = 8

            [categories.orange]
            label = "橙色关怀"
            points_per_hour = 15

            [indicators.tidy]
            points = 5

            [multipliers.weekend]
            factor = 'has(record.rating) ? record.rating / 4 : 1.2'
            when = 'record.weekday == "sun"'

            [bonuses.first]
            points = 5
            once = true

            [penalties.no_show]
            points = -5
            when = 'record.tags.contains("absent")'
            """)
        let comparison = PolicyComparison(from: old, to: new)
        #expect(comparison.added.map { "\($0.kind.rawValue) \($0.id) \($0.value)" } == ["category teal 8", "bonus first 5"])
        #expect(comparison.removed.map { "\($0.kind.rawValue) \($0.id) \($0.value)" } == ["category purple 10"])
        #expect(comparison.changed.map { "\($0.kind.rawValue) \($0.id) \($0.old) → \($0.new)" }
                == ["category orange 12 → 15", "multiplier weekend 1.2 → 'has(record.rating) ? record.rating / 4 : 1.2'"])
        #expect(comparison.changed.first?.label == "橙色关怀")
        // Which records a rule applies to is a change an admin must be told of, old → new as written.
        #expect(comparison.settings.map { "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none")" } == [
            "[multipliers.weekend] when: 'record.weekday in [\"sat\", \"sun\"]' → 'record.weekday == \"sun\"'",
            "[penalties.no_show] when: 'record.tags.contains(\"no_show\")' → 'record.tags.contains(\"absent\")'",
        ])
        #expect(PolicyComparison(from: new, to: new).isEmpty)
    }

    @Test("a rule's when, categories and once and a catalog item's eligible, old → new; white space between tokens is no change")
    func conditions() throws {
        let old = try Self.policy("""
            [earning]
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12

            [categories.green]
            points_per_hour = 10

            [multipliers.weekend]
            factor = 1.5
            when = 'record.weekday in ["sat","sun"]'

            [multipliers.night]
            factor = 1.2
            categories = ["orange"]

            [bonuses.first]
            points = 5
            once = true

            [penalties.no_show]
            points = -5
            when = 'record.tags.contains("no_show")'

            [catalog.rice]
            kind = "goods"
            price = 60
            eligible = 'volunteer.age >= 60'
            """)
        let new = try Self.policy("""
            [earning]
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12

            [categories.green]
            points_per_hour = 10

            [multipliers.weekend]
            factor = 1.5
            when = '''
              record.weekday   in [ "sat",
                                   "sun" ]'''

            [multipliers.night]
            factor = 1.2
            categories = ["orange", "green"]
            when = 'record.is_holiday'

            [bonuses.first]
            points = 5

            [penalties.no_show]
            points = -5
            when = 'record.tags.contains("no  show")'

            [catalog.rice]
            kind = "goods"
            price = 60
            """)
        let comparison = PolicyComparison(from: old, to: new)
        // The weekend rule only re-spaced (over lines): not changed. A space inside a string is a change.
        #expect(comparison.settings.map { "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none")" } == [
            "[multipliers.night] when: none → 'record.is_holiday'",
            "[multipliers.night] categories: [\"orange\"] → [\"orange\", \"green\"]",
            "[bonuses.first] once: true → false",
            "[penalties.no_show] when: 'record.tags.contains(\"no_show\")' → 'record.tags.contains(\"no  show\")'",
            "[catalog.rice] eligible: 'volunteer.age >= 60' → none",
        ])
        #expect(comparison.added.isEmpty && comparison.removed.isEmpty && comparison.changed.isEmpty)
        // A condition over lines is shown on one line, its white space between tokens one space.
        let respaced = try #require(new.multipliers.first?.condition.when)
        #expect(respaced.spacedText == "record.weekday in [ \"sat\", \"sun\" ]")
        #expect(PolicyComparison(from: new, to: new).isEmpty)
    }

    @Test("an added or removed rule carries the records it applies to (when, categories, once); a catalog item who may redeem it")
    func addedAndRemovedConditions() throws {
        let old = try Self.policy("""
            [earning]
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12

            [categories.green]
            points_per_hour = 10

            [multipliers.weekend]
            factor = 1.5
            when = 'record.weekday in ["sat","sun"]'

            [bonuses.welcome]
            points = 3
            categories = ["orange"]
            once = true

            [catalog.rice]
            kind = "goods"
            price = 60
            """)
        let new = try Self.policy("""
            [earning]
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12

            [categories.green]
            points_per_hour = 10

            [multipliers.night]
            factor = 1.2
            categories = ["orange", "green"]
            when = '''
              has(record.start_hour) &&
                record.start_hour >= 22'''

            [bonuses.first]
            points = 5

            [penalties.no_show]
            points = -5
            when = 'record.tags.contains("no_show")'

            [catalog.oil]
            kind = "goods"
            price = 50
            eligible = 'volunteer.age >= 60'
            """)
        let comparison = PolicyComparison(from: old, to: new)
        func described(_ item: PolicyComparison.Item) -> String {
            "\(item.kind.rawValue) \(item.id): when \(item.when ?? "none"), categories \(item.categories?.joined(separator: "+") ?? "any"), "
                + "once \(item.once.map { "\($0)" } ?? "-"), eligible \(item.eligible ?? "none")"
        }
        // A condition over lines is shown on one line, as written; a rule without when or categories applies to every record.
        #expect(comparison.added.map(described) == [
            "multiplier night: when has(record.start_hour) && record.start_hour >= 22, categories orange+green, once -, eligible none",
            "bonus first: when none, categories any, once false, eligible none",
            "penalty no_show: when record.tags.contains(\"no_show\"), categories any, once -, eligible none",
            "catalog_item oil: when none, categories any, once -, eligible volunteer.age >= 60",
        ])
        #expect(comparison.removed.map(described) == [
            "multiplier weekend: when record.weekday in [\"sat\",\"sun\"], categories any, once -, eligible none",
            "bonus welcome: when none, categories orange, once true, eligible none",
            "catalog_item rice: when none, categories any, once -, eligible none",
        ])
    }

    @Test("a catalog item's kind, unit_cost, limit, capacity_per_day and low_stock, and the holidays from the effective date on, old → new")
    func catalogKeysAndHolidays() throws {
        let old = try Self.policy("""
            [categories.orange]
            points_per_hour = 12

            [catalog.rice]
            kind = "goods"
            price = 60
            unit_cost = 30
            limit = { count = 1, per = "month" }

            [catalog.meal]
            kind = "service"
            price = 20
            capacity_per_day = 10

            [catalog.soap]
            kind = "goods"
            price = 10

            [calendar]
            holidays = [2026-09-15, 2026-10-01, 2026-10-02, 2026-10-03]
            """)
        let new = try Self.policy("""
            [categories.orange]
            points_per_hour = 12

            [catalog.rice]
            kind = "goods"
            price = 60
            unit_cost = 32.5
            limit = { count = 2, per = "week" }

            [catalog.meal]
            kind = "service"
            price = 20

            [catalog.soap]
            kind = "service"
            price = 10
            capacity_per_day = 4

            [calendar]
            holidays = [2026-12-25, 2026-10-03, 2026-10-01]
            """)
        let comparison = PolicyComparison(from: old, to: new)
        #expect(comparison.settings.map { "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none") \($0.unit)" } == [
            "[catalog.rice] unit_cost: 30 → 32.5 CNY",
            "[catalog.rice] limit: { count = 1, per = \"month\" } → { count = 2, per = \"week\" } ",
            "[catalog.meal] capacity_per_day: 10 → none redemptions",
            "[catalog.soap] kind: goods → service ",
            "[catalog.soap] capacity_per_day: none → 4 redemptions",
            // Goods left out of low_stock are low at 5 or fewer; a service has no stock.
            "[catalog.soap] low_stock: 5 → none units",
        ])
        // 2026-09-15 is before the new version's effective date (2026-10-01): no record it scores falls on it. The order of the
        // list is no change.
        #expect(comparison.holidaysAdded.map(\.description) == ["2026-12-25"])
        #expect(comparison.holidaysRemoved.map(\.description) == ["2026-10-02"])
        #expect(!comparison.isEmpty)
        var holidaysOnly = new
        holidaysOnly.catalog = old.catalog
        #expect(PolicyComparison(from: old, to: holidaysOnly).settings.isEmpty && !PolicyComparison(from: old, to: holidaysOnly).isEmpty)
        var lowStock = old
        lowStock.catalog[2].lowStock = 5
        #expect(PolicyComparison(from: old, to: lowStock).isEmpty, "low_stock = 5 written is the default left out")
        lowStock.catalog[2].lowStock = 0
        #expect(PolicyComparison(from: old, to: lowStock).settings.map { "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none")" }
                == ["[catalog.soap] low_stock: 5 → 0"])
        #expect(PolicyComparison(from: new, to: new).isEmpty)
    }

    @Test("a rule's categories in another order is no change: the rule applies to the same records")
    func categoriesInAnotherOrder() throws {
        func version(_ categories: String) throws -> Policy {
            try Self.policy("""
                [earning]
                combine_multipliers = "max"

                [categories.orange]
                points_per_hour = 12

                [categories.green]
                points_per_hour = 10

                [multipliers.night]
                factor = 1.2
                categories = \(categories)
                """)
        }
        #expect(PolicyComparison(from: try version(#"["orange", "green"]"#), to: try version(#"["green", "orange"]"#)).isEmpty)
        #expect(PolicyComparison(from: try version(#"["orange", "green"]"#), to: try version(#"["green"]"#)).settings.map {
            "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none")"
        } == [#"[multipliers.night] categories: ["orange", "green"] → ["green"]"#])
    }

    /// `x in [...]` asks whether x is one of the list: a list of literals in another order, or with one written twice, is
    /// the same condition; a list with another item, or one that is not all literals, is compared as written.
    @Test func listInAnotherOrderIsNoChange() throws {
        func version(_ when: String) throws -> Policy {
            try Self.policy("""
                [earning]
                combine_multipliers = "max"

                [categories.orange]
                points_per_hour = 12

                [multipliers.weekend]
                factor = 1.2
                when = '\(when)'
                """)
        }
        func changes(_ old: String, _ new: String) throws -> [String] {
            PolicyComparison(from: try version(old), to: try version(new)).settings.map { "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none")" }
        }
        #expect(try changes(#"record.weekday in ["sat", "sun"]"#, #"record.weekday in ["sun","sat"]"#).isEmpty)
        #expect(try changes(#"record.weekday in ["sat", "sun"]"#, #"record.weekday in ["sun", "sat", "sun",]"#).isEmpty)
        #expect(try changes(#"record.minutes in [30, 60] && record.weekday in ["sat", "sun"]"#,
                            #"record.minutes in [60, 30] && record.weekday in ["sun", "sat"]"#).isEmpty)
        #expect(try changes(#"record.weekday in ["sat", "sun"]"#, #"record.weekday in ["sun"]"#)
                == [#"[multipliers.weekend] when: 'record.weekday in ["sat", "sun"]' → 'record.weekday in ["sun"]'"#])
        // The same items on the other side of `in` are another condition.
        #expect(try changes(#"record.weekday in ["sat", "sun"]"#, #""sat" in [record.weekday, "sun"]"#).count == 1)
    }

    @Test("catalog prices by id, and the settings of [earning], caps, [accounts], [transfers], [expiry] and [fund], old → new")
    func settingsAndCatalog() throws {
        let old = try Self.policy("""
            [earning]
            min_minutes = 30
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12
            daily_cap = 30

            [caps]
            monthly = 600

            [expiry]
            after_months = 12

            [catalog.rice]
            kind = "goods"
            price = 60

            [catalog.oil]
            kind = "goods"
            price = 50

            [fund]
            point_value = 0.5
            """)
        let new = try Self.policy("""
            [earning]
            min_minutes = 15
            combine_multipliers = "max"

            [categories.orange]
            points_per_hour = 12

            [caps]
            weekly = 200
            monthly = 800

            [expiry]
            end_of_year = true
            warn_days = 14

            [catalog.rice]
            kind = "goods"
            price = 70

            [catalog.soap]
            kind = "goods"
            price = 10

            [fund]
            point_value = 0.5
            """)
        let comparison = PolicyComparison(from: old, to: new)
        #expect(comparison.added.map { "\($0.kind.rawValue) \($0.id) \($0.value)" } == ["catalog_item soap 10"])
        #expect(comparison.removed.map { "\($0.kind.rawValue) \($0.id) \($0.value)" } == ["catalog_item oil 50"])
        #expect(comparison.changed.map { "\($0.kind.rawValue) \($0.id) \($0.old) → \($0.new)" } == ["catalog_item rice 60 → 70"])
        #expect(comparison.settings.map { "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none") \($0.unit)" } == [
            "[earning] min_minutes: 30 → 15 minutes",
            "[categories.orange] daily_cap: 30 → none points",
            "[caps] weekly: none → 200 points",
            "[caps] monthly: 600 → 800 points",
            "[expiry] after_months: 12 → none months",
            "[expiry] end_of_year: none → true ",
            "[expiry] warn_days: 30 → 14 days",
        ])
        // Only settings differ: the comparison is not empty, and says so.
        var settingsOnly = new
        settingsOnly.catalog = old.catalog
        #expect(!PolicyComparison(from: old, to: settingsOnly).isEmpty)
        #expect(PolicyComparison(from: old, to: settingsOnly).changed.isEmpty)
        #expect(PolicyComparison(from: new, to: new).isEmpty)
    }

    @Test("grants by id with their every and to, [ranking] old → new, and the ranking period a new period kind leaves unranked")
    func grantsAndRanking() throws {
        let old = try Self.policy("""
            [categories.orange]
            points_per_hour = 12

            [grants.base]
            points = 5
            every = "year"

            [grants.old]
            points = 1

            [ranking]
            period = "month"
            """)
        let body = """
            [categories.orange]
            points_per_hour = 12

            [grants.base]
            points = 8
            every = "month"
            to = "household"

            [grants.new]
            points = 2

            [ranking]
            period = "quarter"
            top = 5
            by = "hours"
            """
        let new = try Self.policy(body).with(effective: "2026-12-01")
        let comparison = PolicyComparison(from: old, to: new)
        #expect(comparison.added.map { "\($0.kind.rawValue) \($0.id) \($0.value)" } == ["grant new 2"])
        #expect(comparison.removed.map { "\($0.kind.rawValue) \($0.id) \($0.value)" } == ["grant old 1"])
        #expect(comparison.changed.map { "\($0.kind.rawValue) \($0.id) \($0.old) → \($0.new)" } == ["grant base 5 → 8"])
        #expect(comparison.settings.map { "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none")" } == [
            "[grants.base] every: year → month", "[grants.base] to: volunteer → household",
            "[ranking] period: month → quarter", "[ranking] top: 10 → 5", "[ranking] by: points → hours",
        ])
        // A period is ranked by the version in force on its last day: from 2026-12-01 the month that ends the day before is
        // ranked by the old version, nothing is lost; mid-month, the month of the change ends under the new one and is lost.
        #expect(comparison.rankingNotWritten == nil)
        #expect(PolicyComparison(from: old, to: new.with(effective: "2026-11-15")).rankingNotWritten?.label == "2026-11")
        #expect(PolicyComparison(from: new, to: old.with(effective: "2027-01-01")).rankingNotWritten == nil)
        #expect(PolicyComparison(from: new, to: old.with(effective: "2026-11-15")).rankingNotWritten?.label == "2026-Q4")
        // The same period kind, or no ranking in one of them: nothing left unranked.
        #expect(PolicyComparison(from: old, to: old.with(effective: "2026-11-15")).rankingNotWritten == nil)
        var none = new
        none.ranking = nil
        #expect(PolicyComparison(from: old, to: none).rankingNotWritten == nil)
        #expect(PolicyComparison(from: old, to: none).settings.contains { $0.setting == "[ranking] period" && $0.new == nil })
    }

    @Test("star levels: a threshold raised, a level added and one dropped, by id")
    func levels() throws {
        let old = try Self.policy("""
            [categories.orange]
            points_per_hour = 12

            [levels.star1]
            min_hours = 20

            [levels.star2]
            min_hours = 50

            [levels.star9]
            min_hours = 500
            """)
        let new = try Self.policy("""
            [categories.orange]
            points_per_hour = 12

            [levels.star1]
            label = "一星"
            min_hours = 30

            [levels.star2]
            min_hours = 50

            [levels.star3]
            min_hours = 100
            """)
        #expect(PolicyComparison(from: old, to: new).settings.map { "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none") \($0.unit)" } == [
            "[levels.star1] min_hours: 20 → 30 hours", "[levels.star3] min_hours: none → 100 hours",
            "[levels.star9] min_hours: 500 → none hours",
        ])
    }

    @Test("[policy] timezone and unit, old → new: the zone decides which day is yesterday, the unit is what volunteers read")
    func timezoneAndUnit() throws {
        let old = try #require(PolicyFixtures.load("""
            [policy]
            id = "example"
            version = 1
            effective = 2026-05-01

            [categories.orange]
            points_per_hour = 12
            """).policy)
        let new = try #require(PolicyFixtures.load("""
            [policy]
            id = "example"
            name = "新名称"
            version = 2
            effective = 2026-07-01
            timezone = "+06:00"
            unit = "时间币"

            [categories.orange]
            points_per_hour = 12
            """).policy)
        // The id, version and effective date are what a version is; the name is a label, not compared.
        #expect(PolicyComparison(from: old, to: new).settings.map { "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none")" } == [
            "[policy] timezone: Asia/Shanghai → +06:00", "[policy] unit: 积分 → 时间币",
        ])
        #expect(!PolicyComparison(from: old, to: new).isEmpty)
    }

    @Test("an indicator's per and dimension, old → new: a period changed mid-period is shown before activating")
    func indicatorPeriodAndDimension() throws {
        func version(_ number: Int, per: String, dimension: String, extra: String = "") throws -> Policy {
            try #require(PolicyFixtures.load("""
                [policy]
                id = "example"
                version = \(number)
                effective = 2026-0\(number + 4)-01

                [categories.orange]
                points_per_hour = 12

                [indicators.elder_care]
                dimension = "\(dimension)"
                points = 3
                per = "\(per)"
                \(extra)
                """).policy)
        }
        let old = try version(1, per: "month", dimension: "孝老爱亲")
        let new = try version(2, per: "quarter", dimension: "家庭美德",
                              extra: "\n[indicators.tidy_yard]\ndimension = \"环境卫生\"\npoints = 2\nper = \"month\"")
        // One added is listed with its points, not as settings.
        #expect(PolicyComparison(from: old, to: new).settings.map { "\($0.setting): \($0.old ?? "none") → \($0.new ?? "none")" } == [
            "[indicators.elder_care] per: month → quarter", "[indicators.elder_care] dimension: 孝老爱亲 → 家庭美德",
        ])
        #expect(PolicyComparison(from: old, to: try version(2, per: "month", dimension: "孝老爱亲")).isEmpty)
    }
}

private extension Policy {
    /// The policy as if it took effect on `date`.
    func with(effective date: String) -> Policy {
        var copy = self
        copy.effective = LocalDate(date)!
        return copy
    }
}
