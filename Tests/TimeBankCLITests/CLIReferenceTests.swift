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

    /// The options a text names (`--item`, `--dry-run`), each once, in order.
    static func optionNames(in text: String) -> [String] {
        var names: [String] = []
        for match in text.matches(of: /--[a-z][a-z0-9-]*[a-z0-9]/) where !names.contains(String(match.output)) {
            names.append(String(match.output))
        }
        return names
    }

    @Test("each command's --help names every option it takes, and its usage only options it takes")
    func helpNamesTheOptionsTaken() {
        let global = TimeBankCLI.globalValueOptions + TimeBankCLI.globalFlagOptions + ["--version"]
        for command in TimeBankCLI.commands {
            let taken = command.valueOptions + command.flagOptions
            let named = Self.optionNames(in: command.help)
            for option in taken where !named.contains(option) {
                Issue.record("timebank \(command.name) takes \(option), which its --help does not name")
            }
            // The usage: its lines from `Usage:` to the first blank line.
            let usage = command.help.split(separator: "\n", omittingEmptySubsequences: false)
                .drop { !$0.hasPrefix("Usage: ") }.prefix { !$0.allSatisfy(\.isWhitespace) }.joined(separator: "\n")
            #expect(!usage.isEmpty, "timebank \(command.name) --help has no Usage: line")
            for option in Self.optionNames(in: usage) where !taken.contains(option) && !global.contains(option) {
                Issue.record("timebank \(command.name) --help's usage names \(option), which the command does not take")
            }
        }
    }
}
