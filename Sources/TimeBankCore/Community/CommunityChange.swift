/// What an update of a stored household, volunteer, station or team is about.
public enum CommunitySubject: String, Sendable, Hashable, CaseIterable {
    case volunteer, household, station, team
}

/// One field of a household, volunteer, station or team changed after it was added (a name spelt wrong, a volunteer who moved
/// to another household): what it was, what it became, who changed it, when and why. Kept for good, in the order written
/// (`number`); nothing in the ledger changes with it.
public struct CommunityChange: Hashable, Sendable {
    public var number: Int64
    public var subject: CommunitySubject
    public var id: String
    /// `name`, `address`, `community`, `household`, `teams`, `tags`, `birth_date`, `joined` or (of a team) `label`.
    public var field: String
    /// The value before and after, as the import files write it: `""` for none, a list as `orange;purple`.
    public var oldValue: String
    public var newValue: String
    public var actor: String
    public var at: Timestamp
    public var reason: String

    public init(number: Int64, subject: CommunitySubject, id: String, field: String, oldValue: String, newValue: String,
                actor: String, at: Timestamp, reason: String) {
        self.number = number
        self.subject = subject
        self.id = id
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.actor = actor
        self.at = at
        self.reason = reason
    }
}

/// The fields of a volunteer to change; nil leaves a field as it is.
public struct VolunteerUpdate: Hashable, Sendable {
    /// A volunteer's household after the update.
    public enum HouseholdChange: Hashable, Sendable {
        /// Moves to (or joins) this household, which must be stored.
        case moveTo(String)
        /// Belongs to no household any more.
        case leave
    }

    /// A volunteer's birth date after the update.
    public enum BirthDateChange: Hashable, Sendable {
        /// This date, checked as `addVolunteer` checks it.
        case setTo(LocalDate)
        /// None: the volunteer did not give one (a date typed by mistake). `volunteer.age` is then absent.
        case remove
    }

    public var name: String?
    public var household: HouseholdChange?
    /// The teams after the update, all of them (`[]`: none).
    public var teams: [String]?
    /// The tags after the update, all of them (`[]`: none).
    public var tags: [String]?
    public var birthDate: BirthDateChange?
    /// The day the volunteer joined. It counts from the next night on: grants and scores posted stay as they are.
    public var joined: LocalDate?

    public init(name: String? = nil, household: HouseholdChange? = nil, teams: [String]? = nil, tags: [String]? = nil,
                birthDate: BirthDateChange? = nil, joined: LocalDate? = nil) {
        self.name = name
        self.household = household
        self.teams = teams
        self.tags = tags
        self.birthDate = birthDate
        self.joined = joined
    }

    /// The names of the fields an update can change, as C008 lists them.
    public static let fieldNames = ["name", "household", "teams", "tags", "birth_date", "joined"]
    /// True when the update names no field (C008).
    public var isEmpty: Bool { name == nil && household == nil && teams == nil && tags == nil && birthDate == nil && joined == nil }
}

/// The fields of a household to change; nil leaves a field as it is.
public struct HouseholdUpdate: Hashable, Sendable {
    public var name: String?
    public var address: String?

    public init(name: String? = nil, address: String? = nil) {
        self.name = name
        self.address = address
    }

    public static let fieldNames = ["name", "address"]
    /// True when the update names no field (C008).
    public var isEmpty: Bool { name == nil && address == nil }
}

/// The fields of a station to change; nil leaves a field as it is.
public struct StationUpdate: Hashable, Sendable {
    public var name: String?
    public var community: String?
    public var address: String?

    public init(name: String? = nil, community: String? = nil, address: String? = nil) {
        self.name = name
        self.community = community
        self.address = address
    }

    public static let fieldNames = ["name", "community", "address"]
    /// True when the update names no field (C008).
    public var isEmpty: Bool { name == nil && community == nil && address == nil }
}

/// The fields of a team to change; nil leaves a field as it is. A team's id is what volunteers and policies name it by,
/// and is never changed.
public struct TeamUpdate: Hashable, Sendable {
    public var name: String?
    public var label: String?

    public init(name: String? = nil, label: String? = nil) {
        self.name = name
        self.label = label
    }

    public static let fieldNames = ["name", "label"]
    /// True when the update names no field (C008).
    public var isEmpty: Bool { name == nil && label == nil }
}

/// What an update did: the changes written (in field order), and the fields given with the value they had already
/// (written nowhere). Both empty never happens: an update that names no field is C008.
public struct CommunityUpdateOutcome: Hashable, Sendable {
    public var changes: [CommunityChange]
    /// Each field given with its stored value, as (field, value).
    public var unchanged: [CommunityFieldValue]

    public init(changes: [CommunityChange], unchanged: [CommunityFieldValue]) {
        self.changes = changes
        self.unchanged = unchanged
    }
}

/// A field and its value as the import files write it.
public struct CommunityFieldValue: Hashable, Sendable {
    public var field: String
    public var value: String

    public init(field: String, value: String) {
        self.field = field
        self.value = value
    }
}

/// The rules of an update, over values.
public enum CommunityUpdateRules {
    /// The longest reason kept with a change.
    public static let reasonLengthMaximum = 500

    /// Why a reason cannot be kept as it is, or nil; the rules of a name's text (one line, no bidirectional control).
    public static func reasonProblem(_ reason: String) -> String? {
        CommunityRules.textProblem(reason, required: true, maximum: reasonLengthMaximum)
    }

    /// Why the actor of a change cannot be kept with it, or nil: the rules every actor the store keeps follows (a
    /// record's decision, a policy version, a settlement): not blank, at most `LedgerRules.actorLengthMaximum` characters,
    /// no line break or other control character.
    public static func actorProblem(_ actor: String) -> String? {
        LedgerRules.lineProblem(actor, maximum: LedgerRules.actorLengthMaximum).map { "it " + $0 }
    }

    /// Each field whose value differs, as (field, old, new), in the order given; lists (`teams`, `tags`) are compared as
    /// sets, as an import compares them (`orange;purple` is `purple;orange`).
    public static func differences(_ given: [(field: String, old: String, new: String)])
        -> (changed: [(field: String, old: String, new: String)], unchanged: [CommunityFieldValue]) {
        var changed: [(field: String, old: String, new: String)] = []
        var unchanged: [CommunityFieldValue] = []
        for item in given {
            let same = ["teams", "tags"].contains(item.field)
                ? Set(CommunityRules.listItems(item.old)) == Set(CommunityRules.listItems(item.new))
                : item.old == item.new
            if same { unchanged.append(CommunityFieldValue(field: item.field, value: item.old)) } else { changed.append(item) }
        }
        return (changed, unchanged)
    }
}
