/// Renders diagnostics for people: the location and message, the source line, a marker under the exact
/// span, and the help and notes.
///
///     config/policy.toml:31:27: error[P104]: unknown category "orang"
///        |
///     31 | when = 'record.category == "orang"'
///        |                            ^^^^^^^
///        = help: did you mean "orange"?
///
/// The marker is placed by display width, so Chinese text before the span does not shift it
/// (a wide character takes two terminal columns). Tabs in the line are shown as single spaces, and a control
/// character or bidirectional override in it as one visible character (`␛` for ESC, `�`), so that a hostile file
/// cannot clear the screen or reorder the line it is shown in.
public struct DiagnosticRenderer: Sendable {
    /// The file name shown before `:line:col`.
    public let path: String
    private let lines: [Substring]

    /// - Parameter source: the whole text the diagnostics' ranges point into.
    public init(path: String, source: String) {
        self.path = path
        // "\r\n" is one Character in Swift, so split on both forms of line end.
        self.lines = source.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }

    /// One diagnostic, ending with a newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        let start = diagnostic.range.start
        var out = "\(path):\(start.line):\(start.column): \(diagnostic.severity.rawValue)[\(diagnostic.id)]: \(diagnostic.message)\n"
        if start.line >= 1, start.line <= lines.count {
            var line = String(lines[start.line - 1])
            if line.hasSuffix("\r") { line.removeLast() }
            let scalars = Array(line.unicodeScalars).map { $0 == "\t" ? " " : TerminalText.picture($0) }
            let shown = String(String.UnicodeScalarView(scalars))
            let gutter = String(repeating: " ", count: String(start.line).count)
            let before = String(String.UnicodeScalarView(scalars.prefix(max(0, start.column - 1))))
            let end = diagnostic.range.end
            let spanEndColumn = end.line == start.line ? max(end.column, start.column + 1) : scalars.count + 1
            let span = String(String.UnicodeScalarView(scalars.dropFirst(max(0, start.column - 1)).prefix(max(1, spanEndColumn - start.column))))
            let markerWidth = max(1, displayWidth(of: span))
            out += "\(gutter) |\n"
            out += "\(start.line) | \(shown)\n"
            out += "\(gutter) | " + String(repeating: " ", count: displayWidth(of: before)) + String(repeating: "^", count: markerWidth) + "\n"
            for help in diagnostic.help { out += "\(gutter) = help: \(help)\n" }
            for note in diagnostic.notes { out += "\(gutter) = note: \(note)\n" }
        } else {
            for help in diagnostic.help { out += "  = help: \(help)\n" }
            for note in diagnostic.notes { out += "  = note: \(note)\n" }
        }
        return out
    }

    /// All diagnostics in source order, errors and warnings alike, then a summary line.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        let sorted = diagnostics.enumerated().sorted { ($0.element.range.start.offset, $0.offset) < ($1.element.range.start.offset, $1.offset) }
        var out = sorted.map { render($0.element) + "\n" }.joined()
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        out += "\(path): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        return out
    }
}
