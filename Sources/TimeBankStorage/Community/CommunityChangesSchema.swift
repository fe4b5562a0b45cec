/// Migration 20: the history of changes to households, volunteers and stations after they were added (`volunteer update`,
/// `household update`, `station update`): one row per field changed, with the value before and after, who, when and why.
/// Append-only, as the ledger is: a change is corrected by another change, never by editing the history.
/// Self-contained: it reads no table of another migration, so it applies the same to a store of any earlier version.
enum CommunityChangesSchema {
    static let migration = Migration(version: 20, name: "community changes", sql: """
    CREATE TABLE community_changes (
        number INTEGER PRIMARY KEY,
        subject TEXT NOT NULL CHECK (subject = 'volunteer' OR subject = 'household' OR subject = 'station'),
        id TEXT NOT NULL,
        field TEXT NOT NULL,
        old_value TEXT NOT NULL,
        new_value TEXT NOT NULL,
        actor TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        reason TEXT NOT NULL
    ) STRICT;
    CREATE INDEX community_changes_by_subject ON community_changes(subject, id, number);

    CREATE TRIGGER community_changes_append_only_update BEFORE UPDATE ON community_changes
        BEGIN SELECT RAISE(ABORT, 'community changes are append-only: never updated'); END;
    CREATE TRIGGER community_changes_append_only_delete BEFORE DELETE ON community_changes
        BEGIN SELECT RAISE(ABORT, 'community changes are append-only: never deleted'); END;
    """)
}

/// Migration 21: teams corrected one at a time (`team update`) keep their history in `community_changes` too, as subject
/// `team`. SQLite cannot change a CHECK constraint, so the table is built again with the wider one, its rows copied in
/// the order written (their numbers kept), its index and append-only triggers made again. Dropping the old table fires no
/// trigger (SQLite's DROP TABLE deletes without them); the whole migration is one transaction, so no row is lost.
enum TeamChangesSchema {
    static let migration = Migration(version: 21, name: "team changes", sql: """
    CREATE TABLE community_changes_21 (
        number INTEGER PRIMARY KEY,
        subject TEXT NOT NULL CHECK (subject = 'volunteer' OR subject = 'household' OR subject = 'station' OR subject = 'team'),
        id TEXT NOT NULL,
        field TEXT NOT NULL,
        old_value TEXT NOT NULL,
        new_value TEXT NOT NULL,
        actor TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        reason TEXT NOT NULL
    ) STRICT;
    INSERT INTO community_changes_21(number, subject, id, field, old_value, new_value, actor, changed_at, reason)
        SELECT number, subject, id, field, old_value, new_value, actor, changed_at, reason FROM community_changes ORDER BY number;
    DROP TABLE community_changes;
    ALTER TABLE community_changes_21 RENAME TO community_changes;
    CREATE INDEX community_changes_by_subject ON community_changes(subject, id, number);

    CREATE TRIGGER community_changes_append_only_update BEFORE UPDATE ON community_changes
        BEGIN SELECT RAISE(ABORT, 'community changes are append-only: never updated'); END;
    CREATE TRIGGER community_changes_append_only_delete BEFORE DELETE ON community_changes
        BEGIN SELECT RAISE(ABORT, 'community changes are append-only: never deleted'); END;
    """)
}
