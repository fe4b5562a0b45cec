/// What a new policy version changes in how records earn, compared with an older one: the categories, indicators,
/// multipliers, bonuses and penalties it adds or removes (by id), and the rates, points and factors it changes.
///
/// Other settings (caps, the catalog, expiry, conditions) are not compared: this is the short list an admin reads before
/// activating a version (`timebank policy check FILE --against-active`).
///
///     let comparison = PolicyComparison(from: stored, to: new)
///     comparison.changed   // [category "orange": 12 → 15]
///
/// - Complexity: O(n²) in the number of ids, which a policy keeps small.
public struct PolicyComparison: Sendable, Hashable {
    /// The kinds of ids compared, in the order they are listed.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case category, indicator, multiplier, bonus, penalty
    }

    /// A rate, points or factor: a number, or an expression computed per record.
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case number(ExactDecimal)
        case expression(String)

        init(_ amount: PolicyAmount) {
            switch amount {
            case .fixed(let value): self = .number(value)
            case .computed(let expression): self = .expression(expression.text)
            }
        }

        public var description: String {
            switch self {
            case .number(let value): value.description
            case .expression(let text): "'" + text + "'"
            }
        }
    }

    /// A category, indicator or rule with its value: `points_per_hour`, the indicator's or rule's `points`, or `factor`.
    public struct Item: Sendable, Hashable {
        public var kind: Kind
        public var id: String
        public var label: String
        public var value: Value
    }

    /// An id both versions have, with a different value.
    public struct Change: Sendable, Hashable {
        public var kind: Kind
        public var id: String
        /// The new version's label.
        public var label: String
        public var old: Value
        public var new: Value
    }

    /// In the new version only, in its file order by kind.
    public var added: [Item]
    /// In the old version only, in its file order by kind.
    public var removed: [Item]
    /// In both, with another value, in the new version's file order by kind.
    public var changed: [Change]

    /// Whether nothing compared differs.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    public init(from old: Policy, to new: Policy) {
        added = []
        removed = []
        changed = []
        for kind in Kind.allCases {
            let before = Self.items(kind, in: old)
            let after = Self.items(kind, in: new)
            for item in after {
                guard let previous = before.first(where: { $0.id == item.id }) else {
                    added.append(item)
                    continue
                }
                if previous.value != item.value {
                    changed.append(Change(kind: kind, id: item.id, label: item.label, old: previous.value, new: item.value))
                }
            }
            removed += before.filter { item in !after.contains { $0.id == item.id } }
        }
    }

    static func items(_ kind: Kind, in policy: Policy) -> [Item] {
        switch kind {
        case .category: policy.categories.map { Item(kind: kind, id: $0.id, label: $0.label, value: .number($0.pointsPerHour)) }
        case .indicator: policy.indicators.map { Item(kind: kind, id: $0.id, label: $0.label, value: .number($0.points)) }
        case .multiplier: policy.multipliers.map { Item(kind: kind, id: $0.id, label: $0.label, value: Value($0.factor)) }
        case .bonus: policy.bonuses.map { Item(kind: kind, id: $0.id, label: $0.label, value: Value($0.points)) }
        case .penalty: policy.penalties.map { Item(kind: kind, id: $0.id, label: $0.label, value: Value($0.points)) }
        }
    }
}
