import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI
#if canImport(Glibc)
import Glibc
#endif

/// Every write a station or an admin makes, killed with SIGKILL at random moments (before, during and after its write)
/// and sent again with the same key, happens exactly once: the retry exits 0 and says `created` or `exists`, and the
/// store holds what one uninterrupted run of the command leaves, table by table (the clock is frozen, so the ledger's
/// hashes match too), with `verify` and `stock verify` clean.
@Suite("Counter and admin writes under kills")
struct CounterCrashTests {
    /// The children's frozen clock: 11:00 on 2027-01-05 in UTC+8, the day the store was built on.
    static let frozenClock = "2027-01-05T03:00:00.000Z"

    static let policy = stationCLIPolicy + """


        [fund]
        currency = "CNY"
        merchant_rate = 0.001
        point_value = 0.5
        """

    /// The store every case starts from (see `prepare`), and the files its cases read.
    struct Base {
        var folder: String
        var path: String { folder + "/cli.sqlite" }
        var reversible: Int64
        var counts: String, approvals: String, rejections: String, records: String, nextPolicy: String
    }

    /// A small community (households H1–H4, volunteers V1–V8, stations S1 and S2, operators as `stations()` makes them),
    /// the test policy with a fund section, points awarded in December 2026, stock at S1, a receipt (R1) and a booking for
    /// today (B1) to refund and fulfil, 40 pending records (a1–a40) to approve and reject, and an award to reverse.
    static func prepare() throws -> (CLIHarness, Base) {
        let cli = try CLIHarness()
        try cli.stations(policy: policy)
        let admin = CLIHarness.asAdmin, op1 = CLIHarness.asOp1
        for household in 2...4 { try cli.ok(["household", "add", "--id", "H\(household)", "--name", "户\(household)"], admin) }
        for volunteer in 3...8 {
            try cli.ok(["volunteer", "add", "--id", "V\(volunteer)", "--name", "志愿者\(volunteer)", "--household",
                        "H\(volunteer / 2)", "--joined", "2024-05-01"], admin)
        }
        for volunteer in 1...8 {
            try cli.ok(["post", "--from", "system:issuance", "--to", "V\(volunteer)", "--points", "\(200 + volunteer)", "--kind", "award",
                        "--key", "seed-V\(volunteer)", "--date", "2026-12-0\(volunteer)", "--expires", "2027-12-01"], admin)
        }
        for item in ["rice_5kg", "biscuits", "lantern"] {
            try cli.ok(["stock", "receive", "--station", "S1", "--item", item, "--qty", "20", "--key", "seed-in-\(item)"], op1)
        }
        try cli.ok(["redeem", "--station", "S1", "--volunteer", "V2", "--item", "biscuits", "--key", "seed-r1"], op1)
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--key", "seed-bk-1"], op1)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V7", "--points", "3", "--kind", "award", "--key", "seed-typo",
                    "--date", "2026-12-20"], admin)
        let reversible = try cli.entryCount()
        var lines = ["id,volunteer,category,date,start,end,verifier"]
        for index in 1...40 { lines.append("a\(index),V\(index % 8 + 1),orange,2026-11-\(10 + index / 8),\(10 + index % 8):00,\(10 + index % 8):30,社区") }
        try cli.ok(["record", "import", try cli.write("base-records.csv", lines.joined(separator: "\n") + "\n")], admin)

        // Files the cases read.
        let counts = try cli.write("counts.csv", "item,counted\nrice_5kg,15\nbiscuits,17\nlantern,22\n")
        let approvals = try cli.write("approve.txt", (1...20).map { "a\($0)" }.joined(separator: "\n") + "\n")
        let rejections = try cli.write("reject.csv", "id,reason\n" + (21...40).map { "a\($0),未核实 \($0)" }.joined(separator: "\n") + "\n")
        let nextPolicy = try cli.write("next.toml", policy.replacingOccurrences(of: "version = 1\neffective = 2026-01-01",
                                                                               with: "version = 2\neffective = 2027-02-01"))
        // 20,000 service records, 8 volunteers in 30-minute slots, 40 a day from 2026-03-01.
        var big = ["id,volunteer,category,date,start,end,verifier"]
        big.reserveCapacity(20_001)
        for index in 0..<20_000 {
            let volunteer = index % 8 + 1, slot = index / 8
            let date = LocalDate("2026-03-01")!.adding(days: slot / 40), minutes = slot % 40 * 30
            func time(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
            big.append("b\(index),V\(volunteer),orange,\(date),\(time(minutes)),\(time(minutes + 30)),社区")
        }
        let records = try cli.write("big.csv", big.joined(separator: "\n") + "\n")
        #expect(try policy.contains("version = 1\neffective = 2026-01-01") && String(contentsOfFile: nextPolicy, encoding: .utf8).contains("version = 2"))
        return (cli, Base(folder: cli.folder, reversible: reversible, counts: counts, approvals: approvals, rejections: rejections,
                          records: records, nextPolicy: nextPolicy))
    }

    /// One write: its arguments (after `--json`), who signs it, and what its `--json` says when it did or found its work.
    struct Case: CustomStringConvertible {
        var name: String
        var arguments: [String]
        var environment: [String: String]
        var done: (Any?) -> Bool
        var description: String { name }
    }

    static func outcome(_ words: String...) -> (Any?) -> Bool {
        { json in ((json as? [String: Any])?["outcome"] as? String).map(words.contains) ?? false }
    }

    static func cases(_ base: Base) -> [Case] {
        let admin = CLIHarness.asAdmin, op1 = CLIHarness.asOp1
        let created = outcome("created", "exists")
        // The records named, each saying whether it was decided now or found decided (a retry).
        let decided: (Any?) -> Bool = { json in
            let records = json as? [[String: Any]] ?? []
            return records.count == 20 && records.allSatisfy { $0["decided_now"] is Bool }
        }
        return [
            Case(name: "redeem", arguments: ["redeem", "--station", "S1", "--volunteer", "V3", "--item", "biscuits", "--key", "k-redeem"],
                 environment: op1, done: created),
            Case(name: "redeem a basket", arguments: ["redeem", "--station", "S1", "--volunteer", "V4", "--item", "biscuits:2",
                                                      "--item", "lantern", "--item", "rice_5kg", "--key", "k-basket"],
                 environment: op1, done: created),
            Case(name: "refund", arguments: ["refund", "R1", "--reason", "包装破损"], environment: op1, done: created),
            Case(name: "book", arguments: ["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2027-01-06",
                                           "--key", "k-book"], environment: op1, done: created),
            Case(name: "fulfil", arguments: ["fulfil", "B1"], environment: op1, done: created),
            Case(name: "cancel", arguments: ["cancel", "B1", "--reason", "老人住院"], environment: op1, done: outcome("cancelled", "exists")),
            Case(name: "stock receive", arguments: ["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "10",
                                                    "--supplier", "粮油店", "--key", "k-in"], environment: op1, done: created),
            Case(name: "stock count", arguments: ["stock", "count", "--station", "S1", "--file", base.counts, "--key", "k-count"],
                 environment: op1, done: created),
            Case(name: "stock move", arguments: ["stock", "move", "--from", "S1", "--to", "S2", "--item", "lantern", "--qty", "3",
                                                 "--key", "k-move"], environment: op1, done: created),
            Case(name: "fund contribute", arguments: ["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "12345.67",
                                                      "--key", "k-contribution"], environment: admin, done: created),
            Case(name: "fund donate", arguments: ["fund", "donate", "--donor", "爱心企业 鲁味斋", "--amount", "500", "--key", "k-donation"],
                 environment: admin, done: created),
            Case(name: "transfer", arguments: ["transfer", "--from", "V5", "--to", "V6", "--points", "5", "--key", "k-transfer"],
                 environment: op1, done: created),
            Case(name: "donate points", arguments: ["donate", "--from", "V5", "--points", "5", "--key", "k-pool"], environment: op1,
                 done: created),
            Case(name: "dividend", arguments: ["dividend", "--period", "2026-12", "--amount", "100", "--unsettled", "--reason", "年终"],
                 environment: admin, done: created),
            Case(name: "policy activate", arguments: ["policy", "activate", base.nextPolicy], environment: admin,
                 done: outcome("activated", "already_active")),
            Case(name: "record approve --file", arguments: ["record", "approve", "--file", base.approvals, "--verifier", "张主任"],
                 environment: admin, done: decided),
            Case(name: "record reject --file", arguments: ["record", "reject", "--file", base.rejections], environment: admin, done: decided),
            Case(name: "reverse", arguments: ["reverse", String(base.reversible), "--key", "k-reverse", "--reason", "recorded twice"],
                 environment: admin, done: created),
            Case(name: "post", arguments: ["post", "--from", "system:issuance", "--to", "V8", "--points", "7", "--kind", "award",
                                           "--key", "k-post"], environment: admin, done: created),
        ]
    }

    // MARK: Running and comparing

    static func copy(_ source: String, to target: String) throws {
        for suffix in ["-wal", "-shm", ""] { try? FileManager.default.removeItem(atPath: target + suffix) }
        try FileManager.default.copyItem(atPath: source, toPath: target)
        if FileManager.default.fileExists(atPath: source + "-wal") { try FileManager.default.copyItem(atPath: source + "-wal", toPath: target + "-wal") }
    }

    /// Starts the built `timebank` with `--json`; standard error (a warning) goes nowhere, so the output is the JSON alone.
    static func start(_ arguments: [String], database: String, environment: [String: String], output: FileHandle? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltExecutable.path!)
        process.arguments = ["--json"] + arguments
        process.environment = environment.merging(["TIMEBANK_DB": database, "TIMEBANK_CLOCK": frozenClock, "TIMEBANK_ACTOR": "tester",
                                                   "PATH": "/usr/bin:/bin"]) { $1 }
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs to the end: the exit status and what it printed.
    static func complete(_ arguments: [String], database: String, environment: [String: String]) throws -> (status: Int32, output: String) {
        let pipe = Pipe()
        let process = try start(arguments, database: database, environment: environment, output: pipe.fileHandleForWriting)
        try pipe.fileHandleForWriting.close()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The tables whose rows a write leaves; the sign-in attempts are left out (each run signs in once more).
    static func fingerprint(_ path: String) throws -> [String] {
        let store = try TimeBankStore(path: path)
        let tables = try store.database.statement("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .rows { $0.text(0) }.filter { !$0.hasPrefix("sign_in_") }
        var lines: [String] = []
        for table in tables {
            let columns = try store.database.statement("SELECT name FROM pragma_table_info('\(table)')").rows { $0.text(0) }
            let select = "SELECT " + columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ") + " FROM \"\(table)\""
            lines += try store.database.statement(select).rows { "\(table): \($0.text(0))" }.sorted()
        }
        let head = try store.head()
        lines.append("head \(head.count) \(SHA256.hex(head.hash))")
        return lines
    }

    static func difference(_ actual: [String], _ expected: [String]) -> String {
        let extra = Set(actual).subtracting(expected).sorted().prefix(3), missing = Set(expected).subtracting(actual).sorted().prefix(3)
        return "\(actual.count) rows, \(expected.count) expected; not expected: \(Array(extra)); missing: \(Array(missing))"
    }

    /// `timebank verify` and `timebank stock verify`, in-process: their exit statuses.
    static func verified(_ path: String) -> [Int32] {
        ["verify", "stock verify"].map { command in
            let context = CommandContext(output: BufferedOutput(), errors: BufferedOutput(), environment: ["TIMEBANK_DB": path],
                                         clock: FixedClock(Timestamp(frozenClock)!))
            return TimeBankCLI.run(command.split(separator: " ").map(String.init), context: context)
        }
    }

    static func json(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// Where the kills landed: before the write (the store as it was), after it (as the reference leaves it), or
    /// neither (a write cut in the middle, to be finished by the retry).
    struct Landings { var before = 0, after = 0, between = 0, exited = 0 }

    /// One case: a reference run on a fresh copy, then `kills` copies each killed once at a random moment and retried.
    static func check(_ write: Case, base: Base, kills: Int, generator: inout SplitMix64) throws -> Landings {
        let reference = base.folder + "/reference.sqlite", killed = base.folder + "/killed.sqlite"
        try copy(base.path, to: reference)
        let started = DispatchTime.now().uptimeNanoseconds
        let first = try complete(write.arguments, database: reference, environment: write.environment)
        let milliseconds = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        #expect(first.status == 0 && write.done(json(first.output)), "\(write): the reference run: \(first.output)")
        let before = try fingerprint(base.path), expected = try fingerprint(reference)
        #expect(before != expected, "\(write) changed nothing")
        #expect(verified(reference) == [0, 0], "\(write): the reference run")

        var landings = Landings()
        for _ in 0..<kills {
            try copy(base.path, to: killed)
            let process = try start(write.arguments, database: killed, environment: write.environment)
            // From at once to a little past the end of an uninterrupted run: before, during and after the write.
            usleep(UInt32(Int.random(in: 0...(milliseconds * 5 / 4 + 2), using: &generator) * 1_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let left = try fingerprint(killed)
            if process.terminationReason != .uncaughtSignal { landings.exited += 1 }
            if left == before { landings.before += 1 } else if left == expected { landings.after += 1 } else { landings.between += 1 }
            let retry = try complete(write.arguments, database: killed, environment: write.environment)
            #expect(retry.status == 0 && write.done(json(retry.output)), "\(write): the retry after a kill: \(retry.status) \(retry.output)")
            let actual = try fingerprint(killed)
            #expect(actual == expected, "\(write): \(difference(actual, expected))")
            #expect(verified(killed) == [0, 0], "\(write): after a kill and a retry")
        }
        return landings
    }

    @Test("each station and admin write, killed at 12 random moments and retried, leaves what one run leaves",
          .enabled(if: BuiltExecutable.path != nil, "the timebank executable was not built next to the tests"))
    func killedAndRetried() throws {
        let (cli, base) = try Self.prepare()
        var generator = SplitMix64(seed: 20270105)
        var report: [String] = []
        for write in Self.cases(base) {
            let landings = try Self.check(write, base: base, kills: 12, generator: &generator)
            report.append("\(write): \(landings.before) before, \(landings.between) between, \(landings.after) after (\(landings.exited) exited)")
        }
        withExtendedLifetime(cli) {}
        print(report.joined(separator: "\n"))
    }

    @Test("record import of 20,000 rows, killed 12 times part-way and imported again: every row stored once",
          .enabled(if: BuiltExecutable.path != nil, "the timebank executable was not built next to the tests"))
    func importKilledAndRetried() throws {
        let (cli, base) = try Self.prepare()
        let arguments = ["record", "import", base.records]
        let reference = base.folder + "/reference.sqlite", killed = base.folder + "/killed.sqlite"
        try Self.copy(base.path, to: reference)
        let started = DispatchTime.now().uptimeNanoseconds
        let first = try Self.complete(arguments, database: reference, environment: CLIHarness.asAdmin)
        let milliseconds = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        let imported = Self.json(first.output) as? [String: Any] ?? [:]
        #expect(first.status == 0 && imported["stored"] as? Int == 20_000, "\(first.output.prefix(300))")
        let before = try Self.fingerprint(base.path), expected = try Self.fingerprint(reference)
        // The whole file again on the imported store: every row was stored before, nothing is written.
        let again = try Self.complete(arguments, database: reference, environment: CLIHarness.asAdmin)
        let summaryAgain = Self.json(again.output) as? [String: Any] ?? [:]
        #expect(again.status == 0 && summaryAgain["stored"] as? Int == 0 && summaryAgain["already_stored"] as? Int == 20_000,
                "\(again.output.prefix(300))")
        #expect(try Self.fingerprint(reference) == expected)
        // Three copies, each killed four times in a row (every run after the first a retry of a killed one), then imported
        // to the end: the last run stores what the killed ones did not, and says the rest were stored before.
        var generator = SplitMix64(seed: 20_000)
        var landings = Landings()
        for _ in 0..<3 {
            try Self.copy(base.path, to: killed)
            for _ in 0..<4 {
                let process = try Self.start(arguments, database: killed, environment: CLIHarness.asAdmin)
                usleep(UInt32(Int.random(in: 0...(milliseconds * 5 / 4 + 2), using: &generator) * 1_000))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                if process.terminationReason != .uncaughtSignal { landings.exited += 1 }
                let left = try Self.fingerprint(killed)
                if left == before { landings.before += 1 } else if left == expected { landings.after += 1 } else { landings.between += 1 }
            }
            let retry = try Self.complete(arguments, database: killed, environment: CLIHarness.asAdmin)
            let summary = Self.json(retry.output) as? [String: Any] ?? [:]
            let stored = summary["stored"] as? Int ?? -1, storedBefore = summary["already_stored"] as? Int ?? -1
            #expect(retry.status == 0 && summary["read"] as? Int == 20_000 && stored + storedBefore == 20_000 && summary["rejected"] as? Int == 0,
                    "\(retry.output.prefix(300))")
            let actual = try Self.fingerprint(killed)
            #expect(actual == expected, "\(Self.difference(actual, expected))")
            #expect(Self.verified(killed) == [0, 0])
        }
        withExtendedLifetime(cli) {}
        print("record import (\(milliseconds) ms): \(landings.before) before, \(landings.between) between, \(landings.after) after (\(landings.exited) exited)")
    }
}
