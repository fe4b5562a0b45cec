/// How people name a catalog item where they type one (`redeem --item`, `book`, `stock receive`, `stock adjust`,
/// `stock move`, `stock count`, `stock history --item`): by its id (`biscuits`) or by its exact label, as printed on the
/// shelf and on the slip (`饼干礼盒`, `大米 5kg`). A label is compared in its reading form (`StationReference.readingForm`:
/// full-width letters and digits as ASCII, white space left out), as a typed receipt number is: `大米５ｋｇ` and ` 饼干礼盒 `
/// are those labels. Nothing else is guessed: a label that is only near (`大米`) names no item, and the counter says R005
/// with its did-you-mean.
///
/// An id wins over a label (an id that is also another item's label names the item with that id). Two items of one
/// catalog sharing a label cannot be told apart by it: R005 naming both, so the operator types the id.
///
///     try CatalogItemReference.item("饼干礼盒", in: policy)?.id   // "biscuits"
///     try CatalogItemReference.item("biscuits", in: policy)?.id   // "biscuits"
///     try CatalogItemReference.item("饼干", in: policy)           // nil
public enum CatalogItemReference {
    /// The form two labels are compared in (`StationReference.readingForm`).
    public static func labelKey(_ label: String) -> String { StationReference.readingForm(label) }

    /// The items of `policy` whose label `typed` is, in catalog order.
    /// - Complexity: O(n) in the size of the catalog.
    public static func labelled(_ typed: String, in policy: Policy) -> [PolicyCatalogItem] {
        let key = labelKey(typed)
        guard !key.isEmpty else { return [] }
        return policy.catalog.filter { labelKey($0.label) == key }
    }

    /// The item of `policy` that `typed` names: the item with that id, else the one item with that label; nil when it
    /// names none. R005 (`RedemptionError.itemLabelShared`) when several items have that label.
    public static func item(_ typed: String, in policy: Policy) throws(RedemptionError) -> PolicyCatalogItem? {
        if let item = policy.catalogItem(typed) { return item }
        let items = labelled(typed, in: policy)
        guard items.count <= 1 else {
            throw .itemLabelShared(typed: typed, ids: items.map(\.id), labels: items.map(\.label))
        }
        return items.first
    }

    /// The id `typed` names in `policy`, or `typed` as it is when it names no item or several: what a request is
    /// fingerprinted and stored with, so that a retry typed by label finds what was first sent by id. (The checks that
    /// follow refuse what names no item, R005.)
    public static func id(_ typed: String, in policy: Policy) -> String {
        (try? item(typed, in: policy))??.id ?? typed
    }
}
