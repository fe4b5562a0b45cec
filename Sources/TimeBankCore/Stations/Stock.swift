/// Why a stock movement happened. Stored by raw value; new kinds are added, never renamed.
public enum StockMovementKind: String, Sendable, Hashable, CaseIterable {
    /// Goods delivered to the station (their cost is paid from the fund).
    case receive
    /// A correction with a reason: damaged, lost, or a count correction.
    case adjust
    /// Goods sent to another station (the other half of a move is `moveIn` there).
    case moveOut = "move_out"
    case moveIn = "move_in"
    /// Goods handed over for a redemption.
    case redeem
    /// Goods brought back with a refund.
    case refund
}

/// Why stock was adjusted by hand.
public enum StockAdjustmentReason: String, Sendable, Hashable, CaseIterable {
    /// Broken or spoiled: stock goes down.
    case damaged
    /// Missing: stock goes down.
    case lost
    /// The shelf count differs from the books: up or down.
    case countCorrection = "count-correction"

    /// Whether an adjustment of `quantity` fits the reason (damaged and lost only take stock away).
    public func allows(quantity: Int) -> Bool {
        self == .countCorrection || quantity < 0
    }
}

/// One line of a station's stock history: append-only, like the ledger. A level is always the sum of its movements.
public struct StockMovement: Hashable, Sendable {
    public var id: Int64
    public var station: String
    public var item: String
    /// Positive in, negative out.
    public var quantity: Int
    public var kind: StockMovementKind
    public var reason: StockAdjustmentReason?
    /// For a delivery: what one unit cost, in fen.
    public var unitCost: Int64?
    public var note: String
    /// The stock operation (receive, adjust, move) or the receipt it belongs to.
    public var operation: Int64?
    public var receipt: Int64?
    public var actor: String
    public var date: LocalDate
    public var recordedAt: Timestamp

    public init(id: Int64, station: String, item: String, quantity: Int, kind: StockMovementKind, reason: StockAdjustmentReason?,
                unitCost: Int64?, note: String, operation: Int64?, receipt: Int64?, actor: String, date: LocalDate, recordedAt: Timestamp) {
        self.id = id
        self.station = station
        self.item = item
        self.quantity = quantity
        self.kind = kind
        self.reason = reason
        self.unitCost = unitCost
        self.note = note
        self.operation = operation
        self.receipt = receipt
        self.actor = actor
        self.date = date
        self.recordedAt = recordedAt
    }
}

/// How many units of an item a station holds.
public struct StockLevel: Hashable, Sendable {
    public var station: String
    public var item: String
    public var quantity: Int

    public init(station: String, item: String, quantity: Int) {
        self.station = station
        self.item = item
        self.quantity = quantity
    }

    /// The default level at or below which `stock list` flags an item as low.
    public static let defaultLowLevel = 5

    /// `OUT` at 0, `LOW` at or below `lowLevel`, else empty.
    public func flag(lowLevel: Int = defaultLowLevel) -> String {
        quantity <= 0 ? "OUT" : quantity <= lowLevel ? "LOW" : ""
    }
}

/// A shelf seen from a day before today: what it held at the end of that day and of every later day with a movement,
/// oldest first (the last is the level now). Goods cannot be taken before they arrived, so a movement dated back is
/// checked against the least of these (docs/stations.md).
public struct ShelfDays: Hashable, Sendable {
    /// The level at the end of one day.
    public struct Day: Hashable, Sendable {
        public var day: LocalDate
        public var held: Int
        public init(day: LocalDate, held: Int) {
            self.day = day
            self.held = held
        }
    }

    /// Oldest first; never empty (the first is the day asked about).
    public var days: [Day]

    public init(days: [Day]) {
        precondition(!days.isEmpty, "a shelf's days start on the day asked about")
        self.days = days
    }

    /// The least the shelf held on a day from the first on, and the first day it held that little.
    public var least: Day { days.min { $0.held < $1.held }! }
    /// What it holds now.
    public var now: Int { days.last!.held }

    /// The first day from which taking `quantity` would leave no day below zero (nil when not even today's level is
    /// enough): the day a refusal can advise instead, walking back from now while every day since held enough.
    ///
    ///     // 1 on 10-03, 6 from 10-06: taking 2 works from 10-06 on.
    ///     ShelfDays(days: [.init(day: d3, held: 1), .init(day: d6, held: 6)]).firstDay(taking: 2)   // d6
    public func firstDay(taking quantity: Int) -> LocalDate? {
        var index = days.count
        while index > 0, days[index - 1].held >= quantity { index -= 1 }
        return index < days.count ? days[index].day : nil
    }
}

/// Goods delivered to a station: `quantity` units at `unitCost` fen each (from the catalog when nil).
public struct StockReceiveRequest: Hashable, Sendable {
    public var key: String
    public var station: String
    public var item: String
    public var quantity: Int
    /// Fen per unit; nil takes the catalog's `unit_cost` (0 when it has none).
    public var unitCost: Int64?
    public var supplierNote: String
    public var date: LocalDate
    /// Whether a delivery that costs more than the fund holds needs a `fundShortfallReason` (F016 without one). The
    /// goods may well have arrived, so the engine records such a delivery when asked to; `stock receive` asks for a
    /// reason, so that a mistyped quantity (10000 for 10) does not silently pay out far more than the fund has.
    public var needsReasonWhenFundShort: Bool
    /// Why the fund pays more than it holds (written into the ledger entry's memo). Not part of the content: a
    /// retry with another reason or none finds the stored delivery.
    public var fundShortfallReason: String

    public init(key: String, station: String, item: String, quantity: Int, unitCost: Int64? = nil, supplierNote: String = "", date: LocalDate,
                needsReasonWhenFundShort: Bool = false, fundShortfallReason: String = "") {
        self.key = key
        self.station = station
        self.item = item
        self.quantity = quantity
        self.unitCost = unitCost
        self.supplierNote = supplierNote
        self.date = date
        self.needsReasonWhenFundShort = needsReasonWhenFundShort
        self.fundShortfallReason = fundShortfallReason
    }

    /// The idempotency fingerprint of the operation (what was delivered, not how the fund check was answered).
    public var contentDigest: [UInt8] {
        RedemptionRules.digest(tag: "TBSR1", texts: [key, station, item, supplierNote], integers: [Int64(quantity), unitCost ?? -1])
    }
}

/// A correction of a station's stock with a reason.
public struct StockAdjustRequest: Hashable, Sendable {
    public var key: String
    public var station: String
    public var item: String
    /// Positive adds, negative takes away.
    public var quantity: Int
    public var reason: StockAdjustmentReason
    public var note: String
    public var date: LocalDate

    public init(key: String, station: String, item: String, quantity: Int, reason: StockAdjustmentReason, note: String = "", date: LocalDate) {
        self.key = key
        self.station = station
        self.item = item
        self.quantity = quantity
        self.reason = reason
        self.note = note
        self.date = date
    }

    /// The idempotency fingerprint of the operation.
    public var contentDigest: [UInt8] {
        RedemptionRules.digest(tag: "TBSA1", texts: [key, station, item, reason.rawValue, note], integers: [Int64(quantity)])
    }
}

/// Goods sent from one station to another: out of one and into the other as one operation.
public struct StockMoveRequest: Hashable, Sendable {
    public var key: String
    public var from: String
    public var to: String
    public var item: String
    public var quantity: Int
    public var note: String
    public var date: LocalDate

    public init(key: String, from: String, to: String, item: String, quantity: Int, note: String = "", date: LocalDate) {
        self.key = key
        self.from = from
        self.to = to
        self.item = item
        self.quantity = quantity
        self.note = note
        self.date = date
    }

    /// The idempotency fingerprint of the operation.
    public var contentDigest: [UInt8] {
        RedemptionRules.digest(tag: "TBSM1", texts: [key, from, to, item, note], integers: [Int64(quantity)])
    }
}

/// What a stock operation did: written now, or found written before under the same key.
public struct StockOperationOutcome: Hashable, Sendable {
    /// The operation's number.
    public var number: Int64
    public var isNew: Bool
    public var movements: [StockMovement]
    /// The fund entry that paid for a delivery.
    public var entry: Int64?
    /// The level at each station touched, after the operation.
    public var levelsAfter: [StockLevel]

    public init(number: Int64, isNew: Bool, movements: [StockMovement], entry: Int64?, levelsAfter: [StockLevel]) {
        self.number = number
        self.isNew = isNew
        self.movements = movements
        self.entry = entry
        self.levelsAfter = levelsAfter
    }
}
