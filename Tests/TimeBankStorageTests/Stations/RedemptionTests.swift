import Foundation
import Synchronization
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Stations: redemption")
struct RedemptionTests {
    @Test("a redemption takes points from the earliest-expiring lots, pays the station, takes the stock and writes the receipt")
    func redeemGoods() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 5_000)                               // never expires: spent last
        let early = try f.award(.volunteer("V1"), 4_000, expires: "2026-12-31")
        try f.stock("S01", "rice_5kg", 3)
        let receipt = try f.redeem("V1", "rice_5kg", key: "S01-0001").receipt
        #expect(receipt.points == 6_000)
        #expect(receipt.balanceAfter == 3_000)
        #expect(receipt.station == "S01" && receipt.stationName == "第一兑换站")
        #expect(receipt.operatorID == "op1" && receipt.operatorName == "张敏")
        #expect(receipt.itemLabel == "大米 5kg")
        #expect(try f.store.balance(.station("S01")) == 6_000)
        #expect(try f.store.stockLevel(station: "S01", item: "rice_5kg") == 2)
        let entry = try #require(try f.store.entry(sequence: receipt.entry))
        #expect(entry.kind == .redemption && entry.actor == "op1")
        // 40.00 from the lot expiring 2026-12-31 first, then 20.00 from the lot that never expires.
        let earlyLot = try #require(try f.store.lots(of: .volunteer("V1")).first { $0.openedBy == early.sequence })
        #expect(entry.allocations.first { $0.lotID == earlyLot.id }?.amount == 4_000)
        #expect(entry.allocations.first { $0.lotID != earlyLot.id }?.amount == 2_000)
        try f.expectClean()
    }

    @Test("a retry with the same key returns the original receipt and writes nothing")
    func idempotentRetry() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 5)
        let first = try f.redeem("V1", "biscuits", key: "counter-17")
        #expect(first.isNew)
        let before = try f.snapshot()
        f.clock.advance(minutes: 60 * 24)   // the network retried the next day
        let retry = try f.redeem("V1", "biscuits", key: "counter-17", on: LocalDate("2026-10-09"))
        #expect(!retry.isNew)
        #expect(retry.receipt == first.receipt)
        #expect(try f.snapshot() == before)
    }

    @Test("the same key with different content is refused (R008) and writes nothing")
    func keyReuse() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 5)
        try f.redeem("V1", "biscuits", key: "counter-17")
        try f.expectRefusal("R008") { try f.redeem("V1", "biscuits", quantity: 2, key: "counter-17") }
        try f.expectRefusal("R008") { try f.redeem("V4", "biscuits", key: "counter-17") }
    }

    @Test("R008 says what went through under the key, and that a new key would redeem all of it again")
    func keyReuseNamesWhatStands() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 5)
        let first = try f.redeem("V1", "biscuits", key: "counter-17").receipt
        // The printer jammed; the operator sends it again, now with 2 (the volunteer asked for another box meanwhile).
        let refusal = try f.expectRefusal("R008") { try f.redeem("V1", "biscuits", quantity: 2, key: "counter-17") }
        #expect(refusal?.message == "the key \"counter-17\" was already used for receipt R\(first.number) (饼干礼盒 × 1 for 王秀英 (V1), "
            + "2026-10-08 at S01) with different content (this one differs: quantity 2, not 1); nothing was written. That stands as "
            + "it was first sent (sending exactly that again prints it), and a new key would do all of it again: give one only for "
            + "what is still to be done")
        // Each field that differs is named, as sent and as it went through.
        let other = try f.expectRefusal("R008") { try f.redeem("V4", "biscuits", quantity: 3, key: "counter-17") }
        #expect(other?.message.contains("(this one differs: volunteer V4, not V1; quantity 3, not 1);") == true)
    }

    @Test("R002 when no other station has any of the goods: only a delivery helps, not \"move some\"")
    func outOfStockEverywhere() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V2"), 20_000)
        try f.stock("S01", "biscuits", 1)
        do { try f.redeem("V2", "biscuits", quantity: 2); Issue.record("2 biscuits went through") } catch let error as RedemptionError {
            #expect(error.message == "S01 has 1 of biscuits, 2 wanted; no other station has any: restock with `timebank stock receive`")
        }
    }

    @Test("every refusal has its code, says what would make it work, and writes nothing")
    func refusals() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.award(.volunteer("V4"), 1_000)
        try f.award(.volunteer("V2"), 20_000)
        try f.award(.volunteer("V3"), 20_000)
        try f.stock("S01", "rice_5kg", 2)
        try f.stock("S02", "biscuits", 7)
        let rice = try f.redeem("V1", "rice_5kg").receipt

        // R001: 10.00 points cannot pay 20.00.
        try f.expectRefusal("R001") { try f.redeem("V4", "biscuits", at: "S02") }
        // R002: none at S01; S02 has 7.
        try f.expectRefusal("R002") { try f.redeem("V2", "biscuits") }
        do { try f.redeem("V2", "biscuits") } catch let error as RedemptionError {
            #expect(error.message == "S01 has 0 of biscuits, 1 wanted; in stock at S02 第二兑换站 (7)")
        }
        // 8 wanted: S02's 7 are not enough on their own; moving them is a way.
        do { try f.redeem("V2", "biscuits", quantity: 8); Issue.record("8 biscuits went through") } catch let error as RedemptionError {
            #expect(error.message == "S01 has 0 of biscuits, 8 wanted; no other station has 8 on its own shelf (S02 第二兑换站 (7)): "
                + "move some with `timebank stock move`, or restock with `timebank stock receive`")
        }

        // R003: rice once a month; resets on 1 November.
        try f.expectRefusal("R003") { try f.redeem("V1", "rice_5kg") }
        do { try f.redeem("V1", "rice_5kg") } catch let error as RedemptionError {
            #expect(error.message.hasSuffix("the limit resets on 2026-11-01"))
            // Which receipt took it, where and when: the volunteer at another station's counter can be told.
            #expect(error.message == "V1 may redeem rice_5kg 1 time per month and has 1 this month (receipt R\(rice.number) at S01 "
                + "on 2026-10-08); the limit resets on 2026-11-01", "\(error.message)")
        }
        // R004: the health check is for volunteers aged 60 and over; V2 is 36, V3's age is unknown.
        try f.expectRefusal("R004") { try f.redeem("V2", "health_check") }
        do { try f.redeem("V2", "health_check") } catch let error as RedemptionError {
            #expect(error.message == "V2 is not eligible for health_check: the condition `volunteer.age >= 60` is not met (volunteer.age is 36)")
        }
        try f.expectRefusal("R004") { try f.redeem("V3", "health_check") }
        // R005, R006, R019: unknown ids, with a suggestion.
        try f.expectRefusal("R005") { try f.redeem("V1", "rice_5gk") }
        do { try f.redeem("V1", "rice_5gk") } catch let error as RedemptionError { #expect(error.message.contains("did you mean \"rice_5kg\"?")) }
        try f.expectRefusal("R006") { try f.redeem("V9", "biscuits") }
        // The number on the card typed with more zeros than the id has (or fewer): that id.
        let padded = try f.expectRefusal("R006") { try f.redeem("V001", "biscuits") }
        #expect(padded?.message == "no volunteer \"V001\"; did you mean \"V1\"?")
        // A phone number is no id: the refusal says what the counter takes.
        let phone = try f.expectRefusal("R006") { try f.redeem("13800138000", "biscuits") }
        #expect(phone?.message == "no volunteer \"13800138000\"; give the volunteer's id (their name, or part of it, is "
            + "answered with the id here; `timebank volunteer list --name 秀英` lists the volunteers whose name holds 秀英)")
        // Part of a name, as a resident gives it (小明 of 王小明): the volunteer whose name holds it, with what tells who it
        // is, for the operator to check; never taken for the id. Part of several names: each, to ask which one.
        let part = try f.expectRefusal("R006") { try f.redeem("小明", "biscuits") }
        #expect(part?.message == "no volunteer \"小明\"; \"小明\" is part of the name of V2 王小明 (household H1, born 1990, team green): "
            + "if that is the person, give V2")
        let shared = try f.expectRefusal("R006") { try f.redeem("王 ", "biscuits") }
        #expect(shared?.message == "no volunteer \"王 \"; give the volunteer's id (their name, or part of it, is "
            + "answered with the id here; `timebank volunteer list --name 秀英` lists the volunteers whose name holds 秀英)")
        // A single character (王 of 王秀英 and 王小明) is part of too many names to say.
        try f.expectRefusal("R019") { try f.redeem("V1", "biscuits", at: "S03", by: f.admin) }
        // R007: one cleaning a day at S01.
        try f.redeem("V2", "home_cleaning")
        try f.expectRefusal("R007") { try f.redeem("V3", "home_cleaning") }
        do { try f.redeem("V3", "home_cleaning") } catch let error as RedemptionError { #expect(error.message.contains("free at S02")) }
        // R010: a quantity of 0.
        try f.expectRefusal("R010") { try f.redeem("V2", "biscuits", at: "S02", quantity: 0) }
        // O004: op1 works at S01; O003: the auditor only reads.
        try f.expectRefusal("O004") { try f.redeem("V2", "biscuits", at: "S02", by: f.op1) }
        try f.expectRefusal("O003") { try f.redeem("V2", "biscuits", at: "S02", by: f.auditor) }
        // A006: no policy in force before 2026-01-01.
        try f.expectRefusal("A006") { try f.redeem("V2", "biscuits", at: "S02", on: LocalDate("2025-12-31")) }
        // L010: an empty key.
        try f.expectRefusal("L010") { try f.redeem("V2", "biscuits", at: "S02", key: "") }
        try f.expectClean()
    }

    @Test("the policy's balance floor is kept")
    func policyFloor() throws {
        let f = try StationFixture(policy: stationTestPolicy(floor: "20"))
        try f.award(.volunteer("V1"), 7_000)
        try f.stock("S01", "rice_5kg", 1)
        try f.expectRefusal("R001") { try f.redeem("V1", "rice_5kg") }
        try f.award(.volunteer("V1"), 1_000)
        #expect(try f.redeem("V1", "rice_5kg").receipt.balanceAfter == 2_000)
    }

    @Test("a service whose cost to the fund (unit_cost × quantity) is beyond the ledger is refused R010 at the counter, and nothing is written")
    func serviceCostBeyondTheLedger() throws {
        let policy = stationTestPolicy() + "\n\n[catalog.calligraphy]\nkind = \"service\"\nprice = 10\nunit_cost = 9000000000000\n"
        let f = try StationFixture(policy: policy)
        try f.award(.volunteer("V1"), 10_000)
        let head = try f.store.head()
        let refused = try f.expectRefusal("R010") { try f.redeem("V1", "calligraphy", quantity: 2) }
        #expect(refused?.message == "invalid quantity: 2 × calligraphy costs the fund too much: 2 × 9000000000000.00 CNY (its unit_cost) "
            + "is beyond the ledger's largest amount, 10000000000000.00 CNY")
        #expect(try f.store.head() == head)
        // One fits: the fund pays its 9,000,000,000,000 CNY (the fund may go below zero; reconciliation reports it).
        #expect(try f.redeem("V1", "calligraphy").receipt.balanceAfter == 9_000)
    }

    @Test("points that expired are not spendable: the refusal is R001 with the usable balance")
    func expiredPoints() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 5_000, expires: "2026-10-01")   // expired before today
        try f.award(.volunteer("V1"), 3_000)
        try f.stock("S01", "rice_5kg", 1)
        let waiting = ExpiredNotYetTaken(points: 5_000, expiredFrom: LocalDate("2026-10-01")!, expiredThrough: LocalDate("2026-10-01")!)
        // The balance still shows 80.00 until the nightly expiry runs: the refusal says which 50.00 cannot be spent.
        #expect(throws: RedemptionError.insufficientBalance(account: .volunteer("V1"), spendable: 3_000, floor: 0, price: 6_000,
                                                           expiredNotYetTaken: waiting, unit: "积分")) { try f.redeem("V1", "rice_5kg") }
        let refused = try f.expectRefusal("R001") { try f.redeem("V1", "rice_5kg") }
        #expect(refused?.message == "volunteer:V1 can spend 30.00 积分, the redemption costs 60.00; 30.00 more 积分 are needed. "
                + "50.00 积分 of its balance expired on 2026-10-01: the balance still shows them until the nightly expiry takes them, "
                + "but they cannot be spent")
        // Once the nightly expiry has taken them, the refusal no longer names them.
        try f.store.post(.move(key: "expiry:V1:2026-10-08", kind: .expiry, date: f.today, actor: "settlement", memo: "expired",
                               from: .volunteer("V1"), to: .expired, amount: 5_000))
        #expect(throws: RedemptionError.insufficientBalance(account: .volunteer("V1"), spendable: 3_000, floor: 0, price: 6_000,
                                                           unit: "积分")) {
            try f.redeem("V1", "rice_5kg")
        }
    }

    @Test("a service redemption takes a slot of the day and pays its unit cost from the fund")
    func serviceRedemption() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        let receipt = try f.redeem("V1", "health_check").receipt
        #expect(receipt.serviceDate == f.today && receipt.itemKind == .service)
        #expect(try f.store.slotsTaken(station: "S01", item: "health_check", on: f.today) == 1)
        #expect(try f.store.balance(.fund, .cny) == -5_000)
        #expect(try f.store.balance(.outside, .cny) == 5_000)
        try f.expectClean()
    }

    @Test("household pooling: any member redeems from the household balance")
    func householdPooling() throws {
        let f = try StationFixture(policy: stationTestPolicy(earnTo: "household"))
        try f.award(.household("H1"), 10_000)
        try f.stock("S01", "biscuits", 5)
        let byV2 = try f.redeem("V2", "biscuits").receipt
        let byV1 = try f.redeem("V1", "biscuits").receipt
        #expect(byV2.paidFrom == .household("H1") && byV1.paidFrom == .household("H1"))
        #expect(byV1.balanceAfter == 6_000)
        #expect(try f.store.balance(.household("H1")) == 6_000)
        #expect(try f.store.balance(.volunteer("V1")) == 0)
        // V3 belongs to no household: spends their own account, which is empty.
        try f.expectRefusal("R001") { try f.redeem("V3", "biscuits") }
        // The limit stays per volunteer: V1 and V2 may each have rice once this month.
        try f.stock("S01", "rice_5kg", 2)
        try f.redeem("V1", "rice_5kg")
        try f.expectRefusal("R003") { try f.redeem("V1", "rice_5kg") }
        try f.award(.household("H1"), 6_000)
        #expect(try f.redeem("V2", "rice_5kg").receipt.paidFrom == .household("H1"))
        try f.expectClean()
    }

    @Test("household pooling: R001 names a member's own points, earned before the policy earned to households, and how to move them")
    func householdShortMemberHoldsOwnPoints() throws {
        let f = try StationFixture(policy: stationTestPolicy(earnTo: "household"))
        try f.award(.household("H1"), 1_000)
        try f.award(.volunteer("V2"), 3_000)   // as earned under an earlier policy that earned to volunteers
        try f.stock("S01", "biscuits", 5)
        let refusal = try f.expectRefusal("R001") { try f.redeem("V2", "biscuits") }
        #expect(refusal?.message == "household:H1 can spend 10.00 积分, the redemption costs 20.00; 10.00 more 积分 are needed. "
                + "V2 also holds 30.00 积分 of their own (volunteer:V2, earned before the policy earned to households), which the counter "
                + "does not spend while the policy pays from the household ([accounts] earn_to = \"household\"); an admin may move them "
                + "to the household: `timebank post --from volunteer:V2 --to household:H1 --points 30.00 --kind adjustment --key KEY "
                + "--memo TEXT`")
        // A member with nothing of their own gets the plain R001.
        let plain = try f.expectRefusal("R001") { try f.redeem("V1", "biscuits") }
        #expect(plain?.message == "household:H1 can spend 10.00 积分, the redemption costs 20.00; 10.00 more 积分 are needed")
        try f.expectClean()
    }

    @Test("household pooling: a transfer's or donation's R001 names the giver's own points too, as the counter's does")
    func householdShortGiftNamesMemberOwnPoints() throws {
        let f = try StationFixture(policy: stationTestPolicy(earnTo: "household"))
        try f.award(.household("H1"), 1_000)
        try f.award(.volunteer("V2"), 3_000)   // as earned under an earlier policy that earned to volunteers
        let own = "V2 also holds 30.00 积分 of their own (volunteer:V2, earned before the policy earned to households), which the counter "
            + "does not spend while the policy pays from the household ([accounts] earn_to = \"household\"); an admin may move them "
            + "to the household: `timebank post --from volunteer:V2 --to household:H1 --points 30.00 --kind adjustment --key KEY "
            + "--memo TEXT`"
        let transfer = try f.expectRefusal("R001") {
            try f.store.transfer(TransferRequest(key: "g1", from: "V2", to: "V4", points: 2_000, date: f.today), by: f.op1)
        }
        #expect(transfer?.message == "household:H1 can spend 10.00 积分, the transfer is 20.00; 10.00 more 积分 are needed. " + own)
        let donation = try f.expectRefusal("R001") {
            try f.store.transfer(TransferRequest(key: "d1", from: "V2", to: nil, points: 2_000, date: f.today), by: f.op1)
        }
        #expect(donation?.message == "household:H1 can spend 10.00 积分, the donation is 20.00; 10.00 more 积分 are needed. " + own)
        // A member with nothing of their own gets the plain R001.
        let plain = try f.expectRefusal("R001") {
            try f.store.transfer(TransferRequest(key: "g2", from: "V1", to: "V4", points: 2_000, date: f.today), by: f.op1)
        }
        #expect(plain?.message == "household:H1 can spend 10.00 积分, the transfer is 20.00; 10.00 more 积分 are needed")
        try f.expectClean()
    }

    @Test("receipts are append-only")
    func receiptsAppendOnly() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 1)
        let receipt = try f.redeem("V1", "biscuits").receipt
        #expect(throws: SQLiteError.self) { try f.store.database.execute("UPDATE receipts SET points = 1 WHERE number = \(receipt.number)") }
        #expect(throws: SQLiteError.self) { try f.store.database.execute("DELETE FROM receipts") }
        #expect(throws: SQLiteError.self) { try f.store.database.execute("DELETE FROM stock_movements") }
    }
}

@Suite("Stations: refunds")
struct RefundTests {
    @Test("a refund gives the points back to the exact lots, the goods back to stock, and happens once")
    func refundOnce() throws {
        let f = try StationFixture()
        let early = try f.award(.volunteer("V1"), 4_000, expires: "2026-12-31")
        try f.award(.volunteer("V1"), 5_000)
        try f.stock("S01", "rice_5kg", 1)
        let lotsBefore = try f.store.lots(of: .volunteer("V1"))
        let receipt = try f.redeem("V1", "rice_5kg").receipt
        #expect(try f.store.stockLevel(station: "S01", item: "rice_5kg") == 0)

        let outcome = try f.store.refund(receipt: receipt.number, reason: "米袋破损", by: f.op1, on: f.today)
        let refunded = outcome.receipt
        #expect(outcome.isNew && refunded.refund?.reason == "米袋破损")
        #expect(try f.store.lots(of: .volunteer("V1")) == lotsBefore)           // every lot has its points back
        #expect(try f.store.lots(of: .volunteer("V1")).first { $0.openedBy == early.sequence }?.remaining == 4_000)
        #expect(try f.store.balance(.station("S01")) == 0)
        #expect(try f.store.stockLevel(station: "S01", item: "rice_5kg") == 1)
        let entry = try #require(try f.store.entry(sequence: refunded.refund!.entry))
        #expect(entry.kind == .reversal && entry.reverses == receipt.entry && entry.memo == "退货 R1 大米 5kg ×1: 米袋破损")

        // Again with the same reason: the same refund; with another reason: R012. Neither writes anything.
        let before = try f.snapshot()
        #expect(try f.store.refund(receipt: receipt.number, reason: "米袋破损", by: f.op1, on: f.today) == .exists(refunded))
        #expect(try f.snapshot() == before)
        try f.expectRefusal("R012") { try f.store.refund(receipt: receipt.number, reason: "again", by: f.op1, on: f.today) }
        // A reason with a right-to-left override would show reversed on the receipt and in the spreadsheet: refused, nothing written.
        try f.expectRefusal("R020") { try f.store.refund(receipt: receipt.number, reason: "破损\u{202E}txet", by: f.op1, on: f.today) }
        #expect(try f.snapshot() == before)
        // Two counters sending the same refund at the same moment: one writes it, the other is told it was there already.
        try f.stock("S01", "biscuits", 1)
        let second = try f.redeem("V1", "biscuits").receipt
        let outcomes = Mutex<[Bool]>([])
        let path = f.path, clock = f.clock, op1 = f.op1!, today = f.today
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            guard let store = try? TimeBankStore(path: path, clock: clock),
                  let outcome = try? store.refund(receipt: second.number, reason: "包装破损", by: op1, on: today) else { return }
            outcomes.withLock { $0.append(outcome.isNew) }
        }
        #expect(outcomes.withLock { $0.sorted { !$0 && $1 } } == [false, false, false, true])
        // The redemption and its refund are the stations' books: neither is reversed by hand (R024).
        try f.expectRefusal("R024") { try f.store.reverse(sequence: receipt.entry, key: "rev", actor: "admin", memo: "x", on: f.today) }
        try f.expectRefusal("R024") { try f.store.reverse(sequence: refunded.refund!.entry, key: "rev", actor: "admin", memo: "x", on: f.today) }
        // A refunded redemption no longer counts toward the monthly limit.
        try f.redeem("V1", "rice_5kg")
        try f.expectClean()
    }

    @Test("refunds are refused before the redemption, after the return window, at another station, or for an unknown receipt")
    func refundRefusals() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 2)
        let receipt = try f.redeem("V1", "biscuits").receipt
        let redeemed = try f.snapshot()
        try f.expectRefusal("R021") {
            try f.store.refund(receipt: receipt.number, reason: "early", by: f.op1, on: LocalDate("2026-10-07")!)
        }
        #expect(try f.snapshot() == redeemed)
        try f.expectRefusal("R013") {
            try f.store.refund(receipt: receipt.number, reason: "late", by: f.op1, on: LocalDate("2026-10-16")!)
        }
        try f.store.refund(receipt: receipt.number, reason: "last day", by: f.op1, on: LocalDate("2026-10-15")!)
        let other = try f.redeem("V1", "biscuits").receipt
        let elsewhere = try f.expectRefusal("O004") { try f.store.refund(receipt: other.number, reason: "x", by: f.op2, on: f.today) }
        // The operator named no station: the receipt did, and the refusal says so.
        #expect(elsewhere?.message == "receipt R\(other.number) belongs to station S01, and op2 works at station S02 (rule: operators act only "
                + "at their own station): an operator of S01 or an admin does it; nothing was written")
        try f.expectRefusal("R011") { try f.store.refund(receipt: 99, reason: "x", by: f.op1, on: f.today) }
        try f.expectRefusal("R020") { try f.store.refund(receipt: other.number, reason: " ", by: f.op1, on: f.today) }
        // Reversed by hand (as a database written before R024 may hold it): the refund is refused, naming the reversal.
        _ = try f.store.reverse(sequence: other.entry, key: "manual", actor: "admin", memo: "mistake", on: f.today, asStationOperation: true)
        try f.expectRefusal("R012") { try f.store.refund(receipt: other.number, reason: "x", by: f.op1, on: f.today) }
    }

    @Test("a hand reversal of a receipt's entry is refused (R024) and names the refund; nothing is written")
    func reverseByHandRefused() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 2)
        let receipt = try f.redeem("V1", "biscuits", key: "S01-0001").receipt
        try f.expectRefusal("R024") { try f.store.reverse(sequence: receipt.entry, key: "undo", actor: "admin", memo: "x", on: f.today) }
        do {
            try f.store.reverse(sequence: receipt.entry, key: "undo", actor: "admin", memo: "x", on: f.today)
        } catch let error as RedemptionError {
            #expect(error.message == "entry #\(receipt.entry) is the redemption of receipt R1 (饼干礼盒 × 1 for 王秀英 (V1), 2026-10-08 at S01), "
                        + "which the stations' books (receipts, stock, bookings, gift limits and their reports) count; reversed by hand it would "
                        + "leave them contradicting the ledger. Refund it instead: `timebank refund R1 --reason TEXT` gives the points back to "
                        + "their lots, the goods back to the shelf; after the return window an admin adds --late; nothing was written")
        }
        // The receipt still counts, and the books agree.
        #expect(try f.store.receipts().map(\.refund) == [nil])
        try f.expectClean()
    }

    @Test("after the return window an admin refunds with late: points back to their lots, goods back on the shelf; operators may not")
    func lateRefund() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 2)
        let lotsBefore = try f.store.lots(of: .volunteer("V1"))
        let receipt = try f.redeem("V1", "biscuits").receipt
        let late = LocalDate("2026-10-20")!
        try f.expectRefusal("R013") { try f.store.refund(receipt: receipt.number, reason: "录错了", by: f.admin, on: late) }
        try f.expectRefusal("O003") { try f.store.refund(receipt: receipt.number, reason: "录错了", by: f.op1, on: late, late: true) }
        try f.expectRefusal("O003") { try f.store.refund(receipt: receipt.number, reason: "录错了", by: f.auditor, on: late, late: true) }
        do {
            try f.store.refund(receipt: receipt.number, reason: "录错了", by: f.op1, on: late, late: true)
        } catch let error as AccessError {
            #expect(error.message == "op1 is an operator and may not refund after the return window: only an admin may (ask one to do "
                        + "it); nothing was written")
        }
        let refunded = try f.store.refund(receipt: receipt.number, reason: "录错了", by: f.admin, on: late, late: true).receipt
        #expect(refunded.refund?.refundedOn == late && refunded.refund?.operatorID == "admin")
        #expect(try f.store.lots(of: .volunteer("V1")) == lotsBefore)   // the points are back in the lot they came from
        #expect(try f.store.balance(.volunteer("V1")) == 10_000)
        #expect(try f.store.stockLevel(station: "S01", item: "biscuits") == 2)
        let entry = try #require(try f.store.entry(sequence: refunded.refund!.entry))
        #expect(entry.memo == "退货 R1 饼干礼盒 ×1 (late: returns closed 2026-10-15): 录错了")
        // Within the window, late changes nothing about the refund.
        let second = try f.redeem("V1", "biscuits").receipt
        let inTime = try f.store.refund(receipt: second.number, reason: "破损", by: f.admin, on: f.today, late: true).receipt
        #expect(try f.store.entry(sequence: inTime.refund!.entry)?.memo == "退货 R2 饼干礼盒 ×1: 破损")
        try f.expectClean()
    }
}
