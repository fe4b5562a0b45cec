import Foundation
import TimeBankCore

/// The command line of `timebank-simulate` (run by `scripts/simulate`; see docs/testing.md).
public enum SimulationCommand {
    static let usage = """
        usage: timebank-simulate [--seed S] [--steps N] [--db PATH] [--check-every N]
                                 [--fault-rate R] [--restart-rate R] [--kill-rate R] [--progress N] [--inject-floor-bug]

        Runs a seeded random history of the whole engine (ledger, stations, records, settlement, fund) against an
        independent model and checks that they agree after every step and that every invariant holds.

          --seed S           the seed (default: from the clock, printed); the same seed replays the same history
          --steps N          operations to run (default 10000)
          --db PATH          the database file (default: a temporary file, removed after a clean run)
          --check-every N    check all invariants every N steps (default 500) and at the end
          --fault-rate R     probability that a write's transaction is aborted part-way (default 0.02)
          --restart-rate R   probability per step that the store is closed and opened again (default 0.002)
          --kill-rate R      probability per step of a batch in a child process killed with SIGKILL (default 0.001)
          --progress N       print progress every N steps (default: every 10% of the run)
          --inject-floor-bug skip the redemption floor check (debug builds only), to see the simulation catch it

        Exit 0: agreed on every step; 1: a disagreement or a broken invariant (the seed, step and replay command
        are printed); 2: bad usage.

        Example:
          scripts/simulate --seed 42 --steps 20000
        """

    /// Runs `timebank-simulate` with its arguments (without the program name) and returns its exit code.
    public static func main(_ arguments: [String]) -> Int32 {
        if arguments.first == "--child" { return ChildCommand.main(Array(arguments.dropFirst())) }
        var options = SimulationOptions(seed: UInt64(Date().timeIntervalSince1970 * 1_000_000) & 0xFFFF_FFFF, steps: 10_000)
        options.childExecutable = "/proc/self/exe"
        var injectFloorBug = false
        var progressEvery: Int?
        var index = 0
        func value() -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--seed":
                guard let text = value(), let seed = UInt64(text) else { return fail("--seed needs a whole number") }
                options.seed = seed
            case "--steps":
                guard let text = value(), let steps = Int(text), steps >= 0 else { return fail("--steps needs a whole number") }
                options.steps = steps
            case "--db":
                guard let path = value() else { return fail("--db needs a path") }
                options.databasePath = path
            case "--check-every":
                guard let text = value(), let every = Int(text), every > 0 else { return fail("--check-every needs a number above 0") }
                options.checkEvery = every
            case "--fault-rate", "--restart-rate", "--kill-rate":
                guard let text = value(), let rate = Double(text), (0...1).contains(rate) else { return fail("\(argument) needs a number from 0 to 1") }
                switch argument {
                case "--fault-rate": options.faultRate = rate
                case "--restart-rate": options.restartRate = rate
                default: options.killRate = rate
                }
            case "--progress":
                guard let text = value(), let every = Int(text), every >= 0 else { return fail("--progress needs a whole number") }
                progressEvery = every
            case "--inject-floor-bug":
                injectFloorBug = true
            case "--help", "-h":
                print(usage)
                return 0
            default:
                return fail("unknown option \(argument)")
            }
            index += 1
        }
        options.progressEvery = progressEvery ?? max(1, options.steps / 10)
        #if !DEBUG
        if injectFloorBug { return fail("--inject-floor-bug needs a debug build (swift run timebank-simulate ...)") }
        #endif

        print("timebank-simulate: seed \(options.seed), \(options.steps) steps")
        let report: SimulationReport
        do {
            let simulation = try Simulation(options: options) { line in
                FileHandle.standardError.write(Data(("  " + line + "\n").utf8))
            }
            report = Simulation.runMaybeWithFloorBug(simulation, injectFloorBug: injectFloorBug)
        } catch {
            FileHandle.standardError.write(Data("timebank-simulate: could not start: \(error)\n".utf8))
            return 4
        }
        print(summary(report, options: options))
        return report.failure == nil ? 0 : 1
    }

    /// The end-of-run summary: rate, operation counts, events, the ledger head (the same seed gives the same hash).
    public static func summary(_ report: SimulationReport, options: SimulationOptions) -> String {
        var lines: [String] = []
        let rate = Double(report.stepsRun) / max(report.seconds, 0.001)
        lines.append("seed \(report.seed): \(report.stepsRun) steps in \(String(format: "%.1f", report.seconds)) s (\(Int(rate)) steps/s)")
        lines.append("operations (outcome counts):")
        lines.append(report.countsText)
        lines.append("time (most expensive operations):")
        lines.append(report.timeText)
        lines.append("events:")
        lines.append(report.eventsText)
        if let failure = report.failure {
            lines.append(failure.description)
        } else {
            lines.append("ledger head: #\(report.headSequence) \(report.headHash)")
            lines.append("OK: the engine and the model agreed on every step; every invariant held.")
        }
        return lines.joined(separator: "\n")
    }

    static func fail(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("timebank-simulate: \(message)\n\n\(usage)\n".utf8))
        return 2
    }
}

extension Simulation {
    /// Runs the simulation, with the redemption floor check switched off when asked (debug builds only).
    public static func runMaybeWithFloorBug(_ simulation: Simulation, injectFloorBug: Bool) -> SimulationReport {
        #if DEBUG
        if injectFloorBug {
            return LedgerRules.$skipFloorCheckForSimulation.withValue(true) { simulation.run() }
        }
        #endif
        return simulation.run()
    }
}
