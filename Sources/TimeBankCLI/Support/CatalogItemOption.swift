/// The help every command that takes `--item` shares: what ITEM may be (`CatalogItemReference`).
enum CatalogItemOption {
    static let help = """
    ITEM is a catalog item's id (biscuits) or its exact label, as on the shelf and the slip (饼干礼盒);
    two items with one label are told apart by id.
    """
}
