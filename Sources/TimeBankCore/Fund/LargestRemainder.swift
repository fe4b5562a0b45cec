/// Shares a whole amount (fen, or hundredths of a point) among weights so that the shares add up to
/// the amount exactly: the largest-remainder method (Hamilton's method).
///
///     let allocation = try LargestRemainder.allocate(10_000, among: [("H1", 100), ("H2", 100), ("H3", 100)])
///     allocation.shares.map(\.amount)   // [3334, 3333, 3333]: 100.00 CNY shared 1:1:1
///
/// 1. Each claimant first gets the floor of its exact pro-rata share, `amount × weight ÷ total`.
/// 2. The fen left over (fewer than the number of claimants with a weight) go one each to the claimants
///    with the largest remainders of that division.
/// 3. Ties between equal remainders: the larger weight first, then the id in byte order (UTF-8,
///    so `H0002` before `H0010`, and ASCII before Chinese). The order of the input never matters.
///
/// The arithmetic is exact integer arithmetic in 128 bits: an amount and weights up to `Int64.max`
/// cannot overflow, and no floating point is involved.
///
/// - Complexity: O(n log n) for n claimants (the sort that ranks the remainders).
public enum LargestRemainder {
    /// One claimant: an id (household, volunteer, ...) and its weight (e.g. points in hundredths).
    public struct Claim: Hashable, Sendable {
        public var id: String
        public var weight: Int64

        public init(id: String, weight: Int64) {
            self.id = id
            self.weight = weight
        }
    }

    /// One claimant's share.
    public struct Share: Hashable, Sendable {
        public var id: String
        public var weight: Int64
        /// The share: `floor` plus 1 when the claimant received a leftover unit.
        public var amount: Int64
        /// `amount × weight ÷ total`, rounded down.
        public var floor: Int64
        /// The remainder of that division, `amount × weight mod total` (ranks the claimants for the leftover).
        public var remainder: UInt128
        /// Whether one leftover unit went to this claimant.
        public var receivedLeftover: Bool

        public init(id: String, weight: Int64, amount: Int64, floor: Int64, remainder: UInt128, receivedLeftover: Bool) {
            self.id = id
            self.weight = weight
            self.amount = amount
            self.floor = floor
            self.remainder = remainder
            self.receivedLeftover = receivedLeftover
        }
    }

    /// The result: the shares in the input's order, and the totals that explain them.
    public struct Allocation: Hashable, Sendable {
        /// In the order the claims were given.
        public var shares: [Share]
        /// The amount shared; always the sum of `shares`.
        public var amount: Int64
        /// The sum of the weights.
        public var totalWeight: UInt128
        /// How many units were given out as leftovers (after the floors).
        public var leftover: Int64
    }

    /// Why an allocation cannot be made. Each is an input error, never a crash.
    public enum Failure: Error, Hashable, Sendable {
        /// The weights add up to 0: there is nothing to share by.
        case zeroTotalWeight
        /// An amount below 0.
        case negativeAmount(Int64)
        /// A weight below 0.
        case negativeWeight(id: String, weight: Int64)
        /// The same id twice.
        case duplicateID(String)
    }

    /// Shares `amount` among `claims` in proportion to their weights (see the type's documentation).
    /// Claims with weight 0 take part and get 0. Throws when the weights add up to 0, when the amount or a
    /// weight is negative, or when an id appears twice.
    public static func allocate(_ amount: Int64, among claims: [Claim]) throws(Failure) -> Allocation {
        guard amount >= 0 else { throw .negativeAmount(amount) }
        var seen = Set<String>()
        var total: UInt128 = 0
        for claim in claims {
            guard claim.weight >= 0 else { throw .negativeWeight(id: claim.id, weight: claim.weight) }
            guard seen.insert(claim.id).inserted else { throw .duplicateID(claim.id) }
            // At most 2^63 per claim: even 2^64 claims could not overflow 128 bits.
            total += UInt128(claim.weight)
        }
        guard total > 0 else { throw .zeroTotalWeight }

        // amount × weight < 2^126, and the quotient is at most `amount`, so it fits Int64.
        let whole = UInt128(amount)
        var shares: [Share] = []
        shares.reserveCapacity(claims.count)
        var given: Int64 = 0
        for claim in claims {
            let product = whole * UInt128(claim.weight)
            let floor = Int64(product / total)
            shares.append(Share(id: claim.id, weight: claim.weight, amount: floor, floor: floor,
                                remainder: product % total, receivedLeftover: false))
            given += floor
        }
        // Σ floor > amount - n (each floor loses less than 1), so the leftover is below the claimant count.
        let leftover = amount - given
        if leftover > 0 {
            let ranked = shares.indices.sorted { ranksBefore(shares[$0], shares[$1]) }
            for index in ranked.prefix(Int(leftover)) {
                shares[index].amount += 1
                shares[index].receivedLeftover = true
            }
        }
        return Allocation(shares: shares, amount: amount, totalWeight: total, leftover: leftover)
    }

    /// The order in which claimants receive leftover units: larger remainder, then larger weight, then id bytes.
    public static func ranksBefore(_ lhs: Share, _ rhs: Share) -> Bool {
        if lhs.remainder != rhs.remainder { return lhs.remainder > rhs.remainder }
        if lhs.weight != rhs.weight { return lhs.weight > rhs.weight }
        return lhs.id.utf8.lexicographicallyPrecedes(rhs.id.utf8)
    }
}
