import Foundation
import Testing
@testable import TimeBankCLI

/// docs/community.md run as written, as one session on a fresh database: each ```csv file=NAME block is written to the
/// session's folder when the page reaches it (a later block of the same name replaces it, as a clerk saves a corrected
/// sheet), and each ```text block that starts with `$ timebank ` is run with the built `timebank` in that folder, in
/// the page's order; its output (standard output and error, as a terminal shows them) must be the rest of the block,
/// character for character. `TIMEBANK_RECORD_GOLDEN=1` rewrites the outputs in the page for review.
@Suite("docs/community.md examples")
struct CommunityDocExamplesTests {
    static let documentPath = ScoringDocExamplesTests.repositoryRoot + "/docs/community.md"

    /// The page's environment: `export TIMEBANK_DB=community.sqlite TIMEBANK_OPERATOR=admin TIMEBANK_PIN=******`, on
    /// the day the page says is today.
    static let environment = ["TIMEBANK_DB": "community.sqlite", "TIMEBANK_OPERATOR": "admin", "TIMEBANK_PIN": "page-2468",
                              "TIMEBANK_CLOCK": "2026-11-08T02:00:00.000Z"]

    enum Step {
        case file(name: String, text: String)
        /// The command's words, its expected output, and the lines of the page (0-based, half-open) that hold it.
        case command(words: [String], expected: String, outputLines: Range<Int>)
    }

    static func steps(in lines: [String]) -> [Step] {
        var steps: [Step] = []
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("```") else { index += 1; continue }
            let (block, closing) = FencedBlock.read(lines, openingAt: index)
            if block.info.hasPrefix("csv "), let file = block.fileName {
                steps.append(.file(name: file, text: block.body.joined(separator: "\n") + "\n"))
            } else if let command = block.command {
                steps.append(.command(words: ReadmeTourTests.words(command), expected: block.output.text, outputLines: block.output.lines))
            }
            index = closing + 1
        }
        return steps
    }

    static func run(_ words: [String], in folder: String, executable: String) throws -> String {
        try runAsPageShows(executable, words, in: folder, environment: environment)
    }

    @Test("every command of the page prints what the page shows, in order, on one fresh database")
    func pageRunsAsWritten() throws {
        let executable = try #require(BuiltExecutable.path, "the timebank executable was not built next to the tests")
        var lines = try String(contentsOfFile: Self.documentPath, encoding: .utf8).components(separatedBy: "\n")
        let steps = Self.steps(in: lines)
        #expect(steps.filter { if case .command = $0 { true } else { false } }.count == 13, "the page's 13 commands were not all found")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-community-doc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let recording = ProcessInfo.processInfo.environment["TIMEBANK_RECORD_GOLDEN"] == "1"
        var rewrites: [(Range<Int>, String)] = []
        for step in steps {
            switch step {
            case .file(let name, let text):
                try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
            case .command(let words, let expected, let outputLines):
                let actual = try Self.run(words, in: folder, executable: executable)
                if recording, actual != expected { rewrites.append((outputLines, actual)) }
                else { #expect(actual == expected, "docs/community.md: timebank \(words.joined(separator: " ")) printed:\n\(actual)") }
            }
        }
        guard recording, !rewrites.isEmpty else { return }
        for (range, text) in rewrites.reversed() { lines.replaceSubrange(range, with: text.components(separatedBy: "\n")) }
        try lines.joined(separator: "\n").write(toFile: Self.documentPath, atomically: true, encoding: .utf8)
    }
}
