import Synchronization
import TimeBankCore

/// The simulation's clock: frozen at the moment the simulator sets, so that every entry of a step records
/// the same time whether the engine, a retry or a killed child process wrote it (same seed, same ledger hash).
public final class SimulationClock: Clock {
    private let current: Mutex<Timestamp>

    public init(_ start: Timestamp) {
        current = Mutex(start)
    }

    public func now() -> Timestamp { current.withLock { $0 } }

    /// Moves the clock to `time` (the simulator only moves it forward).
    public func set(_ time: Timestamp) {
        current.withLock { $0 = time }
    }
}
