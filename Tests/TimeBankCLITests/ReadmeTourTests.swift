import Foundation
import Testing
import TimeBankCore
@testable import TimeBankCLI

/// README's tour, run as written: the set-up and ledger block, the policy block and the counter block, each command in
/// order through the command line (with `******` as a PIN and the repository's seeds/ and config/). It ended at the
/// counter in O007 (no operator), then F016 (an empty fund), then R001 (no points). The scoring block and the nightly
/// block are run too: the scoring block named october.csv and proposal.toml, which a fresh clone does not have (`score`
/// said "cannot read october.csv"); it now writes them with the shell lines it shows, which are run as written.
@Suite struct ReadmeTourTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The commands of one ```sh block: continuations joined, comments and blank lines dropped.
    static func commands(_ block: String) -> [String] {
        block.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").map { line in
            var text = String(line)
            // A comment starts at " #" outside quotes (no command of the tour has # inside quotes).
            if let hash = text.range(of: "  #") ?? text.range(of: " # ") { text = String(text[..<hash.lowerBound]) }
            return text.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// Splits a command line into words, keeping "quoted text" as one word.
    static func words(_ line: String) -> [String] {
        var words: [String] = [], current = "", quoted = false, started = false
        for character in line {
            if character == "\"" { quoted.toggle(); started = true; continue }
            if character == " " && !quoted {
                if started { words.append(current); current = ""; started = false }
                continue
            }
            current.append(character)
            started = true
        }
        if started { words.append(current) }
        return words
    }

    @Test func tourRunsAsWritten() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```sh\n").dropFirst().map { String($0.components(separatedBy: "```")[0]) }
        // The set-up and ledger block, the policy block (its files), and the counter block.
        let tour = blocks.filter {
            $0.contains("timebank init") || $0.contains("timebank policy activate") || $0.contains("timebank score")
                || $0.contains("timebank redeem") || $0.contains("timebank settle")
        }
        #expect(tour.count == 5)
        let cli = try CLIHarness(now: Timestamp("2026-11-08T02:00:00.000Z")!)
        // The shell lines (`printf ... > october.csv`) run in the harness's folder, where config/ is the repository's.
        try FileManager.default.createSymbolicLink(atPath: cli.folder + "/config", withDestinationPath: Self.repository.appendingPathComponent("config").path)
        var environment = ["TIMEBANK_NEW_PIN": "zhang-2468"]
        for line in tour.flatMap(Self.commands) {
            var words = Self.words(line.replacingOccurrences(of: "******", with: "tour-1357"))
            if words.first == "export" {
                for assignment in words.dropFirst() where assignment.contains("=") {
                    let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts[0] != "TIMEBANK_DB" { environment[parts[0]] = parts[1] }
                }
                continue
            }
            var local = environment
            while let first = words.first, first.contains("="), !first.hasPrefix("-") {
                let parts = first.split(separator: "=", maxSplits: 1).map(String.init)
                local[parts[0]] = parts[1]
                words.removeFirst()
            }
            if words.first != "timebank" {
                let shell = Process()
                shell.executableURL = URL(fileURLWithPath: "/bin/sh")
                shell.arguments = ["-c", line]
                shell.currentDirectoryURL = URL(fileURLWithPath: cli.folder)
                try shell.run()
                shell.waitUntilExit()
                #expect(shell.terminationStatus == 0, "\(line)")
                continue
            }
            guard !line.contains("|") else { continue }   // the hledger pipe
            let arguments = words.dropFirst().map { word in
                if word.hasPrefix("seeds/") || word.hasPrefix("config/") { return Self.repository.appendingPathComponent(word).path }
                // A file the block wrote (october.csv) or a folder it names (reports/): in the harness's folder.
                let isPath = word.hasSuffix("/") || FileManager.default.fileExists(atPath: cli.folder + "/" + word)
                return !word.hasPrefix("-") && !word.isEmpty && isPath ? cli.folder + "/" + word : word
            }
            if local["TIMEBANK_OPERATOR"] == "op-zhang" { local["TIMEBANK_PIN"] = "zhang-2468" }   // her own PIN
            let result = cli.run(Array(arguments), environment: local)
            #expect(result.exit == 0, "\(line)\n\(result.errors)")
            // What the comments say the scoring block shows.
            if arguments.first == "explain" { #expect(result.output.contains("= 26.50 积分"), "\(result.output)") }
            if arguments.first == "whatif" { #expect(result.output.contains("Total: 26.50 → 30.00 积分"), "\(result.output)") }
        }
    }

    /// A newcomer types `timebank`, as the README and the demo's "Try next" lines write it; `swift run timebank demo` alone
    /// left it "command not found". The set-up block now builds it and puts it on the PATH, from the repository's folder
    /// (the tour names seeds/ and config/), before any block types it: its `export PATH=` line, run in a shell there,
    /// makes `timebank` the one the build made.
    /// The team's fixed choice: the README's first two commands do all the set-up on a fresh machine.
    @Test func firstTwoCommandsAreTheDemoAndTheTests() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "```sh\n").dropFirst().map { String($0.components(separatedBy: "```")[0]) }.flatMap(Self.commands)
        #expect(Array(lines.prefix(2)).map { Self.words($0) } == [["swift", "run", "timebank", "demo"], ["swift", "test"]], "\(lines.prefix(2))")
    }

    @Test func timebankIsOnThePathBeforeItIsTyped() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "```sh\n").dropFirst().map { String($0.components(separatedBy: "```")[0]) }.flatMap(Self.commands)
        func typesTimebank(_ line: String) -> Bool { Self.words(line).drop { $0.contains("=") && !$0.hasPrefix("-") }.first == "timebank" }
        let first = try #require(lines.firstIndex(where: typesTimebank))
        let before = lines[..<first]
        #expect(before.contains { $0.hasPrefix("swift build") || $0.hasPrefix("swift run timebank") }, "\(before)")
        let export = try #require(before.first { $0.hasPrefix("export PATH=") }, "no `export PATH=` before `\(lines[first])`")
        let shell = try runProcess("/bin/sh", ["-c", #"cd "$0" && eval "$1" && command -v timebank"#, Self.repository.path, export])
        let found = shell.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let built = try #require(BuiltExecutable.path)
        #expect(URL(fileURLWithPath: found).resolvingSymlinksInPath().path == URL(fileURLWithPath: built).resolvingSymlinksInPath().path,
                "`\(export)` finds \(found), the build made \(built)")
    }
}
