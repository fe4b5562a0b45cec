import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// The levels report over a range across policy versions: each change is read by the levels the settlement of its night
/// used, not by those of the range's last day (docs/reports.md, "report levels").
@Suite("Levels report across versions")
struct LevelsReportTests {
    static let today = RecordWithdrawalTests.today

    /// config/policy.toml as version `version`, effective on `effective`; without its `[levels]` when `levels` is false.
    static func policy(version: Int, effective: String, levels: Bool = true) throws -> String {
        var text = try RecordStoreTests.policyText()
            .replacingOccurrences(of: "effective = 2026-10-01", with: "effective = \(effective)")
            .replacingOccurrences(of: "version = 1 ", with: "version = \(version) ")
        if !levels {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let start = try #require(lines.firstIndex { $0.hasPrefix("# 星级志愿者") })
            let end = try #require(lines.firstIndex { $0.hasPrefix("# 每月积分排行") })
            text = (lines[..<start] + lines[end...]).joined(separator: "\n")
            #expect(!text.contains("[levels."))
        }
        return text
    }

    /// V1 serves 8 counted hours a day from 10-04 to 10-10 (56 hours: 二星, 50 hours), settled on the 10th; the 10-10
    /// record is withdrawn and the 11th settled: 48 hours, down to 一星 (20 hours). A version effective on the 12th has
    /// no `[levels]`, and the 12th is settled: levels stay as they were, and no change is written.
    @Test("a change down stays down, with the levels' labels, when the range's last day is under a version without [levels]")
    func downUnderAVersionWithoutLevels() throws {
        let test = try TestStore()
        let store = test.store
        try store.activatePolicy(try Self.policy(version: 1, effective: "2026-10-01"), actor: "admin")
        let days = (4...10).map { String(format: "2026-10-%02d", $0) }
        let rows = days.enumerated().map { "d\($0.offset),V1,orange,\($0.element),08:00,16:00,社区" }
        _ = try store.importRecords(Array(("id,volunteer,category,date,start,end,verifier\n" + rows.joined(separator: "\n") + "\n").utf8),
                                    fileName: "records.csv", actor: "importer", today: Self.today)
        let tenth = LocalDate("2026-10-10")!
        _ = try store.settle(SettlementRequest(date: tenth, actor: "nightly", today: Self.today))
        let award = try #require(try store.storedRecord(id: "d6").posted?.awardEntry)
        try store.reverse(sequence: award, key: "withdraw-d6", actor: "admin", memo: "登记错误", on: tenth.adding(days: 1))
        _ = try store.settle(SettlementRequest(date: tenth.adding(days: 1), actor: "nightly", today: Self.today))
        try store.activatePolicy(try Self.policy(version: 2, effective: "2026-10-12", levels: false), actor: "admin")
        _ = try store.settle(SettlementRequest(date: tenth.adding(days: 2), actor: "nightly", today: Self.today))

        // Under version 1 alone, the report reads the changes as the settlement made them.
        let underOne = try store.levelsReport(from: tenth, through: tenth.adding(days: 1))
        #expect(underOne.column("change") == [.text("reached"), .text("down")])
        #expect(underOne.column("to_level") == [.text("二星志愿者 (star2)"), .text("一星志愿者 (star1)")])
        // Across the version without levels: the same changes, the same words, the same labels.
        let across = try store.levelsReport(from: tenth, through: tenth.adding(days: 2))
        #expect(across.column("change") == [.text("reached"), .text("down")])
        #expect(across.column("from_level") == [.empty, .text("二星志愿者 (star2)")])
        #expect(across.column("to_level") == [.text("二星志愿者 (star2)"), .text("一星志愿者 (star1)")])
        #expect(across.notes.last?.hasPrefix("Held at the end of 2026-10-12: 一星志愿者 (star1) 1;") == true, "\(across.notes)")
    }
}
