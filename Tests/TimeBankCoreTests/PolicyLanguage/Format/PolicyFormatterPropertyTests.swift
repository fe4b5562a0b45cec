import Foundation
import Testing
@testable import TimeBankCore

/// The formatter's two promises, checked over many inputs: the formatted file decodes to exactly
/// the same data and comments as the input, and formatting it again gives the same bytes.
struct PolicyFormatterPropertyTests {
    /// `/work/shared/toml-test/tests/valid`, found next to the repository.
    static let validCorpusFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../../../../../shared/toml-test/tests/valid")
        .standardizedFileURL.path

    static var corpusIsPresent: Bool { FileManager.default.fileExists(atPath: validCorpusFolder) }

    /// Every `.toml` file under the valid corpus, sorted so failures are reported the same way each run.
    static func corpusFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: validCorpusFolder) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".toml") }.sorted()
    }

    @Test(.enabled(if: corpusIsPresent, "the toml-test corpus is not next to the repository (../shared/toml-test)"))
    func everyValidTOMLTestFileKeepsItsDataAndFormatsIdempotently() throws {
        let files = Self.corpusFiles()
        #expect(files.count > 200)
        var formatted = 0
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.validCorpusFolder + "/" + file)))
            guard !TOMLDecoder.decode(bytes).hasErrors else { continue }
            formatted += 1
            checkPromises(bytes, name: file)
        }
        // The decoder accepts the whole valid corpus (712/712 in the conformance run).
        #expect(formatted == files.count)
    }

    /// The repository root, four folders up from this file.
    static let repositoryFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../../../..")
        .standardizedFileURL.path

    /// The ```toml blocks of a Markdown text.
    static func tomlBlocks(in markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil {
                if line.trimmingCharacters(in: .whitespaces) == "```toml" { current = [] }
            } else if line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test func tomlInTheDocsAndConfigKeepsItsDataAndFormatsIdempotently() throws {
        var inputs: [(name: String, bytes: [UInt8])] = []
        for folder in ["docs", "config"] {
            let path = Self.repositoryFolder + "/" + folder
            for file in (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted() ?? [] {
                let filePath = path + "/" + file
                if file.hasSuffix(".toml") {
                    inputs.append((folder + "/" + file, [UInt8](try Data(contentsOf: URL(fileURLWithPath: filePath)))))
                } else if file.hasSuffix(".md") {
                    let blocks = Self.tomlBlocks(in: try String(contentsOfFile: filePath, encoding: .utf8))
                    for (index, block) in blocks.enumerated() {
                        inputs.append(("\(folder)/\(file) block \(index + 1)", Array(block.utf8)))
                    }
                }
            }
        }
        // docs/policy-format.md alone has two examples.
        #expect(inputs.count >= 2)
        for input in inputs where !TOMLDecoder.decode(input.bytes).hasErrors {
            checkPromises(input.bytes, name: input.name)
        }
    }

    @Test func theExampleInTheDocsIsExact() throws {
        let page = try String(contentsOfFile: Self.repositoryFolder + "/docs/policy-format.md", encoding: .utf8)
        let blocks = Self.tomlBlocks(in: page)
        try #require(blocks.count >= 2)
        #expect(PolicyFormatter.format(Array(blocks[0].utf8)).text == blocks[1])
    }

    @Test func seededMutationsOfAPolicyKeepTheirDataAndFormatIdempotently() {
        var generator = SplitMix64(seed: 20_261_002)
        let seed = Array(Self.seedDocument.utf8)
        var formatted = 0
        var rejected = 0
        for round in 0..<4_000 {
            var bytes = seed
            let mutationCount = Int(generator.next() % 3) + 1
            for _ in 0..<mutationCount { Self.mutate(&bytes, using: &generator) }
            let result = PolicyFormatter.format(bytes)
            if result.text == nil {
                rejected += 1
                #expect(result.diagnostics.contains { $0.severity == .error }, "round \(round): no text and no error")
                #expect(!result.diagnostics.contains { $0.id == "F001" }, "round \(round): the formatter failed on\n\(String(decoding: bytes, as: UTF8.self))")
                continue
            }
            formatted += 1
            checkPromises(bytes, name: "round \(round)")
        }
        // Both kinds of input must be well represented for the test to mean something.
        #expect(formatted > 1_000, "only \(formatted) mutated inputs were valid TOML")
        #expect(rejected > 500, "only \(rejected) mutated inputs had errors")
    }

    /// Same data, same comments, canonical text, and a second run changes nothing.
    private func checkPromises(_ bytes: [UInt8], name: String) {
        let result = PolicyFormatter.format(bytes)
        guard let text = result.text else {
            Issue.record("\(name): no text: \(result.diagnostics.map { "\($0.id) \($0.range): \($0.message)" })")
            return
        }
        let original = TOMLDecoder.decode(bytes).document
        let reread = TOMLDecoder.decode(Array(text.utf8))
        #expect(!reread.hasErrors, "\(name): the formatted text does not decode")
        #expect(TOMLTaggedJSON.render(reread.document) == TOMLTaggedJSON.render(original), "\(name): the data changed")
        #expect(TOMLDataComparison.sameData(reread.document.root, original.root), "\(name): the data changed")
        #expect(TOMLDataComparison.sameComments(reread.document.comments, original.comments), "\(name): comments changed")
        let again = PolicyFormatter.format(Array(text.utf8))
        #expect(again.text == text, "\(name): not idempotent\n--- first\n\(text)--- second\n\(again.text ?? "nil")")
        #expect(!text.contains("\r\n"), "\(name): CRLF left in the output")
        if !text.isEmpty { #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"), "\(name): not one final newline") }
    }

    // MARK: - Mutations

    static let seedDocument = """
        # 积分政策 points policy
        title = "东站 volunteer points"   # 站名
        version = 3
        effective = 2026-10-01
        updated = 2026-09-30T18:00:00+08:00

          # indented comment
        [rounding]
        mode = 'half-even'
        places = 2


        [categories.orange] # 橙色
        name = "橙色关怀"
        rate = 1.5   # points per hour
        cap.daily = 8
        cap . weekly = 30
        [[rules]]
        id = "night"
        when = 'hour >= 22 or hour < 6'
        levels = ["Ⅰ", "Ⅱ", 'Ⅲ',]
        limits = { max = 1_000, min = -16, nested = { ok = true } }

        [[rules]]
        id = "emergency"
        note = \"\"\"
        Emergency duty \\
           counts double.  \"\"\"
        raw = '''
        C:\\path\\'''
        factors = [ # by level
          { level = 1, factor = 2.0e0 }, # first
          # second
          { level = 2, factor = inf }
          ,
          # end
        ]
        tiers = {
            low = 1, # low
            high = [1, 2,
              3],
        }
        """

    /// Bytes that matter to the layout, plus multi-byte characters.
    static let interestingBytes: [[UInt8]] = [
        "[", "]", "{", "}", "\"", "'", "=", ".", ",", "#", "\n", "\r\n", "\\", " ", "  ", "\t", "0", "_",
        "# c", "\"\"\"", "'''", "[[", "]]", "中", "\n\n", "x = 1\n", "[t]\n", "a.b", "\n# note\n",
    ].map { Array($0.utf8) }

    /// Layout that is valid at the end of most lines: spaces, blank lines, comments.
    static let layoutBytes: [[UInt8]] = [" ", "\t", "\n", "\r", "\n\n\n", "# note", "   #x  ", "\n  # own line\n"].map { Array($0.utf8) }

    /// One random change: delete, insert, duplicate or swap a short span, or add layout at a line end.
    static func mutate(_ bytes: inout [UInt8], using generator: inout SplitMix64) {
        guard !bytes.isEmpty else { bytes = interestingBytes[0]; return }
        let position = Int(generator.next() % UInt64(bytes.count))
        switch generator.next() % 6 {
        case 4, 5:
            let lineEnd = bytes[position...].firstIndex(of: 0x0A) ?? bytes.count
            bytes.insert(contentsOf: layoutBytes[Int(generator.next() % UInt64(layoutBytes.count))], at: lineEnd)
        case 0:
            let length = min(Int(generator.next() % 4) + 1, bytes.count - position)
            bytes.removeSubrange(position..<(position + length))
        case 1:
            let insertion = interestingBytes[Int(generator.next() % UInt64(interestingBytes.count))]
            bytes.insert(contentsOf: insertion, at: position)
        case 2:
            let length = min(Int(generator.next() % 12) + 1, bytes.count - position)
            let span = Array(bytes[position..<(position + length)])
            let target = Int(generator.next() % UInt64(bytes.count))
            bytes.insert(contentsOf: span, at: target)
        default:
            let other = Int(generator.next() % UInt64(bytes.count))
            bytes.swapAt(position, other)
        }
    }
}
