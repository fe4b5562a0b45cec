/// The tables of service records and assessments, and of the scores posted for them (migration 3).
enum RecordsSchema {
    static let migration = Migration(version: 3, name: "service records, assessments and posted scores", sql: """
    -- Imported records. (source, id) identifies a record: importing it again adds nothing, and the same
    -- id with other content is refused. The content never changes; only the decision is written, once.
    CREATE TABLE records (
        number INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('service','assessment')),
        volunteer TEXT,
        household TEXT,
        category TEXT,
        indicator TEXT,
        service_date TEXT NOT NULL,
        start_time TEXT,
        end_time TEXT,
        minutes INTEGER NOT NULL,
        period TEXT,
        result TEXT CHECK (result IS NULL OR result IN ('met','broken')),
        verifier TEXT,
        response_level TEXT CHECK (response_level IS NULL OR response_level IN ('I','II','III')),
        rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
        tags TEXT NOT NULL,
        station TEXT,
        note TEXT NOT NULL,
        content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        import_file TEXT NOT NULL,
        import_row INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),
        decided_at TEXT,
        decided_by TEXT,
        decision_reason TEXT,
        -- Who verified the record at approval, when the record itself named no verifier.
        approval_verifier TEXT,
        UNIQUE (source, id)
    ) STRICT;
    CREATE INDEX records_by_volunteer ON records(volunteer, service_date);
    CREATE INDEX records_by_date ON records(service_date, status);
    CREATE INDEX records_by_id ON records(id);

    CREATE TRIGGER records_content_fixed BEFORE UPDATE OF source, id, kind, volunteer, household, category, indicator,
        service_date, start_time, end_time, minutes, period, result, verifier, response_level, rating, tags, station, note,
        content_sha256, imported_at, imported_by, import_file, import_row ON records
        BEGIN SELECT RAISE(ABORT, 'a record''s content never changes: import a correction under a new id'); END;
    CREATE TRIGGER records_decided_once BEFORE UPDATE OF status ON records WHEN OLD.status <> 'pending'
        BEGIN SELECT RAISE(ABORT, 'a record is approved or rejected once'); END;
    CREATE TRIGGER records_never_deleted BEFORE DELETE ON records
        BEGIN SELECT RAISE(ABORT, 'records are never deleted: reject one instead'); END;

    -- What was posted for a record: the amounts, the ledger entries and the explanation the volunteer is
    -- shown. Written in the same transaction as the entries; never changed.
    CREATE TABLE record_scores (
        record INTEGER PRIMARY KEY REFERENCES records(number),
        policy_version INTEGER REFERENCES policy_versions(number),
        account TEXT NOT NULL,
        -- The volunteer, or the household assessed without one: who holds once-only bonuses.
        holder TEXT NOT NULL,
        volunteer TEXT,
        service_date TEXT NOT NULL,
        category TEXT,
        indicator TEXT,
        period TEXT,
        minutes_counted INTEGER NOT NULL,
        earned INTEGER NOT NULL,
        award INTEGER NOT NULL CHECK (award >= 0),
        deduction INTEGER NOT NULL CHECK (deduction >= 0),
        shortfall INTEGER NOT NULL CHECK (shortfall >= 0),
        once_bonuses TEXT NOT NULL,
        award_entry INTEGER REFERENCES entries(sequence),
        penalty_entry INTEGER REFERENCES entries(sequence),
        posted_at TEXT NOT NULL,
        posted_by TEXT NOT NULL
    ) STRICT;
    CREATE INDEX record_scores_by_account ON record_scores(account, service_date);
    CREATE INDEX record_scores_by_holder ON record_scores(holder);
    CREATE INDEX record_scores_by_volunteer ON record_scores(volunteer);

    CREATE TABLE record_score_steps (
        record INTEGER NOT NULL REFERENCES record_scores(record),
        idx INTEGER NOT NULL,
        rule TEXT NOT NULL,
        text TEXT NOT NULL,
        effect TEXT NOT NULL,
        running TEXT NOT NULL,
        PRIMARY KEY (record, idx)
    ) STRICT, WITHOUT ROWID;

    CREATE TRIGGER record_scores_append_only_update BEFORE UPDATE ON record_scores
        BEGIN SELECT RAISE(ABORT, 'posted scores are never changed'); END;
    CREATE TRIGGER record_scores_append_only_delete BEFORE DELETE ON record_scores
        BEGIN SELECT RAISE(ABORT, 'posted scores are never deleted'); END;
    CREATE TRIGGER record_score_steps_append_only_update BEFORE UPDATE ON record_score_steps
        BEGIN SELECT RAISE(ABORT, 'posted explanations are never changed'); END;
    CREATE TRIGGER record_score_steps_append_only_delete BEFORE DELETE ON record_score_steps
        BEGIN SELECT RAISE(ABORT, 'posted explanations are never deleted'); END;
    """)
}
