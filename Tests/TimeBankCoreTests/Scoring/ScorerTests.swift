import Foundation
import Testing
@testable import TimeBankCore

private typealias F = ScoringFixtures

/// The scorer against `config/policy.toml` and small policies, with amounts a reader can check by hand.
@Suite("Scorer")
struct ScorerTests {
    // MARK: The default policy

    @Test("90 minutes of orange care on a Saturday in Golden Week, first service: 26.5")
    func workedExampleOne() throws {
        let policy = try F.configPolicy("config/policy.toml")
        let run = try F.scorer(policy).score([F.service("e1", "V1", "orange", "2026-10-03", "09:00", "10:30")])
        let score = try F.score(run, "e1")
        #expect(score.status == .scored)
        #expect(score.earned == F.points("26.5"))
        #expect(score.award == F.points("26.5"))
        #expect(run.rulesApplied(score) == ["multipliers.weekend", "bonuses.first_service", "earning.rounding"])
        let lines = run.explanation(of: score)
        #expect(lines.map(\.running) == ["", "18", "21.6", "26.6", "26.5", "26.5"])
        #expect(lines.map(\.effect) == ["", "+18", "×1.2", "+5", "-0.1", ""])
    }

    @Test("weekend and level II emergency together: max 36, product 43, sum 41",
          arguments: [("max", "36"), ("product", "43"), ("sum", "41")])
    func workedExampleTwo(mode: String, expected: String) throws {
        let text = try String(decoding: #require(ScoringFixtures.repositoryFile("config/policy.toml")), as: UTF8.self)
            .replacingFirst("combine_multipliers = \"max\"", with: "combine_multipliers = \"\(mode)\"")
        let policy = try F.policy(text)
        var history = InMemoryScoringHistory()
        history.bonusesReceived.insert(.init(bonus: "first_service", holder: .volunteer("V1")))
        let run = try F.scorer(policy).score([F.service("e2", "V1", "blue", "2026-10-11", "09:00", "11:00", level: .two)],
                                             history: history)
        #expect(try F.score(run, "e2").award == F.points(expected))
    }

    @Test("50 minutes at 12 an hour is exactly 10, also when rounding down")
    func minutesAreNotRoundedBeforeTheStep() throws {
        let policy = try F.policy(body: """
            [earning]
            rounding = "floor"
            step = 0.5
            require_verifier = false

            [categories.orange]
            points_per_hour = 12
            """)
        let run = try F.scorer(policy).score([F.service("r", "V1", "orange", "2026-10-12", minutes: 50)])
        #expect(try F.score(run, "r").award == 1000)
    }

    @Test("below min_minutes earns nothing, above the maximum is cut, no verifier stays pending")
    func eligibility() throws {
        let policy = try F.configPolicy("config/policy.toml")
        let run = try F.scorer(policy).score([
            F.service("short", "V1", "red", "2026-10-12", "09:00", "09:20"),
            F.service("long", "V2", "red", "2026-10-12", minutes: 600),
            F.service("unverified", "V3", "red", "2026-10-12", "09:00", "10:00", verifier: nil),
        ])
        let short = try F.score(run, "short")
        #expect(short.earned == 0 && short.minutesCounted == 0)
        #expect(run.explanation(of: short).contains { $0.rule == "earning.min_minutes" && $0.text.contains("20 minutes") })
        let long = try F.score(run, "long")
        #expect(long.minutesCounted == 480)
        // 8 hours × 10 = 80 + 5 first service = 85, cut to the daily cap of 60.
        #expect(long.earned == 8500 && long.award == 6000 && long.capped == 2500)
        #expect(run.explanation(of: long).contains { $0.rule == "earning.max_minutes_per_record" })
        let unverified = try F.score(run, "unverified")
        #expect(unverified.status == .pending && unverified.award == 0)
        #expect(run.explanation(of: unverified).last?.rule == "earning.require_verifier")
    }

    // MARK: Rounding

    @Test("every rounding mode at and around .5 with a step of 1",
          arguments: [
            ("floor", ["2", "7", "1", "0", "2", "2"]),
            ("ceil", ["3", "8", "2", "1", "3", "3"]),
            ("half_up", ["3", "8", "2", "1", "2", "3"]),
            ("half_even", ["2", "8", "2", "0", "2", "3"]),
          ])
    func roundingModesAtHalves(mode: String, expected: [String]) throws {
        let policy = try F.policy(body: """
            [earning]
            rounding = "\(mode)"
            step = 1
            require_verifier = false

            [categories.walk]
            points_per_hour = 5
            """)
        // 30 min = 2.5, 90 = 7.5, 18 = 1.5, 6 = 0.5, 29 = 2.41666..., 31 = 2.58333...
        let minutes = [30, 90, 18, 6, 29, 31]
        let records = minutes.enumerated().map { F.service("r\($0.offset)", "V\($0.offset)", "walk", "2026-10-12", minutes: $0.element) }
        let run = try F.scorer(policy).score(records)
        let awards = try minutes.indices.map { Hundredths.trimmed(try F.score(run, "r\($0)").award) }
        #expect(awards == expected)
    }

    @Test("every rounding mode at quarter points with a step of 0.5",
          arguments: [("floor", ["0", "0.5"]), ("ceil", ["0.5", "1"]), ("half_up", ["0.5", "1"]), ("half_even", ["0", "1"])])
    func roundingModesAtQuarters(mode: String, expected: [String]) throws {
        let policy = try F.policy(body: """
            [earning]
            rounding = "\(mode)"
            step = 0.5
            require_verifier = false

            [categories.walk]
            points_per_hour = 3
            """)
        // 5 min = 0.25 (half a step), 15 min = 0.75 (one and a half steps).
        let run = try F.scorer(policy).score([F.service("a", "V1", "walk", "2026-10-12", minutes: 5),
                                              F.service("b", "V2", "walk", "2026-10-12", minutes: 15)])
        #expect([Hundredths.trimmed(try F.score(run, "a").award), Hundredths.trimmed(try F.score(run, "b").award)] == expected)
    }

    // MARK: Multipliers

    @Test("multiplier combination: none 10, one 12, two by max 15, product 18, sum 17",
          arguments: [("max", "15"), ("product", "18"), ("sum", "17")])
    func combinationModes(mode: String, both: String) throws {
        let policy = try F.policy(body: """
            [earning]
            require_verifier = false
            combine_multipliers = "\(mode)"

            [categories.care]
            points_per_hour = 10

            [multipliers.weekend]
            factor = 1.2
            when = 'record.weekday in ["sat", "sun"]'

            [multipliers.emergency]
            factor = 1.5
            when = 'record.response_level == "II"'
            """)
        let run = try F.scorer(policy).score([
            F.service("none", "V1", "care", "2026-10-12", minutes: 60),
            F.service("one", "V2", "care", "2026-10-17", minutes: 60),
            F.service("both", "V3", "care", "2026-10-17", minutes: 60, level: .two),
        ])
        #expect(try F.score(run, "none").award == 1000)
        #expect(try F.score(run, "one").award == 1200)
        let score = try F.score(run, "both")
        #expect(score.award == F.points(both))
        #expect(run.rulesApplied(score) == ["multipliers.weekend", "multipliers.emergency", "earning.combine_multipliers"])
    }

    @Test("\"sum\" of factors below 1 that comes out below 0 earns nothing, never less; the bonus still counts")
    func sumBelowZeroEarnsNothing() throws {
        let policy = try F.policy(body: """
            [earning]
            require_verifier = false
            combine_multipliers = "sum"

            [categories.care]
            points_per_hour = 10

            [multipliers.poor]
            factor = 0.5
            when = 'record.rating <= 2'

            [multipliers.very_poor]
            factor = 0.4
            when = 'record.rating <= 2'

            [multipliers.worst]
            factor = 0.5
            when = 'record.rating <= 1'

            [bonuses.first]
            points = 2
            once = true
            when = 'record.kind == "service"'
            """)
        // Rating 2: 1 − 0.5 − 0.6 = −0.1, so 0: the hour earns nothing (it was −1 before), the bonus gives 2.
        // Rating 1: 1 − 0.5 − 0.6 − 0.5 = −0.6, so 0. Rating 3: no factor, 10 (+ 2, V3's first record).
        let run = try F.scorer(policy).score([
            F.service("two", "V1", "care", "2026-10-12", minutes: 60, rating: 2),
            F.service("one", "V2", "care", "2026-10-12", minutes: 60, rating: 1),
            F.service("three", "V3", "care", "2026-10-12", minutes: 60, rating: 3),
        ])
        let two = try F.score(run, "two")
        #expect(two.earned == 200)
        #expect(two.award == 200)
        let combined = try #require(run.explanation(of: two).first { $0.rule == "earning.combine_multipliers" })
        #expect(combined.text == #"factors combined by "sum": -0.1, below 0, so 0 (a service earns no less than nothing)"#)
        #expect(combined.effect == "×0")
        #expect(combined.running == "0")
        #expect(try F.score(run, "one").award == 200)
        #expect(try F.score(run, "three").award == 1200)
        #expect(try PolicyMultiplierCombination.sum.combine([ExactDecimal("0.5")!, ExactDecimal("0.4")!]) == .zero)
    }

    @Test("a computed penalty rounded to 0.01 says so in its line; the points are the rounded ones")
    func computedPenaltyRounding() throws {
        let policy = try F.policy(body: """
            [earning]
            require_verifier = false
            rounding = "half_up"

            [categories.care]
            points_per_hour = 10

            [penalties.late]
            points = 'record.minutes * -0.00175'
            when = 'record.tags.contains("late")'
            """)
        // 60 minutes: −0.105, taken as −0.11 (half_up); 40 minutes: −0.07 exactly, nothing rounded.
        let run = try F.scorer(policy).score([
            F.service("hour", "V1", "care", "2026-10-12", minutes: 60, tags: ["late"]),
            F.service("forty", "V2", "care", "2026-10-12", minutes: 40, tags: ["late"]),
        ])
        let hour = try F.score(run, "hour")
        #expect(hour.award == 1000)
        #expect(hour.deduction == 11)
        let line = try #require(run.explanation(of: hour).first { $0.rule == "penalties.late" })
        #expect(line.text == #"late (when record.tags.contains("late")): points record.minutes * -0.00175 rounded half_up to a step of 0.01"#)
        #expect(line.effect == "-0.11")
        #expect(line.running == "9.89")
        let forty = try F.score(run, "forty")
        #expect(forty.deduction == 7)
        let exact = try #require(run.explanation(of: forty).first { $0.rule == "penalties.late" })
        #expect(exact.text == #"late (when record.tags.contains("late")): points record.minutes * -0.00175"#)
        #expect(exact.effect == "-0.07")
    }

    @Test("a computed bonus or penalty names its expression, so the amount can be worked out from the line")
    func computedAmountsNameTheirExpression() throws {
        // Grid workers' duty (平急转换): long emergency duty earns 2 more an hour beyond the fourth; not answering a
        // level I call costs 10, any other no-show 5.
        let policy = try F.policy(body: """
            [earning]
            require_verifier = false
            min_minutes = 15
            step = 1

            [categories.emergency]
            points_per_hour = 12

            [bonuses.long_duty]
            label = "长时值守"
            points = '(record.hours - 4) * 2'
            categories = ["emergency"]
            when = 'record.hours > 4'

            [penalties.no_show]
            label = "闻令不动"
            points = 'record.response_level == "I" ? -10 : -5'
            when = 'record.tags.contains("no_show")'
            """)
        // 6 h 30 min: 78 + (6.5 − 4) × 2 = 83. A level I no-show after it: −10; a level III one: −5.
        let run = try F.scorer(policy).score([
            F.service("long", "V1", "emergency", "2026-10-12", minutes: 390),
            F.service("absent1", "V1", "emergency", "2026-10-13", minutes: 0, level: .one, tags: ["no_show"]),
            F.service("absent3", "V1", "emergency", "2026-10-14", minutes: 0, level: .three, tags: ["no_show"]),
        ])
        let long = try F.score(run, "long")
        #expect(long.earned == 8300)
        let bonus = try #require(run.explanation(of: long).first { $0.rule == "bonuses.long_duty" })
        #expect(bonus.text == #"长时值守 (categories emergency; when record.hours > 4): points (record.hours - 4) * 2"#)
        #expect(bonus.effect == "+5")
        let severe = try F.score(run, "absent1")
        #expect(severe.deduction == 1000)
        let penalty = try #require(run.explanation(of: severe).first { $0.rule == "penalties.no_show" })
        #expect(penalty.text == #"闻令不动 (when record.tags.contains("no_show")): points record.response_level == "I" ? -10 : -5"#)
        #expect(penalty.effect == "-10")
        #expect(try F.score(run, "absent3").deduction == 500)
    }

    @Test("a factor computed from the rating; a rule whose expression fails is reported and not applied")
    func computedFactorAndFailure() throws {
        let policy = try F.policy(body: """
            [earning]
            require_verifier = false
            combine_multipliers = "product"

            [categories.visit]
            points_per_hour = 10

            [multipliers.satisfaction]
            factor = 'record.rating / 5'
            categories = ["visit"]
            """)
        let run = try F.scorer(policy).score([
            F.service("rated", "V1", "visit", "2026-10-12", minutes: 60, rating: 4),
            F.service("unrated", "V2", "visit", "2026-10-12", minutes: 60),
        ])
        #expect(try F.score(run, "rated").award == 800)
        let unrated = try F.score(run, "unrated")
        #expect(unrated.award == 1000)
        let failure = try #require(run.explanation(of: unrated).first { $0.rule == "multipliers.satisfaction" })
        #expect(failure.text.contains("not applied") && failure.text.contains("P245"))
        // The amount so far, which the failed rule leaves as it was: 1 hour × 10 points, not 0.
        #expect(failure.running == "10")
    }

    @Test("a factor with 18 decimals leaves the machine-word path and gives the exact result")
    func exactFallback() throws {
        let policy = try F.policy(body: """
            [earning]
            require_verifier = false
            step = 0.01
            combine_multipliers = "product"

            [categories.visit]
            points_per_hour = 9

            [multipliers.third]
            factor = 'has(record.rating) ? record.rating / 3 : 1'
            categories = ["visit"]
            """)
        let run = try F.scorer(policy).score([F.service("r", "V1", "visit", "2026-10-12", minutes: 60, rating: 1),
                                              F.service("s", "V2", "visit", "2026-10-12", minutes: 7, rating: 2)])
        // 9 × 0.333333333333333333 = 2.999999999999999997, rounded half-even to 0.01: 3.
        let score = try F.score(run, "r")
        #expect(score.award == 300)
        #expect(run.explanation(of: score).contains { $0.running == "≈3" })
        // 7 minutes at 9 an hour = 1.05, × 0.666666666666666667 = 0.7 (0.700000000000000000350), rounded: 0.7.
        #expect(try F.score(run, "s").award == 70)
    }

    // MARK: Once-only bonuses

    @Test("a once-only bonus goes to the volunteer's first record in canonical order, whatever the arrival order")
    func onceOnlyBonus() throws {
        let policy = try F.configPolicy("config/policy.toml")
        var history = InMemoryScoringHistory()
        history.bonusesReceived.insert(.init(bonus: "first_service", holder: .volunteer("V3")))
        let records = [
            F.service("v1-later", "V1", "red", "2026-10-13", "09:00", "10:00"),
            F.service("v1-first", "V1", "red", "2026-10-12", "14:00", "15:00"),
            F.service("v2-ok", "V2", "red", "2026-10-13", "09:00", "10:00"),
            F.service("v2-short", "V2", "red", "2026-10-12", "09:00", "09:20"),
            F.service("v2-pending", "V2", "red", "2026-10-12", "08:00", "09:00", verifier: nil),
            F.service("v3", "V3", "red", "2026-10-12", "09:00", "10:00"),
        ]
        let run = try F.scorer(policy).score(records, history: history)
        #expect(try F.score(run, "v1-first").award == 1500)
        #expect(try F.score(run, "v1-later").award == 1000)
        // Neither the short record nor the pending one uses up the bonus.
        #expect(try F.score(run, "v2-short").award == 0)
        #expect(try F.score(run, "v2-ok").award == 1500)
        let v3 = try F.score(run, "v3")
        #expect(v3.award == 1000)
        #expect(run.explanation(of: v3).contains { $0.rule == "bonuses.first_service" && $0.text.contains("received before") })
        #expect(run.bonusesApplied(try F.score(run, "v1-first")).map(\.id) == ["first_service"])
    }

    // MARK: Caps

    /// A policy of 10 points an hour with the given caps; records of 60 minutes earn 10.
    private func cappedPolicy(_ caps: String, category: String = "") throws -> Policy {
        try F.policy(body: """
            [earning]
            require_verifier = false

            [categories.red]
            points_per_hour = 10

            [categories.green]
            points_per_hour = 10
            \(category)

            [caps]
            \(caps)
            """)
    }

    /// Scores `records` in a scrambled order and returns the awards by id in points.
    private func awards(_ policy: Policy, _ records: [Record], history: InMemoryScoringHistory = InMemoryScoringHistory()) throws -> [String: String] {
        var generator = SplitMix64(seed: 7)
        var scrambled = records.shuffled(using: &generator)
        if scrambled == records { scrambled.reverse() }
        #expect(scrambled != records, "the test should scramble the arrival order")
        let run = try F.scorer(policy).score(scrambled, history: history)
        let inOrder = try F.scorer(policy).score(records, history: history)
        var result: [String: String] = [:]
        for score in run.scores {
            result[run.records[score.recordIndex].id] = Hundredths.trimmed(score.award)
        }
        // Arrival order changes nothing.
        for score in inOrder.scores { #expect(result[inOrder.records[score.recordIndex].id] == Hundredths.trimmed(score.award)) }
        return result
    }

    @Test("daily cap: the third hour of a day fits half; the next day starts afresh")
    func dailyCap() throws {
        let result = try awards(cappedPolicy("daily = 25"), [
            F.service("a", "V1", "red", "2026-10-05", "09:00", "10:00"),
            F.service("b", "V1", "red", "2026-10-05", "11:00", "12:00"),
            F.service("c", "V1", "red", "2026-10-05", "13:00", "14:00"),
            F.service("d", "V1", "red", "2026-10-06", "09:00", "10:00"),
            F.service("e", "V2", "red", "2026-10-05", "09:00", "10:00"),
        ])
        #expect(result == ["a": "10", "b": "10", "c": "5", "d": "10", "e": "10"])
    }

    @Test("a cap's explanation says what was earned on the day of a daily cap, in the window of a longer one")
    func capExplanationWording() throws {
        let records = [F.service("a", "V1", "red", "2026-10-05", "09:00", "10:00"),
                       F.service("b", "V1", "red", "2026-10-05", "11:00", "12:00"),
                       F.service("c", "V1", "red", "2026-10-05", "13:00", "14:00")]
        for (caps, wanted) in [("daily = 25", "daily cap 25: 20 earned on 2026-10-05 before this record"),
                               ("monthly = 25", "monthly cap 25: 20 earned in 2026-10 before this record")] {
            let run = try F.scorer(cappedPolicy(caps)).score(records, history: InMemoryScoringHistory())
            let third = try #require(run.scores.first { run.records[$0.recordIndex].id == "c" })
            let line = try #require(run.explanation(of: third).first { $0.rule.hasPrefix("caps.") })
            #expect(line.text == wanted)
        }
    }

    @Test("weekly cap: Monday to Sunday; the next Monday starts afresh")
    func weeklyCap() throws {
        let result = try awards(cappedPolicy("weekly = 35"), [
            F.service("mon", "V1", "red", "2026-10-05", "09:00", "10:00"),
            F.service("wed", "V1", "red", "2026-10-07", "09:00", "10:00"),
            F.service("fri", "V1", "red", "2026-10-09", "09:00", "10:00"),
            F.service("sun", "V1", "red", "2026-10-11", "09:00", "10:00"),
            F.service("next-mon", "V1", "red", "2026-10-12", "09:00", "10:00"),
        ])
        #expect(result == ["mon": "10", "wed": "10", "fri": "10", "sun": "5", "next-mon": "10"])
    }

    @Test("monthly cap: a calendar month")
    func monthlyCap() throws {
        let result = try awards(cappedPolicy("monthly = 25"), [
            F.service("oct-1", "V1", "red", "2026-10-01", "09:00", "10:00"),
            F.service("oct-15", "V1", "red", "2026-10-15", "09:00", "10:00"),
            F.service("oct-31", "V1", "red", "2026-10-31", "09:00", "10:00"),
            F.service("nov-1", "V1", "red", "2026-11-01", "09:00", "10:00"),
        ])
        #expect(result == ["oct-1": "10", "oct-15": "10", "oct-31": "5", "nov-1": "10"])
    }

    @Test("yearly cap: a calendar year")
    func yearlyCap() throws {
        let result = try awards(cappedPolicy("yearly = 15"), [
            F.service("dec-30", "V1", "red", "2026-12-30", "09:00", "10:00"),
            F.service("dec-31", "V1", "red", "2026-12-31", "09:00", "10:00"),
            F.service("jan-1", "V1", "red", "2027-01-01", "09:00", "10:00"),
        ])
        #expect(result == ["dec-30": "10", "dec-31": "5", "jan-1": "10"])
    }

    @Test("category daily cap limits that category only")
    func categoryDailyCap() throws {
        let result = try awards(cappedPolicy("", category: "daily_cap = 15"), [
            F.service("g1", "V1", "green", "2026-10-05", "09:00", "10:00"),
            F.service("g2", "V1", "green", "2026-10-05", "11:00", "12:00"),
            F.service("r1", "V1", "red", "2026-10-05", "13:00", "14:00"),
            F.service("g3", "V1", "green", "2026-10-06", "09:00", "10:00"),
        ])
        #expect(result == ["g1": "10", "g2": "5", "r1": "10", "g3": "10"])
    }

    @Test("category monthly cap")
    func categoryMonthlyCap() throws {
        let result = try awards(cappedPolicy("", category: "monthly_cap = 25"), [
            F.service("g1", "V1", "green", "2026-10-05", "09:00", "10:00"),
            F.service("g2", "V1", "green", "2026-10-06", "09:00", "10:00"),
            F.service("g3", "V1", "green", "2026-10-07", "09:00", "10:00"),
            F.service("g4", "V1", "green", "2026-11-02", "09:00", "10:00"),
        ])
        #expect(result == ["g1": "10", "g2": "10", "g3": "5", "g4": "10"])
    }

    @Test("caps count awards already posted in the window")
    func capsCountHistory() throws {
        var history = InMemoryScoringHistory()
        history.recordAward(to: .volunteer("V1"), on: LocalDate("2026-10-05")!, category: "green", points: 1200)
        history.recordAward(to: .volunteer("V1"), on: LocalDate("2026-10-04")!, category: "green", points: 9900)
        let result = try awards(cappedPolicy("daily = 25", category: "daily_cap = 15"), [
            F.service("g", "V1", "green", "2026-10-05", "09:00", "10:00"),
            F.service("r", "V1", "red", "2026-10-05", "11:00", "12:00"),
        ], history: history)
        // Green: 15 - 12 = 3 fit. Red: 25 - 12 - 3 = 10 fit.
        #expect(result == ["g": "3", "r": "10"])
    }

    // MARK: Penalties and the floor

    @Test("a no-show earns nothing and takes the penalty; the floor records the shortfall")
    func penaltiesAtTheFloor() throws {
        let policy = try F.configPolicy("config/policy.toml")
        var history = InMemoryScoringHistory()
        history.balances[.volunteer("V2")] = 300
        let run = try F.scorer(policy).score([
            F.service("empty", "V1", "red", "2026-10-12", minutes: 0, tags: ["no_show"]),
            F.service("some", "V2", "red", "2026-10-12", minutes: 0, tags: ["no_show"]),
            F.service("earned", "V3", "orange", "2026-10-12", "09:00", "10:00"),
            F.service("later", "V3", "red", "2026-10-13", minutes: 0, tags: ["no_show"]),
        ], history: history)
        let empty = try F.score(run, "empty")
        #expect(empty.award == 0 && empty.deduction == 0 && empty.shortfall == 500)
        #expect(run.explanation(of: empty).map(\.rule).suffix(3) == ["earning.min_minutes", "penalties.no_show", "accounts.balance_floor"])
        let some = try F.score(run, "some")
        #expect(some.deduction == 300 && some.shortfall == 200 && some.net == -300)
        // V3 earned 12 + 5 the day before, so the whole penalty is taken.
        let later = try F.score(run, "later")
        #expect(later.deduction == 500 && later.shortfall == 0)
    }

    @Test("a penalty cannot take awards whose lots expire by its day (this run's earlier ones); one earned on 31 December is usable that day")
    func penaltyAndExpiringAwardsOfTheRun() throws {
        let policy = try F.policy(effective: "2025-01-01", body: """
            [earning]
            require_verifier = false

            [categories.visit]
            points_per_hour = 8

            [penalties.complaint]
            points = -10
            when = 'record.tags.contains("complaint_founded")'

            [expiry]
            end_of_year = true
            """)
        let run = try F.scorer(policy).score([
            // 8.00 expiring on 1 January 2026 (usable through 31 December 2025): gone by the 2026 penalty.
            F.service("old", "V1", "visit", "2025-06-01", minutes: 60),
            F.service("late", "V1", "visit", "2026-01-05", minutes: 0, tags: ["complaint_founded"]),
            // Earned on 31 December, its lot is usable that day: the penalty dated that day takes it.
            F.service("last", "V2", "visit", "2025-12-31", minutes: 60, tags: ["complaint_founded"]),
            // Earned on the 29th, still open for a penalty on the 30th.
            F.service("eve", "V3", "visit", "2025-12-29", minutes: 60),
            F.service("end", "V3", "visit", "2025-12-30", minutes: 0, tags: ["complaint_founded"]),
            // Earned on 31 December, expired on 1 January: a penalty of New Year's Day cannot take it.
            F.service("year-end", "V4", "visit", "2025-12-31", minutes: 60),
            F.service("new-year", "V4", "visit", "2026-01-01", minutes: 0, tags: ["complaint_founded"]),
        ], history: InMemoryScoringHistory())
        let late = try F.score(run, "late")
        #expect(late.deduction == 0 && late.shortfall == 1000)
        let last = try F.score(run, "last")
        #expect(last.award == 800 && last.deduction == 800 && last.shortfall == 200)
        let end = try F.score(run, "end")
        #expect(end.deduction == 800 && end.shortfall == 200)
        let newYear = try F.score(run, "new-year")
        #expect(newYear.deduction == 0 && newYear.shortfall == 1000)
    }

    @Test("a penalty on a record that also earns, with a floor above zero")
    func penaltyWithFloor() throws {
        let policy = try F.policy(body: """
            [earning]
            require_verifier = false

            [categories.visit]
            points_per_hour = 8

            [penalties.complaint]
            points = -10
            when = 'record.tags.contains("complaint_founded")'

            [accounts]
            balance_floor = 10
            """)
        var history = InMemoryScoringHistory()
        history.balances[.volunteer("V1")] = 1200
        let run = try F.scorer(policy).score([F.service("v", "V1", "visit", "2026-10-12", minutes: 60, tags: ["complaint_founded"])],
                                             history: history)
        let score = try F.score(run, "v")
        // 12 + 8 earned = 20 above a floor of 10: 10 may be taken, all of it.
        #expect(score.award == 800 && score.deduction == 1000 && score.shortfall == 0 && score.net == -200)
        history.balances[.volunteer("V1")] = 0
        let poorer = try F.scorer(policy).score([F.service("v", "V1", "visit", "2026-10-12", minutes: 60, tags: ["complaint_founded"])],
                                                history: history)
        let capped = try F.score(poorer, "v")
        #expect(capped.deduction == 0 && capped.shortfall == 1000)
    }

    // MARK: Versions

    @Test("the version in force switches at midnight of its effective date")
    func versionSwitchAtMidnight() throws {
        let october = try F.policy(effective: "2026-10-01", version: "1", body: "[earning]\nrequire_verifier = false\n\n[categories.red]\npoints_per_hour = 10\n")
        let november = try F.policy(effective: "2026-11-01", version: "2", body: "[earning]\nrequire_verifier = false\n\n[categories.red]\npoints_per_hour = 20\n")
        // Given newest first: the timeline orders versions by effective date.
        let run = try F.scorer(november, october).score([
            F.service("before", "V1", "red", "2026-10-31", "23:00", "24:00"),
            F.service("after", "V1", "red", "2026-11-01", "00:00", "01:00"),
            F.service("too-early", "V1", "red", "2026-09-30", "09:00", "10:00"),
        ])
        let before = try F.score(run, "before"), after = try F.score(run, "after")
        #expect(before.award == 1000 && run.version(of: before)?.policy.version == "1")
        #expect(after.award == 2000 && run.version(of: after)?.policy.version == "2")
        let early = try F.score(run, "too-early")
        #expect(early.status == .noPolicy)
        #expect(run.explanation(of: early).first?.text.contains("first version takes effect on 2026-10-01") == true)
    }

    // MARK: Assessments

    @Test("assessments of a village: met, repeated in the period, broken, a deduction at the floor")
    func assessments() throws {
        let policy = try F.configPolicy("config/examples/xinyi-village.toml")
        let community = CommunityDirectory(
            volunteers: [Volunteer(id: "V1", name: "王秀英", household: "H1", birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-01-01")!)],
            households: [Household(id: "H1", name: "王家", address: "")], stations: [])
        let run = try F.scorer(policy, community: community).score([
            F.assessment("a1", household: "H1", "garbage_sorting", period: "2026-10"),
            F.assessment("a2", volunteer: "V1", "garbage_sorting", period: "2026-10", date: "2026-10-31"),
            F.assessment("a3", household: "H1", "courtyard_tidy", period: "2026-10", result: .broken),
            F.assessment("a4", household: "H1", "illegal_structure", period: "2026", date: "2026-11-05"),
        ])
        let first = try F.score(run, "a1")
        #expect(first.award == 300 && run.account(of: first) == .household("H1"))
        let repeated = try F.score(run, "a2")
        #expect(repeated.award == 0 && run.account(of: repeated) == .household("H1"))
        #expect(run.explanation(of: repeated).last?.text.contains("already") == true)
        #expect(try F.score(run, "a3").award == 0)
        let deduction = try F.score(run, "a4")
        #expect(deduction.deduction == 300 && deduction.shortfall == 1700)
    }

    @Test("an indicator's per changed mid-period: the quarter's assessment does not count the month's, in one run or two")
    func perChangedMidPeriod() throws {
        // Version 1 assesses tidy monthly, version 2 (from 15 October) quarterly, 5 points each time. V1's October
        // (dated 10 October, version 1) and V1's 2026-Q4 (dated 31 December, version 2) are two periods, 5 + 5 = 10
        // (docs/policy.md: the new period's once-per-period rule does not count what the old period's awards gave).
        let monthly = try F.policy(effective: "2026-01-01", version: "1",
                                   body: "[earning]\nrequire_verifier = false\n\n[indicators.tidy]\npoints = 5\nper = \"month\"\n")
        let quarterly = try F.policy(effective: "2026-10-15", version: "2",
                                     body: "[earning]\nrequire_verifier = false\n\n[indicators.tidy]\npoints = 5\nper = \"quarter\"\n")
        let october = F.assessment("m", volunteer: "V1", "tidy", period: "2026-10", date: "2026-10-10")
        let quarter = F.assessment("q", volunteer: "V1", "tidy", period: "2026-Q4")
        let together = try F.scorer(monthly, quarterly).score([october, quarter])
        #expect(try F.score(together, "m").award == 500)
        #expect(try F.score(together, "q").award == 500)
        // Two nights: the month posted first, the quarter scored against it.
        let second = try F.nightAfter(F.scorer(monthly, quarterly), posted: [october], then: [quarter])
        #expect(try F.score(second, "q").award == 500)
        // A year starts on 1 January as its first month does: still two periods (the month's version from 6 January).
        let yearly = try F.policy(effective: "2026-01-01", version: "1",
                                  body: "[earning]\nrequire_verifier = false\n\n[indicators.tidy]\npoints = 5\nper = \"year\"\n")
        let january = try F.policy(effective: "2026-01-06", version: "2",
                                   body: "[earning]\nrequire_verifier = false\n\n[indicators.tidy]\npoints = 5\nper = \"month\"\n")
        let mixed = try F.scorer(yearly, january).score([
            F.assessment("y", volunteer: "V1", "tidy", period: "2026", date: "2026-01-05"),
            F.assessment("j", volunteer: "V1", "tidy", period: "2026-01", date: "2026-01-06"),
        ])
        #expect(try F.score(mixed, "j").award == 500)
    }

    @Test("a broken assessment is a record accepted before the next one (volunteer.records_total), in one run as in two")
    func brokenAssessmentCountsInRecordsTotal() throws {
        // V1's tidy courtyard is assessed broken on 5 October (no points, but accepted and posted); their hour of care on
        // 6 October earns 10 and a repeat bonus of 1 for a volunteer with a record before it: 11, whether the two are
        // scored in one night or the assessment was posted the night before (the store counts it then).
        let policy = try F.policy(body: """
            [earning]
            require_verifier = false

            [categories.care]
            points_per_hour = 10

            [indicators.tidy]
            points = 5

            [bonuses.repeat]
            points = 1
            when = 'record.kind == "service" && volunteer.records_total >= 1'

            """)
        let broken = F.assessment("a", volunteer: "V1", "tidy", period: "2026-10", result: .broken, date: "2026-10-05")
        let care = F.service("s", "V1", "care", "2026-10-06", "09:00", "10:00")
        let together = try F.scorer(policy).score([broken, care])
        #expect(try F.score(together, "s").award == 1100)
        let second = try F.nightAfter(F.scorer(policy), posted: [broken], then: [care])
        #expect(try F.score(second, "s").award == 1100)
    }

    @Test("a household's assessment has no volunteer: its earlier assessments are no volunteer.records_total, in one run as in two")
    func householdAssessmentsAreNoVolunteerRecords() throws {
        // H1 (V1's household) is assessed itself, without a volunteer: sorting met on 4 November (3), tidy met on
        // 5 November (5). The repeat bonus reads volunteer.records_total, the records of the record's volunteer, and a
        // household's assessment has none (the store counts a volunteer's records by the volunteer): tidy gets 5, not
        // 5 + 2, whether the two are scored in one night or sorting was posted the night before (found by
        // NightsPropertyTests, seeds 15 and 24: one night gave 7, two nights 5).
        let policy = try F.policy(body: """
            [earning]
            require_verifier = false

            [indicators.sorting]
            points = 3

            [indicators.tidy]
            points = 5

            [bonuses.repeat]
            points = 2
            when = 'volunteer.records_total >= 1'

            """)
        let community = CommunityDirectory(
            volunteers: [Volunteer(id: "V1", name: "王秀英", household: "H1", birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-01-01")!)],
            households: [Household(id: "H1", name: "王家", address: "")], stations: [])
        let sorting = F.assessment("a", household: "H1", "sorting", period: "2026-11", date: "2026-11-04")
        let tidy = F.assessment("b", household: "H1", "tidy", period: "2026-11", date: "2026-11-05")
        let together = try F.scorer(policy, community: community).score([sorting, tidy])
        #expect(try F.score(together, "a").award == 300)
        #expect(try F.score(together, "b").award == 500)
        let second = try F.nightAfter(F.scorer(policy, community: community), posted: [sorting], then: [tidy])
        #expect(try F.score(second, "b").award == 500)
    }

    @Test("the explanation names the points as the policy does: 10 信义币 an hour, met, 3 信义币; no 信义币")
    func explanationNamesTheUnit() throws {
        let policy = try F.configPolicy("config/examples/xinyi-village.toml")
        #expect(policy.unit == "信义币")
        let community = CommunityDirectory(
            volunteers: [Volunteer(id: "V1", name: "王秀英", household: "H1", birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-01-01")!)],
            households: [Household(id: "H1", name: "王家", address: "")], stations: [])
        let run = try F.scorer(policy, community: community).score([
            F.service("s1", "V1", "volunteer_service", "2026-10-12", minutes: 60, verifier: "村委会"),
            F.assessment("a1", household: "H1", "garbage_sorting", period: "2026-10"),
            F.assessment("a2", volunteer: "V1", "garbage_sorting", period: "2026-10", date: "2026-10-31"),
            F.assessment("a3", household: "H1", "courtyard_tidy", period: "2026-10", result: .broken),
            F.assessment("a4", household: "H1", "no_such_indicator", period: "2026-10"),
        ])
        func text(_ id: String, _ rule: String) throws -> String {
            try #require(run.explanation(of: F.score(run, id)).first { $0.rule == rule }).text
        }
        #expect(try text("s1", "categories.volunteer_service") == "60 min × 10 信义币 an hour (志愿服务)")
        #expect(try text("s1", "accounts.earn_to") == #"信义币 go to household:H1 (earn_to = "household")"#)
        #expect(try text("a1", "indicators.garbage_sorting") == "垃圾分类达标: met, 3 信义币")
        #expect(try text("a2", "indicators.garbage_sorting") == "垃圾分类达标: assessed for household:H1 in 2026-10 already (at most once per month): no 信义币")
        #expect(try text("a3", "indicators.courtyard_tidy") == "庭院整洁: broken (not met), no 信义币")
        #expect(try text("a4", "indicators") == #"indicator "no_such_indicator" is not declared by this version: no 信义币"#)
    }

    // MARK: Determinism

    @Test("scoring the same input twice, or in another order, gives identical results and explanations")
    func determinism() throws {
        let policy = try F.configPolicy("config/policy.toml")
        var generator = SplitMix64(seed: 2026)
        let categories = ["red", "orange", "blue", "green", "purple"]
        var records: [Record] = []
        for index in 0..<500 {
            let day = LocalDate("2026-10-01")!.adding(days: Int(generator.next() % 40))
            let start = Int(generator.next() % 20) * 30
            let minutes = [0, 20, 30, 60, 90, 240, 600][Int(generator.next() % 7)]
            records.append(.service(ServiceRecord(
                id: "r\(index)", volunteer: "V\(generator.next() % 25)", category: categories[Int(generator.next() % 5)],
                date: day, start: TimeOfDay(minutesSinceMidnight: start), minutes: minutes,
                verifier: generator.next() % 10 == 0 ? nil : "社区", responseLevel: generator.next() % 8 == 0 ? .one : nil,
                tags: minutes == 0 ? ["no_show"] : [])))
        }
        let first = try F.scorer(policy).score(records)
        let second = try F.scorer(policy).score(records)
        #expect(first.scores == second.scores)
        #expect(first.steps == second.steps)
        let shuffled = try F.scorer(policy).score(records.shuffled(using: &generator))
        func byID(_ run: ScoringRun) -> [String: [String]] {
            var result: [String: [String]] = [:]
            for score in run.scores {
                result[run.records[score.recordIndex].id] = ["\(score.award) \(score.deduction) \(score.shortfall)"] + run.explanationText(of: score)
            }
            return result
        }
        #expect(byID(first) == byID(shuffled))
        #expect(first.total.net == shuffled.total.net)
        // The amounts are the same without explanations.
        let quiet = try F.scorer(policy, explain: false).score(records)
        #expect(quiet.scores.map(\.net) == first.scores.map(\.net))
    }

    @Test("remembered rule outcomes give what evaluating every record alone gives")
    func rememberedOutcomes() throws {
        let policy = try F.policy(body: """
            [earning]
            require_verifier = false
            step = 0.01
            combine_multipliers = "product"

            [categories.care]
            points_per_hour = 7.5

            [categories.repair]
            points_per_hour = 9

            [multipliers.evening]
            factor = 1.25
            when = 'has(record.start_hour) && record.start_hour >= 18 || record.minutes > 120'

            [multipliers.rated]
            factor = 'has(record.rating) ? record.rating / 4 : 1'
            categories = ["care"]

            [bonuses.five_stars]
            points = 2
            when = 'record.rating == 5 && record.weekday != "sun"'

            [bonuses.station]
            points = 'record.hours * 0.5'
            when = 'has(record.station)'

            [penalties.late]
            points = -1.5
            when = 'record.tags.contains("late")'
            """)
        var generator = SplitMix64(seed: 11)
        var records: [Record] = []
        for index in 0..<300 {
            let start = Int(generator.next() % 24) * 60
            records.append(.service(ServiceRecord(
                id: "r\(index)", volunteer: "V\(index)", category: generator.next() % 2 == 0 ? "care" : "repair",
                date: LocalDate("2026-10-01")!.adding(days: Int(generator.next() % 14)),
                start: generator.next() % 3 == 0 ? nil : TimeOfDay(minutesSinceMidnight: start),
                minutes: Int(generator.next() % 200), rating: generator.next() % 3 == 0 ? nil : Int(generator.next() % 5) + 1,
                tags: generator.next() % 4 == 0 ? ["late"] : [], station: generator.next() % 5 == 0 ? "S1" : nil)))
        }
        var history = InMemoryScoringHistory()
        for index in records.indices { history.balances[.volunteer("V\(index)")] = 10_000 }
        let batch = try F.scorer(policy).score(records, history: history)
        for score in batch.scores {
            let alone = try F.scorer(policy).score([records[score.recordIndex]], history: history)
            #expect(alone.scores[0].net == score.net, "record \(records[score.recordIndex].id)")
            #expect(alone.explanationText(of: alone.scores[0]) == batch.explanationText(of: score))
        }
    }
}

extension ScoringFixtures {
    static func repositoryFile(_ relativePath: String) -> [UInt8]? {
        FileManager.default.contents(atPath: repositoryRoot.appendingPathComponent(relativePath).path).map { [UInt8]($0) }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
