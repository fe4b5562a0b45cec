import Foundation
import TimeBankCore
@testable import TimeBankCLI

/// Like `CLIHarness`, with the clock at 2027-01-04, after the records of the scoring tests (imports
/// refuse records dated after today).
final class ScoringHarness {
    let folder: String
    var databasePath: String { folder + "/scoring.sqlite" }
    /// 2027-01-04T00:00:00Z, moving one second per reading; a test may set a later one.
    var clock = FixedClock(Timestamp(millisecondsSinceEpoch: 1_799_020_800_000), stepMilliseconds: 1000)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-scoring-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func run(_ arguments: [String], environment: [String: String] = [:]) -> CLIHarness.Result {
        let output = BufferedOutput(), errors = BufferedOutput()
        let context = CommandContext(output: output, errors: errors,
                                     environment: ["TIMEBANK_DB": databasePath, "TIMEBANK_ACTOR": "tester"].merging(environment) { $1 },
                                     clock: clock)
        let exit = TimeBankCLI.run(arguments, context: context)
        return CLIHarness.Result(exit: exit, output: output.text, errors: errors.text)
    }

    @discardableResult
    func ok(_ arguments: [String]) throws -> String {
        let result = run(arguments)
        guard result.exit == 0 else {
            throw UsageError("timebank \(arguments.joined(separator: " ")) exited \(result.exit): \(result.errors)")
        }
        return result.output
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Household H1, volunteers V1 (in H1) and V2, station S1, and config/policy.toml active.
    func community() throws {
        try ok(["init"])
        try ok(["household", "add", "--id", "H1", "--name", "王家", "--address", "泰山路12号"])
        try ok(["volunteer", "add", "--id", "V1", "--name", "王秀英", "--household", "H1", "--birth", "1956-03-08",
                "--teams", "orange,purple", "--joined", "2024-05-01"])
        try ok(["volunteer", "add", "--id", "V2", "--name", "Li", "--joined", "2024-05-01"])
        try ok(["station", "add", "--id", "S1", "--name", "太白湖区第一志愿服务积分兑换站"])
        try ok(["policy", "activate", ScoringCommandTests.policy])
    }
}
