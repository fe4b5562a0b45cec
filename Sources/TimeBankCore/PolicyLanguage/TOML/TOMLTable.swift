/// A TOML table: its keys in source order, each with its range and value.
///
///     let root = TOMLDecoder.decode(Array("b = 1\na = 2\n".utf8)).document.root
///     root.entries.map(\.key.name)  // ["b", "a"]
///     root["a"]?.range.start.line   // 2
///
/// - Complexity: lookup by name is O(1); entries keep insertion order.
public struct TOMLTable: Sendable, Hashable {
    /// One key of the table with its value.
    public struct Entry: Sendable, Hashable {
        /// The key with its name and range.
        public var key: TOMLKey
        /// The value with its range.
        public var value: TOMLValue

        /// An entry of `key` and `value`.
        public init(key: TOMLKey, value: TOMLValue) {
            self.key = key
            self.value = value
        }
    }

    /// How a table came to exist, which decides how it may still be extended.
    public enum Origin: String, Sendable, Hashable {
        /// The document itself.
        case root
        /// A `[name]` header.
        case header
        /// Made on the way to a deeper header (`[a.b]` makes `a`) and never given its own header.
        case implicit
        /// Made by a dotted key (`a.b = 1` makes `a`).
        case dottedKeys
        /// Written inline as `{ ... }`.
        case inline
        /// One `[[name]]` element of an array of tables.
        case arrayOfTablesElement
    }

    /// The keys with their values, in source order.
    public private(set) var entries: [Entry]
    /// How the table came to exist.
    public var origin: Origin
    private var positionByName: [String: Int]

    /// An empty table.
    public init(origin: Origin) {
        self.entries = []
        self.origin = origin
        self.positionByName = [:]
    }

    /// A table from entries whose names are already known to be distinct, with their positions.
    init(origin: Origin, entries: [Entry], positionByName: [String: Int]) {
        self.entries = entries
        self.origin = origin
        self.positionByName = positionByName
    }

    /// The value stored under `name`, if any.
    public subscript(name: String) -> TOMLValue? {
        guard let position = positionByName[name] else { return nil }
        return entries[position].value
    }

    /// The entry (key with its range, and value) stored under `name`, if any.
    public func entry(named name: String) -> Entry? {
        guard let position = positionByName[name] else { return nil }
        return entries[position]
    }

    /// The key names in source order.
    public var keys: [String] { entries.map(\.key.name) }

    /// The number of keys.
    public var count: Int { entries.count }
    /// True when the table has no keys.
    public var isEmpty: Bool { entries.isEmpty }

    /// Adds a key at the end; returns false (and changes nothing) when the name is already there.
    @discardableResult public mutating func append(key: TOMLKey, value: TOMLValue) -> Bool {
        guard positionByName[key.name] == nil else { return false }
        positionByName[key.name] = entries.count
        entries.append(Entry(key: key, value: value))
        return true
    }

    /// Equal when the origin and the entries (in order) are equal.
    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
        lhs.origin == rhs.origin && lhs.entries == rhs.entries
    }

    /// Hashes the origin and entries, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(origin)
        hasher.combine(entries)
    }
}
