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

    @Test("the examples in the commands' help name items of config/policy.toml, so they work on the demo community")
    func exampleItemsAreInTheCatalog() throws {
        let policy = try String(contentsOfFile: PolicyCommandTests.config("config/policy.toml"), encoding: .utf8)
        var named: [String] = []
        for command in TimeBankCLI.commands {
            for line in command.help.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("timebank ") {
                let words = line.split(separator: " ")
                for (index, word) in words.enumerated() where word == "--item" && index + 1 < words.count {
                    let item = String(words[index + 1].split(separator: ":")[0])
                    named.append(item)
                    #expect(policy.contains("[catalog.\(item)]"), "timebank \(command.name) --help: \(line)")
                }
            }
        }
        #expect(named.contains("hair_clip"), "\(named)")   // the basket example of redeem --help
    }
}
