import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Stations: withdrawing and giving back an operator's access")
struct OperatorAccessTests {
    /// The outcome of a sign-in: "ok" or the error's code.
    private func signIn(_ f: StationFixture, _ id: String, _ pin: String) -> String {
        do {
            _ = try f.store.signIn(operatorID: id, pin: pin)
            return "ok"
        } catch let error as any TimeBankError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    @Test("a disabled operator's right PIN is refused (O013) and a wrong one gets O001 as an unknown id does; enabling gives it back")
    func disableAndEnable() throws {
        let f = try StationFixture()
        let outcome = try f.store.disableOperator("op1", reason: "调离兑换站", by: f.admin)
        let change = OperatorAccessChange(operatorID: "op1", kind: .disabled, reason: "调离兑换站", actor: "admin",
                                          recordedAt: f.clock.now())
        #expect(outcome == .changed(change))
        #expect(try f.store.operatorAccess("op1") == OperatorAccess(operatorID: "op1", lastChange: change))
        #expect(try f.store.operatorAccess("op2")?.isEnabled == true)
        #expect(try f.store.operatorAccess("nobody") == nil)

        do {
            _ = try f.store.signIn(operatorID: "op1", pin: "1471")
            Issue.record("a disabled operator signed in")
        } catch let error as AccessError {
            #expect(error == .accessWithdrawn(operatorID: "op1", by: "admin"))
            #expect(error.category == .refused)
            #expect(error.description == "error[O013]: the access of \"op1\" was withdrawn by admin: op1 may no longer sign in; ask an "
                    + "admin to give it back, if it should be (`timebank operator enable op1`); nothing was done")
        }
        // A wrong PIN learns nothing: the same O001 as an unknown id.
        #expect(signIn(f, "op1", "1112") == "O001")
        #expect(signIn(f, "nobody", "1112") == "O001")
        // The right PIN ended the run of wrong PINs as any right PIN does: four more wrong ones do not lock it.
        #expect(signIn(f, "op1", "1471") == "O013")
        #expect((1...4).map { _ in signIn(f, "op1", "1112") } == Array(repeating: "O001", count: 4))
        #expect(signIn(f, "op1", "1471") == "O013")

        // Disabling again writes nothing and is not an error: a retry is safe.
        let before = try f.snapshot()
        #expect(try f.store.disableOperator("op1", reason: "again", by: f.admin)
                == .unchanged(OperatorAccess(operatorID: "op1", lastChange: change)))
        #expect(try f.snapshot() == before)

        f.clock.advance(minutes: 60)
        let back = try f.store.enableOperator("op1", by: f.admin)
        #expect(back.isEnabled)
        #expect(signIn(f, "op1", "1471") == "ok")
        #expect(try f.store.enableOperator("op1", reason: "again", by: f.admin).isEnabled)
        #expect(try f.store.operatorAccessChanges(of: "op1").map { "\($0.kind.rawValue) \($0.actor) \($0.reason)" }
                == ["disabled admin 调离兑换站", "enabled admin "])
        #expect(try f.store.operatorAccesses().map { "\($0.operatorID) \($0.isEnabled)" }
                == ["admin true", "audit true", "op1 true", "op2 true"])
        try f.expectClean()
    }

    @Test("an admin may not disable themselves (O014), nor the last admin who can sign in (O015)")
    func adminsKept() throws {
        let f = try StationFixture()
        // The only admin, on themselves: O015 says what to do (add another admin first).
        let alone = try f.expectRefusal("O015") { _ = try f.store.disableOperator("admin", reason: "leaving", by: f.admin) }
        #expect(alone?.message.hasPrefix("admin is the last admin who can sign in") == true)
        try f.store.addOperator(Operator(id: "admin2", name: "二", role: .admin, station: nil), pin: "9002", by: f.admin,
                                iterations: StationFixture.iterations)
        let admin2 = try f.store.signIn(operatorID: "admin2", pin: "9002")
        // With another admin, on themselves: O014.
        try f.expectRefusal("O014") { _ = try f.store.disableOperator("admin", reason: "leaving", by: f.admin) }
        // admin2 may disable admin; then admin2 is the last one.
        #expect(try f.store.disableOperator("admin", reason: "退休", by: admin2).isEnabled == false)
        try f.expectRefusal("O015") { _ = try f.store.disableOperator("admin2", reason: "leaving", by: admin2) }
        // The session admin kept from before it was disabled may no longer change anybody's access (a long-running program).
        try f.expectRefusal("O013") { _ = try f.store.disableOperator("admin2", reason: "revenge", by: f.admin) }
        try f.expectRefusal("O013") { _ = try f.store.enableOperator("admin", by: f.admin) }
        // Nor add itself a new admin, nor set a PIN (its own included).
        try f.expectRefusal("O013") {
            try f.store.addOperator(Operator(id: "admin3", name: "三", role: .admin, station: nil), pin: "9003", by: f.admin,
                                    iterations: StationFixture.iterations)
        }
        try f.expectRefusal("O013") { try f.store.changePIN(of: "admin", to: "9009", by: f.admin, iterations: StationFixture.iterations) }
        #expect(try f.store.enableOperator("admin", reason: "回来了", by: admin2).isEnabled)
        #expect(signIn(f, "admin", "9000") == "ok")
    }

    @Test("only an admin changes access; unknown ids and unusable reasons are refused with nothing written")
    func refusals() throws {
        let f = try StationFixture()
        try f.expectRefusal("O003") { _ = try f.store.disableOperator("op2", reason: "x", by: f.op1) }
        try f.expectRefusal("O003") { _ = try f.store.enableOperator("op2", by: f.auditor) }
        try f.expectRefusal("O011") { _ = try f.store.disableOperator("op9", reason: "x", by: f.admin) }
        // O011 names the operator a near id means, for the library too.
        #expect(throws: AccessError.unknownOperator(id: "Op-1", suggestion: "op1")) {
            _ = try f.store.disableOperator("Op-1", reason: "x", by: f.admin)
        }
        #expect(throws: AccessError.unknownOperator(id: "op9", suggestion: nil)) {
            _ = try f.store.enableOperator("op9", by: f.admin)
        }
        try f.expectRefusal("R020") { _ = try f.store.disableOperator("op2", reason: " ", by: f.admin) }
        try f.expectRefusal("R020") { _ = try f.store.disableOperator("op2", reason: "a\nb", by: f.admin) }
        try f.expectRefusal("R020") { _ = try f.store.disableOperator("op2", reason: "a\u{202E}b", by: f.admin) }
        try f.expectRefusal("R020") { _ = try f.store.enableOperator("op2", reason: String(repeating: "长", count: 201), by: f.admin) }
    }

    @Test("an admin may set a disabled operator's PIN; the access stays withdrawn until it is given back")
    func newPINForDisabled() throws {
        let f = try StationFixture()
        _ = try f.store.disableOperator("op1", reason: "PIN 泄露", by: f.admin)
        try f.store.changePIN(of: "op1", to: "7247", by: f.admin, iterations: StationFixture.iterations)
        #expect(signIn(f, "op1", "7247") == "O013")
        _ = try f.store.enableOperator("op1", by: f.admin)
        #expect(signIn(f, "op1", "1471") == "O001")
        #expect(signIn(f, "op1", "7247") == "ok")
    }

    @Test("adding a disabled operator's id again is O006, and the message says how to let them back")
    func addingDisabledAgain() throws {
        let f = try StationFixture()
        _ = try f.store.disableOperator("op1", reason: "离职", by: f.admin)
        let refusal = try f.expectRefusal("O006") {
            try f.store.addOperator(Operator(id: "op1", name: "张敏", role: .operator, station: "S01"), pin: "5825", by: f.admin,
                                    iterations: StationFixture.iterations)
        }
        #expect(refusal?.message == "an operator \"op1\" exists already, with access withdrawn by admin: to let op1 sign in again, give "
                + "it back with `timebank operator enable op1` (and a new PIN with `timebank operator pin --for op1`); nothing was written")
    }

    @Test("an operator id one letter case from a stored one is O008, naming it, with nothing written")
    func caseVariantOperatorID() throws {
        let f = try StationFixture()
        let refusal = try f.expectRefusal("O008") {
            try f.store.addOperator(Operator(id: "OP1", name: "张敏", role: .operator, station: "S01"), pin: "5825", by: f.admin,
                                    iterations: StationFixture.iterations)
        }
        #expect(refusal?.message.contains("\"OP1\" differs from the stored operator op1 only in the case of its letters") == true)
        #expect(try f.store.storedOperator("OP1") == nil)
    }

    @Test("the history is append-only and alternates: the database refuses an edit, a delete, and a change that changes nothing")
    func appendOnly() throws {
        let f = try StationFixture()
        _ = try f.store.disableOperator("op1", reason: "x", by: f.admin)
        #expect(throws: SQLiteError.self) { try f.store.database.execute("UPDATE operator_access_changes SET change = 'enabled'") }
        #expect(throws: SQLiteError.self) { try f.store.database.execute("DELETE FROM operator_access_changes") }
        #expect(throws: SQLiteError.self) {
            try f.store.database.execute("""
                INSERT INTO operator_access_changes(operator, change, reason, actor, recorded_at)
                VALUES ('op1', 'disabled', 'twice', 'admin', '2026-10-08T02:00:00.000Z')
                """)
        }
        #expect(throws: SQLiteError.self) {
            try f.store.database.execute("""
                INSERT INTO operator_access_changes(operator, change, reason, actor, recorded_at)
                VALUES ('op2', 'enabled', 'never disabled', 'admin', '2026-10-08T02:00:00.000Z')
                """)
        }
        #expect(try f.store.operatorAccessChanges(of: "op1").count == 1)
    }

    @Test("a store as migration 18 left it gets the access table on open, its operators enabled and their events kept")
    func migrationFrom18() throws {
        let f = try StationFixture()
        #expect(signIn(f, "op1", "1112") == "O001")   // a sign-in attempt on record
        let eventsBefore = try f.store.database.statement("SELECT count(*) FROM operator_events").first { $0.int64(0) }
        let attemptsBefore = try f.store.database.statement("SELECT count(*) FROM sign_in_attempts").first { $0.int64(0) }
        // As migration 18 left it: neither 19's table nor the later migrations' (each drops its triggers with it).
        try f.store.database.execute("""
            DROP TABLE operator_access_changes;
            DROP TABLE community_changes;
            DELETE FROM schema_migrations WHERE version >= 19;
            """)
        let reopened = try TimeBankStore(path: f.path, clock: f.clock)
        #expect(try reopened.database.statement("SELECT max(version) FROM schema_migrations").first { $0.int64(0) }
                == Migrations.all.last.map { Int64($0.version) })
        #expect(try reopened.database.statement("SELECT 1 FROM schema_migrations WHERE version = 19").first { _ in true } == true)
        #expect(try reopened.operatorAccesses().allSatisfy(\.isEnabled))
        #expect(try reopened.operators().count == 4)
        #expect(try reopened.database.statement("SELECT count(*) FROM operator_events").first { $0.int64(0) } == eventsBefore)
        #expect(try reopened.database.statement("SELECT count(*) FROM sign_in_attempts").first { $0.int64(0) } == attemptsBefore)
        let admin = try reopened.signIn(operatorID: "admin", pin: "9000")
        _ = try reopened.disableOperator("op2", reason: "x", by: admin)
        #expect(throws: AccessError.accessWithdrawn(operatorID: "op2", by: "admin")) { _ = try reopened.signIn(operatorID: "op2", pin: "2582") }
        #expect(throws: SQLiteError.self) { try reopened.database.execute("DELETE FROM operator_access_changes") }
    }
}
