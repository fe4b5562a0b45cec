import Testing
@testable import TimeBankCore

/// The three shipped policies load with no error and no warning, and say what their comments say.
@Suite("Shipped policies")
struct PolicyConfigTests {
    @Test("each shipped policy passes with no warnings", arguments: PolicyFixtures.configFiles)
    func passesCleanly(_ path: String) throws {
        let result = PolicyLoader.load(bytes: try PolicyFixtures.repositoryFile(path), path: path)
        #expect(result.diagnostics.isEmpty, "\(result.rendered())")
        #expect(result.policy != nil)
        #expect(result.rendered() == "\(path): 0 errors, 0 warnings\n")
    }

    @Test("config/policy.toml: the five-colour time bank")
    func defaultPolicy() throws {
        let policy = try PolicyFixtures.configPolicy("config/policy.toml")
        #expect(policy.id == "taibaihu-time-bank")
        #expect(policy.version == "1")
        #expect(policy.effective == LocalDate(year: 2026, month: 10, day: 1))
        #expect(policy.unit == "积分")
        #expect(policy.categories.map(\.id) == ["red", "orange", "blue", "green", "purple"])
        #expect(policy.categories.map(\.label) == ["红色教育", "橙色关怀", "蓝色调解", "绿色环保", "紫色便民"])
        #expect(policy.category("orange")?.pointsPerHour == ExactDecimal(12))
        #expect(policy.category("green")?.dailyCap == ExactDecimal(30))
        #expect(policy.multipliers.map(\.id) == ["weekend", "emergency_level_1", "emergency_level_2"])
        #expect(policy.multipliers.map { $0.factor.fixedValue?.description } == ["1.2", "2", "1.5"])
        #expect(policy.earning.combineMultipliers == .max)
        #expect(policy.earning.step == ExactDecimal(hundredths: 50))
        #expect(policy.earning.rounding == .halfEven)
        #expect(policy.bonuses.map(\.id) == ["first_service"])
        #expect(policy.bonuses.first?.once == true)
        #expect(policy.penalties.first?.points.fixedValue == ExactDecimal(-5))
        #expect(policy.caps.daily == ExactDecimal(60) && policy.caps.monthly == ExactDecimal(600) && policy.caps.weekly == nil)
        #expect(policy.expiry.rule == .afterMonths(12))
        #expect(policy.levels.map(\.id) == ["star1", "star2", "star3", "star4", "star5"])
        #expect(policy.ranking == PolicyRanking(period: .month, top: 10, by: .points))
        let groups = Set(policy.catalog.map(\.group))
        #expect(groups == ["生活用品", "食品零食", "玩具饰品", "卫生保洁", "健康体检", "教育娱乐"])
        #expect(policy.catalog.filter { $0.kind == .service }.allSatisfy { $0.capacityPerDay != nil })
        #expect(policy.catalogItem("rice_5kg")?.limit == PolicyCatalogItem.Limit(count: 1, per: .month))
        #expect(policy.fund.merchantRate == ExactDecimal("0.001"))
        #expect(policy.calendar.holidays.count == 8)
        #expect(policy.expressionSchema.categories == ["red", "orange", "blue", "green", "purple"])
        #expect(policy.expressionSchema.volunteerLevels == ["star1", "star2", "star3", "star4", "star5"])
    }

    @Test("xinyi-village.toml: 6 dimensions, 19 indicators, a yearly base grant per household")
    func trustPoints() throws {
        let policy = try PolicyFixtures.configPolicy("config/examples/xinyi-village.toml")
        #expect(policy.unit == "信义币")
        #expect(policy.indicators.count == 19)
        var dimensions: [String] = []
        for indicator in policy.indicators where !dimensions.contains(indicator.dimension) { dimensions.append(indicator.dimension) }
        #expect(dimensions == ["诚信守法", "孝老爱亲", "邻里互助", "环境卫生", "移风易俗", "公益志愿"])
        #expect(policy.indicators.contains { $0.points.isNegative }, "deductions are negative indicators")
        #expect(policy.accounts.earnTo == .household)
        #expect(policy.grants.map(\.id) == ["base_score"])
        #expect(policy.grants.first.map { ($0.points, $0.every, $0.to) } ?? (.zero, .day, .volunteer) == (ExactDecimal(100), .year, .household))
        #expect(policy.expiry.rule == .endOfYear)
    }

    @Test("red-account.toml: satisfaction-weighted, monthly ranking, star levels by points")
    func redAccount() throws {
        let policy = try PolicyFixtures.configPolicy("config/examples/red-account.toml")
        #expect(policy.version == "2026-1")
        let satisfaction = try #require(policy.multipliers.first { $0.id == "satisfaction" })
        guard case .computed(let factor) = satisfaction.factor else {
            Issue.record("the satisfaction factor is an expression")
            return
        }
        #expect(factor.text == "has(record.rating) ? record.rating / 5 : 1")
        #expect(factor.referencedFields == ["record.rating"])
        #expect(satisfaction.condition.categories == ["household_contact", "dispute_resolution"])
        #expect(policy.ranking?.period == .month)
        #expect(policy.levels.allSatisfy { if case .points = $0.threshold { true } else { false } })
        #expect(policy.level(forHours: .zero, points: ExactDecimal(650))?.id == "star3")
        #expect(policy.level(forHours: .zero, points: ExactDecimal(99)) == nil)
    }
}
