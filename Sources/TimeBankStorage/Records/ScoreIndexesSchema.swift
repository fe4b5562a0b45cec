/// Migration 8: fewer indexes written per posted record. `record_scores` was indexed by account, by holder and by
/// volunteer: three index entries per record, rewritten by every settlement chunk for every account it touched.
/// Now the holder index covers only the scores that carry once-only bonuses (the only question asked by holder),
/// and a volunteer's totals are read through `records_by_volunteer`, which the import writes anyway.
enum ScoreIndexesSchema {
    static let migration = Migration(version: 8, name: "fewer indexes per posted record", sql: """
    DROP INDEX record_scores_by_holder;
    DROP INDEX record_scores_by_volunteer;
    CREATE INDEX record_scores_once_bonuses ON record_scores(holder) WHERE once_bonuses <> '';
    """)
}
