import Testing
@testable import TimeBankCore

/// Thousands of randomly damaged policy files: the decoder never crashes, every diagnostic has a
/// non-empty range inside the input with a correct line and column, and every range in a
/// decoded document lies inside the input.
struct TOMLMutationTests {
    /// SplitMix64: a small seeded generator, so every run mutates the same way.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    static let seedDocument = """
        # 积分政策 points policy
        title = "东站 volunteer points"
        version = 3
        effective = 2026-10-01
        updated = 2026-09-30T18:00:00+08:00
        opens = 08:30

        [rounding]
        mode = 'half-even'
        places = 2

        [categories.orange]
        name = "橙色关怀"
        rate = 1.5   # points per hour
        cap.daily = 8
        cap.weekly = 30

        [[rules]]
        id = "night"
        when = 'hour >= 22 or hour < 6'
        multiplier = 1.25
        levels = ["Ⅰ", "Ⅱ", 'Ⅲ',]
        limits = { max = 1_000, min = -16, mask = 0xFF, nested = { ok = true } }

        [[rules]]
        id = "emergency"
        note = \"\"\"
        Emergency duty \\
           counts double.\"\"\"
        raw = '''
        C:\\path\\'''
        factors = [
          { level = 1, factor = 2.0e0 },
          { level = 2, factor = inf },
        ]
        """

    /// Bytes that matter to the grammar, plus multi-byte characters and control characters.
    static let interestingBytes: [[UInt8]] = [
        "[", "]", "{", "}", "\"", "'", "=", ".", ",", "#", "\n", "\r", "\\", " ", "\t", "0", "9", "_",
        "+", "-", ":", "e", "T", "Z", "x", "u", "a", "\"\"\"", "'''", "[[", "]]", "中", "Ⅱ",
    ].map { Array($0.utf8) } + [[0x00], [0x7F], [0x1B], [0xFF], [0xEF, 0xBB, 0xBF], [0xE4, 0xB8]]

    @Test func mutatedInputsNeverCrashAndReportValidRanges() {
        var generator = SplitMix64(state: 20_261_001)
        let seed = Array(Self.seedDocument.utf8)
        #expect(decodeTOML(Self.seedDocument).diagnostics.isEmpty)
        var inputsWithErrors = 0
        for _ in 0..<3_000 {
            var bytes = seed
            let mutationCount = Int(generator.next() % 4) + 1
            for _ in 0..<mutationCount { Self.mutate(&bytes, using: &generator) }
            let result = TOMLDecoder.decode(bytes)
            if result.hasErrors { inputsWithErrors += 1 }
            for diagnostic in result.diagnostics {
                let range = diagnostic.range
                #expect(range.start.offset < range.end.offset, "\(diagnostic.id) has an empty range")
                #expect(range.end.offset <= bytes.count)
                #expect(Self.location(of: range.start.offset, in: bytes) == range.start)
                #expect(Self.location(of: range.end.offset, in: bytes) == range.end)
                #expect(!diagnostic.message.isEmpty)
            }
            if !result.hasErrors {
                Self.checkRanges(of: result.document.root, within: bytes.count)
                _ = TOMLTaggedJSON.render(result.document)
            }
        }
        // The mutations must actually damage most inputs, or the test proves little.
        #expect(inputsWithErrors > 1_500)
    }

    private static func mutate(_ bytes: inout [UInt8], using generator: inout SplitMix64) {
        let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count + 1))
        switch generator.next() % 5 {
        case 0:  // delete a short run
            let length = min(Int(generator.next() % 6) + 1, bytes.count - position)
            if length > 0 { bytes.removeSubrange(position..<(position + length)) }
        case 1, 2:  // insert a grammar byte
            let insert = interestingBytes[Int(generator.next() % UInt64(interestingBytes.count))]
            bytes.insert(contentsOf: insert, at: position)
        case 3:  // overwrite with a random byte
            if position < bytes.count { bytes[position] = UInt8(truncatingIfNeeded: generator.next()) }
        default:  // duplicate a run elsewhere
            let length = min(Int(generator.next() % 40) + 1, bytes.count - position)
            let copy = Array(bytes[position..<(position + length)])
            let target = Int(generator.next() % UInt64(bytes.count + 1))
            bytes.insert(contentsOf: copy, at: target)
        }
    }

    /// The location of a byte offset, computed the slow way.
    private static func location(of offset: Int, in bytes: [UInt8]) -> TimeBankCore.SourceLocation {
        var line = 1
        var column = 1
        let hasByteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        for index in 0..<offset {
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else if bytes[index] & 0xC0 != 0x80 && !(hasByteOrderMark && index == 0) {
                column += 1
            }
        }
        return TimeBankCore.SourceLocation(line: line, column: column, offset: offset)
    }

    private static func checkRanges(of table: TOMLTable, within count: Int) {
        var pending: [TOMLValue] = []
        for entry in table.entries {
            #expect(entry.key.range.start.offset <= entry.key.range.end.offset && entry.key.range.end.offset <= count)
            pending.append(entry.value)
        }
        while let value = pending.popLast() {
            #expect(value.range.start.offset <= value.range.end.offset && value.range.end.offset <= count)
            switch value.kind {
            case .table(let inner):
                for entry in inner.entries {
                    #expect(entry.key.range.end.offset <= count)
                    pending.append(entry.value)
                }
            case .array(let array):
                pending.append(contentsOf: array.elements)
            default:
                break
            }
        }
    }
}
