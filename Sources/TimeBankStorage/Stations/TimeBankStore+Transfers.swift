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
            let given = try database.statement("SELECT coalesce(sum(points), 0) FROM gifts WHERE giver = ? AND given_on >= ? AND given_on < ?")
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
