import TimeBankCore

/// One thing `verify` found wrong.
public struct VerificationProblem: Sendable, Hashable, CustomStringConvertible {
    /// A stable code: V001 chain, V002 hash, V003 balance per asset, V004 cached balance, V005 lot, V006 floor,
    /// V007 sequence gap, V008 posting count.
    public var code: String
    /// The first entry the problem shows in, when it belongs to one.
    public var sequence: Int64?
    public var message: String

    public var description: String {
        "error[\(code)]: " + (sequence.map { "entry #\($0): " } ?? "") + message
    }
}

/// What `verify` recomputed and what it found.
public struct VerificationReport: Sendable {
    public var entriesChecked: Int64 = 0
    public var postingsChecked: Int64 = 0
    public var lotsChecked: Int64 = 0
    public var accountsChecked: Int64 = 0
    public var headHash: [UInt8] = EntryEncoding.genesisHash
    public var problems: [VerificationProblem] = []

    public var isClean: Bool { problems.isEmpty }

    /// The earliest entry with a problem: where to start looking.
    public var firstBrokenEntry: Int64? { problems.compactMap(\.sequence).min() }
}

extension TimeBankStore {
    /// Recomputes everything from the entries: the hash chain, zero-sum per entry and asset, running balances
    /// against floors, cached balances against postings, lot remainders against allocations. Reads one
    /// consistent snapshot; writes nothing.
    /// - Complexity: O(entries + postings + lots), streaming the entries.
    public func verify(problemLimit: Int = 100) throws -> VerificationReport {
        try database.readTransaction { try verifyLocked(problemLimit: problemLimit) }
    }

    private func verifyLocked(problemLimit: Int) throws -> VerificationReport {
        var report = VerificationReport()
        func problem(_ code: String, _ sequence: Int64?, _ message: String) {
            if report.problems.count < problemLimit {
                report.problems.append(VerificationProblem(code: code, sequence: sequence, message: message))
            }
        }
        var floors: [AccountID: Int64] = [:]
        for account in try accounts() {
            if let floor = account.floor { floors[account.id] = floor }
        }
        var running: [BalanceKey: Int64] = [:]
        var allocatedByLot: [Int64: Int64] = [:]
        var expectedSequence: Int64 = 1
        var previousHash = EntryEncoding.genesisHash

        try forEachEntry { entry in
            let sequence = entry.sequence
            if sequence != expectedSequence {
                problem("V007", sequence, "expected entry #\(expectedSequence) next, found #\(sequence): entries are missing")
            }
            if entry.previousHash != previousHash {
                problem("V001", sequence, "the chain is broken: its previous-hash does not match the hash of entry #\(sequence - 1)")
            }
            if EntryEncoding.chainHash(of: entry, previousHash: entry.previousHash) != entry.hash {
                problem("V002", sequence, "its content does not match its hash: the entry, a posting or an allocation was changed after it was written")
            }
            if entry.postings.count < 2 {
                problem("V008", sequence, "it has \(entry.postings.count) posting(s); every entry has at least 2")
            }
            var sums: [Asset: Int64] = [:]
            var touched: [BalanceKey] = []
            for posting in entry.postings {
                sums[posting.asset, default: 0] &+= posting.amount
                let key = BalanceKey(account: posting.account, asset: posting.asset)
                running[key, default: 0] &+= posting.amount
                if posting.amount < 0 { touched.append(key) }
            }
            for (asset, sum) in sums.sorted(by: { $0.key < $1.key }) where sum != 0 {
                problem("V003", sequence, "its \(asset.rawValue) postings sum to \(Hundredths.format(sum)), not 0")
            }
            for key in touched {
                if let floor = floors[key.account], let balance = running[key], balance < floor {
                    problem("V006", sequence, "it leaves \(key.account) at \(Hundredths.format(balance)) \(key.asset.rawValue), below its floor of \(Hundredths.format(floor))")
                }
            }
            for allocation in entry.allocations {
                allocatedByLot[allocation.lotID, default: 0] &+= allocation.amount
            }
            report.entriesChecked += 1
            report.postingsChecked += Int64(entry.postings.count)
            previousHash = entry.hash
            expectedSequence = sequence + 1
        }
        report.headHash = previousHash

        // Cached balances against the postings.
        var cached: [BalanceKey: Int64] = [:]
        for row in try balances() { cached[BalanceKey(account: row.account, asset: row.asset)] = row.balance }
        let keys = Set(cached.keys).union(running.keys).sorted { ($0.account, $0.asset) < ($1.account, $1.asset) }
        for key in keys {
            let computed = running[key] ?? 0, stored = cached[key] ?? 0
            if computed != stored {
                let last = try database.statement("SELECT max(entry) FROM postings WHERE account = ? AND asset = ?")
                    .bind(.text(key.account.description), .text(key.asset.rawValue)).first { $0.optionalInt64(0) } ?? nil
                problem("V004", last, "the cached \(key.asset.rawValue) balance of \(key.account) is \(Hundredths.format(stored)), but its postings add up to \(Hundredths.format(computed))")
            }
        }
        report.accountsChecked = Int64(keys.count)

        // Lots: each opened by a credit of the same amount; remaining = amount - allocations; per account sum = balance.
        var lotTotals: [AccountID: Int64] = [:]
        let lots = try database.statement("""
            SELECT l.id, l.account, l.entry, l.amount, l.remaining, p.amount, p.account
            FROM lots l LEFT JOIN postings p ON p.entry = l.entry AND p.idx = l.idx ORDER BY l.id
            """)
        while try lots.step() {
            let lotID = lots.int64(0), account = lots.text(1), opener = lots.int64(2)
            let amount = lots.int64(3), remaining = lots.int64(4)
            if lots.optionalInt64(5) != amount || lots.optionalText(6) != account {
                problem("V005", opener, "lot \(lotID) of \(account) holds \(Hundredths.format(amount)), which is not the credit that opened it")
            }
            let expected = amount - (allocatedByLot.removeValue(forKey: lotID) ?? 0)
            if remaining != expected {
                problem("V005", opener, "lot \(lotID) of \(account) says \(Hundredths.format(remaining)) remain, but its allocations leave \(Hundredths.format(expected))")
            }
            if let id = AccountID(account) { lotTotals[id, default: 0] += remaining }
            report.lotsChecked += 1
        }
        lots.reset()
        for lotID in allocatedByLot.keys.sorted() {
            problem("V005", nil, "allocations name lot \(lotID), which does not exist")
        }
        for key in keys where key.account.isLotTracked(key.asset) {
            let balance = running[key] ?? 0, inLots = lotTotals[key.account] ?? 0
            if balance != inLots {
                problem("V005", nil, "\(key.account) has \(Hundredths.format(balance)) points but its lots hold \(Hundredths.format(inLots))")
            }
        }
        report.problems.sort { ($0.sequence ?? .max, $0.code) < ($1.sequence ?? .max, $1.code) }
        return report
    }
}
