import TimeBankCore
import TimeBankStorage

struct PolicyTestCommand: Command {
    static let name = "policy test"
    static let abstract = "Run a policy's test cases: records with the points they must earn and the rules that must act"
    static let help = """
    Usage: timebank policy test POLICY CASES

    CASES is a TOML file of cases (docs/scoring.md, "Policy test cases"): each names records (CSV as in a
    record file), the points each must give and, optionally, the rules that must or must not act, caps
    cut, points taken, a starting history. Every case is scored on its own. Each failure is printed as
    expected against got, with the record's explanation. Exits 0 when every case passes, 1 when one fails,
    2 when a file has errors. No database is needed.

    Examples:
      timebank policy test config/policy.toml config/tests/policy.cases.toml
      timebank policy test config/examples/xinyi-village.toml config/tests/xinyi-village.cases.toml
    """
    let policyPath: String
    let casesPath: String

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(2...2, "a policy file and a file of cases")
        policyPath = arguments.positionals[0]
        casesPath = arguments.positionals[1]
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let version = try ScoringPresentation.loadPolicy(policyPath, context: context)
        let bytes = try FileSystem.readBytes(casesPath)
        do {
            try TextEncodingCheck.requireUTF8(bytes, fileName: casesPath)
        } catch {
            throw FileEncodingError(error)
        }
        let file = PolicyTestCases.parse(bytes, path: casesPath, policy: version.policy)
        guard file.isValid else {
            context.errors.write(DiagnosticRenderer(path: casesPath, source: file.source).render(file.diagnostics))
            // Thrown, not returned: under --json standard output then holds the error, as for a policy file with errors.
            throw UsageError("\(casesPath) has errors (above); no case was run")
        }
        let results = try PolicyTestCases.run(file, version: version)
        let failed = results.filter { !$0.passed }
        if context.json {
            context.output.line(JSON.object([
                ("policy", .string(policyPath)), ("cases_file", .string(casesPath)), ("cases", .integer(results.count)),
                ("passed", .integer(results.count - failed.count)), ("failed", .integer(failed.count)),
                ("results", .array(results.map { result in
                    .object([("name", .string(result.testCase.name)), ("passed", .bool(result.passed)),
                             ("failures", .array(result.failures.map { failure in
                                 .object([("record", .string(failure.recordID)), ("message", .string(failure.message)),
                                          ("line", .integer(failure.range.start.line))])
                             }))])
                })),
            ]).rendered())
            return failed.isEmpty ? ExitCode.done : ExitCode.refused
        }
        context.output.line("\(casesPath): \(results.count) case\(results.count == 1 ? "" : "s") against \(policyPath)")
        let unit = version.policy.unit   // the explanations name the points as the policy does
        for result in results {
            if result.passed {
                context.output.line("ok    \(result.testCase.name)")
                continue
            }
            context.output.line("FAIL  \(result.testCase.name)")
            var explained = Set<String>()
            for failure in result.failures {
                context.output.line("      \(casesPath):\(failure.range.start): record \(failure.recordID): \(failure.message)")
            }
            for failure in result.failures where explained.insert(failure.recordID).inserted {
                guard let score = result.run.scores.first(where: { result.run.record(of: $0).id == failure.recordID }) else { continue }
                context.output.line("      explanation of \(failure.recordID):")
                context.output.write(ScoringPresentation.explanationText(result.run.explanation(of: score), unit: unit,
                                                                                indent: "        "))
                context.output.line("        " + ScoringPresentation.summary(earned: score.earned, capped: score.capped,
                                                                          deduction: score.deduction, shortfall: score.shortfall,
                                                                          net: score.net, unit: unit))
            }
        }
        context.output.line("\(results.count - failed.count) passed, \(failed.count) failed")
        return failed.isEmpty ? ExitCode.done : ExitCode.refused
    }
}
