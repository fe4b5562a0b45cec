import Foundation
import Testing
@testable import TimeBankCLI

/// Every worked example of docs/scoring.md, run exactly as written: the files of the example are
/// written, the command is run, and its output must be the text of the example, character for
/// character. `TIMEBANK_RECORD_GOLDEN=1` rewrites the outputs in the document for review.
@Suite("docs/scoring.md examples")
struct ScoringDocExamplesTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let documentPath = repositoryRoot + "/docs/scoring.md"

    /// One example: its files, its command, its expected output and where that output is in the document.
    struct Example: CustomStringConvertible {
        var name: String
        var files: [(name: String, text: String)] = []
        var command: [String] = []
        var expected: String = ""
        /// Lines of the document (0-based, half-open) holding the expected output.
        var outputLines: Range<Int> = 0..<0
        var description: String { name }
    }

    static func examples(in lines: [String]) -> [Example] {
        var examples: [Example] = []
        var current: Example?
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("<!-- example: "), line.hasSuffix(" -->") {
                if let current { examples.append(current) }
                current = Example(name: String(line.dropFirst(14).dropLast(4)))
            } else if line.hasPrefix("```"), current != nil {
                let (block, closing) = FencedBlock.read(lines, openingAt: index)
                index = closing
                if let file = block.fileName {
                    current!.files.append((file, block.body.joined(separator: "\n") + "\n"))
                } else if let command = block.command {
                    current!.command = command.split(separator: " ").map(String.init)
                    current!.expected = block.output.text
                    current!.outputLines = block.output.lines
                    examples.append(current!)
                    current = nil
                }
            }
            index += 1
        }
        return examples
    }

    static func documentLines() throws -> [String] {
        try String(contentsOfFile: documentPath, encoding: .utf8).components(separatedBy: "\n")
    }

    /// Runs an example's command as a reader would: the built `timebank`, started in a folder that holds the example's
    /// files and a copy of each `config/` file it names, with the arguments exactly as the document writes them. Column
    /// widths count the paths as given, so the output is the one a reader gets in the repository (no path is rewritten).
    static func run(_ example: Example) throws -> String {
        let executable = try #require(BuiltExecutable.path, "the timebank executable was not built next to the tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-docs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for file in example.files {
            try file.text.write(toFile: folder + "/" + file.name, atomically: true, encoding: .utf8)
        }
        for argument in example.command {
            for part in argument.split(separator: ",") where part.hasPrefix("config/") {
                let copy = folder + "/" + part
                try FileManager.default.createDirectory(
                    atPath: URL(fileURLWithPath: copy).deletingLastPathComponent().path, withIntermediateDirectories: true)
                try String(contentsOfFile: repositoryRoot + "/" + part, encoding: .utf8).write(toFile: copy, atomically: true, encoding: .utf8)
            }
        }
        // No database: the examples score files only.
        return try runAsPageShows(executable, example.command, in: folder)
    }

    @Test("the document has its eight examples")
    func examplesAreThere() throws {
        let names = Self.examples(in: try Self.documentLines()).map(\.name)
        #expect(names == ["golden-week", "emergency", "green-cap", "no-show", "village", "red-account", "midnight", "per-case"])
    }

    @Test("each example's output is what the command prints", arguments: try examples(in: documentLines()).map(\.name))
    func example(_ name: String) throws {
        var lines = try Self.documentLines()
        let example = try #require(Self.examples(in: lines).first { $0.name == name })
        let actual = try Self.run(example)
        if ProcessInfo.processInfo.environment["TIMEBANK_RECORD_GOLDEN"] == "1", actual != example.expected {
            // Examples are rewritten one at a time, from the file as it is now, so parallel tests do not clash.
            try Self.lock.withLock {
                lines = try Self.documentLines()
                let fresh = try #require(Self.examples(in: lines).first { $0.name == name })
                lines.replaceSubrange(fresh.outputLines, with: actual.components(separatedBy: "\n"))
                try lines.joined(separator: "\n").write(toFile: Self.documentPath, atomically: true, encoding: .utf8)
            }
            return
        }
        #expect(actual == example.expected, "docs/scoring.md example \(name) differs from the output:\n\(actual)")
    }

    static let lock = NSLock()
}
