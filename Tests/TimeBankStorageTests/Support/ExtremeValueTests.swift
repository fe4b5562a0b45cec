import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// The library API with extreme values, as a program (a mini-program's server, a kiosk) may send them without the checks
/// the command line makes first: `Int.max`, `Int64.min` (whose negation overflows), years 0001 and 9999 (whose next
/// month is year 10000), limits of `Int.max` and −1. Swift traps on overflow and on a date it cannot make, which would
/// kill the caller's server: every call here must return a typed error with a stable code, or, for a read, an answer;
/// and a refused write must leave the ledger head, the stock and the receipts as they were (`StationFixture.snapshot`).
@Suite("Extreme values through the library")
struct ExtremeValueTests {
    static let far = LocalDate("9999-12-31")!
    static let first = LocalDate("0001-01-01")!

    /// One call with an extreme value; `code` is the error it must throw, or nil for a read that may answer.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let code: String?
        let run: @Sendable (ExtremeFixture) throws -> Void

        init(_ name: String, _ code: String?, _ run: @escaping @Sendable (ExtremeFixture) throws -> Void) {
            self.name = name
            self.code = code
            self.run = run
        }

        var testDescription: String { name }
    }

    /// Runs one case in a store of its own.
    static func check(_ test: Case) throws {
        let fixture = try ExtremeFixture()
        let before = try fixture.station.snapshot()
        let head = try fixture.store.head()
        do {
            try test.run(fixture)
            if let code = test.code { Issue.record("\(test.name): expected \(code), but it succeeded") }
        } catch let error as any TimeBankError {
            #expect(error.code == test.code, "\(test.name): \(error.code) \(error.message)")
            #expect(error.code.wholeMatch(of: /[A-Z]{1,2}[0-9]{1,3}/) != nil, "\(error.code)")
            #expect(!error.message.isEmpty)
        } catch {
            Issue.record("\(test.name): not a TimeBankError: \(error)")
        }
        if test.code != nil || test.name.hasPrefix("read") {
            #expect(try fixture.station.snapshot() == before, "\(test.name) wrote something")
            #expect(try fixture.store.head() == head, "\(test.name) moved the ledger's head")
        }
        try fixture.station.expectClean()
    }

    // MARK: Redemptions, baskets, bookings, refunds

    static let counter: [Case] = [
        Case("redeem quantity Int.max", "R010") { f in try f.redeem("biscuits", quantity: .max) },
        Case("redeem quantity Int.min", "R010") { f in try f.redeem("biscuits", quantity: .min) },
        Case("redeem quantity -1", "R010") { f in try f.redeem("biscuits", quantity: -1) },
        Case("redeem quantity Int.max/100 (price x quantity overflows)", "R010") { f in try f.redeem("biscuits", quantity: .max / 100) },
        Case("redeem on 9999-12-31 (a monthly limit)", "R001") { f in try f.redeem("rice_5kg", on: far) },
        Case("redeem on 9999-12-31 (a yearly limit)", "R001") { f in try f.redeem("health_check", on: far) },
        Case("redeem on 9999-12-31", "R001") { f in try f.redeem("biscuits", on: far) },
        Case("redeem on 0001-01-01", "A006") { f in try f.redeem("biscuits", on: first) },
        Case("basket line quantity Int.max", "R010") { f in
            _ = try f.store.redeem(BasketRequest(key: "b", station: "S01", volunteer: "V1",
                                                 lines: [BasketLine(item: "rice_5kg"), BasketLine(item: "biscuits", quantity: .max)], date: f.today), by: f.op1)
        },
        Case("basket of two lines whose points sum overflows", "R010") { f in
            _ = try f.store.redeem(BasketRequest(key: "b", station: "S01", volunteer: "V1",
                                                 lines: [BasketLine(item: "biscuits", quantity: .max / 2_000),
                                                         BasketLine(item: "fruit_basket", quantity: .max / 2_000)], date: f.today), by: f.op1)
        },
        Case("basket on 9999-12-31", "R001") { f in
            _ = try f.store.redeem(BasketRequest(key: "b", station: "S01", volunteer: "V1",
                                                 lines: [BasketLine(item: "rice_5kg"), BasketLine(item: "biscuits")], date: far), by: f.op1)
        },
        Case("book quantity Int.max", "R010") { f in
            _ = try f.store.book(BookingRequest(key: "k", station: "S01", volunteer: "V1", item: "home_cleaning", quantity: .max,
                                                date: f.today), by: f.op1)
        },
        Case("book quantity Int.min", "R010") { f in
            _ = try f.store.book(BookingRequest(key: "k", station: "S01", volunteer: "V1", item: "home_cleaning", quantity: .min,
                                                date: f.today), by: f.op1)
        },
        Case("book on 9999-12-31", "R001") { f in
            _ = try f.store.book(BookingRequest(key: "k", station: "S01", volunteer: "V1", item: "home_cleaning", date: far), by: f.op1)
        },
        Case("book a service on 9999-12-31", "R001") { f in
            _ = try f.store.book(BookingRequest(key: "k", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                                serviceDate: far), by: f.op1)
        },
        Case("book lapsing at Int64.max ms", "R030") { f in
            _ = try f.store.book(BookingRequest(key: "k", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                                expiresAt: Timestamp(millisecondsSinceEpoch: .max)), by: f.op1)
        },
        Case("book lapsing at Int64.min ms", "R025") { f in
            _ = try f.store.book(BookingRequest(key: "k", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                                expiresAt: Timestamp(millisecondsSinceEpoch: .min)), by: f.op1)
        },
        Case("refund receipt Int64.max", "R011") { f in
            _ = try f.store.refund(receipt: .max, reason: "r", by: f.op1, on: f.today)
        },
        Case("refund receipt Int64.min", "R011") { f in
            _ = try f.store.refund(receipt: .min, reason: "r", by: f.op1, on: f.today)
        },
        Case("refund on 9999-12-31", "R013") { f in
            _ = try f.store.refund(receipt: f.receipt, reason: "r", by: f.op1, on: far)
        },
        Case("refund on 0001-01-01", "R021") { f in
            _ = try f.store.refund(receipt: f.receipt, reason: "r", by: f.op1, on: first)
        },
        Case("refund with a return window of Int.max days", nil) { f in
            _ = try f.store.refund(receipt: f.receipt, reason: "r", by: f.op1, on: f.today, returnWindowDays: .max)
        },
        Case("refund with a return window of Int.min days", "R013") { f in
            _ = try f.store.refund(receipt: f.receipt, reason: "r", by: f.op1, on: f.today, returnWindowDays: .min)
        },
        Case("fulfil hold Int64.max", "R015") { f in _ = try f.store.fulfil(hold: .max, by: f.op1, on: f.today) },
        Case("fulfil on 9999-12-31 (no upper bound: the caller's day)", nil) { f in _ = try f.store.fulfil(hold: f.hold, by: f.op1, on: far) },
        Case("cancel hold Int64.min", "R015") { f in _ = try f.store.cancel(hold: .min, reason: "r", by: f.op1, on: f.today) },
        Case("cancel on 0001-01-01", "R021") { f in _ = try f.store.cancel(hold: f.hold, reason: "r", by: f.op1, on: first) },
    ]

    @Test("a counter's call with an extreme value is a typed refusal", arguments: counter)
    func counterCall(_ test: Case) throws { try Self.check(test) }

    // MARK: Transfers, posting, reversing

    static let ledger: [Case] = [
        Case("transfer Int64.max points", "R018") { f in try f.transfer(.max) },
        Case("transfer Int64.min points", "R018") { f in try f.transfer(.min) },
        Case("transfer -1 points", "R018") { f in try f.transfer(-1) },
        Case("transfer on 9999-12-31", "R001") { f in try f.transfer(100, on: far) },
        Case("transfer on 0001-01-01", "A006") { f in try f.transfer(100, on: first) },
        Case("settle 9999-12-31 (its day has not ended)", "N003") { f in
            _ = try f.store.settle(SettlementRequest(date: far, actor: "nightly", today: far, missedDays: .skip))
        },
        Case("settle 9999-12-30, skipping the nights before (expiry, grants, rankings in the last month)", nil) { f in
            _ = try f.store.settle(SettlementRequest(date: far.adding(days: -1), actor: "nightly", today: far, missedDays: .skip))
        },
        Case("settle 0001-01-01", "N008") { f in
            _ = try f.store.settle(SettlementRequest(date: first, actor: "nightly", today: f.today, missedDays: .skip))
        },
        Case("undo gift Int64.max", "R018") { f in
            _ = try f.store.undoGift(entry: .max, key: "u", reason: "r", by: f.admin, on: f.today)
        },
        Case("post Int64.max", "L003") { f in try f.post(.max) },
        Case("post Int64.min", "L003") { f in try f.post(.min) },
        Case("post beyond the largest balance", "L003") { f in try f.post(LedgerRules.balanceMagnitudeMaximum + 1) },
        Case("post the largest balance twice in one batch", "L003") { f in
            let largest = EntryRequest.move(key: "a", kind: .award, date: f.today, actor: "admin", memo: "m", from: .issuance,
                                            to: .volunteer("V1"), amount: LedgerRules.balanceMagnitudeMaximum)
            var again = largest
            again.key = "b"
            _ = try f.store.post([largest, again])
        },
        Case("post on 9999-12-31 (a hand entry: any day the caller gives)", nil) { f in try f.post(100, on: far) },
        Case("post on 0001-01-01 (a hand entry: any day the caller gives)", nil) { f in try f.post(100, on: first) },
        Case("post a lot expiring 0001-01-01", "L019") { f in try f.post(100, expires: first) },
        Case("reverse Int64.max", "L007") { f in
            _ = try f.store.reverse(sequence: .max, key: "r", actor: "admin", memo: "m", on: f.today)
        },
        Case("reverse Int64.min", "L007") { f in
            _ = try f.store.reverse(sequence: .min, key: "r", actor: "admin", memo: "m", on: f.today)
        },
        Case("reverse on 0001-01-01", "L018") { f in
            _ = try f.store.reverse(sequence: f.award, key: "r", actor: "admin", memo: "m", on: first)
        },
        Case("reverse on 9999-12-31", "L004") { f in
            _ = try f.store.reverse(sequence: f.award, key: "r", actor: "admin", memo: "m", on: far)
        },
    ]

    @Test("a ledger write with an extreme value is a typed refusal", arguments: ledger)
    func ledgerWrite(_ test: Case) throws { try Self.check(test) }

    // MARK: Stock

    static let stock: [Case] = [
        Case("receive Int.max", "K001") { f in try f.receive(.max) },
        Case("receive Int.min", "K001") { f in try f.receive(.min) },
        Case("receive at unit cost Int64.max", "K007") { f in try f.receive(1, unitCost: .max) },
        Case("receive at unit cost Int64.min", "K007") { f in try f.receive(1, unitCost: .min) },
        Case("receive 1,000,000 at Int64.max/100 fen (cost overflows)", "K007") { f in try f.receive(1_000_000, unitCost: .max / 100) },
        Case("adjust -1,000,000 (below the shelf)", "K003") { f in try f.adjust(-1_000_000) },
        Case("receive on 9999-12-31 (any day the caller gives)", nil) { f in try f.receive(1, on: far) },
        Case("adjust Int.max", "K001") { f in try f.adjust(.max) },
        Case("adjust Int.min", "K001") { f in try f.adjust(.min) },
        Case("adjust lost Int.min", "K001") { f in try f.adjust(.min, reason: .lost) },
        Case("move Int.max", "K001") { f in try f.move(.max) },
        Case("move Int.min", "K001") { f in try f.move(.min) },
        Case("count Int.max", "K009") { f in try f.count(.max) },
        Case("count Int.min", "K009") { f in try f.count(.min) },
        Case("count on 9999-12-31 (any day the caller gives)", nil) { f in try f.count(3, on: far) },
    ]

    @Test("a stock write with an extreme value is a typed refusal", arguments: stock)
    func stockWrite(_ test: Case) throws { try Self.check(test) }

    // MARK: The fund

    static let fund: [Case] = [
        Case("donate Int64.max", "F002") { f in try f.donate(.max) },
        Case("donate Int64.min", "F002") { f in try f.donate(.min) },
        Case("donate beyond the largest balance", "F002") { f in try f.donate(LedgerRules.balanceMagnitudeMaximum) },
        Case("donate on 9999-12-31 (any day the caller gives)", nil) { f in try f.donate(100, on: far) },
        Case("donate on 0001-01-01 (any day the caller gives)", nil) { f in try f.donate(100, on: first) },
        Case("contribute turnover Int64.max", "F002") { f in
            _ = try f.store.contribute(merchant: "泰山路超市", turnover: .max, date: f.today, key: "c", actor: "admin")
        },
        Case("contribute turnover Int64.min", "F002") { f in
            _ = try f.store.contribute(merchant: "泰山路超市", turnover: .min, date: f.today, key: "c", actor: "admin")
        },
        Case("contribute on 9999-12-31 (any day the caller gives)", nil) { f in
            _ = try f.store.contribute(merchant: "泰山路超市", turnover: 100_000, date: far, key: "c", actor: "admin")
        },
        Case("dividend Int64.max", "F002") { f in try f.dividend(.max) },
        Case("dividend Int64.min", "F002") { f in try f.dividend(.min) },
        Case("dividend of a period 9999-12", "F001") { f in try f.dividend(100, period: "9999-12", on: far) },
        Case("dividend of a period 9999", "F001") { f in try f.dividend(100, period: "9999", on: far) },
        Case("dividend of a period 0001-01", "F001") { f in try f.dividend(100, period: "0001-01") },
        Case("dividend of a period 10000-01", "F006") { f in try f.dividend(100, period: "10000-01") },
        Case("dividend of a period 99999999999999999999-01", "F006") { f in try f.dividend(100, period: "99999999999999999999-01") },
    ]

    @Test("a fund write with an extreme value is a typed refusal", arguments: fund)
    func fundWrite(_ test: Case) throws { try Self.check(test) }

    // MARK: Reads

    static let reads: [Case] = [
        Case("read expiring within Int.max days", "Q006") { f in _ = try f.store.expiringReport(asOf: f.today, withinDays: .max) },
        Case("read expiring within Int.min days", "Q006") { f in _ = try f.store.expiringReport(asOf: f.today, withinDays: .min) },
        Case("read expiring within -1 days", "Q006") { f in _ = try f.store.expiringReport(asOf: f.today, withinDays: -1) },
        Case("read expiring as of 9999-12-31", nil) { f in _ = try f.store.expiringReport(asOf: far, withinDays: 30) },
        Case("read expiring as of 0001-01-01 within Int.max", "Q006") { f in _ = try f.store.expiringReport(asOf: first, withinDays: .max) },
        Case("read expiring from 0001 through 9999", nil) { f in _ = try f.store.expiringReport(from: first, through: far) },
        Case("read an account's expiring within Int.max days", nil) { f in
            _ = try f.store.expiringPoints(of: .volunteer("V1"), after: f.today, withinDays: .max)
        },
        Case("read an account's expiring within Int.min days", nil) { f in
            _ = try f.store.expiringPoints(of: .volunteer("V1"), after: far, withinDays: .min)
        },
        Case("read daily report 0001 through 9999", "Q003") { f in _ = try f.store.dailyReport(from: first, through: far) },
        Case("read stations report 0001 through 9999", nil) { f in _ = try f.store.stationsReport(from: first, through: far) },
        Case("read categories report 0001 through 9999", nil) { f in _ = try f.store.categoriesReport(from: first, through: far) },
        Case("read fund report 0001 through 9999", nil) { f in _ = try f.store.fundReportTable(from: first, through: far) },
        Case("read levels report 0001 through 9999", nil) { f in _ = try f.store.levelsReport(from: first, through: far) },
        Case("read rejects report 0001 through 9999", nil) { f in _ = try f.store.rejectsReport(from: first, through: far) },
        Case("read ranking 0001 through 9999", nil) { f in _ = try f.store.rankingReport(from: first, through: far) },
        Case("read ranking top Int.max", nil) { f in _ = try f.store.rankingReport(from: first, through: far, top: .max) },
        Case("read ranking top Int.min", "Q004") { f in _ = try f.store.ranking(from: f.today, through: f.today, top: .min) },
        Case("read record accounting 0001 through 9999", nil) { f in _ = try f.store.recordAccounting(from: first, through: far) },
        Case("read points earned 0001 through 9999", nil) { f in _ = try f.store.pointsEarned(from: first, through: far) },
        Case("read fund contributions 0001 through 9999", nil) { f in _ = try f.store.fundContributions(from: first, through: far) },
        Case("read records limit Int.max", nil) { f in _ = try f.store.records(matching: RecordQuery(limit: .max)) },
        Case("read records limit Int.min", nil) { f in _ = try f.store.records(matching: RecordQuery(limit: .min)) },
        Case("read records limit -1", nil) { f in _ = try f.store.records(matching: RecordQuery(limit: -1)) },
        Case("read records 0001 through 9999", nil) { f in
            _ = try f.store.recordCount(matching: RecordQuery(from: first, to: far, limit: .max))
        },
        Case("read receipts limit Int.max", nil) { f in _ = try f.store.receipts(limit: .max) },
        Case("read receipts limit Int.min", nil) { f in _ = try f.store.receipts(limit: .min) },
        Case("read receipts on 9999-12-31", nil) { f in _ = try f.store.receipts(on: far, limit: -1) },
        Case("read holds limit Int.max", nil) { f in _ = try f.store.holds(limit: .max) },
        Case("read holds limit Int.min", nil) { f in _ = try f.store.holds(limit: .min) },
        Case("read stock movements limit Int.max", nil) { f in _ = try f.store.stockMovements(limit: .max) },
        Case("read stock movements limit Int.min", nil) { f in _ = try f.store.stockMovements(limit: .min) },
        Case("read stock counts limit Int.max", nil) { f in _ = try f.store.stockCounts(limit: .max) },
        Case("read stock counts limit Int.min", nil) { f in _ = try f.store.stockCounts(limit: .min) },
        Case("read stock levels as of 9999-12-31", nil) { f in _ = try f.store.stockLevels(asOf: far) },
        Case("read stock levels as of 0001-01-01", nil) { f in _ = try f.store.stockLevels(asOf: first) },
        Case("read stock available on 9999-12-31", nil) { f in _ = try f.store.stockAvailable(station: "S01", item: "biscuits", on: far) },
        Case("read slots taken on 9999-12-31", nil) { f in _ = try f.store.slotsTaken(station: "S01", item: "home_cleaning", on: far) },
        Case("read spendable on 9999-12-31", nil) { f in _ = try f.store.spendablePoints(.volunteer("V1"), on: far) },
        Case("read spendable on 0001-01-01", nil) { f in _ = try f.store.spendablePoints(.volunteer("V1"), on: first) },
        Case("read expired on 9999-12-31", nil) { f in _ = try StoreScoringHistory(store: f.store).expiredPoints(of: .volunteer("V1"), on: far) },
        Case("read expired not yet taken on 9999-12-31", nil) { f in _ = try f.store.expiredNotYetTaken(.volunteer("V1"), on: far) },
        Case("read entry Int64.max", nil) { f in _ = try f.store.entry(sequence: .max) },
        Case("read entry Int64.min", nil) { f in _ = try f.store.entry(sequence: .min) },
        Case("read receipt Int64.min", nil) { f in _ = try f.store.receipt(number: .min) },
        Case("read hold Int64.max", nil) { f in _ = try f.store.hold(number: .max) },
        Case("read entries from Int64.max", nil) { f in try f.store.forEachEntry(from: .max) { _ in } },
        Case("read entries from Int64.min", nil) { f in try f.store.forEachEntry(from: .min) { _ in } },
        Case("read community changes latest Int.max", nil) { f in _ = try f.store.communityChanges(of: .volunteer, id: "V1", latest: .max) },
        Case("read community changes latest Int.min", nil) { f in _ = try f.store.communityChanges(of: .volunteer, id: "V1", latest: .min) },
        Case("read verify problem limit Int.max", nil) { f in _ = try f.store.verify(problemLimit: .max) },
        Case("read verify problem limit Int.min", nil) { f in _ = try f.store.verify(problemLimit: .min) },
        Case("read policy in force on 0001-01-01", "A006") { f in _ = try f.store.policy(inForceOn: first) },
        Case("read policy in force on 9999-12-31", nil) { f in _ = try f.store.policy(inForceOn: far) },
        Case("read the fund report 0001 through 9999", nil) { f in _ = try f.store.fundReport(from: first, through: far) },
    ]

    @Test("a read with an extreme value answers or throws a typed error", arguments: reads)
    func read(_ test: Case) throws { try Self.check(test) }

    @Test("loops over days end on 9999-12-31, which has no day after it: the daily report and the grants due")
    func daysUpToTheLastDay() throws {
        let fixture = try ExtremeFixture()
        // A loop that went on while `day <= through`, one day at a time, never ended there: the day after stays on it.
        let daily = try fixture.store.dailyReport(from: Self.far.adding(days: -1), through: Self.far)
        #expect(daily.rows.map { $0.first } == [.date(Self.far.adding(days: -1)), .date(Self.far)])
        let policy = try #require(PolicyLoader.load(text: stationTestPolicy() + "\n\n[grants.base]\npoints = 10\nevery = \"month\"\n",
                                                    path: "grants.toml").policy)
        let due = GrantSchedule.due(from: LocalDate("9999-11-30")!, through: Self.far, timeline: PolicyTimeline([.init(label: "grants.toml", policy: policy)]),
                                    volunteers: [(id: "V1", joined: Self.first, household: nil)])
        #expect(due.map(\.day) == [LocalDate("9999-11-30")!, LocalDate("9999-12-01")!])
    }

    @Test("a window of Int.max days reads to the last day a date can name, with the right answer")
    func windowToTheLastDay() throws {
        let fixture = try ExtremeFixture()
        // V1 was given 500.00 expiring 2027-10-01, spent a biscuit box, gave 10.00 and holds a booking.
        let soon = try fixture.store.expiringPoints(of: .volunteer("V1"), after: fixture.today, withinDays: .max)
        #expect(soon.map(\.expiresOn) == [LocalDate("2027-10-01")!])
        #expect(soon.map(\.points) == [try fixture.store.lots(of: .volunteer("V1"), openOnly: true).map(\.remaining).reduce(0, +)])
        #expect(try fixture.store.expiringPoints(of: .volunteer("V1"), after: Self.far, withinDays: .max) == [])
        #expect(try fixture.store.records(matching: RecordQuery(limit: .max)).isEmpty)
        #expect(try fixture.store.receipts(limit: .max).count == 1)
    }

    /// Left alone in the thirty-first session: `receipts`, `holds` and `stockMovements` read a limit below 1 as 1, and
    /// `stockCounts` passed it to SQLite, whose `LIMIT -1` is no limit at all; `records` read it as 0.
    @Test("a limit of 0 or below lists nothing, in every list the library keeps; a limit of 1 lists the newest one")
    func limitsBelowOne() throws {
        let fixture = try ExtremeFixture()
        try fixture.count(12)
        for limit in [0, -1, Int.min] {
            #expect(try fixture.store.receipts(limit: limit).isEmpty, "receipts \(limit)")
            #expect(try fixture.store.holds(limit: limit).isEmpty, "holds \(limit)")
            #expect(try fixture.store.stockMovements(limit: limit).isEmpty, "stock movements \(limit)")
            #expect(try fixture.store.stockCounts(limit: limit).isEmpty, "stock counts \(limit)")
            #expect(try fixture.store.records(matching: RecordQuery(limit: limit)).isEmpty, "records \(limit)")
        }
        #expect(try fixture.store.receipts(limit: 1).map(\.number) == [fixture.receipt])
        #expect(try fixture.store.holds(limit: 1).count == 1)
        #expect(try fixture.store.stockMovements(limit: 1).count == 1)
        #expect(try fixture.store.stockCounts(limit: 1).count == 1)
    }

    // MARK: The core's arithmetic on days and moments (each was a trap)

    @Test("days past 9999-12-31 or before 0001-01-01 stop there",
          arguments: [(Int.max, "9999-12-31"), (Int.min, "0001-01-01"), (1, "9999-12-31"), (-4_000_000, "0001-01-01"), (-1, "9999-12-30")])
    func daysClamp(_ days: Int, _ expected: String) {
        #expect(Self.far.adding(days: days).description == expected)
    }

    @Test("a day number outside the four-digit years names the first or last day",
          arguments: [(Int.max, "9999-12-31"), (Int.min, "0001-01-01"), (2_932_897, "9999-12-31"), (-719_163, "0001-01-01"), (0, "1970-01-01")])
    func dayNumberClamp(_ days: Int, _ expected: String) {
        #expect(LocalDate(daysSinceEpoch: days).description == expected)
        #expect(LocalDate.latest.daysSinceEpoch == 2_932_896 && LocalDate.earliest.daysSinceEpoch == -719_162)
    }

    @Test("months past year 9999 or before year 1 stop at the last or first day",
          arguments: [(Int.max, "9999-12-31"), (Int.min, "0001-01-01"), (1, "9999-12-31"), (12, "9999-12-31"), (-119_988, "0001-01-01")])
    func monthsClamp(_ months: Int, _ expected: String) {
        #expect(Self.far.adding(months: months).description == expected)
        #expect(Self.first.adding(months: -1).description == "0001-01-01")
        #expect(LocalDate("9999-01-31")!.adding(months: 1).description == "9999-02-28")   // inside the range: unchanged rule
    }

    @Test("a moment of Int64.max or Int64.min milliseconds has a day and a local time", arguments: [Int64.max, Int64.min])
    func extremeMoments(_ milliseconds: Int64) {
        let moment = Timestamp(millisecondsSinceEpoch: milliseconds)
        let day = milliseconds > 0 ? "9999-12-31" : "0001-01-01"
        #expect(moment.utcDate.description == day)
        #expect(moment.date(offsetMinutes: 480).description == day)
        #expect(moment.date(offsetMinutes: -480).description == day)
        #expect(Receipt.localTime(moment, utcOffsetMinutes: 480).hasPrefix(day))
        #expect(Receipt.localTime(moment, utcOffsetMinutes: -600).hasPrefix(day))
    }

    @Test("a move of Int64.min is a posting the ledger refuses, not a trap")
    func moveOfInt64Min() {
        let request = EntryRequest.move(key: "k", kind: .award, date: Self.first, actor: "a", memo: "", from: .issuance,
                                        to: .volunteer("V1"), amount: .min)
        #expect(request.postings.map(\.amount) == [.min, .min])
    }
}

/// `StationFixture` with config/policy.toml, points, stock, a receipt, a gift and a hold.
final class ExtremeFixture: @unchecked Sendable {
    let station: StationFixture
    var store: TimeBankStore { station.store }
    var today: LocalDate { station.today }
    var op1: OperatorSession { station.op1 }
    var admin: OperatorSession { station.admin }
    var receipt: Int64 = 0
    var hold: Int64 = 0
    var award: Int64 = 0

    init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        station = try StationFixture(policy: String(contentsOfFile: root.appendingPathComponent("config/policy.toml").path, encoding: .utf8))
        try store.donate(donor: "爱心企业", amount: 1_000_000, date: today, key: "donation", actor: "admin")
        try station.stock("S01", "biscuits", 10)
        try station.stock("S01", "rice_5kg", 10)
        award = try station.award(.volunteer("V1"), 50_000, expires: "2027-10-01").sequence
        try station.award(.volunteer("V2"), 50_000, expires: "2027-10-01")
        receipt = try station.redeem("V1", "biscuits", key: "sale").receipt.number
        _ = try store.transfer(TransferRequest(key: "gift", from: "V1", to: "V2", points: 1_000, date: today), by: op1)
        hold = try store.book(BookingRequest(key: "booking", station: "S01", volunteer: "V1", item: "home_cleaning", date: today),
                              by: op1).hold.number
    }

    func redeem(_ item: String, quantity: Int = 1, on day: LocalDate? = nil) throws {
        try station.redeem("V1", item, quantity: quantity, key: "extreme", on: day)
    }

    func transfer(_ points: Int64, on day: LocalDate? = nil) throws {
        _ = try store.transfer(TransferRequest(key: "extreme", from: "V1", to: "V2", points: points, date: day ?? today), by: op1)
    }

    func post(_ amount: Int64, key: String = "extreme", on day: LocalDate? = nil, expires: LocalDate? = nil) throws {
        try store.post(.move(key: key, kind: .award, date: day ?? today, actor: "admin", memo: "m", from: .issuance,
                             to: .volunteer("V1"), amount: amount, lotExpiresOn: expires))
    }

    func receive(_ quantity: Int, unitCost: Int64? = nil, on day: LocalDate? = nil) throws {
        try store.receiveStock(StockReceiveRequest(key: "extreme", station: "S01", item: "biscuits", quantity: quantity,
                                                   unitCost: unitCost, date: day ?? today, needsReasonWhenFundShort: true), by: admin)
    }

    func adjust(_ quantity: Int, reason: StockAdjustmentReason = .countCorrection) throws {
        try store.adjustStock(StockAdjustRequest(key: "extreme", station: "S01", item: "biscuits", quantity: quantity, reason: reason,
                                                 date: today), by: admin)
    }

    func move(_ quantity: Int) throws {
        try store.moveStock(StockMoveRequest(key: "extreme", from: "S01", to: "S02", item: "biscuits", quantity: quantity, date: today),
                            by: admin)
    }

    func count(_ counted: Int, on day: LocalDate? = nil) throws {
        _ = try store.countStock(StockCountRequest(key: "extreme", station: "S01", lines: [StockCountLine(item: "biscuits", counted: counted)],
                                                   date: day ?? today), by: admin)
    }

    func donate(_ amount: Int64, on day: LocalDate? = nil) throws {
        try store.donate(donor: "爱心企业", amount: amount, date: day ?? today, key: "extreme", actor: "admin")
    }

    func dividend(_ amount: Int64, period: String = "2026-10", on day: LocalDate? = nil) throws {
        try store.payDividend(period: period, amount: amount, key: "extreme", actor: "admin", date: day ?? today)
    }
}
