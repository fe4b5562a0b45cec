/// The versions of a community's policy, each in force from its effective date until the next
/// version's: what decides which version scores a record (step 1 of `docs/scoring.md`).
///
///     let timeline = PolicyTimeline([.init(label: "v1", policy: october), .init(label: "v2", policy: november)])
///     timeline.version(inForceOn: LocalDate("2026-10-31")!)?.label   // "v1"
///     timeline.version(inForceOn: LocalDate("2026-11-01")!)?.label   // "v2": from midnight of the effective date
///
/// Versions with the same effective date: the later in the list wins (as a later activation does).
public struct PolicyTimeline: Sendable {
    /// One version and how reports name it.
    public struct Version: Sendable {
        /// How reports name the version, such as `#3` (stored) or `config/policy.toml`.
        public var label: String
        /// The stored version number, when the version comes from a database.
        public var storedNumber: Int64?
        public var policy: Policy

        /// Creates a version.
        public init(label: String, storedNumber: Int64? = nil, policy: Policy) {
            self.label = label
            self.storedNumber = storedNumber
            self.policy = policy
        }
    }

    /// The versions ordered by effective date (stable for equal dates).
    public let versions: [Version]
    /// When true, the last version applies to every date, before its effective date too (what-if).
    public let ignoresEffectiveDates: Bool

    /// A timeline of `versions` in any order; each applies from its `effective` date.
    public init(_ versions: [Version]) {
        self.versions = versions.enumerated()
            .sorted { ($0.element.policy.effective, $0.offset) < ($1.element.policy.effective, $1.offset) }
            .map(\.element)
        self.ignoresEffectiveDates = false
    }

    /// A timeline where one policy scores every record whatever its date, as `whatif` needs
    /// to compare two policies over the same history.
    public static func always(_ version: Version) -> PolicyTimeline {
        PolicyTimeline(versions: [version], ignoresEffectiveDates: true)
    }

    private init(versions: [Version], ignoresEffectiveDates: Bool) {
        self.versions = versions
        self.ignoresEffectiveDates = ignoresEffectiveDates
    }

    /// The index of the version in force on `date`: the latest effective on or before it.
    public func index(inForceOn date: LocalDate) -> Int? {
        if ignoresEffectiveDates { return versions.isEmpty ? nil : versions.count - 1 }
        // Few versions: a backwards scan is fastest and keeps "the later one wins" for equal dates.
        var index = versions.count - 1
        while index >= 0 {
            if versions[index].policy.effective <= date { return index }
            index -= 1
        }
        return nil
    }

    /// The version in force on `date`, or nil before the first effective date.
    public func version(inForceOn date: LocalDate) -> Version? {
        index(inForceOn: date).map { versions[$0] }
    }

    /// The first effective date, for messages ("the first version takes effect on ...").
    public var firstEffective: LocalDate? { versions.first?.policy.effective }
}
