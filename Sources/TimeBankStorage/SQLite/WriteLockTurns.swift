#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite

/// How one connection waits for the write lock while another process holds it, and how it lets such waiters in.
///
/// SQLite's own busy timeout (`sqlite3_busy_timeout`) sleeps between tries for longer and longer, up to 100 ms. A batch
/// (a settlement, an import) that commits a long transaction and at once begins the next one leaves a gap of a few
/// microseconds, which a station sleeping its 100 ms almost never hits: measured on a large store, a station waited
/// up to 21.5 s beside a settlement whose longest transaction was 3.3 s, and some gave up (S5). So:
/// - **waiting** polls every `pollMilliseconds` (2 ms) until the lock is free or `timeoutMilliseconds` have passed
///   since this statement first found it taken (then SQLite returns `SQLITE_BUSY`: S5);
/// - **letting others in**: after a write transaction that held the lock `longHoldMilliseconds` (200 ms) or more, the
///   next write transaction on this connection begins no sooner than `pauseMilliseconds` (10 ms) after it ended, so
///   that a waiting connection's next poll finds the lock free. A command that writes once and ends never pauses;
///   a settlement pauses once per long transaction (some 30 times on the benchmark's night of a million records).
///
/// A station therefore waits for about the longest single transaction of the batch beside it, not for the batch.
final class WriteLockTurns {
    static let pollMilliseconds: Int32 = 2
    static let longHoldMilliseconds: UInt64 = 200
    static let pauseMilliseconds: UInt64 = 10

    let timeoutMilliseconds: UInt64
    /// The monotonic clock in milliseconds: a test sets its own, so that which hold counts as long never depends on how
    /// busy the machine is.
    var clock: () -> UInt64 = WriteLockTurns.monotonicMilliseconds
    /// Called once a statement has waited `waitToldAfterMilliseconds` for the lock (once per statement's wait), so that
    /// a person waiting at a counter is told why nothing happens yet.
    var whileWaiting: (() -> Void)?
    static let waitToldAfterMilliseconds: UInt64 = 1_000
    private var waitStartedAt: UInt64 = 0
    private var waitTold = false
    private var heldSince: UInt64?
    private var lastLongHoldEndedAt: UInt64?

    init(timeoutMilliseconds: Int32) {
        self.timeoutMilliseconds = UInt64(max(0, timeoutMilliseconds))
    }

    /// Installs the waiting on `connection` (replacing any busy timeout). The connection must not outlive `self`.
    func install(on connection: OpaquePointer) {
        sqlite3_busy_handler(connection, { context, count in
            guard let context else { return 0 }
            return Unmanaged<WriteLockTurns>.fromOpaque(context).takeUnretainedValue().waitAgain(afterTries: count) ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// SQLite's busy callback: `tries` is 0 the first time a statement finds the database locked. True (after a
    /// short sleep) to try again; false to give up with `SQLITE_BUSY`.
    func waitAgain(afterTries tries: Int32) -> Bool {
        let now = clock()
        if tries == 0 {
            waitStartedAt = now
            waitTold = false
        }
        guard now - waitStartedAt < timeoutMilliseconds else { return false }
        if !waitTold, now - waitStartedAt >= Self.waitToldAfterMilliseconds, let whileWaiting {
            waitTold = true
            whileWaiting()
        }
        sqlite3_sleep(Self.pollMilliseconds)
        return true
    }

    /// Before `BEGIN IMMEDIATE`: the pause owed to waiting connections after a long transaction just ended.
    func beforeBeginningWrite() {
        guard let ended = lastLongHoldEndedAt else { return }
        lastLongHoldEndedAt = nil
        let since = clock() - ended
        if since < Self.pauseMilliseconds { sqlite3_sleep(Int32(Self.pauseMilliseconds - since)) }
    }

    /// After `BEGIN IMMEDIATE` succeeded: this connection holds the write lock from now.
    func didBeginWrite() {
        heldSince = clock()
    }

    /// After `COMMIT` or `ROLLBACK`: the lock is free again.
    func didEndWrite() {
        guard let since = heldSince else { return }
        heldSince = nil
        let now = clock()
        if now - since >= Self.longHoldMilliseconds { lastLongHoldEndedAt = now }
    }

    /// Whether the next write transaction will pause first (for tests).
    var owesPause: Bool { lastLongHoldEndedAt != nil }

    static func monotonicMilliseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000 + UInt64(spec.tv_nsec) / 1_000_000
    }
}
