import TimeBankCore

extension TimeBankStore {
    /// Adds a household and its points account, in one transaction.
    public func addHousehold(_ household: Household) throws {
        try writeTransaction { try addHouseholdLocked(household) }
    }

    /// Adds a volunteer and their points account, in one transaction. The household must exist.
    ///
    /// Refused: a household not stored (C003, naming the id it most likely means) and a team that is not one of the
    /// community's teams (C005), as a file import refuses them.
    public func addVolunteer(_ volunteer: Volunteer) throws {
        try writeTransaction { try addVolunteerLocked(volunteer) }
    }

    /// Adds a station and its account, in one transaction.
    public func addStation(_ station: Station) throws {
        try writeTransaction { try addStationLocked(station) }
    }

    /// Adds many households, volunteers and stations in one transaction: all or none.
    public func addCommunity(households: [Household], volunteers: [Volunteer], stations: [Station]) throws {
        try writeTransaction {
            for household in households { try addHouseholdLocked(household) }
            for volunteer in volunteers { try addVolunteerLocked(volunteer) }
            for station in stations { try addStationLocked(station) }
        }
    }

    /// Adds teams in one transaction: all or none. Once a team is stored, the stored teams are the community's
    /// teams (`communityTeams()`), not the five colours.
    ///
    /// The first import replaces the five colours: refused (C007) when stored volunteers are in a five-colour team the
    /// teams added do not include, which would stop being a team (their rules, lists and imports would miss it).
    public func addTeams(_ teams: [Team]) throws {
        try writeTransaction {
            if try storedTeams().isEmpty, !teams.isEmpty {
                let kept = Set(teams.map(\.id))
                var members: [String: Int] = [:]
                for volunteer in try volunteers() { for team in volunteer.teams where !kept.contains(team) { members[team, default: 0] += 1 } }
                let dropped = Team.fiveColours.filter { members[$0.id] != nil }
                if !dropped.isEmpty {
                    throw CommunityError.defaultTeamsInUse(teams: dropped, volunteers: dropped.map { members[$0.id] ?? 0 })
                }
            }
            for team in teams {
                try checkNew(kind: "team", id: team.id, table: "teams")
                if let problem = CommunityRules.problem(team) { throw Self.invalid(problem) }
                try database.statement("INSERT INTO teams(id, name, label) VALUES (?, ?, ?)")
                    .bind(.text(team.id), .text(team.name), .text(team.label)).run()
            }
        }
    }

    /// Adds one team to the community's teams, in one transaction, checked as `addTeams` checks a file's rows (C002, C001,
    /// C006, C011, C012, C004). Adding never takes a team away: while the community has no team stored (its teams are the
    /// five colours), the five colours are stored first and the new team after them, so the volunteers in them stay in
    /// teams. Returns whether it stored them (the command says so). To replace the five colours, `addTeams` (`team import`) does.
    @discardableResult
    public func addTeam(_ team: Team) throws -> Bool {
        try writeTransaction {
            try checkNew(kind: "team", id: team.id, table: "teams")
            // A five-colour id is taken while the five colours are the community's teams, though not stored; so is one
            // written in other letter case (`Red`).
            if try storedTeams().isEmpty, let colour = Team.fiveColours.first(where: { $0.id.lowercased() == team.id.lowercased() }) {
                throw colour.id == team.id ? CommunityError.duplicate(kind: "team", id: team.id)
                    : CommunityError.caseVariantID(kind: "team", id: team.id, existing: colour.id)
            }
            if let problem = CommunityRules.problem(team) { throw Self.invalid(problem) }
            let kept = try storeFiveColoursIfNoTeam()
            try database.statement("INSERT INTO teams(id, name, label) VALUES (?, ?, ?)")
                .bind(.text(team.id), .text(team.name), .text(team.label)).run()
            return kept
        }
    }

    /// Stores the five-colour teams when no team is stored, in the caller's transaction; whether it did. The community's
    /// teams (`communityTeams()`) read the same before and after.
    @discardableResult
    func storeFiveColoursIfNoTeam() throws -> Bool {
        guard try storedTeams().isEmpty else { return false }
        let insert = try database.statement("INSERT INTO teams(id, name, label) VALUES (?, ?, ?)")
        for team in Team.fiveColours { try insert.bind(.text(team.id), .text(team.name), .text(team.label)).run() }
        return true
    }

    /// The teams stored with `addTeams`, in the order they were added.
    public func storedTeams() throws -> [Team] {
        try database.statement("SELECT id, name, label FROM teams ORDER BY rowid").rows { Team(id: $0.text(0), name: $0.text(1), label: $0.text(2)) }
    }

    /// The teams volunteers may belong to: the stored ones, or the five-colour teams while none is stored.
    public func communityTeams() throws -> [Team] {
        let stored = try storedTeams()
        return stored.isEmpty ? Team.fiveColours : stored
    }

    func addHouseholdLocked(_ household: Household) throws {
        try checkNew(kind: "household", id: household.id, table: "households")
        if let problem = CommunityRules.problem(household) { throw Self.invalid(problem) }
        try database.statement("INSERT INTO households(id, name, address) VALUES (?, ?, ?)")
            .bind(.text(household.id), .text(household.name), .text(household.address)).run()
        try insertAccount(Account(id: .household(household.id), name: household.name, floor: Account.defaultFloor(for: .household)))
    }

    func addVolunteerLocked(_ volunteer: Volunteer) throws {
        try checkNew(kind: "volunteer", id: volunteer.id, table: "volunteers")
        // The latest date it can be anywhere (UTC+14): a birth date after it is certainly in the future.
        if let problem = CommunityRules.problem(volunteer, today: clock.now().date(offsetMinutes: 840)) { throw Self.invalid(problem) }
        if let household = volunteer.household, try self.household(household) == nil {
            throw CommunityError.unknown(kind: "household", id: household,
                                         suggestion: Spelling.nearest(to: household, among: try ids(of: .household)))
        }
        // The same teams a file import accepts: the community's own once stored, else the five colours.
        let known = try communityTeams()
        for team in volunteer.teams {
            if let help = CommunityRules.unknownTeamHelp(team, among: known) { throw CommunityError.unknownTeam(team: team, help: help) }
        }
        try database.statement("""
            INSERT INTO volunteers(id, name, household, birth_date, teams, tags, joined) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
            .bind(.text(volunteer.id), .text(volunteer.name), volunteer.household.map(SQLiteValue.text) ?? .null,
                  volunteer.birthDate.map { .text($0.description) } ?? .null,
                  .text(volunteer.teams.joined(separator: ";")), .text(volunteer.tags.joined(separator: ";")),
                  .text(volunteer.joined.description)).run()
        try insertAccount(Account(id: .volunteer(volunteer.id), name: volunteer.name, floor: Account.defaultFloor(for: .volunteer)))
    }

    func addStationLocked(_ station: Station) throws {
        try checkNew(kind: "station", id: station.id, table: "stations")
        if let problem = CommunityRules.problem(station) { throw Self.invalid(problem) }
        try database.statement("INSERT INTO stations(id, name, community, address) VALUES (?, ?, ?, ?)")
            .bind(.text(station.id), .text(station.name), .text(station.community), .text(station.address)).run()
        try insertAccount(Account(id: .station(station.id), name: station.name, floor: Account.defaultFloor(for: .station)))
    }

    private static func invalid(_ problem: (field: String, value: String, reason: String)) -> CommunityError {
        .unusableField(field: problem.field, value: problem.value, reason: problem.reason)
    }

    private func checkNew(kind: String, id: String, table: String) throws {
        if let half = CommunityRules.halfWidthID(id) { throw CommunityError.fullWidthID(kind: kind, id: id, halfWidth: half) }
        if let lookAlike = CommunityRules.lookAlikeProblem(kind: kind, id: id) { throw lookAlike }
        guard AccountID.isValidOwner(id) else { throw CommunityError.invalidID(kind: kind, id: id) }
        // `table` is one of the constants above, never user input.
        if try database.statement("SELECT 1 FROM \(table) WHERE id = ?").bind(.text(id)).first({ _ in true }) != nil {
            throw CommunityError.duplicate(kind: kind, id: id)
        }
        if let existing = try caseVariant(of: id, table: table) {
            throw CommunityError.caseVariantID(kind: kind, id: id, existing: existing)
        }
    }

    /// A stored id of `table` (`volunteers`, `households`, `stations`, `teams`, `operators`) that differs from `id` only in
    /// the case of its (ASCII) letters, or nil.
    func caseVariant(of id: String, table: String) throws -> String? {
        // `table` is one of the constants of the callers, never user input. NOCASE folds ASCII letters only, as ids are typed.
        return try database.statement("SELECT id FROM \(table) WHERE id = ? COLLATE NOCASE AND id <> ? LIMIT 1")
            .bind(.text(id), .text(id)).first { $0.text(0) }
    }

    /// Every stored id of one kind by its lowercase form, for an import to find the rows whose id differs from a stored one
    /// only in letter case (C020). `kind` is `household`, `volunteer`, `station` or `team`.
    public func storedIDsByLowercase(of kind: CommunitySubject) throws -> [String: String] {
        let ids: [String]
        switch kind {
        case .household: ids = try database.statement("SELECT id FROM households").rows { $0.text(0) }
        case .volunteer: ids = try database.statement("SELECT id FROM volunteers").rows { $0.text(0) }
        case .station: ids = try database.statement("SELECT id FROM stations").rows { $0.text(0) }
        case .team: ids = try storedTeams().map(\.id)
        }
        return Dictionary(ids.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The household with this id, or nil.
    public func household(_ id: String) throws -> Household? {
        try database.statement("SELECT id, name, address FROM households WHERE id = ?").bind(.text(id)).first(Self.household)
    }

    /// Every household, ordered by id.
    public func households() throws -> [Household] {
        try database.statement("SELECT id, name, address FROM households ORDER BY id").rows(Self.household)
    }

    /// The volunteer with this id, or nil.
    public func volunteer(_ id: String) throws -> Volunteer? {
        try database.statement("SELECT id, name, household, birth_date, teams, tags, joined FROM volunteers WHERE id = ?")
            .bind(.text(id)).first(Self.volunteer)
    }

    /// Volunteers ordered by id; optionally only the members of one household.
    public func volunteers(household: String? = nil) throws -> [Volunteer] {
        if let household {
            return try database.statement(
                "SELECT id, name, household, birth_date, teams, tags, joined FROM volunteers WHERE household = ? ORDER BY id")
                .bind(.text(household)).rows(Self.volunteer)
        }
        return try database.statement("SELECT id, name, household, birth_date, teams, tags, joined FROM volunteers ORDER BY id")
            .rows(Self.volunteer)
    }

    /// The station with this id, or nil.
    public func station(_ id: String) throws -> Station? {
        try database.statement("SELECT id, name, community, address FROM stations WHERE id = ?").bind(.text(id)).first(Self.station)
    }

    /// Every station, ordered by id.
    public func stations() throws -> [Station] {
        try database.statement("SELECT id, name, community, address FROM stations ORDER BY id").rows(Self.station)
    }

    /// All ids of one kind, to suggest a near one when an id is mistyped.
    public func ids(of kind: AccountKind) throws -> [String] {
        try database.statement("SELECT id FROM accounts WHERE kind = ? ORDER BY id").bind(.text(kind.rawValue))
            .rows { row in String(row.text(0).drop(while: { $0 != ":" }).dropFirst()) }
    }

    private static func household(_ row: SQLiteStatement) -> Household {
        Household(id: row.text(0), name: row.text(1), address: row.text(2))
    }

    private static func station(_ row: SQLiteStatement) -> Station {
        Station(id: row.text(0), name: row.text(1), community: row.text(2), address: row.text(3))
    }

    private static func volunteer(_ row: SQLiteStatement) throws -> Volunteer {
        guard let joined = LocalDate(row.text(6)) else { throw StoredDataError(sequence: nil, detail: "volunteer \(row.text(0)) has no joined date") }
        func list(_ text: String) -> [String] { text.split(separator: ";").map(String.init) }
        return Volunteer(id: row.text(0), name: row.text(1), household: row.optionalText(2),
                         birthDate: row.optionalText(3).flatMap { LocalDate($0) },
                         teams: list(row.text(4)), tags: list(row.text(5)), joined: joined)
    }
}
