/// The arithmetic of the micro-fund (微基金), exact and in whole fen: what a merchant pays in, what the
/// points outstanding are worth, and how well the fund covers them.
///
///     try FundMath.contribution(turnover: 1_234_567, rate: ExactDecimal("0.001")!)   // 1235: 12.35 CNY of 12,345.67
///     try FundMath.coverage(fund: 50_000, pointsOutstanding: 200_000, pointValue: ExactDecimal("0.5")!)
///     // .ratio(0.5): 500.00 CNY against 2,000.00 points × 0.50 CNY = 1,000.00 CNY
public enum FundMath {
    /// A merchant's contribution in fen: `turnover × rate`, rounded to the fen half-up (a half fen or
    /// more rounds up: 0.005 → 0.01, 0.00499 → 0.00). Exact: computed in 128-bit integers from the
    /// rate's decimal digits, with no intermediate rounding.
    ///
    /// - Parameters:
    ///   - turnover: the merchant's turnover in fen (≥ 0).
    ///   - rate: the policy's `fund.merchant_rate`, 0 ≤ rate < 1 (the policy checker guarantees it).
    public static func contribution(turnover: Int64, rate: ExactDecimal) throws(FundError) -> Int64 {
        guard turnover >= 0, turnover <= Hundredths.maximumMagnitude else { throw .invalidAmount(field: "turnover", text: Hundredths.format(turnover)) }
        guard !rate.isNegative, rate < .one else { throw .rateOutOfRange(rate.description) }
        // rate = significand / 10^scale with significand < 10^scale ≤ 10^18, so the product is below 10^33 < 2^127.
        let numerator = Int128(turnover) * rate.significand
        let denominator = Int128(ExactDecimal.powersOfTen[rate.scale])
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        return Int64(remainder * 2 >= denominator ? quotient + 1 : quotient)
    }

    /// How well the fund covers the points outstanding.
    public enum Coverage: Hashable, Sendable {
        /// fund ÷ liability, exact when it terminates within 18 decimals (else rounded half-even there).
        case ratio(ExactDecimal)
        /// No points are outstanding: there is nothing to cover.
        case noPointsOutstanding
        /// Points are outstanding but the policy's `point_value` is 0: they are not backed by money.
        case pointsNotValued
        /// The accounts owe more points than they hold (balances below 0, as a `balance_floor` below 0 allows): the sum
        /// outstanding is below 0, nothing is owed to them, and there is nothing to cover.
        case pointsOwed

        /// Whether the fund holds less than the points are worth (the report warns).
        public var isBelowOne: Bool {
            if case .ratio(let ratio) = self { return ratio < .one }
            return false
        }

        /// The ratio with `decimals` places, rounded half-up, or the words for the cases without one. A ratio below 1
        /// never shows as 1: one that would round up to it is the largest figure below 1 at that precision (0.99999
        /// is `0.9999`), so that the figure does not read as fully covered next to the warning that the fund is short.
        public func text(decimals: Int = 4) -> String {
            switch self {
            case .ratio(let ratio):
                if ratio < .one, let rounded = ExactDecimal(FundMath.fixed(ratio, decimals: decimals)), rounded >= .one {
                    decimals > 0 ? "0." + String(repeating: "9", count: min(decimals, ExactDecimal.maximumFractionDigits)) : "0"
                } else {
                    FundMath.fixed(ratio, decimals: decimals)
                }
            case .noPointsOutstanding: "no points outstanding"
            case .pointsNotValued: "points not valued in CNY"
            case .pointsOwed: "points owed, none outstanding"
            }
        }

        /// The ratio as `text(decimals:)` writes it, for machines (`--json`, report figures); nil for the cases without one.
        public func ratioText(decimals: Int) -> String? {
            if case .ratio = self { return text(decimals: decimals) }
            return nil
        }
    }

    /// The CNY the points outstanding are worth: `points × pointValue`, exact (may carry more than two decimals).
    /// - Parameter points: hundredths of a point.
    public static func liability(points: Int64, pointValue: ExactDecimal) throws(FundError) -> ExactDecimal {
        do {
            return try ExactDecimal(hundredths: points).multiplied(by: pointValue)
        } catch {
            throw .outOfRange("\(Hundredths.format(points)) points × \(pointValue) CNY")
        }
    }

    /// The coverage ratio: the fund balance (fen) ÷ the points outstanding (hundredths) × `pointValue` (CNY per point).
    public static func coverage(fund: Int64, pointsOutstanding points: Int64, pointValue: ExactDecimal) throws(FundError) -> Coverage {
        guard points != 0 else { return .noPointsOutstanding }
        guard points > 0 else { return .pointsOwed }
        let liability = try liability(points: points, pointValue: pointValue)
        guard !liability.isZero else { return .pointsNotValued }
        do {
            return .ratio(try ExactDecimal(hundredths: fund).divided(by: liability))
        } catch {
            throw .outOfRange("\(Hundredths.format(fund)) CNY ÷ \(liability) CNY")
        }
    }

    /// A decimal with exactly `decimals` places, rounded half-up: `fixed(0.5, decimals: 4)` is `0.5000`.
    public static func fixed(_ value: ExactDecimal, decimals: Int) -> String {
        let places = max(0, min(decimals, ExactDecimal.maximumFractionDigits))
        let step = (try? ExactDecimal(significand: 1, scale: places)) ?? .one
        let rounded = (try? value.rounded(toStep: step, mode: .halfUp)) ?? value
        var text = rounded.description
        guard places > 0 else { return text }
        let fraction = text.firstIndex(of: ".").map { text.distance(from: text.index(after: $0), to: text.endIndex) } ?? -1
        if fraction < 0 { text += "." }
        return text + String(repeating: "0", count: places - max(fraction, 0))
    }

    /// CNY with more than two decimals rounded half-up to the fen, as hundredths (for display and totals).
    public static func fen(_ value: ExactDecimal) throws(FundError) -> Int64 {
        do {
            return try value.rounded(toStep: ExactDecimal(hundredths: 1), mode: .halfUp).hundredths()
        } catch {
            throw .outOfRange("\(value) CNY")
        }
    }
}
