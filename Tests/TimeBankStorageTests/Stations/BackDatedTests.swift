import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// Writes dated before today (a paper receipt typed in later): they may use only the points and goods that were
/// there on their date and stayed there, so that no day's balance or stock goes below zero in the reports.
@Suite("Stations: writes dated before today")
struct BackDatedTests {
    func receive(_ f: StationFixture, _ item: String, _ quantity: Int, on day: String, at station: String = "S01") throws {
        try f.store.receiveStock(StockReceiveRequest(key: "in-\(UUID().uuidString)", station: station, item: item, quantity: quantity,
                                                     date: LocalDate(day)!), by: f.admin)
    }

    @Test("a redemption dated before points were credited cannot spend them (R001 says so); the earlier lot pays")
    func pointsCreditedLater() throws {
        let f = try StationFixture()
        try receive(f, "biscuits", 10, on: "2026-10-01")
        try f.award(.volunteer("V1"), 1_000, on: "2026-10-01")   // 10.00 points
        let later = try f.award(.volunteer("V1"), 5_000, on: "2026-10-05")
        // Biscuits cost 20.00: on 10-03, V1 had 10.00; the 50.00 came on 10-05.
        try f.expectRefusal("R001") { try f.redeem("V1", "biscuits", on: LocalDate("2026-10-03")) }
        do {
            try f.redeem("V1", "biscuits", on: LocalDate("2026-10-03"))
        } catch let error as RedemptionError {
            #expect(error.message == "volunteer:V1 can spend 10.00 积分 on 2026-10-03, the redemption costs 20.00; 10.00 more 积分 are needed. "
                        + "50.00 more came in after 2026-10-03 "
                        + "(credited, or given back by a refund or a cancelled booking), and 积分 cannot be spent before they came in: "
                        + "date it 2026-10-05 or later")
        }
        // Dated 10-05 it may: 10.00 from the lot of 10-01 (oldest first), 10.00 from the lot of 10-05.
        let receipt = try f.redeem("V1", "biscuits", on: LocalDate("2026-10-05")).receipt
        #expect(receipt.balanceAfter == 4_000)
        let entry = try #require(try f.store.entry(sequence: receipt.entry))
        let laterLot = try #require(try f.store.lots(of: .volunteer("V1")).first { $0.openedBy == later.sequence })
        #expect(laterLot.openedOn == LocalDate("2026-10-05"))
        #expect(entry.allocations.map(\.amount) == [1_000, 1_000])
        #expect(entry.allocations.last?.lotID == laterLot.id)
        // Now only the later lot has points: a redemption dated 10-04 is refused again.
        try f.expectRefusal("R001") { try f.redeem("V1", "biscuits", on: LocalDate("2026-10-04")) }
        try f.expectClean()
    }

    @Test("the ledger itself refuses a debit dated before the points it needs were credited (L017), and says when they were")
    func ledgerRefusesEarlierDebit() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 1_000, on: "2026-10-01")
        try f.award(.volunteer("V1"), 3_000, on: "2026-10-06")
        let request = EntryRequest.move(key: "take", kind: .adjustment, date: LocalDate("2026-10-02")!, actor: "test", memo: "fix",
                                        from: .volunteer("V1"), to: .adjustments, amount: 2_000)
        try f.expectRefusal("L017") { try f.store.post(request) }
        do {
            try f.store.post(request)
        } catch let error as LedgerError {
            #expect(error.message == "volunteer:V1 could spend only 10.00 积分 on 2026-10-02, the date of this entry; 20.00 are needed. "
                        + "30.00 more came in later (credited, or given back by a refund or a cancelled booking; the first on 2026-10-06), and an "
                        + "entry cannot spend 积分 before they came in; "
                        + "date it 2026-10-06 or later, or post less; nothing was written")
        }
        var dated = request
        dated.effectiveDate = LocalDate("2026-10-06")!
        #expect(try f.store.post(dated).entry.postings.count == 2)
        #expect(try f.store.spendablePoints(.volunteer("V1"), on: LocalDate("2026-10-05")!) == 0)
        #expect(try f.store.spendablePoints(.volunteer("V1"), on: LocalDate("2026-10-06")!) == 2_000)
        try f.expectClean()
    }

    @Test("points a refund gave back count from the refund's day: a redemption dated before it cannot spend them (R001, L017)")
    func refundedPointsCountFromTheRefund() throws {
        let f = try StationFixture()
        try receive(f, "biscuits", 10, on: "2026-10-01")
        try f.award(.volunteer("V1"), 2_000, on: "2026-10-01")   // 20.00 points: one packet of biscuits
        let receipt = try f.redeem("V1", "biscuits", on: LocalDate("2026-10-04")).receipt
        try f.store.refund(receipt: receipt.number, reason: "包装破损", by: f.op1, on: LocalDate("2026-10-06")!)
        // From 10-04 to 10-05 V1 had nothing: the 20.00 were spent, and came back on 10-06.
        #expect(try f.store.spendablePoints(.volunteer("V1"), on: LocalDate("2026-10-03")!) == 0)
        #expect(try f.store.spendablePoints(.volunteer("V1"), on: LocalDate("2026-10-05")!) == 0)
        #expect(try f.store.spendablePoints(.volunteer("V1"), on: LocalDate("2026-10-06")!) == 2_000)
        try f.expectRefusal("R001") { try f.redeem("V1", "biscuits", on: LocalDate("2026-10-03")) }
        do {
            try f.redeem("V1", "biscuits", on: LocalDate("2026-10-03"))
        } catch let error as RedemptionError {
            #expect(error.message == "volunteer:V1 can spend 0.00 积分 on 2026-10-03, the redemption costs 20.00; 20.00 more 积分 are needed. "
                        + "20.00 more came in after 2026-10-03 "
                        + "(credited, or given back by a refund or a cancelled booking), and 积分 cannot be spent before they came in: "
                        + "date it 2026-10-06 or later")
        }
        // The ledger says so itself, with the day the points came back.
        let request = EntryRequest.move(key: "take", kind: .adjustment, date: LocalDate("2026-10-05")!, actor: "test", memo: "fix",
                                        from: .volunteer("V1"), to: .adjustments, amount: 500)
        do {
            try f.store.post(request)
            Issue.record("the ledger took points on 2026-10-05 that came back on 2026-10-06")
        } catch let error as LedgerError {
            #expect(error.code == "L017")
            #expect(error.message == "volunteer:V1 could spend only 0.00 积分 on 2026-10-05, the date of this entry; 5.00 are needed. "
                        + "20.00 more came in later (credited, or given back by a refund or a cancelled booking; the first on 2026-10-06), and an "
                        + "entry cannot spend 积分 before they came in; "
                        + "date it 2026-10-06 or later, or post less; nothing was written")
        }
        // Dated on the refund's day or later, the points are there.
        #expect(try f.redeem("V1", "biscuits", on: LocalDate("2026-10-06")).receipt.balanceAfter == 0)
        try f.expectClean()
    }

    @Test("points given back and spent again later: a debit dated between may still take what the lot held on every day since")
    func givenBackThenSpentAgain() throws {
        let f = try StationFixture()
        try receive(f, "biscuits", 10, on: "2026-10-01")
        try f.award(.volunteer("V1"), 3_000, on: "2026-10-01")
        let receipt = try f.redeem("V1", "biscuits", on: LocalDate("2026-10-10")).receipt   // 30 → 10
        try f.store.refund(receipt: receipt.number, reason: "包装破损", by: f.op1, on: LocalDate("2026-10-12")!)   // → 30
        try f.redeem("V1", "biscuits", on: LocalDate("2026-10-13"))   // → 10
        // The lot held 10.00 on 10-11, 30.00 on 10-12 and 10.00 from 10-13: 10.00 could be spent on 10-11 (not 0: the
        // 20.00 given back on 10-12 were spent again on 10-13, and are not counted twice).
        #expect(try f.store.spendablePoints(.volunteer("V1"), on: LocalDate("2026-10-11")!) == 1_000)
        #expect(try f.store.spendablePoints(.volunteer("V1"), on: LocalDate("2026-10-09")!) == 1_000)
        try f.store.post(.move(key: "fix", kind: .adjustment, date: LocalDate("2026-10-11")!, actor: "test", memo: "typed in late",
                               from: .volunteer("V1"), to: .adjustments, amount: 1_000))
        #expect(try f.store.spendablePoints(.volunteer("V1"), on: LocalDate("2026-10-12")!) == 0)
        #expect(try f.store.balance(.volunteer("V1")) == 0)
        try f.expectClean()
    }

    @Test("a lot given points back before a late expiry runs: the expiry takes only what was there on its day (no jam)")
    func expiryLeavesLaterGiveBacks() throws {
        let f = try StationFixture()
        try receive(f, "biscuits", 10, on: "2026-10-01")
        try f.award(.volunteer("V1"), 2_000, expires: "2026-10-05", on: "2026-10-01")
        let receipt = try f.redeem("V1", "biscuits", on: LocalDate("2026-10-04")).receipt
        // The refund is typed in on 10-07; the lot expired on 10-05 and its points come back to it.
        try f.store.refund(receipt: receipt.number, reason: "包装破损", by: f.op1, on: LocalDate("2026-10-07")!)
        // An expiry dated 10-06 (a settlement run late) finds nothing to take: on 10-06 the lot was empty.
        try f.store.expire(on: LocalDate("2026-10-06")!, actor: "test", utcOffsetMinutes: 480)
        #expect(try f.store.balance(.volunteer("V1")) == 2_000)
        // The night of 10-07 sweeps the points that came back.
        try f.store.expire(on: LocalDate("2026-10-07")!, actor: "test", utcOffsetMinutes: 480)
        #expect(try f.store.balance(.volunteer("V1")) == 0)
        // What expired with the lot of 10-05: the 20.00 the refund gave back, swept on 10-07.
        let report = try f.store.expiringReport(from: LocalDate("2026-10-05")!, through: LocalDate("2026-10-05")!)
        #expect(report.rows.map { $0.map(\.text) } == [["2026-10-05", "volunteer:V1", "王秀英", "H1", "20.00", "1"]])
        try f.expectClean()
    }

    @Test("an account without lots (a station's points) keeps its floor on every past day: a hand debit dated back is L004")
    func stationFloorOnPastDays() throws {
        let f = try StationFixture()
        try receive(f, "biscuits", 10, on: "2026-10-01")
        try f.award(.volunteer("V1"), 2_000, on: "2026-10-01")
        try f.redeem("V1", "biscuits", on: LocalDate("2026-10-05"))   // S01 holds 20.00 from 10-05
        let early = EntryRequest.move(key: "fix", kind: .adjustment, date: LocalDate("2026-10-03")!, actor: "admin", memo: "typo",
                                      from: .station("S01"), to: .adjustments, amount: 2_000)
        do {
            try f.store.post(early)
            Issue.record("a station's points were taken on a day it had none")
        } catch let error as LedgerError {
            #expect(error.code == "L004")
            #expect(error.message == "station:S01 had 0.00 积分 at the end of 2026-10-03 by the entries' dates; taking 20.00 dated 2026-10-03 "
                        + "would leave -20.00 that day, below its floor of 0.00: date it 2026-10-05 or later, or take less; nothing was written")
        }
        var dated = early
        dated.effectiveDate = LocalDate("2026-10-05")!
        try f.store.post(dated)
        #expect(try f.store.balance(.station("S01")) == 0)
    }

    @Test("a reversal cannot be dated before the entry it reverses (L018)")
    func reversalBeforeTheEntry() throws {
        let f = try StationFixture()
        let award = try f.award(.volunteer("V1"), 2_000, on: "2026-10-05")
        do {
            try f.store.reverse(sequence: award.sequence, key: "undo", actor: "test", memo: "twice", on: LocalDate("2026-10-02")!)
            Issue.record("a reversal dated before its entry was written")
        } catch let error as LedgerError {
            #expect(error.code == "L018")
            #expect(error.message == "entry #\(award.sequence) is dated 2026-10-05, so its reversal cannot be dated 2026-10-02, before it happened; "
                        + "date the reversal 2026-10-05 or later; nothing was written")
        }
        try f.store.reverse(sequence: award.sequence, key: "undo", actor: "test", memo: "twice", on: LocalDate("2026-10-05")!)
        #expect(try f.store.balance(.volunteer("V1")) == 0)
        try f.expectClean()
    }

    @Test("a transfer dated before the giver's points were credited is refused with R001")
    func transferCreditedLater() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 5_000, on: "2026-10-05")
        try f.expectRefusal("R001") {
            try f.store.transfer(TransferRequest(key: "t1", from: "V1", to: "V3", points: 1_000, memo: "", date: LocalDate("2026-10-04")!), by: f.op1)
        }
        try f.store.transfer(TransferRequest(key: "t2", from: "V1", to: "V3", points: 1_000, memo: "", date: LocalDate("2026-10-05")!), by: f.op1)
        try f.expectClean()
    }

    @Test("goods that arrived after a redemption's date cannot be handed out on it (R002 says so)")
    func stockArrivedLater() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000, on: "2026-10-01")
        try receive(f, "biscuits", 1, on: "2026-10-01")
        try receive(f, "biscuits", 5, on: "2026-10-06")
        // On 10-03 the shelf held 1.
        try f.expectRefusal("R002") { try f.redeem("V1", "biscuits", quantity: 2, on: LocalDate("2026-10-03")) }
        do {
            try f.redeem("V1", "biscuits", quantity: 2, on: LocalDate("2026-10-03"))
        } catch let error as RedemptionError {
            #expect(error.message == "S01 held 1 of biscuits on 2026-10-03, 2 wanted: goods that arrived later "
                        + "cannot be handed out before they arrived; date the redemption 2026-10-06 or later")
        }
        try f.redeem("V1", "biscuits", quantity: 1, on: LocalDate("2026-10-03"))
        // Nothing was on the shelf from 10-03 to 10-05 any more.
        try f.expectRefusal("R002") { try f.redeem("V1", "biscuits", on: LocalDate("2026-10-04")) }
        // 5 from 10-06 on: 6 is more than the shelf ever held after 10-02.
        let tooMany = try f.expectRefusal("R002") { try f.redeem("V1", "biscuits", quantity: 6, on: LocalDate("2026-10-02")) }?.message
        #expect(tooMany == "S01 held as few as 0 of biscuits on 2026-10-03, after the redemption's date 2026-10-02, 6 wanted: "
                    + "goods that arrived later cannot be handed out before they arrived; no later day would do either (5 on the shelf now): "
                    + "restock with `timebank stock receive`")
        #expect(try f.store.stockAvailable(station: "S01", item: "biscuits", on: LocalDate("2026-10-02")!) == 0)
        #expect(try f.store.stockAvailable(station: "S01", item: "biscuits", on: LocalDate("2026-10-06")!) == 5)
        #expect(try f.store.stockAvailable(station: "S01", item: "biscuits", on: f.today) == 5)
        try f.redeem("V1", "biscuits", quantity: 5, on: LocalDate("2026-10-06"))
        try f.expectClean()
    }

    @Test("a back-dated adjustment or move may not leave a later day's stock below zero (K003 says so)")
    func adjustmentLeavesLaterDayNegative() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000, on: "2026-10-01")
        try receive(f, "rice_5kg", 3, on: "2026-10-01")
        try f.redeem("V1", "rice_5kg", on: LocalDate("2026-10-04"))
        try receive(f, "rice_5kg", 4, on: "2026-10-06")
        // The shelf held 3, then 2 from 10-04, then 6 from 10-06. Taking 3 on 10-02 would leave -1 on 10-04.
        try f.expectRefusal("K003") {
            try f.store.adjustStock(StockAdjustRequest(key: "adj-1", station: "S01", item: "rice_5kg", quantity: -3, reason: .lost, note: "",
                                                       date: LocalDate("2026-10-02")!), by: f.op1)
        }
        do {
            try f.store.moveStock(StockMoveRequest(key: "mv-1", from: "S01", to: "S02", item: "rice_5kg", quantity: 3,
                                                   date: LocalDate("2026-10-02")!), by: f.op1)
            Issue.record("the move was not refused")
        } catch let error as StockError {
            #expect(error.message == "S01 held as few as 2 of rice_5kg on 2026-10-04 (goods that arrived later cannot be taken "
                        + "before they arrived); taking 3 dated 2026-10-02 would leave -1 that day; date it 2026-10-06 or later, or take less; "
                        + "nothing was written")
        }
        try f.store.adjustStock(StockAdjustRequest(key: "adj-2", station: "S01", item: "rice_5kg", quantity: -2, reason: .lost, note: "",
                                                   date: LocalDate("2026-10-02")!), by: f.op1)
        #expect(try f.store.stockLevel(station: "S01", item: "rice_5kg") == 4)
        try f.expectClean()
    }

    // MARK: What the refusal of a write dated back says about the days after it

    /// Runs `body`, which must throw a `TimeBankError` with `code`; returns its message (nothing was written: `expectRefusal`).
    func refusal(_ f: StationFixture, _ code: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                 _ body: () throws -> Void) throws -> String {
        try f.expectRefusal(code, sourceLocation: sourceLocation, body)
        do {
            try body()
        } catch let error as any TimeBankError {
            return error.message
        }
        return ""
    }

    @Test("after the nightly expiry took a lot, R001 and L017 say that the points held on the day have expired since, how many and when")
    func pointsExpiredSince() throws {
        let f = try StationFixture()
        try receive(f, "biscuits", 10, on: "2026-10-01")
        try f.award(.volunteer("V1"), 5_000, expires: "2026-10-05", on: "2026-10-01")
        try f.award(.volunteer("V2"), 5_000, expires: "2026-10-05", on: "2026-10-01")
        try f.award(.volunteer("V2"), 1_000, on: "2026-10-01")
        try f.award(.volunteer("V1"), 1_000, on: "2026-10-06")
        _ = try f.store.settle(SettlementRequest(date: LocalDate("2026-10-05")!, actor: "nightly"))
        // The passbook shows 50.00 on 10-03; the expiry of 10-05 took them.
        #expect(try f.store.statement(of: .volunteer("V1")).map(\.balance) == [5_000, 0, 1_000])
        // V2 kept 10.00 of its own: the refusal names the day and what expired since (it said "can spend 10.00 积分").
        #expect(try refusal(f, "R001") { try f.redeem("V2", "biscuits", on: LocalDate("2026-10-03")) }
                    == "volunteer:V2 can spend 10.00 积分 on 2026-10-03, the redemption costs 20.00; 10.00 more 积分 are needed. "
                    + "50.00 积分 it held on 2026-10-03 have expired since (on 2026-10-05), taken by the nightly expiry")
        // V1: nothing left from 10-03, and the 10.00 of 10-06 do not pay 20.00 on any day: no date is advised.
        #expect(try refusal(f, "R001") { try f.redeem("V1", "biscuits", on: LocalDate("2026-10-03")) }
                    == "volunteer:V1 can spend 0.00 积分 on 2026-10-03, the redemption costs 20.00; 20.00 more 积分 are needed. "
                    + "50.00 积分 it held on 2026-10-03 have expired since (on 2026-10-05), taken by the nightly expiry. "
                    + "10.00 more came in after 2026-10-03 (credited, or given back by a refund or a cancelled booking), and 积分 cannot be "
                    + "spent before they came in; no later date would do: on no day since 2026-10-03 could it spend 20.00 "
                    + "(the most was 10.00, on 2026-10-06)")
        // The ledger says the same of a hand correction dated 10-03; 5.00 dated 10-06 would do.
        let take = EntryRequest.move(key: "fix", kind: .adjustment, date: LocalDate("2026-10-03")!, actor: "test", memo: "typed in late",
                                     from: .volunteer("V1"), to: .adjustments, amount: 500)
        #expect(try refusal(f, "L017") { try f.store.post(take) }
                    == "volunteer:V1 could spend only 0.00 积分 on 2026-10-03, the date of this entry; 5.00 are needed. "
                    + "50.00 积分 it held on 2026-10-03 have expired since (on 2026-10-05), taken by the nightly expiry. "
                    + "10.00 more came in later (credited, or given back by a refund or a cancelled booking; the first on 2026-10-06), and an "
                    + "entry cannot spend 积分 before they came in; date it 2026-10-06 or later, or post less; nothing was written")
        // A transfer says it too.
        #expect(try refusal(f, "R001") {
            try f.store.transfer(TransferRequest(key: "t1", from: "V2", to: "V3", points: 2_000, memo: "", date: LocalDate("2026-10-03")!), by: f.op1)
        } == "volunteer:V2 can spend 10.00 积分 on 2026-10-03, the transfer is 20.00; 10.00 more 积分 are needed. "
            + "50.00 积分 it held on 2026-10-03 have expired since (on 2026-10-05), taken by the nightly expiry")
        try f.expectClean()
    }

    @Test("L017 advises only a date that would go through: not the first day points came in when they do not cover it then")
    func ledgerAdvisesOnlyADateThatWorks() throws {
        let f = try StationFixture()
        let day = { (text: String) in LocalDate(text)! }
        func take(_ amount: Int64, on date: String) -> EntryRequest {
            .move(key: "take-\(UUID().uuidString)", kind: .adjustment, date: day(date), actor: "test", memo: "typed in late",
                  from: .volunteer("V1"), to: .adjustments, amount: amount)
        }
        // 10.00 on 10-01, 10.00 on 10-04, 20.00 on 10-06: 30.00 dated 10-02 can be taken from 10-06 on, not 10-04 (20.00).
        try f.award(.volunteer("V1"), 1_000, on: "2026-10-01")
        try f.award(.volunteer("V1"), 1_000, on: "2026-10-04")
        try f.award(.volunteer("V1"), 2_000, on: "2026-10-06")
        #expect(try refusal(f, "L017") { try f.store.post(take(3_000, on: "2026-10-02")) }.hasSuffix(
            "(credited, or given back by a refund or a cancelled booking; the first on 2026-10-04), and an entry cannot spend 积分 before "
            + "they came in; date it 2026-10-06 or later, or post less; nothing was written"))
        try f.expectRefusal("L017") { try f.store.post(take(3_000, on: "2026-10-04")) }
        try f.store.post(take(3_000, on: "2026-10-06"))

        // V2: 10.00 on 10-01, 30.00 on 10-04 that expired on 10-06 (not swept yet: it is 10-08): 20.00 dated 10-02 would do on
        // 10-04 and 10-05 only.
        func takeV2(_ amount: Int64, on date: String) -> EntryRequest {
            .move(key: "take-\(UUID().uuidString)", kind: .adjustment, date: day(date), actor: "test", memo: "typed in late",
                  from: .volunteer("V2"), to: .adjustments, amount: amount)
        }
        try f.award(.volunteer("V2"), 1_000, on: "2026-10-01")
        try f.award(.volunteer("V2"), 3_000, expires: "2026-10-06", on: "2026-10-04")
        #expect(try refusal(f, "L017") { try f.store.post(takeV2(2_000, on: "2026-10-02")) }.hasSuffix(
            "date it between 2026-10-04 and 2026-10-05, or post less; nothing was written"))
        try f.expectRefusal("L012") { try f.store.post(takeV2(2_000, on: "2026-10-06")) }

        // V3: 10.00 on 10-01, 15.00 on 10-03 that expired on 10-04, 15.00 on 10-05: 30.00 dated 10-02 would never do.
        func takeV3(_ amount: Int64, on date: String) -> EntryRequest {
            .move(key: "take-\(UUID().uuidString)", kind: .adjustment, date: day(date), actor: "test", memo: "typed in late",
                  from: .volunteer("V3"), to: .adjustments, amount: amount)
        }
        try f.award(.volunteer("V3"), 1_000, on: "2026-10-01")
        try f.award(.volunteer("V3"), 1_500, expires: "2026-10-04", on: "2026-10-03")
        try f.award(.volunteer("V3"), 1_500, on: "2026-10-05")
        #expect(try refusal(f, "L017") { try f.store.post(takeV3(3_000, on: "2026-10-02")) }.hasSuffix(
            "and an entry cannot spend 积分 before they came in; no later date would do: on no day since 2026-10-02 could it spend "
            + "30.00 (the most was 25.00, on 2026-10-03): post less; nothing was written"))
        for date in ["2026-10-03", "2026-10-05", "2026-10-08"] {
            #expect(throws: (any Error).self) { try f.store.post(takeV3(3_000, on: date)) }
        }
        try f.expectClean()
    }

    @Test("R001 of a redemption dated back advises the days it would go through, or says no later date would")
    func redemptionAdvisesOnlyADateThatWorks() throws {
        let f = try StationFixture()
        try receive(f, "biscuits", 10, on: "2026-10-01")
        // 10.00 on 10-01, 30.00 on 10-04 that expired on 10-06: biscuits (20.00) dated 10-02 would do on 10-04 or 10-05.
        try f.award(.volunteer("V1"), 1_000, on: "2026-10-01")
        try f.award(.volunteer("V1"), 3_000, expires: "2026-10-06", on: "2026-10-04")
        #expect(try refusal(f, "R001") { try f.redeem("V1", "biscuits", on: LocalDate("2026-10-02")) }.hasSuffix(
            "and 积分 cannot be spent before they came in: date it between 2026-10-04 and 2026-10-05"))
        try f.expectRefusal("R001") { try f.redeem("V1", "biscuits", on: LocalDate("2026-10-06")) }
        try f.redeem("V1", "biscuits", on: LocalDate("2026-10-05"))
        try f.expectClean()
    }

    @Test("a receipt typed in later shows the balance on its day, and the balance when it was typed in beside it")
    func receiptTypedInLaterShowsTheDaysBalance() throws {
        let f = try StationFixture()
        try receive(f, "biscuits", 10, on: "2026-10-01")
        try f.award(.volunteer("V1"), 10_000, on: "2026-10-01")
        try f.award(.volunteer("V1"), 5_000, on: "2026-10-05")
        // The paper receipt of 10-03: 100.00 - 20.00 = 80.00 that day; 130.00 now, with the 50.00 of 10-05.
        let paper = try f.redeem("V1", "biscuits", on: LocalDate("2026-10-03")).receipt
        #expect(paper.balanceAfter == 8_000)
        #expect(paper.balanceWhenEntered == 13_000)
        #expect(try f.store.statement(of: .volunteer("V1")).first { $0.sequence == paper.entry }?.balance == 8_000)
        // Read again (a reprint, a list), it is the same, also after more is typed in for that day and the days before.
        try f.award(.volunteer("V1"), 700, on: "2026-10-02")
        try f.redeem("V1", "biscuits", on: LocalDate("2026-10-03"))
        for read in [try f.store.receipt(number: paper.number), try f.store.receipt(key: paper.key),
                     try f.store.receipts(volunteer: "V1").first { $0.number == paper.number }] {
            #expect(read?.balanceAfter == 8_000 && read?.balanceWhenEntered == 13_000)
        }
        let printed = paper.rendered(utcOffsetMinutes: 480)
        #expect(printed.contains("余额 Balance      80.00 on 2026-10-03\n录入时余额 Then   130.00 when typed in on 2026-10-08\n"))
        #expect(printed.contains("日期 Date         2026-10-03\n"))
        // A receipt of today has one balance, as before.
        let today = try f.redeem("V1", "biscuits").receipt
        #expect(today.balanceAfter == today.balanceWhenEntered)
        #expect(today.rendered(utcOffsetMinutes: 480).contains("余额 Balance      \(Hundredths.format(today.balanceAfter))\n志愿者"))
        try f.expectClean()
    }
}
