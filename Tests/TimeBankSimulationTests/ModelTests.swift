import Testing
import TimeBankCore
@testable import TimeBankSimulation

/// The model is the simulation's oracle: these worked examples check it by hand.
@Suite("The simulation's model")
struct ModelTests {
    static let day = LocalDate(year: 2026, month: 1, day: 20)!

    /// A model with the first simulated policy (effective 2026-01-05), station S1, household H1 and volunteer V1
    /// (born 1990, in H1), and the admin and S1's operator.
    static func community() throws -> SimModel {
        let model = SimModel(start: Timestamp(millisecondsSinceEpoch: Int64(day.daysSinceEpoch) * 86_400_000))
        let policy = SimulatedPolicy.initial(effective: LocalDate(year: 2026, month: 1, day: 5)!)
        _ = try model.activatePolicy(policy, text: policy.text)
        try model.addStation("S1")
        try model.addHousehold("H1")
        try model.addVolunteer(ModelVolunteer(id: "V1", household: "H1", birthDate: LocalDate(year: 1990, month: 6, day: 1), joined: day))
        model.operators["admin"] = ModelOperator(id: "admin", role: .admin, station: nil)
        model.operators["op-S1"] = ModelOperator(id: "op-S1", role: .operator, station: "S1")
        return model
    }

    static func award(_ model: SimModel, _ key: String, _ amount: Int64, expires: LocalDate?) throws {
        _ = try model.post(key: key, kind: .award, date: day, actor: "admin", memo: "", postings: [
            ModelPosting(account: .volunteer("V1"), amount: amount, lotExpiresOn: expires),
            ModelPosting(account: .issuance, amount: -amount),
        ])
    }

    @Test("a debit draws the earliest expiry first and never-expiring lots last")
    func lotsEarliestExpiryFirst() throws {
        let model = try Self.community()
        try Self.award(model, "a1", 3_000, expires: LocalDate(year: 2026, month: 3, day: 1))   // lot 1: 30.00
        try Self.award(model, "a2", 2_000, expires: nil)                                        // lot 2: 20.00, never expires
        try Self.award(model, "a3", 1_000, expires: LocalDate(year: 2026, month: 2, day: 1))   // lot 3: 10.00
        _ = try model.post(key: "p1", kind: .penalty, date: Self.day, actor: "admin", memo: "", postings: [
            ModelPosting(account: .issuance, amount: 3_500), ModelPosting(account: .volunteer("V1"), amount: -3_500),
        ])
        // 35.00: all of lot 3 (10.00, expires first), then 25.00 of lot 1; lot 2 untouched.
        #expect(model.lots.map(\.remaining) == [500, 2_000, 0])
        #expect(model.balance(.volunteer("V1")) == 2_500)
        // 30.00 more would leave -5.00: below the floor of 0 (L004); nothing changes.
        #expect(throws: ModelRefusal("L004")) {
            _ = try model.post(key: "p2", kind: .penalty, date: Self.day, actor: "admin", memo: "", postings: [
                ModelPosting(account: .issuance, amount: 3_000), ModelPosting(account: .volunteer("V1"), amount: -3_000),
            ])
        }
        #expect(model.lots.map(\.remaining) == [500, 2_000, 0])
        #expect(model.entryCount == 4)
    }

    @Test("a redemption keeps the policy's floor of 5.00 points: 60.00 rice needs 65.00 spendable")
    func redemptionFloor() throws {
        let model = try Self.community()
        try Self.award(model, "a1", 6_400, expires: nil)
        model.stock[StockKey(station: "S1", item: "rice")] = 3
        let session = model.operators["op-S1"]!
        #expect(throws: ModelRefusal("R001")) {
            _ = try model.redeem(key: "S1-0001", station: "S1", volunteer: "V1", item: "rice", quantity: 1, date: Self.day, by: session)
        }
        try Self.award(model, "a2", 100, expires: nil)
        let receipt = try model.redeem(key: "S1-0001", station: "S1", volunteer: "V1", item: "rice", quantity: 1, date: Self.day, by: session)
        #expect(receipt == StationResult(number: 1, entry: 3, isNew: true))
        #expect(model.balance(.volunteer("V1")) == 500)
        #expect(model.balance(.station("S1")) == 6_000)
        #expect(model.stock[StockKey(station: "S1", item: "rice")] == 2)
        // The same key again: the original receipt, nothing changes; other content under it: R008.
        #expect(try model.redeem(key: "S1-0001", station: "S1", volunteer: "V1", item: "rice", quantity: 1, date: Self.day, by: session).isNew == false)
        #expect(throws: ModelRefusal("R008")) {
            _ = try model.redeem(key: "S1-0001", station: "S1", volunteer: "V1", item: "soap", quantity: 1, date: Self.day, by: session)
        }
    }

    @Test("reverse is offered awards and penalties only: a gift or a delivery's payment (R024) and a reversal (L009) never are")
    func correctableEntries() throws {
        let model = try Self.community()
        try model.addVolunteer(ModelVolunteer(id: "V2", household: "H1", birthDate: nil, joined: Self.day))
        try Self.award(model, "a1", 3_000, expires: nil)                                                  // #1
        try Self.award(model, "a2", 500, expires: nil)                                                    // #2
        let admin = model.operators["admin"]!
        let gift = try model.transfer(key: "g1", from: "V1", to: "V2", points: 1_000, memo: "", date: Self.day, by: admin)   // #3
        let reversal = try model.reverse(sequence: 2, key: "undo-2", actor: "admin", memo: "", date: Self.day)            // #4
        let delivery = try model.receiveStock(key: "in-1", station: "S1", item: "rice", quantity: 2, unitCost: nil, note: "",
                                              date: Self.day, by: admin)                                               // #5
        #expect(gift.entry == 3 && reversal.sequence == 4 && delivery.entry == 5)
        #expect(model.correctable == [1, 2])
        #expect(throws: ModelRefusal("R024")) { _ = try model.reverse(sequence: 3, key: "undo-3", actor: "admin", memo: "", date: Self.day) }
        #expect(throws: ModelRefusal("R024")) { _ = try model.reverse(sequence: 5, key: "undo-5", actor: "admin", memo: "", date: Self.day) }
        #expect(throws: ModelRefusal("L009")) { _ = try model.reverse(sequence: 4, key: "undo-4", actor: "admin", memo: "", date: Self.day) }
        // A new key that reads as an entry number is L022, as in the engine.
        #expect(throws: ModelRefusal("L022")) { _ = try model.reverse(sequence: 1, key: "６", actor: "admin", memo: "", date: Self.day) }
    }

    @Test("an expiry of expired lots is offered for reversal and refused (L026), as in the engine; one of a lot still open is reversed")
    func expiryReversal() throws {
        let model = try Self.community()
        let expiredOn = LocalDate(year: 2026, month: 1, day: 10)!
        // Awards dated before the lot's expiry: lot 1 (10.00) expired on 01-10; lot 2 (5.00) expires on 02-01.
        _ = try model.post(key: "a1", kind: .award, date: LocalDate(year: 2026, month: 1, day: 6)!, actor: "admin", memo: "", postings: [
            ModelPosting(account: .volunteer("V1"), amount: 1_000, lotExpiresOn: expiredOn), ModelPosting(account: .issuance, amount: -1_000),
        ])                                                                                                  // #1
        try Self.award(model, "a2", 500, expires: LocalDate(year: 2026, month: 2, day: 1))                 // #2
        _ = try model.post(key: "expire:V1", kind: .expiry, date: Self.day, actor: "system", memo: "过期", postings: [
            ModelPosting(account: .volunteer("V1"), amount: -1_000), ModelPosting(account: .expired, amount: 1_000),
        ], byHand: false)                                                                                   // #3: all of lot 1
        #expect(model.correctable == [1, 2, 3])
        #expect(throws: ModelRefusal("L026")) { _ = try model.reverse(sequence: 3, key: "undo-3", actor: "admin", memo: "", date: Self.day) }
        #expect(model.entryCount == 3 && model.lots.map(\.remaining) == [0, 500])
        // Another expiry, by hand, of 2.00 from lot 2, still open: its reversal gives them back, spendable.
        _ = try model.post(key: "x2", kind: .expiry, date: Self.day, actor: "admin", memo: "", postings: [
            ModelPosting(account: .volunteer("V1"), amount: -200), ModelPosting(account: .expired, amount: 200),
        ])                                                                                                  // #4
        #expect(try model.reverse(sequence: 4, key: "undo-4", actor: "admin", memo: "", date: Self.day).sequence == 5)
        #expect(model.lots.map(\.remaining) == [0, 500])
    }

    @Test("a person's key under an engine prefix is L021 (post by hand, reverse); one that only looks like it is written")
    func keysUnderEnginePrefixes() throws {
        let model = try Self.community()
        let award = [ModelPosting(account: .volunteer("V1"), amount: 1_000), ModelPosting(account: .issuance, amount: -1_000)]
        for key in ["release:B1", "redeem:S1-0001", "expiry:2026-01-20:volunteer:V1", "fund:dividend:2026-01"] {
            #expect(throws: ModelRefusal("L021")) {
                _ = try model.post(key: key, kind: .award, date: Self.day, actor: "admin", memo: "", postings: award, byHand: true)
            }
        }
        #expect(model.entryCount == 0)
        // Another case, no colon, a letter more, the receipts' `booking:`: a person's keys, written.
        for (index, key) in ["Release:B1", "release-B1", "releases:B1", "fix-release:B1", "booking:B1"].enumerated() {
            let result = try model.post(key: key, kind: .award, date: Self.day, actor: "admin", memo: "", postings: award, byHand: true)
            #expect(result == SimModel.PostResult(sequence: Int64(index + 1), isNew: true))
        }
        // The library's own `post` is not a person's: it takes the key.
        #expect(try model.post(key: "release:B9", kind: .award, date: Self.day, actor: "admin", memo: "", postings: award).isNew)
        // White space at an edge of a new key (L010), a bidirectional override in a memo by hand (L014).
        #expect(throws: ModelRefusal("L010")) {
            _ = try model.post(key: "a1\u{3000}", kind: .award, date: Self.day, actor: "admin", memo: "", postings: award, byHand: true)
        }
        #expect(throws: ModelRefusal("L014")) {
            _ = try model.post(key: "a1", kind: .award, date: Self.day, actor: "admin", memo: "\u{202E}备注", postings: award, byHand: true)
        }
        // A reversal's key is a person's too; the same reversal retried under its key is still found.
        #expect(throws: ModelRefusal("L021")) { _ = try model.reverse(sequence: 1, key: "refund:R1", actor: "admin", memo: "", date: Self.day) }
        #expect(try model.reverse(sequence: 1, key: "fix-refund-R1", actor: "admin", memo: "", date: Self.day).sequence == 7)
        #expect(try model.reverse(sequence: 1, key: "fix-refund-R1", actor: "admin", memo: "", date: Self.day).isNew == false)
        #expect(model.entryCount == 7)
    }

    @Test("a new redemption key under booking: is R026; a fulfilled booking's receipt is found under it; Booking: is written")
    func redemptionKeysUnderBooking() throws {
        let model = try Self.community()
        try model.addVolunteer(ModelVolunteer(id: "V2", household: nil, birthDate: nil, joined: Self.day))
        try Self.award(model, "a1", 20_000, expires: nil)
        let session = model.operators["op-S1"]!
        #expect(throws: ModelRefusal("R026")) {
            _ = try model.redeem(key: "booking:S1-bk-1", station: "S1", volunteer: "V1", item: "cleaning", quantity: 1, date: Self.day, by: session)
        }
        #expect(throws: ModelRefusal("R026")) {
            _ = try model.redeemBasket(key: "booking:S1-0002", station: "S1", volunteer: "V1", lines: [("cleaning", 1), ("pen", 1)],
                                       date: Self.day, by: session)
        }
        #expect(model.receiptCount == 0 && model.entryCount == 1)
        let booked = try model.book(key: "S1-bk-1", station: "S1", volunteer: "V1", item: "cleaning", quantity: 1, date: Self.day,
                                    serviceDate: Self.day, by: session)
        let receipt = try model.fulfil(hold: booked.number, on: Self.day, by: session)
        #expect(model.receipts[receipt.number]?.key == "booking:S1-bk-1")
        // The receipt's own content under its key is a retry; other content R008. Nothing is written.
        #expect(try model.redeem(key: "booking:S1-bk-1", station: "S1", volunteer: "V1", item: "cleaning", quantity: 1, date: Self.day,
                                 by: session) == StationResult(number: receipt.number, entry: receipt.entry, isNew: false))
        #expect(throws: ModelRefusal("R008")) {
            _ = try model.redeem(key: "booking:S1-bk-1", station: "S1", volunteer: "V2", item: "cleaning", quantity: 1, date: Self.day, by: session)
        }
        // Not the prefix: another case, a hyphen.
        #expect(try model.redeem(key: "Booking:S1-bk-1", station: "S1", volunteer: "V1", item: "cleaning", quantity: 1, date: Self.day,
                                 by: session).isNew)
        #expect(throws: ModelRefusal("L010")) {
            _ = try model.redeem(key: " S1-0003", station: "S1", volunteer: "V1", item: "pen", quantity: 1, date: Self.day, by: session)
        }
    }

    @Test("a lapse time given for a later service day at or before the day starts is R027; after it, and for today, it is the lapse")
    func holdLapseBeforeServiceDay() throws {
        let model = try Self.community()
        try Self.award(model, "a1", 20_000, expires: nil)
        let session = model.operators["op-S1"]!
        let serviceDay = Self.day.adding(days: 2)
        // The service day starts at its midnight in the community's time (UTC+8): 16:00 UTC the day before.
        let starts = Int64(serviceDay.daysSinceEpoch) * 86_400_000 - 8 * 3_600_000
        for lapse in [starts - 60_000, starts] {
            #expect(throws: ModelRefusal("R027")) {
                _ = try model.book(key: "S1-bk-\(lapse)", station: "S1", volunteer: "V1", item: "cleaning", quantity: 1, date: Self.day,
                                   serviceDate: serviceDay, expiresAt: Timestamp(millisecondsSinceEpoch: lapse), by: session)
            }
        }
        // Past the end of the service day: R030 (a booking is fulfilled on its day); at its very end it is booked below.
        let ends = starts + 86_400_000
        #expect(throws: ModelRefusal("R030")) {
            _ = try model.book(key: "S1-bk-long", station: "S1", volunteer: "V1", item: "cleaning", quantity: 1, date: Self.day,
                               serviceDate: serviceDay, expiresAt: Timestamp(millisecondsSinceEpoch: ends + 1), by: session)
        }
        // Lapsing already: R025, given or not.
        #expect(throws: ModelRefusal("R025")) {
            _ = try model.book(key: "S1-bk-past", station: "S1", volunteer: "V1", item: "cleaning", quantity: 1, date: Self.day,
                               serviceDate: Self.day, expiresAt: model.now, by: session)
        }
        #expect(model.holdCount == 0 && model.entryCount == 1)
        let later = try model.book(key: "S1-bk-1", station: "S1", volunteer: "V1", item: "cleaning", quantity: 1, date: Self.day,
                                   serviceDate: serviceDay, expiresAt: Timestamp(millisecondsSinceEpoch: starts + 1), by: session)
        // A retry with another lapse time is the same booking.
        #expect(try model.book(key: "S1-bk-1", station: "S1", volunteer: "V1", item: "cleaning", quantity: 1, date: Self.day,
                               serviceDate: serviceDay, by: session) == StationResult(number: later.number, entry: later.entry, isNew: false))
        // Today's booking held for 30 minutes: released by the first station write after them.
        _ = try model.book(key: "S1-bk-2", station: "S1", volunteer: "V1", item: "cleaning", quantity: 1, date: Self.day, serviceDate: Self.day,
                           expiresAt: Timestamp(millisecondsSinceEpoch: model.now.millisecondsSinceEpoch + 30 * 60_000), by: session)
        #expect(model.balance(.volunteer("V1")) == 12_000)
        model.now = Timestamp(millisecondsSinceEpoch: model.now.millisecondsSinceEpoch + 30 * 60_000)
        #expect(throws: ModelRefusal("R014")) { _ = try model.fulfil(hold: 2, on: Self.day, by: session) }
        #expect(model.holds[2]?.state == .expired)
        #expect(model.balance(.volunteer("V1")) == 16_000)
    }

    @Test("goods that came in after a write's date cannot leave on it: a redemption (R002) or adjustment (K003) dated back, as in the engine")
    func stockDatedBack() throws {
        let model = try Self.community()
        let dayBefore = Self.day.adding(days: -1)
        _ = try model.post(key: "early", kind: .award, date: Self.day.adding(days: -10), actor: "admin", memo: "", postings: [
            ModelPosting(account: .volunteer("V1"), amount: 10_000), ModelPosting(account: .issuance, amount: -10_000),
        ])
        let admin = model.operators["admin"]!, session = model.operators["op-S1"]!
        _ = try model.receiveStock(key: "in-1", station: "S1", item: "soap", quantity: 2, unitCost: nil, note: "", date: Self.day, by: admin)
        #expect(throws: ModelRefusal("R002")) {
            _ = try model.redeem(key: "S1-0001", station: "S1", volunteer: "V1", item: "soap", quantity: 1, date: dayBefore, by: session)
        }
        #expect(throws: ModelRefusal("K003")) {
            _ = try model.adjustStock(key: "adj-1", station: "S1", item: "soap", quantity: -1, reason: "lost", note: "", date: dayBefore,
                                      by: admin)
        }
        #expect(model.stockAvailable(StockKey(station: "S1", item: "soap"), on: dayBefore) == 0)
        #expect(try model.redeem(key: "S1-0001", station: "S1", volunteer: "V1", item: "soap", quantity: 1, date: Self.day, by: session).isNew)
        #expect(model.stock[StockKey(station: "S1", item: "soap")] == 1)
    }

    @Test("a stocktake sets the counts beside the day's levels: corrections under KEY/ITEM, a retry its stored table, K006, K003 dated back")
    func stocktake() throws {
        let model = try Self.community()
        let admin = model.operators["admin"]!, session = model.operators["op-S1"]!
        let dayBefore = Self.day.adding(days: -1)
        _ = try model.receiveStock(key: "in-1", station: "S1", item: "soap", quantity: 5, unitCost: nil, note: "", date: dayBefore, by: admin)
        _ = try model.receiveStock(key: "in-2", station: "S1", item: "pen", quantity: 3, unitCost: nil, note: "", date: Self.day, by: admin)
        // A dry run: the table, nothing written (soap 5 counted 4, rice never stocked counted 2; pen not counted).
        let dry = try model.countStock(key: "C1", station: "S1", lines: [("soap", 4), ("rice", 2)], note: "", date: Self.day, dryRun: true,
                                       by: session)
        #expect(dry.detail == "dry run: soap 5→4; rice 0→2; pen 3 -")
        #expect(model.stock[StockKey(station: "S1", item: "soap")] == 5 && model.stockOperationCount == 2)
        let done = try model.countStock(key: "C1", station: "S1", lines: [("soap", 4), ("rice", 2)], note: "", date: Self.day, dryRun: false,
                                        by: session)
        #expect(done.detail == "C1: soap 5→4 K3; rice 0→2 K4; pen 3 -")
        #expect(model.stock[StockKey(station: "S1", item: "soap")] == 4 && model.stock[StockKey(station: "S1", item: "rice")] == 2)
        // The same counts in another order: the stored table, nothing new; other counts under the key: K006.
        let again = try model.countStock(key: "C1", station: "S1", lines: [("rice", 2), ("soap", 4)], note: "", date: Self.day, dryRun: false,
                                         by: session)
        #expect(!again.isNew && again.detail == done.detail)
        #expect(throws: ModelRefusal("K006")) {
            _ = try model.countStock(key: "C1", station: "S1", lines: [("soap", 3)], note: "", date: Self.day, dryRun: false, by: session)
        }
        // A stock adjust under a correction's key is K006.
        #expect(throws: ModelRefusal("K006")) {
            _ = try model.adjustStock(key: "C1/soap", station: "S1", item: "soap", quantity: -1, reason: "lost", note: "", date: Self.day, by: admin)
        }
        // Dated the day before, when pen was not there yet: soap held 5 then and 4 since, so counting 0 takes 5 of a least 4: K003.
        #expect(throws: ModelRefusal("K003")) {
            _ = try model.countStock(key: "C2", station: "S1", lines: [("soap", 0)], note: "", date: dayBefore, dryRun: false, by: session)
        }
        let back = try model.countStock(key: "C2", station: "S1", lines: [("soap", 1)], note: "", date: dayBefore, dryRun: false, by: session)
        #expect(back.detail == "C2: soap 5→1 K5")
        #expect(model.stock[StockKey(station: "S1", item: "soap")] == 0)
        // An item twice (K008) before a service (K004): the first bad line's code; no line: K010.
        #expect(throws: ModelRefusal("K008")) {
            _ = try model.countStock(key: "C3", station: "S1", lines: [("pen", 1), ("pen", 2), ("cleaning", 1)], note: "", date: Self.day,
                                     dryRun: false, by: session)
        }
        #expect(throws: ModelRefusal("K010")) {
            _ = try model.countStock(key: "C3", station: "S1", lines: [], note: "", date: Self.day, dryRun: false, by: session)
        }
    }

    @Test("a dividend of 1.00 CNY shared 2:1 is 0.67 and 0.33: the leftover fen goes to the largest remainder")
    func dividendLargestRemainder() throws {
        let model = try Self.community()
        try model.addHousehold("H2")
        try model.addVolunteer(ModelVolunteer(id: "V2", household: "H2", birthDate: nil, joined: Self.day))
        try Self.award(model, "a1", 2_000, expires: nil)                           // H1 earned 20.00 in January
        _ = try model.post(key: "a2", kind: .award, date: Self.day, actor: "admin", memo: "", postings: [
            ModelPosting(account: .volunteer("V2"), amount: 1_000), ModelPosting(account: .issuance, amount: -1_000),
        ])                                                                         // H2 earned 10.00
        _ = try model.donateMoney(donor: "热心居民", amount: 500, date: Self.day, key: "d1")
        let february = LocalDate(year: 2026, month: 2, day: 2)!
        // 100 fen × 2/3 = 66 rest 2, × 1/3 = 33 rest 1: the one fen left goes to H1 (remainder 2).
        let paid = try model.payDividend(period: "2026-01", amount: 100, basis: "earned", key: "v1", date: february)
        #expect(paid.detail == "V 2026-01 H1=67,H2=33 #4")
        #expect(model.balance(.household("H1"), .cny) == 67)
        #expect(model.balance(.fund, .cny) == 400)
        // January is over only after its last day (F011); the fund cannot pay more than it holds (F008).
        #expect(throws: ModelRefusal("F011")) {
            _ = try model.payDividend(period: "2026-01", amount: 100, basis: "earned", key: "v2", date: LocalDate(year: 2026, month: 1, day: 31)!)
        }
        #expect(throws: ModelRefusal("F008")) {
            _ = try model.payDividend(period: "2026-01", amount: 401, basis: "earned", key: "v3", date: february)
        }
    }

    @Test("a settlement posts 90 minutes of care at 12 points an hour as 18.00 points expiring 3 months after the service")
    func settlementScoresRecords() throws {
        let model = try Self.community()
        let summary = try model.importRecords([
            RecordRow(id: "r1", volunteer: "V1", category: "care", date: "2026-01-19", minutes: "90", verifier: "组长"),
            RecordRow(id: "r2", volunteer: "V1", category: "patrol", date: "2026-01-18", minutes: "30", verifier: ""),
            RecordRow(id: "r3", volunteer: "V9", category: "care", date: "2026-01-19", minutes: "30", verifier: "组长"),
        ])
        #expect(summary == "read 3 stored 2 known 0 duplicates 0 rejected [E003@4]")
        let settled = try model.settle(date: LocalDate(year: 2026, month: 1, day: 19)!, today: Self.day, missedDays: .refuse)
        // r1 has a verifier: approved and posted; r2 has none and waits for its auto-accept day (3 days).
        #expect(settled.detail.hasPrefix("N 2026-01-19 records_read 2 approved_before 0 accepted 1 auto_accepted 0 rejected 0 pending 1 posted 1 award_entries 1 awarded 1800"))
        let lot = model.lots.first { $0.amount == 1_800 }
        #expect(lot?.expiresOn == LocalDate(year: 2026, month: 4, day: 19))
        // V1 joined on the 20th: no monthly grant on the 19th; on the 20th the grant of 3.00 points, once in January.
        #expect(settled.detail.contains("grant_entries 0 granted 0"))
        #expect(model.balance(.volunteer("V1")) == 1_800)
        let tomorrow = Self.day.adding(days: 1)
        #expect(try model.settle(date: Self.day, today: tomorrow, missedDays: .refuse).detail.contains("grant_entries 1 granted 300"))
        #expect(model.balance(.volunteer("V1")) == 2_100)
        #expect(try model.settle(date: Self.day, today: tomorrow, missedDays: .refuse).isNew == false)
        // A settled day again is its summary; an earlier day not settled is out of order (N001).
        #expect(try model.settle(date: LocalDate(year: 2026, month: 1, day: 19)!, today: Self.day, missedDays: .refuse).detail == settled.detail)
        #expect(throws: ModelRefusal("N001")) { _ = try model.settle(date: LocalDate(year: 2026, month: 1, day: 18)!, today: Self.day, missedDays: .refuse) }
        // Today has not ended (N003).
        #expect(throws: ModelRefusal("N003")) { _ = try model.settle(date: tomorrow, today: tomorrow, missedDays: .refuse) }
        // Nights missed since the last settled day: refused (N010), or settled first, each a night of its own.
        let later = Self.day.adding(days: 3)
        #expect(throws: ModelRefusal("N010")) { _ = try model.settle(date: later, today: later.adding(days: 1), missedDays: .refuse) }
        #expect(try model.settle(date: later, today: later.adding(days: 1), missedDays: .settleFirst).isNew)
        #expect(model.settled.keys.sorted() == (-1...3).map { Self.day.adding(days: $0) })
    }

    @Test("the model's own reading of a key as a number (docs/errors.md L022, R023): full width, spaces and case, and near misses")
    func keysThatReadAsNumbers() {
        for key in ["17", "0017", "#17", "\u{FF03}\u{FF11}\u{FF17}", "number:17", "number: 17", "NUMBER:17", " 17", "\u{FF11}7"] {
            #expect(SimModel.readsAsEntryNumber(key), "\(key)")
        }
        for key in ["fix-17", "n17", "#17a", "R17", "#", "number:", "17-a", "\u{0661}\u{0667}"] {
            #expect(!SimModel.readsAsEntryNumber(key), "\(key)")
        }
        for key in ["R12", "r12", "B7", "b 7", "\u{FF32}\u{FF11}\u{FF12}", "12", "#12", "number: 12"] {
            #expect(SimModel.readsAsNumber(key, signs: ["#", "r", "b"]), "\(key)")
        }
        for key in ["RB12", "R-12", "R12x", "S01-0001", "BR7"] {
            #expect(!SimModel.readsAsNumber(key, signs: ["#", "r", "b"]), "\(key)")
        }
        #expect(SimModel.basketLineKey("S01-0002", index: 1) == "S01-0002/2")
    }
}
