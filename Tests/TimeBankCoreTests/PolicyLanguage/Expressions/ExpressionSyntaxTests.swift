import Testing
@testable import TimeBankCore

/// Swift Testing has its own `SourceLocation`; these tests mean the policy file's.
private typealias SourceLocation = TimeBankCore.SourceLocation

@Suite("Expression lexing and parsing")
struct ExpressionSyntaxTests {
    typealias F = ExpressionFixtures

    @Test("CEL precedence and associativity", arguments: [
        ("a || b && c", "(a || (b && c))"),
        ("a && b || c", "((a && b) || c)"),
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("8 / 4 / 2", "((8 / 4) / 2)"),
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("!a && b", "((!a) && b)"),
        ("!!a", "(!(!a))"),
        ("-x * 2", "((-x) * 2)"),
        ("-2 * 3", "(-2 * 3)"),
        ("- -2.5", "2.5"),
        ("a + b == c * d", "((a + b) == (c * d))"),
        ("x == 1 || y < 2 && z", "((x == 1) || ((y < 2) && z))"),
        ("1 < 2 == true", "((1 < 2) == true)"),
        ("x in [1, 2] && y", "((x in [1, 2]) && y)"),
        ("a ? b : c ? d : e", "(a ? b : (c ? d : e))"),
        ("a || b ? c : d", "((a || b) ? c : d)"),
        ("record.tags.size() > 2", "(record.tags.size() > 2)"),
        ("size(record.tags) + 1", "(size(record.tags) + 1)"),
        ("record.category.startsWith(\"o\")", "record.category.startsWith(\"o\")"),
        ("[1, 2,]", "[1, 2]"),
        ("[]", "[]"),
        ("date(\"2026-10-01\")", "date(\"2026-10-01\")"),
    ])
    func precedence(text: String, expected: String) throws {
        let (tree, diagnostics) = F.parse(text)
        #expect(diagnostics.isEmpty)
        #expect(F.render(try #require(tree)) == expected)
    }

    @Test("literals: numbers, strings with escapes, booleans")
    func literals() throws {
        let cases: [(String, String)] = [
            ("42", "42"),
            ("1.5", "1.5"),
            ("1e3", "1000"),
            ("2.5E-1", "0.25"),
            ("true", "true"),
            (#""say \"hi\"""#, #""say \"hi\"""#),
            (#"'single \' quoted'"#, #""single ' quoted""#),
            (#""tab\there""#, #""tab\there""#),
            (#""\u{6A59}色""#, #""橙色""#),
            (#""\u6A59""#, #""橙""#),
            (#""back\\slash""#, #""back\\slash""#),
        ]
        for (text, expected) in cases {
            let (tree, diagnostics) = F.parse(text)
            #expect(diagnostics.isEmpty, "\(text)")
            #expect(F.render(try #require(tree)) == expected)
        }
        let (tree, _) = F.parse(#""line\nbreak""#)
        guard case .string(let value)? = tree?.kind else {
            Issue.record("expected a string")
            return
        }
        #expect(value == "line\nbreak")
    }

    /// Each case: text, the diagnostic id, and exactly the text it must point at.
    @Test("lexical and syntax errors point at the offending text", arguments: [
        ("record.category ==", "P207", "=="),
        ("(record.minutes > 60", "P208", "("),
        ("[1, 2", "P208", "["),
        ("size(record.tags", "P208", "("),
        ("record.minutes > 60)", "P207", ")"),
        ("record.category = \"orange\"", "P211", "="),
        ("record.is_holiday & true", "P211", "&"),
        ("record.is_holiday | true", "P211", "|"),
        ("record.minutes % 60 == 0", "P211", "%"),
        ("record.is_holiday and true", "P211", "and"),
        ("not record.is_holiday", "P211", "not"),
        ("record.tags[0] == \"x\"", "P207", "["),
        ("record. == 1", "P207", "=="),
        ("1 +* 2", "P207", "*"),
        ("record.minutes > 1 ? 2", "P207", "2"),
        ("record.category == \"orange", "P203", "\"orange"),
        ("\"a\\qb\" == \"x\"", "P204", "\\q"),
        ("\"\\u{110000}\" == \"x\"", "P204", "\\u{110000}"),
        ("\"\\u12\" == \"x\"", "P204", "\\u12"),
        ("record.rating > .5", "P205", ".5"),
        ("record.minutes == 0x1F", "P205", "0x1F"),
        ("record.minutes > 1_000", "P205", "1_000"),
        ("record.minutes > 007", "P205", "007"),
        ("record.minutes > 1.5.2", "P205", "1.5.2"),
        ("record.minutes > 99999999999999999999", "P206", "99999999999999999999"),
        ("record.hours > 1e25", "P206", "1e25"),
        ("record.minutes > 1 # comment", "P202", "#"),
        ("record.category == 橙色", "P202", "橙色"),
        ("record.category == “orange”", "P202", "“orange”"),
        ("{\"a\": 1}", "P202", "{"),
    ])
    func syntaxErrors(text: String, id: String, covered: String) throws {
        let diagnostics = F.errors(text)
        let first = try #require(diagnostics.first)
        #expect(first.id == id, "\(text): \(first.message)")
        #expect(first.severity == .error)
        #expect(F.covered(first, in: text) == covered, "\(text): \(first.message)")
    }

    @Test("`%` after a number is a percentage pasted from a document: the help gives the decimal; otherwise it is the absent remainder")
    func percentage() throws {
        #expect(try #require(F.errors("1 + 12.5%").first).help == ["write a decimal instead of a percentage, e.g. 0.125 for 12.5%"])
        #expect(try #require(F.errors("10%").first).help == ["write a decimal instead of a percentage, e.g. 0.1 for 10%"])
        #expect(try #require(F.errors("record.minutes % 60 == 0").first).help == ["the remainder operator `%` is not supported"])
    }

    @Test("syntax messages and help")
    func syntaxMessages() throws {
        let unfinished = try #require(F.errors("record.category ==").first)
        #expect(unfinished.message == "expected an expression after `==`, found the end of the expression")
        let assignment = try #require(F.errors(#"record.category = "orange""#).first)
        #expect(assignment.help == ["use `==` to compare"])
        let leadingDot = try #require(F.errors("record.rating > .5").first)
        #expect(leadingDot.help == ["write `0.5`"])
        let chinese = try #require(F.errors("record.category == 橙色").first)
        #expect(chinese.help == [#"write text in quotes: "橙色""#])
        let curly = try #require(F.errors("record.category == “orange”").first)
        #expect(curly.help == [#"use straight quotes: "orange""#])
        let zeros = try #require(F.errors("record.minutes > 007").first)
        #expect(zeros.help == ["write `7` without leading zeros"])
    }

    /// A time of day after a comparison is one P205 over the whole time, with the comparison of the start hour that
    /// reads as meant; after `?` it is still a choice of two numbers.
    @Test("a time of day in a condition says to compare the start hour", arguments: [
        ("record.start_hour >= 22:00", "22:00", "record.start_hour >= 22 for a start from 22:00"),
        ("record.start_hour > 22:30", "22:30", "record.start_hour >= 23 for a start from 23:00, or record.start_hour >= 22 from 22:00"),
        ("record.start_hour < 7：00", "7：00", "record.start_hour < 7 for a start before 7:00"),
        ("record.start_hour<6:45", "6:45", "record.start_hour < 6 for a start before 6:00, or record.start_hour <= 6 before 7:00"),
        ("record.start_hour == 9:00:00", "9:00:00", "record.start_hour == 9 for a start from 9:00 to 9:59"),
    ])
    func timeOfDay(text: String, covered: String, comparison: String) throws {
        let diagnostics = F.errors(text)
        #expect(diagnostics.count == 1, "\(text): \(diagnostics.map(\.message))")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == "P205")
        #expect(diagnostic.message == "`\(covered)` is not a number")
        #expect(F.covered(diagnostic, in: text) == covered)
        #expect(diagnostic.help == ["a condition compares the hour a service started, a whole number from 0 to 23: " + comparison])
        // A choice of two numbers written without spaces is not a time.
        #expect(F.errors("record.rating >= 4 ? 10:20").allSatisfy { $0.id != "P205" })
    }

    /// Each case: text, exactly the text the one diagnostic points at, and its help.
    @Test("full-width signs and units after numbers say what to write", arguments: [
        (#"record.weekday in ["sat"， "sun"]"#, "，", #"write the ASCII "," (a full-width comma cannot be used in expressions)"#),
        ("（record.minutes > 60) && true", "（", #"write the ASCII "(" (a full-width parenthesis cannot be used in expressions)"#),
        ("(record.minutes > 60） && true", "）", #"write the ASCII ")" (a full-width parenthesis cannot be used in expressions)"#),
        (#"record.response_level ＝＝ "I""#, "＝＝", #"write the ASCII "==" (full-width characters cannot be used in expressions)"#),
        (#"record.response_level ＝ "I""#, "＝", #"write the ASCII "==" (a full-width equals sign cannot be used in expressions)"#),
        (#"record.response_level ！= "I""#, "！=", #"write the ASCII "!=" (a full-width exclamation mark cannot be used in expressions)"#),
        (#"record.response_level !＝ "I""#, "＝", #"write the ASCII "=" (a full-width equals sign cannot be used in expressions)"#),
        ("！record.is_holiday", "！", #"write the ASCII "!" (a full-width exclamation mark cannot be used in expressions)"#),
        ("record.minutes ＜ 60", "＜", #"write the ASCII "<" (a full-width less-than sign cannot be used in expressions)"#),
        ("record.minutes ＞＝ 60", "＞＝", #"write the ASCII ">=" (full-width characters cannot be used in expressions)"#),
        ("record.is_holiday ＆＆ true", "＆＆", #"write the ASCII "&&" (full-width characters cannot be used in expressions)"#),
        ("record.is_holiday ｜ true", "｜", #"write the ASCII "||" (a full-width vertical bar cannot be used in expressions)"#),
        ("record.minutes > ６０", "６０", #"write the ASCII "60" (full-width characters cannot be used in expressions)"#),
        ("volunteer.age >= 60岁", "岁", "write the number alone: 60"),
        ("record.hours > 1.5 小时", "小时", "write the number alone: 1.5"),
    ])
    func fullWidthSignsAndUnits(text: String, covered: String, help: String) throws {
        let diagnostics = F.errors(text)
        #expect(diagnostics.count == 1, "\(text): \(diagnostics.map(\.message))")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == "P202")
        #expect(F.covered(diagnostic, in: text) == covered)
        #expect(diagnostic.help == [help])
    }

    /// Each case: text, exactly the text the one diagnostic points at, its id and its help. None of these is text to quote.
    @Test("a maths sign, a corner-bracket quote or a reversed operator gets what to write, not 'write text in quotes'", arguments: [
        ("record.minutes ≥ 60", "≥", "P202", #"write ">=" (the sign ≥ cannot be used in expressions)"#),
        ("record.minutes ≤ 60", "≤", "P202", #"write "<=" (the sign ≤ cannot be used in expressions)"#),
        ("record.minutes ≠ 60", "≠", "P202", #"write "!=" (the sign ≠ cannot be used in expressions)"#),
        ("record.hours × 2 > 3", "×", "P202", #"write "*" (the sign × cannot be used in expressions)"#),
        ("record.hours ÷ 2 > 3", "÷", "P202", #"write "/" (the sign ÷ cannot be used in expressions)"#),
        ("record.response_level == 「I」", "「I」", "P202", #"use straight quotes: "I""#),
        ("record.response_level == 『II』", "『II』", "P202", #"use straight quotes: "II""#),
        ("record.minutes => 60", "=>", "P211", "write `>=` (the `=` comes second)"),
        ("record.minutes =< 60", "=<", "P211", "write `<=` (the `=` comes second)"),
        ("record.minutes <> 60", "<>", "P211", "write `!=` for \"not equal\""),
    ])
    func mathsSignsAndQuotes(text: String, covered: String, id: String, help: String) throws {
        let diagnostics = F.errors(text)
        #expect(diagnostics.count == 1, "\(text): \(diagnostics.map(\.message))")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == id)
        #expect(F.covered(diagnostic, in: text) == covered)
        #expect(diagnostic.help == [help])
    }

    @Test("a Chinese word after `record.` is a field named in Chinese: the help says fields are English and lists them")
    func chineseFieldName() throws {
        let text = #"record.类别 == "orange""#
        let diagnostic = try #require(F.errors(text).first)
        #expect(diagnostic.id == "P202")
        #expect(F.covered(diagnostic, in: text) == "类别")
        #expect(diagnostic.help == ["a field is named in English after the dot, such as `record.category`"])
        #expect(diagnostic.notes == ["the fields of `record` are: " + ExpressionField.names(of: .record).joined(separator: ", ")])
        // A Chinese word where a value belongs is still text to quote.
        #expect(try #require(F.errors("record.category == 橙色").first).help == [#"write text in quotes: "橙色""#])
    }

    @Test("True, FALSE, yes or no where a boolean belongs get the lowercase true or false", arguments: [
        ("record.is_holiday == True", "write `true` in lowercase"),
        ("record.is_holiday == FALSE", "write `false` in lowercase"),
        ("record.is_holiday == yes", "write `true` or `false`"),
        ("record.is_holiday == no", "write `true` or `false`"),
    ])
    func capitalisedBooleans(text: String, help: String) throws {
        let diagnostic = try #require(F.errors(text).first)
        #expect(diagnostic.id == "P212")
        #expect(diagnostic.help == [help])
    }

    @Test("an operator written as a Chinese word gets the symbol, not 'write the number alone' or 'write text in quotes'", arguments: [
        ("record.minutes >= 120 且 record.rating >= 4", "且", "&&", "record.minutes >= 120 && record.rating >= 4"),
        ("record.is_holiday 或者 record.minutes > 60", "或者", "||", "record.is_holiday || record.minutes > 60"),
        ("volunteer.age 大于等于 60", "大于等于", ">=", "volunteer.age >= 60"),
        ("record.minutes 小於 30", "小於", "<", "record.minutes < 30"),
    ])
    func operatorWords(text: String, covered: String, symbol: String, fixed: String) throws {
        let diagnostics = F.errors(text)
        #expect(diagnostics.count == 1, "\(text): \(diagnostics.map(\.message))")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == "P202")
        #expect(F.covered(diagnostic, in: text) == covered)
        #expect(diagnostic.help == ["write `\(symbol)` for \(covered): conditions are joined with && (and) and || (or), and compared with "
            + "== != < <= > >="])
        #expect(F.compile(fixed).1.isEmpty, "\(fixed)")
    }

    @Test("a method written as an operator gets the call to write", arguments: [
        (#"volunteer.tags contains "党员""#, #"volunteer.tags.contains("党员")"#),
        (#"record.tags contains "no_show" && true"#, #"record.tags.contains("no_show")"#),
    ])
    func methodAsOperator(text: String, call: String) throws {
        let diagnostics = F.errors(text)
        #expect(diagnostics.count == 1, "\(text): \(diagnostics.map(\.message))")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == "P207")
        #expect(diagnostic.help == ["contains is called with parentheses: \(call)"])
        #expect(F.compile(call).1.isEmpty, "\(call)")
    }

    @Test("a date written without date(...) is one error with the date(...) to write, not a leading zero", arguments: [
        ("record.date >= 2026-12-01", "2026-12-01", #"a date is written date("2026-12-01"), as in record.date >= date("2026-12-01")"#),
        ("record.date < 2027/2/28", "2027/2/28", #"a date is written date("2027-02-28"), as in record.date >= date("2027-02-28")"#),
        ("record.date >= 2026.12.01", "2026.12.01", #"a date is written date("2026-12-01"), as in record.date >= date("2026-12-01")"#),
        ("record.date >= 2026-13-01", "2026-13-01", #"a date is written date("YYYY-MM-DD"), such as date("2026-10-01")"#),
    ])
    func bareDate(text: String, covered: String, help: String) throws {
        let diagnostics = F.errors(text)
        #expect(diagnostics.count == 1, "\(text): \(diagnostics.map(\.message))")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == "P205")
        #expect(F.covered(diagnostic, in: text) == covered)
        #expect(diagnostic.help == [help])
        // Arithmetic that only looks like one is still arithmetic.
        #expect(F.compile("record.minutes - 10 - 5 > 0").1.isEmpty)
    }

    @Test("a note in parentheses after a value is one error, whose help is the expression without the notes", arguments: [
        (#"record.response_level == "II"（二级）"#, "P202", "（二级）", #"record.response_level == "II""#),
        (#"record.response_level == "II"("二级")"#, "P207", #"("二级")"#, #"record.response_level == "II""#),
        (#"record.response_level == "II" (二级) && true"#, "P207", "(二级)", #"record.response_level == "II" && true"#),
        (#"volunteer.age >= 60（周岁）"#, "P202", "（周岁）", "volunteer.age >= 60"),
    ])
    func noteInParentheses(text: String, id: String, covered: String, fixed: String) throws {
        let diagnostics = F.errors(text)
        #expect(diagnostics.count == 1, "\(text): \(diagnostics.map(\.message))")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == id)
        #expect(F.covered(diagnostic, in: text) == covered)
        #expect(diagnostic.help == ["delete the note (or move it into a # comment after the closing quote of the expression): \(fixed)"])
        #expect(F.compile(fixed).1.isEmpty, "\(fixed)")
    }

    @Test("a parenthesis after a name is still a call, and one after an operator a group")
    func parenthesesThatAreNoNote() {
        #expect(F.compile(#"record.tags.contains("橙色") && (record.minutes > 60)"#).1.isEmpty)
        #expect(F.errors("（record.minutes > 60) && true").first?.help.first?.hasPrefix("write the ASCII") == true)
    }

    @Test("a Chinese word between full-width commas is quoted on its own")
    func chineseWordsBetweenFullWidthCommas() {
        let text = "record.category in [橙色，蓝色]"
        let diagnostics = F.errors(text)
        #expect(diagnostics.map { F.covered($0, in: text) } == ["橙色", "，", "蓝色"])
        #expect(diagnostics.map { $0.help.first ?? "" } == [
            #"write text in quotes: "橙色""#,
            #"write the ASCII "," (a full-width comma cannot be used in expressions)"#,
            #"write text in quotes: "蓝色""#,
        ])
    }

    @Test("every bad character is reported, not only the first")
    func collectsLexicalErrors() {
        let diagnostics = F.errors("record.minutes > 1 # $ @")
        #expect(diagnostics.map(\.id) == ["P202", "P202", "P202"])
        #expect(diagnostics.map { F.covered($0, in: "record.minutes > 1 # $ @") } == ["#", "$", "@"])
    }

    @Test("an empty or blank expression is reported", arguments: ["", "   ", "\n\t"])
    func empty(text: String) throws {
        let diagnostics = F.errors(text)
        #expect(diagnostics.map(\.id) == ["P201"])
    }

    // MARK: Source mapping

    @Test("ranges count columns in Unicode scalars and offsets in UTF-8 bytes")
    func sourceMappingAfterChineseText() throws {
        // The policy line is `橙色关怀 = 'record.tags.contains("长者") && record.category == "orang"'`:
        // four 3-byte characters, then ` = '`, so the expression starts at column 9, byte 16 of the line.
        let lineStart = 200
        let location = SourceLocation(line: 7, column: 9, offset: lineStart + 16)
        let text = #"record.tags.contains("长者") && record.category == "orang""#
        let (compiled, diagnostics) = F.compile(text, at: location)
        #expect(compiled == nil)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == "P230")
        // `"orang"` is scalars 49..<56 of the expression: columns 58..<65. Before it come 49 scalars of
        // which two (长者) take 3 bytes each, so 49 + 4 = 53 bytes.
        #expect(diagnostic.range.start == SourceLocation(line: 7, column: 58, offset: lineStart + 16 + 53))
        #expect(diagnostic.range.end == SourceLocation(line: 7, column: 65, offset: lineStart + 16 + 60))
        #expect(F.covered(diagnostic, in: text, at: location) == "\"orang\"")
    }

    @Test("a newline in the expression moves ranges to the next lines")
    func sourceMappingAcrossLines() throws {
        // In a TOML multi-line literal string '''...''' the text keeps its newlines.
        let location = SourceLocation(line: 40, column: 10, offset: 900)
        let text = "record.minutes >= 60 &&\n  record.category == \"orang\""
        let (_, diagnostics) = F.compile(text, at: location)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.id == "P230")
        // Line 41 starts after 24 bytes (23 characters and the newline); "orang" starts 21 scalars in.
        #expect(diagnostic.range.start == SourceLocation(line: 41, column: 22, offset: 900 + 24 + 21))
        #expect(diagnostic.range.end == SourceLocation(line: 41, column: 29, offset: 900 + 24 + 28))
    }

    @Test("source map of a single line")
    func sourceMapBasics() {
        let map = ExpressionSourceMap(scalars: Array("a长b".unicodeScalars), start: SourceLocation(line: 1, column: 5, offset: 4))
        #expect(map.locations.map(\.column) == [5, 6, 7, 8])
        #expect(map.locations.map(\.offset) == [4, 5, 8, 9])
        #expect(map.whole == SourceRange(start: SourceLocation(line: 1, column: 5, offset: 4), end: SourceLocation(line: 1, column: 8, offset: 9)))
    }

    // MARK: Limits

    @Test("an expression over 1,000 characters is reported at the excess")
    func lengthLimit() throws {
        let text = "record.minutes > 1" + String(repeating: " ", count: 990)
        let diagnostic = try #require(F.errors(text).first)
        #expect(diagnostic.id == "P200")
        #expect(diagnostic.message == "expression is 1008 characters long; the limit is 1000")
        #expect(diagnostic.range.start.column == F.start.column + 1000)
        #expect(diagnostic.range.end.column == F.start.column + 1008)
    }

    @Test("a huge text is rejected at once, with exact columns and byte offsets")
    func hugeText() throws {
        let text = String(repeating: "长", count: 1_000_001)
        let diagnostic = try #require(F.errors(text).first)
        #expect(diagnostic.id == "P200")
        // Each 长 is one column and three bytes.
        #expect(diagnostic.range.start == SourceLocation(line: 31, column: F.start.column + 1000, offset: F.start.offset + 3000))
        #expect(diagnostic.range.end == SourceLocation(line: 31, column: F.start.column + 1_000_001, offset: F.start.offset + 3_000_003))
    }

    @Test("more than 200 nodes is reported")
    func nodeLimit() throws {
        // 1 + 1 + ... with 101 ones: 101 literals and 100 additions = 201 nodes.
        let text = Array(repeating: "1", count: 101).joined(separator: "+") + " > 0"
        let diagnostic = try #require(F.errors(text).first)
        #expect(diagnostic.id == "P209")
        #expect(diagnostic.message == "expression is too complex: more than 200 parts (values, names, operators, calls)")
        // 99 ones and 98 additions are 197 nodes; with `> 0` 199, which compiles.
        let fits = Array(repeating: "1", count: 99).joined(separator: "+") + " > 0"
        #expect(F.compile(fits).0 != nil)
    }

    @Test("nesting deeper than 32 is reported at the opener that crosses the limit", arguments: ["(", "["])
    func nestingLimit(opener: String) throws {
        let closer = opener == "(" ? ")" : "]"
        let text = String(repeating: opener, count: 40) + "1" + String(repeating: closer, count: 40)
        let diagnostic = try #require(F.errors(text).first)
        #expect(diagnostic.id == "P210")
        // The 33rd opener is the first one too deep: column start + 32.
        #expect(diagnostic.range.start.column == F.start.column + 32)
        #expect(F.covered(diagnostic, in: text) == opener)
    }

    @Test("32 levels of parentheses are fine")
    func nestingAtTheLimit() throws {
        let text = String(repeating: "(", count: 32) + "true" + String(repeating: ")", count: 32)
        #expect(try F.value(text) == .bool(true))
    }

    @Test("the largest accepted trees evaluate")
    func largestTrees() throws {
        // 199 negations of true (odd, so false): exactly 200 nodes.
        #expect(try F.value(String(repeating: "!", count: 199) + "true") == .bool(false))
        // 99 ones added: 197 nodes, 199 with `> 98`.
        let sum = Array(repeating: "1", count: 99).joined(separator: " + ")
        #expect(try F.value(sum + " > 98") == .bool(true))
        #expect(try F.value(sum, expecting: .decimal) == .decimal(ExactDecimal(99)))
    }

    @Test("pathological input is reported, not a crash")
    func pathologicalInput() {
        for text in [
            String(repeating: "(", count: 1000),
            String(repeating: "[", count: 999) + "1",
            String(repeating: "!", count: 999) + "x",
            String(repeating: "-", count: 999) + "1",
            String(repeating: "a ? ", count: 250),
            String(repeating: "size(", count: 200),
            String(repeating: "\"", count: 1000),
            String(repeating: "\\", count: 1000),
        ] {
            let (compiled, diagnostics) = F.compile(text)
            #expect(compiled == nil)
            #expect(diagnostics.contains { $0.severity == .error })
        }
    }
}
