import TimeBankCore

extension TimeBankStore {
    /// Corrects a mistake by posting a compensating entry linked to the original: every posting negated,
    /// points taken from lots given back to those same lots, and points that opened a lot taken back from it
    /// first. An entry is reversed at most once; a reversal is never reversed. Idempotent by `key`.
    ///
    /// An entry of the stations' books (a receipt's redemption, a booking's hold or ending, a refund, a transfer or donation
    /// of points, the fund's payment for a stock delivery) is refused with R024, which names what corrects it (`refund`,
    /// `cancel`, an admin's `undoGift`, a stock adjustment and a payment back): reversed by hand, receipts, stock, bookings and
    /// gift limits would go on counting it. The key is a person's, so one that starts with a prefix the engine reserves
    /// (`release:`, `refund:`, ... `EngineKey`) is refused (L021).
    @discardableResult
    public func reverse(sequence: Int64, key: String, actor: String, memo: String, on date: LocalDate) throws -> PostOutcome {
        // A reason typed by a person, as in `postByHand`.
        if let problem = TerminalText.bidirectionalControlProblem(memo) { throw LedgerError.invalidText(field: "memo", reason: problem) }
        return try reverse(sequence: sequence, key: key, actor: actor, memo: memo, on: date, asStationOperation: false)
    }

    /// L026: a reversal gives an expiry's points back to the lots they came from; when every one of them has expired by the
    /// reversal's date, the next nightly expiry takes them again, and the reversal gives nothing that can be spent. (An expiry
    /// typed by hand that took points from lots still open is reversed as any entry.)
    private func refuseUselessExpiryReversal(_ original: Entry, on date: LocalDate) throws {
        for (index, posting) in original.postings.enumerated() where posting.amount < 0 && posting.account.isLotTracked(posting.asset) {
            let drawn = Set(original.allocations.filter { $0.postingIndex == index && $0.amount > 0 }.map(\.lotID))
            let lots = try lots(of: posting.account).filter { drawn.contains($0.id) }
            guard !lots.isEmpty, lots.allSatisfy({ $0.expiresOn.map { $0 <= date } ?? false }), let expiredOn = lots.compactMap(\.expiresOn).max() else {
                continue
            }
            throw LedgerError.expiryReversalUseless(sequence: original.sequence, account: posting.account, amount: -posting.amount,
                                                    expiredOn: expiredOn, lotCount: lots.count,
                                                    unit: policyUnit(on: date) ?? PointsUnit.unnamed)
        }
    }

    /// `reverse`; `asStationOperation` is for the station writes that reverse their own entries (a refund, a cancellation,
    /// a lapsed hold) together with their tables, in the caller's transaction.
    func reverse(sequence: Int64, key: String, actor: String, memo: String, on date: LocalDate, asStationOperation: Bool) throws -> PostOutcome {
        try writeTransaction {
            guard let original = try entry(sequence: sequence) else { throw LedgerError.unknownEntry("#\(sequence)") }
            let request = EntryRequest(
                key: key, kind: .reversal, effectiveDate: date, actor: actor,
                memo: memo.isEmpty ? "reverses #\(sequence)" : memo,
                postings: original.postings.map { Posting(account: $0.account, asset: $0.asset, amount: -$0.amount) })
            try LedgerRules.validate(request)
            let digest = hasher.hash(EntryEncoding.contentPreimage(of: request, reverses: sequence))
            // A retry of this very reversal returns it, before the "already reversed" rule is applied.
            if let existing = try entry(key: key), existing.contentDigest == digest { return .exists(existing) }
            // A key the engine reserves (`release:B1`), taken by a reversal by hand, would stop the engine's own write (L021).
            if !asStationOperation { try LedgerRules.validateKeyTypedByHand(key) }
            if !asStationOperation, let owner = try stationEntryOwner(sequence) {
                throw RedemptionError.stationEntry(sequence: sequence, belongsTo: owner.belongsTo, instead: owner.instead)
            }
            if original.kind == .reversal { throw LedgerError.cannotReverseReversal(sequence: sequence) }
            guard date >= original.effectiveDate else {
                throw LedgerError.reversalDatedBefore(sequence: sequence, date: date, originalDate: original.effectiveDate)
            }
            if let by = try reversal(of: sequence) {
                throw LedgerError.alreadyReversed(sequence: sequence, by: by)
            }
            if !asStationOperation, original.kind == .expiry { try refuseUselessExpiryReversal(original, on: date) }
            var plan = LotPlan(reverses: sequence)
            for (index, posting) in original.postings.enumerated() where posting.account.isLotTracked(posting.asset) {
                if posting.amount < 0 {
                    plan.restores[index] = original.allocations
                        .filter { $0.postingIndex == index && $0.amount > 0 }
                        .map { ($0.lotID, $0.amount) }
                } else if let lotID = try statement(.lotOpenedBy)
                    .bind(.integer(sequence), .integer(Int64(index))).first({ $0.int64(0) }) {
                    plan.preferredLot[index] = lotID
                }
            }
            return try appendLocked(request, digest: digest, plan: plan)
        }
    }
}
