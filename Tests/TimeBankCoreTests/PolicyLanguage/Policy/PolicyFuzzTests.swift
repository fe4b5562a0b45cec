import Foundation
import Testing
@testable import TimeBankCore

/// Feeds mutated policies (seeded SplitMix64, so every run sees the same inputs) to the checker:
/// it never crashes, a policy comes back exactly when there is no error, and every diagnostic
/// points at a real place in the file whose line and column agree with its byte offset.
///
/// The count is `TIMEBANK_POLICY_FUZZ_COUNT` (default 100,000, what CI runs; about 70 s of CPU in a
/// debug build, split into four parts that run in parallel). Set it lower for a quick local run.
@Suite("Policy fuzzing")
struct PolicyFuzzTests {
    static var count: Int {
        ProcessInfo.processInfo.environment["TIMEBANK_POLICY_FUZZ_COUNT"].flatMap { Int($0) } ?? 100_000
    }

    /// Small valid policies that together use every section; mutations start from one of them.
    static let seeds: [String] = [
        PolicyFixtures.header + """
        [earning]
        rounding = "half_even"
        step = 0.5
        combine_multipliers = "max"

        [categories.orange]
        label = "橙色关怀"
        points_per_hour = 12
        daily_cap = 40

        [multipliers.weekend]
        factor = 1.2
        when = 'record.weekday in ["sat", "sun"] || record.is_holiday'

        [bonuses.first]
        points = 5
        once = true

        [penalties.no_show]
        points = -5
        when = 'record.tags.contains("no_show")'

        [caps]
        daily = 60
        monthly = 600

        """,
        """
        [policy]
        id = "village"
        version = "2026-1"
        effective = 2026-01-01
        unit = "信义币"

        [accounts]
        earn_to = "household"

        [indicators.garbage_sorting]
        label = "垃圾分类达标"
        dimension = "环境卫生"
        points = 3
        per = "month"

        [indicators.illegal_structure]
        points = -20
        per = "year"

        [grants.base_score]
        points = 100
        every = "year"
        to = "household"

        [levels.star1]
        min_points = 100

        [levels.star2]
        min_points = 300

        [expiry]
        end_of_year = true

        """,
        PolicyFixtures.header + PolicyFixtures.orange + """
        [earning]
        combine_multipliers = "product"

        [multipliers.satisfaction]
        factor = 'has(record.rating) ? record.rating / 5 : 1'
        categories = ["orange"]

        [catalog.rice]
        label = "大米 5kg"
        kind = "goods"
        price = 60
        unit_cost = 30
        limit = { count = 1, per = "month" }

        [catalog.check]
        kind = "service"
        price = 100
        eligible = 'volunteer.age >= 60'
        capacity_per_day = 10

        [fund]
        merchant_rate = 0.001
        point_value = 0.5

        [calendar]
        holidays = [2026-10-01, 2026-10-02]

        [ranking]
        period = "month"
        top = 10

        """,
    ]

    static let fragments = [
        "[", "]", "[[", "]]", "=", "\"", "'", "'''", "\"\"\"", "\n", "\r\n", "#", "{", "}", ",", ".", " ", "\t", "\\",
        "categories", "orange", "orang", "points_per_hour", "factor", "when", "points", "price", "kind", "per", "every",
        "[policy]", "[caps]", "[catalog.x]", "[levels.s]", "[multipliers.m]", "[bonuses.b]", "[penalties.p]", "[categories.\"橙色\"]",
        "-1", "0", "1e30", "inf", "nan", "0.001", "12.345", "99999999999999999999", "2026-02-30", "2026-10-01T08:00:00",
        "true", "\"yes\"", "record.", "record.rating", "volunteer.level", "\"sunday\"", " && ", " || ", "(", ")", "has(",
        "橙", "长者", "😀", "\u{7}", "_", "-", "+", "min_hours", "min_points", "end_of_year", "after_months",
    ]

    /// One random edit of the text: delete, insert a fragment, replace, duplicate a piece, or swap two neighbours.
    static func mutate(_ scalars: [Unicode.Scalar], random: inout SplitMix64) -> [Unicode.Scalar] {
        var scalars = scalars
        func below(_ bound: Int) -> Int { Int(random.next() % UInt64(max(bound, 1))) }
        let position = below(scalars.count + 1)
        let fragment = Array(fragments[below(fragments.count)].unicodeScalars)
        switch below(5) {
        case 0 where !scalars.isEmpty:
            let from = min(position, scalars.count - 1)
            scalars.removeSubrange(from..<min(scalars.count, from + 1 + below(8)))
        case 2 where position < scalars.count:
            scalars.replaceSubrange(position..<min(scalars.count, position + 1 + below(3)), with: fragment)
        case 3 where position < scalars.count:
            let piece = scalars[position..<min(scalars.count, position + 1 + below(40))]
            scalars.insert(contentsOf: piece, at: below(scalars.count + 1))
        case 4 where position + 1 < scalars.count:
            scalars.swapAt(position, position + 1)
        default:
            scalars.insert(contentsOf: fragment, at: position)
        }
        return scalars
    }

    /// The location of a byte offset computed independently of the checker: lines after "\n",
    /// columns counting Unicode scalars.
    struct LocationTable {
        let bytes: [UInt8]
        let lineStarts: [Int]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var starts = [0]
            for offset in 0..<bytes.count where bytes[offset] == 0x0A { starts.append(offset + 1) }
            lineStarts = starts
        }

        func location(at offset: Int) -> (line: Int, column: Int)? {
            guard offset >= 0, offset <= bytes.count else { return nil }
            var low = 0, high = lineStarts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
            }
            var column = 1
            for index in lineStarts[low]..<offset where bytes[index] & 0xC0 != 0x80 { column += 1 }
            return (low + 1, column)
        }
    }

    @Test("the seeds are valid policies")
    func seedsAreValid() {
        for seed in Self.seeds { #expect(PolicyFixtures.load(seed).diagnostics.isEmpty, "seed:\n\(PolicyFixtures.load(seed).rendered())") }
    }

    /// The work is split into four parts with their own seeds, so that they run in parallel.
    static let partCount = 4

    @Test("mutated policies never crash the checker, and every rejection has located diagnostics", arguments: 0..<partCount)
    func mutatedPolicies(part: Int) {
        var random = SplitMix64(seed: 0x7469_6D65_6261_6E6B &+ UInt64(part))
        let seeds = Self.seeds.map { Array($0.unicodeScalars) }
        let count = Self.count / Self.partCount + (part < Self.count % Self.partCount ? 1 : 0)
        var rejected = 0, accepted = 0, failures = 0
        let clock = ContinuousClock()
        let start = clock.now
        for round in 0..<count {
            var scalars = seeds[Int(random.next() % UInt64(seeds.count))]
            for _ in 0..<(1 + Int(random.next() % 3)) { scalars = Self.mutate(scalars, random: &random) }
            let text = String(String.UnicodeScalarView(scalars))
            let bytes = Array(text.utf8)
            let result = PolicyLoader.load(bytes: bytes, path: "fuzz.toml")
            let errors = result.diagnostics.filter { $0.severity == .error }
            var problem: String?
            if result.policy == nil, errors.isEmpty {
                problem = "rejected without an error"
            } else if result.policy != nil, !errors.isEmpty {
                problem = "accepted with errors"
            } else {
                let table = LocationTable(bytes)
                for diagnostic in result.diagnostics {
                    let range = diagnostic.range
                    guard range.start.offset <= range.end.offset,
                          let start = table.location(at: range.start.offset), let end = table.location(at: range.end.offset),
                          start == (range.start.line, range.start.column), end == (range.end.line, range.end.column) else {
                        problem = "\(diagnostic.id) at \(range) is not a place in the file"
                        break
                    }
                }
            }
            if let problem {
                failures += 1
                if failures <= 5 { Issue.record("round \(round): \(problem)\n--- input ---\n\(text)\n--- diagnostics ---\n\(result.rendered())") }
            }
            if result.policy == nil { rejected += 1 } else { accepted += 1 }
        }
        let elapsed = clock.now - start
        #expect(failures == 0)
        #expect(rejected > count / 4, "the mutations should break most policies")
        print("policy fuzzing, part \(part + 1) of \(Self.partCount): \(count) mutated policies, \(rejected) rejected, \(accepted) accepted, in \(elapsed)")
    }
}
