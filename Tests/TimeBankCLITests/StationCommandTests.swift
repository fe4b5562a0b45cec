import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// The test policy of the CLI: rice (goods, once a month), biscuits (goods), a health check (service, 60 and over).
let stationCLIPolicy = """
    [policy]
    id = "cli-stations"
    version = 1
    effective = 2026-01-01

    [categories.orange]
    points_per_hour = 12

    [transfers]
    enabled = true
    max_points_per_month = 50

    [catalog.rice_5kg]
    label = "大米 5kg"
    kind = "goods"
    price = 60
    unit_cost = 30
    limit = { count = 1, per = "month" }

    [catalog.biscuits]
    label = "饼干礼盒"
    kind = "goods"
    price = 20
    unit_cost = 10

    [catalog.lantern]
    label = "灯笼"
    kind = "goods"
    price = 10

    [catalog.health_check]
    label = "老年人健康体检"
    kind = "service"
    price = 100
    eligible = 'volunteer.age >= 60'
    capacity_per_day = 1
    """

extension CLIHarness {
    /// `community()` plus station S2, the test policy (or `policy`), and operators made through the library with few PBKDF2
    /// iterations (the CLI checks them the same way): admin (PIN 9000), op1 at S1 (1111), op2 at S2 (2222), audit (3333).
    func stations(policy: String = stationCLIPolicy) throws {
        try community()
        try ok(["station", "add", "--id", "S2", "--name", "第二兑换站"])
        try ok(["policy", "activate", try write("policy.toml", policy)])
        let store = try TimeBankStore(path: databasePath, clock: clock)
        try store.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "9000", by: nil, iterations: 10)
        let admin = try store.signIn(operatorID: "admin", pin: "9000")
        try store.addOperator(Operator(id: "op1", name: "张敏", role: .operator, station: "S1"), pin: "1471", by: admin, iterations: 10)
        try store.addOperator(Operator(id: "op2", name: "刘强", role: .operator, station: "S2"), pin: "2582", by: admin, iterations: 10)
        try store.addOperator(Operator(id: "audit", name: "审计", role: .auditor, station: nil), pin: "3693", by: admin, iterations: 10)
        // Money for the deliveries: `stock receive` refuses one the fund cannot pay without --reason (F016).
        try store.donate(donor: "街道办", amount: 1_000_000, date: LocalDate("2026-01-01")!, key: "fixture-fund", actor: "admin")
    }

    static let asAdmin = ["TIMEBANK_OPERATOR": "admin", "TIMEBANK_PIN": "9000"]
    static let asOp1 = ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_PIN": "1471"]
    static let asOp2 = ["TIMEBANK_OPERATOR": "op2", "TIMEBANK_PIN": "2582"]
    static let asAuditor = ["TIMEBANK_OPERATOR": "audit", "TIMEBANK_PIN": "3693"]

    /// Runs a command that must succeed.
    @discardableResult
    func ok(_ arguments: [String], _ environment: [String: String]) throws -> String {
        let result = run(arguments, environment: environment)
        guard result.exit == 0 else {
            throw UsageError("timebank \(arguments.joined(separator: " ")) exited \(result.exit): \(result.errors)")
        }
        return result.output
    }

    func entryCount() throws -> Int64 { try TimeBankStore(path: databasePath).head().count }
}

@Suite("Stations at the command line")
struct StationCommandTests {
    /// Goods counted fewer than received were paid for by the fund: a count-correction that takes them off says how the
    /// money comes back if they never arrived; damaged or lost goods (the fund's loss) and a correction upward do not.
    @Test("stock adjust --reason count-correction of fewer goods notes that the fund paid for them and how an admin records money back")
    func countCorrectionNotesTheFund() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "20", "--key", "in-1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        let fewer = try cli.ok(["stock", "adjust", "--station", "S1", "--item", "biscuits", "--qty", "-18", "--reason", "count-correction",
                                "--key", "adj-1", "--date", "2026-10-02"], CLIHarness.asAdmin)
        #expect(fewer.hasSuffix("""
              note: the fund paid for these goods when they were received
                if they never arrived and the supplier pays back, an admin records the money (docs/fund.md):
                timebank post --from system:outside --to fund:main --cny AMOUNT --kind adjustment --key KEY

            """), "\(fewer)")
        for (quantity, reason, key) in [("-1", "damaged", "adj-2"), ("1", "count-correction", "adj-3")] {
            let other = try cli.ok(["stock", "adjust", "--station", "S1", "--item", "biscuits", "--qty", quantity, "--reason", reason,
                                    "--key", key, "--date", "2026-10-02"], CLIHarness.asAdmin)
            #expect(!other.contains("note: the fund paid"), "\(reason) \(quantity): \(other)")
        }
    }

    @Test("an operator of station S1 cannot redeem at S2; nothing is written")
    func wrongStation() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "100", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S2", "--item", "biscuits", "--qty", "5", "--key", "in-1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        let entries = try cli.entryCount()
        // A unit cost that is too large says so, not that it is malformed.
        let huge = cli.run(["stock", "receive", "--station", "S2", "--item", "biscuits", "--qty", "5", "--key", "in-2",
                            "--unit-cost", "100000000000000"], environment: CLIHarness.asAdmin)
        #expect(huge.exit == 2)
        #expect(huge.errors.hasPrefix("error[K007]: unit cost \"100000000000000\" is beyond the largest amount"))
        let refused = cli.run(["redeem", "--station", "S2", "--volunteer", "V1", "--item", "biscuits", "--key", "S2-0001", "--date", "2026-10-08"],
                              environment: CLIHarness.asOp1)
        #expect(refused.exit == 1)
        #expect(refused.errors == "error[O004]: op1 works at station S1, not S2 (rule: operators act only at their own station); nothing was written\n")
        #expect(try cli.entryCount() == entries)
        // op2 works at S2.
        let done = cli.run(["redeem", "--station", "S2", "--volunteer", "V1", "--item", "biscuits", "--key", "S2-0001", "--date", "2026-10-08"],
                           environment: CLIHarness.asOp2)
        #expect(done.exit == 0)
        #expect(done.output.contains("兑换凭证 Receipt R1"))
        #expect(done.output.contains("余额 Balance      80.00"))
        #expect(done.output.contains("操作员 Operator   刘强 (op2)"))
    }

    /// A resident gives the counter the name on an old card (王秀英, corrected since to 王晓英): the refusal says whose name it
    /// was, when it changed and the name now, with the id to give, as `volunteer show` does (C003); never taken for the id.
    @Test("redeem for a volunteer's name before its correction says whose it was and the id to give (R006); nothing written")
    func formerNameAtTheCounter() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["volunteer", "update", "V1", "--name", "王晓英", "--reason", "姓名录入错误"], CLIHarness.asAdmin)
        let entries = try cli.entryCount()
        let refused = cli.run(["redeem", "--station", "S1", "--volunteer", "王秀英", "--item", "biscuits", "--key", "S1-0001"],
                              environment: CLIHarness.asOp1)
        #expect(refused.exit == 2)
        #expect(refused.errors.hasPrefix("error[R006]: no volunteer \"王秀英\"; \"王秀英\" was the name of V1 until 2027-01-05 (now 王晓英): "
                                         + "if that is the person, give V1"), "\(refused.errors)")
        #expect(try cli.entryCount() == entries)
        // A former name that is someone's name now is that person's: the usual did-you-mean.
        try cli.ok(["volunteer", "add", "--id", "V9", "--name", "王秀英"], CLIHarness.asAdmin)
        let now = cli.run(["redeem", "--station", "S1", "--volunteer", "王秀英", "--item", "biscuits", "--key", "S1-0001"],
                          environment: CLIHarness.asOp1)
        #expect(now.errors.hasPrefix("error[R006]: no volunteer \"王秀英\"; did you mean \"V9\"?"), "\(now.errors)")
    }

    @Test("an auditor can read but not write", arguments: [
        ["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "S1-0001", "--date", "2026-10-08"],
        ["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-9"],
        ["transfer", "--from", "V1", "--to", "V2", "--points", "1", "--key", "t1"],
        ["post", "--from", "system:issuance", "--to", "V1", "--points", "100", "--kind", "award", "--key", "a9", "--date", "2026-10-01"],
        ["station", "add", "--id", "S9", "--name", "新站"],
        ["operator", "add", "--id", "op9", "--name", "九", "--role", "operator", "--station", "S1"],
    ])
    func auditorCannotWrite(arguments: [String]) throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "100", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        let entries = try cli.entryCount()
        let refused = cli.run(arguments, environment: CLIHarness.asAuditor.merging(["TIMEBANK_NEW_PIN": "4714"]) { $1 })
        #expect(refused.exit == 1)
        #expect(refused.errors.hasPrefix("error[O003]: audit is an auditor and may not "))
        #expect(refused.errors.contains(" (an auditor only reads): "))
        #expect(refused.errors.hasSuffix(" may (ask one to do it); nothing was written\n"))
        #expect(!refused.errors.contains("may not \(arguments.prefix(2).joined(separator: " "))"), "names the action in words, not the command: \(refused.errors)")
        #expect(try cli.entryCount() == entries)
        #expect(try TimeBankStore(path: cli.databasePath).stations().count == 2)
        #expect(try TimeBankStore(path: cli.databasePath).operators().count == 4)
        // Reading is fine.
        #expect(cli.run(["balance", "V1"], environment: CLIHarness.asAuditor).exit == 0)
        #expect(cli.run(["stock", "list"], environment: CLIHarness.asAuditor).exit == 0)
    }

    @Test("a quantity too large for a number is called too large, not 'not a whole number'")
    func hugeQuantity() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let huge = cli.run(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "99999999999999999999", "--key", "in-1"],
                           environment: ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_PIN": "1471"])
        #expect(huge.exit == 2)
        #expect(huge.errors == "error[U001]: --qty \"99999999999999999999\" is far too large for a quantity (a station moves at most 1000000 "
                    + "at once, a redemption at most 1000)\n")
        #expect(cli.run(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "2.5", "--key", "in-2"],
                        environment: ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_PIN": "1471"]).errors.contains("is not a whole number"))
        #expect(try TimeBankStore(path: cli.databasePath).stockLevels().isEmpty)
    }

    @Test("K001 says what each stock command accepts: 1 to 1000000 for a delivery or a move, either sign for an adjustment")
    func quantityRanges() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let negative = cli.run(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "-3", "--key", "in-1"], environment: CLIHarness.asOp1)
        #expect(negative.exit == 2)
        #expect(negative.errors == "error[K001]: quantity -3 is not allowed: give a whole number from 1 to 1000000\n")
        let zero = cli.run(["stock", "move", "--from", "S1", "--to", "S2", "--item", "biscuits", "--qty", "0", "--key", "mv-1"], environment: CLIHarness.asOp1)
        #expect(zero.errors == "error[K001]: quantity 0 is not allowed: give a whole number from 1 to 1000000\n")
        let adjust = cli.run(["stock", "adjust", "--station", "S1", "--item", "biscuits", "--qty", "0", "--reason", "count-correction",
                              "--key", "adj-1"], environment: CLIHarness.asOp1)
        #expect(adjust.errors == "error[K001]: quantity 0 is not allowed: give a whole number from -1000000 to 1000000, other than 0 "
                    + "(negative takes stock away)\n")
        #expect(try cli.entryCount() == 1)   // the fixture's donation
    }

    @Test("a wrong PIN is refused with the same message as an unknown operator")
    func wrongPIN() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let command = ["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1"]
        let wrongPIN = cli.run(command, environment: ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_PIN": "1112"])
        let unknown = cli.run(command, environment: ["TIMEBANK_OPERATOR": "op7", "TIMEBANK_PIN": "1471"])
        #expect(wrongPIN.exit == 1 && unknown.exit == 1)
        #expect(wrongPIN.errors == "error[O001]: operator or PIN not recognised; nothing was done\n")
        #expect(unknown.errors == wrongPIN.errors)
        #expect(unknown.output == wrongPIN.output)
        // No key: what it is for.
        let noKey = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits"], environment: CLIHarness.asOp1)
        #expect(noKey.exit == 2 && noKey.errors.hasPrefix("error[U001]: missing --key: give this write a key of your own (at a counter the station and a running number, such as S01-0001;"),
                "\(noKey.errors)")
        // No PIN and no terminal: O002, exit 2, and nothing is asked.
        let noPIN = cli.run(command, environment: ["TIMEBANK_OPERATOR": "op1"])
        #expect(noPIN.exit == 2 && noPIN.errors.hasPrefix("error[O002]"))
        // No operator named: O009.
        #expect(cli.run(command, environment: ["TIMEBANK_PIN": "1471"]).errors.hasPrefix("error[O009]"))
        #expect(try TimeBankStore(path: cli.databasePath).stockLevels().isEmpty)
    }

    @Test("five wrong PINs lock the sign-in (O012) at the command line; spaces around an operator id are not part of it")
    func lockedAfterWrongPINs() throws {
        let cli = try CLIHarness()
        try cli.stations()
        let command = ["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1"]
        // A copied `export TIMEBANK_OPERATOR="op1 "` signs in as op1.
        #expect(cli.run(command, environment: ["TIMEBANK_OPERATOR": "op1 ", "TIMEBANK_PIN": "1471"]).exit == 0)
        for _ in 1...5 {
            #expect(cli.run(command, environment: ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_PIN": "1112"]).errors.hasPrefix("error[O001]"))
        }
        let locked = cli.run(command, environment: ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_PIN": "1471"])
        #expect(locked.exit == 1 && locked.errors.hasPrefix("error[O012]: the sign-in of \"op1\" is locked after 5 wrong PINs"), "\(locked.errors)")
        // The admin sets a new PIN; op1 works again at once.
        try cli.ok(["operator", "pin", "--for", "op1"], CLIHarness.asAdmin.merging(["TIMEBANK_NEW_PIN": "4391"]) { $1 })
        #expect(cli.run(command, environment: ["TIMEBANK_OPERATOR": "op1", "TIMEBANK_PIN": "4391"]).exit == 0)
    }

    @Test("a PIN typed as an option is refused saying where a PIN goes, and never repeated back", arguments: [
        ["stock", "receive", "--pin", "1471", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1"],
        ["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1", "--PIN=1111"],
        ["--pin", "1471", "stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1"],
        ["operator", "pin", "--new-pin", "1471"],
    ])
    func pinOnTheCommandLine(arguments: [String]) throws {
        let cli = try CLIHarness()
        try cli.stations()
        let refused = cli.run(arguments, environment: ["TIMEBANK_OPERATOR": "op1"])
        #expect(refused.exit == 2)
        #expect(refused.errors == "error[U001]: a PIN is never given on the command line, where `ps` and the shell history would show it: set "
                + "TIMEBANK_PIN (a new PIN: TIMEBANK_NEW_PIN), or run the command in a terminal to be asked for it; nothing was done\n",
                "\(refused.errors)")
        #expect(try TimeBankStore(path: cli.databasePath).stockMovements(station: "S1", item: "biscuits").isEmpty)
    }

    @Test("init with TIMEBANK_PIN creates the first admin; afterwards community and ledger changes need an admin's PIN")
    func initCreatesAdmin() throws {
        let cli = try CLIHarness()
        let created = cli.run(["init", "--json"], environment: ["TIMEBANK_PIN": "482916"])
        #expect(created.exit == 0)
        #expect(created.output.contains("\"admin_created\": \"admin\""))
        let store = try TimeBankStore(path: cli.databasePath)
        #expect(try store.operators() == [Operator(id: "admin", name: "管理员", role: .admin, station: nil)])
        let hash = try store.database.statement("SELECT pin_hash FROM operators").first { $0.text(0) } ?? ""
        #expect(hash.hasPrefix("pbkdf2-sha256$\(PINCredential.defaultIterations)$") && !hash.contains("482916"))

        let unsigned = cli.run(["station", "add", "--id", "S1", "--name", "第一站"])
        #expect(unsigned.exit == 2 && unsigned.errors.hasPrefix("error[O009]"))
        try cli.ok(["station", "add", "--id", "S1", "--name", "第一站", "--operator", "admin"], ["TIMEBANK_PIN": "482916"])
        try cli.ok(["volunteer", "add", "--id", "V1", "--name", "王秀英", "--joined", "2024-05-01"], ["TIMEBANK_OPERATOR": "admin", "TIMEBANK_PIN": "482916"])
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "5", "--kind", "award", "--key", "a1", "--date", "2026-10-01"],
                   ["TIMEBANK_OPERATOR": "admin", "TIMEBANK_PIN": "482916", "TIMEBANK_ACTOR": "somebody"])
        // The signed-in admin is recorded as the actor, not $TIMEBANK_ACTOR.
        #expect(try TimeBankStore(path: cli.databasePath).entry(sequence: 1)?.actor == "admin")
        // Running init again changes nothing.
        #expect(cli.run(["init"], environment: ["TIMEBANK_PIN": "000000"]).output.contains("Nothing changed"))
        #expect(try TimeBankStore(path: cli.databasePath).operatorCount() == 1)
    }

    @Test("init with an unusable PIN or admin id creates no file: nothing is left behind to pass for a store")
    func initRefusedLeavesNothing() throws {
        let cli = try CLIHarness()
        let shortPIN = cli.run(["init"], environment: ["TIMEBANK_PIN": "12"])
        #expect(shortPIN.exit == 2 && shortPIN.errors.hasPrefix("error[O005]"))
        #expect(!FileManager.default.fileExists(atPath: cli.databasePath))
        // A PIN a guesser tries first, for the admin who may do everything.
        let guessable = cli.run(["init"], environment: ["TIMEBANK_PIN": "1111"])
        #expect(guessable.exit == 2, "\(guessable.errors)")
        #expect(guessable.errors == "error[O005]: unusable PIN: it is one character repeated (such as 0000 or 1111), which a guesser tries first\n")
        #expect(!FileManager.default.fileExists(atPath: cli.databasePath))
        let badID = cli.run(["init", "--admin", "a b"], environment: ["TIMEBANK_PIN": "482916"])
        #expect(badID.exit == 2 && badID.errors.hasPrefix("error[O008]"))
        #expect(!FileManager.default.fileExists(atPath: cli.databasePath))
        #expect(cli.run(["init"], environment: ["TIMEBANK_PIN": "482916"]).exit == 0)
    }

    @Test("init without a PIN or a terminal creates no admin and says how to add one")
    func initWithoutPIN() throws {
        let cli = try CLIHarness()
        let output = try cli.ok(["init"])
        #expect(output.contains("No operator yet"))
        #expect(output.contains("timebank operator add --id admin --name 管理员 --role admin"))
        // Station work needs an operator: O007 says how to make the first admin.
        let refused = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "x", "--key", "k"], environment: CLIHarness.asAdmin)
        #expect(refused.exit == 2 && refused.errors.hasPrefix("error[O007]"))
        try cli.ok(["operator", "add", "--id", "admin", "--name", "管理员", "--role", "admin"], ["TIMEBANK_PIN": "482916"])
        #expect(try TimeBankStore(path: cli.databasePath).operators().map(\.id) == ["admin"])
    }

    @Test("redeem prints the receipt; a retry prints it again and changes nothing; refusals exit 1 with their code")
    func redeemAtTheCounter() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "100", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "2", "--supplier", "粮油店", "--key", "in-1",
                    "--date", "2026-10-01"], CLIHarness.asOp1)
        let redeem = ["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--key", "S1-0001", "--date", "2026-10-08"]
        let first = try cli.ok(redeem, CLIHarness.asOp1)
        #expect(first.contains("物品 Item         大米 5kg × 1"))
        #expect(first.contains("积分 Points       60.00"))
        let entries = try cli.entryCount()
        // A delivery sent again with another --date and a reason it did not need: the operation keeps its own, and says so.
        let stockAgain = try cli.ok(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "2", "--supplier", "粮油店", "--key", "in-1",
                                     "--date", "2026-10-02", "--reason", "急需"], CLIHarness.asOp1)
        #expect(stockAgain.hasPrefix("Already recorded as stock operation #1: left as it was, on 2026-10-01 with no reason; "
                                     + "--date 2026-10-02 and --reason 急需 were not kept\n"), "\(stockAgain)")
        let retry = try cli.ok(redeem, CLIHarness.asOp1)
        #expect(retry.hasPrefix("Already redeemed under this key (same content)"))
        #expect(try cli.entryCount() == entries)
        let json = try cli.ok(redeem + ["--json"], CLIHarness.asOp1)
        #expect(json.contains("\"outcome\": \"exists\"") && json.contains("\"balance_after\": 40.00") && json.contains("\"receipt\": \"R1\""))
        // Sent again with another --date, by another operator of the station: the day and the operator are not compared, so the
        // receipt keeps its own and the retry says which were not kept (it said "same content" and dropped them before).
        let otherDay = try cli.ok(Array(redeem.dropLast()) + ["2026-10-09"], CLIHarness.asAdmin)
        #expect(otherDay.hasPrefix("Already redeemed under this key: left as it was, on 2026-10-08 by op1; --date 2026-10-09 and the operator "
                                   + "admin were not kept. The original receipt, nothing changed.\n"), "\(otherDay)")
        #expect(try cli.entryCount() == entries)

        let limit = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--key", "S1-0002", "--date", "2026-10-09"],
                            environment: CLIHarness.asOp1)
        #expect(limit.exit == 1 && limit.errors.hasPrefix("error[R003]") && limit.errors.contains("resets on 2026-11-01"))
        let reused = cli.run(["redeem", "--station", "S1", "--volunteer", "V2", "--item", "rice_5kg", "--key", "S1-0001", "--date", "2026-10-08"],
                             environment: CLIHarness.asOp1)
        #expect(reused.exit == 1 && reused.errors.hasPrefix("error[R008]"))
        let listed = try cli.ok(["receipt", "list", "--station", "S1", "--date", "2026-10-08"])
        #expect(listed.contains("1 receipt on 2026-10-08: 60.00 积分; 0 refunds made that day: 0.00 积分"))
        #expect(listed.contains("received on 2026-10-08 (receipts − refunds made that day, as `report stations` counts): 60.00 积分"))
        let refund = try cli.ok(["refund", "R1", "--reason", "米袋破损", "--date", "2026-10-09"], CLIHarness.asOp1)
        #expect(refund.contains("Refunded R1: 60.00 积分 back to volunteer:V1, 1 rice_5kg back in stock at S1"))
        #expect(!refund.contains("Already"))
        // Sent again after a timeout: a retry, and it says so (the text and --json), as a retried redeem does.
        let entriesAfterRefund = try cli.entryCount()
        let again = try cli.ok(["refund", "S1-0001", "--reason", "米袋破损", "--date", "2026-10-09"], CLIHarness.asOp1)
        #expect(again.hasPrefix("Already refunded (same reason): nothing changed. R1 was refunded on 2026-10-09 by op1:\nRefunded R1: 60.00"))
        #expect(try cli.ok(["refund", "R1", "--reason", "米袋破损", "--json"], CLIHarness.asOp1).contains("\"outcome\": \"exists\""))
        // Sent again by another operator with another day: the refund stands as it was, and the answer says what was not kept.
        let byAdmin = try cli.ok(["refund", "R1", "--reason", "米袋破损", "--date", "2026-10-08"], CLIHarness.asAdmin)
        #expect(byAdmin.hasPrefix("Already refunded (same reason): nothing changed. R1 was refunded on 2026-10-09 by op1 "
            + "(--date 2026-10-08 and the operator admin were not kept):\n"), "\(byAdmin)")
        #expect(try cli.entryCount() == entriesAfterRefund)
        // The closing lists count the refund on the day it was made, as the station report does: the 8th's total stays.
        let eighth = try cli.ok(["receipt", "list", "--station", "S1", "--date", "2026-10-08"])
        #expect(eighth.contains("as `report stations` counts): 60.00") && eighth.contains("refunded on a later day, and counted on that day: R1 (2026-10-09)"))
        let ninth = try cli.ok(["receipt", "list", "--station", "S1", "--date", "2026-10-09"])
        #expect(ninth.contains("Refunded on 2026-10-09, redeemed on an earlier day:\nReceipt"), "\(ninth)")
        #expect(ninth.contains("0 receipts on 2026-10-09: 0.00 积分; 1 refund made that day: 60.00 积分"))
        #expect(ninth.contains("as `report stations` counts): -60.00"))
        // A list cut at --limit says that its totals count only what it shows.
        // The 8th has one receipt: --limit 1 lists it all, and says nothing; the station has more: --limit 1 cuts it.
        let exact = try cli.ok(["receipt", "list", "--station", "S1", "--date", "2026-10-08", "--limit", "1"])
        #expect(!exact.contains("Only the newest"), "\(exact)")
        #expect(!eighth.contains("Only the newest"))
        let report = try cli.ok(["report", "stations", "--from", "2026-10-09", "--to", "2026-10-09", "--format", "csv"])
        #expect(report.contains(",-60.00"), "\(report)")
        let shelf = try cli.ok(["stock", "list", "--station", "S1"]).split(separator: "\n").first { $0.contains("rice_5kg") }
        #expect(shelf?.hasSuffix(" 2  LOW") == true, "\(shelf ?? "")")
        // A second receipt: now --limit 1 cuts the station's list, and says so.
        try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--key", "S1-0002", "--date", "2026-10-10"],
                   CLIHarness.asOp1)
        let cut = try cli.ok(["receipt", "list", "--station", "S1", "--limit", "1"])
        #expect(cut.contains("R2 ") && !cut.contains("R1 "), "\(cut)")
        #expect(cut.contains("Only the newest 1 receipts are listed, and the totals below count only them: give a larger --limit for all."), "\(cut)")
        // --json carries the same totals as the text, and says when the list was cut.
        let ninthJSON = try #require(try JSONSerialization.jsonObject(with: Data(try cli.ok(["--json", "receipt", "list", "--station", "S1",
                                                                                              "--date", "2026-10-09"]).utf8)) as? [String: Any])
        #expect(ninthJSON["count"] as? Int == 0 && ninthJSON["refunds_that_day"] as? Int == 1)
        #expect((ninthJSON["points_received"] as? NSNumber)?.doubleValue == -60 && (ninthJSON["points_refunded_that_day"] as? NSNumber)?.doubleValue == 60)
        #expect(((ninthJSON["refunded_that_day_redeemed_earlier"] as? [[String: Any]])?.first?["receipt"]) as? String == "R1")
        let eighthJSON = try cli.ok(["--json", "receipt", "list", "--station", "S1", "--date", "2026-10-08"])
        let eighthObject = try #require(try JSONSerialization.jsonObject(with: Data(eighthJSON.utf8)) as? [String: Any])
        #expect(eighthObject["refunded_later"] as? [String] == ["R1"] && eighthJSON.contains("\"points_received\": 60.00"), "\(eighthJSON)")
        let cutJSON = try cli.ok(["--json", "receipt", "list", "--station", "S1", "--limit", "1"])
        #expect(cutJSON.contains("\"cut_at_limit\": true") && cutJSON.contains("\"points_net_of_refunds\": 60.00") && cutJSON.contains("\"refunded\": 0"),
                "\(cutJSON)")
        #expect(try cli.ok(["--json", "receipt", "list", "--station", "S1"]).contains("\"cut_at_limit\": false"))
        #expect(try cli.ok(["stock", "verify"]).hasPrefix("OK"))
        #expect(try cli.ok(["verify"]).hasPrefix("OK"))
    }

    @Test("book, fulfil and cancel at the counter; transfer and donate")
    func bookingsAndGifts() throws {
        // Noon of 2026-10-10 in UTC+8: after the booking day, before the first hold lapses (midnight after the 10th).
        let cli = try CLIHarness(now: Timestamp("2026-10-10T04:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        let booked = try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-10",
                                 "--key", "bk-1", "--date", "2026-10-08"], CLIHarness.asOp1)
        #expect(booked.hasPrefix("Booking B1: 老年人健康体检 × 1 for V1 at S1 on 2026-10-10"))
        #expect(booked.contains("100.00 积分 held from volunteer:V1 until 2026-10-11 00:00:00 (UTC+8)"))
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 200.00"))
        let fulfilled = try cli.ok(["fulfil", "B1", "--date", "2026-10-10"], CLIHarness.asOp1)
        #expect(fulfilled.contains("预约 Booking      B1"))
        #expect(try cli.ok(["booking", "list", "--json"]).contains("\"state\": \"fulfilled\""))

        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-12",
                    "--key", "bk-2", "--date", "2026-10-08"], CLIHarness.asOp1)
        let cancelled = try cli.ok(["cancel", "B2", "--reason", "改期"], CLIHarness.asOp1)
        #expect(cancelled.contains("100.00 积分 back to volunteer:V1"))
        // Cancelled again (a retry): nothing changes, and the answer says when, by whom and why it was cancelled.
        let same = try cli.ok(["cancel", "B2", "--reason", "改期"], CLIHarness.asOp1)
        #expect(same == "Booking B2 was cancelled already, on 2026-10-10 by op1 (改期): nothing changed.\n")
        // Another reason: the first one stands, and the answer says the new one was not kept (it was dropped unseen before).
        let again = try cli.ok(["cancel", "B2", "--reason", "again"], CLIHarness.asOp1)
        #expect(again == "Booking B2 was cancelled already, on 2026-10-10 by op1 (改期): nothing changed; --reason again was not kept.\n")
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 200.00"))
        let list = try cli.ok(["booking", "list", "--json"])
        #expect(list.contains("\"end_reason\": \"改期\""))
        #expect(cli.run(["fulfil", "B2"], environment: CLIHarness.asOp1).errors.hasPrefix("error[R014]"))

        let given = try cli.ok(["transfer", "--from", "V1", "--to", "V2", "--points", "30", "--key", "g1", "--date", "2026-10-08"], CLIHarness.asOp1)
        #expect(given.hasPrefix("Transferred 30.00 积分 from V1 to V2"))
        // Sent again with another --date: the transfer keeps its day, and the retry says the new one was not kept.
        let otherDay = try cli.ok(["transfer", "--from", "V1", "--to", "V2", "--points", "30", "--key", "g1", "--date", "2026-10-09"], CLIHarness.asOp1)
        #expect(otherDay.hasPrefix("Already recorded under this key: left as it was, on 2026-10-08; --date 2026-10-09 was not kept.\n"
                                   + "Transferred 30.00 积分"), "\(otherDay)")
        try cli.ok(["donate", "--from", "V1", "--points", "15", "--key", "d1", "--date", "2026-10-08"], CLIHarness.asOp1)
        let over = cli.run(["donate", "--from", "V1", "--points", "10", "--key", "d2", "--date", "2026-10-08"], environment: CLIHarness.asOp1)
        #expect(over.exit == 1 && over.errors.hasPrefix("error[R017]"))
        #expect(try cli.ok(["balance", "system:pool", "--json"]).contains("\"POINTS\": 15.00"))
        #expect(try cli.ok(["stock", "verify"]).hasPrefix("OK"))
        #expect(try cli.ok(["verify"]).hasPrefix("OK"))
    }

    /// `book --for DAY` took the end of DAY in the zone in force now, while the nightly settlement voids a lapsed hold at
    /// the end of DAY in the zone in force on DAY: a booking for a day under a later version in another zone lapsed at
    /// the wrong moment (here 12 hours early) and disagreed with the night that counts it.
    @Test("book --for a day under a later policy version in another zone lapses at the end of that day in that version's zone")
    func bookingLapsesInTheZoneOfItsDay() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T04:00:00.000Z")!)
        try cli.stations(policy: stationCLIPolicy.replacingOccurrences(of: "effective = 2026-01-01", with: "effective = 2026-01-01\ntimezone = \"Asia/Shanghai\""))
        let later = stationCLIPolicy.replacingOccurrences(of: "version = 1", with: "version = 2")
            .replacingOccurrences(of: "effective = 2026-01-01", with: "effective = 2026-10-20\ntimezone = \"America/New_York\"")
        try cli.ok(["policy", "activate", try cli.write("v2.toml", later)], CLIHarness.asAdmin)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-21", "--key", "bk-1"], CLIHarness.asOp1)
        let store = try TimeBankStore(path: cli.databasePath, clock: cli.clock)
        let hold = try #require(try store.hold(number: 1))
        // Midnight after 21 October in New York (UTC-4 then) is 04:00Z on the 22nd; at Shanghai's offset it was 16:00Z on the 21st.
        #expect(hold.expiresAt == Timestamp("2026-10-22T04:00:00.000Z")!, "\(hold.expiresAt)")
        #expect(Hold.defaultExpiry(serviceDate: hold.serviceDate, utcOffsetMinutes: try store.communityOffsetMinutes(atEndOf: hold.serviceDate))
                == hold.expiresAt, "as the settlement counts it")
        // A booking for a day of version 1 still lapses at Shanghai's midnight.
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-19", "--key", "bk-2"], CLIHarness.asOp1)
        #expect(try #require(try store.hold(number: 2)).expiresAt == Timestamp("2026-10-19T16:00:00.000Z")!)
        // $TIMEBANK_UTC_OFFSET_MINUTES still overrides the policy for every day.
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-22", "--key", "bk-3"],
                   CLIHarness.asOp1.merging(["TIMEBANK_UTC_OFFSET_MINUTES": "480"]) { $1 })
        #expect(try #require(try store.hold(number: 3)).expiresAt == Timestamp("2026-10-22T16:00:00.000Z")!)
    }

    /// `--json` of a keyed retry said only `"outcome": "exists"`, while the text said which --date, operator or reason was
    /// not kept: a program at the counter could not tell that its day was dropped.
    @Test("--json of a retry gives not_kept: each option given that the write does not keep, what was given and what stands")
    func retryJSONSaysWhatWasNotKept() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T04:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "500", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        let stock = ["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "2", "--supplier", "粮油店", "--key", "in-1"]
        try cli.ok(stock + ["--date", "2026-10-01"], CLIHarness.asOp1)
        let redeem = ["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--key", "S1-0001"]
        try cli.ok(redeem + ["--date", "2026-10-08"], CLIHarness.asOp1)
        let entries = try cli.entryCount()
        let dateAndOperator = """
            "not_kept": [
                {
                  "option": "--date",
                  "given": "2026-10-09",
                  "kept": "2026-10-08"
                },
                {
                  "option": "operator",
                  "given": "admin",
                  "kept": "op1"
                }
              ],
            """
        let redeemed = try cli.ok(redeem + ["--date", "2026-10-09", "--json"], CLIHarness.asAdmin)
        #expect(redeemed.hasPrefix("{\n  \"outcome\": \"exists\",\n  \(dateAndOperator)\n  \"receipt\": \"R1\""), "\(redeemed)")
        // Nothing dropped: an empty list; the first time: no not_kept at all.
        #expect(try cli.ok(redeem + ["--date", "2026-10-08", "--json"], CLIHarness.asOp1).contains("\"outcome\": \"exists\",\n  \"not_kept\": [],\n"))
        let stockAgain = try cli.ok(stock + ["--date", "2026-10-02", "--json"], CLIHarness.asOp1)
        #expect(stockAgain.contains("\"not_kept\": [\n    {\n      \"option\": \"--date\",\n      \"given\": \"2026-10-02\",\n      \"kept\": \"2026-10-01\""),
                "\(stockAgain)")
        try cli.ok(["refund", "R1", "--reason", "米袋破损", "--date", "2026-10-08"], CLIHarness.asOp1)
        let refundAgain = try cli.ok(["refund", "R1", "--reason", "米袋破损", "--date", "2026-10-09", "--json"], CLIHarness.asAdmin)
        #expect(refundAgain.contains("\"given\": \"2026-10-09\",\n      \"kept\": \"2026-10-08\"") && refundAgain.contains("\"given\": \"admin\""),
                "\(refundAgain)")
        let book = ["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-12", "--key", "bk-1"]
        let booked = try cli.ok(book + ["--json"], CLIHarness.asOp1)
        #expect(!booked.contains("not_kept"), "\(booked)")
        #expect(try cli.ok(book + ["--json"], CLIHarness.asAdmin).contains("\"option\": \"operator\",\n      \"given\": \"admin\",\n      \"kept\": \"op1\""))
        try cli.ok(["cancel", "B1", "--reason", "改期"], CLIHarness.asOp1)
        let cancelAgain = try cli.ok(["cancel", "B1", "--reason", "家属取消", "--json"], CLIHarness.asOp1)
        #expect(cancelAgain.contains("\"option\": \"--reason\",\n      \"given\": \"家属取消\",\n      \"kept\": \"改期\""), "\(cancelAgain)")
        let transfer = ["transfer", "--from", "V1", "--to", "V2", "--points", "30", "--key", "g1"]
        try cli.ok(transfer + ["--date", "2026-10-08"], CLIHarness.asOp1)
        let transferAgain = try cli.ok(transfer + ["--date", "2026-10-09", "--json"], CLIHarness.asOp1)
        #expect(transferAgain.hasPrefix("{\n  \"outcome\": \"exists\",\n  \"not_kept\": [\n    {\n      \"option\": \"--date\""), "\(transferAgain)")
        let written = try cli.entryCount() - entries
        #expect(written == 4, "\(written)")   // the refund, the booking, its cancellation and the transfer; no retry wrote
    }

    /// A booking sent again under its key after it ended (fulfilled, cancelled, lapsed) is the same booking, and the answer
    /// says how it ended: it said "held … until" and "Next: timebank fulfil" before, of a booking that could be neither.
    @Test("book sent again after the booking ended says how it ended, not that it is held")
    func bookAgainAfterItEnded() throws {
        let cli = try CLIHarness(now: Timestamp("2026-10-10T04:00:00.000Z")!)
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        let book = ["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-10", "--key", "bk-1", "--date", "2026-10-08"]
        try cli.ok(book, CLIHarness.asOp1)
        try cli.ok(["fulfil", "B1"], CLIHarness.asOp1)
        let fulfilled = try cli.ok(book, CLIHarness.asOp1)
        #expect(fulfilled.hasPrefix("Already booked under this key (same content): nothing changed.\nBooking B1: 老年人健康体检 × 1 for V1 at S1 on 2026-10-10\n"))
        #expect(fulfilled.contains("  Fulfilled on 2026-10-10 by op1: receipt R1 (`timebank receipt show R1`); a new booking needs a new key"), "\(fulfilled)")
        #expect(!fulfilled.contains("held from") && !fulfilled.contains("Next:"), "\(fulfilled)")
        // Booked on another day by another operator (a paper booking typed in twice): the booking keeps its own, and says so.
        let otherDay = try cli.ok(Array(book.dropLast()) + ["2026-10-09"], CLIHarness.asAdmin)
        #expect(otherDay.hasPrefix("Already booked under this key: left as it was, on 2026-10-08 by op1; --date 2026-10-09 and the operator admin "
                                   + "were not kept.\nBooking B1:"), "\(otherDay)")
        // Fulfilled again with a --date: the receipt keeps the day it was fulfilled on.
        let fulfilAgain = try cli.ok(["fulfil", "B1", "--date", "2026-10-09"], CLIHarness.asOp1)
        // It names the booking, not a key: the operator typed none (it said "Already redeemed under this key").
        #expect(fulfilAgain.hasPrefix("Booking B1 was fulfilled already: left as it was, on 2026-10-10; --date 2026-10-09 was not kept. "
                                      + "The original receipt, nothing changed.\n"), "\(fulfilAgain)")
        #expect(try cli.ok(["fulfil", "B1"], CLIHarness.asOp1).hasPrefix("Booking B1 was fulfilled already: the original receipt, nothing changed.\n"))

        let other = ["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--for", "2026-10-12", "--key", "bk-2"]
        try cli.ok(other, CLIHarness.asOp1)
        try cli.ok(["cancel", "B2", "--reason", "改期"], CLIHarness.asOp1)
        let cancelled = try cli.ok(other, CLIHarness.asOp1)
        #expect(cancelled.contains("  Cancelled on 2026-10-10 by op1 (改期): its points went back; a new booking needs a new key"), "\(cancelled)")
        #expect(!cancelled.contains("held from") && !cancelled.contains("Next:"), "\(cancelled)")
        #expect(try cli.ok(other + ["--json"], CLIHarness.asOp1).contains("\"state\": \"cancelled\""))
    }

    @Test("refund R1 never hits a receipt redeemed under the key \"R1\": such keys are refused, and an older database's are named with both")
    func refundByNameIsNeverAmbiguous() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "100", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V2", "--points", "100", "--kind", "award", "--key", "a2", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1", "--date", "2026-10-01"], CLIHarness.asOp1)
        try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "S1-0001", "--date", "2027-01-05"], CLIHarness.asOp1)
        // A new key shaped like a receipt or booking number is refused, and nothing is written.
        let entries = try cli.entryCount()
        for key in ["R1", "12", "b3", "number:1"] {
            let refused = cli.run(["redeem", "--station", "S1", "--volunteer", "V2", "--item", "biscuits", "--key", key], environment: CLIHarness.asOp1)
            #expect(refused.exit == 2 && refused.errors.hasPrefix("error[R023]: the key \"\(key)\" reads as a receipt or booking number"), "\(refused.errors)")
            let booked = cli.run(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--key", key], environment: CLIHarness.asOp1)
            #expect(booked.exit == 2 && booked.errors.hasPrefix("error[R023]"), "\(booked.errors)")
        }
        #expect(try cli.entryCount() == entries)
        // A database written before: V2's receipt R2 under the key "R1".
        try cli.ok(["redeem", "--station", "S1", "--volunteer", "V2", "--item", "biscuits", "--key", "S1-0002", "--date", "2027-01-05"], CLIHarness.asOp1)
        let store = try TimeBankStore(path: cli.databasePath)
        try store.database.execute("DROP TRIGGER receipts_append_only_update")
        try store.database.execute("UPDATE receipts SET key = 'R1' WHERE number = 2")
        for command in [["refund", "R1", "--reason", "破损"], ["receipt", "show", "R1"]] {
            let refused = cli.run(command, environment: CLIHarness.asOp1)
            #expect(refused.exit == 2)
            #expect(refused.errors == "error[R022]: \"R1\" names 2 receipts: R1 (receipt number 1: 饼干礼盒 × 1 for 王秀英 (V1), 2027-01-05 at S1) "
                        + "and R2 (redeemed under the key \"R1\": 饼干礼盒 × 1 for Li (V2), 2027-01-05 at S1); nothing was done. "
                        + "Name the one you mean by its number alone: number:1 or number:2\n")
        }
        #expect(try cli.entryCount() == entries + 1)
        #expect(try cli.ok(["refund", "R2", "--reason", "破损"], CLIHarness.asOp1).hasPrefix("Refunded R2: 20.00 积分 back to volunteer:V2"))
        #expect(try cli.ok(["refund", "number:1", "--reason", "破损"], CLIHarness.asOp1).hasPrefix("Refunded R1: 20.00 积分 back to volunteer:V1"))
    }

    @Test("reverse refuses a receipt's entry (R024, naming refund); an admin refunds after the window with --late, and the books agree")
    func correctingARedemption() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "100", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "2", "--key", "in-1", "--date", "2026-10-01"], CLIHarness.asOp1)
        try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--key", "S1-0001", "--date", "2026-10-08"], CLIHarness.asOp1)
        let entries = try cli.entryCount()
        // Past the return window: R013 points at the late refund.
        let closed = cli.run(["refund", "R1", "--reason", "录错了"], environment: CLIHarness.asOp1)
        #expect(closed.exit == 1)
        #expect(closed.errors == "error[R013]: receipt R1 was redeemed on 2026-10-08; returns were accepted until 2026-10-15. An admin may still "
                    + "refund it: `timebank refund R1 --late --reason TEXT` (points back to their lots, goods back on the shelf); nothing was written\n")
        // reverse finds the entry by the key the operator typed, and refuses it, naming the refund.
        for reference in ["S1-0001", "redeem:S1-0001", "R1"] {
            let reversed = cli.run(["reverse", reference, "--key", "rv-1", "--reason", "录错了"], environment: CLIHarness.asAdmin)
            #expect(reversed.exit == 1)
            #expect(reversed.errors.hasPrefix("error[R024]: entry #4 is the redemption of receipt R1 (大米 5kg × 1 for 王秀英 (V1), 2026-10-08 at S1)"))
            #expect(reversed.errors.contains("Refund it instead: `timebank refund R1 --reason TEXT`"))
            #expect(reversed.errors.contains("after the return window an admin adds --late"))
        }
        let late = cli.run(["refund", "R1", "--late", "--reason", "录错了"], environment: CLIHarness.asOp1)
        #expect(late.exit == 1 && late.errors.hasPrefix("error[O003]: op1 is an operator and may not refund after the return window"))
        #expect(try cli.entryCount() == entries)
        let refunded = try cli.ok(["refund", "R1", "--late", "--reason", "录错了"], CLIHarness.asAdmin)
        #expect(refunded.hasPrefix("Refunded R1: 60.00 积分 back to volunteer:V1, 1 rice_5kg back in stock at S1"))
        #expect(try cli.ok(["receipt", "list"]).contains("1 receipt, 1 refunded; redeemed (net of refunds): 0.00 积分"))
        #expect(try cli.ok(["balance", "V1", "--json"]).contains("\"POINTS\": 100.00"))
        #expect(try cli.ok(["stock", "verify"]).hasPrefix("OK"))
        #expect(try cli.ok(["verify"]).hasPrefix("OK"))
        #expect(try cli.ok(["report", "stations", "--from", "2026-10-01", "--to", "2027-01-05"]).contains(": adds up."))
    }

    @Test("a paper booking must be payable on its own day (R001 names it), and a past service day is R025 in local dates")
    func paperBookings() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "200", "--kind", "award", "--key", "a1", "--date", "2027-01-03"], CLIHarness.asAdmin)
        let entries = try cli.entryCount()
        let early = cli.run(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--key", "bk-1",
                             "--date", "2027-01-02", "--for", "2027-01-06"], environment: CLIHarness.asOp1)
        #expect(early.exit == 1)
        #expect(early.errors == "error[R001]: volunteer:V1 can spend 0.00 积分 on 2027-01-02, the booking made that day costs 100.00; "
                    + "100.00 more 积分 are needed. 200.00 more came in after 2027-01-02 (credited, or given back by a refund or a "
                    + "cancelled booking), and 积分 cannot be spent before they came in: book it on 2027-01-03 or later\n")
        let past = cli.run(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--key", "bk-2",
                            "--date", "2027-01-03", "--for", "2027-01-04"], environment: CLIHarness.asOp1)
        #expect(past.exit == 2)
        #expect(past.errors == "error[R025]: a booking for 2027-01-04 would lapse at the end of that day (2027-01-05 00:00:00 (UTC+8)), "
                    + "which has passed: book for today or a later day. If the service was given on 2027-01-04, type it in as a redemption "
                    + "of that day: `timebank redeem --station S1 --volunteer V1 --item health_check --date 2027-01-04 --key KEY`; nothing was written\n")
        #expect(try cli.entryCount() == entries)
        try cli.ok(["book", "--station", "S1", "--volunteer", "V1", "--item", "health_check", "--key", "bk-3",
                    "--date", "2027-01-03", "--for", "2027-01-06"], CLIHarness.asOp1)
    }

    @Test("stock list --date shows the levels at the end of that day, not today's")
    func stockOnADay() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "7", "--key", "in-1", "--date", "2026-10-01"], CLIHarness.asOp1)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "20", "--key", "in-2", "--date", "2026-10-09"], CLIHarness.asOp1)
        func biscuits(_ output: String) -> String? { output.split(separator: "\n").first { $0.contains("biscuits") }.map(String.init) }
        let then = try cli.ok(["stock", "list", "--station", "S1", "--date", "2026-10-08"])
        #expect(then.hasPrefix("Stock at the end of 2026-10-08 (movements dated 2026-10-08 or before):\n"))
        #expect(biscuits(then)?.hasSuffix(" 7") == true, "\(then)")
        // Before its first delivery the shelf was not out of biscuits: it had never had any.
        #expect(biscuits(try cli.ok(["stock", "list", "--station", "S1", "--date", "2026-09-30"]))?.hasSuffix(" 0  not stocked yet") == true)
        #expect(biscuits(try cli.ok(["stock", "list", "--station", "S1"]))?.hasSuffix(" 27") == true)
        #expect(try cli.ok(["stock", "list", "--station", "S1", "--date", "2026-10-08", "--json"]).contains("\"quantity\": 7"))
    }

    @Test("a paper receipt typed in later prints the balance on its day, and the balance when typed in beside it; --json the same")
    func paperReceiptBalance() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "100", "--kind", "award", "--key", "a1", "--date", "2027-01-01"], CLIHarness.asAdmin)
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "50", "--kind", "award", "--key", "a2", "--date", "2027-01-04"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1", "--date", "2027-01-01"], CLIHarness.asOp1)
        let redeem = ["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "S1-paper-1", "--date", "2027-01-02"]
        let printed = try cli.ok(redeem, CLIHarness.asOp1)
        // On 2027-01-02 she had 100.00 - 20.00 = 80.00 (was: 130.00, today's balance, as if it were that day's).
        #expect(printed.contains("余额 Balance      80.00 on 2027-01-02\n录入时余额 Then   130.00 when typed in on 2027-01-05\n"), "\(printed)")
        #expect(try cli.ok(["receipt", "show", "R1"]) == printed)
        let json = try cli.ok(["receipt", "show", "R1", "--json"])
        #expect(json.contains("\"balance_after\": 80.00,\n  \"balance_when_entered\": 130.00,"), "\(json)")
        // The passbook's line for it says the same.
        #expect(try cli.ok(["statement", "V1"]).split(separator: "\n").contains { $0.hasPrefix("2027-01-02") && $0.hasSuffix(" 80.00") })
        // A receipt of today has one balance.
        let today = try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "S1-0002"], CLIHarness.asOp1)
        #expect(today.contains("余额 Balance      110.00\n志愿者 Volunteer"), "\(today)")
        #expect(try cli.ok(["receipt", "show", "R2", "--json"]).contains("\"balance_after\": 110.00,\n  \"balance_when_entered\": 110.00,"))
    }

    @Test("the counter's slip says which of the balance expires within warn_days; a receipt printed again leaves it out")
    func expiringOnTheSlip() throws {
        // Today is 2027-01-05; the test policy warns 30 days ahead (the default), so through 2027-02-04.
        let cli = try CLIHarness()
        try cli.stations()
        for (key, points, expires) in [("a1", "30", "2027-01-20"), ("a2", "5", "2027-02-01"), ("a3", "8", "2027-02-05"), ("a4", "100", "2027-12-31")] {
            try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", points, "--kind", "award", "--key", key,
                        "--date", "2027-01-01", "--expires", expires], CLIHarness.asAdmin)
        }
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "5", "--key", "in-1", "--date", "2027-01-01"], CLIHarness.asOp1)
        let redeem = ["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "S1-0001"]
        let slip = try cli.ok(redeem, CLIHarness.asOp1)
        // 20.00 came from the lot of 2027-01-20 (earliest first): 10.00 of it is left, and 5.00 expire on 2027-02-01;
        // the 8.00 of 2027-02-05 are after the 30 days.
        #expect(slip.contains("余额 Balance      123.00\n其中 Expiring     10.00 积分 on 2027-01-20\n"
                              + "                  5.00 积分 on 2027-02-01\n志愿者 Volunteer"), "\(slip)")
        #expect(try cli.ok(redeem, CLIHarness.asOp1).contains("其中 Expiring     10.00 积分 on 2027-01-20\n"))
        let json = try cli.ok(redeem + ["--json"], CLIHarness.asOp1)
        #expect(json.contains("\"expiring\": {\n    \"as_of\": \"2027-01-05\",\n    \"within_days\": 30,\n    \"points\": 15.00,"), "\(json)")
        #expect(json.contains("\"expires_on\": \"2027-02-01\",\n        \"points\": 5.00"), "\(json)")
        // Printed again, the receipt is the record of its day: no line about now, and no key.
        let shown = try cli.ok(["receipt", "show", "R1"])
        #expect(!shown.contains("Expiring") && shown.contains("余额 Balance      123.00\n志愿者 Volunteer"), "\(shown)")
        #expect(!(try cli.ok(["receipt", "show", "R1", "--json"])).contains("expiring"))
        // A basket's slip says it too, under the balance after the last item: 30.00 from 10.00 (01-20) and 20.00 (01-30).
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "40", "--kind", "award", "--key", "a5",
                    "--expires", "2027-01-30"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "lantern", "--qty", "5", "--key", "in-2", "--date", "2027-01-01"], CLIHarness.asOp1)
        let basket = try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--item", "lantern",
                                 "--key", "S1-0002"], CLIHarness.asOp1)
        #expect(basket.contains("余额 Balance      133.00\n其中 Expiring     20.00 积分 on 2027-01-30\n"
                                + "                  5.00 积分 on 2027-02-01\n志愿者 Volunteer"), "\(basket)")
        // When the lots cannot be read, the slip still prints (the receipt stands) and stderr says the line is left out,
        // so a slip without it is not read as "nothing expiring".
        let store = try TimeBankStore(path: cli.databasePath)
        try store.database.execute("DROP INDEX lots_open")
        try store.database.execute("ALTER TABLE lots RENAME COLUMN expires_on TO expires_gone")
        let unread = cli.run(redeem, environment: CLIHarness.asOp1)
        #expect(unread.exit == 0 && unread.output.contains("余额 Balance") && !unread.output.contains("Expiring"), "\(unread.output)")
        #expect(unread.errors.hasPrefix("note: the points of volunteer:V1 expiring within 30 days could not be read (S1: ")
                && unread.errors.hasSuffix("; the slip leaves that line out: `timebank report expiring` lists them\n"), "\(unread.errors)")
    }

    @Test("booking list shows a hold that lapsed but is not released yet as lapsed, by the store's clock, and writes nothing")
    func lapsedBookingListed() throws {
        // It is 2027-01-05 10:00 (UTC+8). Booked yesterday for yesterday, the hold lapsed at midnight; no write has released it.
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "300", "--kind", "award", "--key", "a1", "--date", "2027-01-01"], CLIHarness.asAdmin)
        let yesterday = try TimeBankStore(path: cli.databasePath, clock: FixedClock(Timestamp("2027-01-04T02:00:00.000Z")!))
        let op1 = try yesterday.signIn(operatorID: "op1", pin: "1471")
        try yesterday.book(BookingRequest(key: "bk-1", station: "S1", volunteer: "V1", item: "health_check", date: LocalDate("2027-01-04")!), by: op1)
        try yesterday.book(BookingRequest(key: "bk-2", station: "S1", volunteer: "V1", item: "health_check", date: LocalDate("2027-01-04")!,
                                          serviceDate: LocalDate("2027-01-06")), by: op1)
        let entries = try cli.entryCount()
        let listed = try cli.ok(["booking", "list"])
        let rows = listed.split(separator: "\n")
        #expect(rows.first { $0.hasPrefix("B1 ") }?.contains(" lapsed ") == true, "\(listed)")
        #expect(rows.first { $0.hasPrefix("B1 ") }?.hasSuffix("not fulfilled in time; not released yet") == true, "\(listed)")
        #expect(rows.first { $0.hasPrefix("B2 ") }?.contains(" held ") == true, "\(listed)")
        // The volunteer by name and id, as `receipt list` shows them; --json adds "volunteer_name".
        #expect(rows.first { $0.hasPrefix("B1 ") }?.contains(" 王秀英 (V1) ") == true, "\(listed)")
        #expect(listed.hasSuffix("1 booking has lapsed: the points go back to their lots and the slot is freed at the next station write or "
                                 + "nightly settlement (`timebank booking expire` releases them now).\n"))
        let json = try cli.ok(["booking", "list", "--active", "--json"])
        #expect(json.contains("\"booking\": \"B1\",\n    \"number\": 1,\n    \"key\": \"bk-1\",\n    \"state\": \"held\",\n    \"lapsed\": true,"), "\(json)")
        #expect(json.contains("\"key\": \"bk-2\",\n    \"state\": \"held\",\n    \"lapsed\": false,"), "\(json)")
        #expect(json.contains("\"volunteer\": \"V1\",\n    \"volunteer_name\": \"王秀英\",\n    \"paid_from\""), "\(json)")
        // Listing wrote nothing: the hold is still there to be released.
        #expect(try cli.entryCount() == entries)
        #expect(try TimeBankStore(path: cli.databasePath).holds(activeOnly: true).count == 2)
        try cli.ok(["booking", "expire"], CLIHarness.asOp1)
        let released = try cli.ok(["booking", "list"]).split(separator: "\n").first { $0.hasPrefix("B1 ") } ?? ""
        #expect(released.contains(" expired ") && released.hasSuffix("not fulfilled in time; released"), "\(released)")
    }

    @Test("at the counter an item typed by its exact label is that item: redeem by label, the retry by id exists, a basket and stock history by labels")
    func itemByLabel() throws {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "100", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "饼干礼盒", "--qty", "5", "--key", "in-1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        try cli.ok(["stock", "receive", "--station", "S1", "--item", "灯笼", "--qty", "5", "--key", "in-2", "--date", "2026-10-01"], CLIHarness.asAdmin)
        let first = try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "饼干礼盒", "--key", "S1-0001", "--date", "2026-10-08",
                                "--json"], CLIHarness.asOp1)
        #expect(first.contains("\"outcome\": \"created\"") && first.contains("\"item\": \"biscuits\""), "\(first)")
        let entries = try cli.entryCount()
        let retry = try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--key", "S1-0001", "--date", "2026-10-08"],
                               CLIHarness.asOp1)
        #expect(retry.hasPrefix("Already redeemed under this key (same content)"), "\(retry)")
        #expect(try cli.entryCount() == entries)
        let basket = try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "饼干礼盒：２", "--item", "灯笼", "--key", "S1-0002",
                                 "--date", "2026-10-08"], CLIHarness.asOp1)
        #expect(basket.contains("饼干礼盒") && basket.contains("灯笼"), "\(basket)")
        #expect(try TimeBankStore(path: cli.databasePath).basketReceipts(key: "S1-0002").map { "\($0.item) × \($0.quantity)" }
            == ["biscuits × 2", "lantern × 1"])
        let near = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "饼干", "--key", "S1-0003", "--date", "2026-10-08"],
                           environment: CLIHarness.asOp1)
        #expect(near.exit == 2)
        #expect(near.errors == "error[R005]: no catalog item \"饼干\" in the policy in force; did you mean \"biscuits\"?\n")
        let history = try cli.ok(["stock", "history", "--item", "饼干礼盒"])
        #expect(history.split(separator: "\n").filter { $0.contains(" biscuits ") }.count == 3, "\(history)")
    }
}

/// `redeem` with several `--item`: one slip, a receipt per item, all or nothing.
@Suite("redeem: baskets at the command line")
struct BasketCommandTests {
    static func counter() throws -> CLIHarness {
        let cli = try CLIHarness()
        try cli.stations()
        try cli.ok(["post", "--from", "system:issuance", "--to", "V1", "--points", "150", "--kind", "award", "--key", "a1", "--date", "2026-10-01"], CLIHarness.asAdmin)
        for (item, quantity) in [("rice_5kg", "2"), ("biscuits", "5")] {
            try cli.ok(["stock", "receive", "--station", "S1", "--item", item, "--qty", quantity, "--supplier", "粮油店", "--key", "in-\(item)",
                        "--date", "2026-10-01"], CLIHarness.asOp1)
        }
        return cli
    }

    static let basket = ["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--item", "biscuits:2",
                         "--key", "S1-B1", "--date", "2026-10-08"]

    @Test("one slip lists each receipt, the total and the balance after; a retry prints it again and writes nothing")
    func slip() throws {
        let cli = try Self.counter()
        let slip = try cli.ok(Self.basket, CLIHarness.asOp1)
        // 150.00 − 60.00 (rice) − 2 × 20.00 (biscuits) = 50.00.
        #expect(slip.contains("兑换凭证 Receipts R1–R2 (2 items)\n"), "\(slip)")
        #expect(slip.contains("R1  大米 5kg × 1                   60.00\n"), "\(slip)")
        #expect(slip.contains("R2  饼干礼盒 × 2                   40.00\n"), "\(slip)")
        #expect(slip.contains("合计 Total        100.00 积分\n余额 Balance      50.00 on 2026-10-08\n"))
        #expect(slip.contains("凭证号 Key        S1-B1 (S1-B1/1 to S1-B1/2)\n"))
        let entries = try cli.entryCount()
        let retry = try cli.ok(Self.basket, CLIHarness.asOp1)
        #expect(retry.hasPrefix("Already redeemed under this key (same items): the original receipts, nothing changed.\n"))
        let otherDay = try cli.ok(Array(Self.basket.dropLast()) + ["2026-10-09"], CLIHarness.asOp1)
        #expect(otherDay.hasPrefix("Already redeemed under this key: left as it was, on 2026-10-08; --date 2026-10-09 was not kept. "
                                   + "The original receipts, nothing changed.\n"), "\(otherDay)")
        #expect(try cli.entryCount() == entries)
        let json = try cli.ok(Self.basket + ["--json"], CLIHarness.asOp1)
        #expect(json.contains("\"outcome\": \"exists\"") && json.contains("\"points\": 100.00") && json.contains("\"balance_after\": 50.00"))
        #expect(json.contains("\"key\": \"S1-B1/2\""))
        // Each receipt is its own: shown and refunded by number or by its key.
        #expect(try cli.ok(["receipt", "show", "S1-B1/2"]).contains("兑换凭证 Receipt R2"))
        // The basket's own key: `receipt show` prints its slip (the refunded line marked); `refund` asks which receipt.
        let refund = cli.run(["refund", "S1-B1", "--reason", "饼干过期", "--date", "2026-10-08"], environment: CLIHarness.asOp1)
        #expect(refund.exit == 2)
        #expect(refund.errors.hasPrefix("error[R011]: \"S1-B1\" is the key of a basket, not of one receipt: its receipts are "
                                        + "R1 (S1-B1/1: 大米 5kg × 1), R2 (S1-B1/2: 饼干礼盒 × 2); name the one you mean"), "\(refund.errors)")
        #expect(try cli.ok(["refund", "R2", "--reason", "饼干过期", "--date", "2026-10-08"], CLIHarness.asOp1).contains("Refunded R2: 40.00 积分"))
        // Asked again, the list marks the receipt refunded already.
        let again = cli.run(["refund", "S1-B1", "--reason", "大米也退", "--date", "2026-10-08"], environment: CLIHarness.asOp1)
        #expect(again.errors.contains("R1 (S1-B1/1: 大米 5kg × 1), R2 (S1-B1/2: 饼干礼盒 × 2, refunded 2026-10-08); name the one you mean"),
                "\(again.errors)")
        let shown = try cli.ok(["receipt", "show", "S1-B1"])
        #expect(shown.hasPrefix("========================================\n兑换凭证 Receipts R1–R2 (2 items)\n"), "\(shown)")
        #expect(shown.contains("R2  饼干礼盒 × 2                   40.00 (已退货 refunded 2026-10-08)\n"))
        let shownJSON = try cli.ok(["--json", "receipt", "show", "S1-B1"])
        #expect(shownJSON.hasPrefix("{\n  \"key\": \"S1-B1\",\n  \"points\": 100.00,"), "\(shownJSON)")
    }

    @Test("a refused item refuses the basket with its own code and its place; nothing is written")
    func refused() throws {
        let cli = try Self.counter()
        let entries = try cli.entryCount()
        let short = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "rice_5kg", "--item", "biscuits:5",
                             "--key", "S1-B2", "--date", "2026-10-08"], environment: CLIHarness.asOp1)
        #expect(short.exit == 1)
        #expect(short.errors.hasPrefix("error[R001]: item 2 of 2 (biscuits ×5): volunteer:V1 can spend 90.00 积分"), "\(short.errors)")
        #expect(short.errors.contains("(the item before it in the basket takes 60.00 积分); nothing in the basket was redeemed"))
        #expect(try cli.entryCount() == entries)
        #expect(try cli.ok(["stock", "list", "--station", "S1"]).contains("2"))
    }

    @Test("how the items are typed: ITEM:N and full-width ITEM：２, --qty for one item only, each item once", arguments: [
        (["--item", "rice_5kg", "--item", "biscuits:0"], "--item \"biscuits:0\": the quantity after the colon must be a whole number from 1 to 1000, as in biscuits:2"),
        (["--item", "rice_5kg", "--item", ":2"], "--item \":2\" names no item before the colon; write ITEM:N (rice_5kg:2)"),
        (["--item", "rice_5kg", "--item", "biscuits", "--qty", "2"], "--qty is for one item; with several --item give each its quantity as ITEM:N (--item hair_clip:2)"),
        (["--item", "biscuits:2", "--qty", "2"], "the quantity is given twice (--item biscuits:2 and --qty 2); give it once"),
    ])
    func typing(items: [String], message: String) throws {
        let cli = try Self.counter()
        let result = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--key", "S1-B3", "--date", "2026-10-08"] + items,
                             environment: CLIHarness.asOp1)
        #expect(result.exit == 2)
        #expect(result.errors.contains("error[U001]: " + message), "\(result.errors)")
    }

    @Test("a full-width colon and digits read as ITEM:N; the same item twice is R029")
    func fullWidthAndTwice() throws {
        let cli = try Self.counter()
        let slip = try cli.ok(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits：２", "--key", "S1-B4", "--date", "2026-10-08"],
                              CLIHarness.asOp1)
        #expect(slip.contains("物品 Item         饼干礼盒 × 2"))
        let twice = cli.run(["redeem", "--station", "S1", "--volunteer", "V1", "--item", "biscuits", "--item", "biscuits:2", "--key", "S1-B5",
                             "--date", "2026-10-08"], environment: CLIHarness.asOp1)
        #expect(twice.exit == 2 && twice.errors.hasPrefix("error[R029]: biscuits is named twice; name it once with its quantity (biscuits:3)"))
    }
}
