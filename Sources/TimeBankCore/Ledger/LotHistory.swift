/// One day's allocations of a lot, by the entries' dates: a draw is positive, a give-back negative. The nightly expiry's
/// draws are kept apart from the others (`byExpiry`), so that a refusal can say what the expiry took.
public struct LotMove: Hashable, Sendable {
    public var day: LocalDate
    public var amount: Int64
    public var byExpiry: Bool

    public init(day: LocalDate, amount: Int64, byExpiry: Bool = false) {
        self.day = day
        self.amount = amount
        self.byExpiry = byExpiry
    }
}

/// A lot as it is now, with its allocations dated after a day D: enough to tell what a debit dated on D or any later
/// day could draw from it (`LedgerRules.drawable(_:on:)`), and what the nightly expiry has taken since D. Read only on
/// the way to a refusal, which must say why D falls short and which day would do.
public struct LotHistory: Hashable, Sendable {
    /// The lot now (`returnedLater` is not used: the moves tell it for any day).
    public var lot: Lot
    /// The lot's allocations dated after D, in date order.
    public var movesAfter: [LotMove]

    public init(lot: Lot, movesAfter: [LotMove]) {
        self.lot = lot
        self.movesAfter = movesAfter
    }
}

/// A run of days: from `first` through `last`, or on from `first` when `last` is nil.
public struct DayRange: Hashable, Sendable {
    public var first: LocalDate
    public var last: LocalDate?

    public init(first: LocalDate, last: LocalDate?) {
        self.first = first
        self.last = last
    }

    /// `2026-11-15 or later`, `2026-11-15`, `between 2026-11-15 and 2026-11-19`; `on`/`for` go before a lone day
    /// (`book it on 2026-11-15`), not before `between`.
    public func phrase(preposition: String = "") -> String {
        let lead = preposition.isEmpty ? "" : preposition + " "
        guard let last else { return "\(lead)\(first) or later" }
        return last == first ? "\(lead)\(first)" : "between \(first) and \(last)"
    }
}

/// What became of an account's points after a day D, for the refusal of a debit dated D that the points usable on D
/// do not cover: what the nightly expiry has taken since D, and on which later days (up to today) the debit would go
/// through. The statement (passbook) shows the expired points on D; the refusal must say they are gone.
public struct PointsAfterDay: Hashable, Sendable {
    /// Points the account could have spent on D that the nightly expiry has taken since.
    public var expired: Int64
    /// The expiry dates of those points' lots: the earliest and the latest (the same day when there is one).
    public var expiredFrom: LocalDate?
    public var expiredThrough: LocalDate?
    /// The days after D, up to today, on which the debit would go through; the first run first. Empty when none would.
    public var coveredOn: [DayRange]
    /// When no day would do: the most that could be spent on a day after D, and the first day it could (nil when no
    /// points came in after D).
    public var most: Int64
    public var mostOn: LocalDate?

    public init(expired: Int64 = 0, expiredFrom: LocalDate? = nil, expiredThrough: LocalDate? = nil, coveredOn: [DayRange] = [],
                most: Int64 = 0, mostOn: LocalDate? = nil) {
        self.expired = expired
        self.expiredFrom = expiredFrom
        self.expiredThrough = expiredThrough
        self.coveredOn = coveredOn
        self.most = most
        self.mostOn = mostOn
    }

    /// `50.00 积分 it held on 2026-11-05 have expired since (on 2026-11-10), taken by the nightly expiry`; empty when none.
    /// `unit`: what the policy in force calls a point.
    public func expiredSentence(on date: LocalDate, unit: String = PointsUnit.unnamed) -> String {
        guard expired > 0, let from = expiredFrom else { return "" }
        let when = expiredThrough.map { $0 == from ? "on \(from)" : "from \(from) to \($0)" } ?? "on \(from)"
        return "\(Hundredths.format(expired)) \(unit) it held on \(date) have expired since (\(when)), taken by the nightly expiry"
    }

    /// Where a refusal tells which day would do: `date it 2026-11-15 or later`, `book it on 2026-11-15`, `date it between
    /// 2026-11-15 and 2026-11-19, or 2026-11-22 or later`; or, when no day would, why: `no later date would do: on no day
    /// since 2026-11-05 could it spend 20.00 (the most was 10.00, on 2026-11-15)`. `spend` is the amount to name,
    /// `floor` what to take off `most` when the amount is counted above a floor.
    public func advice(verb: String, preposition: String = "", after date: LocalDate, spend: Int64, floor: Int64 = 0,
                       noDate: String = "no later date would do") -> String {
        if let first = coveredOn.first {
            // The first run, and the open-ended one (up to today) when it is another.
            var runs = [first]
            if coveredOn.count > 1, let open = coveredOn.last, open.last == nil { runs.append(open) }
            return verb + " " + runs.map { $0.phrase(preposition: preposition) }.joined(separator: ", or ")
        }
        let most = mostOn.map { " (the most was \(Hundredths.format(max(0, self.most - floor))), on \($0))" } ?? ""
        return "\(noDate): on no day since \(date) could it spend \(Hundredths.format(spend))" + (floor > 0 ? " above its floor" : "") + most
    }
}

extension LedgerRules {
    /// What a debit dated `day` may draw from a lot: nothing unless the lot was credited by then and had not expired;
    /// else its remainder less the points it did not hold on every day from `day` on (`pointsNotHeldThroughout` over
    /// the moves dated after `day`). `ignoringExpiry`: as if the nightly expiry had not taken anything since.
    /// - Complexity: O(number of moves).
    public static func drawable(_ history: LotHistory, on day: LocalDate, ignoringExpiry: Bool = false) -> Int64 {
        guard history.lot.isUsable(on: day) else { return 0 }
        var remaining = history.lot.remaining
        var net: [Int64] = []
        var lastDay: LocalDate?
        for move in history.movesAfter where move.day > day {
            if ignoringExpiry, move.byExpiry {
                remaining += move.amount
                continue
            }
            if move.day == lastDay { net[net.count - 1] += move.amount } else { net.append(move.amount) }
            lastDay = move.day
        }
        return max(0, remaining - pointsNotHeldThroughout(movesAfter: net))
    }

    /// What a debit dated `day` may draw from all the lots: the sum of `drawable`.
    public static func spendable(on day: LocalDate, from histories: [LotHistory]) -> Int64 {
        histories.reduce(0) { $0 + drawable($1, on: day) }
    }

    /// What became of the points after `date` (the lots read with their moves after it), for a debit dated `date` that
    /// needs `needed`: what the nightly expiry took of what could be spent on `date`, and the days after it, up to
    /// `today`, on which `needed` could be drawn. What a lot gives changes only on the day it opens or expires and on
    /// the days of its moves, so those days are the only ones looked at (until the first, it gives what it gave on `date`).
    /// - Complexity: O(d × m), d the days looked at, m the moves of all lots.
    public static func pointsAfter(_ date: LocalDate, needed: Int64, today: LocalDate, histories: [LotHistory]) -> PointsAfterDay {
        var outcome = PointsAfterDay()
        for history in histories where history.movesAfter.contains(where: \.byExpiry) {
            let taken = drawable(history, on: date, ignoringExpiry: true) - drawable(history, on: date)
            guard taken > 0 else { continue }
            outcome.expired += taken
            if let expiresOn = history.lot.expiresOn {
                outcome.expiredFrom = min(outcome.expiredFrom ?? expiresOn, expiresOn)
                outcome.expiredThrough = max(outcome.expiredThrough ?? expiresOn, expiresOn)
            }
        }
        var days: Set<LocalDate> = []
        for history in histories {
            days.insert(history.lot.openedOn)
            if let expiresOn = history.lot.expiresOn { days.insert(expiresOn) }
            for move in history.movesAfter { days.insert(move.day) }
        }
        let ordered = days.filter { $0 > date && $0 <= today }.sorted()
        // Days that came in later (an opening or a give-back) are what can raise it; without one, nothing after `date` will do.
        guard !ordered.isEmpty else { return outcome }
        for (index, day) in ordered.enumerated() {
            let spendable = spendable(on: day, from: histories)
            if spendable > outcome.most || outcome.mostOn == nil {
                outcome.most = spendable
                outcome.mostOn = day
            }
            guard spendable >= needed else { continue }
            let next = index + 1 < ordered.count ? ordered[index + 1] : nil
            if let open = outcome.coveredOn.last, open.last == day.adding(days: -1) {
                outcome.coveredOn[outcome.coveredOn.count - 1].last = next?.adding(days: -1)
            } else {
                outcome.coveredOn.append(DayRange(first: day, last: next?.adding(days: -1)))
            }
        }
        return outcome
    }
}

/// Points an account still holds in lots that had expired by a day D, which the nightly expiry has not taken yet (it
/// runs with the next settlement): `balance` and the passbook still count them, but no debit dated D or later can
/// spend them. A refusal names them (L012, R001), so that "I have 25 points" at a counter gets its answer.
public struct ExpiredNotYetTaken: Hashable, Sendable {
    /// The points left in those lots.
    public var points: Int64
    /// The lots' expiry dates: the earliest and the latest (the same day when there is one).
    public var expiredFrom: LocalDate
    public var expiredThrough: LocalDate

    public init(points: Int64, expiredFrom: LocalDate, expiredThrough: LocalDate) {
        self.points = points
        self.expiredFrom = expiredFrom
        self.expiredThrough = expiredThrough
    }

    /// Gathers them from lots as they are now (`remaining`): those open on `date` that had expired by it. Nil when none.
    public static func gather(_ lots: [Lot], on date: LocalDate) -> ExpiredNotYetTaken? {
        var gathered: ExpiredNotYetTaken?
        for lot in lots where lot.remaining > 0 && lot.isOpen(on: date) && lot.isExpired(on: date) {
            guard let expiresOn = lot.expiresOn else { continue }
            if var known = gathered {
                known.points += lot.remaining
                known.expiredFrom = min(known.expiredFrom, expiresOn)
                known.expiredThrough = max(known.expiredThrough, expiresOn)
                gathered = known
            } else {
                gathered = ExpiredNotYetTaken(points: lot.remaining, expiredFrom: expiresOn, expiredThrough: expiresOn)
            }
        }
        return gathered
    }

    /// `20.00 points of its balance expired on 2026-11-05 (from …, to … for several lots): the balance still shows them
    /// until the nightly expiry takes them, but they cannot be spent`.
    public var sentence: String { sentence(unit: PointsUnit.unnamed) }

    /// The same sentence with the points named `unit` (the policy's 积分, 信义币), as `balance` writes it under its table.
    public func sentence(unit: String) -> String {
        let when = expiredFrom == expiredThrough ? "on \(expiredFrom)" : "between \(expiredFrom) and \(expiredThrough)"
        return "\(Hundredths.format(points)) \(unit) of its balance expired \(when): the balance still shows them until "
            + "the nightly expiry takes them, but they cannot be spent"
    }
}
