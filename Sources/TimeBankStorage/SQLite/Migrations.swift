import TimeBankCore

/// One schema step. Migrations run in version order, each in its own transaction, exactly once;
/// a released migration is never edited: a change is a new migration.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
    /// CHECK constraints rewritten in place after `sql`, into text with the same meaning (see `CheckRewrite`).
    public var checkRewrites: [CheckRewrite] = []
}

/// A CHECK constraint of a table rewritten in the stored schema, without rebuilding the table: SQLite allows this
/// (`PRAGMA writable_schema`, "Making Other Kinds Of Table Schema Changes" in its ALTER TABLE documentation) for
/// changes that do not touch the stored rows. Only rewrites that accept exactly the same values are made: the rows
/// already stored satisfy the new text.
public struct CheckRewrite: Sendable {
    public let table: String
    public let from: String
    public let to: String

    /// `column IN ('a','b','c')` as `column = 'a' OR column = 'b' OR column = 'c'` (the same values). SQLite
    /// evaluates a CHECK's `IN` list of more than two values by building a temporary b-tree every time a statement
    /// runs: for a one-row INSERT, every row.
    static func inList(table: String, column: String, values: [String], nullable: Bool = false) -> CheckRewrite {
        let list = values.map { "'\($0)'" }.joined(separator: ",")
        let comparisons = values.map { "\(column) = '\($0)'" }.joined(separator: " OR ")
        return nullable
            ? CheckRewrite(table: table, from: "CHECK (\(column) IS NULL OR \(column) IN (\(list)))",
                           to: "CHECK (\(column) IS NULL OR \(comparisons))")
            : CheckRewrite(table: table, from: "CHECK (\(column) IN (\(list)))", to: "CHECK (\(comparisons))")
    }
}

/// The store's schema, as numbered steps: `TimeBankStore(path:)` applies the missing ones when it opens a file, and refuses a
/// file whose schema is newer than every step known here (U003).
public enum Migrations {
    /// Every migration timebank knows, oldest first.
    public static let all: [Migration] = [
        Migration(version: 1, name: "ledger and community", sql: """
        -- Accounts are referred to by number inside the ledger; `id` is the text users see (volunteer:V0001).
        CREATE TABLE accounts (
            number INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('volunteer','household','station','fund','system')),
            name TEXT NOT NULL,
            floor INTEGER,
            created_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE entries (
            sequence INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            effective_date TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            memo TEXT NOT NULL,
            reverses INTEGER REFERENCES entries(sequence),
            content_digest BLOB NOT NULL,
            previous_hash BLOB NOT NULL,
            hash BLOB NOT NULL
        ) STRICT;
        -- An entry is reversed at most once.
        CREATE UNIQUE INDEX entries_reversal ON entries(reverses) WHERE reverses IS NOT NULL;

        CREATE TABLE postings (
            entry INTEGER NOT NULL REFERENCES entries(sequence),
            idx INTEGER NOT NULL,
            account INTEGER NOT NULL REFERENCES accounts(number),
            asset TEXT NOT NULL CHECK (asset IN ('POINTS','CNY')),
            amount INTEGER NOT NULL,
            lot_expires_on TEXT,
            PRIMARY KEY (entry, idx)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX postings_by_account ON postings(account, asset, entry);

        CREATE TABLE lots (
            id INTEGER PRIMARY KEY,
            account INTEGER NOT NULL REFERENCES accounts(number),
            entry INTEGER NOT NULL REFERENCES entries(sequence),
            idx INTEGER NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            expires_on TEXT,
            remaining INTEGER NOT NULL CHECK (remaining >= 0 AND remaining <= amount)
        ) STRICT;
        -- Open lots in spending order: earliest expiry first, never-expiring last, then oldest.
        CREATE INDEX lots_open ON lots(account, coalesce(expires_on, '9999-12-31'), id) WHERE remaining > 0;

        CREATE TABLE lot_allocations (
            entry INTEGER NOT NULL REFERENCES entries(sequence),
            idx INTEGER NOT NULL,
            lot INTEGER NOT NULL REFERENCES lots(id),
            amount INTEGER NOT NULL CHECK (amount <> 0),
            PRIMARY KEY (entry, idx, lot)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE balances (
            account INTEGER NOT NULL REFERENCES accounts(number),
            asset TEXT NOT NULL,
            balance INTEGER NOT NULL,
            PRIMARY KEY (account, asset)
        ) STRICT, WITHOUT ROWID;

        -- The ledger is append-only: entries, postings and allocations are never edited or deleted.
        CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries
            BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries are never updated'); END;
        CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries
            BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries are never deleted'); END;
        CREATE TRIGGER postings_append_only_update BEFORE UPDATE ON postings
            BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: postings are never updated'); END;
        CREATE TRIGGER postings_append_only_delete BEFORE DELETE ON postings
            BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: postings are never deleted'); END;
        CREATE TRIGGER allocations_append_only_update BEFORE UPDATE ON lot_allocations
            BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: allocations are never updated'); END;
        CREATE TRIGGER allocations_append_only_delete BEFORE DELETE ON lot_allocations
            BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: allocations are never deleted'); END;

        CREATE TABLE households (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            address TEXT NOT NULL
        ) STRICT;

        CREATE TABLE volunteers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            household TEXT REFERENCES households(id),
            birth_date TEXT,
            teams TEXT NOT NULL,
            tags TEXT NOT NULL,
            joined TEXT NOT NULL
        ) STRICT;
        CREATE INDEX volunteers_by_household ON volunteers(household);

        CREATE TABLE stations (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            community TEXT NOT NULL,
            address TEXT NOT NULL
        ) STRICT;
        """),
        Migration(version: 2, name: "policy versions", sql: """
        -- Every activated version of the points policy: the exact text, its SHA-256, who activated it and when.
        -- The version in force on a day is the one with the latest effective date on or before it.
        CREATE TABLE policy_versions (
            number INTEGER PRIMARY KEY,
            policy_id TEXT NOT NULL,
            version TEXT NOT NULL,
            effective_date TEXT NOT NULL,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            text TEXT NOT NULL,
            actor TEXT NOT NULL,
            activated_at TEXT NOT NULL,
            -- The reason given when a rule (effective date, version label, policy id) was overridden.
            override_reason TEXT
        ) STRICT;
        CREATE INDEX policy_versions_in_force ON policy_versions(effective_date, number);

        -- Activated versions are history: never edited or deleted; a correction is a new version.
        CREATE TRIGGER policy_versions_append_only_update BEFORE UPDATE ON policy_versions
            BEGIN SELECT RAISE(ABORT, 'policy versions are append-only: never updated'); END;
        CREATE TRIGGER policy_versions_append_only_delete BEFORE DELETE ON policy_versions
            BEGIN SELECT RAISE(ABORT, 'policy versions are append-only: never deleted'); END;
        """),
        // Service records, assessments and the scores posted for them (Records/RecordsSchema.swift).
        RecordsSchema.migration,
        // Stations at work: operators, stock, receipts, refunds, bookings, transfers (Stations/StationsSchema.swift).
        StationsSchema.migration,
        SettlementSchema.migration,
        // The micro-fund: contributions, donations, dividends and their allocation tables (Fund/FundSchema.swift).
        FundSchema.migration,
        // The reconciliation checkpoint and read indexes (Settlement/ReconciliationSchema.swift).
        ReconciliationSchema.migration,
        // Fewer indexes per posted record (Records/ScoreIndexesSchema.swift).
        ScoreIndexesSchema.migration,
        // A dividend to more than 999 households in several entries (Fund/DividendPartsSchema.swift).
        DividendPartsSchema.migration,
        // Stock movements by date, for writes dated before today (Stations/StockByDateSchema.swift).
        StockByDateSchema.migration,
        // Grants before scoring: the settlement's stored step numbers (Settlement/SettlementGrantsFirstSchema.swift).
        SettlementGrantsFirstSchema.migration,
        // Posted records withdrawn by an admin's decision (Records/RecordWithdrawalsSchema.swift).
        RecordWithdrawalsSchema.migration,
        // The community's own volunteer teams (Community/TeamsSchema.swift).
        TeamsSchema.migration,
        // Withdrawn posted records in one table, one probe each (Records/RecordWithdrawalsSchema.swift).
        WithdrawnRecordsSchema.migration,
        // Wrong PINs, for the sign-in lock-out (Stations/SignInFailuresSchema.swift).
        SignInFailuresSchema.migration,
        // Every sign-in attempt reserved before its PIN is checked (Stations/SignInAttemptsSchema.swift).
        SignInAttemptsSchema.migration,
        // Operators' access withdrawn and given back (Stations/OperatorAccessSchema.swift).
        OperatorAccessSchema.migration,
        // Changes to households, volunteers and stations after they were added (Community/CommunityChangesSchema.swift).
        CommunityChangesSchema.migration,
        // Teams' changes kept in the same history (Community/CommunityChangesSchema.swift).
        TeamChangesSchema.migration,
        // Stocktakes kept whole under their keys (Stations/StockCountsSchema.swift).
        StockCountsSchema.migration,
    ]

    /// Applies `rewrites` to the stored schema inside the caller's transaction, and bumps the schema version so that
    /// every connection reads the new text. A constraint not found as written (a hand-edited schema) is left as it is.
    static func rewriteChecks(_ rewrites: [CheckRewrite], in database: SQLiteDatabase) throws {
        guard !rewrites.isEmpty else { return }
        let version = try database.statement("PRAGMA schema_version").first { $0.int64(0) } ?? 0
        try database.execute("PRAGMA writable_schema=ON")
        do {
            let update = try database.statement("""
                UPDATE sqlite_master SET sql = replace(sql, ?1, ?2) WHERE type = 'table' AND name = ?3 AND instr(sql, ?1) > 0
                """)
            for rewrite in rewrites {
                try update.bind(.text(rewrite.from), .text(rewrite.to), .text(rewrite.table)).run()
            }
            try database.execute("PRAGMA schema_version=\(version + 1)")
        } catch {
            try? database.execute("PRAGMA writable_schema=OFF")
            throw error
        }
        try database.execute("PRAGMA writable_schema=OFF")
    }

    /// The versions recorded in `schema_migrations` (the table must exist), after refusing a schema newer than every
    /// migration known here (U003): a migration this timebank knows, run on a newer schema, could clash with it.
    static func appliedVersions(_ database: SQLiteDatabase) throws -> Set<Int64> {
        let applied = Set(try database.statement("SELECT version FROM schema_migrations").rows { $0.int64(0) })
        let newestKnown = newestVersion
        if let newest = applied.max(), newest > Int64(newestKnown) {
            throw SchemaError.newerDatabase(path: database.path, version: newest, newestKnown: newestKnown)
        }
        return applied
    }

    /// The newest version this timebank knows: its last migration's.
    static var newestVersion: Int { all.map(\.version).max() ?? 0 }

    /// `appliedVersions`, or none for a file without `schema_migrations` (not migrated yet), reading only.
    static func appliedVersionsIfAny(_ database: SQLiteDatabase) throws -> Set<Int64> {
        let hasTable = try database.statement("""
            SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'
            """).first { $0.int64(0) } ?? 0
        return hasTable > 0 ? try appliedVersions(database) : []
    }

    /// Refuses a schema newer than every migration known here (U003), reading only: before anything is written to the file.
    static func refuseNewer(_ database: SQLiteDatabase) throws {
        _ = try appliedVersionsIfAny(database)
    }

    /// For a database opened read-only, which cannot be migrated: reads its schema version and writes nothing. A newer
    /// schema is U003; an older one (a migration missing, or no timebank schema at all) is S8, since bringing it up to
    /// date would write to it, which this connection cannot.
    static func requireCurrent(_ database: SQLiteDatabase) throws {
        let applied = try appliedVersionsIfAny(database)
        guard all.contains(where: { !applied.contains(Int64($0.version)) }) else { return }
        throw SQLiteError.migrationNeeded(path: database.path, version: applied.max() ?? 0,
                                          newestKnown: newestVersion,
                                          owner: SQLiteDatabase.ownerName(of: database.path))
    }

    /// Brings the database up to the newest version. Safe to call on every open and from several processes.
    static func migrate(_ database: SQLiteDatabase) throws {
        try database.execute("""
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT
        """)
        let applied = try appliedVersions(database)
        for migration in all where !applied.contains(Int64(migration.version)) {
            try database.writeTransaction {
                // Another process may have applied it while we waited for the write lock.
                let done = try database.statement("SELECT 1 FROM schema_migrations WHERE version = ?")
                    .bind(.integer(Int64(migration.version))).first { _ in true } ?? false
                if done { return }
                try database.execute(migration.sql)
                try rewriteChecks(migration.checkRewrites, in: database)
                try database.statement("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, datetime('now'))")
                    .bind(.integer(Int64(migration.version)), .text(migration.name)).run()
            }
        }
    }
}

/// A database this timebank cannot open. Documented in `docs/errors.md`.
public enum SchemaError: TimeBankError, Hashable {
    /// U003: the database's schema is newer than every migration this timebank knows: a newer timebank wrote it.
    case newerDatabase(path: String, version: Int64, newestKnown: Int)

    public var code: String { "U003" }
    public var category: ErrorCategory { .system }
    public var message: String {
        switch self {
        case .newerDatabase(let path, let version, let newestKnown):
            "\(path) was written by a newer timebank: its schema is at version \(version), and this timebank knows versions "
                + "up to \(newestKnown); nothing was read or written. Run the newer timebank (the nightly job's TIMEBANK_BIN or "
                + "--bin, `timebank --version`); an older timebank cannot read it"
        }
    }
}
