/// Where a service booking (a two-phase hold) is in its life:
///
///     held ──fulfil──▶ fulfilled
///       ├──cancel──▶ cancelled
///       └──expiry──▶ expired
///
/// While `held`, the booking's points sit in `system:held` (out of the volunteer's balance, so they
/// cannot be spent twice) and it takes one capacity slot. Fulfilling moves the points to the station;
/// cancelling or expiring gives them back to the exact lots they came from and frees the slot.
/// A hold ends exactly once.
public enum HoldState: String, Sendable, Hashable, CaseIterable {
    case held
    case fulfilled
    case cancelled
    case expired

    /// Whether the hold has ended (nothing more can happen to it).
    public var isFinal: Bool { self != .held }
}

/// How a booking ended: on which day, by whom, and why.
public struct HoldEnding: Hashable, Sendable {
    public var endedOn: LocalDate
    public var actor: String
    public var reason: String

    public init(endedOn: LocalDate, actor: String, reason: String) {
        self.endedOn = endedOn
        self.actor = actor
        self.reason = reason
    }
}

/// A service booking as stored.
public struct Hold: Hashable, Sendable {
    public var number: Int64
    public var key: String
    public var station: String
    public var volunteer: String
    /// The volunteer's name in the directory (as `receipt list` shows `朱平 (V0204)`); the id when there is none.
    public var volunteerName: String
    /// The account the points were taken from (the volunteer's, or the household's when points are pooled).
    public var paidFrom: AccountID
    public var item: String
    public var itemLabel: String
    public var quantity: Int
    /// Hundredths.
    public var points: Int64
    /// The day the service is booked for (it takes a capacity slot of that day).
    public var serviceDate: LocalDate
    /// When the hold lapses if it was not fulfilled.
    public var expiresAt: Timestamp
    public var operatorID: String
    public var bookedOn: LocalDate
    public var recordedAt: Timestamp
    /// The entry that moved the points into `system:held`.
    public var entry: Int64
    public var state: HoldState
    /// The receipt written when it was fulfilled.
    public var receipt: Int64?
    /// How it ended (nil while held): the day, who ended it and why (`lapsed` for an expiry).
    public var ending: HoldEnding?
    /// The policy version whose catalog priced it (the version in force on the day it was booked); its fulfilment's
    /// receipt names the same one.
    public var policyVersion: Int64

    public init(number: Int64, key: String, station: String, volunteer: String, paidFrom: AccountID, item: String, itemLabel: String,
                quantity: Int, points: Int64, serviceDate: LocalDate, expiresAt: Timestamp, operatorID: String, bookedOn: LocalDate,
                recordedAt: Timestamp, entry: Int64, state: HoldState, receipt: Int64?, ending: HoldEnding? = nil,
                volunteerName: String? = nil, policyVersion: Int64) {
        self.number = number
        self.key = key
        self.station = station
        self.volunteer = volunteer
        self.volunteerName = volunteerName ?? volunteer
        self.paidFrom = paidFrom
        self.item = item
        self.itemLabel = itemLabel
        self.quantity = quantity
        self.points = points
        self.serviceDate = serviceDate
        self.expiresAt = expiresAt
        self.operatorID = operatorID
        self.bookedOn = bookedOn
        self.recordedAt = recordedAt
        self.entry = entry
        self.state = state
        self.receipt = receipt
        self.ending = ending
        self.policyVersion = policyVersion
    }

    /// Whether a hold still `held` has lapsed at `now` (it lapses at `expiresAt` exactly).
    public func hasLapsed(at now: Timestamp) -> Bool { state == .held && now >= expiresAt }

    /// The moment a booking for `serviceDate` lapses by default: midnight at the end of that day, local time.
    public static func defaultExpiry(serviceDate: LocalDate, utcOffsetMinutes: Int) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64(serviceDate.adding(days: 1).daysSinceEpoch) * 86_400_000
                  - Int64(utcOffsetMinutes) * 60_000)
    }

    /// The community's offset from UTC at the end of `day` (the midnight after it, local), where `offset(at:)` is its
    /// offset at a moment: in a zone with summer time a day booked or settled in another season ends at its own offset
    /// (1 November in New York ends at UTC-4, though on 10 November the offset is UTC-5). Two passes, since the moment
    /// depends on the offset; a zone changes its offset at night, not at midnight, so the second pass is the day's own.
    public static func offsetAtEnd(of day: LocalDate, offset: (Timestamp) throws -> Int) rethrows -> Int {
        var minutes = 480   // a first guess (UTC+8); the passes correct it
        for _ in 0..<2 { minutes = try offset(defaultExpiry(serviceDate: day, utcOffsetMinutes: minutes)) }
        return minutes
    }
}
