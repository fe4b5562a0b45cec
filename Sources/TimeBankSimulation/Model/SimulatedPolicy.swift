import TimeBankCore

/// A catalog item of a simulated policy: whole-point prices and whole-yuan costs, so that the model's
/// arithmetic is plain integer arithmetic on hundredths.
struct SimulatedItem: Hashable {
    enum Kind: String { case goods, service }

    var id: String
    var kind: Kind
    /// Hundredths (whole points only).
    var price: Int64
    /// Fen per unit (whole yuan only); nil = no `unit_cost`.
    var unitCost: Int64?
    /// At most `count` units per volunteer per `per` ("week", "month" or "year").
    var limit: (count: Int, per: String)?
    /// `eligible = 'volunteer.age >= 60'`.
    var seniorsOnly: Bool
    /// Services only.
    var capacityPerDay: Int?

    static func == (lhs: SimulatedItem, rhs: SimulatedItem) -> Bool {
        lhs.id == rhs.id && lhs.kind == rhs.kind && lhs.price == rhs.price && lhs.unitCost == rhs.unitCost
            && lhs.limit?.count == rhs.limit?.count && lhs.limit?.per == rhs.limit?.per && lhs.seniorsOnly == rhs.seniorsOnly
            && lhs.capacityPerDay == rhs.capacityPerDay
    }

    func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// The parameters of one policy version the simulator writes. The simulator keeps its policies simple on
/// purpose (one rate per category, no multipliers, bonuses, caps, levels or ranking, points to volunteers) so
/// that the model predicts every point exactly without reimplementing the scorer.
struct SimulatedPolicy: Hashable {
    var label: String
    var effective: LocalDate
    /// Category id and whole points per hour.
    var categories: [(id: String, pointsPerHour: Int64)]
    /// Whole points, as hundredths.
    var balanceFloor: Int64
    var transfersEnabled: Bool
    /// Hundredths; nil = no limit.
    var transferLimitPerMonth: Int64?
    /// Points earned by records expire this many months after the service date.
    var expiryMonths: Int
    var autoAcceptAfterDays: Int
    var items: [SimulatedItem]
    /// A monthly grant of whole points to every volunteer, if any (base score, 基础分).
    var monthlyGrant: Int64?
    /// The fund's merchant rate in thousandths (1 = 0.1%) and the CNY value of one point in fen.
    var merchantRatePerMille: Int64
    var pointValueFen: Int64

    static func == (lhs: SimulatedPolicy, rhs: SimulatedPolicy) -> Bool { lhs.text == rhs.text }
    func hash(into hasher: inout Hasher) { hasher.combine(text) }

    func item(_ id: String) -> SimulatedItem? { items.first { $0.id == id } }

    func pointsPerHour(_ category: String) -> Int64? { categories.first { $0.id == category }?.pointsPerHour }

    static let policyID = "simulated-community"

    /// The policy file, in the policy language (docs/policy.md).
    var text: String {
        func points(_ hundredths: Int64) -> String { String(hundredths / 100) }
        var lines = [
            "# Written by the seeded simulation (docs/testing.md).",
            "[policy]",
            "id = \"\(Self.policyID)\"",
            "version = \"\(label)\"",
            "effective = \(effective)",
            "timezone = \"+08:00\"",
            "",
            "[earning]",
            "require_verifier = true",
            "auto_accept_after_days = \(autoAcceptAfterDays)",
        ]
        for category in categories {
            lines += ["", "[categories.\(category.id)]", "points_per_hour = \(category.pointsPerHour)"]
        }
        lines += ["", "[accounts]", "earn_to = \"volunteer\"", "balance_floor = \(points(balanceFloor))"]
        lines += ["", "[transfers]", "enabled = \(transfersEnabled)"]
        if let transferLimitPerMonth { lines.append("max_points_per_month = \(points(transferLimitPerMonth))") }
        lines += ["", "[expiry]", "after_months = \(expiryMonths)", "warn_days = 7"]
        if let monthlyGrant {
            lines += ["", "[grants.base]", "label = \"基础分\"", "points = \(points(monthlyGrant))", "every = \"month\"", "to = \"volunteer\""]
        }
        for item in items {
            lines += ["", "[catalog.\(item.id)]", "kind = \"\(item.kind.rawValue)\"", "price = \(points(item.price))"]
            if let unitCost = item.unitCost { lines.append("unit_cost = \(unitCost / 100)") }
            if let limit = item.limit { lines.append("limit = { count = \(limit.count), per = \"\(limit.per)\" }") }
            if item.seniorsOnly { lines.append("eligible = 'volunteer.age >= 60'") }
            if let capacityPerDay = item.capacityPerDay { lines.append("capacity_per_day = \(capacityPerDay)") }
        }
        let rate = merchantRatePerMille == 0 ? "0" : "0." + String(repeating: "0", count: 3 - String(merchantRatePerMille).count) + String(merchantRatePerMille)
        lines += ["", "[fund]", "currency = \"CNY\"", "merchant_rate = \(rate)", "point_value = \(Hundredths.format(pointValueFen))"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The first version: two categories, a floor of 5 points, transfers of at most 50 points a month,
    /// three goods and two services at several prices.
    static func initial(effective: LocalDate) -> SimulatedPolicy {
        SimulatedPolicy(
            label: "1", effective: effective,
            categories: [("care", 12), ("patrol", 10)],
            balanceFloor: 500, transfersEnabled: true, transferLimitPerMonth: 5_000, expiryMonths: 3, autoAcceptAfterDays: 3,
            items: [
                SimulatedItem(id: "rice", kind: .goods, price: 6_000, unitCost: 3_000, limit: (2, "month"), seniorsOnly: false, capacityPerDay: nil),
                SimulatedItem(id: "soap", kind: .goods, price: 1_500, unitCost: 500, limit: nil, seniorsOnly: false, capacityPerDay: nil),
                SimulatedItem(id: "pen", kind: .goods, price: 500, unitCost: nil, limit: (3, "week"), seniorsOnly: false, capacityPerDay: nil),
                SimulatedItem(id: "cleaning", kind: .service, price: 4_000, unitCost: 2_000, limit: nil, seniorsOnly: false, capacityPerDay: 2),
                SimulatedItem(id: "checkup", kind: .service, price: 8_000, unitCost: nil, limit: (1, "year"), seniorsOnly: true, capacityPerDay: 3),
            ],
            monthlyGrant: 300, merchantRatePerMille: 1, pointValueFen: 50)
    }

    /// The next version, changed at random: prices, the floor, transfer rules, expiry, rates; sometimes an item
    /// is dropped (redeeming it is then R005) or brought back.
    func next(label: String, effective: LocalDate, random: inout SimulationRandom) -> SimulatedPolicy {
        var next = self
        next.label = label
        next.effective = effective
        let base = SimulatedPolicy.initial(effective: effective)
        next.items = base.items.compactMap { item in
            if item.id != "rice", random.chance(0.1) { return nil }
            var item = item
            item.price = Int64(random.int(in: 1...12)) * 500
            if item.kind == .goods, item.unitCost != nil { item.unitCost = Int64(random.int(in: 1...40)) * 100 }
            if item.kind == .service { item.capacityPerDay = random.int(in: 1...4) }
            return item
        }
        next.balanceFloor = Int64(random.pick([0, 0, 5, 10])) * 100
        next.transfersEnabled = !random.chance(0.15)
        next.transferLimitPerMonth = random.chance(0.2) ? nil : Int64(random.pick([20, 50, 100])) * 100
        next.expiryMonths = random.int(in: 1...4)
        next.autoAcceptAfterDays = random.int(in: 1...5)
        next.categories = [("care", Int64(random.int(in: 6...15))), ("patrol", Int64(random.int(in: 6...15)))]
        next.monthlyGrant = random.chance(0.4) ? nil : Int64(random.int(in: 1...5)) * 100
        next.merchantRatePerMille = random.pick([0, 1, 1, 2, 5])
        return next
    }
}
