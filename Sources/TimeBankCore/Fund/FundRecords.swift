/// What a fund write did: stored it now, or found it stored under the same key with the same content.
public enum FundOutcome<Value: Hashable & Sendable>: Hashable, Sendable {
    /// Written now.
    case created(Value)
    /// The key was used before with the same content: this is the stored one, nothing was written.
    case exists(Value)

    /// The stored value, new or found.
    public var value: Value {
        switch self {
        case .created(let value), .exists(let value): value
        }
    }

    /// True when this call wrote it.
    public var isNew: Bool {
        if case .created = self { return true }
        return false
    }
}

/// A merchant's contribution to the fund (商户按营业额注资), as stored.
public struct FundContribution: Hashable, Sendable {
    public var number: Int64
    public var key: String
    public var merchant: String
    /// The turnover it was computed from, in fen.
    public var turnover: Int64
    /// The policy's `fund.merchant_rate` on its date.
    public var rate: ExactDecimal
    /// The policy version the rate came from.
    public var policyVersion: Int64
    /// turnover × rate, rounded half-up to the fen.
    public var amount: Int64
    public var memo: String
    /// The ledger entry `system:outside → fund:main`.
    public var entry: Int64
    public var date: LocalDate
    public var actor: String
    public var recordedAt: Timestamp

    public init(number: Int64, key: String, merchant: String, turnover: Int64, rate: ExactDecimal, policyVersion: Int64, amount: Int64,
                memo: String, entry: Int64, date: LocalDate, actor: String, recordedAt: Timestamp) {
        self.number = number
        self.key = key
        self.merchant = merchant
        self.turnover = turnover
        self.rate = rate
        self.policyVersion = policyVersion
        self.amount = amount
        self.memo = memo
        self.entry = entry
        self.date = date
        self.actor = actor
        self.recordedAt = recordedAt
    }
}

/// A donation of money into the fund (消费捐, named donations), as stored.
public struct FundDonation: Hashable, Sendable {
    public var number: Int64
    public var key: String
    public var donor: String
    public var amount: Int64
    public var memo: String
    /// The ledger entry `system:outside → fund:main`, kind `donation`.
    public var entry: Int64
    public var date: LocalDate
    public var actor: String
    public var recordedAt: Timestamp

    public init(number: Int64, key: String, donor: String, amount: Int64, memo: String, entry: Int64, date: LocalDate, actor: String,
                recordedAt: Timestamp) {
        self.number = number
        self.key = key
        self.donor = donor
        self.amount = amount
        self.memo = memo
        self.entry = entry
        self.date = date
        self.actor = actor
        self.recordedAt = recordedAt
    }
}

/// One household's line of a dividend's allocation table.
public struct DividendShare: Hashable, Sendable {
    public var household: String
    /// The household's name (as stored when read back).
    public var name: String
    /// Points the household earned in the period, in hundredths: its weight.
    public var weight: Int64
    /// Its share in fen.
    public var share: Int64
    /// Whether one of the leftover fen went to it (largest remainder).
    public var receivedLeftover: Bool

    public init(household: String, name: String, weight: Int64, share: Int64, receivedLeftover: Bool) {
        self.household = household
        self.name = name
        self.weight = weight
        self.share = share
        self.receivedLeftover = receivedLeftover
    }
}

/// A dividend paid from the fund to households, with its allocation table.
public struct Dividend: Hashable, Sendable {
    public var number: Int64
    public var key: String
    /// `2026`, `2026-Q4` or `2026-11`.
    public var period: String
    public var periodStart: LocalDate
    public var periodEnd: LocalDate
    public var basis: DividendBasis
    /// The amount paid, in fen: the sum of the shares.
    public var amount: Int64
    /// The sum of the households' weights (hundredths of a point).
    public var totalWeight: Int64
    /// Points earned by volunteers without a household (they share in nothing).
    public var unassignedWeight: Int64
    /// The ledger entry `fund:main → household:H…`, kind `dividend` (the first, when it took several).
    public var entry: Int64
    /// How many entries paid it: 1, or one per 999 households. They are consecutive: `entries`.
    public var entryCount: Int
    /// The entries that paid it, in order.
    public var entries: ClosedRange<Int64> { entry...(entry + Int64(max(1, entryCount)) - 1) }
    /// The payment date.
    public var date: LocalDate
    public var actor: String
    public var recordedAt: Timestamp
    /// Largest weight first, then household id (the order of the allocation table).
    public var shares: [DividendShare]

    public init(number: Int64, key: String, period: String, periodStart: LocalDate, periodEnd: LocalDate, basis: DividendBasis,
                amount: Int64, totalWeight: Int64, unassignedWeight: Int64, entry: Int64, entryCount: Int = 1, date: LocalDate,
                actor: String, recordedAt: Timestamp, shares: [DividendShare]) {
        self.number = number
        self.key = key
        self.period = period
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.basis = basis
        self.amount = amount
        self.totalWeight = totalWeight
        self.unassignedWeight = unassignedWeight
        self.entry = entry
        self.entryCount = entryCount
        self.date = date
        self.actor = actor
        self.recordedAt = recordedAt
        self.shares = shares
    }
}

/// One line of the fund report: money in or out of `fund:main` by the kind of entry that moved it.
public struct FundFlow: Hashable, Sendable {
    /// What moved the money, as the report names it.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Merchants' contributions (kind `fund`, into the fund).
        case contributions
        /// Donations of money (kind `donation`).
        case donations
        /// Goods bought for stations (`stock receive`: kind `fund`, out to `system:outside`).
        case stockPurchases = "stock purchases"
        /// Services paid when delivered (the CNY part of a service redemption, kind `redemption`).
        case serviceCosts = "service costs"
        /// Dividends paid to households (kind `dividend`).
        case dividends
        /// Reversals and refunds that moved fund money back (kind `reversal`).
        case reversals
        /// Anything else (manual `post` of CNY, adjustments).
        case other
    }

    public var kind: Kind
    /// Money in (positive) over the range, in fen.
    public var inflow: Int64
    /// Money out (positive) over the range, in fen.
    public var outflow: Int64
    /// How many entries moved it.
    public var entries: Int64

    public init(kind: Kind, inflow: Int64, outflow: Int64, entries: Int64) {
        self.kind = kind
        self.inflow = inflow
        self.outflow = outflow
        self.entries = entries
    }
}

/// The fund over a range of days: the money in and out, and how well it backs the points outstanding.
public struct FundReport: Hashable, Sendable {
    public var from: LocalDate
    public var through: LocalDate
    /// `fund:main` CNY at the start of `from` (entries dated before it), in fen.
    public var openingBalance: Int64
    /// `fund:main` CNY at the end of `through`, in fen.
    public var closingBalance: Int64
    /// One line per kind with any money moved, in `FundFlow.Kind` order.
    public var flows: [FundFlow]
    /// Points held by volunteers at the end of `through`, in hundredths.
    public var volunteerPoints: Int64
    /// Points held by households (pooled accounts).
    public var householdPoints: Int64
    /// Points held for bookings in `system:held` (spent only when the service is delivered).
    public var heldPoints: Int64
    /// The policy version in force on `through` and its `point_value` (nil: no policy in force).
    public var policyVersion: Int64?
    public var pointValue: ExactDecimal?
    /// points outstanding × point value, in CNY (exact).
    public var liability: ExactDecimal
    public var coverage: FundMath.Coverage
    /// Records dated on or before `through` not posted yet (pending, or approved and waiting for a nightly settlement):
    /// once posted, their points count on their service dates, so the points outstanding at the end of `through` (and the
    /// coverage) of a range long closed still change.
    public var recordsNotPosted: Int64

    public init(from: LocalDate, through: LocalDate, openingBalance: Int64, closingBalance: Int64, flows: [FundFlow],
                volunteerPoints: Int64, householdPoints: Int64, heldPoints: Int64, policyVersion: Int64?, pointValue: ExactDecimal?,
                liability: ExactDecimal, coverage: FundMath.Coverage, recordsNotPosted: Int64 = 0) {
        self.recordsNotPosted = recordsNotPosted
        self.from = from
        self.through = through
        self.openingBalance = openingBalance
        self.closingBalance = closingBalance
        self.flows = flows
        self.volunteerPoints = volunteerPoints
        self.householdPoints = householdPoints
        self.heldPoints = heldPoints
        self.policyVersion = policyVersion
        self.pointValue = pointValue
        self.liability = liability
        self.coverage = coverage
    }

    /// Says that the points outstanding at the end of `through` can still change, when records dated by then are not
    /// posted yet; nil when every one is.
    public var recordsNotPostedNote: String? {
        UnpostedRecordsNote.text(recordsNotPosted, dated: "on or before \(through)",
                                 consequence: "their points will count on their service dates, so the points outstanding at the end of "
                                    + "\(through) and the coverage can still change")
    }

    /// All points outstanding: volunteers + households + held for bookings.
    public var pointsOutstanding: Int64 { volunteerPoints + householdPoints + heldPoints }
    /// Everything paid into the fund in the range, in fen.
    public var totalInflow: Int64 { flows.reduce(0) { $0 + $1.inflow } }
    /// Everything paid out of the fund in the range, in fen.
    public var totalOutflow: Int64 { flows.reduce(0) { $0 + $1.outflow } }

    /// The coverage ratio as one sentence (no final full stop), saying why there is none when there is none:
    /// `Coverage ratio (fund ÷ value of the points): 0.4000`, `Coverage ratio: none, as no points are outstanding`.
    public var coverageLine: String {
        switch coverage {
        case .ratio:
            "Coverage ratio (fund ÷ value of the points): \(coverage.text(decimals: 4))"
        case .noPointsOutstanding:
            "Coverage ratio: none, as no points are outstanding"
        case .pointsOwed:
            "Coverage ratio: none, as the accounts owe more points than they hold (balances below 0, which the policy's balance_floor "
                + "allows): no points are outstanding to cover"
        case .pointsNotValued:
            if let version = policyVersion {
                "Coverage ratio: none, as point_value is 0 in policy #\(version): the points are not backed by money"
            } else {
                "Coverage ratio: none, as no policy is in force on \(through) to give the points a value in CNY"
            }
        }
    }

    /// The warning a reader must not miss, or nil: the fund holds less than the points are worth.
    public var warning: String? {
        guard coverage.isBelowOne else { return nil }
        let shortfall = (try? FundMath.fen(liability.subtracting(ExactDecimal(hundredths: closingBalance)))) ?? 0
        return "WARNING: the fund covers only \(coverage.text(decimals: 4)) of the points outstanding "
            + "(\(Hundredths.format(closingBalance)) CNY for points worth \(Hundredths.format((try? FundMath.fen(liability)) ?? 0)) CNY; "
            + "short by \(Hundredths.format(shortfall)) CNY)"
    }
}
