import Foundation
import TimeBankCore
import TimeBankStorage

extension Simulation {
    /// A settlement first run in a child process that is killed with SIGKILL at a random moment, then run again
    /// to the end in this process; the model settles the day once. The day is yesterday, when it is not settled yet.
    /// Without a child executable the day is only settled here (the history of the seed stays the same).
    func runKilledChild() throws {
        let today = model.today
        let date = today.adding(days: -1)
        guard model.latestSettled.map({ $0 < date }) ?? true else { return }
        let killChild = options.childExecutable != nil
        try execute(SettleOperation(name: killChild ? "settle.killed-child" : "settle.scheduled", date: date, today: today, killChild: killChild))
    }
}

extension EngineDriver {
    /// Starts `timebank-simulate --child ARGUMENTS` on this database at this clock's time, kills it with SIGKILL
    /// at a random moment of its expected run time (learnt from the children that finished first), so that most
    /// kills land part-way, and waits for it. The moment is not drawn from the seed: wherever the kill lands, the
    /// re-run must end in the same state.
    func runKilledChild(_ arguments: [String]) {
        guard let childExecutable else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: childExecutable)
        process.arguments = ["--child"] + arguments + ["--db", path, "--clock", String(clock.now().millisecondsSinceEpoch)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let before = (try? store.head().count) ?? 0
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            try process.run()
        } catch {
            childEvents["child processes that did not start", default: 0] += 1
            return
        }
        let delay = UInt64.random(in: 0...UInt64(childSeconds * 1.25 * 1e9))
        while process.isRunning, DispatchTime.now().uptimeNanoseconds - started < delay { usleep(200) }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let after = (try? store.head().count) ?? 0
        if killed, process.terminationReason == .uncaughtSignal {
            childEvents[after > before ? "children killed after writing" : "children killed before writing", default: 0] += 1
        } else {
            childEvents["children finished before the kill", default: 0] += 1
            childSeconds = 0.7 * childSeconds + 0.3 * elapsed
        }
    }
}

/// The child process modes of `timebank-simulate` (`--child ...`), started and killed by the simulation.
enum ChildCommand {
    /// `--child settle --date D --today T [--missed refuse|settle-first|skip] --db PATH --clock MS`: settles D as the simulation would.
    static func main(_ arguments: [String]) -> Int32 {
        var values: [String: String] = [:]
        var index = 1
        while index + 1 < arguments.count {
            values[arguments[index]] = arguments[index + 1]
            index += 2
        }
        guard arguments.first == "settle", let date = values["--date"].flatMap({ LocalDate($0) }),
              let today = values["--today"].flatMap({ LocalDate($0) }), let path = values["--db"],
              let clock = values["--clock"].flatMap({ Int64($0) }) else {
            FileHandle.standardError.write(Data("timebank-simulate --child: unknown arguments \(arguments)\n".utf8))
            return 2
        }
        do {
            let store = try TimeBankStore(path: path, clock: SimulationClock(Timestamp(millisecondsSinceEpoch: clock)))
            let missedDays = values["--missed"].flatMap { SettleOperation.missedDaysByWord[$0] } ?? .refuse
            _ = try store.settle(SettleOperation.request(date: date, today: today, missedDays: missedDays))
            return 0
        } catch {
            FileHandle.standardError.write(Data("timebank-simulate --child: \(error)\n".utf8))
            return 1
        }
    }
}
