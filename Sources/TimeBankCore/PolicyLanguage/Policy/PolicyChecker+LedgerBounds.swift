/// Checks that what one record can earn or lose, and what one redemption can cost, fits the ledger's largest amount
/// (`Hundredths.maximumMagnitude`, 10,000,000,000,000 points). The scorer marks a record beyond it
/// `too_large` and does not post it; these checks tell the admin before the policy is activated:
///
/// - P118 (error) where no record could ever be posted: the shortest record that earns, with the
///   smallest combined factor it can get, is already beyond the maximum (`points_per_hour = 1e15`,
///   or `factor = 1e13` on a multiplier).
/// - P119 (warning) where only large records would be: the longest record counted
///   (`max_minutes_per_record`) at the largest combined factor plus every bonus that can match, or
///   every penalty that can match one record taken together.
/// - P120 (warning) where a catalog price times the most units one redemption may carry is beyond it
///   (`checkCatalogBounds`).
///
/// The bounds are exact (`ExactDecimal`, in sixtieths of a point as the scorer computes them, with the
/// policy's own rounding); an amount of 10^20 or more, beyond exact decimals, counts as beyond the
/// maximum. A factor or amount written as an expression has no bound at check time: a rule that always
/// applies with one leaves that bound unknown, and nothing is reported from it.
extension PolicyChecker {
    /// The largest amount of one ledger posting, in points (10^13).
    static let ledgerMaximum = ExactDecimal(hundredths: Hundredths.maximumMagnitude)

    /// Where each checked value is written, by the id of its table.
    struct LedgerBoundRanges {
        var rates: [String: SourceRange] = [:]
        var factors: [String: SourceRange] = [:]
        var bonuses: [String: SourceRange] = [:]
        var penalties: [String: SourceRange] = [:]
    }

    mutating func checkLedgerBounds(earning: PolicyEarningValues, categories: [PolicyCategory], indicators: [PolicyIndicator],
                                    multipliers: [PolicyMultiplier], bonuses: [PolicyBonus], penalties: [PolicyPenalty],
                                    ranges: LedgerBoundRanges) {
        let bounds = RecordAmountBounds(earning: earning, multipliers: multipliers, bonuses: bonuses)
        guard let limit = bounds.limitTimes60 else { return }
        let maximum = Self.grouped(Self.ledgerMaximum)
        var flaggedCategories = Set<String>()   // a rate reported: nothing more is said of its records
        var factorErrors = Set<String>()        // multipliers reported by P118: not warned of again

        // 1. The rate: the shortest earning record, at the smallest factor, or the longest one before any factor.
        for category in categories where category.pointsPerHour > .zero {
            guard let range = ranges.rates[category.id] else { continue }
            let rate = category.pointsPerHour
            let shortest = bounds.shortestMinutes
            let lowest = bounds.smallestFactor(for: category.id)
            if let lowest, let least = Bound.product([.exact(rate), .exact(ExactDecimal(shortest))] + lowest).flatMap(bounds.rounded),
               least.exceeds(limit) {
                let factorNote = bounds.isOne(lowest) ? "" : ", with the smallest combined factor a record of it can get"
                reportBeyondLedger(PolicyDiagnostics.ledgerNeverFits(
                    "\"points_per_hour\" = \(rate) is far too large: the shortest record of \(Self.quotedID(category.id)) that earns "
                        + "(\(Self.minutes(shortest))\(factorNote)) would earn \(least.pointsText), more than \(maximum), the largest amount "
                        + "the ledger holds, so no record of this category could ever be posted",
                    range: range, help: [rateHelp(category, bounds: bounds, limit: limit)]))
                flaggedCategories.insert(category.id)
            } else if let base = Bound.product([.exact(rate), .exact(ExactDecimal(bounds.longestMinutes))]).flatMap(bounds.rounded),
                      base.exceeds(limit) {
                report(PolicyDiagnostics.ledgerMayNotFit(
                    "\"points_per_hour\" = \(rate) is too large for long records: \(Self.minutes(bounds.longestMinutes)) of "
                        + "\(Self.quotedID(category.id)) (the most one record counts) would earn \(base.pointsText) before any factor or bonus, "
                        + "more than \(maximum), the largest amount the ledger holds",
                    range: range, help: [rateHelp(category, bounds: bounds, limit: limit)],
                    notes: ["a record whose points are beyond it is scored too_large and not posted until a corrected version is activated"]))
                flaggedCategories.insert(category.id)
            }
        }

        // 2. A fixed factor that makes every record it applies to too large.
        for (index, multiplier) in multipliers.enumerated() {
            guard let factor = multiplier.factor.fixedValue, let range = ranges.factors[multiplier.id] else { continue }
            let applicable = categories.filter {
                $0.pointsPerHour > .zero && !flaggedCategories.contains($0.id) && (multiplier.condition.categories?.contains($0.id) ?? true)
            }
            guard !applicable.isEmpty else { continue }
            // Reported when every record it applies to is too large with it, and some would not be without it (otherwise
            // another value is the cause, and is reported itself).
            var leastOfAll: Bound?
            var fitsWithout = false
            var alwaysBeyond = true
            for category in applicable {
                let start: [Bound] = [.exact(category.pointsPerHour), .exact(ExactDecimal(bounds.shortestMinutes))]
                guard let withFactor = bounds.smallestFactor(for: category.id, forcing: index),
                      let least = Bound.product(start + withFactor).flatMap(bounds.rounded), least.exceeds(limit) else {
                    alwaysBeyond = false
                    break
                }
                if leastOfAll == nil || least.isLess(than: leastOfAll!) { leastOfAll = least }
                let without = bounds.smallestFactor(for: category.id, excluding: [index])
                    .flatMap { Bound.product(start + $0) }.flatMap(bounds.rounded)
                if without.map({ !$0.exceeds(limit) }) ?? true { fitsWithout = true }
            }
            guard alwaysBeyond, fitsWithout, let leastOfAll else { continue }
            let names = applicable.map(\.id)
            reportBeyondLedger(PolicyDiagnostics.ledgerNeverFits(
                "\"factor\" = \(factor) is far too large: with it, even the shortest record it applies to (\(Self.minutes(bounds.shortestMinutes)) "
                    + "of \(Self.quotedList(names))) would earn at least \(leastOfAll.pointsText), more than \(maximum), the largest amount the "
                    + "ledger holds, so no record it applies to could ever be posted",
                range: range, help: [factorHelp(index, factor: factor, categories: applicable, bounds: bounds, limit: limit)]))
            factorErrors.insert(multiplier.id)
        }

        // 3. The longest record at the largest combined factor, with every bonus that can match (multipliers reported by
        //    P118 left out: they are errors already). The warning is on the largest factor, or the largest bonus, when the
        //    record without them earns less than 1% of the ledger's largest amount (the factor or bonus is what is out of
        //    scale), otherwise on the category's rate; bonuses that are beyond it on their own are warned of as well.
        let errorIndices = Set(multipliers.indices.filter { factorErrors.contains(multipliers[$0].id) })
        let small = (try? limit.divided(by: ExactDecimal(100))) ?? limit
        var factorWarnings: [Int: (categories: [String], most: Bound)] = [:]
        var bonusWarnings: [Int: (categories: [String], bonuses: Bound, most: Bound)] = [:]
        func exceeds(_ amount: Bound?, _ bound: ExactDecimal) -> Bool { amount.flatMap(bounds.rounded)?.exceeds(bound) ?? true }
        func warnOfBonuses(_ label: String, category: String?, most: Bound) {
            guard let largest = bounds.largestFixedBonus(for: category) else { return }
            let total = bounds.rounded(bounds.bonusesTimes60(for: category)) ?? .huge
            bonusWarnings[largest, default: ([], total, most)].categories.append(label)
            if bonusWarnings[largest]!.bonuses.isLess(than: total) { bonusWarnings[largest]!.bonuses = total }
            if bonusWarnings[largest]!.most.isLess(than: most) { bonusWarnings[largest]!.most = most }
        }
        for category in categories where !flaggedCategories.contains(category.id) {
            guard let factors = bounds.largestFactor(for: category.id, excluding: errorIndices) else { continue }
            let base: [Bound] = [.exact(category.pointsPerHour), .exact(ExactDecimal(bounds.longestMinutes))]
            guard let hourly = category.pointsPerHour.isZero ? Bound.exact(.zero) : Bound.product(base + factors) else { continue }
            let bonusTotal = bounds.bonusesTimes60(for: category.id)
            guard let most = hourly.adding(bonusTotal).flatMap(bounds.rounded), most.exceeds(limit) else { continue }
            if exceeds(bonusTotal, limit) {
                warnOfBonuses(category.id, category: category.id, most: most)
                if !exceeds(hourly, limit) { continue }
            }
            if exceeds(hourly, limit) {
                if !exceeds(Bound.product(base), small), let largest = bounds.largestFixedMultiplier(for: category.id, excluding: errorIndices) {
                    factorWarnings[largest, default: ([], most)].categories.append(category.id)
                    if factorWarnings[largest]!.most.isLess(than: most) { factorWarnings[largest]!.most = most }
                    continue
                }
            } else if !exceeds(hourly, small) {
                warnOfBonuses(category.id, category: category.id, most: most)
                continue
            }
            guard let range = ranges.rates[category.id] else { continue }
            var parts: [String] = []
            if let combined = Bound.product(factors), case .exact(let factor) = combined, factor != .one {
                parts.append("at the largest combined factor (\(factor))")
            }
            if case .exact(let times60) = bonusTotal, !times60.isZero, let points = try? times60.divided(by: ExactDecimal(60)) {
                parts.append("with every bonus that can match (\(points) points)")
            }
            report(PolicyDiagnostics.ledgerMayNotFit(
                "\"points_per_hour\" = \(category.pointsPerHour) is too large for long records: \(Self.minutes(bounds.longestMinutes)) of "
                    + "\(Self.quotedID(category.id)) (the most one record counts) \(parts.joined(separator: " and ")) would earn up to "
                    + "\(most.pointsText), more than \(maximum), the largest amount the ledger holds",
                range: range, help: [rateHelp(category, bounds: bounds, limit: limit)],
                notes: ["a record whose points are beyond it is scored too_large and not posted until a corrected version is activated"]))
        }
        // An assessment met earns the indicator's points with the bonuses that apply to every category.
        for indicator in indicators where indicator.points > .zero {
            guard let points = try? indicator.points.multiplied(by: ExactDecimal(60)),
                  let total = Bound.exact(points).adding(bounds.bonusesTimes60(for: nil)).flatMap(bounds.rounded), total.exceeds(limit) else { continue }
            warnOfBonuses("indicator " + indicator.id, category: nil, most: total)
        }
        for (index, warning) in factorWarnings.sorted(by: { $0.key < $1.key }) {
            let multiplier = multipliers[index]
            guard let factor = multiplier.factor.fixedValue, let range = ranges.factors[multiplier.id] else { continue }
            let applicable = categories.filter { warning.categories.contains($0.id) }
            report(PolicyDiagnostics.ledgerMayNotFit(
                "\"factor\" = \(factor) is too large for long records: \(Self.minutes(bounds.longestMinutes)) (the most one record counts) of "
                    + "\(Self.quotedList(warning.categories)) with the largest combined factor would earn up to \(warning.most.pointsText), more than "
                    + "\(maximum), the largest amount the ledger holds",
                range: range, help: [factorHelp(index, factor: factor, categories: applicable, bounds: bounds, limit: limit)],
                notes: ["a record whose points are beyond it is scored too_large and not posted until a corrected version is activated"]))
        }
        for (index, warning) in bonusWarnings.sorted(by: { $0.key < $1.key }) {
            let bonus = bonuses[index]
            guard let points = bonus.points.fixedValue, let range = ranges.bonuses[bonus.id] else { continue }
            report(PolicyDiagnostics.ledgerMayNotFit(
                "\"points\" = \(points) is too large: the bonuses that can all match \(Self.recordsText(warning.categories)) add up to "
                    + "\(warning.bonuses.pointsText), and such a record could earn up to \(warning.most.pointsText), more than \(maximum), "
                    + "the largest amount the ledger holds",
                range: range, help: ["lower the bonus: a bonus is the points added to one record, such as points = 5"],
                notes: ["a record whose points are beyond it is scored too_large and not posted until a corrected version is activated"]))
        }

        // 4. Penalties (and a deduction indicator) that can all match one record take their sum.
        var penaltyWarnings: [Int: (categories: [String], total: Int64)] = [:]
        func takenTogether(_ applying: [Int], extra: Int64, label: String) {
            var total = extra
            var largest: (index: Int, hundredths: Int64)?
            for index in applying {
                guard let hundredths = try? penalties[index].points.fixedValue?.magnitude.hundredths() else { continue }
                total += hundredths   // each is at most 10^15: no overflow for any file of 1 MiB
                if largest == nil || hundredths > largest!.hundredths { largest = (index, hundredths) }
            }
            guard total > Hundredths.maximumMagnitude, let largest else { return }
            penaltyWarnings[largest.index, default: ([], total)].categories.append(label)
            penaltyWarnings[largest.index]!.total = max(penaltyWarnings[largest.index]!.total, total)
        }
        for category in categories {
            takenTogether(penalties.indices.filter { penalties[$0].condition.categories?.contains(category.id) ?? true }, extra: 0, label: category.id)
        }
        for indicator in indicators {
            let deduction = indicator.points.isNegative ? ((try? indicator.points.magnitude.hundredths()) ?? 0) : 0
            takenTogether(penalties.indices.filter { penalties[$0].condition.categories == nil }, extra: deduction, label: "indicator " + indicator.id)
        }
        for (index, warning) in penaltyWarnings.sorted(by: { $0.key < $1.key }) {
            let penalty = penalties[index]
            guard let points = penalty.points.fixedValue, let range = ranges.penalties[penalty.id] else { continue }
            report(PolicyDiagnostics.ledgerMayNotFit(
                "\"points\" = \(points) is too large: \(Self.recordsText(warning.categories)) that every penalty can match would lose "
                    + "\(Self.grouped(ExactDecimal(hundredths: warning.total))) points together, more than \(maximum), the largest amount the ledger holds",
                range: range, help: ["lower the penalty: it is the points taken for one record, such as points = -5"],
                notes: ["a record whose points are beyond it is scored too_large and not posted until a corrected version is activated"]))
        }
    }

    /// P120 (warning): a catalog price, or a service's unit cost, that the largest quantity one redemption may carry takes
    /// beyond the ledger's largest amount. One unit always fits (a price beyond it is P103), so the redemption of many units is refused (R010) at the
    /// counter; the policy says so first. The largest quantity is `RedemptionRules.quantityMaximum` (1,000), or less where
    /// the item's `limit` or, for a service, its `capacity_per_day` allows fewer.
    mutating func checkCatalogBounds(_ catalog: [PolicyCatalogItemValues]) {
        let maximum = Self.ledgerMaximum
        for entry in catalog {
            let item = entry.item
            var most = RedemptionRules.quantityMaximum
            var why = "the most one redemption may carry"
            if let limit = item.limit, limit.count < most {
                most = limit.count
                why = "its limit for one volunteer a \(limit.per.rawValue)"
            }
            if let capacity = item.capacityPerDay, capacity < most {
                most = capacity
                why = "its capacity_per_day at one station"
            }
            // The points it costs the volunteer, and for a service what its delivery costs the fund.
            var amounts = [(key: "price", amount: item.price, range: entry.priceRange, unit: "points", costs: "too many points")]
            if item.kind == .service, let unitCost = item.unitCost, unitCost > .zero, let range = entry.unitCostRange {
                amounts.append((key: "unit_cost", amount: unitCost, range: range, unit: "CNY", costs: "the fund too much"))
            }
            for (key, amount, range, unit, costs) in amounts {
                guard let total = try? amount.multiplied(by: ExactDecimal(most)), total > maximum else { continue }
                let fitting = (try? maximum.divided(by: amount))
                    .flatMap { try? $0.rounded(toStep: .one, mode: .floor) }?.exactInteger ?? 0
                let word = key == "price" ? "the price" : "the unit_cost"
                var help = ["lower \(word): at most \(Self.largestHundredths(.exact(maximum), dividedBy: .exact(ExactDecimal(most))) ?? amount) "
                    + "lets a redemption of \(Self.groupedCount(most)) fit within the ledger"]
                if fitting >= 1 {
                    help.append(item.limit == nil
                        ? "or let one volunteer redeem at most \(Self.groupedCount(fitting)) a day: limit = { count = \(fitting), per = \"day\" }"
                        : "or lower its limit to count = \(fitting)")
                }
                report(PolicyDiagnostics.catalogMayNotFit(
                    "\"\(key)\" = \(amount) is too large for large redemptions: \(Self.groupedCount(most)) of \(Self.quotedID(item.id)) (\(why)) "
                        + "would cost \(Self.grouped(total)) \(unit), more than \(Self.grouped(maximum)), the largest amount the ledger holds",
                    range: range, help: help,
                    notes: ["a redemption of more than \(Self.groupedCount(fitting)) is refused at the counter (R010: it costs \(costs))"]))
            }
        }
    }

    /// A count with its thousands grouped: 1000 → "1,000".
    static func groupedCount(_ count: Int) -> String { grouped(ExactDecimal(count)) }

    // MARK: Help

    /// What `points_per_hour` is, and the largest that keeps the longest record (at the largest factor, with its bonuses) within the ledger.
    private func rateHelp(_ category: PolicyCategory, bounds: RecordAmountBounds, limit: ExactDecimal) -> String {
        var help = "points_per_hour is the points for one hour of service, such as points_per_hour = 10"
        let factors = bounds.largestFactor(for: category.id) ?? []
        if let room = Bound.exact(limit).subtracting(bounds.bonusesTimes60(for: category.id)),
           let divisor = Bound.product([.exact(ExactDecimal(bounds.longestMinutes))] + factors),
           let largest = Self.largestHundredths(room, dividedBy: divisor) {
            help += "; at most \(largest) keeps a record of \(Self.minutes(bounds.longestMinutes)) within the ledger"
        }
        return help
    }

    /// What a factor is, and the largest that keeps the longest record of each category it applies to within the ledger.
    private func factorHelp(_ index: Int, factor: ExactDecimal, categories: [PolicyCategory], bounds: RecordAmountBounds,
                            limit: ExactDecimal) -> String {
        var help = "a factor multiplies a record's hourly points: factor = 1.5 gives half as much again"
        var smallest: ExactDecimal?
        for category in categories {
            guard let room = Bound.exact(limit).subtracting(bounds.bonusesTimes60(for: category.id)),
                  let largest = bounds.largestFactorFitting(index, category: category, room: room) else { return help }
            if smallest == nil || largest < smallest! { smallest = largest }
        }
        if let smallest, smallest > .zero {
            help += "; at most \(smallest) keeps a record of \(Self.minutes(bounds.longestMinutes)) within the ledger"
        }
        return help
    }

    /// The largest multiple of 0.01 whose product with `divisor` is at most `room`; nil when there is none above 0.
    static func largestHundredths(_ room: Bound, dividedBy divisor: Bound) -> ExactDecimal? {
        guard case .exact(let available) = room, case .exact(let by) = divisor, by > .zero,
              let quotient = try? available.divided(by: by),
              var candidate = try? quotient.rounded(toStep: ExactDecimal(hundredths: 1), mode: .floor) else { return nil }
        // The quotient is rounded to 18 digits: step down once if that rounding went up past the exact bound.
        if let product = try? candidate.multiplied(by: by), product > available,
           let lower = try? candidate.subtracting(ExactDecimal(hundredths: 1)) { candidate = lower }
        return candidate > .zero ? candidate : nil
    }

    static func minutes(_ minutes: Int) -> String { minutes == 1 ? "1 minute" : "\(minutes) minutes" }

    static func quotedID(_ id: String) -> String { ExpressionValue.quoted(id) }

    static func quotedList(_ ids: [String]) -> String {
        ids.prefix(5).map(ExpressionValue.quoted).joined(separator: ", ") + (ids.count > 5 ? " and \(ids.count - 5) more" : "")
    }

    /// `a record of "red", "orange" or an assessment of "tidy"`, for labels that are category ids or `indicator ID`.
    static func recordsText(_ labels: [String]) -> String {
        let categories = labels.filter { !$0.hasPrefix("indicator ") }
        let indicators = labels.filter { $0.hasPrefix("indicator ") }.map { String($0.dropFirst(10)) }
        var parts: [String] = []
        if !categories.isEmpty { parts.append("a record of " + quotedList(categories)) }
        if !indicators.isEmpty { parts.append("an assessment of " + quotedList(indicators)) }
        return parts.joined(separator: " or ")
    }

    static func grouped(_ value: ExactDecimal) -> String { PolicyDiagnostics.grouped(value) }
}

/// A non-negative amount that may be beyond exact decimals (10^20 or more): enough to tell whether an
/// amount exceeds the ledger's largest.
enum Bound {
    case exact(ExactDecimal)
    /// 10^20 or more.
    case huge

    /// The product of factors of 0 or more, those below 1 first: once the product is huge only factors of at least 1
    /// remain, so it stays huge. Nil when it cannot be told (not reached in this order; kept for safety).
    static func product(_ factors: [Bound]) -> Bound? {
        let ordered = factors.sorted { lhs, rhs in
            switch (lhs, rhs) {
            case (.exact(let a), .exact(let b)): a < b
            case (.exact, .huge): true
            default: false
            }
        }
        var result = Bound.exact(.one)
        for factor in ordered {
            switch (result, factor) {
            case (.exact(let a), .exact(let b)):
                if a.isZero || b.isZero { return .exact(.zero) }
                guard let product = try? a.multiplied(by: b) else {
                    // Beyond 10^20 (a factor below 1 cannot take it there).
                    if b < .one { return nil }
                    result = .huge
                    continue
                }
                result = .exact(product)
            case (.exact(let a), .huge):
                if a.isZero { return .exact(.zero) }
                guard a >= .one else { return nil }
                result = .huge
            case (.huge, .exact(let b)):
                guard b >= .one else { return nil }
            case (.huge, .huge):
                break
            }
        }
        return result
    }

    /// The sum with a non-negative amount.
    func adding(_ other: Bound) -> Bound? {
        switch (self, other) {
        case (.exact(let a), .exact(let b)): (try? a.adding(b)).map(Bound.exact) ?? .huge
        default: .huge
        }
    }

    /// The difference; nil when it is not above 0 or cannot be told.
    func subtracting(_ other: Bound) -> Bound? {
        guard case .exact(let a) = self, case .exact(let b) = other, let difference = try? a.subtracting(b), difference > .zero else { return nil }
        return .exact(difference)
    }

    func exceeds(_ limit: ExactDecimal) -> Bool {
        switch self {
        case .exact(let value): value > limit
        case .huge: true
        }
    }

    func isLess(than other: Bound) -> Bool {
        switch (self, other) {
        case (.exact(let a), .exact(let b)): a < b
        case (.exact, .huge): true
        default: false
        }
    }

    /// The amount (in sixtieths of a point) as points for a message, thousands grouped.
    var pointsText: String {
        switch self {
        case .exact(let times60): "\(PolicyDiagnostics.grouped((try? times60.divided(by: ExactDecimal(60))) ?? .zero)) points"
        case .huge: "more than 1,000,000,000,000,000,000 points"
        }
    }
}

/// The bounds of what one record earns under `[earning]`, the multipliers and the bonuses, in sixtieths of a point
/// (as the scorer computes: minutes × rate × factor + 60 × bonuses, rounded to 60 × step).
struct RecordAmountBounds {
    let earning: PolicyEarningValues
    let multipliers: [PolicyMultiplier]
    let bonuses: [PolicyBonus]

    /// The fewest minutes of a record that earns (a record of 0 minutes earns no hourly points).
    var shortestMinutes: Int { max(earning.minMinutes, 1) }
    var longestMinutes: Int { max(earning.maxMinutesPerRecord, shortestMinutes) }
    var combination: PolicyMultiplierCombination { earning.combineMultipliers ?? .max }

    /// The ledger's largest amount in sixtieths; nil only if arithmetic fails (it does not).
    var limitTimes60: ExactDecimal? { try? PolicyChecker.ledgerMaximum.multiplied(by: ExactDecimal(60)) }

    /// The amount rounded to the step as the scorer rounds it; nil when that cannot be computed.
    func rounded(_ amount: Bound) -> Bound? {
        guard case .exact(let value) = amount else { return amount }
        guard let step = try? earning.step.multiplied(by: ExactDecimal(60)) else { return nil }
        return (try? value.rounded(toStep: step, mode: earning.rounding)).map(Bound.exact) ?? .huge
    }

    func isOne(_ factors: [Bound]) -> Bool {
        factors.allSatisfy { if case .exact(let value) = $0 { value == .one } else { false } }
    }

    private func applies(_ multiplier: PolicyMultiplier, to category: String) -> Bool {
        multiplier.condition.categories?.contains(category) ?? true
    }

    /// The multipliers that can apply to a record of `category`: (index, whether it always applies).
    private func candidates(for category: String, forcing forced: Int? = nil, excluding excluded: Set<Int> = []) -> [(index: Int, always: Bool)] {
        multipliers.indices.compactMap { index in
            guard !excluded.contains(index), applies(multipliers[index], to: category) else { return nil }
            return (index, index == forced || multipliers[index].condition.when == nil)
        }
    }

    /// The smallest combined factor a record of `category` can get, as factors to multiply; nil when a factor written
    /// as an expression could make it as small as anything (nothing can then be said of the least a record earns).
    func smallestFactor(for category: String, forcing forced: Int? = nil, excluding excluded: Set<Int> = []) -> [Bound]? {
        let candidates = candidates(for: category, forcing: forced, excluding: excluded)
        let always = candidates.filter(\.always).map { multipliers[$0.index].factor.fixedValue }
        let optional = candidates.filter { !$0.always }.map { multipliers[$0.index].factor.fixedValue }
        let fixedAlways = always.compactMap { $0 }
        switch combination {
        case .max:
            // The largest factor of those that match: at least the largest that always matches; without one, a single
            // optional factor (or none: 1) can be all that matches.
            if let largest = fixedAlways.max() { return [.exact(largest)] }
            if !always.isEmpty || optional.contains(where: { $0 == nil }) { return nil }
            return [.exact(min(ExactDecimal.one, optional.compactMap { $0 }.min() ?? .one))]
        case .product:
            guard !always.contains(where: { $0 == nil }), !optional.contains(where: { $0 == nil }) else { return nil }
            return (fixedAlways + optional.compactMap { $0 }.filter { $0 < .one }).map(Bound.exact)
        case .sum:
            guard !always.contains(where: { $0 == nil }), !optional.contains(where: { $0 == nil }) else { return nil }
            var total = ExactDecimal.one
            for factor in fixedAlways + optional.compactMap({ $0 }).filter({ $0 < .one }) {
                guard let extra = try? factor.subtracting(.one), let sum = try? total.adding(extra) else { return [.huge] }
                total = sum
            }
            return total > .zero ? [.exact(total)] : nil
        }
    }

    /// The largest combined factor a record of `category` can get, as factors to multiply; nil when a factor written as an
    /// expression always applies (it has no bound). A factor written as an expression under a condition may not match,
    /// so the bound without it is one a record can reach.
    func largestFactor(for category: String, excluding excluded: Set<Int> = []) -> [Bound]? {
        let candidates = candidates(for: category, excluding: excluded)
        if candidates.contains(where: { $0.always && multipliers[$0.index].factor.fixedValue == nil }) { return nil }
        let always = candidates.filter(\.always).compactMap { multipliers[$0.index].factor.fixedValue }
        let optional = candidates.filter { !$0.always }.compactMap { multipliers[$0.index].factor.fixedValue }
        switch combination {
        case .max:
            return [.exact(((always.isEmpty ? [.one] : []) + always + optional).max() ?? .one)]
        case .product:
            return (always + optional.filter { $0 > .one }).map(Bound.exact)
        case .sum:
            var total = ExactDecimal.one
            for factor in always + optional.filter({ $0 > .one }) {
                guard let extra = try? factor.subtracting(.one), let sum = try? total.adding(extra) else { return [.huge] }
                total = sum
            }
            return [.exact(max(total, .zero))]
        }
    }

    /// The largest factor multiplier `index` may have so that the longest record of `category` earns at most `room`
    /// (sixtieths) with the other multipliers at their largest; nil when none above 0 fits.
    func largestFactorFitting(_ index: Int, category: PolicyCategory, room: Bound) -> ExactDecimal? {
        let others = candidates(for: category.id, excluding: [index])
        if others.contains(where: { $0.always && multipliers[$0.index].factor.fixedValue == nil }) { return nil }
        let always = others.filter(\.always).compactMap { multipliers[$0.index].factor.fixedValue }
        let optional = others.filter { !$0.always }.compactMap { multipliers[$0.index].factor.fixedValue }
        let hours: [Bound] = [.exact(category.pointsPerHour), .exact(ExactDecimal(longestMinutes))]
        switch combination {
        case .max:
            return Bound.product(hours).flatMap { PolicyChecker.largestHundredths(room, dividedBy: $0) }
        case .product:
            return Bound.product(hours + (always + optional.filter { $0 > .one }).map(Bound.exact))
                .flatMap { PolicyChecker.largestHundredths(room, dividedBy: $0) }
        case .sum:
            guard let quotient = Bound.product(hours).flatMap({ PolicyChecker.largestHundredths(room, dividedBy: $0) }) else { return nil }
            var extras = ExactDecimal.zero
            for factor in always + optional.filter({ $0 > .one }) {
                guard let extra = try? factor.subtracting(.one), let sum = try? extras.adding(extra) else { return nil }
                extras = sum
            }
            guard let largest = try? quotient.subtracting(extras), largest > .zero else { return nil }
            return largest
        }
    }

    /// The index of the largest fixed factor above 1 that can apply to a record of `category`.
    func largestFixedMultiplier(for category: String, excluding excluded: Set<Int>) -> Int? {
        candidates(for: category, excluding: excluded)
            .compactMap { candidate in multipliers[candidate.index].factor.fixedValue.map { (candidate.index, $0) } }
            .filter { $0.1 > .one }
            .max { $0.1 < $1.1 }?.0
    }

    /// 60 × the sum of the fixed bonuses that can match a record of `category` (nil: an assessment, which only bonuses
    /// without `categories` match).
    func bonusesTimes60(for category: String?) -> Bound {
        var total = Bound.exact(.zero)
        for bonus in bonuses where matches(bonus, category) {
            guard let points = bonus.points.fixedValue, let times60 = try? points.multiplied(by: ExactDecimal(60)) else { continue }
            total = total.adding(.exact(times60)) ?? .huge
        }
        return total
    }

    /// The index of the largest fixed bonus that can match a record of `category`.
    func largestFixedBonus(for category: String?) -> Int? {
        bonuses.indices.filter { matches(bonuses[$0], category) && bonuses[$0].points.fixedValue != nil }
            .max { bonuses[$0].points.fixedValue! < bonuses[$1].points.fixedValue! }
    }

    private func matches(_ bonus: PolicyBonus, _ category: String?) -> Bool {
        guard let categories = bonus.condition.categories else { return true }
        return category.map(categories.contains) ?? false
    }
}
