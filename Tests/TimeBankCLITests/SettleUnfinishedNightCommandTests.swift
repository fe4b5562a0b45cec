import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage
@testable import TimeBankCLI

/// A night whose settlement was started and not finished blocks a move and a change of a day of joining (C010); the
/// message names the command that finishes the night, and that command, typed as the message gives it, works.
@Suite("settle: an unfinished night")
struct SettleUnfinishedNightCommandTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Settled in full before the night that is killed.
        let settledBefore: String
        /// The night killed after its accept and grant steps.
        let killed: String
        /// A later night settled with --skip-missed after the kill (it leaves the killed night behind it), or nil.
        let settledAfter: String?
        /// The options the message must name besides --date.
        let options: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "killed, nothing after it", settledBefore: "2027-01-01", killed: "2027-01-02", settledAfter: nil, options: []),
        Case(name: "killed, then a later night settled with --skip-missed", settledBefore: "2027-01-01", killed: "2027-01-02",
             settledAfter: "2027-01-03", options: ["--allow-out-of-order"]),
        Case(name: "started with --skip-missed after missed days, killed", settledBefore: "2026-12-30", killed: "2027-01-02",
             settledAfter: nil, options: ["--skip-missed"]),
    ]

    /// The command a C010 message tells the user to run: `(timebank settle ...)`, as arguments.
    static func advisedCommand(_ message: String) throws -> [String] {
        let start = try #require(message.range(of: "(timebank settle "), "\(message)")
        let rest = message[start.upperBound...]
        let end = try #require(rest.firstIndex(of: ")"))
        return ["settle"] + rest[..<end].split(separator: " ").map(String.init)
    }

    @Test("C010 names the command that finishes the night, and that command works", arguments: cases)
    func followTheMessage(_ night: Case) throws {
        let cli = try SettleCommandTests.yesterdayImported()   // today 2027-01-04
        try cli.ok(["household", "add", "--id", "H2", "--name", "李家", "--address", "泰山路14号"])
        try cli.ok(["settle", "--date", night.settledBefore])
        // The killed run: its accept and grant steps committed, then it died (as `kill -9` leaves it).
        do {
            let store = try TimeBankStore(path: cli.databasePath)
            let timeline = try store.storedPolicyTimeline()
            let killed = LocalDate(night.killed)!
            try store.acceptRecords(on: killed, actor: "nightly", timeline: timeline)
            try store.postGrants(on: killed, actor: "nightly", timeline: timeline)
        }
        if let later = night.settledAfter { try cli.ok(["settle", "--date", later, "--skip-missed"]) }

        let move = cli.run(["volunteer", "update", "V1", "--household", "H2", "--reason", "搬家"])
        #expect(move.exit == 1)
        #expect(move.errors.hasPrefix("error[C010]: volunteer V1 cannot move household while the settlement of \(night.killed) is unfinished"),
                "\(move.errors)")
        let advised = try Self.advisedCommand(move.errors)
        #expect(advised == ["settle", "--date", night.killed] + night.options)
        let joined = cli.run(["volunteer", "update", "V1", "--joined", "2024-05-02", "--reason", "录入错误"])
        #expect(joined.exit == 1 && joined.errors.hasPrefix("error[C010]"))
        #expect(try Self.advisedCommand(joined.errors) == advised)

        // Follow the message literally: the night is finished, and the move goes through.
        let finished = cli.run(advised)
        #expect(finished.exit == 0, "\(advised.joined(separator: " ")): \(finished.errors)")
        #expect(finished.output.hasPrefix("Settled \(night.killed).\n"), "\(finished.output)")
        try cli.ok(["volunteer", "update", "V1", "--household", "H2", "--reason", "搬家"])
        #expect(try cli.ok(["verify"]).contains("Head hash"))
    }
}
