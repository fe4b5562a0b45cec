import TimeBankCore

/// What a transfer or donation did.
public enum TransferOutcome: Hashable, Sendable {
    case created(Gift, Entry)
    /// The key was used before with the same content: nothing was written.
    case exists(Gift, Entry)

    /// The transfer or donation, new or found.
    public var gift: Gift {
        switch self {
        case .created(let gift, _), .exists(let gift, _): gift
        }
    }

    /// The ledger entry that moved the points.
    public var entry: Entry {
        switch self {
        case .created(_, let entry), .exists(_, let entry): entry
        }
    }

    /// True when it was written now, false for a retry that found it.
    public var isNew: Bool {
        if case .created = self { return true }
        return false
    }
}

/// What an admin's undo of a transfer or donation did (`TimeBankStore.undoGift`): the gift, and the reversal of its entry,
/// new (`.created`) or found by a retry (`.exists`).
public struct GiftUndo: Hashable, Sendable {
    public var gift: Gift
    public var outcome: PostOutcome

    public init(gift: Gift, outcome: PostOutcome) {
        self.gift = gift
        self.outcome = outcome
    }
}

extension TimeBankStore {
    /// The community pool (爱心积分) that donations go to.
    public static let poolAccount = Account(id: AccountID(.system, "pool"), name: "Community pool (爱心积分)", floor: 0)

    /// Gives points from one volunteer to another (`to` set) or donates them to the community pool (`to` nil),
    /// within the policy's `[transfers]`: enabled (R016) and at most `max_points_per_month` given away per
    /// volunteer per calendar month, transfers and donations together (R017). The points keep their expiry:
    /// the receiver gets one lot per expiry date the giver's points had. When the policy earns to households,
    /// points move between household accounts. Idempotent by key. Recorded by a signed-in operator or admin.
    @discardableResult
    public func transfer(_ request: TransferRequest, by session: OperatorSession) throws -> TransferOutcome {
        try requireSignedInHere(session)
        try AccessRules.check(session, request.isDonation ? .donate : .transfer)
        try Self.validateClientKey(request.key)
        try RedemptionRules.validateLine(request.memo, field: "memo", allowEmpty: true, maximum: 200)
        let digest = request.contentDigest
        return try writeTransaction {
            if let (gift, stored) = try gift(key: request.key) {
                guard stored == digest else { throw RedemptionError.keyReused(key: request.key, existing: "transfer #\(gift.number)") }
                guard let entry = try entry(sequence: gift.entry) else { throw LedgerError.unknownEntry("#\(gift.entry)") }
                return .exists(gift, entry)
            }
            try Self.validateNewClientKey(request.key, names: .other)
            let policy = try counterPolicy(on: request.date).policy
            // A household id (`H0062`) is not a volunteer mistyped: say so, not "did you mean V0062".
            if try volunteer(request.from) == nil, try household(request.from) != nil {
                throw RedemptionError.giftFromHousehold(request.from, members: try volunteers(household: request.from),
                                                        pooled: policy.accounts.earnTo == .household, donation: request.isDonation)
            }
            let giver = try requireGiftVolunteer(request.from)
            let from = Self.payingAccount(of: giver, policy: policy)
            var to = Self.poolAccount.id
            if let recipientID = request.to {
                // A household id (`H0062`) is not a volunteer mistyped: say so, not "did you mean V0062".
                if try volunteer(recipientID) == nil, try household(recipientID) != nil {
                    throw RedemptionError.transferToHousehold(recipientID, giver: giver.id, members: try volunteers(household: recipientID),
                                                              pooled: policy.accounts.earnTo == .household)
                }
                let recipient = try requireGiftVolunteer(recipientID)
                if recipient.id == giver.id { throw RedemptionError.invalidTransfer("a volunteer cannot give points to themselves") }
                to = Self.payingAccount(of: recipient, policy: policy)
                if to == from { throw RedemptionError.invalidTransfer("\(giver.id) and \(recipient.id) share the pooled account \(to)") }
            }
            let month = LimitWindow(.month, containing: request.date)
            // A gift an admin undid (`undoGift`: its entry reversed) frees the allowance it used.
            let given = try database.statement("""
                SELECT coalesce(sum(points), 0) FROM gifts WHERE giver = ? AND given_on >= ? AND given_on < ?
                AND NOT EXISTS (SELECT 1 FROM entries WHERE reverses = gifts.entry)
                """)
                .bind(.text(giver.id), .text(month.start.description), .text(month.end.description)).first { $0.int64(0) } ?? 0
            try TransferRules.check(policy.transfers, volunteer: giver.id, points: request.points, givenThisMonth: given, on: request.date,
                                    unit: policy.unit)
            let floor = (try? policy.accounts.balanceFloor.hundredths()) ?? 0
            let points = try lotPoints(from, on: request.date)
            if points.spendable - floor < request.points {
                let after = try pointsAfter(from, date: request.date, needed: request.points + floor)
                    .flatMap { $0.expired > 0 || points.creditedLater > 0 ? $0 : nil }
                // A household gives, and the member holds points of their own (earned before the policy earned to
                // households): named, as the counter's R001 names them, with the admin's post that moves them.
                let memberOwn = from.kind == .household ? memberOwnPoints(giver.id, on: request.date) : nil
                throw RedemptionError.insufficientBalance(account: from, spendable: max(0, points.spendable - floor), floor: floor,
                                                          price: request.points, purpose: request.isDonation ? .donation : .transfer,
                                                          creditedLater: points.creditedLater,
                                                          date: points.creditedLater > 0 || after != nil ? request.date : nil, after: after,
                                                          expiredNotYetTaken: try expiredNotYetTaken(from, on: request.date),
                                                          memberOwnPoints: memberOwn, unit: policy.unit)
            }

            // The lots the debit will draw on (the same rule the posting path applies), to credit one lot per expiry.
            var postings = [Posting(account: from, amount: -request.points)]
            if to.isLotTracked(.points) {
                guard let stored = try storedAccount(from) else { throw LedgerError.unknownAccount(from) }
                let lots = try openLots(accountNumber: stored.number, of: from, covering: request.points, on: request.date,
                                        includeExpired: false, preferring: nil, adjustedBy: [:])
                let draw = LedgerRules.drawFromLots(lots, amount: request.points, on: request.date)
                for credit in TransferRules.creditsKeepingExpiry(drawn: draw.allocations, lots: lots) {
                    postings.append(Posting(account: to, amount: credit.amount, lotExpiresOn: credit.expiresOn))
                }
            } else {
                try ensureAccount(Self.poolAccount)
                postings.append(Posting(account: to, amount: request.points))
            }
            let memo = request.memo.isEmpty ? (request.isDonation ? "捐赠爱心积分" : "赠送积分给 \(request.to ?? "")") : request.memo
            let entry = try appendStationEntry(EntryRequest(
                key: (request.isDonation ? EngineKey.donation : EngineKey.transfer).key(request.key), kind: request.isDonation ? .donation : .transfer,
                effectiveDate: request.date, actor: session.operatorID, memo: memo, postings: postings))
            try database.statement("""
                INSERT INTO gifts(key, content_digest, giver, recipient, points, given_on, operator, recorded_at, entry)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(.text(request.key), .blob(digest), .text(giver.id), request.to.map(SQLiteValue.text) ?? .null,
                          .integer(request.points), .text(request.date.description), .text(session.operatorID),
                          .text(entry.recordedAt.description), .integer(entry.sequence)).run()
            let gift = Gift(number: database.lastInsertedRowID, key: request.key, from: giver.id, to: request.to, points: request.points,
                            date: request.date, operatorID: session.operatorID, entry: entry.sequence)
            return .created(gift, entry)
        }
    }

    /// `requireVolunteer` for a giver or receiver: an unknown id typed like a household's (`H0O62`, `H9`) is told of the
    /// nearest household (which then gets R018, saying what to do), not of a volunteer whose id is one letter away (`V0062`,
    /// someone else). R006 either way.
    private func requireGiftVolunteer(_ id: String) throws -> Volunteer {
        let reading = StationReference.readingForm(id)
        if try volunteer(id) == nil, try volunteer(reading) == nil, reading.uppercased().hasPrefix("H") {
            let near = try household(reading)?.id ?? Spelling.nearest(to: reading, among: try households().map(\.id))
            throw RedemptionError.unknownVolunteer(id, suggestion: near)
        }
        return try requireVolunteer(id)
    }

    /// An admin undoes a mistaken transfer or donation of points (the receiver typed wrong: V0145 for V0154) while the
    /// receiver still holds them: the ledger's reversal of the gift's entry, linked to it (append-only, in the hash chain,
    /// idempotent by `key`), which gives the giver back the very lots the points came from, with their expiry dates, and takes
    /// them from the lots the gift opened for the receiver (for a donation: from the community pool). The gift then counts
    /// no more toward the giver's monthly limit. `reason` is the reversal's memo.
    ///
    /// Refused: anyone but an admin (O003); an entry that is not a gift's (R018); a gift undone already, or whose points the
    /// receiver no longer holds in full (spent, or taken by the nightly expiry) (R031, which says what to do); a date before
    /// the gift's (L018). The same undo again (same key, reason and date) returns it; other content under its key is L005.
    ///
    ///     try store.undoGift(entry: 17, key: "undo-gift-17", reason: "V0145 typed for V0154", by: admin, on: today)
    @discardableResult
    public func undoGift(entry sequence: Int64, key: String, reason: String, by session: OperatorSession, on date: LocalDate) throws -> GiftUndo {
        try requireSignedInHere(session)
        try AccessRules.check(session, .administer, doing: "undo a gift of points")
        try RedemptionRules.validateLine(reason, field: "reason", allowEmpty: false, maximum: 200)
        try LedgerRules.validateKeyTypedByHand(key)
        return try writeTransaction {
            guard let gift = try gift(ofEntry: sequence) else {
                throw RedemptionError.invalidTransfer("entry #\(sequence) is not a transfer or donation of points: `timebank entry show \(sequence)`")
            }
            let unit = policyUnit(on: gift.date) ?? PointsUnit.unnamed
            let points = Hundredths.format(gift.points)
            let described = (gift.to == nil ? "donation #\(gift.number) of \(points) \(unit) from \(gift.from) to the community pool"
                : "transfer #\(gift.number) of \(points) \(unit) from \(gift.from) to \(gift.to ?? "")") + " (entry #\(gift.entry))"
            func undo() throws -> GiftUndo {
                GiftUndo(gift: gift, outcome: try reverse(sequence: gift.entry, key: key, actor: session.operatorID, memo: reason, on: date,
                                                          asStationOperation: true))
            }
            if let by = try reversal(of: gift.entry), let undone = try entry(sequence: by) {
                guard undone.key == key else {
                    throw RedemptionError.giftNotUndoable(gift: described, reason: "it was undone already, by entry #\(by) on \(undone.effectiveDate) "
                        + "by \(undone.actor) (\(undone.memo)), so its points are back with \(gift.from); nothing more to do (`timebank entry show \(by)`)")
                }
                // A retry under the same key: the same content returns it; another reason or date is L005, not "undone already".
                do { return try undo() } catch LedgerError.alreadyReversed { throw LedgerError.existsWithDifferentContent(key: key, sequence: by) }
            }
            guard let original = try entry(sequence: gift.entry) else { throw LedgerError.unknownEntry("#\(gift.entry)") }
            // What the receiver still holds of it: what is left in the lots the gift opened (the pool keeps no lots: its balance).
            var held: Int64 = 0
            var receiver = Self.poolAccount.id
            for (index, posting) in original.postings.enumerated() where posting.amount > 0 {
                receiver = posting.account
                let left = posting.account.isLotTracked(.points)
                    ? try database.statement("SELECT remaining FROM lots WHERE entry = ? AND idx = ?")
                        .bind(.integer(gift.entry), .integer(Int64(index))).first { $0.int64(0) } ?? 0
                    : try balance(posting.account)
                held += max(0, min(left, posting.amount))
            }
            if held < gift.points {
                let short = Hundredths.format(gift.points - held), kept = Hundredths.format(held)
                guard let to = gift.to else {
                    throw RedemptionError.giftNotUndoable(gift: described, reason: "the community pool holds \(kept) \(unit) of it, "
                        + "\(short) short (given out of the pool since)"
                        + (held > 0 ? "; an admin gives back what it holds: `timebank post --from system:pool --to \(gift.from) --points \(kept) "
                            + "--kind adjustment --key KEY --memo TEXT`" : ""))
                }
                throw RedemptionError.giftNotUndoable(gift: described, reason: "\(receiver) holds \(kept) \(unit) of the points it gave; \(short) "
                    + "were spent or have expired since (`timebank lots \(receiver.owner) --all`)"
                    + (held > 0 ? "; with \(to)'s consent, they give back what they hold: `timebank transfer --from \(to) --to \(gift.from) "
                        + "--points \(kept) --key KEY`" : "; nothing of it is left to give back"))
            }
            return try undo()
        }
    }

    /// The transfer or donation whose points `sequence` moved; nil for any other entry.
    public func gift(ofEntry sequence: Int64) throws -> Gift? {
        try database.statement("SELECT key FROM gifts WHERE entry = ?").bind(.integer(sequence)).first { $0.text(0) }
            .flatMap { try gift(key: $0)?.0 }
    }

    /// The transfer or donation under a client key, with its content digest.
    private func gift(key: String) throws -> (Gift, [UInt8])? {
        try database.statement("""
            SELECT number, key, giver, recipient, points, given_on, operator, entry, content_digest FROM gifts WHERE key = ?
            """).bind(.text(key)).first { row in
            guard let date = LocalDate(row.text(5)) else { throw StoredDataError(sequence: nil, detail: "transfer #\(row.int64(0)) has no date") }
            return (Gift(number: row.int64(0), key: row.text(1), from: row.text(2), to: row.optionalText(3), points: row.int64(4),
                         date: date, operatorID: row.text(6), entry: row.int64(7)), row.blob(8))
        }
    }
}
