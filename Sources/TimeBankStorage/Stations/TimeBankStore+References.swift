import TimeBankCore

extension TimeBankStore {
    /// The receipt a person names: `R12`, `12`, `number:12`, or the key it was redeemed under. A text that names two
    /// receipts (receipt 1, and another redeemed under the key `R1`) is refused with R022, which lists both; R011 when it
    /// names none. `number:12` is always the number.
    ///
    ///     let receipt = try store.receipt(named: "R12")
    public func receipt(named reference: String) throws -> Receipt {
        if let number = StationReference.explicitNumber(in: reference) {
            guard let receipt = try receipt(number: number) else { throw RedemptionError.unknownReceipt(reference) }
            return receipt
        }
        var found: [(receipt: Receipt, how: String)] = []
        if let number = StationReference.number(in: reference, letter: StationReference.receiptLetter), let receipt = try receipt(number: number) {
            found.append((receipt, "receipt number \(number)"))
        }
        if let receipt = try receipt(key: reference), !found.contains(where: { $0.receipt.number == receipt.number }) {
            found.append((receipt, "redeemed under the key \"\(reference)\""))
        }
        guard let first = found.first else { throw try unknownReceipt(reference) }
        guard found.count == 1 else {
            throw RedemptionError.ambiguousReference(
                reference: reference, what: "receipts",
                candidates: found.map { "R\($0.receipt.number) (\($0.how): \(Self.summary($0.receipt)))" },
                numbers: found.map(\.receipt.number))
        }
        return first.receipt
    }

    /// R011 for a text that names no receipt; when it names a booking instead (`B7`, or the key it was booked under, as an
    /// operator types for `refund` what the volunteer's booking slip shows), the refusal says which receipt is the booking's.
    private func unknownReceipt(_ reference: String) throws -> RedemptionError {
        var booking = try hold(key: reference)
        if booking == nil, reference.first?.isLetter == true,
           let number = StationReference.number(in: reference, letter: StationReference.bookingLetter) {
            booking = try hold(number: number)
        }
        guard let booking else {
            let basket = try basketReceipts(key: reference)
            guard !basket.isEmpty else { return .unknownReceipt(reference) }
            let lines = basket.map { "\($0.itemLabel) × \($0.quantity)" + ($0.refund.map { ", refunded \($0.refundedOn)" } ?? "") }
            return .receiptReferenceNamesBasket(reference: reference, receipts: basket.map(\.number), lines: lines)
        }
        return .receiptReferenceNamesBooking(reference: reference, booking: booking.number, state: booking.state, receipt: booking.receipt)
    }

    /// The booking a person names: `B7`, `7`, `number:7`, or the key it was booked under; R022 when the text names two,
    /// R015 when none.
    public func hold(named reference: String) throws -> Hold {
        if let number = StationReference.explicitNumber(in: reference) {
            guard let hold = try hold(number: number) else { throw RedemptionError.unknownHold(reference) }
            return hold
        }
        var found: [(hold: Hold, how: String)] = []
        if let number = StationReference.number(in: reference, letter: StationReference.bookingLetter), let hold = try hold(number: number) {
            found.append((hold, "booking number \(number)"))
        }
        if let hold = try hold(key: reference), !found.contains(where: { $0.hold.number == hold.number }) {
            found.append((hold, "booked under the key \"\(reference)\""))
        }
        guard let first = found.first else { throw RedemptionError.unknownHold(reference) }
        guard found.count == 1 else {
            throw RedemptionError.ambiguousReference(
                reference: reference, what: "bookings",
                candidates: found.map {
                    "B\($0.hold.number) (\($0.how): \($0.hold.itemLabel) × \($0.hold.quantity) for \($0.hold.volunteer) "
                        + "on \($0.hold.serviceDate) at \($0.hold.station))"
                },
                numbers: found.map(\.hold.number))
        }
        return first.hold
    }

    /// The ledger entry a person names: `17`, `#17`, `number:17`, the key it was posted under, or the key the operator
    /// typed for a station write (a redemption `S01-0001` is the entry `redeem:S01-0001`; likewise bookings, gifts and stock
    /// deliveries), or a receipt or booking (`R12`, `B7`: the entry that moved its points). L020 when the text names
    /// several entries, L007 when none.
    public func entrySequence(named reference: String) throws -> Int64 {
        if let number = StationReference.explicitNumber(in: reference) {
            guard try entry(sequence: number) != nil else { throw LedgerError.unknownEntry(reference) }
            return number
        }
        var found: [(sequence: Int64, how: String)] = []
        func add(_ sequence: Int64?, _ how: @autoclosure () -> String) {
            if let sequence, !found.contains(where: { $0.sequence == sequence }) { found.append((sequence, how())) }
        }
        let digits = reference.hasPrefix("#") ? String(reference.dropFirst()) : reference
        if let number = StationReference.number(in: digits, letter: nil), try entry(sequence: number) != nil {
            add(number, "entry number \(number)")
        }
        add(try entry(key: reference)?.sequence, "posted under the key \"\(reference)\"")
        for (prefix, what) in Self.stationEntryKeyPrefixes {
            add(try entry(key: prefix + reference)?.sequence, "the \(what) under the key \"\(reference)\"")
        }
        if let number = StationReference.number(in: reference, letter: StationReference.receiptLetter), reference.first?.isLetter == true,
           let receipt = try receipt(number: number) {
            add(receipt.entry, "receipt R\(number)'s redemption")
        }
        if let number = StationReference.number(in: reference, letter: StationReference.bookingLetter), reference.first?.isLetter == true,
           let hold = try hold(number: number) {
            add(hold.entry, "booking B\(number)'s hold")
        }
        guard let first = found.first else {
            throw LedgerError.unknownEntry("\(reference) (neither an entry number, the key of an entry, nor the key of a redemption, "
                                           + "booking, transfer, donation or stock delivery; timebank entry list)")
        }
        guard found.count == 1 else {
            var candidates: [String] = []
            for candidate in found {
                let entry = try entry(sequence: candidate.sequence)
                candidates.append("#\(candidate.sequence) (\(candidate.how): \(entry.map { "\($0.kind.rawValue) of \($0.effectiveDate), \($0.memo)" } ?? ""))")
            }
            throw LedgerError.ambiguousEntry(reference: reference, candidates: candidates, sequences: found.map(\.sequence))
        }
        return first.sequence
    }

    /// The prefixes station writes put before the operator's key to make the ledger key of their entry.
    static let stationEntryKeyPrefixes: [(prefix: String, what: String)] = [
        (EngineKey.redemption.prefix, "redemption"), (EngineKey.hold.prefix, "booking"), (EngineKey.transfer.prefix, "transfer"),
        (EngineKey.donation.prefix, "donation"), (EngineKey.stockDelivery.prefix, "stock delivery"),
    ]

    /// R024's advice for a gift's entry reversed by hand: an admin's undo, which frees the gift limit too.
    static func undoGiftAdvice(_ sequence: Int64) -> String {
        "An admin undoes it instead, while the receiver still holds the points: `timebank reverse \(sequence) --key KEY --reason TEXT` "
            + "signed in as an admin (`TimeBankStore.undoGift`) gives the giver back the lots they came from and frees the gift limit"
    }

    /// Why an entry may not be reversed by hand: it belongs to a receipt, a booking, a refund, a gift or a stock delivery (the
    /// fund's payment for it), which the stations' books count. Returns what it belongs to and what corrects it, or nil for any
    /// other entry. (The fund's own entries, contributions, donations of money and dividends, are reversed by hand: every report
    /// reads them from the ledger, and no other command corrects them.)
    func stationEntryOwner(_ sequence: Int64) throws -> (belongsTo: String, instead: String)? {
        if let number = try database.statement("SELECT number FROM receipts WHERE entry = ?").bind(.integer(sequence)).first({ $0.int64(0) }),
           let receipt = try receipt(number: number) {
            let what = "the redemption of receipt R\(number) (\(Self.summary(receipt)))"
            if let refund = receipt.refund {
                return (what, "It was refunded on \(refund.refundedOn) already (entry #\(refund.entry))")
            }
            return (what, "Refund it instead: `timebank refund R\(number) --reason TEXT` gives the points back to their lots"
                    + (receipt.itemKind == .goods ? ", the goods back to the shelf" : " and frees the slot")
                    + "; after the return window an admin adds --late")
        }
        if let number = try database.statement("SELECT number FROM holds WHERE entry = ?").bind(.integer(sequence)).first({ $0.int64(0) }),
           let hold = try hold(number: number) {
            let what = "the hold of booking B\(number) (\(hold.itemLabel) × \(hold.quantity) for \(hold.volunteer) on \(hold.serviceDate) at \(hold.station))"
            switch hold.state {
            case .held:
                return (what, "Cancel it instead: `timebank cancel B\(number) --reason TEXT` gives the points back and frees the slot")
            case .fulfilled:
                return (what, "It was fulfilled" + (hold.receipt.map { " (receipt R\($0)): refund the receipt instead, `timebank refund R\($0) --reason TEXT`" } ?? ""))
            case .cancelled, .expired:
                return (what, "It was \(hold.state.rawValue) already, and its points went back then")
            }
        }
        if let number = try database.statement("SELECT hold FROM hold_endings WHERE entry = ?").bind(.integer(sequence)).first({ $0.int64(0) }),
           let hold = try hold(number: number) {
            return ("the \(hold.state == .expired ? "expiry" : "cancellation") of booking B\(number)",
                    "An ended booking stays ended: book again with `timebank book` if the volunteer still wants the service")
        }
        if let number = try database.statement("SELECT receipt FROM refunds WHERE entry = ?1 OR hold_entry = ?1")
            .bind(.integer(sequence)).first({ $0.int64(0) }) {
            return ("the refund of receipt R\(number)",
                    "A refund is final: if the volunteer keeps the goods or the service after all, redeem it again with a new key")
        }
        if let gift = try database.statement("SELECT number, giver, recipient, points FROM gifts WHERE entry = ?").bind(.integer(sequence))
            .first({ (number: $0.int64(0), giver: $0.text(1), recipient: $0.optionalText(2), points: $0.int64(3)) }) {
            let points = Hundredths.format(gift.points)
            if let recipient = gift.recipient {
                return ("transfer #\(gift.number) of \(points) points from \(gift.giver) to \(recipient), which counts toward "
                        + "\(gift.giver)'s monthly limit",
                        Self.undoGiftAdvice(sequence))
            }
            return ("donation #\(gift.number) of \(points) points from \(gift.giver) to the community pool, which counts toward "
                    + "\(gift.giver)'s monthly limit", Self.undoGiftAdvice(sequence))
        }
        // A delivery's payment: reversed alone, the fund would show the goods unpaid while they stay on the shelf.
        if let delivery = try database.statement("""
            SELECT o.key, m.station, m.item, m.quantity, m.unit_cost, o.effective_date
            FROM stock_operations o JOIN stock_movements m ON m.operation = o.number WHERE o.entry = ? AND o.kind = 'receive'
            """).bind(.integer(sequence)).first({ (key: $0.text(0), station: $0.text(1), item: $0.text(2), quantity: $0.int64(3),
                                                  unitCost: $0.optionalInt64(4) ?? 0, date: $0.text(5)) }) {
            let paid = Hundredths.format(delivery.unitCost * delivery.quantity)
            return ("the fund's payment of \(paid) CNY for stock delivery \"\(delivery.key)\" (\(delivery.item) +\(delivery.quantity) at "
                    + "\(delivery.station) @ \(Hundredths.format(delivery.unitCost)) CNY, \(delivery.date))",
                    "Correct the delivery on both sides instead: take goods that never arrived off the shelf with `timebank stock adjust "
                    + "--station \(delivery.station) --item \(delivery.item) --qty -N --reason count-correction --key KEY`, and put what the fund "
                    + "paid too much back with `timebank post --from system:outside --to fund:main --cny AMOUNT --kind adjustment "
                    + "--key KEY --memo TEXT`")
        }
        return nil
    }

    /// `大米 5kg × 1 for 张红梅 (V0001), 2026-10-08 at S01`.
    static func summary(_ receipt: Receipt) -> String {
        "\(receipt.itemLabel) × \(receipt.quantity) for \(receipt.volunteerName) (\(receipt.volunteer)), \(receipt.redeemedOn) at \(receipt.station)"
    }
}
