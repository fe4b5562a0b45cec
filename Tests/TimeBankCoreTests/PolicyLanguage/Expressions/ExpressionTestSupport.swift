import Testing
@testable import TimeBankCore

/// Shared fixtures for the expression tests: a schema, a start location, a context with
/// hand-checkable facts, and helpers that show which text a diagnostic points at.
/// (Swift Testing has its own `SourceLocation`, so the policy file's is spelled `TimeBankCore.SourceLocation`.)
enum ExpressionFixtures {
    /// As if the expression began at column 9 of line 31, at byte 1000 of the policy file.
    static let start = TimeBankCore.SourceLocation(line: 31, column: 9, offset: 1000)

    static let schema = ExpressionSchema(
        categories: ["red", "orange", "blue", "green", "purple"],
        indicators: ["garbage_sorting", "illegal_structure"],
        stations: ["taibaihu-1", "taibaihu-2"],
        volunteerLevels: ["star1", "star2", "star3"])

    /// 2026-10-03 is a Saturday (2026-01-01 is a Thursday and 2026-10-01 is 273 = 39 × 7 days later).
    static let serviceDate = LocalDate(year: 2026, month: 10, day: 3)!

    /// A 90-minute orange service on Saturday 2026-10-03 by v-001, born 1950-10-04 (so 75 on that day).
    static func context(
        rating: Int? = 4, responseLevel: String? = nil, startHour: Int? = 9, minutes: Int = 90,
        hoursTotal: ExactDecimal = ExactDecimal(120), household: ExpressionHouseholdFacts? = household
    ) -> ExpressionContext {
        ExpressionContext(
            record: ExpressionRecordFacts(
                category: "orange", date: serviceDate, minutes: minutes, startHour: startHour,
                responseLevel: responseLevel, rating: rating, tags: ["elder", "长者"], station: "taibaihu-1",
                verifier: "op-7", isHoliday: true),
            volunteer: ExpressionVolunteerFacts(
                id: "v-001", household: household?.id, teams: ["orange-team"], tags: ["driver"],
                birthDate: LocalDate(year: 1950, month: 10, day: 4), joined: LocalDate(year: 2024, month: 3, day: 1)!,
                hoursTotal: hoursTotal, recordsTotal: 41, level: "star2"),
            household: household)
    }

    static let household = ExpressionHouseholdFacts(
        id: "h-12", name: "王家", members: 3, hoursTotal: ExactDecimal(hundredths: 25_050), pointsTotal: ExactDecimal(300))

    static func compile(
        _ text: String, expecting: ExpressionType = .bool, schema: ExpressionSchema = schema, at location: TimeBankCore.SourceLocation = start
    ) -> (CompiledExpression?, [Diagnostic]) {
        ExpressionCompiler.compile(text, at: location, expecting: expecting, schema: schema)
    }

    /// The diagnostics of an expression that must not compile.
    static func errors(_ text: String, expecting: ExpressionType = .bool, schema: ExpressionSchema = schema) -> [Diagnostic] {
        let (compiled, diagnostics) = compile(text, expecting: expecting, schema: schema)
        #expect(compiled == nil, "expected \(text) to be rejected")
        return diagnostics
    }

    /// Compiles (which must succeed) and evaluates.
    static func evaluate(
        _ text: String, expecting: ExpressionType = .bool, in context: ExpressionContext = context()
    ) throws -> Result<ExpressionValue, ExpressionEvaluationError> {
        let (compiled, diagnostics) = compile(text, expecting: expecting)
        let expression = try #require(compiled, "\(text) did not compile: \(diagnostics.map(\.message))")
        return expression.evaluate(context)
    }

    /// The value of an expression that must compile and evaluate.
    static func value(_ text: String, expecting: ExpressionType = .bool, in context: ExpressionContext = context()) throws -> ExpressionValue {
        try evaluate(text, expecting: expecting, in: context).get()
    }

    /// The text a diagnostic's range covers, found through byte offsets relative to `location`.
    static func covered(_ diagnostic: Diagnostic, in text: String, at location: TimeBankCore.SourceLocation = start) -> String {
        let bytes = Array(text.utf8)
        let from = diagnostic.range.start.offset - location.offset
        let to = diagnostic.range.end.offset - location.offset
        guard from >= 0, to <= bytes.count, from <= to else { return "<out of range \(diagnostic.range)>" }
        return String(decoding: bytes[from..<to], as: UTF8.self)
    }

    /// Parses without checking.
    static func parse(_ text: String) -> (ExpressionNode?, [Diagnostic]) {
        let scalars = Array(text.unicodeScalars)
        let sourceMap = ExpressionSourceMap(scalars: scalars, start: start)
        let lexer = ExpressionLexer(scalars: scalars, sourceMap: sourceMap)
        guard lexer.diagnostics.isEmpty else { return (nil, lexer.diagnostics) }
        var parser = ExpressionParser(
            tokens: lexer.tokens, maximumNestingDepth: ExpressionCompiler.maximumNestingDepth,
            maximumNodeCount: ExpressionCompiler.maximumNodeCount)
        let tree = parser.parse()
        return (tree, parser.diagnostics)
    }

    /// A fully parenthesized rendering of a syntax tree, to show precedence.
    static func render(_ node: ExpressionNode) -> String {
        switch node.kind {
        case .integer(let value): return String(value)
        case .decimal(let value): return value.description
        case .string(let value): return ExpressionValue.quoted(value)
        case .boolean(let value): return value ? "true" : "false"
        case .list(let elements): return "[" + elements.map(render).joined(separator: ", ") + "]"
        case .name(let name): return name
        case .member(let base, let name, _): return render(base) + "." + name
        case .call(let name, _, let receiver, let arguments):
            return (receiver.map { render($0) + "." } ?? "") + name + "(" + arguments.map(render).joined(separator: ", ") + ")"
        case .unary(let unaryOperator, let operand): return "(" + unaryOperator.rawValue + render(operand) + ")"
        case .binary(let binaryOperator, let lhs, let rhs, _):
            return "(" + render(lhs) + " " + binaryOperator.rawValue + " " + render(rhs) + ")"
        case .conditional(let condition, let thenBranch, let elseBranch):
            return "(" + render(condition) + " ? " + render(thenBranch) + " : " + render(elseBranch) + ")"
        }
    }

    static func decimal(_ text: String) -> ExactDecimal {
        ExactDecimal(text)!
    }
}
