import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// Keys typed at the command line: the engine's own prefixes, spaces, and keys that read as numbers.
@Suite("CLI: keys typed at the counter and by the admin")
struct StationKeyCommandTests {
    /// 2026-10-10 10:00 in UTC+8, a station community with 300 points for V1 (born 1956).
    func counter() throws -> CLIHarness {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T02:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01"], CLIHarness.asAdmin)
        return cli
    }

    @Test("an admin's post or reverse under a key the engine needs (release:B1) is refused with L021; the cancel then works")
    func adminKeyReservedByEngine() throws {
        let cli = try counter()
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--key", "bk-1"], CLIHarness.asOp1)
        let entries = try cli.entryCount()
        let taken = cli.run(["post", "--from", "system:issuance", "--to", "V2", "--points", "1", "--key", "release:B1"],
                            environment: CLIHarness.asAdmin)
        #expect(taken.exit == 2)
        #expect(taken.errors.hasPrefix("error[L021]: the key \"release:B1\" starts with \"release:\""), "\(taken.errors)")
        #expect(taken.errors.contains("cancelled or lapses") && taken.errors.contains("\"fix-release-B1\""))
        let reversal = cli.run(["reverse", "1", "--key", "refund:R1", "--reason", "test"], environment: CLIHarness.asAdmin)
        #expect(reversal.exit == 2 && reversal.errors.hasPrefix("error[L021]"), "\(reversal.errors)")
        #expect(try cli.entryCount() == entries)
        let cancelled = try cli.ok(["cancel", "B1", "--reason", "改期"], CLIHarness.asOp1)
        #expect(cancelled.contains("100.00 积分 back to volunteer:V1"))
        #expect(try cli.ok(["stock", "verify"]).hasPrefix("OK"))
    }

    @Test("every --key is trimmed: a retry with a stray space finds the receipt, gift or stock operation; a blank key is refused")
    func keysTrimmed() throws {
        let cli = try counter()
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1"], CLIHarness.asOp1)
        let first = try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "S1-0001"], CLIHarness.asOp1)
        #expect(first.contains("Receipt R1"))
        for spaced in ["S1-0001 ", " S1-0001", "S1-0001\u{3000}", "\tS1-0001"] {
            let retry = try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", spaced], CLIHarness.asOp1)
            #expect(retry.hasPrefix("Already redeemed under this key"), "\(retry)")
        }
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 280.00"))   // charged once
        let entries = try cli.entryCount()
        for blank in ["   ", "\u{3000}"] {
            let refused = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", blank],
                                  environment: CLIHarness.asOp1)
            #expect(refused.exit == 2 && refused.errors.hasPrefix("error[L010]: invalid key: the key is empty"), "\(refused.errors)")
        }
        #expect(try cli.entryCount() == entries)
        try cli.ok(["transfer", "--from", "V1", "--to", "V2", "--points", "5", "--key", "g-1"], CLIHarness.asOp1)
        #expect(try cli.ok(["transfer", "--from", "V1", "--to", "V2", "--points", "5", "--key", "g-1 "], CLIHarness.asOp1)
            .hasPrefix("Already"))
        try cli.ok(["stock", "adjust", "--station", "S1", "--item", "biscuits", "--qty", "-1", "--reason", "damaged", "--key", "adj-1"],
                   CLIHarness.asOp1)
        try cli.ok(["stock", "adjust", "--station", "S1", "--item", "biscuits", "--qty", "-1", "--reason", "damaged", "--key", " adj-1"],
                   CLIHarness.asOp1)
        #expect(try cli.ok(["stock", "list", "--station", "S1", "--json"]).contains("\"quantity\": 3"))
        #expect(try cli.entryCount() == entries + 1)
    }

    @Test("redeem --key booking:KEY is refused (R026), so fulfilling that booking later writes its receipt")
    func bookingPrefixRefused() throws {
        let cli = try counter()
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--key", "bk-1"], CLIHarness.asOp1)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1"], CLIHarness.asOp1)
        let taken = cli.run(["redeem", "--station", "S1", "--volunteer", "V2", "--item", "biscuits", "--key", "booking:bk-1"],
                            environment: CLIHarness.asOp1)
        #expect(taken.exit == 2 && taken.errors.hasPrefix("error[R026]"), "\(taken.errors)")
        let fulfilled = try cli.ok(["fulfil", "B1"], CLIHarness.asOp1)
        #expect(fulfilled.contains("预约 Booking      B1"))
    }

    @Test("a key typed in full width that reads as a receipt number (Ｒ２, １２, number: 12) is R023; refund Ｒ１ is receipt 1")
    func fullWidthNumberKeys() throws {
        let cli = try counter()
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1"], CLIHarness.asOp1)
        try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "S1-0001"], CLIHarness.asOp1)
        for key in ["Ｒ２", "１２", "Ｂ７", "Ｒ12", "R１２", "#12", "number: 12"] {
            let refused = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", key],
                                  environment: CLIHarness.asOp1)
            #expect(refused.exit == 2 && refused.errors.hasPrefix("error[R023]"), "\(key): \(refused.errors)")
        }
        let refunded = try cli.ok(["refund", "Ｒ１", "--reason", "破损"], CLIHarness.asOp1)
        #expect(refunded.hasPrefix("Refunded R1:"), "\(refunded)")
    }
}

/// Lists of the counter that name a station or volunteer.
@Suite("CLI: station lists refuse an unknown station or volunteer")
struct StationListCommandTests {
    @Test("receipt list, booking list and stock history with an unknown station or volunteer: R019 / R006 with a did-you-mean")
    func unknownIds() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T02:00:00.000Z")!)
        try cli.stations()
        // Ｓ１ (full width, as a Chinese input method types it) and s1 are S1; S9 is as near to S1 as to S2: no guess.
        for station in ["Ｓ１", "s1"] {
            for arguments in [["receipt", "list", "--station", station], ["booking", "list", "--station", station],
                              ["stock", "history", "--station", station]] {
                let refused = cli.run(arguments)
                #expect(refused.exit == 2 && refused.errors.hasPrefix("error[R019]: no station \"\(station)\"; did you mean \"S1\"?"),
                        "\(refused.errors)")
                #expect(refused.output.isEmpty)
            }
        }
        let tied = cli.run(["receipt", "list", "--station", "S9"])
        #expect(tied.exit == 2 && tied.errors.hasPrefix("error[R019]: no station \"S9\"") && !tied.errors.contains("did you mean"), "\(tied.errors)")
        let volunteer = cli.run(["receipt", "list", "--volunteer", "Ｖ１"])
        #expect(volunteer.exit == 2 && volunteer.errors.hasPrefix("error[R006]: no volunteer \"Ｖ１\"; did you mean \"V1\"?"), "\(volunteer.errors)")
        #expect(try cli.ok(["receipt", "list", "--station", "S1", "--volunteer", "V1"]).contains("0 receipts"))
        #expect(try cli.ok(["booking", "list", "--station", "S2"]) == "No bookings at S2.\n")
        // An item typed wrong is R005 with a did-you-mean, not an empty history; a catalog item with no history yet is empty.
        let item = cli.run(["stock", "history", "--station", "S1", "--item", "rice_5gk"])
        #expect(item.exit == 2 && item.errors.hasPrefix("error[R005]: no catalog item \"rice_5gk\"") && item.errors.contains("\"rice_5kg\""),
                "\(item.errors)")
        #expect(try cli.ok(["stock", "history", "--item", "lantern"]).hasPrefix("#"))
        #expect(try cli.ok(["booking", "list", "--active"]) == "No booking is held.\n")
    }
}

@Suite("CLI: stock list flags low shelves by the catalog's low_stock")
struct StockListLowStockTests {
    @Test("stock list uses each item's low_stock, as report stations does; --low-at N overrides it for every item")
    func catalogLowStock() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T02:00:00.000Z")!)
        try cli.stations()
        let policy = stationCLIPolicy.replacingOccurrences(of: "version = 1\neffective = 2026-01-01", with: "version = 2\neffective = 2026-02-01")
            .replacingOccurrences(of: "limit = { count = 1, per = \"month\" }", with: "limit = { count = 1, per = \"month\" }\nlow_stock = 10")
        try cli.ok(["policy", "activate", try cli.write("policy-2.toml", policy)], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "8", "--key", "in-1"], CLIHarness.asOp1)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "8", "--key", "in-2"], CLIHarness.asOp1)
        let text = try cli.ok(["stock", "list", "--station", "S1"])
        #expect(text.contains("S1       rice_5kg  大米 5kg        8  LOW (low_stock 10)\n"), "\(text)")
        #expect(text.contains("S1       biscuits  饼干礼盒        8\n"), "\(text)")
        #expect(text.contains("3 shelves, 1 low or out (LOW: at or below each item's low_stock, 5 when not set); "
                              + "1 not stocked yet (never delivered to the station)\n"), "\(text)")
        let json = try cli.ok(["stock", "list", "--station", "S1", "--json"])
        #expect(json.contains("\"item\": \"rice_5kg\",\n    \"label\": \"大米 5kg\",\n    \"quantity\": 8,\n    \"low_stock\": 10,\n    \"flag\": \"LOW\""),
                "\(json)")
        #expect(json.contains("\"quantity\": 8,\n    \"low_stock\": 5,\n    \"flag\": null"), "\(json)")   // a shelf that is fine
        let overridden = try cli.ok(["stock", "list", "--station", "S1", "--low-at", "5"])
        #expect(overridden.contains("0 low or out (LOW: at most 5 left)"), "\(overridden)")
    }

    @Test("an item never delivered to a station is 'not stocked yet', not OUT, as report stations leaves it out of low stock; one sold out is OUT")
    func neverStockedIsNotOut() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T02:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "2", "--key", "in-1"], CLIHarness.asOp1)
        try cli.ok(["stock", "adjust", "--station", "S1", "--item", "biscuits", "--qty", "-2", "--reason", "damaged", "--key", "adj-1",
                    "--note", "受潮"], CLIHarness.asOp1)
        let text = try cli.ok(["stock", "list", "--station", "S1"])
        #expect(text.contains(" biscuits  饼干礼盒        0  OUT\n"), "\(text)")
        #expect(text.contains(" rice_5kg  大米 5kg        0  not stocked yet\n"), "\(text)")
        #expect(text.contains("3 shelves, 1 low or out (LOW: at most 5 left); 2 not stocked yet (never delivered to the station)"), "\(text)")
        let json = try cli.ok(["stock", "list", "--station", "S1", "--json"])
        #expect(json.contains("\"item\": \"rice_5kg\",\n    \"label\": \"大米 5kg\",\n    \"quantity\": 0,\n    \"low_stock\": 5,\n"
                              + "    \"flag\": null,\n    \"stocked\": false"), "\(json)")
        #expect(json.contains("\"quantity\": 0,\n    \"low_stock\": 5,\n    \"flag\": \"OUT\",\n    \"stocked\": true"), "\(json)")
        // report stations agrees: the sold-out biscuits are its one low item; rice, never delivered, is not.
        let report = try cli.ok(["report", "stations", "--from", "2026-10-10", "--to", "2026-10-10"])
        #expect(report.contains("  S1 biscuits 饼干礼盒: 0 left\n") && !report.contains("rice_5kg"), "\(report)")
    }
}

@Suite("CLI: O003 and O004 name what was refused")
struct AccessMessageTests {
    @Test("O003 names the action refused (setting another's PIN, expiring bookings); O004 for s01 or Ｓ０１ says ids are case-sensitive and half-width")
    func refusedActionNamed() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T02:00:00.000Z")!)
        try cli.stations()
        let pin = cli.run(["operator", "pin", "--for", "op2"], environment: CLIHarness.asOp1.merging(["TIMEBANK_NEW_PIN": "4714"]) { $1 })
        #expect(pin.exit == 1 && pin.errors.hasPrefix("error[O003]: op1 is an operator and may not set another operator's PIN: "
                                                       + "only an admin may (ask one to do it)"), "\(pin.errors)")
        let expire = cli.run(["booking", "expire"], environment: CLIHarness.asAuditor)
        #expect(expire.exit == 1 && expire.errors.hasPrefix("error[O003]: audit is an auditor and may not release lapsed bookings (an auditor only reads): an operator or an admin may"), "\(expire.errors)")
        #expect(try cli.ok(["booking", "expire"], CLIHarness.asOp1).hasPrefix("No lapsed bookings."))
        // In another case, or in full width as a Chinese input method types it, their own station's id is named.
        for typed in ["s1", "Ｓ１"] {
            let lower = cli.run(["stock", "receive", "--station", typed, "--item", "biscuits", "--qty", "1", "--key", "in-1"],
                                environment: CLIHarness.asOp1)
            #expect(lower.exit == 1 && lower.errors.hasPrefix("error[O004]: op1 works at station S1, and station ids are case-sensitive "
                                                               + "and typed in half-width characters: \"\(typed)\" is not S1; give --station S1"),
                    "\(lower.errors)")
        }
        let other = cli.run(["stock", "receive", "--station", "S2", "--item", "biscuits", "--qty", "1", "--key", "in-1"],
                            environment: CLIHarness.asOp1)
        #expect(other.errors.hasPrefix("error[O004]: op1 works at station S1, not S2 (rule: operators act only at their own station)"))
    }
}

@Suite("CLI: did-you-mean for what counter staff type")
struct CounterTypingTests {
    @Test("an item's exact label is the item; part of a label, a volunteer's name or a full-width id suggest the id; --qty takes full-width digits")
    func suggestions() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T02:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01"], CLIHarness.asAdmin)
        func redeem(_ volunteer: String, _ item: String, _ quantity: String = "1", key: String) -> CLIHarness.Result {
            cli.run(["redeem", "--station", "S1", "--volunteer", volunteer, "--item", item, "--qty", quantity, "--key", key],
                    environment: CLIHarness.asOp1)
        }
        // An item's exact label is the item (the shelf is empty, so the stock check answers, naming its id); part of one suggests it.
        #expect(redeem("V1", "饼干礼盒", key: "k1").errors.hasPrefix("error[R002]: S1 has 0 of biscuits, 1 wanted"))
        #expect(redeem("V1", "大米 5kg", key: "k1").errors.hasPrefix("error[R002]: S1 has 0 of rice_5kg, 1 wanted"))
        #expect(redeem("V1", "大米5kg", key: "k1").errors.hasPrefix("error[R002]: S1 has 0 of rice_5kg, 1 wanted"))
        #expect(redeem("V1", "饼干", key: "k1").errors.hasPrefix("error[R005]: no catalog item \"饼干\" in the policy in force; did you mean \"biscuits\"?"))
        #expect(redeem("王秀英", "biscuits", key: "k1").errors.hasPrefix("error[R006]: no volunteer \"王秀英\"; did you mean \"V1\"?"))
        #expect(redeem("Ｖ１", "biscuits", key: "k1").errors.hasPrefix("error[R006]: no volunteer \"Ｖ１\"; did you mean \"V1\"?"))
        #expect(cli.run(["receipt", "list", "--volunteer", "王秀英"]).errors.contains("did you mean \"V1\"?"))
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "５", "--key", "in-1"], CLIHarness.asOp1)
        let three = redeem("V1", "biscuits", "３", key: "k1")
        #expect(three.exit == 0 && three.output.contains("饼干礼盒 × 3"), "\(three.errors)")
    }

    @Test("a name two volunteers share: R006 names both ids with household, birth year and teams, so the operator can ask")
    func namesakes() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T02:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["volunteer", "add", "--id", "V3", "--name", "王秀英", "--birth", "1971-01-28", "--teams", "red",
                    "--joined", "2024-05-01"], CLIHarness.asAdmin)
        let result = cli.run(["redeem", "--station", "S1", "--volunteer", "王秀英", "--item", "biscuits", "--key", "k1"],
                             environment: CLIHarness.asOp1)
        #expect(result.exit == 2)
        #expect(result.errors.hasPrefix("error[R006]: no volunteer \"王秀英\"; 2 volunteers are named \"王秀英\": "
                                        + "V1 (household H1, born 1956, teams orange/purple), V3 (no household, born 1971, team red); "
                                        + "ask which one it is and give their id"), "\(result.errors)")
        // Part of two names (王秀 of 王秀英 and 王秀兰): each, with what tells them apart, and the list by name.
        try cli.ok(["volunteer", "add", "--id", "V4", "--name", "王秀兰", "--joined", "2024-05-01"], CLIHarness.asAdmin)
        let part = cli.run(["redeem", "--station", "S1", "--volunteer", "王秀", "--item", "biscuits", "--key", "k1"], environment: CLIHarness.asOp1)
        #expect(part.exit == 2)
        #expect(part.errors == "error[R006]: no volunteer \"王秀\"; \"王秀\" is part of 3 volunteers' names: V1 王秀英 (household H1, born 1956, "
                + "teams orange/purple), V3 王秀英 (no household, born 1971, team red), V4 王秀兰 (no household); ask which one it is and give "
                + "their id (`timebank volunteer list --name 王秀` lists them)\n", "\(part.errors)")
    }

    @Test("a station typed by its name: an operator's O004 and an admin's R019 name the id to give, in --json too; nothing is written")
    func stationByName() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T02:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1",
                    "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1"], CLIHarness.asOp1)
        let entries = try cli.entryCount()
        let own = "太白湖区第一志愿服务积分兑换站"
        func redeem(at station: String, _ environment: [String: String], json: Bool = false) -> CLIHarness.Result {
            cli.run(["redeem", "--station", station, "--volunteer", "V1", "--item", "biscuits", "--key", "k1"] + (json ? ["--json"] : []),
                    environment: environment)
        }
        // op1 works at S1: its name is told as its id; the name of S2 is S2, which is not op1's.
        let byName = redeem(at: own, CLIHarness.asOp1)
        #expect(byName.exit == 1 && byName.errors == "error[O004]: \"\(own)\" is the name of station S1, where op1 works; a station is "
                    + "given by its id: give --station S1; nothing was written\n", "\(byName.errors)")
        #expect(redeem(at: "太白湖区 第一志愿服务积分兑换站", CLIHarness.asOp1).errors.contains("give --station S1"))
        let other = redeem(at: "第二兑换站", CLIHarness.asOp1)
        #expect(other.errors == "error[O004]: op1 works at station S1, not S2 (\"第二兑换站\" is the name of station S2; rule: operators "
                    + "act only at their own station); nothing was written\n", "\(other.errors)")
        let json = redeem(at: own, CLIHarness.asOp1, json: true)
        #expect(json.exit == 1 && json.output.contains("\"code\": \"O004\"") && json.output.contains("give --station S1"), "\(json.output)")
        #expect(cli.run(["book", "--station", own, "--volunteer", "V1", "--item", "health_check", "--key", "b1"],
                        environment: CLIHarness.asOp1).errors.contains("give --station S1"))
        #expect(cli.run(["stock", "receive", "--station", own, "--item", "biscuits", "--qty", "1", "--key", "in-2"],
                        environment: CLIHarness.asOp1).errors.contains("give --station S1"))
        #expect(cli.run(["stock", "move", "--from", own, "--to", "S2", "--item", "biscuits", "--qty", "1", "--key", "mv-1"],
                        environment: CLIHarness.asOp1).errors.contains("give --station S1"))
        // An admin may act anywhere: R019 says which id the name is.
        let admin = redeem(at: own, CLIHarness.asAdmin)
        #expect(admin.exit == 2 && admin.errors.hasPrefix("error[R019]: no station \"\(own)\"; did you mean \"S1\"?"), "\(admin.errors)")
        let adminJSON = redeem(at: "第二兑换站", CLIHarness.asAdmin, json: true)
        #expect(adminJSON.exit == 2 && adminJSON.output.contains("\"code\": \"R019\"") && adminJSON.output.contains("did you mean \\\"S2\\\"?"),
                "\(adminJSON.output)")
        #expect(cli.run(["receipt", "list", "--station", "第二兑换站"]).errors.contains("did you mean \"S2\"?"))
        #expect(cli.run(["operator", "add", "--id", "op9", "--name", "九", "--role", "operator", "--station", "第二兑换站"],
                        environment: CLIHarness.asAdmin.merging(["TIMEBANK_NEW_PIN": "9419"]) { $1 }).errors.contains("did you mean \"S2\"?"))
        #expect(try cli.entryCount() == entries)
    }
}
