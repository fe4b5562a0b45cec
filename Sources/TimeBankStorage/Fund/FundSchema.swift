/// The tables of the micro-fund (migration 6): merchant contributions, donations, dividends and each
/// dividend's allocation table. Each row points at the ledger entry that moved the money; the ledger is
/// the truth for balances, these tables keep what the ledger cannot: the turnover and rate a contribution
/// was computed from, and how a dividend was shared.
///
/// Append-only like the ledger: triggers refuse to edit or delete any row.
enum FundSchema {
    static let migration = Migration(version: 6, name: "micro-fund contributions, donations and dividends", sql: sql)

    static let sql = """
    -- A merchant's contribution: turnover × the policy's merchant_rate, rounded half-up to the fen.
    CREATE TABLE fund_contributions (
        number INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        merchant TEXT NOT NULL,
        turnover INTEGER NOT NULL CHECK (turnover > 0),
        -- The rate as exact decimal text (e.g. 0.001) and the policy version it came from.
        rate TEXT NOT NULL,
        policy_version INTEGER NOT NULL REFERENCES policy_versions(number),
        amount INTEGER NOT NULL CHECK (amount > 0),
        memo TEXT NOT NULL,
        entry INTEGER NOT NULL REFERENCES entries(sequence),
        effective_date TEXT NOT NULL,
        actor TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX fund_contributions_by_merchant ON fund_contributions(merchant, effective_date);

    -- A donation of money (消费捐, named donations) into the fund.
    CREATE TABLE fund_donations (
        number INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        donor TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        memo TEXT NOT NULL,
        entry INTEGER NOT NULL REFERENCES entries(sequence),
        effective_date TEXT NOT NULL,
        actor TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    ) STRICT;

    -- A dividend (公共收益分红) paid from the fund to households, shared by the largest-remainder method.
    CREATE TABLE dividends (
        number INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        -- The period label (2026, 2026-Q4, 2026-11) and its first and last days.
        period TEXT NOT NULL,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        basis TEXT NOT NULL CHECK (basis IN ('earned')),
        amount INTEGER NOT NULL CHECK (amount > 0),
        -- The sum of the households' weights (points earned, hundredths).
        total_weight INTEGER NOT NULL CHECK (total_weight > 0),
        -- Points earned in the period by volunteers without a household: they share in nothing.
        unassigned_weight INTEGER NOT NULL CHECK (unassigned_weight >= 0),
        entry INTEGER NOT NULL REFERENCES entries(sequence),
        effective_date TEXT NOT NULL,
        actor TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    ) STRICT;

    -- The allocation table: every household that earned points, its weight and its share (a share of 0
    -- is listed but not posted). The shares of a dividend sum to its amount.
    CREATE TABLE dividend_shares (
        dividend INTEGER NOT NULL REFERENCES dividends(number),
        household TEXT NOT NULL REFERENCES households(id),
        weight INTEGER NOT NULL CHECK (weight > 0),
        share INTEGER NOT NULL CHECK (share >= 0),
        -- 1 when the household received one of the leftover fen (largest remainders), else 0.
        leftover INTEGER NOT NULL CHECK (leftover IN (0, 1)),
        PRIMARY KEY (dividend, household)
    ) STRICT, WITHOUT ROWID;

    CREATE TRIGGER fund_contributions_append_only_update BEFORE UPDATE ON fund_contributions
        BEGIN SELECT RAISE(ABORT, 'fund contributions are never changed: post a correction'); END;
    CREATE TRIGGER fund_contributions_append_only_delete BEFORE DELETE ON fund_contributions
        BEGIN SELECT RAISE(ABORT, 'fund contributions are never deleted'); END;
    CREATE TRIGGER fund_donations_append_only_update BEFORE UPDATE ON fund_donations
        BEGIN SELECT RAISE(ABORT, 'fund donations are never changed: post a correction'); END;
    CREATE TRIGGER fund_donations_append_only_delete BEFORE DELETE ON fund_donations
        BEGIN SELECT RAISE(ABORT, 'fund donations are never deleted'); END;
    CREATE TRIGGER dividends_append_only_update BEFORE UPDATE ON dividends
        BEGIN SELECT RAISE(ABORT, 'dividends are never changed: post a correction'); END;
    CREATE TRIGGER dividends_append_only_delete BEFORE DELETE ON dividends
        BEGIN SELECT RAISE(ABORT, 'dividends are never deleted'); END;
    CREATE TRIGGER dividend_shares_append_only_update BEFORE UPDATE ON dividend_shares
        BEGIN SELECT RAISE(ABORT, 'dividend shares are never changed'); END;
    CREATE TRIGGER dividend_shares_append_only_delete BEFORE DELETE ON dividend_shares
        BEGIN SELECT RAISE(ABORT, 'dividend shares are never deleted'); END;
    """
}
