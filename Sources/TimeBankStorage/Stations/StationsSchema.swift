/// The tables of stations at work (migration 4): operators, stock, receipts, refunds, bookings and gifts.
///
/// History is append-only like the ledger: triggers refuse to edit or delete stock movements, receipts,
/// refunds, bookings, their endings and gifts. Two tables are kept by triggers and never written directly:
/// `stock_levels` (the sum of each station's movements per item, never below 0) and `active_holds` (the
/// bookings that have not ended yet, the working set for capacity and expiry).
enum StationsSchema {
    static let migration = Migration(version: 4, name: "stations, operators, stock and redemption", sql: sql)

    static let sql = """
    -- Operators sign in with a PIN, stored only as PBKDF2-HMAC-SHA256 with a per-operator salt.
    CREATE TABLE operators (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin','operator','auditor')),
        station TEXT REFERENCES stations(id),
        pin_hash TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        CHECK (role <> 'operator' OR station IS NOT NULL)
    ) STRICT;
    -- Only the PIN hash may change (a new PIN); who changed it is kept in operator_events.
    CREATE TRIGGER operators_fixed BEFORE UPDATE OF id, name, role, station, created_by, created_at ON operators
        BEGIN SELECT RAISE(ABORT, 'operators are never edited: add a new operator instead'); END;
    CREATE TRIGGER operators_kept BEFORE DELETE ON operators
        BEGIN SELECT RAISE(ABORT, 'operators are never deleted: their actions refer to them'); END;
    CREATE TABLE operator_events (
        id INTEGER PRIMARY KEY,
        operator TEXT NOT NULL REFERENCES operators(id),
        event TEXT NOT NULL CHECK (event IN ('added','pin_changed')),
        actor TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    ) STRICT;

    -- Stock operations (receive, adjust, move) by client key: a retry with the same content returns the original.
    CREATE TABLE stock_operations (
        number INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('receive','adjust','move')),
        content_digest BLOB NOT NULL,
        entry INTEGER REFERENCES entries(sequence),
        actor TEXT NOT NULL,
        effective_date TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    ) STRICT;

    -- Redemption receipts, with what was printed (names as they were).
    CREATE TABLE receipts (
        number INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        content_digest BLOB NOT NULL,
        station TEXT NOT NULL REFERENCES stations(id),
        station_name TEXT NOT NULL,
        volunteer TEXT NOT NULL REFERENCES volunteers(id),
        volunteer_name TEXT NOT NULL,
        paid_from TEXT NOT NULL,
        item TEXT NOT NULL,
        item_label TEXT NOT NULL,
        item_kind TEXT NOT NULL CHECK (item_kind IN ('goods','service')),
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit_price INTEGER NOT NULL CHECK (unit_price > 0),
        points INTEGER NOT NULL CHECK (points > 0),
        balance_after INTEGER NOT NULL,
        operator TEXT NOT NULL REFERENCES operators(id),
        operator_name TEXT NOT NULL,
        redeemed_on TEXT NOT NULL,
        service_date TEXT,
        recorded_at TEXT NOT NULL,
        entry INTEGER NOT NULL UNIQUE REFERENCES entries(sequence),
        hold INTEGER UNIQUE REFERENCES holds(number),
        policy_version INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX receipts_for_limits ON receipts(volunteer, item, redeemed_on);
    CREATE INDEX receipts_for_capacity ON receipts(station, item, service_date) WHERE service_date IS NOT NULL;
    CREATE INDEX receipts_by_day ON receipts(station, redeemed_on);

    -- A receipt is refunded at most once (the primary key).
    CREATE TABLE refunds (
        receipt INTEGER PRIMARY KEY REFERENCES receipts(number),
        reason TEXT NOT NULL,
        operator TEXT NOT NULL REFERENCES operators(id),
        station TEXT NOT NULL REFERENCES stations(id),
        entry INTEGER NOT NULL UNIQUE REFERENCES entries(sequence),
        hold_entry INTEGER UNIQUE REFERENCES entries(sequence),
        refunded_on TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    ) STRICT;

    -- Every stock change. Levels are their sum (kept by the trigger below, never below 0).
    CREATE TABLE stock_movements (
        id INTEGER PRIMARY KEY,
        station TEXT NOT NULL REFERENCES stations(id),
        item TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity <> 0),
        kind TEXT NOT NULL CHECK (kind IN ('receive','adjust','move_out','move_in','redeem','refund')),
        reason TEXT CHECK (reason IS NULL OR reason IN ('damaged','lost','count-correction')),
        unit_cost INTEGER CHECK (unit_cost IS NULL OR unit_cost >= 0),
        note TEXT NOT NULL,
        operation INTEGER REFERENCES stock_operations(number),
        receipt INTEGER REFERENCES receipts(number),
        actor TEXT NOT NULL,
        effective_date TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        CHECK ((operation IS NULL) <> (receipt IS NULL))
    ) STRICT;
    CREATE INDEX stock_movements_by_item ON stock_movements(station, item, id);
    CREATE INDEX stock_movements_by_receipt ON stock_movements(receipt) WHERE receipt IS NOT NULL;
    CREATE TABLE stock_levels (
        station TEXT NOT NULL REFERENCES stations(id),
        item TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 0),
        PRIMARY KEY (station, item)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX stock_levels_by_item ON stock_levels(item, quantity);
    CREATE TRIGGER stock_movements_keep_level AFTER INSERT ON stock_movements BEGIN
        INSERT OR IGNORE INTO stock_levels(station, item, quantity) VALUES (NEW.station, NEW.item, 0);
        UPDATE stock_levels SET quantity = quantity + NEW.quantity WHERE station = NEW.station AND item = NEW.item;
    END;

    -- Service bookings (two-phase holds) and how each ended (at most once: the primary key).
    CREATE TABLE holds (
        number INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        content_digest BLOB NOT NULL,
        station TEXT NOT NULL REFERENCES stations(id),
        volunteer TEXT NOT NULL REFERENCES volunteers(id),
        paid_from TEXT NOT NULL,
        item TEXT NOT NULL,
        item_label TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit_price INTEGER NOT NULL CHECK (unit_price > 0),
        points INTEGER NOT NULL CHECK (points > 0),
        service_date TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        operator TEXT NOT NULL REFERENCES operators(id),
        booked_on TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        entry INTEGER NOT NULL UNIQUE REFERENCES entries(sequence),
        policy_version INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX holds_for_limits ON holds(volunteer, item, service_date);
    CREATE TABLE hold_endings (
        hold INTEGER PRIMARY KEY REFERENCES holds(number),
        state TEXT NOT NULL CHECK (state IN ('fulfilled','cancelled','expired')),
        entry INTEGER NOT NULL UNIQUE REFERENCES entries(sequence),
        receipt INTEGER REFERENCES receipts(number),
        reason TEXT NOT NULL,
        actor TEXT NOT NULL,
        ended_on TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE active_holds (
        hold INTEGER PRIMARY KEY REFERENCES holds(number),
        station TEXT NOT NULL,
        item TEXT NOT NULL,
        service_date TEXT NOT NULL,
        volunteer TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        expires_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX active_holds_by_expiry ON active_holds(expires_at);
    CREATE INDEX active_holds_by_slot ON active_holds(station, item, service_date);
    CREATE INDEX active_holds_by_volunteer ON active_holds(volunteer, item);
    CREATE TRIGGER holds_start AFTER INSERT ON holds BEGIN
        INSERT INTO active_holds(hold, station, item, service_date, volunteer, quantity, expires_at)
        VALUES (NEW.number, NEW.station, NEW.item, NEW.service_date, NEW.volunteer, NEW.quantity, NEW.expires_at);
    END;
    CREATE TRIGGER holds_end AFTER INSERT ON hold_endings BEGIN
        DELETE FROM active_holds WHERE hold = NEW.hold;
    END;

    -- Transfers between volunteers and donations to the community pool (爱心积分), by client key.
    CREATE TABLE gifts (
        number INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        content_digest BLOB NOT NULL,
        giver TEXT NOT NULL REFERENCES volunteers(id),
        recipient TEXT REFERENCES volunteers(id),
        points INTEGER NOT NULL CHECK (points > 0),
        given_on TEXT NOT NULL,
        operator TEXT NOT NULL REFERENCES operators(id),
        recorded_at TEXT NOT NULL,
        entry INTEGER NOT NULL UNIQUE REFERENCES entries(sequence)
    ) STRICT;
    CREATE INDEX gifts_by_giver ON gifts(giver, given_on);

    -- History is append-only.
    CREATE TRIGGER operator_events_append_only_update BEFORE UPDATE ON operator_events
        BEGIN SELECT RAISE(ABORT, 'operator events are append-only: never updated'); END;
    CREATE TRIGGER operator_events_append_only_delete BEFORE DELETE ON operator_events
        BEGIN SELECT RAISE(ABORT, 'operator events are append-only: never deleted'); END;
    CREATE TRIGGER stock_operations_append_only_update BEFORE UPDATE ON stock_operations
        BEGIN SELECT RAISE(ABORT, 'stock history is append-only: operations are never updated'); END;
    CREATE TRIGGER stock_operations_append_only_delete BEFORE DELETE ON stock_operations
        BEGIN SELECT RAISE(ABORT, 'stock history is append-only: operations are never deleted'); END;
    CREATE TRIGGER stock_movements_append_only_update BEFORE UPDATE ON stock_movements
        BEGIN SELECT RAISE(ABORT, 'stock history is append-only: movements are never updated'); END;
    CREATE TRIGGER stock_movements_append_only_delete BEFORE DELETE ON stock_movements
        BEGIN SELECT RAISE(ABORT, 'stock history is append-only: movements are never deleted'); END;
    CREATE TRIGGER receipts_append_only_update BEFORE UPDATE ON receipts
        BEGIN SELECT RAISE(ABORT, 'receipts are append-only: never updated (a refund is recorded beside it)'); END;
    CREATE TRIGGER receipts_append_only_delete BEFORE DELETE ON receipts
        BEGIN SELECT RAISE(ABORT, 'receipts are append-only: never deleted'); END;
    CREATE TRIGGER refunds_append_only_update BEFORE UPDATE ON refunds
        BEGIN SELECT RAISE(ABORT, 'refunds are append-only: never updated'); END;
    CREATE TRIGGER refunds_append_only_delete BEFORE DELETE ON refunds
        BEGIN SELECT RAISE(ABORT, 'refunds are append-only: never deleted'); END;
    CREATE TRIGGER holds_append_only_update BEFORE UPDATE ON holds
        BEGIN SELECT RAISE(ABORT, 'bookings are append-only: never updated (an ending is recorded beside it)'); END;
    CREATE TRIGGER holds_append_only_delete BEFORE DELETE ON holds
        BEGIN SELECT RAISE(ABORT, 'bookings are append-only: never deleted'); END;
    CREATE TRIGGER hold_endings_append_only_update BEFORE UPDATE ON hold_endings
        BEGIN SELECT RAISE(ABORT, 'booking endings are append-only: never updated'); END;
    CREATE TRIGGER hold_endings_append_only_delete BEFORE DELETE ON hold_endings
        BEGIN SELECT RAISE(ABORT, 'booking endings are append-only: never deleted'); END;
    CREATE TRIGGER gifts_append_only_update BEFORE UPDATE ON gifts
        BEGIN SELECT RAISE(ABORT, 'transfers are append-only: never updated'); END;
    CREATE TRIGGER gifts_append_only_delete BEFORE DELETE ON gifts
        BEGIN SELECT RAISE(ABORT, 'transfers are append-only: never deleted'); END;
    """
}
