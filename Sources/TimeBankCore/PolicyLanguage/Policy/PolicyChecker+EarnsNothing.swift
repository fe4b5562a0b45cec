/// P122 and P123 (warnings): a value of the policy file that makes a whole category, or every record, earn nothing. A
/// category written `points_per_hour = 0` (a typo for 10, or a value left at 0 while drafting) or `daily_cap = 0`, or a
/// `[caps]` `daily = 0`, is valid, since a community may count a category for its hours only, but every service it
/// touches then posts 0.00 and the volunteers find out weeks later, so `policy check` says so in plain words, on the
/// value, with what to write if it is a slip. (An indicator's `points = 0` and `min_minutes` above
/// `max_minutes_per_record` are errors already: P103 and P111.)
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

    /// Examples of caps for a help, as in `config/policy.toml` (60 a day, 600 a month).
    static let capExamples: [PolicyPeriod: String] = [.day: "60", .week: "300", .month: "600", .year: "7200"]

    /// Warns of caps of 0: each category's (on its `daily_cap`, else its `monthly_cap`; a category whose rate is 0 is
    /// P122 already) and `[caps]`' (on the shortest period's; the others of 0 are named in a note).
    mutating func checkCapsOfZero(categories: [PolicyCategory], indicators: [PolicyIndicator], caps: PolicyCapsValues, unit: String,
                                  dailyCapRanges: [String: SourceRange], monthlyCapRanges: [String: SourceRange]) {
        for category in categories where category.pointsPerHour > .zero {
            let zeros = [("daily_cap", "day", category.dailyCap, dailyCapRanges[category.id], PolicyPeriod.day),
                         ("monthly_cap", "month", category.monthlyCap, monthlyCapRanges[category.id], PolicyPeriod.month)]
                .filter { $0.2?.isZero == true && $0.3 != nil }
            guard let first = zeros.first, let range = first.3 else { continue }
            let name = Self.categoryName(category)
            report(PolicyDiagnostics.capOfZero(
                "every service of \(name) will earn 0 \(unit): its \"\(first.0)\" is 0, so it cuts everything an account earns in "
                    + "\(category.label) in a \(first.1), bonuses included",
                range: range,
                help: ["if it is a slip, write the most one account may earn in \(category.label) in a \(first.1), such as "
                    + "\(first.0) = \(Self.capExamples[first.4] ?? "60"), or remove the line for no cap; if \(category.label) is meant to earn "
                    + "no points (its hours counted only), nothing needs changing"],
                notes: zeros.dropFirst().map { "its \"\($0.0)\" on line \($0.3!.start.line) is 0 too" }))
        }
        let zeros = caps.caps.all.filter { $0.points.isZero && caps.ranges[$0.period] != nil }
        guard let first = zeros.first, let range = caps.ranges[first.period] else { return }
        let name = (key: first.period.capKey, period: first.period.rawValue)
        let services = categories.contains { $0.pointsPerHour > .zero }
        let assessments = indicators.contains { $0.points > .zero }
        let what = services && assessments ? "no service and no assessment" : assessments ? "no assessment" : services ? "no service" : "no record"
        var notes = zeros.dropFirst().compactMap { zero in
            caps.ranges[zero.period].map { "the \(zero.period.capKey) cap on line \($0.start.line) is 0 too" }
        }
        notes.append("caps limit earning only: penalties and deductions are still taken, and grants still paid")
        report(PolicyDiagnostics.capOfZero(
            "\(what) will earn any \(unit): the \(name.key) cap is 0, so it cuts everything an account earns in a \(name.period), bonuses included",
            range: range,
            help: ["if it is a slip, write the most one account may earn in a \(name.period), such as \(name.key) = "
                + "\(Self.capExamples[first.period] ?? "60"), or remove the line for no \(name.key) cap; if nothing is meant to earn points "
                + "for now, nothing needs changing"],
            notes: notes))
    }
}
