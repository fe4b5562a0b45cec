import Foundation
import Testing
@testable import TimeBankCLI

@Suite("docs/cli.md")
struct CLIReferenceTests {
    @Test("docs/cli.md is the commands' own help (TIMEBANK_RECORD_GOLDEN=1 rewrites it)")
    func referenceIsCurrent() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/cli.md").path
        let expected = CLIReference.markdown()
        if ProcessInfo.processInfo.environment["TIMEBANK_RECORD_GOLDEN"] == "1" {
            try expected.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let actual = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "docs/cli.md is out of date: run `TIMEBANK_RECORD_GOLDEN=1 swift test --filter CLIReferenceTests`")
    }
}
