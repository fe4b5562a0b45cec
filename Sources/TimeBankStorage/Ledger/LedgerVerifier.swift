import Dispatch
import Glibc
import TimeBankCore

/// One thing `verify` found wrong.
public struct VerificationProblem: Sendable, Hashable, CustomStringConvertible {
    /// A stable code: V001 chain, V002 hash, V003 balance per asset, V004 cached balance, V005 lot, V006 floor,
    /// V007 sequence gap, V008 posting count, V009 awards per day (`award_days`), V010 a lot's day-by-day balance,
    /// V011 the day-by-day floor of an account without lots, V012 a posted score that disagrees with its entries, V013 a
    /// dividend's allocation table that disagrees with its entries, V020 the withdrawn records (`withdrawn_records`), V025 a
    /// policy version's text that does not match its SHA-256.
    public var code: String
    /// The first entry the problem shows in, when it belongs to one.
    public var sequence: Int64?
    public var message: String

    public init(code: String, sequence: Int64?, message: String) {
        self.code = code
        self.sequence = sequence
        self.message = message
    }

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
    /// Posted scores of records checked against their entries (V012; the whole-ledger `verify` only).
    public var postedScoresChecked: Int64 = 0
    /// Dividends whose allocation table was checked against their entries (V013; the whole-ledger `verify` only).
    public var dividendsChecked: Int64 = 0
    public var headHash: [UInt8] = EntryEncoding.genesisHash
    public var problems: [VerificationProblem] = []
    /// The entry the check started after (0: the whole ledger from the genesis hash).
    public var startedAfter: Int64 = 0
    /// The head the walk ended at, and every balance recomputed from the postings, for the next checkpoint.
    var headSequence: Int64 = 0
    var recomputedBalances: [BalanceSlot: Int64] = [:]

    /// True when the check found no problem.
    public var isClean: Bool { problems.isEmpty }

    /// The earliest entry with a problem: where to start looking.
    public var firstBrokenEntry: Int64? { problems.compactMap(\.sequence).min() }
}

/// A chunk of entries as `verify` needs them, in flat arrays (no per-entry objects): the exact bytes
/// the two hashes cover, the stored hashes, and the numbers the in-order checks need. The hashes are
/// recomputed on another thread (`VerifyChunkHashes`) while the next chunk is read.
private struct VerifyChunk: Sendable {
    var sequences: [Int64] = []
    var effectiveDates: [LocalDate] = []
    /// Entries whose stored fields could not be read (a date or time that does not parse).
    var unreadable: [Int64: String] = [:]
    var contentBytes: [UInt8] = []
    var contentEnds: [Int] = []
    var chainBytes: [UInt8] = []
    var chainEnds: [Int] = []
    /// 96 bytes per entry: the stored content digest, previous hash and hash (`HashSlot`).
    var storedHashBytes: [UInt8] = []
    /// Postings of entry i are postingEnds[i-1] ..< postingEnds[i].
    var postingEnds: [Int] = []
    var postingNumbers: [Int64] = []
    /// 0 POINTS, 1 CNY, 2 anything else.
    var postingAssets: [UInt8] = []
    var postingAmounts: [Int64] = []
    var allocationEnds: [Int] = []
    var allocationLots: [Int64] = []
    var allocationAmounts: [Int64] = []

    var count: Int { sequences.count }
}

/// Where each of an entry's three stored hashes sits in `VerifyChunk.storedHashBytes`, from `index * 96`.
private enum HashSlot: Int {
    case digest = 0, previous = 32, hash = 64

    func range(_ index: Int) -> Range<Int> { index * 96 + rawValue ..< index * 96 + rawValue + 32 }
}

/// One chunk and the results of recomputing its hashes, filled in on the hash thread.
private final class VerifyChunkHashes: @unchecked Sendable {
    let chunk: VerifyChunk
    var digestMatches: [Bool] = []
    var chainMatches: [Bool] = []
    let done = DispatchGroup()

    init(_ chunk: VerifyChunk) { self.chunk = chunk }

    func compute() {
        let count = chunk.count
        let (contentEnds, chainEnds) = (chunk.contentEnds, chunk.chainEnds)
        var digestMatches = [Bool](repeating: false, count: count)
        var chainMatches = [Bool](repeating: false, count: count)
        let hasher = FastSHA256()
        let digest = UnsafeMutablePointer<UInt8>.allocate(capacity: 32)
        defer { digest.deallocate() }
        chunk.contentBytes.withUnsafeBytes { content in
            chunk.chainBytes.withUnsafeBytes { chain in
                chunk.storedHashBytes.withUnsafeBytes { stored in
                    func matches(_ slot: HashSlot, at index: Int) -> Bool {
                        memcmp(digest, stored.baseAddress! + slot.range(index).lowerBound, 32) == 0
                    }
                    var contentStart = 0, chainStart = 0
                    for index in 0..<count {
                        hasher.hash(UnsafeRawBufferPointer(rebasing: content[contentStart..<contentEnds[index]]), into: digest)
                        digestMatches[index] = matches(.digest, at: index)
                        hasher.hash(UnsafeRawBufferPointer(rebasing: chain[chainStart..<chainEnds[index]]), into: digest)
                        chainMatches[index] = matches(.hash, at: index)
                        contentStart = contentEnds[index]
                        chainStart = chainEnds[index]
                    }
                }
            }
        }
        self.digestMatches = digestMatches
        self.chainMatches = chainMatches
    }
}

/// Whether stored bytes are exactly `expected` (a compare of memory, not of elements one by one).
private func same(_ stored: UnsafeRawBufferPointer, _ expected: [UInt8]) -> Bool {
    guard stored.count == expected.count else { return false }
    guard let start = stored.baseAddress, !expected.isEmpty else { return true }
    return expected.withUnsafeBytes { memcmp(start, $0.baseAddress!, stored.count) == 0 }
}

extension EntryByteWriter {
    /// Writes 32 bytes of a stored hash (padding or cutting a malformed one, which then fails its comparison).
    fileprivate mutating func hash32(_ bytes: UnsafeRawBufferPointer) {
        let count = min(32, bytes.count)
        raw(UnsafeRawBufferPointer(rebasing: bytes.prefix(count)))
        repeated(0xFF, count: 32 - count)
    }
}

/// Where a reconciliation ended: the entry it verified up to and that entry's hash, the last lot and stock
/// movement then, and every balance it recomputed. The next reconciliation verifies what came after it.
struct LedgerCheckpoint: Sendable {
    var date: String
    var sequence: Int64
    var hash: [UInt8]
    var lastLot: Int64
    var lastMovement: Int64
    var balances: [BalanceSlot: Int64]
}

extension TimeBankStore {
    /// Recomputes everything from the stored rows: the hash chain, zero-sum per entry and asset, running
    /// balances against floors, cached balances against postings, lot remainders against allocations.
    /// Reads one consistent snapshot; writes nothing.
    /// - Complexity: O(entries + postings + lots), streaming; the hashes are computed on a second thread.
    /// Then the posted scores of records against their award and penalty entries and their records' status (V012), which the
    /// reports read, each dividend's allocation table against its entries (V013), and each policy version's text against
    /// its SHA-256 (V025).
    public func verify(problemLimit: Int = 100) throws -> VerificationReport {
        try database.readTransaction {
            var report = try verifyLocked(problemLimit: problemLimit, after: nil)
            let scores = try postedScoreProblems(problemLimit: max(0, problemLimit - report.problems.count))
            report.postedScoresChecked = scores.checked
            report.problems += scores.problems
            let dividends = try dividendShareProblems(problemLimit: max(0, problemLimit - report.problems.count))
            report.dividendsChecked = dividends.checked
            report.problems += dividends.problems
            report.problems += try policyTextProblems(problemLimit: max(0, problemLimit - report.problems.count))
            return report
        }
    }

    /// What verification messages call a point (V005, V010, V202, V203, V205): the unit of the policy in force on the
    /// community's today (积分, 信义币), "points" before any policy is (or when it cannot be read). Asked only when a
    /// problem is worded. The messages that name an asset beside CNY (V003, V006, V011, V100) keep its code, `POINTS`.
    func verificationUnit() -> String {
        (try? communityToday()).flatMap { policyUnit(on: $0.date) } ?? PointsUnit.unnamed
    }

    /// The heads the settlements recorded and the reconciliation checkpoint that are no longer in the chain as they were:
    /// the entry is gone (the ledger was cut short) or has another hash. One problem per settled day, in date order.
    func recordedHeadProblems() throws -> [(sequence: Int64, message: String)] {
        let last = try database.statement("SELECT coalesce(max(sequence), 0) FROM entries").first { $0.int64(0) } ?? 0
        func problem(_ what: String, _ sequence: Int64, _ recorded: String, _ stored: String?) -> (Int64, String) {
            (sequence, "the ledger head recorded by \(what) (hash \(recorded.prefix(16))…) "
                + (stored == nil ? "is gone: the ledger ends at #\(last), so entries after it were removed"
                                 : "no longer has that hash: the entry was changed or replaced"))
        }
        var problems: [(Int64, String)] = []
        try database.statement("""
            SELECT s.date, s.head_sequence, s.head_hash, e.hash FROM settlements s LEFT JOIN entries e ON e.sequence = s.head_sequence
            WHERE s.head_sequence > 0 ORDER BY s.date
            """).forEachRow { row in
                let stored = row.isNull(3) ? nil : SHA256.hex(row.blob(3))
                if stored != row.text(2) { problems.append(problem("the settlement of \(row.text(0))", row.int64(1), row.text(2), stored)) }
            }
        // The checkpoint's entry only (not its balances, which `reconciliationCheckpoint()` would read too).
        if let checkpoint = try database.statement("""
            SELECT c.date, c.sequence, c.hash, e.hash FROM reconciliation_checkpoint c LEFT JOIN entries e ON e.sequence = c.sequence
            WHERE c.id = 1 AND c.sequence > 0
            """).first({ (date: $0.text(0), sequence: $0.int64(1), recorded: SHA256.hex($0.blob(2)),
                          stored: $0.isNull(3) ? nil : SHA256.hex($0.blob(3))) }),
           checkpoint.stored != checkpoint.recorded {
            problems.append(problem("the reconciliation of \(checkpoint.date)", checkpoint.sequence, checkpoint.recorded, checkpoint.stored))
        }
        return problems
    }

    /// The same checks for the entries after `checkpoint` only: the chain from its hash, running balances
    /// from its balances (floors), zero-sum, hashes and lots of the new entries, the lots they drew from,
    /// the lot totals of the accounts they touched, and every cached balance. Call inside a transaction.
    /// - Complexity: O(entries after the checkpoint + accounts).
    func verifyLocked(problemLimit: Int, after checkpoint: LedgerCheckpoint?) throws -> VerificationReport {
        var report = VerificationReport()
        let base = checkpoint?.sequence ?? 0
        report.startedAfter = base
        func problem(_ code: String, _ sequence: Int64?, _ message: String) {
            if report.problems.count < problemLimit {
                report.problems.append(VerificationProblem(code: code, sequence: sequence, message: message))
            }
        }

        // Accounts by number (numbers are small and dense): id text, floor; balances at index number * 2 + asset.
        let accountRows = try database.statement("SELECT number, id, floor FROM accounts ORDER BY number")
            .rows { (number: $0.int64(0), id: $0.text(1), floor: $0.optionalInt64(2)) }
        let accountCount = Int(accountRows.last?.number ?? 0)
        var accountText = [[UInt8]?](repeating: nil, count: accountCount + 1)
        var accountIDText = [String](repeating: "?", count: accountCount + 1)
        var floors = [Int64?](repeating: nil, count: accountCount + 1)
        for row in accountRows where row.number >= 0 {
            accountText[Int(row.number)] = Array(row.id.utf8)
            accountIDText[Int(row.number)] = row.id
            floors[Int(row.number)] = row.floor
        }
        var running = [Int64](repeating: 0, count: (accountCount + 1) * 2)
        func known(_ number: Int64) -> Bool { number > 0 && number <= Int64(accountCount) && accountText[Int(number)] != nil }
        for (slot, balance) in checkpoint?.balances ?? [:] where slot.number >= 0 && slot.number <= Int64(accountCount) {
            running[Int(slot.number) * 2 + (slot.asset == .points ? 0 : 1)] = balance
        }
        /// Accounts with a posting in the entries walked (an incremental check sums their lots).
        var touched = [Bool](repeating: false, count: accountCount + 1)
        // Lots by id after the checkpoint's last lot (ids are dense): what was credited, what remains, what
        // allocations took; checked at the end. Earlier lots drawn from are looked up one by one.
        let lotBase = checkpoint?.lastLot ?? 0
        let lotCount = Int(max(0, (try database.statement("SELECT coalesce(max(id), 0) FROM lots").first { $0.int64(0) } ?? 0) - lotBase))
        func lotIndex(_ id: Int64) -> Int? { id > lotBase && id - lotBase <= Int64(lotCount) ? Int(id - lotBase) : nil }
        var lotAmount = [Int64](repeating: 0, count: lotCount + 1)
        var lotRemaining = [Int64](repeating: 0, count: lotCount + 1)
        var lotAccount = [Int64](repeating: -1, count: lotCount + 1)
        var lotOpener = [Int64](repeating: 0, count: lotCount + 1)
        var allocatedByLot = [Int64](repeating: 0, count: lotCount + 1)
        var earlierLotsAllocated: [Int64: Int64] = [:]
        /// Lots the walked entries drew from or gave back to: their day-by-day balance is checked at the end (V010).
        var lotsMoved = Set<Int64>()
        var unknownLotsAllocated: Set<Int64> = []
        var lotTracked = [Bool](repeating: false, count: accountCount + 1)
        for row in accountRows where row.number >= 0 {
            lotTracked[Int(row.number)] = AccountID(row.id)?.isLotTracked(.points) ?? false
        }
        // Accounts without lots that have a floor (a station's points, CNY), by balance slot: no day may end below the floor,
        // by the entries' dates, from the account's first debit on (V011). The whole-ledger check sums their postings per day
        // on the walk (award entries touch none); an incremental one reads the days from the earliest a new entry is dated.
        var floorsByDay = [Bool](repeating: false, count: running.count)
        for row in accountRows where row.number >= 0 && row.floor != nil {
            floorsByDay[Int(row.number) * 2] = !lotTracked[Int(row.number)]
            floorsByDay[Int(row.number) * 2 + 1] = true
        }
        var floorDays: [FloorDay: (change: Int64, lastDebit: Int64)] = [:]
        var floorEarliestNewDay: [Int: LocalDate] = [:]
        var expectedSequence: Int64 = base + 1
        var previousHash = checkpoint?.hash ?? [UInt8](EntryEncoding.genesisHash)
        if let checkpoint {
            // A checkpoint taken on an empty ledger (a first night with nothing to post) ended at the genesis hash, before entry #1.
            let stored = checkpoint.sequence == 0 ? [UInt8](EntryEncoding.genesisHash)
                : try database.statement("SELECT hash FROM entries WHERE sequence = ?").bind(.integer(checkpoint.sequence))
                    .first { Array($0.rawBytes(0)) }
            if stored != checkpoint.hash {
                problem("V001", checkpoint.sequence, "the entry the reconciliation of \(checkpoint.date) ended at "
                        + (stored == nil ? "is gone" : "no longer has the hash it had then"))
            }
        }
        if checkpoint == nil {
            // The whole ledger: every head a settlement recorded, and the reconciliation's checkpoint, must still be in
            // the chain with the hash it had. Entries cut off the end leave a chain that is whole but shorter.
            for (sequence, message) in try recordedHeadProblems() { problem("V001", sequence, message) }
        }
        let assetNames = ["POINTS", "CNY", "?"]

        /// The checks that need the entries in order, after the chunk's hashes are done.
        func check(_ hashes: VerifyChunkHashes) {
            hashes.done.wait()
            let chunk = hashes.chunk
            var postingStart = 0, allocationStart = 0
            for index in 0..<chunk.count {
                let sequence = chunk.sequences[index]
                let postings = postingStart..<chunk.postingEnds[index]
                postingStart = chunk.postingEnds[index]
                let allocations = allocationStart..<chunk.allocationEnds[index]
                allocationStart = chunk.allocationEnds[index]
                if let reason = chunk.unreadable[sequence] {
                    problem("V100", sequence, "stored data cannot be read: \(reason)")
                }
                if sequence != expectedSequence {
                    problem("V007", sequence, "expected entry #\(expectedSequence) next, found #\(sequence): entries are missing")
                }
                let linked = chunk.storedHashBytes.withUnsafeBytes { stored in
                    let previous = stored.baseAddress! + HashSlot.previous.range(index).lowerBound
                    if index == 0 { return previousHash.withUnsafeBytes { memcmp(previous, $0.baseAddress!, 32) == 0 } }
                    return memcmp(previous, stored.baseAddress! + HashSlot.hash.range(index - 1).lowerBound, 32) == 0
                }
                if !linked {
                    problem("V001", sequence, "the chain is broken: its previous-hash does not match the hash of entry #\(sequence - 1)")
                }
                if !hashes.digestMatches[index] || !hashes.chainMatches[index] {
                    problem("V002", sequence, "its content does not match its hash: the entry, a posting or an allocation was changed after it was written")
                }
                if postings.count < 2 {
                    problem("V008", sequence, "it has \(postings.count) posting\(postings.count == 1 ? "" : "s"); every entry has at least 2")
                }
                var sums: (Int64, Int64) = (0, 0)
                for posting in postings {
                    let number = chunk.postingNumbers[posting], asset = chunk.postingAssets[posting], amount = chunk.postingAmounts[posting]
                    guard known(number), asset < 2 else {
                        problem("V100", sequence, "a posting names account number \(number) and asset \(assetNames[Int(min(asset, 2))]), which do not exist")
                        continue
                    }
                    if asset == 0 { sums.0 &+= amount } else { sums.1 &+= amount }
                    let slot = Int(number) * 2 + Int(asset)
                    running[slot] &+= amount
                    touched[Int(number)] = true
                    if floorsByDay[slot] {
                        let day = chunk.effectiveDates[index]
                        if checkpoint == nil {
                            floorDays[FloorDay(slot: slot, day: day), default: (0, 0)].change &+= amount
                            if amount < 0 { floorDays[FloorDay(slot: slot, day: day)]!.lastDebit = sequence }
                        } else if floorEarliestNewDay[slot].map({ day < $0 }) ?? true {
                            floorEarliestNewDay[slot] = day
                        }
                    }
                }
                if sums.0 != 0 { problem("V003", sequence, "its POINTS postings sum to \(Hundredths.format(sums.0)), not 0") }
                if sums.1 != 0 { problem("V003", sequence, "its CNY postings sum to \(Hundredths.format(sums.1)), not 0") }
                for posting in postings where chunk.postingAmounts[posting] < 0 {
                    let number = chunk.postingNumbers[posting], asset = chunk.postingAssets[posting]
                    guard known(number), asset < 2, let floor = floors[Int(number)] else { continue }
                    let balance = running[Int(number) * 2 + Int(asset)]
                    if balance < floor {
                        problem("V006", sequence, "it leaves \(accountIDText[Int(number)]) at \(Hundredths.format(balance)) \(assetNames[Int(asset)]), below its floor of \(Hundredths.format(floor))")
                    }
                }
                for allocation in allocations {
                    let lot = chunk.allocationLots[allocation]
                    lotsMoved.insert(lot)
                    if let index = lotIndex(lot) {
                        allocatedByLot[index] &+= chunk.allocationAmounts[allocation]
                    } else if lot > 0, lot <= lotBase {
                        earlierLotsAllocated[lot, default: 0] &+= chunk.allocationAmounts[allocation]
                    } else {
                        unknownLotsAllocated.insert(lot)
                    }
                }
                report.entriesChecked += 1
                report.postingsChecked += Int64(postings.count)
                expectedSequence = sequence + 1
            }
            if chunk.count > 0 { previousHash = Array(chunk.storedHashBytes[HashSlot.hash.range(chunk.count - 1)]) }
        }

        // Three cursors walked side by side: each row belongs to the current entry or a later one.
        let header = try database.statement("""
            SELECT sequence, key, kind, effective_date, recorded_at, actor, memo, reverses, content_digest, previous_hash, hash
            FROM entries WHERE sequence > ? ORDER BY sequence
            """).bind(.integer(base))
        let postingRows = try database.statement(
            "SELECT entry, account, asset, amount, lot_expires_on FROM postings WHERE entry > ? ORDER BY entry, idx").bind(.integer(base))
        let allocationRows = try database.statement(
            "SELECT entry, idx, lot, amount FROM lot_allocations WHERE entry > ? ORDER BY entry, idx, lot").bind(.integer(base))
        // Lots are opened in entry and posting order, so their ids follow the postings that open them.
        let lotRows = try database.statement("SELECT id, account, entry, idx, amount, remaining FROM lots WHERE id > ? ORDER BY id")
            .bind(.integer(lotBase))
        defer { header.reset(); postingRows.reset(); allocationRows.reset(); lotRows.reset() }
        var postingPending = try postingRows.step()
        var allocationPending = try allocationRows.step()
        var lotPending = try lotRows.step()
        /// Reads the next lot row into the arrays; the caller has checked `lotPending`.
        func takeLot() throws -> (id: Int64, account: Int64, entry: Int64, index: Int64, amount: Int64) {
            let id = lotRows.int64(0), account = lotRows.int64(1), entry = lotRows.int64(2), index = lotRows.int64(3)
            let amount = lotRows.int64(4)
            if let index = lotIndex(id) {
                lotAmount[index] = amount
                lotRemaining[index] = lotRows.int64(5)
                lotAccount[index] = account
                lotOpener[index] = entry
            }
            lotPending = try lotRows.step()
            return (id, account, entry, index, amount)
        }
        let reversalKind = Array(EntryKind.reversal.rawValue.utf8), awardKind = Array(EntryKind.award.rawValue.utf8)
        // The awards per account and day that `award_days` should hold (the whole-ledger check only), summed on the walk:
        // an award's postings to lot-tracked accounts (volunteers' and households' POINTS, the rule by which a write adds
        // to `award_days`) on its date, and a reversal's on the date of the award it reverses. Summed here rather than by
        // a SQL join of every posting to its entry, which took 9 of 10 s on a million entries.
        let sumsAwardDays = checkpoint == nil
        var awardDaysExpected: [AwardDay: Int64] = [:]

        let chunkSize = 4096
        var chunk = VerifyChunk()
        // The chunk's bytes are written through these and copied into it, once, when it is full.
        var content = EntryByteWriter(capacity: 1 << 20), chain = EntryByteWriter(capacity: 1 << 19)
        var storedHashes = EntryByteWriter(capacity: chunkSize * 96)
        var inFlight: VerifyChunkHashes?
        func dispatch() {
            chunk.contentBytes = content.bytes
            chunk.chainBytes = chain.bytes
            chunk.storedHashBytes = storedHashes.bytes
            content.removeAll()
            chain.removeAll()
            storedHashes.removeAll()
            let ready = VerifyChunkHashes(chunk)
            ready.done.enter()
            DispatchQueue.global().async {
                ready.compute()
                ready.done.leave()
            }
            if let inFlight { check(inFlight) }
            inFlight = ready
            chunk = VerifyChunk()
        }
        let unknownDate = LocalDate(year: 1, month: 1, day: 1)!
        // Scratch space reused for every entry.
        var expiries: [LocalDate?] = []
        var otherAssetTexts: [Int: [UInt8]] = [:]
        var allocationIndexes: [Int] = []
        let assetBytes: [[UInt8]] = [Array("POINTS".utf8), Array("CNY".utf8)]
        while try header.step() {
            let sequence = header.int64(0)
            chunk.sequences.append(sequence)
            let effective = LocalDate(utf8: header.rawBytes(3))
            chunk.effectiveDates.append(effective ?? unknownDate)
            let recorded = Timestamp(utf8: header.rawBytes(4))
            if effective == nil || recorded == nil { chunk.unreadable[sequence] = "its effective date or recorded time does not parse" }

            // Postings of this entry.
            let firstPosting = chunk.postingNumbers.count
            expiries.removeAll(keepingCapacity: true)
            otherAssetTexts.removeAll(keepingCapacity: true)
            while postingPending, postingRows.int64(0) <= sequence {
                if postingRows.int64(0) == sequence {
                    chunk.postingNumbers.append(postingRows.int64(1))
                    let assetText = postingRows.rawBytes(2)
                    let code: UInt8 = same(assetText, assetBytes[0]) ? 0 : same(assetText, assetBytes[1]) ? 1 : 2
                    chunk.postingAssets.append(code)
                    if code == 2 { otherAssetTexts[expiries.count] = Array(assetText) }
                    chunk.postingAmounts.append(postingRows.int64(3))
                    expiries.append(postingRows.isNull(4) ? nil : LocalDate(utf8: postingRows.rawBytes(4)) ?? unknownDate)
                }
                postingPending = try postingRows.step()
            }
            chunk.postingEnds.append(chunk.postingNumbers.count)

            // Every credit to a volunteer or household opens exactly one lot of its amount (reversals give back instead).
            let isReversal = same(header.rawBytes(2), reversalKind)
            if sumsAwardDays {
                var awardDay: String?
                if same(header.rawBytes(2), awardKind) {
                    awardDay = String(decoding: header.rawBytes(3), as: UTF8.self)
                } else if isReversal, let original = header.optionalInt64(7) {
                    // The same lookup as the write's (`appendLocked`).
                    awardDay = try statement(.entryKindAndDate).bind(1, original)
                        .first { $0.text(0) == EntryKind.award.rawValue ? $0.text(1) : nil } ?? nil
                }
                if let awardDay {
                    for posting in firstPosting..<chunk.postingNumbers.count where chunk.postingAssets[posting] == 0 {
                        let number = chunk.postingNumbers[posting]
                        guard number > 0, number <= Int64(accountCount), lotTracked[Int(number)] else { continue }
                        awardDaysExpected[AwardDay(account: number, day: awardDay), default: 0] &+= chunk.postingAmounts[posting]
                    }
                }
            }
            while lotPending, lotRows.int64(2) < sequence {
                let orphan = try takeLot()
                problem("V005", orphan.entry, "lot \(orphan.id) claims to be opened by entry #\(orphan.entry) posting \(orphan.index + 1), which opens no lot")
            }
            for offset in 0..<expiries.count where !isReversal {
                let number = chunk.postingNumbers[firstPosting + offset], amount = chunk.postingAmounts[firstPosting + offset]
                guard amount > 0, chunk.postingAssets[firstPosting + offset] == 0, number > 0, number <= Int64(accountCount),
                      lotTracked[Int(number)] else { continue }
                guard lotPending, lotRows.int64(2) == sequence else {
                    problem("V005", sequence, "posting \(offset + 1) credits \(accountIDText[Int(number)]) but opened no lot")
                    continue
                }
                let lot = try takeLot()
                if lot.index != Int64(offset) || lot.account != number || lot.amount != amount {
                    problem("V005", sequence, "lot \(lot.id) does not match the credit that opened it (posting \(offset + 1): \(Hundredths.format(amount)) to \(accountIDText[Int(number)]))")
                }
            }

            // The content digest's bytes.
            content.contentHeader(keyUTF8: header.rawBytes(1), kindUTF8: header.rawBytes(2), effectiveDate: effective ?? unknownDate,
                                 actorUTF8: header.rawBytes(5), memoUTF8: header.rawBytes(6),
                                 reverses: header.optionalInt64(7), postingCount: expiries.count)
            for offset in 0..<expiries.count {
                let number = chunk.postingNumbers[firstPosting + offset]
                let account: [UInt8] = number >= 0 && number <= Int64(accountCount) ? accountText[Int(number)] ?? [] : []
                account.withUnsafeBytes { accountBytes in
                    let code = Int(chunk.postingAssets[firstPosting + offset])
                    (code < 2 ? assetBytes[code] : otherAssetTexts[offset] ?? []).withUnsafeBytes { asset in
                        content.contentPosting(accountUTF8: accountBytes, assetUTF8: asset,
                                              amount: chunk.postingAmounts[firstPosting + offset], lotExpiresOn: expiries[offset])
                    }
                }
            }
            chunk.contentEnds.append(content.count)

            // Allocations, then the chain hash's bytes.
            let firstAllocation = chunk.allocationLots.count
            allocationIndexes.removeAll(keepingCapacity: true)
            while allocationPending, allocationRows.int64(0) <= sequence {
                if allocationRows.int64(0) == sequence {
                    allocationIndexes.append(Int(allocationRows.int64(1)))
                    chunk.allocationLots.append(allocationRows.int64(2))
                    chunk.allocationAmounts.append(allocationRows.int64(3))
                }
                allocationPending = try allocationRows.step()
            }
            chunk.allocationEnds.append(chunk.allocationLots.count)
            let digest = header.rawBytes(8), previous = header.rawBytes(9)
            storedHashes.hash32(digest)
            storedHashes.hash32(previous)
            storedHashes.hash32(header.rawBytes(10))
            chain.chainHeader(previousHash: previous, sequence: sequence, recordedAtMilliseconds: recorded?.millisecondsSinceEpoch ?? 0,
                               contentDigest: digest, allocationCount: allocationIndexes.count)
            for (offset, postingIndex) in allocationIndexes.enumerated() {
                chain.chainAllocation(postingIndex: postingIndex, lotID: chunk.allocationLots[firstAllocation + offset],
                                       amount: chunk.allocationAmounts[firstAllocation + offset])
            }
            chunk.chainEnds.append(chain.count)

            if chunk.count == chunkSize { dispatch() }
        }
        if chunk.count > 0 { dispatch() }
        if let inFlight { check(inFlight) }
        report.headHash = previousHash
        report.headSequence = expectedSequence - 1

        // Cached balances against the postings.
        var cached = [Int64](repeating: 0, count: running.count)
        for row in try database.statement("SELECT account, asset, balance FROM balances").rows({ ($0.int64(0), $0.text(1), $0.int64(2)) }) {
            guard known(row.0), let asset = Asset(rawValue: row.1) else {
                problem("V004", nil, "a cached balance names account number \(row.0) and asset \(row.1), which do not exist")
                continue
            }
            cached[Int(row.0) * 2 + (asset == .points ? 0 : 1)] = row.2
        }
        for number in 0...accountCount {
            for (assetIndex, asset) in [Asset.points, .cny].enumerated() where running[number * 2 + assetIndex] != cached[number * 2 + assetIndex] {
                let last = try database.statement("SELECT max(entry) FROM postings WHERE account = ? AND asset = ?")
                    .bind(.integer(Int64(number)), .text(asset.rawValue)).first { $0.optionalInt64(0) } ?? nil
                // No entry is broken by a cached balance (it sums every entry of the account), so the problem names none: naming
                // the account's last entry made `verify` call an intact entry the first broken one, ahead of one removed or edited.
                problem("V004", nil, "the cached \(asset.rawValue) balance of \(accountIDText[number]) is \(Hundredths.format(cached[number * 2 + assetIndex])), but its postings add up to \(Hundredths.format(running[number * 2 + assetIndex]))"
                        + (last.map { " (the last entry that moved it is #\($0))" } ?? ""))
            }
        }
        report.accountsChecked = Int64(accountRows.count)
        for number in 0...accountCount where known(Int64(number)) {
            for (assetIndex, asset) in [Asset.points, .cny].enumerated() where running[number * 2 + assetIndex] != 0 {
                report.recomputedBalances[BalanceSlot(number: Int64(number), asset: asset)] = running[number * 2 + assetIndex]
            }
        }

        // Lots left over opened nothing we walked; then each lot's remainder against its allocations.
        while lotPending {
            let orphan = try takeLot()
            problem("V005", orphan.entry, "lot \(orphan.id) claims to be opened by entry #\(orphan.entry) posting \(orphan.index + 1), which opens no lot")
        }
        var lotTotals = [Int64](repeating: 0, count: accountCount + 1)
        for index in 1..<max(1, lotCount + 1) where lotAccount[index] >= 0 {
            let lotID = lotBase + Int64(index)
            let expected = lotAmount[index] - allocatedByLot[index]
            let account = known(lotAccount[index]) ? accountIDText[Int(lotAccount[index])] : "account number \(lotAccount[index])"
            if lotRemaining[index] != expected {
                problem("V005", lotOpener[index], "lot \(lotID) of \(account) says \(Hundredths.format(lotRemaining[index])) remain, but its allocations leave \(Hundredths.format(expected))")
            }
            if known(lotAccount[index]) { lotTotals[Int(lotAccount[index])] += lotRemaining[index] }
            report.lotsChecked += 1
        }
        for index in 1..<max(1, lotCount + 1) where lotAccount[index] < 0 && allocatedByLot[index] != 0 {
            unknownLotsAllocated.insert(lotBase + Int64(index))
        }
        // Lots from before the checkpoint that the new entries drew from: their remainder against all their allocations.
        let earlierLot = try database.statement("SELECT account, amount, remaining, entry FROM lots WHERE id = ?")
        let allocatedToLot = try database.statement("SELECT coalesce(sum(amount), 0) FROM lot_allocations WHERE lot = ?")
        for lotID in earlierLotsAllocated.keys.sorted() {
            guard let lot = try earlierLot.bind(.integer(lotID)).first({ (account: $0.int64(0), amount: $0.int64(1), remaining: $0.int64(2), entry: $0.int64(3)) }) else {
                unknownLotsAllocated.insert(lotID)
                continue
            }
            let allocated = try allocatedToLot.bind(.integer(lotID)).first { $0.int64(0) } ?? 0
            if lot.remaining != lot.amount - allocated {
                let account = known(lot.account) ? accountIDText[Int(lot.account)] : "account number \(lot.account)"
                problem("V005", lot.entry, "lot \(lotID) of \(account) says \(Hundredths.format(lot.remaining)) remain, but its allocations leave \(Hundredths.format(lot.amount - allocated))")
            }
            report.lotsChecked += 1
        }
        for lotID in unknownLotsAllocated.sorted() {
            problem("V005", nil, "allocations name lot \(lotID), which does not exist")
        }
        // Each lot moved, day by day by the entries' effective dates: it is credited on its opening entry's day, and at
        // no day's end may its debits (less give-backs) dated up to then exceed that (a back-dated debit must not spend
        // points that came in later: docs/ledger.md).
        let lotOpening = try database.statement("""
            SELECT l.account, l.amount, l.entry, e.effective_date FROM lots l JOIN entries e ON e.sequence = l.entry WHERE l.id = ?
            """)
        let lotDays = try database.statement("""
            SELECT e.effective_date, sum(a.amount) FROM lot_allocations a JOIN entries e ON e.sequence = a.entry
            WHERE a.lot = ? GROUP BY e.effective_date ORDER BY e.effective_date
            """)
        for lotID in lotsMoved.sorted() where !unknownLotsAllocated.contains(lotID) {
            guard let lot = try lotOpening.bind(.integer(lotID)).first({
                (account: $0.int64(0), amount: $0.int64(1), entry: $0.int64(2), openedOn: $0.text(3))
            }) else { continue }
            var held: Int64 = 0
            var credited = false
            for (day, drawn) in try lotDays.bind(.integer(lotID)).rows({ (day: $0.text(0), drawn: $0.int64(1)) }) {
                if !credited, lot.openedOn <= day {
                    held += lot.amount
                    credited = true
                }
                held -= drawn
                if held < 0 {
                    let account = known(lot.account) ? accountIDText[Int(lot.account)] : "account number \(lot.account)"
                    let unit = verificationUnit()
                    problem("V010", lot.entry, "lot \(lotID) of \(account), credited on \(lot.openedOn), held \(Hundredths.format(held)) \(unit) at the end of "
                            + "\(day) by the entries' dates: a debit dated then spent \(unit) that came into the lot later")
                    break
                }
            }
        }
        // Each account without lots that has a floor, day by day by the entries' dates (V011): writes keep the floor at the end
        // of every day from a debit's date on (a hand post dated back must not take what came in only later: docs/ledger.md).
        var floorDaysBySlot: [Int: (opening: Int64, days: [(day: LocalDate, change: Int64, debited: Bool)], debits: [Int64])] = [:]
        if checkpoint == nil {
            for (key, value) in floorDays.sorted(by: { $0.key.day < $1.key.day }) {
                floorDaysBySlot[key.slot, default: (0, [], [])].days.append((key.day, value.change, value.lastDebit != 0))
                floorDaysBySlot[key.slot]!.debits.append(value.lastDebit)
            }
        } else {
            // Entries first (by date), then their postings: the days from the earliest new one are few; an account's
            // postings may be many.
            let daysFrom = try database.statement("""
                SELECT e.effective_date, sum(p.amount), coalesce(max(CASE WHEN p.amount < 0 THEN e.sequence END), 0)
                FROM entries e CROSS JOIN postings p ON p.entry = e.sequence
                WHERE e.effective_date >= ? AND p.account = ? AND p.asset = ? GROUP BY e.effective_date ORDER BY e.effective_date
                """)
            for (slot, earliest) in floorEarliestNewDay {
                var days: [(day: LocalDate, change: Int64, debited: Bool)] = [], debits: [Int64] = []
                var changed: Int64 = 0
                for row in try daysFrom.bind(.text(earliest.description), .integer(Int64(slot / 2)), .text(slot % 2 == 0 ? "POINTS" : "CNY"))
                    .rows({ (day: LocalDate($0.text(0)) ?? unknownDate, change: $0.int64(1), lastDebit: $0.int64(2)) }) {
                    days.append((row.day, row.change, row.lastDebit != 0))
                    debits.append(row.lastDebit)
                    changed &+= row.change
                }
                floorDaysBySlot[slot] = (running[slot] &- changed, days, debits)
            }
        }
        for slot in floorDaysBySlot.keys.sorted() {
            let (opening, days, debits) = floorDaysBySlot[slot]!
            guard let floor = floors[slot / 2],
                  let breach = LedgerRules.firstDayBelowFloor(opening: opening, days: days, floor: floor) else { continue }
            problem("V011", debits[breach.index], "\(accountIDText[slot / 2]) held \(Hundredths.format(breach.held)) \(assetNames[slot % 2]) at the end "
                    + "of \(days[breach.index].day) by the entries' dates, below its floor of \(Hundredths.format(floor)): debits dated up to then "
                    + "took what came in only later")
        }
        // An incremental check sums the open lots of the accounts the new entries touched (the others did not move).
        let openLots = try database.statement("SELECT coalesce(sum(remaining), 0) FROM lots WHERE account = ? AND remaining > 0")
        for number in 0...accountCount where known(Int64(number)) && (checkpoint == nil || touched[number]) {
            guard let id = AccountID(accountIDText[number]), id.isLotTracked(.points) else { continue }
            if checkpoint != nil { lotTotals[number] = try openLots.bind(.integer(Int64(number))).first { $0.int64(0) } ?? 0 }
            if running[number * 2] != lotTotals[number] {
                problem("V005", nil, "\(id) has \(Hundredths.format(running[number * 2])) \(verificationUnit()) but its lots hold \(Hundredths.format(lotTotals[number]))")
            }
        }
        // The awards per account and day the scorer's caps read, against the entries (the whole-ledger check only).
        if sumsAwardDays {
            var stored: [AwardDay: Int64] = [:]
            try database.statement("SELECT account, day, amount FROM award_days")
                .forEachRow { stored[AwardDay(account: $0.int64(0), day: $0.text(1))] = $0.int64(2) }
            for key in Set(awardDaysExpected.keys).union(stored.keys).sorted() where (awardDaysExpected[key] ?? 0) != (stored[key] ?? 0) {
                let account = known(key.account) ? accountIDText[Int(key.account)] : "account number \(key.account)"
                problem("V009", nil, "award_days says \(account) was awarded \(Hundredths.format(stored[key] ?? 0)) on \(key.day), "
                        + "but its award entries add up to \(Hundredths.format(awardDaysExpected[key] ?? 0))")
            }
        }
        // The withdrawn posted records the scorer's history and the reports leave out, against the admins' decisions and
        // the reversals (V020; every check, as it reads only those).
        for message in try withdrawnRecordProblems() { problem("V020", nil, message) }
        report.problems.sort { ($0.sequence ?? .max, $0.code) < ($1.sequence ?? .max, $1.code) }
        return report
    }
}

/// An account's balance slot (number × 2 + asset) on one day: the key of the day-by-day floor check (V011).
private struct FloorDay: Hashable {
    var slot: Int
    var day: LocalDate
}

/// An account's awards on one day, as `award_days` keeps them.
private struct AwardDay: Hashable, Comparable {
    var account: Int64
    var day: String
    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.account, lhs.day) < (rhs.account, rhs.day) }
}
