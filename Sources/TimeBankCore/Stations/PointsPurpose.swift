/// What the points of an R001 were to pay for: how the refusal words it, and which day it advises to move.
public enum PointsPurpose: Hashable, Sendable {
    /// A redemption, dated the day its entry is (`--date`).
    case redemption
    /// A booking, checked on its service day (`--for`).
    case booking
    /// A booking typed in later, checked on the day it was made (`--date`), which its hold entry is dated.
    case bookingMadeThatDay
    case transfer
    case donation

    /// `the redemption costs`, `the transfer is`, ...: what comes before the price.
    public var costs: String {
        switch self {
        case .redemption: "the redemption costs"
        case .booking: "the booking costs"
        case .bookingMadeThatDay: "the booking made that day costs"
        case .transfer: "the transfer is"
        case .donation: "the donation is"
        }
    }

    /// What to do later: `date it` (a redemption, a gift), `book it` (a booking: on a later day, or for one).
    public var laterVerb: String {
        switch self {
        case .redemption, .transfer, .donation: "date it"
        case .booking, .bookingMadeThatDay: "book it"
        }
    }

    /// Before a lone day of the advice: `book it on 2026-11-15` (the day of booking), `book it for 2026-11-15` (the service day).
    public var preposition: String {
        switch self {
        case .redemption, .transfer, .donation: ""
        case .booking: "for"
        case .bookingMadeThatDay: "on"
        }
    }

    /// What the refusal says when no later day would do.
    public var noLaterDay: String {
        switch self {
        case .redemption, .transfer, .donation: "no later date would do"
        case .booking: "no later service day would do"
        case .bookingMadeThatDay: "no later day of booking would do"
        }
    }
}
