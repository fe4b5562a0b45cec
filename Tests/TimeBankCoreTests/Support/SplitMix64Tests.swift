import Testing
@testable import TimeBankCore

/// SplitMix64 against outputs of the reference algorithm, computed independently (Python, integer
/// arithmetic modulo 2^64).
@Suite struct SplitMix64Tests {
    @Test func firstOutputsForSeedZero() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
        #expect(generator.next() == 0xF88B_B8A8_724C_81EC)
    }

    @Test func firstOutputsForSeed42() {
        var generator = SplitMix64(seed: 42)
        #expect(generator.next() == 0xBDD7_3226_2FEB_6E95)
        #expect(generator.next() == 0x28EF_E333_B266_F103)
        #expect(generator.next() == 0x4752_6757_130F_9F52)
        #expect(generator.next() == 0x581C_E1FF_0E4A_E394)
    }

    /// The state is a plain counter: after n calls it is seed + n * 0x9E3779B97F4A7C15 (mod 2^64).
    @Test func stateAdvancesByTheGoldenRatioIncrement() {
        var generator = SplitMix64(seed: 0xFFFF_FFFF_FFFF_FFFF)
        _ = generator.next()
        _ = generator.next()
        #expect(generator.state == 0xFFFF_FFFF_FFFF_FFFF &+ 2 &* 0x9E37_79B9_7F4A_7C15)
    }

    @Test func sameSeedGivesTheSameSequenceThroughStandardLibraryHelpers() {
        var first = SplitMix64(seed: 20_260_101)
        var second = SplitMix64(seed: 20_260_101)
        let rollsFirst = (0..<50).map { _ in Int.random(in: 1...6, using: &first) }
        let rollsSecond = (0..<50).map { _ in Int.random(in: 1...6, using: &second) }
        #expect(rollsFirst == rollsSecond)
        #expect(Set(rollsFirst).isSubset(of: 1...6))
        var third = SplitMix64(seed: 20_260_102)
        #expect((0..<50).map { _ in Int.random(in: 1...6, using: &third) } != rollsFirst)
    }
}
