/// Star levels (星级志愿者, `[levels.ID]`): which level a volunteer holds, pure.
///
/// A volunteer holds the highest level whose threshold they meet: hours served (minutes counted in
/// their posted records) or points earned (their posted awards), whichever the policy's levels use.
public enum StarLevels {
    /// What the levels of `policy` are measured in; nil when the policy has no levels.
    public enum Measure: Sendable, Hashable {
        case minutes
        case points
    }

    /// What the policy's levels count, taken from its first level (the checker makes them all count the same).
    public static func measure(of policy: Policy) -> Measure? {
        guard let first = policy.levels.first else { return nil }
        switch first.threshold {
        case .hours: return .minutes
        case .points: return .points
        }
    }

    /// The id of the highest level reached with `value` (minutes or hundredths of a point), nil below the first.
    public static func level(for value: Int64, in policy: Policy) -> PolicyLevel? {
        var reached: PolicyLevel?
        for level in policy.levels {
            if let needed = needed(for: level), value >= needed { reached = level }
        }
        return reached
    }

    /// What `level` needs, in its measure: whole minutes (hours rounded up to the minute) or hundredths of a point.
    public static func needed(for level: PolicyLevel) -> Int64? {
        switch level.threshold {
        case .hours(let hours):
            (try? hours.multiplied(by: ExactDecimal(60)).rounded(toStep: ExactDecimal(1), mode: .ceil).hundredths()).map { $0 / 100 }
        case .points(let points): try? points.hundredths()
        }
    }

    /// The first level above what `value` reaches, with what it needs: what `volunteer show` says is still to go
    /// (`36 h 30 min more for 三星志愿者`). Nil when the policy has no levels or `value` reaches the top one.
    public static func next(after value: Int64, in policy: Policy) -> (level: PolicyLevel, needed: Int64)? {
        for level in policy.levels {
            if let needed = needed(for: level), value < needed { return (level, needed) }
        }
        return nil
    }

    /// The label `policy` gives level `id` (`一星志愿者`), or the id when it has no such level (or there is no policy).
    public static func label(_ id: String, in policy: Policy?) -> String {
        policy?.levels.first { $0.id == id }?.label ?? id
    }

    /// Level `id` as a reader meets it: `一星志愿者 (star1)`, or the id alone when it has no label of its own.
    public static func name(_ id: String, in policy: Policy?) -> String {
        let label = label(id, in: policy)
        return label == id ? id : "\(label) (\(id))"
    }

    /// Minutes as people say them: `63 h 30 min`, `20 h`, `45 min`.
    public static func hoursText(minutes: Int64) -> String {
        let hours = minutes / 60, rest = minutes % 60
        if hours == 0 { return "\(rest) min" }
        return rest == 0 ? "\(hours) h" : "\(hours) h \(rest) min"
    }
}
