import Testing
@testable import TimeBankCore

/// Limits are reported with their own ids, never by crashing or exhausting the stack.
struct TOMLLimitsTests {
    @Test func hundredThousandOpeningBracketsGiveOneDiagnostic() throws {
        let text = "a = " + String(repeating: "[", count: 100_000)
        let result = decodeTOML(text)
        #expect(tomlDiagnosticIDs(result) == ["P004"])
        // Key `a` is depth 1, so the 64th bracket (column 4 + 64) is the first one too deep.
        #expect(tomlSpanText(try #require(result.diagnostics.first).range) == "1:68-1:69")
    }

    @Test func deeplyNestedInlineTablesAndArraysStopAtTheLimit() {
        let inline = "a = " + String(repeating: "{b=", count: 50_000)
        #expect(tomlDiagnosticIDs(decodeTOML(inline)) == ["P004"])
        let mixed = "a = " + String(repeating: "[{b=", count: 50_000)
        #expect(tomlDiagnosticIDs(decodeTOML(mixed)) == ["P004"])
        // After a closed, too-deep value the next lines are still read.
        let closed = "a = " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "\nb = yes\n"
        #expect(tomlDiagnosticIDs(decodeTOML(closed)) == ["P004", "P020"])
    }

    @Test func nestingExactlyAtTheLimitIsAccepted() {
        // Key `a` is depth 1; 63 brackets reach depth 64.
        let text = "a = " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        #expect(decodeTOML(text).diagnostics.isEmpty)
    }

    /// The largest nesting limit the decoder accepts still leaves room on a test thread's stack.
    @Test func theHighestNestingLimitDoesNotExhaustTheStack() {
        var limits = TOMLLimits()
        limits.nestingDepthMax = 1_000_000  // treated as 256
        let arrays = "a = " + String(repeating: "[", count: 255) + String(repeating: "]", count: 255)
        #expect(decodeTOML(arrays, limits: limits).diagnostics.isEmpty)
        let tables = "a = " + String(repeating: "{b=", count: 127) + "1" + String(repeating: "}", count: 127)
        #expect(decodeTOML(tables, limits: limits).diagnostics.isEmpty)
        let tooDeep = "a = " + String(repeating: "[", count: 5_000)
        #expect(tomlDiagnosticIDs(decodeTOML(tooDeep, limits: limits)) == ["P004"])
    }

    @Test func dottedKeysAndHeadersCountTowardsTheDepth() {
        let sixtyFour = (1...64).map { "k\($0)" }.joined(separator: ".")
        let sixtyFive = sixtyFour + ".k65"
        #expect(decodeTOML("\(sixtyFour) = 1").diagnostics.isEmpty)
        #expect(tomlDiagnosticIDs(decodeTOML("\(sixtyFive) = 1")) == ["P004"])
        #expect(tomlDiagnosticIDs(decodeTOML("[\(sixtyFive)]")) == ["P004"])
        #expect(tomlDiagnosticIDs(decodeTOML("[\(sixtyFour)]\nx = 1")) == ["P004"])
    }

    @Test func hugeStringsAreRejected() throws {
        let huge = String(repeating: "长", count: 30_000)  // 90,000 bytes
        let result = decodeTOML("a = \"\(huge)\"\nb = 1\n")
        #expect(tomlDiagnosticIDs(result) == ["P005"])
        #expect(tomlSpanText(try #require(result.diagnostics.first).range) == "1:5-1:6")
        #expect(result.document.root.keys == ["b"])
        let multiline = decodeTOML("a = '''\n\(huge)\n'''\n")
        #expect(tomlDiagnosticIDs(multiline) == ["P005"])
    }

    @Test func stringLimitIsConfigurable() {
        var limits = TOMLLimits()
        limits.stringLengthMaxBytes = 4
        #expect(decodeTOML("a = \"abcd\"", limits: limits).diagnostics.isEmpty)
        #expect(tomlDiagnosticIDs(decodeTOML("a = \"abcde\"", limits: limits)) == ["P005"])
        #expect(tomlDiagnosticIDs(decodeTOML("\"abcde\" = 1", limits: limits)) == ["P005"])
    }

    @Test func fileSizeLimit() {
        var limits = TOMLLimits()
        limits.fileSizeMaxBytes = 16
        let result = decodeTOML("name = \"a long value\"\n", limits: limits)
        #expect(tomlDiagnosticIDs(result) == ["P003"])
        #expect(result.document.root.isEmpty)
        #expect(decodeTOML("a = 1", limits: limits).diagnostics.isEmpty)
    }

    @Test func reportingStopsAfterTheCap() throws {
        let text = (1...150).map { "k\($0) = yes" }.joined(separator: "\n")
        let result = decodeTOML(text)
        #expect(result.diagnostics.count == 101)
        let last = try #require(result.diagnostics.last)
        #expect(last.id == "P006")
        #expect(last.severity == .note)
        #expect(last.message == "stopped checking after 100 problems")
        #expect(last.range.start.line == 101)
    }

    @Test func defaultsAreTheDocumentedOnes() {
        let limits = TOMLLimits()
        #expect(limits.fileSizeMaxBytes == 1_048_576)
        #expect(limits.nestingDepthMax == 64)
        #expect(limits.stringLengthMaxBytes == 65_536)
        #expect(limits.diagnosticsMax == 100)
    }
}
