import Testing
@testable import TimeBankCore

/// Mutates valid expressions at random (seeded, so every run is the same) and checks that the
/// compiler never crashes, that every rejected text has an error, and that every diagnostic's
/// range lies inside the text at exact scalar boundaries.
@Suite("Expression mutation")
struct ExpressionMutationTests {
    typealias F = ExpressionFixtures

    /// SplitMix64 (Steele, Lea and Flood 2014): a tiny deterministic generator.
    struct SplitMix64 {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A number in 0..<bound (bound > 0).
        mutating func below(_ bound: Int) -> Int {
            Int(next() % UInt64(bound))
        }
    }

    static let seeds: [(String, ExpressionType)] = [
        (#"record.category == "orange" && record.weekday in ["sat", "sun"]"#, .bool),
        ("has(record.rating) ? record.rating / 5 : 1", .decimal),
        ("record.minutes >= 60 || record.is_holiday", .bool),
        (#"!(record.response_level == "I") && volunteer.age >= 60"#, .bool),
        (#"record.tags.contains("elder") && size(volunteer.teams) > 0"#, .bool),
        (#"volunteer.id.startsWith("v-") && record.date >= date("2026-10-01")"#, .bool),
        ("(record.hours * 1.5 - 0.25) / 2 > 0.5", .bool),
        ("household.members > 2 && household.points_total < 1000", .bool),
        (#"record.kind == "service" ? record.minutes / 60 : 2"#, .decimal),
        (#"'single' + "double\n\u{6A59}" == "长者""#, .bool),
        ("[1, 2.5, -3].contains(record.rating)", .bool),
        ("record.start_hour < 12 && !has(record.verifier)", .bool),
    ]

    static let fragments = [
        "(", ")", "[", "]", "\"", "'", "\\", ".", ",", "!", "-", "+", "*", "/", "==", "!=", "<", ">=", "&&", "||",
        "&", "|", "=", "?", ":", " in ", "has(", "size(", "date(", "record", "volunteer", "household", ".rating",
        ".category", ".tags", "\"orang\"", "\"sat\"", "5", "0", "1.5", "1e99", "99999999999999999999", "橙", "“",
        "\n", "\t", " ", "\\u{", "null", "true", "and", "%", "#", "{", "0x", "_", "长者", "😀",
    ]

    /// One random edit: delete, insert, replace, duplicate or swap.
    static func mutate(_ scalars: [Unicode.Scalar], random: inout SplitMix64) -> [Unicode.Scalar] {
        var scalars = scalars
        let position = random.below(scalars.count + 1)
        let fragment = Array(fragments[random.below(fragments.count)].unicodeScalars)
        switch random.below(5) {
        case 0 where !scalars.isEmpty:
            let from = min(position, scalars.count - 1)
            scalars.removeSubrange(from..<min(scalars.count, from + 1 + random.below(4)))
        case 1:
            scalars.insert(contentsOf: fragment, at: position)
        case 2 where position < scalars.count:
            scalars.replaceSubrange(position...position, with: fragment)
        case 3 where position < scalars.count:
            let slice = scalars[position..<min(scalars.count, position + 1 + random.below(10))]
            scalars.insert(contentsOf: slice, at: position)
        case 4 where position + 1 < scalars.count:
            scalars.swapAt(position, position + 1)
        default:
            scalars.insert(contentsOf: fragment, at: position)
        }
        return scalars
    }

    /// Every location at a scalar boundary of `text` starting at `start`, computed independently of the compiler.
    static func boundaries(of text: String, start: TimeBankCore.SourceLocation) -> Set<TimeBankCore.SourceLocation> {
        var location = start
        var result: Set<TimeBankCore.SourceLocation> = [location]
        for scalar in text.unicodeScalars {
            location.offset += String(scalar).utf8.count
            if scalar == "\n" {
                location.line += 1
                location.column = 1
            } else {
                location.column += 1
            }
            result.insert(location)
        }
        return result
    }

    @Test("4,000 mutated expressions: no crash, errors for every rejection, ranges inside the text")
    func mutations() {
        var random = SplitMix64(state: 20_261_003)
        // After `规则 = '` on line 5: two 3-byte characters, so column 7 is byte 10 of the line.
        let start = TimeBankCore.SourceLocation(line: 5, column: 7, offset: 310)
        var rejectedCount = 0
        var acceptedCount = 0
        let contexts = [F.context(), F.context(rating: nil, responseLevel: "II", startHour: nil, household: nil)]
        for _ in 0..<4_000 {
            let (seed, expected) = Self.seeds[random.below(Self.seeds.count)]
            var scalars = Array(seed.unicodeScalars)
            for _ in 0...random.below(3) {
                scalars = Self.mutate(scalars, random: &random)
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)

            let (compiled, diagnostics) = F.compile(text, expecting: expected, at: start)
            let valid = Self.boundaries(of: text, start: start)
            for diagnostic in diagnostics {
                #expect(valid.contains(diagnostic.range.start), "\(text): \(diagnostic.id) starts off the text at \(diagnostic.range)")
                #expect(valid.contains(diagnostic.range.end), "\(text): \(diagnostic.id) ends off the text at \(diagnostic.range)")
                #expect(diagnostic.range.start.offset <= diagnostic.range.end.offset, "\(text): \(diagnostic.id)")
                #expect(diagnostic.id.hasPrefix("P2") && diagnostic.id.count == 4)
            }
            if let compiled {
                acceptedCount += 1
                #expect(!diagnostics.contains { $0.severity == .error }, "\(text)")
                for context in contexts {
                    switch compiled.evaluate(context) {
                    case .success(let value):
                        if expected == .bool, case .bool = value {} else if expected == .decimal, case .decimal = value {} else {
                            Issue.record("\(text) evaluated to \(value), expected \(expected)")
                        }
                    case .failure(let error):
                        #expect(["P245", "P246", "P247", "P248"].contains(error.code), "\(text): \(error)")
                        #expect(valid.contains(error.range.start) && valid.contains(error.range.end), "\(text): \(error)")
                    }
                }
            } else {
                rejectedCount += 1
                #expect(diagnostics.contains { $0.severity == .error }, "\(text) was rejected without an error")
            }
        }
        // The mutations exercise both paths.
        #expect(rejectedCount > 1_000)
        #expect(acceptedCount > 100)
    }
}
