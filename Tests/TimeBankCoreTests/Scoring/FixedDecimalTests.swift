import Testing
@testable import TimeBankCore

/// The scorer's fast arithmetic must give exactly what `ExactDecimal` gives whenever it gives anything.
@Suite("FixedDecimal")
struct FixedDecimalTests {
    /// Random decimals with 0...4 fractional digits, positive and negative.
    private func randomDecimal(_ generator: inout SplitMix64) -> ExactDecimal {
        let scale = Int(generator.next() % 5)
        let magnitude = Int128(generator.next() % 2_000_000)
        let sign: Int128 = generator.next() % 4 == 0 ? -1 : 1
        return try! ExactDecimal(significand: sign * magnitude, scale: scale)
    }

    @Test("sums, products and rounding agree with ExactDecimal on 20,000 random pairs")
    func agreesWithExactDecimal() throws {
        var generator = SplitMix64(seed: 99)
        var checked = 0
        for _ in 0..<20_000 {
            let a = randomDecimal(&generator), b = randomDecimal(&generator)
            let fastA = try #require(FixedDecimal(a)), fastB = try #require(FixedDecimal(b))
            #expect(fastA.exact == a)
            if let sum = fastA.adding(fastB) { #expect(sum.exact == (try a.adding(b))); checked += 1 }
            if let product = fastA.multiplied(by: fastB) { #expect(product.exact == (try a.multiplied(by: b))); checked += 1 }
            let step = try ExactDecimal(significand: Int128(generator.next() % 200 + 1), scale: Int(generator.next() % 3))
            for mode in ExactDecimal.RoundingMode.allCases {
                if let rounded = fastA.rounded(toStep: try #require(FixedDecimal(step)), mode: mode) {
                    #expect(rounded.exact == (try a.rounded(toStep: step, mode: mode)), "\(a) to \(step) \(mode)")
                    checked += 1
                }
            }
        }
        #expect(checked > 100_000)
    }

    @Test("overflow gives nil, never a wrong number")
    func overflowIsNil() {
        let big = FixedDecimal(significand: Int64.max / 2, scale: 0)
        #expect(big.multiplied(by: FixedDecimal(3)) == nil)
        #expect(big.adding(big)?.significand == Int64.max - 1)
        #expect(big.adding(big.adding(FixedDecimal(2))!) == nil)
        #expect(FixedDecimal(significand: 1, scale: 10).multiplied(by: FixedDecimal(significand: 1, scale: 9)) == nil)
    }
}
