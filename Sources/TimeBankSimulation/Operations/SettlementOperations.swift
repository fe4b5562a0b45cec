import TimeBankCore
import TimeBankStorage

/// The nightly settlement of a day; now and then first run in a child process killed with SIGKILL part-way.
struct SettleOperation: SimulatedOperation {
    var name: String
    var date: LocalDate
    var today: LocalDate
    /// Run it first in a child process and kill that with SIGKILL at a random moment.
    var killChild = false
    /// Days missed since the last settled one: settled first (as the nightly script does), refused (N010) or skipped.
    var missedDays = SettlementRequest.MissedDays.settleFirst

    /// Records scored and posted per transaction: small, so that kills land between chunks.
    static let chunkSize = 3

    var description: String {
        "settle \(date) (today \(today)" + (missedDays == .settleFirst ? "" : ", missed days: \(Self.word(missedDays))") + ")"
            + (killChild ? ", first in a child killed with SIGKILL" : "")
    }

    /// The `--missed` word of the child process for each way with missed days.
    static func word(_ missedDays: SettlementRequest.MissedDays) -> String {
        switch missedDays {
        case .refuse: "refuse"
        case .settleFirst: "settle-first"
        case .skip: "skip"
        }
    }

    static let missedDaysByWord: [String: SettlementRequest.MissedDays] = ["refuse": .refuse, "settle-first": .settleFirst, "skip": .skip]

    /// Each step of a settlement commits on its own: after a fault the finished steps stay, and the retry finishes the day.
    var resumable: Bool { true }

    func focus(_ model: SimModel) -> Focus {
        Focus(accounts: model.volunteerIDs.map { AccountID.volunteer($0) } + [.issuance, .expired, SimModel.heldAccount])
    }

    static func request(date: LocalDate, today: LocalDate, missedDays: SettlementRequest.MissedDays) -> SettlementRequest {
        SettlementRequest(date: date, actor: "sim-nightly", today: today, utcOffsetMinutes: SimModel.utcOffsetMinutes, chunkSize: chunkSize,
                          missedDays: missedDays)
    }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        if killChild {
            engine.runKilledChild(["settle", "--date", date.description, "--today", today.description, "--missed", Self.word(missedDays)])
        }
        let summary = try engine.store.settle(Self.request(date: date, today: today, missedDays: missedDays))
        let detail = SimModel.settlementDetail(date: date, counts: [
            ("records_read", Int64(summary.recordsRead)), ("approved_before", Int64(summary.approvedBefore)),
            ("accepted", Int64(summary.accepted)),
            ("auto_accepted", Int64(summary.autoAccepted)), ("rejected", Int64(summary.rejected)), ("pending", Int64(summary.pending)),
            ("posted", Int64(summary.posted)), ("award_entries", Int64(summary.awardEntries)), ("awarded", summary.awarded),
            ("expired_on_arrival", Int64(summary.expiredOnArrival)), ("expired_on_arrival_points", summary.expiredOnArrivalPoints),
            ("grant_entries", Int64(summary.grantEntries)), ("granted", summary.granted), ("holds_voided", Int64(summary.holdsVoided)),
            ("expiry_entries", Int64(summary.expiryEntries)), ("expired", summary.expired),
        ])
        return .written(detail, isNew: !summary.alreadySettled)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        let (detail, isNew) = try model.settle(date: date, today: today, missedDays: missedDays)
        return .written(detail, isNew: isNew)
    }
}

extension Generator {
    /// Settlements, fund contributions and dividends.
    mutating func makeSettlementOperation(_ kind: Kind, step: Int, model: SimModel) -> (any SimulatedOperation)? {
        if kind == .contribute || kind == .dividend, !recentFundWrites.isEmpty, random.chance(0.1) {
            // The same fund write again: the key returns the original.
            let original = random.pick(recentFundWrites)
            if var contribution = original as? ContributeOperation {
                contribution.name = "fund.contribute.retry"
                return contribution
            }
            if var donation = original as? FundDonationOperation {
                donation.name = "fund.donate.retry"
                return donation
            }
            if var dividend = original as? DividendOperation {
                dividend.name = "dividend.retry"
                return dividend
            }
        }
        guard let operation = makeFundOrSettlement(kind, step: step, model: model) else { return nil }
        if !(operation is SettleOperation) { Self.remember(operation, in: &recentFundWrites) }
        return operation
    }

    private mutating func makeFundOrSettlement(_ kind: Kind, step: Int, model: SimModel) -> (any SimulatedOperation)? {
        let today = model.today
        switch kind {
        case .settle:
            // About one settlement in three weeks of simulated days (plus the scheduled ones of --kill-rate): each
            // verifies the whole ledger, so more would make long runs measure verification.
            guard random.chance(0.5) else { return nil }
            let roll = random.int(in: 0...99)
            let date: LocalDate
            if roll < 75 {
                date = today.adding(days: -1)
            } else if roll < 82 {
                date = today                                          // N003: today has not ended
            } else if roll < 93 {
                date = today.adding(days: -random.int(in: 2...20))   // N001 or settled already
            } else if roll < 97 {
                date = today.adding(days: 1)                          // N003
            } else {
                date = model.latestSettled ?? today.adding(days: -1)  // settled already: the same summary
            }
            // Mostly as the nightly script settles (missed nights first); now and then refused for them (N010) or skipping them.
            let way = random.int(in: 0...9)
            return SettleOperation(name: "settle", date: date, today: today,
                                   missedDays: way < 7 ? .settleFirst : way < 9 ? .refuse : .skip)

        case .contribute:
            if random.chance(0.2), !model.fundKeys.isEmpty {
                // A key used before: the same write again, or another write under it (F009).
                let key = model.fundKeys.keys.sorted()[random.int(in: 0...(model.fundKeys.count - 1))]
                if random.chance(0.5) {
                    return FundDonationOperation(name: "fund.donate.key-reuse", donor: "热心居民", amount: 10_000, date: today, key: key)
                }
                return ContributeOperation(name: "fund.contribute.key-reuse", merchant: "商户A", turnover: 1_000_000, date: today, key: key)
            }
            if random.chance(0.3) {
                let amount: Int64 = random.chance(0.02) ? 0 : Int64(random.int(in: 1...1_000)) * 100
                // Now and then a blank name (F005); the one donor is typed with stray spaces or not, all stored as "热心居民 张"
                // (chosen by the step, not the generator, so that the random sequence of every seed stays what it was).
                let spellings = ["热心居民 张", " 热心居民 张 ", "热心居民\u{3000}\u{3000}张", "热心居民  张"]
                let donor = random.chance(0.01) ? " " : spellings[step % spellings.count]
                return FundDonationOperation(name: "fund.donate", donor: donor, amount: amount, date: today,
                                             key: "F-\(step)")
            }
            let roll = random.int(in: 0...99)
            let turnover: Int64 = roll < 2 ? 0 : roll < 6 ? Int64(random.int(in: 1...499)) : Int64(random.int(in: 1...200_000)) * 1_000
            return ContributeOperation(name: "fund.contribute", merchant: "商户\(random.pick(["A", "B", "C", "D", "E"]))", turnover: turnover,
                                       date: today, key: "F-\(step)")

        case .dividend:
            // Dividends are rare (a community pays one a month at most), and each reads every award of its period.
            guard random.chance(0.25) else { return nil }
            let lastMonth = SimModel.window("month", containing: today).start.adding(months: -1)
            let roll = random.int(in: 0...99)
            let period: String
            if roll < 65 {
                period = String(lastMonth.description.prefix(7))
            } else if roll < 75 {
                let quarter = SimModel.window("quarter", containing: today).start.adding(months: -3)
                period = "\(quarter.year)-Q\((quarter.month - 1) / 3 + 1)"
            } else if roll < 85 {
                period = String(today.description.prefix(7))                 // F011: not over yet
            } else if roll < 92 {
                period = String(lastMonth.year)                               // F011 mostly (the year is not over)
            } else {
                period = "\(today.year)-W05"                                  // F006
            }
            let fund = max(0, model.balance(.fund, .cny))
            let amount: Int64 = random.chance(0.1) ? fund + 100 : Int64(random.int(in: 1...max(1, Int(min(fund, 5_000_000)))))
            // Sometimes dated back (the fund may have held less then: F008 by the entries' dates), and often paid on the
            // points posted so far (the nights rarely have posted every record of the period: F014, F015 otherwise).
            let date = random.chance(0.2) ? today.adding(days: -random.int(in: 1...20)) : today
            return DividendOperation(name: "dividend", period: period, amount: amount, basis: random.chance(0.03) ? "hours" : "earned",
                                     date: date, key: "V-\(step)", unsettledReason: random.chance(0.5) ? "委员会决定 (sim)" : nil)

        default:
            return nil
        }
    }
}
