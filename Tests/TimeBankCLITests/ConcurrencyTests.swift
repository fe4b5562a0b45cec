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
}
