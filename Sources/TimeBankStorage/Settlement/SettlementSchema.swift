/// The tables of the nightly settlement (migration 5): the settled days, each step's progress, star
/// levels, rankings and the day's reports.
enum SettlementSchema {
    static let migration = Migration(version: 5, name: "nightly settlement, levels, rankings, reports", sql: """
    -- One row per settled day, written by the last step in the same transaction as nothing else: a day is
    -- settled exactly when its row exists. The counts are what the summary shows again on a re-run.
    CREATE TABLE settlements (
        date TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        settled_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        out_of_order INTEGER NOT NULL CHECK (out_of_order IN (0, 1)),
        counts TEXT NOT NULL,
        ranking_period TEXT,
        reports TEXT NOT NULL,
        head_sequence INTEGER NOT NULL,
        head_hash TEXT NOT NULL
    ) STRICT;

    -- What each step (and each chunk of the posting step) did, committed with its work: a re-run after a
    -- kill skips what is here and adds the counts up.
    CREATE TABLE settlement_progress (
        date TEXT NOT NULL,
        step INTEGER NOT NULL,
        part INTEGER NOT NULL,
        counts TEXT NOT NULL,
        detail TEXT,
        finished_at TEXT NOT NULL,
        PRIMARY KEY (date, step, part)
    ) STRICT, WITHOUT ROWID;

    -- The records the posting step works through, in canonical order, fixed when the step starts so that
    -- its chunks are the same however often it is resumed.
    CREATE TABLE settlement_queue (
        date TEXT NOT NULL,
        position INTEGER NOT NULL,
        record INTEGER NOT NULL REFERENCES records(number),
        PRIMARY KEY (date, position)
    ) STRICT, WITHOUT ROWID;

    -- Each volunteer's current star level, and every change with the day it happened.
    CREATE TABLE volunteer_levels (
        volunteer TEXT PRIMARY KEY REFERENCES volunteers(id),
        level TEXT NOT NULL,
        since TEXT NOT NULL
    ) STRICT;
    CREATE TABLE level_changes (
        date TEXT NOT NULL,
        volunteer TEXT NOT NULL REFERENCES volunteers(id),
        from_level TEXT,
        to_level TEXT,
        measure INTEGER NOT NULL,
        PRIMARY KEY (date, volunteer)
    ) STRICT, WITHOUT ROWID;

    -- Rankings of ended periods (`2026-10`), written once by the first settlement after the period ends.
    CREATE TABLE rankings (
        period TEXT NOT NULL,
        rank INTEGER NOT NULL,
        volunteer TEXT NOT NULL,
        name TEXT NOT NULL,
        points INTEGER NOT NULL,
        minutes INTEGER NOT NULL,
        written_on TEXT NOT NULL,
        PRIMARY KEY (period, volunteer)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE ranking_periods (
        period TEXT PRIMARY KEY,
        first_day TEXT NOT NULL,
        last_day TEXT NOT NULL,
        measure TEXT NOT NULL,
        top INTEGER NOT NULL,
        written_on TEXT NOT NULL
    ) STRICT;

    -- The day's reports as the settlement wrote them, in each format.
    CREATE TABLE settlement_reports (
        date TEXT NOT NULL,
        name TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('text','csv','json')),
        content TEXT NOT NULL,
        PRIMARY KEY (date, name, format)
    ) STRICT, WITHOUT ROWID;

    CREATE TRIGGER settlements_never_changed BEFORE UPDATE ON settlements
        BEGIN SELECT RAISE(ABORT, 'a settled day is never changed'); END;
    CREATE TRIGGER settlements_never_deleted BEFORE DELETE ON settlements
        BEGIN SELECT RAISE(ABORT, 'a settled day is never deleted'); END;
    CREATE TRIGGER rankings_never_changed BEFORE UPDATE ON rankings
        BEGIN SELECT RAISE(ABORT, 'a written ranking is never changed'); END;
    CREATE TRIGGER level_changes_never_changed BEFORE UPDATE ON level_changes
        BEGIN SELECT RAISE(ABORT, 'level history is never changed'); END;
    """)
}
