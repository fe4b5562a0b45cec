/// Checks across sections: ids that collide, caps that contradict each other or a bonus, and
/// catalog items nobody can afford.
extension PolicyChecker {
    /// Reports an id used by both a category and an indicator, and ids of one kind that differ
    /// only in upper and lower case (`Orange` and `orange` read as the same word to people).
    mutating func checkDuplicateIDs(categories: [Located<String>], indicators: [Located<String>], levels: [Located<String>],
                                    multipliers: [Located<String>], catalog: [Located<String>]) {
        let categoryLines = Dictionary(categories.map { ($0.value, $0.range.start.line) }, uniquingKeysWith: { first, _ in first })
        for indicator in indicators {
            guard let line = categoryLines[indicator.value] else { continue }
            report(PolicyDiagnostics.duplicateID(
                "\(ExpressionValue.quoted(indicator.value)) is both a category and an indicator", range: indicator.range,
                notes: ["the category \(ExpressionValue.quoted(indicator.value)) is declared on line \(line); records and reports name both by their id"]))
        }
        for (kind, ids) in [("category", categories), ("indicator", indicators), ("level", levels), ("multiplier", multipliers), ("catalog item", catalog)] {
            var seen: [String: Located<String>] = [:]
            for id in ids {
                let folded = id.value.lowercased()
                if let first = seen[folded], first.value != id.value {
                    report(PolicyDiagnostics.duplicateID(
                        "\(kind) \(ExpressionValue.quoted(id.value)) differs from \(ExpressionValue.quoted(first.value)) only in upper and lower case",
                        range: id.range, notes: ["\(ExpressionValue.quoted(first.value)) is declared on line \(first.range.start.line)"]))
                } else if seen[folded] == nil {
                    seen[folded] = id
                }
            }
        }
    }

    /// Warns about a longer period's cap below a shorter period's: the shorter one then never applies, or, for a week
    /// (which can span two months or two years, so earn up to twice the longer cap), only to a week across the boundary.
    mutating func checkCaps(_ caps: PolicyCapsValues, categories: [PolicyCategory]) {
        let set = caps.caps.all
        // A cap of 0 is P123, which says more than P115 would.
        for (index, longer) in set.enumerated() where !longer.points.isZero {
            let above = set[..<index].filter { $0.points > longer.points }
            // A day lies in one week, month and year, and a month in one year; a week may span two months or two years.
            let spans = { (shorter: (period: PolicyPeriod, points: ExactDecimal)) -> Bool in
                shorter.period == .week && longer.period != .week
                    && (try? longer.points.multiplied(by: ExactDecimal(2))).map { shorter.points < $0 } ?? false
            }
            // The largest shorter-period cap that never applies, else the week's, reported once.
            guard let shorter = above.filter({ !spans($0) }).max(by: { $0.points < $1.points }) ?? above.first(where: spans),
                  let range = caps.ranges[longer.period] else { continue }
            report(PolicyDiagnostics.capsOutOfOrder(longer: longer.period, longerPoints: longer.points, shorter: shorter.period,
                                                    shorterPoints: shorter.points, acrossBoundaryOnly: spans(shorter), range: range))
        }
    }

    /// P124 (warning): a `step` that neither divides one point nor is a whole number (`0.3`, `2.5`): every award is a
    /// multiple of it, so a whole number of points, 1 for a start, is never awarded as it is.
    mutating func checkStep(_ step: ExactDecimal, range: SourceRange, unit: String) {
        guard let hundredths = try? step.hundredths(), hundredths > 0, 100 % hundredths != 0, hundredths % 100 != 0 else { return }
        let below = 100 / hundredths * hundredths
        let shown = { (value: Int64) in ExactDecimal(hundredths: value).description }
        report(PolicyDiagnostics.stepUneven(
            "step = \(step) makes every award a multiple of \(step) \(unit), so 1 \(unit) is never awarded as it is: the nearest "
                + "awards are \(shown(below)) and \(shown(below + hundredths))",
            range: range,
            help: ["for round awards write a step that divides one point (0.01, 0.05, 0.1, 0.2, 0.25, 0.5) or a whole number (1, 2, 5); "
                   + "if multiples of \(step) are meant, nothing needs changing"]))
    }

    /// Reports a fixed bonus larger than a cap: it could never be paid in full.
    mutating func checkBonuses(_ bonuses: [PolicyBonusValues], against caps: PolicyCapsValues) {
        for bonus in bonuses {
            guard let points = bonus.bonus.points.fixedValue,
                  let smallest = caps.caps.all.filter({ $0.points < points }).min(by: { $0.points < $1.points }) else { continue }
            report(PolicyDiagnostics.capBelowBonus(
                bonus: bonus.bonus.id, points: points, cap: smallest.period.capKey, capPoints: smallest.points,
                capLine: caps.ranges[smallest.period]?.start.line ?? 0, range: bonus.pointsRange))
        }
    }

    /// Warns about catalog items that cost more than anyone can earn in a year under the caps
    /// (plus a year of grants). Without caps earning has no bound, so nothing is reported.
    mutating func checkAffordability(_ catalog: [PolicyCatalogItemValues], caps: PolicyCapsValues, grants: [PolicyGrant], unit: String) {
        var bound: (points: ExactDecimal, explanation: String)?
        for cap in caps.caps.all {
            guard let yearly = try? cap.points.multiplied(by: ExactDecimal(cap.period.mostPerYear)) else { continue }
            if bound == nil || yearly < bound!.points {
                let times = cap.period == .year ? "" : " × \(cap.period.mostPerYear)"
                bound = (yearly, "the \(cap.period.capKey) cap allows \(cap.points)\(times) = \(yearly) a year")
            }
        }
        // Under a cap of 0 with no grant, P123 says already that nobody earns anything; P114 on every item would add nothing.
        guard let bound, !(bound.points.isZero && grants.isEmpty) else { return }
        var reachable = bound.points
        let explanation = bound.explanation
        var notes = [explanation]
        for grant in grants {
            guard let granted = try? grant.points.multiplied(by: ExactDecimal(grant.every.mostPerYear)),
                  let sum = try? reachable.adding(granted) else { continue }
            reachable = sum
            notes.append("grant \(ExpressionValue.quoted(grant.id)) adds \(granted) a year")
        }
        for item in catalog where item.item.price > reachable {
            report(PolicyDiagnostics.unaffordableItem(item: item.item.id, price: item.item.price, reachable: reachable, unit: unit,
                                                      range: item.priceRange, notes: notes))
        }
    }
}
