import Testing
@testable import TimeBankCore

/// Every key and value keeps its range: lines and columns (Unicode scalars) and byte offsets.
struct TOMLSourceRangeTests {
    @Test func keyAndValueRangesOnASimpleLine() throws {
        let result = decodeTOML("# header\nrate = 1.5\n")
        let entry = try #require(result.document.root.entry(named: "rate"))
        #expect(tomlSpanText(entry.key.range) == "2:1-2:5")
        #expect(entry.key.range.start.offset == 9)
        #expect(tomlSpanText(entry.value.range) == "2:8-2:11")
        #expect(entry.value.range.start.offset == 16)
        #expect(entry.value.range.end.offset == 19)
    }

    /// `"名称" = "橙色关怀"`: each CJK character is one column but three bytes.
    @Test func chineseTextBeforeAValueCountsScalarsNotBytes() throws {
        let text = "\"名称\" = \"橙色关怀\"\n"
        let result = decodeTOML(text)
        #expect(result.diagnostics.isEmpty)
        let entry = try #require(result.document.root.entry(named: "名称"))
        #expect(tomlSpanText(entry.key.range) == "1:1-1:5")
        #expect(entry.key.range.end.offset == 8)
        // The value's quote is column 8 but byte 11: "名称" takes 4 columns and 8 bytes.
        #expect(entry.value.range.start == TimeBankCore.SourceLocation(line: 1, column: 8, offset: 11))
        #expect(entry.value.range.end == TimeBankCore.SourceLocation(line: 1, column: 14, offset: 25))
        guard case .string(let string) = entry.value.kind else {
            Issue.record("not a string")
            return
        }
        #expect(string.contentRange.start == TimeBankCore.SourceLocation(line: 1, column: 9, offset: 12))
        #expect(tomlSourceText(text, string.contentRange) == "橙色关怀")
    }

    /// `rule = { "名称" = "橙色关怀", rate = 1.5 }`: the key `rate` is column 25 (byte 36),
    /// its value column 32 (byte 43).
    @Test func chineseTextInsideAnInlineTable() throws {
        let text = "rule = { \"名称\" = \"橙色关怀\", rate = 1.5 }"
        let result = decodeTOML(text)
        #expect(result.diagnostics.isEmpty)
        let rule = try #require(result.document.root["rule"]?.table)
        let rate = try #require(rule.entry(named: "rate"))
        #expect(rate.key.range.start == TimeBankCore.SourceLocation(line: 1, column: 25, offset: 36))
        #expect(rate.key.range.end == TimeBankCore.SourceLocation(line: 1, column: 29, offset: 40))
        #expect(rate.value.range.start == TimeBankCore.SourceLocation(line: 1, column: 32, offset: 43))
        #expect(rate.value.range.end == TimeBankCore.SourceLocation(line: 1, column: 35, offset: 46))
        #expect(tomlSourceText(text, rate.value.range) == "1.5")
        #expect(tomlSpanText(try #require(result.document.root["rule"]).range) == "1:8-1:37")
    }

    @Test func dottedKeysGiveEachPartItsOwnRange() throws {
        let result = decodeTOML("a . \"b c\" . d = true\n")
        let a = try #require(result.document.root.entry(named: "a"))
        #expect(tomlSpanText(a.key.range) == "1:1-1:2")
        let b = try #require(a.value.table?.entry(named: "b c"))
        #expect(tomlSpanText(b.key.range) == "1:5-1:10")
        let d = try #require(b.value.table?.entry(named: "d"))
        #expect(tomlSpanText(d.key.range) == "1:13-1:14")
        #expect(tomlSpanText(d.value.range) == "1:17-1:21")
        // A table made by a dotted key takes the range of the key part that made it.
        #expect(tomlSpanText(a.value.range) == "1:1-1:2")
    }

    @Test func headerTablesTakeTheHeaderRange() throws {
        let result = decodeTOML("x = 1\n\n[rules.night]\nrate = 2\n[[items]]\n")
        let rules = try #require(result.document.root.entry(named: "rules"))
        // `rules` was made on the way to [rules.night]: its range is the key part.
        #expect(tomlSpanText(rules.value.range) == "3:2-3:7")
        #expect(tomlSpanText(try #require(rules.value.table?["night"]).range) == "3:1-3:14")
        let items = try #require(result.document.root["items"])
        #expect(tomlSpanText(items.range) == "5:1-5:10")
        #expect(tomlSpanText(try #require(items.array?.elements.first).range) == "5:1-5:10")
    }

    @Test func arrayElementsAcrossLines() throws {
        let text = "list = [\n  1,\n  \"二\", # 注释\n  [3],\n]\n"
        let result = decodeTOML(text)
        #expect(result.diagnostics.isEmpty)
        let list = try #require(result.document.root["list"])
        #expect(tomlSpanText(list.range) == "1:8-5:2")
        let elements = try #require(list.array?.elements)
        #expect(elements.map { tomlSpanText($0.range) } == ["2:3-2:4", "3:3-3:6", "4:3-4:6"])
        #expect(tomlSpanText(result.document.comments[0].range) == "3:8-3:12")
    }
}
