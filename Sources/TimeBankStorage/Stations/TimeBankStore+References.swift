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
        guard let first = found.first else { throw RedemptionError.unknownReceipt(reference) }
        guard found.count == 1 else {
            throw RedemptionError.ambiguousReference(
                reference: reference, what: "receipts",
                candidates: found.map { "R\($0.receipt.number) (\($0.how): \(Self.summary($0.receipt)))" },
                numbers: found.map(\.receipt.number))
        }
        return first.receipt
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

    /// `大米 5kg × 1 for 张红梅 (V0001), 2026-10-08 at S01`.
    static func summary(_ receipt: Receipt) -> String {
        "\(receipt.itemLabel) × \(receipt.quantity) for \(receipt.volunteerName) (\(receipt.volunteer)), \(receipt.redeemedOn) at \(receipt.station)"
    }
}
