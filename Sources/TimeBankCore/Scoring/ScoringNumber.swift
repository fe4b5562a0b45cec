/// The arithmetic one record's earning needs, in two exact forms: `FixedDecimal` (one machine word,
/// fast; nil when a value does not fit) and `ExactDecimal` (always fits the amounts a policy can
/// produce). The scorer computes with the first and falls back to the second, so the numbers are
/// the same either way.
protocol ScoringNumber {
    /// The value of a policy amount in this form, or nil when it does not fit.
    static func make(_ exact: ExactDecimal, fast: FixedDecimal?) -> Self?
    static func integer(_ value: Int) -> Self
    static var one: Self { get }
    func times(_ other: Self) -> Self?
    func plus(_ other: Self) -> Self?
    func minus(_ other: Self) -> Self?
    func isLess(than other: Self) -> Bool?
    func roundedToStep(_ step: Self, mode: ExactDecimal.RoundingMode) -> Self?
    /// `self / 60` in hundredths, when it is a whole number of hundredths.
    var hundredthsOfSixtieth: Int64? { get }
    var exactValue: ExactDecimal { get }
}

extension FixedDecimal: ScoringNumber {
    static func make(_ exact: ExactDecimal, fast: FixedDecimal?) -> FixedDecimal? { fast ?? FixedDecimal(exact) }
    static func integer(_ value: Int) -> FixedDecimal { FixedDecimal(value) }
    static var one: FixedDecimal { FixedDecimal(1) }
    func times(_ other: FixedDecimal) -> FixedDecimal? { multiplied(by: other) }
    func plus(_ other: FixedDecimal) -> FixedDecimal? { adding(other) }
    func minus(_ other: FixedDecimal) -> FixedDecimal? { subtracting(other) }
    func isLess(than other: FixedDecimal) -> Bool? { self < other }
    func roundedToStep(_ step: FixedDecimal, mode: ExactDecimal.RoundingMode) -> FixedDecimal? { rounded(toStep: step, mode: mode) }
    var exactValue: ExactDecimal { exact }
}

extension ExactDecimal: ScoringNumber {
    static func make(_ exact: ExactDecimal, fast: FixedDecimal?) -> ExactDecimal? { exact }
    static func integer(_ value: Int) -> ExactDecimal { ExactDecimal(value) }
    func times(_ other: ExactDecimal) -> ExactDecimal? { try? multiplied(by: other) }
    func plus(_ other: ExactDecimal) -> ExactDecimal? { try? adding(other) }
    func minus(_ other: ExactDecimal) -> ExactDecimal? { try? subtracting(other) }
    func isLess(than other: ExactDecimal) -> Bool? { self < other }
    func roundedToStep(_ step: ExactDecimal, mode: ExactDecimal.RoundingMode) -> ExactDecimal? { try? rounded(toStep: step, mode: mode) }
    var hundredthsOfSixtieth: Int64? { (try? divided(by: ExactDecimal(60))).flatMap { try? $0.hundredths() } }
    var exactValue: ExactDecimal { self }
}
