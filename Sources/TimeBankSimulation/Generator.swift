import TimeBankCore

/// Chooses the simulation's operations from one seed: a random mix of valid and invalid requests over the
/// model's current state (it never looks at the engine). The same seed and options give the same operations.
struct Generator {
    var random: SimulationRandom
    /// Recent operations, for retries with the same key (and reuses of a key with other content).
    private var recentPosts: [PostOperation] = []
    private var recentRedemptions: [RedeemOperation] = []
    private var recentBaskets: [RedeemBasketOperation] = []
    private var recentBookings: [BookOperation] = []
    private var recentGifts: [TransferOperation] = []
    private var recentStock: [ReceiveStockOperation] = []
    private var recentCounts: [CountStockOperation] = []
    /// A stocktake written under `BASE/ITEM`, whose `BASE` a later stocktake then takes: its correction's key is that
    /// stocktake's (K006).
    private var stocktakeUnderCorrectionKey: (base: String, station: String, item: String)?
    /// Recent fund writes (contributions, donations, dividends), for exact retries.
    var recentFundWrites: [any SimulatedOperation] = []
    /// Whether the engine has each optional operation (settlement, fund) in this build.
    var features: EngineFeatures
    /// The number of the last record id written.
    private var recordNumber = 0

    mutating func nextRecordNumber() -> Int {
        recordNumber += 1
        return recordNumber
    }

    init(seed: UInt64, features: EngineFeatures) {
        random = SimulationRandom(seed: seed)
        self.features = features
    }

    static let stationIDs = ["S1", "S2", "S3", "S4"]
    static let volunteerLimit = 150
    static let householdLimit = 40
    static let policyVersionLimit = 24

    static func remember<T>(_ operation: T, in list: inout [T]) {
        list.append(operation)
        if list.count > 24 { list.removeFirst() }
    }

    /// One of `recent` sent again: with `retryChance` as it was (`NAME.retry`: the engine finds it written), else under the
    /// same key with its content `changed` (`NAME.reuse-key`: refused).
    private mutating func sentAgain<Operation: SimulatedOperation>(_ recent: [Operation], as name: String, retryChance: Double,
                                                                   changed: (inout Operation) -> Void) -> Operation {
        var operation = random.pick(recent)
        if random.chance(retryChance) {
            operation.name = "\(name).retry"
        } else {
            operation.name = "\(name).reuse-key"
            changed(&operation)
        }
        return operation
    }

    // MARK: Time

    /// How far the clock moves before the next operation: a few minutes, now and then to the next morning,
    /// rarely several days.
    mutating func nextTime(after now: Timestamp) -> Timestamp {
        let minute: Int64 = 60_000
        if random.chance(1.0 / 150) {
            let localDay = (now.millisecondsSinceEpoch + Int64(SimModel.utcOffsetMinutes) * minute) / 86_400_000
            let days = random.chance(0.02) ? Int64(random.int(in: 2...6)) : 1
            // 08:00 local + up to an hour.
            return Timestamp(millisecondsSinceEpoch: (localDay + days) * 86_400_000 - Int64(SimModel.utcOffsetMinutes) * minute
                             + 8 * 60 * minute + Int64(random.int(in: 0...60)) * minute)
        }
        return Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + Int64(random.int(in: 0...4)) * minute
                         + Int64(random.int(in: 0...59)) * 1_000)
    }

    // MARK: Operations

    enum Kind: CaseIterable {
        case award, penalty, badPost, retryPost, reusePostKey, reverse, expire
        case redeem, book, fulfil, cancel, refund, transfer, receiveStock, adjustStock, moveStock, countStock
        case addVolunteer, addHousehold, activatePolicy
        case importRecords, decideRecords, settle, contribute, dividend
    }

    func weight(_ kind: Kind) -> Int {
        switch kind {
        case .award: 120
        case .penalty: 25
        case .badPost: 12
        case .retryPost: 12
        case .reusePostKey: 6
        case .reverse: 12
        case .expire: 15
        case .redeem: 200
        case .book: 70
        case .fulfil: 30
        case .cancel: 10
        case .refund: 40
        case .transfer: 50
        case .receiveStock: 55
        case .adjustStock: 15
        case .moveStock: 25
        case .countStock: 10
        case .addVolunteer: 10
        case .addHousehold: 3
        case .activatePolicy: 1
        case .importRecords: features.records ? 40 : 0
        case .decideRecords: features.records ? 20 : 0
        case .settle: features.settlement ? 1 : 0
        case .contribute: features.fund ? 8 : 0
        case .dividend: features.fund ? 2 : 0
        }
    }

    /// The next operation, over the model's state at `step`.
    mutating func next(step: Int, model: SimModel) -> any SimulatedOperation {
        let kinds = Kind.allCases
        while true {
            let kind = kinds[random.weighted(kinds.map(weight))]
            if let operation = make(kind, step: step, model: model) { return operation }
        }
    }

    private func key(_ prefix: String, _ step: Int) -> String { "\(prefix)-\(step)" }

    /// A key under a prefix the engine writes its own entries under (docs/ledger.md, "Keys"): L021 when a person gives it.
    private mutating func reservedKey(_ step: Int) -> String {
        random.pick(SimModel.enginePrefixes) + random.pick(["B\(step)", "S1-\(step)", "2026-01-05:volunteer:V1", "fix-\(step)"])
    }

    /// A key that only looks like an engine's: another case, the prefix without its colon or with a letter more, the prefix
    /// later in the key, the simulator's own `expire:`, the receipts' `booking:` (a receipt's prefix, not a ledger entry's).
    private mutating func nearMissKey(_ step: Int) -> String {
        let prefix = random.pick(SimModel.enginePrefixes)
        let word = prefix.dropLast()
        return random.pick(["\(word.uppercased()):\(step)", "\(word.prefix(1).uppercased() + word.dropFirst()):\(step)", "\(word)-\(step)",
                            "\(word)s:\(step)", "fix-\(prefix)\(step)", "expire:x-\(step)", "booking:\(step)", "\(word)\u{FF1A}\(step)"])
    }

    /// The key of a redemption or basket: mostly the counter's own; now and then one under `booking:`, the prefix of a
    /// fulfilled booking's receipt (R026 when new), one that only looks like it, or one with white space at an edge (L010).
    private mutating func receiptKey(_ prefix: String, _ step: Int, model: SimModel) -> String {
        let plain = key(prefix, step)
        let roll = random.int(in: 0...199)
        if roll < 3 { return SimModel.bookingReceiptPrefix + plain }
        if roll < 5 { return random.pick(["Booking:", "booking-", "bookings:", "booking\u{FF1A}", "re-booking:"]) + plain }
        if roll < 7 { return spacedKey(plain) }
        // Reads as a receipt or booking number (R023), or nearly (a key of its own).
        if roll < 9 { return random.pick(["R\(step)", "b\(step)", "\u{FF32}\u{FF11}\(step)", "number: \(step)", "#\(step)",
                                          "RB\(step)", "R-\(step)", "R\(step)x"]) }
        return plain
    }

    /// A booking's lapse time (`--hold-minutes`): mostly none (the end of the service day). For today, minutes to hours from
    /// now (past the service day's end: R030), or days (R030: the CLI takes up to a year). For a later day, around the start of
    /// the service day: at or before it R027, after it a hold that lapses during the service day. Now and then one in the past (R025).
    private mutating func holdExpiry(serviceDate: LocalDate, now: Timestamp) -> Timestamp? {
        let roll = random.int(in: 0...99)
        guard roll < 15 else { return nil }
        let minute: Int64 = 60_000
        if roll < 1 { return Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - Int64(random.int(in: 0...30)) * minute) }
        let dayStarts = SimModel.defaultHoldExpiry(serviceDate: serviceDate.adding(days: -1)).millisecondsSinceEpoch
        if dayStarts <= now.millisecondsSinceEpoch {
            let minutes = roll < 12 ? Int64(random.int(in: 1...240)) : Int64(random.int(in: 1...3)) * 1_440
            return Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + minutes * minute)
        }
        let offset = random.pick([-3_600_000, -60_000, -1, 0, 0, 1, 60_000, 3_600_000, 12 * 3_600_000] as [Int64])
        return Timestamp(millisecondsSinceEpoch: dayStarts + offset)
    }

    /// `key` with white space at its start or end, as a program might send it (L010 for a new write).
    private mutating func spacedKey(_ key: String) -> String {
        random.pick([" " + key, key + " ", key + "\u{3000}", "\t" + key, "\u{3000}"])
    }

    private mutating func anyVolunteer(_ model: SimModel, unknown: Double = 0.02) -> String {
        if random.chance(unknown) || model.volunteerIDs.isEmpty { return "V999" }
        return model.volunteerIDs[random.int(in: 0...(model.volunteerIDs.count - 1))]
    }

    private mutating func anyStation(unknown: Double = 0.0) -> String {
        random.chance(unknown) ? "S9" : random.pick(Self.stationIDs)
    }

    /// The station's own operator mostly; sometimes an admin, another station's operator (O004) or the auditor (O003).
    private mutating func operatorAt(_ station: String) -> SessionRef {
        let roll = random.int(in: 0...99)
        if roll < 84, Self.stationIDs.contains(station) { return SessionRef(id: "op-\(station)") }
        if roll < 96 { return SessionRef(id: "sim-admin") }
        if roll < 99 { return SessionRef(id: "op-\(random.pick(Self.stationIDs.filter { $0 != station }))") }
        return SessionRef(id: "sim-auditor")
    }

    /// An item of `kind` (any kind when nil), now and then one the catalog lacks. With `for`, one the volunteer may have on
    /// `date`: a volunteer under 60 is not offered the checkup (for over-60s only), as an operator would not, so that a
    /// booking or redemption mostly exercises what comes after eligibility (before, about 28% of bookings were R004).
    /// A volunteer the model does not know (V999, refused for that) may be offered any item.
    private mutating func itemID(_ model: SimModel, kind: SimulatedItem.Kind?, for volunteer: String? = nil, on date: LocalDate? = nil) -> String {
        if random.chance(0.02) { return "caviar" }
        let all = SimulatedPolicy.initial(effective: model.today).items
        var wanted = kind.map { kind in all.filter { $0.kind == kind } } ?? all
        if let volunteer = volunteer.flatMap({ model.volunteers[$0] }), let date, !Self.isSenior(volunteer, on: date) {
            wanted = wanted.filter { !$0.seniorsOnly }
        }
        return random.pick(wanted).id
    }

    /// An item of `kind` the volunteer may not have on `date` (the checkup, for a volunteer under 60 or without a birth
    /// date), or nil when there is none: a deliberate R004, counted under a name of its own.
    private mutating func ineligibleItemID(_ model: SimModel, kind: SimulatedItem.Kind?, for volunteer: String, on date: LocalDate) -> String? {
        guard let known = model.volunteers[volunteer], !Self.isSenior(known, on: date) else { return nil }
        let items = SimulatedPolicy.initial(effective: model.today).items.filter { $0.seniorsOnly && (kind == nil || $0.kind == kind) }
        return items.isEmpty ? nil : random.pick(items).id
    }

    /// Whether the volunteer meets the catalog's seniors-only condition on `date` (`volunteer.age >= 60`).
    private static func isSenior(_ volunteer: ModelVolunteer, on date: LocalDate) -> Bool {
        volunteer.birthDate.map { SimModel.age(of: $0, on: date) >= 60 } ?? false
    }

    private mutating func quantity() -> Int {
        let roll = random.int(in: 0...99)
        return roll < 80 ? 1 : roll < 98 ? random.int(in: 2...3) : 0
    }

    private mutating func lotExpiry(_ today: LocalDate) -> LocalDate? {
        let roll = random.int(in: 0...99)
        if roll < 20 { return nil }
        if roll < 40 { return today.adding(days: random.int(in: 1...10)) }
        return today.adding(days: random.int(in: 20...120))
    }

    private mutating func make(_ kind: Kind, step: Int, model: SimModel) -> (any SimulatedOperation)? {
        let today = model.today
        switch kind {
        case .award:
            let volunteer = anyVolunteer(model, unknown: 0)
            let amount = Int64(random.int(in: 1...120)) * 50
            let operation = PostOperation(name: "award", key: key("award", step), kind: .award, date: today, memo: "服务 \(step)", postings: [
                ModelPosting(account: .volunteer(volunteer), amount: amount, lotExpiresOn: lotExpiry(today)),
                ModelPosting(account: .issuance, amount: -amount),
            ])
            Self.remember(operation, in: &recentPosts)
            return operation

        case .penalty:
            let volunteer = anyVolunteer(model, unknown: 0)
            let amount = Int64(random.int(in: 1...60)) * 50
            let operation = PostOperation(name: "penalty", key: key("penalty", step), kind: .penalty, date: today, memo: "缺席 \(step)", postings: [
                ModelPosting(account: .issuance, amount: amount), ModelPosting(account: .volunteer(volunteer), amount: -amount),
            ])
            Self.remember(operation, in: &recentPosts)
            return operation

        case .badPost:
            let volunteer = AccountID.volunteer(anyVolunteer(model, unknown: 0))
            var operation = PostOperation(name: "post.bad", key: key("bad", step), kind: .award, date: today, memo: "bad", postings: [
                ModelPosting(account: volunteer, amount: 100), ModelPosting(account: .issuance, amount: -100),
            ])
            switch random.int(in: 0...9) {
            case 0: operation.postings[0].amount = 0; operation.postings[1].amount = 0
            case 1: operation.postings[1].amount = -101
            case 2: operation.postings[0].account = .volunteer("NOPE")
            case 3: operation.memo = random.chance(0.5) ? "两行\n备注" : "\u{202E}备注"   // a line break, a bidirectional override (L014)
            case 4: operation.key = ""
            case 5:   // reads as an entry number (L022), or nearly (written)
                operation.key = random.pick([String(step), "#\(step)", "\u{FF03}\(step)", "number: \(step)", "NUMBER:\(step)",
                                             "\u{FF11}\(step)", "n\(step)", "#\(step)a", "R\(step)"])
            case 6: operation.postings = [ModelPosting(account: .station("S1"), amount: 100, lotExpiresOn: today),
                                          ModelPosting(account: .issuance, amount: -100)]
            case 7: operation.key = reservedKey(step)   // an engine prefix (L021)
            case 8:
                switch random.int(in: 0...4) {
                case 0: operation.key = spacedKey("bad-\(step)")   // white space at an edge (L010)
                case 1: operation.postings.removeLast()           // one posting (L002)
                case 2: operation.postings[1].account = volunteer   // moves nothing (L016)
                case 3:
                    // --from and --to swapped: an award taking points, or a penalty giving them (L025).
                    if random.chance(0.5) {
                        operation.postings = [ModelPosting(account: volunteer, amount: -100), ModelPosting(account: .issuance, amount: 100)]
                    } else {
                        operation.kind = .penalty   // the award's own postings: the volunteer credited
                    }
                default:
                    // A lot expiring before its credit, or on its day (by hand: never usable either), L019. (By the step, so
                    // that the seeded stream of choices stays as it was.)
                    operation.postings[0].lotExpiresOn = step % 2 == 0 ? today.adding(days: -1) : today
                }
            default:
                // A key like an engine's that is a person's all the same: written, and remembered for retries.
                operation.name = "post.key-near-miss"
                operation.key = nearMissKey(step)
                Self.remember(operation, in: &recentPosts)
            }
            return operation

        case .retryPost:
            guard !recentPosts.isEmpty else { return nil }
            var operation = random.pick(recentPosts)
            operation.name = "post.retry"
            return operation

        case .reusePostKey:
            guard !recentPosts.isEmpty else { return nil }
            var operation = random.pick(recentPosts)
            operation.name = "post.reuse-key"
            operation.postings = operation.postings.map { var posting = $0; posting.amount *= 2; return posting }
            return operation

        case .reverse:
            if random.chance(0.05) || model.correctable.isEmpty {
                return ReverseOperation(sequence: model.entryCount + 3, key: key("rev", step), date: today, accounts: [])
            }
            // An award or a penalty: what a hand reversal may reverse (gifts and the stations' entries are R024 on both sides,
            // so they are never asked for).
            let sequence = random.pick(model.correctable)
            let accounts = model.entries[sequence]?.postings.map(\.account) ?? []
            // Reversed already: now and then the same reversal again (a retry), its reversal (L009), or another key (L008).
            if let reversal = model.reversedBy[sequence] {
                if random.chance(0.1), let reused = model.ledgerKeys.first(where: { $0.value.sequence == reversal })?.key {
                    return ReverseOperation(sequence: sequence, key: reused, date: today, accounts: accounts)
                }
                if random.chance(0.2) { return ReverseOperation(sequence: reversal, key: key("rev", step), date: today, accounts: accounts) }
            }
            // Now and then a key under an engine prefix (L021) or one that only looks like it (written).
            let roll = random.int(in: 0...99)
            let reverseKey = roll < 4 ? reservedKey(step) : roll < 8 ? nearMissKey(step) : roll < 10 ? spacedKey(key("rev", step)) : key("rev", step)
            // Now and then dated before the entry it reverses (L018).
            let date = random.chance(0.03) ? (model.entries[sequence]?.date ?? today).adding(days: -1) : today
            return ReverseOperation(sequence: sequence, key: reverseKey, date: date, accounts: accounts)

        case .expire:
            // Candidates: a few volunteers; the one with the most expired points.
            var best: (AccountID, Int64)?
            for _ in 0..<4 {
                let account = AccountID.volunteer(anyVolunteer(model, unknown: 0))
                let points = model.expiredPoints(account, on: today)
                if points > 0, points > (best?.1 ?? 0) { best = (account, points) }
            }
            guard let (account, points) = best else { return nil }
            return PostOperation(name: "expire", key: "expire:\(account.owner):\(today)", kind: .expiry, date: today,
                                 memo: "过期", postings: [ModelPosting(account: account, amount: -points),
                                                         ModelPosting(account: .expired, amount: points)], byHand: false)

        case .redeem:
            if !recentRedemptions.isEmpty, random.chance(0.1) {
                return sentAgain(recentRedemptions, as: "redeem", retryChance: 0.7) { $0.quantity += 1 }
            }
            if !recentBaskets.isEmpty, random.chance(0.05) {
                return sentAgain(recentBaskets, as: "basket", retryChance: 0.6) { operation in
                    operation.lines[operation.lines.count - 1].quantity += 1
                }
            }
            if random.chance(0.01), model.receiptCount > 0 {
                // The key of a fulfilled booking's receipt (`booking:` and the booking's key) found by a redemption: the same
                // content is that receipt again (a retry: exists), another quantity R008. Nothing new is written under it.
                let recent = (max(1, model.receiptCount - 40)...model.receiptCount).compactMap { model.receipts[$0] }
                if let receipt = recent.last(where: { $0.key.hasPrefix(SimModel.bookingReceiptPrefix) }) {
                    return RedeemOperation(name: "redeem.booking-receipt", key: receipt.key, station: receipt.station, volunteer: receipt.volunteer,
                                           item: receipt.item, quantity: receipt.quantity + (random.chance(0.5) ? 0 : 1), date: today,
                                           session: SessionRef(id: "sim-admin"))
                }
            }
            if random.chance(0.15) {
                let station = anyStation(unknown: 0.01)
                var lines: [(item: String, quantity: Int)] = []
                let volunteer = anyVolunteer(model)
                for _ in 0..<random.int(in: 2...3) {
                    var item = itemID(model, kind: nil, for: volunteer, on: today)
                    // Mostly items not yet in the basket; now and then one twice (R029).
                    for _ in 0..<4 where lines.contains(where: { $0.item == item }) && !random.chance(0.1) {
                        item = itemID(model, kind: nil, for: volunteer, on: today)
                    }
                    lines.append((item, quantity()))
                }
                let operation = RedeemBasketOperation(name: "basket", key: receiptKey("B-\(station)", step, model: model), station: station,
                                                      volunteer: volunteer, lines: lines, date: today, session: operatorAt(station))
                Self.remember(operation, in: &recentBaskets)
                return operation
            }
            let station = anyStation(unknown: 0.01)
            let volunteer = anyVolunteer(model)
            // As a booking: mostly an item the volunteer may have, now and then on purpose one they may not (redeem.ineligible).
            let ineligible = random.chance(0.03) ? ineligibleItemID(model, kind: nil, for: volunteer, on: today) : nil
            let operation = RedeemOperation(name: ineligible == nil ? "redeem" : "redeem.ineligible",
                                            key: receiptKey("S-\(station)", step, model: model), station: station,
                                            volunteer: volunteer, item: ineligible ?? itemID(model, kind: nil, for: volunteer, on: today),
                                            quantity: quantity(), date: today, session: operatorAt(station))
            if ineligible == nil { Self.remember(operation, in: &recentRedemptions) }
            return operation

        case .book:
            if !recentBookings.isEmpty, random.chance(0.08) {
                var operation = random.pick(recentBookings)
                operation.name = "book.retry"
                return operation
            }
            let station = anyStation()
            // Half of them for today, the rest up to 3 days ahead (and now and then yesterday, R025): a booking for a later day
            // must outlive the cancels and the lapses of the days before it to be fulfilled.
            let serviceDate = random.chance(0.02) ? today.adding(days: -1) : random.chance(0.5) ? today : today.adding(days: random.int(in: 1...3))
            let volunteer = anyVolunteer(model)
            let kind: SimulatedItem.Kind = random.chance(0.03) ? .goods : .service
            // Mostly a service the volunteer may have; now and then, on purpose, one they may not (R004: book.ineligible).
            let ineligible = random.chance(0.04) ? ineligibleItemID(model, kind: kind, for: volunteer, on: serviceDate) : nil
            let operation = BookOperation(name: ineligible == nil ? "book" : "book.ineligible",
                                          key: random.chance(0.01) ? spacedKey(key("B-\(station)", step)) : key("B-\(station)", step),
                                          station: station, volunteer: volunteer,
                                          item: ineligible ?? itemID(model, kind: kind, for: volunteer, on: serviceDate), quantity: quantity(),
                                          date: today, serviceDate: serviceDate, expiresAt: holdExpiry(serviceDate: serviceDate, now: model.now),
                                          session: operatorAt(station))
            if ineligible == nil { Self.remember(operation, in: &recentBookings) }
            return operation

        case .fulfil:
            return makeFulfil(model: model)

        case .cancel:
            let number: Int64
            let roll = random.int(in: 0...99)
            if roll < 80, let active = model.activeHolds.randomElement(using: &random) {
                number = active
            } else if roll < 95, model.holdCount > 0 {
                number = Int64(random.int(in: max(1, Int(model.holdCount) - 20)...Int(model.holdCount)))
            } else {
                number = model.holdCount + 7
            }
            let hold = model.holds[number]
            return CancelOperation(hold: number, reason: random.chance(0.03) ? " " : "改期", date: today, session: operatorAt(hold?.station ?? "S1"),
                                   accounts: hold.map { [AccountID.volunteer($0.volunteer), .station($0.station)] } ?? [])

        case .refund:
            var name = "refund"
            let number: Int64
            let roll = random.int(in: 0...99)
            // Now and then the receipt of a fulfilled booking (its hold's entry is reversed too), when there is a recent one.
            let fulfilled = roll < 12 && model.receiptCount > 0
                ? (max(1, model.receiptCount - 60)...model.receiptCount).filter { model.receipts[$0]?.hold != nil } : []
            if !fulfilled.isEmpty {
                name = "refund.booking-receipt"
                number = random.pick(fulfilled)
            } else if roll < 85, model.receiptCount > 0 {
                number = Int64(random.int(in: max(1, Int(model.receiptCount) - 30)...Int(model.receiptCount)))
            } else if roll < 95, model.receiptCount > 0 {
                number = Int64(random.int(in: 1...Int(model.receiptCount)))
            } else {
                number = model.receiptCount + 5
            }
            let receipt = model.receipts[number]
            let reason = random.int(in: 0...99) < 92 ? "破损" : random.chance(0.5) ? "again" : ""
            return RefundOperation(
                name: name, receipt: number, reason: reason, date: today, session: operatorAt(receipt?.station ?? "S1"),
                accounts: receipt.map { [AccountID.volunteer($0.volunteer), .station($0.station)] } ?? [],
                shelves: receipt.map { [StockKey(station: $0.station, item: $0.item)] } ?? [])

        case .transfer:
            if !recentGifts.isEmpty, random.chance(0.08) {
                return sentAgain(recentGifts, as: "gift", retryChance: 0.6) { $0.points += 100 }
            }
            let from = anyVolunteer(model, unknown: 0.01)
            let donate = random.chance(0.3)
            var to: String? = donate ? nil : anyVolunteer(model, unknown: 0.02)
            if to == from, random.chance(0.8) { to = model.volunteerIDs.first { $0 != from } }
            let session = random.chance(0.98) ? SessionRef(id: random.chance(0.5) ? "sim-admin" : "op-\(random.pick(Self.stationIDs))")
                                              : SessionRef(id: "sim-auditor")
            let operation = TransferOperation(name: donate ? "donate" : "transfer", key: random.chance(0.01) ? spacedKey(key("G", step)) : key("G", step),
                                              from: from, to: to,
                                              points: random.chance(0.01) ? 0 : Int64(random.int(in: 1...60)) * 50,
                                              memo: random.chance(0.02) ? "一\n二" : "", date: today, session: session)
            Self.remember(operation, in: &recentGifts)
            return operation

        case .receiveStock:
            if !recentStock.isEmpty, random.chance(0.06) {
                var operation = sentAgain(recentStock, as: "stock.receive", retryChance: 0.5) { $0.quantity += 1 }
                // Now and then the retry types the catalog's unit cost, or leaves out the one typed (the same delivery
                // when the catalog's is that cost).
                if operation.name.hasSuffix(".retry"), random.chance(0.3) {
                    operation.unitCost = operation.unitCost == nil ? model.policy(on: operation.date)?.policy.item(operation.item)?.unitCost ?? 0 : nil
                }
                return operation
            }
            let station = anyStation(unknown: 0.01)
            let roll = random.int(in: 0...99)
            let unitCost: Int64? = roll < 80 ? nil : roll < 98 ? Int64(random.int(in: 0...50)) * 100 : -100
            let operation = ReceiveStockOperation(
                name: "stock.receive", key: random.chance(0.01) ? spacedKey(key("K-\(station)", step)) : key("K-\(station)", step), station: station,
                item: itemID(model, kind: random.chance(0.05) ? .service : .goods),
                quantity: random.chance(0.02) ? 0 : random.int(in: 1...12), unitCost: unitCost, note: "供应商", date: today,
                session: operatorAt(station))
            Self.remember(operation, in: &recentStock)
            return operation

        case .adjustStock:
            let station = anyStation()
            var quantity = random.int(in: 1...3) * (random.chance(0.7) ? -1 : 1)
            if random.chance(0.01) { quantity = 0 }
            let reason: StockAdjustmentReason = random.pick([.damaged, .lost, .countCorrection, .countCorrection])
            return AdjustStockOperation(name: "stock.adjust", key: key("A-\(station)", step), station: station,
                                        item: itemID(model, kind: .goods), quantity: quantity, reason: reason, date: today,
                                        session: operatorAt(station))

        case .moveStock:
            let from = anyStation()
            let to = random.chance(0.03) ? from : random.pick(Self.stationIDs.filter { $0 != from })
            return MoveStockOperation(name: "stock.move", key: key("M-\(from)", step), from: from, to: to, item: itemID(model, kind: .goods),
                                      quantity: random.int(in: 1...6), date: today, session: operatorAt(from))

        case .countStock:
            return makeStockCount(step: step, model: model)

        case .addVolunteer:
            let count = model.volunteerIDs.count
            var id = count < Self.volunteerLimit ? "V\(count + 1)" : "V\(random.int(in: 1...count))"
            if random.chance(0.02) { id = "V 1" }
            // An id typed in the other letter case (C020).
            if count > 0, random.chance(0.02) { id = "v\(random.int(in: 1...count))" }
            var household: String? = random.chance(0.7) ? "H\(random.int(in: 1...max(1, model.households.count)))" : nil
            if random.chance(0.02) { household = "H999" }
            let birth: LocalDate? = random.pick([nil, LocalDate(year: 1940, month: random.int(in: 1...12), day: 15),
                                                 LocalDate(year: 1990, month: random.int(in: 1...12), day: 15)])
            return AddVolunteerOperation(volunteer: ModelVolunteer(id: id, household: household, birthDate: birth, joined: today))

        case .addHousehold:
            let count = model.households.count
            return AddHouseholdOperation(id: count < Self.householdLimit ? "H\(count + 1)" : "H\(random.int(in: 1...count))")

        case .activatePolicy:
            return makePolicyActivation(model: model)

        case .importRecords, .decideRecords, .settle, .contribute, .dividend:
            return makeIssueSixOperation(kind, step: step, model: model)
        }
    }

    /// A fulfil, by the model's own reading of a booking (never the engine's rules): mostly `fulfil`, a booking that can be
    /// fulfilled now: held, for today, its hold not lapsed (by its station's operator mostly, see `operatorAt`). Now and then
    /// on purpose a near miss, counted under a name of its own: `fulfil.early` a booking for a later day (R028),
    /// `fulfil.lapsed` one whose hold has lapsed (after its day or its `--hold-minutes`) and is not released yet, or one
    /// cancelled or released (R014), `fulfil.again` one fulfilled already (exists: its receipt), `fulfil.unknown` (R015).
    /// Nil when the kind drawn has nothing to pick (the generator then draws another operation): an attempt at a booking
    /// that is not due would be a refusal that exercises no fulfilment.
    private mutating func makeFulfil(model: SimModel) -> (any SimulatedOperation)? {
        let today = model.today, now = model.now
        let active = model.activeHolds.sorted().compactMap { model.holds[$0] }
        let recent = model.holdCount > 0 ? (max(1, model.holdCount - 30)...model.holdCount).compactMap { model.holds[$0] } : []
        let name: String
        let number: Int64
        let roll = random.int(in: 0...99)
        if roll < 85 {
            let due = active.filter { $0.serviceDate == today && now < $0.expiresAt }
            guard !due.isEmpty else { return nil }
            name = "fulfil"
            number = random.pick(due).number
        } else if roll < 90 {
            let early = active.filter { today < $0.serviceDate }
            guard !early.isEmpty else { return nil }
            name = "fulfil.early"
            number = random.pick(early).number
        } else if roll < 94 {
            let lapsed = active.filter { $0.expiresAt <= now } + recent.filter { $0.state == .cancelled || $0.state == .expired }
            guard !lapsed.isEmpty else { return nil }
            name = "fulfil.lapsed"
            number = random.pick(lapsed).number
        } else if roll < 98 {
            let fulfilled = recent.filter { $0.state == .fulfilled }
            guard !fulfilled.isEmpty else { return nil }
            name = "fulfil.again"
            number = random.pick(fulfilled).number
        } else {
            name = "fulfil.unknown"
            number = model.holdCount + 7
        }
        let hold = model.holds[number]
        return FulfilOperation(name: name, hold: number, date: today, session: operatorAt(hold?.station ?? "S1"),
                               accounts: hold.map { [AccountID.volunteer($0.volunteer), .station($0.station)] } ?? [])
    }

    /// A stocktake (`stock count`), counted against the model's levels (never the engine's): one item or several goods, each
    /// counted as the books say, a few more or a few less; now and then dated back (a correction that would leave a later day
    /// below 0 is K003), a dry run, a note. Near misses under names of their own: `.retry` a recent one again (its lines in
    /// another order now and then: exists, the stored table), `.reuse-key` its key with other counts (K006), `.adjust-key` a
    /// `stock adjust` under a stocktake's key or one of its corrections' `KEY/ITEM` (K006, or done when that item agreed),
    /// `.bad` an item twice (K008), a service (K004), an unknown item (R005), a count out of range (K009), no line (K010),
    /// white space at the key's edge (L010).
    private mutating func makeStockCount(step: Int, model: SimModel) -> (any SimulatedOperation)? {
        let roll = random.int(in: 0...99)
        if roll < 10, !recentCounts.isEmpty {
            var operation = random.pick(recentCounts)
            operation.name = "stock.count.retry"
            operation.dryRun = random.chance(0.2)
            if random.chance(0.4) { operation.lines.reverse() }
            return operation
        }
        if roll < 16, !recentCounts.isEmpty {
            var operation = random.pick(recentCounts)
            operation.name = "stock.count.reuse-key"
            operation.dryRun = false
            let index = random.int(in: 0...(operation.lines.count - 1))
            operation.lines[index].counted += 1
            return operation
        }
        if roll < 21, let recent = recentCounts.isEmpty ? nil : random.pick(recentCounts) {
            let item = random.pick(recent.lines).item
            let key = random.chance(0.5) ? recent.key : SimModel.countCorrectionKey(recent.key, item: item)
            return AdjustStockOperation(name: "stock.adjust.count-key", key: key, station: recent.station, item: item,
                                        quantity: random.pick([-1, 1]), reason: .countCorrection, date: model.today,
                                        session: SessionRef(id: "sim-admin"))
        }
        if roll < 24 {
            // A stocktake under a key shaped like a correction's, `BASE/ITEM`; the next time, one under `BASE` correcting ITEM.
            if let taken = stocktakeUnderCorrectionKey {
                stocktakeUnderCorrectionKey = nil
                let level = model.stockLevel(StockKey(station: taken.station, item: taken.item), atEndOf: model.today)
                return CountStockOperation(name: "stock.count.correction-key-taken", key: taken.base, station: taken.station,
                                           lines: [(taken.item, level + 1)], note: "", date: model.today, dryRun: random.chance(0.3),
                                           session: SessionRef(id: "sim-admin"))
            }
            let station = anyStation(), item = random.pick(["rice", "soap", "pen"]), base = key("N-\(station)", step)
            stocktakeUnderCorrectionKey = (base, station, item)
            let level = model.stockLevel(StockKey(station: station, item: item), atEndOf: model.today)
            return CountStockOperation(name: "stock.count.slash-key", key: SimModel.countCorrectionKey(base, item: item), station: station,
                                       lines: [(item, level)], note: "", date: model.today, dryRun: false, session: SessionRef(id: "sim-admin"))
        }
        let station = anyStation(unknown: 0.01)
        let date = random.chance(0.2) ? model.today.adding(days: -random.int(in: 1...10)) : model.today
        let goods = SimulatedPolicy.initial(effective: model.today).items.filter { $0.kind == .goods }.map(\.id)
        let count = random.chance(0.5) ? 1 : random.int(in: 2...goods.count)
        var items = goods
        var chosen: [String] = []
        for _ in 0..<count { chosen.append(items.remove(at: random.int(in: 0...(items.count - 1)))) }
        var lines: [(item: String, counted: Int)] = chosen.map { item in
            let level = model.stockLevel(StockKey(station: station, item: item), atEndOf: date)
            let roll = random.int(in: 0...99)
            // Dated back, on a shelf that held less on a later day: below the level by as much as that least level allows, or
            // by one more (K003).
            let available = model.stockAvailable(StockKey(station: station, item: item), on: date)
            if date < model.today, available < level, roll < 50 { return (item, max(0, level - available - random.int(in: 0...1))) }
            let counted = roll < 40 ? level : roll < 70 ? level + random.int(in: 1...3) : max(0, level - random.int(in: 1...3))
            return (item, counted)
        }
        var name = "stock.count"
        var key = key("C-\(station)", step)
        if random.chance(0.12) {
            name = "stock.count.bad"
            switch random.int(in: 0...6) {
            case 0: lines.append((lines[0].item, lines[0].counted))                    // an item twice (K008)
            case 1: lines.insert((random.pick(["cleaning", "checkup"]), 1), at: random.int(in: 0...lines.count))   // a service (K004)
            case 2: lines.append(("caviar", 2))                                        // not in the catalog (R005)
            case 3: lines[0].counted = -1                                              // K009
            case 4: lines[lines.count - 1].counted = SimModel.countedMaximum + 1       // K009
            case 5: lines = []                                                         // K010
            default: key = spacedKey(key)                                              // L010
            }
        }
        var operation = CountStockOperation(name: name, key: key, station: station, lines: lines, note: random.chance(0.2) ? "月底盘点" : "",
                                            date: date, dryRun: random.chance(0.15), session: operatorAt(station))
        if operation.dryRun {
            operation.name += ".dry-run"
        } else if name == "stock.count" {
            Self.remember(operation, in: &recentCounts)
        }
        return operation
    }

    private mutating func makePolicyActivation(model: SimModel) -> (any SimulatedOperation)? {
        guard let latest = model.policies.max(by: { ($0.policy.effective, $0.number) < ($1.policy.effective, $1.number) }) else { return nil }
        let label = String(model.policies.count + 1)
        let roll = random.int(in: 0...99)
        // At most 24 versions: the engine compiles every stored version for each import and settlement, so a long
        // run with hundreds of versions would measure that, not the rules.
        if roll < 70, model.policies.count < Self.policyVersionLimit {
            let effective = max(latest.policy.effective.adding(days: 1), model.today.adding(days: random.int(in: 1...30)))
            let policy = latest.policy.next(label: label, effective: effective, random: &random)
            return ActivatePolicyOperation(name: "policy.activate", policy: policy, text: policy.text)
        }
        if roll < 80 {
            return ActivatePolicyOperation(name: "policy.activate.same", policy: latest.policy, text: latest.text)
        }
        if roll < 90 {
            let policy = latest.policy.next(label: label, effective: latest.policy.effective, random: &random)
            return ActivatePolicyOperation(name: "policy.activate.not-later", policy: policy, text: policy.text)
        }
        if roll < 95 {
            var policy = latest.policy.next(label: latest.policy.label, effective: latest.policy.effective.adding(days: 5), random: &random)
            policy.label = latest.policy.label
            return ActivatePolicyOperation(name: "policy.activate.label-taken", policy: policy, text: policy.text)
        }
        return ActivatePolicyOperation(name: "policy.activate.broken", policy: nil, text: "[policy\nid = \"broken\"\n")
    }
}

extension Set where Element == Int64 {
    /// A random element, chosen deterministically (sets have no stable order).
    func randomElement(using random: inout SimulationRandom) -> Int64? {
        guard !isEmpty else { return nil }
        let sorted = self.sorted()
        return sorted[random.int(in: 0...(sorted.count - 1))]
    }
}
