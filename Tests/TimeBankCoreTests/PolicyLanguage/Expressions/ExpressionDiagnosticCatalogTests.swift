import Foundation
import Testing
@testable import TimeBankCore

/// The wrong and right examples of `docs/policy-errors.md` (section "Expressions"), read from the document itself (as
/// `PolicyErrorCatalogTests` reads the policy section): each code span of a `- wrong:` line (outside the parentheses of its
/// help) reports the entry's id first, and each of a `- right:` line compiles without any diagnostic. The few examples the
/// document describes in words (a 1,008-character condition) are made here, and their lines are checked as written.
@Suite("Expression diagnostic catalog")
struct ExpressionDiagnosticCatalogTests {
    typealias F = ExpressionFixtures

    struct Example: Sendable, CustomTestStringConvertible {
        let id: String
        /// The expression as the document writes it.
        let text: String
        let expecting: ExpressionType
        var testDescription: String { "\(id): \(text)" }
    }

    /// One `### P2xx` entry: its wrong and right lines as written, and whether its heading says it is a warning.
    struct Entry: Sendable {
        let id: String
        let isWarning: Bool
        var wrongLines: [String] = []
        var rightLines: [String] = []
    }

    /// The entries of the expression section before its evaluation errors (which have no examples).
    static let entries: [Entry] = {
        guard let bytes = try? PolicyFixtures.repositoryFile("docs/policy-errors.md") else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let start = text.range(of: "## Expressions (P200–P249)"),
              let end = text.range(of: "**Evaluation errors**", range: start.upperBound..<text.endIndex) else { return [] }
        return text[start.upperBound..<end.lowerBound].components(separatedBy: "\n### ").dropFirst().map { block in
            let heading = block.prefix { $0 != "\n" }
            var entry = Entry(id: String(block.prefix(4)), isWarning: heading.hasSuffix("(warning)"))
            // An item goes on over the lines indented under it.
            var items: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("- ") { items.append(String(line)) } else if line.hasPrefix("  "), !items.isEmpty {
                    items[items.count - 1] += " " + line.drop { $0 == " " }
                }
            }
            entry.wrongLines = items.filter { $0.hasPrefix("- wrong: ") }.map { String($0.dropFirst(9)) }
            entry.rightLines = items.filter { $0.hasPrefix("- right: ") }.map { String($0.dropFirst(9)) }
            return entry
        }
    }()

    /// The code spans of an item outside parentheses (those hold its help), unwrapped from `when = '...'` (a condition)
    /// or `factor = '...'` (a number).
    static func expressions(in item: String) -> [(text: String, expecting: ExpressionType)] {
        var spans: [String] = []
        var depth = 0
        var span: String?
        for character in item {
            if character == "`" {
                if let done = span { if depth == 0 { spans.append(done) }; span = nil } else { span = "" }
            } else if span != nil {
                span?.append(character)
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth = max(depth - 1, 0)
            }
        }
        return spans.map { span in
            for (key, type) in [("when", ExpressionType.bool), ("factor", .decimal)] where span.hasPrefix(key + " = '") && span.hasSuffix("'") {
                return (String(span.dropFirst(key.count + 4).dropLast()), type)
            }
            return (span, .bool)
        }
    }

    /// The entries the document describes in words: the lines as written, and the examples they describe.
    static let described: [String: (wrong: String, right: String, wrongs: [String], rights: [String], schema: ExpressionSchema)] = {
        var withoutRatings = schema
        withoutRatings.unavailableFields["record.rating"] = "ratings are switched off"
        return [
            "P200": ("a 1,008-character condition",
                     "split it into several rules, or replace long chains of `||` by one `in [...]`",
                     ["record.minutes > 1" + String(repeating: " ", count: 990)], ["record.minutes > 1"], schema),
            "P209": ("`1 + 1 + ... + 1 > 0` with 101 ones", "`101 > 0`; in general, split the rule or use `in [...]`",
                     [Array(repeating: "1", count: 101).joined(separator: " + ") + " > 0"], ["101 > 0"], schema),
            "P210": ("33 opening parentheses around `true`", "`true`",
                     [String(repeating: "(", count: 33) + "true" + String(repeating: ")", count: 33)], ["true"], schema),
            "P214": ("`record.rating >= 4` in a policy without ratings", "remove the condition, or switch the feature on",
                     ["record.rating >= 4"], [], withoutRatings),
        ]
    }()

    /// The fixtures' schema with a community team, for P233.
    static let schema: ExpressionSchema = {
        var schema = F.schema
        schema.teams = [Team(id: "qianshou", name: "牽手", label: "")]
        return schema
    }()

    static func schema(for id: String) -> ExpressionSchema { described[id]?.schema ?? schema }

    static let wrongExamples: [Example] = entries.flatMap { entry in
        if let described = described[entry.id] { return described.wrongs.map { Example(id: entry.id, text: $0, expecting: .bool) } }
        return entry.wrongLines.flatMap { line in expressions(in: line).map { Example(id: entry.id, text: $0.text, expecting: $0.expecting) } }
    }

    static let rightExamples: [Example] = entries.flatMap { entry in
        if let described = described[entry.id] { return described.rights.map { Example(id: entry.id, text: $0, expecting: .bool) } }
        return entry.rightLines.flatMap { line in expressions(in: line).map { Example(id: entry.id, text: $0.text, expecting: $0.expecting) } }
    }

    @Test("every entry P200–P241 has a wrong and a right example; those described in words are as this test makes them")
    func everyEntryHasExamples() {
        #expect(Self.entries.count >= 35, "the expression section was not found in docs/policy-errors.md")
        for entry in Self.entries {
            #expect(!entry.wrongLines.isEmpty && !entry.rightLines.isEmpty, "\(entry.id) has no wrong or no right line")
            if let described = Self.described[entry.id] {
                #expect(entry.wrongLines == [described.wrong] && entry.rightLines == [described.right], "\(entry.id): the doc's lines changed")
            } else {
                #expect(entry.wrongLines.allSatisfy { !Self.expressions(in: $0).isEmpty }, "\(entry.id): a wrong line without an example")
                #expect(entry.rightLines.allSatisfy { !Self.expressions(in: $0).isEmpty }, "\(entry.id): a right line without an example")
            }
        }
    }

    @Test("each documented wrong example reports its id first, with the severity its heading says", arguments: wrongExamples)
    func wrong(_ example: Example) throws {
        let (compiled, diagnostics) = F.compile(example.text, expecting: example.expecting, schema: Self.schema(for: example.id))
        #expect(diagnostics.first?.id == example.id, "\(example.text): \(diagnostics.map { "\($0.id) \($0.message)" })")
        let isWarning = try #require(Self.entries.first { $0.id == example.id }).isWarning
        #expect(diagnostics.first?.severity == (isWarning ? .warning : .error))
        #expect((compiled != nil) == isWarning, "warnings still compile; errors do not")
    }

    @Test("each documented right example compiles cleanly", arguments: rightExamples)
    func right(_ example: Example) {
        let (compiled, diagnostics) = F.compile(example.text, expecting: example.expecting, schema: Self.schema(for: example.id))
        #expect(compiled != nil)
        #expect(diagnostics.isEmpty, "\(example.text): \(diagnostics.map(\.message))")
    }

    /// `docs/expressions.md`, the language reference, as lines.
    static let referenceLines: [String] = {
        guard let bytes = try? PolicyFixtures.repositoryFile("docs/expressions.md") else { return [] }
        return String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n")
    }()

    /// The expressions of the reference's ```toml blocks: each `when = '...'` (a condition; also `eligible`) and
    /// `factor = '...'` (a number; also `points`), or `'''` over lines, named by the comment above it.
    static let referenceExamples: [Example] = {
        let tripleQuote = "'''"
        var examples: [Example] = []
        var inBlock = false
        var comment = ""
        var open: (key: String, lines: [String])?
        func type(_ key: String) -> ExpressionType { key == "factor" || key == "points" ? .decimal : .bool }
        for (number, line) in referenceLines.enumerated() {
            if line.hasPrefix("```") { inBlock = line == "```toml"; comment = ""; continue }
            guard inBlock else { continue }
            if var multiLine = open {
                if line.hasSuffix(tripleQuote) {
                    multiLine.lines.append(String(line.dropLast(3)))
                    examples.append(Example(id: comment, text: multiLine.lines.joined(separator: "\n"), expecting: type(multiLine.key)))
                    open = nil
                } else {
                    multiLine.lines.append(line)
                    open = multiLine
                }
                continue
            }
            if line.hasPrefix("# ") { comment = String(line.dropFirst(2)); continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, ["when", "eligible", "factor", "points"].contains(parts[0]) else { continue }
            let key = parts[0], value = parts[1]
            let name = comment.isEmpty ? "expressions.md line \(number + 1)" : comment
            if value == tripleQuote {
                open = (key, [])
                comment = name
            } else if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'"), !value.hasPrefix(tripleQuote) {
                examples.append(Example(id: name, text: String(value.dropFirst().dropLast()), expecting: type(key)))
            } else {
                // Written another way (a basic string, a quote missing): the reference's advice is literal strings.
                examples.append(Example(id: name + " (not a literal string)", text: value, expecting: type(key)))
            }
        }
        return examples
    }()

    /// The code spans of a line of the reference, in order.
    static func codeSpans(_ line: String) -> [String] {
        line.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    }

    /// The expressions the reference says the checker stays quiet about (P240): the code spans of the list after "stays
    /// quiet", but those with `...` (a sketch, not an expression). One with `? :` is a number, the others conditions.
    static let quietExamples: [Example] = {
        guard let start = referenceLines.firstIndex(where: { $0.hasSuffix("present first:") }) else { return [] }
        return referenceLines[(start + 1)...].drop { $0.isEmpty }.prefix { $0.hasPrefix("- ") }.flatMap { line in
            codeSpans(line).filter { !$0.contains("...") }.map { span in
                Example(id: "stays quiet", text: span, expecting: span.contains(" ? ") ? .decimal : .bool)
            }
        }
    }()

    /// The examples of the reference's table of functions and methods: the code spans of its last column (a condition each).
    static let functionExamples: [Example] = {
        guard let start = referenceLines.firstIndex(where: { $0.hasPrefix("| call | on | result | example |") }) else { return [] }
        return referenceLines[(start + 2)...].prefix { $0.hasPrefix("|") }.flatMap { row in
            let call = codeSpans(row).first ?? ""
            return codeSpans(String(row.split(separator: "|").last ?? "")).map { Example(id: call, text: $0, expecting: .bool) }
        }
    }()

    /// What the reference says an expression gives, written "`1 + 2 * 3` is `7`": the expression and the value's text.
    static let referenceClaims: [(text: String, value: String)] = referenceLines.flatMap { line in
        let spans = line.components(separatedBy: "`")
        return stride(from: 1, to: spans.count - 2, by: 2).compactMap { index in
            spans[index + 1] == " is " ? (spans[index], spans[index + 2]) : nil
        }
    }

    @Test("the reference's examples were found: its toml blocks, the list the checker stays quiet about, what expressions give")
    func referenceExamplesFound() {
        #expect(Self.referenceExamples.count >= 10, "\(Self.referenceExamples.map(\.testDescription))")
        #expect(Self.referenceExamples.contains { $0.id == "Emergency multiplier." && $0.text.contains("\n") && $0.expecting == .decimal })
        #expect(Self.quietExamples.count >= 3, "\(Self.quietExamples.map(\.testDescription))")
        #expect(Self.functionExamples.count >= 8, "\(Self.functionExamples.map(\.testDescription))")
        #expect(Self.referenceClaims.count >= 5, "\(Self.referenceClaims)")
    }

    @Test("each expression of the language reference compiles without diagnostics", arguments: referenceExamples + quietExamples + functionExamples)
    func documentedExamplesCompile(_ example: Example) {
        let (compiled, diagnostics) = F.compile(example.text, expecting: example.expecting)
        #expect(compiled != nil && diagnostics.isEmpty, "\(example.text): \(diagnostics.map { "\($0.id) \($0.message)" })")
    }

    /// The claims are about values, and one about a missing rating: they are evaluated for a record without one.
    @Test("what the reference says an expression gives, it gives (for a record without a rating)")
    func documentedValues() throws {
        for (text, written) in Self.referenceClaims {
            if written == "true" || written == "false" {
                #expect(try F.value(text, expecting: .bool, in: F.context(rating: nil)) == .bool(written == "true"), "\(text)")
            } else {
                let number = try #require(ExactDecimal(written), "\(text) is `\(written)`: not a number")
                #expect(try F.value(text, expecting: .decimal, in: F.context(rating: nil)) == .decimal(number), "\(text)")
            }
        }
    }

    @Test("the multi-line emergency factor from the reference")
    func emergencyFactor() throws {
        let text = try #require(Self.referenceExamples.first { $0.id == "Emergency multiplier." }).text
        #expect(try F.value(text, expecting: .decimal, in: F.context(responseLevel: "I")) == .decimal(ExactDecimal(2)))
        #expect(try F.value(text, expecting: .decimal, in: F.context(responseLevel: "II")) == .decimal(F.decimal("1.5")))
        #expect(try F.value(text, expecting: .decimal, in: F.context(responseLevel: nil)) == .decimal(.one))
    }

    @Test("P214: a field the policy switched off")
    func switchedOffField() {
        var schema = F.schema
        schema.unavailableFields["record.rating"] = "ratings are switched off"
        #expect(F.compile("record.rating >= 4", schema: schema).1.first?.id == "P214")
        #expect(F.compile("record.minutes >= 60", schema: schema).1.isEmpty)
    }
}
