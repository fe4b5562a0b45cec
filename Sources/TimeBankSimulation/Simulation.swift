import Foundation
import TimeBankCore
import TimeBankStorage

/// What a simulation run does; everything random comes from `seed`.
public struct SimulationOptions: Sendable {
    public var seed: UInt64
    public var steps: Int
    /// The database file; nil: a new file in a temporary folder, removed after a clean run.
    public var databasePath: String?
    /// Every how many steps all invariants are checked (and at the end).
    public var checkEvery: Int
    /// Probability that a write has a fault injected (its transaction aborted part-way or at the commit).
    public var faultRate: Double
    /// Probability per step that the engine is restarted (the store closed and opened again).
    public var restartRate: Double
    /// Probability per step that a batch runs in a child process killed with SIGKILL part-way, then re-runs.
    public var killRate: Double
    /// The `timebank-simulate` executable for child processes; nil: no kills.
    public var childExecutable: String?
    /// Where progress lines go (nil: nowhere).
    public var progressEvery: Int

    public init(seed: UInt64, steps: Int, databasePath: String? = nil, checkEvery: Int = 500, faultRate: Double = 0.02,
                restartRate: Double = 0.002, killRate: Double = 0.001, childExecutable: String? = nil, progressEvery: Int = 0) {
        self.seed = seed
        self.steps = steps
        self.databasePath = databasePath
        self.checkEvery = checkEvery
        self.faultRate = faultRate
        self.restartRate = restartRate
        self.killRate = killRate
        self.childExecutable = childExecutable
        self.progressEvery = progressEvery
    }

    /// The arguments of `scripts/simulate` that replay this run (up to `steps`).
    public func replayCommand(steps: Int) -> String {
        var arguments = ["scripts/simulate", "--seed", String(seed), "--steps", String(steps)]
        if faultRate != Self.defaults.faultRate { arguments += ["--fault-rate", String(faultRate)] }
        if restartRate != Self.defaults.restartRate { arguments += ["--restart-rate", String(restartRate)] }
        if killRate != Self.defaults.killRate { arguments += ["--kill-rate", String(killRate)] }
        if checkEvery != Self.defaults.checkEvery { arguments += ["--check-every", String(checkEvery)] }
        if LedgerRules.floorCheckSkippedForSimulation { arguments.append("--inject-floor-bug") }
        return arguments.joined(separator: " ")
    }

    static let defaults = SimulationOptions(seed: 0, steps: 0)
}

/// A disagreement between the engine and the model, or a broken invariant: everything needed to replay it.
public struct SimulationFailure: Error, CustomStringConvertible, Sendable {
    public var seed: UInt64
    public var step: Int
    public var operation: String
    public var engine: String
    public var model: String
    public var problems: [String]
    public var replay: String
    public var databasePath: String

    public var description: String {
        var lines = ["SIMULATION FAILED at step \(step) (seed \(seed))",
                     "  operation: \(operation)",
                     "  engine:    \(engine)",
                     "  model:     \(model)"]
        lines += problems.map { "  - \($0)" }
        lines.append("  database:  \(databasePath)")
        lines.append("  replay:    \(replay)")
        return lines.joined(separator: "\n")
    }
}

/// What a run did.
public struct SimulationReport: Sendable {
    public var seed: UInt64
    public var stepsRun = 0
    public var seconds = 0.0
    /// Operation name → outcome (done, exists, or the refusal's code) → count.
    public var counts: [String: [String: Int]] = [:]
    /// Faults injected, fired, restarts, kills, invariant checks.
    public var events: [String: Int] = [:]
    /// Wall time by operation name (engine and model together), and of the invariant checks.
    public var secondsByOperation: [String: Double] = [:]
    public var headSequence: Int64 = 0
    public var headHash = ""
    public var failure: SimulationFailure?

    /// The counts as text, one operation a line, most frequent first.
    public var countsText: String {
        counts.sorted { ($1.value.values.reduce(0, +), $0.key) < ($0.value.values.reduce(0, +), $1.key) }.map { name, outcomes in
            let total = outcomes.values.reduce(0, +)
            let parts = outcomes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
            return "  \(name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(String(total).leftPadded(8))  (\(parts.joined(separator: ", ")))"
        }.joined(separator: "\n")
    }

    /// Where the time went: the operations that took the most, with their share of the run.
    public var timeText: String {
        let total = max(seconds, 0.001)
        return secondsByOperation.sorted { $0.value > $1.value }.prefix(8).map {
            "  \($0.key.padding(toLength: 36, withPad: " ", startingAt: 0)) \(String(format: "%8.1f s  %4.1f%%", $0.value, $0.value / total * 100))"
        }.joined(separator: "\n")
    }

    /// How many times each event happened, one line each, by event name.
    public var eventsText: String {
        events.sorted { $0.key < $1.key }.map { "  \($0.key.padding(toLength: 36, withPad: " ", startingAt: 0)) \(String($0.value).leftPadded(8))" }
            .joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// A seeded simulation of the whole engine against the model: generates operations, applies each to the engine
/// (the library on a database file) and to the model, compares outcomes and every touched balance, lot and
/// shelf after each step, and all invariants every `checkEvery` steps and at the end (docs/testing.md).
public final class Simulation {
    public let options: SimulationOptions
    let folder: String
    let path: String
    let ownsFolder: Bool
    let clock: SimulationClock
    let model: SimModel
    var engine: EngineDriver
    var generator: Generator
    /// Faults, restarts and kills: a stream of its own, so that the operations do not depend on the fault rates.
    var faults: SimulationRandom
    var report: SimulationReport
    var step = 0
    var currentOperation = "setup"
    /// The ledger's head at each full invariant check, by its hash in hex: what an auditor notes outside the store and
    /// checks with `verify --head`. Each must stay in the chain at its sequence (invariant 11).
    var notedHeads: [String: Int64] = [:]
    let progress: (String) -> Void

    /// The simulated history starts on Monday 5 January 2026, 08:00 in the community (UTC+8).
    static let start = Timestamp(millisecondsSinceEpoch: Int64(LocalDate(year: 2026, month: 1, day: 5)!.daysSinceEpoch) * 86_400_000)

    public init(options: SimulationOptions, progress: @escaping (String) -> Void = { _ in }) throws {
        self.options = options
        self.progress = progress
        if let databasePath = options.databasePath {
            path = databasePath
            folder = URL(fileURLWithPath: databasePath).deletingLastPathComponent().path
            ownsFolder = false
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
        } else {
            folder = Self.temporaryFolder.appendingPathComponent("timebank-sim-\(options.seed)-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            path = folder + "/simulation.sqlite"
            ownsFolder = true
        }
        clock = SimulationClock(Self.start)
        model = SimModel(start: Self.start)
        engine = try EngineDriver(path: path, clock: clock)
        engine.childExecutable = options.childExecutable
        generator = Generator(seed: options.seed, features: EngineFeatures.current)
        faults = SimulationRandom(seed: options.seed ^ 0x5EED_FA17_0000_0001)
        report = SimulationReport(seed: options.seed)
    }

    /// Where databases go by default: memory-backed `/dev/shm` when there is one (a simulation tests atomicity and
    /// recovery, not the disk's fsync, which would make it ten times slower), else the temporary folder.
    static var temporaryFolder: URL {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isFolder), isFolder.boolValue,
           FileManager.default.isWritableFile(atPath: "/dev/shm") {
            return URL(fileURLWithPath: "/dev/shm")
        }
        return FileManager.default.temporaryDirectory
    }

    /// Runs the simulation; returns the report (with `failure` set when the engine and the model disagreed).
    public func run() -> SimulationReport {
        let started = Date()
        do {
            try setUp()
            while step < options.steps {
                step += 1
                try runStep()
                if step % options.checkEvery == 0 { try checkInvariants() }
                if options.progressEvery > 0, step % options.progressEvery == 0 {
                    let seconds = Date().timeIntervalSince(started)
                    progress("step \(step) of \(options.steps): \(Int(Double(step) / max(seconds, 0.001))) steps/s, \(model.today), "
                             + "\(model.entryCount) entries, \(model.receiptCount) receipts")
                }
            }
            currentOperation = "final checks"
            try checkInvariants()
            let head = try engine.store.head()
            report.headSequence = head.count
            report.headHash = SHA256.hex(head.hash)
        } catch let failure as SimulationFailure {
            report.failure = failure
        } catch {
            report.failure = failure(engine: "threw \(error)", model: "-", problems: [])
        }
        report.stepsRun = step
        report.seconds = Date().timeIntervalSince(started)
        report.events["restarts"] = engine.restarts
        for (name, value) in engine.childEvents { report.events[name] = value }
        for (name, value) in model.statistics { report.events[name] = value }
        if report.failure == nil, ownsFolder { try? FileManager.default.removeItem(atPath: folder) }
        return report
    }

    func failure(engine: String, model: String, problems: [String]) -> SimulationFailure {
        SimulationFailure(seed: options.seed, step: step, operation: currentOperation, engine: engine, model: model,
                          problems: problems, replay: options.replayCommand(steps: step), databasePath: path)
    }

    func count(_ event: String, _ amount: Int = 1) { report.events[event, default: 0] += amount }

    // MARK: One step

    func runStep() throws {
        let time = generator.nextTime(after: model.now)
        clock.set(time)
        model.now = time
        if faults.chance(options.restartRate) {
            currentOperation = "restart"
            let started = DispatchTime.now().uptimeNanoseconds
            try engine.restart()
            try compareEverything()
            report.secondsByOperation["(restarts)", default: 0] += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        }
        // Drawn whether or not a child can be started, so that the history of a seed is the same either way.
        if faults.chance(options.killRate) {
            try runKilledChild()
        }
        let operation = generator.next(step: step, model: model)
        try execute(operation)
    }

    /// Applies one operation to the engine (with a fault now and then) and to the model, and compares.
    func execute(_ operation: any SimulatedOperation) throws {
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            report.secondsByOperation[operation.name, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        }
        currentOperation = operation.description
        var fault: FaultInjection.Fault?
        if operation.writes, faults.chance(options.faultRate) {
            // A settlement commits once per step and chunk: veto any of them.
            fault = faults.chance(0.25) ? .vetoCommit(number: operation.resumable ? faults.int(in: 1...8) : 1)
                                        : .interrupt(afterTicks: faults.int(in: 1...(operation.resumable ? 5_000 : 80)))
            count("faults armed")
        }
        let (result, fired) = engine.withFault(fault) { try operation.runEngine(engine) }
        var engineOutcome = Self.outcome(result)
        if fired {
            count("faults fired")
            if case .refused = engineOutcome {
                // The aborted operation counts as not done: nothing of it may be in the engine (a settlement keeps
                // the steps it finished; the retry finishes the day).
                if !operation.resumable {
                    try compareFocus(operation, context: "after the injected fault (\(fault!)) the engine said \(engineOutcome)")
                }
                count("faults recovered by retry")
                engineOutcome = Self.outcome(Result { try operation.runEngine(engine) })
            } else {
                count("faults absorbed by the engine")
            }
        }
        let modelOutcome: Outcome
        do {
            modelOutcome = try operation.runModel(model)
        } catch {
            modelOutcome = .refused(error.code)
        }
        // After a fault or a killed child, the retry may find the work done already: "exists" then answers "done".
        if fired || (operation as? SettleOperation)?.killChild == true, case .exists(let detail) = engineOutcome,
           case .done(detail) = modelOutcome {
            engineOutcome = .done(detail)
        }
        report.counts[operation.name, default: [:]][modelOutcome.countKey, default: 0] += 1
        if engineOutcome != modelOutcome {
            throw failure(engine: engineOutcome.description, model: modelOutcome.description,
                          problems: (try? focusProblems(operation.focus(model))) ?? [])
        }
        try compareFocus(operation, context: nil)
        let written = try operation.writtenProblems(engine, model: model, outcome: modelOutcome)
        if !written.isEmpty { throw failure(engine: "outcome agreed, what it wrote differs", model: "see the differences", problems: written) }
    }

    static func outcome(_ result: Result<Outcome, any Error>) -> Outcome {
        switch result {
        case .success(let outcome): return outcome
        case .failure(let error as any TimeBankError): return .refused(error.code)
        case .failure(let error): return .refused("X(\(error))")
        }
    }

    // MARK: Comparing state

    func compareFocus(_ operation: any SimulatedOperation, context: String?) throws {
        let problems = try focusProblems(operation.focus(model))
        if !problems.isEmpty {
            throw failure(engine: context ?? "outcome agreed, state differs", model: "see the differences", problems: problems)
        }
    }

    /// Differences between the engine and the model on the focus: balances, open lots, shelves, the entry count.
    func focusProblems(_ focus: Focus) throws -> [String] {
        var problems: [String] = []
        let store = engine.store
        var seen = Set<AccountID>()
        for account in focus.accounts where seen.insert(account).inserted {
            guard model.exists(account) else {
                if try store.account(account) != nil { problems.append("\(account) exists in the engine, not in the model") }
                continue
            }
            for asset in [Asset.points, .cny] {
                let engineBalance = try store.balance(account, asset), modelBalance = model.balance(account, asset)
                if engineBalance != modelBalance {
                    problems.append("\(account) \(asset.rawValue): engine \(Hundredths.format(engineBalance)), model \(Hundredths.format(modelBalance))")
                }
            }
            if SimModel.isLotTracked(account, .points) {
                let engineLots = try store.lots(of: account, openOnly: true).map { "L\($0.id) \($0.amount) \($0.expiresOn?.description ?? "never") \($0.remaining)" }
                let modelLots = (model.openLots[account] ?? []).sorted().map { id in
                    let lot = model.lots[Int(id - 1)]
                    return "L\(lot.id) \(lot.amount) \(lot.expiresOn?.description ?? "never") \(lot.remaining)"
                }
                if engineLots != modelLots { problems.append("\(account) open lots: engine \(engineLots), model \(modelLots)") }
            }
        }
        for shelf in Set(focus.shelves).sorted() {
            let engineLevel = try store.stockLevel(station: shelf.station, item: shelf.item)
            let modelLevel = model.stock[shelf] ?? 0
            if engineLevel != modelLevel { problems.append("stock \(shelf): engine \(engineLevel), model \(modelLevel)") }
        }
        let entries = try store.head().count
        if entries != model.entryCount { problems.append("entries: engine \(entries), model \(model.entryCount)") }
        return problems
    }

    func compareEverything() throws {
        let problems = try InvariantChecker(store: engine.store, model: model).check(full: false)
        if !problems.isEmpty { throw failure(engine: "state differs", model: "see the differences", problems: problems) }
    }

    /// Every invariant (docs/testing.md), on the whole database.
    func checkInvariants() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        defer { report.secondsByOperation["(invariant checks)", default: 0] += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
        count("invariant checks")
        let saved = currentOperation
        currentOperation = "invariant check after step \(step) (last operation: \(saved))"
        let problems = try InvariantChecker(store: engine.store, model: model, notedHeads: notedHeads).check(full: true)
        if !problems.isEmpty { throw failure(engine: "invariants broken", model: "see the problems", problems: problems) }
        let head = try engine.store.head()
        notedHeads[SHA256.hex(head.hash)] = head.count
        model.prune()
        currentOperation = saved
    }
}
