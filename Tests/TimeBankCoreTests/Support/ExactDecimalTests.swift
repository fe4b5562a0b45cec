import Testing
@testable import TimeBankCore

/// Parses a literal the test knows is valid.
private func decimal(_ text: String) throws -> ExactDecimal {
    try ExactDecimal(parsing: text)
}

@Suite("ExactDecimal")
struct ExactDecimalTests {
    // MARK: Parsing and text

    @Test("parses the forms TOML and policies write", arguments: [
        ("10", "10"),
        ("-1.25", "-1.25"),
        ("1e3", "1000"),
        ("1.5E-2", "0.015"),
        ("+0.5", "0.5"),
        ("1_000.5", "1000.5"),
        ("1.50", "1.5"),
        ("0.000", "0"),
        ("-0", "0"),
        ("007.10", "7.1"),
        ("2.5e+1", "25"),
        ("1e-18", "0.000000000000000001"),
        ("-0.007", "-0.007"),
        ("1.0000000000000000000000", "1"),
        ("99999999999999999999", "99999999999999999999"),
        ("0e99999", "0"),
    ])
    func parsesCanonically(text: String, expected: String) throws {
        #expect(try decimal(text).description == expected)
    }

    @Test("rejects malformed text", arguments: [
        "", "-", "+", "1.", ".5", "1e", "1e+", "1__0", "_1", "1_", "1_.5", "1._5", "1.5.2", "abc",
        "1 ", " 1", "0x10", "1,5", "--1", "1e1.5", "١",
    ])
    func rejectsMalformedText(text: String) {
        #expect(throws: ExactDecimalError.invalidSyntax(text)) { try ExactDecimal(parsing: text) }
    }

    @Test("reports values beyond the limits")
    func reportsLimits() {
        #expect(throws: ExactDecimalError.tooManyFractionalDigits) { try decimal("1.2e-19") }
        #expect(throws: ExactDecimalError.tooManyFractionalDigits) { try decimal("0.0000000000000000001") }
        #expect(throws: ExactDecimalError.outOfRange) { try decimal("100000000000000000000") }
        #expect(throws: ExactDecimalError.outOfRange) { try decimal("1e20") }
        #expect(throws: ExactDecimalError.outOfRange) { try decimal("-1e10000000") }
        #expect(throws: ExactDecimalError.tooManyFractionalDigits) { try ExactDecimal(significand: 1, scale: 19) }
        #expect(throws: ExactDecimalError.outOfRange) {
            try ExactDecimal(significand: 100_000_000_000_000_000_000, scale: 0)
        }
        #expect(ExactDecimal("1e19") != nil)
        #expect(ExactDecimal("nonsense") == nil)
    }

    @Test("normalizes so equal values are equal and hash alike")
    func normalizes() throws {
        let a = try decimal("1.50")
        let b = try decimal("1.5")
        #expect(a == b)
        #expect(a.scale == 1 && a.significand == 15)
        #expect(Set([a, b, try decimal("15e-1")]).count == 1)
        #expect(try ExactDecimal(significand: 2500, scale: 3).description == "2.5")
    }

    // MARK: Arithmetic

    @Test("adds and subtracts exactly")
    func addsExactly() throws {
        #expect(try decimal("0.1").adding(decimal("0.2")) == decimal("0.3"))
        #expect(try decimal("1.25").subtracting(ExactDecimal(3)).description == "-1.75")
        #expect(try decimal("-0.5").adding(decimal("0.5")) == .zero)
        #expect(try decimal("1e-18").adding(decimal("12345678901234567890")).description
            == "12345678901234567890.000000000000000001")
        #expect(throws: ExactDecimalError.outOfRange) {
            try decimal("99999999999999999999").adding(.one)
        }
        #expect(throws: ExactDecimalError.outOfRange) {
            try decimal("-99999999999999999999").subtracting(.one)
        }
        #expect(try decimal("-99999999999999999999").subtracting(decimal("0.5")).description == "-99999999999999999999.5")
    }

    @Test("multiplies exactly, rounding half-even only beyond 18 fractional digits")
    func multiplies() throws {
        #expect(try decimal("12.5").multiplied(by: decimal("1.5")).description == "18.75")
        #expect(try decimal("-0.5").multiplied(by: decimal("0.5")).description == "-0.25")
        #expect(try decimal("-2").multiplied(by: decimal("-3")).description == "6")
        #expect(try decimal("0.000000001").multiplied(by: decimal("0.000000001")).description == "0.000000000000000001")
        // 5e-19 is exactly half of the last place: ties go to the even neighbour, 0.
        #expect(try decimal("0.0000000005").multiplied(by: decimal("0.000000001")) == .zero)
        // 1.5e-18 → 2e-18 (2 is even); 2.5e-18 → 2e-18.
        #expect(try decimal("0.0000000015").multiplied(by: decimal("0.000000001")).description == "0.000000000000000002")
        #expect(try decimal("0.0000000025").multiplied(by: decimal("0.000000001")).description == "0.000000000000000002")
        #expect(try decimal("-0.0000000025").multiplied(by: decimal("0.000000001")).description == "-0.000000000000000002")
        #expect(throws: ExactDecimalError.outOfRange) { try decimal("1e10").multiplied(by: decimal("1e10")) }
        // The largest magnitudes multiply without trapping.
        #expect(throws: ExactDecimalError.outOfRange) {
            try decimal("99999999999999999999.999999999999999999").multiplied(by: decimal("-99999999999999999999"))
        }
    }

    @Test("divides exactly when the quotient terminates within 18 digits")
    func dividesExactly() throws {
        #expect(try ExactDecimal(4).divided(by: ExactDecimal(5)).description == "0.8")
        #expect(try ExactDecimal(1).divided(by: ExactDecimal(8)).description == "0.125")
        #expect(try ExactDecimal(10).divided(by: decimal("0.25")).description == "40")
        #expect(try decimal("-7.5").divided(by: decimal("2.5")).description == "-3")
        #expect(try ExactDecimal(1).divided(by: decimal("1e-18")).description == "1000000000000000000")
    }

    @Test("rounds non-terminating quotients half-even to 18 digits")
    func dividesWithRounding() throws {
        #expect(try ExactDecimal(1).divided(by: ExactDecimal(3)).description == "0.333333333333333333")
        #expect(try ExactDecimal(2).divided(by: ExactDecimal(3)).description == "0.666666666666666667")
        #expect(try ExactDecimal(-2).divided(by: ExactDecimal(3)).description == "-0.666666666666666667")
        #expect(try ExactDecimal(25).divided(by: ExactDecimal(60)).description == "0.416666666666666667")
        // 1e-18 / 2 = 5e-19: a tie, to the even neighbour 0. 3e-18 / 2 = 1.5e-18 → 2e-18.
        #expect(try decimal("1e-18").divided(by: ExactDecimal(2)) == .zero)
        #expect(try decimal("3e-18").divided(by: ExactDecimal(2)).description == "0.000000000000000002")
    }

    @Test("reports division by zero and overflowing quotients")
    func divisionFailures() throws {
        #expect(throws: ExactDecimalError.divisionByZero) { try ExactDecimal(1).divided(by: .zero) }
        #expect(throws: ExactDecimalError.divisionByZero) { try ExactDecimal.zero.divided(by: decimal("0.0")) }
        #expect(throws: ExactDecimalError.outOfRange) { try ExactDecimal(100).divided(by: decimal("1e-18")) }
        #expect(throws: ExactDecimalError.outOfRange) {
            try decimal("99999999999999999999").divided(by: decimal("0.000000000000000001"))
        }
    }

    // MARK: Rounding

    /// Each row: value, then the result for floor, ceil, halfUp, halfEven at step 1.
    static let wholeStepTable: [(String, String, String, String, String)] = [
        ("2.5", "2", "3", "3", "2"),
        ("3.5", "3", "4", "4", "4"),
        ("-2.5", "-3", "-2", "-3", "-2"),
        ("-3.5", "-4", "-3", "-4", "-4"),
        ("1.2", "1", "2", "1", "1"),
        ("1.7", "1", "2", "2", "2"),
        ("-1.2", "-2", "-1", "-1", "-1"),
        ("-1.7", "-2", "-1", "-2", "-2"),
        ("2", "2", "2", "2", "2"),
        ("-2", "-2", "-2", "-2", "-2"),
        ("0.5", "0", "1", "1", "0"),
        ("-0.5", "-1", "0", "-1", "0"),
    ]

    @Test("rounds to whole numbers in every mode", arguments: wholeStepTable)
    func roundsToWholeNumbers(row: (String, String, String, String, String)) throws {
        let value = try decimal(row.0)
        #expect(try value.rounded(toStep: .one, mode: .floor) == decimal(row.1))
        #expect(try value.rounded(toStep: .one, mode: .ceil) == decimal(row.2))
        #expect(try value.rounded(toStep: .one, mode: .halfUp) == decimal(row.3))
        #expect(try value.rounded(toStep: .one, mode: .halfEven) == decimal(row.4))
    }

    /// Each row: value, step, then floor, ceil, halfUp, halfEven.
    static let fractionalStepTable: [(String, String, String, String, String, String)] = [
        // 7.25 is 14.5 halves.
        ("7.25", "0.5", "7", "7.5", "7.5", "7"),
        ("-7.25", "0.5", "-7.5", "-7", "-7.5", "-7"),
        // 7.75 is 15.5 halves: the even neighbour is 16 halves = 8.
        ("7.75", "0.5", "7.5", "8", "8", "8"),
        ("7.3", "0.5", "7", "7.5", "7.5", "7.5"),
        ("2.5", "0.5", "2.5", "2.5", "2.5", "2.5"),
        // 1.005 is 100.5 hundredths.
        ("1.005", "0.01", "1", "1.01", "1.01", "1"),
        ("1.015", "0.01", "1.01", "1.02", "1.02", "1.02"),
        ("-1.005", "0.01", "-1.01", "-1", "-1.01", "-1"),
        ("0.333333333333333333", "0.01", "0.33", "0.34", "0.33", "0.33"),
        // Steps that are not powers of ten: 7 is 2.33 threes; 4.5 is 1.5 threes; 7.5 is 2.5 threes.
        ("7", "3", "6", "9", "6", "6"),
        ("4.5", "3", "3", "6", "6", "6"),
        ("-4.5", "3", "-6", "-3", "-6", "-6"),
        ("7.5", "3", "6", "9", "9", "6"),
        ("0.3", "0.25", "0.25", "0.5", "0.25", "0.25"),
        ("0.375", "0.25", "0.25", "0.5", "0.5", "0.5"),
        ("123.456", "10", "120", "130", "120", "120"),
    ]

    @Test("rounds to fractional and odd steps in every mode", arguments: fractionalStepTable)
    func roundsToSteps(row: (String, String, String, String, String, String)) throws {
        let value = try decimal(row.0)
        let step = try decimal(row.1)
        #expect(try value.rounded(toStep: step, mode: .floor) == decimal(row.2))
        #expect(try value.rounded(toStep: step, mode: .ceil) == decimal(row.3))
        #expect(try value.rounded(toStep: step, mode: .halfUp) == decimal(row.4))
        #expect(try value.rounded(toStep: step, mode: .halfEven) == decimal(row.5))
    }

    @Test("rejects steps that are not positive")
    func rejectsBadSteps() throws {
        #expect(throws: ExactDecimalError.invalidStep) { try ExactDecimal.one.rounded(toStep: .zero, mode: .floor) }
        #expect(throws: ExactDecimalError.invalidStep) {
            try ExactDecimal.one.rounded(toStep: decimal("-0.5"), mode: .halfUp)
        }
        #expect(throws: ExactDecimalError.outOfRange) {
            try decimal("99999999999999999999").rounded(toStep: decimal("1000"), mode: .ceil)
        }
    }

    // MARK: Comparison and hundredths

    @Test("compares across scales and signs")
    func compares() throws {
        #expect(try decimal("1.5") < decimal("1.51"))
        #expect(try decimal("-2") < decimal("-1.5"))
        #expect(try decimal("-0.001") < .zero)
        #expect(try decimal("10") > decimal("9.999999999999999999"))
        let sorted = try ["3", "-1.5", "0.25", "-10", "0.2"].map(decimal).sorted()
        #expect(sorted.map(\.description) == ["-10", "-1.5", "0.2", "0.25", "3"])
    }

    @Test("converts to and from hundredths")
    func hundredths() throws {
        #expect(try decimal("1.5").hundredths() == 150)
        #expect(try decimal("-0.25").hundredths() == -25)
        #expect(try ExactDecimal(3).hundredths() == 300)
        #expect(try decimal("0.01").hundredths() == 1)
        #expect(throws: ExactDecimalError.notWholeHundredths) { try decimal("1.005").hundredths() }
        #expect(throws: ExactDecimalError.outOfRange) { try decimal("1e19").hundredths() }
        #expect(ExactDecimal(hundredths: 150).description == "1.5")
        #expect(ExactDecimal(hundredths: -1).description == "-0.01")
        #expect(ExactDecimal(hundredths: Int64.max).description == "92233720368547758.07")
        #expect(try ExactDecimal(hundredths: Int64.min).hundredths() == Int64.min)
        // Round first, then convert: 18.755 points at half-even to 0.01 → 18.76 → 1876 hundredths.
        #expect(try decimal("18.755").rounded(toStep: decimal("0.01"), mode: .halfEven).hundredths() == 1876)
    }

    /// The normalization, the quotient and the text take shortcuts (trailing zeros removed several at a time, 128-bit
    /// dividends divided directly, 64-bit magnitudes converted directly); each is compared here with the plain method
    /// on values of every size: significands of 1 to 38 digits with runs of trailing zeros, every scale, both signs.
    @Test("shortcuts agree with the plain methods on random values")
    func shortcutsAgreeWithPlainMethods() throws {
        var generator = SplitMix64(seed: 20261122)
        func randomSignificand(maximumDigits: Int) -> Int128 {
            let digits = Int(generator.next() % UInt64(maximumDigits)) + 1
            var value: Int128 = 0
            for index in 0..<digits {
                // Runs of zeros are common in amounts (21.600000000000000000), so a third of the digits are zeros.
                let digit = generator.next() % 3 == 0 || index == digits - 1 && generator.next() % 2 == 0 ? 0 : Int128(generator.next() % 10)
                value = value * 10 + digit
            }
            return generator.next() % 2 == 0 ? -value : value
        }
        func plainText(_ significand: Int128, scale: Int) -> String {
            var significand = significand, scale = scale
            while scale > 0, significand % 10 == 0 { significand /= 10; scale -= 1 }
            let digits = String(significand.magnitude)
            let sign = significand < 0 ? "-" : ""
            guard scale > 0 else { return sign + digits }
            let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
            let split = padded.index(padded.endIndex, offsetBy: -scale)
            return sign + padded[..<split] + "." + padded[split...]
        }
        for _ in 0..<20_000 {
            let scale = Int(generator.next() % 19)
            let significand = randomSignificand(maximumDigits: 20 + scale)
            let value = try ExactDecimal(significand: significand, scale: scale)
            #expect(value.description == plainText(significand, scale: scale))
            #expect(value.scale == 0 || value.significand % 10 != 0)

            let divisorScale = Int(generator.next() % 19)
            let divisorSignificand = randomSignificand(maximumDigits: 12)
            guard divisorSignificand != 0 else { continue }
            let divisor = try ExactDecimal(significand: divisorSignificand, scale: divisorScale)
            // The plain quotient: the full-width division every time, rounded half-even to 18 digits.
            let power = 18 - value.scale + divisor.scale
            let numerator = value.significand.magnitude.multipliedFullWidth(by: ExactDecimal.powersOfTen[power])
            let magnitude = divisor.significand.magnitude
            var expected: String?
            if numerator.high < magnitude {
                var (quotient, remainder) = magnitude.dividingFullWidth((high: numerator.high, low: numerator.low))
                if remainder > magnitude - remainder || remainder == magnitude - remainder && quotient % 2 == 1 { quotient += 1 }
                if quotient < ExactDecimal.powersOfTen[38] {
                    let negative = (value.significand < 0) != (divisor.significand < 0)
                    expected = plainText(negative ? -Int128(quotient) : Int128(quotient), scale: 18)
                }
            }
            #expect((try? value.divided(by: divisor))?.description == expected, "\(value) / \(divisor)")
        }
    }

    @Test("small helpers")
    func helpers() throws {
        #expect(try decimal("-1.5").negated().description == "1.5")
        #expect(try decimal("-1.5").magnitude.description == "1.5")
        #expect(try decimal("12").exactInteger == 12)
        #expect(try decimal("12.5").exactInteger == nil)
        #expect(try decimal("-0.1").isNegative)
        #expect(try decimal("3").isInteger && !decimal("3.1").isInteger)
        #expect(ExactDecimalError.divisionByZero.description == "division by zero")
    }
}
