/// A small exact decimal in one machine word: `significand × 10^(-scale)`. The scorer's fast path
/// for the usual amounts (rates such as 12, factors such as 1.5, bonuses such as 5). Every
/// operation reports overflow as nil, and the scorer then redoes the record with `ExactDecimal`,
/// so both paths always give the same result: both are exact.
struct FixedDecimal: Hashable, Sendable {
    var significand: Int64
    /// 0...18.
    var scale: Int

    /// 10^exponent for 0...18 (a switch, not a table: no lazy global to check on every use).
    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }

    init(significand: Int64, scale: Int) {
        self.significand = significand
        self.scale = scale
    }

    /// The same value, when it fits a word.
    init?(_ value: ExactDecimal) {
        guard let significand = Int64(exactly: value.significand) else { return nil }
        self.significand = significand
        self.scale = value.scale
    }

    init(_ integer: Int) {
        significand = Int64(integer)
        scale = 0
    }

    /// The same value as an `ExactDecimal`.
    var exact: ExactDecimal {
        (try? ExactDecimal(significand: Int128(significand), scale: scale)) ?? .zero
    }

    /// The significand at a larger scale, or nil on overflow.
    @inline(__always)
    func aligned(to newScale: Int) -> Int64? {
        guard newScale > scale else { return significand }
        let (value, overflow) = significand.multipliedReportingOverflow(by: Self.powerOfTen(newScale - scale))
        return overflow ? nil : value
    }

    @inline(__always)
    func multiplied(by other: FixedDecimal) -> FixedDecimal? {
        let scale = self.scale + other.scale
        guard scale <= 18 else { return nil }
        let (value, overflow) = significand.multipliedReportingOverflow(by: other.significand)
        return overflow ? nil : FixedDecimal(significand: value, scale: scale)
    }

    @inline(__always)
    func adding(_ other: FixedDecimal) -> FixedDecimal? {
        let scale = max(self.scale, other.scale)
        guard let left = aligned(to: scale), let right = other.aligned(to: scale) else { return nil }
        let (value, overflow) = left.addingReportingOverflow(right)
        return overflow ? nil : FixedDecimal(significand: value, scale: scale)
    }

    @inline(__always)
    func subtracting(_ other: FixedDecimal) -> FixedDecimal? {
        adding(FixedDecimal(significand: -other.significand, scale: other.scale))
    }

    static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool? {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.aligned(to: scale), let right = rhs.aligned(to: scale) else { return nil }
        return left < right
    }

    /// The multiple of `step` chosen by `mode`, as `ExactDecimal.rounded(toStep:mode:)` does.
    func rounded(toStep step: FixedDecimal, mode: ExactDecimal.RoundingMode) -> FixedDecimal? {
        let scale = max(self.scale, step.scale)
        guard let value = aligned(to: scale), let stepValue = step.aligned(to: scale), stepValue > 0 else { return nil }
        var quotient = value / stepValue
        let remainder = value % stepValue
        if remainder != 0 {
            let awayFromZero: Int64 = value < 0 ? -1 : 1
            let twiceRemainder = remainder.magnitude * 2
            let stepMagnitude = stepValue.magnitude
            switch mode {
            case .floor: if value < 0 { quotient -= 1 }
            case .ceil: if value > 0 { quotient += 1 }
            case .halfUp: if twiceRemainder >= stepMagnitude { quotient += awayFromZero }
            case .halfEven:
                if twiceRemainder > stepMagnitude || (twiceRemainder == stepMagnitude && quotient % 2 != 0) { quotient += awayFromZero }
            }
        }
        let (result, overflow) = quotient.multipliedReportingOverflow(by: stepValue)
        return overflow ? nil : FixedDecimal(significand: result, scale: scale)
    }

    /// `self / 60` in hundredths, when `self` is 60 × a whole number of hundredths (as a rounded amount is).
    var hundredthsOfSixtieth: Int64? {
        // self = s × 10^-k; self / 60 × 100 = s × 100 / (60 × 10^k).
        let (numerator, overflow) = significand.multipliedReportingOverflow(by: 100)
        guard !overflow, scale <= 18 else { return nil }
        let (denominator, overflowDenominator) = Int64(60).multipliedReportingOverflow(by: Self.powerOfTen(scale))
        guard !overflowDenominator, numerator % denominator == 0 else { return nil }
        return numerator / denominator
    }
}
