import Testing
@testable import TimeBankCore

/// Formatting stays fast on large and deeply nested files.
struct PolicyFormatterPerformanceTests {
    @Test func twoThousandRulesFormatQuickly() {
        var text = "# 东站积分政策\ntitle=\"large policy\"\n"
        for index in 0..<2_000 {
            text += """
                [[rules]]
                  id = "rule-\(index)"  # 规则 \(index)
                  rate=\(index % 7).25
                  when = 'hours >= \(index % 5) and level == "Ⅱ"'
                  limits = {daily=\(index % 9 + 1),start=2026-10-01T08:00:00+08:00}
                  levels = [\((0..<(index % 30)).map { "\"level-\($0)\"" }.joined(separator: ","))]

                """
        }
        let bytes = Array(text.utf8)
        let clock = ContinuousClock()
        var result: PolicyFormatResult?
        let elapsed = clock.measure { result = PolicyFormatter.format(bytes) }
        #expect(result?.text?.hasPrefix("# 东站积分政策\ntitle = \"large policy\"\n\n[[rules]]\nid = \"rule-0\" # 规则 0\n") == true)
        #if DEBUG
        let budget = Duration.seconds(10)  // unoptimised builds are many times slower (about 1 s here)
        #else
        let budget = Duration.milliseconds(500)
        #endif
        #expect(elapsed < budget, "formatting \(bytes.count) bytes took \(elapsed)")
        print("policy fmt of \(bytes.count) bytes: \(elapsed)")
    }

    @Test func deeplyNestedWideArraysStayLinear() {
        // 40 levels, each with 200 numbers and the next level: every level is too wide for one line.
        var value = "0"
        for _ in 0..<40 { value = "[" + Array(repeating: "12345", count: 200).joined(separator: ",") + "," + value + "]" }
        let bytes = Array(("a = " + value + "\n").utf8)
        let clock = ContinuousClock()
        var result: PolicyFormatResult?
        let elapsed = clock.measure { result = PolicyFormatter.format(bytes) }
        #expect(result?.text?.hasSuffix("    ],\n]\n") == true)
        #expect(elapsed < .seconds(10), "formatting took \(elapsed)")
        print("policy fmt of a 40-level array (\(bytes.count) bytes): \(elapsed)")
    }
}
