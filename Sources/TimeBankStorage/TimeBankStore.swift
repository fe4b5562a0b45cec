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
    public let database: SQLiteDatabase
    public let clock: any Clock
    /// Accounts never change once created, so they are cached after the first read.
    var accountCache: [AccountID: Account] = [:]

    /// Opens or creates the store at `path` (`:memory:` for a private in-memory store) and migrates it.
    public init(path: String, clock: any Clock = SystemClock()) throws {
        self.database = try SQLiteDatabase(path: path)
        self.clock = clock
        try Migrations.migrate(database)
        try ensureSystemAccounts()
    }

    private func ensureSystemAccounts() throws {
        let missing = try Account.systemAccounts.filter { try account($0.id) == nil }
        guard !missing.isEmpty else { return }
        try database.writeTransaction {
            for account in missing where try self.account(account.id) == nil {
                try insertAccount(account)
            }
        }
    }
}
