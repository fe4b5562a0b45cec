import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI
#if canImport(Glibc)
import Glibc
#endif

/// `settle` killed with SIGKILL at random moments, then run again, ends with the same ledger, byte for byte,
/// as a settlement that was never interrupted; and two settlements started at once never both post.
@Suite("Settlement under kills", .serialized)
struct SettlementCrashTests {
    static let day = "2026-11-20"
    /// A frozen clock, so that entries written by different runs carry the same time.
    static let environment = ["TIMEBANK_CLOCK": "2026-11-20T16:00:00.000Z", "TIMEBANK_ACTOR": "nightly"]

    /// A database with config/policy.toml, 60 volunteers in 12 households, `records` service records dated
    /// `day` (verified) and earlier awards whose lots expire on or before it. Returns its path.
    static func prepare(in folder: String, records: Int) throws -> String {
        let path = folder + "/base.sqlite"
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let policy = try String(contentsOfFile: root.appendingPathComponent("config/policy.toml").path, encoding: .utf8)
        do {
            let store = try TimeBankStore(path: path, clock: FixedClock(Timestamp("2026-11-20T12:00:00.000Z")!))
            try store.activatePolicy(policy, actor: "admin")
            for household in 0..<12 { try store.addHousehold(Household(id: "H\(household)", name: "户\(household)", address: "")) }
            for volunteer in 0..<60 {
                try store.addVolunteer(Volunteer(id: "V\(volunteer)", name: "志愿者\(volunteer)", household: "H\(volunteer % 12)",
                                                 birthDate: nil, teams: [], tags: [], joined: LocalDate("2026-01-01")!))
            }
            for volunteer in 0..<30 {
                try store.post(.move(key: "old-\(volunteer)", kind: .award, date: LocalDate("2025-11-01")!, actor: "admin", memo: "old",
                                     from: .issuance, to: .volunteer("V\(volunteer)"), amount: 1_000 + Int64(volunteer),
                                     lotExpiresOn: LocalDate("2026-11-0\(volunteer % 9 + 1)")!))
            }
            // Each volunteer serves back to back through the day: 30 minutes per record, categories in turn.
            let categories = ["red", "orange", "blue", "green", "purple"]
            var lines = ["id,volunteer,category,date,start,end,verifier"]
            for index in 0..<records {
                let volunteer = index % 60, slot = index / 60
                let start = slot * 30 % 1_380, end = start + 30
                func time(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
                // Past 23:00 a volunteer's slots would overlap: later ones move to the previous days.
                let date = LocalDate(day)!.adding(days: -(slot * 30 / 1_380))
                lines.append("k\(index),V\(volunteer),\(categories[index % 5]),\(date),\(time(start)),\(time(end)),社区")
            }
            let outcome = try store.importRecords(Array((lines.joined(separator: "\n") + "\n").utf8), fileName: "day.csv",
                                                  actor: "importer", today: nil)
            #expect(outcome.rejected.isEmpty, "\(outcome.rejected.prefix(3))")
        }
        return path
    }

    static func copy(_ path: String, to target: String) throws {
        try FileManager.default.copyItem(atPath: path, toPath: target)
    }

    /// Everything a settlement leaves behind that must not depend on how often it was killed.
    static func fingerprint(_ path: String) throws -> [String] {
        let store = try TimeBankStore(path: path)
        var lines = try store.balances().map { "\($0.account) \($0.asset.rawValue) \($0.balance)" }
        let head = try store.head()
        lines.append("head \(head.count) \(SHA256.hex(head.hash))")
        lines += try store.settlements().map { SettleCommand.json($0).rendered(indent: nil) }
        lines += try store.database.statement("SELECT record, award, deduction, award_entry FROM record_scores ORDER BY record")
            .rows { "score \($0.int64(0)) \($0.int64(1)) \($0.int64(2)) \($0.optionalInt64(3) ?? -1)" }
        lines += try store.database.statement("SELECT number, status FROM records ORDER BY number").rows { "record \($0.int64(0)) \($0.text(1))" }
        #expect(try store.verify().problems == [])
        return lines
    }

    /// The first lines where two fingerprints differ, to name in a failure instead of printing both whole.
    static func difference(_ actual: [String], _ expected: [String]) -> String {
        let differing = zip(actual, expected).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(3)
            .map { "line \($0.offset): \($0.element.0) ≠ expected \($0.element.1)" }
        return "\(actual.count) lines, \(expected.count) expected; " + differing.joined(separator: "; ")
    }

    static func settleProcess(_ database: String, chunk: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltExecutable.path!)
        process.arguments = ["settle", "--date", day, "--chunk-size", String(chunk)]
        process.environment = environment.merging(["TIMEBANK_DB": database, "PATH": "/usr/bin:/bin"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("killed at 20+ random moments and run again, settle ends with the head hash and balances of an uninterrupted run",
          .enabled(if: BuiltExecutable.path != nil, "the timebank executable was not built next to the tests"))
    func killedAndResumed() throws {
        let records = Int(ProcessInfo.processInfo.environment["TIMEBANK_CRASH_RECORDS"] ?? "") ?? 3_000
        let kills = Int(ProcessInfo.processInfo.environment["TIMEBANK_CRASH_KILLS"] ?? "") ?? 24
        let chunk = max(1, records / 60)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-crash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let base = try Self.prepare(in: folder, records: records)
        try Self.copy(base, to: folder + "/reference.sqlite")
        try Self.copy(base, to: folder + "/killed.sqlite")

        let started = DispatchTime.now().uptimeNanoseconds
        let reference = try Self.settleProcess(folder + "/reference.sqlite", chunk: chunk)
        reference.waitUntilExit()
        #expect(reference.terminationStatus == 0)
        let referenceMilliseconds = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)

        // Kill moments spread over the run: a run resumes where the last one stopped, so each kill lands later in the work.
        // The delays add up to about half the reference run, so the day is normally still unsettled after the last kill.
        // The machine's speed changes while the tests run (the reference may have run beside other tests): when the day
        // got settled before enough kills, start again on a fresh copy with delays half as long.
        var generator = SplitMix64(seed: 20261120)
        var killed = 0
        for round in 0..<5 where killed < min(kills, 20) {
            try? FileManager.default.removeItem(atPath: folder + "/killed.sqlite")
            try Self.copy(base, to: folder + "/killed.sqlite")
            killed = 0
            var finished = false, attempts = 0
            let longest = max(6, referenceMilliseconds / max(1, kills << round))
            while killed < kills && !finished && attempts < kills * 4 {
                attempts += 1
                let process = try Self.settleProcess(folder + "/killed.sqlite", chunk: chunk)
                usleep(UInt32(Int.random(in: 5...longest, using: &generator) * 1_000))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                if process.terminationReason == .uncaughtSignal { killed += 1 } else { finished = process.terminationStatus == 0 }
            }
        }
        #expect(killed >= min(kills, 20), "only \(killed) runs were killed before the day was settled (the reference run took \(referenceMilliseconds) ms)")
        let last = try Self.settleProcess(folder + "/killed.sqlite", chunk: chunk)
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        let expected = try Self.fingerprint(folder + "/reference.sqlite")
        let actual = try Self.fingerprint(folder + "/killed.sqlite")
        #expect(actual == expected, "\(Self.difference(actual, expected)) after \(killed) kills")
        #expect(expected.contains { $0.hasPrefix("score ") })
    }

    @Test("two settlements started at once: one settles, the other is refused or finds the day settled; nothing posts twice",
          .enabled(if: BuiltExecutable.path != nil, "the timebank executable was not built next to the tests"))
    func startedTogether() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-race-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let base = try Self.prepare(in: folder, records: 600)
        try Self.copy(base, to: folder + "/reference.sqlite")
        let reference = try Self.settleProcess(folder + "/reference.sqlite", chunk: 50)
        reference.waitUntilExit()
        for round in 0..<3 {
            let database = folder + "/race\(round).sqlite"
            try Self.copy(base, to: database)
            let first = try Self.settleProcess(database, chunk: 50), second = try Self.settleProcess(database, chunk: 50)
            first.waitUntilExit()
            second.waitUntilExit()
            let statuses = [first.terminationStatus, second.terminationStatus].sorted()
            #expect(statuses == [0, 0] || statuses == [0, 1], "exit codes \(statuses)")
            let actual = try Self.fingerprint(database), expected = try Self.fingerprint(folder + "/reference.sqlite")
            #expect(actual == expected, "round \(round): \(Self.difference(actual, expected))")
        }
    }
}
