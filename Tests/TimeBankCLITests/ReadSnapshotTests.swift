import Foundation
import Testing
import TimeBankCore
@testable import TimeBankCLI

/// A command that only reads prints what one snapshot of the store held: another process's writes committed while it
/// reads (here, before each of its statements, through a second connection) are in none of what it prints.
@Suite("CLI: a command that only reads reads one snapshot")
struct ReadSnapshotTests {
    static let now = Timestamp("2026-11-08T02:00:00.000Z")!
    static let admin = ["TIMEBANK_OPERATOR": "admin", "TIMEBANK_PIN": "demo-admin"]

    /// The demo community, made once: each test reads a copy of it.
    static let demo: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-snapshot-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/demo.sqlite"
        let exit = run(["--db", path, "demo"], database: path).exit
        precondition(exit == 0, "the demo could not be made")
        return path
    }()

    static func run(_ arguments: [String], database: String, environment: [String: String] = [:],
                    beforeEachStatement: (() -> Void)? = nil) -> (exit: Int32, output: String, errors: String) {
        let output = BufferedOutput(), errors = BufferedOutput()
        let context = CommandContext(output: output, errors: errors,
                                     environment: ["TIMEBANK_DB": database, "TIMEBANK_ACTOR": "tester"].merging(environment) { $1 },
                                     clock: FixedClock(now))
        context.beforeEachStatement = beforeEachStatement
        let exit = TimeBankCLI.run(arguments, context: context)
        return (exit, output.text, errors.text)
    }

    /// The writes another process commits meanwhile, in turn: transfers from V0001 to V0002 (balances,
    /// lots, statements, the ledger's head), a delivery to S01 (its stock, the fund) and a merchant's contribution.
    static func write(_ turn: Int, database: String) -> Bool {
        let key = "meanwhile-\(turn)"
        let words: [String] = switch turn % 4 {
        case 0: ["transfer", "--from", "V0001", "--to", "V0002", "--points", "0.01", "--key", key]
        case 1: ["transfer", "--from", "V0001", "--to", "V0002", "--points", "0.01", "--key", key]
        case 2: ["stock", "receive", "--station", "S01", "--item", "rice_5kg", "--qty", "1", "--key", key]
        default: ["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "1000", "--key", key]
        }
        return run(words, database: database, environment: admin).exit == 0
    }

    /// Commands whose output these writes change, then commands whose output they leave as it was (a station's card,
    /// yesterday's reports, the receipts): those are run for a read that the writes would break (an error, a refusal).
    static let readingCommands: [(command: [String], writesShow: Bool)] = [
        ["balance", "V0001", "V0002"], ["balance"], ["volunteer", "show", "V0001"], ["volunteer", "show", "V0002"],
        ["household", "show", "H0062"], ["statement", "V0001"], ["lots", "V0001"], ["stock", "list"], ["entry", "list"],
        ["fund", "report"], ["export"], ["verify"],
    ].map { ($0, true) } + [
        ["station", "show", "S01"], ["stock", "history", "--station", "S01"], ["receipt", "list"], ["report", "daily"],
        ["report", "stations"], ["report", "fund"], ["report", "rejects"],
    ].map { ($0, false) }

    @Test("what a reading command prints is what it prints with no write meanwhile", arguments: readingCommands)
    func readsOneSnapshot(_ command: [String], writesShow: Bool) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-snapshot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/d.sqlite"
        try FileManager.default.copyItem(atPath: Self.demo, toPath: path)
        if FileManager.default.fileExists(atPath: Self.demo + "-wal") {
            try FileManager.default.copyItem(atPath: Self.demo + "-wal", toPath: path + "-wal")
        }

        let quiet = Self.run(command, database: path)
        // Before each of its statements from the 2nd to the 60th, then before every 25th, another connection commits a
        // write (one before the first would come before anything was read, so before the snapshot too).
        var statements = 0, written = 0, refused = 0
        let meanwhile = Self.run(command, database: path) {
            statements += 1
            guard statements > 1, statements <= 60 || statements % 25 == 0, written + refused < 200 else { return }
            if Self.write(written + refused, database: path) { written += 1 } else { refused += 1 }
        }
        #expect(written > 0, "the writes meanwhile: \(written) committed, \(refused) refused")
        #expect(meanwhile.exit == quiet.exit)
        #expect(meanwhile.output == quiet.output)
        #expect(meanwhile.errors == quiet.errors)
        // The writes are in what the same command reads next.
        let after = Self.run(command, database: path)
        #expect((after.output != quiet.output) == writesShow)
    }
}
