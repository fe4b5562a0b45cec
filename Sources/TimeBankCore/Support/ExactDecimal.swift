/// An exact decimal number for policy arithmetic: points per hour, factors such as `1.5`,
/// `record.rating / 5`. No binary floating point is involved anywhere.
///
///     let rate = try ExactDecimal(parsing: "12.5")
///     let hours = try ExactDecimal(parsing: "1.5")
///     try rate.multiplied(by: hours).description            // "18.75"
///     try ExactDecimal(4).divided(by: ExactDecimal(5))       // 0.8, exactly
///
/// The value is `significand × 10^(-scale)`, kept normalized (no trailing zeros in the
/// significand), so equal numbers have equal representations and `1.50 == 1.5`.
///
/// Limits: at most 18 fractional digits and a magnitude below 10^20. Every operation that could
/// leave these limits reports an `ExactDecimalError` instead of trapping.
///
/// Precision rule: `+`, `-` and comparisons are always exact. `*` and `/` are exact whenever the
/// exact result has at most 18 fractional digits; otherwise the result is rounded half-even to
/// 18 fractional digits (`1 / 3` = `0.333333333333333333`, `2 / 3` = `0.666666666666666667`).
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The most fractional digits a value may carry.
    public static let maximumFractionDigits = 18
    /// The most integer digits a value may carry: every value is below 10^20 in magnitude.
    public static let maximumIntegerDigits = 20

    /// The digits of the value without the decimal point (normalized: no trailing zeros when `scale > 0`).
    public let significand: Int128
    /// How many of the significand's digits are fractional, 0...18.
    public let scale: Int

    /// Zero.
    public static let zero = ExactDecimal(uncheckedSignificand: 0, scale: 0)
    /// One.
    public static let one = ExactDecimal(uncheckedSignificand: 1, scale: 0)

    /// Creates a value from a significand and scale that are already within limits, normalizing trailing zeros.
    private init(uncheckedSignificand: Int128, scale: Int) {
        var significand = uncheckedSignificand
        var scale = scale
        if significand == 0 {
            scale = 0
        }
        // Trailing zeros come off 16, 8, 4, 2 and 1 at a time (a scale is at most 18, so each step is needed at most
        // once): a quotient at 18 digits such as 21.600000000000000000 takes a few 128-bit divisions, not 34.
        var digits = 16
        while digits > 0, scale > 0 {
            if scale >= digits {
                let power = Int128(ExactDecimal.powersOfTen[digits])
                let (quotient, remainder) = significand.quotientAndRemainder(dividingBy: power)
                if remainder == 0 {
                    significand = quotient
                    scale -= digits
                }
            }
            digits >>= 1
        }
        self.significand = significand
        self.scale = scale
    }

    /// Creates a value from `significand × 10^(-scale)` (`scale` in 0...18), or reports it out of range.
    public init(significand: Int128, scale: Int) throws(ExactDecimalError) {
        guard (0...ExactDecimal.maximumFractionDigits).contains(scale) else {
            throw .tooManyFractionalDigits
        }
        guard significand.magnitude < ExactDecimal.limit(scale: scale) else { throw .outOfRange }
        self.init(uncheckedSignificand: significand, scale: scale)
    }

    /// Creates the integer value `integer` (always within range).
    public init(_ integer: Int) {
        self.init(uncheckedSignificand: Int128(integer), scale: 0)
    }

    /// Creates a value from an amount in hundredths: `ExactDecimal(hundredths: 150)` is 1.5.
    public init(hundredths: Int64) {
        self.init(uncheckedSignificand: Int128(hundredths), scale: 2)
    }

    // MARK: Properties

    /// Whether the value is zero.
    public var isZero: Bool { significand == 0 }
    /// Whether the value is below zero.
    public var isNegative: Bool { significand < 0 }
    /// Whether the value has no fractional part.
    public var isInteger: Bool { scale == 0 }

    /// The value with its sign flipped (always within range).
    public func negated() -> ExactDecimal {
        ExactDecimal(uncheckedSignificand: -significand, scale: scale)
    }

    /// The absolute value (always within range).
    public var magnitude: ExactDecimal {
        ExactDecimal(uncheckedSignificand: significand < 0 ? -significand : significand, scale: scale)
    }

    /// The value in hundredths, exactly: 1.5 → 150. Reports `.notWholeHundredths` when the value has
    /// more than two fractional digits (round it first with `rounded(toStep:mode:)`), and
    /// `.outOfRange` when it does not fit in `Int64`.
    public func hundredths() throws(ExactDecimalError) -> Int64 {
        guard scale <= 2 else { throw .notWholeHundredths }
        let scaled = significand * Int128(ExactDecimal.powersOfTen[2 - scale])
        guard let result = Int64(exactly: scaled) else { throw .outOfRange }
        return result
    }

    /// The value as an `Int` when it is a whole number that fits, else nil.
    public var exactInteger: Int? {
        guard scale == 0 else { return nil }
        return Int(exactly: significand)
    }

    // MARK: Text

    /// The canonical text: no exponent, no trailing zeros, "-" for negatives ("1.5", "-0.25", "3").
    public var description: String {
        var bytes: [UInt8] = []
        bytes.appendDecimal(self)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses a decimal number: an optional sign, digits with an optional fraction and an optional
    /// exponent, with single underscores allowed between digits as in TOML
    /// (`"10"`, `"-1.25"`, `"1e3"`, `"1.5E-2"`, `"+0.5"`, `"1_000.5"`).
    ///
    /// Reports `.invalidSyntax` for malformed text, `.tooManyFractionalDigits` when the value needs
    /// more than 18 fractional digits, and `.outOfRange` when its magnitude is 10^20 or more.
    public init(parsing text: some StringProtocol) throws(ExactDecimalError) {
        let bytes = Array(text.utf8)
        var index = 0
        var isNegative = false
        func fail() -> ExactDecimalError { .invalidSyntax(String(text)) }

        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            isNegative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        // Reads digits with TOML-style underscores (each one between two digits); returns them as values 0...9.
        func readDigits() -> [UInt8]? {
            var digits: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    digits.append(byte - UInt8(ascii: "0"))
                    index += 1
                } else if byte == UInt8(ascii: "_") {
                    let nextIsDigit = index + 1 < bytes.count
                        && bytes[index + 1] >= UInt8(ascii: "0") && bytes[index + 1] <= UInt8(ascii: "9")
                    guard !digits.isEmpty, nextIsDigit else { return nil }
                    index += 1
                } else {
                    break
                }
            }
            return digits.isEmpty ? nil : digits
        }

        guard var digits = readDigits() else { throw fail() }
        var fractionDigitCount = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard let fraction = readDigits() else { throw fail() }
            digits += fraction
            fractionDigitCount = fraction.count
        }
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentIsNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentIsNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard let exponentDigits = readDigits() else { throw fail() }
            for digit in exponentDigits {
                // Any exponent beyond 10,000 is out of range for a nonzero value; clamp to stay finite.
                exponent = min(exponent * 10 + Int(digit), 10_000)
            }
            if exponentIsNegative { exponent = -exponent }
        }
        guard index == bytes.count else { throw fail() }

        // Drop leading zeros, then trailing zeros (each one dropped lowers the scale by one).
        if let firstNonZero = digits.firstIndex(where: { $0 != 0 }) {
            digits.removeFirst(firstNonZero)
        } else {
            self = .zero
            return
        }
        var scale = fractionDigitCount - exponent
        while let last = digits.last, last == 0 {
            digits.removeLast()
            scale -= 1
        }
        guard scale <= ExactDecimal.maximumFractionDigits else { throw .tooManyFractionalDigits }
        guard digits.count - scale <= ExactDecimal.maximumIntegerDigits else { throw .outOfRange }
        if scale < 0 {
            digits += Array(repeating: 0, count: -scale)
            scale = 0
        }
        var significand: Int128 = 0
        for digit in digits {
            significand = significand * 10 + Int128(digit)
        }
        self.init(uncheckedSignificand: isNegative ? -significand : significand, scale: scale)
    }

    /// Parses like `init(parsing:)`, or returns nil.
    public init?(_ text: some StringProtocol) {
        guard let value = try? ExactDecimal(parsing: text) else { return nil }
        self = value
    }

    // MARK: Arithmetic

    /// The exact sum, or `.outOfRange`.
    public func adding(_ other: ExactDecimal) throws(ExactDecimalError) -> ExactDecimal {
        let scale = max(self.scale, other.scale)
        let (sum, overflow) = aligned(to: scale).addingReportingOverflow(other.aligned(to: scale))
        guard !overflow else { throw .outOfRange }
        return try ExactDecimal(significand: sum, scale: scale)
    }

    /// The exact difference, or `.outOfRange`.
    public func subtracting(_ other: ExactDecimal) throws(ExactDecimalError) -> ExactDecimal {
        try adding(other.negated())
    }

    /// The product: exact when it has at most 18 fractional digits, else rounded half-even to 18.
    /// Reports `.outOfRange` when the magnitude reaches 10^20.
    public func multiplied(by other: ExactDecimal) throws(ExactDecimalError) -> ExactDecimal {
        let isNegative = (significand < 0) != (other.significand < 0)
        let product = significand.magnitude.multipliedFullWidth(by: other.significand.magnitude)
        let productScale = scale + other.scale
        let excessDigits = max(0, productScale - ExactDecimal.maximumFractionDigits)
        let quotient = try ExactDecimal.divideRoundingHalfEven(
            high: product.high, low: product.low, by: ExactDecimal.powersOfTen[excessDigits])
        return try ExactDecimal.make(magnitude: quotient, isNegative: isNegative, scale: productScale - excessDigits)
    }

    /// The quotient: exact when it terminates within 18 fractional digits, else rounded half-even
    /// to 18 fractional digits. Reports `.divisionByZero` and `.outOfRange`.
    public func divided(by divisor: ExactDecimal) throws(ExactDecimalError) -> ExactDecimal {
        guard !divisor.isZero else { throw .divisionByZero }
        let isNegative = (significand < 0) != (divisor.significand < 0)
        // self / divisor = (a × 10^(18 - sa + sb) / b) × 10^-18; the power is 0...36, which fits UInt128.
        let power = ExactDecimal.maximumFractionDigits - scale + divisor.scale
        let numerator = significand.magnitude.multipliedFullWidth(by: ExactDecimal.powersOfTen[power])
        let quotient = try ExactDecimal.divideRoundingHalfEven(
            high: numerator.high, low: numerator.low, by: divisor.significand.magnitude)
        return try ExactDecimal.make(
            magnitude: quotient, isNegative: isNegative, scale: ExactDecimal.maximumFractionDigits)
    }

    // MARK: Rounding

    /// How `rounded(toStep:mode:)` picks between the two nearest multiples of the step.
    public enum RoundingMode: String, Sendable, Hashable, CaseIterable {
        /// Toward negative infinity: 1.7 → 1, -1.2 → -2.
        case floor
        /// Toward positive infinity: 1.2 → 2, -1.7 → -1.
        case ceil
        /// To the nearest; ties away from zero: 2.5 → 3, -2.5 → -3.
        case halfUp
        /// To the nearest; ties to the even multiple: 2.5 → 2, 3.5 → 4, -2.5 → -2.
        case halfEven
    }

    /// The multiple of `step` chosen by `mode`, exactly: `7.25` to step `0.5` with `.halfEven` is `7`
    /// (7.25 is 14.5 halves; the even one is 14), with `.halfUp` it is `7.5`.
    /// Reports `.invalidStep` unless `step > 0`, and `.outOfRange`.
    public func rounded(toStep step: ExactDecimal, mode: RoundingMode) throws(ExactDecimalError) -> ExactDecimal {
        guard step.significand > 0 else { throw .invalidStep }
        let scale = max(self.scale, step.scale)
        let value = aligned(to: scale)
        let stepSignificand = step.aligned(to: scale)
        var quotient = value / stepSignificand
        let remainder = value % stepSignificand // has the sign of `value`
        if remainder != 0 {
            let awayFromZero: Int128 = value < 0 ? -1 : 1
            let twiceRemainder = remainder.magnitude * 2 // < 2 × 10^38, fits UInt128
            let stepMagnitude = stepSignificand.magnitude
            switch mode {
            case .floor:
                if value < 0 { quotient -= 1 }
            case .ceil:
                if value > 0 { quotient += 1 }
            case .halfUp:
                if twiceRemainder >= stepMagnitude { quotient += awayFromZero }
            case .halfEven:
                if twiceRemainder > stepMagnitude || (twiceRemainder == stepMagnitude && quotient % 2 != 0) {
                    quotient += awayFromZero
                }
            }
        }
        let (result, overflow) = quotient.multipliedReportingOverflow(by: stepSignificand)
        guard !overflow else { throw .outOfRange }
        return try ExactDecimal(significand: result, scale: scale)
    }

    // MARK: Comparison

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.aligned(to: scale) < rhs.aligned(to: scale)
    }

    // MARK: Helpers

    /// 10^0 ... 10^38, all of which fit in UInt128 (2^128 ≈ 3.4 × 10^38).
    static let powersOfTen: [UInt128] = {
        var powers: [UInt128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// The exclusive bound on the significand's magnitude at a scale: 10^(20 + scale) ≤ 10^38.
    private static func limit(scale: Int) -> UInt128 {
        powersOfTen[maximumIntegerDigits + scale]
    }

    /// The significand rescaled to a larger scale; always fits because every magnitude is below 10^(20 + scale) ≤ 10^38.
    private func aligned(to newScale: Int) -> Int128 {
        significand * Int128(ExactDecimal.powersOfTen[newScale - scale])
    }

    /// A value from an unsigned magnitude, or `.outOfRange`.
    private static func make(magnitude: UInt128, isNegative: Bool, scale: Int) throws(ExactDecimalError) -> ExactDecimal {
        guard magnitude < limit(scale: scale) else { throw .outOfRange }
        let significand = Int128(magnitude) // below 10^38 < Int128.max
        return ExactDecimal(uncheckedSignificand: isNegative ? -significand : significand, scale: scale)
    }

    /// (high, low) / divisor for a 256-bit dividend, rounded half-even; `.outOfRange` if it needs more than 128 bits.
    private static func divideRoundingHalfEven(high: UInt128, low: UInt128, by divisor: UInt128) throws(ExactDecimalError) -> UInt128 {
        guard high < divisor else { throw .outOfRange }
        // A dividend that fits 128 bits (the usual case) is divided directly, without the full-width algorithm.
        let (quotient, remainder) = high == 0 ? low.quotientAndRemainder(dividingBy: divisor)
                                              : divisor.dividingFullWidth((high: high, low: low))
        // remainder < divisor; compare 2 × remainder with the divisor without overflowing.
        let (twiceRemainder, overflow) = remainder.multipliedReportingOverflow(by: 2)
        let roundsUp = overflow || twiceRemainder > divisor || (twiceRemainder == divisor && quotient % 2 == 1)
        guard roundsUp else { return quotient }
        guard quotient < UInt128.max else { throw .outOfRange }
        return quotient + 1
    }
}

/// Why an `ExactDecimal` could not be made or computed.
public enum ExactDecimalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text is not a decimal number.
    case invalidSyntax(String)
    /// The value needs more than 18 fractional digits.
    case tooManyFractionalDigits
    /// The magnitude is 10^20 or more (or does not fit the requested integer type).
    case outOfRange
    /// A division by zero.
    case divisionByZero
    /// A rounding step that is zero or negative.
    case invalidStep
    /// The value has more than two fractional digits, so it is not a whole number of hundredths.
    case notWholeHundredths

    public var description: String {
        switch self {
        case .invalidSyntax(let text): "\"\(text)\" is not a decimal number"
        case .tooManyFractionalDigits: "the number has more than 18 fractional digits"
        case .outOfRange: "the number is out of range (its magnitude must stay below 10^20)"
        case .divisionByZero: "division by zero"
        case .invalidStep: "the rounding step must be greater than zero"
        case .notWholeHundredths: "the number has more than two fractional digits; round it to 0.01 first"
        }
    }
}
