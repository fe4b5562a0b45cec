/// One item of a basket: what a volunteer brings to the counter, and how many.
public struct BasketLine: Hashable, Sendable {
    public var item: String
    public var quantity: Int

    public init(item: String, quantity: Int = 1) {
        self.item = item
        self.quantity = quantity
    }
}

/// Several items redeemed for one volunteer at one station in one transaction: all of them, or none.
///
/// Each item gets a receipt of its own, written under the key `KEY/1`, `KEY/2`, ... (`lineKey`), so that each can be
/// refunded on its own and every report counts it as a redemption; the points of the items before it are spent first
/// (a basket that the volunteer's points cover only in part is refused as a whole, naming the item they run out at).
/// A retry with the same key and the same items (in any order: a counter may scan them again in another) returns the
/// receipts, in their first order; anything else under the key is R008.
///
///     let basket = BasketRequest(key: "S01-0007", station: "S01", volunteer: "V0001",
///                                lines: [BasketLine(item: "rice_5kg"), BasketLine(item: "hair_clip", quantity: 2)], date: today)
///     basket.lineRequests.map(\.key)   // ["S01-0007/1", "S01-0007/2"]
public struct BasketRequest: Hashable, Sendable {
    public var key: String
    public var station: String
    public var volunteer: String
    public var lines: [BasketLine]
    /// The business day, as for one redemption.
    public var date: LocalDate

    /// The most items one basket takes (a counter's slip; more are a second basket under another key).
    public static let linesMaximum = 20

    public init(key: String, station: String, volunteer: String, lines: [BasketLine], date: LocalDate) {
        self.key = key
        self.station = station
        self.volunteer = volunteer
        self.lines = lines
        self.date = date
    }

    /// What the basket asks for, for R008's differences.
    public var content: RedemptionContent { RedemptionContent(station: station, volunteer: volunteer, lines: lines) }

    /// The key of the receipt of line `index` (from 0): `KEY/1` for the first.
    public static func lineKey(_ key: String, index: Int) -> String { "\(key)/\(index + 1)" }

    /// Each line as the redemption it is, under its own key.
    public var lineRequests: [RedemptionRequest] {
        lines.enumerated().map { index, line in
            RedemptionRequest(key: Self.lineKey(key, index: index), station: station, volunteer: volunteer, item: line.item,
                              quantity: line.quantity, date: date)
        }
    }

    /// R029 for a basket of fewer than two or more than `linesMaximum` items, or one that names an item twice (its
    /// quantity belongs on one line: two lines of one item would be two receipts for one purchase).
    public func checkShape() throws(RedemptionError) {
        guard lines.count >= 2 else {
            throw .basketShape("a basket has two items or more; redeem one item with `redeem --item` alone")
        }
        guard lines.count <= Self.linesMaximum else {
            throw .basketShape("a basket takes at most \(Self.linesMaximum) items, not \(lines.count); redeem the rest as a second basket under a new key")
        }
        var seen: Set<String> = []
        for line in lines where !seen.insert(line.item).inserted {
            let total = lines.filter { $0.item == line.item }.reduce(0) { $0 + $1.quantity }
            throw .basketShape("\(line.item) is named twice; name it once with its quantity (\(line.item):\(total))")
        }
    }
}

/// What a basket did: every receipt, in the order of its lines.
public enum BasketOutcome: Hashable, Sendable {
    /// The receipts were written now.
    case created([Receipt])
    /// The key was used before for the same items: the receipts as they were; nothing was written.
    case exists([Receipt])

    public var receipts: [Receipt] {
        switch self {
        case .created(let receipts), .exists(let receipts): receipts
        }
    }

    /// True when this call wrote the receipts.
    public var isNew: Bool {
        if case .created = self { return true }
        return false
    }
}

/// A refusal of one item of a basket: the item's own error (its code, its category), said with the item's place in the
/// basket and the points the items before it take. Nothing of the basket was written.
public struct BasketLineError: TimeBankError {
    /// The line refused, from 1.
    public var position: Int
    public var count: Int
    public var line: BasketLine
    /// The points of the items before it, spent first.
    public var pointsBefore: Int64
    public var underlying: any TimeBankError
    /// What the policy in force calls a point (积分, 信义币), which `pointsBefore` is named in.
    public var unit: String

    public init(position: Int, count: Int, line: BasketLine, pointsBefore: Int64, underlying: any TimeBankError,
                unit: String = PointsUnit.unnamed) {
        self.position = position
        self.count = count
        self.line = line
        self.pointsBefore = pointsBefore
        self.underlying = underlying
        self.unit = unit
    }

    public var code: String { underlying.code }
    public var category: ErrorCategory { underlying.category }
    public var message: String {
        "item \(position) of \(count) (\(line.item) ×\(line.quantity)): \(underlying.message)"
            + (pointsBefore > 0 ? " (the \(position == 2 ? "item before it in the basket takes" : "\(position - 1) items before it in the basket take") "
                + "\(Hundredths.format(pointsBefore)) \(unit))" : "")
            + "; nothing in the basket was redeemed"
    }
}

extension Receipt {
    /// The receipts of one basket as one slip at the counter: a line per receipt (its number, the item, the points), the
    /// total, and the balance after the last, with the volunteer, operator, time and key as on one receipt.
    ///
    ///     ========================================
    ///     兑换凭证 Receipts R5–R6 (2 items)
    ///     太白湖区第一兑换站 (S01)
    ///     ----------------------------------------
    ///     R5  大米 5kg × 1                   60.00
    ///     R6  发夹饰品 × 2                   20.00
    ///     ----------------------------------------
    ///     合计 Total        80.00 积分
    ///     余额 Balance      120.00
    ///     ...
    public static func renderedBasket(_ receipts: [Receipt], key: String, unit: String = "积分", utcOffsetMinutes: Int = 480,
                                      expiring: [ExpiringSoon] = []) -> String {
        guard let first = receipts.first, let last = receipts.last else { return "" }
        let rule = String(repeating: "=", count: 40), thin = String(repeating: "-", count: 40)
        let numbers = receipts.count == 1 ? "R\(first.number)" : "R\(first.number)–R\(last.number)"
        var lines = [rule, "兑换凭证 Receipts \(numbers) (\(receipts.count) items)", "\(first.stationName) (\(first.station))", thin]
        func row(_ label: String, _ value: String) { lines.append(slipLine(label, value)) }
        for receipt in receipts {
            let item = "R\(receipt.number)  \(receipt.itemLabel) × \(receipt.quantity)" + (receipt.itemKind == .service ? " (服务)" : "")
            let points = Hundredths.format(receipt.points)
            lines.append(item + String(repeating: " ", count: max(1, 40 - displayWidth(of: item) - points.count)) + points
                         + (receipt.refund.map { " (已退货 refunded \($0.refundedOn))" } ?? ""))
        }
        lines.append(thin)
        row("合计 Total", Hundredths.format(receipts.reduce(0) { $0 + $1.points }) + " \(unit)")
        let (time, typedInLater) = last.slipTime(utcOffsetMinutes: utcOffsetMinutes)
        row("余额 Balance", last.balanceText(typedInLater: typedInLater))
        if !typedInLater { for (label, value) in ExpiringSoon.rows(expiring, unit: unit) { row(label, value) } }
        for (label, value) in last.whoAndWhenRows(time: time, typedInLater: typedInLater) { row(label, value) }
        row("凭证号 Key", key + " (" + (receipts.count == 1 ? first.key : "\(first.key) to \(last.key)") + ")")
        lines.append(rule)
        return lines.joined(separator: "\n") + "\n"
    }
}

/// What a redemption sent again under a used key asks for, set beside what went through under it: R008 names the
/// difference, so that the operator sees at once whether it is a retry mistyped (send it as it was) or another
/// redemption given an old key (give it a new one).
public struct RedemptionContent: Hashable, Sendable {
    public var station: String
    public var volunteer: String
    public var lines: [BasketLine]

    public init(station: String, volunteer: String, lines: [BasketLine]) {
        self.station = station
        self.volunteer = volunteer
        self.lines = lines
    }

    /// Each way `self` (sent now) differs from `stored` (what went through), as `what sent, not stored`:
    /// `["volunteer V0002, not V0001", "hair_clip × 3, not × 2", "rice_5kg × 1 added"]`. Lines are matched by
    /// item, in any order; for a single item the item itself is compared. Empty when nothing tells them apart in
    /// these terms (an item typed by its label, say): the caller then says only that the content differs.
    public func differences(from stored: RedemptionContent) -> [String] {
        var found: [String] = []
        if station != stored.station { found.append("station \(station), not \(stored.station)") }
        if volunteer != stored.volunteer { found.append("volunteer \(volunteer), not \(stored.volunteer)") }
        if lines.count == 1, stored.lines.count == 1 {
            let sent = lines[0], was = stored.lines[0]
            if sent.item != was.item { found.append("item \(sent.item), not \(was.item)") }
            if sent.quantity != was.quantity { found.append("quantity \(sent.quantity), not \(was.quantity)") }
            return found
        }
        for line in lines {
            if let was = stored.lines.first(where: { $0.item == line.item }) {
                if was.quantity != line.quantity { found.append("\(line.item) × \(line.quantity), not × \(was.quantity)") }
            } else {
                found.append("\(line.item) × \(line.quantity) added")
            }
        }
        for was in stored.lines where !lines.contains(where: { $0.item == was.item }) {
            found.append("\(was.item) × \(was.quantity) left out")
        }
        return found
    }
}
