import TimeBankCore

extension TimeBankStore {
    /// The entry with this sequence number, with its postings and lot allocations.
    public func entry(sequence: Int64) throws -> Entry? {
        guard var entry = try database.statement("""
            SELECT sequence, key, kind, effective_date, recorded_at, actor, memo, reverses, content_digest, previous_hash, hash
            FROM entries WHERE sequence = ?
            """).bind(.integer(sequence)).first(Self.entryHeader) else { return nil }
        entry.postings = try database.statement(
            "SELECT account, asset, amount, lot_expires_on FROM postings WHERE entry = ? ORDER BY idx")
            .bind(.integer(sequence)).rows { try posting($0, offset: 0) }
        entry.allocations = try database.statement(
            "SELECT idx, lot, amount FROM lot_allocations WHERE entry = ? ORDER BY idx, lot")
            .bind(.integer(sequence)).rows { LotAllocation(postingIndex: Int($0.int64(0)), lotID: $0.int64(1), amount: $0.int64(2)) }
        return entry
    }

    /// The entry posted under a client key.
    public func entry(key: String) throws -> Entry? {
        guard let sequence = try database.statement("SELECT sequence FROM entries WHERE key = ?")
            .bind(.text(key)).first({ $0.int64(0) }) else { return nil }
        return try entry(sequence: sequence)
    }

    /// The entry that reversed `sequence`, if any.
    public func reversal(of sequence: Int64) throws -> Int64? {
        try statement(.reversalOf).bind(.integer(sequence)).first { $0.int64(0) }
    }

    /// How many entries the ledger holds, and the newest one's hash.
    public func head() throws -> (count: Int64, hash: [UInt8]) {
        try statement(.head).first { ($0.int64(0), $0.blob(1)) } ?? (0, EntryEncoding.genesisHash)
    }

    /// For each of `prefixes` (hexadecimal digits, either case), the entries whose hash begins with it, in sequence order and
    /// at most two (two mean the prefix is too short to name one): what `verify --head` looks heads up by, noted outside
    /// the store (the nightly log, a printed report). One pass over the entries for all of them, however many a year of
    /// nightly logs gives; the result is keyed by the prefix in lowercase. The empty ledger's head (`head()` before the
    /// first entry: 64 zeros, the previous hash of entry #1, which a community's first night prints when nothing was
    /// posted yet) is found as entry 0: every chain begins with it.
    public func entries(withHashPrefixes prefixes: [String]) throws -> [String: [Int64]] {
        let wanted = Set(prefixes.map { $0.lowercased() })
        var found: [String: [Int64]] = [:]
        guard !wanted.isEmpty else { return found }
        let genesis = SHA256.hex(EntryEncoding.genesisHash)
        for prefix in wanted where genesis.hasPrefix(prefix) { found[prefix] = [0] }
        let lengths = Set(wanted.map(\.count)).sorted()
        let rows = try database.statement("SELECT sequence, hash FROM entries ORDER BY sequence")
        var hex = [UInt8](repeating: 0, count: 64)
        while try rows.step() {
            let hash = rows.blob(1)
            // A hash edited by hand may be longer than 32 bytes (verify names it, V002): the buffer grows, nothing traps.
            if hex.count < 2 * hash.count { hex = [UInt8](repeating: 0, count: 2 * hash.count) }
            SHA256.writeHex(hash, into: &hex)
            for length in lengths where length <= 2 * hash.count {
                let prefix = String(decoding: hex[..<length], as: UTF8.self)
                if wanted.contains(prefix), found[prefix, default: []].count < 2 { found[prefix, default: []].append(rows.int64(0)) }
            }
        }
        return found
    }

    /// Calls `body` with every entry in sequence order, streaming (entries are not all held in memory).
    public func forEachEntry(from first: Int64 = 1, _ body: (Entry) throws -> Void) throws {
        try forEachStoredEntry(from: first) { entry, _ in try body(entry) }
    }

    /// Like `forEachEntry`, with the account number of each posting, up to entry `last`.
    func forEachStoredEntry(from first: Int64 = 1, through last: Int64 = .max, _ body: (Entry, [Int64]) throws -> Void) throws {
        let header = try database.statement("""
            SELECT sequence, key, kind, effective_date, recorded_at, actor, memo, reverses, content_digest, previous_hash, hash
            FROM entries WHERE sequence BETWEEN ? AND ? ORDER BY sequence
            """).bind(.integer(first), .integer(last))
        let postings = try database.statement(
            "SELECT entry, account, asset, amount, lot_expires_on FROM postings WHERE entry BETWEEN ? AND ? ORDER BY entry, idx")
            .bind(.integer(first), .integer(last))
        let allocations = try database.statement(
            "SELECT entry, idx, lot, amount FROM lot_allocations WHERE entry BETWEEN ? AND ? ORDER BY entry, idx, lot")
            .bind(.integer(first), .integer(last))
        var numbers: [Int64] = []
        // Three cursors walked side by side: each row belongs to the current entry or a later one.
        var postingPending = try postings.step()
        var allocationPending = try allocations.step()
        defer { header.reset(); postings.reset(); allocations.reset() }
        while try header.step() {
            var entry = try Self.entryHeader(header)
            numbers.removeAll(keepingCapacity: true)
            while postingPending, postings.int64(0) <= entry.sequence {
                if postings.int64(0) == entry.sequence {
                    entry.postings.append(try posting(postings, offset: 1))
                    numbers.append(postings.int64(1))
                }
                postingPending = try postings.step()
            }
            while allocationPending, allocations.int64(0) <= entry.sequence {
                if allocations.int64(0) == entry.sequence {
                    entry.allocations.append(LotAllocation(
                        postingIndex: Int(allocations.int64(1)), lotID: allocations.int64(2), amount: allocations.int64(3)))
                }
                allocationPending = try allocations.step()
            }
            try body(entry, numbers)
        }
    }

    /// A passbook line: one entry's effect on one account.
    public struct StatementLine: Sendable, Hashable {
        public var sequence: Int64
        public var date: LocalDate
        public var kind: EntryKind
        public var memo: String
        /// Net change of this entry on the account (positive in, negative out).
        public var amount: Int64
        /// The balance after this entry.
        public var balance: Int64
        /// For a reversal (a correction by hand, a refund, a cancelled or lapsed booking): the entry it reverses and that
        /// entry's memo, so that a line taking points away (or giving them back) can say what it undoes.
        public var reverses: Int64? = nil
        public var reversedMemo: String? = nil
        /// For a gift of points (a `transfer` or `donation`, or the reversal of one): the other side, read from the entry's
        /// postings: for the account that received, the accounts that gave; for the account that gave, those that received
        /// (a volunteer, a household, the community pool `system:pool`), in the order of their first posting. Empty on
        /// every other line, and on a CNY statement (the fund's donations of money name their donor in the memo).
        public var counterparties: [Account] = []
        /// For a gift between households (under `earn_to = "household"`, the postings hold household accounts): the member
        /// on the other side, who gave (on the receiving household's page) or received (on the giving household's), from the
        /// gifts table. Nil when the other side is a volunteer's own account or the pool, or the entry is no recorded gift
        /// (a transfer posted as a raw ledger entry).
        public var counterpartyMember: Volunteer? = nil
    }

    /// The passbook of one account and asset in date order (one day's entries in sequence order), with the running balance.
    public func statement(of id: AccountID, asset: Asset = .points) throws -> [StatementLine] {
        guard let stored = try storedAccount(id) else { throw LedgerError.unknownAccount(id) }
        var running: Int64 = 0
        // The lines of gifts of points, whose other side is named (`counterparties`).
        var gifts: Set<Int64> = []
        let giftKinds = [EntryKind.transfer.rawValue, EntryKind.donation.rawValue]
        var lines = try database.statement("""
            SELECT e.sequence, e.effective_date, e.kind, e.memo, SUM(p.amount), e.reverses, r.memo, r.kind
            FROM postings p JOIN entries e ON e.sequence = p.entry LEFT JOIN entries r ON r.sequence = e.reverses
            WHERE p.account = ? AND p.asset = ?
            GROUP BY e.sequence ORDER BY e.effective_date, e.sequence
            """).bind(.integer(stored.number), .text(asset.rawValue)).rows { row in
            running += row.int64(4)
            guard let date = LocalDate(row.text(1)), let kind = EntryKind(rawValue: row.text(2)) else {
                throw SQLiteError(message: "unreadable entry #\(row.int64(0))")
            }
            if asset == .points, giftKinds.contains(row.text(2)) || row.optionalText(7).map(giftKinds.contains) == true {
                gifts.insert(row.int64(0))
            }
            return StatementLine(sequence: row.int64(0), date: date, kind: kind, memo: row.text(3), amount: row.int64(4), balance: running,
                                 reverses: row.optionalInt64(5), reversedMemo: row.optionalText(6))
        }
        if !gifts.isEmpty {
            let postings = try database.statement(
                "SELECT account, SUM(amount) FROM postings WHERE entry = ? AND asset = ? GROUP BY account ORDER BY MIN(idx)")
            for index in lines.indices where gifts.contains(lines[index].sequence) && lines[index].amount != 0 {
                // The other side: the accounts that moved the other way (a gift of 30.00 kept in two lots credits one
                // receiver twice: summed per account).
                let sides = try postings.bind(.integer(lines[index].sequence), .text(asset.rawValue)).rows { ($0.int64(0), $0.int64(1)) }
                postings.reset()
                for (number, amount) in sides where number != stored.number && (amount > 0) != (lines[index].amount > 0) && amount != 0 {
                    let other = try accountID(number: number)
                    if let account = try storedAccount(other)?.account { lines[index].counterparties.append(account) }
                    // A household on the other side: the member who gave or received, as the gifts table recorded it.
                    if other.kind == .household {
                        // It paid in the gift when it pays here, or is paid back here by the gift's reversal.
                        let isReversal = lines[index].reverses != nil
                        lines[index].counterpartyMember = try giftMember(paid: (amount < 0) != isReversal,
                                                                         of: lines[index].reverses ?? lines[index].sequence)
                    }
                }
            }
        }
        return lines
    }

    /// The member a gift (its entry `sequence`) recorded on one side: the giver when that side `paid` in the gift, else the
    /// receiver. Nil for an entry that is no recorded gift.
    private func giftMember(paid: Bool, of sequence: Int64) throws -> Volunteer? {
        guard let (giver, recipient) = try database.statement("SELECT giver, recipient FROM gifts WHERE entry = ?").bind(.integer(sequence))
            .first({ ($0.text(0), $0.optionalText(1)) }) else { return nil }
        return try (paid ? giver : recipient).flatMap { try volunteer($0) }
    }

    static func entryHeader(_ row: SQLiteStatement) throws -> Entry {
        guard let kind = EntryKind(rawValue: row.text(2)), let date = LocalDate(row.text(3)),
              let recorded = Timestamp(row.text(4)) else {
            throw StoredDataError(sequence: row.int64(0), detail: "unreadable kind, date or time")
        }
        return Entry(
            sequence: row.int64(0), key: row.text(1), kind: kind, effectiveDate: date, recordedAt: recorded,
            actor: row.text(5), memo: row.text(6), reverses: row.optionalInt64(7), postings: [], allocations: [],
            contentDigest: row.blob(8), previousHash: row.blob(9), hash: row.blob(10))
    }

    /// A posting row: account number, asset, amount, lot expiry, starting at column `offset`.
    func posting(_ row: SQLiteStatement, offset: Int32) throws -> Posting {
        let account = try accountID(number: row.int64(offset))
        let asset: Asset
        switch row.text(offset + 1) {
        case "POINTS": asset = .points
        case "CNY": asset = .cny
        case let other: throw StoredDataError(sequence: nil, detail: "unknown asset \"\(other)\"")
        }
        return Posting(account: account, asset: asset, amount: row.int64(offset + 2),
                       lotExpiresOn: row.optionalText(offset + 3).flatMap { LocalDate($0) })
    }
}

/// Stored data that cannot be read back (edited by hand or corrupted): an integrity failure.
public struct StoredDataError: TimeBankError {
    public var sequence: Int64?
    public var detail: String
    public var code: String { "V100" }
    public var category: ErrorCategory { .integrity }
    public var message: String {
        (sequence.map { "entry #\($0): " } ?? "") + "stored data cannot be read: \(detail)"
    }
}
