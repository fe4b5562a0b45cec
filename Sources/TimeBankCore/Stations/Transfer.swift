/// Points given by one volunteer to another, or donated to the community pool (爱心积分).
public struct TransferRequest: Hashable, Sendable {
    public var key: String
    /// The volunteer who gives.
    public var from: String
    /// The volunteer who receives; nil donates to the community pool (`system:pool`).
    public var to: String?
    /// Hundredths, more than 0.
    public var points: Int64
    public var memo: String
    public var date: LocalDate

    public init(key: String, from: String, to: String?, points: Int64, memo: String = "", date: LocalDate) {
        self.key = key
        self.from = from
        self.to = to
        self.points = points
        self.memo = memo
        self.date = date
    }

    /// The idempotency fingerprint, tagged `TBTR1`.
    public var contentDigest: [UInt8] {
        RedemptionRules.digest(tag: "TBTR1", texts: [key, from, to ?? "", memo], integers: [points])
    }

    /// True for a gift to the community pool rather than to a volunteer.
    public var isDonation: Bool { to == nil }
}

/// A stored transfer or donation.
public struct Gift: Hashable, Sendable {
    public var number: Int64
    public var key: String
    public var from: String
    public var to: String?
    public var points: Int64
    public var date: LocalDate
    public var operatorID: String
    public var entry: Int64

    public init(number: Int64, key: String, from: String, to: String?, points: Int64, date: LocalDate, operatorID: String, entry: Int64) {
        self.number = number
        self.key = key
        self.from = from
        self.to = to
        self.points = points
        self.date = date
        self.operatorID = operatorID
        self.entry = entry
    }
}

/// The policy's rules for giving points away.
public enum TransferRules {
    /// Checks a gift of `points` against `[transfers]`: enabled, and the giver's monthly limit with what
    /// they gave this month already (transfers and donations count together). `unit`: what the policy calls a point, for R017.
    public static func check(_ transfers: PolicyTransfers, volunteer: String, points: Int64, givenThisMonth: Int64,
                             on date: LocalDate, unit: String = PointsUnit.unnamed) throws(RedemptionError) {
        guard points > 0, points <= Hundredths.maximumMagnitude else {
            throw .invalidTransfer("give more than 0 points, at most \(Hundredths.format(Hundredths.maximumMagnitude))")
        }
        guard transfers.enabled else { throw .transfersDisabled }
        if let maximum = transfers.maxPointsPerMonth, let limit = try? maximum.hundredths(), givenThisMonth + points > limit {
            throw .transferLimitReached(volunteer: volunteer, limit: limit, given: givenThisMonth, wanted: points,
                                        resetsOn: LimitWindow(.month, containing: date).end, unit: unit)
        }
    }

    /// Groups the lots a debit draws on by expiry, so that the receiver's credit keeps each expiry:
    /// gifting never makes points live longer. Returns (expiry, amount) in the order first drawn.
    public static func creditsKeepingExpiry(drawn: [(lotID: Int64, amount: Int64)], lots: [Lot]) -> [(expiresOn: LocalDate?, amount: Int64)] {
        var credits: [(expiresOn: LocalDate?, amount: Int64)] = []
        for draw in drawn {
            let expiry = lots.first { $0.id == draw.lotID }?.expiresOn
            if let index = credits.firstIndex(where: { $0.expiresOn == expiry }) {
                credits[index].amount += draw.amount
            } else {
                credits.append((expiry, draw.amount))
            }
        }
        return credits
    }
}
