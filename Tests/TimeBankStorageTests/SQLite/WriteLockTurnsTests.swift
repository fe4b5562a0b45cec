import Foundation
import Synchronization
import Testing
@testable import TimeBankStorage

/// Two connections to one file, as a station and the nightly settlement are: the one that waits for the write lock gets
/// it between the other's long transactions, not only after the last of them (`WriteLockTurns`). No figure of time is
/// asserted: only the order in which the transactions committed.
@Suite("Waiting for the write lock")
struct WriteLockTurnsTests {
    final class Folder {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-turns-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let database = try SQLiteDatabase(path: file)
            try database.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, who TEXT NOT NULL)")
        }
        var file: String { path + "/turns.sqlite" }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Appends `who` to the log table in its own write transaction, holding the lock `holdMilliseconds` before committing.
    static func write(_ database: SQLiteDatabase, _ who: String, holdMilliseconds: UInt32 = 0) throws {
        try database.writeTransaction { () throws(SQLiteError) in
            try database.statement("INSERT INTO log (who) VALUES (?)").bind(.text(who)).run()
            if holdMilliseconds > 0 { usleep(holdMilliseconds * 1_000) }
        }
    }

    @Test("a writer waiting beside a batch of long transactions commits between them, not after the batch")
    func waiterGetsATurnBetweenLongTransactions() throws {
        let folder = try Folder()
        let file = folder.file
        let batchTransactions = 6
        let batchStarted = Mutex(false)
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            do {
                let batch = try SQLiteDatabase(path: file)
                for index in 1...batchTransactions {
                    try Self.write(batch, "batch \(index)", holdMilliseconds: index == 1 ? 400 : 250)
                    if index == 1 { batchStarted.withLock { $0 = true } }
                }
            } catch { failures.withLock { $0.append("batch: \(error)") } }
        }
        DispatchQueue.global().async(group: group) {
            do {
                let station = try SQLiteDatabase(path: file)
                // Wait for the batch's first commit, then ask for the lock: the batch is in, or about to begin, its next one.
                while try station.statement("SELECT count(*) FROM log").first({ $0.int64(0) }) == 0 { usleep(1_000) }
                try Self.write(station, "station")
            } catch { failures.withLock { $0.append("station: \(error)") } }
        }
        group.wait()
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        #expect(batchStarted.withLock { $0 })
        let order = try SQLiteDatabase(path: folder.file).statement("SELECT who FROM log ORDER BY id").rows { $0.text(0) }
        #expect(order.count == batchTransactions + 1)
        let stationTurn = try #require(order.firstIndex(of: "station"))
        // Committed before the batch's last transaction: it had its turn in one of the pauses after a long one.
        #expect(stationTurn < batchTransactions, "the station committed only after the whole batch: \(order)")
        #expect(stationTurn >= 1, "the station cannot commit before the batch's first transaction, which it waited for")
    }

    /// On a clock the test moves, so that a short hold stays short however busy the machine is (on the real clock, a
    /// "short" commit could take 200 ms under load).
    @Test("only a transaction that held the lock 200 ms or more makes the next one pause")
    func onlyLongTransactionsOweAPause() throws {
        let folder = try Folder()
        let database = try SQLiteDatabase(path: folder.file)
        let now = Mutex<UInt64>(1_000)
        database.writeLockTurns.clock = { now.withLock { $0 } }
        func hold(_ milliseconds: UInt64) throws {
            try database.writeTransaction { now.withLock { $0 += milliseconds } }
        }
        try hold(199)
        #expect(!database.writeLockTurns.owesPause)
        try hold(200)
        #expect(database.writeLockTurns.owesPause)
        now.withLock { $0 += 10 }   // the pause is over by the clock: the next one begins at once
        try hold(0)
        #expect(!database.writeLockTurns.owesPause, "the pause is taken once, before the next transaction")
    }

    @Test("a rolled-back long transaction also lets waiting writers in")
    func rollbackCountsAsTheEndOfAHold() throws {
        let folder = try Folder()
        let database = try SQLiteDatabase(path: folder.file)
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try database.writeTransaction { () throws(Stop) in
                usleep(220_000)
                throw Stop()
            }
        }
        #expect(database.writeLockTurns.owesPause)
    }

    @Test("a writer still gives up with S5 when the lock is held past the timeout")
    func givesUpAfterTheTimeout() throws {
        let turns = WriteLockTurns(timeoutMilliseconds: 30)
        #expect(turns.waitAgain(afterTries: 0))
        usleep(40_000)
        #expect(!turns.waitAgain(afterTries: 5), "past the timeout since the first try")
        #expect(turns.waitAgain(afterTries: 0), "a new statement's wait starts again")
    }

    /// An operator whose `redeem` waited for a settlement's transaction saw nothing for up to 10 s.
    @Test("a wait of a second or more calls whileWaiting once, and a new statement's wait may call it again")
    func waitingIsToldOnce() {
        let turns = WriteLockTurns(timeoutMilliseconds: 10_000)
        var now: UInt64 = 5_000
        turns.clock = { now }
        var told = 0
        turns.whileWaiting = { told += 1 }
        #expect(turns.waitAgain(afterTries: 0))
        now += 999
        #expect(turns.waitAgain(afterTries: 1))
        #expect(told == 0, "a wait under a second is not worth a word")
        now += 1
        #expect(turns.waitAgain(afterTries: 2))
        now += 3_000
        #expect(turns.waitAgain(afterTries: 3))
        #expect(told == 1)
        #expect(turns.waitAgain(afterTries: 0))
        now += 1_500
        #expect(turns.waitAgain(afterTries: 1))
        #expect(told == 2)
    }
}
