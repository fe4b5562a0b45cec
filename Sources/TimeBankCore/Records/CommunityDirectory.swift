/// The people and places records may name: volunteers, households and stations, looked up by id.
/// Record checks use it to refuse unknown ids; the scorer reads `volunteer.*` and `household.*`
/// facts from it.
///
///     let directory = CommunityDirectory(volunteers: volunteers, households: households, stations: ["S1"])
///     directory.volunteer("V0001")?.household   // "H0001"
public struct CommunityDirectory: Sendable {
    public private(set) var volunteersByID: [String: Volunteer]
    public private(set) var householdsByID: [String: Household]
    public private(set) var stations: Set<String>
    /// Volunteer ids by name (as `PersonName` compares names: whitespace taken out, a middle dot however typed), for the help of a row that names a volunteer instead of giving the id.
    private var volunteerIDsByName: [String: [String]]
    /// Household ids by name (`姚学文户`), likewise.
    private var householdIDsByName: [String: [String]]
    /// The ids of each household's members, in the order of the list given.
    private var memberIDsByHousehold: [String: [String]]

    /// Creates a directory from the community's lists.
    public init(volunteers: [Volunteer], households: [Household], stations: [String]) {
        var volunteersByID: [String: Volunteer] = [:]
        var memberIDsByHousehold: [String: [String]] = [:]
        var volunteerIDsByName: [String: [String]] = [:]
        for volunteer in volunteers {
            volunteersByID[volunteer.id] = volunteer
            if let household = volunteer.household { memberIDsByHousehold[household, default: []].append(volunteer.id) }
            volunteerIDsByName[Self.nameKey(volunteer.name), default: []].append(volunteer.id)
        }
        self.volunteersByID = volunteersByID
        self.householdsByID = Dictionary(households.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.memberIDsByHousehold = memberIDsByHousehold
        self.stations = Set(stations)
        self.volunteerIDsByName = volunteerIDsByName
        var householdIDsByName: [String: [String]] = [:]
        for household in households { householdIDsByName[Self.nameKey(household.name), default: []].append(household.id) }
        self.householdIDsByName = householdIDsByName
    }

    /// The volunteer with this id, nil when there is none.
    public func volunteer(_ id: String) -> Volunteer? { volunteersByID[id] }
    /// The household with this id, nil when there is none.
    public func household(_ id: String) -> Household? { householdsByID[id] }

    /// How many volunteers belong to the household (0 for an unknown one).
    public func memberCount(of household: String) -> Int { memberIDsByHousehold[household]?.count ?? 0 }

    /// The volunteers who belong to the household (the community's record of its members), in the order of the list given.
    public func members(of household: String) -> [Volunteer] {
        (memberIDsByHousehold[household] ?? []).compactMap { volunteersByID[$0] }
    }

    /// The volunteers whose name is `name` (whitespace, as in `张 红梅` or `张红梅 `, does not count, and 阿卜杜•艾力 is
    /// 阿卜杜·艾力: `PersonName`), in id order.
    public func volunteers(named name: String) -> [Volunteer] {
        (volunteerIDsByName[Self.nameKey(name)] ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.compactMap { volunteersByID[$0] }
    }

    /// The households whose name is `name` (compared as `PersonName` compares names), in id order.
    public func households(named name: String) -> [Household] {
        (householdIDsByName[Self.nameKey(name)] ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.compactMap { householdsByID[$0] }
    }

    private static func nameKey(_ name: String) -> String { PersonName.comparisonKey(name) }

    /// Volunteer ids in byte order, for suggestions.
    public var volunteerIDs: [String] { volunteersByID.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
    /// Household ids in byte order, for suggestions.
    public var householdIDs: [String] { householdsByID.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
}
