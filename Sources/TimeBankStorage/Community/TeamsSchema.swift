/// Migration 15: the community's own volunteer teams (志愿服务队), such as 望江街社區's 牽手, 菩提, 金穗, 春雨, 守望 and
/// 遠聲. A database with no team stored keeps the five-colour teams (`Team.fiveColours`), so every community made
/// before this migration reads as it did.
enum TeamsSchema {
    static let migration = Migration(version: 15, name: "volunteer teams", sql: """
    CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        label TEXT NOT NULL
    ) STRICT;
    """)
}
