/// How serious a diagnostic is. Errors stop a policy from being activated; warnings do not.
public enum DiagnosticSeverity: String, Sendable, Hashable, Codable {
    case error
    case warning
    case note
}

/// One problem found in a source file, as a value: a stable id (documented in
/// `docs/policy-errors.md`), where it is, what is wrong and, where we can tell, what to write instead.
public struct Diagnostic: Hashable, Sendable {
    public var severity: DiagnosticSeverity
    /// A stable id such as `P104`. Ids are never reused for another meaning.
    public var id: String
    public var message: String
    public var range: SourceRange
    /// "help: ..." lines: what to write instead.
    public var help: [String]
    /// "note: ..." lines: extra context.
    public var notes: [String]

    public init(
        severity: DiagnosticSeverity, id: String, message: String, range: SourceRange,
        help: [String] = [], notes: [String] = []
    ) {
        self.severity = severity
        self.id = id
        self.message = message
        self.range = range
        self.help = help
        self.notes = notes
    }
}
