#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import TimeBankCore

extension TimeBankStore {
    /// Adds an operator with a PIN (stored only as PBKDF2-HMAC-SHA256 with a fresh 16-byte salt).
    ///
    /// The first operator of a database must be an admin and needs no session (this is how `init` creates
    /// the first admin); every later one needs an admin's session. Refused with nothing written: O003 when the
    /// session is not an admin's, O013 when the admin's access was withdrawn since the session was made, O005 for an
    /// unusable PIN, O006 when the id is taken, O008 for a bad field, R019 for an unknown station.
    ///
    ///     try store.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "482916", by: nil)
    ///     let admin = try store.signIn(operatorID: "admin", pin: "482916")
    ///     try store.addOperator(Operator(id: "op-zhang", name: "张敏", role: .operator, station: "S01"), pin: "1357", by: admin)
    ///
    /// - Parameters:
    ///   - iterations: PBKDF2 iterations; the default is `PINCredential.defaultIterations` (tests pass fewer).
    ///   - salt: for tests only; nil draws 16 random bytes from the system.
    public func addOperator(_ newOperator: Operator, pin: String, by session: OperatorSession?,
                            iterations: Int = PINCredential.defaultIterations, salt: [UInt8]? = nil) throws {
        if let session { try requireSignedInHere(session) }
        try newOperator.validate()
        if let problem = PINCredential.validatePIN(pin) ?? PINCredential.guessablePINProblem(pin, operatorID: newOperator.id) {
            throw AccessError.invalidPIN(reason: problem)
        }
        guard let credential = PINCredential.make(pin: pin, salt: salt ?? Self.randomSalt(), iterations: iterations) else {
            throw AccessError.invalidPIN(reason: "it cannot be hashed with \(iterations) iterations")
        }
        try writeTransaction {
            let existing = try operatorCount()
            if existing == 0 {
                guard newOperator.role == .admin else {
                    throw AccessError.invalidOperator(field: "role", reason: "the first operator must be an admin")
                }
            } else {
                guard let session else { throw AccessError.operatorNotNamed }
                try AccessRules.check(session, .manageOperators)
                try refuseIfWithdrawn(session.operatorID)
            }
            try checkNewOperator(newOperator)
            let actor = session?.operatorID ?? newOperator.id
            let now = clock.now().description
            try database.statement("""
                INSERT INTO operators(id, name, role, station, pin_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).bind(.text(newOperator.id), .text(newOperator.name), .text(newOperator.role.rawValue),
                          newOperator.station.map(SQLiteValue.text) ?? .null, .text(credential.encoded), .text(actor), .text(now)).run()
            try recordOperatorEvent(newOperator.id, "added", actor: actor, at: now)
        }
    }

    /// What `addOperator` checks against the stored operators and stations, without writing: O008 for a bad field, O006 when
    /// the id is taken (saying so when that operator's access was withdrawn), R019 for an unknown station. The command line
    /// asks it before the new PIN is typed.
    public func checkNewOperator(_ newOperator: Operator) throws {
        try newOperator.validate()
        if try storedOperator(newOperator.id) != nil {
            if let change = try lastAccessChange(of: newOperator.id), change.kind == .disabled {
                throw AccessError.operatorExistsDisabled(newOperator.id, by: change.actor)
            }
            throw AccessError.operatorExists(newOperator.id)
        }
        // `OP-ZHANG` beside `op-zhang`: receipts and the access log would show two operators one letter case apart.
        if let other = try caseVariant(of: newOperator.id, table: "operators") {
            throw AccessError.invalidOperator(field: "id", reason: "\"\(newOperator.id)\" " + CommunityError.caseVariantReason(
                other: "stored operator \(other)") + "; " + CommunityError.caseVariantHelp(existing: other))
        }
        if let station = newOperator.station, try self.station(station) == nil {
            throw RedemptionError.unknownStation(station, suggestion: try stationSuggestion(for: station))
        }
    }

    /// Checks an operator's PIN and returns a session for their writes. A wrong PIN and an unknown operator
    /// give the same error (O001), after the same work, so that neither reveals which ids exist.
    /// O007 when the database has no operator at all. After `SignInLockout.failuresAllowed` wrong PINs for one id
    /// within `SignInLockout.windowMinutes` the id is locked (O012) that long, without its PIN being checked; a right PIN
    /// clears the count, and so does a new PIN set by `changePIN`.
    ///
    /// Each attempt is written (`sign_in_attempts`, pending) under the write lock before the PIN is checked, and the lock
    /// is read in the same transaction: guesses made at the same time, by several processes, each take a place in the
    /// count, so no more than `failuresAllowed` of them are ever checked. When only attempts whose PINs are still being
    /// checked would lock the id, the sign-in waits for them (`signInPausesMax` pauses): one that was right clears the
    /// count, so the right PIN given at two desks at once is not refused. A store that cannot be written (a read-only
    /// copy) checks the PIN against the count as it stands.
    ///
    /// An operator whose access an admin withdrew (`disableOperator`) is refused with O013, but only after the right PIN: a
    /// wrong one gets O001 as for any id, so that a guess does not learn that the id exists, nor that it is disabled.
    public func signIn(operatorID: String, pin: String) throws -> OperatorSession {
        var now = clock.now()
        func refuseWhileLocked(_ failures: [Timestamp]) throws {
            if let until = SignInLockout.lockedUntil(failures: failures, now: now) {
                let minutes = Int((until.millisecondsSinceEpoch - now.millisecondsSinceEpoch + 59_999) / 60_000)
                throw AccessError.signInLocked(operatorID: operatorID, minutesLeft: max(1, minutes))
            }
        }
        var failures: [Timestamp] = []
        var attempt: Int64?
        var pauses = 0
        do {
            // Sign-ins of this id whose PINs other processes are checking right now count, so that guesses made at the same
            // time cannot pass the lock; but one of them may be right, which clears the count. When only they would lock
            // the sign-in, it waits for them to be resolved (a right PIN given at two desks at once is not a lock-out),
            // for at most `signInPausesMax` pauses: one never resolved was killed, and counts as a wrong PIN.
            while attempt == nil {
                let waitFor = pauses < Self.signInPausesMax
                (failures, attempt) = try writeTransaction {
                    // Read under the lock: an attempt another process reserved while this one waited is not after `now`.
                    now = clock.now()
                    let attempts = try signInFailureAttempts(operatorID)
                    let failures = attempts.map(\.at)
                    if waitFor, SignInLockout.lockedUntil(failures: failures, now: now) != nil,
                       attempts.contains(where: { $0.pending && isBeingChecked($0.at, now: now) }) {
                        let settled = attempts.filter { !($0.pending && isBeingChecked($0.at, now: now)) }.map(\.at)
                        if SignInLockout.lockedUntil(failures: settled, now: now) == nil { return (failures, nil) }
                    }
                    try refuseWhileLocked(failures)
                    try database.statement("INSERT INTO sign_in_attempts(operator, outcome, at) VALUES (?, 'pending', ?)")
                        .bind(.text(operatorID), .text(now.description)).run()
                    return (failures, database.lastInsertedRowID)
                }
                if attempt == nil {
                    pauses += 1
                    pauseForSignInsBeingChecked()
                }
            }
        } catch let error as SQLiteError where error.resultCode == SQLITE_READONLY {
            failures = try signInFailures(operatorID)
            try refuseWhileLocked(failures)
            attempt = nil
        }
        do {
            let session = try checkPIN(operatorID: operatorID, pin: pin)
            if let attempt { try? resolveSignIn(attempt, as: "cleared") }
            return session
        } catch AccessError.signInFailed {
            if let attempt { try? resolveSignIn(attempt, as: "failed") }
            // Near the lock-out, say how near: a person typing at the counter should stop and ask before it locks.
            let left = SignInLockout.triesLeft(failures: failures + [now], now: now)
            throw left <= 2 ? AccessError.signInFailedNearLock(triesLeft: left) : AccessError.signInFailed
        } catch AccessError.accessWithdrawn(let id, let admin) {
            // The PIN was right: the run of wrong PINs ends here as at any right PIN (so that access given back is not met by
            // a lock), and the refusal says why.
            if let attempt { try? resolveSignIn(attempt, as: "cleared") }
            throw AccessError.accessWithdrawn(operatorID: id, by: admin)
        } catch {
            // Not a wrong PIN (no operators at all, an unreadable credential, a database error): the attempt stays counted, as
            // one killed part-way does; only a right PIN clears the count.
            if let attempt { try? resolveSignIn(attempt, as: "failed") }
            throw error
        }
    }

    /// How long `signIn` sleeps before it looks again at sign-ins of the same operator still being checked.
    static let signInPauseMilliseconds: Int32 = 25

    /// How many times `signIn` looks again before it counts the sign-ins still pending as wrong PINs (3 s in all).
    static let signInPausesMax = 120
    /// A pending attempt older than this (by the store's clock) is no PIN check still under way: its process was killed.
    static let signInCheckMillisecondsMax: Int64 = 60_000

    static func pauseForSignInBeingChecked() { sqlite3_sleep(signInPauseMilliseconds) }

    /// The times of the last wrong PINs given for `operatorID` since its last right PIN or new PIN (as many as the
    /// lock-out reads), attempts still being checked (or whose process was killed) among them.
    func signInFailures(_ operatorID: String) throws -> [Timestamp] {
        try signInFailureAttempts(operatorID).map(\.at)
    }

    /// `signInFailures`, each saying whether it is still pending: a PIN being checked, or a sign-in killed part-way.
    func signInFailureAttempts(_ operatorID: String) throws -> [(at: Timestamp, pending: Bool)] {
        try database.statement("""
            SELECT at, outcome = 'pending' FROM sign_in_attempts
            WHERE operator = ?1 AND (outcome = 'failed' OR outcome = 'pending')
              AND id > coalesce((SELECT max(id) FROM sign_in_attempts WHERE operator = ?1 AND outcome = 'cleared'), 0)
              AND at > coalesce((SELECT max(recorded_at) FROM operator_events WHERE operator = ?1 AND event = 'pin_changed'), '')
            ORDER BY id DESC LIMIT ?2
            """).bind(.text(operatorID), .integer(Int64(SignInLockout.failuresAllowed)))
            .rows { row in Timestamp(row.text(0)).map { (at: $0, pending: row.int64(1) != 0) } }.compactMap { $0 }
    }

    /// Whether a pending attempt reserved `at` may still have its PIN checked by a live process: a check takes well under
    /// `signInCheckMillisecondsMax`, so an older one was killed part-way.
    private func isBeingChecked(_ at: Timestamp, now: Timestamp) -> Bool {
        now.millisecondsSinceEpoch - at.millisecondsSinceEpoch < Self.signInCheckMillisecondsMax
    }

    private func resolveSignIn(_ attempt: Int64, as outcome: String) throws {
        try writeTransaction {
            try database.statement("UPDATE sign_in_attempts SET outcome = ? WHERE id = ?").bind(.text(outcome), .integer(attempt)).run()
        }
    }

    private func checkPIN(operatorID: String, pin: String) throws -> OperatorSession {
        let stored = try storedOperator(operatorID)
        guard let stored else {
            if try operatorCount() == 0 { throw AccessError.noOperators }
            // The same PBKDF2 work as a real check (with another operator's iteration count), so that the time
            // taken does not tell an unknown id from a wrong PIN.
            let iterations = try database.statement("SELECT pin_hash FROM operators ORDER BY id LIMIT 1")
                .first { PINCredential(encoded: $0.text(0))?.iterations } ?? nil
            _ = PINCredential(iterations: iterations ?? PINCredential.defaultIterations, salt: Self.decoySalt,
                              hash: [UInt8](repeating: 0, count: 32)).matches(pin: pin)
            throw AccessError.signInFailed
        }
        guard let credential = PINCredential(encoded: stored.pinHash) else {
            throw AccessError.storedCredentialUnreadable(operatorID: operatorID)
        }
        guard credential.matches(pin: pin) else { throw AccessError.signInFailed }
        try refuseIfWithdrawn(operatorID)
        return OperatorSession(operatorID: stored.operator.id, name: stored.operator.name, role: stored.operator.role,
                               station: stored.operator.station, issuer: sessionIssuer)
    }

    /// Sets a new PIN: an operator for themselves, or an admin for anyone, a disabled operator too, whose access stays
    /// withdrawn (O003 otherwise, O011 for an unknown id, O013 when the session's own access was withdrawn since it was made).
    public func changePIN(of operatorID: String, to pin: String, by session: OperatorSession,
                          iterations: Int = PINCredential.defaultIterations, salt: [UInt8]? = nil) throws {
        try requireSignedInHere(session)
        if let problem = PINCredential.validatePIN(pin) ?? PINCredential.guessablePINProblem(pin, operatorID: operatorID) {
            throw AccessError.invalidPIN(reason: problem)
        }
        if session.operatorID != operatorID { try AccessRules.check(session, .setPIN) }
        guard let credential = PINCredential.make(pin: pin, salt: salt ?? Self.randomSalt(), iterations: iterations) else {
            throw AccessError.invalidPIN(reason: "it cannot be hashed with \(iterations) iterations")
        }
        try writeTransaction {
            try refuseIfWithdrawn(session.operatorID)
            guard try storedOperator(operatorID) != nil else { throw try unknownOperator(operatorID) }
            try database.statement("UPDATE operators SET pin_hash = ? WHERE id = ?").bind(.text(credential.encoded), .text(operatorID)).run()
            try recordOperatorEvent(operatorID, "pin_changed", actor: session.operatorID, at: clock.now().description)
        }
    }

    /// Withdraws an operator's access (`timebank operator disable`): from the next sign-in on, their right PIN is refused with
    /// O013 (a wrong one still gets O001). Nothing they did is touched: their receipts, entries and stock movements keep
    /// naming them. Kept for good with the admin, the time (the store's clock) and `reason`.
    ///
    /// Refused with nothing written: O003 when `session` is not an admin's, O013 when the admin's own access was withdrawn
    /// since they signed in, O011 for an unknown id, O014 for the admin's own access, O015 for the last admin who may sign
    /// in, R020 for a reason that is empty, longer than 200 characters or not one line. An operator disabled already is
    /// `.unchanged` (nothing written, not an error), so that a retry is safe.
    ///
    ///     let outcome = try store.disableOperator("op-zhang", reason: "调离兑换站", by: admin)
    ///     // .changed(…) the first time, .unchanged(…) when sent again
    public func disableOperator(_ operatorID: String, reason: String, by session: OperatorSession) throws -> OperatorAccessOutcome {
        try requireSignedInHere(session)
        try AccessRules.check(session, .manageAccess)
        try RedemptionRules.validateLine(reason, field: "reason", allowEmpty: false, maximum: 200)
        return try writeTransaction {
            try refuseIfWithdrawn(session.operatorID)
            guard let target = try storedOperator(operatorID)?.operator else { throw try unknownOperator(operatorID) }
            let current = OperatorAccess(operatorID: operatorID, lastChange: try lastAccessChange(of: operatorID))
            guard current.isEnabled else { return .unchanged(current) }
            try AccessRules.checkDisable(target, by: session, enabledAdmins: try enabledAdmins())
            return .changed(try recordAccessChange(operatorID, .disabled, reason: reason, by: session))
        }
    }

    /// Gives a disabled operator their access back (`timebank operator enable`): they sign in again with the PIN they had
    /// (`changePIN` sets a new one, before or after). `reason` may be empty. O003, O013, O011 and R020 as for
    /// `disableOperator`; an operator who may sign in already is `.unchanged`, nothing written.
    ///
    ///     try store.enableOperator("op-zhang", reason: "回到兑换站", by: admin)
    public func enableOperator(_ operatorID: String, reason: String = "", by session: OperatorSession) throws -> OperatorAccessOutcome {
        try requireSignedInHere(session)
        try AccessRules.check(session, .manageAccess)
        try RedemptionRules.validateLine(reason, field: "reason", allowEmpty: true, maximum: 200)
        return try writeTransaction {
            try refuseIfWithdrawn(session.operatorID)
            guard try storedOperator(operatorID) != nil else { throw try unknownOperator(operatorID) }
            let current = OperatorAccess(operatorID: operatorID, lastChange: try lastAccessChange(of: operatorID))
            guard !current.isEnabled else { return .unchanged(current) }
            return .changed(try recordAccessChange(operatorID, .enabled, reason: reason, by: session))
        }
    }

    /// Whether the operator may sign in, with the change that made it so; nil for an unknown id.
    public func operatorAccess(_ operatorID: String) throws -> OperatorAccess? {
        guard try storedOperator(operatorID) != nil else { return nil }
        return OperatorAccess(operatorID: operatorID, lastChange: try lastAccessChange(of: operatorID))
    }

    /// The access of every operator, ordered by id (as `operators()`).
    public func operatorAccesses() throws -> [OperatorAccess] {
        var last: [String: OperatorAccessChange] = [:]
        for change in try database.statement("""
            SELECT operator, change, reason, actor, recorded_at FROM operator_access_changes ORDER BY id
            """).rows(Self.accessChangeRow) {
            last[change.operatorID] = change
        }
        return try database.statement("SELECT id FROM operators ORDER BY id").rows { $0.text(0) }
            .map { OperatorAccess(operatorID: $0, lastChange: last[$0]) }
    }

    /// Every change of an operator's access, oldest first (empty for an operator never disabled, or an unknown id).
    public func operatorAccessChanges(of operatorID: String) throws -> [OperatorAccessChange] {
        try database.statement("""
            SELECT operator, change, reason, actor, recorded_at FROM operator_access_changes WHERE operator = ? ORDER BY id
            """).bind(.text(operatorID)).rows(Self.accessChangeRow)
    }

    /// Every operator, ordered by id.
    public func operators() throws -> [Operator] {
        try database.statement("SELECT id, name, role, station FROM operators ORDER BY id").rows(Self.operatorRow)
    }

    /// The operator with this id, or nil.
    public func `operator`(_ id: String) throws -> Operator? {
        try storedOperator(id)?.operator
    }

    /// How many operators the database has (0 until the first admin is created).
    public func operatorCount() throws -> Int {
        Int(try database.statement("SELECT count(*) FROM operators").first { $0.int64(0) } ?? 0)
    }

    // MARK: Helpers

    struct StoredOperator {
        var `operator`: Operator
        var pinHash: String
    }

    func storedOperator(_ id: String) throws -> StoredOperator? {
        try database.statement("SELECT id, name, role, station, pin_hash FROM operators WHERE id = ?").bind(.text(id)).first { row in
            StoredOperator(operator: try Self.operatorRow(row), pinHash: row.text(4))
        }
    }

    private static func operatorRow(_ row: SQLiteStatement) throws -> Operator {
        guard let role = OperatorRole(rawValue: row.text(2)) else {
            throw StoredDataError(sequence: nil, detail: "operator \(row.text(0)) has an unknown role \"\(row.text(2))\"")
        }
        return Operator(id: row.text(0), name: row.text(1), role: role, station: row.optionalText(3))
    }

    private func recordOperatorEvent(_ id: String, _ event: String, actor: String, at time: String) throws {
        try database.statement("INSERT INTO operator_events(operator, event, actor, recorded_at) VALUES (?, ?, ?, ?)")
            .bind(.text(id), .text(event), .text(actor), .text(time)).run()
    }

    func lastAccessChange(of operatorID: String) throws -> OperatorAccessChange? {
        try database.statement("""
            SELECT operator, change, reason, actor, recorded_at FROM operator_access_changes WHERE operator = ? ORDER BY id DESC LIMIT 1
            """).bind(.text(operatorID)).first(Self.accessChangeRow)
    }

    /// The admins who may sign in now (by `OperatorAccess.isEnabled`, as `operator list` shows them).
    private func enabledAdmins() throws -> Set<String> {
        let admins = Set(try operators().filter { $0.role == .admin }.map(\.id))
        return Set(try operatorAccesses().filter { $0.isEnabled && admins.contains($0.operatorID) }.map(\.operatorID))
    }

    /// O013 when the operator's access is withdrawn: at sign-in after the right PIN, and for a session whose operator's access
    /// was withdrawn after it signed in (a session a long-running program kept), which may not add operators, set PINs or
    /// change anybody's access (a disabled admin could otherwise add themselves a new admin, or take the last enabled
    /// admin's access).
    private func refuseIfWithdrawn(_ operatorID: String) throws {
        if let change = try lastAccessChange(of: operatorID), change.kind == .disabled {
            throw AccessError.accessWithdrawn(operatorID: operatorID, by: change.actor)
        }
    }

    private func recordAccessChange(_ operatorID: String, _ kind: OperatorAccessChange.Kind, reason: String,
                                    by session: OperatorSession) throws -> OperatorAccessChange {
        let now = clock.now()
        try database.statement("INSERT INTO operator_access_changes(operator, change, reason, actor, recorded_at) VALUES (?, ?, ?, ?, ?)")
            .bind(.text(operatorID), .text(kind.rawValue), .text(reason), .text(session.operatorID), .text(now.description)).run()
        return OperatorAccessChange(operatorID: operatorID, kind: kind, reason: reason, actor: session.operatorID, recordedAt: now)
    }

    private static func accessChangeRow(_ row: SQLiteStatement) throws -> OperatorAccessChange {
        guard let kind = OperatorAccessChange.Kind(rawValue: row.text(1)), let at = Timestamp(row.text(4)) else {
            throw StoredDataError(sequence: nil, detail: "an access change of operator \(row.text(0)) cannot be read")
        }
        return OperatorAccessChange(operatorID: row.text(0), kind: kind, reason: row.text(2), actor: row.text(3), recordedAt: at)
    }

    /// O011 for an id an admin typed that names no operator, with the nearest operator id.
    private func unknownOperator(_ operatorID: String) throws -> AccessError {
        .unknownOperator(id: operatorID, suggestion: Spelling.nearest(to: operatorID, among: try operators().map(\.id)))
    }

    /// The salt of the decoy check made for an unknown operator id.
    private static let decoySalt = Array("timebank-decoy-salt".utf8)

    /// The issuer of this store's sessions: its database file, by device and inode, so that every store opened on the file
    /// (another instance, a store per request, a read-only one, by any path to it) takes the sessions of the others, and a
    /// store of another file (another community) refuses them. A store with no file (`:memory:`, a temporary database) is
    /// its own issuer: random, drawn when it is opened.
    static func sessionIssuer(of database: SQLiteDatabase) -> String {
        if let name = sqlite3_db_filename(database.handle, "main"), name.pointee != 0 {
            var status = stat()
            if stat(name, &status) == 0 { return "file:\(status.st_dev):\(status.st_ino)" }
        }
        return "store:" + randomSalt().map { String($0, radix: 16) }.joined(separator: ".")
    }

    /// O016 for a session that another store's `signIn` gave: the same operator id there may be somebody else here.
    func requireSignedInHere(_ session: OperatorSession) throws {
        guard session.issuer == sessionIssuer else { throw AccessError.sessionFromAnotherStore(operatorID: session.operatorID) }
    }

    static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<PINCredential.saltByteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
