import TimeBankCore
import TimeBankStorage

/// Which of the operations of issue 6 the engine of this build has (the simulator grew with the engine).
struct EngineFeatures {
    var records: Bool
    var settlement: Bool
    var fund: Bool

    static let current = EngineFeatures(records: true, settlement: true, fund: true)
}

extension Simulation {
    /// The community the history starts with: four stations with their operators, an admin and an auditor, eight
    /// households, 24 volunteers (some born in 1940, some in 1990, some without a birth date), the first policy,
    /// some points for everyone and goods on every shelf. Each is applied to the engine and the model alike.
    func setUp() throws {
        currentOperation = "setup: stations and operators"
        for station in Generator.stationIDs {
            try engine.store.addStation(Station(id: station, name: "兑换站\(station)", community: "模拟社区", address: ""))
            try model.addStation(station)
        }
        try engine.addOperator(Operator(id: "sim-admin", name: "管理员", role: .admin, station: nil), pin: "9000", by: nil)
        model.operators["sim-admin"] = ModelOperator(id: "sim-admin", role: .admin, station: nil)
        for station in Generator.stationIDs {
            try engine.addOperator(Operator(id: "op-\(station)", name: "操作员\(station)", role: .operator, station: station), pin: "1471",
                                   by: "sim-admin")
            model.operators["op-\(station)"] = ModelOperator(id: "op-\(station)", role: .operator, station: station)
        }
        try engine.addOperator(Operator(id: "sim-auditor", name: "审计", role: .auditor, station: nil), pin: "3693", by: "sim-admin")
        model.operators["sim-auditor"] = ModelOperator(id: "sim-auditor", role: .auditor, station: nil)

        let policy = SimulatedPolicy.initial(effective: model.today)
        try execute(ActivatePolicyOperation(name: "policy.activate", policy: policy, text: policy.text))
        for number in 1...8 { try execute(AddHouseholdOperation(id: "H\(number)")) }
        for number in 1...24 {
            let birth = [LocalDate(year: 1940, month: 3, day: 8), LocalDate(year: 1990, month: 6, day: 1), nil][number % 3]
            try execute(AddVolunteerOperation(volunteer: ModelVolunteer(id: "V\(number)", household: number % 4 == 0 ? nil : "H\(number % 8 + 1)",
                                                                        birthDate: birth, joined: model.today)))
            let amount = Int64(100 + number * 7) * 100
            try execute(PostOperation(name: "award", key: "welcome-V\(number)", kind: .award, date: model.today, memo: "欢迎积分", postings: [
                ModelPosting(account: .volunteer("V\(number)"), amount: amount, lotExpiresOn: model.today.adding(days: 60 + number)),
                ModelPosting(account: .issuance, amount: -amount),
            ]))
        }
        for station in Generator.stationIDs {
            for item in policy.items where item.kind == .goods {
                try execute(ReceiveStockOperation(name: "stock.receive", key: "first-\(station)-\(item.id)", station: station, item: item.id,
                                                  quantity: 10, unitCost: nil, note: "开业", date: model.today,
                                                  session: SessionRef(id: "op-\(station)")))
            }
        }
        try checkInvariants()
    }
}
