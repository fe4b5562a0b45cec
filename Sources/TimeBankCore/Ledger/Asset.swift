/// What an amount counts. Both are stored as `Int64` hundredths: 0.01 point, or 1 fen.
public enum Asset: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    /// Volunteer points (积分): earned by service, spent at stations.
    case points = "POINTS"
    /// Chinese yuan in the micro-fund (微基金) that backs the points.
    case cny = "CNY"

    public static func < (lhs: Asset, rhs: Asset) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a person reads after an amount of points. The policy names them (`[policy] unit`: 积分, 信义币, 时间币); a message
/// built where the policy in force is known names them so, and one built without it says `unnamed`.
public enum PointsUnit {
    /// The word for points where no policy names them (an entry posted before any policy is in force).
    public static let unnamed = "points"
    /// The same, heading a column or naming a field (`Points:`, `Points outstanding`).
    public static let heading = "Points"
}

/// Fixed-point amounts in hundredths, and their text form.
public enum Hundredths {
    /// The largest magnitude one posting may carry: 10^15 hundredths (10 trillion points),
    /// far beyond any community and small enough that sums of millions of postings cannot overflow `Int64`.
    public static let maximumMagnitude: Int64 = 1_000_000_000_000_000

    /// Formats 1250 as `12.50` and -5 as `-0.05`.
    public static func format(_ value: Int64) -> String {
        let negative = value < 0
        let magnitude = value.magnitude
        let whole = magnitude / 100
        let cents = magnitude % 100
        return (negative ? "-" : "") + "\(whole)." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    /// Formats a change with its sign: 1250 as `+12.50`, -5 as `-0.05`, 0 as `0.00`.
    public static func formatSigned(_ value: Int64) -> String {
        (value > 0 ? "+" : "") + format(value)
    }

    /// Parses `12`, `12.5`, `12.50`, `-0.05`, and `1.000` or `12.500` (zeros after the second decimal say nothing:
    /// they are accepted, any other digit there is a fraction of a hundredth). `_` is not allowed.
    /// Returns nil for anything else or a magnitude above `maximumMagnitude`.
    public static func parse(_ text: some StringProtocol) -> Int64? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count <= 2, let wholeDigits = parts.first, !wholeDigits.isEmpty, wholeDigits.count <= 16 else { return nil }
        var value: Int64 = 0
        for byte in wholeDigits {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int64(byte - 48)
        }
        value *= 100
        if parts.count == 2 {
            var fraction = parts[1]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            // Trailing zeros beyond the hundredths (1.000, 2.50000) add nothing; other digits there are refused.
            while fraction.count > 2, fraction.last == UInt8(ascii: "0") { fraction = fraction.dropLast() }
            guard fraction.count <= 2 else { return nil }
            var cents: Int64 = 0
            for byte in fraction {
                guard byte >= 48, byte <= 57 else { return nil }
                cents = cents * 10 + Int64(byte - 48)
            }
            if fraction.count == 1 { cents *= 10 }
            value += cents
        }
        guard value <= maximumMagnitude else { return nil }
        return negative ? -value : value
    }
}
