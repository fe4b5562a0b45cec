/// A redemption receipt (兑换凭证) as stored: what was handed over, for how many points, who paid,
/// the balance after, where, by whom and when. Receipts are append-only; a refund is recorded beside it.
public struct Receipt: Hashable, Sendable {
    /// 1, 2, 3, ... in the order receipts were written; shown as `R12`.
    public var number: Int64
    /// The client's key: a retry with the same key and content returns this receipt.
    public var key: String
    public var station: String
    public var stationName: String
    public var volunteer: String
    public var volunteerName: String
    /// The account the points came from: the volunteer's, or the household's when the policy pools points.
    public var paidFrom: AccountID
    public var item: String
    public var itemLabel: String
    public var itemKind: PolicyCatalogItem.Kind
    public var quantity: Int
    /// Points per unit, in hundredths.
    public var unitPrice: Int64
    /// Points paid, in hundredths.
    public var points: Int64
    /// The paying account's balance right after the redemption on its day, in hundredths: for a receipt typed in later
    /// (`--date`), what the account held on that day (points that came in after it not counted), as the passbook shows it.
    public var balanceAfter: Int64
    /// The balance right after it was written, in hundredths, counting what came in after its day: the same as
    /// `balanceAfter` unless the receipt is dated before the day it was typed in.
    public var balanceWhenEntered: Int64
    public var operatorID: String
    public var operatorName: String
    /// The business day of the redemption.
    public var redeemedOn: LocalDate
    /// For a service: the day it takes a capacity slot of.
    public var serviceDate: LocalDate?
    public var recordedAt: Timestamp
    /// The ledger entry that moved the points to the station.
    public var entry: Int64
    /// The booking it fulfilled, for a service booked in advance.
    public var hold: Int64?
    /// The policy version whose catalog priced it.
    public var policyVersion: Int64
    /// The refund, once there is one.
    public var refund: Refund?

    /// The prefix of the key a fulfilled booking's receipt is written under: `booking:` and the booking's key. A redemption
    /// may not take a key with it (R026): fulfilling the booking would find its receipt's key taken.
    public static let bookingKeyPrefix = "booking:"

    /// The key of the receipt that fulfils the booking made under `bookingKey`.
    public static func key(ofBooking bookingKey: String) -> String { bookingKeyPrefix + bookingKey }

    public init(number: Int64, key: String, station: String, stationName: String, volunteer: String, volunteerName: String,
                paidFrom: AccountID, item: String, itemLabel: String, itemKind: PolicyCatalogItem.Kind, quantity: Int,
                unitPrice: Int64, points: Int64, balanceAfter: Int64, operatorID: String, operatorName: String,
                redeemedOn: LocalDate, serviceDate: LocalDate?, recordedAt: Timestamp, entry: Int64, hold: Int64?,
                policyVersion: Int64, refund: Refund?, balanceWhenEntered: Int64? = nil) {
        self.number = number
        self.key = key
        self.station = station
        self.stationName = stationName
        self.volunteer = volunteer
        self.volunteerName = volunteerName
        self.paidFrom = paidFrom
        self.item = item
        self.itemLabel = itemLabel
        self.itemKind = itemKind
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.points = points
        self.balanceAfter = balanceAfter
        self.balanceWhenEntered = balanceWhenEntered ?? balanceAfter
        self.operatorID = operatorID
        self.operatorName = operatorName
        self.redeemedOn = redeemedOn
        self.serviceDate = serviceDate
        self.recordedAt = recordedAt
        self.entry = entry
        self.hold = hold
        self.policyVersion = policyVersion
        self.refund = refund
    }

    /// The receipt as printed at the counter: item, points, balance after, station, operator, time. A receipt typed in
    /// later names the day of its balance, and the balance when it was typed in when that differs.
    ///
    ///     ================================
    ///     兑换凭证 Receipt R12
    ///     太白湖区第一兑换站 (S01)
    ///     --------------------------------
    ///     物品 Item      大米 5kg × 1
    ///     积分 Points    60.00
    ///     余额 Balance   140.00
    ///     ...
    ///
    /// `expiring`: the paying account's points that expire soon (`ExpiringSoon`), printed under the balance as
    /// `其中 Expiring` lines; left out of a receipt typed in later, whose balance is of another day.
    public func rendered(unit: String = "积分", utcOffsetMinutes: Int = 480, expiring: [ExpiringSoon] = []) -> String {
        let rule = String(repeating: "=", count: 40)
        var lines = [rule, "兑换凭证 Receipt R\(number)", "\(stationName) (\(station))", String(repeating: "-", count: 40)]
        func row(_ label: String, _ value: String) { lines.append(Self.slipLine(label, value)) }
        row("物品 Item", "\(itemLabel) × \(quantity)" + (itemKind == .service ? " (服务 service)" : ""))
        if let serviceDate, itemKind == .service { row("服务日 Day", serviceDate.description) }
        row("\(unit) Points", Hundredths.format(points) + (quantity > 1 ? " (\(Hundredths.format(unitPrice)) each)" : ""))
        let (time, typedInLater) = slipTime(utcOffsetMinutes: utcOffsetMinutes)
        row("余额 Balance", balanceText(typedInLater: typedInLater))
        if typedInLater, balanceWhenEntered != balanceAfter {
            row("录入时余额 Then", Hundredths.format(balanceWhenEntered) + " when typed in on \(time.prefix(10))")
        }
        if !typedInLater { for (label, value) in ExpiringSoon.rows(expiring, unit: unit) { row(label, value) } }
        for (label, value) in whoAndWhenRows(time: time, typedInLater: typedInLater) { row(label, value) }
        row("凭证号 Key", key)
        if let hold { row("预约 Booking", "B\(hold)") }
        if let refund {
            lines.append(String(repeating: "-", count: 40))
            row("已退货 Refunded", "\(refund.refundedOn) by \(refund.operatorID): \(refund.reason)")
        }
        lines.append(rule)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A row of a printed slip: the label padded to the value column (wide characters count as two), then the value.
    static func slipLine(_ label: String, _ value: String) -> String {
        label + String(repeating: " ", count: max(1, 18 - displayWidth(of: label))) + value
    }

    /// When the receipt was written, in local time, and whether that was on another day than the one it counts for (a
    /// paper receipt typed in later, `--date`).
    func slipTime(utcOffsetMinutes: Int) -> (time: String, typedInLater: Bool) {
        let time = Self.localTime(recordedAt, utcOffsetMinutes: utcOffsetMinutes)
        return (time, !time.hasPrefix(redeemedOn.description))
    }

    /// The balance row's value: the balance after this receipt, on its day when it was typed in later, and the household
    /// when the points came from one.
    func balanceText(typedInLater: Bool) -> String {
        Hundredths.format(balanceAfter) + (typedInLater ? " on \(redeemedOn)" : "")
            + (paidFrom.kind == .household ? " (household \(paidFrom.owner))" : "")
    }

    /// The rows every slip ends with before its key: the volunteer, the operator, and the time; for a receipt typed in
    /// later, the day it counts for, then when it was written.
    func whoAndWhenRows(time: String, typedInLater: Bool) -> [(String, String)] {
        [("志愿者 Volunteer", "\(volunteerName) (\(volunteer))"), ("操作员 Operator", "\(operatorName) (\(operatorID))")]
            + (typedInLater ? [("日期 Date", redeemedOn.description), ("录入 Entered", time)] : [("时间 Time", time)])
    }

    /// `2026-10-08 14:03:05 (UTC+8)`.
    public static func localTime(_ moment: Timestamp, utcOffsetMinutes: Int) -> String {
        // Saturating: a lapse time of `Int64.max` milliseconds from an API caller is named in a refusal, not a trap.
        let local = moment.adding(minutes: utcOffsetMinutes).description
        let hours = utcOffsetMinutes / 60, minutes = abs(utcOffsetMinutes % 60)
        let offset = (utcOffsetMinutes < 0 ? "-" : "+") + "\(abs(hours))" + (minutes == 0 ? "" : ":\(minutes < 10 ? "0" : "")\(minutes)")
        return local.prefix(10) + " " + local.dropFirst(11).prefix(8) + " (UTC\(offset))"
    }
}

/// Points of one account that expire on one day: what a slip printed at the counter tells the volunteer under the
/// balance, when the day is within the policy's `[expiry] warn_days`.
public struct ExpiringSoon: Hashable, Sendable {
    /// The day the points expire (they can be spent until the day before).
    public var expiresOn: LocalDate
    /// In hundredths.
    public var points: Int64

    public init(expiresOn: LocalDate, points: Int64) {
        self.expiresOn = expiresOn
        self.points = points
    }

    /// The slip's rows, one per day, the first labelled: `其中 Expiring  10.00 积分 on 2026-12-01`.
    static func rows(_ expiring: [ExpiringSoon], unit: String) -> [(String, String)] {
        expiring.enumerated().map { index, day in
            (index == 0 ? "其中 Expiring" : "", Hundredths.format(day.points) + " \(unit) on \(day.expiresOn)")
        }
    }
}

/// The refund of one receipt (at most one per receipt).
public struct Refund: Hashable, Sendable {
    public var receipt: Int64
    public var reason: String
    public var operatorID: String
    public var station: String
    /// The entry that gave the points back (for a fulfilled booking: the one that undid the fulfilment).
    public var entry: Int64
    /// For a fulfilled booking: the entry that gave the held points back to the lots.
    public var holdEntry: Int64?
    public var refundedOn: LocalDate
    public var recordedAt: Timestamp

    public init(receipt: Int64, reason: String, operatorID: String, station: String, entry: Int64, holdEntry: Int64?,
                refundedOn: LocalDate, recordedAt: Timestamp) {
        self.receipt = receipt
        self.reason = reason
        self.operatorID = operatorID
        self.station = station
        self.entry = entry
        self.holdEntry = holdEntry
        self.refundedOn = refundedOn
        self.recordedAt = recordedAt
    }
}

/// What a redemption, a fulfilment or a refund did.
public enum RedemptionOutcome: Hashable, Sendable {
    /// A new receipt was written.
    case created(Receipt)
    /// The key was used before with the same content (a refund: the receipt was refunded before for the same reason): the
    /// receipt as it was; nothing was written.
    case exists(Receipt)

    /// The receipt, new or found.
    public var receipt: Receipt {
        switch self {
        case .created(let receipt), .exists(let receipt): receipt
        }
    }

    /// True when this call wrote the receipt.
    public var isNew: Bool {
        if case .created = self { return true }
        return false
    }
}
