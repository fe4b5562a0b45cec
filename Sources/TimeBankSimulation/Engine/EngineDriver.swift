import TimeBankCore
import TimeBankStorage

/// The engine under test: a `TimeBankStore` on a database file, the clock the simulator moves, and the signed-in
/// operators. It can be restarted (closed and opened again, as after a crash or a deploy).
final class EngineDriver {
    let path: String
    let clock: SimulationClock
    let faultSlot: Int
    private(set) var store: TimeBankStore
    /// Signed-in sessions by operator id.
    private(set) var sessions: [String: OperatorSession] = [:]
    /// Operator ids and PINs, to sign in again after a restart.
    private var pins: [String: String] = [:]
    private(set) var restarts = 0
    /// The executable for child processes (nil: none are started), and what became of them.
    var childExecutable: String?
    var childEvents: [String: Int] = [:]
    /// How long a child's settlement takes, learnt from the children that finished before their kill.
    var childSeconds = 0.2

    /// Few PBKDF2 iterations keep sign-ins fast; the check is the same.
    static let pinIterations = 1

    init(path: String, clock: SimulationClock) throws {
        self.path = path
        self.clock = clock
        faultSlot = FaultInjection.register(databasePath: path)
        store = try TimeBankStore(path: path, clock: clock)
    }

    /// Adds an operator and signs them in.
    func addOperator(_ newOperator: Operator, pin: String, by admin: String?) throws {
        try store.addOperator(newOperator, pin: pin, by: admin.flatMap { sessions[$0] }, iterations: Self.pinIterations,
                              salt: [UInt8](repeating: 7, count: 16))
        pins[newOperator.id] = pin
        sessions[newOperator.id] = try store.signIn(operatorID: newOperator.id, pin: pin)
    }

    func session(_ id: String) -> OperatorSession { sessions[id]! }

    /// Closes the store and opens it again from the file, signing everyone in again.
    func restart() throws {
        // Release the old connection first, as a new process would find the file.
        store = try TimeBankStore(path: ":memory:", clock: clock)
        store = try TimeBankStore(path: path, clock: clock)
        for (id, pin) in pins.sorted(by: { $0.key < $1.key }) { sessions[id] = try store.signIn(operatorID: id, pin: pin) }
        restarts += 1
    }

    /// Runs `body` with `fault` armed on this database; returns what it returned or threw, and whether the fault fired.
    func withFault<T>(_ fault: FaultInjection.Fault?, _ body: () throws -> T) -> (result: Result<T, any Error>, fired: Bool) {
        guard let fault else { return (Result { try body() }, false) }
        FaultInjection.arm(fault, slot: faultSlot)
        let result = Result { try body() }
        let fired = FaultInjection.disarm(slot: faultSlot)
        return (result, fired)
    }
}
