import CSQLite
import Foundation
import Synchronization

/// Makes the engine's transactions fail part-way, from outside the engine: an SQLite auto-extension installs a
/// progress handler and a commit hook on every connection the process opens to a registered simulation
/// database, and they fail a statement only while a fault is armed for that database. So no engine code
/// carries a test hook, release builds are tested as they ship, and other databases of the process (other
/// tests running at the same time) are never touched.
///
/// - `interrupt(afterTicks:)`: the statement running after about `ticks × 64` virtual-machine steps of the
///   operation is interrupted (`SQLITE_INTERRUPT`, the engine reports `S9`): a failure at a random point
///   inside the transaction, like an I/O error.
/// - `vetoCommit(number:)`: the operation's `number`-th `COMMIT` (the first for most operations; a settlement
///   commits once per step and chunk) is turned into a rollback (`SQLITE_CONSTRAINT_COMMITHOOK`, `S19`): a
///   failure at the last moment of a transaction.
///
/// Either way the operation must write nothing; the simulator then retries it.
public enum FaultInjection {
    /// One fault to inject into the next operation (see above).
    public enum Fault: Hashable, Sendable, CustomStringConvertible {
        case interrupt(afterTicks: Int)
        case vetoCommit(number: Int)

        public var description: String {
            switch self {
            case .interrupt(let ticks): "interrupt after \(ticks) ticks"
            case .vetoCommit(let number): "veto commit \(number)"
            }
        }
    }

    private struct Slot {
        var fault: Fault?
        /// Progress ticks (interrupt) or commits (veto) to let pass before the fault fires.
        var countLeft = 0
        var fired = false
    }

    /// Registered database paths (resolved) → slot number; slots by number.
    private static let registry = Mutex<(paths: [String: Int], slots: [Int: Slot])>(([:], [:]))
    private static let installed = Mutex(false)

    /// VM steps between two progress callbacks.
    static let stepsPerTick: Int32 = 64

    /// Registers a simulation database (before it is opened) and installs the hooks. Returns its slot.
    public static func register(databasePath: String) -> Int {
        install()
        let resolved = resolve(databasePath)
        return registry.withLock { registry in
            if let slot = registry.paths[resolved] { return slot }
            let slot = registry.paths.count + 1
            registry.paths[resolved] = slot
            registry.slots[slot] = Slot()
            return slot
        }
    }

    /// The path with its folder's symbolic links resolved (the file itself may not exist yet).
    static func resolve(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        guard let real = realpath(folder, nil) else { return url.path }
        defer { free(real) }
        return String(cString: real) + "/" + url.lastPathComponent
    }

    private static func install() {
        installed.withLock { done in
            guard !done else { return }
            done = true
            let entryPoint: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, OpaquePointer?) -> Int32 = { connection, _, _ in
                guard let connection, let name = sqlite3_db_filename(connection, "main") else { return SQLITE_OK }
                let path = String(cString: name)
                guard !path.isEmpty, let slot = FaultInjection.slot(for: FaultInjection.resolve(path)) else { return SQLITE_OK }
                let context = UnsafeMutableRawPointer(bitPattern: slot)
                sqlite3_progress_handler(connection, FaultInjection.stepsPerTick, { context in
                    FaultInjection.progressTick(slot: Int(bitPattern: context))
                }, context)
                sqlite3_commit_hook(connection, { context in FaultInjection.commitHook(slot: Int(bitPattern: context)) }, context)
                return SQLITE_OK
            }
            sqlite3_auto_extension(unsafeBitCast(entryPoint, to: (@convention(c) () -> Void).self))
        }
    }

    private static func slot(for path: String) -> Int? {
        registry.withLock { $0.paths[path] }
    }

    /// Arms a fault for the next operation on the database of `slot`.
    public static func arm(_ fault: Fault, slot: Int) {
        registry.withLock { registry in
            let count: Int
            switch fault {
            case .interrupt(let ticks): count = ticks
            case .vetoCommit(let number): count = number
            }
            registry.slots[slot] = Slot(fault: fault, countLeft: count, fired: false)
        }
    }

    /// Disarms; returns whether the fault fired.
    @discardableResult
    public static func disarm(slot: Int) -> Bool {
        registry.withLock { registry in
            let fired = registry.slots[slot]?.fired ?? false
            registry.slots[slot] = Slot()
            return fired
        }
    }

    private static func progressTick(slot: Int) -> Int32 {
        countDown(slot: slot) { if case .interrupt = $0 { true } else { false } }
    }

    private static func commitHook(slot: Int) -> Int32 {
        countDown(slot: slot) { if case .vetoCommit = $0 { true } else { false } }
    }

    /// One more of the events the slot's fault counts (when `counts` says it is of that kind): 1 when the fault
    /// fires at it, else 0 (SQLite's hooks abort on non-zero).
    private static func countDown(slot: Int, counts: (Fault) -> Bool) -> Int32 {
        registry.withLock { registry in
            guard var state = registry.slots[slot], let fault = state.fault, counts(fault), !state.fired else { return 0 }
            state.countLeft -= 1
            if state.countLeft <= 0 { state.fired = true }
            registry.slots[slot] = state
            return state.fired ? 1 : 0
        }
    }
}
