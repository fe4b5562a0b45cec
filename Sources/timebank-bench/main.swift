// timebank-bench: the figures scripts/bench prints. Each figure is the median of several rounds, and each
// is shown beside a raw-SQLite baseline measured in the same run on the same disk, as a ratio.
import CSQLite
import Foundation
import TimeBankCore
import TimeBankStorage

let arguments = CommandLine.arguments.dropFirst()
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), arguments.index(after: index) < arguments.endIndex,
          let value = Int(arguments[arguments.index(after: index)]) else { return fallback }
    return value
}
// `--child settle-engine|settle-floor ...` is the child process of the settle figure (its peak memory is its own).
if let childIndex = arguments.firstIndex(of: "--child") {
    exit(SettleBench.runChild(Array(arguments[arguments.index(after: childIndex)...])))
}
/// A redemption worker (`--redeem-worker`) works in its parent's folder and makes none of its own.
let isRedeemWorker = arguments.contains("--redeem-worker")
if !isRedeemWorker { BenchArguments.check(Array(arguments)) }
let verifyEntries = option("--verify-entries", 1_000_000)
let commitCount = option("--commits", 2_000)
let batchEntries = option("--batch-entries", 100_000)
let rounds = option("--rounds", 5)
/// `--only commits|batch|verify|policy|redeem|scoring|settle` runs one figure (for profiling).
let only: String? = arguments.firstIndex(of: "--only").flatMap { arguments.index(after: $0) < arguments.endIndex ? arguments[arguments.index(after: $0)] : nil }
func wanted(_ figure: String) -> Bool { only == nil || only == figure }
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-bench-\(getpid())").path
if !isRedeemWorker { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
/// `--keep-files` leaves the folder (the settle figure's CSV and template store among its files) for profiling a child by
/// hand, e.g. `perf record .build/release/timebank-bench --child settle-engine CSV COPY-OF-TEMPLATE DAY OUT`.
let keepsFiles = arguments.contains("--keep-files")
defer {
    if !isRedeemWorker {
        if keepsFiles { FileHandle.standardError.write(Data("files kept in \(folder)\n".utf8)) }
        else { try? FileManager.default.removeItem(atPath: folder) }
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(0, &usage) // RUSAGE_SELF
    return Double(usage.ru_maxrss) / 1024
}
func rate(_ value: Double) -> String { value >= 10_000 ? String(format: "%.0f", value) : String(format: "%.1f", value) }
func line(_ name: String, _ value: Double, unit: String, target: Double, baseline: (String, Double)? = nil) {
    var text = "\(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(rate(value).leftPadded(10)) \(unit)"
    text += "   target ≥ \(rate(target)) \(value >= target ? "(met)" : "(NOT MET)")"
    if let (label, base) = baseline { text += String(format: "   %.2f× %@ (%@)", value / base, label, rate(base)) }
    print(text)
}
extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

// The machine.
let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
    .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu), \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB; SQLite \(String(cString: sqlite3_libversion()))")
print("rounds: \(rounds) (medians shown)")
print("")

// Raw SQLite baselines on the same disk: one-row durable commits, and rows inserted in one transaction.
func rawSQLite(_ name: String, rows: Int, perTransaction: Bool) throws -> Double {
    let database = try SQLiteDatabase(path: "\(folder)/\(name).sqlite")
    try database.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, account TEXT NOT NULL, amount INTEGER NOT NULL) STRICT")
    let insert = try database.statement("INSERT INTO t(account, amount) VALUES (?, ?)")
    let time = try seconds {
        if perTransaction {
            for index in 0..<rows {
                try database.execute("BEGIN IMMEDIATE")
                try insert.bind(.text("volunteer:V\(index % 600)"), .integer(Int64(index))).run()
                try database.execute("COMMIT")
            }
        } else {
            try database.execute("BEGIN IMMEDIATE")
            for index in 0..<rows { try insert.bind(.text("volunteer:V\(index % 600)"), .integer(Int64(index))).run() }
            try database.execute("COMMIT")
        }
    }
    return Double(rows) / time
}

func community(_ path: String, volunteers: Int) throws -> TimeBankStore {
    let store = try TimeBankStore(path: path)
    let people = (0..<volunteers).map {
        Volunteer(id: "V\($0)", name: "志愿者\($0)", household: nil, birthDate: nil, teams: ["red"], tags: [], joined: LocalDate(year: 2024, month: 1, day: 1)!)
    }
    try store.addCommunity(households: [], volunteers: people, stations: [Station(id: "S1", name: "兑换站", community: "", address: "")])
    return store
}

/// Awards and redemptions alternating, as the nightly batch and the stations write them.
func requests(_ range: Range<Int>, volunteers: Int, prefix: String) -> [EntryRequest] {
    let day = LocalDate(year: 2026, month: 10, day: 1)!
    return range.map { index in
        if index % 4 == 3 {
            // Spends half of what the previous entry awarded to the same volunteer.
            let volunteer = AccountID.volunteer("V\((index - 1) % volunteers)")
            return .move(key: "\(prefix)-\(index)", kind: .redemption, date: day, actor: "bench", memo: "兑换",
                         from: volunteer, to: .station("S1"), amount: 500)
        }
        let volunteer = AccountID.volunteer("V\(index % volunteers)")
        return .move(key: "\(prefix)-\(index)", kind: .award, date: day, actor: "bench", memo: "服务 1小时",
                     from: .issuance, to: volunteer, amount: 1000, lotExpiresOn: LocalDate(year: 2027, month: 10, day: 1)!)
    }
}

// 1. Durable single-entry commits.
var commitRates: [Double] = [], rawCommitRates: [Double] = []
for round in 0..<(wanted("commits") ? rounds : 0) {
    rawCommitRates.append(try rawSQLite("raw-commits-\(round)", rows: commitCount, perTransaction: true))
    let store = try community("\(folder)/commits-\(round).sqlite", volunteers: 600)
    let work = requests(0..<commitCount, volunteers: 600, prefix: "c")
    let time = try seconds { for request in work { try store.post(request) } }
    commitRates.append(Double(commitCount) / time)
}
if wanted("commits") { line("durable single-entry commits/s", median(commitRates), unit: "entries/s", target: 1_000,
     baseline: ("of raw SQLite 1-row commits", median(rawCommitRates))) }

// 2. Many entries in one transaction.
var batchRates: [Double] = [], rawBatchRates: [Double] = []
for round in 0..<(wanted("batch") ? rounds : 0) {
    rawBatchRates.append(try rawSQLite("raw-batch-\(round)", rows: batchEntries, perTransaction: false))
    let store = try community("\(folder)/batch-\(round).sqlite", volunteers: 600)
    let work = requests(0..<batchEntries, volunteers: 600, prefix: "b")
    let time = try seconds { try store.post(work) }
    batchRates.append(Double(batchEntries) / time)
}
if wanted("batch") { line("batched entries/s (\(batchEntries) in one transaction)", median(batchRates), unit: "entries/s", target: 100_000,
     baseline: ("of raw SQLite batched row inserts", median(rawBatchRates))) }

// 3. verify on a large ledger.
if wanted("verify") {
/// `--keep-ledger PATH` builds the verify ledger at PATH and keeps it (for profiling `timebank verify`).
let keptLedger: String? = arguments.firstIndex(of: "--keep-ledger").flatMap { arguments.index(after: $0) < arguments.endIndex ? arguments[arguments.index(after: $0)] : nil }
let bigPath = keptLedger ?? "\(folder)/verify.sqlite"
let big = try community(bigPath, volunteers: 600)
let buildTime = try seconds {
    var start = 0
    while start < verifyEntries {
        let end = min(verifyEntries, start + 50_000)
        try big.post(requests(start..<end, volunteers: 600, prefix: "v"))
        start = end
    }
}
print("(built a ledger of \(verifyEntries) entries in \(String(format: "%.1f", buildTime)) s)")
var verifyRates: [Double] = []
for _ in 0..<max(1, min(rounds, 3)) {
    var report: VerificationReport?
    let time = try seconds { report = try big.verify() }
    let verified = report!
    guard verified.isClean, verified.entriesChecked == verifyEntries else {
        print("verify FAILED on the benchmark ledger: \(verified.problems.first?.description ?? "wrong count")")
        exit(3)
    }
    verifyRates.append(Double(verifyEntries) / time)
}
line("verify entries/s (\(verifyEntries) entries)", median(verifyRates), unit: "entries/s", target: 500_000)
}
print(String(format: "peak memory: %.0f MiB", peakMemoryMiB()))

// 4. Parse and check a generated policy of 2,000 rules (multipliers, bonuses and penalties with
// conditions) over 50 categories: the time an admin waits for `timebank policy check`.
if wanted("policy") {
    func generatedPolicy(ruleCount: Int) -> [UInt8] {
        var text = "[policy]\nid = \"bench\"\nversion = 1\neffective = 2026-10-01\nunit = \"积分\"\n\n"
        text += "[earning]\nrounding = \"half_even\"\nstep = 0.5\ncombine_multipliers = \"max\"\n\n"
        for index in 0..<50 {
            text += "[categories.c\(index)]\nlabel = \"服务类别\(index)\"\npoints_per_hour = \(10 + index % 5)\n\n"
        }
        let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        for index in 0..<ruleCount {
            let category = "c\(index % 50)", weekday = weekdays[index % 7]
            switch index % 3 {
            case 0:
                text += "[multipliers.m\(index)]\nlabel = \"系数\(index)\"\nfactor = 1.\(index % 9 + 1)\n"
                text += "when = 'record.category == \"\(category)\" && record.weekday in [\"\(weekday)\", \"sun\"] && record.minutes >= \(index % 120)'\n\n"
            case 1:
                text += "[bonuses.b\(index)]\nlabel = \"奖励\(index)\"\npoints = \(index % 5 + 1)\ncategories = [\"\(category)\"]\n"
                text += "when = 'has(record.rating) && record.rating >= \(index % 4 + 2) || record.tags.contains(\"t\(index)\")'\n\n"
            default:
                text += "[penalties.p\(index)]\nlabel = \"扣分\(index)\"\npoints = -\(index % 5 + 1)\n"
                text += "when = 'record.tags.contains(\"no_show\") && volunteer.records_total > \(index % 10)'\n\n"
            }
        }
        return Array(text.utf8)
    }
    let policyBytes = generatedPolicy(ruleCount: 2_000)
    var policyTimes: [Double] = []
    for _ in 0..<max(rounds, 5) {
        var result: PolicyLoadResult?
        policyTimes.append(seconds { result = PolicyLoader.load(bytes: policyBytes, path: "bench.toml") })
        guard let loaded = result, loaded.diagnostics.isEmpty, loaded.policy?.multipliers.count == 667 else {
            print("policy check FAILED on the generated policy: \(result?.diagnostics.first?.message ?? "wrong rule count")")
            exit(3)
        }
    }
    let policyMilliseconds = median(policyTimes) * 1000
    // The helper prints "target ≥": the figure is checks per second, so ≥ 10/s means ≤ 100 ms each.
    line("policy check, 2,000 rules (\(String(format: "%.1f", policyMilliseconds)) ms, \(policyBytes.count / 1024) KiB)",
         1000 / policyMilliseconds, unit: "checks/s", target: 10)
}

// 5. Redemptions through the library API on one database, each its own durable transaction (as at the counter):
// redemptions per second with p50/p99 latency, in one process and in 4 processes writing the same file at once.
// `--redemptions N` (default 4000) in all; `--redeem-worker PATH INDEX COUNT` is the child mode of the 4-process run.
if wanted("redeem") {
    let redeemPolicy = """
        [policy]
        id = "bench-stations"
        version = 1
        effective = 2026-01-01

        [categories.orange]
        points_per_hour = 12

        [catalog.towel]
        label = "毛巾"
        kind = "goods"
        price = 2
        unit_cost = 1
        """
    let benchDay = LocalDate(year: 2026, month: 10, day: 8)!
    let stationCount = 10, volunteerCount = 600
    /// Opens the store and signs in the admin (an admin may redeem at every station).
    func redeemSession(_ path: String) throws -> (TimeBankStore, OperatorSession) {
        let store = try TimeBankStore(path: path)
        return (store, try store.signIn(operatorID: "admin", pin: "482916"))
    }
    /// Redeems `count` towels, cycling over volunteers and stations; returns each one's latency in seconds.
    func redeemLoop(_ store: TimeBankStore, _ session: OperatorSession, prefix: String, count: Int, offset: Int) throws -> [Double] {
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        for index in 0..<count {
            let request = RedemptionRequest(key: "\(prefix)-\(index)", station: "S\((index + offset) % stationCount)",
                                            volunteer: "V\((index * 7 + offset) % volunteerCount)", item: "towel", date: benchDay)
            latencies.append(try seconds { try store.redeem(request, by: session) })
        }
        return latencies
    }
    func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }
    func realtimeMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    if let workerIndex = arguments.firstIndex(of: "--redeem-worker") {
        // Child mode: PATH INDEX COUNT; prints "start end latency..." (milliseconds since 1970, then seconds).
        let values = Array(arguments[arguments.index(after: workerIndex)...].prefix(3))
        guard values.count == 3, let index = Int(values[1]), let count = Int(values[2]) else { exit(2) }
        let (store, session) = try redeemSession(values[0])
        let start = realtimeMilliseconds()
        let latencies = try redeemLoop(store, session, prefix: "p\(index)", count: count, offset: index)
        print("REDEEM-WORKER \(start) \(realtimeMilliseconds()) " + latencies.map { String(format: "%.6f", $0) }.joined(separator: " "))
        exit(0)
    }

    let redemptionCount = option("--redemptions", 4_000)
    func redeemDatabase(_ name: String) throws -> String {
        let path = "\(folder)/\(name).sqlite"
        let store = try TimeBankStore(path: path)
        let people = (0..<volunteerCount).map {
            Volunteer(id: "V\($0)", name: "志愿者\($0)", household: nil, birthDate: nil, teams: ["orange"], tags: [],
                      joined: LocalDate(year: 2024, month: 1, day: 1)!)
        }
        try store.addCommunity(households: [], volunteers: people,
                               stations: (0..<stationCount).map { Station(id: "S\($0)", name: "兑换站\($0)", community: "", address: "") })
        try store.activatePolicy(redeemPolicy, actor: "bench")
        // Three lots per volunteer (two expiring, one not), so each redemption draws on lots in spending order.
        var awards: [EntryRequest] = []
        for person in people {
            for (lot, expiry) in [LocalDate(year: 2026, month: 12, day: 31), LocalDate(year: 2027, month: 6, day: 30), nil].enumerated() {
                awards.append(.move(key: "seed-\(person.id)-\(lot)", kind: .award, date: LocalDate(year: 2026, month: 10, day: 1)!,
                                    actor: "bench", memo: "服务", from: .issuance, to: .volunteer(person.id), amount: 20_000, lotExpiresOn: expiry))
            }
        }
        try store.post(awards)
        try store.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "482916", by: nil)
        let admin = try store.signIn(operatorID: "admin", pin: "482916")
        for station in 0..<stationCount {
            try store.receiveStock(StockReceiveRequest(key: "in-\(station)", station: "S\(station)", item: "towel", quantity: 100_000,
                                                       date: benchDay), by: admin)
        }
        return path
    }

    // One process.
    let singlePath = try redeemDatabase("redeem-single")
    let (singleStore, singleSession) = try redeemSession(singlePath)
    let signInTime = try seconds { _ = try singleStore.signIn(operatorID: "admin", pin: "482916") }
    var singleLatencies: [Double] = []
    let singleTime = try seconds { singleLatencies = try redeemLoop(singleStore, singleSession, prefix: "s", count: redemptionCount, offset: 0) }
    guard try singleStore.verify().isClean, try singleStore.verifyStations().isClean else {
        print("verify FAILED after the redemption benchmark")
        exit(3)
    }
    line("durable redemptions/s, 1 process", Double(redemptionCount) / singleTime, unit: "redeem/s", target: 1_000)
    print(String(format: "  latency p50 %.2f ms, p99 %.2f ms (target p99 ≤ 10 ms: %@); sign-in (PBKDF2, %d iterations) %.0f ms",
                 percentile(singleLatencies, 0.5) * 1000, percentile(singleLatencies, 0.99) * 1000,
                 percentile(singleLatencies, 0.99) <= 0.010 ? "met" : "NOT MET", PINCredential.defaultIterations, signInTime * 1000))

    // Four processes on one database file.
    let sharedPath = try redeemDatabase("redeem-shared")
    let perWorker = redemptionCount / 4
    var children: [(Process, Pipe)] = []
    for index in 0..<4 {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["--only", "redeem", "--redeem-worker", sharedPath, String(index), String(perWorker)]
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        children.append((child, pipe))
    }
    var starts: [Int64] = [], ends: [Int64] = [], sharedLatencies: [Double] = []
    for (child, pipe) in children {
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        guard child.terminationStatus == 0,
              let report = output.split(separator: "\n").first(where: { $0.hasPrefix("REDEEM-WORKER ") }) else {
            print("a redemption worker failed (exit \(child.terminationStatus))")
            exit(4)
        }
        let fields = report.split(separator: " ").dropFirst()
        starts.append(Int64(fields.first!)!)
        ends.append(Int64(fields.dropFirst().first!)!)
        sharedLatencies += fields.dropFirst(2).compactMap { Double($0) }
    }
    let sharedStore = try TimeBankStore(path: sharedPath)
    guard try sharedStore.verify().isClean, try sharedStore.verifyStations().isClean,
          try sharedStore.receipts(limit: 1_000_000).count == perWorker * 4 else {
        print("verify FAILED after the 4-process redemption benchmark")
        exit(3)
    }
    let sharedSeconds = Double(ends.max()! - starts.min()!) / 1000
    line("durable redemptions/s, 4 processes, one file", Double(perWorker * 4) / sharedSeconds, unit: "redeem/s", target: 1_000)
    print(String(format: "  latency p50 %.2f ms, p99 %.2f ms (each process waits for the write lock the others hold)",
                 percentile(sharedLatencies, 0.5) * 1000, percentile(sharedLatencies, 0.99) * 1000))
}

// 6. Scoring throughput: synthetic records scored with config/policy.toml on one thread, beside a hand-written
// Swift function that hard-codes the same policy (its results are checked equal, record by record), and the
// ratio. `--score-records N` (default 1,000,000). Run from the repository root (scripts/bench does).
if wanted("scoring") {
    let scoreCount = option("--score-records", 1_000_000)
    guard let policyText = try? String(contentsOfFile: "config/policy.toml", encoding: .utf8),
          let policy = PolicyLoader.load(text: policyText, path: "config/policy.toml").policy else {
        print("scoring: cannot load config/policy.toml (run from the repository root)")
        exit(2)
    }
    let records = ScoringBench.records(count: scoreCount)
    let timeline = PolicyTimeline([.init(label: "config/policy.toml", policy: policy)])
    var engineRates: [Double] = [], handRates: [Double] = [], explainedRates: [Double] = []
    for round in 0..<rounds {
        var run: ScoringRun?
        let engineTime = try seconds { run = try Scorer(timeline: timeline, options: ScoringOptions(explain: false)).score(records) }
        var hand: [Int64] = []
        let handTime = seconds { hand = ScoringBench.handScored(records) }
        if round == 0 {
            guard let run, run.scores.map(\.net) == hand else {
                print("scoring: the engine and the hand-written function disagree")
                exit(3)
            }
            let explainedTime = try seconds { _ = try Scorer(timeline: timeline).score(records) }
            explainedRates.append(Double(scoreCount) / explainedTime)
        }
        engineRates.append(Double(scoreCount) / engineTime)
        handRates.append(Double(scoreCount) / handTime)
    }
    line("scoring records/s (\(scoreCount), 1 thread)", median(engineRates), unit: "records/s", target: 2_000_000,
         baseline: ("of a hand-written function", median(handRates)))
    let slowdown = median(handRates) / median(engineRates)
    print(String(format: "  the hand-written function is %.2f× as fast (target: at most 3×) %@; with explanations kept: %@ records/s",
                 slowdown, slowdown <= 3 ? "(met)" : "(NOT MET)", rate(median(explainedRates))))
}

/// The synthetic records of the scoring benchmark, and `config/policy.toml` written out by hand.
enum ScoringBench {
    /// `count` service records of 600 volunteers over 90 days from 1 October 2026 (Golden Week included),
    /// in canonical order: all categories, 0 to 180 minutes (no-shows and too-short ones among them),
    /// one in twenty during a level Ⅱ emergency, one in fifty without a verifier.
    static func records(count: Int) -> [Record] {
        var generator = SplitMix64(seed: 2026)
        let categories = ["red", "orange", "blue", "green", "purple"]
        let start = LocalDate(year: 2026, month: 10, day: 1)!
        var records: [Record] = []
        records.reserveCapacity(count)
        for index in 0..<count {
            let day = start.adding(days: index * 90 / count)
            let startMinute = 6 * 60 + (index * 90 % count) * 24 / count * 30
            let minutes = [30, 45, 60, 90, 120, 180, 20, 0][Int(generator.next() % 8)]
            let level: ResponseLevel? = generator.next() % 20 == 0 ? .two : nil
            let verifier: String? = generator.next() % 50 == 0 ? nil : "社区"
            let id = String(index)
            records.append(.service(ServiceRecord(
                id: "r" + String(repeating: "0", count: 8 - id.count) + id, volunteer: "V\(generator.next() % 600)",
                category: categories[Int(generator.next() % 5)], date: day, start: TimeOfDay(minutesSinceMidnight: startMinute),
                minutes: minutes, verifier: verifier, responseLevel: level, tags: minutes == 0 ? ["no_show"] : [])))
        }
        return records
    }

    /// The net points of each record under config/policy.toml, hard-coded: rates, the weekend and emergency
    /// factors (the largest wins), the first-service bonus, half-even rounding to 0.5, the green daily cap of
    /// 30, the caps of 60 a day and 600 a month, the no-show penalty of 5 above a floor of 0. In hundredths.
    static func handScored(_ records: [Record]) -> [Int64] {
        struct Volunteer {
            var day = -1, dayEarned: Int64 = 0, month = -1, monthEarned: Int64 = 0
            var greenDay = -1, greenEarned: Int64 = 0, hadBonus = false, balance: Int64 = 0
        }
        var index: [String: Int] = [:]
        var volunteers: [Volunteer] = []
        var results: [Int64] = []
        results.reserveCapacity(records.count)
        let holidays = Set((1...7).map { LocalDate(year: 2026, month: 10, day: $0)! } + [LocalDate(year: 2027, month: 1, day: 1)!])
        for record in records {
            guard case .service(let service) = record, service.verifier != nil else { results.append(0); continue }
            let v: Int
            if let known = index[service.volunteer] { v = known } else {
                v = volunteers.count
                index[service.volunteer] = v
                volunteers.append(Volunteer())
            }
            let rate: Int64 // hundredths per hour
            switch service.category {
            case "orange", "blue": rate = 1200
            case "red", "green", "purple": rate = 1000
            default: rate = 0
            }
            let minutes = Int64(min(service.minutes, 480))
            var award: Int64 = 0
            if minutes >= 30 {
                // In hundredths × 60 × 10: factors are whole tenths.
                var factor: Int64 = 10
                if service.date.isoWeekday >= 6 || holidays.contains(service.date) { factor = 12 }
                if service.responseLevel == .one { factor = max(factor, 20) } else if service.responseLevel == .two { factor = max(factor, 15) }
                var amount = minutes * rate * factor
                if !volunteers[v].hadBonus {
                    amount += 500 * 600
                    volunteers[v].hadBonus = true
                }
                let step: Int64 = 50 * 600
                var quotient = amount / step
                let remainder = amount % step
                if remainder * 2 > step || (remainder * 2 == step && quotient % 2 == 1) { quotient += 1 }
                var earned = quotient * 50
                let day = service.date.daysSinceEpoch, month = service.date.year * 12 + service.date.month
                if volunteers[v].day != day { volunteers[v].day = day; volunteers[v].dayEarned = 0 }
                if volunteers[v].month != month { volunteers[v].month = month; volunteers[v].monthEarned = 0 }
                let green = service.category == "green"
                if green {
                    if volunteers[v].greenDay != day { volunteers[v].greenDay = day; volunteers[v].greenEarned = 0 }
                    earned = min(earned, max(0, 3000 - volunteers[v].greenEarned))
                }
                earned = min(earned, max(0, 6000 - volunteers[v].dayEarned), max(0, 60000 - volunteers[v].monthEarned))
                volunteers[v].dayEarned += earned
                volunteers[v].monthEarned += earned
                if green { volunteers[v].greenEarned += earned }
                award = earned
            }
            var net = award
            if service.tags.contains("no_show") { net -= min(500, max(0, volunteers[v].balance + award)) }
            volunteers[v].balance += net
            results.append(net)
        }
        return results
    }
}

// 7. Settling 1,000,000 records: the CSV imported with the streaming import, then `settle` (accept, score and post,
// grants, expiry, levels, reconcile, reports), in a child process on a fresh copy of a store that holds the community
// and config/policy.toml; beside the floor: the same rows parsed by a plain loop and inserted into one SQLite table with
// the same columns, in one transaction, also in a child. Wall time and peak memory (each child's own peak resident
// memory, VmHWM) of each, and the ratio. A third child measures the bound (`SettleBench.bound`): the storage work
// alone of the leanest settlement that still keeps a decision, a score and an explanation per record. `--settle-records N` (default 1,000,000),
// `--settle-volunteers N` (20,000), `--settle-rounds N` (1).
if wanted("settle") {
    let recordCount = option("--settle-records", 1_000_000)
    let volunteerCount = option("--settle-volunteers", 20_000)
    let settleRounds = max(1, option("--settle-rounds", 1))
    guard let policyText = try? String(contentsOfFile: "config/policy.toml", encoding: .utf8) else {
        print("settle: cannot read config/policy.toml (run from the repository root)")
        exit(2)
    }
    let csvPath = "\(folder)/settle-records.csv"
    let generation = try seconds { try SettleBench.writeRecords(to: csvPath, count: recordCount, volunteers: volunteerCount) }
    let template = "\(folder)/settle-template.sqlite"
    try SettleBench.prepareStore(at: template, volunteers: volunteerCount, policy: policyText)
    let csvBytes = (try? FileManager.default.attributesOfItem(atPath: csvPath)[.size] as? Int) ?? 0
    print(String(format: "(settle: %d records of %d volunteers over %d days, %.0f MiB of CSV, written in %.1f s; %d round%@)",
                 recordCount, volunteerCount, SettleBench.days(count: recordCount, volunteers: volunteerCount), Double(csvBytes) / 1_048_576,
                 generation, settleRounds, settleRounds == 1 ? "" : "s"))
    var floorRuns: [SettleBench.ChildResult] = [], boundRuns: [SettleBench.ChildResult] = [], engineRuns: [SettleBench.ChildResult] = []
    for round in 0..<settleRounds {
        let floorPath = "\(folder)/settle-floor-\(round).sqlite"
        floorRuns.append(try SettleBench.spawn(["settle-floor", csvPath, floorPath], folder: folder))
        let boundPath = "\(folder)/settle-bound-\(round).sqlite"
        try SettleBench.copyDatabase(template, to: boundPath)
        boundRuns.append(try SettleBench.spawn(["settle-bound", csvPath, boundPath,
                                                SettleBench.lastDay(count: recordCount, volunteers: volunteerCount).description],
                                               folder: folder))
        let enginePath = "\(folder)/settle-engine-\(round).sqlite"
        try SettleBench.copyDatabase(template, to: enginePath)
        engineRuns.append(try SettleBench.spawn(["settle-engine", csvPath, enginePath,
                                                 SettleBench.lastDay(count: recordCount, volunteers: volunteerCount).description],
                                                folder: folder))
        for path in [floorPath, boundPath, enginePath] {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }
    func figure(_ runs: [SettleBench.ChildResult], _ key: String) -> Double { median(runs.map { $0.values[key] ?? .nan }) }
    let engineSeconds = figure(engineRuns, "total"), floorSeconds = figure(floorRuns, "total")
    let engineMiB = median(engineRuns.map(\.maxResidentMiB)), floorMiB = median(floorRuns.map(\.maxResidentMiB))
    let ratio = engineSeconds / floorSeconds
    func limitLine(_ name: String, _ value: Double, unit: String, limit: Double, extra: String = "") {
        let shown = String(format: value >= 100 ? "%.0f" : "%.2f", value)
        print("\(name.padding(toLength: 50, withPad: " ", startingAt: 0)) \(shown.leftPadded(10)) \(unit)"
              + "   target ≤ \(String(format: "%g", limit)) \(unit) \(value <= limit ? "(met)" : "(NOT MET)")" + extra)
    }
    limitLine("settle \(recordCount) records: wall time", engineSeconds, unit: "s", limit: 20,
              extra: String(format: "   %.2f× the floor (%.2f s); CPU time %.1f s (floor %.1f s)", ratio, floorSeconds,
                            figure(engineRuns, "cpu"), figure(floorRuns, "cpu")))
    limitLine("settle \(recordCount) records: peak memory (peak RSS)", engineMiB, unit: "MiB", limit: 300,
              extra: String(format: "   floor %.0f MiB", floorMiB))
    print(String(format: "  engine/floor ratio %.2f× (target ≤ 3×) %@", ratio, ratio <= 3 ? "(met)" : "(NOT MET)"))
    print(String(format: "  where the time goes: import %.2f s (%.0f rows/s), settle %.2f s: %@",
                 figure(engineRuns, "import"), Double(recordCount) / figure(engineRuns, "import"), figure(engineRuns, "settle"),
                 SettleBench.stepNames.map { String(format: "%@ %.2f", $0, figure(engineRuns, "step:" + $0)) }.joined(separator: ", ")))
    print(String(format: "  peak anonymous memory (heap, sampled): engine %.0f MiB, floor %.0f MiB; the rest of peak RSS is mapped files (the program, SQLite's map when on)",
                 median(engineRuns.map { $0.values["anonymous_mib"] ?? .nan }), median(floorRuns.map { $0.values["anonymous_mib"] ?? .nan })))
    print("  peak anonymous memory by part (MiB): " + (["import"] + SettleBench.stepNames).map {
        String(format: "%@ %.0f", $0, figure(engineRuns, "mem:" + $0)) }.joined(separator: ", "))
    let boundSeconds = figure(boundRuns, "total")
    print(String(format: "  the bound (the store's own tables, a decision, score and explanation row per record, one award entry per volunteer and day,\n"
                 + "  set-based SQL, nothing checked, scored or hashed): %.2f s, %.2f× the floor (import %.2f, accept %.2f, post %.2f s);"
                 + " the engine is %.2f× the bound",
                 boundSeconds, boundSeconds / floorSeconds, figure(boundRuns, "import"), figure(boundRuns, "accept"),
                 figure(boundRuns, "post"), engineSeconds / boundSeconds))
    if let first = engineRuns.first {
        print(String(format: "  stored %.0f, rejected %.0f, posted %.0f, award entries %.0f, penalty entries %.0f",
                     first.values["stored"] ?? 0, first.values["rejected"] ?? 0, first.values["posted"] ?? 0,
                     first.values["award_entries"] ?? 0, first.values["penalty_entries"] ?? 0))
    }
}

/// The settle figure: the generated community and records, the child processes and their measurements.
enum SettleBench {
    static let firstDay = LocalDate(year: 2026, month: 10, day: 12)!
    /// Ten records a day per volunteer: 30 or 45 minutes each, 50 minutes apart from 08:00, so none overlap and most
    /// of them earn points under the daily cap of 60.
    static let recordsPerVolunteerDay = 10

    static func days(count: Int, volunteers: Int) -> Int {
        max(1, (count + volunteers * recordsPerVolunteerDay - 1) / (volunteers * recordsPerVolunteerDay))
    }

    static func lastDay(count: Int, volunteers: Int) -> LocalDate { firstDay.adding(days: days(count: count, volunteers: volunteers) - 1) }

    static func volunteerID(_ index: Int) -> String {
        let digits = String(index + 1)
        return "V" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// Writes `count` service records in day, volunteer, time order: all five categories, one in a hundred a no-show.
    static func writeRecords(to path: String, count: Int, volunteers: Int) throws {
        guard let file = fopen(path, "w") else { throw CocoaError(.fileWriteUnknown) }
        defer { fclose(file) }
        var generator = SplitMix64(seed: 6)
        let categories = ["red", "orange", "blue", "green", "purple"]
        var text = "id,volunteer,category,date,start,end,verifier,tags\n"
        let perDay = volunteers * recordsPerVolunteerDay
        for index in 0..<count {
            let day = firstDay.adding(days: index / perDay)
            let volunteer = index % perDay / recordsPerVolunteerDay
            let slot = index % recordsPerVolunteerDay
            let start = 8 * 60 + slot * 50
            let minutes = generator.next() % 2 == 0 ? 30 : 45
            let noShow = generator.next() % 100 == 0
            let number = String(index)
            text += "r" + String(repeating: "0", count: max(0, 7 - number.count)) + number + ","
            text += volunteerID(volunteer) + "," + categories[Int(generator.next() % 5)] + "," + day.description + ","
            text += TimeOfDay(minutesSinceMidnight: start)!.description + "," + TimeOfDay(minutesSinceMidnight: start + minutes)!.description
            text += ",社区," + (noShow ? "no_show" : "") + "\n"
            if text.utf8.count >= 1 << 16 {
                fputs(text, file)
                text = ""
            }
        }
        fputs(text, file)
    }

    /// A store with the volunteers and config/policy.toml active, copied for each round.
    static func prepareStore(at path: String, volunteers: Int, policy: String) throws {
        let store = try TimeBankStore(path: path)
        let people = (0..<volunteers).map {
            Volunteer(id: volunteerID($0), name: "志愿者\($0)", household: nil, birthDate: nil, teams: ["orange"], tags: [],
                      joined: LocalDate(year: 2024, month: 1, day: 1)!)
        }
        try store.addCommunity(households: [], volunteers: people, stations: [Station(id: "S1", name: "兑换站", community: "", address: "")])
        try store.activatePolicy(policy, actor: "bench")
        try store.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    static func copyDatabase(_ source: String, to target: String) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        try FileManager.default.copyItem(atPath: source, toPath: target)
    }

    /// The settlement's steps in the order they run, by the short names the figures use (step N of the progress line is
    /// `stepNames[N - 1]`); taken from `SettlementStep` so that a renumbering cannot mislabel the figures.
    static let stepNames: [String] = SettlementStep.allCases.sorted().map { step in
        switch step {
        case .accept: "accept"
        case .grant: "grant"
        case .post: "post"
        case .expire: "expire"
        case .levels: "levels"
        case .reconcile: "reconcile"
        case .report: "report"
        case .record: "record"
        }
    }

    /// What a child measured: `key value` lines it wrote, and its peak resident memory.
    struct ChildResult {
        var values: [String: Double]
        var maxResidentMiB: Double
    }

    /// Runs this program again as a child with `--child ARGUMENTS OUTPUT` and waits for it with wait4.
    static func spawn(_ childArguments: [String], folder: String) throws -> ChildResult {
        let output = "\(folder)/child-\(UInt64.random(in: 0...UInt64.max)).txt"
        let argv = ["timebank-bench", "--child"] + childArguments + [output]
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        // This program's own path (so that valgrind --trace-children follows it), else /proc/self/exe.
        let program = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : "/proc/self/exe"
        let code = posix_spawn(&pid, program, nil, nil, cArguments, environ)
        guard code == 0 else {
            print("settle: cannot start the child process (\(code))")
            exit(4)
        }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        guard status == 0, let text = try? String(contentsOfFile: output, encoding: .utf8) else {
            print("settle: the child \(childArguments.first ?? "") failed (wait status \(status))")
            try? FileManager.default.removeItem(atPath: folder)
            exit(4)
        }
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        values["cpu"] = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        // wait4's max RSS is not the child's own: Linux carries into it the high-water mark of the memory the child
        // ran in before exec, and posix_spawn runs it in this process's memory (871 MiB reported for the floor after
        // the ledger figure had grown this process). The child's own peak (VmHWM) starts afresh at exec.
        return ChildResult(values: values, maxResidentMiB: values["peak_resident_mib"] ?? Double(usage.ru_maxrss) / 1024)
    }

    /// This process's peak resident memory (VmHWM in /proc/self/status), in MiB; nil where there is no such file.
    static func ownPeakResidentMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kiB = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return nil }
        return kiB / 1024
    }

    /// The child's side: `settle-floor CSV DB OUTPUT`, `settle-bound CSV DB LASTDAY OUTPUT` or
    /// `settle-engine CSV DB LASTDAY OUTPUT`; returns the exit code.
    static func runChild(_ arguments: [String]) -> Int32 {
        let sampler = AnonymousMemorySampler()
        do {
            var values: [(String, Double)]
            switch arguments.first {
            case "settle-floor" where arguments.count == 4:
                values = try floor(csv: arguments[1], database: arguments[2])
            case "settle-bound" where arguments.count == 5:
                guard let day = LocalDate(arguments[3]) else { return 2 }
                values = try bound(csv: arguments[1], database: arguments[2], lastDay: day)
            case "settle-engine" where arguments.count == 5:
                guard let day = LocalDate(arguments[3]) else { return 2 }
                values = try engine(csv: arguments[1], database: arguments[2], lastDay: day, memory: sampler)
            default:
                return 2
            }
            values.append(("anonymous_mib", sampler.stop()))
            if let peak = ownPeakResidentMiB() { values.append(("peak_resident_mib", peak)) }
            let text = values.map { "\($0.0) \($0.1)" }.joined(separator: "\n") + "\n"
            try text.write(toFile: arguments.last!, atomically: true, encoding: .utf8)
            return 0
        } catch {
            FileHandle.standardError.write(Data("settle child: \(error)\n".utf8))
            return 4
        }
    }

    /// Reads the CSV line by line with a plain loop (no quoting), splits each line at commas and runs `insert` with
    /// its eight fields as text plus what `complete` adds (given the row's number in the file, the header being 1),
    /// all in one transaction. Returns the rows inserted. The floor and the bound read the file this same way.
    static func insertRows(of csv: String, into database: SQLiteDatabase, with insert: SQLiteStatement,
                           complete: (inout [SQLiteValue], Int) -> Void) throws -> Int {
        guard let file = fopen(csv, "r") else { throw CocoaError(.fileReadNoSuchFile) }
        defer { fclose(file) }
        try database.execute("BEGIN IMMEDIATE")
        var line: UnsafeMutablePointer<CChar>?
        defer { free(line) }
        var capacity = 0
        var rows = 0
        var first = true
        while getline(&line, &capacity, file) > 0 {
            if first { first = false; continue } // the header
            let fields = String(cString: line!).dropLast().split(separator: ",", omittingEmptySubsequences: false)
            var values = fields.prefix(8).map { SQLiteValue.text(String($0)) }
            complete(&values, rows + 2)
            try insert.bind(values).run()
            rows += 1
        }
        try database.execute("COMMIT")
        return rows
    }

    /// The floor: read the file, split each line at commas with a plain loop, insert every row as text into one
    /// table with the records' columns, in one transaction; no checks, no indexes.
    static func floor(csv: String, database path: String) throws -> [(String, Double)] {
        var rows = 0
        let total = try seconds {
            let database = try SQLiteDatabase(path: path)
            try database.execute("""
                CREATE TABLE records (number INTEGER PRIMARY KEY, source TEXT, id TEXT, kind TEXT, volunteer TEXT, household TEXT,
                    category TEXT, indicator TEXT, service_date TEXT, start_time TEXT, end_time TEXT, minutes INTEGER, period TEXT,
                    result TEXT, verifier TEXT, response_level TEXT, rating INTEGER, tags TEXT, station TEXT, note TEXT,
                    content_sha256 TEXT, imported_at TEXT, imported_by TEXT, import_file TEXT, import_row INTEGER, status TEXT)
                """)
            // The columns of the file, in its order: id, volunteer, category, date, start, end, verifier, tags.
            let insert = try database.statement("""
                INSERT INTO records(id, volunteer, category, service_date, start_time, end_time, verifier, tags, source, kind,
                    note, status, minutes, imported_at, imported_by, import_file, import_row, content_sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'default', 'service', '', 'pending', 0, '', '', '', ?, '')
                """)
            rows = try insertRows(of: csv, into: database, with: insert) { values, row in values.append(.integer(Int64(row))) }
        }
        return [("total", total), ("rows", Double(rows))]
    }

    /// The bound: the least SQLite work a settlement can do while it keeps what the engine keeps for each record (the
    /// stored record with the store's own schema, its decision, its score and explanation rows), even with one award
    /// entry per volunteer and day instead of one per record. The rows are read as the floor reads them and inserted
    /// into the store's `records` table (its indexes, checks and triggers); then every write is one set-based statement
    /// with made-up amounts and hashes: nothing is checked, scored, explained or hashed in Swift. On a copy of the same
    /// store as the engine's. Its time beside the floor's says how much of the 3× target the storage alone takes.
    static func bound(csv: String, database path: String, lastDay: LocalDate) throws -> [(String, Double)] {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let database = try SQLiteDatabase(path: path)
        let now = SQLiteValue.text("2026-11-22T09:00:00+08:00"), day = SQLiteValue.text(lastDay.description)
        let insert = try database.statement("""
            INSERT INTO records(id, volunteer, category, service_date, start_time, end_time, verifier, tags, source, kind,
                note, status, minutes, imported_at, imported_by, import_file, import_row, content_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'default', 'service', '', 'pending', 30, ?, 'bench', 'settle-records.csv', ?,
                '\(String(repeating: "0", count: 64))')
            """)
        let rows = try insertRows(of: csv, into: database, with: insert) { values, row in
            values[7] = .text("") // tags as the store writes them (none here but no_show, which the engine does not store as text)
            values += [now, .integer(Int64(row))]
        }
        let imported = elapsed()
        try database.writeTransaction {
            try database.statement("""
                UPDATE records SET status = 'approved', decided_at = ?1, decided_by = 'bench',
                    decision_reason = 'accepted by the settlement of ' || ?2
                WHERE status = 'pending' AND service_date <= ?2
                """).bind(now, day).run()
        }
        let accepted = elapsed()
        // An explanation as the engine keeps one (the scorer's steps, `PostedScoreSteps`; about 80 bytes).
        let explanation = "~0,0,0,0,0;6,1,30,360,360;10,0,0,1.2,432;12,0,0,300,732;16,-1,0,0,732;18,-1,0,0,732;"
        try database.writeTransaction {
            try database.execute("""
                CREATE TEMP TABLE bound_days AS
                SELECT r.volunteer, r.service_date, min(r.number) AS first, count(*) AS n, a.number AS account, 0 AS entry
                FROM records r JOIN accounts a ON a.id = 'volunteer:' || r.volunteer
                WHERE r.status = 'approved' GROUP BY r.volunteer, r.service_date;
                CREATE UNIQUE INDEX temp.bound_days_key ON bound_days(volunteer, service_date);
                """)
            try database.statement("""
                INSERT INTO entries(key, kind, effective_date, recorded_at, actor, memo, content_digest, previous_hash, hash)
                SELECT 'award:default:' || volunteer || ':' || service_date, 'award', service_date, ?, 'bench',
                    'service points of ' || service_date, randomblob(32), randomblob(32), randomblob(32)
                FROM temp.bound_days ORDER BY volunteer, service_date
                """).bind(now).run()
            try database.execute("""
                UPDATE temp.bound_days SET entry = (SELECT sequence FROM entries
                    WHERE key = 'award:default:' || bound_days.volunteer || ':' || bound_days.service_date);
                INSERT INTO postings(entry, idx, account, asset, amount, lot_expires_on)
                    SELECT entry, 0, (SELECT number FROM accounts WHERE id = 'system:issuance'), 'POINTS', -1500 * n, NULL
                    FROM temp.bound_days;
                INSERT INTO postings(entry, idx, account, asset, amount, lot_expires_on)
                    SELECT entry, 1, account, 'POINTS', 1500 * n, '2027-10-12' FROM temp.bound_days;
                INSERT INTO lots(account, entry, idx, amount, expires_on, remaining)
                    SELECT account, entry, 1, 1500 * n, '2027-10-12', 1500 * n FROM temp.bound_days;
                INSERT INTO award_days(account, day, amount) SELECT account, service_date, 1500 * n FROM temp.bound_days WHERE true
                    ON CONFLICT DO UPDATE SET amount = amount + excluded.amount;
                INSERT INTO balances(account, asset, balance) SELECT account, 'POINTS', sum(1500 * n) FROM temp.bound_days
                    GROUP BY account ON CONFLICT DO UPDATE SET balance = balance + excluded.balance;
                """)
            try database.statement("""
                INSERT INTO record_scores(record, policy_version, account, holder, volunteer, service_date, category, indicator,
                    period, minutes_counted, earned, award, deduction, shortfall, once_bonuses, award_entry, penalty_entry,
                    posted_at, posted_by)
                SELECT r.number, (SELECT max(number) FROM policy_versions), 'volunteer:' || r.volunteer, r.volunteer, r.volunteer,
                    r.service_date, r.category, NULL, NULL, 30, 1500, 1500, 0, 0, '', d.entry, NULL, ?, 'bench'
                FROM records r JOIN temp.bound_days d ON d.volunteer = r.volunteer AND d.service_date = r.service_date
                WHERE r.status = 'approved'
                """).bind(now).run()
            try database.statement("""
                INSERT INTO record_score_explanations(record, lines) SELECT number, ? FROM records WHERE status = 'approved'
                """).bind(.text(explanation)).run()
        }
        let total = elapsed()
        return [("total", total), ("import", imported), ("accept", accepted - imported), ("post", total - accepted),
                ("rows", Double(rows))]
    }

    /// The engine: the streaming import, then `settle` of the last day (every record is dated on or before it).
    static func engine(csv: String, database path: String, lastDay: LocalDate, memory: AnonymousMemorySampler) throws -> [(String, Double)] {
        var values: [(String, Double)] = []
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let store = try TimeBankStore(path: path)
        let summary = try store.importRecords(atPath: csv, actor: "bench", today: lastDay)
        let imported = elapsed()
        values.append(("mem:import", memory.mark()))
        values += [("import", imported), ("stored", Double(summary.storedCount)), ("rejected", Double(summary.rejectedCount))]
        var stepStarts: [(String, Double)] = []
        if ProcessInfo.processInfo.environment["TIMEBANK_BENCH_POST_APPROVED"] != nil {
            // Without `settle`: approve everything in one statement, then score and post day by day.
            try store.database.execute("UPDATE records SET status = 'approved', decided_at = '2026-10-20T00:00:00Z', decided_by = 'bench'")
            stepStarts.append(("post", elapsed()))
            var posted = 0, entries = 0
            var day = firstDay
            while day <= lastDay {
                let summary = try store.postApprovedRecords(on: day, actor: "bench")
                posted += summary.posted
                entries += summary.entries
                day = day.adding(days: 1)
            }
            let total = elapsed()
            return values + [("step:post", total - stepStarts[0].1), ("settle", total - imported), ("total", total),
                             ("posted", Double(posted)), ("award_entries", Double(entries))]
        }
        let chunk = ProcessInfo.processInfo.environment["TIMEBANK_BENCH_CHUNK"].flatMap { Int($0) } ?? SettlementRequest.defaultChunkSize
        let settled = try store.settle(SettlementRequest(date: lastDay, actor: "bench", chunkSize: chunk)) { message in
            // "DATE step N/8 NAME": the time at which each step starts.
            let words = message.split(separator: " ")
            if words.count >= 3, words[1] == "step", let number = words[2].split(separator: "/").first.flatMap({ Int($0) }),
               stepNames.indices.contains(number - 1) {
                if let previous = stepStarts.last { values.append(("mem:" + previous.0, memory.mark())) }
                stepStarts.append((stepNames[number - 1], elapsed()))
            }
        }
        let total = elapsed()
        if let last = stepStarts.last { values.append(("mem:" + last.0, memory.mark())) }
        for (index, step) in stepStarts.enumerated() {
            let end = index + 1 < stepStarts.count ? stepStarts[index + 1].1 : total
            values.append(("step:" + step.0, end - step.1))
        }
        values += [("settle", total - imported), ("total", total), ("posted", Double(settled.posted)),
                   ("award_entries", Double(settled.awardEntries)), ("penalty_entries", Double(settled.penaltyEntries))]
        return values
    }
}

/// Samples the process's anonymous resident memory (heap and stacks, not mapped files) every 50 ms on a
/// background thread, keeping the largest value.
final class AnonymousMemorySampler: @unchecked Sendable {
    private var peakKiB = 0
    private var overallKiB = 0
    private var running = true
    private let lock = NSLock()

    init() {
        // The thread holds the sampler until it sees `stop()` (it may be asleep when the sampler's last other
        // reference goes: an unowned capture crashed the child at that point once).
        let thread = Thread { [self] in
            while true {
                self.lock.lock()
                let go = self.running
                self.peakKiB = max(self.peakKiB, Self.current())
                self.lock.unlock()
                if !go { return }
                usleep(50_000)
            }
        }
        thread.start()
    }

    /// The peak since the last mark (or the start), in MiB; the next period starts now.
    func mark() -> Double {
        lock.lock()
        let current = Self.current()
        let peak = max(peakKiB, current)
        overallKiB = max(overallKiB, peak)
        peakKiB = current
        lock.unlock()
        return Double(peak) / 1024
    }

    /// Stops sampling; the peak in MiB.
    func stop() -> Double {
        lock.lock()
        running = false
        let peak = max(overallKiB, peakKiB, Self.current())
        lock.unlock()
        return Double(peak) / 1024
    }

    /// Resident pages that are not shared with a file (`/proc/self/statm`: resident minus shared), in KiB.
    static func current() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0, resident = 0, shared = 0
        guard fscanf_statm(file, &size, &resident, &shared) else { return 0 }
        return (resident - shared) * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }

    private static func fscanf_statm(_ file: UnsafeMutablePointer<FILE>, _ size: inout Int, _ resident: inout Int, _ shared: inout Int) -> Bool {
        var buffer = [CChar](repeating: 0, count: 128)
        guard fgets(&buffer, 128, file) != nil else { return false }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let fields = text.split(separator: " ").compactMap { Int($0) }
        guard fields.count >= 3 else { return false }
        (size, resident, shared) = (fields[0], fields[1], fields[2])
        return true
    }
}

/// What scripts/bench takes: `--help`, and a refusal (exit 2, nothing measured) for an option or figure it does not
/// know, or a count that is not one; a mistyped option ignored would measure something else than asked.
enum BenchArguments {
    static let figures = ["commits", "batch", "verify", "policy", "redeem", "scoring", "settle"]
    /// The options that take a whole number, with what they count and their default.
    static let counts: [(option: String, meaning: String)] = [
        ("--rounds", "rounds of each figure but settle, the median shown (5)"),
        ("--commits", "durable single-entry commits (2000)"),
        ("--batch-entries", "entries in one transaction (100000)"),
        ("--verify-entries", "entries of the ledger verify walks (1000000)"),
        ("--redemptions", "redemptions per figure (4000)"),
        ("--score-records", "records scored in memory (1000000)"),
        ("--settle-records", "records of the settle figure's night (1000000)"),
        ("--settle-volunteers", "volunteers they belong to (20000)"),
        ("--settle-rounds", "rounds of the settle figure (1; minutes each)"),
    ]
    static let usage = """
        Usage: scripts/bench [OPTIONS]

        Builds in release mode, then prints the machine and each figure's median beside its target and a raw-SQLite
        baseline measured in the same run (docs/settlement.md and docs/ledger.md read the figures).

          --only FIGURE      one figure: \(figures.joined(separator: ", "))
        \(counts.map { "  " + $0.option.padding(toLength: 19, withPad: " ", startingAt: 0) + $0.meaning }.joined(separator: "\n"))
          --keep-files       keep the settle figure's CSV and template store (to profile a child by hand)
          --keep-ledger PATH keep the verify figure's ledger at PATH
          --help             this text

        Examples:
          scripts/bench --only settle --settle-rounds 3
          scripts/bench --verify-entries 200000 --rounds 3

        """

    static func check(_ arguments: [String]) {
        func refuse(_ message: String) -> Never {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            exit(2)
        }
        if arguments.contains("--help") || arguments.contains("-h") {
            print(usage, terminator: "")
            exit(0)
        }
        let takesText = ["--only", "--keep-ledger"], flags = ["--keep-files"]
        let known = counts.map(\.option) + takesText + flags + ["--help"]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("-") else { refuse("unexpected argument \(argument); scripts/bench --help lists the options") }
            guard known.contains(argument) else {
                let near = Spelling.nearest(to: argument, among: known).map { "; did you mean \($0)?" } ?? ""
                refuse("unknown option \(argument)\(near) (scripts/bench --help)")
            }
            if flags.contains(argument) { continue }
            let rule = takesText.contains(argument) ? "" : "a whole number of 1 or more"
            guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                refuse("\(argument) needs \(rule.isEmpty ? (argument == "--only" ? "a figure: " + figures.joined(separator: ", ") : "a path") : rule)")
            }
            let value = arguments[index]
            index += 1
            if argument == "--only", !figures.contains(value) {
                refuse("--only \(value): no such figure; the figures are \(figures.joined(separator: ", "))")
            }
            if !rule.isEmpty, (Int(value) ?? 0) < 1 { refuse("\(argument) needs \(rule), not \(value)") }
        }
    }
}
