/// A small, fast, seeded random number generator (SplitMix64, Steele, Lea and Flood 2014), so that
/// anything random — demo data, sampling, tie-breaking — is the same on every run for the same seed.
///
///     var generator = SplitMix64(seed: 0)
///     generator.next()                     // 0xE220A8397B1DCDAF
///     Int.random(in: 1...6, using: &generator)
///
/// Not for secrets: the output is predictable from any single value.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The counter that advances by the golden-ratio increment on every call.
    public private(set) var state: UInt64

    /// Creates a generator whose outputs are fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
