import Testing
@testable import TimeBankCore

/// Worked examples of the canonical layout (docs/policy-format.md): input, then the exact output.
struct PolicyFormatterExampleTests {
    /// The formatted text of `input`, or a recorded issue and "" when there is none.
    func formatted(_ input: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        let result = PolicyFormatter.format(Array(input.utf8))
        guard let text = result.text else {
            Issue.record("no text: \(result.diagnostics.map(\.message))", sourceLocation: sourceLocation)
            return ""
        }
        // Every example is also a check of both promises.
        let again = PolicyFormatter.format(Array(text.utf8)).text
        #expect(again == text, "formatting twice changed the text", sourceLocation: sourceLocation)
        let before = TOMLDecoder.decode(Array(input.utf8)).document
        let after = TOMLDecoder.decode(Array(text.utf8)).document
        #expect(TOMLDataComparison.sameData(before.root, after.root), "the data changed", sourceLocation: sourceLocation)
        #expect(TOMLDataComparison.sameComments(before.comments, after.comments), "comments changed", sourceLocation: sourceLocation)
        return text
    }

    @Test func spacingIndentationAndBlankLinesAreNormalised() {
        let input = "title=\"东站\"\t# 站名   \n  version =3\n\n\n\n   [rounding]   \n\n  mode   =   'half-even'\n[categories . orange]\nrate= 1.5\n\n\n"
        #expect(formatted(input) == """
            title = "东站" # 站名
            version = 3

            [rounding]
            mode = 'half-even'

            [categories.orange]
            rate = 1.5

            """)
    }

    @Test func lineEndsByteOrderMarkAndFinalNewline() {
        // CRLF becomes LF, the byte-order mark goes, and the last line gets its line feed.
        let input = "\u{FEFF}a = 1\r\n\r\n[t]\r\nb = 'x' # c\r\nc = 2"
        #expect(formatted(input) == "a = 1\n\n[t]\nb = 'x' # c\nc = 2\n")
    }

    @Test func emptyAndCommentOnlyFiles() {
        #expect(formatted("") == "")
        #expect(formatted("\n\n  \n") == "")
        #expect(formatted("  # only a comment  ") == "# only a comment\n")
        #expect(formatted("\n\n#a\n\n\n#b\n\n") == "#a\n\n#b\n")
    }

    @Test func commentsStayWhereTheyWere() {
        let input = """
            # 积分政策 (file comment)

            # about the title
            title = "东站"   # trailing
            #no space after the hash
            version = 3
            # the block above a header stays with it
            [rules]   # on the header
              # before a key, indented
            rate = 1.5 #tight
            # at the end of the table

            # a block of its own

            [[tiers]]
            # first in the element
            level = 1
            # the end of the file
            """
        #expect(formatted(input) == """
            # 积分政策 (file comment)

            # about the title
            title = "东站" # trailing
            #no space after the hash
            version = 3

            # the block above a header stays with it
            [rules] # on the header
            # before a key, indented
            rate = 1.5 #tight
            # at the end of the table

            # a block of its own

            [[tiers]]
            # first in the element
            level = 1
            # the end of the file

            """)
    }

    @Test func trailingCommentsOnConsecutiveLinesAreAligned() {
        // One space after the widest code of the run; a Chinese character is two columns wide.
        let input = """
            id = "taibaihu"            # 规则编号
            name = "太白湖区时间银行"   # 名称
            version = 1 # 版本号
            effective = 2026-10-01
            step = 0.5   # alone: one space
            [rules]        # a header takes part
            rate = 1.5 # rate
            days = [
              1,   # one
              22,  # twenty-two
            # own line
              333, # ends the run above
            ]
            """
        #expect(formatted(input) == """
            id = "taibaihu"           # 规则编号
            name = "太白湖区时间银行" # 名称
            version = 1               # 版本号
            effective = 2026-10-01
            step = 0.5 # alone: one space

            [rules]    # a header takes part
            rate = 1.5 # rate
            days = [
                1,  # one
                22, # twenty-two
                # own line
                333, # ends the run above
            ]

            """)
    }

    @Test func commentsInsideArraysStayAttached() {
        let input = """
            levels = [ # opening
                # before the first
              1,   # after the first
            2 # after the second, before its comma
              , 3,
                  # before the closing bracket
            ] # after the array
            """
        #expect(formatted(input) == """
            levels = [ # opening
                # before the first
                1, # after the first
                2, # after the second, before its comma
                3,
                # before the closing bracket
            ] # after the array

            """)
    }

    @Test func commentsInsideMultiLineInlineTablesStayAttached() {
        // TOML 1.1 allows line breaks and comments in inline tables.
        let input = """
            tier = {   # opening
              # leading
              min=0,   # first
              rate = [1,2], # second
              # closing
            }
            """
        #expect(formatted(input) == """
            tier = { # opening
                # leading
                min = 0,       # first
                rate = [1, 2], # second
                # closing
            }

            """)
    }

    @Test func shortArraysGoOnOneLine() {
        let input = """
            teams = [
              "orange",
              "purple",
            ]
            empty = [ ]
            nested = [ [1,2] , [ 'a' ] ]
            """
        #expect(formatted(input) == """
            teams = ["orange", "purple"]
            empty = []
            nested = [[1, 2], ['a']]

            """)
    }

    @Test func longArraysGoOneElementPerLineWithATrailingComma() {
        // 103 columns on one line: over the limit of 100.
        let items = (1...10).map { "\"station-\($0)\"" }
        let input = "stations = [" + items.joined(separator: ",") + "]\n"
        #expect(displayWidth(of: "stations = [" + items.joined(separator: ", ") + "]") == 142)
        #expect(formatted(input) == "stations = [\n" + items.map { "    \($0),\n" }.joined() + "]\n")
        // Exactly 100 columns stays on one line.
        let fitting = "k = [\"" + String(repeating: "x", count: 92) + "\"]\n"
        #expect(formatted(fitting) == fitting)
        #expect(formatted("k = [\"" + String(repeating: "x", count: 93) + "\"]\n")
            == "k = [\n    \"" + String(repeating: "x", count: 93) + "\",\n]\n")
    }

    @Test func chineseTextCountsTwoColumnsPerCharacter() {
        // 11 names of 3 characters: 85 characters on one line, but 118 terminal columns.
        let names = Array(repeating: "\"王秀英\"", count: 11)
        let oneLine = "names = [" + names.joined(separator: ", ") + "]"
        #expect(oneLine.unicodeScalars.count == 85)
        #expect(displayWidth(of: oneLine) == 118)
        #expect(formatted(oneLine) == "names = [\n" + names.map { "    \($0),\n" }.joined() + "]\n")
        #expect(formatted("\"名称\"=\"橙色关怀\"   # 中文注释　\n\"站点\".'名字'=[\"东站\" ,\"西站\"]\n")
            == "\"名称\" = \"橙色关怀\" # 中文注释　\n\"站点\".'名字' = [\"东站\", \"西站\"]\n")
    }

    @Test func nestedArraysBreakOnlyWhereNeeded() {
        let long = String(repeating: "y", count: 90)
        let input = "matrix = [[1, 2], [\"\(long)\", \"\(long)\"], []]\n"
        #expect(formatted(input) == """
            matrix = [
                [1, 2],
                [
                    "\(long)",
                    "\(long)",
                ],
                [],
            ]

            """)
    }

    @Test func multiLineStringsAreKeptByteForByte() {
        let input = "note = \"\"\"\n  Emergency duty \\\n     counts double.   \n\ttabbed\"\"\"\nraw = '''\nC:\\path\\  \n'''   # raw\nwhen = 'hour >= 22 or hour < 6'\nquotes = \"\"\"two \"\" quotes\"\"\"\"\n"
        #expect(formatted(input) == input.replacingOccurrences(of: "'''   # raw", with: "''' # raw"))
        // CRLF inside a multi-line string becomes LF: TOML reads both as LF, so the value is the same.
        #expect(formatted("s = '''\r\na  \r\nb'''\r\n") == "s = '''\na  \nb'''\n")
    }

    @Test func literalStringsStayLiteralAndNumbersKeepTheirSpelling() {
        let input = """
            when = 'record.category == "orange"'
            basic = "tab\\there"
            hex = 0xFF
            big = 1_000_000
            plus = +1.50
            exp = 6.02E23
            inf = -inf
            date = 1979-05-27 07:32:00Z
            time = 07:32
            """
        #expect(formatted(input) == input + "\n")
    }

    @Test func keysKeepTheirSpellingWithoutSpacesAroundDots() {
        let input = """
            "quoted" = 1
            'literal key' = 2
            cap . daily = 8
            site."google.com" . ok = true
            [ a . "b c" . 'd' ]
            [[ x . y ]]
            """
        #expect(formatted(input) == """
            "quoted" = 1
            'literal key' = 2
            cap.daily = 8
            site."google.com".ok = true

            [a."b c".'d']

            [[x.y]]

            """)
    }

    @Test func arraysOfTablesGetOneBlankLineEach() {
        let input = """
            [[rules]]
            id = "night"
            [[rules]]

            id = "emergency"
            [rules.limits]
            max = 8
            [[rules]]
            """
        #expect(formatted(input) == """
            [[rules]]
            id = "night"

            [[rules]]
            id = "emergency"

            [rules.limits]
            max = 8

            [[rules]]

            """)
    }

    @Test func inlineTablesGetSingleSpaces() {
        let input = """
            limits = {max=1_000,min=-16 , nested={ok=true}}
            none = { }
            tiers = [{level=1,factor=2.0},{ level = 2, factor = 3.0 }]
            joined = {
              a = 1,
              b = 2,
            }
            """
        #expect(formatted(input) == """
            limits = { max = 1_000, min = -16, nested = { ok = true } }
            none = {}
            tiers = [{ level = 1, factor = 2.0 }, { level = 2, factor = 3.0 }]
            joined = { a = 1, b = 2 }

            """)
    }

    @Test func longInlineTablesStayOnOneLineUnlessWrittenOverSeveral() {
        let long = String(repeating: "z", count: 80)
        // Written on one line: breaking it would need TOML 1.1, so it stays.
        let oneLine = "t = { name = \"\(long)\", rate = 1.5 }\n"
        #expect(formatted(oneLine) == oneLine)
        // Written over several lines and too long for one: one entry per line.
        #expect(formatted("t = {\nname = \"\(long)\", rate = 1.5 }\n") == """
            t = {
                name = "\(long)",
                rate = 1.5,
            }

            """)
    }

    @Test func anInlineTableInsideALongArrayKeepsItsOwnLine() {
        let long = String(repeating: "w", count: 40)
        let input = "tiers = [{ name = \"\(long)\", min = 0 }, { name = \"\(long)\", min = 10 }]\n"
        #expect(formatted(input) == """
            tiers = [
                { name = "\(long)", min = 0 },
                { name = "\(long)", min = 10 },
            ]

            """)
    }

    @Test func filesWithTOMLErrorsGiveDiagnosticsAndNoText() {
        let result = PolicyFormatter.format(Array("rate = \n[rules\nx = 1\n".utf8))
        #expect(result.text == nil)
        #expect(result.diagnostics.map(\.id) == ["P010", "P031"])
        #expect(result.diagnostics.first?.range.start.line == 1)
        let invalidUTF8 = PolicyFormatter.format([0x61, 0x20, 0x3D, 0x20, 0x22, 0xC3, 0x22, 0x0A])
        #expect(invalidUTF8.text == nil)
        #expect(invalidUTF8.diagnostics.map(\.id) == ["P001"])
    }

    @Test func aFormattedTextOverTheSizeLimitIsRefused() {
        // Indentation makes the text longer; a file the decoder could not read back is never produced.
        let input = Array("a=[1,2]".utf8)
        let result = PolicyFormatter.format(input, limits: TOMLLimits(fileSizeMaxBytes: 10))
        #expect(result.text == nil)
        #expect(result.diagnostics.map(\.id) == ["F002"])
        #expect(result.diagnostics.first?.message
            == "the formatted file would be 11 bytes, more than the limit of 10 bytes; the file was left as it is")
        #expect(PolicyFormatter.format(input, limits: TOMLLimits(fileSizeMaxBytes: 11)).text == "a = [1, 2]\n")
    }

    @Test func changesComparesBytes() {
        let canonical = Array("a = 1\n".utf8)
        #expect(!PolicyFormatter.format(canonical).changes(canonical))
        let loose = Array("a=1".utf8)
        #expect(PolicyFormatter.format(loose).changes(loose))
        #expect(!PolicyFormatter.format(Array("a=".utf8)).changes(Array("a=".utf8)))
    }
}
