import Foundation
import TimeBankCore
@testable import TimeBankCLI

/// Runs `timebank` commands in-process against a fresh database file in a temporary folder.
final class CLIHarness {
    let folder: String
    var databasePath: String { folder + "/cli.sqlite" }
    let clock: FixedClock

    /// The clock reads `now` (one second later at each reading). By default 2027-01-05 10:00 in UTC+8, after every
    /// date the tests write as `--date` (a date after today is refused); tests of what "today" and "yesterday" mean
    /// pass their own.
    init(now: Timestamp = Timestamp("2027-01-05T02:00:00.000Z")!) throws {
        clock = FixedClock(now, stepMilliseconds: 1000)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    struct Result {
        var exit: Int32
        var output: String
        var errors: String
    }

    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) -> Result {
        let output = BufferedOutput(), errors = BufferedOutput()
        let context = CommandContext(output: output, errors: errors,
                                     environment: ["TIMEBANK_DB": databasePath, "TIMEBANK_ACTOR": "tester"].merging(environment) { $1 },
                                     clock: clock)
        let exit = TimeBankCLI.run(arguments, context: context)
        return Result(exit: exit, output: output.text, errors: errors.text)
    }

    /// `run`, failing loudly when the command does not exit 0.
    @discardableResult
    func ok(_ arguments: [String]) throws -> String {
        let result = run(arguments)
        guard result.exit == 0 else {
            throw UsageError("timebank \(arguments.joined(separator: " ")) exited \(result.exit): \(result.errors)")
        }
        return result.output
    }

    /// A small community: household H1, volunteers V1 (王秀英) and V2, station S1.
    func community() throws {
        try ok(["init"])
        try ok(["household", "add", "--id", "H1", "--name", "王家", "--address", "泰山路12号"])
        try ok(["volunteer", "add", "--id", "V1", "--name", "王秀英", "--household", "H1", "--birth", "1956-03-08",
                "--teams", "orange,purple", "--tags", "党员", "--joined", "2024-05-01"])
        try ok(["volunteer", "add", "--id", "V2", "--name", "Li", "--joined", "2024-05-01"])
        try ok(["station", "add", "--id", "S1", "--name", "太白湖区第一志愿服务积分兑换站"])
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// The `timebank` executable built next to the test bundle (the test target depends on it).
enum BuiltExecutable {
    static var path: String? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("timebank").path,
            Bundle.main.bundleURL.appendingPathComponent("timebank").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("timebank").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Runs a program and returns its exit status and output.
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// A fenced block of a Markdown page (a docs page's example): its info string (`text`, `csv file=volunteers.csv`), its
/// lines, and where they are in the page (0-based, half-open), so that a golden run can write new output there.
struct FencedBlock {
    var info: Substring
    var body: [String]
    var lines: Range<Int>

    /// The block whose opening fence is `lines[opening]`, and the index of its closing fence (or the page's end).
    static func read(_ lines: [String], openingAt opening: Int) -> (block: FencedBlock, closing: Int) {
        var index = opening + 1
        while index < lines.count, lines[index] != "```" { index += 1 }
        return (FencedBlock(info: lines[opening].dropFirst(3), body: Array(lines[(opening + 1)..<index]), lines: (opening + 1)..<index), index)
    }

    /// `file=NAME` in the info string.
    var fileName: String? {
        info.split(separator: " ").first { $0.hasPrefix("file=") }.map { String($0.dropFirst(5)) }
    }

    /// The words after `$ timebank ` on the block's first line, when it is a `text` block that runs a command.
    var command: String? {
        guard info == "text", let first = body.first, first.hasPrefix("$ timebank ") else { return nil }
        return String(first.dropFirst(11))
    }

    /// The block's lines after the command: the output it shows, and where that is in the page.
    var output: (text: String, lines: Range<Int>) {
        (body.dropFirst().joined(separator: "\n"), (lines.lowerBound + 1)..<lines.upperBound)
    }
}

/// Runs the built `timebank` in `folder` as a page's reader would, with no `TIMEBANK_` variable of the test run's own (only
/// `environment`'s), and returns what it printed, standard output and error together, as a terminal shows them.
func runAsPageShows(_ executable: String, _ arguments: [String], in folder: String, environment: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TIMEBANK_") }.merging(environment) { $1 }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
}

/// Writes a script and makes it executable, so that running it at once never meets ETXTBSY ("text file busy").
///
/// Tests run in parallel threads of one process: a file this process writes is open here for a moment, and a child that
/// another test forks in that moment inherits the descriptor and can keep it for as long as it runs (a settlement, a
/// sleeping stub). Executing the file then fails with ETXTBSY. So the text goes to a file that is never executed, and a
/// child process (`cp`) makes the executable: only that child ever holds it open for writing.
func writeExecutable(_ text: String, to path: String) throws {
    let source = path + ".source"
    try text.write(toFile: source, atomically: false, encoding: .utf8)
    let copy = try runProcess("/bin/sh", ["-c", #"cp "$0" "$1" && chmod 755 "$1""#, source, path])
    guard copy.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: copy.errors]) }
}

func findExecutable(_ name: String) -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

extension String {
    /// Writes the text as an executable script (see `writeExecutable(_:to:)`).
    func write(toExecutable path: String) throws { try writeExecutable(self, to: path) }
}
