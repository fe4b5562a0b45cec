import Testing
@testable import TimeBankCore

private func claims(_ pairs: [(String, Int64)]) -> [LargestRemainder.Claim] {
    pairs.map { LargestRemainder.Claim(id: $0.0, weight: $0.1) }
}


@Suite("Fund: largest-remainder allocation")
struct LargestRemainderTests {
    /// One hand-worked case: claims written `ID:WEIGHT ID:WEIGHT ...`, the shares expected in that order.
    struct Case: Sendable, CustomTestStringConvertible {
        var amount: Int64
        var claims: String
        var expected: [Int64]
        init(_ amount: Int64, _ claims: String, _ expected: [Int64]) {
            self.amount = amount
            self.claims = claims
            self.expected = expected
        }
        var parsed: [LargestRemainder.Claim] {
            claims.split(separator: " ").map { pair in
                let parts = pair.split(separator: ":")
                return LargestRemainder.Claim(id: String(parts[0]), weight: Int64(parts[1])!)
            }
        }
        var testDescription: String { "\(amount) among \(claims)" }
    }

    /// Each case worked by hand: floors of amount × weight ÷ total, then the leftover to the largest
    /// remainders (ties: larger weight, then id bytes).
    static let cases: [Case] = [
        // 100.00 among 1:1:1: floors 33.33 each (99.99), remainders all 1 (10000 mod 3), equal weights, so A first.
        Case(10_000, "A:1 B:1 C:1", [3_334, 3_333, 3_333]),
        // The same claims in another order: A still gets the leftover fen.
        Case(10_000, "C:1 B:1 A:1", [3_333, 3_333, 3_334]),
        // 1.00 among 5:3:2 divides evenly: no leftover.
        Case(100, "A:5 B:3 C:2", [50, 30, 20]),
        // 10.00 among 1:2:4 (total 7): floors 142, 285, 571 = 998; remainders 6, 5, 3, so the 2 fen go to A and B.
        Case(1_000, "A:1 B:2 C:4", [143, 286, 571]),
        // 0.02 among 1:3 (total 4): floors 0 and 1, remainders 2 and 2 tie; the larger weight (B) wins over the id.
        Case(2, "A:1 B:3", [0, 2]),
        // Equal weights and remainders: byte order of the id, so H0002 before H0010.
        Case(1, "H0010:1 H0002:1", [0, 1]),
        // A single household takes everything.
        Case(12_345, "H1:777", [12_345]),
        // A zero weight takes part and gets nothing, even with fen left over to give.
        Case(1_001, "A:0 B:2 C:2", [0, 501, 500]),
        // Nothing to share.
        Case(0, "A:3 B:4", [0, 0]),
        // 99.99 among 1 and 2 (total 3): 33.33 and 66.66 exactly.
        Case(9_999, "A:1 B:2", [3_333, 6_666]),
        // 0.10 among seven equal households: floors 1 each (7), 3 left over to the first three ids.
        Case(10, "H7:5 H6:5 H5:5 H4:5 H3:5 H2:5 H1:5", [1, 1, 1, 1, 2, 2, 2]),
    ]

    @Test("hand-computed shares that add up exactly", arguments: cases)
    func handComputed(_ example: Case) throws {
        let allocation = try LargestRemainder.allocate(example.amount, among: example.parsed)
        #expect(allocation.shares.map(\.amount) == example.expected)
        #expect(allocation.shares.reduce(0) { $0 + $1.amount } == example.amount)
        #expect(allocation.shares.map(\.id) == example.parsed.map(\.id))
        #expect(allocation.leftover == Int64(allocation.shares.filter(\.receivedLeftover).count))
    }

    @Test("the leftover and remainders are reported")
    func explanation() throws {
        let allocation = try LargestRemainder.allocate(1_000, among: claims([("A", 1), ("B", 2), ("C", 4)]))
        #expect(allocation.totalWeight == 7)
        #expect(allocation.leftover == 2)
        #expect(allocation.shares.map(\.floor) == [142, 285, 571])
        #expect(allocation.shares.map(\.remainder) == [6, 5, 3])
        #expect(allocation.shares.map(\.receivedLeftover) == [true, true, false])
    }

    @Test("weights that add up to nothing are an error, not a crash")
    func zeroWeights() {
        #expect(throws: LargestRemainder.Failure.zeroTotalWeight) { try LargestRemainder.allocate(100, among: claims([("A", 0), ("B", 0)])) }
        #expect(throws: LargestRemainder.Failure.zeroTotalWeight) { try LargestRemainder.allocate(100, among: []) }
    }

    @Test("negative amounts and weights, and an id twice, are errors")
    func badInput() {
        #expect(throws: LargestRemainder.Failure.negativeAmount(-1)) { try LargestRemainder.allocate(-1, among: claims([("A", 1)])) }
        #expect(throws: LargestRemainder.Failure.negativeWeight(id: "B", weight: -5)) {
            try LargestRemainder.allocate(100, among: claims([("A", 1), ("B", -5)]))
        }
        #expect(throws: LargestRemainder.Failure.duplicateID("A")) { try LargestRemainder.allocate(100, among: claims([("A", 1), ("A", 2)])) }
    }

    @Test("the largest values do not overflow")
    func hugeValues() throws {
        // Int64.max = 3 × 3074457345618258602 + 1: each gets the floor, and A (first id, equal weights) the 1 left.
        let max = Int64.max
        let thirds = try LargestRemainder.allocate(max, among: claims([("A", max), ("B", max), ("C", max)]))
        #expect(thirds.shares.map(\.amount) == [3_074_457_345_618_258_603, 3_074_457_345_618_258_602, 3_074_457_345_618_258_602])
        #expect(thirds.totalWeight == UInt128(max) * 3)

        // 10^15 fen among Int64.max, Int64.max - 1 and 1 (total 2^64 - 2): floors 5×10^14, 5×10^14 - 1 and 0;
        // B's remainder (2^64 - 2 - 10^15) is the largest, so B gets the fen left over.
        let uneven = try LargestRemainder.allocate(1_000_000_000_000_000, among: claims([("A", max), ("B", max - 1), ("C", 1)]))
        #expect(uneven.shares.map(\.amount) == [500_000_000_000_000, 500_000_000_000_000, 0])
        #expect(uneven.shares.map(\.remainder) == [0, 18_445_744_073_709_551_614, 1_000_000_000_000_000])
    }

    @Test("seeded random cases: shares sum to the amount, each within one fen of its exact share")
    func randomCases() throws {
        var random = SplitMix64(seed: 20261120)
        for _ in 0..<2_000 {
            let count = Int(random.next() % 40) + 1
            let amount = Int64(random.next() % 100_000_000)
            var weights: [LargestRemainder.Claim] = []
            for index in 0..<count {
                // Mostly small weights, sometimes huge ones and zeros.
                let weight: Int64 = switch random.next() % 10 {
                case 0: 0
                case 1: Int64(random.next() >> 1)
                default: Int64(random.next() % 10_000)
                }
                weights.append(LargestRemainder.Claim(id: "H\(index)", weight: weight))
            }
            guard weights.contains(where: { $0.weight > 0 }) else { continue }
            let allocation = try LargestRemainder.allocate(amount, among: weights)
            #expect(allocation.shares.reduce(0) { $0 + $1.amount } == amount)
            #expect(allocation.leftover >= 0 && allocation.leftover < Int64(count))
            for share in allocation.shares {
                // floor ≤ share ≤ floor + 1, and floor × total ≤ amount × weight < (floor + 1) × total.
                let product = UInt128(amount) * UInt128(share.weight)
                let exact = UInt128(share.floor) * allocation.totalWeight <= product && product < UInt128(share.floor + 1) * allocation.totalWeight
                let step = share.amount - share.floor == (share.receivedLeftover ? 1 : 0)
                if !exact || !step { Issue.record("\(share) of \(amount) among \(weights)") }
            }
            // Every claimant that got a leftover ranks before the best-ranked one that did not.
            if let bestOther = allocation.shares.filter({ !$0.receivedLeftover }).sorted(by: LargestRemainder.ranksBefore).first {
                for winner in allocation.shares where winner.receivedLeftover && !LargestRemainder.ranksBefore(winner, bestOther) {
                    Issue.record("\(winner) got a leftover fen before \(bestOther)")
                }
            }
        }
    }
}
