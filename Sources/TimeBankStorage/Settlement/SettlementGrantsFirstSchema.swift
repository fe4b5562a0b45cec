/// Migration 11: grants before scoring. The nightly settlement posts the grants (基础分) before it scores the records, so
/// `SettlementStep.grant` is now step 2 and `.post` step 3 (they were 3 and 2). The stored progress of every night is
/// renumbered to match, so a night killed before the upgrade resumes at the step it was in: a night whose records
/// were posted and whose grants were not still posts its grants.
enum SettlementGrantsFirstSchema {
    static let migration = Migration(version: 11, name: "settlement grants before scoring", sql: """
    UPDATE settlement_progress SET step = 102 WHERE step = 2;
    UPDATE settlement_progress SET step = 2 WHERE step = 3;
    UPDATE settlement_progress SET step = 3 WHERE step = 102;
    """)
}
