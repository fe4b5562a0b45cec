import Foundation
import Testing
import TimeBankCore
@testable import TimeBankCLI

/// `--json` as a program reads it: standard output is exactly one JSON document, on success and on failure.
@Suite("--json: standard output is one JSON document")
struct JSONOutputTests {
    /// The whole of standard output parsed as one JSON value (nil when it is not exactly one).
    static func document(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// The `{"error": {...}}` object of a failure, or nil when standard output is anything else.
    static func error(_ result: CLIHarness.Result) -> [String: Any]? {
        (document(result.output) as? [String: Any])?["error"] as? [String: Any]
    }

    @Test("a command line naming no command, or an unknown one, prints a JSON error, and the help on standard error",
          arguments: [
              (["--json"], "no command given"),
              (["--json", "frobnicate"], "unknown command \"frobnicate\""),
              (["volunteer", "lst", "--json"], "unknown command \"volunteer lst\"; did you mean \"volunteer list\"?"),
              (["--json", "volunteer"], "\"volunteer\" needs a command after it: volunteer add, volunteer list"),
              (["--json", "policy", "diff", "x"], "unknown command \"policy diff\""),
          ])
    func unknownCommand(arguments: [String], message: String) throws {
        let cli = try CLIHarness()
        try cli.community()
        let result = cli.run(arguments)
        #expect(result.exit == 2)
        let error = try #require(Self.error(result), "standard output is not a JSON error: \(result.output)")
        #expect(error["code"] as? String == "U001")
        #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
        #expect(error["exit"] as? Int == 2)
        #expect(result.errors.contains("error[U001]: "))
        #expect(!result.output.contains("Commands:"))
    }

    @Test("without --json the list of commands stays on standard output; --help is always text")
    func withoutJSON() throws {
        let cli = try CLIHarness()
        let group = cli.run(["volunteer"])
        #expect(group.exit == 2)
        #expect(group.output.hasPrefix("Commands:\n  volunteer add"))
        #expect(cli.run(["volunteer", "lst"]).output.hasPrefix("Commands:\n"))
        #expect(cli.run([]).output.hasPrefix("timebank \(TimeBankCLI.version): "))
        let help = cli.run(["--json", "volunteer", "--help"])
        #expect(help.exit == 0)
        #expect(help.output.hasPrefix("Commands:\n"))
        #expect(cli.run(["--version"]).output == "timebank \(TimeBankCLI.version)\n")
    }

    @Test("--version --json is a JSON object")
    func version() throws {
        let cli = try CLIHarness()
        let result = cli.run(["--version", "--json"])
        #expect(result.exit == 0)
        #expect((Self.document(result.output) as? [String: Any])?["version"] as? String == TimeBankCLI.version)
    }

    @Test("export --json: refused without --output (a journal is not JSON); with it, what was written as JSON")
    func export() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1"])
        let refused = cli.run(["export", "--json"])
        #expect(refused.exit == 2)
        #expect(Self.error(refused)?["code"] as? String == "U001")
        #expect(refused.errors.contains("timebank entry list --json"))
        let path = cli.folder + "/ledger.journal"
        let written = cli.run(["export", "--json", "--output", path])
        #expect(written.exit == 0, "\(written.errors)")
        let summary = try #require(Self.document(written.output) as? [String: Any], "\(written.output)")
        #expect(summary["file"] as? String == path)
        #expect(summary["format"] as? String == "ledger")
        #expect(summary["entries"] as? Int == 1)
        #expect((summary["head_hash"] as? String)?.count == 64)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("volunteer:V1"))
        // Without --json the journal is printed as before.
        #expect(try cli.ok(["export"]).hasPrefix("; timebank ledger export: 1 entry,"))
    }

    @Test("policy test --json: a file of cases with errors prints the JSON error (the diagnostics on standard error), exit 2")
    func policyTestBrokenCases() throws {
        let cli = try CLIHarness()
        let cases = try cli.write("broken.toml", "[[case]]\nname = \"typos\"\nrecrods = \"x\"\n")
        let result = cli.run(["--json", "policy", "test", ScoringCommandTests.policy, cases])
        #expect(result.exit == 2)
        let error = try #require(Self.error(result), "standard output is not a JSON error: \(result.output)")
        #expect(error["code"] as? String == "U001")
        #expect((error["message"] as? String)?.contains("broken.toml has errors (above); no case was run") == true, "\(error)")
        #expect(error["exit"] as? Int == 2)
        #expect(result.errors.contains("error[E201]: unknown key \"recrods\" in a case"))
    }

    @Test("demo --json: the story on standard error, a summary of what was built on standard output")
    func demo() throws {
        let cli = try CLIHarness()
        let path = cli.folder + "/demo.sqlite"
        let result = cli.run(["--db", path, "--json", "demo"])
        #expect(result.exit == 0, "\(result.errors)")
        let summary = try #require(Self.document(result.output) as? [String: Any], "\(result.output)")
        #expect(summary["database"] as? String == path)
        #expect(summary["volunteers"] as? Int == 610)
        #expect(summary["settlements"] as? Int == 30)
        #expect(summary["verified"] as? Bool == true)
        #expect((summary["head_hash"] as? String)?.count == 64)
        #expect(result.errors.contains("1. Community loaded from"))
        #expect(!result.output.contains("Try next:"))
    }
}
