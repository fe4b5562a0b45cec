/// A slip a record file's row may hold that is not an error: the row is accepted (and an import stores it), but
/// whoever typed it is told while they can still put it right. Codes are stable and documented in `docs/errors.md`.
///
///     row 3, r3: 1200 minutes typed; only 480 will count (max_minutes_per_record of the policy in force on 2026-10-03, #1): did you mean 120?
public struct RecordRowWarning: Sendable, Hashable {
    /// The stable ids of row warnings.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// A service of more minutes than the policy in force on its date counts in one record.
        case minutesOverCounted = "I110"
        /// The same volunteer, day, category and duration as another record, one with times and the other with minutes only.
        case sameServiceTwice = "I111"
        /// An assessment of a deduction indicator (negative points) with the result `broken`: it deducts nothing.
        case deductionBroken = "I112"
        /// A service of fewer minutes than `min_minutes` of the policy in force on its date: it earns nothing.
        case minutesBelowMinimum = "I113"
        /// A service of 0 minutes to which no penalty of the policy in force on its date applies: it posts nothing.
        case zeroMinutesNoPenalty = "I114"
    }

    /// What the warning is about.
    public enum Kind: Sendable, Hashable {
        /// `minutes` given (`typed`: the minutes as typed, or the start and end), `counted` of them count
        /// (`max_minutes_per_record` of the version `policyLabel` in force on the record's date). `suggestion`: the minutes
        /// with one zero less (`1200` for `120`) when they were typed as a number and that is within the policy's count.
        case minutesOverCounted(minutes: Int, counted: Int, typed: String, policyLabel: String, suggestion: Int?)
        /// `other` (`SOURCE:ID`) is the same volunteer, day, category and minutes; one of the two has times, the
        /// other minutes only, so the overlap check (E010) cannot compare them. `otherHasTimes`: which one has them.
        case sameServiceTwice(other: String, otherHasTimes: Bool, otherTimes: String?)
        /// The assessment's indicator (`label`, its id is the record's) has `points` below zero (named `unit`, the policy's
        /// 积分 or 信义币) in the version in force on its date, and the result is `broken`: the rule was kept, nothing is
        /// deducted. A clerk who writes 未达标 for "the household broke the rule" means `met`.
        case deductionBroken(label: String, points: ExactDecimal, unit: String)
        /// `minutes` (more than 0) are fewer than `minimum` (`min_minutes` of the version `policyLabel` in force on the
        /// record's date): the service earns nothing. `suggestion`: the minutes of as many hours (`2` typed for 2 hours is
        /// 120) when the minutes were typed as a number and that many hours are counted whole.
        case minutesBelowMinimum(minutes: Int, minimum: Int, policyLabel: String, suggestion: Int?)
        /// A service of 0 minutes earns nothing; it is there for a penalty (a volunteer who signed up and did not come), and
        /// none of the penalties of the version `policyLabel` applies to it, so it posts nothing. `penalties`: each penalty
        /// of that version with its condition (`no_show 无故缺席 when record.tags.contains("no_show")`), empty when it has
        /// none; `tags`: the record's.
        case zeroMinutesNoPenalty(policyLabel: String, penalties: [String], tags: [String])
    }

    /// The row in the file.
    public var row: Int
    /// The record the row holds.
    public var record: Record
    public var kind: Kind

    public init(row: Int, record: Record, kind: Kind) {
        self.row = row
        self.record = record
        self.kind = kind
    }

    public var code: Code {
        switch kind {
        case .minutesOverCounted: .minutesOverCounted
        case .sameServiceTwice: .sameServiceTwice
        case .deductionBroken: .deductionBroken
        case .minutesBelowMinimum: .minutesBelowMinimum
        case .zeroMinutesNoPenalty: .zeroMinutesNoPenalty
        }
    }

    /// The most of each code a streamed import's summary keeps.
    public static let kept = 20

    /// The suggestion for minutes over the policy's count: a zero typed once too often (`1200` for `120`, `600` for `60`),
    /// the commonest slip, when the minutes with one zero less are a duration as people write one (a multiple of 5) within
    /// the count. Nil otherwise: 720 minutes (a day of 12 hours) are not guessed to be 72.
    public static func suggestedMinutes(_ minutes: Int, counted: Int) -> Int? {
        guard minutes % 50 == 0, minutes / 10 > 0, minutes / 10 <= counted else { return nil }
        return minutes / 10
    }

    /// The suggestion for minutes below the policy's minimum: hours typed in the minutes column (`2` for 2 hours), when
    /// as many hours (at most 24) are at least the minimum and at most `counted`. Nil otherwise: 20 minutes are not guessed
    /// to be 20 hours.
    public static func suggestedMinutes(hoursTyped minutes: Int, minimum: Int, counted: Int) -> Int? {
        guard minutes > 0, minutes <= 24, minutes * 60 >= minimum, minutes * 60 <= counted else { return nil }
        return minutes * 60
    }

    /// The line that names the slip, without the row: what was typed, what counts, the suggestion; or the other record.
    /// `source` is the import's default source: ids of that source are written without it.
    public func detail(defaultSource: String) -> String {
        let service: ServiceRecord? = if case .service(let service) = record { service } else { nil }
        switch kind {
        case .minutesOverCounted(let minutes, let counted, let typed, let policyLabel, let suggestion):
            let date = record.date
            return "\(typed == String(minutes) ? "\(minutes) minutes typed" : "\(typed) is \(minutes) minutes"); only \(counted) will count "
                + "(max_minutes_per_record of the policy in force on \(date), \(policyLabel))"
                + (suggestion.map { ": did you mean \($0)?" } ?? "")
        case .sameServiceTwice(let other, let otherHasTimes, let otherTimes):
            let volunteer = service?.volunteer ?? record.volunteer ?? ""
            let category = service?.category ?? ""
            let minutes = service?.minutes ?? 0
            let otherID = Self.shortReference(other, defaultSource: defaultSource)
            let mine = otherHasTimes ? "\(minutes) minutes, no times" : (service.flatMap(Self.times) ?? "\(minutes) minutes")
            let theirs = otherHasTimes ? (otherTimes ?? "with times") : "\(minutes) minutes, no times"
            return "\(volunteer), \(category) on \(record.date), \(mine); record \(otherID) is the same volunteer, day, category "
                + "and duration (\(theirs)): the same service typed twice?"
        case .deductionBroken(let label, let points, let unit):
            let indicator = if case .assessment(let assessment) = record { assessment.indicator } else { "" }
            let amount = (try? points.hundredths()).map(Hundredths.format) ?? points.description
            let named = label.isEmpty || label == indicator ? "\(indicator) (\(amount) \(unit))" : "\(label) (\(indicator), \(amount) \(unit))"
            return "broken on \(named) means the rule was kept: nothing is deducted"
        case .minutesBelowMinimum(let minutes, let minimum, let policyLabel, let suggestion):
            return "\(minutes == 1 ? "1 minute earns" : "\(minutes) minutes earn") nothing: the policy in force on \(record.date) (\(policyLabel)) "
                + "counts a service from min_minutes = \(minimum)"
                + (suggestion.map { ": \(minutes) \(minutes == 1 ? "hour" : "hours") is \($0) minutes, did you mean \($0)?" } ?? "")
        case .zeroMinutesNoPenalty(let policyLabel, let penalties, let tags):
            guard !penalties.isEmpty else {
                return "0 minutes earn nothing, and the policy in force on \(record.date) (\(policyLabel)) has no penalties: "
                    + "the record posts nothing"
            }
            let shown = penalties.prefix(3).joined(separator: "; ") + (penalties.count > 3 ? "; and \(penalties.count - 3) more" : "")
            return "0 minutes, \(tags.isEmpty ? "no tags" : "tags " + tags.joined(separator: ", ")): no penalty applies, so it posts "
                + "nothing; the penalties of the policy in force on \(record.date) (\(policyLabel)): \(shown)"
        }
    }

    /// `09:00–11:00`, for a service with times.
    static func times(_ service: ServiceRecord) -> String? {
        guard let start = service.start, let end = service.end else { return nil }
        return "\(start)–\(end)"
    }

    /// `r1` for `default:r1` when `default` is the import's source; the reference whole otherwise.
    public static func shortReference(_ reference: String, defaultSource: String) -> String {
        let prefix = defaultSource + ":"
        return reference.hasPrefix(prefix) ? String(reference.dropFirst(prefix.count)) : reference
    }
}
