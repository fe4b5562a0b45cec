/// The time zone names a policy's `[policy] timezone` may use, as the machine's time zone database knows them.
///
/// The core reads no files, so it checks a name's shape only (`Area/City`, `UTC`, `+08:00`); the store and the CLI,
/// which can ask the system, pass its names to `PolicyLoader.load`, and a name the system does not know
/// (`"Asia/Shangai"`) is then an error with the nearest known name as the fix, before the name can decide what "today"
/// and "yesterday" are for `settle`.
public struct TimeZoneNames: Sendable {
    /// Whether the system resolves `name` (aliases such as `PRC` included).
    public let isKnown: @Sendable (String) -> Bool
    /// The names to suggest from when one is not known.
    public let suggestions: [String]

    public init(isKnown: @escaping @Sendable (String) -> Bool, suggestions: [String]) {
        self.isKnown = isKnown
        self.suggestions = suggestions
    }

    /// Whether `text` is an offset (`+08:00`, `-05:30`) or `UTC` rather than a name to look up.
    public static func isFixedOffset(_ text: String) -> Bool { fixedOffsetMinutes(text) != nil }

    /// The minutes east of UTC that `UTC` or an offset such as `+08:00` says (`-05:30` is -330); nil for a zone name.
    public static func fixedOffsetMinutes(_ text: String) -> Int? {
        if text == "UTC" { return 0 }
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 6, scalars[0] == "+" || scalars[0] == "-", scalars[3] == ":",
              scalars.enumerated().allSatisfy({ [0, 3].contains($0.offset) || ("0"..."9").contains($0.element) }),
              let hours = Int(String(text.dropFirst().prefix(2))), let minutes = Int(String(text.suffix(2))),
              hours <= 14, minutes < 60 else {
            return nil
        }
        return (scalars[0] == "-" ? -1 : 1) * (hours * 60 + minutes)
    }
}
