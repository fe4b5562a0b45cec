import Testing
@testable import TimeBankCore

/// Decoding a large policy file stays fast: 2,000 rules in about 10,000 lines.
struct TOMLPerformanceTests {
    static func largePolicy(ruleCount: Int) -> String {
        var text = "# 东站积分政策\ntitle = \"large policy\"\n\n"
        for index in 0..<ruleCount {
            text += """
                [[rules]]
                id = "rule-\(index)"  # 规则 \(index)
                category = "orange"
                rate = \(index % 7).25
                when = 'hours >= \(index % 5) and level == "Ⅱ"'
                limits = { daily = \(index % 9 + 1), start = 2026-10-01T08:00:00+08:00 }

                """
        }
        return text
    }

    @Test func twoThousandRulesDecodeQuickly() throws {
        let bytes = Array(Self.largePolicy(ruleCount: 2_000).utf8)
        let lineCount = bytes.filter { $0 == 0x0A }.count
        #expect(lineCount > 10_000)
        var result = TOMLDecoder.decode(bytes)  // warm up
        let clock = ContinuousClock()
        var fastest = Duration.seconds(3_600)
        for _ in 0..<5 {
            let elapsed = clock.measure { result = TOMLDecoder.decode(bytes) }
            fastest = min(fastest, elapsed)
        }
        #expect(result.diagnostics.isEmpty)
        #expect(result.document.root["rules"]?.array?.elements.count == 2_000)
        #if DEBUG
        let budget = Duration.milliseconds(1_500)  // unoptimised builds are many times slower
        #else
        let budget = Duration.milliseconds(50)
        #endif
        #expect(fastest < budget, "decoding took \(fastest)")
        print("TOML decode of \(bytes.count) bytes, \(lineCount) lines: \(fastest)")
    }

    /// One 700 KB line of inline tables: locations are counted incrementally, not from the
    /// start of the line each time (which would take minutes).
    @Test func oneVeryLongLineStaysLinear() throws {
        let text = "a = [" + String(repeating: "{ x = \"东\" },", count: 50_000) + "]"
        let clock = ContinuousClock()
        var result: TOMLParseResult?
        let elapsed = clock.measure { result = decodeTOML(text) }
        let decoded = try #require(result)
        #expect(decoded.diagnostics.isEmpty)
        let last = try #require(decoded.document.root["a"]?.array?.elements.last)
        // Each item `{ x = "东" },` is 12 columns; the last one starts at column 6 + 49,999 * 12.
        #expect(last.range.start.column == 6 + 49_999 * 12)
        #expect(elapsed < .seconds(5), "decoding took \(elapsed)")
    }
}
