import Foundation
import Testing

/// The links a newcomer follows: every relative link in README.md, seeds/README.md and docs/*.md names a file of the
/// repository, every `#anchor` names a heading of the page it points to (as GitHub makes anchors of headings), and every
/// page of docs/ can be reached from README.md.
@Suite struct DocsLinkTests {
    static let repository = ReadmeTourTests.repository

    /// The pages whose links are checked, relative to the repository.
    static func pages() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        return ["README.md", "seeds/README.md"] + docs
    }

    /// The text outside fenced code blocks (a `[x](y)` or a `# line` inside one is code, not a link or a heading); the
    /// lines of a block are left empty, so that line numbers stay the page's.
    static func prose(_ text: String) -> String {
        var inFence = false
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inFence.toggle(); return "" }
            return inFence ? "" : line
        }.joined(separator: "\n")
    }

    /// GitHub's anchor for a heading: lower case, punctuation dropped (letters of any script, digits, `-` and `_` kept),
    /// spaces made `-`.
    static func anchor(_ heading: String) -> String {
        String(heading.lowercased().unicodeScalars.compactMap { scalar -> Character? in
            if scalar == " " { return "-" }
            if scalar == "-" || scalar == "_" || CharacterSet.alphanumerics.contains(scalar) { return Character(scalar) }
            return nil
        })
    }

    /// The anchors of a page: one per heading (a repeated one gets `-1`, `-2`, …), and any `<a id="…">`/`<a name="…">`.
    static func anchors(ofPage text: String) -> Set<String> {
        var seen: [String: Int] = [:], anchors: Set<String> = []
        for line in prose(text).split(separator: "\n") where line.hasPrefix("#") {
            let marks = line.prefix { $0 == "#" }
            guard marks.count <= 6, line.dropFirst(marks.count).first == " " else { continue }
            let base = anchor(line.dropFirst(marks.count).trimmingCharacters(in: .whitespaces))
            let count = seen[base, default: 0]
            seen[base] = count + 1
            anchors.insert(count == 0 ? base : "\(base)-\(count)")
        }
        for match in text.matches(of: /<a (?:id|name)="([^"]+)"/) { anchors.insert(String(match.output.1)) }
        return anchors
    }

    /// The targets of the page's inline links `[text](target)`, with their line numbers; web addresses left out.
    static func links(in text: String) -> [(line: Int, target: String)] {
        prose(text).split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap { index, line in
            line.matches(of: /\]\(([^)\s]+)\)/).map { (line: index + 1, target: String($0.output.1)) }
        }.filter { !$0.target.contains("://") && !$0.target.hasPrefix("mailto:") }
    }

    /// Where a link of `page` leads: the file (relative to the repository) and the anchor, if any.
    static func resolve(_ target: String, from page: String) -> (file: String, anchor: String?) {
        let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let anchor = parts.count > 1 ? parts[1] : nil
        guard !parts[0].isEmpty else { return (page, anchor) }
        let folder = URL(fileURLWithPath: "/" + page).deletingLastPathComponent()
        let file = folder.appendingPathComponent(parts[0]).standardizedFileURL.path.dropFirst()
        return (String(file), anchor)
    }

    @Test func everyRelativeLinkAndAnchorResolves() throws {
        var problems: [String] = [], checked = 0
        for page in try Self.pages() {
            let text = try String(contentsOf: Self.repository.appendingPathComponent(page), encoding: .utf8)
            for link in Self.links(in: text) {
                checked += 1
                let (file, anchor) = Self.resolve(link.target, from: page)
                let path = Self.repository.appendingPathComponent(file).path
                guard FileManager.default.fileExists(atPath: path) else {
                    problems.append("\(page):\(link.line): (\(link.target)): no file \(file)")
                    continue
                }
                guard let anchor, file.hasSuffix(".md") else { continue }
                let anchors = Self.anchors(ofPage: try String(contentsOfFile: path, encoding: .utf8))
                if !anchors.contains(anchor) { problems.append("\(page):\(link.line): (\(link.target)): \(file) has no heading #\(anchor)") }
            }
        }
        #expect(checked > 100, "only \(checked) links found: is the pattern still right?")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func everyPageOfDocsIsLinkedFromTheReadme() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let linked = Set(Self.links(in: readme).map { Self.resolve($0.target, from: "README.md").file })
        let unlinked = try Self.pages().filter { $0.hasPrefix("docs/") && !linked.contains($0) }
        #expect(unlinked.isEmpty, "README.md links no page \(unlinked)")
    }

    @Test("GitHub's anchors", arguments: [
        ("## `[caps]`: earning limits per account", "caps-earning-limits-per-account"),
        ("## Expressions (P200–P249)", "expressions-p200p249"),
        ("### 8. Points per case, and night patrols", "8-points-per-case-and-night-patrols"),
        ("## 兑换站 S01", "兑换站-s01"),
    ])
    func headingAnchor(heading: String, expected: String) {
        #expect(Self.anchors(ofPage: heading) == [expected])
    }
}
