/// The ledger keys the engine writes its own entries under: each kind of engine write puts its prefix before what makes
/// the key unique (`release:B7`, `redeem:S01-0001`, `expiry:2026-11-01:volunteer:V0001`).
///
/// The engine needs each of these keys for one entry of its own, at a time it chooses (a cancellation, a refund, the
/// nightly expiry). An entry a person posted under such a key first (`timebank post --key release:B1`) would make that
/// write fail with L005 for good, so a key typed by a person may not start with one of these prefixes (L021). This is the
/// one list of them: the station writes build their keys here, and a test checks that every other engine key (scores,
/// grants, expiry, the fund) starts with a prefix of the list.
///
///     EngineKey.reserving("release:B1")   // .release
///     EngineKey.reserving("fix-release-1") // nil
///     EngineKey.release.key("B7")         // "release:B7"
public enum EngineKey: String, CaseIterable, Hashable, Sendable {
    case redemption = "redeem:"
    case hold = "hold:"
    case fulfilment = "fulfil:"
    case release = "release:"
    case refund = "refund:"
    case transfer = "transfer:"
    case donation = "donate:"
    case stockDelivery = "stock:"
    case fund = "fund:"
    case record = "record:"
    case grant = "grant:"
    case expiry = "expiry:"

    /// The prefix, colon included.
    public var prefix: String { rawValue }

    /// What the engine writes under the prefix, with an example key, for L021.
    public var usedFor: String {
        switch self {
        case .redemption: "a redemption at a station (`redeem:` and the counter's key, e.g. redeem:S01-0001)"
        case .hold: "the hold of a booking (`hold:` and the counter's key)"
        case .fulfilment: "the fulfilment of a booking (fulfil:B7)"
        case .release: "the points a booking gives back when it is cancelled or lapses (release:B7)"
        case .refund: "the refund of a receipt (refund:R12, and refund:B7 for a booked service)"
        case .transfer: "a transfer of points between volunteers (`transfer:` and the counter's key)"
        case .donation: "a donation of points to the community pool (`donate:` and the counter's key)"
        case .stockDelivery: "the fund's payment for a stock delivery (`stock:` and the delivery's key)"
        case .fund: "the fund's contributions, donations of money and dividends (fund:contribution:…, fund:dividend:2026-10)"
        case .record: "the points of a service record, its award or penalty (record:SOURCE:ID:award)"
        case .grant: "the base-score grants of the nightly settlement (grant:ID:PERIOD:ACCOUNT)"
        case .expiry: "the nightly expiry of points (expiry:DATE:ACCOUNT)"
        }
    }

    /// The engine's key: the prefix, then `rest`.
    public func key(_ rest: String) -> String { rawValue + rest }

    /// The prefix `key` starts with, when it is one the engine reserves (matched exactly, as keys are).
    /// - Complexity: O(number of prefixes).
    public static func reserving(_ key: String) -> EngineKey? {
        allCases.first { key.hasPrefix($0.rawValue) }
    }

    /// A key of a person's own that says the same without the prefix: `release:B1` → `fix-release-B1`.
    public static func suggestion(for key: String) -> String {
        guard let reserved = reserving(key) else { return key }
        return "fix-" + reserved.rawValue.dropLast() + "-" + key.dropFirst(reserved.rawValue.count)
    }
}

/// The key of a record's award or penalty entry, `record:SOURCE:ID:award` (or `:penalty`): derived from the record, so
/// it posts once. Neither a source nor a record id holds a colon (E104), so a key splits at its colons.
public enum RecordEntryKey {
    /// Which of a record's entries a key names.
    public enum Side: String, CaseIterable, Sendable {
        case award, penalty
    }

    /// The key of the `side` entry of the record `source`:`id`.
    public static func key(source: String, id: String, side: Side) -> String {
        EngineKey.record.key("\(source):\(id):\(side.rawValue)")
    }

    /// The record and side `key` names, or nil when it is not a record entry's key.
    public static func parse(_ key: String) -> (source: String, id: String, side: Side)? {
        guard key.hasPrefix(EngineKey.record.prefix) else { return nil }
        let parts = key.dropFirst(EngineKey.record.prefix.count).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, let side = Side(rawValue: String(parts[2])) else { return nil }
        return (String(parts[0]), String(parts[1]), side)
    }
}
