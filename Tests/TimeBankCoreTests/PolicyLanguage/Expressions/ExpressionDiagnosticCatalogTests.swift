import Testing
@testable import TimeBankCore

/// The wrong and right examples of `docs/policy-errors.md` (expression section), checked: each
/// wrong example reports its id first, and the right example compiles without any diagnostic.
@Suite("Expression diagnostic catalog")
struct ExpressionDiagnosticCatalogTests {
    typealias F = ExpressionFixtures

    struct Example: Sendable, CustomTestStringConvertible {
        let id: String
        let wrong: String
        let right: String
        var expecting: ExpressionType = .bool
        var testDescription: String { id }
    }

    static let examples: [Example] = [
        Example(id: "P200", wrong: "record.minutes > 1" + String(repeating: " ", count: 990), right: "record.minutes > 1"),
        Example(id: "P201", wrong: "", right: "record.minutes > 0"),
        Example(id: "P202", wrong: "record.category == 橙色", right: #"record.tags.contains("橙色")"#),
        Example(id: "P202", wrong: #"record.weekday in ["sat"， "sun"]"#, right: #"record.weekday in ["sat", "sun"]"#),
        Example(id: "P202", wrong: "volunteer.age >= 60岁", right: "volunteer.age >= 60"),
        Example(id: "P202", wrong: #"record.response_level == "II"（二级）"#, right: #"record.response_level == "II""#),
        Example(id: "P203", wrong: #"record.category == "orange"#, right: #"record.category == "orange""#),
        Example(id: "P204", wrong: #"record.verifier == "op\7""#, right: #"record.verifier == "op\\7""#),
        Example(id: "P205", wrong: "record.hours > .5", right: "record.hours > 0.5"),
        Example(id: "P206", wrong: "record.minutes > 99999999999999999999", right: "record.minutes > 9999"),
        Example(id: "P207", wrong: "record.category ==", right: #"record.category == "orange""#),
        Example(id: "P207", wrong: #"record.response_level == "II"("二级")"#, right: #"record.response_level == "II""#),
        Example(id: "P208", wrong: "(record.minutes > 60", right: "(record.minutes > 60)"),
        Example(id: "P209", wrong: Array(repeating: "1", count: 101).joined(separator: " + ") + " > 0", right: "101 > 0"),
        Example(id: "P210", wrong: String(repeating: "(", count: 33) + "true" + String(repeating: ")", count: 33), right: "true"),
        Example(id: "P211", wrong: #"record.category = "orange""#, right: #"record.category == "orange""#),
        Example(id: "P212", wrong: #"recrod.category == "orange""#, right: #"record.category == "orange""#),
        Example(id: "P213", wrong: #"record.categry == "orange""#, right: #"record.category == "orange""#),
        Example(id: "P215", wrong: #"record.category.starts_with("o")"#, right: #"record.category.startsWith("o")"#),
        Example(id: "P216", wrong: "size(record.tags, 1) > 0", right: "size(record.tags) > 0"),
        Example(id: "P217", wrong: "has(record.rating + 1)", right: "has(record.rating)"),
        Example(id: "P218", wrong: #"record.date >= date("2026-13-01")"#, right: #"record.date >= date("2026-12-01")"#),
        Example(id: "P219", wrong: #"record == "orange""#, right: #"record.category == "orange""#),
        Example(id: "P220", wrong: #"record.minutes == "60""#, right: "record.minutes == 60"),
        Example(id: "P221", wrong: "record.category.startsWith(1)", right: #"record.category.startsWith("1")"#),
        Example(id: "P222", wrong: "record.minutes", right: "record.minutes >= 60"),
        Example(id: "P223", wrong: #"record.category == "orange""#, right: #"record.category == "orange" ? 1.5 : 1"#, expecting: .decimal),
        Example(id: "P224", wrong: #"record.weekday in ["sat", 7]"#, right: #"record.weekday in ["sat", "sun"]"#),
        Example(id: "P225", wrong: #"record.minutes > 60 ? 2 : "none""#, right: "record.minutes > 60 ? 2 : 1", expecting: .decimal),
        Example(id: "P226", wrong: #"record.category in "orange""#, right: #"record.category in ["orange"]"#),
        Example(id: "P227", wrong: "record.minutes / 0", right: "record.minutes / 60", expecting: .decimal),
        Example(id: "P228", wrong: "record.tags.size > 1", right: "record.tags.size() > 1"),
        Example(id: "P230", wrong: #"record.category == "orang""#, right: #"record.category == "orange""#),
        Example(id: "P231", wrong: #"record.weekday == "saturday""#, right: #"record.weekday == "sat""#),
        Example(id: "P232", wrong: "record.rating >= 1", right: "has(record.rating)"),
        Example(id: "P240", wrong: "record.rating / 5", right: "has(record.rating) ? record.rating / 5 : 1", expecting: .decimal),
        Example(id: "P241", wrong: "has(record.minutes) && record.minutes > 0", right: "record.minutes > 0"),
    ]

    @Test("each documented example reports its id; its fix compiles cleanly", arguments: examples)
    func example(_ example: Example) throws {
        let (_, wrongDiagnostics) = F.compile(example.wrong, expecting: example.expecting)
        #expect(wrongDiagnostics.first?.id == example.id, "\(example.wrong): \(wrongDiagnostics.map(\.message))")
        let (compiled, rightDiagnostics) = F.compile(example.right, expecting: example.expecting)
        #expect(compiled != nil)
        #expect(rightDiagnostics.isEmpty, "\(example.right): \(rightDiagnostics.map(\.message))")
    }

    /// The examples of `docs/expressions.md`.
    static let documentedExamples: [(String, ExpressionType)] = [
        (#"record.category == "orange" && record.weekday in ["sat", "sun"]"#, .bool),
        (#"record.response_level in ["I", "II"]"#, .bool),
        ("has(record.start_hour) && (record.start_hour >= 22 || record.start_hour < 6)", .bool),
        ("volunteer.age >= 60 && record.is_holiday", .bool),
        ("has(record.rating) ? record.rating / 5 : 1", .decimal),
        ("\nrecord.response_level == \"I\" ? 2 :\nrecord.response_level == \"II\" ? 1.5 : 1\n", .decimal),
        ("record.hours > 2 ? 1 + (record.hours - 2) / 10 : 1", .decimal),
        ("household.members >= 3 && household.hours_total >= 100", .bool),
        ("has(record.rating) && record.rating * 2 > 6", .bool),
        ("record.rating >= 4 && record.rating / 5 > 0.5", .bool),
        (#"size("长者") == 2"#, .bool),
        ("0.1 + 0.2 == 0.3", .bool),
    ]

    @Test("the examples in the language reference compile without diagnostics")
    func documentedExamplesCompile() {
        for (text, expecting) in Self.documentedExamples {
            let (compiled, diagnostics) = F.compile(text, expecting: expecting)
            #expect(compiled != nil && diagnostics.isEmpty, "\(text): \(diagnostics.map(\.message))")
        }
    }

    @Test("the multi-line emergency factor from the reference")
    func emergencyFactor() throws {
        let text = Self.documentedExamples[5].0
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

    @Test("warnings still compile; errors do not")
    func severities() {
        for example in Self.examples {
            let (compiled, diagnostics) = F.compile(example.wrong, expecting: example.expecting)
            let isWarning = ["P232", "P240", "P241"].contains(example.id)
            #expect(diagnostics.first?.severity == (isWarning ? .warning : .error), "\(example.id)")
            #expect((compiled != nil) == isWarning, "\(example.id)")
        }
    }
}
