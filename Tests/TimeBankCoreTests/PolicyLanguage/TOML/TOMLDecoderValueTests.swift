import Testing
@testable import TimeBankCore

/// Values decode to the right kinds, keep their source text, and tables keep source order.
struct TOMLDecoderValueTests {
    @Test func keysKeepSourceOrderAndHeadersNest() throws {
        let result = decodeTOML("""
            zeta = 1
            alpha = 2
            [station.east]
            name = "东站"
            [[rules]]
            id = "a"
            [[rules]]
            id = "b"
            """)
        #expect(result.diagnostics.isEmpty)
        let root = result.document.root
        #expect(root.keys == ["zeta", "alpha", "station", "rules"])
        let station = try #require(root["station"]?.table)
        #expect(station.origin == .implicit)
        #expect(station["east"]?.table?.origin == .header)
        #expect(station["east"]?.table?["name"]?.string == "东站")
        let rules = try #require(root["rules"]?.array)
        #expect(rules.isArrayOfTables)
        #expect(rules.elements.map { $0.table?["id"]?.string } == ["a", "b"])
        #expect(rules.elements[1].table?.origin == .arrayOfTablesElement)
    }

    @Test func numbersKeepTheirSourceText() throws {
        let result = decodeTOML("""
            count = 1_000
            rate = +1.50
            mask = 0xFF
            octal = 0o17
            bits = 0b1010
            big = 6.02e23
            zero = -0.0
            low = -inf
            smallest = -9223372036854775808
            """)
        #expect(result.diagnostics.isEmpty)
        let root = result.document.root
        func integer(_ key: String) -> TOMLInteger? {
            if case .integer(let value)? = root[key]?.kind { return value }
            return nil
        }
        func float(_ key: String) -> TOMLFloat? {
            if case .float(let value)? = root[key]?.kind { return value }
            return nil
        }
        #expect(integer("count") == TOMLInteger(text: "1_000", value: 1000))
        #expect(integer("mask") == TOMLInteger(text: "0xFF", value: 255))
        #expect(integer("octal")?.value == 15)
        #expect(integer("bits")?.value == 10)
        #expect(integer("smallest")?.value == Int64.min)
        let rate = try #require(float("rate"))
        #expect(rate.text == "+1.50")
        #expect(rate.value == 1.5)
        #expect(float("big")?.text == "6.02e23")
        let zero = try #require(float("zero"))
        #expect(zero.text == "-0.0")
        #expect(zero.value == 0 && zero.value.sign == .minus)
        #expect(float("low")?.value == -Double.infinity)
    }

    @Test func stringsRecordFormAndContentRange() throws {
        let text = "a = \"x\\ty\"\nb = 'C:\\path'\nc = \"\"\"\nline\"\"\"\nd = '''\n two\n'''\n"
        let result = decodeTOML(text)
        #expect(result.diagnostics.isEmpty)
        func string(_ key: String) -> TOMLString? {
            if case .string(let value)? = result.document.root[key]?.kind { return value }
            return nil
        }
        let basic = try #require(string("a"))
        #expect(basic.value == "x\ty")
        #expect(basic.form == .basic)
        #expect(tomlSourceText(text, basic.contentRange) == "x\\ty")
        let literal = try #require(string("b"))
        #expect(literal.value == "C:\\path")
        #expect(literal.form == .literal)
        // The content of a literal string starts one column after its quote: b = ' is 5 columns.
        #expect(tomlSpanText(literal.contentRange) == "2:6-2:13")
        let multiline = try #require(string("c"))
        #expect(multiline.value == "line")
        #expect(multiline.form == .multilineBasic)
        #expect(tomlSpanText(multiline.contentRange) == "4:1-4:5")
        let multilineLiteral = try #require(string("d"))
        #expect(multilineLiteral.value == " two\n")
        #expect(multilineLiteral.form == .multilineLiteral)
    }

    @Test func escapesOfTOML11() {
        let result = decodeTOML(#"s = "\e[1m \x41\xe9 \u00E9 \U0001F600 \"q\" \\""#)
        #expect(result.diagnostics.isEmpty)
        #expect(result.document.root["s"]?.string == "\u{1B}[1m A\u{E9} \u{E9} \u{1F600} \"q\" \\")
    }

    @Test func multilineStringRules() {
        let result = decodeTOML("a = \"\"\"one \\\n     two\"\"\"\nb = \"\"\"\"\"quoted\"\"\"\"\"\nc = '''it''s'''\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.document.root["a"]?.string == "one two")
        #expect(result.document.root["b"]?.string == "\"\"quoted\"\"")
        #expect(result.document.root["c"]?.string == "it''s")
    }

    @Test func dateTimesKeepTheirParts() throws {
        let result = decodeTOML("""
            start = 2026-10-01T09:30:00.250+08:00
            utc = 1979-05-27 07:32Z
            local = 2026-10-01t18:00
            day = 2024-02-29
            time = 07:05:09.123456
            """)
        #expect(result.diagnostics.isEmpty)
        let root = result.document.root
        func dateTime(_ key: String) -> TOMLDateTime? {
            if case .dateTime(let value)? = root[key]?.kind { return value }
            return nil
        }
        let start = try #require(dateTime("start"))
        #expect(start == .offsetDateTime(
            TOMLDate(year: 2026, month: 10, day: 1),
            TOMLTime(hour: 9, minute: 30, second: 0, fractionDigits: "250"),
            TOMLTimeOffset(minutesEastOfUTC: 480)))
        #expect(start.description == "2026-10-01T09:30:00.250+08:00")
        #expect(dateTime("utc")?.description == "1979-05-27T07:32:00Z")
        #expect(dateTime("utc")?.time?.hasSeconds == false)
        #expect(dateTime("local") == .localDateTime(
            TOMLDate(year: 2026, month: 10, day: 1), TOMLTime(hour: 18, minute: 0, second: 0, hasSeconds: false)))
        #expect(dateTime("day")?.date?.localDate == LocalDate(year: 2024, month: 2, day: 29))
        #expect(dateTime("time")?.time?.fractionDigits == "123456")
    }

    @Test func inlineTablesMaySpanLinesInTOML11() throws {
        let result = decodeTOML("""
            rule = {
                category = "orange", # 橙色关怀
                rate.weekday = 1.5,
                rate.weekend = 2,
            }
            """)
        #expect(result.diagnostics.isEmpty)
        let rule = try #require(result.document.root["rule"]?.table)
        #expect(rule.origin == .inline)
        #expect(rule.keys == ["category", "rate"])
        #expect(rule["rate"]?.table?.keys == ["weekday", "weekend"])
        #expect(result.document.comments.map(\.text) == [" 橙色关怀"])
    }

    @Test func commentsAreKeptWithTheirRanges() {
        let text = "# policy\nrate = 1 # per hour\n[t] #x\n"
        let result = decodeTOML(text)
        #expect(result.diagnostics.isEmpty)
        #expect(result.document.comments.map(\.text) == [" policy", " per hour", "x"])
        #expect(result.document.comments.map { tomlSpanText($0.range) } == ["1:1-1:9", "2:10-2:20", "3:5-3:7"])
    }

    @Test func taggedJSONEscapesAndTagsEveryValue() {
        let result = decodeTOML("""
            "a\\"b" = "line\\nnext\\u0001"
            n = 1.0
            t = 07:30
            list = [true, 2]
            """)
        #expect(result.diagnostics.isEmpty)
        #expect(TOMLTaggedJSON.render(result.document) == #"""
            {"a\"b":{"type":"string","value":"line\nnext\u0001"},"n":{"type":"float","value":"1.0"},\#
            "t":{"type":"time-local","value":"07:30:00"},\#
            "list":[{"type":"bool","value":"true"},{"type":"integer","value":"2"}]}
            """#)
    }

    @Test func byteOrderMarkIsSkippedAndNotAColumn() {
        let result = TOMLDecoder.decode([0xEF, 0xBB, 0xBF] + Array("a = 1\n".utf8))
        #expect(result.diagnostics.isEmpty)
        #expect(result.document.root.entry(named: "a")?.key.range.start.column == 1)
        #expect(result.document.root["a"]?.range.start.column == 5)
    }

    @Test func crlfLineEndingsAreAccepted() {
        let result = decodeTOML("a = 1\r\nb = \"\"\"x\r\ny\"\"\"\r\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.document.root["b"]?.string == "x\ny")
        #expect(result.document.root["b"]?.range.start.line == 2)
    }
}
