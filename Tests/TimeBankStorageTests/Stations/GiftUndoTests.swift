import Foundation
import Testing
@testable import TimeBankCore
@testable import TimeBankStorage

@Suite("Stations: an admin undoes a mistaken transfer or donation")
struct GiftUndoTests {
    @discardableResult
    func give(_ f: StationFixture, _ from: String, to: String?, _ points: Int64, key: String = UUID().uuidString) throws -> TransferOutcome {
        try f.store.transfer(TransferRequest(key: key, from: from, to: to, points: points, date: f.today), by: f.op1)
    }

    func lots(_ f: StationFixture, _ account: AccountID) throws -> [String] {
        try f.store.lots(of: account).map { "\($0.expiresOn?.description ?? "never") \($0.remaining)" }
    }

    @Test("the giver gets the very lots back, with their expiry; the receiver's gift lots are emptied; the limit is freed")
    func undoTransfer() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 1_000, expires: "2027-01-01")
        try f.award(.volunteer("V1"), 5_000, expires: "2027-06-01")
        let gift = try give(f, "V1", to: "V4", 3_000)   // 10.00 expiring 2027-01-01, 20.00 expiring 2027-06-01
        #expect(try lots(f, .volunteer("V1")) == ["2027-01-01 0", "2027-06-01 3000"])
        let undo = try f.store.undoGift(entry: gift.entry.sequence, key: "undo-1", reason: "V4 typed for V2", by: f.admin, on: f.today)
        guard case .created(let entry) = undo.outcome else { Issue.record("not created"); return }
        #expect(entry.kind == .reversal && entry.reverses == gift.entry.sequence && entry.actor == "admin" && entry.memo == "V4 typed for V2")
        #expect(undo.gift == gift.gift)
        // Not new lots: the lots the points came from, so the expiry dates stay as they were.
        #expect(try lots(f, .volunteer("V1")) == ["2027-01-01 1000", "2027-06-01 5000"])
        #expect(try lots(f, .volunteer("V4")) == ["2027-01-01 0", "2027-06-01 0"])
        #expect(try f.store.balance(.volunteer("V4")) == 0)
        // The 30.00 count no more toward V1's 50.00 a month: 50.00 may be given again.
        try give(f, "V1", to: "V4", 5_000)
        try f.expectClean()
    }

    @Test("a retry writes nothing twice; other content under the key is L005; undone already under another key is R031")
    func retry() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 5_000)
        let gift = try give(f, "V1", to: "V4", 2_000)
        let first = try f.store.undoGift(entry: gift.entry.sequence, key: "undo-1", reason: "wrong receiver", by: f.admin, on: f.today)
        let before = try f.snapshot()
        let again = try f.store.undoGift(entry: gift.entry.sequence, key: "undo-1", reason: "wrong receiver", by: f.admin, on: f.today)
        #expect(again.outcome == .exists(first.outcome.entry))
        #expect(try f.snapshot() == before)
        try f.expectRefusal("L005") {
            try f.store.undoGift(entry: gift.entry.sequence, key: "undo-1", reason: "another reason", by: f.admin, on: f.today)
        }
        let twice = try f.expectRefusal("R031") {
            try f.store.undoGift(entry: gift.entry.sequence, key: "undo-2", reason: "wrong receiver", by: f.admin, on: f.today)
        }
        #expect(twice?.message == "transfer #1 of 20.00 积分 from V1 to V4 (entry #\(gift.entry.sequence)) cannot be undone: it was undone "
                    + "already, by entry #\(first.outcome.entry.sequence) on 2026-10-08 by admin (wrong receiver), so its points are back with "
                    + "V1; nothing more to do (`timebank entry show \(first.outcome.entry.sequence)`); nothing was written", "\(twice?.message ?? "")")
    }

    @Test("refused when the receiver spent some of the gift (R031, naming what is left and the transfer back), or by an operator (O003)")
    func refusals() throws {
        let f = try StationFixture()
        try f.stock("S01", "biscuits", 5)
        try f.award(.volunteer("V1"), 5_000)
        try f.award(.volunteer("V4"), 1_000, expires: "2027-12-31")
        let gift = try give(f, "V1", to: "V4", 3_000)   // never expires: spent after V4's own lot
        try f.expectRefusal("O003") {
            try f.store.undoGift(entry: gift.entry.sequence, key: "undo-1", reason: "wrong receiver", by: f.op1, on: f.today)
        }
        try f.redeem("V4", "biscuits")   // 20.00: 10.00 of V4's own, 10.00 of the gift
        let spent = try f.expectRefusal("R031") {
            try f.store.undoGift(entry: gift.entry.sequence, key: "undo-1", reason: "wrong receiver", by: f.admin, on: f.today)
        }
        #expect(spent?.message == "transfer #1 of 30.00 积分 from V1 to V4 (entry #\(gift.entry.sequence)) cannot be undone: volunteer:V4 "
                    + "holds 20.00 积分 of the points it gave; 10.00 were spent or have expired since (`timebank lots V4 --all`); with V4's "
                    + "consent, they give back what they hold: `timebank transfer --from V4 --to V1 --points 20.00 --key KEY`; nothing was "
                    + "written", "\(spent?.message ?? "")")
        // Any other entry is not a gift.
        try f.expectRefusal("R018") {
            try f.store.undoGift(entry: 1, key: "undo-2", reason: "wrong receiver", by: f.admin, on: f.today)
        }
        // Reversed by hand it is still R024, which now names the admin's undo.
        let byHand = try f.expectRefusal("R024") {
            _ = try f.store.reverse(sequence: gift.entry.sequence, key: "undo-3", actor: "admin", memo: "x", on: f.today)
        }
        #expect(byHand?.message.contains("`timebank reverse \(gift.entry.sequence) --key KEY --reason TEXT` signed in as an admin") == true)
        try f.expectClean()
    }

    @Test("a donation is undone while the pool holds it; household accounts on both sides keep their lots")
    func donationAndHouseholds() throws {
        let f = try StationFixture()
        try f.award(.volunteer("V1"), 5_000, expires: "2027-03-01")
        let donation = try give(f, "V1", to: nil, 2_000)
        try f.store.undoGift(entry: donation.entry.sequence, key: "undo-d", reason: "meant a transfer", by: f.admin, on: f.today)
        #expect(try f.store.balance(TimeBankStore.poolAccount.id) == 0)
        #expect(try lots(f, .volunteer("V1")) == ["2027-03-01 5000"])
        // The pool gave 15.00 of a second donation away: it holds too little to undo it.
        let second = try give(f, "V1", to: nil, 2_000)
        try f.store.post(.move(key: "from-pool", kind: .adjustment, date: f.today, actor: "admin", memo: "送给困难户",
                               from: TimeBankStore.poolAccount.id, to: .volunteer("V3"), amount: 1_500))
        let pool = try f.expectRefusal("R031") {
            try f.store.undoGift(entry: second.entry.sequence, key: "undo-e", reason: "meant a transfer", by: f.admin, on: f.today)
        }
        #expect(pool?.message.contains("the community pool holds 5.00 积分 of it, 15.00 short") == true, "\(pool?.message ?? "")")

        let pooled = try StationFixture(policy: stationTestPolicy(earnTo: "household"))
        try pooled.award(.household("H1"), 4_000, expires: "2027-02-01")
        let gift = try pooled.store.transfer(TransferRequest(key: "g", from: "V1", to: "V4", points: 1_000, date: pooled.today), by: pooled.op1)
        try pooled.store.undoGift(entry: gift.entry.sequence, key: "undo-h", reason: "wrong household", by: pooled.admin, on: pooled.today)
        #expect(try lots(pooled, .household("H1")) == ["2027-02-01 4000"])
        #expect(try pooled.store.balance(.household("H2")) == 0)
        try f.expectClean()
        try pooled.expectClean()
    }
}

@Suite("statement: a gift between households names the member who gave or received")
struct HouseholdGiftStatementTests {
    @Test("the receiving household's line names the giving member, the giving household's the receiving member, the undo too")
    func member() throws {
        let f = try StationFixture(policy: stationTestPolicy(earnTo: "household"))
        try f.award(.household("H1"), 4_000)
        let gift = try f.store.transfer(TransferRequest(key: "g", from: "V2", to: "V4", points: 1_000, date: f.today), by: f.op1)
        let received = try #require(try f.store.statement(of: .household("H2")).last)
        #expect(received.counterparties.map(\.id) == [.household("H1")])
        #expect(received.counterpartyMember?.id == "V2")
        let given = try #require(try f.store.statement(of: .household("H1")).last)
        #expect(given.counterpartyMember?.id == "V4")
        // The undo's lines name the same members: the points go back to V2's household, from V4's.
        try f.store.undoGift(entry: gift.entry.sequence, key: "undo", reason: "wrong household", by: f.admin, on: f.today)
        #expect(try f.store.statement(of: .household("H2")).last?.counterpartyMember?.id == "V2")
        #expect(try f.store.statement(of: .household("H1")).last?.counterpartyMember?.id == "V4")
        // A donation's other side is the pool: no member.
        try f.store.transfer(TransferRequest(key: "d", from: "V1", to: nil, points: 500, date: f.today), by: f.op1)
        #expect(try f.store.statement(of: .household("H1")).last?.counterpartyMember == nil)
        #expect(try f.store.statement(of: TimeBankStore.poolAccount.id).last?.counterpartyMember?.id == "V1")
    }
}
