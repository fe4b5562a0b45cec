import Testing
@testable import TimeBankCore

@Suite("Diagnostic rendering")
struct DiagnosticRendererTests {
    func location(_ line: Int, _ column: Int) -> TimeBankCore.SourceLocation {
        TimeBankCore.SourceLocation(line: line, column: column, offset: 0)
    }

    @Test("the marker sits under the span, also after Chinese text")
    func caretAfterChineseText() {
        let source = "[categories.orange]\nlabel = \"橙色关怀\" # 探访 \"orang\"\n"
        // `"orang"` is columns 21 to 27 of line 2 (columns count characters); on screen it starts after
        // 26 cells, because the six Chinese characters before it are two cells wide each.
        let diagnostic = Diagnostic(severity: .error, id: "P999", message: "unknown category \"orang\"",
                                    range: TimeBankCore.SourceRange(start: location(2, 21), end: location(2, 28)),
                                    help: ["did you mean \"orange\"?"])
        let text = DiagnosticRenderer(path: "policy.toml", source: source).render(diagnostic)
        #expect(text == """
        policy.toml:2:21: error[P999]: unknown category "orang"
          |
        2 | label = "橙色关怀" # 探访 "orang"
          |                           ^^^^^^^
          = help: did you mean "orange"?

        """)
    }

    @Test("CRLF line ends show the right source line")
    func crlf() {
        let diagnostic = Diagnostic(severity: .error, id: "P1", message: "m", range: TimeBankCore.SourceRange(start: location(2, 1), end: location(2, 2)))
        let text = DiagnosticRenderer(path: "p.toml", source: "a = 1\r\nb = 2\r\n").render(diagnostic)
        #expect(text.contains("2 | b = 2\n"))
    }

    @Test("a summary counts errors and warnings")
    func summary() {
        let warning = Diagnostic(severity: .warning, id: "P1", message: "w", range: TimeBankCore.SourceRange(at: location(1, 1)))
        let text = DiagnosticRenderer(path: "p.toml", source: "a = 1\n").render([warning])
        #expect(text.hasSuffix("p.toml: 0 errors, 1 warning\n"))
    }
}
