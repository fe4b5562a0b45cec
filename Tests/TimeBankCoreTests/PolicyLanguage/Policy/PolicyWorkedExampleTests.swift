import Foundation
import Testing
@testable import TimeBankCore

/// Hand-computed figures for the pieces of the compiled policy that scoring uses: rates, multipliers and
/// how they combine, rounding, bonuses and expiry (the example in `docs/policy.md`, "How a record is
/// scored"; `docs/scoring.md` has the full worked examples, run through the scorer itself).
@Suite("Policy worked examples")
struct PolicyWorkedExampleTests {
    static func context(category: String, date: LocalDate, minutes: Int, rating: Int? = nil, responseLevel: String? = nil,
                        isHoliday: Bool = false) -> ExpressionContext {
        ExpressionContext(
            record: ExpressionRecordFacts(category: category, date: date, minutes: minutes, responseLevel: responseLevel,
                                          rating: rating, isHoliday: isHoliday),
            volunteer: ExpressionVolunteerFacts(id: "V0001", joined: LocalDate(year: 2024, month: 5, day: 1)!))
    }

    /// Hourly points × the combined factor of the matching multipliers, rounded to the step:
    /// steps 1 to 4 of "How a record is scored".
    static func hourlyPoints(_ policy: Policy, _ context: ExpressionContext, combining: PolicyMultiplierCombination? = nil) throws -> ExactDecimal {
        let category = try #require(policy.category(context.record.category))
        let minutes = min(context.record.minutes, policy.earning.maxMinutesPerRecord)
        let hours = try ExactDecimal(minutes).divided(by: ExactDecimal(60))
        var factors: [ExactDecimal] = []
        for multiplier in policy.multipliers where try multiplier.condition.matches(context).get() {
            factors.append(try multiplier.factor.value(in: context).get())
        }
        let factor = try (combining ?? policy.earning.combineMultipliers).combine(factors)
        return try policy.earning.round(try hours.multiplied(by: category.pointsPerHour).multiplied(by: factor))
    }

    @Test("example 1: 90 minutes of 橙色关怀 on a Saturday, a first service: 26.5 points")
    func example1() throws {
        let policy = try PolicyFixtures.configPolicy("config/policy.toml")
        let saturday = LocalDate(year: 2026, month: 10, day: 3)!
        #expect(saturday.isoWeekday == 6)
        let context = Self.context(category: "orange", date: saturday, minutes: 90, isHoliday: policy.calendar.isHoliday(saturday))
        let hourly = try Self.hourlyPoints(policy, context)
        #expect(hourly == ExactDecimal("21.5"))  // 1.5 h × 12 × 1.2 = 21.6, half-even to 0.5
        let bonus = try #require(policy.bonuses.first { $0.id == "first_service" })
        #expect(try bonus.condition.matches(context).get())
        #expect(bonus.once)
        #expect(try hourly.adding(try bonus.points.value(in: context).get()) == ExactDecimal("26.5"))
    }

    @Test("example 2: three hours of 蓝色调解 on a Sunday in a level Ⅱ response: 54, 65 or 61 points")
    func example2() throws {
        let policy = try PolicyFixtures.configPolicy("config/policy.toml")
        let sunday = LocalDate(year: 2026, month: 10, day: 11)!
        #expect(sunday.isoWeekday == 7)
        let context = Self.context(category: "blue", date: sunday, minutes: 180, responseLevel: "II")
        let matching = try policy.multipliers.filter { try $0.condition.matches(context).get() }.map(\.id)
        #expect(matching == ["weekend", "emergency_level_2"])
        #expect(try Self.hourlyPoints(policy, context) == ExactDecimal(54))
        #expect(try Self.hourlyPoints(policy, context, combining: .product) == ExactDecimal(65))
        #expect(try Self.hourlyPoints(policy, context, combining: .sum) == ExactDecimal(61))
    }

    @Test("combine_multipliers for factors 1.2 and 1.5: max 1.5, product 1.8, sum 1.7; none gives 1")
    func combinations() throws {
        let factors = [ExactDecimal("1.2")!, ExactDecimal("1.5")!]
        #expect(try PolicyMultiplierCombination.max.combine(factors) == ExactDecimal("1.5"))
        #expect(try PolicyMultiplierCombination.product.combine(factors) == ExactDecimal("1.8"))
        #expect(try PolicyMultiplierCombination.sum.combine(factors) == ExactDecimal("1.7"))
        #expect(try PolicyMultiplierCombination.sum.combine([]) == .one)
    }

    @Test("example 3: a red-account visit rated 4 earns 8 points; without a rating 10")
    func example3() throws {
        let policy = try PolicyFixtures.configPolicy("config/examples/red-account.toml")
        let day = LocalDate(year: 2026, month: 3, day: 10)!
        #expect(try Self.hourlyPoints(policy, Self.context(category: "household_contact", date: day, minutes: 60, rating: 4)) == ExactDecimal(8))
        #expect(try Self.hourlyPoints(policy, Self.context(category: "household_contact", date: day, minutes: 60)) == ExactDecimal(10))
        // The satisfaction factor does not apply to policy outreach.
        #expect(try Self.hourlyPoints(policy, Self.context(category: "policy_outreach", date: day, minutes: 60, rating: 1)) == ExactDecimal(8))
    }

    @Test("example 4: points earned on 31 January expire on 28 February, or on 31 December")
    func example4() throws {
        let earned = LocalDate(year: 2026, month: 1, day: 31)!
        #expect(PolicyExpiry(rule: .afterMonths(1), warnDays: 30).expiryDate(earnedOn: earned) == LocalDate(year: 2026, month: 2, day: 28))
        #expect(PolicyExpiry(rule: .endOfYear, warnDays: 30).expiryDate(earnedOn: earned) == LocalDate(year: 2027, month: 1, day: 1))
        // Service on 31 December keeps its points through that day: they expire with the rest of the year's on 1 January.
        #expect(PolicyExpiry(rule: .endOfYear, warnDays: 30).expiryDate(earnedOn: LocalDate(year: 2026, month: 12, day: 31)!)
                == LocalDate(year: 2027, month: 1, day: 1))
        #expect(PolicyExpiry(rule: .never, warnDays: 30).expiryDate(earnedOn: earned) == nil)
        let policy = try PolicyFixtures.configPolicy("config/policy.toml")
        #expect(policy.expiry.expiryDate(earnedOn: earned) == LocalDate(year: 2027, month: 1, day: 31))
    }

    @Test("the affordability bound of config/policy.toml is the monthly cap: 600 × 12 = 7,200 a year")
    func affordabilityBound() throws {
        let text = String(decoding: try PolicyFixtures.repositoryFile("config/policy.toml"), as: UTF8.self)
            .replacingOccurrences(of: "price = 100\n", with: "price = 7201\n")
        let result = PolicyLoader.load(text: text, path: "config/policy.toml")
        #expect(result.diagnostics.map(\.id) == ["P114"])
        #expect(result.diagnostics.first?.message.contains("the caps allow at most 7200 积分 a year") == true)
    }
}
