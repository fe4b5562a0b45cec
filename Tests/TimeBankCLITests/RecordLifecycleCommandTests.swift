import Foundation
import Testing
import TimeBankCore
import TimeBankStorage
@testable import TimeBankCLI

/// A record's life after the import, as a verifier, an admin and a volunteer meet it: decisions on several records at
/// once, the list after a correction, and the preview of a record that waits for nobody's objection.
@Suite("Record lifecycle commands")
struct RecordLifecycleCommandTests {
    static let header = "id,volunteer,category,date,start,end,verifier\n"

    @Test("record list after a correction: a withdrawn record's points show as taken back, so the column adds up to the balance")
    func listAfterWithdrawal() throws {
        let harness = try ScoringHarness()
        try harness.community()
        // r1: 150 minutes of care on Tuesday 13 October (30 + the first-service bonus 5); r2 the same afternoon, 60 minutes (12).
        let file = try harness.write("oct.csv", Self.header + """
            r1,V1,orange,2026-10-13,08:30,11:00,张主任
            r2,V1,orange,2026-10-13,14:00,15:00,张主任

            """)
        try harness.ok(["record", "import", file])
        try harness.ok(["settle", "--date", "2026-10-13"])
        let reversal = try harness.ok(["reverse", "1", "--key", "withdraw-r1-award", "--reason", "未服务"])
        #expect(reversal.contains("record default:r1 is withdrawn"))

        let list = try harness.ok(["record", "list", "--volunteer", "V1"])
        let r1 = try #require(list.split(separator: "\n").first { $0.hasPrefix("r1 ") })
        let r2 = try #require(list.split(separator: "\n").first { $0.hasPrefix("r2 ") })
        #expect(r1.hasSuffix("approved, posted, withdrawn  0.00 (posted 35.00)"), "\(list)")
        #expect(r2.hasSuffix(" 12.00"), "\(list)")
        #expect(try harness.ok(["balance", "V1"]).contains("12.00"))
    }
}
