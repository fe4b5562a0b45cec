import Foundation
import TimeBankCore

/// `timebank policy fmt [--check] FILE...`: lays out policy TOML files the canonical way.
struct PolicyFormatCommand: Command {
    static let name = "policy fmt"
    static let abstract = "Lay out policy TOML files the canonical way, keeping every comment (--check: only report)"
    static let help = """
    Usage: timebank policy fmt [--check] FILE...

    Rewrites each file in the canonical layout (docs/policy-format.md): LF line ends, `key = value`
    with single spaces, no indentation, one blank line before each [table], short arrays on one
    line and long ones one element per line. Every comment stays on its line, strings and numbers
    stay as written, and the data does not change. A file is rewritten only when it changes, by
    writing a new file and renaming it over the old one; each rewritten file is named.
    A file with TOML errors is left as it is and its errors are shown.

    Options:
      --check   write nothing; name the files that would change and show their first changed line

    Exit codes: 0 done (with --check: every file is canonical), 1 with --check: a file would
    change, 2 a file has TOML errors or cannot be read.

    Examples:
      timebank policy fmt config/policy.toml
      timebank policy fmt --check config/*.toml
    """
    static let flagOptions = ["--check"]

    let paths: [String]
    let checkOnly: Bool

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...Int.max, "one or more policy files")
        paths = arguments.positionals
        checkOnly = arguments.flag("--check")
    }

    /// What happened to one file.
    enum Outcome: String {
        case canonical
        case formatted
        case wouldChange = "would_change"
        case failed = "error"
    }

    struct FileReport {
        var path: String
        var outcome: Outcome
        /// The first line (1-based, of the original) that the canonical layout changes.
        var firstChangedLine: Int?
        var diagnostics: [Diagnostic] = []
        var message: String?
    }

    func run(_ context: CommandContext) throws -> Int32 {
        var reports: [FileReport] = []
        for path in paths {
            let report = formatFile(at: path, context: context)
            reports.append(report)
            if !context.json { printLine(for: report, context: context) }
        }
        let changed = reports.filter { $0.outcome == .formatted || $0.outcome == .wouldChange }.count
        let failed = reports.filter { $0.outcome == .failed }.count
        if context.json {
            context.output.line(JSON.object([
                ("check", .bool(checkOnly)),
                ("files", .array(reports.map(json))),
                ("changed", .integer(changed)),
                ("errors", .integer(failed)),
            ]).rendered())
        } else {
            printSummary(reports: reports, changed: changed, failed: failed, context: context)
        }
        if failed > 0 { return ExitCode.badInput }
        return checkOnly && changed > 0 ? ExitCode.refused : ExitCode.done
    }

    // MARK: - One file

    private func formatFile(at path: String, context: CommandContext) -> FileReport {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readBytes(path)
        } catch {
            return FileReport(path: path, outcome: .failed, message: (error as? UsageError)?.message ?? "cannot read \(path): \(error)")
        }
        var result = PolicyFormatter.format(bytes)
        result.diagnostics = result.diagnostics.map { PolicyLoader.naming(path, in: $0) }
        guard let text = result.text else {
            // CRLF as LF: the renderer splits lines on "\n", which Swift does not find inside "\r\n".
            // Lines and columns stay the same, since the carriage return ends its line.
            let source = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            let renderer = DiagnosticRenderer(path: path, source: source)
            context.errors.write(renderer.render(result.diagnostics))
            return FileReport(path: path, outcome: .failed, diagnostics: result.diagnostics)
        }
        guard result.changes(bytes) else {
            return FileReport(path: path, outcome: .canonical, diagnostics: result.diagnostics)
        }
        let difference = Self.firstDifference(original: bytes, formatted: text)
        var report = FileReport(path: path, outcome: checkOnly ? .wouldChange : .formatted,
                                firstChangedLine: difference.line, diagnostics: result.diagnostics)
        if checkOnly {
            if !context.json {
                context.output.line("\(path) would be reformatted (first change at line \(difference.line))")
                context.output.line("  - \(Self.visible(difference.before))")
                context.output.line("  + \(Self.visible(difference.after))")
            }
            return report
        }
        do {
            if let problem = FileSystem.writeProblem(path, example: "policy.toml") { throw UsageError(problem) }
            try Self.replaceAtomically(path: path, with: text)
        } catch let error as UsageError {
            report.outcome = .failed
            report.message = "cannot write \(path): \(error.message)"
        } catch {
            report.outcome = .failed
            report.message = "cannot write \(path): \(error.localizedDescription)"
        }
        return report
    }

    private func printLine(for report: FileReport, context: CommandContext) {
        switch report.outcome {
        case .formatted:
            context.output.line("formatted \(report.path) (first change at line \(report.firstChangedLine ?? 1))")
        case .failed:
            if let message = report.message { context.errors.line("error[U001]: \(message)") }
        case .canonical, .wouldChange:
            break
        }
    }

    private func printSummary(reports: [FileReport], changed: Int, failed: Int, context: CommandContext) {
        let total = reports.count
        let canonical = reports.filter { $0.outcome == .canonical }.count
        func files(_ count: Int) -> String { count == 1 ? "1 file" : "\(count) files" }
        var parts: [String] = []
        if checkOnly {
            parts.append(changed == 0 ? "\(files(canonical)) canonical" : "\(changed) of \(files(total)) would be reformatted")
        } else {
            parts.append("\(files(changed)) formatted, \(canonical) already canonical")
        }
        if failed > 0 { parts.append("\(failed) with errors (left as they are)") }
        context.output.line(parts.joined(separator: "; "))
        if checkOnly && changed > 0 {
            let names = reports.filter { $0.outcome == .wouldChange }.map(\.path).joined(separator: " ")
            context.output.line("Run: timebank policy fmt \(names)")
        }
    }

    private func json(_ report: FileReport) -> JSON {
        // Every member present (null when it does not apply), the diagnostics in `policy check`'s form (docs/cli.md).
        .object([
            ("path", .string(report.path)),
            ("status", .string(report.outcome.rawValue)),
            ("first_changed_line", report.firstChangedLine.map { .integer($0) } ?? .null),
            ("diagnostics", .array(report.diagnostics.map(PolicyJSON.diagnostic))),
            ("message", .optional(report.message)),
        ])
    }

    // MARK: - Helpers

    /// The first line that differs (1-based, in the original) with its text before and after.
    static func firstDifference(original: [UInt8], formatted: String) -> (line: Int, before: String, after: String) {
        // Split the bytes, not the characters: Swift reads CRLF as one character.
        let before = original.split(separator: 0x0A, omittingEmptySubsequences: false)
        let after = Array(formatted.utf8).split(separator: 0x0A, omittingEmptySubsequences: false)
        var index = 0
        while index < before.count && index < after.count && before[index].elementsEqual(after[index]) { index += 1 }
        let line = min(index, max(before.count - 1, 0))
        func text(_ lines: [ArraySlice<UInt8>]) -> String { index < lines.count ? String(decoding: lines[index], as: UTF8.self) : "" }
        return (line + 1, text(before), text(after))
    }

    /// A line with its invisible characters spelled out, so a CRLF or tab change can be seen.
    static func visible(_ line: String) -> String {
        var shown = ""
        for scalar in line.unicodeScalars {
            switch scalar {
            case "\r": shown += "\\r"
            case "\t": shown += "\\t"
            case "\u{FEFF}": shown += "\\u{FEFF}"
            default: shown.unicodeScalars.append(scalar)
            }
        }
        if shown.isEmpty { return "(empty line)" }
        return shown.last == " " ? shown + "(trailing spaces)" : shown
    }

    /// Writes `text` to a new file next to `path` and renames it over `path`, so a reader sees the
    /// old file or the new one, never half of one. The file's permissions are kept, and a symbolic
    /// link is followed (the file it points to is replaced).
    static func replaceAtomically(path: String, with text: String) throws {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let permissions = (try? FileManager.default.attributesOfItem(atPath: target))?[.posixPermissions]
        try Data(text.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
        if let permissions {
            try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: target)
        }
    }
}
