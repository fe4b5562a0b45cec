import TimeBankCore

extension SimModel {
    /// A merchant's contribution: turnover × the merchant rate of the policy in force, to the fen half-up
    /// (F005 name, L010 key, F002 turnover, F009 key with other content, F003 no rate, F004 rounds to 0).
    func contribute(merchant typed: String, turnover: Int64, date: LocalDate, key: String) throws(ModelRefusal) -> (detail: String, isNew: Bool) {
        let merchant = try Self.fundName(typed)
        try Self.checkClientKey(key, maximum: 195)
        if key.hasPrefix("donation:") || key.hasPrefix("dividend:") { throw ModelRefusal("F018") }
        guard turnover > 0, turnover <= 1_000_000_000_000_000 else { throw ModelRefusal("F002") }
        let fingerprint = "contribution|\(merchant)|\(turnover)|\(date)"
        return try transaction { () throws(ModelRefusal) in
            if let existing = fundKeys[key], existing.fingerprint.hasPrefix("contribution|") {
                guard existing.fingerprint == fingerprint else { throw ModelRefusal("F009") }
                return (existing.detail, false)
            }
            let policy = try requirePolicy(on: date)
            guard policy.merchantRatePerMille > 0 else { throw ModelRefusal("F003") }
            let product = turnover * policy.merchantRatePerMille
            let amount = product / 1_000 + (product % 1_000 * 2 >= 1_000 ? 1 : 0)
            guard amount > 0 else { throw ModelRefusal("F004") }
            // The ledger key `fund:KEY` taken by a donation or dividend is F009 too.
            if fundKeys[key] != nil { throw ModelRefusal("F009") }
            let entry = try postEntry(kind: .fund, date: date, postings: [
                ModelPosting(account: .fund, asset: .cny, amount: amount), ModelPosting(account: .outside, asset: .cny, amount: -amount),
            ])
            let detail = "C \(Hundredths.format(amount)) #\(entry.sequence)"
            update(\.fundKeys, key, (fingerprint, detail))
            return (detail, true)
        }
    }

    /// Money donated into the fund (F005, L010, F002, F009).
    func donateMoney(donor typed: String, amount: Int64, date: LocalDate, key: String) throws(ModelRefusal) -> (detail: String, isNew: Bool) {
        let donor = try Self.fundName(typed)
        try Self.checkClientKey(key, maximum: 195)
        if key.hasPrefix("contribution:") || key.hasPrefix("dividend:") { throw ModelRefusal("F018") }
        guard amount > 0, amount <= 1_000_000_000_000_000 else { throw ModelRefusal("F002") }
        let fingerprint = "donation|\(donor)|\(amount)|\(date)"
        return try transaction { () throws(ModelRefusal) in
            if let existing = fundKeys[key], existing.fingerprint.hasPrefix("donation|") {
                guard existing.fingerprint == fingerprint else { throw ModelRefusal("F009") }
                return (existing.detail, false)
            }
            // The ledger key `fund:KEY` taken by a contribution or dividend is F009 too.
            if fundKeys[key] != nil { throw ModelRefusal("F009") }
            let entry = try postEntry(kind: .donation, date: date, postings: [
                ModelPosting(account: .fund, asset: .cny, amount: amount), ModelPosting(account: .outside, asset: .cny, amount: -amount),
            ])
            let detail = "D \(Hundredths.format(amount)) #\(entry.sequence)"
            update(\.fundKeys, key, (fingerprint, detail))
            return (detail, true)
        }
    }

    /// A dividend of `amount` fen shared among households in proportion to the points earned in the period (award
    /// entries dated in it, net of their reversals, to their volunteers or to them), by the largest-remainder
    /// method: floors first, the fen left over to the largest remainders (ties: the larger weight, then the id).
    /// F006 period, F007 basis, F002 amount, L010 key, F009 key with other content, F011 period not over,
    /// F014 nights not settled through the period, F015 records of the period not posted (both unless `unsettledReason`),
    /// F001 nothing earned, F008 the fund holds less (now, or on a day from `date` on by the entries' dates).
    func payDividend(period: String, amount: Int64, basis: String, key: String, date: LocalDate,
                     unsettledReason: String? = nil) throws(ModelRefusal) -> (detail: String, isNew: Bool) {
        guard let window = Self.dividendWindow(period) else { throw ModelRefusal("F006") }
        guard basis == "earned" else { throw ModelRefusal("F007") }
        guard amount > 0, amount <= 1_000_000_000_000_000 else { throw ModelRefusal("F002") }
        try Self.checkClientKey(key, maximum: 195)
        if key.hasPrefix("contribution:") || key.hasPrefix("donation:") { throw ModelRefusal("F018") }
        if let unsettledReason { try Self.checkFundText(unsettledReason, allowEmpty: false, maximum: 200) }
        // The payment date is part of the content: the operation always gives it (`--date`).
        let fingerprint = "dividend|\(window.label)|\(amount)|\(basis)|\(date)"
        return try transaction { () throws(ModelRefusal) in
            if let existing = fundKeys[key], existing.fingerprint.hasPrefix("dividend|") {
                guard existing.fingerprint == fingerprint else { throw ModelRefusal("F009") }
                return (existing.detail, false)
            }
            guard date > window.last else { throw ModelRefusal("F011") }
            if unsettledReason == nil {
                if let latest = latestSettled, latest < window.last { throw ModelRefusal("F014") }
                if openRecords.keys.contains(where: { id in records[id].map { $0.date >= window.first && $0.date <= window.last } ?? false }) {
                    throw ModelRefusal("F015")
                }
            }
            var byAccount: [AccountID: Int64] = [:]
            var day = window.first
            while day <= window.last {
                for (account, points) in awardsByDay[day] ?? [:] { byAccount[account, default: 0] += points }
                day = day.adding(days: 1)
            }
            var weights: [String: Int64] = [:]
            for (account, points) in byAccount where points > 0 {
                let household = account.kind == .household ? account.owner : volunteers[account.owner]?.household
                if let household { weights[household, default: 0] += points }
            }
            let total = weights.values.reduce(0, +)
            guard total > 0 else { throw ModelRefusal("F001") }
            var shares: [(id: String, weight: Int64, amount: Int64, remainder: Int64)] = weights.map { id, weight in
                let (high, low) = amount.multipliedFullWidth(by: weight)
                let (quotient, remainder) = total.dividingFullWidth((high, low))
                return (id, weight, quotient, remainder)
            }
            var left = amount - shares.reduce(0) { $0 + $1.amount }
            let ranked = shares.indices.sorted { a, b in
                let (x, y) = (shares[a], shares[b])
                if x.remainder != y.remainder { return x.remainder > y.remainder }
                if x.weight != y.weight { return x.weight > y.weight }
                return Array(x.id.utf8).lexicographicallyPrecedes(Array(y.id.utf8))
            }
            for index in ranked where left > 0 {
                shares[index].amount += 1
                left -= 1
            }
            let paid = shares.filter { $0.amount > 0 }.sorted { Array($0.id.utf8).lexicographicallyPrecedes(Array($1.id.utf8)) }
            guard balance(.fund, .cny) >= amount else { throw ModelRefusal("F008") }
            if breaksFloor(of: BalanceKey(account: .fund, asset: .cny), from: date, now: balance(.fund, .cny), change: -amount, floor: 0) {
                throw ModelRefusal("F008")
            }
            if fundKeys[key] != nil { throw ModelRefusal("F009") }
            let entry = try postEntry(kind: .dividend, date: date, postings: [ModelPosting(account: .fund, asset: .cny, amount: -amount)]
                                      + paid.map { ModelPosting(account: .household($0.id), asset: .cny, amount: $0.amount) })
            let detail = "V \(window.label) " + paid.map { "\($0.id)=\($0.amount)" }.joined(separator: ",") + " #\(entry.sequence)"
            update(\.fundKeys, key, (fingerprint, detail))
            addFlow("dividends", amount)
            return (detail, true)
        }
    }

    /// `2026`, `2026-Q1`, `2026-01` → the first and last day and the canonical label; nil for anything else.
    static func dividendWindow(_ text: String) -> (first: LocalDate, last: LocalDate, label: String)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let year = Int(parts[0]), parts[0].count == 4 else { return nil }
        if parts.count == 1 {
            let first = LocalDate(year: year, month: 1, day: 1)!
            return (first, first.adding(months: 12).adding(days: -1), String(year))
        }
        guard parts.count == 2 else { return nil }
        if parts[1].uppercased().hasPrefix("Q"), let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter), parts[1].count == 2 {
            let first = LocalDate(year: year, month: quarter * 3 - 2, day: 1)!
            return (first, first.adding(months: 3).adding(days: -1), "\(year)-Q\(quarter)")
        }
        guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        let first = LocalDate(year: year, month: month, day: 1)!
        return (first, first.adding(months: 1).adding(days: -1), text)
    }

    /// Names and memos of fund writes: F005 when empty (where not allowed), too long or with a control character.
    /// A merchant's or donor's name as stored: no control characters, then trimmed and each run of whitespace one
    /// space (written here without `FundName`, so that the model checks the engine's normalisation), then not empty
    /// and at most 100 characters (F005).
    static func fundName(_ typed: String) throws(ModelRefusal) -> String {
        if typed.unicodeScalars.contains(where: \.isControl) { throw ModelRefusal("F005") }
        let words = typed.unicodeScalars.split(whereSeparator: \.properties.isWhitespace).map { String(String.UnicodeScalarView($0)) }
        let name = words.joined(separator: " ")
        try checkFundText(name, allowEmpty: false)
        return name
    }

    static func checkFundText(_ text: String, allowEmpty: Bool, maximum: Int = 100) throws(ModelRefusal) {
        if !allowEmpty, text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw ModelRefusal("F005") }
        if text.unicodeScalars.count > maximum || text.unicodeScalars.contains(where: \.isControl) {
            throw ModelRefusal("F005")
        }
    }
}
