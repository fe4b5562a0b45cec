/// Migration 17: wrong PINs, for the sign-in lock-out (`SignInLockout`, O012). A row for each failed sign-in, under the
/// operator id as it was typed (an unknown id counts too, so that a lock does not tell which ids exist), and a `cleared`
/// row when a right PIN ends a run of failures. A PIN set by `timebank operator pin` clears them as well (its
/// `operator_events` row). Rows are only added. Replaced by migration 18 (`SignInAttemptsSchema`), which keeps its rows.
enum SignInFailuresSchema {
    static let migration = Migration(version: 17, name: "sign-in failures", sql: """
    CREATE TABLE sign_in_failures (
        id INTEGER PRIMARY KEY,
        operator TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome = 'failed' OR outcome = 'cleared'),
        at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sign_in_failures_by_operator ON sign_in_failures(operator, at);
    CREATE TRIGGER sign_in_failures_append_only_update BEFORE UPDATE ON sign_in_failures
        BEGIN SELECT RAISE(ABORT, 'sign-in failures are append-only: never updated'); END;
    CREATE TRIGGER sign_in_failures_append_only_delete BEFORE DELETE ON sign_in_failures
        BEGIN SELECT RAISE(ABORT, 'sign-in failures are append-only: never deleted'); END;
    """)
}
