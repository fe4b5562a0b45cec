/// P121 (warning): under `combine_multipliers = "sum"` each factor adds its extra part (1.5 adds 0.5) and a factor below
/// 1 takes its part away (0.5 takes 0.5, 0.4 takes 0.6), so factors below 1 that match one record together can bring the
/// sum to 0 or below (1 − 0.5 − 0.6 = −0.1). The scorer takes such a sum as 0 (`PolicyMultiplierCombination.combine`):
/// the record's hours then earn nothing. This is almost never what the admin meant, so `policy check` says so first.
///
/// Only factors written as numbers count (a factor written as an expression has no value at check time). For each
/// category the lowest sum a record can get is taken: every fixed factor that always applies to it (no `when`) with
/// every fixed factor below 1 that can apply to it, as if all their conditions held together.
extension PolicyChecker {
    mutating func checkSumOfFactors(combination: PolicyMultiplierCombination?, combinationRange: SourceRange?,
                                    categories: [PolicyCategory], multipliers: [PolicyMultiplier], factorRanges: [String: SourceRange]) {
        guard combination == .sum else { return }
        // The categories whose lowest sum is 0 or below, grouped by the multipliers that make it.
        var groups: [(indices: [Int], categories: [PolicyCategory], sum: ExactDecimal)] = []
        for category in categories where category.pointsPerHour > .zero {
            let indices = multipliers.indices.filter { index in
                let multiplier = multipliers[index]
                guard multiplier.condition.categories?.contains(category.id) ?? true,
                      let factor = multiplier.factor.fixedValue else { return false }
                return multiplier.condition.when == nil || factor < .one
            }
            guard indices.count >= 2,
                  let sum = try? PolicyMultiplierCombination.sumOfExtraParts(indices.map { multipliers[$0].factor.fixedValue! }),
                  sum <= .zero else { continue }
            if let group = groups.firstIndex(where: { $0.indices == indices }) {
                groups[group].categories.append(category)
            } else {
                groups.append((indices, [category], sum))
            }
        }
        for group in groups {
            let factors = group.indices.map { multipliers[$0].factor.fixedValue! }
            let named = group.indices.map { "\(Self.quotedID(multipliers[$0].id)) (\(multipliers[$0].factor.fixedValue!))" }
            let matching = named.count == 2 ? named.joined(separator: " and ") + " both"
                : named.dropLast().joined(separator: ", ") + " and " + named.last! + " all"
            let arithmetic = "1" + factors.map { factor in
                factor < .one ? " − \((try? ExactDecimal.one.subtracting(factor)) ?? .zero)" : " + \((try? factor.subtracting(.one)) ?? .zero)"
            }.joined() + " = " + (group.sum.isNegative ? "−\(group.sum.magnitude)" : "\(group.sum)")
            let category = group.categories[0]
            let records = Self.quotedList(group.categories.map(\.id))
            var help = "write combine_multipliers = \"product\" or \"max\""
            if let product = try? factors.reduce(ExactDecimal.one, { try $0.multiplied(by: $1) }),
               let hourly = try? category.pointsPerHour.multiplied(by: product) {
                help = "write combine_multipliers = \"product\" (\(factors.map(\.description).joined(separator: " × ")) = \(product): an hour of "
                    + "\(Self.quotedID(category.id)) then earns \(hourly)) or \"max\", or raise the factors so that together they take away less than 1"
            }
            let lines = group.indices.compactMap { factorRanges[multipliers[$0].id].map { "\($0.start.line)" } }
            var notes = ["the scorer takes a sum of 0 or below as 0: such a record earns 0 points for its hours (its bonuses are still added)"]
            if !lines.isEmpty { notes.append("the factors are written on line\(lines.count == 1 ? "" : "s") "
                + (lines.count <= 2 ? lines.joined(separator: " and ") : lines.dropLast().joined(separator: ", ") + " and " + lines.last!)) }
            guard let range = combinationRange ?? group.indices.last.flatMap({ factorRanges[multipliers[$0].id] }) else { continue }
            report(PolicyDiagnostics.factorsSumBelowZero(
                "\"sum\" can take a record's combined factor to 0 or below: a record of \(records) that \(matching) match gets "
                    + "\(arithmetic)\(group.sum.isZero ? "" : ", taken as 0"), so its hours earn nothing (an hour of \(Self.quotedID(category.id)) at "
                    + "\(category.pointsPerHour) points earns 0)",
                range: range, help: [help], notes: notes))
        }
    }
}
