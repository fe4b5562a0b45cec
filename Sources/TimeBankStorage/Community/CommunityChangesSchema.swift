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
