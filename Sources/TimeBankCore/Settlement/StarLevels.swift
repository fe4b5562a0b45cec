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
            let needed: Int64?
            switch level.threshold {
            case .hours(let hours):
                needed = (try? hours.multiplied(by: ExactDecimal(60)).rounded(toStep: ExactDecimal(1), mode: .ceil).hundredths()).map { $0 / 100 }
            case .points(let points): needed = try? points.hundredths()
            }
            if let needed, value >= needed { reached = level }
        }
        return reached
    }
}
