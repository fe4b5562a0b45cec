import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// The CLI station policy with a fund: 0.1% of turnover, 0.50 CNY per point.
let fundCLIPolicy = stationCLIPolicy + """


    [fund]
    currency = "CNY"
    merchant_rate = 0.001
    point_value = 0.5
    """

extension CLIHarness {
    /// `community()` plus households H2 (V3) and H3 (V4), the fund policy and an admin (PIN 9000), so that the fund
    /// writes need the admin's sign-in.
    func fundCommunity() throws {
        try community()
        try ok(["household", "add", "--id", "H2", "--name", "李家", "--address", "泰山路14号"])
        try ok(["household", "add", "--id", "H3", "--name", "张家", "--address", "泰山路16号"])
        try ok(["volunteer", "add", "--id", "V3", "--name", "李华", "--household", "H2", "--joined", "2024-05-01"])
        try ok(["volunteer", "add", "--id", "V4", "--name", "张敏", "--household", "H3", "--joined", "2024-05-01"])
        try ok(["policy", "activate", try write("fund-policy.toml", fundCLIPolicy)])
        let store = try TimeBankStore(path: databasePath, clock: clock)
        try store.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "9000", by: nil, iterations: 10)
    }

    /// Runs a command signed in as the admin.
    @discardableResult
    func asAdmin(_ arguments: [String]) -> Result {
        run(arguments, environment: ["TIMEBANK_OPERATOR": "admin", "TIMEBANK_PIN": "9000"])
    }

    func award(_ volunteer: String, _ points: String, on date: String) {
        let result = asAdmin(["post", "--from", "system:issuance", "--to", volunteer, "--points", points, "--kind", "award",
                              "--key", "award-\(volunteer)-\(date)", "--date", date])
        precondition(result.exit == 0, result.errors)
    }
}

@Suite("CLI: micro-fund")
struct FundCommandTests {
    /// A merchant or donor typed again in other letter case or in full-width letters (Walmart, walmart, ＷＡＬＭＡＲＴ) is the one
    /// stored: written as stored, with a note, so that a retry finds the write under its key instead of paying it twice, and
    /// the fund's lists show one name.
    @Test("a merchant or donor typed in other letter case or full width is the one stored: a retry pays nothing twice")
    func nameAsStored() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        #expect(cli.asAdmin(["fund", "contribute", "--merchant", "Walmart", "--turnover", "10000", "--date", "2026-10-03"]).exit == 0)
        let retry = cli.asAdmin(["fund", "contribute", "--merchant", "walmart", "--turnover", "10000", "--date", "2026-10-03"])
        #expect(retry.exit == 0)
        #expect(retry.output.hasPrefix("note: merchant \"walmart\" is written as stored, \"Walmart\" (the same name in other letter case or width)\n"
                                       + "Already recorded under this key (same content): nothing changed."), "\(retry.output)")
        #expect(retry.output.contains("Fund balance: 10.00 CNY"), "\(retry.output)")
        // Another turnover of the same merchant and day is a second contribution: it needs a key of its own (F009).
        let second = cli.asAdmin(["fund", "contribute", "--merchant", "ＷＡＬＭＡＲＴ", "--turnover", "20000", "--date", "2026-10-03"])
        #expect(second.exit == 1 && second.errors.contains("error[F009]"), "\(second.errors)")
        #expect(cli.asAdmin(["fund", "donate", "--donor", "Li Wei", "--amount", "100", "--date", "2026-10-03"]).exit == 0)
        let donation = cli.asAdmin(["fund", "donate", "--donor", "li wei", "--amount", "100", "--date", "2026-10-03"])
        #expect(donation.output.contains("Already recorded under this key"), "\(donation.output)")
        let store = try TimeBankStore(path: cli.databasePath)
        #expect(try store.balance(.fund, .cny) == 11_000)
        #expect(try store.fundContributions().map(\.merchant) == ["Walmart"])
    }

    @Test("an amount typed as on an invoice (1,000, ¥100, 100元, 1e5) is refused with the plain amount to write; nothing is written",
          arguments: [
              ("1,000", "1000"), ("12,345.67", "12345.67"), ("１,０００", "1000"), ("¥100", "100"), ("￥100", "100"),
              ("100元", "100"), ("100 CNY", "100"), (" 100 ", "100"), ("1 000", "1000"), ("1e5", "100000"), ("1.5E3", "1500"),
          ])
    func amountAsTyped(typed: String, plain: String) throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        let result = cli.asAdmin(["fund", "contribute", "--merchant", "泰山路超市", "--turnover", typed, "--date", "2026-10-03"])
        #expect(result.exit == 2)
        #expect(result.errors.contains("error[U001]: --turnover \"\(typed)\" is not an amount; write e.g. 12 or 12.5 (at most 2 decimals): "
                                       + "for \(typed.hasPrefix(" ") ? "\"\(typed)\"" : typed) write \(plain) (digits and one decimal point:"),
                "\(result.errors)")
        #expect(try cli.ok(["verify"]).hasPrefix("OK: 0 entries"))
        // What the message says to write is taken.
        #expect(cli.asAdmin(["fund", "donate", "--donor", "爱心企业", "--amount", plain, "--date", "2026-10-03"]).exit == 0)
    }

    @Test("an amount in full-width digits (１０００, １２．５, as a Chinese input method types them) is that amount, as --qty and dates read them")
    func amountInFullWidthDigits() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        let donated = cli.asAdmin(["fund", "donate", "--donor", "爱心企业", "--amount", "１２．５", "--date", "2026-10-03"])
        #expect(donated.exit == 0, "\(donated.errors)")
        #expect(donated.output.contains("12.50"), "\(donated.output)")
        #expect(Arguments.typedAmount("１０００") == 100_000 && Arguments.typedAmount("－５") == -500 && Arguments.typedAmount("１,０００") == nil)
        // Too many decimals or too large, in full-width digits, says so as in ASCII ones.
        #expect(Arguments.amountProblem("１２．５６７").hasPrefix("has 3 decimals"))
        let refused = cli.asAdmin(["fund", "donate", "--donor", "爱心企业", "--amount", "１２．５６７", "--date", "2026-10-03"])
        #expect(refused.exit == 2 && refused.errors.contains("--amount \"１２．５６７\" has 3 decimals"), "\(refused.errors)")
    }

    /// A point with no digit before it (`.5`, as a calculator shows half) gets the amount to write (`12.` does not: see below);
    /// an exponent whose amount is beyond the largest says so, not only its digits (1e15 read 1000000000000000, itself refused).
    @Test func pointWithoutDigitsAndAnExponentTooLarge() throws {
        #expect(Arguments.amountReading(".5") == "0.50")
        #expect(Arguments.amountReading("-.25") == "-0.25")
        #expect(Arguments.amountReading(".") == nil && Arguments.amountReading("..5") == nil)
        #expect(Arguments.amountProblem(".5") == "is not an amount; write e.g. 12 or 12.5 (at most 2 decimals): for .5 write 0.50 "
                + "(digits and one decimal point: no thousands separators, currency signs or units)")
        #expect(Arguments.amountProblem("1e15") == "is not an amount: 1e15 is 1000000000000000, beyond the largest amount, "
                + "10000000000000.00 either way")
    }

    /// A Chinese input method in Chinese punctuation mode types the decimal point as 。: suggested, never taken.
    @Test func decimalPointTypedAsAChineseFullStop() throws {
        #expect(Arguments.amountReading("12。5") == "12.50")
        #expect(Arguments.amountReading("１２。５") == "12.50")
        #expect(Arguments.amountReading("1,000。25") == "1000.25")
        #expect(Arguments.amountReading("12。") == nil && Arguments.amountReading("1。2。3") == nil)
        let cli = try CLIHarness()
        try cli.fundCommunity()
        let refused = cli.asAdmin(["fund", "donate", "--donor", "爱心企业", "--amount", "12。5", "--date", "2026-10-03"])
        #expect(refused.exit == 2)
        #expect(refused.errors.contains("--amount \"12。5\" is not an amount; write e.g. 12 or 12.5 (at most 2 decimals): for 12。5 write 12.50"),
                "\(refused.errors)")
    }

    @Test("no reading is suggested when there is none or it would be a guess (12,5 may be twelve and a half)")
    func amountWithoutReading() {
        for text in ["12,5", "1,00", "十", "12.", "abc", "1,000,00", "1e-5", "¥"] {
            #expect(Arguments.amountReading(text) == nil, "\(text)")
            #expect(Arguments.amountProblem(text) == "is not an amount; write e.g. 12 or 12.5 (at most 2 decimals)", "\(text)")
        }
    }
    @Test("a contribution or donation typed without --date just before midnight and retried just after is refused (F019), not paid twice")
    func retryAfterMidnight() throws {
        // 23:58 on 2027-01-04 in UTC+8.
        let cli = try CLIHarness(now: Timestamp("2027-01-04T15:58:00.000Z")!)
        try cli.fundCommunity()
        #expect(cli.asAdmin(["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "12345.67"]).exit == 0)
        #expect(cli.asAdmin(["fund", "donate", "--donor", "鲁味斋", "--amount", "100"]).exit == 0)
        func after(minutes: Int64, _ arguments: [String]) -> CLIHarness.Result {
            let output = BufferedOutput(), errors = BufferedOutput()
            let clock = FixedClock(Timestamp(millisecondsSinceEpoch: Timestamp("2027-01-04T15:58:00.000Z")!.millisecondsSinceEpoch + minutes * 60_000))
            let context = CommandContext(output: output, errors: errors, environment: [
                "TIMEBANK_DB": cli.databasePath, "TIMEBANK_ACTOR": "tester", "TIMEBANK_OPERATOR": "admin", "TIMEBANK_PIN": "9000",
            ], clock: clock)
            return CLIHarness.Result(exit: TimeBankCLI.run(arguments, context: context), output: output.text, errors: errors.text)
        }
        // Three minutes later, the next day: the same contribution is a retry.
        let retried = after(minutes: 3, ["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "12345.67"])
        #expect(retried.exit == 1)
        #expect(retried.errors == "error[F019]: the same contribution of 泰山路超市 (turnover 12345.67 CNY) was recorded 2 minutes ago, before "
            + "midnight (entry #1, key contribution:泰山路超市:2027-01-04): this looks like a retry, and by today's date it would be recorded a "
            + "second time; nothing was written. If it is another one, for today, give its date: --date 2027-01-05\n", "\(retried.errors)")
        let donated = after(minutes: 3, ["fund", "donate", "--donor", "鲁味斋", "--amount", "100"])
        #expect(donated.exit == 1 && donated.errors.hasPrefix("error[F019]: the same donation of 100.00 CNY by 鲁味斋 was recorded"))
        #expect(after(minutes: 3, ["fund", "report"]).output.contains("Closing balance on 2027-01-05: 112.35"))
        // --date says it is today's; an hour later the same donation is not taken for a retry.
        #expect(after(minutes: 4, ["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "12345.67", "--date", "2027-01-05"]).exit == 0)
        #expect(after(minutes: 70, ["fund", "donate", "--donor", "鲁味斋", "--amount", "100"]).exit == 0)
        #expect(after(minutes: 71, ["fund", "report"]).output.contains("Closing balance on 2027-01-05: 224.70"))
    }

    @Test("a contribution or donation with a --key of its own and no --date, retried after midnight, is found: not F009, whose advice would pay it twice")
    func ownKeyRetriedNextDay() throws {
        // 23:58 on 2027-01-04 in UTC+8; the retries come three minutes later, on 2027-01-05.
        let cli = try CLIHarness(now: Timestamp("2027-01-04T15:58:00.000Z")!)
        try cli.fundCommunity()
        let contribute = ["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "12345.67", "--key", "发票-0042"]
        let donate = ["fund", "donate", "--donor", "鲁味斋", "--amount", "100", "--key", "收据-17"]
        #expect(cli.asAdmin(contribute).exit == 0 && cli.asAdmin(donate).exit == 0)
        func after(minutes: Int64, _ arguments: [String]) -> CLIHarness.Result {
            let output = BufferedOutput(), errors = BufferedOutput()
            let clock = FixedClock(Timestamp(millisecondsSinceEpoch: Timestamp("2027-01-04T15:58:00.000Z")!.millisecondsSinceEpoch + minutes * 60_000))
            let context = CommandContext(output: output, errors: errors, environment: [
                "TIMEBANK_DB": cli.databasePath, "TIMEBANK_ACTOR": "tester", "TIMEBANK_OPERATOR": "admin", "TIMEBANK_PIN": "9000",
            ], clock: clock)
            return CLIHarness.Result(exit: TimeBankCLI.run(arguments, context: context), output: output.text, errors: errors.text)
        }
        let contributed = after(minutes: 3, contribute)
        #expect(contributed.exit == 0, "\(contributed.errors)")
        #expect(contributed.output.hasPrefix("Already recorded under this key (same content): nothing changed.\nContribution of 泰山路超市 on "
                                             + "2027-01-04:"), "\(contributed.output)")
        let donated = after(minutes: 3, donate)
        #expect(donated.exit == 0, "\(donated.errors)")
        #expect(donated.output.hasPrefix("Already recorded under this key (same content): nothing changed.\nDonation of 100.00 CNY by 鲁味斋 on "
                                         + "2027-01-04"), "\(donated.output)")
        #expect(after(minutes: 3, ["fund", "report"]).output.contains("Closing balance on 2027-01-05: 112.35"))
        // Given --date, another date under the same key is another write: F009.
        let dated = after(minutes: 4, donate + ["--date", "2027-01-05"])
        #expect(dated.exit == 1 && dated.errors.hasPrefix("error[F009]: the key \"收据-17\" was used already"), "\(dated.errors)")
    }

    @Test("fund contribute: 0.1% of turnover rounded half-up; the key comes from the arguments, so a retry adds nothing")
    func contribute() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        let first = cli.asAdmin(["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "12345.67", "--date", "2026-10-03"])
        #expect(first.exit == 0, "\(first.errors)")
        #expect(first.output == """
            Contribution of 泰山路超市 on 2026-10-03: 12345.67 CNY turnover × 0.001 (policy #1) = 12.35 CNY, rounded half-up to the fen \
            (entry #1, key contribution:泰山路超市:2026-10-03).
            Fund balance: 12.35 CNY

            """)
        let retry = cli.asAdmin(["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "12345.67", "--date", "2026-10-03"])
        #expect(retry.exit == 0)
        // A retry, or a second contribution of the same merchant and day: the line says how to record the second.
        #expect(retry.output.hasPrefix("Already recorded under this key (same content): nothing changed. A second contribution of "
                                       + "泰山路超市 on 2026-10-03 needs a key of its own: --key contribution:泰山路超市:2026-10-03:2\n"))
        #expect(retry.output.hasSuffix("Fund balance: 12.35 CNY\n"))

        // Another turnover for the same merchant and day needs its own key.
        let other = cli.asAdmin(["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "100", "--date", "2026-10-03"])
        #expect(other.exit == 1)
        #expect(other.errors.hasPrefix("error[F009]: the key \"contribution:泰山路超市:2026-10-03\" was used already"))
        #expect(other.errors.contains("give it its own --key (for example --key contribution:泰山路超市:2026-10-03:2)"), "\(other.errors)")
        let json = cli.asAdmin(["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "100", "--date", "2026-10-03",
                                "--key", "evening", "--json"])
        #expect(json.exit == 0)
        // 100.00 × 0.001 = 0.10
        #expect(json.output.contains("\"amount\": 0.10") && json.output.contains("\"fund_balance\": 12.45"))
        // The fund's passbook is in CNY without --asset; an unknown fund account is L006, a mistyped volunteer C003.
        let statement = try cli.ok(["statement", "fund:main"])
        #expect(statement.hasPrefix("fund:main") || statement.contains("(fund:main)  CNY"))
        #expect(statement.hasSuffix("Balance: 12.45 CNY\n"))
        #expect(cli.run(["statement", "fund:other"]).errors.hasPrefix("error[L006]: no account \"fund:other\": the engine's accounts are"))
        #expect(cli.run(["balance", "system:pool"]).errors.contains("system:pool, opened by the first booking and the first donation"))
        #expect(cli.run(["statement", "volunteer:V99"]).errors.hasPrefix("error[C003]"))

        // Rounds to nothing: refused with exit 1; an admin's sign-in is needed.
        #expect(cli.asAdmin(["fund", "contribute", "--merchant", "报刊亭", "--turnover", "4.99", "--date", "2026-10-03"]).exit == 1)
        let unsigned = cli.run(["fund", "contribute", "--merchant", "报刊亭", "--turnover", "1000", "--date", "2026-10-03"])
        #expect(unsigned.exit != 0 && unsigned.errors.contains("error[O"))
        let store = try TimeBankStore(path: cli.databasePath)
        #expect(try store.balance(.fund, .cny) == 1_245)
        #expect(try store.head().count == 2)
    }

    @Test("names typed with stray spaces make one default key: a retry with a trailing or doubled space records nothing")
    func namesNormalised() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        let first = cli.asAdmin(["fund", "contribute", "--merchant", "泰山路超市 ", "--turnover", "10000", "--date", "2026-10-03"])
        #expect(first.exit == 0, "\(first.errors)")
        #expect(first.output.contains("Contribution of 泰山路超市 on 2026-10-03") && first.output.contains("key contribution:泰山路超市:2026-10-03)"))
        for retry in ["泰山路超市", "\u{3000}泰山路超市", " 泰山路超市  "] {
            let again = cli.asAdmin(["fund", "contribute", "--merchant", retry, "--turnover", "10000", "--date", "2026-10-03"])
            #expect(again.exit == 0 && again.output.hasPrefix("Already recorded under this key (same content): nothing changed."), "\(retry)")
        }
        let donation = cli.asAdmin(["fund", "donate", "--donor", "爱心企业  鲁味斋", "--amount", "500", "--date", "2026-10-03", "--json"])
        #expect(donation.output.contains("\"donor\": \"爱心企业 鲁味斋\"") && donation.output.contains("\"key\": \"donation:爱心企业 鲁味斋:2026-10-03\""))
        let retry = cli.asAdmin(["fund", "donate", "--donor", "爱心企业\u{3000}鲁味斋", "--amount", "500", "--date", "2026-10-03", "--json"])
        #expect(retry.output.contains("\"outcome\": \"exists\""))
        #expect(try TimeBankStore(path: cli.databasePath).balance(.fund, .cny) == 51_000)
        // An amount with zeros after the fen is the same amount: 1.000 is 1.00.
        let zeros = cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "1.000", "--date", "2026-10-03", "--json"])
        #expect(zeros.exit == 0 && zeros.output.contains("\"amount\": 1.00"), "\(zeros.errors)")
        #expect(cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "1.005", "--date", "2026-10-04"]).errors
                    .contains("--amount \"1.005\" has 3 decimals"))
        let blank = cli.asAdmin(["fund", "donate", "--donor", "\u{3000} ", "--amount", "500", "--date", "2026-10-03"])
        #expect(blank.exit == 2 && blank.errors.hasPrefix("error[F005]: the donor name is empty"), "\(blank.errors)")
        let store = try TimeBankStore(path: cli.databasePath)
        #expect(try store.balance(.fund, .cny) == 51_100)
        #expect(try store.head().count == 3)
    }

    @Test("fund donate --key dividend:2026-10 is refused (F018): it would take the key of that month's dividend")
    func reservedKey() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        let refused = cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "100", "--date", "2026-10-03", "--key", "dividend:2026-10"])
        #expect(refused.exit == 2)
        #expect(refused.errors.hasPrefix("error[F018]: the key \"dividend:2026-10\" starts with \"dividend:\""), "\(refused.errors)")
        #expect(refused.errors.contains("leave --key out for the default key"))
        #expect(cli.asAdmin(["fund", "contribute", "--merchant", "某店", "--turnover", "1000", "--key", "donation:某店"]).errors.hasPrefix("error[F018]"))
        #expect(try TimeBankStore(path: cli.databasePath).head().count == 0)
    }

    @Test("the default key uses the name as typed when a write from before names were normalised is stored under it")
    func defaultKeyOfOlderRows() throws {
        #expect(defaultFundKey("contribution", name: " 泰山路超市 ", date: LocalDate("2026-10-03")!) { _ in false }
                == "contribution:泰山路超市:2026-10-03")
        #expect(defaultFundKey("contribution", name: " 泰山路超市 ", date: LocalDate("2026-10-03")!) { $0 == "contribution: 泰山路超市 :2026-10-03" }
                == "contribution: 泰山路超市 :2026-10-03")
        #expect(defaultFundKey("donation", name: "街道办", date: LocalDate("2026-10-03")!) { _ in true } == "donation:街道办:2026-10-03")
    }

    @Test("fund report: the warning below 1, none above, and the same numbers in JSON")
    func report() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        cli.award("V1", "100", on: "2026-10-01")
        #expect(cli.asAdmin(["fund", "donate", "--donor", "爱心企业", "--amount", "20", "--date", "2026-10-02"]).exit == 0)
        // 20.00 CNY for 100.00 points × 0.50 = 50.00 CNY: 0.4.
        let below = cli.run(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31"])
        #expect(below.exit == 0)
        #expect(below.output == """
            Micro-fund (微基金) from 2026-10-01 to 2026-10-31, CNY

            Opening balance on 2026-10-01: 0.00

            Kind       Entries     In   Out
            ---------  -------  -----  ----
            donations        1  20.00
            total            1  20.00  0.00

            Closing balance on 2026-10-31: 20.00

            积分 outstanding at the end of 2026-10-31: 100.00
              volunteers 100.00, households 0.00, held for bookings 0.00
            Point value (policy #1): 0.5 CNY; the 积分 are worth 50.00 CNY
            Coverage ratio (fund ÷ value of the points): 0.4000
            WARNING: the fund covers only 0.4000 of the points outstanding (20.00 CNY for points worth 50.00 CNY; short by 30.00 CNY)

            """)
        let belowJSON = cli.run(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]).output
        #expect(belowJSON.contains("\"coverage_ratio\": 0.400000") && belowJSON.contains("\"below_one\": true"))

        // 40.00 more: 60.00 for 50.00, 1.2.
        #expect(cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "40", "--date", "2026-10-20"]).exit == 0)
        let above = cli.run(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31"])
        #expect(above.output.contains("Coverage ratio (fund ÷ value of the points): 1.2000\n"))
        #expect(!above.output.contains("WARNING"))
        let aboveJSON = cli.run(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]).output
        #expect(aboveJSON.contains("\"below_one\": false") && aboveJSON.contains("\"warning\": null"))
        #expect(cli.run(["fund", "report", "--from", "2026-10-31", "--to", "2026-10-01"]).exit == 2)
    }

    @Test("fund report: a fund short by one fen reads 0.9999, not 1.0000, in the ratio line, the WARNING, the JSON and report fund")
    func shortByOneFen() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        cli.award("V1", "2000", on: "2026-10-01")
        #expect(cli.asAdmin(["fund", "donate", "--donor", "爱心企业", "--amount", "999.99", "--date", "2026-10-02"]).exit == 0)
        // 999.99 CNY for 2,000.00 points × 0.50 = 1,000.00 CNY: 0.99999, which half-up to 4 decimals would read 1.0000.
        let text = try cli.ok(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31"])
        #expect(text.contains("Coverage ratio (fund ÷ value of the points): 0.9999\n"
                              + "WARNING: the fund covers only 0.9999 of the points outstanding (999.99 CNY for points worth 1000.00 CNY; "
                              + "short by 0.01 CNY)\n"), "\(text)")
        let json = try cli.ok(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31", "--json"])
        #expect(json.contains("\"coverage_ratio\": 0.999990,\n  \"coverage\": \"0.9999\",\n  \"below_one\": true"), "\(json)")
        let csv = try cli.ok(["report", "fund", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "csv"])
        #expect(csv.contains("coverage_ratio,,0.999990\ncoverage,,0.9999\nbelow_one,,true\n"), "\(csv)")
    }

    @Test("fund report --from after today without --to says that --to defaulted to today")
    func fundReportFromAfterToday() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        let result = cli.run(["fund", "report", "--from", "2027-02-01"])
        #expect(result.exit == 2)
        #expect(result.errors == "error[U001]: --from 2027-02-01 is after today (2027-01-05), where the range ends without --to; give --from "
                + "on or before 2027-01-05, or a --to on or after 2027-02-01\n", "\(result.errors)")
        #expect(cli.run(["fund", "report", "--from", "2027-02-01", "--to", "2027-01-31"]).errors.hasPrefix("error[F012]"))
        #expect(cli.run(["fund", "report", "--from", "2027-02-01", "--to", "2027-02-28"]).exit == 0)
    }

    @Test("fund report without a ratio says why in one plain sentence: no policy in force, point_value 0, no points")
    func noRatio() throws {
        let cli = try CLIHarness()
        try cli.community()
        #expect(cli.run(["post", "--from", "system:issuance", "--to", "V1", "--points", "10", "--kind", "award", "--key", "a1",
                         "--date", "2026-10-01"]).exit == 0)
        let noPolicy = try cli.ok(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31"])
        #expect(noPolicy.contains("No policy is in force on 2026-10-31: the points have no value in CNY\n"
                                  + "Coverage ratio: none, as no policy is in force on 2026-10-31 to give the points a value in CNY\n"), "\(noPolicy)")
        #expect(!noPolicy.contains("((") && !noPolicy.contains("))"))
        let table = try cli.ok(["report", "fund", "--from", "2026-10-01", "--to", "2026-10-31"])
        #expect(table.contains("Coverage ratio: none, as no policy is in force on 2026-10-31 to give the points a value in CNY.\n"), "\(table)")

        // A policy without [fund] values the points at 0.
        try cli.ok(["policy", "activate", try cli.write("policy.toml", stationCLIPolicy)])
        let unvalued = try cli.ok(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31"])
        #expect(unvalued.contains("Coverage ratio: none, as point_value is 0 in policy #1: the points are not backed by money\n"), "\(unvalued)")
        #expect(try cli.ok(["fund", "report", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]).contains("\"coverage\": \"points not valued in CNY\""))
        let none = try cli.ok(["fund", "report", "--from", "2026-09-01", "--to", "2026-09-30"])
        #expect(none.contains("Coverage ratio: none, as no points are outstanding\n"), "\(none)")
    }

    @Test("stock receive: a WARNING when a payment leaves the coverage below 1 or the fund below zero; more than the fund holds needs --reason (F016)")
    func deliveriesPaidFromTheFund() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        cli.award("V1", "100", on: "2026-10-01")   // worth 50.00 CNY at 0.5
        #expect(cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "60", "--date", "2026-10-01"]).exit == 0)

        // 2 × 10.00 leaves 40.00 CNY for 50.00 CNY of points: 0.8.
        let low = cli.asAdmin(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "2", "--key", "in-1", "--date", "2026-10-02"])
        #expect(low.exit == 0, "\(low.errors)")
        #expect(low.output.hasSuffix("""
              paid from the fund: entry #3
            WARNING: after this payment of 20.00 CNY the fund covers only 0.8000 of the points outstanding: balance 40.00 CNY \
            for points worth 50.00 CNY (coverage ratio below 1)

            """), "\(low.output)")

        // 10 × 30.00 = 300.00 from 40.00: a typo or a real delivery? Refused without a reason, nothing written.
        let store = try TimeBankStore(path: cli.databasePath)
        let count = try store.head().count
        let big = cli.asAdmin(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "10", "--key", "in-2", "--date", "2026-10-02"])
        #expect(big.exit == 1)
        #expect(big.errors.hasPrefix("error[F016]: the delivery costs 300.00 CNY (10 × 30.00 CNY for rice_5kg) but the fund holds 40.00 CNY: "
                                     + "it would leave -260.00 CNY; nothing was recorded."), "\(big.errors)")
        #expect(big.errors.contains("record it with --reason TEXT"))
        #expect(try store.head().count == count && store.stockLevel(station: "S1", item: "rice_5kg") == 0)

        // With a reason it is recorded, the reason kept in the entry's memo, and the warning gives the balance and ratio.
        let given = cli.asAdmin(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "10", "--key", "in-2", "--date", "2026-10-02",
                                 "--reason", "年货, 街道办下月拨款", "--json"])
        #expect(given.exit == 0, "\(given.errors)")
        #expect(given.output.contains("""
              "fund": {
                "balance": -260.00,
                "coverage_ratio": -5.200000,
                "below_one": true
              },
              "warning": "WARNING: after this payment of 300.00 CNY the fund is below zero: balance -260.00 CNY; coverage ratio -5.2000 \
            (points outstanding worth 50.00 CNY). Put money in (fund contribute, fund donate) or correct the delivery"
            """), "\(given.output)")
        #expect(try store.entry(sequence: count + 1)?.memo.hasSuffix(" 超支原因 年货, 街道办下月拨款") == true)
        // A retry (without the reason) finds it: nothing paid, no warning.
        let retry = cli.asAdmin(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "10", "--key", "in-2", "--date", "2026-10-02"])
        #expect(retry.exit == 0 && retry.output.hasPrefix("Already recorded") && !retry.output.contains("WARNING"))
        #expect(try store.head().count == count + 1)
        // In JSON, a retry has the members a new delivery has, with the fund as it stands now and no warning.
        let retryJSON = cli.asAdmin(["stock", "receive", "--station", "S1", "--item", "rice_5kg", "--qty", "10", "--key", "in-2", "--date", "2026-10-02", "--json"])
        #expect(retryJSON.output.contains("\"outcome\": \"exists\"") && retryJSON.output.contains("""
              "fund": {
                "balance": -260.00,
                "coverage_ratio": -5.200000,
                "below_one": true
              },
              "warning": null
            """), "\(retryJSON.output)")

        // Enough money again: no warning, and null in JSON.
        #expect(cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "1000", "--date", "2026-10-03"]).exit == 0)
        let fine = cli.asAdmin(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "1", "--key", "in-3", "--date", "2026-10-03", "--json"])
        #expect(fine.output.contains("\"below_one\": false") && fine.output.contains("\"warning\": null"), "\(fine.output)")
        #expect(!cli.asAdmin(["stock", "receive", "--station", "S1", "--item", "biscuits", "--qty", "1", "--key", "in-4"]).output.contains("WARNING"))
        // Adjustments and moves pay nothing and print no fund line.
        #expect(cli.asAdmin(["station", "add", "--id", "S2", "--name", "第二兑换站"]).exit == 0)
        let move = cli.asAdmin(["stock", "move", "--from", "S1", "--to", "S2", "--item", "biscuits", "--qty", "1", "--key", "mv-1", "--json"])
        #expect(move.exit == 0 && !move.output.contains("\"fund\""), "\(move.errors)")
        #expect(try cli.ok(["verify"]).hasPrefix("OK"))
    }

    @Test("dividend: prints the allocation table, posts once on a retry, and verify stays clean")
    func dividend() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        for volunteer in ["V1", "V3", "V4"] { cli.award(volunteer, "10", on: "2026-11-10") }
        cli.award("V2", "5", on: "2026-11-11")   // V2 has no household: no share
        #expect(cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "150", "--date", "2026-11-01"]).exit == 0)

        let paid = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "100", "--date", "2026-12-01"])
        #expect(paid.exit == 0, "\(paid.errors)")
        #expect(paid.output == """
            Dividend 2026-11 (2026-11-01 to 2026-11-30), basis earned: 100.00 CNY to 3 households, paid 2026-12-01 in entry #6 (key dividend:2026-11).
            Points earned in the period: 30.00 by households; 5.00 by volunteers without a household (no share).

            Household  Name  Points earned  Share CNY  Leftover CNY
            ---------  ----  -------------  ---------  ------------
            H1         王家          10.00      33.34         +0.01
            H2         李家          10.00      33.33
            H3         张家          10.00      33.33
            total                    30.00     100.00         +0.01

            Each share is the floor of amount × points ÷ total points; the 1 fen left over went to the largest remainders \
            (ties: more points first, then household id).

            """)
        // A retry: the same --date, or none (today's date then stands for "whenever it was paid").
        for dateOptions in [["--date", "2026-12-01"], []] {
            let retry = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "100"] + dateOptions)
            #expect(retry.exit == 0)
            #expect(retry.output.hasPrefix("Already paid under this key (same content): nothing changed.\n"))
        }
        // Another --date is another payment under the same key.
        let otherDay = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "100", "--date", "2026-12-02"])
        #expect(otherDay.exit == 1 && otherDay.errors.contains("error[F009]") && otherDay.errors.contains("paid on 2026-12-01"))
        let store = try TimeBankStore(path: cli.databasePath)
        #expect(try store.head().count == 6)
        #expect(try store.balance(.fund, .cny) == 5_000)
        #expect(try store.balance(.household("H1"), .cny) == 3_334)
        // --unsettled needs a reason; on a period with nothing left to post it is not needed, and the output says so.
        let noReason = cli.asAdmin(["dividend", "--period", "2026-10", "--amount", "1", "--unsettled"])
        #expect(noReason.exit == 2 && noReason.errors.contains("--unsettled needs --reason TEXT"))
        cli.award("V1", "10", on: "2026-10-05")
        let early = cli.asAdmin(["dividend", "--period", "2026-10", "--amount", "1", "--key", "oct", "--unsettled", "--reason", "提前"])
        #expect(early.exit == 0, "\(early.errors)")
        #expect(early.output.hasSuffix("NOTE: --unsettled was not needed: the period's nights are settled and all its records posted "
                                       + "(the reason was not recorded)\n"))
        let earlyAgain = cli.asAdmin(["dividend", "--period", "2026-10", "--amount", "1", "--key", "oct", "--unsettled", "--reason", "提前"])
        #expect(earlyAgain.output.hasPrefix("Already paid under this key: left as it was, paid on finished figures with no reason; "
                                            + "--reason 提前 was not kept.\n"), "\(earlyAgain.output)")

        let json = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "100", "--json"])
        #expect(json.output.contains("\"outcome\": \"exists\"") && json.output.contains("\"remainder_fen\": 1"))
        let basis = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "10", "--basis", "balance", "--key", "b", "--date", "2026-12-01"])
        #expect(basis.exit == 2 && basis.errors.contains("accepted: \"earned\""))
        // A basis in capitals is read as a period in small letters is (2026-q4).
        #expect(try DividendBasis(parsing: "Earned") == .earned)
        #expect(cli.asAdmin(["dividend", "--period", "2026-W48", "--amount", "10", "--key", "w", "--date", "2026-12-01"]).exit == 2)
        // A mistyped period or basis is reported as such before any PIN is asked for.
        let noPIN = ["TIMEBANK_OPERATOR": "admin"]
        let period = cli.run(["dividend", "--period", "2026-13", "--amount", "10"], environment: noPIN)
        #expect(period.exit == 2 && period.errors.hasPrefix("error[F006]"), "\(period.errors)")
        let unknownBasis = cli.run(["dividend", "--period", "2026-11", "--amount", "10", "--basis", "balance"], environment: noPIN)
        #expect(unknownBasis.exit == 2 && unknownBasis.errors.hasPrefix("error[F007]"), "\(unknownBasis.errors)")
        #expect(cli.run(["dividend", "--period", "2026-11", "--amount", "10"], environment: noPIN).errors.hasPrefix("error[O002]"))
        let tooMuch = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "50.01", "--key", "second", "--date", "2026-12-01"])
        #expect(tooMuch.exit == 1 && tooMuch.errors.hasPrefix("error[F008]"))
        let verify = cli.run(["verify"])
        #expect(verify.exit == 0, "\(verify.output)\(verify.errors)")
    }

    @Test("verify checks each dividend's allocation table against its entries (V013): a share edited behind the ledger's back fails with exit 3")
    func verifyChecksDividendShares() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        for volunteer in ["V1", "V3", "V4"] { cli.award(volunteer, "10", on: "2026-11-10") }
        #expect(cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "150", "--date", "2026-11-01"]).exit == 0)
        #expect(cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "100", "--date", "2026-12-01"]).exit == 0)
        let clean = try cli.ok(["verify"])
        #expect(clean.contains("\nDividends: the allocation tables of 1 dividend agree with their entries.\n"), "\(clean)")
        // A fen moved from H2's share to H1's in the table only: the retry would print it, the ledger paid otherwise.
        let store = try TimeBankStore(path: cli.databasePath)
        try store.database.execute("DROP TRIGGER dividend_shares_append_only_update")
        try store.database.execute("UPDATE dividend_shares SET share = share + 1 WHERE household = 'H1'")
        try store.database.execute("UPDATE dividend_shares SET share = share - 1 WHERE household = 'H2'")
        let result = cli.run(["verify"])
        #expect(result.exit == 3)
        #expect(result.errors.contains("error[V013]: the dividend \"dividend:2026-11\" of 2026-11: the allocation table gives household:H1 "
            + "33.35 CNY, but its entries paid 33.34 CNY"), "\(result.errors)")
        #expect(result.errors.contains("household:H2 33.32 CNY, but its entries paid 33.33 CNY"))
        // A share added for a household the entries never paid, and a total that no longer adds up.
        try store.database.execute("UPDATE dividend_shares SET share = share + 5 WHERE household = 'H3'")
        let more = cli.run(["verify"])
        #expect(more.errors.contains("its allocation table shares out 100.05 CNY, but the dividend is 100.00 CNY"), "\(more.errors)")
    }

    @Test("dividend to one household that divides exactly: '1 household', no 'the 0 fen left over' sentence; F011 names the first date to give")
    func dividendToOneHousehold() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        cli.award("V3", "10", on: "2026-11-10")
        #expect(cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "150", "--date", "2026-11-01"]).exit == 0)

        let early = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "33.33", "--date", "2026-11-30"])
        #expect(early.exit == 1)
        #expect(early.errors == "error[F011]: the period 2026-11 runs until 2026-11-30: a dividend paid on 2026-11-30 would miss points still "
                + "to be earned; pay it on 2026-12-01 or later (--date 2026-12-01, or without --date once that day has come)\n", "\(early.errors)")

        let paid = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "33.33", "--date", "2026-12-01"])
        #expect(paid.exit == 0, "\(paid.errors)")
        #expect(paid.output.contains("basis earned: 33.33 CNY to 1 household, paid 2026-12-01"), "\(paid.output)")
        #expect(paid.output.hasSuffix("\nEach share is the floor of amount × points ÷ total points; the floors add up to the amount, "
                                      + "so no fen was left over.\n"), "\(paid.output)")
        #expect(!paid.output.contains("0 fen left over"))

        // A household that earned but whose share comes to less than a fen is in the table with 0.00: the first line says so,
        // so that "to 1 household" above a table of two does not read as a mistake.
        cli.award("V4", "1000", on: "2026-10-10")
        cli.award("V3", "1", on: "2026-10-11")
        let small = cli.asAdmin(["dividend", "--period", "2026-10", "--amount", "0.05", "--date", "2026-11-02"])
        #expect(small.exit == 0, "\(small.errors)")
        #expect(small.output.contains("basis earned: 0.05 CNY to 1 household (1 more earned points, but its share came to less than "
                                      + "a fen), paid 2026-11-02"), "\(small.output)")

        let blank = cli.asAdmin(["fund", "contribute", "--merchant", " ", "--turnover", "1000", "--date", "2026-11-02"])
        #expect(blank.errors == "error[F005]: the merchant name is empty; nothing was written: give the merchant name in words, on one line\n",
                "\(blank.errors)")
    }

    @Test("dividend: a payment reversed by hand says so on a retry, and the period is paid again under a key of its own")
    func dividendReversedByHand() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        for volunteer in ["V1", "V3"] { cli.award(volunteer, "10", on: "2026-11-10") }
        #expect(cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "150", "--date", "2026-11-01"]).exit == 0)
        let paid = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "100", "--date", "2026-12-01"])
        #expect(paid.exit == 0, "\(paid.errors)")
        #expect(cli.asAdmin(["reverse", "4", "--key", "undo-dividend", "--reason", "金额录错了"]).exit == 0)

        let retry = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "100"])
        #expect(retry.exit == 0)
        #expect(retry.output.hasPrefix("Already paid under this key (same content): nothing changed.\n"))
        #expect(retry.output.hasSuffix("NOTE: it was reversed by hand since (#4 by #5); the key stays taken: to pay 2026-11 again, "
                                       + "give the payment its own --key (for example --key dividend:2026-11-2)\n"), "\(retry.output)")
        let json = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "100", "--json"]).output
        #expect(json.contains("\"reversed_by\": [\n    5\n  ]") || json.contains("\"reversed_by\": [5]"), "\(json)")
        let otherAmount = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "80"])
        #expect(otherAmount.exit == 1 && otherAmount.errors.contains("entry #4; reversed by hand in entry #5)"), "\(otherAmount.errors)")

        let again = cli.asAdmin(["dividend", "--period", "2026-11", "--amount", "80", "--key", "dividend:2026-11-2"])
        #expect(again.exit == 0, "\(again.errors)")
        let store = try TimeBankStore(path: cli.databasePath)
        #expect(try store.balance(.fund, .cny) == 7_000)
        #expect(try store.balance(.household("H1"), .cny) == 4_000)
        let verify = cli.run(["verify"])
        #expect(verify.exit == 0, "\(verify.output)\(verify.errors)")
    }

    @Test("a contribution or donation reversed by hand says so on a retry and in F009, and is recorded again under a key of its own")
    func contributionReversedByHand() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        // 80,000.00 typed for 8,000.00: 80.00 CNY at 0.1% (entry #1), reversed by hand (#2).
        let typo = ["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "80000", "--date", "2026-11-20"]
        #expect(cli.asAdmin(typo).exit == 0)
        #expect(cli.asAdmin(["reverse", "1", "--key", "undo-contribution", "--reason", "营业额录错了"]).exit == 0)

        let retry = cli.asAdmin(typo)
        #expect(retry.exit == 0)
        #expect(retry.output.hasSuffix("Fund balance: 0.00 CNY\nNOTE: it was reversed by hand since (#1 by #2); the key stays taken: "
                                       + "to record it again, give it its own --key (for example --key contribution:泰山路超市:2026-11-20:2)\n"),
                "\(retry.output)")
        #expect(cli.asAdmin(typo + ["--json"]).output.contains("\"reversed_by\": 2"))
        let corrected = cli.asAdmin(["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "8000", "--date", "2026-11-20"])
        #expect(corrected.exit == 1)
        #expect(corrected.errors.contains("error[F009]: the key \"contribution:泰山路超市:2026-11-20\" was used already for the contribution of "
                                          + "泰山路超市 on 2026-11-20 (turnover 80000.00 CNY, entry #1; reversed by hand in entry #2)"),
                "\(corrected.errors)")
        #expect(cli.asAdmin(["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "8000", "--date", "2026-11-20",
                             "--key", "contribution:泰山路超市:2026-11-20:2"]).exit == 0)

        // A donation the same way: 5,000 typed for 500 (#4), reversed (#5).
        let donation = ["fund", "donate", "--donor", "王先生", "--amount", "5000", "--date", "2026-11-20"]
        #expect(cli.asAdmin(donation).exit == 0)
        #expect(cli.asAdmin(["reverse", "4", "--key", "undo-donation", "--reason", "多打了一个0"]).exit == 0)
        #expect(cli.asAdmin(donation).output.hasSuffix("NOTE: it was reversed by hand since (#4 by #5); the key stays taken: to record it "
                                                       + "again, give it its own --key (for example --key donation:王先生:2026-11-20:2)\n"))
        let other = cli.asAdmin(["fund", "donate", "--donor", "王先生", "--amount", "500", "--date", "2026-11-20"])
        #expect(other.exit == 1 && other.errors.contains("(entry #4; reversed by hand in entry #5)"), "\(other.errors)")
        // Not reversed: no NOTE.
        #expect(!cli.asAdmin(["fund", "contribute", "--merchant", "泰山路超市", "--turnover", "8000", "--date", "2026-11-20",
                              "--key", "contribution:泰山路超市:2026-11-20:2"]).output.contains("NOTE"))
        #expect(try TimeBankStore(path: cli.databasePath).balance(.fund, .cny) == 800)
    }

    @Test("dividend --unsettled: a retry (after a timeout, its first output never seen) says again that it was paid before the period was fully posted")
    func unsettledDividendRetry() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        cli.award("V1", "10", on: "2026-10-02")
        #expect(cli.asAdmin(["fund", "donate", "--donor", "街道办", "--amount", "100", "--date", "2026-10-01"]).exit == 0)
        try cli.ok(["settle", "--date", "2026-10-05"])
        let pay = ["dividend", "--period", "2026-10", "--amount", "50", "--date", "2026-11-02"]
        #expect(cli.asAdmin(pay).errors.hasPrefix("error[F014]"))
        let note = "on the points posted so far, before the period was fully posted (nights settled only up to 2026-10-05); reason: 委员会决定提前发放\n"
        let paid = cli.asAdmin(pay + ["--unsettled", "--reason", "委员会决定提前发放"])
        #expect(paid.exit == 0 && paid.output.hasSuffix("NOTE: paid " + note), "\(paid.output)\(paid.errors)")
        for retry in [pay, pay + ["--unsettled", "--reason", "委员会决定提前发放"]] {
            let again = cli.asAdmin(retry)
            #expect(again.exit == 0)
            #expect(again.output.hasPrefix("Already paid under this key (same content): nothing changed.\n"))
            #expect(again.output.hasSuffix("NOTE: it was paid " + note), "\(again.output)")
        }
        #expect(cli.asAdmin(pay + ["--json"]).output.contains("\"note\": \"it was paid on the points posted so far"))
        // Sent again with another reason: the first reason stands, and the retry says the new one was not kept (it said
        // "same content" and dropped it before).
        let otherReason = cli.asAdmin(pay + ["--unsettled", "--reason", "另一个理由"])
        #expect(otherReason.exit == 0)
        #expect(otherReason.output.hasPrefix("Already paid under this key: left as it was, with the reason 委员会决定提前发放; "
                                             + "--reason 另一个理由 was not kept.\n"), "\(otherReason.output)")
        #expect(otherReason.output.hasSuffix("NOTE: it was paid " + note), "\(otherReason.output)")
        let otherReasonJSON = cli.asAdmin(pay + ["--unsettled", "--reason", "另一个理由", "--json"]).output
        #expect(otherReasonJSON.contains("\"note\": \"already paid under this key: left as it was, with the reason 委员会决定提前发放; --reason 另一个理由 was not kept. "
                                         + "it was paid on the points posted so far"))
        #expect(otherReasonJSON.contains("\"not_kept\": [\n    {\n      \"option\": \"--reason\",\n      \"given\": \"另一个理由\",\n      \"kept\": \"委员会决定提前发放\""),
                "\(otherReasonJSON)")
        #expect(try TimeBankStore(path: cli.databasePath).balance(.fund, .cny) == 5_000)
    }

    @Test("a donation sent twice without --key is recorded once, and the retry's line gives the key for a second donation that day")
    func secondDonationOfADay() throws {
        let cli = try CLIHarness()
        try cli.fundCommunity()
        let donate = ["fund", "donate", "--donor", "王先生", "--amount", "500", "--date", "2026-10-03"]
        #expect(cli.asAdmin(donate).exit == 0)
        let again = cli.asAdmin(donate)
        #expect(again.output.hasPrefix("Already recorded under this key (same content): nothing changed. A second donation of 王先生 on "
                                       + "2026-10-03 needs a key of its own: --key donation:王先生:2026-10-03:2\n"), "\(again.output)")
        let second = donate + ["--key", "donation:王先生:2026-10-03:2"]
        #expect(cli.asAdmin(second).exit == 0)
        // A retry under a key given by hand needs no such advice.
        #expect(cli.asAdmin(second).output.hasPrefix("Already recorded under this key (same content): nothing changed.\nDonation of 500.00"))
        #expect(try TimeBankStore(path: cli.databasePath).balance(.fund, .cny) == 100_000)
    }
}
