import Testing
@testable import TimeBankCore

@Suite struct TerminalTextTests {
    @Test func escapeSequencesCarriageReturnsC1AndOverridesAreWrittenOut() {
        #expect(TerminalText.escaped("\u{1B}[2J\u{1B}]0;pwned\u{07}王家") == "\\u{1B}[2J\\u{1B}]0;pwned\\u{07}王家")
        #expect(TerminalText.escaped("100.00\rV0002") == "100.00\\u{0D}V0002")
        #expect(TerminalText.escaped("X\u{9B}31m\u{7F}") == "X\\u{9B}31m\\u{7F}")
        #expect(TerminalText.escaped("memo \u{202E}evil\u{2066}") == "memo \\u{202E}evil\\u{2066}")
    }

    @Test func ordinaryTextLineFeedsAndTabsPassAsTheyAre() {
        let text = "兑换站汇总 Stations 2026-11-01 – 2026-11-01\n\tV0001 王秀英 “好” …\n"
        #expect(TerminalText.escaped(text) == text)
    }

    @Test func picturesKeepOneScalarForOne() {
        #expect(TerminalText.picture("\u{1B}") == "\u{241B}")
        #expect(TerminalText.picture("\u{7F}") == "\u{2421}")
        #expect(TerminalText.picture("\u{202E}") == "\u{FFFD}")
        #expect(TerminalText.picture("王") == "王")
    }

    @Test func jsonStringsEscapeC1ControlsAndOverrides() {
        #expect(JSONText.quote("X\u{9B}31m \u{202E}ab") == "\"X\\u009b31m \\u202eab\"")
        #expect(JSONText.quote("王家\u{1B}") == "\"王家\\u001b\"")
    }

    @Test func diagnosticExcerptShowsControlsAsPicturesUnderTheMarker() {
        let source = "id,volunteer\nr1,\u{1B}[2JV1\n"
        let renderer = DiagnosticRenderer(path: "f.csv", source: source)
        let start = SourceLocation(line: 2, column: 4, offset: 16)
        let end = SourceLocation(line: 2, column: 10, offset: 22)
        let text = renderer.render(Diagnostic(severity: .error, id: "E002", message: "bad", range: SourceRange(start: start, end: end)))
        #expect(!text.unicodeScalars.contains("\u{1B}"))
        #expect(text.contains("2 | r1,␛[2JV1\n"))
        #expect(text.contains("  |    ^^^^^^\n"))
    }
}

@Suite struct LookAlikeIDTests {
    @Test(arguments: ["V0001\u{200B}", "\u{202E}V0001", "V\u{200D}0001", "V0001\u{FEFF}", "V00\u{AD}01", "V00\u{9B}01"])
    func invisibleCharactersInANewIDAreRefused(id: String) {
        guard case .invisibleInID(_, _, _, let shown)? = CommunityRules.lookAlikeProblem(kind: "volunteer", id: id) else {
            Issue.record("\(id.unicodeScalars.map { $0.value }) was not refused"); return
        }
        #expect(shown == "V0001")
    }

    @Test func cyrillicAndGreekLettersThatLookLatinAreRefused() {
        let cyrillic = CommunityRules.lookAlikeProblem(kind: "volunteer", id: "\u{0412}0001")
        #expect(cyrillic?.code == "C012")
        #expect(cyrillic?.message == "the volunteer id \"\u{0412}0001\" has the Cyrillic letter \"\u{0412}\" (U+0412), which looks like the Latin \"B\": "
            + "it would show on screen as B0001, another id, and a command typed on an ordinary keyboard would not find it; "
            + "write it in Latin letters, B0001")
        #expect(CommunityRules.lookAlikeProblem(kind: "station", id: "S\u{039F}1")?.code == "C012")
    }

    @Test(arguments: ["V0001", "H0001", "Бо001", "王家01", "r-2026-10-03-001", "V1", "Ｈ０３０"])
    func ordinaryIDsPass(id: String) {
        #expect(CommunityRules.lookAlikeProblem(kind: "volunteer", id: id) == nil)
    }

    @Test func namesWithABidirectionalOverrideAreRefused() {
        #expect(CommunityRules.textProblem("王\u{202E}秀英", required: true, maximum: 100)?.contains("U+202E") == true)
        #expect(CommunityRules.textProblem("王秀英", required: true, maximum: 100) == nil)
    }
}
