import Testing
import TimeBankCore
@testable import TimeBankStorage

@Suite("Lots")
struct LotTests {
    @Test("a debit draws on lots earliest expiry first, never-expiring last, and records each allocation")
    func earliestExpiryFirst() throws {
        let test = try TestStore()
        let late = try test.award("V1", 2000, expires: "2027-03-01")   // lot 1: 20.00
        let soon = try test.award("V1", 1500, expires: "2026-12-31")   // lot 2: 15.00
        let never = try test.award("V1", 1000)                         // lot 3: 10.00, no expiry
        let lots = try test.store.lots(of: .volunteer("V1"))
        #expect(lots.map(\.openedBy) == [late.sequence, soon.sequence, never.sequence])

        let redemption = try test.store.post(.move(key: "redeem", kind: .redemption, date: date("2026-10-05"), actor: "op",
                                                   memo: "兑换", from: .volunteer("V1"), to: .station("S1"), amount: 3000)).entry
        // 30.00 = all 15.00 of the lot expiring 2026-12-31, then 15.00 of the lot expiring 2027-03-01;
        // the never-expiring lot is untouched. (Allocations are stored in lot order.)
        #expect(redemption.allocations == [
            LotAllocation(postingIndex: 1, lotID: lots[0].id, amount: 1500),
            LotAllocation(postingIndex: 1, lotID: lots[1].id, amount: 1500),
        ])
        let after = try test.store.lots(of: .volunteer("V1"))
        #expect(after.map(\.remaining) == [500, 0, 1000])
        #expect(try test.store.balance(.volunteer("V1")) == 1500)
        let problems = try test.store.verify().problems
        #expect(problems == [])
    }

    @Test("lots with the same expiry are spent oldest first")
    func oldestFirstOnTies() throws {
        let test = try TestStore()
        try test.award("V1", 500, expires: "2027-01-01")
        try test.award("V1", 500, expires: "2027-01-01")
        let entry = try test.store.post(.move(key: "r", kind: .redemption, date: date("2026-10-05"), actor: "op", memo: "",
                                              from: .volunteer("V1"), to: .station("S1"), amount: 700)).entry
        let lots = try test.store.lots(of: .volunteer("V1"))
        #expect(entry.allocations.map(\.lotID) == [lots[0].id, lots[1].id])
        #expect(entry.allocations.map(\.amount) == [500, 200])
    }

    @Test("expired points cannot be spent, but the expiry entry takes them")
    func expiredLots() throws {
        let test = try TestStore()
        try test.award("V1", 1000, expires: "2026-10-01", on: "2025-10-01")
        try test.award("V1", 300)
        // On 2026-10-02 the first lot has expired: only 3.00 can be spent.
        // The first lot's 10.00 still count in the balance (13.00) until the nightly expiry takes them: L012 says so.
        let waiting = ExpiredNotYetTaken(points: 1000, expiredFrom: date("2026-10-01"), expiredThrough: date("2026-10-01"))
        let refusal = LedgerError.pointsExpired(account: .volunteer("V1"), usable: 300, needed: 500, date: date("2026-10-02"), notYetTaken: waiting)
        #expect(throws: refusal) {
            try test.store.post(.move(key: "r", kind: .redemption, date: date("2026-10-02"), actor: "op", memo: "",
                                      from: .volunteer("V1"), to: .station("S1"), amount: 500))
        }
        #expect(refusal.message == "volunteer:V1 could spend only 3.00 points on 2026-10-02, the date of this entry; 5.00 are needed. "
                + "10.00 points of its balance expired on 2026-10-01: the balance still shows them until the nightly expiry takes them, "
                + "but they cannot be spent; nothing was written")
        // The day before expiry it could have been.
        #expect(try test.store.lots(of: .volunteer("V1"))[0].isUsable(on: date("2026-09-30")))
        let expiry = try test.store.post(.move(key: "expire-V1-2026-10-02", kind: .expiry, date: date("2026-10-02"), actor: "settlement",
                                               memo: "expired", from: .volunteer("V1"), to: .expired, amount: 1000)).entry
        #expect(expiry.allocations.map(\.amount) == [1000])
        #expect(try test.store.balance(.volunteer("V1")) == 300)
        #expect(try test.store.balance(.expired) == 1000)
        let problems = try test.store.verify().problems
        #expect(problems == [])
    }

    @Test("a reversal gives points back to the lots they came from, once only")
    func reversalOnce() throws {
        let test = try TestStore()
        try test.award("V1", 2000, expires: "2027-03-01")
        try test.award("V1", 1500, expires: "2026-12-31")
        let lotsBefore = try test.store.lots(of: .volunteer("V1"))
        let redemption = try test.store.post(.move(key: "redeem", kind: .redemption, date: date("2026-10-05"), actor: "op", memo: "",
                                                   from: .volunteer("V1"), to: .station("S1"), amount: 3000)).entry
        let reversal = try test.store.reverse(sequence: redemption.sequence, key: "undo-redeem", actor: "admin", memo: "误操作", on: date("2026-10-05"))
        guard case .created(let entry) = reversal else { Issue.record("expected a new reversal"); return }
        #expect(entry.kind == .reversal)
        #expect(entry.reverses == redemption.sequence)
        #expect(entry.postings.map(\.amount) == redemption.postings.map { -$0.amount })
        #expect(entry.allocations.map(\.amount) == redemption.allocations.map { -$0.amount })
        #expect(try test.store.lots(of: .volunteer("V1")) == lotsBefore)
        #expect(try test.store.balance(.volunteer("V1")) == 3500)
        #expect(try test.store.balance(.station("S1")) == 0)

        // Retrying the same reversal is safe; a second reversal is refused; a reversal is never reversed.
        #expect(try test.store.reverse(sequence: redemption.sequence, key: "undo-redeem", actor: "admin", memo: "误操作", on: date("2026-10-05")) == .exists(entry))
        #expect(throws: LedgerError.alreadyReversed(sequence: redemption.sequence, by: entry.sequence)) {
            try test.store.reverse(sequence: redemption.sequence, key: "undo-again", actor: "admin", memo: "", on: date("2026-10-05"))
        }
        #expect(throws: LedgerError.cannotReverseReversal(sequence: entry.sequence)) {
            try test.store.reverse(sequence: entry.sequence, key: "undo-undo", actor: "admin", memo: "", on: date("2026-10-05"))
        }
        #expect(throws: LedgerError.unknownEntry("#99")) {
            try test.store.reverse(sequence: 99, key: "undo-99", actor: "admin", memo: "", on: date("2026-10-05"))
        }
        #expect(try test.entryCount() == 4)
        let problems = try test.store.verify().problems
        #expect(problems == [])
    }

    @Test("reversing an award takes the points back from the lot it opened first")
    func reverseAwardPrefersItsLot() throws {
        let test = try TestStore()
        try test.award("V1", 500, expires: "2026-11-01")
        let award = try test.award("V1", 1000, expires: "2027-06-01")
        let reversal = try test.store.reverse(sequence: award.sequence, key: "undo-award", actor: "admin", memo: "", on: date("2026-10-05")).entry
        let lots = try test.store.lots(of: .volunteer("V1"))
        #expect(reversal.allocations == [LotAllocation(postingIndex: 0, lotID: lots[1].id, amount: 1000)])
        #expect(lots.map(\.remaining) == [500, 0])
    }

    @Test("reversing an award whose points were spent would break the floor, so it is refused")
    func reverseSpentAward() throws {
        let test = try TestStore()
        let award = try test.award("V1", 1000)
        try test.store.post(.move(key: "spend", kind: .redemption, date: date("2026-10-02"), actor: "op", memo: "",
                                  from: .volunteer("V1"), to: .station("S1"), amount: 800))
        #expect(throws: LedgerError.belowFloor(account: .volunteer("V1"), asset: .points, balance: 200, change: -1000, floor: 0)) {
            try test.store.reverse(sequence: award.sequence, key: "undo", actor: "admin", memo: "", on: date("2026-10-05"))
        }
        #expect(try test.entryCount() == 2)
    }
}
