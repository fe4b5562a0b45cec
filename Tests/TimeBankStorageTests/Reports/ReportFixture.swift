import Foundation
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// The policy of the report tests: two categories (orange 12/h, green 10/h), an earning and a deducting
/// indicator, a verifier required with auto-accept after 3 days, expiry after 12 months with 30 days' warning,
/// a monthly top 2 by hours, and two goods.
let reportTestPolicy = """
    [policy]
    id = "report-test"
    version = 1
    effective = 2026-01-01

    [earning]
    rounding = "half_up"
    step = 0.01
    require_verifier = true
    auto_accept_after_days = 3

    [categories.orange]
    label = "橙色关怀"
    points_per_hour = 12

    [categories.green]
    label = "绿色环保"
    points_per_hour = 10

    [indicators.garbage_sorting]
    label = "垃圾分类达标"
    points = 3
    per = "month"

    [indicators.illegal_structure]
    label = "违章搭建"
    points = -20
    per = "year"

    [expiry]
    after_months = 12
    warn_days = 30

    [ranking]
    period = "month"
    top = 2
    by = "hours"

    [catalog.rice_5kg]
    label = "大米 5kg"
    kind = "goods"
    price = 60
    unit_cost = 30

    [catalog.biscuits]
    label = "饼干礼盒"
    kind = "goods"
    price = 20
    unit_cost = 10
    """

/// The records of the small community (V1, V2 of household H1; V3 alone; V4 of H2), October 2026.
let reportTestRecords = """
    id,volunteer,household,category,indicator,date,start,end,period,verifier,note
    r1,V1,,orange,,2026-10-02,09:00,11:00,,社区,探访独居老人
    r2,V2,,orange,,2026-10-02,09:00,10:30,,社区,
    r3,V2,,green,,2026-10-03,14:00,16:00,,社区,
    r4,V4,,green,,2026-10-03,08:00,08:50,,,"no verifier yet"
    r5,V3,,orange,,2026-10-03,10:00,11:00,,社区,
    r6,V4,,green,,2026-10-03,09:00,10:30,,社区,
    r7,V1,,green,,2026-10-04,09:00,10:00,,社区,
    a1,,H2,,garbage_sorting,2026-10-03,,,2026-10,村委会,
    a2,V3,,,illegal_structure,2026-10-03,,,2026,村委会,

    """

/// A small community where every number of every report is computed by hand (docs/reports.md shows
/// the same reports). Everything happens by 2026-10-08:
///
/// | date  | what | points (hundredths in code) |
/// |-------|------|------|
/// | 10-01 | award V1 100.00 (no expiry); household H1 5.00 + 2.50 (expire 10-09) and 1.00 (expires 10-08); H2 4.00 (expires 11-07) and 6.00 (11-08) | awarded 118.50 |
/// | 10-02 | award V3 50.00 (expires 10-20); r1 V1 orange 2 h = 24.00; r2 V2 orange 1.5 h = 18.00 | awarded 92.00, 2 records |
/// | 10-03 | r3 V2 green 2 h = 20.00 (reversed on 10-08); r6 V4 green 1.5 h = 15.00; a1 H2 garbage sorting 3.00; a2 V3 illegal structure −20.00 | awarded 38.00, deducted 20.00, 4 records |
/// | 10-08 | S01 receives 6 rice (30 CNY) and 10 biscuits (10 CNY), S02 3 biscuits: 310.00 CNY out; V1 redeems rice and biscuits at S01, biscuits refunded; V3 redeems biscuits at S02; r3's award reversed | redeemed 100.00, refunded 20.00, reversed 20.00 |
///
/// Records: r4 is pending (no verifier; imported on 10-08, so auto-accepted on 10-11), r5 rejected, r7 approved and not posted.
final class ReportFixture {
    let stations: StationFixture
    var store: TimeBankStore { stations.store }
    let first = LocalDate("2026-10-01")!
    let last = LocalDate("2026-10-08")!

    init() throws {
        stations = try StationFixture(policy: reportTestPolicy)
        let store = stations.store
        func award(_ key: String, _ account: AccountID, _ amount: Int64, on day: String, expires: String? = nil) throws {
            try store.post(.move(key: key, kind: .award, date: LocalDate(day)!, actor: "test", memo: "直接奖励", from: .issuance,
                                 to: account, amount: amount, lotExpiresOn: expires.flatMap { LocalDate($0) }))
        }
        try award("welcome-V1", .volunteer("V1"), 10_000, on: "2026-10-01")
        try award("h1-a", .household("H1"), 500, on: "2026-10-01", expires: "2026-10-09")
        try award("h1-b", .household("H1"), 250, on: "2026-10-01", expires: "2026-10-09")
        try award("h1-c", .household("H1"), 100, on: "2026-10-01", expires: "2026-10-08")
        try award("h2-a", .household("H2"), 400, on: "2026-10-01", expires: "2026-11-07")
        try award("h2-b", .household("H2"), 600, on: "2026-10-01", expires: "2026-11-08")
        try award("welcome-V3", .volunteer("V3"), 5_000, on: "2026-10-02", expires: "2026-10-20")

        let outcome = try store.importRecords(Array(reportTestRecords.utf8), fileName: "october.csv", actor: "importer",
                                              today: stations.today)
        precondition(outcome.rejected.isEmpty && outcome.stored.count == 9, "\(outcome.rejected)")
        try store.approveRecords(["r1", "r2", "r3", "r6", "r7", "a1", "a2"].map { ($0, nil) }, actor: "admin")
        try store.rejectRecords([("r5", nil)], actor: "admin", reason: "与纸质记录重复 duplicate of the paper record")
        try store.postApprovedRecords(on: LocalDate("2026-10-02")!, actor: "settlement")
        try store.postApprovedRecords(on: LocalDate("2026-10-03")!, actor: "settlement")

        try stations.stock("S01", "rice_5kg", 6)
        try stations.stock("S01", "biscuits", 10)
        try stations.stock("S02", "biscuits", 3)
        try stations.redeem("V1", "rice_5kg", at: "S01")
        let biscuits = try stations.redeem("V1", "biscuits", at: "S01").receipt
        try store.refund(receipt: biscuits.number, reason: "包装破损", by: stations.op1, on: stations.today)
        try stations.redeem("V3", "biscuits", at: "S02")
        let r3 = try store.storedRecord(id: "r3")
        try store.reverse(sequence: r3.posted!.awardEntry!, key: "undo-r3", actor: "admin", memo: "重复记录", on: stations.today)
    }
}
