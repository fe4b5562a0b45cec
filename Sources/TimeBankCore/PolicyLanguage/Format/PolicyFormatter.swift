/// Lays out a policy TOML file the canonical way (docs/policy-format.md), keeping every comment.
///
/// Works on TOML alone, so any TOML file can be formatted, whatever policy it holds. The result
/// decodes to exactly the same data as the input, and formatting it again changes nothing.
///
///     let result = PolicyFormatter.format(Array("rate=1.5   # 每小时\n[rounding]\nmode='half-even'\n".utf8))
///     result.text
///     // rate = 1.5 # 每小时
///     //
///     // [rounding]
///     // mode = 'half-even'
public enum PolicyFormatter {
    /// Arrays whose one-line form would make the line wider than this many terminal columns are
    /// written one element per line.
    public static let lineWidthMax = 100

    /// Formats `bytes` (UTF-8 TOML). When the file has TOML errors, `text` is nil and the
    /// diagnostics are the decoder's (P001-P049); nothing is ever thrown. `limits` apply to the
    /// input and to the formatted text alike (F002 when the text would be too large).
    ///
    /// Before answering, the formatted text is decoded again and compared with the input: the
    /// same data and the same comments, or no text and the diagnostic F001.
    ///
    /// - Complexity: O(n) in the size of the input, plus the width checks of nested arrays.
    public static func format(_ bytes: [UInt8], limits: TOMLLimits = TOMLLimits()) -> PolicyFormatResult {
        let decoded = TOMLDecoder.decode(bytes, limits: limits)
        guard !decoded.hasErrors else {
            // A policy file's errors read as `policy check` shows them, with the help that knows what a policy holds
            // (no [[...]] for a section given twice, true or false for require_verifier = 是); any other TOML file,
            // such as a file of test cases, keeps the decoder's help.
            let isPolicy = decoded.document.root["policy"] != nil
            return PolicyFormatResult(text: nil, diagnostics: isPolicy
                ? decoded.diagnostics.map { PolicyChecker.withPolicyHelp($0, bytes: bytes) } : decoded.diagnostics)
        }
        var scanner = PolicyLayoutScanner(bytes: bytes, document: decoded.document)
        let statements: [PolicyLayoutStatement]
        do {
            statements = try scanner.scanDocument()
        } catch {
            return PolicyFormatResult(
                text: nil, diagnostics: decoded.diagnostics + [PolicyFormatDiagnostics.layoutUnreadable(at: error.offset, in: bytes)])
        }
        let text = PolicyLayoutPrinter(lineWidthMax: lineWidthMax).print(statements)

        // Indentation can make the text longer than the input: never write a file too large to read.
        guard text.utf8.count <= limits.fileSizeMaxBytes else {
            return PolicyFormatResult(
                text: nil,
                diagnostics: decoded.diagnostics + [PolicyFormatDiagnostics.tooLarge(
                    byteCount: text.utf8.count, limit: limits.fileSizeMaxBytes)])
        }
        // The guarantee, checked every time: same data, same comments.
        let reread = TOMLDecoder.decode(Array(text.utf8), limits: limits)
        guard !reread.hasErrors,
              TOMLDataComparison.sameData(decoded.document.root, reread.document.root),
              TOMLDataComparison.sameComments(decoded.document.comments, reread.document.comments) else {
            return PolicyFormatResult(
                text: nil, diagnostics: decoded.diagnostics + [PolicyFormatDiagnostics.dataWouldChange()])
        }
        return PolicyFormatResult(text: text, diagnostics: decoded.diagnostics)
    }
}

/// What formatting gave: the canonical text, or the reasons there is none.
public struct PolicyFormatResult: Sendable, Hashable {
    /// The formatted file (UTF-8, LF line ends), or nil when the input has errors.
    public var text: String?
    /// The decoder's diagnostics (errors when `text` is nil; warnings may come with a text), or
    /// F001/F002.
    public var diagnostics: [Diagnostic]

    /// A result from its text and diagnostics.
    public init(text: String?, diagnostics: [Diagnostic]) {
        self.text = text
        self.diagnostics = diagnostics
    }

    /// True when there is a text and its bytes differ from `original`.
    public func changes(_ original: [UInt8]) -> Bool {
        guard let text else { return false }
        return !text.utf8.elementsEqual(original)
    }
}

/// The formatter's own diagnostics (docs/policy-format.md). F001 means a bug in the formatter,
/// never a problem in the file.
public enum PolicyFormatDiagnosticID: String, Sendable, CaseIterable {
    /// The formatted text would not decode to the same data and comments; the file is left as it is.
    case formatterFailed = "F001"
    /// The formatted text would be larger than the decoder's file size limit (indentation of
    /// deeply nested arrays); the file is left as it is.
    case formattedFileTooLarge = "F002"
}

enum PolicyFormatDiagnostics {
    static func dataWouldChange() -> Diagnostic {
        failure(
            "the formatter could not lay out this file without changing its data or comments; the file was left as it is",
            range: SourceRange(at: SourceLocation(line: 1, column: 1, offset: 0)))
    }

    static func tooLarge(byteCount: Int, limit: Int) -> Diagnostic {
        Diagnostic(
            severity: .error, id: PolicyFormatDiagnosticID.formattedFileTooLarge.rawValue,
            message: "the formatted file would be \(byteCount) bytes, more than the limit of \(limit) bytes; the file was left as it is",
            range: SourceRange(at: SourceLocation(line: 1, column: 1, offset: 0)),
            help: ["the indentation of deeply nested arrays makes the file larger: nest less deeply, or split the file"])
    }

    static func layoutUnreadable(at offset: Int, in bytes: [UInt8]) -> Diagnostic {
        failure("the formatter could not read the layout here; the file was left as it is",
                range: pointRange(at: offset, in: bytes))
    }

    private static func failure(_ message: String, range: SourceRange) -> Diagnostic {
        Diagnostic(
            severity: .error, id: PolicyFormatDiagnosticID.formatterFailed.rawValue, message: message, range: range,
            help: ["please report this with the file attached; `timebank policy check` still reads the file"])
    }

    /// A one-character range at `offset`, with its line and column.
    private static func pointRange(at offset: Int, in bytes: [UInt8]) -> SourceRange {
        let clamped = min(max(offset, 0), bytes.count)
        var line = 1
        var column = 1
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) && clamped >= 3 ? 3 : 0
        while index < clamped {
            if bytes[index] == Byte.lineFeed {
                line += 1
                column = 1
            } else if bytes[index] & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        let start = SourceLocation(line: line, column: column, offset: clamped)
        var end = start
        if clamped < bytes.count {
            var endOffset = clamped + 1
            while endOffset < bytes.count && bytes[endOffset] & 0xC0 == 0x80 { endOffset += 1 }
            end = SourceLocation(line: line, column: column + 1, offset: endOffset)
        }
        return SourceRange(start: start, end: end)
    }
}
