/// The kinds of account the ledger knows.
public enum AccountKind: String, CaseIterable, Sendable, Hashable, Codable {
    /// A volunteer's own points (lot-tracked).
    case volunteer
    /// A household's pooled points (lot-tracked), for policies that earn to households.
    case household
    /// A redemption station (兑换站): where redeemed points go.
    case station
    /// The micro-fund (微基金), in CNY.
    case fund
    /// The engine's own accounts: issuance, expired, adjustments, outside.
    case system
}

/// An account id such as `volunteer:V0001`, `household:H0001`, `station:S01`, `fund:main`, `system:issuance`.
public struct AccountID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let kind: AccountKind
    public let owner: String
    /// `kind:owner`, kept because the ledger writes it often.
    public let description: String

    public init(_ kind: AccountKind, _ owner: String) {
        self.kind = kind
        self.owner = owner
        self.description = kind.rawValue + ":" + owner
    }

    public static func == (lhs: AccountID, rhs: AccountID) -> Bool { lhs.description == rhs.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    /// Parses `kind:owner`. The owner is 1 to 64 characters without spaces or control characters.
    public init?(_ text: some StringProtocol) {
        guard let colon = text.firstIndex(of: ":"),
              let kind = AccountKind(rawValue: String(text[..<colon])) else { return nil }
        let owner = String(text[text.index(after: colon)...])
        guard AccountID.isValidOwner(owner) else { return nil }
        self.init(kind, owner)
    }

    /// Ids of volunteers, households, stations: 1 to 64 characters, no white space, no control characters, no colon.
    public static func isValidOwner(_ owner: String) -> Bool {
        let utf8 = owner.utf8
        guard !utf8.isEmpty else { return false }
        // Fast path for the usual ASCII ids (V0001, H0001, S01).
        if utf8.count <= 64, utf8.allSatisfy({ $0 < 0x80 }) {
            return utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: ":") }
        }
        guard owner.unicodeScalars.count <= 64 else { return false }
        return owner.unicodeScalars.allSatisfy { scalar in
            !(scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F || scalar == ":")
        }
    }

    public static func < (lhs: AccountID, rhs: AccountID) -> Bool { lhs.description < rhs.description }

    public static let issuance = AccountID(.system, "issuance")
    public static let expired = AccountID(.system, "expired")
    public static let adjustments = AccountID(.system, "adjustments")
    /// The world outside the books: CNY paid into or out of the fund.
    public static let outside = AccountID(.system, "outside")
    public static let fund = AccountID(.fund, "main")

    /// A volunteer's points account, `volunteer:ID`.
    public static func volunteer(_ id: String) -> AccountID { AccountID(.volunteer, id) }
    /// A household's points account, `household:ID`.
    public static func household(_ id: String) -> AccountID { AccountID(.household, id) }
    /// A station's points account, `station:ID`, where redeemed points go.
    public static func station(_ id: String) -> AccountID { AccountID(.station, id) }

    /// Volunteer and household `POINTS` balances are kept as lots (with expiry); others are plain balances.
    public func isLotTracked(_ asset: Asset) -> Bool {
        asset == .points && (kind == .volunteer || kind == .household)
    }
}

/// An account: its id, a display name and its floor.
public struct Account: Hashable, Sendable {
    public let id: AccountID
    public var name: String
    /// The lowest balance a write may leave, in hundredths, for every asset; nil = no floor.
    public var floor: Int64?

    public init(id: AccountID, name: String, floor: Int64?) {
        self.id = id
        self.name = name
        self.floor = floor
    }

    /// The documented default floor of each kind: 0 for volunteers, households and stations; none otherwise.
    public static func defaultFloor(for kind: AccountKind) -> Int64? {
        switch kind {
        case .volunteer, .household, .station: return 0
        case .fund, .system: return nil
        }
    }

    /// The system accounts every ledger starts with.
    public static let systemAccounts: [Account] = [
        Account(id: .issuance, name: "Points issued (发放)", floor: nil),
        Account(id: .expired, name: "Points expired (过期)", floor: nil),
        Account(id: .adjustments, name: "Manual adjustments (调整)", floor: nil),
        Account(id: .outside, name: "Money in and out of the books", floor: nil),
        Account(id: .fund, name: "Community micro-fund (微基金)", floor: nil),
    ]
}
