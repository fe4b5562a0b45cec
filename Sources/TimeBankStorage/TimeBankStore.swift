import TimeBankCore

/// The durable store of one community: the ledger (accounts, entries, lots, balances) and the people
/// and places it speaks of, in one SQLite file. Every write is one `BEGIN IMMEDIATE` transaction, so
/// several processes may write to the same file at once without breaking a floor or the chain.
///
///     let store = try TimeBankStore(path: "timebank.sqlite")
///     try store.addVolunteer(volunteer)
///     let outcome = try store.post(.move(key: "award-1", kind: .award, date: day, actor: "admin",
///                                         memo: "巡逻 2h", from: .issuance, to: .volunteer("V0001"), amount: 2000))
///
/// A store is one connection: use it from one thread at a time (open one store per thread or process).
public final class TimeBankStore {
    /// The SQLite connection underneath, for reading what the store's own queries do not answer. A write through it
    /// bypasses every rule of the ledger (floors, lots, the hash chain, stock), and `verify()` will report what it broke.
    public let database: SQLiteDatabase
    /// Where the store reads the time it writes (imports, receipts, holds lapsing, activations). The business day of a
    /// write is never read from it: every write takes its `date` from the caller.
    public let clock: any Clock
    /// Accounts never change once created, so they are cached after the first read.
    var accountCache: [AccountID: StoredAccount] = [:]
    var accountIDs: [Int64: AccountID] = [:]
    /// SHA-256 for the write path (libcrypto).
    let hasher = FastSHA256()
    /// Prepared statements of the posting path, by `LedgerSQL` case.
    var ledgerStatements = [SQLiteStatement?](repeating: nil, count: LedgerSQL.allCases.count)
    /// What this connection knows while it holds the write lock; nil outside a write transaction.
    var writeCache: WriteCache?
    /// The community's offset from UTC in minutes when the caller fixes it (the command line's
    /// `$TIMEBANK_UTC_OFFSET_MINUTES`, for a machine whose time zone database lacks the policy's zone): the store's own
    /// local days and times (`communityToday()`, `communityLocalTime(_:)`, `communityDay(of:zone:)`) then use it instead
    /// of the policy's `timezone`. Nil: the policy's zone.
    public var utcOffsetOverride: Int?
    /// How `signIn` waits for other sign-ins of the same operator whose PINs are being checked (see `signIn`); a test sets
    /// its own, to resolve those sign-ins at a known moment.
    var pauseForSignInsBeingChecked: () -> Void = TimeBankStore.pauseForSignInBeingChecked
    /// What the sessions this store's `signIn` gives carry, and what its writes require of a session (O016).
    let sessionIssuer: String

    /// Opens or creates the store at `path` (`:memory:` for a private in-memory store) and migrates it.
    ///
    /// A file this user may only read (`SQLiteDatabase.mayOnlyRead`: it cannot write the file, or the folder while no
    /// `-wal` file is there), or any file when `readOnly` is true, is opened read-only instead: nothing is written to it
    /// (no switch to WAL, no migration, no system account), every read works, and every write is refused with S8.
    /// Such a store must be at this timebank's schema version: an older one (it needs migrating) is S8, a newer one U003.
    public init(path: String, clock: any Clock = SystemClock(), readOnly: Bool = false) throws {
        let readOnly = readOnly || SQLiteDatabase.mayOnlyRead(path)
        self.database = try SQLiteDatabase(path: path, readOnly: readOnly, deferringWriteAheadLog: true)
        self.clock = clock
        self.sessionIssuer = Self.sessionIssuer(of: database)
        if readOnly {
            try Migrations.requireCurrent(database)
        } else {
            // A newer timebank's store is refused before the switch to WAL, which would rewrite its header (a backup in
            // the rollback journal would no longer be the file that was written).
            try Migrations.refuseNewer(database)
            try database.switchToWriteAheadLog()
            try Migrations.migrate(database)
            try ensureSystemAccounts()
        }
    }

    /// Whether the store was opened read-only (`init(path:clock:readOnly:)`): its writes are refused with S8.
    public var isReadOnly: Bool { database.isReadOnly }

    private func ensureSystemAccounts() throws {
        let missing = try Account.systemAccounts.filter { try account($0.id) == nil }
        guard !missing.isEmpty else { return }
        try writeTransaction {
            for account in missing where try self.account(account.id) == nil {
                try insertAccount(account)
            }
        }
    }
}

/// State that is valid only inside one write transaction: `BEGIN IMMEDIATE` holds the write lock, so no
/// other process can change the head of the chain or a balance until we commit. Balance changes are
/// summed here and written once per account before the commit, in the same transaction.
final class WriteCache {
    var head: (sequence: Int64, hash: [UInt8])?
    /// Current balances (stored value plus this transaction's changes), read through on first use.
    var balances: [BalanceSlot: Int64] = [:]
    /// Net change per balance not yet written to the `balances` table.
    var unwritten: [BalanceSlot: Int64] = [:]
}

/// A balance by account number and asset, as the write path keys it (cheaper to hash than account ids).
struct BalanceSlot: Hashable, Comparable {
    var number: Int64
    var asset: Asset

    static func < (lhs: BalanceSlot, rhs: BalanceSlot) -> Bool { (lhs.number, lhs.asset) < (rhs.number, rhs.asset) }
}

extension TimeBankStore {
    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back when it
    /// throws. Nested calls join the outer transaction.
    public func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        if writeCache != nil { return try body() }
        do {
            return try database.writeTransaction {
                writeCache = WriteCache()
                defer { writeCache = nil }
                let result = try body()
                try writeBalances()
                return result
            }
        } catch {
            // Accounts created in the rolled-back transaction do not exist.
            accountCache.removeAll()
            accountIDs.removeAll()
            throw error
        }
    }

    /// Writes the balance changes held in the write cache.
    func writeBalances() throws {
        guard let cache = writeCache, !cache.unwritten.isEmpty else { return }
        let upsert = try database.statement("""
            INSERT INTO balances(account, asset, balance) VALUES (?, ?, ?)
            ON CONFLICT(account, asset) DO UPDATE SET balance = balance + excluded.balance
            """)
        for (slot, change) in cache.unwritten.sorted(by: { $0.key < $1.key }) where change != 0 {
            try upsert.bind(.integer(slot.number), .text(slot.asset.rawValue), .integer(change)).run()
        }
        cache.unwritten.removeAll(keepingCapacity: true)
    }
}
