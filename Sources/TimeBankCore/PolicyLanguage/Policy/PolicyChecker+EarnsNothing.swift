/// P122 (warning): a value of the policy file that makes a whole category earn nothing. A category written
/// `points_per_hour = 0` (a typo for 10, or a value left at 0 while drafting) is valid, since a community may count a
/// category for its hours only, but every service of it then posts 0.00 and the volunteers find out weeks later, so
/// `policy check` says so in plain words, on the value, with what to write if it is a slip.
extension PolicyChecker {
    /// The name of a category for a message: its label with its id, `绿色环保 ("green")`, or the id alone when it has no label.
    static func categoryName(_ category: PolicyCategory) -> String {
        category.label == category.id ? quotedID(category.id) : "\(category.label) (\(quotedID(category.id)))"
    }

    /// Warns of each category whose `points_per_hour` is 0 (`rateRanges`: where each category's rate is written).
    mutating func checkCategoriesEarningNothing(categories: [PolicyCategory], multipliers: [PolicyMultiplier], bonuses: [PolicyBonus],
                                                unit: String,
                                                rateRanges: [String: SourceRange]) {
        // What to suggest: the rate of the first category that earns, or 10.
        let example = categories.first { $0.pointsPerHour > .zero }?.pointsPerHour.description ?? "10"
        for category in categories where category.pointsPerHour.isZero {
            guard let range = rateRanges[category.id] else { continue }
            let name = Self.categoryName(category)
            // Bonuses still add points to a record whose hours earn nothing.
            let rescuers = bonuses.filter { $0.condition.categories?.contains(category.id) ?? true }.map(\.id)
            let message = rescuers.isEmpty
                ? "every service of \(name) will earn 0 \(unit): its \"points_per_hour\" is 0"
                : "the hours of every service of \(name) will earn 0 \(unit): its \"points_per_hour\" is 0"
            var notes: [String] = []
            let factors = multipliers.filter { $0.condition.categories?.contains(category.id) ?? true }.map(\.id)
            if !factors.isEmpty {
                notes.append("a multiplier cannot change that: 0 times any factor is 0 (" + Self.quotedList(factors) + ")")
            }
            if !rescuers.isEmpty {
                notes.append("only a bonus can give its records points: " + Self.quotedList(rescuers))
            }
            report(PolicyDiagnostics.categoryEarnsNothing(
                message, range: range,
                help: ["if it is a slip, write the points one hour of \(category.label) earns, such as points_per_hour = \(example); "
                    + "if \(category.label) is meant to earn no points (its hours counted only), nothing needs changing"],
                notes: notes))
        }
    }
}
