import Testing
@testable import TimeBankCore

/// Problems come back as diagnostics with stable ids, exact ranges and help; reading recovers
/// after each problem so one run reports them all.
struct TOMLDiagnosticsTests {
    @Test func missingEqualsPointsAtWhatCameInstead() throws {
        let result = decodeTOML("rate 1.5\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(diagnostic.id == "P009")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message == #"expected "=" after the key "rate", found "1.5""#)
        #expect(tomlSpanText(diagnostic.range) == "1:6-1:9")
        #expect(diagnostic.help == [#"write the key, then "=", then the value: rate = ..."#])
    }

    @Test func missingEqualsAtTheEndOfTheLinePointsAtTheKey() throws {
        let diagnostic = try #require(decodeTOML("x = 1\nrate\n").diagnostics.first)
        #expect(diagnostic.message == #"expected "=" after the key "rate""#)
        #expect(tomlSpanText(diagnostic.range) == "2:1-2:5")
    }

    @Test func duplicateKeyNamesTheFirstLine() throws {
        let result = decodeTOML("rate = 1\n\nrate = 2\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == "P025")
        #expect(diagnostic.message == #"duplicate key "rate" (first defined at line 1)"#)
        #expect(tomlSpanText(diagnostic.range) == "3:1-3:5")
        // The first definition stays.
        #expect(result.document.root["rate"]?.range.start.line == 1)
    }

    @Test func duplicateTableNamesTheFirstHeader() throws {
        let diagnostic = try #require(decodeTOML("[rules]\na = 1\n[rules]\n").diagnostics.first)
        #expect(diagnostic.id == "P026")
        #expect(diagnostic.message == "the table [rules] is defined twice (first at line 1)")
        #expect(tomlSpanText(diagnostic.range) == "3:2-3:7")
    }

    @Test func severalProblemsInOneFileAreAllReported() throws {
        let text = """
            name = "东站"
            rate 1.5
            limit = 0123
            ok1 = true
            [rules]
            ok2 = 2
            x = [1, 2
            y = yes
            [rules]
            ok3 = 3
            z = "C:\\q"
            last = 3 4
            """
        let result = decodeTOML(text)
        #expect(tomlDiagnosticIDs(result) == ["P009", "P016", "P022", "P020", "P026", "P013", "P011"])
        #expect(result.diagnostics.map(\.range.start.line) == [2, 3, 7, 8, 9, 11, 12])
        let root = result.document.root
        #expect(root.keys == ["name", "ok1", "rules"])
        // Keys under the second [rules] went to a detached table, not into the first one.
        #expect(root["rules"]?.table?.keys == ["ok2"])
        #expect(result.hasErrors)
    }

    @Test(arguments: [
        ("a = 1\u{7}\n", "P002"),
        ("a = \"x\ry\"\n", "P002"),
        ("# bell \u{7}\n", "P002"),
        ("a = \u{7}\n", "P002"),
        ("a = [1, \u{0}]\n", "P002"),
        ("= 1\n", "P007"),
        ("a! = 1\n", "P008"),
        ("价格 = 1\n", "P008"),
        ("a 1\n", "P009"),
        ("a =\n", "P010"),
        ("a = [1,,2]\n", "P010"),
        ("a = 1 b = 2\n", "P011"),
        ("a = \"x\n", "P012"),
        ("a = '''x\n", "P012"),
        ("a = \"\\q\"\n", "P013"),
        ("a = \"\\u12\"\n", "P013"),
        ("a = \"\\uD800\"\n", "P014"),
        ("\"\"\"k\"\"\" = 1\n", "P015"),
        ("a = 0x\n", "P016"),
        ("a = 1__0\n", "P016"),
        ("a = +0xF\n", "P016"),
        ("a = 9223372036854775808\n", "P017"),
        ("a = 1.e5\n", "P018"),
        ("a = .5\n", "P018"),
        ("a = 2026-13-01\n", "P019"),
        ("a = 2026-02-29\n", "P019"),
        ("a = 24:00\n", "P019"),
        ("a = 8:30\n", "P019"),
        ("a = 2026-7-05\n", "P019"),
        ("a = 1979-05-27T07:32:00+25:00\n", "P019"),
        ("a = yes\n", "P020"),
        ("a = [1 2]\n", "P021"),
        ("a = [1,\nb = 2\n", "P022"),
        ("a = {x = 1 y = 2}\n", "P023"),
        ("a = {x = 1\n", "P024"),
        ("a = 1\na = 2\n", "P025"),
        ("a = {b = 1, b = 2}\n", "P025"),
        ("[a]\n[a]\n", "P026"),
        ("a = 1\n[a]\n", "P027"),
        ("a = 1\na.b = 2\n", "P027"),
        ("a = {b = 1}\na.c = 2\n", "P028"),
        ("a = [1]\n[[a]]\n", "P028"),
        ("[a]\nb.c = 1\n[a.b]\n", "P029"),
        ("[a.b]\nx = 1\n[a]\nb.c = 1\n", "P029"),
        ("[[a]]\n[a]\n", "P030"),
        ("[a]\n[[a]]\n", "P030"),
        ("[a\n", "P031"),
        ("[[a]\n", "P031"),
        ("[]\n", "P031"),
        ("a..b = 1\n", "P032"),
        ("a. = 1\n", "P032"),
    ])
    func eachProblemHasItsID(input: String, id: String) throws {
        let result = decodeTOML(input)
        let diagnostic = try #require(result.diagnostics.first, "no diagnostic for \(input.debugDescription)")
        #expect(diagnostic.id == id, "\(input.debugDescription): \(diagnostic.message)")
        #expect(diagnostic.range.start.offset < diagnostic.range.end.offset)
        #expect(diagnostic.range.end.offset <= input.utf8.count)
        #expect(!diagnostic.message.isEmpty)
        #expect(!diagnostic.help.isEmpty)
        #expect(TOMLDiagnosticID(rawValue: id) != nil)
    }

    @Test(arguments: [
        // Dotted keys may add sub-tables below a table made by dotted keys (TOML spec example).
        "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n",
        // A table made on the way to a deeper header may get its own header later, once.
        "[a.b.c]\nx = 1\n[a]\ny = 2\n",
        // Headers below an array of tables go to its latest element.
        "[[rules]]\n[rules.limit]\nmax = 1\n[[rules]]\n[rules.limit]\nmax = 2\n",
        // TOML 1.1: newlines, comments and a trailing comma inside an inline table.
        "t = {\n  a = 1, # one\n  b = 2,\n}\n",
        "k = \"\"\nempty.\"\" = 1\n",
    ])
    func tablesThatMayBeExtendedAreAccepted(input: String) {
        let result = decodeTOML(input)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
    }

    @Test func invalidUTF8IsReportedWithItsLocationAndNothingElse() throws {
        let bytes = Array("a = 1\nb = \"".utf8) + [0xFF] + Array("\"\nc = yes\n".utf8)
        let result = TOMLDecoder.decode(bytes)
        #expect(tomlDiagnosticIDs(result) == ["P001"])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.range.start == TimeBankCore.SourceLocation(line: 2, column: 6, offset: 11))
        #expect(diagnostic.range.end.offset == 12)
        #expect(diagnostic.message == "the byte 0xFF is not valid UTF-8 text")
    }

    @Test func encodedSurrogatesAreInvalidUTF8() {
        // U+D800 encoded as if it were a scalar: ED A0 80.
        let result = TOMLDecoder.decode(Array("a = \"".utf8) + [0xED, 0xA0, 0x80] + Array("\"".utf8))
        #expect(tomlDiagnosticIDs(result) == ["P001"])
    }

    @Test func valuesWithErrorsAreLeftOutButTheRestIsKept() {
        let result = decodeTOML("a = 1\nb = [1, 2x, 3y]\nc = 3\n")
        #expect(tomlDiagnosticIDs(result) == ["P016", "P016"])
        #expect(result.document.root.keys == ["a", "c"])
    }

    @Test func unknownWordsGetAHelpfulSuggestion() throws {
        let result = decodeTOML("a = True\nb = yes\nc = 张三\n")
        #expect(tomlDiagnosticIDs(result) == ["P020", "P020", "P020"])
        #expect(result.diagnostics.map { $0.help.first ?? "" } == [
            "true and false are written in lowercase: true",
            "write true or false",
            #"if this is text, put it in quotes: "张三""#,
        ])
        #expect(tomlSpanText(result.diagnostics[2].range) == "3:5-3:7")
    }

    @Test func aFullWidthCommaInAMultiLineArrayIsOneErrorAndTheArrayIsKept() throws {
        let result = decodeTOML("holidays = [\n    2026-10-02,\n    2026-10-03，\n    2026-10-04,\n]\nrate = 1\n")
        #expect(tomlDiagnosticIDs(result) == ["P021"])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.message == #"expected "," or "]" in the array, found a full-width comma "，""#)
        #expect(diagnostic.help == [#"write the ASCII comma ",""#])
        #expect(tomlSpanText(diagnostic.range) == "3:15-3:16")
        // Read on as if it were a comma: the items and the next key are all there, and the file is still invalid.
        #expect(result.document.root["holidays"]?.array?.elements.count == 3)
        #expect(result.document.root.keys == ["holidays", "rate"])
        #expect(result.hasErrors)
    }

    @Test(arguments: [
        ("a = [1，2]\n", "P021", "1:7-1:8", #"expected "," or "]" in the array, found a full-width comma "，""#,
         #"write the ASCII comma ",""#),
        ("a = [\"x\"，\"y\"]\n", "P021", "1:9-1:10", #"expected "," or "]" in the array, found a full-width comma "，""#,
         #"write the ASCII comma ",""#),
        ("a = { b = 1， c = 2 }\n", "P023", "1:12-1:13", #"expected "," or "}" in the inline table, found a full-width comma "，""#,
         #"write the ASCII comma ",""#),
        ("rate ＝ 1.5\n", "P009", "1:6-1:7", #"expected "=" after the key "rate", found a full-width equals sign "＝""#,
         #"write the ASCII equals sign "=""#),
        ("rate＝1.5\n", "P009", "1:5-1:6", #"expected "=" after the key "rate", found a full-width equals sign "＝""#,
         #"write the ASCII equals sign "=""#),
        ("rate：1.5\n", "P009", "1:5-1:6", #"expected "=" after the key "rate", found a full-width colon "：""#,
         #"write "=" between the key and the value: rate = ..."#),
        ("rate = 1.5，\n", "P011", "1:11-1:12", #"unexpected "，" (a full-width comma) after the value"#,
         "delete it: each key = value goes on its own line, with no comma after it"),
    ])
    func fullWidthSignsAreOneErrorEach(input: String, id: String, span: String, message: String, help: String) throws {
        let result = decodeTOML(input)
        #expect(tomlDiagnosticIDs(result) == [id])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.message == message)
        #expect(diagnostic.help == [help])
        #expect(tomlSpanText(diagnostic.range) == span)
    }

    @Test func valuesAfterAFullWidthSignAreStillRead() {
        let result = decodeTOML("a = { b = 1， c = 2 }\nrate ＝ 1.5\n")
        #expect(result.document.root["a"]?.table?.keys == ["b", "c"])
        #expect(result.document.root.keys == ["a", "rate"])
        #expect(result.hasErrors)
    }

    @Test func aFullWidthCommaInTextWithoutQuotesStaysInTheWord() throws {
        let diagnostic = try #require(decodeTOML("name = 张三，李四\n").diagnostics.first)
        #expect(diagnostic.id == "P020")
        #expect(diagnostic.help == [#"if this is text, put it in quotes: "张三，李四""#])
    }

    /// A condition written without its quotes (`when = record.category == "orange"`) got "if this is text, put it in quotes:
    /// "record.category"", which an admin following it turns into `when = "record.category" == "orange"`: the whole
    /// expression goes in single quotes.
    @Test(arguments: [
        ("when = record.category == \"orange\"\n", #"when = 'record.category == "orange"'"#, "record.category == \"orange\""),
        ("when = record.rating >= 4   # 满意\n", "when = 'record.rating >= 4'", "record.rating >= 4"),
        ("factor = record.hours > 2 ? 1.5 : 1\n", "factor = 'record.hours > 2 ? 1.5 : 1'", "record.hours > 2 ? 1.5 : 1"),
        ("when = record.is_holiday\n", "when = 'record.is_holiday'", "record.is_holiday"),
        ("when = volunteer.level == \"gold\"\n", #"when = 'volunteer.level == "gold"'"#, "volunteer.level == \"gold\""),
    ])
    func anExpressionWithoutQuotes(line: String, written: String, expression: String) throws {
        let diagnostic = try #require(decodeTOML(line).diagnostics.first)
        #expect(decodeTOML(line).diagnostics.count == 1)
        #expect(diagnostic.id == "P020")
        #expect(diagnostic.message == "`\(expression)` is an expression written without quotes")
        #expect(diagnostic.help == ["write an expression in single quotes: \(written)"])
        // The marker spans the expression: from the value's column (where the quote goes) to its end, comment left out.
        #expect(diagnostic.range.start.column == written.prefix { $0 != "'" }.count + 1)
        #expect(diagnostic.range.end.column == diagnostic.range.start.column + expression.count)
    }

    @Test(arguments: [
        ("rate = 10%\n", "P016", "write a decimal instead of a percentage, e.g. 0.1 for 10%"),
        ("rate = 0.1%\n", "P018", "write a decimal instead of a percentage, e.g. 0.001 for 0.1%"),
        ("rate = 150%\n", "P016", "write a decimal instead of a percentage, e.g. 1.5 for 150%"),
        ("day = 2026/10/01\n", "P016", "write the date as 2026-10-01 (YYYY-MM-DD)"),
        ("day = 2026/1/5\n", "P016", "write the date as 2026-01-05 (YYYY-MM-DD)"),
        ("day = 2026.10.01\n", "P018", "write the date as 2026-10-01 (YYYY-MM-DD)"),
        ("day = 2026年10月1日\n", "P016", "write the date as 2026-10-01 (YYYY-MM-DD)"),
        ("day = 2026/02/30\n", "P016", "write the date as YYYY-MM-DD, e.g. 2026-10-01"),
        ("days = [2026/10/01]\n", "P016", "write the date as 2026-10-01 (YYYY-MM-DD)"),
    ])
    func percentagesAndDatesWithSlashesSayWhatToWrite(input: String, id: String, help: String) throws {
        let result = decodeTOML(input)
        #expect(tomlDiagnosticIDs(result) == [id])
        #expect(result.diagnostics.first?.help == [help])
    }

    @Test func aColonAfterAKeyAsInYAMLSaysToWriteEquals() throws {
        let result = decodeTOML("points_per_hour: 10\n")
        #expect(tomlDiagnosticIDs(result) == ["P008"])
        #expect(result.diagnostics.first?.help == [#"write "=" between the key and the value, not ":": points_per_hour = ..."#])
        // A colon inside a longer key is still a character to quote.
        #expect(decodeTOML("a:b = 1\n").diagnostics.first?.help.first?.hasSuffix(#"put this key in quotes: "a:b""#) == true)
    }

    @Test func curlyQuotesAreReplacedByStraightOnesInTheSuggestion() throws {
        let result = decodeTOML("a = “红色教育”\nb = ‘night shift’ # pasted\n")
        #expect(tomlDiagnosticIDs(result) == ["P020", "P020"])
        #expect(result.diagnostics.map(\.message) == [#""“红色教育”" is not a value"#, #""‘night shift’" is not a value"#])
        #expect(result.diagnostics.map { $0.help.first ?? "" } == [#"use straight quotes: "红色教育""#, #"use straight quotes: "night shift""#])
        #expect(tomlSpanText(result.diagnostics[1].range) == "2:5-2:18")
    }

    @Test func anExpressionInDoubleQuotesWithQuotesInsideGetsSingleQuotes() throws {
        let result = decodeTOML("when = \"record.response_level == \"I\"\"\nrate = 1\n")
        #expect(tomlDiagnosticIDs(result) == ["P011"])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.message == #"unexpected "I" after the value"#)
        #expect(diagnostic.help == [#"the text ends at the second "; write expressions in single quotes: when = 'record.response_level == "I"'"#])
        #expect(tomlSpanText(diagnostic.range) == "1:35-1:36")
        // The cut-short text is left out, so it is not checked as an expression; the next line is read.
        #expect(result.document.root.keys == ["rate"])
    }

    @Test(arguments: [
        // A comment after the line; the suggestion is the text up to the last quote before it.
        (#"when = "record.kind == "service" && record.minutes > 60" # first"#,
         #"the text ends at the second "; write expressions in single quotes: when = 'record.kind == "service" && record.minutes > 60'"#),
        // Text that is not an expression.
        (#"label = "He said "hi"""#,
         #"the text ends at the second "; write \" for a quote inside the text, or use single quotes: label = 'He said "hi"'"#),
        // A ' in the text: a literal string cannot hold it, so no suggestion is built.
        (#"when = "record.tags.contains("it's")""#,
         #"the text ends at the second "; write expressions in single quotes: when = '...'"#),
        // Escapes: quotes cannot simply be counted, so the general help.
        (#"when = "a == \"b\" "c""#, "put each key = value and each [table] header on its own line; start a comment with #"),
        // A space before the text: not a quote inside the string.
        (#"x = "a" b"#, "put each key = value and each [table] header on its own line; start a comment with #"),
    ])
    func textRightAfterAStringExplainsTheQuotes(input: String, help: String) throws {
        let diagnostic = try #require(decodeTOML(input + "\n").diagnostics.first)
        #expect(diagnostic.id == "P011")
        #expect(diagnostic.help == [help])
    }

    @Test func aTableTwiceOutsideAPolicyMayBecomeAListOfTables() throws {
        // A policy test case file uses [[case]]: there the TOML help still offers it (a policy gets its own help).
        let diagnostic = try #require(decodeTOML("[case]\na = 1\n[case]\n").diagnostics.first)
        #expect(diagnostic.help == ["merge the two tables into one, or write [[case]] to make a list of tables"])
    }

    @Test func aFullWidthSpaceIsReadAsASpaceAfterItIsReported() throws {
        let result = decodeTOML("rate　=　1.5　# 每小时\nname = \"张　三\"\n")
        // Once a line, with the line as it should be; the value and the string with a full-width space inside are read.
        #expect(result.diagnostics.map(\.id) == ["P008"])
        #expect(result.diagnostics.first?.help == ["type an ordinary (half-width) space, or none: rate = 1.5"])
        #expect(result.document.root["rate"]?.kind == .float(TOMLFloat(text: "1.5", value: 1.5)))
        #expect(result.document.root["name"]?.string == "张　三")
    }

    @Test(arguments: [("x = １０\n", "P020", "x = 10"), ("x = 1０\n", "P016", "x = 10"), ("x = －０．５\n", "P020", "x = -0.5")])
    func fullWidthDigitsGetTheNumberInASCII(_ text: String, _ id: String, _ fixed: String) throws {
        let diagnostic = try #require(decodeTOML(text).diagnostics.first)
        #expect(diagnostic.id == id)
        #expect(diagnostic.help == ["type the digits half-width (ASCII 0-9), without quotes: \(fixed)"])
    }

    @Test("a decimal point typed as the Chinese full stop is named, with the number written right", arguments: [
        ("step = 0。5\n", "step = 0.5"), ("rate = -1。25 # 每小时\n", "rate = -1.25"), ("step = ０。５\n", "step = 0.5"),
    ])
    func anIdeographicFullStopIsADecimalPoint(_ text: String, _ fixed: String) throws {
        let diagnostic = try #require(decodeTOML(text).diagnostics.first)
        #expect(diagnostic.id == "P018")
        #expect(diagnostic.message.contains("\"。\" (the Chinese full stop) is written where the decimal point belongs"))
        #expect(diagnostic.help == ["type the decimal point half-width, \".\": \(fixed)"])
        #expect(decodeTOML(fixed + "\n").diagnostics.isEmpty)
        // A full stop that is not a decimal point is not called one.
        #expect(decodeTOML("x = 1。\n").diagnostics.first?.message.contains("decimal point belongs") == false)
    }

    @Test("a string that ends with a curly quote names it, and the line with a straight one reads clean", arguments: [
        ("when = 'record.response_level == \"I\"’\n", "’", "when = 'record.response_level == \"I\"'"),
        ("label = \"橙色关怀”  # 注释\n", "”", "label = \"橙色关怀\"  # 注释"),
        ("label = '他说“好”‘\n", "‘", "label = '他说“好”'"),
        ("label = \"他说“好” 吧\n", nil, nil),
    ])
    func aCurlyClosingQuoteIsNamed(_ text: String, _ curly: String?, _ fixed: String?) throws {
        let diagnostic = try #require(decodeTOML(text).diagnostics.first)
        #expect(diagnostic.id == "P012")
        guard let curly, let fixed else {
            // A curly quote with more text after it did not end the string: the usual help.
            #expect(!diagnostic.message.contains("curly"))
            return
        }
        #expect(diagnostic.message.hasSuffix("it ends with the curly quote \(curly), which TOML does not read as a quote"))
        let delimiter = text.contains("= '") ? "'" : "\""
        #expect(diagnostic.help == ["replace \(curly) with a straight \(delimiter): \(fixed)"])
        #expect(decodeTOML(fixed + "\n").diagnostics.isEmpty)
    }

    @Test("the line written right fixes every full-width character, so that pasting it reads clean", arguments: [
        ("points_per_hour ＝ １２\n", "points_per_hour = 12"),
        ("points_per_hour＝１２\n", "points_per_hour = 12"),
        ("points_per_hour： １２\n", "points_per_hour = 12"),
        ("daily_cap　=　５０\n", "daily_cap = 50"),
        ("min_minutes　＝　３０ # 分钟\n", "min_minutes = 30"),
        ("step ＝ ０．５，\n", "step = 0.5"),
        ("rate　= －１．５\n", "rate = -1.5"),
        ("name　＝ \"张　三：１号\"\n", "name = \"张　三：１号\""),
    ])
    func theLineWrittenRightIsHalfWidth(_ text: String, _ fixed: String) throws {
        let result = decodeTOML(text)
        // Every help that gives a line (after the last ": ") gives this one, and it decodes with nothing to report.
        let lines = result.diagnostics.flatMap(\.help).compactMap { help in
            help.range(of: ": ", options: .backwards).map { String(help[$0.upperBound...]) }
        }.filter { $0.contains("=") && !$0.hasSuffix("...") && !$0.hasPrefix("\"") }
        #expect(!lines.isEmpty, "\(result.diagnostics)")
        for line in lines {
            #expect(line == fixed, "\(result.diagnostics.map(\.help))")
            #expect(decodeTOML(line + "\n").diagnostics.isEmpty, "\(line)")
        }
    }

    @Test(arguments: [("x = 8h\n", "P016", "x = 8"), ("x = 0.5元\n", "P018", "x = 0.5"), ("x = [30分钟]\n", "P016", "30"),
                      // With a space (ASCII or full-width) between the number and the unit: the same help.
                      ("x = 8 h\n", "P016", "x = 8"), ("x = 30 分钟 # 注释\n", "P016", "x = 30"), ("x = 2\t小时\n", "P016", "x = 2"),
                      ("x = 1.5　小时\n", "P018", "x = 1.5"), ("x = [30 min, 40]\n", "P016", "30"), ("x = { a = 30 分钟 }\n", "P016", "30")])
    func aUnitAfterANumberGetsTheNumberAlone(_ text: String, _ id: String, _ fixed: String) throws {
        let result = decodeTOML(text)
        // One diagnostic, over the number and its unit; the value is not read.
        #expect(result.diagnostics.count == 1, "\(result.diagnostics)")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.id == id)
        #expect(diagnostic.help == ["write the number alone, without a unit: \(fixed)"])
        #expect(result.document.root["x"] == nil || result.document.root["x"]?.array != nil || result.document.root["x"]?.table != nil)
    }

    @Test(arguments: ["x = { count = 1 per = \"month\" }\n", "x = 30 true\n", "x = 30 40\n", "x = 30 分钟 = 1\n", "x = 30 %\n"])
    func aWordAfterANumberThatIsNoUnitIsNotCalledOne(_ text: String) throws {
        let diagnostic = try #require(decodeTOML(text).diagnostics.first)
        #expect(diagnostic.id != "P016", "\(diagnostic)")
    }

    @Test func everyIDIsInTheDocumentedRange() {
        for id in TOMLDiagnosticID.allCases {
            let number = Int(id.rawValue.dropFirst()) ?? 0
            #expect(id.rawValue.hasPrefix("P") && (1...49).contains(number), "\(id)")
        }
        #expect(Set(TOMLDiagnosticID.allCases.map(\.rawValue)).count == TOMLDiagnosticID.allCases.count)
    }
}
