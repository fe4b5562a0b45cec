import TimeBankCore

/// A volunteer as the model knows them.
struct ModelVolunteer: Hashable {
    var id: String
    var household: String?
    var birthDate: LocalDate?
    var joined: LocalDate
}

/// A signed-in operator as the model knows them.
struct ModelOperator: Hashable {
    enum Role: String { case admin, `operator`, auditor }
    var id: String
    var role: Role
    var station: String?
}

/// One activated policy version.
struct ModelPolicyVersion {
    var number: Int64
    var policy: SimulatedPolicy
    var text: String
}

/// The kinds of action the access rules decide on (docs/stations.md, "Who may do what").
enum ModelAction {
    case redeem, book, fulfil, cancel, refund, receiveStock, adjustStock, moveStock, countStock
    case transfer, donate

    var isAtStation: Bool {
        switch self {
        case .transfer, .donate: false
        default: true
        }
    }
}

extension SimModel {
    // MARK: Community

    /// Adds a household and its account (C001 bad id, C002 taken, C020 taken in other letter case).
    func addHousehold(_ id: String) throws(ModelRefusal) {
        try transaction { () throws(ModelRefusal) in
            guard Self.isValidID(id) else { throw ModelRefusal("C001") }
            guard !households.contains(id) else { throw ModelRefusal("C002") }
            guard !households.contains(where: { $0.lowercased() == id.lowercased() }) else { throw ModelRefusal("C020") }
            set(\.households, households.union([id]))
            createAccount(.household(id), floor: 0)
        }
    }

    /// Adds a volunteer and their account (C001, C002, C020, C003 for an unknown household).
    func addVolunteer(_ volunteer: ModelVolunteer) throws(ModelRefusal) {
        try transaction { () throws(ModelRefusal) in
            guard Self.isValidID(volunteer.id) else { throw ModelRefusal("C001") }
            guard volunteers[volunteer.id] == nil else { throw ModelRefusal("C002") }
            guard !volunteerIDs.contains(where: { $0.lowercased() == volunteer.id.lowercased() }) else { throw ModelRefusal("C020") }
            if let household = volunteer.household, !households.contains(household) { throw ModelRefusal("C003") }
            update(\.volunteers, volunteer.id, volunteer)
            set(\.volunteerIDs, volunteerIDs + [volunteer.id])
            createAccount(.volunteer(volunteer.id), floor: 0)
        }
    }

    func addStation(_ id: String) throws(ModelRefusal) {
        try transaction { () throws(ModelRefusal) in
            guard Self.isValidID(id) else { throw ModelRefusal("C001") }
            guard !stations.contains(id) else { throw ModelRefusal("C002") }
            guard !stations.contains(where: { $0.lowercased() == id.lowercased() }) else { throw ModelRefusal("C020") }
            set(\.stations, stations + [id])
            createAccount(.station(id), floor: 0)
        }
    }

    /// Ids of volunteers, households and stations: 1 to 64 characters, no white space, no control characters, no colon.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.count <= 64
            && !id.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || $0 == ":" }
    }

    /// The access rules: auditors only read (O003); operators act only at their own station (O004).
    static func checkAccess(_ session: ModelOperator, _ action: ModelAction, at station: String?) throws(ModelRefusal) {
        switch session.role {
        case .auditor: throw ModelRefusal("O003")
        case .operator:
            if action.isAtStation, let station, session.station != station { throw ModelRefusal("O004") }
        case .admin: return
        }
    }

    // MARK: Policy versions

    /// The version in force on `date`: the latest effective date on or before it; a later activation wins a tie.
    func policy(on date: LocalDate) -> ModelPolicyVersion? {
        var best: ModelPolicyVersion?
        for version in policies where version.policy.effective <= date {
            if best == nil || (version.policy.effective, version.number) > (best!.policy.effective, best!.number) { best = version }
        }
        return best
    }

    /// The policy in force on `date`, or A006.
    func requirePolicy(on date: LocalDate) throws(ModelRefusal) -> SimulatedPolicy {
        guard let version = policy(on: date) else { throw ModelRefusal("A006") }
        return version.policy
    }

    /// Activates a policy text (docs/policy.md, "Versions"): A001 when it has errors; the same text again changes
    /// nothing; A002 when it does not take effect after the latest version; A005 for another policy id; A004 for a
    /// version label in use; A013 when it takes effect on a settled day.
    func activatePolicy(_ policy: SimulatedPolicy?, text: String) throws(ModelRefusal) -> (number: Int64, isNew: Bool) {
        try transaction { () throws(ModelRefusal) in
            guard let policy else { throw ModelRefusal("A001") }
            if let same = policies.first(where: { $0.text == text }) { return (same.number, false) }
            if let latest = policies.max(by: { ($0.policy.effective, $0.number) < ($1.policy.effective, $1.number) }),
               policy.effective <= latest.policy.effective {
                throw ModelRefusal("A002")
            }
            if policies.contains(where: { $0.policy.label == policy.label }) { throw ModelRefusal("A004") }
            if let lastSettled = settled.keys.max(), policy.effective <= lastSettled { throw ModelRefusal("A013") }
            let version = ModelPolicyVersion(number: Int64(policies.count + 1), policy: policy, text: text)
            set(\.policies, policies + [version])
            return (version.number, true)
        }
    }
}
