import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

@Suite("Several processes writing one database")
struct ConcurrencyTests {
    @Test("8 processes debit one account at once: the floor holds, each accepted debit is posted once, verify passes",
          .enabled(if: BuiltExecutable.path != nil, "the timebank executable was not built next to the tests"))
    func eightProcesses() throws {
        let cli = try CLIHarness()
        try cli.community()
        // 50.00 points; 8 workers each try 10 debits of 1.00 (80 in all), each sent twice (a network retry).
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "50", "--kind", "award", "--key", "seed",
                    "--date", "2026-10-01"])
        let executable = BuiltExecutable.path!
        let script = """
        i=1
        while [ $i -le 10 ]; do
          "$TB" post --from V1 --to system:adjustments --points 1 --kind redemption --key "w$W-$i" --memo "worker $W" >/dev/null 2>&1
          first=$?
          "$TB" post --from V1 --to system:adjustments --points 1 --kind redemption --key "w$W-$i" --memo "worker $W" >/dev/null 2>&1
          echo "w$W-$i $first $?"
          i=$((i+1))
        done
        """
        var workers: [(Process, Pipe)] = []
        for worker in 1...8 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            process.environment = ["TB": executable, "W": String(worker), "TIMEBANK_DB": cli.databasePath, "TIMEBANK_ACTOR": "op\(worker)",
                                   "PATH": "/usr/bin:/bin"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            workers.append((process, pipe))
        }
        var accepted: Set<String> = [], refused: Set<String> = []
        for (process, pipe) in workers {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: " ").map(String.init)
                guard parts.count == 3 else { continue }
                switch (parts[1], parts[2]) {
                case ("0", "0"): accepted.insert(parts[0])          // posted, and the retry returned it
                case ("1", "1"): refused.insert(parts[0])           // below the floor, both times
                default: Issue.record("unexpected exit codes \(line)")
                }
            }
        }
        #expect(accepted.count + refused.count == 80)
        #expect(accepted.count == 50)
        let store = try TimeBankStore(path: cli.databasePath)
        #expect(try store.balance(.volunteer("V1")) == 0)
        #expect(try store.balance(.adjustments) == 5000)
        var posted: [String] = []
        try store.forEachEntry { if $0.kind == .redemption { posted.append($0.key) } }
        #expect(posted.count == 50)
        #expect(Set(posted) == accepted)
        let report = try store.verify()
        #expect(report.problems == [])
    }

    /// A `redeem` behind another process's write transaction (a settlement's chunk, an import) printed nothing until
    /// it got the lock or gave up after 10 s (S5): the operator at the counter could not tell a wait from a hang.
    @Test("a command kept waiting for the write lock says so on standard error once, then goes on when the lock is free",
          .enabled(if: BuiltExecutable.path != nil, "the timebank executable was not built next to the tests"))
    func waitingForTheLockIsTold() throws {
        let cli = try CLIHarness()
        try cli.community()
        let holder = try SQLiteDatabase(path: cli.databasePath)
        try holder.execute("BEGIN IMMEDIATE")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltExecutable.path!)
        process.arguments = ["post", "--from", "system:issuance", "--to", "V1", "--points", "5", "--kind", "award", "--key", "wait-1",
                             "--date", "2026-10-01"]
        process.environment = ["TIMEBANK_DB": cli.databasePath, "TIMEBANK_ACTOR": "tester", "PATH": "/usr/bin:/bin"]
        let errors = Pipe(), output = Pipe()
        process.standardError = errors
        process.standardOutput = output
        try process.run()
        // The lock is let go once the command has said it waits: nothing here depends on how fast the machine is.
        var told = Data()
        while !String(decoding: told, as: UTF8.self).contains("\n") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            told += chunk
        }
        try holder.execute("COMMIT")
        told += errors.fileHandleForReading.readDataToEndOfFile()
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: told, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text == "waiting: another process is writing to the store (a settlement, an import?); this waits up to 10 s for it, "
                + "then stops with nothing written (S5)\n")
        #expect(try TimeBankStore(path: cli.databasePath).balance(.volunteer("V1")) == 500)
    }
}

