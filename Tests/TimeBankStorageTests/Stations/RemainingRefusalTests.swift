import Testing
import TimeBankCore
@testable import TimeBankStorage

/// The refusal codes the other station suites do not name, each shown to write nothing.
@Suite("Station refusals: the rest")
struct RemainingRefusalTests {
    @Test("a negative or too large unit cost is K007; a first or station-less operator, or an auditor or admin with a station, is O008; a PIN for nobody is O011")
    func remaining() throws {
        let f = try StationFixture()
        try f.expectRefusal("K007") {
            _ = try f.store.receiveStock(StockReceiveRequest(key: "bad-cost", station: "S01", item: "biscuits", quantity: 1,
                                                             unitCost: -100, date: f.today), by: f.admin)
        }
        // A cost whose total is too large says so (not "malformed"): 100,000,000.00 CNY × 1,000,000 is beyond the largest amount.
        let tooLarge = #expect(throws: StockError.self) {
            _ = try f.store.receiveStock(StockReceiveRequest(key: "huge-cost", station: "S01", item: "biscuits", quantity: 1_000_000,
                                                             unitCost: 10_000_000_000, date: f.today), by: f.admin)
        }
        #expect(tooLarge?.code == "K007")
        #expect(tooLarge?.message.hasPrefix("1000000 × 100000000.00 CNY is beyond the largest amount") == true)
        try f.expectRefusal("O008") {
            try f.store.addOperator(Operator(id: "op9", name: "无站", role: .operator, station: nil), pin: "5825", by: f.admin,
                                    iterations: StationFixture.iterations)
        }
        // Only an operator works at a station: an auditor or admin given one is refused, not stored with a meaningless station.
        for role in [OperatorRole.auditor, .admin] {
            try f.expectRefusal("O008") {
                try f.store.addOperator(Operator(id: "x-\(role.rawValue)", name: "审计", role: role, station: "S01"), pin: "5825", by: f.admin,
                                        iterations: StationFixture.iterations)
            }
        }
        try f.expectRefusal("O011") {
            try f.store.changePIN(of: "nobody", to: "7247", by: f.admin, iterations: StationFixture.iterations)
        }
        try f.expectClean()
    }
}
