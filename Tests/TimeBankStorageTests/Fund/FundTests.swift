import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// The station test policy with a fund: merchants pay 0.1% of turnover, one point is backed by 0.50 CNY.
func fundTestPolicy(rate: String = "0.001", pointValue: String = "0.5") -> String {
    stationTestPolicy() + """


    [fund]
    currency = "CNY"
    merchant_rate = \(rate)
    point_value = \(pointValue)
    """
}

private func day(_ text: String) -> LocalDate { LocalDate(text)! }

/// Row counts of the fund tables, to show that a refusal wrote nothing there either.
private func fundRows(_ f: StationFixture) throws -> [Int64] {
    try ["fund_contributions", "fund_donations", "dividends", "dividend_shares"].map { table in
        try f.store.database.statement("SELECT count(*) FROM \(table)").first { $0.int64(0) } ?? -1
    }
}

/// `expectRefusal` plus the fund tables.
private func expectFundRefusal(_ f: StationFixture, _ code: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                               _ body: () throws -> Void) throws {
    let before = try fundRows(f)
    try f.expectRefusal(code, sourceLocation: sourceLocation, body)
    #expect(try fundRows(f) == before, "a refusal wrote a fund row", sourceLocation: sourceLocation)
}

@Suite("Fund: contributions and donations")
struct FundContributionTests {
    @Test("a contribution is 0.1% of turnover, rounded half-up to the fen, posted once")
    func contribution() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        // 12,345.67 × 0.001 = 12.34567 CNY → 12.35
        let outcome = try f.store.contribute(merchant: "泰山路超市", turnover: 1_234_567, date: day("2026-10-03"), key: "c1", actor: "admin")
        #expect(outcome.isNew)
        let contribution = outcome.value
        #expect(contribution.amount == 1_235)
        #expect(contribution.rate == ExactDecimal("0.001")!)
        #expect(contribution.policyVersion == 1)
        let entry = try #require(try f.store.entry(sequence: contribution.entry))
        #expect(entry.kind == .fund && entry.key == "fund:c1" && entry.effectiveDate == day("2026-10-03"))
        #expect(Set(entry.postings) == [Posting(account: .fund, asset: .cny, amount: 1_235), Posting(account: .outside, asset: .cny, amount: -1_235)])
        #expect(try f.store.balance(.fund, .cny) == 1_235)

        // A retry with the same content is found, not posted again.
        let count = try f.store.head().count
        let again = try f.store.contribute(merchant: "泰山路超市", turnover: 1_234_567, date: day("2026-10-03"), key: "c1", actor: "other-admin")
        #expect(!again.isNew && again.value == contribution)
        #expect(try f.store.head().count == count)

        // 5.00 × 0.001 = 0.005: half a fen rounds up to 0.01.
        #expect(try f.store.contribute(merchant: "早餐店", turnover: 500, date: day("2026-10-03"), key: "c2", actor: "admin").value.amount == 1)
        #expect(try f.store.balance(.fund, .cny) == 1_236)
        try f.expectClean()
    }

    @Test("refusals write nothing: rounds to zero, bad turnover, key reused, bad name, no rate, no policy")
    func contributionRefusals() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        try f.store.contribute(merchant: "泰山路超市", turnover: 100_000, date: day("2026-10-03"), key: "c1", actor: "admin")
        // 4.99 × 0.001 = 0.00499 → 0.00
        try expectFundRefusal(f, "F004") { try f.store.contribute(merchant: "报刊亭", turnover: 499, date: day("2026-10-03"), key: "c2", actor: "admin") }
        try expectFundRefusal(f, "F002") { try f.store.contribute(merchant: "报刊亭", turnover: 0, date: day("2026-10-03"), key: "c2", actor: "admin") }
        try expectFundRefusal(f, "F002") { try f.store.contribute(merchant: "报刊亭", turnover: -100, date: day("2026-10-03"), key: "c2", actor: "admin") }
        try expectFundRefusal(f, "F009") { try f.store.contribute(merchant: "泰山路超市", turnover: 100_001, date: day("2026-10-03"), key: "c1", actor: "admin") }
        try expectFundRefusal(f, "F005") { try f.store.contribute(merchant: " ", turnover: 100_000, date: day("2026-10-03"), key: "c3", actor: "admin") }
        try expectFundRefusal(f, "F005") { try f.store.contribute(merchant: "a\nb", turnover: 100_000, date: day("2026-10-03"), key: "c3", actor: "admin") }
        // Before the first policy version takes effect there is no rate at all.
        try expectFundRefusal(f, "A006") { try f.store.contribute(merchant: "报刊亭", turnover: 100_000, date: day("2025-12-31"), key: "c4", actor: "admin") }
        // A donation may not take a contribution's key: the ledger key fund:c1 is taken.
        try expectFundRefusal(f, "F009") { try f.store.donate(donor: "某人", amount: 100, date: day("2026-10-03"), key: "c1", actor: "admin") }
        try f.expectClean()

        let noRate = try StationFixture(policy: stationTestPolicy())   // no [fund]: merchant_rate 0
        try expectFundRefusal(noRate, "F003") { try noRate.store.contribute(merchant: "报刊亭", turnover: 100_000, date: day("2026-10-03"), key: "c1", actor: "admin") }
    }

    @Test("a donation goes into the fund once, as kind donation")
    func donation() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        let donation = try f.store.donate(donor: "爱心企业 鲁味斋", amount: 50_000, date: day("2026-10-02"), key: "d1", actor: "admin", memo: "重阳节捐赠")
        #expect(donation.isNew && donation.value.amount == 50_000 && donation.value.memo == "重阳节捐赠")
        let entry = try #require(try f.store.entry(sequence: donation.value.entry))
        #expect(entry.kind == .donation && entry.memo == "重阳节捐赠")
        let count = try f.store.head().count
        #expect(try !f.store.donate(donor: "爱心企业 鲁味斋", amount: 50_000, date: day("2026-10-02"), key: "d1", actor: "admin").isNew)
        #expect(try f.store.head().count == count)
        try expectFundRefusal(f, "F009") { try f.store.donate(donor: "爱心企业 鲁味斋", amount: 60_000, date: day("2026-10-02"), key: "d1", actor: "admin") }
        try expectFundRefusal(f, "F002") { try f.store.donate(donor: "某人", amount: 0, date: day("2026-10-02"), key: "d2", actor: "admin") }
        #expect(try f.store.balance(.fund, .cny) == 50_000)
        try f.expectClean()
    }

    @Test("a date that was today's, not given (dateIsExplicit false): a retry on a later day finds the write under its key")
    func retryOnALaterDay() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        let contribution = try f.store.contribute(merchant: "泰山路超市", turnover: 100_000, date: day("2026-10-02"), key: "inv-1", actor: "admin",
                                                  dateIsExplicit: false).value
        let donation = try f.store.donate(donor: "鲁味斋", amount: 10_000, date: day("2026-10-02"), key: "r-1", actor: "admin", dateIsExplicit: false).value
        let count = try f.store.head().count
        let again = try f.store.contribute(merchant: "泰山路超市", turnover: 100_000, date: day("2026-10-03"), key: "inv-1", actor: "admin",
                                           dateIsExplicit: false)
        #expect(!again.isNew && again.value == contribution)
        let donatedAgain = try f.store.donate(donor: "鲁味斋", amount: 10_000, date: day("2026-10-03"), key: "r-1", actor: "admin", dateIsExplicit: false)
        #expect(!donatedAgain.isNew && donatedAgain.value == donation)
        #expect(try f.store.head().count == count)
        // Another date given is another write: F009, as before.
        try expectFundRefusal(f, "F009") {
            try f.store.contribute(merchant: "泰山路超市", turnover: 100_000, date: day("2026-10-03"), key: "inv-1", actor: "admin")
        }
        try expectFundRefusal(f, "F009") { try f.store.donate(donor: "鲁味斋", amount: 10_000, date: day("2026-10-03"), key: "r-1", actor: "admin") }
        try f.expectClean()
    }
}

@Suite("Fund: merchant and donor names")
struct FundNameTests {
    @Test("names are stored trimmed with inner runs of spaces made one; a retry typed differently finds the write",
          arguments: ["泰山路超市 ", "\u{3000}泰山路超市", " 泰山路超市\u{3000} ", "泰山路超市\u{00A0}"])
    func contributionName(typed: String) throws {
        let f = try StationFixture(policy: fundTestPolicy())
        let first = try f.store.contribute(merchant: typed, turnover: 100_000, date: day("2026-10-03"), key: "c1", actor: "admin")
        #expect(first.value.merchant == "泰山路超市")
        #expect(try f.store.entry(sequence: first.value.entry)?.memo.hasPrefix("商户注资 泰山路超市: ") == true)
        let count = try f.store.head().count
        let again = try f.store.contribute(merchant: "泰山路超市", turnover: 100_000, date: day("2026-10-03"), key: "c1", actor: "admin")
        #expect(!again.isNew && again.value == first.value)
        #expect(try f.store.head().count == count)
        try f.expectClean()
    }

    @Test("a donor's inner spaces, full-width or doubled, become one space")
    func donorName() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        let first = try f.store.donate(donor: "爱心企业  鲁味斋", amount: 50_000, date: day("2026-10-02"), key: "d1", actor: "admin")
        #expect(first.value.donor == "爱心企业 鲁味斋")
        #expect(try f.store.entry(sequence: first.value.entry)?.memo == "捐赠 爱心企业 鲁味斋")
        #expect(try !f.store.donate(donor: "爱心企业\u{3000}鲁味斋 ", amount: 50_000, date: day("2026-10-02"), key: "d1", actor: "admin").isNew)
        // Another donor under the key is still another write.
        try expectFundRefusal(f, "F009") { try f.store.donate(donor: "爱心企业 鲁味", amount: 50_000, date: day("2026-10-02"), key: "d1", actor: "admin") }
        #expect(try f.store.balance(.fund, .cny) == 50_000)
    }

    @Test("a name of spaces only (full-width ones too) is empty; length counts after trimming; line breaks stay refused")
    func refusals() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        for blank in ["", " ", "\u{3000}\u{3000}", " \u{00A0} "] {
            try expectFundRefusal(f, "F005") { try f.store.donate(donor: blank, amount: 100, date: day("2026-10-02"), key: "d1", actor: "admin") }
            try expectFundRefusal(f, "F005") { try f.store.contribute(merchant: blank, turnover: 100_000, date: day("2026-10-02"), key: "c1", actor: "admin") }
        }
        try expectFundRefusal(f, "F005") { try f.store.donate(donor: "爱心\n企业", amount: 100, date: day("2026-10-02"), key: "d1", actor: "admin") }
        let longest = String(repeating: "店", count: TimeBankStore.fundNameLengthMaximum)
        #expect(try f.store.donate(donor: "  " + longest + "  ", amount: 100, date: day("2026-10-02"), key: "d1", actor: "admin").value.donor == longest)
        try expectFundRefusal(f, "F005") { try f.store.donate(donor: longest + "店", amount: 100, date: day("2026-10-02"), key: "d2", actor: "admin") }
    }

    @Test("a row stored before names were normalised stays as it is, and a retry under its key still finds it")
    func storedBefore() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        let stored = try f.store.contribute(merchant: "泰山路超市", turnover: 100_000, date: day("2026-10-03"), key: "c1", actor: "admin")
        // As an older version wrote it: the name as typed, with its trailing space (the ledger entry is not touched;
        // the append-only trigger is lifted for the edit only).
        try f.store.database.execute("""
            DROP TRIGGER fund_contributions_append_only_update;
            UPDATE fund_contributions SET merchant = '泰山路超市 ' WHERE key = 'c1'
            """)
        let again = try f.store.contribute(merchant: "泰山路超市 ", turnover: 100_000, date: day("2026-10-03"), key: "c1", actor: "admin")
        #expect(!again.isNew && again.value.entry == stored.value.entry && again.value.merchant == "泰山路超市 ")
    }
}

@Suite("Fund: keys")
struct FundKeyTests {
    @Test("a key with the default-key prefix of another kind of write is refused (F018); its own kind's prefix is fine")
    func reservedPrefixes() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        try f.award(.volunteer("V1"), 10_000, on: "2026-10-01")
        try expectFundRefusal(f, "F018") { try f.store.donate(donor: "某人", amount: 100, date: day("2026-10-02"), key: "dividend:2026-10", actor: "admin") }
        try expectFundRefusal(f, "F018") { try f.store.donate(donor: "某人", amount: 100, date: day("2026-10-02"), key: "contribution:某人:2026-10-02", actor: "admin") }
        try expectFundRefusal(f, "F018") { try f.store.contribute(merchant: "某店", turnover: 100_000, date: day("2026-10-02"), key: "dividend:2026-10", actor: "admin") }
        try expectFundRefusal(f, "F018") { try f.store.contribute(merchant: "某店", turnover: 100_000, date: day("2026-10-02"), key: "donation:x", actor: "admin") }
        do {
            try f.store.donate(donor: "某人", amount: 100, date: day("2026-10-02"), key: "dividend:2026-10", actor: "admin")
        } catch let error as FundError {
            #expect(error.message.hasPrefix("the key \"dividend:2026-10\" starts with \"dividend:\", the prefix of the keys `dividend` makes by itself"))
            #expect(error.message.contains("\"2026-10\""))
        }
        // Each kind may use its own prefix (that is what its command does without --key), and other keys are free.
        #expect(try f.store.donate(donor: "某人", amount: 10_000, date: day("2026-10-02"), key: "donation:某人:2026-10-02", actor: "admin").isNew)
        #expect(try f.store.contribute(merchant: "某店", turnover: 100_000, date: day("2026-10-02"), key: "contribution:某店:2026-10-02", actor: "admin").isNew)
        #expect(try f.store.donate(donor: "某人", amount: 100, date: day("2026-10-02"), key: "2026-10 second", actor: "admin").isNew)
        // So the dividend's default key is still free for it.
        #expect(try f.store.payDividend(period: "2026-10", amount: 50, key: "dividend:2026-10", actor: "admin", date: day("2026-11-02")).isNew)
    }
}

@Suite("Fund: deliveries paid from the fund")
struct FundDeliveryTests {
    @Test("a delivery costing more than the fund holds: F016 when the request needs a reason and gives none; recorded with one")
    func shortfall() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        try f.store.donate(donor: "街道办", amount: 5_000, date: day("2026-10-01"), key: "d1", actor: "admin")
        func request(_ key: String, _ quantity: Int, reason: String = "") -> StockReceiveRequest {
            StockReceiveRequest(key: key, station: "S01", item: "biscuits", quantity: quantity, date: f.today,
                                needsReasonWhenFundShort: true, fundShortfallReason: reason)
        }
        // 5 × 10.00 = 50.00: all the fund holds, no reason needed.
        #expect(try f.store.receiveStock(request("in-1", 5), by: f.op1).entry != nil)
        try f.expectRefusal("F016") { try f.store.receiveStock(request("in-2", 1), by: f.op1) }
        try f.expectRefusal("F016") { try f.store.receiveStock(request("in-2", 1, reason: " \u{3000} "), by: f.op1) }
        let given = try f.store.receiveStock(request("in-2", 1, reason: "发票 0153"), by: f.op1)
        #expect(try f.store.entry(sequence: try #require(given.entry))?.memo.hasSuffix(" 超支原因 发票 0153") == true)
        #expect(try f.store.balance(.fund, .cny) == -1_000)
        // The same delivery again, without the reason: found, not refused.
        #expect(try !f.store.receiveStock(request("in-2", 1), by: f.op1).isNew)
        // A caller that does not ask for the check (the default) records it as before.
        #expect(try f.store.receiveStock(StockReceiveRequest(key: "in-3", station: "S01", item: "biscuits", quantity: 1, date: f.today), by: f.op1).isNew)
        try f.expectClean()
    }
}

@Suite("Fund: the report and the coverage ratio")
struct FundReportTests {
    /// Awards 100.00 (V1) and 600.00 (V4) points on 10-01 and 40.00 (V3, no household) on 10-02; a donation of
    /// 200.00 CNY on 10-02; a contribution of 12.35 CNY on 10-03; on 10-08: 3 biscuits received (3 × 10.00 CNY),
    /// V1 redeems a health check (100 points; the fund pays its 50.00 CNY unit cost) and V4 books home cleaning
    /// (80 points held in system:held).
    func community() throws -> StationFixture {
        let f = try StationFixture(policy: fundTestPolicy())
        try f.award(.volunteer("V1"), 10_000, on: "2026-10-01")
        try f.award(.volunteer("V4"), 60_000, on: "2026-10-01")
        try f.award(.volunteer("V3"), 4_000, on: "2026-10-02")
        try f.store.donate(donor: "爱心企业", amount: 20_000, date: day("2026-10-02"), key: "d1", actor: "admin")
        try f.store.contribute(merchant: "泰山路超市", turnover: 1_234_567, date: day("2026-10-03"), key: "c1", actor: "admin")
        try f.stock("S01", "biscuits", 3)
        try f.redeem("V1", "health_check")
        try f.store.book(BookingRequest(key: "S01-bk-1", station: "S01", volunteer: "V4", item: "home_cleaning", date: f.today,
                                        serviceDate: day("2026-10-10")), by: f.op1)
        return f
    }

    @Test("below 1: money in by kind, points outstanding at the end of the range, and the warning")
    func belowOne() throws {
        let f = try community()
        // Through 10-03: the fund holds 200.00 + 12.35 = 212.35 CNY; 740.00 points × 0.50 = 370.00 CNY.
        let early = try f.store.fundReport(from: day("2026-10-01"), through: day("2026-10-03"))
        #expect(early.openingBalance == 0 && early.closingBalance == 21_235)
        #expect(early.flows == [FundFlow(kind: .contributions, inflow: 1_235, outflow: 0, entries: 1),
                                FundFlow(kind: .donations, inflow: 20_000, outflow: 0, entries: 1)])
        #expect(early.volunteerPoints == 74_000 && early.householdPoints == 0 && early.heldPoints == 0)
        #expect(early.pointValue == ExactDecimal("0.5")! && early.policyVersion == 1)
        #expect(early.liability == ExactDecimal("370")!)
        // 212.35 ÷ 370 = 0.573918…
        #expect(early.coverage.text() == "0.5739")
        #expect(early.warning == "WARNING: the fund covers only 0.5739 of the points outstanding (212.35 CNY for points worth 370.00 CNY; short by 157.65 CNY)")

        // Through 10-08: 212.35 - 30.00 (biscuits) - 50.00 (health check) = 132.35 CNY; points: V4 520.00 + V3 40.00,
        // 80.00 held for the booking, V1 0 (the 100 points went to the station): 640.00 × 0.50 = 320.00 CNY.
        let month = try f.store.fundReport(from: day("2026-10-01"), through: day("2026-10-08"))
        #expect(month.closingBalance == 13_235)
        #expect(month.flows == [FundFlow(kind: .contributions, inflow: 1_235, outflow: 0, entries: 1),
                                FundFlow(kind: .donations, inflow: 20_000, outflow: 0, entries: 1),
                                FundFlow(kind: .stockPurchases, inflow: 0, outflow: 3_000, entries: 1),
                                FundFlow(kind: .serviceCosts, inflow: 0, outflow: 5_000, entries: 1)])
        #expect(month.totalInflow == 21_235 && month.totalOutflow == 8_000)
        #expect(month.volunteerPoints == 56_000 && month.heldPoints == 8_000 && month.pointsOutstanding == 64_000)
        // 132.35 ÷ 320 = 0.41359375
        #expect(month.coverage == .ratio(ExactDecimal("0.41359375")!))
        #expect(month.coverage.text() == "0.4136" && month.warning != nil)

        // A range that starts later opens with what came before.
        let week = try f.store.fundReport(from: day("2026-10-04"), through: day("2026-10-08"))
        #expect(week.openingBalance == 21_235 && week.closingBalance == 13_235)
        #expect(week.flows.map(\.kind) == [.stockPurchases, .serviceCosts])
    }

    @Test("points outstanding come from the ledger: a tampered cached balance changes nothing in the report")
    func fromTheLedger() throws {
        let f = try community()
        let before = try f.store.fundReport(from: day("2026-10-01"), through: day("2026-10-08"))
        // Someone edits the cache with sqlite3: V4 "has" 9,999.00 more points, the held account 1.00 less.
        try f.store.database.execute("""
            UPDATE balances SET balance = balance + 999900 WHERE asset = 'POINTS' AND account = (SELECT number FROM accounts WHERE id = 'volunteer:V4');
            UPDATE balances SET balance = balance - 100 WHERE asset = 'POINTS' AND account = (SELECT number FROM accounts WHERE id = 'system:held')
            """)
        let store = try TimeBankStore(path: f.path, clock: f.clock)   // a new connection, no cache of its own
        #expect(try store.balance(.volunteer("V4"), .points) == 52_000 + 999_900, "the cache was tampered with")
        let after = try store.fundReport(from: day("2026-10-01"), through: day("2026-10-08"))
        #expect(after == before)
        #expect(after.volunteerPoints == 56_000 && after.heldPoints == 8_000)
        // And the day before the booking and the redemption, from the postings dated by then.
        let early = try store.fundReport(from: day("2026-10-01"), through: day("2026-10-02"))
        #expect(early.volunteerPoints == 74_000 && early.heldPoints == 0)
    }

    @Test("above 1: no warning once the fund holds more than the points are worth")
    func aboveOne() throws {
        let f = try community()
        try f.store.donate(donor: "街道办", amount: 30_000, date: day("2026-10-08"), key: "d2", actor: "admin")
        // 132.35 + 300.00 = 432.35 CNY for 320.00 CNY of points: 1.35109375.
        let report = try f.store.fundReport(from: day("2026-10-01"), through: day("2026-10-08"))
        #expect(report.closingBalance == 43_235)
        #expect(report.coverage.text() == "1.3511")
        #expect(!report.coverage.isBelowOne && report.warning == nil)
        try f.expectClean()
    }

    @Test("no points outstanding, no policy in force, and a backwards range")
    func edges() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        let empty = try f.store.fundReport(from: day("2026-10-01"), through: day("2026-10-31"))
        #expect(empty.coverage == .noPointsOutstanding && empty.warning == nil && empty.flows.isEmpty)
        try f.award(.volunteer("V1"), 1_000, on: "2026-10-01")
        // The policy takes effect 2026-01-01: on 2025-12-31 there is no point value.
        let before = try f.store.fundReport(from: day("2025-12-01"), through: day("2025-12-31"))
        #expect(before.policyVersion == nil && before.pointValue == nil && before.coverage == .noPointsOutstanding)
        let after = try f.store.fundReport(from: day("2026-10-01"), through: day("2026-10-31"))
        #expect(after.coverage == .ratio(.zero) && after.warning != nil)
        #expect(throws: FundError.invalidRange(from: day("2026-10-02"), through: day("2026-10-01"))) {
            try f.store.fundReport(from: day("2026-10-02"), through: day("2026-10-01"))
        }
    }
}

@Suite("Fund: dividends")
struct DividendTests {
    /// October 2026: H1 earns 100.00 (V1) + 30.00 (V2) + 20.00 (to the household account) = 150.00, a 50.00 award to V2
    /// is reversed; H2 earns 600.00 (V4); V3 (no household) 40.00. A September award to V4 does not count.
    /// The fund holds 500.00 CNY.
    func community() throws -> StationFixture {
        let f = try StationFixture(policy: fundTestPolicy())
        try f.award(.volunteer("V1"), 10_000, on: "2026-10-01")
        try f.award(.volunteer("V2"), 3_000, on: "2026-10-05")
        try f.award(.household("H1"), 2_000, on: "2026-10-31")
        let mistaken = try f.award(.volunteer("V2"), 5_000, on: "2026-10-06")
        try f.store.reverse(sequence: mistaken.sequence, key: "undo", actor: "admin", memo: "recorded twice", on: day("2026-10-07"))
        try f.award(.volunteer("V4"), 60_000, on: "2026-10-02")
        try f.award(.volunteer("V3"), 4_000, on: "2026-10-02")
        try f.award(.volunteer("V4"), 1_000, on: "2026-09-30")
        try f.store.donate(donor: "街道办", amount: 50_000, date: day("2026-10-01"), key: "d1", actor: "admin")
        return f
    }

    @Test("100.01 CNY shared 150:600 by largest remainder, posted once as one entry; a retry pays nothing")
    func paidOnce() throws {
        let f = try community()
        // H1: 10001 × 15000 ÷ 75000 = 2000.2 → 2000; H2: 10001 × 60000 ÷ 75000 = 8000.8 → 8000; the 1 fen left goes
        // to H2 (remainder 0.8 > 0.2): 20.00 and 80.01.
        let outcome = try f.store.payDividend(period: "2026-10", amount: 10_001, key: "dividend:2026-10", actor: "admin", date: day("2026-11-02"))
        #expect(outcome.isNew)
        let dividend = outcome.value
        #expect(dividend.period == "2026-10" && dividend.periodStart == day("2026-10-01") && dividend.periodEnd == day("2026-10-31"))
        #expect(dividend.totalWeight == 75_000 && dividend.unassignedWeight == 4_000)
        #expect(dividend.shares == [
            DividendShare(household: "H2", name: "李家", weight: 60_000, share: 8_001, receivedLeftover: true),
            DividendShare(household: "H1", name: "王家", weight: 15_000, share: 2_000, receivedLeftover: false),
        ])
        #expect(dividend.entryCount == 1 && dividend.entries == dividend.entry...dividend.entry)
        let entry = try #require(try f.store.entry(sequence: dividend.entry))
        #expect(entry.kind == .dividend && entry.key == "fund:dividend:2026-10" && entry.effectiveDate == day("2026-11-02"))
        #expect(entry.postings == [Posting(account: .fund, asset: .cny, amount: -10_001),
                                   Posting(account: .household("H1"), asset: .cny, amount: 2_000),
                                   Posting(account: .household("H2"), asset: .cny, amount: 8_001)])
        #expect(try f.store.balance(.fund, .cny) == 39_999)
        #expect(try f.store.balance(.household("H2"), .cny) == 8_001)

        // The same command again (a retry, the next day, without --date) finds it: no entry, no row.
        let count = try f.store.head().count
        let again = try f.store.payDividend(period: "2026-10", amount: 10_001, key: "dividend:2026-10", actor: "admin", date: day("2026-11-03"),
                                            dateIsExplicit: false)
        #expect(!again.isNew && again.value == dividend)
        #expect(try f.store.head().count == count)
        #expect(try f.store.dividends() == [dividend])
        // With another payment date given, it is another payment under the same key.
        try expectFundRefusal(f, "F009") {
            try f.store.payDividend(period: "2026-10", amount: 10_001, key: "dividend:2026-10", actor: "admin", date: day("2026-11-03"))
        }
        // The fund report shows it as money out.
        let report = try f.store.fundReport(from: day("2026-11-01"), through: day("2026-11-30"))
        #expect(report.flows == [FundFlow(kind: .dividends, inflow: 0, outflow: 10_001, entries: 1)])
        try f.expectClean()
    }

    @Test("100.00 among three households that earned the same: 33.34, 33.33, 33.33")
    func thirds() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        try f.store.addHousehold(Household(id: "H3", name: "张家", address: ""))
        try f.store.addVolunteer(Volunteer(id: "V5", name: "张三", household: "H3", birthDate: nil, teams: [], tags: [], joined: day("2024-05-01")))
        for volunteer in ["V1", "V4", "V5"] { try f.award(.volunteer(volunteer), 2_500, on: "2026-11-15") }
        try f.store.donate(donor: "街道办", amount: 10_000, date: day("2026-11-01"), key: "d1", actor: "admin")
        let dividend = try f.store.payDividend(period: "2026-Q4", amount: 10_000, key: "q4", actor: "admin", date: day("2027-01-05")).value
        // Equal weights and remainders: the household id decides, so H1 gets the fen left over.
        #expect(dividend.shares.map(\.household) == ["H1", "H2", "H3"])
        #expect(dividend.shares.map(\.share) == [3_334, 3_333, 3_333])
        #expect(try f.store.balance(.fund, .cny) == 0)
        try f.expectClean()
    }

    /// An entry holds at most 1,000 postings: 2,400 households are paid by three entries of 999, 999 and 402.
    @Test("a dividend to 2,400 households is three consecutive entries, all or none; the shares still sum exactly")
    func manyHouseholds() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        let ids = (1...2_400).map { "M" + String(repeating: "0", count: 4 - String($0).count) + String($0) }
        // Weights 1.00 to 7.00 points, so the shares do not divide evenly.
        let weights = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($0.element, Int64($0.offset % 7 + 1) * 100) })
        try f.store.writeTransaction {
            for id in ids { try f.store.addHousehold(Household(id: id, name: "家 \(id)", address: "")) }
            for (part, start) in stride(from: 0, to: ids.count, by: 999).enumerated() {
                let chunk = ids[start..<min(start + 999, ids.count)]
                let total = chunk.reduce(Int64(0)) { $0 + weights[$1]! }
                try f.store.post(EntryRequest(key: "awards-\(part)", kind: .award, effectiveDate: day("2026-10-05"), actor: "test",
                                              memo: "service", postings: [Posting(account: .issuance, asset: .points, amount: -total)]
                                                  + chunk.map { Posting(account: .household($0), asset: .points, amount: weights[$0]!) }))
            }
        }
        try f.store.donate(donor: "街道办", amount: 600_000, date: day("2026-10-01"), key: "d1", actor: "admin")
        let head = try f.store.head().count

        // A key too long for `fund:KEY:3` (200 characters at most) is refused before anything is written.
        let longKey = String(repeating: "k", count: 194)
        try expectFundRefusal(f, "L010") {
            try f.store.payDividend(period: "2026-10", amount: 500_001, key: longKey, actor: "admin", date: day("2026-11-02"))
        }
        #expect(try f.store.head().count == head)

        let outcome = try f.store.payDividend(period: "2026-10", amount: 500_001, key: "k", actor: "admin", date: day("2026-11-02"))
        let dividend = outcome.value
        #expect(outcome.isNew && dividend.entryCount == 3 && dividend.entries == (head + 1)...(head + 3))
        #expect(dividend.shares.count == 2_400 && dividend.shares.reduce(0) { $0 + $1.share } == 500_001)
        let shares = Dictionary(uniqueKeysWithValues: dividend.shares.map { ($0.household, $0.share) })
        var paid: [String] = []
        for (index, sequence) in dividend.entries.enumerated() {
            let entry = try #require(try f.store.entry(sequence: sequence))
            #expect(entry.kind == .dividend && entry.key == (index == 0 ? "fund:k" : "fund:k:\(index + 1)"))
            #expect(entry.memo.hasSuffix(" · \(index + 1)/3: \(Hundredths.format(-entry.postings[0].amount)) CNY, \(entry.postings.count - 1) 户"))
            #expect(entry.postings[0].account == .fund && entry.postings.count == (index < 2 ? 1_000 : 403))
            #expect(entry.postings.reduce(0) { $0 + $1.amount } == 0)
            for posting in entry.postings.dropFirst() {
                #expect(posting.account.kind == .household && posting.amount == shares[posting.account.owner])
                paid.append(posting.account.owner)
            }
        }
        // Every household with a share above 0 once, in household id order across the entries.
        #expect(paid == dividend.shares.filter { $0.share > 0 }.map(\.household).sorted())
        #expect(try f.store.balance(.fund, .cny) == 600_000 - 500_001)

        // A retry finds it and writes nothing.
        let again = try f.store.payDividend(period: "2026-10", amount: 500_001, key: "k", actor: "admin", date: day("2026-11-03"),
                                            dateIsExplicit: false)
        #expect(!again.isNew && again.value == dividend)
        #expect(try f.store.head().count == head + 3)
        let report = try f.store.fundReport(from: day("2026-11-01"), through: day("2026-11-30"))
        #expect(report.flows == [FundFlow(kind: .dividends, inflow: 0, outflow: 500_001, entries: 3)])
        try f.expectClean()
    }

    /// 1,000 households take two entries, `fund:KEY` and `fund:KEY:2`: the key F009 gives as an example for a second dividend
    /// of the period must not be one whose entry is that second part (it was `KEY:2`, refused again with F009).
    @Test("F009's example key for a second dividend of a period is free, even when the first took two entries (fund:KEY:2)")
    func secondDividendKey() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        let ids = (1...1_000).map { "M" + String(repeating: "0", count: 4 - String($0).count) + String($0) }
        try f.store.writeTransaction {
            for id in ids { try f.store.addHousehold(Household(id: id, name: "家 \(id)", address: "")) }
            for (part, start) in stride(from: 0, to: ids.count, by: 500).enumerated() {
                let chunk = ids[start..<min(start + 500, ids.count)]
                try f.store.post(EntryRequest(key: "awards-\(part)", kind: .award, effectiveDate: day("2026-10-05"), actor: "test", memo: "service",
                                              postings: [Posting(account: .issuance, asset: .points, amount: -Int64(chunk.count) * 100)]
                                                  + chunk.map { Posting(account: .household($0), asset: .points, amount: 100) }))
            }
        }
        try f.store.donate(donor: "街道办", amount: 500_000, date: day("2026-10-01"), key: "d1", actor: "admin")
        let first = try f.store.payDividend(period: "2026-10", amount: 100_000, key: "dividend:2026-10", actor: "admin", date: day("2026-11-02")).value
        #expect(first.entryCount == 2)
        var message = ""
        do {
            try f.store.payDividend(period: "2026-10", amount: 50_000, key: "dividend:2026-10", actor: "admin", date: day("2026-11-02"))
        } catch let error as FundError {
            message = error.message
        }
        let example = try #require(message.firstRange(of: "(for example --key ").map { message[$0.upperBound...].dropLast() }.map(String.init),
                                   "\(message)")
        #expect(example == "dividend:2026-10-2", "\(message)")
        // The key it names pays the second dividend.
        let second = try f.store.payDividend(period: "2026-10", amount: 50_000, key: example, actor: "admin", date: day("2026-11-02"))
        #expect(second.isNew && second.value.entryCount == 2)
        try f.expectClean()
    }

    @Test("refusals write nothing")
    func refusals() throws {
        let f = try community()
        let date = day("2026-11-02")
        try expectFundRefusal(f, "F011") { try f.store.payDividend(period: "2026-10", amount: 100, key: "k", actor: "admin", date: day("2026-10-31")) }
        try expectFundRefusal(f, "F008") { try f.store.payDividend(period: "2026-10", amount: 50_001, key: "k", actor: "admin", date: date) }
        try expectFundRefusal(f, "F007") { try f.store.payDividend(period: "2026-10", amount: 100, basis: "balance", key: "k", actor: "admin", date: date) }
        try expectFundRefusal(f, "F006") { try f.store.payDividend(period: "2026-W44", amount: 100, key: "k", actor: "admin", date: date) }
        try expectFundRefusal(f, "F001") { try f.store.payDividend(period: "2026-08", amount: 100, key: "k", actor: "admin", date: date) }
        try expectFundRefusal(f, "F002") { try f.store.payDividend(period: "2026-10", amount: 0, key: "k", actor: "admin", date: date) }
        try f.store.payDividend(period: "2026-10", amount: 10_000, key: "k", actor: "admin", date: date)
        try expectFundRefusal(f, "F009") { try f.store.payDividend(period: "2026-10", amount: 10_001, key: "k", actor: "admin", date: date) }
        try expectFundRefusal(f, "F009") { try f.store.payDividend(period: "2026-Q4", amount: 10_000, key: "k", actor: "admin", date: day("2027-01-02")) }
        try f.expectClean()
    }

    @Test("dated back, a dividend may spend only what the fund held on its date and every day since (F008 names the day)")
    func datedBack() throws {
        let f = try community()
        // 500.00 since 1 October, 100.00 more on 5 November: 600.00 now, but only 500.00 on 2 and 3 November.
        try f.store.donate(donor: "居委会", amount: 10_000, date: day("2026-11-05"), key: "d2", actor: "admin")
        let refused = try f.expectRefusal("F008") {
            try f.store.payDividend(period: "2026-10", amount: 60_000, key: "k", actor: "admin", date: day("2026-11-02"))
        }
        let refusedMessage = refused?.message ?? ""
        #expect(refusedMessage.contains("held only 500.00 CNY at the end of 2026-11-02"))
        #expect(refusedMessage.contains("pay at most 500.00 CNY, or date it 2026-11-05 or later"))
        #expect(try f.store.dividends().isEmpty)
        #expect(try f.store.payDividend(period: "2026-10", amount: 50_000, key: "k", actor: "admin", date: day("2026-11-02")).isNew)
        try f.expectClean()
    }

    @Test("paid on finished figures: refused while records of the period wait (F015) or its nights are not settled (F014); --unsettled pays on what is posted")
    func unfinishedPeriod() throws {
        let f = try community()
        // A record of 20 October without a verifier: pending, its points not posted yet.
        // And one of 21 October with its verifier: the next night accepts and posts it, it waits for nobody.
        let csv = "id,volunteer,category,date,minutes,verifier\nlate1,V1,orange,2026-10-20,60,\nlate2,V1,orange,2026-10-21,60,社区\n"
        #expect(try f.store.importRecords(Array(csv.utf8), fileName: "late.csv", actor: "importer", today: nil).rejected.isEmpty)
        let waiting = try f.expectRefusal("F015") {
            try f.store.payDividend(period: "2026-10", amount: 10_000, key: "k", actor: "admin", date: day("2026-11-02"))
        }
        let waitingMessage = waiting?.message ?? ""
        #expect(waitingMessage.hasPrefix("2 records dated in 2026-10 (2026-10-20 to 2026-10-21) are not posted yet (1 waiting for a verifier "
            + "or auto-acceptance, 1 verified or accepted and waiting for a night to post them)"), "\(waitingMessage)")
        // A record of another month does not hold October's dividend back; a settled night before the period's end does.
        _ = try f.store.settle(SettlementRequest(date: day("2026-10-05"), actor: "nightly"))
        #expect(try f.store.payDividend(period: "2026-09", amount: 100, key: "k9", actor: "admin", date: day("2026-11-02")).isNew)
        let october = try f.expectRefusal("F014") {
            try f.store.payDividend(period: "2026-10", amount: 10_000, key: "k", actor: "admin", date: day("2026-11-02"))
        }
        let octoberMessage = october?.message ?? ""
        #expect(octoberMessage.hasPrefix("the nights are settled up to 2026-10-05, but 2026-10 runs until 2026-10-31"))
        // Paid anyway, on the points posted so far: the reason is in the entry's memo.
        let paid = try f.store.payDividend(period: "2026-10", amount: 10_000, key: "k", actor: "admin", date: day("2026-11-02"),
                                           unsettledReason: "委员会决定提前发放")
        #expect(paid.isNew)
        let entry = try #require(try f.store.entry(sequence: paid.value.entry))
        #expect(entry.memo.hasSuffix("· 未结算完即发放 (paid before the period was fully posted: nights settled only up to 2026-10-05): 委员会决定提前发放"))
        // September is fully posted: --unsettled changes nothing there, and its memo says nothing of it.
        let september = try f.store.payDividend(period: "2026-09", amount: 100, key: "k9", actor: "admin", date: day("2026-11-02"),
                                                unsettledReason: "不需要")
        #expect(try f.store.entry(sequence: september.value.entry)?.memo.contains("未结算") == false)
        try f.expectClean()
    }

    @Test("F008 gives the most that can be paid from the date when the fund is short today as well; F009 names the stored date")
    func shortTodayAndDated() throws {
        let f = try community()
        // 500.00 from 1 October; 300.00 out on 10 November; 100.00 in on 20 November: 300.00 now, 200.00 from the 10th to the 19th.
        let out = EntryRequest.move(key: "out", kind: .fund, date: day("2026-11-10"), actor: "admin", memo: "采购",
                                    from: .fund, to: .outside, asset: .cny, amount: 30_000)
        _ = try f.store.post(out)
        try f.store.donate(donor: "居委会", amount: 10_000, date: day("2026-11-20"), key: "d2", actor: "admin")
        let refused = try f.expectRefusal("F008") {
            try f.store.payDividend(period: "2026-10", amount: 40_000, key: "k", actor: "admin", date: day("2026-11-05"))
        }
        let refusedMessage = refused?.message ?? ""
        #expect(refusedMessage.contains("held only 200.00 CNY at the end of 2026-11-10"))
        #expect(refusedMessage.hasSuffix("pay at most 200.00 CNY"))
        #expect(try f.store.payDividend(period: "2026-10", amount: 20_000, key: "k", actor: "admin", date: day("2026-11-05")).isNew)
        let again = try f.expectRefusal("F009") {
            try f.store.payDividend(period: "2026-10", amount: 20_000, key: "k", actor: "admin", date: day("2026-11-06"))
        }
        let againMessage = again?.message ?? ""
        #expect(againMessage.contains("the same dividend paid on 2026-11-05 (entry #"))
        try f.expectClean()
    }

    @Test("the dividend tables are append-only")
    func appendOnly() throws {
        let f = try community()
        try f.store.payDividend(period: "2026-10", amount: 10_001, key: "k", actor: "admin", date: day("2026-11-02"))
        for sql in ["UPDATE dividends SET amount = 1", "DELETE FROM dividends", "UPDATE dividend_shares SET share = 0", "DELETE FROM dividend_shares",
                    "UPDATE fund_donations SET amount = 1", "DELETE FROM fund_donations"] {
            #expect(throws: (any Error).self, "\(sql)") { try f.store.database.execute(sql) }
        }
    }
}
