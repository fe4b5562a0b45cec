import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage
@testable import TimeBankCLI

/// A black-box tester found that the passbook never named the other side of a gift: the receiver read
/// `transfer  给家人  +30.00` and could not tell who gave, and `--json` had no counterparty either.
@Suite("statement: a gift of points names who gave and who received")
struct GiftStatementCommandTests {
    /// (Entry #1 is the fund's money from `stations()`.) V1 (王秀英) holds 20.00 expiring 2027-06-01 and 80.00 expiring 2027-09-01; gives 30.00 to V2 (Li), which draws
    /// 20.00 + 10.00 and credits V2 twice (one lot per expiry: three postings), then donates 10.00 to the pool.
    static func gifts() throws -> CLIHarness {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T04:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01", "--expires", "2027-06-01", "--memo", "服务"], CLIHarness.asAdmin)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "80", "--kind", "award", "--key", "a2",
                    "--date", "2026-10-02", "--expires", "2027-09-01", "--memo", "服务"], CLIHarness.asAdmin)
        try cli.ok(["transfer", "--from", "V1", "--to", "V2", "--points", "30", "--key", "g1", "--memo", "给邻居", "--date", "2026-10-08"],
                   CLIHarness.asOp1)
        try cli.ok(["donate", "--from", "V1", "--points", "10", "--key", "d1", "--date", "2026-10-08"], CLIHarness.asOp1)
        return cli
    }

    @Test("the receiver reads from whom, the giver to whom (or the pool); the stored memo is kept as it was")
    func bothSides() throws {
        let cli = try Self.gifts()
        let received = try cli.ok(["statement", "V2"])
        #expect(received.contains("#4  transfer  给邻居 · from 王秀英 (V1)  30.00"), "\(received)")
        let given = try cli.ok(["statement", "V1"])
        #expect(given.contains("#4  transfer  给邻居 · to Li (V2)"), "\(given)")
        #expect(given.contains("#5  donation  捐赠爱心积分                           10.00    60.00\n                             · to Community pool (爱心积分)\n"), "\(given)")
        let pool = try cli.ok(["statement", "system:pool"])
        #expect(pool.contains("#5  donation  捐赠爱心积分 · from 王秀英 (V1)  10.00"), "\(pool)")
        // Too long for the memo's last line, the other side goes on a line of its own, whole. An award names none.
        #expect(given.contains("#2  award     服务    "), "\(given)")
        // Nothing stored changed: the entry keeps its memo, and verify passes.
        #expect(try cli.ok(["entry", "show", "4"]).contains("给邻居"))
        #expect(try cli.ok(["verify"]).hasPrefix("OK"))
    }

    @Test("--json adds counterparties (account and name) on gift lines only; the two lots credited to V2 name V1 once")
    func json() throws {
        let cli = try Self.gifts()
        let received = try cli.ok(["statement", "V2", "--json"])
        #expect(received.contains("""
                  "memo": "给邻居",
                  "amount": 30.00,
                  "balance": 30.00,
                  "counterparties": [
                    {
                      "account": "volunteer:V1",
                      "name": "王秀英"
                    }
                  ]
            """), "\(received)")
        let given = try cli.ok(["statement", "V1", "--json"])
        #expect(given.contains("""
                  "memo": "捐赠爱心积分",
                  "amount": -10.00,
                  "balance": 60.00,
                  "counterparties": [
                    {
                      "account": "system:pool",
                      "name": "Community pool (爱心积分)"
                    }
                  ]
            """), "\(given)")
        // The awards' lines have no such key: two gift lines, two counterparties.
        #expect(given.components(separatedBy: "\"counterparties\"").count == 3, "\(given)")
    }

    @Test("the reversal of a transfer names the side the points go back to")
    func reversalOfTransfer() throws {
        let cli = try Self.gifts()
        // A transfer posted as a raw ledger entry (as the demo's first one is), not a gift: `reverse` takes it.
        let store = try TimeBankStore(path: cli.databasePath, clock: cli.clock)
        let old = try store.post(.move(key: "old-gift", kind: .transfer, date: LocalDate("2026-10-09")!, actor: "admin", memo: "旧赠送",
                                       from: .volunteer("V2"), to: .volunteer("V1"), amount: 500))
        try cli.ok(["reverse", "\(old.entry.sequence)", "--key", "undo-old", "--reason", "记错了"], CLIHarness.asAdmin)
        let v2 = try cli.ok(["statement", "V2"])
        #expect(v2.contains("#6  transfer  旧赠送 · to 王秀英 (V1)"), "\(v2)")
        #expect(v2.contains("#7  reversal  reverses #6 旧赠送 — 记错了   5.00          30.00\n                             · from 王秀英 (V1)\n"), "\(v2)")
        let v1 = try cli.ok(["statement", "V1", "--json"])
        #expect(v1.contains("\"reverses\": 6,\n      \"counterparties\": [\n        {\n          \"account\": \"volunteer:V2\""), "\(v1)")
    }

    @Test("an admin's `reverse` of a transfer undoes it: the giver's lots back with their expiry, the limit freed; an operator is O003")
    func adminUndoesTransfer() throws {
        let cli = try Self.gifts()
        let undo = ["reverse", "4", "--key", "undo-4", "--reason", "V2 typed for V3"]
        let operatorTry = cli.run(undo, environment: CLIHarness.asOp1)
        #expect(operatorTry.exit == 1 && operatorTry.errors.hasPrefix("error[O003]"), "\(operatorTry.errors)")
        let text = try cli.ok(undo, CLIHarness.asAdmin)
        #expect(text == """
            Undid transfer #1 of 30.00 积分 from V1 to V2 (entry #4) with entry #6 (reversal).
              volunteer:V1 +30.00, back to the lots it came from (expires 2027-06-01; expires 2027-09-01)
              volunteer:V2 -20.00
              volunteer:V2 -10.00
            It counts no more toward V1's gift limit of 2026-10.

            """, "\(text)")
        let json = try cli.ok(["--json"] + undo, CLIHarness.asAdmin)
        #expect(json.contains("\"outcome\": \"exists\""), "\(json)")
        #expect(json.contains("\"undoes\": {\n    \"kind\": \"transfer\",\n    \"number\": 1,\n    \"key\": \"g1\""), "\(json)")
        #expect(try cli.ok(["lots", "V1"]).contains("20.00  2027-06-01"))
        // 50.00 a month: the 10.00 donated still counts, the 30.00 undone no more.
        try cli.ok(["transfer", "--from", "V1", "--to", "V2", "--points", "40", "--key", "g2", "--date", "2026-10-08"], CLIHarness.asOp1)
        #expect(try cli.ok(["verify"]).hasPrefix("OK"))
    }

    @Test("a CNY statement names no other side: the fund's donations of money name their donor in the memo")
    func fundDonation() throws {
        let cli = try Self.gifts()
        try cli.ok(["post", "--from", "system:outside", "--to", "fund:main", "--cny", "100", "--kind", "donation", "--key", "m1",
                    "--memo", "爱心商户 捐款", "--date", "2026-10-02"], CLIHarness.asAdmin)
        let fund = try cli.ok(["statement", "fund:main", "--json"])
        #expect(fund.contains("\"memo\": \"爱心商户 捐款\""), "\(fund)")
        #expect(!fund.contains("counterparties"), "\(fund)")
    }
}

@Suite("statement: a gift between households names the member")
struct HouseholdGiftMemoTests {
    @Test("`from 王秀英 (V1) of 王家 (H1)`: the member before the household; a volunteer's own account is named alone")
    func memo() throws {
        let household = Account(id: .household("H1"), name: "王家", floor: 0)
        let member = Volunteer(id: "V1", name: "王秀英", household: "H1", birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-05-01")!)
        var line = TimeBankStore.StatementLine(sequence: 4, date: LocalDate("2026-10-08")!, kind: .transfer, memo: "赠送积分给 V4",
                                               amount: 1_000, balance: 1_000)
        line.counterparties = [household]
        #expect(StatementCommand.memo(of: line) == "赠送积分给 V4 · from 王家 (H1)")
        line.counterpartyMember = member
        #expect(StatementCommand.memo(of: line) == "赠送积分给 V4 · from 王秀英 (V1) of 王家 (H1)")
        line.amount = -1_000
        #expect(StatementCommand.memo(of: line) == "赠送积分给 V4 · to 王秀英 (V1) of 王家 (H1)")
        // --json: the member on the household's counterparty, and on no volunteer's.
        #expect(StatementCommand.json(line).rendered().contains(
            "\"account\": \"household:H1\",\n      \"name\": \"王家\",\n      \"member\": \"V1\",\n      \"member_name\": \"王秀英\""),
            "\(StatementCommand.json(line).rendered())")
        line.counterparties = [Account(id: .volunteer("V1"), name: "王秀英", floor: 0)]
        #expect(!StatementCommand.json(line).rendered().contains("member"))
    }
}
