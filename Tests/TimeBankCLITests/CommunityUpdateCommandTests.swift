import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

@Suite("Community update commands")
struct CommunityUpdateCommandTests {
    @Test("volunteer update: a rename and a move, said field by field; show lists the changes; a retry writes nothing")
    func volunteerUpdate() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["household", "add", "--id", "H2", "--name", "李家"])
        let renamed = try cli.ok(["volunteer", "update", "V1", "--name", "王晓英", "--reason", "姓名录入错误"])
        #expect(renamed == "Updated volunteer V1:\n  name: 王秀英 → 王晓英\n")
        let moved = try cli.ok(["volunteer", "update", "V1", "--household", "H2", "--teams", "purple,orange", "--tags", "", "--reason", "搬到李家"])
        #expect(moved == "Updated volunteer V1:\n  household: H1 → H2\n  tags: 党员 → none\nLeft as it was: teams is orange;purple already.\n")
        let retry = try cli.ok(["volunteer", "update", "V1", "--household", "H2", "--reason", "搬到李家"])
        #expect(retry == "Nothing changed: volunteer V1's household is H2 already; nothing was written.\n")
        let show = try cli.ok(["volunteer", "show", "V1"])
        #expect(show.contains("Household: H2"))
        #expect(show.contains("Latest changes (--history for all):"))
        #expect(show.contains("Teams:     orange 橙色关怀, purple 紫色便民"))   // the same teams in another order: the stored order stays
        #expect(show.contains("household  H1      H2      tester  搬到李家"))
        let json = try cli.ok(["--json", "volunteer", "update", "V1", "--no-household", "--reason", "独居"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let change = try #require((object["changes"] as? [[String: Any]])?.first)
        #expect(change["field"] as? String == "household" && change["old"] as? String == "H2" && change["new"] as? String == "")
        #expect(change["actor"] as? String == "tester" && change["reason"] as? String == "独居")
        // A household left without members says so, with how one joins it (it printed the table's header alone).
        let empty = try cli.ok(["household", "show", "H2"])
        #expect(empty.contains("Members:  none (a volunteer joins with: timebank volunteer update ID --household H2 --reason TEXT)\n"), "\(empty)")
        #expect(!empty.contains("Member  Name"))
    }

    @Test("the last member moved out of a household holding points: a note names the points no one can spend and the post that moves them")
    func lastMemberLeavesPoints() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["household", "add", "--id", "H2", "--name", "李家"])
        try cli.ok(["volunteer", "add", "--id", "V3", "--name", "李华", "--household", "H2", "--joined", "2024-05-01"])
        try cli.ok(["volunteer", "add", "--id", "V4", "--name", "李梅", "--household", "H2", "--joined", "2024-05-01"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "H2", "--points", "30", "--kind", "award", "--key", "award-h2"])
        // V4 stays in H2: its members still spend its points.
        #expect(try cli.ok(["volunteer", "update", "V3", "--household", "H1", "--reason", "搬到王家"])
            == "Updated volunteer V3:\n  household: H2 → H1\n")
        let last = try cli.ok(["volunteer", "update", "V4", "--household", "H1", "--reason", "搬到王家"])
        #expect(last == "Updated volunteer V4:\n  household: H2 → H1\n"
            + "note: household H2 李家 has no members now, and its 30.00 POINTS stay in household:H2: no one can redeem them at a "
            + "counter, and they expire with their lots; to move them, an admin posts `timebank post --from household:H2 "
            + "--to household:H1 --points 30.00 --kind adjustment --key KEY --memo TEXT`\n")
        // H1 holds no points: its last member leaving says nothing more. Under --json the note goes to stderr.
        try cli.ok(["volunteer", "update", "V3", "--household", "H2", "--reason", "搬回"])
        try cli.ok(["volunteer", "update", "V4", "--household", "H2", "--reason", "搬回"])
        #expect(try cli.ok(["volunteer", "update", "V1", "--no-household", "--reason", "独居"]) == "Updated volunteer V1:\n  household: H1 → none\n")
        try cli.ok(["volunteer", "update", "V3", "--no-household", "--reason", "独居"])
        let json = cli.run(["--json", "volunteer", "update", "V4", "--no-household", "--reason", "独居"])
        #expect(json.exit == 0)
        #expect(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) is [String: Any])
        #expect(json.errors.hasPrefix("note: household H2 李家 has no members now, and its 30.00 POINTS stay in household:H2"))
        #expect(json.errors.contains("`timebank post --from household:H2 --to ACCOUNT --points 30.00 --kind adjustment"))
    }

    @Test("the last member moved out of a household whose points are held by a booking: the note names the booking, whose points would come back there")
    func lastMemberLeavesABooking() throws {
        // Noon of 2026-10-10 in UTC+8; the policy earns to households, so V1's booking is paid from household:H1.
        let cli = try CLIHarness(now: Timestamp("2026-10-10T04:00:00.000Z")!)
        try cli.stations(policy: stationCLIPolicy + "\n\n[accounts]\nearn_to = \"household\"\n")
        try cli.ok(["post", "--from", "system:issuance", "--to", "H1", "--points", "100", "--kind", "award", "--key", "a1", "--date", "2026-10-01"],
                   CLIHarness.asAdmin)
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-12", "--key", "bk-1"], CLIHarness.asOp1)
        #expect(try cli.ok(["balance", "H1", "--json"]).contains("\"POINTS\": 0.00"))
        let moved = try cli.ok(["volunteer", "update", "V1", "--no-household", "--reason", "独居"], CLIHarness.asAdmin)
        #expect(moved == "Updated volunteer V1:\n  household: H1 → none\n"
            + "note: household H1 王家 has no members now: its booking B1 (100.00) still holds 积分 that come back to household:H1 if it is "
            + "cancelled or lapses, where no one can redeem them: fulfil it, or move the points after\n", "\(moved)")
    }

    @Test("volunteer show of a member, when the policy earns to households, names the household's points the counter spends")
    func volunteerShowNamesHouseholdPoints() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["post", "--from", "system:issuance", "--to", "H1", "--points", "81", "--kind", "award", "--key", "award-h1"])
        // Before a policy earns to households, the volunteer's own account is all there is.
        #expect(try cli.ok(["volunteer", "show", "V1"]).contains("Points:    0.00\n"))
        try cli.ok(["policy", "activate", ScoringCommandTests.repositoryRoot + "/config/examples/xinyi-village.toml"])
        #expect(try cli.ok(["volunteer", "show", "V1"])
            .contains("信义币:    0.00 (own account); the counter spends household H1 王家's 81.00: `timebank lots H1`\n"))
        // A volunteer without a household spends their own account: nothing more to say.
        #expect(try cli.ok(["volunteer", "show", "V2"]).contains("信义币:    0.00\n"))
    }

    @Test("refusals name what and where, exit 2, and write nothing", arguments: [
        (["volunteer", "update", "v1", "--name", "x", "--reason", "r"], "error[C003]: no volunteer \"v1\"; did you mean \"V1\"?\n"),
        (["volunteer", "update", "V1", "--household", "h1", "--reason", "r"], "error[C003]: no household \"h1\"; did you mean \"H1\"?\n"),
        (["volunteer", "update", "V1", "--name", "王晓英"], "error[C009]: a change to volunteer V1 needs a reason (--reason \"...\"), kept with the change for good; nothing was written\n"),
        (["volunteer", "update", "V1", "--reason", "r"], "error[C008]: nothing to change for volunteer V1: give at least one of name, household, teams, tags, birth_date, joined; nothing was written\n"),
        (["volunteer", "update", "V1", "--birth-date", "2030-01-01", "--reason", "r"], "error[C004]: invalid birth date \"2030-01-01\": it is in the future\n"),
        (["volunteer", "update", "V1", "--joined", "2062-10-01", "--reason", "r"],
         "error[C004]: invalid joined \"2062-10-01\": it is in the future: the day of joining is the day they registered, today or before\n"),
        (["volunteer", "update", "V1", "--household", "H1", "--no-household", "--reason", "r"], "error[U001]: give --household H or --no-household, not both\n"),
        (["household", "update", "H1", "--name", "", "--reason", "r"], "error[C004]: invalid name \"\": it is empty\n"),
        (["station", "update", "S9", "--name", "新站", "--reason", "r"], "error[C003]: no station \"S9\"; did you mean \"S1\"?\n"),
        // An unknown id is said before "nothing to change" (C008), with the id it most likely means, for every update.
        (["household", "update", "H9", "--reason", "x"], "error[C003]: no household \"H9\"; did you mean \"H1\"?\n"),
        (["volunteer", "update", "v1", "--reason", "x"], "error[C003]: no volunteer \"v1\"; did you mean \"V1\"?\n"),
        (["station", "update", "S9", "--reason", "x"], "error[C003]: no station \"S9\"; did you mean \"S1\"?\n"),
        (["team", "update", "orang"], "error[C003]: no team \"orang\"; did you mean \"orange\"?\n"),
    ])
    func refusals(arguments: [String], expected: String) throws {
        let cli = try CLIHarness()
        try cli.community()
        let result = cli.run(arguments)
        #expect(result.exit == 2)
        #expect(result.errors == expected)
        #expect(try TimeBankStore(path: cli.databasePath).communityChanges().isEmpty)
    }

    @Test("show and update told a name where the id belongs give the id to write, of their own kind only", arguments: [
        (["volunteer", "show", "王秀英"], "error[C003]: no volunteer \"王秀英\"; \"王秀英\" is the name of volunteer:V1; write its id: V1\n"),
        (["household", "show", "王家"], "error[C003]: no household \"王家\"; \"王家\" is the name of household:H1; write its id: H1\n"),
        (["station", "show", "太白湖区第一志愿服务积分兑换站"],
         "error[C003]: no station \"太白湖区第一志愿服务积分兑换站\"; \"太白湖区第一志愿服务积分兑换站\" is the name of station:S1; write its id: S1\n"),
        (["team", "show", "橙色关怀"], "error[C003]: no team \"橙色关怀\"; \"橙色关怀\" is the name of team \"orange\": write its id, orange\n"),
        (["volunteer", "update", "王秀英", "--tags", "党员", "--reason", "r"],
         "error[C003]: no volunteer \"王秀英\"; \"王秀英\" is the name of volunteer:V1; write its id: V1\n"),
        (["volunteer", "update", "V1", "--household", "王家", "--reason", "r"],
         "error[C003]: no household \"王家\"; \"王家\" is the name of household:H1; write its id: H1\n"),
        (["household", "update", "王家", "--address", "泰山路14号", "--reason", "r"],
         "error[C003]: no household \"王家\"; \"王家\" is the name of household:H1; write its id: H1\n"),
        (["household", "show", "Ｈ１"], "error[C003]: no household \"Ｈ１\"; did you mean \"H1\"? It was typed in full-width characters or with spaces\n"),
        // A name one character off (a middle dot typed as •, a homophone) is said as a question, never taken for the id.
        (["volunteer", "show", "王秀音"], "error[C003]: no volunteer \"王秀音\"; did you mean 王秀英 (volunteer:V1)? Check with the person, then write the id\n"),
        // Another kind's name is not offered: `household show` cannot take a volunteer's id.
        (["household", "show", "王秀英"], "error[C003]: no household \"王秀英\"\n"),
        (["volunteer", "show", "王家"], "error[C003]: no volunteer \"王家\"\n"),
        // Part of a name (the given name a resident gives, 秀英 of 王秀英): the volunteer whose name holds it, to check.
        (["volunteer", "show", "秀英"],
         "error[C003]: no volunteer \"秀英\"; \"秀英\" is part of the name of volunteer:V1 (王秀英); if that is the person, write its id: V1\n"),
        (["household", "update", "王", "--address", "泰山路14号", "--reason", "r"], "error[C003]: no household \"王\"\n"),
    ])
    func nameForID(arguments: [String], expected: String) throws {
        try refusals(arguments: arguments, expected: expected)   // exit 2, exactly that error, nothing changed
    }

    /// A resident or a paper form gives the name someone had before a correction (钱多多, renamed 钱少少): the answer is
    /// whose name it was, when it changed and the name now, with the id to write; never taken for the id.
    @Test("a name before its correction gives whose it was, the name now and the id to write")
    func formerName() throws {
        let cli = try CLIHarness()
        try cli.community()
        try cli.ok(["volunteer", "update", "V1", "--name", "王晓英", "--reason", "姓名录入错误"])
        try cli.ok(["household", "update", "H1", "--name", "王氏之家", "--reason", "户名更正"])
        for arguments in [["volunteer", "show", "王秀英"], ["balance", "王秀英"], ["statement", "王秀英"]] {
            let result = cli.run(arguments)
            #expect(result.exit == 2, "\(arguments)")
            #expect(result.errors.contains("\"王秀英\" was the name of volunteer:V1 until 2027-01-05 (now 王晓英); write its id: V1\n"),
                    "\(result.errors)")
        }
        let household = cli.run(["household", "show", "王家"])
        #expect(household.errors.contains("\"王家\" was the name of household:H1 until "), "\(household.errors)")
        #expect(household.errors.contains("(now 王氏之家); write its id: H1\n"), "\(household.errors)")
        // Only the kind asked for: a household's former name is no volunteer's.
        #expect(cli.run(["volunteer", "show", "王家"]).errors == "error[C003]: no volunteer \"王家\"\n")
        // A former name that is someone's name now is that person's (the name now comes first).
        try cli.ok(["volunteer", "add", "--id", "V9", "--name", "王秀英"])
        #expect(cli.run(["balance", "王秀英"]).errors.contains("\"王秀英\" is the name of volunteer:V9; write its id: V9"))
    }

    @Test("an operator or an auditor may not update the community (O003); an admin may, and is recorded", arguments: [
        ["volunteer", "update", "V1", "--name", "王晓英", "--reason", "r"],
        ["household", "update", "H1", "--address", "新地址", "--reason", "r"],
        ["station", "update", "S1", "--name", "新站", "--reason", "r"],
        ["team", "update", "orange", "--label", "care and visits", "--reason", "r"],
    ])
    func adminOnly(arguments: [String]) throws {
        let cli = try CLIHarness()
        try cli.stations()
        for role in [CLIHarness.asOp1, CLIHarness.asAuditor] {
            let refused = cli.run(arguments, environment: role)
            #expect(refused.exit == 1)
            #expect(refused.errors.hasPrefix("error[O003]: "))
        }
        #expect(try TimeBankStore(path: cli.databasePath).communityChanges().isEmpty)
        let done = cli.run(arguments, environment: CLIHarness.asAdmin)
        #expect(done.exit == 0, "\(done.errors)")
        #expect(try TimeBankStore(path: cli.databasePath).communityChanges().map(\.actor) == ["admin"])
    }

    @Test("station show: details, points and the latest changes; --history lists them all")
    func stationShow() throws {
        let cli = try CLIHarness()
        try cli.community()
        for number in 1...6 {
            try cli.ok(["station", "update", "S1", "--address", "太白湖路\(number)号", "--reason", "第\(number)次搬迁"])
        }
        let latest = try cli.ok(["station", "show", "S1"])
        #expect(latest.hasPrefix("Station S1  太白湖区第一志愿服务积分兑换站\nAddress:   太白湖路6号\n"))
        #expect(!latest.contains("第1次搬迁"))
        #expect(latest.contains("第2次搬迁") && latest.contains("第6次搬迁"))
        #expect(try cli.ok(["station", "show", "S1", "--history"]).contains("第1次搬迁"))
        #expect(cli.run(["station", "show", "s1"]).errors == "error[C003]: no station \"s1\"; did you mean \"S1\"?\n")
    }
    @Test("--no-birth-date removes a birth date; with --birth-date it is a usage error; --joined changes the day of joining")
    func birthDateAndJoined() throws {
        let cli = try CLIHarness()
        try cli.community()
        let removed = try cli.ok(["volunteer", "update", "V1", "--no-birth-date", "--reason", "本人未提供"])
        #expect(removed == "Updated volunteer V1:\n  birth_date: 1956-03-08 → none\n")
        #expect(try cli.ok(["volunteer", "show", "V1"]).contains("Born:      -\n"))
        let both = cli.run(["volunteer", "update", "V1", "--no-birth-date", "--birth-date", "1956-03-08", "--reason", "r"])
        #expect(both.exit == 2 && both.errors == "error[U001]: give --birth-date D or --no-birth-date, not both\n")
        let joined = try cli.ok(["volunteer", "update", "V1", "--joined", "2023-03-01", "--reason", "入队日期录错"])
        #expect(joined == "Updated volunteer V1:\n  joined: 2024-05-01 → 2023-03-01\n")
        #expect(try cli.ok(["volunteer", "show", "V1"]).contains("Joined:    2023-03-01\n"))
        let bad = cli.run(["volunteer", "update", "V1", "--joined", "2023-02-30", "--reason", "r"])
        #expect(bad.exit == 2 && bad.errors.hasPrefix("error["))
    }

    @Test("the history's At column is the local time, as receipts print it; --json keeps the stored UTC time")
    func historyAtLocalTime() throws {
        let cli = try CLIHarness()   // the clock: 2027-01-05 02:00:00 UTC, a second later at each reading
        try cli.community()
        try cli.ok(["station", "update", "S1", "--address", "太白湖路8号", "--reason", "搬迁"])
        let shown = try cli.ok(["station", "show", "S1"])
        #expect(shown.contains("2027-01-05 10:00:"), "\(shown)")
        #expect(shown.contains("(UTC+8)  address"))
        #expect(!shown.contains("T02:00"))
        let elsewhere = cli.run(["station", "show", "S1"], environment: ["TIMEBANK_UTC_OFFSET_MINUTES": "-300"])
        #expect(elsewhere.output.contains("2027-01-04 21:00:") && elsewhere.output.contains("(UTC-5)"))
        let json = try cli.ok(["--json", "station", "show", "S1"])
        #expect(json.contains("\"at\": \"2027-01-05T02:00:"))
    }

    @Test("an actor from $TIMEBANK_ACTOR over 100 characters or on two lines is refused (C013), nothing written")
    func actorFromEnvironment() throws {
        let cli = try CLIHarness()
        try cli.community()   // no operator: the actor is $TIMEBANK_ACTOR
        for actor in [String(repeating: "x", count: 101), "ad\nmin"] {
            let result = cli.run(["volunteer", "update", "V1", "--name", "王晓英", "--reason", "r"], environment: ["TIMEBANK_ACTOR": actor])
            #expect(result.exit == 2)
            #expect(result.errors.hasPrefix("error[C013]: the actor \""))
            #expect(result.errors.contains("set TIMEBANK_ACTOR to 1 to 100 characters on one line; nothing was written"))
        }
        #expect(try TimeBankStore(path: cli.databasePath).communityChanges().isEmpty)
        #expect(try TimeBankStore(path: cli.databasePath).volunteer("V1")?.name == "王秀英")
    }
}
