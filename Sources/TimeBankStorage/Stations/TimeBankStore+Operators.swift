import CSQLite
import TimeBankCore

extension TimeBankStore {
    /// Adds an operator with a PIN (stored only as PBKDF2-HMAC-SHA256 with a fresh 16-byte salt).
    ///
    /// The first operator of a database must be an admin and needs no session (this is how `init` creates
    /// the first admin); every later one needs an admin's session. Refused with nothing written: O003 when the
    /// session is not an admin's, O005 for an unusable PIN, O006 when the id is taken, O008 for a bad field,
    /// R019 for an unknown station.
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
        try newOperator.validate()
        if let problem = PINCredential.validatePIN(pin) { throw AccessError.invalidPIN(reason: problem) }
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
            }
            if try storedOperator(newOperator.id) != nil { throw AccessError.operatorExists(newOperator.id) }
            if let station = newOperator.station, try self.station(station) == nil {
                throw RedemptionError.unknownStation(station, suggestion: Self.nearest(station, in: try ids(of: .station)))
            }
            let actor = session?.operatorID ?? newOperator.id
            let now = clock.now().description
            try database.statement("""
                INSERT INTO operators(id, name, role, station, pin_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).bind(.text(newOperator.id), .text(newOperator.name), .text(newOperator.role.rawValue),
                          newOperator.station.map(SQLiteValue.text) ?? .null, .text(credential.encoded), .text(actor), .text(now)).run()
            try recordOperatorEvent(newOperator.id, "added", actor: actor, at: now)
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
    /// count, so no more than `failuresAllowed` of them are ever checked. A store that cannot be written (a read-only
    /// copy) checks the PIN against the count as it stands.
    public func signIn(operatorID: String, pin: String) throws -> OperatorSession {
        let now = clock.now()
        func refuseWhileLocked(_ failures: [Timestamp]) throws {
            if let until = SignInLockout.lockedUntil(failures: failures, now: now) {
                let minutes = Int((until.millisecondsSinceEpoch - now.millisecondsSinceEpoch + 59_999) / 60_000)
                throw AccessError.signInLocked(operatorID: operatorID, minutesLeft: max(1, minutes))
            }
        }
        var failures: [Timestamp]
        var attempt: Int64?
        do {
            (failures, attempt) = try writeTransaction {
                let failures = try signInFailures(operatorID)
                try refuseWhileLocked(failures)
                try database.statement("INSERT INTO sign_in_attempts(operator, outcome, at) VALUES (?, 'pending', ?)")
                    .bind(.text(operatorID), .text(now.description)).run()
                return (failures, database.lastInsertedRowID)
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
        } catch {
            // Not a wrong PIN (no operators at all, an unreadable credential, a database error): the attempt stays counted, as
            // one killed part-way does; only a right PIN clears the count.
            if let attempt { try? resolveSignIn(attempt, as: "failed") }
            throw error
        }
    }

    /// The times of the last wrong PINs given for `operatorID` since its last right PIN or new PIN (as many as the
    /// lock-out reads), attempts still being checked (or whose process was killed) among them.
    func signInFailures(_ operatorID: String) throws -> [Timestamp] {
        try database.statement("""
            SELECT at FROM sign_in_attempts
            WHERE operator = ?1 AND (outcome = 'failed' OR outcome = 'pending')
              AND id > coalesce((SELECT max(id) FROM sign_in_attempts WHERE operator = ?1 AND outcome = 'cleared'), 0)
              AND at > coalesce((SELECT max(recorded_at) FROM operator_events WHERE operator = ?1 AND event = 'pin_changed'), '')
            ORDER BY id DESC LIMIT ?2
            """).bind(.text(operatorID), .integer(Int64(SignInLockout.failuresAllowed))).rows { Timestamp($0.text(0)) }.compactMap { $0 }
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
        return OperatorSession(operatorID: stored.operator.id, name: stored.operator.name, role: stored.operator.role,
                               station: stored.operator.station)
    }

    /// Sets a new PIN: an operator for themselves, or an admin for anyone (O003 otherwise, O011 for an unknown id).
    public func changePIN(of operatorID: String, to pin: String, by session: OperatorSession,
                          iterations: Int = PINCredential.defaultIterations, salt: [UInt8]? = nil) throws {
        if let problem = PINCredential.validatePIN(pin) { throw AccessError.invalidPIN(reason: problem) }
        if session.operatorID != operatorID { try AccessRules.check(session, .setPIN) }
        guard let credential = PINCredential.make(pin: pin, salt: salt ?? Self.randomSalt(), iterations: iterations) else {
            throw AccessError.invalidPIN(reason: "it cannot be hashed with \(iterations) iterations")
        }
        try writeTransaction {
            guard try storedOperator(operatorID) != nil else { throw AccessError.unknownOperator(id: operatorID) }
            try database.statement("UPDATE operators SET pin_hash = ? WHERE id = ?").bind(.text(credential.encoded), .text(operatorID)).run()
            try recordOperatorEvent(operatorID, "pin_changed", actor: session.operatorID, at: clock.now().description)
        }
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

    /// The salt of the decoy check made for an unknown operator id.
    private static let decoySalt = Array("timebank-decoy-salt".utf8)

    static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<PINCredential.saltByteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The id nearest to a mistyped one, for did-you-mean.
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for candidate in candidates {
            let other = Array(candidate.lowercased().unicodeScalars)
            var previous = Array(0...other.count)
            var current = [Int](repeating: 0, count: other.count + 1)
            for i in 0..<target.count {
                current[0] = i + 1
                for j in 0..<other.count {
                    current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (target[i] == other[j] ? 0 : 1))
                }
                swap(&previous, &current)
            }
            let distance = previous[other.count]
            if distance <= max(1, min(3, target.count / 3)), distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }
}
