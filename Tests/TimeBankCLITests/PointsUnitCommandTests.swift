import Foundation
import Testing
import TimeBankCore
@testable import TimeBankCLI
import TimeBankStorage

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

    @Test("post and reverse name the policy's unit and each account's holder on their posting lines; --json keeps POINTS")
    func postAndReverseNameThePolicyUnit() throws {
        let cli = try CLIHarness()
        try cli.stations(policy: Self.trustCoinPolicy)
        let award = try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                                "--date", "2026-10-01"], CLIHarness.asAdmin)
        #expect(award.hasSuffix(" (award) key a1\n"
            + "  volunteer:V1     王秀英 (V1)           +20.00 信义币\n"
            + "  system:issuance  Points issued (发放)  -20.00 信义币\n"), "\(award)")
        // A retry says the same, and so does a reversal.
        #expect(try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                            "--date", "2026-10-01"], CLIHarness.asAdmin).hasSuffix("王秀英 (V1)           +20.00 信义币\n  system:issuance  Points issued (发放)  -20.00 信义币\n"))
        let reversal = try cli.ok(["reverse", "a1", "--key", "fix-1", "--reason", "wrong volunteer"], CLIHarness.asAdmin)
        #expect(reversal.contains(" (reversal) key fix-1\n"
            + "  volunteer:V1     王秀英 (V1)           -20.00 信义币\n"
            + "  system:issuance  Points issued (发放)  +20.00 信义币\n"), "\(reversal)")
        // Money stays CNY; --json keeps the asset's code.
        let money = try cli.ok(["post", "--from", "system:outside", "--to", "fund:main", "--cny", "12.50", "--kind", "fund", "--key", "c1"],
                               CLIHarness.asAdmin)
        #expect(money.hasSuffix("+12.50 CNY\n  system:outside  Money in and out of the books  -12.50 CNY\n") && !money.contains("信义币"), "\(money)")
        let json = try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "5", "--kind", "award", "--key", "a2", "--json"],
                              CLIHarness.asAdmin)
        #expect(json.contains("\"asset\": \"POINTS\"") && !json.contains("信义币"), "\(json)")
    }

    /// An auditor listing entries sees what each moved, without opening each one: of the account listed, its change; of the
    /// whole ledger, the amount moved (what the credits add up to), in the policy's unit, CNY for money.
    @Test("entry list shows each entry's amount: the account's change with --account, the amount moved without")
    func entryListAmounts() throws {
        let cli = try CLIHarness()
        try cli.stations(policy: Self.trustCoinPolicy)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["reverse", "a1", "--key", "fix-1", "--reason", "wrong volunteer"], CLIHarness.asAdmin)
        try cli.ok(["post", "--from", "system:outside", "--to", "fund:main", "--cny", "12.50", "--kind", "fund", "--key", "c1"], CLIHarness.asAdmin)
        let all = try cli.ok(["entry", "list"])
        #expect(all.contains("""
               #2  2026-10-01  award     20.00 信义币  a1
               #3  2027-01-05  reversal  20.00 信义币  fix-1              wrong volunteer
               #4  2027-01-05  fund         12.50 CNY  c1

            """), "\(all)")
        let own = try cli.ok(["entry", "list", "--account", "V1"])
        #expect(own == """
            Entry  Date        Kind             Amount  Key    Memo
            -----  ----------  --------  -------------  -----  ---------------
               #2  2026-10-01  award     +20.00 信义币  a1
               #3  2027-01-05  reversal  -20.00 信义币  fix-1  wrong volunteer

            """, "\(own)")
        #expect(!own.contains("CNY"), "\(own)")
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
            2 receipts on 2026-10-10: 40.00 信义币; 1 refund made that day: 20.00 信义币
            received on 2026-10-10 (receipts − refunds made that day, as `report stations` counts): 20.00 信义币

            """, "\(day)")
        #expect(try cli.ok(["receipt", "list"]).hasSuffix("2 receipts, 1 refunded; redeemed (net of refunds): 20.00 信义币\n"))

        let booked = try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-12",
                                 "--key", "bk-1"], CLIHarness.asOp1)
        #expect(booked.contains("\n  100.00 信义币 held from volunteer:V1 until 2026-10-13 00:00:00 (UTC+8)\n"), "\(booked)")
        #expect(try cli.ok(["booking", "list"]).hasPrefix("Booking  State  Day         Station  Volunteer    Item            信义币"))
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

/// The refusals a clerk or an admin reads (R001, R017, L012) and the texts that name the points as a noun (household
/// and volunteer show, score, explain, whatif, settle, the ranking, the fund report) use the policy's unit too.
struct PointsUnitMessageTests {
    @Test("R001 at the counter and R017 name the policy's unit, in the text and in --json's message; the codes stay")
    func refusalsNameThePolicyUnit() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T04:00:00.000Z")!)
        try cli.stations(policy: PointsUnitCommandTests.trustCoinPolicy)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "30", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "5", "--key", "in-1"], CLIHarness.asOp1)
        let short = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--key", "r-1"], environment: CLIHarness.asOp1)
        #expect(short.exit == 1)
        #expect(short.errors == "error[R001]: volunteer:V1 can spend 30.00 信义币, the redemption costs 60.00; 30.00 more 信义币 are needed\n",
                "\(short.errors)")
        let json = cli.run(["--json", "redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--key", "r-1"],
                           environment: CLIHarness.asOp1)
        #expect(json.output.contains("\"code\": \"R001\"") && json.output.contains("30.00 more 信义币 are needed"), "\(json.output)")
        let limit = cli.run(["transfer", "--from", "V1", "--to", "V2", "--points", "60", "--key", "g1"], environment: CLIHarness.asOp1)
        #expect(limit.exit == 1 && limit.errors.hasPrefix("error[R017]: V1 may give 50.00 信义币 a month and gave 0.00 this month;"),
                "\(limit.errors)")
    }

    @Test("L012 names the policy's unit, and says points before any policy is active")
    func expiredLotRefusalNamesTheUnit() throws {
        for (policy, unit) in [(PointsUnitCommandTests.trustCoinPolicy, "信义币"), (nil, "points")] {
            let cli = try CLIHarness()   // today is 2027-01-05
            if let policy { try cli.stations(policy: policy) } else { try cli.community() }
            let admin = policy == nil ? [:] : CLIHarness.asAdmin
            try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "20", "--kind", "award", "--key", "a1",
                        "--date", "2026-10-01", "--expires", "2027-01-03"], admin)
            let spent = cli.run(["post", "--from", "V1", "--to", "system:adjustments", "--points", "5", "--kind", "adjustment",
                                 "--key", "d1", "--memo", "更正"], environment: admin)
            #expect(spent.exit == 1 && spent.errors.hasPrefix("error[L012]: volunteer:V1 could spend only 0.00 \(unit) on 2027-01-05, "
                + "the date of this entry; 5.00 are needed. 20.00 \(unit) of its balance expired on 2027-01-03:"), "\(spent.errors)")
        }
    }

    @Test("household show and volunteer show name the points as the policy does, and say Points before any policy")
    func showNamesTheUnit() throws {
        let named = try CLIHarness()
        try named.stations(policy: PointsUnitCommandTests.trustCoinPolicy)
        let household = try named.ok(["household", "show", "H1"])
        #expect(household.contains("\n信义币:   0.00 (household account)\nMember  Name    信义币\n"), "\(household)")
        #expect(try named.ok(["volunteer", "show", "V1"]).contains("\n信义币:    0.00\n"))
        let plain = try CLIHarness()
        try plain.community()
        let before = try plain.ok(["household", "show", "H1"])
        #expect(before.contains("\nPoints:   0.00 (household account)\nMember  Name    Points\n"), "\(before)")
    }

    @Test("score, settle, explain, whatif, the ranking and the fund report name the policy's unit; --json and CSV keep their keys")
    func scoringAndReportsNameTheUnit() throws {
        let cli = try CLIHarness()
        try cli.stations(policy: PointsUnitCommandTests.trustCoinPolicy)
        let policy = try cli.write("trust.toml", PointsUnitCommandTests.trustCoinPolicy)
        let records = try cli.write("october.csv", "id,volunteer,category,date,minutes,verifier\nr1,V1,orange,2026-10-03,90,张主任\n")
        let scored = try cli.ok(["score", "--policy", policy, records, "--explain"])
        #expect(scored.contains("  = 18.00 信义币 (earned 18.00, capped 0.00, taken 0.00)\n"), "\(scored)")
        #expect(scored.contains("Total: 18.00 信义币 for 1 record"), "\(scored)")
        #expect(!scored.contains("Points"), "\(scored)")
        let whatif = try cli.ok(["whatif", "--policy", policy, "--against", policy, records])
        #expect(whatif.contains("Total: 18.00 → 18.00 信义币, change"), "\(whatif)")

        try cli.ok(["record", "import", records], CLIHarness.asAdmin)
        let settled = try cli.ok(["settle", "--date", "2026-10-03"], CLIHarness.asAdmin)
        #expect(settled.contains("  posted:   1 record: 1 award (18.00 信义币), 0 penalties (0.00 信义币)\n"), "\(settled)")
        let explained = try cli.ok(["explain", "r1"])
        #expect(explained.hasSuffix("  = 18.00 信义币 (earned 18.00, capped 0.00, taken 0.00)\n"), "\(explained)")

        let ranking = try cli.ok(["report", "ranking", "--from", "2026-10-01", "--to", "2026-10-31"])
        #expect(ranking.hasPrefix("排行榜 Ranking by 信义币, top 10, 2026-10-01 – 2026-10-31\n\nRank  Volunteer  Name    信义币"), "\(ranking)")
        #expect(try cli.ok(["report", "ranking", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "csv"])
            .hasPrefix("rank,volunteer,name,points,minutes,hours\n"))
        let fund = try cli.ok(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31"])
        #expect(fund.contains("\n信义币 outstanding at the end of 2026-10-31: 18.00\n"), "\(fund)")
        #expect(try cli.ok(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]).contains("\"points_outstanding\""))
        // The notice residents read and the stations' summary: the column (and the notice's Chinese title) name the unit.
        let expiring = try cli.ok(["report", "expiring", "--as-of", "2026-10-03", "--within", "3660"])
        #expect(expiring.hasPrefix("信义币到期提醒 Points expiring "), "\(expiring)")
        #expect(expiring.contains("Household  信义币  Lots"), "\(expiring)")
        #expect(try cli.ok(["report", "stations", "--from", "2026-10-01", "--to", "2026-10-31"]).contains("Items out  信义币  Low stock"))
        #expect(try cli.ok(["report", "expiring", "--as-of", "2026-10-03", "--format", "csv"]).hasPrefix("expires_on,account,name,household,points,lots\n"))
        // The lists head their points column with the unit too.
        let volunteers = try cli.ok(["volunteer", "list"]), stations = try cli.ok(["station", "list"])
        let team = try cli.ok(["team", "show", "orange"])
        #expect(volunteers.hasPrefix("ID  Name    Household  Teams          信义币\n"), "\(volunteers)")
        #expect(stations.hasPrefix("ID  Name                            Community  信义币\n"), "\(stations)")
        #expect(team.contains("Member  Name    Household  信义币\n"), "\(team)")
        // A policy without levels: volunteer show says nothing of levels.
        #expect(!(try cli.ok(["volunteer", "show", "V1"])).contains("Level:"))
        let list = try cli.ok(["record", "list"])
        #expect(list.hasPrefix("Record  Date        Time  Volunteer  Category  Minutes  Verifier  Status            信义币\n"), "\(list)")
    }

    /// The nightly settlement worked out each volunteer's star level (星级志愿者) and nothing showed it.
    @Test("volunteer show gives the star level of the last settled night and what is still to go for the next one; --json too")
    func volunteerShowsTheStarLevel() throws {
        let cli = try CLIHarness()
        let policy = PointsUnitCommandTests.trustCoinPolicy + "\n[levels.star1]\nlabel = \"一星志愿者\"\nmin_hours = 1\n\n[levels.star2]\nlabel = \"二星志愿者\"\nmin_hours = 5\n"
        try cli.stations(policy: policy)
        let records = try cli.write("october.csv", "id,volunteer,category,date,minutes,verifier\nr1,V1,orange,2026-10-03,90,张主任\n")
        try cli.ok(["record", "import", records], CLIHarness.asAdmin)
        try cli.ok(["settle", "--date", "2026-10-03"], CLIHarness.asAdmin)
        // 90 minutes ≥ 1 hour: 一星 from the 3rd; 5 hours − 1 h 30 min = 3 h 30 min to 二星.
        let first = try cli.ok(["volunteer", "show", "V1"])
        #expect(first.contains("信义币:    18.00\nLevel:     一星志愿者 (star1) since 2026-10-03\n"
                               + "Served:    1 h 30 min in posted records; 3 h 30 min more for 二星志愿者 (star2)\n"), "\(first)")
        let second = try cli.ok(["volunteer", "show", "V2"])
        #expect(second.contains("Level:     none yet\nServed:    0 min in posted records; 1 h more for 一星志愿者 (star1)\n"), "\(second)")
        let json = try cli.ok(["volunteer", "show", "V1", "--json"])
        #expect(json.contains("""
              "level": {
                "id": "star1",
                "label": "一星志愿者",
                "since": "2026-10-03"
              },
              "next_level": {
                "id": "star2",
                "label": "二星志愿者",
                "measure": "minutes",
                "needed": 300,
                "now": 90
              },
            """), "\(json)")
        #expect(try cli.ok(["volunteer", "show", "V2", "--json"]).contains("\"level\": null,"))
        // The list gives each one's level, and --level (its id or label) lists who holds it.
        let list = try cli.ok(["volunteer", "list"])
        #expect(list.hasPrefix("ID  Name    Household  Teams          Level       信义币\n"), "\(list)")
        #expect(list.contains("V1  王秀英  H1         orange,purple  一星志愿者   18.00\n") && list.contains("V2  Li      -                         -             0.00\n"),
                "\(list)")
        let stars = try cli.ok(["volunteer", "list", "--level", "一星志愿者"])
        #expect(stars.contains("V1  王秀英") && !stars.contains("V2") && stars.hasSuffix("1 volunteer\n"), "\(stars)")
        #expect(try cli.ok(["volunteer", "list", "--level", "star2"]).hasSuffix("0 volunteers\n"))
        let unknown = cli.run(["volunteer", "list", "--level", "三星"])
        #expect(unknown.exit == 2 && unknown.errors.contains("its levels are star1 (一星志愿者), star2 (二星志愿者)"), "\(unknown.errors)")
        #expect(try cli.ok(["volunteer", "list", "--json"]).contains("\"level\": {\n      \"id\": \"star1\""))
        // The month's changes as a report, with how many hold each level at its end.
        let report = try cli.ok(["report", "levels", "--to", "2026-10-31"])
        #expect(report.hasPrefix("星级志愿者 Star levels, 2026-10-01 – 2026-10-31\n"), "\(report)")
        #expect(report.contains("2026-10-03  V1         王秀英        一星志愿者 (star1)  reached       90   1.50"), "\(report)")
        #expect(report.contains("Held at the end of 2026-10-31: 一星志愿者 (star1) 1;"), "\(report)")
        let csv = try cli.ok(["report", "levels", "--to", "2026-10-31", "--format", "csv"])
        #expect(csv.hasPrefix("date,volunteer,name,from_level,to_level,change,minutes,hours\n2026-10-03,V1,王秀英,,一星志愿者 (star1),reached,90,1.50\n"),
                "\(csv)")
        #expect(try cli.ok(["report", "levels", "--to", "2026-10-31", "--json"]).contains("\"Held at the end of 2026-10-31: 一星志愿者 (star1) 1;"))
        // Before the 3rd nobody held a level.
        #expect(try cli.ok(["report", "levels", "--from", "2026-10-01", "--to", "2026-10-02"]).contains("Held at the end of 2026-10-02: none;"))
        // Levels by points say what was earned, in the policy's unit; the top level has nothing more to go.
        let byPoints = PolicyLoader.load(text: PointsUnitCommandTests.trustCoinPolicy + "\n[levels.star1]\nlabel = \"一星\"\nmin_points = 100\n", path: "p.toml").policy
        let earned = VolunteerShowCommand.starLevelLines(VolunteerStarLevel(level: nil, since: nil, measure: .points, value: 2_550),
                                                         policy: byPoints, unit: "信义币")
        #expect(earned == ["Level:     none yet", "Earned:    25.50 信义币 in posted awards; 74.50 信义币 more for 一星 (star1)"], "\(earned)")
        let top = VolunteerShowCommand.starLevelLines(VolunteerStarLevel(level: "star1", since: LocalDate("2026-10-03"), measure: .points, value: 12_000),
                                                      policy: byPoints, unit: "信义币")
        #expect(top == ["Level:     一星 (star1) since 2026-10-03", "Earned:    120.00 信义币 in posted awards; the top level"], "\(top)")
        // A record withdrawn since the last night: the total is below the level held until the next night says so.
        let below = VolunteerShowCommand.starLevelLines(VolunteerStarLevel(level: "star1", since: LocalDate("2026-10-03"), measure: .points, value: 9_000),
                                                        policy: byPoints, unit: "信义币")
        #expect(below == ["Level:     一星 (star1) since 2026-10-03", "Earned:    90.00 信义币 in posted awards; below what 一星 (star1) needs "
                          + "(100.00 信义币) since the last settled night: the next one works the level out again"], "\(below)")
    }

    @Test("the fund report before any policy says Points outstanding, as it did")
    func fundReportBeforeAnyPolicy() throws {
        let cli = try CLIHarness()
        try cli.community()
        let fund = try cli.ok(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31"])
        #expect(fund.contains("\nPoints outstanding at the end of 2026-10-31: 0.00\n"), "\(fund)")
    }
}
