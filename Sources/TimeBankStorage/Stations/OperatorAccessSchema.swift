/// Migration 19: operators' access withdrawn and given back (`operator disable`, `operator enable`). The `operators` table
/// refuses every edit and delete (their actions refer to them), so access is a history of its own: each change with the
/// admin who made it, when (the store's clock) and why. The last change of an operator decides whether they may sign in
/// (none: enabled). Rows are only added; a change that changes nothing (disabling a disabled operator) is refused here as
/// well as by the store, so the history alternates and starts with a withdrawal.
enum OperatorAccessSchema {
    static let migration = Migration(version: 19, name: "operator access", sql: """
    CREATE TABLE operator_access_changes (
        id INTEGER PRIMARY KEY,
        operator TEXT NOT NULL REFERENCES operators(id),
        change TEXT NOT NULL CHECK (change = 'disabled' OR change = 'enabled'),
        reason TEXT NOT NULL,
        actor TEXT NOT NULL REFERENCES operators(id),
        recorded_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX operator_access_changes_by_operator ON operator_access_changes(operator, id);
    CREATE TRIGGER operator_access_changes_alternate BEFORE INSERT ON operator_access_changes
        WHEN NEW.change = coalesce((SELECT change FROM operator_access_changes WHERE operator = NEW.operator ORDER BY id DESC LIMIT 1),
                                   'enabled')
        BEGIN SELECT RAISE(ABORT, 'an operator access change must change it: disabled after enabled, enabled after disabled'); END;
    CREATE TRIGGER operator_access_changes_never_updated BEFORE UPDATE ON operator_access_changes
        BEGIN SELECT RAISE(ABORT, 'operator access changes are append-only: never updated'); END;
    CREATE TRIGGER operator_access_changes_never_deleted BEFORE DELETE ON operator_access_changes
        BEGIN SELECT RAISE(ABORT, 'operator access changes are append-only: never deleted'); END;
    """)
}
