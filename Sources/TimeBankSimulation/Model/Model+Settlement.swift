import TimeBankCore

extension SimModel {
    /// The end of a day in the community (midnight after it), when that day's holds have lapsed.
    static func endOfDay(_ date: LocalDate) -> Timestamp { defaultHoldExpiry(serviceDate: date) }

    /// What a settlement did, in the words of both sides (the summary's counts).
    static func settlementDetail(date: LocalDate, counts: [(String, Int64)]) -> String {
        "N \(date) " + counts.map { "\($0.0) \($0.1)" }.joined(separator: " ")
    }

    /// The nightly settlement of `date` (docs/settlement.md): N003 for a day that has not ended (today or later); a settled day
    /// again changes nothing; N001 when a later day is settled. Then, in order: pending records dated on or before
    /// the day are approved (a verifier), accepted automatically (no verifier, `auto_accept_after_days` passed) or
    /// left pending (the days counted from its import when that is later than its date); on each day since the previous settled night, the monthly grant goes to every volunteer who joined
    /// by then and has not had it that month, dated that day; approved records not posted yet are scored and posted
    /// household by household, each in canonical order (date, id), each earning `points_per_hour × minutes / 60` of the
    /// version in force on its date in a lot that expires `after_months` later; bookings that lapsed by the end of the day are released; expired lots are expired, one entry per account.
    ///
    /// Days after the last settled one and before `date` that no night settled: refused (N010), settled first, oldest first,
    /// each as a night of its own, or left (`missedDays`).
    func settle(date: LocalDate, today: LocalDate, missedDays: MissedDays) throws(ModelRefusal) -> (detail: String, isNew: Bool) {
        if date >= today { throw ModelRefusal("N003") }
        if let detail = settled[date] { return (detail, false) }
        if let latest = latestSettled, latest > date { throw ModelRefusal("N001") }
        if let first = policies.map(\.policy.effective).min(), date < first { throw ModelRefusal("N008") }
        if missedDays != .skip, let latest = latestSettled, latest < date.adding(days: -1) {
            if missedDays == .refuse { throw ModelRefusal("N010") }
            var day = latest.adding(days: 1)
            while day < date {
                _ = try settleNight(day)
                day = day.adding(days: 1)
            }
        }
        return try settleNight(date)
    }

    /// One night's settlement (see `settle`), the checks done.
    private func settleNight(_ date: LocalDate) throws(ModelRefusal) -> (detail: String, isNew: Bool) {
        try transaction { () throws(ModelRefusal) in
            // 1. Accept.
            var read: Int64 = 0, approvedBefore: Int64 = 0, accepted: Int64 = 0, autoAccepted: Int64 = 0
            var rejected: Int64 = 0, pending: Int64 = 0
            var queue: [ModelRecord] = []
            for id in openRecords.keys.sorted() {
                var record = records[id]!
                guard record.date <= date else { continue }
                read += 1
                if record.status == .pending {
                    guard let version = policy(on: record.date)?.policy, version.pointsPerHour(record.category) != nil else {
                        record.status = .rejected
                        rejected += 1
                        update(\.records, id, record)
                        update(\.openRecords, id, nil)
                        continue
                    }
                    if record.verifier != nil {
                        accepted += 1
                    } else if date >= max(record.date, record.importedOn).adding(days: version.autoAcceptAfterDays) {
                        autoAccepted += 1
                    } else {
                        pending += 1
                        continue
                    }
                    record.status = .approved
                    update(\.records, id, record)
                } else {
                    approvedBefore += 1
                }
                queue.append(record)
            }
            // 2. Grants, before scoring: on each day from the day after the previous settled night (or from this day,
            // the first night) through this one, the monthly grant of the version in force that day goes to every
            // volunteer who joined by then and has not had it this month, dated that day.
            var grantEntries: Int64 = 0, granted: Int64 = 0
            let previous = settled.keys.filter { $0 < date }.max()
            var day = previous?.adding(days: 1) ?? date
            while day <= date {
                defer { day = day.adding(days: 1) }
                guard let policy = policy(on: day)?.policy, let amount = policy.monthlyGrant else { continue }
                let month = Self.window("month", containing: day).start
                let members = volunteerIDs.filter { volunteers[$0]!.joined <= day }.map { AccountID.volunteer($0) }.sorted()
                for account in members where grants["\(month)|\(account)"] == nil {
                    try postEntry(kind: .grant, date: day, postings: [
                        ModelPosting(account: account, amount: amount, lotExpiresOn: day.adding(months: policy.expiryMonths)),
                        ModelPosting(account: .issuance, amount: -amount),
                    ])
                    update(\.grants, "\(month)|\(account)", true)
                    grantEntries += 1
                    granted += amount
                    addFlow("issued", amount)
                }
            }
            // 3. Score and post, household by household (a volunteer without one alone; by the bytes of `household:ID`
            // or `volunteer:ID`), each in canonical order (date, then id: the ids sort as their numbers).
            func group(_ record: ModelRecord) -> [UInt8] {
                Array((volunteers[record.volunteer]?.household.map { "household:" + $0 } ?? "volunteer:" + record.volunteer).utf8)
            }
            queue.sort { lhs, rhs in
                let (left, right) = (group(lhs), group(rhs))
                if left != right { return left.lexicographicallyPrecedes(right) }
                if lhs.date != rhs.date { return lhs.date < rhs.date }
                return Array(lhs.id.utf8).lexicographicallyPrecedes(Array(rhs.id.utf8))
            }
            var awarded: Int64 = 0, awardEntries: Int64 = 0, expiredOnArrival: Int64 = 0, expiredOnArrivalPoints: Int64 = 0
            for var record in queue {
                let version = policy(on: record.date)!.policy
                let award = version.pointsPerHour(record.category)! * Int64(record.minutes) * 100 / 60
                if award > 0 {
                    let expiresOn = record.date.adding(months: version.expiryMonths)
                    if expiresOn <= date {
                        expiredOnArrival += 1
                        expiredOnArrivalPoints += award
                    }
                    let entry = try postEntry(kind: .award, date: record.date, postings: [
                        ModelPosting(account: .volunteer(record.volunteer), amount: award, lotExpiresOn: expiresOn),
                        ModelPosting(account: .issuance, amount: -award),
                    ])
                    record.awardEntry = entry.sequence
                    awardEntries += 1
                    awarded += award
                    addFlow("issued", award)
                }
                record.posted = true
                update(\.records, record.id, record)
                update(\.openRecords, record.id, nil)
            }
            // 4. Bookings that lapsed by the end of the day, then lots expired by the day.
            var holdsVoided: Int64 = 0
            let endOfDay = Self.endOfDay(date)
            for number in activeHolds.filter({ holds[$0]!.expiresAt <= endOfDay }).sorted() {
                let hold = holds[number]!
                let release = try reverseEntry(hold.entry, on: hold.serviceDate)
                endHold(number, .expired, entry: release.sequence, receipt: nil)
                holdsVoided += 1
            }
            var expiryEntries: Int64 = 0, expired: Int64 = 0
            let holders = openLots.filter { _, ids in ids.contains { lots[Int($0 - 1)].expiresOn.map { $0 <= date } ?? false } }.keys
            for account in holders.sorted() {
                let amount = expiredPoints(account, on: date)
                guard amount > 0 else { continue }
                try postEntry(kind: .expiry, date: date, postings: [
                    ModelPosting(account: .expired, amount: amount), ModelPosting(account: account, amount: -amount),
                ])
                expiryEntries += 1
                expired += amount
                addFlow("expired", amount)
            }
            let detail = Self.settlementDetail(date: date, counts: [
                ("records_read", read), ("approved_before", approvedBefore), ("accepted", accepted),
                ("auto_accepted", autoAccepted), ("rejected", rejected), ("pending", pending), ("posted", Int64(queue.count)), ("award_entries", awardEntries), ("awarded", awarded),
                ("expired_on_arrival", expiredOnArrival), ("expired_on_arrival_points", expiredOnArrivalPoints),
                ("grant_entries", grantEntries), ("granted", granted), ("holds_voided", holdsVoided),
                ("expiry_entries", expiryEntries), ("expired", expired),
            ])
            update(\.settled, date, detail)
            if latestSettled.map({ $0 < date }) ?? true { set(\.latestSettled, date) }
            return (detail, true)
        }
    }
}
