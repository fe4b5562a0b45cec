/// The people and places records may name: volunteers, households and stations, looked up by id.
/// Record checks use it to refuse unknown ids; the scorer reads `volunteer.*` and `household.*`
/// facts from it.
///
///     let directory = CommunityDirectory(volunteers: volunteers, households: households, stations: ["S1"])
///     directory.volunteer("V0001")?.household   // "H0001"
public struct CommunityDirectory: Sendable {
    public private(set) var volunteersByID: [String: Volunteer]
    public private(set) var householdsByID: [String: Household]
    /// How many volunteers belong to each household.
    public private(set) var memberCounts: [String: Int]
    public private(set) var stations: Set<String>

    /// Creates a directory from the community's lists.
    public init(volunteers: [Volunteer], households: [Household], stations: [String]) {
        var volunteersByID: [String: Volunteer] = [:]
        var memberCounts: [String: Int] = [:]
        for volunteer in volunteers {
            volunteersByID[volunteer.id] = volunteer
            if let household = volunteer.household { memberCounts[household, default: 0] += 1 }
        }
        self.volunteersByID = volunteersByID
        self.householdsByID = Dictionary(households.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.memberCounts = memberCounts
        self.stations = Set(stations)
    }

    public func volunteer(_ id: String) -> Volunteer? { volunteersByID[id] }
    public func household(_ id: String) -> Household? { householdsByID[id] }

    /// Volunteer ids in byte order, for suggestions.
    public var volunteerIDs: [String] { volunteersByID.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
    /// Household ids in byte order, for suggestions.
    public var householdIDs: [String] { householdsByID.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
}
