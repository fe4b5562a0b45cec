import Dispatch
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

/// Hash checks of one chunk of entries, computed on another thread while the next chunk is read.
private final class ChunkHashes: @unchecked Sendable {
    let entries: [Entry]
    /// Per entry: does the recomputed content digest match, and does the recomputed chain hash match.
    var digestMatches: [Bool]
    var chainMatches: [Bool]
    let done = DispatchGroup()

    init(_ entries: [Entry]) {
        self.entries = entries
        digestMatches = [Bool](repeating: false, count: entries.count)
        chainMatches = [Bool](repeating: false, count: entries.count)
    }

    func compute() {
        for (index, entry) in entries.enumerated() {
            digestMatches[index] = EntryEncoding.contentDigest(of: entry) == entry.contentDigest
            chainMatches[index] = EntryEncoding.chainHash(of: entry, previousHash: entry.previousHash) == entry.hash
        }
    }
}

extension TimeBankStore {
    /// Recomputes everything from the entries: the hash chain, zero-sum per entry and asset, running balances
    /// against floors, cached balances against postings, lot remainders against allocations. Reads one
    /// consistent snapshot; writes nothing.
    /// - Complexity: O(entries + postings + lots), streaming the entries; hashing runs on a second thread.
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

        /// Every check that needs the entries in order; the hashes come from the chunk.
        func check(_ chunk: ChunkHashes) {
            chunk.done.wait()
            for (index, entry) in chunk.entries.enumerated() {
                let sequence = entry.sequence
                if sequence != expectedSequence {
                    problem("V007", sequence, "expected entry #\(expectedSequence) next, found #\(sequence): entries are missing")
                }
                if entry.previousHash != previousHash {
                    problem("V001", sequence, "the chain is broken: its previous-hash does not match the hash of entry #\(sequence - 1)")
                }
                if !chunk.digestMatches[index] || !chunk.chainMatches[index] {
                    problem("V002", sequence, "its content does not match its hash: the entry, a posting or an allocation was changed after it was written")
                }
                if entry.postings.count < 2 {
                    problem("V008", sequence, "it has \(entry.postings.count) posting(s); every entry has at least 2")
                }
                var pointsSum: Int64 = 0, moneySum: Int64 = 0
                for posting in entry.postings {
                    if posting.asset == .points { pointsSum &+= posting.amount } else { moneySum &+= posting.amount }
                    let key = BalanceKey(account: posting.account, asset: posting.asset)
                    let balance = (running[key] ?? 0) &+ posting.amount
                    running[key] = balance
                }
                if pointsSum != 0 { problem("V003", sequence, "its POINTS postings sum to \(Hundredths.format(pointsSum)), not 0") }
                if moneySum != 0 { problem("V003", sequence, "its CNY postings sum to \(Hundredths.format(moneySum)), not 0") }
                for posting in entry.postings where posting.amount < 0 {
                    let key = BalanceKey(account: posting.account, asset: posting.asset)
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
        }

        let chunkSize = 4096
        var chunk: [Entry] = []
        chunk.reserveCapacity(chunkSize)
        var inFlight: ChunkHashes?
        func dispatch() {
            let hashes = ChunkHashes(chunk)
            hashes.done.enter()
            DispatchQueue.global().async {
                hashes.compute()
                hashes.done.leave()
            }
            if let inFlight { check(inFlight) }
            inFlight = hashes
            chunk.removeAll(keepingCapacity: true)
        }
        try forEachEntry { entry in
            chunk.append(entry)
            if chunk.count == chunkSize { dispatch() }
        }
        if !chunk.isEmpty { dispatch() }
        if let inFlight { check(inFlight) }
        report.headHash = previousHash

        // Cached balances against the postings.
        var cached: [BalanceKey: Int64] = [:]
        for row in try balances() { cached[BalanceKey(account: row.account, asset: row.asset)] = row.balance }
        let keys = Set(cached.keys).union(running.keys).sorted { ($0.account, $0.asset) < ($1.account, $1.asset) }
        for key in keys {
            let computed = running[key] ?? 0, stored = cached[key] ?? 0
            if computed != stored {
                let number = try storedAccount(key.account)?.number ?? -1
                let last = try database.statement("SELECT max(entry) FROM postings WHERE account = ? AND asset = ?")
                    .bind(.integer(number), .text(key.asset.rawValue)).first { $0.optionalInt64(0) } ?? nil
                problem("V004", last, "the cached \(key.asset.rawValue) balance of \(key.account) is \(Hundredths.format(stored)), but its postings add up to \(Hundredths.format(computed))")
            }
        }
        report.accountsChecked = Int64(keys.count)

        // Lots: each opened by a credit of the same amount; remaining = amount - allocations; per account sum = balance.
        var lotTotals: [Int64: Int64] = [:]
        let lots = try database.statement("""
            SELECT l.id, l.account, l.entry, l.amount, l.remaining, p.amount, p.account
            FROM lots l LEFT JOIN postings p ON p.entry = l.entry AND p.idx = l.idx ORDER BY l.id
            """)
        defer { lots.reset() }
        while try lots.step() {
            let lotID = lots.int64(0), number = lots.int64(1), opener = lots.int64(2)
            let amount = lots.int64(3), remaining = lots.int64(4)
            let account = try accountID(number: number)
            if lots.optionalInt64(5) != amount || lots.optionalInt64(6) != number {
                problem("V005", opener, "lot \(lotID) of \(account) holds \(Hundredths.format(amount)), which is not the credit that opened it")
            }
            let expected = amount - (allocatedByLot.removeValue(forKey: lotID) ?? 0)
            if remaining != expected {
                problem("V005", opener, "lot \(lotID) of \(account) says \(Hundredths.format(remaining)) remain, but its allocations leave \(Hundredths.format(expected))")
            }
            lotTotals[number, default: 0] += remaining
            report.lotsChecked += 1
        }
        for lotID in allocatedByLot.keys.sorted() {
            problem("V005", nil, "allocations name lot \(lotID), which does not exist")
        }
        for key in keys where key.account.isLotTracked(key.asset) {
            let balance = running[key] ?? 0
            let inLots = try storedAccount(key.account).flatMap { lotTotals[$0.number] } ?? 0
            if balance != inLots {
                problem("V005", nil, "\(key.account) has \(Hundredths.format(balance)) points but its lots hold \(Hundredths.format(inLots))")
            }
        }
        report.problems.sort { ($0.sequence ?? .max, $0.code) < ($1.sequence ?? .max, $1.code) }
        return report
    }
}
