import Testing
@testable import TimeBankCore

private func decimal(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

@Suite("Fund: contributions, coverage, periods")
struct FundMathTests {
    /// turnover × rate, rounded half-up to the fen, worked by hand.
    @Test("a merchant's contribution, rounded half-up to the fen", arguments: [
        // 12,345.67 × 0.001 = 12.34567 → 12.35
        (Int64(1_234_567), "0.001", Int64(1_235)),
        // 10,000.00 × 0.001 = 10.00 exactly
        (1_000_000, "0.001", 1_000),
        // 5.00 × 0.001 = 0.005: exactly half a fen rounds up to 0.01
        (500, "0.001", 1),
        // 4.99 × 0.001 = 0.00499 → 0.00
        (499, "0.001", 0),
        // 3.33 × 0.0025 = 0.008325 → 0.01
        (333, "0.0025", 1),
        // 88,888.88 × 0.015 = 1,333.3332 → 1,333.33
        (8_888_888, "0.015", 133_333),
        // 10,000,000,000,000.00 (the largest amount) × 0.999999999999999999: 9,999,999,999,999.99999999999999999 → 10^13 CNY
        (1_000_000_000_000_000, "0.999999999999999999", 1_000_000_000_000_000),
    ])
    func contribution(turnover: Int64, rate: String, expected: Int64) throws {
        #expect(try FundMath.contribution(turnover: turnover, rate: decimal(rate)) == expected)
    }

    @Test("rates outside 0 ≤ rate < 1 and negative turnovers are refused")
    func contributionRefusals() {
        #expect(throws: FundError.rateOutOfRange("1")) { try FundMath.contribution(turnover: 100, rate: .one) }
        #expect(throws: FundError.rateOutOfRange("-0.001")) { try FundMath.contribution(turnover: 100, rate: decimal("-0.001")) }
        #expect(throws: FundError.invalidAmount(field: "turnover", text: "-1.00")) { try FundMath.contribution(turnover: -100, rate: decimal("0.001")) }
    }

    @Test("the coverage ratio: fund ÷ (points outstanding × point value)")
    func coverage() throws {
        // 500.00 CNY against 2,000.00 points × 0.50 = 1,000.00 CNY: 0.5, below 1.
        let half = try FundMath.coverage(fund: 50_000, pointsOutstanding: 200_000, pointValue: decimal("0.5"))
        #expect(half == .ratio(decimal("0.5")))
        #expect(half.isBelowOne)
        #expect(half.text() == "0.5000")
        // 1,500.00 CNY against 1,000.00 CNY: 1.5, covered.
        let covered = try FundMath.coverage(fund: 150_000, pointsOutstanding: 200_000, pointValue: decimal("0.5"))
        #expect(covered == .ratio(decimal("1.5")))
        #expect(!covered.isBelowOne)
        #expect(covered.text(decimals: 2) == "1.50")
        // Exactly covered is not below 1.
        let exact = try FundMath.coverage(fund: 100_000, pointsOutstanding: 200_000, pointValue: decimal("0.5"))
        #expect(exact == .ratio(.one) && !exact.isBelowOne && exact.text() == "1.0000")
        // 1,000.00 CNY against 3,000.00 points × 0.50 = 1,500.00: 0.6666… shown as 0.6667.
        let twoThirds = try FundMath.coverage(fund: 100_000, pointsOutstanding: 300_000, pointValue: decimal("0.5"))
        #expect(twoThirds.text() == "0.6667")
        #expect(twoThirds.isBelowOne)
        // A fund overdrawn by stock purchases has a negative ratio.
        #expect(try FundMath.coverage(fund: -2_500, pointsOutstanding: 10_000, pointValue: decimal("0.5")).text() == "-0.5000")
    }

    /// A fund short by a fen must not read as fully covered next to the warning that says it is short.
    @Test("a ratio just below 1 is never shown as 1: 999.99 CNY for points worth 1,000.00 CNY is 0.9999, with 6 decimals 0.999990")
    func justBelowOneNeverShowsAsOne() throws {
        // 999.99 ÷ (2,000.00 points × 0.50 CNY = 1,000.00 CNY) = 0.99999: half-up to 4 decimals would be 1.0000.
        let short = try FundMath.coverage(fund: 99_999, pointsOutstanding: 200_000, pointValue: decimal("0.5"))
        #expect(short.isBelowOne)
        #expect(short.text() == "0.9999")
        #expect(short.text(decimals: 6) == "0.999990")
        #expect(short.text(decimals: 0) == "0")
        // 999,999.99 ÷ 1,000,000.00 = 0.99999999: 6 decimals would round up to 1.000000 as well.
        let shorter = try FundMath.coverage(fund: 99_999_999, pointsOutstanding: 200_000_000, pointValue: decimal("0.5"))
        #expect(shorter.text(decimals: 6) == "0.999999")
        // Below 1 and not near it, and 1 or more, round half-up as before.
        #expect(try FundMath.coverage(fund: 99_990, pointsOutstanding: 200_000, pointValue: decimal("0.5")).text() == "0.9999")
        #expect(try FundMath.coverage(fund: 100_001, pointsOutstanding: 200_000, pointValue: decimal("0.5")).text() == "1.0000")
    }

    @Test("no points outstanding, and points without a value, have no ratio")
    func noRatio() throws {
        let none = try FundMath.coverage(fund: 10_000, pointsOutstanding: 0, pointValue: decimal("0.5"))
        #expect(none == .noPointsOutstanding && !none.isBelowOne && none.text() == "no points outstanding")
        let unvalued = try FundMath.coverage(fund: 10_000, pointsOutstanding: 500, pointValue: .zero)
        #expect(unvalued == .pointsNotValued && !unvalued.isBelowOne)
        // Under a balance_floor below 0 the accounts may owe more points than they hold: nothing is owed to them, so there is
        // nothing to cover (a ratio would be negative, and "covers only -2.0000" a false warning).
        let owed = try FundMath.coverage(fund: 10_000, pointsOutstanding: -500, pointValue: decimal("0.5"))
        #expect(owed == .pointsOwed && !owed.isBelowOne && owed.text() == "points owed, none outstanding")
        #expect(owed.ratioText(decimals: 4) == nil)
    }

    @Test("the liability keeps every decimal; fen() rounds it half-up")
    func liability() throws {
        // 123.45 points × 0.333 CNY = 41.10885 CNY → 41.11
        let value = try FundMath.liability(points: 12_345, pointValue: decimal("0.333"))
        #expect(value == decimal("41.10885"))
        #expect(try FundMath.fen(value) == 4_111)
    }

    @Test("fixed decimals pad and round half-up", arguments: [
        ("0.5", 4, "0.5000"), ("2", 4, "2.0000"), ("1.23456", 4, "1.2346"), ("1.23455", 4, "1.2346"), ("7", 0, "7"), ("0.125", 2, "0.13"),
    ])
    func fixed(value: String, decimals: Int, expected: String) {
        #expect(FundMath.fixed(decimal(value), decimals: decimals) == expected)
    }

    @Test("dividend periods: a year, a quarter or a month", arguments: [
        ("2026", "2026", "2026-01-01", "2026-12-31"),
        ("2026-Q4", "2026-Q4", "2026-10-01", "2026-12-31"),
        ("2026-q1", "2026-Q1", "2026-01-01", "2026-03-31"),
        ("2026-11", "2026-11", "2026-11-01", "2026-11-30"),
        ("2028-02", "2028-02", "2028-02-01", "2028-02-29"),
    ])
    func periods(text: String, label: String, first: String, last: String) throws {
        let period = try DividendPeriod(parsing: text)
        #expect(period.description == label)
        #expect(period.firstDay == LocalDate(first)!)
        #expect(period.lastDay == LocalDate(last)!)
    }

    @Test("weeks, days and nonsense are not dividend periods", arguments: ["2026-W40", "2026-11-20", "2026-13", "2026-Q5", "26", "", "二〇二六"])
    func badPeriods(text: String) {
        #expect(throws: FundError.invalidPeriod(text)) { try DividendPeriod(parsing: text) }
    }

    @Test("a period typed full-width or in Chinese is refused with the one to write", arguments: [
        ("２０２６", "2026"), ("2026年", "2026"), ("2026年11月", "2026-11"), ("2026年3月", "2026-03"), ("２０２６年第四季度", "2026-Q4"),
        ("2026年Q4", "2026-Q4"), ("2026年第4季度", "2026-Q4"),
    ])
    func periodsMeant(text: String, meant: String) {
        #expect(throws: FundError.invalidPeriod(text)) { try DividendPeriod(parsing: text) }
        #expect(DividendPeriod.meant(by: text) == meant)
        #expect(FundError.invalidPeriod(text).message.hasSuffix(": for \(text) write \(meant)"))
    }

    @Test("nonsense has no suggestion", arguments: ["2026-W40", "2026-13", "二〇二六", "2026年13月", "2026年第五季度"])
    func periodsWithoutSuggestion(text: String) {
        #expect(DividendPeriod.meant(by: text) == nil)
        #expect(FundError.invalidPeriod(text).message.hasSuffix("or a month (2026-11)"))
    }

    @Test("the basis: only earned, and the error lists what is accepted")
    func basis() throws {
        #expect(try DividendBasis(parsing: "earned") == .earned)
        let error = FundError.unknownBasis("balance")
        #expect(throws: error) { try DividendBasis(parsing: "balance") }
        #expect(error.code == "F007" && error.message.contains("accepted: \"earned\""))
    }
}
