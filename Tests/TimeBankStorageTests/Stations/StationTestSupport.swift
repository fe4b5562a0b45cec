import Foundation
import Synchronization
import Testing
import TimeBankCore
@testable import TimeBankStorage

/// A clock tests move by hand (for bookings that lapse).
final class ManualClock: Clock {
    private let current: Mutex<Timestamp>

    init(_ start: String) { current = Mutex(Timestamp(start)!) }

    func now() -> Timestamp { current.withLock { $0 } }

    func advance(minutes: Int) {
        current.withLock { $0.millisecondsSinceEpoch += Int64(minutes) * 60_000 }
    }
}

/// The test policy: two goods and two services, transfers of at most 50 points a month.
func stationTestPolicy(earnTo: String = "volunteer", floor: String = "0", transfers: Bool = true) -> String {
    """
    [policy]
    id = "station-test"
    version = 1
    effective = 2026-01-01

    [categories.orange]
    points_per_hour = 12

    [accounts]
    earn_to = "\(earnTo)"
    balance_floor = \(floor)

    [transfers]
    enabled = \(transfers)
    max_points_per_month = 50

    [catalog.rice_5kg]
    label = "大米 5kg"
    kind = "goods"
    price = 60
    unit_cost = 30
    limit = { count = 1, per = "month" }

    [catalog.biscuits]
    label = "饼干礼盒"
    kind = "goods"
    price = 20
    unit_cost = 10

    [catalog.health_check]
    label = "老年人健康体检"
    kind = "service"
    price = 100
    unit_cost = 50
    limit = { count = 1, per = "year" }
    eligible = 'volunteer.age >= 60'
    capacity_per_day = 2

    [catalog.home_cleaning]
    label = "上门保洁"
    kind = "service"
    price = 80
    capacity_per_day = 1
    """
}

/// A community with stations at work, in a fresh database file:
/// households H1 (V1 born 1950, V2 born 1990) and H2 (V4); V3 with no household or birth date;
/// stations S01 and S02; operators `admin`, `op1` (S01), `op2` (S02) and the auditor `audit`, all signed in.
final class StationFixture {
    let folder: String
    let path: String
    let clock = ManualClock("2026-10-08T02:00:00.000Z")   // 10:00 in China
    let store: TimeBankStore
    let today = LocalDate("2026-10-08")!
    var admin: OperatorSession!
    var op1: OperatorSession!
    var op2: OperatorSession!
    var auditor: OperatorSession!
    /// Few PBKDF2 iterations keep the tests fast; the stored format and the check are the same.
    static let iterations = 10

    init(policy: String = stationTestPolicy()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-stations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        path = folder + "/stations.sqlite"
        store = try TimeBankStore(path: path, clock: clock)
        try store.addCommunity(
            households: [Household(id: "H1", name: "王家", address: "泰山路12号"), Household(id: "H2", name: "李家", address: "泰山路14号")],
            volunteers: [
                Volunteer(id: "V1", name: "王秀英", household: "H1", birthDate: LocalDate("1950-03-08"), teams: ["orange"], tags: [],
                          joined: LocalDate("2024-05-01")!),
                Volunteer(id: "V2", name: "王小明", household: "H1", birthDate: LocalDate("1990-06-01"), teams: ["green"], tags: [],
                          joined: LocalDate("2024-05-01")!),
                Volunteer(id: "V3", name: "赵", household: nil, birthDate: nil, teams: [], tags: [], joined: LocalDate("2024-05-01")!),
                Volunteer(id: "V4", name: "李华", household: "H2", birthDate: LocalDate("1955-01-01"), teams: [], tags: [],
                          joined: LocalDate("2024-05-01")!),
            ],
            stations: [Station(id: "S01", name: "第一兑换站", community: "太白湖", address: ""),
                       Station(id: "S02", name: "第二兑换站", community: "太白湖", address: "")])
        try store.activatePolicy(policy, actor: "test")
        try store.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "9000", by: nil, iterations: Self.iterations)
        admin = try store.signIn(operatorID: "admin", pin: "9000")
        try store.addOperator(Operator(id: "op1", name: "张敏", role: .operator, station: "S01"), pin: "1471", by: admin, iterations: Self.iterations)
        try store.addOperator(Operator(id: "op2", name: "刘强", role: .operator, station: "S02"), pin: "2582", by: admin, iterations: Self.iterations)
        try store.addOperator(Operator(id: "audit", name: "审计", role: .auditor, station: nil), pin: "3693", by: admin, iterations: Self.iterations)
        op1 = try store.signIn(operatorID: "op1", pin: "1471")
        op2 = try store.signIn(operatorID: "op2", pin: "2582")
        auditor = try store.signIn(operatorID: "audit", pin: "3693")
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Credits points (in hundredths) to an account from issuance, opening a lot.
    @discardableResult
    func award(_ account: AccountID, _ amount: Int64, expires: String? = nil, on day: String = "2026-10-01") throws -> Entry {
        try store.post(.move(key: "award-\(UUID().uuidString)", kind: .award, date: LocalDate(day)!, actor: "test", memo: "service",
                             from: .issuance, to: account, amount: amount, lotExpiresOn: expires.flatMap { LocalDate($0) })).entry
    }

    /// Puts goods on a station's shelf (paid from the fund).
    func stock(_ station: String, _ item: String, _ quantity: Int) throws {
        try store.receiveStock(StockReceiveRequest(key: "in-\(UUID().uuidString)", station: station, item: item, quantity: quantity,
                                                   date: today), by: admin)
    }

    @discardableResult
    func redeem(_ volunteer: String, _ item: String, at station: String = "S01", quantity: Int = 1, key: String = UUID().uuidString,
                by session: OperatorSession? = nil, on day: LocalDate? = nil) throws -> RedemptionOutcome {
        try store.redeem(RedemptionRequest(key: key, station: station, volunteer: volunteer, item: item, quantity: quantity, date: day ?? today),
                         by: session ?? (station == "S01" ? op1 : op2))
    }

    /// Everything a write could change: row counts of every history table, every balance, every lot's remainder.
    func snapshot() throws -> [String] {
        var lines: [String] = []
        for table in ["entries", "postings", "lot_allocations", "lots", "receipts", "refunds", "stock_operations", "stock_movements",
                      "stock_levels", "holds", "hold_endings", "active_holds", "gifts", "operators", "operator_events",
                      "operator_access_changes", "accounts", "stock_counts", "stock_count_lines"] {
            lines.append("\(table): \(try store.database.statement("SELECT count(*) FROM \(table)").first { $0.int64(0) } ?? -1)")
        }
        lines += try store.balances().map { "\($0.account) \($0.asset.rawValue) \($0.balance)" }
        lines += try store.database.statement("SELECT id, remaining FROM lots ORDER BY id").rows { "lot \($0.int64(0)): \($0.int64(1))" }
        lines += try store.stockLevels().map { "stock \($0.station) \($0.item) \($0.quantity)" }
        return lines
    }

    /// Runs `body`, which must throw an error with `code`, and checks that nothing at all was written.
    /// Runs `body`, expecting the refusal `code` with nothing written; returns the error (nil when there was none).
    @discardableResult
    func expectRefusal(_ code: String, sourceLocation: Testing.SourceLocation = #_sourceLocation, _ body: () throws -> Void) throws
        -> (any TimeBankError)? {
        let before = try snapshot()
        var refusal: (any TimeBankError)?
        do {
            try body()
            Issue.record("expected error \(code), but it succeeded", sourceLocation: sourceLocation)
        } catch let error as any TimeBankError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            refusal = error
        }
        #expect(try snapshot() == before, "a refusal wrote something", sourceLocation: sourceLocation)
        return refusal
    }

    /// The ledger's verify and the stations' verify both pass.
    func expectClean(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let problems = try store.verify().problems
        #expect(problems == [], "\(problems.map(\.description))", sourceLocation: sourceLocation)
        #expect(try store.verifyStations().problems == [], sourceLocation: sourceLocation)
    }
}
