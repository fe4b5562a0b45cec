import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Sign-ins of one operator made at the same time by several processes (two desks of a station sharing an id, a
/// terminal that sends requests in parallel). Each reserves its attempt (`pending`) before its PIN is checked; another
/// process's pending attempt stands here for a sign-in whose PIN is being checked, resolved at a known moment by
/// `pauseForSignInsBeingChecked`.
@Suite("Stations: sign-ins of one operator at the same time")
struct SignInConcurrencyTests {
    /// `count` attempts of `operatorID` reserved by another connection (another process) at `at`, still pending.
    static func reserveAttempts(_ count: Int, of operatorID: String, at: String, in other: SQLiteDatabase) throws -> [Int64] {
        try (0..<count).map { _ in
            try other.statement("INSERT INTO sign_in_attempts(operator, outcome, at) VALUES (?, 'pending', ?)")
                .bind(.text(operatorID), .text(at)).run()
            return other.lastInsertedRowID
        }
    }

    static func resolve(_ attempts: [Int64], as outcome: String, in other: SQLiteDatabase) throws {
        for attempt in attempts {
            try other.statement("UPDATE sign_in_attempts SET outcome = ? WHERE id = ?").bind(.text(outcome), .integer(attempt)).run()
        }
    }

    /// op1 after 3 wrong PINs, with 2 more sign-ins of it reserved by another connection now: 5, which would lock.
    static func threeWrongAndTwoBeingChecked() throws -> (fixture: StationFixture, other: SQLiteDatabase, inFlight: [Int64]) {
        let f = try StationFixture()
        for _ in 1...3 { #expect(throws: (any Error).self) { _ = try f.store.signIn(operatorID: "op1", pin: "0000") } }
        let other = try SQLiteDatabase(path: f.path)
        return (f, other, try reserveAttempts(2, of: "op1", at: f.clock.now().description, in: other))
    }

    @Test("a right PIN is not locked out by sign-ins of the same operator still being checked: it waits for them, and they were right")
    func rightPINWaitsForSignInsBeingChecked() throws {
        let (f, other, inFlight) = try Self.threeWrongAndTwoBeingChecked()
        var pauses = 0
        f.store.pauseForSignInsBeingChecked = {
            pauses += 1
            try? Self.resolve(inFlight, as: "cleared", in: other)
        }
        // 3 wrong PINs and 2 sign-ins being checked: 5, which would lock. Both turn out right, so this one goes ahead.
        let session = try f.store.signIn(operatorID: "op1", pin: "1471")
        #expect(session.operatorID == "op1")
        #expect(pauses == 1)
        #expect(try f.store.database.statement("SELECT count(*) FROM sign_in_attempts WHERE outcome = 'pending'").first { $0.int64(0) } == 0)
    }

    @Test("sign-ins being checked that turn out wrong lock the sign-in after the wait: no more than five PINs are checked")
    func wrongSignInsBeingCheckedStillLock() throws {
        let (f, other, inFlight) = try Self.threeWrongAndTwoBeingChecked()
        var pauses = 0
        f.store.pauseForSignInsBeingChecked = {
            pauses += 1
            try? Self.resolve(inFlight, as: "failed", in: other)
        }
        #expect(throws: AccessError.signInLocked(operatorID: "op1", minutesLeft: 15)) { _ = try f.store.signIn(operatorID: "op1", pin: "1471") }
        #expect(pauses == 1)
        // The PIN was not checked, nor its attempt recorded: the 5 wrong ones, none left pending.
        #expect(try f.store.database.statement("SELECT count(*) FROM sign_in_attempts WHERE operator = 'op1' AND outcome = 'failed'").first { $0.int64(0) } == 5)
        #expect(try f.store.database.statement("SELECT count(*) FROM sign_in_attempts WHERE outcome = 'pending'").first { $0.int64(0) } == 0)
    }

    @Test("a pending attempt that is never resolved (its process was killed) counts as a wrong PIN: after the wait, or at once when it is old")
    func unresolvedAttemptCountsAfterTheWait() throws {
        let (f, _, _) = try Self.threeWrongAndTwoBeingChecked()
        var pauses = 0
        f.store.pauseForSignInsBeingChecked = { pauses += 1 }
        #expect(throws: AccessError.signInLocked(operatorID: "op1", minutesLeft: 15)) { _ = try f.store.signIn(operatorID: "op1", pin: "1471") }
        #expect(pauses == TimeBankStore.signInPausesMax)

        // Attempts reserved longer ago than any PIN check takes are not waited for.
        let g = try StationFixture()
        for _ in 1...3 { #expect(throws: (any Error).self) { _ = try g.store.signIn(operatorID: "op1", pin: "0000") } }
        let old = Timestamp(millisecondsSinceEpoch: g.clock.now().millisecondsSinceEpoch - TimeBankStore.signInCheckMillisecondsMax)
        _ = try Self.reserveAttempts(2, of: "op1", at: old.description, in: try SQLiteDatabase(path: g.path))
        var gPauses = 0
        g.store.pauseForSignInsBeingChecked = { gPauses += 1 }
        #expect(throws: AccessError.signInLocked(operatorID: "op1", minutesLeft: 15)) { _ = try g.store.signIn(operatorID: "op1", pin: "1471") }
        #expect(gPauses == 0)
    }
}
