import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

@Suite("Stations: several processes redeeming at once")
struct StationConcurrencyTests {
    @Test("8 processes at 3 stations redeem a scarce item for overlapping volunteers: no oversell, no overdraft, one entry and one movement per success",
          .enabled(if: BuiltExecutable.path != nil, "the timebank executable was not built next to the tests"))
    func eightProcessesRedeem() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let store = try TimeBankStore(path: cli.databasePath, clock: cli.clock)
        let admin = try store.signIn(operatorID: "admin", pin: "9000")
        try store.addStation(Station(id: "S3", name: "第三兑换站", community: "", address: ""))
        try store.addOperator(Operator(id: "op3", name: "陈", role: .operator, station: "S3"), pin: "3131", by: admin, iterations: 10)
        let volunteers = ["V1", "V2", "V3", "V4", "V5", "V6"]
        for id in volunteers.dropFirst(2) {
            try store.addVolunteer(Volunteer(id: id, name: "志愿者\(id)", household: nil, birthDate: nil, teams: [], tags: [],
                                             joined: LocalDate("2024-01-01")!))
        }
        // 25.00 points each: at most two lanterns (10.00) per volunteer, so balances run out too.
        for id in volunteers {
            try store.post(.move(key: "seed-\(id)", kind: .award, date: LocalDate("2026-10-01")!, actor: "test", memo: "seed",
                                 from: .issuance, to: .volunteer(id), amount: 2_500))
        }
        // 8 lanterns in all: 3 at S1, 3 at S2, 2 at S3.
        for (station, quantity) in [("S1", 3), ("S2", 3), ("S3", 2)] {
            try store.receiveStock(StockReceiveRequest(key: "in-\(station)", station: station, item: "lantern", quantity: quantity,
                                                       date: LocalDate("2026-10-08")!), by: admin)
        }
        let operators = ["S1": ("op1", "1471"), "S2": ("op2", "2582"), "S3": ("op3", "3131")]

        // Worker W works at station S((W-1) mod 3 + 1) and tries 6 redemptions for volunteers that overlap with
        // the other workers'; each request is sent twice, as a network retry would.
        let script = """
        i=1
        while [ $i -le 6 ]; do
          v=$(( (W + i) % 6 + 1 ))
          "$TB" redeem --station "$STATION" --volunteer "V$v" --item lantern --key "w$W-$i" --date 2026-10-08 >/dev/null 2>"$ERR-$i"
          first=$?
          "$TB" redeem --station "$STATION" --volunteer "V$v" --item lantern --key "w$W-$i" --date 2026-10-08 >/dev/null 2>/dev/null
          echo "w$W-$i $first $? $(head -c 12 "$ERR-$i")"
          i=$((i+1))
        done
        """
        var workers: [(Process, Pipe)] = []
        for worker in 1...8 {
            let station = "S\((worker - 1) % 3 + 1)"
            let (operatorID, pin) = operators[station]!
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            process.environment = ["TB": BuiltExecutable.path!, "W": String(worker), "STATION": station, "TIMEBANK_DB": cli.databasePath,
                                   "TIMEBANK_OPERATOR": operatorID, "TIMEBANK_PIN": pin, "ERR": cli.folder + "/err-\(worker)",
                                   "PATH": "/usr/bin:/bin"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            workers.append((process, pipe))
        }
        var accepted: Set<String> = [], refused: Set<String> = []
        var refusalCodes: [String: Int] = [:]
        for (process, pipe) in workers {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard parts.count >= 3 else { continue }
                switch (parts[1], parts[2]) {
                case ("0", "0"): accepted.insert(parts[0])   // redeemed, and the retry returned the same receipt
                case ("1", "1"):                              // refused (out of stock or out of points), both times
                    refused.insert(parts[0])
                    refusalCodes[parts.count > 3 ? String(parts[3].prefix(12)) : "?", default: 0] += 1
                default: Issue.record("unexpected exit codes: \(line)")
                }
            }
        }
        #expect(accepted.count + refused.count == 48)
        #expect(accepted.count <= 8)
        // The item really was scarce: some redemptions succeeded and some found the shelf empty.
        #expect(!accepted.isEmpty && refusalCodes["error[R002]:", default: 0] > 0, "\(accepted.count) accepted, refusals \(refusalCodes)")
        #expect(Set(refusalCodes.keys).isSubset(of: ["error[R001]:", "error[R002]:"]), "\(refusalCodes)")

        let after = try TimeBankStore(path: cli.databasePath)
        // Stock never went negative and every unit sold is accounted for.
        let levels = try after.stockLevels().filter { $0.item == "lantern" }
        #expect(levels.allSatisfy { $0.quantity >= 0 })
        #expect(levels.reduce(0) { $0 + $1.quantity } == 8 - accepted.count)
        // No balance below its floor.
        for id in volunteers { #expect(try after.balance(.volunteer(id)) >= 0) }
        // Every success has exactly one receipt, one ledger entry and one stock movement; every refusal none.
        let receipts = try after.receipts()
        #expect(Set(receipts.map(\.key)) == accepted)
        #expect(receipts.count == accepted.count)
        var redemptionKeys: [String] = []
        try after.forEachEntry { if $0.kind == .redemption { redemptionKeys.append($0.key) } }
        #expect(redemptionKeys.sorted() == accepted.map { "redeem:" + $0 }.sorted())
        let movements = try after.stockMovements().filter { $0.kind == .redeem }
        #expect(movements.count == accepted.count)
        #expect(Set(movements.compactMap(\.receipt)) == Set(receipts.map(\.number)))
        for key in refused { #expect(try after.receipt(key: key) == nil && after.entry(key: "redeem:" + key) == nil) }
        // Points: what the volunteers lost is what the stations gained.
        let stationPoints = try ["S1", "S2", "S3"].reduce(Int64(0)) { $0 + (try after.balance(.station($1))) }
        #expect(stationPoints == Int64(accepted.count) * 1_000)
        #expect(try after.verify().problems == [])
        #expect(try after.verifyStations().problems == [])
        #expect(try cli.ok(["verify"]).hasPrefix("OK"))
    }
}
