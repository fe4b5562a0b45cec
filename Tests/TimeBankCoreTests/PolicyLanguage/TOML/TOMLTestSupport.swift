@testable import TimeBankCore

/// Decodes TOML written as a Swift string (tests only).
func decodeTOML(_ text: String, limits: TOMLLimits = TOMLLimits()) -> TOMLParseResult {
    TOMLDecoder.decode(Array(text.utf8), limits: limits)
}

/// The ids of the diagnostics, in the order they were reported.
func tomlDiagnosticIDs(_ result: TOMLParseResult) -> [String] {
    result.diagnostics.map(\.id)
}

/// `line:column-line:column` of a range, for compact assertions.
func tomlSpanText(_ range: SourceRange) -> String {
    "\(range.start.line):\(range.start.column)-\(range.end.line):\(range.end.column)"
}

/// The source text a range covers.
func tomlSourceText(_ text: String, _ range: SourceRange) -> String {
    let bytes = Array(text.utf8)
    return String(decoding: bytes[range.start.offset..<range.end.offset], as: UTF8.self)
}
