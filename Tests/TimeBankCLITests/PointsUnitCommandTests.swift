import Foundation
import Testing
import TimeBankCore
@testable import TimeBankCLI

/// The lines a resident or a station clerk reads name the points as the policy in force does (here 信义币, as Bo'er
/// village calls them; POINTS before any policy); what a program reads (`--json`, `--asset POINTS`) keeps POINTS.
struct PointsUnitCommandTests {
    /// The stations' test policy, its points named 信义币.
    static let trustCoinPolicy = stationCLIPolicy.replacingOccurrences(of: "effective = 2026-01-01\n",
                                                                       with: "effective = 2026-01-01\nunit = \"信义币\"\n")

    @Test("balance at the counter: the points column and the lines under the table name the policy's unit; --json keeps POINTS")
    func balanceNamesThePolicyUnit() throws {
        let cli = try CLIHarness()   // today is 2027-01-05
        try cli.stations(policy: Self.trustCoinPolicy)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01", "--expires", "2027-01-03"], CLIHarness.asAdmin)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "5", "--kind", "award", "--key", "a2",
                    "--date", "2026-10-02"], CLIHarness.asAdmin)
        let one = try cli.ok(["balance", "V1"])
        #expect(one == """
            Account       Name    信义币   CNY
            ------------  ------  ------  ----
            volunteer:V1  王秀英   25.00  0.00
            note: volunteer:V1: 20.00 信义币 of its balance expired on 2027-01-03: the balance still shows them until the nightly expiry takes them, but they cannot be spent

            """, "\(one)")
        let every = try cli.ok(["balance"])
        #expect(every.hasSuffix("""
            Sum of every account: 0.00 信义币, 0.00 CNY (every entry balances)
            Held by volunteers and households: 25.00 信义币

            """), "\(every)")
        #expect(every.hasPrefix("Account          Name                           信义币        CNY\n"), "\(every)")
        // Several named: the same table.
        #expect(try cli.ok(["balance", "V1", "V2"]).hasPrefix("Account       Name    信义币   CNY\n"))
        // What a program reads stays the asset's code.
        let json = try cli.ok(["balance", "V1", "--json"])
        #expect(json.contains("\"POINTS\": 25.00") && !json.contains("信义币"), "\(json)")
        // A station keeps no lots: its balance in words names the unit too.
        #expect(try cli.ok(["lots", "S1"]).contains("Its balance is 0.00 信义币 and 0.00 CNY"))
    }

    @Test("statement --asset 信义币, the name its first line gives the points, is refused with the code to write")
    func statementAssetByThePolicyName() throws {
        let cli = try CLIHarness()
        try cli.stations(policy: Self.trustCoinPolicy)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01"], CLIHarness.asAdmin)
        #expect(try cli.ok(["statement", "V1"]).hasPrefix("王秀英  (volunteer:V1)  信义币\n"))
        let named = cli.run(["statement", "V1", "--asset", "信义币"])
        #expect(named.exit == 2 && named.errors == "error[U001]: --asset must be POINTS or CNY, not \"信义币\"; for 信义币 write --asset POINTS\n",
                "\(named.errors)")
        // Another community's name is not this one's: no guess.
        let other = cli.run(["statement", "V1", "--asset", "时间币"])
        #expect(other.exit == 2 && other.errors == "error[U001]: --asset must be POINTS or CNY, not \"时间币\"\n", "\(other.errors)")
    }

    @Test("before any policy is active the points are called POINTS, as the asset is")
    func balanceBeforeAnyPolicy() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1", "--date", "2026-10-01"])
        #expect(try cli.ok(["balance", "V1"]) == """
            Account       Name    POINTS   CNY
            ------------  ------  ------  ----
            volunteer:V1  王秀英   20.00  0.00

            """)
        #expect(try cli.ok(["balance"]).hasSuffix("Held by volunteers and households: 20.00 POINTS\n"))
    }

    @Test("redeem, receipt list, refund, book, booking list, cancel, transfer and donate name the policy's unit")
    func stationCommandsNameThePolicyUnit() throws {
        // Noon of 2026-10-10 in UTC+8.
        let cli = try CLIHarness(now: Timestamp("2026-10-10T04:00:00.000Z")!)
        try cli.stations(policy: Self.trustCoinPolicy)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1"], CLIHarness.asOp1)
        let receipt = try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "r-1"], CLIHarness.asOp1)
        #expect(receipt.contains("信义币 Points     20.00"), "\(receipt)")
        try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "r-2"], CLIHarness.asOp1)

        let refund = try cli.ok(["refund", "R2", "--reason", "破损"], CLIHarness.asOp1)
        #expect(refund == "Refunded R2: 20.00 信义币 back to volunteer:V1, 1 biscuits back in stock at S1 (entry #6).\n", "\(refund)")

        let day = try cli.ok(["receipt", "list", "--station", "S1", "--date", "2026-10-10"])
        #expect(day == """
            Receipt  Date        Station  Volunteer    Item      Qty  信义币  Operator  Refund
            -------  ----------  -------  -----------  --------  ---  ------  --------  -------------------
            R1       2026-10-10  S1       王秀英 (V1)  饼干礼盒    1   20.00  op1
            R2       2026-10-10  S1       王秀英 (V1)  饼干礼盒    1   20.00  op1       refunded 2026-10-10
            2 receipts on 2026-10-10: 40.00 信义币; 1 refunds made that day: 20.00 信义币
            received on 2026-10-10 (receipts − refunds made that day, as `report stations` counts): 20.00 信义币

            """, "\(day)")
        #expect(try cli.ok(["receipt", "list"]).hasSuffix("2 receipts, 1 refunded; redeemed (net of refunds): 20.00 信义币\n"))

        let booked = try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-12",
                                 "--key", "bk-1"], CLIHarness.asOp1)
        #expect(booked.contains("\n  100.00 信义币 held from volunteer:V1 until 2026-10-13 00:00:00 (UTC+8)\n"), "\(booked)")
        #expect(try cli.ok(["booking", "list"]).hasPrefix("Booking  State  Day         Station  Volunteer  Item            信义币"))
        let cancelled = try cli.ok(["cancel", "B1", "--reason", "改期"], CLIHarness.asOp1)
        #expect(cancelled == "Booking B1 cancelled: 100.00 信义币 back to volunteer:V1, slot of 2026-10-12 freed.\n", "\(cancelled)")

        let given = try cli.ok(["transfer", "--from", "V1", "--to", "V2", "--points", "30", "--key", "g1"], CLIHarness.asOp1)
        #expect(given.hasPrefix("Transferred 30.00 信义币 from V1 to V2 (entry #"), "\(given)")
        let donated = try cli.ok(["donate", "--from", "V1", "--points", "15", "--key", "d1"], CLIHarness.asOp1)
        #expect(donated.hasPrefix("Donated 15.00 信义币 from V1 to the community pool (system:pool) (entry #"), "\(donated)")
        // --json keeps the asset's code and its keys.
        #expect(!(try cli.ok(["receipt", "list", "--json"])).contains("信义币"))
    }
}
