import Foundation
import Testing
import TimeBankCore
@testable import TimeBankCLI

/// `timebank policy fmt`: in-place rewrite, `--check` exit codes, TOML errors, JSON.
struct PolicyFormatCommandTests {
    static let loose = "rate=1.5   # 每小时\n[rounding]\nmode='half-even'\n"
    static let canonical = "rate = 1.5 # 每小时\n\n[rounding]\nmode = 'half-even'\n"

    func contents(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func rewritesAFileInPlaceAndNamesIt() throws {
        let cli = try CLIHarness()
        let path = try cli.write("policy.toml", Self.loose)
        let result = cli.run(["policy", "fmt", path])
        #expect(result.exit == 0)
        #expect(try contents(path) == Self.canonical)
        #expect(result.output == "formatted \(path) (first change at line 1)\n1 file formatted, 0 already canonical\n")
        // A second run finds nothing to do.
        let again = cli.run(["policy", "fmt", path])
        #expect(again.exit == 0)
        #expect(again.output == "0 files formatted, 1 already canonical\n")
    }

    @Test func aCanonicalFileIsNotWrittenAgain() throws {
        let cli = try CLIHarness()
        let path = try cli.write("policy.toml", Self.canonical)
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: path)
        #expect(cli.run(["policy", "fmt", path]).exit == 0)
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        #expect(modified == past)
    }

    @Test func rewritingKeepsPermissions() throws {
        let cli = try CLIHarness()
        let path = try cli.write("policy.toml", Self.loose)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        #expect(cli.run(["policy", "fmt", path]).exit == 0)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o640)
        #expect(try contents(path) == Self.canonical)
    }

    @Test func checkExitsZeroWhenEveryFileIsCanonical() throws {
        let cli = try CLIHarness()
        let first = try cli.write("a.toml", Self.canonical)
        let second = try cli.write("b.toml", "# only a comment\n")
        let result = cli.run(["policy", "fmt", "--check", first, second])
        #expect(result.exit == 0)
        #expect(result.output == "2 files canonical\n")
        #expect(result.errors == "")
    }

    @Test func checkExitsOneNamesTheFileAndWritesNothing() throws {
        let cli = try CLIHarness()
        let good = try cli.write("good.toml", Self.canonical)
        let bad = try cli.write("bad.toml", "a = 1\r\nb=2\r\n")
        let result = cli.run(["policy", "fmt", "--check", good, bad])
        #expect(result.exit == 1)
        #expect(result.output == """
            \(bad) would be reformatted (first change at line 1)
              - a = 1\\r
              + a = 1
            1 of 2 files would be reformatted
            Run: timebank policy fmt \(bad)

            """)
        #expect(try contents(bad) == "a = 1\r\nb=2\r\n")
    }

    @Test func tomlErrorsExitTwoWithRenderedDiagnosticsAndLeaveTheFile() throws {
        let cli = try CLIHarness()
        let broken = try cli.write("broken.toml", "name = \"东站\"\nrate = \n")
        let loose = try cli.write("loose.toml", Self.loose)
        let result = cli.run(["policy", "fmt", "--check", broken, loose])
        // Errors win over "would change".
        #expect(result.exit == 2)
        #expect(result.errors.hasPrefix("\(broken):2:6: error[P010]: "))
        #expect(result.errors.contains("2 | rate = \n"))
        #expect(result.output.contains("1 of 2 files would be reformatted; 1 with errors (left as they are)"))
        #expect(try contents(broken) == "name = \"东站\"\nrate = \n")

        // Without --check the good file is still formatted, the broken one left alone.
        let rewrite = cli.run(["policy", "fmt", broken, loose])
        #expect(rewrite.exit == 2)
        #expect(try contents(loose) == Self.canonical)
        #expect(try contents(broken) == "name = \"东站\"\nrate = \n")
    }

    @Test func errorsInACRLFFileShowTheRightLine() throws {
        let cli = try CLIHarness()
        let broken = try cli.write("crlf.toml", "a = 1\r\nrate = \r\n")
        let result = cli.run(["policy", "fmt", broken])
        #expect(result.exit == 2)
        #expect(result.errors.hasPrefix("\(broken):2:6: error[P010]: "))
        #expect(result.errors.contains("2 | rate = \n"))
    }

    @Test func aMissingFileExitsTwo() throws {
        let cli = try CLIHarness()
        let result = cli.run(["policy", "fmt", cli.folder + "/nothing.toml"])
        #expect(result.exit == 2)
        #expect(result.errors.contains("error[U001]: cannot read \(cli.folder)/nothing.toml"))
    }

    @Test func noFileIsAUsageError() throws {
        let cli = try CLIHarness()
        let result = cli.run(["policy", "fmt"])
        #expect(result.exit == 2)
        #expect(result.errors.contains("missing one or more policy files"))
    }

    @Test func jsonReportsEachFile() throws {
        let cli = try CLIHarness()
        let good = try cli.write("good.toml", Self.canonical)
        let loose = try cli.write("loose.toml", Self.loose)
        let broken = try cli.write("broken.toml", "a = [1,\n")
        let result = cli.run(["--json", "policy", "fmt", "--check", good, loose, broken])
        #expect(result.exit == 2)
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(object?["check"] as? Bool == true)
        #expect(object?["changed"] as? Int == 1)
        #expect(object?["errors"] as? Int == 1)
        let files = object?["files"] as? [[String: Any]] ?? []
        #expect(files.map { $0["status"] as? String } == ["canonical", "would_change", "error"])
        #expect(files[1]["first_changed_line"] as? Int == 1)
        let diagnostic = (files[2]["diagnostics"] as? [[String: Any]])?.first
        #expect(diagnostic?["id"] as? String == "P022")
        #expect(diagnostic?["line"] as? Int == 1)
        // As `policy check --json` gives a diagnostic; every file has its message, null when it was read and written.
        #expect(diagnostic?["offset"] as? Int != nil && diagnostic?["end_offset"] as? Int != nil)
        #expect(files.map { $0["message"] is NSNull } == [true, true, true])
    }

    @Test func helpHasAnExample() throws {
        let cli = try CLIHarness()
        let result = cli.run(["policy", "fmt", "--help"])
        #expect(result.exit == 0)
        #expect(result.output.contains("Usage: timebank policy fmt [--check] FILE..."))
        #expect(result.output.contains("timebank policy fmt --check config/*.toml"))
    }

    @Test func firstDifferenceNamesTheLine() {
        let difference = PolicyFormatCommand.firstDifference(original: Array("a = 1\nb=2\nc = 3".utf8), formatted: "a = 1\nb = 2\nc = 3\n")
        #expect(difference.line == 2)
        #expect(difference.before == "b=2")
        #expect(difference.after == "b = 2")
        // Only the final line feed is missing: the change is on the last line.
        #expect(PolicyFormatCommand.firstDifference(original: Array("a = 1".utf8), formatted: "a = 1\n").line == 1)
    }
}
