import Foundation
import Synchronization
import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Stations: stock")
struct StockTests {
    @Test("receiving goods pays their cost from the fund in CNY; a retry changes nothing; other content under the key is K006")
    func receive() throws {
        let f = try StationFixture()
        let request = StockReceiveRequest(key: "in-1", station: "S01", item: "rice_5kg", quantity: 20, supplierNote: "粮油店 发票 0153",
                                          date: f.today)
        let outcome = try f.store.receiveStock(request, by: f.op1)
        #expect(outcome.isNew && outcome.levelsAfter == [StockLevel(station: "S01", item: "rice_5kg", quantity: 20)])
        // 20 × 30.00 CNY (the catalog's unit_cost).
        #expect(try f.store.balance(.fund, .cny) == -60_000)
        let entryNumber = try #require(outcome.entry)
        let entry = try #require(try f.store.entry(sequence: entryNumber))
        #expect(entry.kind == .fund && entry.actor == "op1")
        let before = try f.snapshot()
        #expect(try f.store.receiveStock(request, by: f.op1).isNew == false)
        #expect(try f.snapshot() == before)
        var other = request
        other.quantity = 21
        let reused = try f.expectRefusal("K006") { try f.store.receiveStock(other, by: f.op1) }
        // It names what stands under the key and how a wrong quantity is corrected, not "use a new key" (which would
        // receive, and pay for, all 21 again).
        #expect(reused?.message.hasPrefix("the key \"in-1\" was already used for stock operation #\(outcome.number) (rice_5kg +20 "
            + "received at S01 on 2026-10-08 by op1, paid from the fund by entry #\(entryNumber)) with different content; nothing was "
            + "written. That stands as it was first sent, and a new key would record all of it again") == true)
        #expect(reused?.message.contains("`timebank stock adjust --reason count-correction`") == true)
        // A unit cost given at the counter overrides the catalog; 0 posts nothing.
        let free = try f.store.receiveStock(StockReceiveRequest(key: "in-2", station: "S01", item: "biscuits", quantity: 3, unitCost: 0,
                                                                supplierNote: "捐赠", date: f.today), by: f.op1)
        #expect(free.entry == nil)
        try f.expectRefusal("K004") {
            try f.store.receiveStock(StockReceiveRequest(key: "in-3", station: "S01", item: "home_cleaning", quantity: 1, date: f.today), by: f.op1)
        }
        try f.expectRefusal("K001") {
            try f.store.receiveStock(StockReceiveRequest(key: "in-4", station: "S01", item: "biscuits", quantity: 0, date: f.today), by: f.op1)
        }
        try f.expectRefusal("O004") {
            try f.store.receiveStock(StockReceiveRequest(key: "in-5", station: "S01", item: "biscuits", quantity: 1, date: f.today), by: f.op2)
        }
        try f.expectClean()
    }

    @Test("a retry that gives the catalog's unit cost, or leaves out the one first given when the catalog's equals it, is the same delivery; another cost is K006")
    func retryWithTheCatalogCostSpelledOut() throws {
        let f = try StationFixture()
        // rice_5kg costs the fund 30.00 CNY a unit in the catalog.
        let request = StockReceiveRequest(key: "in-1", station: "S01", item: "rice_5kg", quantity: 2, date: f.today)
        let first = try f.store.receiveStock(request, by: f.op1)
        let before = try f.snapshot()
        var spelledOut = request
        spelledOut.unitCost = 3_000
        let retry = try f.store.receiveStock(spelledOut, by: f.op1)
        #expect(retry.isNew == false && retry.number == first.number)
        spelledOut.unitCost = 2_900
        try f.expectRefusal("K006") { try f.store.receiveStock(spelledOut, by: f.op1) }
        #expect(try f.snapshot() == before)
        // The other way round: first sent with the catalog's cost typed in, retried without it.
        var typed = StockReceiveRequest(key: "in-2", station: "S01", item: "rice_5kg", quantity: 1, unitCost: 3_000, date: f.today)
        let second = try f.store.receiveStock(typed, by: f.op1)
        typed.unitCost = nil
        #expect(try f.store.receiveStock(typed, by: f.op1).number == second.number)
        // A cost other than the catalog's, retried without it, would pay another amount: K006.
        try f.store.receiveStock(StockReceiveRequest(key: "in-3", station: "S01", item: "rice_5kg", quantity: 1, unitCost: 2_500, date: f.today),
                                 by: f.op1)
        try f.expectRefusal("K006") {
            try f.store.receiveStock(StockReceiveRequest(key: "in-3", station: "S01", item: "rice_5kg", quantity: 1, date: f.today), by: f.op1)
        }
        #expect(try f.store.balance(.fund, .cny) == -(2 * 3_000 + 3_000 + 2_500))
        try f.expectClean()
    }

    @Test("a delivery's payment from the fund is not reversed by hand (R024, naming a stock adjustment and a payment back); money the fund took in is")
    func deliveryPaymentNotReversedByHand() throws {
        let f = try StationFixture(policy: fundTestPolicy())
        let delivery = try f.store.receiveStock(StockReceiveRequest(key: "S01-in-1", station: "S01", item: "rice_5kg", quantity: 20, date: f.today),
                                                by: f.op1)
        let payment = try #require(delivery.entry)
        var message = ""
        try f.expectRefusal("R024") {
            do {
                try f.store.reverse(sequence: payment, key: "undo-delivery", actor: "admin", memo: "录错了", on: f.today)
            } catch let error as RedemptionError {
                message = error.message
                throw error
            }
        }
        #expect(message == "entry #\(payment) is the fund's payment of 600.00 CNY for stock delivery \"S01-in-1\" (rice_5kg +20 at S01 @ 30.00 CNY, "
                    + "2026-10-08), which the stations' books (receipts, stock, bookings, gift limits and their reports) count; reversed by hand "
                    + "it would leave them contradicting the ledger. Correct the delivery on both sides instead: take goods that never arrived off "
                    + "the shelf with `timebank stock adjust --station S01 --item rice_5kg --qty -N --reason count-correction --key KEY`, and put "
                    + "what the fund paid too much back with `timebank post --from system:outside --to fund:main --cny AMOUNT --kind adjustment "
                    + "--key KEY --memo TEXT`; nothing was written")
        // The typed key finds the payment too, and the fund still paid for the rice on the shelf.
        #expect(try f.store.entrySequence(named: "S01-in-1") == payment)
        #expect(try f.store.balance(.fund, .cny) == -60_000)
        #expect(try f.store.stockLevel(station: "S01", item: "rice_5kg") == 20)

        // The fund's own entries are corrected by hand: reports read them from the ledger, and no other command corrects them.
        let contribution = try f.store.contribute(merchant: "泰山路超市", turnover: 1_000_000, date: f.today, key: "c1", actor: "admin").value
        let donation = try f.store.donate(donor: "鲁味斋", amount: 50_000, date: f.today, key: "d1", actor: "admin").value
        for sequence in [contribution.entry, donation.entry] {
            #expect(try f.store.reverse(sequence: sequence, key: "undo-\(sequence)", actor: "admin", memo: "录错了", on: f.today).entry.reverses == sequence)
        }
        #expect(try f.store.balance(.fund, .cny) == -60_000)
        try f.expectClean()
    }

    @Test("adjustments need a reason that fits, and stock never goes below 0")
    func adjust() throws {
        let f = try StationFixture()
        try f.stock("S01", "biscuits", 5)
        func adjust(_ quantity: Int, _ reason: StockAdjustmentReason, key: String = UUID().uuidString) throws -> StockOperationOutcome {
            try f.store.adjustStock(StockAdjustRequest(key: key, station: "S01", item: "biscuits", quantity: quantity, reason: reason,
                                                       note: "盘点", date: f.today), by: f.op1)
        }
        #expect(try adjust(-2, .damaged).levelsAfter.first?.quantity == 3)
        try f.expectRefusal("K002") { _ = try adjust(2, .damaged) }
        try f.expectRefusal("K002") { _ = try adjust(1, .lost) }
        try f.expectRefusal("K003") { _ = try adjust(-4, .lost) }
        #expect(try adjust(4, .countCorrection).levelsAfter.first?.quantity == 7)
        #expect(try f.store.stockMovements(station: "S01").map(\.kind) == [.receive, .adjust, .adjust])
        #expect(try f.store.stockMovements(station: "S01").last?.reason == .countCorrection)
        try f.expectClean()
    }

    @Test("goods of an item dropped from the catalog can still be written off or sent away; a dropped item never stocked is R005")
    func itemDroppedFromCatalog() throws {
        let f = try StationFixture()
        try f.stock("S01", "biscuits", 5)
        // Version 2 from 2026-10-08 (today) has no biscuits: they can be neither received nor redeemed, but 5 are on the shelf.
        let withoutBiscuits = stationTestPolicy()
            .replacingOccurrences(of: "version = 1\neffective = 2026-01-01", with: "version = 2\neffective = 2026-10-08")
            .replacingOccurrences(of: "[catalog.biscuits]\nlabel = \"饼干礼盒\"\nkind = \"goods\"\nprice = 20\nunit_cost = 10\n", with: "")
        #expect(!withoutBiscuits.contains("biscuits"))
        try f.store.activatePolicy(withoutBiscuits, actor: "test")
        try f.expectRefusal("R005") {
            try f.store.receiveStock(StockReceiveRequest(key: "in-2", station: "S01", item: "biscuits", quantity: 1, date: f.today), by: f.op1)
        }
        try f.store.adjustStock(StockAdjustRequest(key: "adj-1", station: "S01", item: "biscuits", quantity: -2, reason: .damaged, note: "受潮",
                                                   date: f.today), by: f.op1)
        try f.store.moveStock(StockMoveRequest(key: "mv-1", from: "S01", to: "S02", item: "biscuits", quantity: 3, date: f.today), by: f.op1)
        #expect(try f.store.stockLevel(station: "S01", item: "biscuits") == 0)
        #expect(try f.store.stockLevel(station: "S02", item: "biscuits") == 3)
        try f.store.adjustStock(StockAdjustRequest(key: "adj-2", station: "S02", item: "biscuits", quantity: -3, reason: .lost, date: f.today),
                                by: f.op2)
        try f.expectRefusal("K003") {
            try f.store.adjustStock(StockAdjustRequest(key: "adj-3", station: "S02", item: "biscuits", quantity: -1, reason: .lost, date: f.today),
                                    by: f.op2)
        }
        // An item neither in the catalog nor ever stocked is a typo: R005, as before; a service is still K004.
        try f.expectRefusal("R005") {
            try f.store.adjustStock(StockAdjustRequest(key: "adj-4", station: "S01", item: "biscuit", quantity: -1, reason: .lost, date: f.today),
                                    by: f.op1)
        }
        try f.expectRefusal("K004") {
            try f.store.moveStock(StockMoveRequest(key: "mv-2", from: "S01", to: "S02", item: "home_cleaning", quantity: 1, date: f.today), by: f.op1)
        }
        try f.expectClean()
    }

    @Test("a move takes out of one station and puts into the other as one operation")
    func move() throws {
        let f = try StationFixture()
        try f.stock("S01", "rice_5kg", 5)
        let outcome = try f.store.moveStock(StockMoveRequest(key: "mv-1", from: "S01", to: "S02", item: "rice_5kg", quantity: 3, date: f.today),
                                            by: f.op1)
        #expect(outcome.movements.map(\.kind) == [.moveOut, .moveIn])
        #expect(outcome.movements.map(\.quantity) == [-3, 3])
        #expect(try f.store.stockLevel(station: "S01", item: "rice_5kg") == 2)
        #expect(try f.store.stockLevel(station: "S02", item: "rice_5kg") == 3)
        try f.expectRefusal("K003") {
            try f.store.moveStock(StockMoveRequest(key: "mv-2", from: "S01", to: "S02", item: "rice_5kg", quantity: 3, date: f.today), by: f.op1)
        }
        try f.expectRefusal("K005") {
            try f.store.moveStock(StockMoveRequest(key: "mv-3", from: "S01", to: "S01", item: "rice_5kg", quantity: 1, date: f.today), by: f.op1)
        }
        // op2 works at S02 and cannot send S01's goods away (nor fetch them: S01 sends them).
        let fetch = try f.expectRefusal("O004") {
            try f.store.moveStock(StockMoveRequest(key: "mv-4", from: "S01", to: "S02", item: "rice_5kg", quantity: 1, date: f.today), by: f.op2)
        }
        #expect(fetch?.message == "the shelf the goods leave belongs to station S01, and op2 works at station S02 (rule: operators act only "
                + "at their own station): an operator of S01 or an admin does it; nothing was written")
        try f.expectClean()
    }

    @Test("a move's note is written after `from S01: ` (10 characters) and `to S02: `: 190 are left of a stock note's 200; one more is R020")
    func moveNoteWithinTheLimit() throws {
        let f = try StationFixture()
        try f.stock("S01", "rice_5kg", 5)
        let refusal = try f.expectRefusal("R020") {
            try f.store.moveStock(StockMoveRequest(key: "mv-1", from: "S01", to: "S02", item: "rice_5kg", quantity: 1,
                                                   note: String(repeating: "货", count: 191), date: f.today), by: f.op1)
        }
        #expect(refusal?.message == "invalid note: it is written after `from S01: `, and a stock note holds at most 200 characters: "
                + "190 characters are left for the note, and it has 191", "\(String(describing: refusal))")
        let outcome = try f.store.moveStock(StockMoveRequest(key: "mv-1", from: "S01", to: "S02", item: "rice_5kg", quantity: 1,
                                                             note: String(repeating: "货", count: 190), date: f.today), by: f.op1)
        #expect(outcome.movements.map(\.note.unicodeScalars.count) == [198, 200], "to S02: (8) and from S01: (10), each + 190")
        #expect(outcome.movements.last?.note.hasPrefix("from S01: 货") == true)
        try f.expectClean()
    }

    @Test("levels are the sum of movements; history is append-only; verify finds a level edited by hand")
    func levelsAreSums() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 4)
        try f.redeem("V1", "biscuits", quantity: 2)
        let sum = try f.store.stockMovements(station: "S01", item: "biscuits").reduce(0) { $0 + $1.quantity }
        let level = try f.store.stockLevel(station: "S01", item: "biscuits")
        #expect(sum == 2 && sum == level)
        #expect(throws: SQLiteError.self) { try f.store.database.execute("UPDATE stock_movements SET quantity = 9") }
        #expect(throws: SQLiteError.self) { try f.store.database.execute("DELETE FROM stock_operations") }
        // The level cannot go below 0 even by a raw insert.
        #expect(throws: SQLiteError.self) {
            try f.store.database.execute("""
                INSERT INTO stock_movements(station, item, quantity, kind, note, operation, actor, effective_date, recorded_at)
                VALUES ('S01', 'biscuits', -3, 'adjust', '', 1, 'x', '2026-10-08', '2026-10-08T00:00:00.000Z')
                """)
        }
        try f.expectClean()
        try f.store.database.execute("UPDATE stock_levels SET quantity = 10 WHERE item = 'biscuits'")
        #expect(try f.store.verifyStations().problems.map(\.code) == ["V201"])
    }

    @Test("V202, V203 and L004 name the points as the policy in force does (积分), and CNY as CNY")
    func stationMessagesNamePolicyUnit() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 1)
        let receipt = try f.redeem("V1", "biscuits").receipt
        let hold = try f.store.book(BookingRequest(key: "bk", station: "S01", volunteer: "V1", item: "home_cleaning", date: f.today,
                                                   serviceDate: LocalDate("2026-10-10")), by: f.op1).hold
        try f.expectClean()
        // L004: more than the account holds, in the policy's unit; CNY keeps its code.
        let short = #expect(throws: LedgerError.self) {
            try f.store.post(.move(key: "too-much", kind: .adjustment, date: f.today, actor: "admin", memo: "x", from: .volunteer("V1"),
                                   to: .adjustments, amount: 10_000))
        }
        #expect(short?.message == "volunteer:V1 has 0.00 积分; taking 100.00 would leave -100.00, below its floor of 0.00; nothing was written")
        let money = #expect(throws: LedgerError.self) {
            try f.store.post(.move(key: "cny", kind: .fund, date: f.today, actor: "admin", memo: "x", from: .station("S01"),
                                   to: .outside, asset: .cny, amount: 100))
        }
        #expect(money?.message.hasPrefix("station:S01 has 0.00 CNY; taking 1.00") == true, "\(String(describing: money))")
        // V203: points put into system:held by a hand entry.
        try f.store.post(.move(key: "held-by-hand", kind: .adjustment, date: f.today, actor: "admin", memo: "x", from: .issuance,
                               to: TimeBankStore.heldAccount.id, amount: 500))
        #expect(try f.store.verifyStations().problems.map(\.message)
                    == ["system:held holds \(Hundredths.format(hold.points + 500)) 积分, but the 1 bookings not ended hold \(Hundredths.format(hold.points))"])
        // V202: a receipt edited by hand no longer matches its entry.
        try f.store.database.execute("DROP TRIGGER receipts_append_only_update")
        try f.store.database.execute("UPDATE receipts SET points = points + 100 WHERE number = \(receipt.number)")
        let problems = try f.store.verifyStations().problems.filter { $0.code == "V202" }.map(\.message)
        #expect(problems.first?.hasPrefix("receipt R\(receipt.number) (\(Hundredths.format(receipt.points + 100)) 积分 from volunteer:V1 to station:S01) "
                                          + "does not match entry #") == true, "\(problems)")
    }

    @Test("a receipt edited behind the ledger's back (its volunteer, operator, day or item) no longer matches its entry or stock (V202)",
          arguments: [
              ("UPDATE receipts SET volunteer = 'V2', volunteer_name = '王小明'",
               "names the volunteer V2, but volunteer:V1 paid it"),
              ("UPDATE receipts SET operator = 'op2', operator_name = '刘强'", "names the operator op2, but the entry's actor is op1"),
              ("UPDATE receipts SET redeemed_on = '2026-10-05'", "names the date 2026-10-05, but the entry is dated 2026-10-08"),
              ("UPDATE receipts SET item = 'rice_5kg', item_label = '大米 5kg'",
               "has stock movements [\"redeem -1 S01/biscuits\"] instead of [\"redeem -1 S01/rice_5kg\"]"),
          ])
    func receiptEditedByHand(edit: String, found: String) throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 2)
        try f.stock("S01", "rice_5kg", 2)
        let receipt = try f.redeem("V1", "biscuits").receipt
        try f.expectClean()
        try f.store.database.execute("DROP TRIGGER receipts_append_only_update")
        try f.store.database.execute(edit + " WHERE number = \(receipt.number)")
        let problems = try f.store.verifyStations().problems
        #expect(Set(problems.map(\.code)) == ["V202"])
        #expect(problems.contains { $0.message.hasPrefix("receipt R\(receipt.number) \(found)")
                    || $0.message == "goods receipt R\(receipt.number) \(found)" }, "\(problems)")
    }

    /// What the receipt's entry determines beyond its points, operator, day and payer: its key (`redeem:KEY`), and in its
    /// memo the item's label, the quantity and the station. A service has no stock movement to tie its quantity to.
    @Test("a receipt's key, quantity or station edited by hand no longer matches its entry's key or memo (V202)", arguments: [
        ("UPDATE receipts SET quantity = 2", "names the 上门保洁 ×2 at S01, but the entry's memo is \"兑换 上门保洁 ×1 @S01 [svc-1]\"; "
            + "the unit price 80.00 × 2, but it paid 80.00"),
        ("UPDATE receipts SET quantity = 2, unit_price = 4000",
         "names the 上门保洁 ×2 at S01, but the entry's memo is \"兑换 上门保洁 ×1 @S01 [svc-1]\""),
        ("UPDATE receipts SET key = 'svc-9'", "names the key svc-9, but the entry's key is redeem:svc-1; the 上门保洁 ×1 at S01, but "
            + "the entry's memo is \"兑换 上门保洁 ×1 @S01 [svc-1]\""),
        ("UPDATE receipts SET item = 'health_check', item_label = '老年人健康体检'",
         "names the 老年人健康体检 ×1 at S01, but the entry's memo is \"兑换 上门保洁 ×1 @S01 [svc-1]\""),
    ])
    func serviceReceiptEditedByHand(edit: String, found: String) throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        let receipt = try f.redeem("V1", "home_cleaning", key: "svc-1").receipt
        try f.expectClean()
        try f.store.database.execute("DROP TRIGGER receipts_append_only_update")
        try f.store.database.execute(edit + " WHERE number = \(receipt.number)")
        let problems = try f.store.verifyStations().problems.filter { $0.code == "V202" }
        #expect(problems.map(\.message) == ["receipt R\(receipt.number) \(found)"])
    }

    /// A booking's rows are outside the hash chain; its hold entry (key `hold:KEY`, actor, date, postings, memo with the item,
    /// quantity, station and service day) and its ending's entry (`fulfil:B7`, `release:B7`) are in it.
    @Test("a booking edited by hand (its volunteer, station, operator, quantity, key, or its ending) no longer matches its entries (V206)",
          arguments: [
              ("UPDATE holds SET volunteer = 'V2'", "names the volunteer V2, but volunteer:V1 paid it"),
              ("UPDATE holds SET station = 'S02'",
               "names the 上门保洁 ×1 at S02 for 2026-10-10, but its hold entry's memo is \"预约 上门保洁 ×1 @S01 [bk-1] for 2026-10-10\""),
              ("UPDATE holds SET operator = 'op2'", "names the operator op2, but its hold entry's actor is op1"),
              ("UPDATE holds SET key = 'bk-9'", "names the key bk-9, but its hold entry's key is hold:bk-1; the 上门保洁 ×1 at S01 for "
                  + "2026-10-10, but its hold entry's memo is \"预约 上门保洁 ×1 @S01 [bk-1] for 2026-10-10\""),
              ("UPDATE holds SET quantity = 2", "names the unit price 80.00 × 2, but it holds 80.00; the 上门保洁 ×2 at S01 for 2026-10-10, "
                  + "but its hold entry's memo is \"预约 上门保洁 ×1 @S01 [bk-1] for 2026-10-10\""),
              ("UPDATE holds SET points = 4000, unit_price = 4000",
               "names the 40.00 积分 from volunteer:V1, but its hold entry moves 80.00 from it and 80.00 to system:held"),
          ])
    func bookingEditedByHand(edit: String, found: String) throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        let hold = try f.bookCleaning("V1", "bk-1", "2026-10-10")
        try f.expectClean()
        try f.store.database.execute("DROP TRIGGER holds_append_only_update")
        try f.store.database.execute(edit + " WHERE number = \(hold.number)")
        let problems = try f.store.verifyStations().problems.filter { $0.code == "V206" }
        #expect(problems.map(\.description) == ["error[V206]: entry #\(hold.entry): booking B\(hold.number) \(found)"])
    }

    /// The nightly reconciliation checks the bookings whose hold or ending came after its checkpoint, not every booking.
    @Test("after a checkpoint, V206 checks a booking held or ended since, and leaves one untouched since the checkpoint")
    func bookingEditedByHandAfterACheckpoint() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.award(.volunteer("V4"), 10_000)
        let untouched = try f.bookCleaning("V1", "bk-old", "2026-10-10")     // held before the checkpoint, not ended since
        let endedSince = try f.bookCleaning("V4", "bk-ended", "2026-10-11")  // held before, cancelled after it
        let checkpoint = LedgerCheckpoint(date: "2026-10-08", sequence: endedSince.entry, hash: [], lastLot: 0, lastMovement: .max,
                                          balances: [:])
        try f.store.cancel(hold: endedSince.number, reason: "生病了", by: f.op1, on: f.today)
        let heldSince = try f.bookCleaning("V4", "bk-new", "2026-10-12")
        try f.expectClean()
        try f.store.database.execute("DROP TRIGGER holds_append_only_update")
        try f.store.database.execute("UPDATE holds SET operator = 'op2'")
        let all = try f.store.verifyStations().problems.filter { $0.code == "V206" }.map(\.sequence)
        #expect(all == [untouched.entry, endedSince.entry, heldSince.entry])
        let since = try f.store.database.readTransaction { try f.store.verifyStationsLocked(after: checkpoint) }
        #expect(since.problems.filter { $0.code == "V206" }.map(\.sequence) == [endedSince.entry, heldSince.entry])
    }

    @Test("a booking's ending edited by hand (who and when, a cancellation's reason, a fulfilment's receipt key) is V206")
    func bookingEndingEditedByHand() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.award(.volunteer("V4"), 10_000)
        let cancelled = try f.bookCleaning("V1", "bk-c", "2026-10-10")
        try f.store.cancel(hold: cancelled.number, reason: "生病了", by: f.op1, on: f.today)
        let fulfilled = try f.bookCleaning("V4", "bk-f", "2026-10-08")
        let receipt = try f.store.fulfil(hold: fulfilled.number, by: f.op1, on: f.today).receipt
        try f.expectClean()
        try f.store.database.execute("DROP TRIGGER hold_endings_append_only_update")
        try f.store.database.execute("DROP TRIGGER receipts_append_only_update")
        try f.store.database.execute("UPDATE hold_endings SET reason = '搬走了', actor = 'admin' WHERE hold = \(cancelled.number)")
        try f.store.database.execute("UPDATE receipts SET key = 'other' WHERE number = \(receipt.number)")
        let problems = try f.store.verifyStations().problems
        #expect(problems.map(\.message) == [
            "booking B\(cancelled.number) names the ending cancelled by admin on 2026-10-08, but its ending's entry #\(cancelled.entry + 1) was made "
                + "by op1 on 2026-10-08; the reason \"搬走了\", but its cancellation's memo is \"取消预约 B\(cancelled.number): 生病了\"",
            "booking B\(fulfilled.number) names the fulfilled ending's receipt R\(receipt.number) under key other, which is not the receipt of "
                + "entry #\(receipt.entry) under key booking:bk-f",
        ])
    }

    @Test("a refund edited behind the ledger's back (its operator or day) no longer matches its entry (V204)")
    func refundEditedByHand() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 2)
        let receipt = try f.redeem("V1", "biscuits").receipt
        let refund = try f.store.refund(receipt: receipt.number, reason: "破损", by: f.op1, on: f.today).receipt.refund
        try f.expectClean()
        try f.store.database.execute("DROP TRIGGER refunds_append_only_update")
        try f.store.database.execute("UPDATE refunds SET operator = 'admin' WHERE receipt = \(receipt.number)")
        #expect(try f.store.verifyStations().problems.map(\.description)
                    == ["error[V204]: entry #\(refund?.entry ?? 0): the refund of receipt R\(receipt.number) names admin on 2026-10-08, but its entry "
                        + "#\(refund?.entry ?? 0) was made by op1 on 2026-10-08"])
    }

    @Test("a station's points are checked against its receipts less their refunds: an entry made another way is V205, and a settlement stops on it")
    func stationPointsAgainstReceipts() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 2)
        let kept = try f.redeem("V1", "biscuits").receipt
        let refunded = try f.redeem("V1", "biscuits").receipt
        try f.store.refund(receipt: refunded.number, reason: "破损", by: f.op1, on: f.today)
        try f.expectClean()
        #expect(try f.store.balance(.station("S01")) == kept.points)
        // Points put into a station's account by a hand entry (the library does not refuse it; `timebank post` does).
        try f.store.post(.move(key: "by-hand", kind: .adjustment, date: f.today, actor: "admin", memo: "x", from: .issuance,
                               to: .station("S01"), asset: .points, amount: 500))
        let problems = try f.store.verifyStations().problems
        #expect(problems.map(\.code) == ["V205"])
        #expect(problems.first?.message == "station:S01 holds \(Hundredths.format(kept.points + 500)) 积分, but its receipts, less their "
            + "refunds, paid it \(Hundredths.format(kept.points)): 5.00 came or went another way (`timebank statement station:S01` lists its "
            + "entries; reverse the one that is not a receipt or a refund)")
        // The night's reconciliation stops on it (N005, exit 3), naming it.
        let stopped = #expect(throws: SettlementError.self) { try f.store.settle(SettlementRequest(date: f.today.adding(days: -1), actor: "nightly")) }
        #expect(stopped?.code == "N005" && stopped?.message.contains("V205 station:S01 holds") == true, "\(String(describing: stopped))")
        // Reversed, the books agree again.
        let entry = try #require(try f.store.entry(key: "by-hand"))
        try f.store.reverse(sequence: entry.sequence, key: "undo-by-hand", actor: "admin", memo: "not a receipt", on: f.today)
        try f.expectClean()
    }

    @Test("a receipt's points edited by hand are V202, and V205 then blames the row, not the ledger: no reversal is advised")
    func receiptPointsEditedByHand() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000)
        try f.stock("S01", "biscuits", 1)
        let receipt = try f.redeem("V1", "biscuits").receipt
        try f.expectClean()
        try f.store.database.execute("""
            DROP TRIGGER receipts_append_only_update; UPDATE receipts SET points = points + 100 WHERE number = \(receipt.number);
            """)
        let problems = try f.store.verifyStations().problems
        #expect(problems.map(\.code).contains("V202"))
        let v205 = try #require(problems.first { $0.code == "V205" })
        #expect(v205.message == "station:S01 holds \(Hundredths.format(receipt.points)) 积分, but its receipts, less their refunds, paid it "
            + "\(Hundredths.format(receipt.points + 100)): -1.00 came or went another way. A receipt or refund above (V202, V204) "
            + "disagrees with its entry: its row was edited, not the ledger; restore the last good backup rather than post or "
            + "reverse anything")
    }

    @Test("levels as of a day are the sums of the movements dated that day or before, whenever they were typed in")
    func levelsAsOfDay() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 10_000, on: "2026-09-30")
        func day(_ text: String) -> LocalDate { LocalDate(text)! }
        try f.store.receiveStock(StockReceiveRequest(key: "in-1", station: "S01", item: "biscuits", quantity: 10, date: day("2026-10-01")), by: f.admin)
        try f.store.receiveStock(StockReceiveRequest(key: "in-2", station: "S02", item: "biscuits", quantity: 4, date: day("2026-10-02")), by: f.admin)
        try f.store.moveStock(StockMoveRequest(key: "mv-1", from: "S01", to: "S02", item: "biscuits", quantity: 3, date: day("2026-10-05")), by: f.admin)
        try f.store.receiveStock(StockReceiveRequest(key: "in-3", station: "S01", item: "biscuits", quantity: 5, date: f.today), by: f.admin)
        // A paper receipt of 10-03, typed in today, after the delivery of today.
        try f.redeem("V1", "biscuits", quantity: 2, on: day("2026-10-03"))
        func levels(_ text: String, station: String? = nil) throws -> [String] {
            try f.store.stockLevels(station: station, asOf: day(text)).map { "\($0.station) \($0.quantity)" }
        }
        #expect(try levels("2026-09-30") == [])
        #expect(try levels("2026-10-01") == ["S01 10"])
        #expect(try levels("2026-10-02") == ["S01 10", "S02 4"])
        #expect(try levels("2026-10-03") == ["S01 8", "S02 4"])
        #expect(try levels("2026-10-05") == ["S01 5", "S02 7"])
        #expect(try levels("2026-10-05", station: "S02") == ["S02 7"])
        // Today's: the levels now.
        #expect(try levels("2026-10-08") == (try f.store.stockLevels().map { "\($0.station) \($0.quantity)" }))
        #expect(try levels("2026-10-08") == ["S01 10", "S02 7"])
    }
}

@Suite("Stations: transfers and donations")
struct TransferTests {
    @discardableResult
    func give(_ f: StationFixture, _ from: String, to: String?, _ points: Int64, key: String = UUID().uuidString,
              by session: OperatorSession? = nil) throws -> TransferOutcome {
        try f.store.transfer(TransferRequest(key: key, from: from, to: to, points: points, date: f.today), by: session ?? f.op1)
    }

    @Test("a transfer keeps the expiry of the points given")
    func keepsExpiry() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 1_000, expires: "2027-01-01")
        try f.award(.volunteer("V1"), 5_000)
        let outcome = try give(f, "V1", to: "V4", 1_500)
        #expect(outcome.entry.kind == .transfer && outcome.entry.actor == "op1")
        let received = try f.store.lots(of: .volunteer("V4")).map { ($0.expiresOn?.description ?? "never", $0.amount) }
        #expect(received.map(\.0) == ["2027-01-01", "never"])
        #expect(received.map(\.1) == [1_000, 500])
        try f.expectClean()
    }

    @Test("transfers and donations share the monthly limit; the refusal says when it resets")
    func monthlyLimit() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 20_000)
        try give(f, "V1", to: "V4", 3_000)
        let donation = try give(f, "V1", to: nil, 1_500)
        #expect(donation.entry.kind == .donation)
        #expect(try f.store.balance(TimeBankStore.poolAccount.id) == 1_500)
        try f.expectRefusal("R017") { _ = try give(f, "V1", to: "V4", 600) }
        do { _ = try give(f, "V1", to: "V4", 600) } catch let error as RedemptionError {
            #expect(error.message.contains("at most 5.00 now; the limit resets on 2026-11-01"))
        }
        try give(f, "V1", to: "V4", 500)
        try f.expectClean()
    }

    @Test("refused: transfers disabled, to oneself, within one pooled household, too few points, by an auditor")
    func refusals() throws {
        let disabled = try StationFixture(policy: stationTestPolicy(transfers: false))
        try disabled.award(.volunteer("V1"), 5_000)
        try disabled.expectRefusal("R016") { _ = try give(disabled, "V1", to: "V4", 100) }

        let f = try StationFixture()
        try f.award(.volunteer("V1"), 1_000)
        try f.expectRefusal("R018") { _ = try give(f, "V1", to: "V1", 100) }
        try f.expectRefusal("R001") { _ = try give(f, "V1", to: "V4", 2_000) }
        // The refusal speaks of the transfer or the donation, not of a redemption.
        for (to, word) in [("V4", "the transfer is 20.00"), (nil, "the donation is 20.00")] as [(String?, String)] {
            do { _ = try give(f, "V1", to: to, 2_000); Issue.record("given") } catch let error as RedemptionError {
                #expect(error.message == "volunteer:V1 can spend 10.00 积分, \(word); 10.00 more 积分 are needed")
            }
        }
        try f.expectRefusal("R006") { _ = try give(f, "V1", to: "V99", 100) }
        try f.expectRefusal("O003") { _ = try give(f, "V1", to: "V4", 100, by: f.auditor) }

        let pooled = try StationFixture(policy: stationTestPolicy(earnTo: "household"))
        try pooled.award(.household("H1"), 1_000)
        try pooled.expectRefusal("R018") { _ = try give(pooled, "V1", to: "V2", 100) }
        try give(pooled, "V1", to: "V4", 100)
        #expect(try pooled.store.balance(.household("H2")) == 100)
    }

    @Test("a transfer --to a household is R018 saying a household cannot receive one (was: R006, did you mean a volunteer), with what to do")
    func transferToHousehold() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 1_000)
        let own = try f.expectRefusal("R018") { _ = try give(f, "V1", to: "H2", 100) }
        #expect(own?.message == "invalid transfer: H2 is a household, and a household cannot receive a transfer: transfers go from one "
                    + "volunteer to another (--to VOLUNTEER)", "\(own?.message ?? "")")
        // Earned to households: give to a member, whose points go to the household's account.
        let pooled = try StationFixture(policy: stationTestPolicy(earnTo: "household"))
        try pooled.award(.household("H1"), 1_000)
        let other = try pooled.expectRefusal("R018") { _ = try give(pooled, "V1", to: "H2", 100) }
        #expect(other?.message == "invalid transfer: H2 is a household, and a household cannot receive a transfer: transfers go from one "
                    + "volunteer to another; under earn_to = \"household\" what a member receives goes to the household's account, so give it "
                    + "to one of its members: --to V4 李华", "\(other?.message ?? "")")
        try give(pooled, "V1", to: "V4", 100)
        #expect(try pooled.store.balance(.household("H2")) == 100)
        // The giver's own household: its points are theirs already.
        let ownHousehold = try pooled.expectRefusal("R018") { _ = try give(pooled, "V1", to: "H1", 100) }
        #expect(ownHousehold?.message.hasSuffix("; V1 is a member of H1, whose account the members share (earn_to = \"household\"): its "
                    + "points are theirs already, nothing to transfer") == true, "\(ownHousehold?.message ?? "")")
        // An id that is neither is still R006.
        try f.expectRefusal("R006") { _ = try give(f, "V1", to: "H9", 100) }
    }

    @Test("transfer or donate --from a household is R018 saying a household cannot give (was: R006, did you mean V2), with the members")
    func giftFromHousehold() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 1_000)
        let transfer = try f.expectRefusal("R018") { _ = try give(f, "H2", to: "V1", 100) }
        #expect(transfer?.message == "invalid transfer: H2 is a household, and a household cannot give a transfer: transfers go from one "
                    + "volunteer to another (--from VOLUNTEER)", "\(transfer?.message ?? "")")
        let donation = try f.expectRefusal("R018") { _ = try give(f, "H2", to: nil, 100) }
        #expect(donation?.message == "invalid transfer: H2 is a household, and a household cannot donate points: donations come from a "
                    + "volunteer (--from VOLUNTEER)", "\(donation?.message ?? "")")
        // Earned to households: a member gives from the household's account.
        let pooled = try StationFixture(policy: stationTestPolicy(earnTo: "household"))
        try pooled.award(.household("H1"), 1_000)
        let member = try pooled.expectRefusal("R018") { _ = try give(pooled, "H1", to: "V4", 100) }
        #expect(member?.message == "invalid transfer: H1 is a household, and a household cannot give a transfer: transfers go from one "
                    + "volunteer to another; under earn_to = \"household\" a member gives from the household's account, so name one of its "
                    + "members: --from V1 王秀英, V2 王小明", "\(member?.message ?? "")")
        // An id typed like a household's that no household has: the nearest household, never a volunteer one letter away
        // (`H4` was "did you mean V4", someone else; it is as near to H1 as to H2, so it gets no suggestion).
        for (typed, suggested) in [("H4", nil), ("H22", "H2")] as [(String, String?)] {
            for (from, to) in [(typed, "V1"), ("V1", typed)] {
                let unknown = try f.expectRefusal("R006") { _ = try give(f, from, to: to, 100) }
                #expect(unknown?.message == "no volunteer \"\(typed)\"" + (suggested.map { "; did you mean \"\($0)\"?" }
                            ?? "; give the volunteer's id (their name, or part of it, is answered with the id here; "
                                + "`timebank volunteer list --name 秀英` lists the volunteers whose name holds 秀英)"),
                        "\(unknown?.message ?? "")")
            }
        }
    }

    @Test("a retried transfer changes nothing; other content under its key is R008")
    func idempotent() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 5_000)
        let first = try give(f, "V1", to: "V4", 500, key: "gift-1")
        let before = try f.snapshot()
        let retry = try give(f, "V1", to: "V4", 500, key: "gift-1")
        #expect(retry == .exists(first.gift, first.entry))
        #expect(try f.snapshot() == before)
        try f.expectRefusal("R008") { _ = try give(f, "V1", to: "V4", 600, key: "gift-1") }
    }
}

@Suite("Stations: operators")
struct OperatorTests {
    @Test("a wrong PIN and an unknown operator get the same refusal")
    func sameRefusal() throws {
        let f = try StationFixture()
        var messages: [String] = []
        for (id, pin) in [("op1", "1112"), ("nobody", "1471")] {
            do {
                _ = try f.store.signIn(operatorID: id, pin: pin)
                Issue.record("signed in with a wrong PIN")
            } catch let error as AccessError {
                #expect(error == .signInFailed)
                messages.append(error.description)
            }
        }
        #expect(messages == ["error[O001]: operator or PIN not recognised; nothing was done",
                             "error[O001]: operator or PIN not recognised; nothing was done"])
    }

    @Test("five wrong PINs within 15 minutes lock the sign-in for 15 minutes (O012), unknown ids alike; a right or new PIN clears the count")
    func lockOut() throws {
        let f = try StationFixture()
        func attempt(_ id: String, _ pin: String) -> String {
            do {
                _ = try f.store.signIn(operatorID: id, pin: pin)
                return "ok"
            } catch let error as AccessError {
                return error.code
            } catch {
                return "\(error)"
            }
        }
        // Four wrong, a right one clears them; four more do not lock.
        #expect((1...4).map { _ in attempt("op1", "0000") } == Array(repeating: "O001", count: 4))
        #expect(attempt("op1", "1471") == "ok")
        #expect((1...4).map { _ in attempt("op1", "0000") } == Array(repeating: "O001", count: 4))
        f.clock.advance(minutes: 1)
        #expect(attempt("op1", "0000") == "O001")
        // Near the lock the refusal says how near (and that it locked), the same for an id that does not exist.
        let messages = (1...5).map { _ -> String in
            do {
                _ = try f.store.signIn(operatorID: "nobody-yet", pin: "0000")
                return "ok"
            } catch {
                return "\(error)"
            }
        }
        #expect(messages[0] == "error[O001]: operator or PIN not recognised; nothing was done")
        #expect(messages[2] == "error[O001]: operator or PIN not recognised; nothing was done. 2 more wrong PINs within 15 minutes "
                + "lock this sign-in for 15 minutes")
        #expect(messages[3].hasSuffix("1 more wrong PIN within 15 minutes locks this sign-in for 15 minutes"))
        #expect(messages[4].hasSuffix("That was the 5th wrong PIN within 15 minutes: this sign-in is locked for 15 minutes (an admin's "
                + "new PIN opens it at once)"))
        // The fifth in a row: locked, and the right PIN is not even checked.
        do {
            _ = try f.store.signIn(operatorID: "op1", pin: "1471")
            Issue.record("signed in while locked")
        } catch let error as AccessError {
            #expect(error == .signInLocked(operatorID: "op1", minutesLeft: 15))
            #expect(error.description == "error[O012]: the sign-in of \"op1\" is locked after 5 wrong PINs within 15 minutes: try again in "
                    + "15 minutes, or an admin sets a new PIN at once with `timebank operator pin --for op1` (the PIN was not checked); "
                    + "nothing was written")
        }
        #expect(attempt("op2", "2582") == "ok")   // another operator is not affected
        f.clock.advance(minutes: 14)
        #expect(attempt("op1", "1471") == "O012")   // tries while locked do not lengthen it
        f.clock.advance(minutes: 1)
        #expect(attempt("op1", "1471") == "ok")
        // An unknown id locks the same way, so the lock does not tell which ids exist.
        #expect((1...5).map { _ in attempt("nobody", "1471") } == Array(repeating: "O001", count: 5))
        #expect(attempt("nobody", "1471") == "O012")
        // An admin's new PIN opens a locked sign-in at once.
        #expect((1...5).map { _ in attempt("op2", "0000") } == Array(repeating: "O001", count: 5))
        #expect(attempt("op2", "2582") == "O012")
        f.clock.advance(minutes: 1)
        try f.store.changePIN(of: "op2", to: "2468", by: f.admin, iterations: 10)
        #expect(attempt("op2", "2468") == "ok")
        #expect(throws: SQLiteError.self) { try f.store.database.execute("DELETE FROM sign_in_attempts") }
        #expect(throws: SQLiteError.self) { try f.store.database.execute("UPDATE sign_in_attempts SET outcome = 'cleared' WHERE outcome = 'failed'") }
    }

    @Test("guesses made at the same time by separate processes cannot get past the lock-out: at most five PINs are checked")
    func lockoutUnderParallelGuesses() throws {
        let f = try StationFixture()
        // The real PBKDF2 work (not the tests' 10 iterations): each check takes long enough for all guesses to overlap.
        try f.store.addOperator(Operator(id: "op9", name: "九", role: .operator, station: "S01"), pin: "9419", by: f.admin)
        let outcomes = Mutex<[String]>([])
        let path = f.path, clock = f.clock
        DispatchQueue.concurrentPerform(iterations: 12) { index in
            let outcome: String
            do {
                let store = try TimeBankStore(path: path, clock: clock)
                _ = try store.signIn(operatorID: "op9", pin: String(format: "%04d", index))
                outcome = "ok"
            } catch let error as AccessError {
                outcome = error.code
            } catch {
                outcome = "\(error)"
            }
            outcomes.withLock { $0.append(outcome) }
        }
        let all = outcomes.withLock { $0 }
        #expect(all.count == 12)
        #expect(all.filter { $0 == "O001" }.count == 5, "\(all)")
        #expect(all.filter { $0 == "O012" }.count == 7, "\(all)")
        // Locked now, for the right PIN too; every attempt is on record, none left pending.
        #expect(throws: AccessError.signInLocked(operatorID: "op9", minutesLeft: 15)) { _ = try f.store.signIn(operatorID: "op9", pin: "9419") }
        #expect(try f.store.database.statement("SELECT count(*) FROM sign_in_attempts WHERE operator = 'op9' AND outcome = 'failed'").first { $0.int64(0) } == 5)
        #expect(try f.store.database.statement("SELECT count(*) FROM sign_in_attempts WHERE outcome = 'pending'").first { $0.int64(0) } == 0)
    }

    @Test("a sign-in killed while its PIN was checked counts as a wrong PIN; sign-in attempts kept before migration 18 still count")
    func pendingAttemptCounts() throws {
        let f = try StationFixture()
        for _ in 1...4 {
            try f.store.database.execute("INSERT INTO sign_in_attempts(operator, outcome, at) VALUES ('op1', 'pending', '2026-10-08T01:59:00.000Z')")
        }
        #expect(throws: AccessError.signInFailedNearLock(triesLeft: 0)) { _ = try f.store.signIn(operatorID: "op1", pin: "0000") }
        #expect(throws: AccessError.signInLocked(operatorID: "op1", minutesLeft: 15)) { _ = try f.store.signIn(operatorID: "op1", pin: "1471") }

        // A store as migration 17 left it: its wrong PINs in sign_in_failures. Migration 18 keeps them, so they still count.
        let g = try StationFixture()
        try g.store.database.execute("""
            DROP TABLE sign_in_attempts;
            CREATE TABLE sign_in_failures (id INTEGER PRIMARY KEY, operator TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome = 'failed' OR outcome = 'cleared'), at TEXT NOT NULL) STRICT;
            INSERT INTO sign_in_failures(operator, outcome, at) VALUES ('op2', 'failed', '2026-10-08T01:58:00.000Z'),
                ('op2', 'failed', '2026-10-08T01:58:30.000Z'), ('op2', 'failed', '2026-10-08T01:59:00.000Z'),
                ('op2', 'failed', '2026-10-08T01:59:30.000Z');
            DELETE FROM schema_migrations WHERE version = 18;
            """)
        let reopened = try TimeBankStore(path: g.path, clock: g.clock)
        #expect(try reopened.database.statement("SELECT count(*) FROM sign_in_attempts WHERE outcome = 'failed'").first { $0.int64(0) } == 4)
        #expect(throws: AccessError.signInFailedNearLock(triesLeft: 0)) { _ = try reopened.signIn(operatorID: "op2", pin: "0000") }
    }

    @Test("PINs are stored only as salted PBKDF2 hashes, each with its own salt")
    func storedHashed() throws {
        let f = try StationFixture()
        try f.store.addOperator(Operator(id: "op3", name: "三", role: .operator, station: "S01"), pin: "1471", by: f.admin, iterations: 10)
        let stored = try f.store.database.statement("SELECT id, pin_hash FROM operators WHERE id IN ('op1', 'op3') ORDER BY id")
            .rows { ($0.text(0), $0.text(1)) }
        #expect(stored.count == 2)
        for (_, hash) in stored {
            #expect(hash.hasPrefix("pbkdf2-sha256$10$"))
            #expect(!hash.contains("1471"))
        }
        // The same PIN gives different hashes: the salts differ.
        #expect(stored[0].1 != stored[1].1)
    }

    @Test("the first operator must be an admin; later ones need an admin's session")
    func whoAddsOperators() throws {
        let f = try StationFixture()
        let newcomer = Operator(id: "op9", name: "九", role: .operator, station: "S02")
        try f.expectRefusal("O003") { try f.store.addOperator(newcomer, pin: "9419", by: f.op1, iterations: 10) }
        try f.expectRefusal("O009") { try f.store.addOperator(newcomer, pin: "9419", by: nil, iterations: 10) }
        try f.expectRefusal("O006") { try f.store.addOperator(Operator(id: "op1", name: "x", role: .auditor, station: nil), pin: "9419", by: f.admin, iterations: 10) }
        try f.expectRefusal("O005") { try f.store.addOperator(newcomer, pin: "12", by: f.admin, iterations: 10) }
        try f.expectRefusal("R019") {
            try f.store.addOperator(Operator(id: "op8", name: "八", role: .operator, station: "S9"), pin: "9419", by: f.admin, iterations: 10)
        }

        let empty = try TimeBankStore(path: ":memory:")
        #expect(throws: AccessError.noOperators) { _ = try empty.signIn(operatorID: "admin", pin: "1274") }
        #expect(throws: AccessError.invalidOperator(field: "role", reason: "the first operator must be an admin")) {
            try empty.addOperator(Operator(id: "audit", name: "审计", role: .auditor, station: nil), pin: "1274", by: nil, iterations: 10)
        }
        try empty.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "1274", by: nil, iterations: 10)
        #expect(try empty.signIn(operatorID: "admin", pin: "1274").role == .admin)
    }

    @Test("a new PIN a guesser tries first (7777, 3456, the id) is refused for a new operator and a new PIN: O005, nothing written")
    func guessablePINsRefused() throws {
        let f = try StationFixture()
        let newcomer = Operator(id: "op9", name: "九", role: .operator, station: "S02")
        for pin in ["7777", "3456", "op9", "OP9"] {
            let refusal = try f.expectRefusal("O005") { try f.store.addOperator(newcomer, pin: pin, by: f.admin, iterations: 10) }
            // The message never shows the PIN typed.
            #expect(refusal.map { "\($0)" }?.contains(pin) == false)
        }
        try f.expectRefusal("O005") { try f.store.changePIN(of: "op1", to: "7777", by: f.op1, iterations: 10) }
        try f.expectRefusal("O005") { try f.store.changePIN(of: "op2", to: "op2", by: f.admin, iterations: 10) }
        try f.store.addOperator(newcomer, pin: "5821", by: f.admin, iterations: 10)
        #expect(try f.store.signIn(operatorID: "op9", pin: "5821").operatorID == "op9")
    }

    @Test("an operator changes their own PIN; only an admin changes someone else's")
    func changePIN() throws {
        let f = try StationFixture()
        try f.store.changePIN(of: "op1", to: "5825", by: f.op1, iterations: 10)
        #expect(throws: AccessError.signInFailed) { _ = try f.store.signIn(operatorID: "op1", pin: "1471") }
        #expect(try f.store.signIn(operatorID: "op1", pin: "5825").operatorID == "op1")
        try f.expectRefusal("O003") { try f.store.changePIN(of: "op2", to: "6136", by: f.op1, iterations: 10) }
        try f.store.changePIN(of: "op2", to: "6136", by: f.admin, iterations: 10)
        #expect(throws: SQLiteError.self) { try f.store.database.execute("DELETE FROM operators WHERE id = 'op2'") }
        #expect(throws: SQLiteError.self) { try f.store.database.execute("UPDATE operators SET role = 'admin' WHERE id = 'op2'") }
    }
}

extension StationFixture {
    /// A booking of one home cleaning (a service of capacity 1 a day) at S01 by op1, for `day`.
    func bookCleaning(_ volunteer: String, _ key: String, _ day: String) throws -> Hold {
        try store.book(BookingRequest(key: key, station: "S01", volunteer: volunteer, item: "home_cleaning", date: today,
                                      serviceDate: LocalDate(day)), by: op1).hold
    }
}
