import Foundation
import TimeBankCore
@testable import TimeBankCLI

/// A command a docs page shows as typed, `$ timebank WORDS` at the start of a line of a fenced block, with the output
/// under it: the block's lines up to the next `$ ` line or the block's end, blank lines at the end dropped.
struct ShownCommand {
    /// The words after `$ timebank `, as typed on the page.
    var command: String
    var expected: String
    /// The line of the page (1-based) that shows the command, for the messages of a failing test.
    var line: Int

    static func all(in page: String) -> [ShownCommand] {
        let lines = page.components(separatedBy: "\n")
        var shown: [ShownCommand] = []
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("```") else { index += 1; continue }
            let (block, closing) = FencedBlock.read(lines, openingAt: index)
            var current: (command: String, line: Int, output: [String])?
            func finish() {
                guard var done = current else { return }
                while done.output.last?.isEmpty == true { done.output.removeLast() }
                shown.append(ShownCommand(command: done.command, expected: done.output.joined(separator: "\n"), line: done.line))
                current = nil
            }
            for (offset, line) in block.body.enumerated() {
                if line.hasPrefix("$ ") {
                    finish()
                    if line.hasPrefix("$ timebank ") { current = (String(line.dropFirst(11)), block.lines.lowerBound + offset + 1, []) }
                } else {
                    current?.output.append(line)
                }
            }
            finish()
            index = closing + 1
        }
        return shown
    }

    /// The output block (a bare ``` fence) that comes right after the ```sh block in which `timebank COMMAND` is typed
    /// (alone on its line, or before a `#` comment), as pages show what a block of commands printed; nil unless exactly
    /// one ```sh block types it and a bare block follows it.
    static func outputBlock(after command: String, in page: String) -> FencedBlock? {
        let lines = page.components(separatedBy: "\n")
        var blocks: [FencedBlock] = []
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("```") else { index += 1; continue }
            let (block, closing) = FencedBlock.read(lines, openingAt: index)
            blocks.append(block)
            index = closing + 1
        }
        let typing = blocks.indices.filter { position in
            blocks[position].info == "sh" && blocks[position].body.contains { line in
                line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                    .trimmingCharacters(in: .whitespaces) == "timebank " + command
            }
        }
        guard typing.count == 1, typing[0] + 1 < blocks.count, blocks[typing[0] + 1].info.isEmpty else { return nil }
        return blocks[typing[0] + 1]
    }
}

extension CLIHarness {
    /// What a terminal shows of a command run in the harness: its standard output, then its standard error, without the
    /// line break at the end (as a page's block shows it); at `moment` when one is given (see `run(_:at:environment:)`).
    func shown(_ arguments: [String], environment: [String: String] = [:], at moment: Timestamp? = nil) -> String {
        let result = moment.map { run(arguments, at: $0, environment: environment) } ?? run(arguments, environment: environment)
        return (result.output + result.errors).trimmingCharacters(in: .newlines)
    }

    /// `run` with the clock reading `moment` (one second later at each reading), as `$TIMEBANK_CLOCK` sets it for the
    /// built `timebank`: for the commands a page says were typed on another day than the rest. The harness's clock is
    /// left as it is.
    func run(_ arguments: [String], at moment: Timestamp, environment: [String: String] = [:]) -> Result {
        let output = BufferedOutput(), errors = BufferedOutput()
        let context = CommandContext(output: output, errors: errors,
                                     environment: ["TIMEBANK_DB": databasePath, "TIMEBANK_ACTOR": "tester"].merging(environment) { $1 },
                                     clock: FixedClock(moment, stepMilliseconds: 1000))
        return Result(exit: TimeBankCLI.run(arguments, context: context), output: output.text, errors: errors.text)
    }
}
