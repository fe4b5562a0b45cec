import TimeBankCore

/// How every command that takes a catalog item finds it (`redeem`, a basket, `book`, `stock receive`, `stock adjust`,
/// `stock move`, `stock count`, `stock history --item`): by id or exact label (`CatalogItemReference`), in the policy in
/// force on the business day. A request is resolved to the id before it is fingerprinted or stored (`itemID`), so that a
/// retry typed by label and a first send typed by id are the same request.
extension TimeBankStore {
    /// The catalog item `typed` names in `policy` (its id, or its exact label), or R005: with a did-you-mean
    /// (`itemSuggestion`), or naming each item when several share the label.
    func requireItem(_ typed: String, in policy: Policy) throws -> PolicyCatalogItem {
        guard let item = try CatalogItemReference.item(typed, in: policy) else {
            throw RedemptionError.unknownItem(typed, suggestion: Self.itemSuggestion(for: typed, in: policy))
        }
        return item
    }

    /// The catalog item a counter most likely meant by `typed`, which names none: the id typed in full width, else the
    /// nearest id, else the one item part of whose label it is (`大米` for `大米 5kg`).
    static func itemSuggestion(for typed: String, in policy: Policy) -> String? {
        let reading = StationReference.readingForm(typed)
        if policy.catalogItem(reading) != nil { return reading }
        if let near = Spelling.nearest(to: typed, among: policy.catalog.map(\.id)) { return near }
        // 大米 for the item labelled 大米 5kg: part of one label (and of no other) names that item.
        guard reading.count >= 2 else { return nil }
        let partly = policy.catalog.filter { CatalogItemReference.labelKey($0.label).contains(reading) }
        return partly.count == 1 ? partly[0].id : nil
    }

    /// The id a request for `typed` is fingerprinted and stored with: the item it names in the catalog in force on `date`
    /// (`stocked`: an item dropped from the catalog with a stock history is named by its id, which wins over a label), or
    /// `typed` as it is when it names none or several (the checks that follow refuse it) or no policy is in force.
    func itemID(_ typed: String, on date: LocalDate, stocked: Bool = false) throws -> String {
        // Not `try?`: an error of the database (an interrupted read) must abort the write, not pass for "no policy".
        guard let policy = try counterPolicyIfAny(on: date)?.policy else { return typed }
        return try itemID(typed, in: policy, stocked: stocked)
    }

    func itemID(_ typed: String, in policy: Policy, stocked: Bool) throws -> String {
        if policy.catalogItem(typed) != nil { return typed }
        if stocked, try hasStockHistory(item: typed) { return typed }
        return CatalogItemReference.id(typed, in: policy)
    }

    /// The id of the goods an adjustment, a move or a stocktake takes: a goods item of `policy` (by id or exact label; K004
    /// for a service), or an item dropped from the catalog that was stocked before (it has stock movements): the goods
    /// left on a shelf must still be written off (damaged, lost, a count correction) or sent to another station. Else R005.
    func stockedGoods(_ typed: String, in policy: Policy) throws -> String {
        if policy.catalogItem(typed) == nil, try hasStockHistory(item: typed) { return typed }
        let item = try requireItem(typed, in: policy)
        guard item.kind == .goods else { throw StockError.notStocked(item: item.id) }
        return item.id
    }

    /// `stockedGoods` in the policy in force on `date`.
    func stockedGoods(_ typed: String, on date: LocalDate) throws -> String {
        try stockedGoods(typed, in: try counterPolicy(on: date).policy)
    }

    /// The id of the item `typed` names for a read of stock history: an item with stock movements, else an item of the
    /// catalog in force on `date` by id or exact label; R005 (with a did-you-mean) for neither, a typo rather than an empty
    /// history (an item dropped from the catalog keeps its history).
    @discardableResult
    public func requireStockItem(_ typed: String, on date: LocalDate) throws -> String {
        guard let policy = try counterPolicyIfAny(on: date)?.policy else { return typed }
        if policy.catalogItem(typed) == nil, try hasStockHistory(item: typed) { return typed }
        return try requireItem(typed, in: policy).id
    }

    /// Whether `item` has any stock movement (at any station).
    func hasStockHistory(item: String) throws -> Bool {
        try database.statement("SELECT 1 FROM stock_movements WHERE item = ? LIMIT 1").bind(.text(item)).first({ _ in true }) ?? false
    }
}
