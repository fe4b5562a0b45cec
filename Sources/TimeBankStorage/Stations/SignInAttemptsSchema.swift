/// Migration 18: every sign-in attempt, reserved before its PIN is checked, so that guesses made at the same time
/// cannot get past the lock-out (O012): each one takes its place in the count, under the database's write lock, before
/// the slow PIN check starts. Replaces migration 17's `sign_in_failures`, whose rows it keeps.
///
/// An attempt is `pending` while its PIN is checked, then `failed` (a wrong PIN) or `cleared` (a right PIN, which ends the
/// run of failures before it). A pending attempt counts as a failure: one whose process was killed part-way stays so.
/// Rows are only added and resolved once, from pending; never deleted.
enum SignInAttemptsSchema {
    static let migration = Migration(version: 18, name: "sign-in attempts", sql: """
    CREATE TABLE sign_in_attempts (
        id INTEGER PRIMARY KEY,
        operator TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome = 'pending' OR outcome = 'failed' OR outcome = 'cleared'),
        at TEXT NOT NULL
    ) STRICT;
    INSERT INTO sign_in_attempts(id, operator, outcome, at) SELECT id, operator, outcome, at FROM sign_in_failures ORDER BY id;
    DROP TABLE sign_in_failures;
    CREATE INDEX sign_in_attempts_by_operator ON sign_in_attempts(operator, outcome, id);
    CREATE TRIGGER sign_in_attempts_resolved_once BEFORE UPDATE ON sign_in_attempts
        WHEN NOT (OLD.outcome = 'pending' AND (NEW.outcome = 'failed' OR NEW.outcome = 'cleared')
                  AND NEW.id = OLD.id AND NEW.operator = OLD.operator AND NEW.at = OLD.at)
        BEGIN SELECT RAISE(ABORT, 'a sign-in attempt is resolved once, from pending to failed or cleared, and never changed after'); END;
    CREATE TRIGGER sign_in_attempts_never_deleted BEFORE DELETE ON sign_in_attempts
        BEGIN SELECT RAISE(ABORT, 'sign-in attempts are never deleted'); END;
    """)
}
