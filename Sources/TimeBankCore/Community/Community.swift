/// A household (户): volunteers may belong to one; policies may earn points to households.
public struct Household: Hashable, Sendable {
    public var id: String
    public var name: String
    public var address: String

    public init(id: String, name: String, address: String) {
        self.id = id
        self.name = name
        self.address = address
    }
}

/// A volunteer (志愿者) with what policies ask about.
public struct Volunteer: Hashable, Sendable {
    public var id: String
    public var name: String
    public var household: String?
    public var birthDate: LocalDate?
    /// Team ids such as `red`, `orange` (the five colours).
    public var teams: [String]
    public var tags: [String]
    public var joined: LocalDate

    public init(id: String, name: String, household: String?, birthDate: LocalDate?, teams: [String], tags: [String], joined: LocalDate) {
        self.id = id
        self.name = name
        self.household = household
        self.birthDate = birthDate
        self.teams = teams
        self.tags = tags
        self.joined = joined
    }

    /// Age in whole years on a date (the service date, for scoring); nil without a birth date.
    public func age(on date: LocalDate) -> Int? {
        guard let birthDate else { return nil }
        var years = date.year - birthDate.year
        if (date.month, date.day) < (birthDate.month, birthDate.day) { years -= 1 }
        return years
    }
}

/// A redemption station (兑换站, 积分超市).
public struct Station: Hashable, Sendable {
    public var id: String
    public var name: String
    public var community: String
    public var address: String

    public init(id: String, name: String, community: String, address: String) {
        self.id = id
        self.name = name
        self.community = community
        self.address = address
    }
}

/// A volunteer team (志愿服务队). A community declares its own teams (`team import`); one that has declared none
/// has the five-colour teams (五彩志愿服务队).
public struct Team: Hashable, Sendable {
    public var id: String
    public var name: String
    public var label: String

    public init(id: String, name: String, label: String) {
        self.id = id
        self.name = name
        self.label = label
    }

    public static let fiveColours: [Team] = [
        Team(id: "red", name: "红色教育", label: "education"),
        Team(id: "orange", name: "橙色关怀", label: "care"),
        Team(id: "blue", name: "蓝色调解", label: "mediation"),
        Team(id: "green", name: "绿色环保", label: "environment"),
        Team(id: "purple", name: "紫色便民", label: "convenience"),
    ]
}

/// What a household, volunteer or station must be to be stored: names that print on one line of a table or a
/// passbook, and a birth date that can be true.
public enum CommunityRules {
    public static let nameLengthMaximum = 100
    public static let addressLengthMaximum = 200
    /// How many people (volunteers, households, accounts) sharing a name a message lists, in id order; more are shown as
    /// `…`. One limit for every message, so a record import, a `--to` and a counter list the same five.
    public static let namesakesShownMaximum = 5

    /// Why a name, address or community text cannot be stored as it is, or nil: empty (when `required`), with a
    /// line break or another control character (tables, receipts and passbooks would break), with a bidirectional
    /// override or isolate (U+202A–U+202E, U+2066–U+2069: the rest of the line would show reversed), or too long.
    public static func textProblem(_ text: String, required: Bool, maximum: Int) -> String? {
        if required, text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { return "it is empty" }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "it has a line break or another control character; write it on one line"
        }
        if let problem = TerminalText.bidirectionalControlProblem(text) { return problem }
        if text.unicodeScalars.count > maximum { return "it is " + TextLength.tooLong(text, maximum: maximum) }
        return nil
    }

    /// How many whole years before today a birth date or a day of joining may be: more than the longest life on record
    /// (122 years), so no real person is refused, while a year typed a century off (1856 for 1956, 0202 for 2024) is: it
    /// would give `volunteer.age` 170, or a member since the year 202, to every rule that reads them.
    public static let yearsBeforeTodayMaximum = 130

    /// Why a birth date or day of joining is too long ago for anyone living (`yearsBeforeTodayMaximum`), or nil.
    static func tooLongAgoProblem(_ date: LocalDate, today: LocalDate?, happened: String) -> String? {
        guard let today, date < today.adding(months: -12 * yearsBeforeTodayMaximum) else { return nil }
        var years = today.year - date.year
        if (today.month, today.day) < (date.month, date.day) { years -= 1 }
        return "it is \(years) years before today: no one living \(happened) then; check the year"
    }

    /// Why a volunteer's birth date cannot be true, or nil: after the day they joined, after `today`, or more than
    /// `yearsBeforeTodayMaximum` years before it.
    public static func birthProblem(_ birth: LocalDate?, joined: LocalDate, today: LocalDate?) -> String? {
        guard let birth else { return nil }
        if let today, birth > today { return "it is in the future" }
        if let problem = tooLongAgoProblem(birth, today: today, happened: "was born") { return problem }
        if birth > joined { return "it is after the day they joined (\(joined))" }
        return nil
    }

    /// Why a volunteer's new day of joining cannot be true, or nil: before their birth date.
    public static func joinedProblem(_ joined: LocalDate, birth: LocalDate?) -> String? {
        guard let birth, birth > joined else { return nil }
        return "it is before their birth date (\(birth))"
    }

    /// The first problem of a household, as the field and why, or nil.
    public static func problem(_ household: Household) -> (field: String, value: String, reason: String)? {
        problems(household).first
    }

    /// Every problem of a household, in the order of its fields (`name`, `address`); `household update` keeps those of
    /// the fields it changes.
    public static func problems(_ household: Household) -> [(field: String, value: String, reason: String)] {
        var found: [(field: String, value: String, reason: String)] = []
        if let reason = textProblem(household.name, required: true, maximum: nameLengthMaximum) { found.append(("name", household.name, reason)) }
        if let reason = textProblem(household.address, required: false, maximum: addressLengthMaximum) {
            found.append(("address", household.address, reason))
        }
        return found
    }

    /// The first problem of a volunteer, or nil; `today` is the latest date that can be today (nil: not checked).
    public static func problem(_ volunteer: Volunteer, today: LocalDate?) -> (field: String, value: String, reason: String)? {
        problems(volunteer, today: today).first
    }

    /// Every problem of a volunteer, in the order of its fields (`name`, `birth date`, `joined`, `tag`: the first bad tag).
    public static func problems(_ volunteer: Volunteer, today: LocalDate?) -> [(field: String, value: String, reason: String)] {
        var found: [(field: String, value: String, reason: String)] = []
        if let reason = textProblem(volunteer.name, required: true, maximum: nameLengthMaximum) { found.append(("name", volunteer.name, reason)) }
        if let reason = birthProblem(volunteer.birthDate, joined: volunteer.joined, today: today) {
            found.append(("birth date", volunteer.birthDate?.description ?? "", reason))
        }
        if let today, volunteer.joined > today {
            // A typo such as 2062 for 2026 would keep the volunteer out of every grant and `volunteer.joined` rule for years.
            found.append(("joined", volunteer.joined.description, "it is in the future: the day of joining is the day they registered, today or before"))
        } else if let reason = tooLongAgoProblem(volunteer.joined, today: today, happened: "joined") {
            found.append(("joined", volunteer.joined.description, reason))
        }
        for tag in volunteer.tags {
            if let reason = textProblem(tag, required: true, maximum: nameLengthMaximum) ?? separatorProblem(tag, of: "tags") {
                found.append(("tag", tag, reason))
                break
            }
        }
        return found
    }

    /// `id` written half-width when it has characters a Chinese input method types full-width (`Ｈ０３０` is `H030`, a
    /// full-width space is dropped at its ends), else nil. Such an id is stored as it is typed, so every command typed
    /// later in ordinary (half-width) characters would miss it.
    public static func halfWidthID(_ id: String) -> String? {
        guard id.unicodeScalars.contains(where: { $0.asciiOfFullWidthForm != nil || $0.value == 0x3000 }) else { return nil }
        let half = LedgerRules.trimmingSpaces(id.halfWidth)
        return AccountID.isValidOwner(half) ? half : nil
    }

    /// Why a new id would show on screen as another id, or nil. An id is what an operator reads off a list and types
    /// at the counter; two stored ids that look the same (`V0001` and `V0001` with a zero-width space after it, or with
    /// the Cyrillic `В`) would let points go to the wrong person, and the one with the hidden character could never be
    /// typed. Invisible characters (Unicode's default-ignorable code points: zero-width spaces and joiners, the
    /// bidirectional marks and overrides, soft hyphens, byte-order marks; and the C1 controls, U+0080–U+009F) come first (C011), then
    /// Cyrillic or Greek letters that look like Latin ones in an id that, written with the Latin letters, is plain
    /// ASCII (C012). Checked when an id is added; stored ids are read as they are.
    public static func lookAlikeProblem(kind: String, id: String) -> CommunityError? {
        // An ASCII id has neither (the default-ignorable code points and C1 controls are all beyond U+007F): the common
        // case, read without a Unicode property lookup per character (a million record ids on a big import).
        if id.utf8.allSatisfy({ $0 < 0x80 }) { return nil }
        // Spaces and the C0 controls are C001's (`AccountID.isValidOwner`), with its did-you-mean.
        let hidden = id.unicodeScalars.filter { ($0.properties.isDefaultIgnorableCodePoint || $0.value >= 0x80 && $0.isControl)
            && !$0.properties.isWhitespace }
        if let first = hidden.first {
            let shown = String(String.UnicodeScalarView(id.unicodeScalars.filter { !hidden.contains($0) }))
            return .invisibleInID(kind: kind, id: id, character: first, withoutIt: shown)
        }
        let latin = String(String.UnicodeScalarView(id.unicodeScalars.map { latinLookAlike[$0] ?? $0 }))
        if latin != id, latin.utf8.allSatisfy({ $0 < 0x80 }),
           let letter = id.unicodeScalars.first(where: { latinLookAlike[$0] != nil }) {
            return .lookAlikeLetterInID(kind: kind, id: id, letter: letter, latin: latin)
        }
        return nil
    }

    /// Cyrillic and Greek letters drawn like a Latin letter in the fonts terminals and spreadsheets use.
    static let latinLookAlike: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(String, String)] = [
            ("АВЕКМНОРСТУХЅІЈ", "ABEKMHOPCTYXSIJ"), ("аеорсухѕіјһԁ", "aeopcyxsijhd"),
            ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX"), ("οντ", "ovt"),
        ]
        var map: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (from, to) in pairs {
            for (a, b) in zip(from.unicodeScalars, to.unicodeScalars) { map[a] = b }
        }
        return map
    }()

    /// What separates the items of a list field; a team id may hold none of them.
    static let listSeparators = ";,、；，"

    /// The items of a list field (a volunteer's teams or tags): separated by `;` or `,`, or by the separators a Chinese
    /// spreadsheet has (`、`, `；`, `，`), each trimmed, empty ones left out. (`五老、黨員` is two tags, not one that
    /// `volunteer.tags.contains("五老")` would never match.)
    public static func listItems(_ text: String) -> [String] {
        // Spaces at the ends of each item go, full-width ones too.
        text.split(whereSeparator: { listSeparators.contains($0) }).map { LedgerRules.trimmingSpaces(String($0)) }.filter { !$0.isEmpty }
    }

    /// Why `item` cannot be one item of a volunteer's list of `list` (teams, tags): it holds a separator `listItems` splits
    /// at, so `community export` and a re-import would make it two. Nil when it holds none.
    static func separatorProblem(_ item: String, of list: String) -> String? {
        guard let separator = item.first(where: { listSeparators.contains($0) }) else { return nil }
        let named = separator == ";" || separator == "," ? "\";\" or \",\"" : "\"\(separator)\""
        return "it has \(named), which separate the \(list) of a volunteer" + (list == "tags" ? ": give them as two tags" : "")
    }

    /// The first problem of a team, or nil. A team id is written in a `;`-separated list (volunteers.csv, `--teams`),
    /// so it may not hold `;` or `,`, nor another separator of such a list (`、`).
    public static func problem(_ team: Team) -> (field: String, value: String, reason: String)? {
        problems(team).first
    }

    /// Every problem of a team, in the order of its fields (`id`, `name`, `label`); `team update` keeps those of the fields
    /// it changes.
    public static func problems(_ team: Team) -> [(field: String, value: String, reason: String)] {
        var found: [(field: String, value: String, reason: String)] = []
        // Every separator `listItems` splits a list of teams at (`、` too, as a Chinese spreadsheet writes it).
        if let reason = separatorProblem(team.id, of: "teams") { found.append(("id", team.id, reason)) }
        if let reason = textProblem(team.name, required: true, maximum: nameLengthMaximum) { found.append(("name", team.name, reason)) }
        if let reason = textProblem(team.label, required: false, maximum: nameLengthMaximum) { found.append(("label", team.label, reason)) }
        return found
    }

    /// The id to write for a team's name or label typed where its id belongs (`党员先锋队` for `dangyuan`); nil when `team`
    /// is no team's name.
    public static func teamNameHelp(_ team: String, among teams: [Team]) -> String? {
        let named = teams.filter { $0.name == team || (!$0.label.isEmpty && $0.label == team) }
        if named.count == 1 {
            return "\"\(team)\" is the name of team \"\(named[0].id)\": write its id, \(named[0].id)"
        } else if named.count > 1 {
            // Two teams of one name (allowed, with a NOTE at `team add`): which one is not ours to guess.
            return "\"\(team)\" is the name of teams \(named.map(\.id).listedInProse): write the id of the one you mean"
        }
        return nil
    }

    /// Why `team` is not one of `teams`, as the end of a sentence that begins "unknown team ..."; nil when it is one.
    /// A team's name typed where its id belongs (`牽手` for `qianshou`) is named as such.
    public static func unknownTeamHelp(_ team: String, among teams: [Team]) -> String? {
        guard !teams.contains(where: { $0.id == team }) else { return nil }
        if let help = teamNameHelp(team, among: teams) { return help }
        let ids = teams.map(\.id)
        let hint = Spelling.nearest(to: team, among: ids).map { "did you mean \"\($0)\"? " } ?? ""
        return hint + "the teams are " + teams.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
            + "; a new team is added with `timebank team add` (or several with `timebank team import`)"
    }

    /// The first problem of a station, or nil.
    public static func problem(_ station: Station) -> (field: String, value: String, reason: String)? {
        problems(station).first
    }

    /// Every problem of a station, in the order of its fields (`name`, `community`, `address`).
    public static func problems(_ station: Station) -> [(field: String, value: String, reason: String)] {
        var found: [(field: String, value: String, reason: String)] = []
        if let reason = textProblem(station.name, required: true, maximum: nameLengthMaximum) { found.append(("name", station.name, reason)) }
        if let reason = textProblem(station.community, required: false, maximum: addressLengthMaximum) {
            found.append(("community", station.community, reason))
        }
        if let reason = textProblem(station.address, required: false, maximum: addressLengthMaximum) {
            found.append(("address", station.address, reason))
        }
        return found
    }
}

/// Why a community record was refused. Codes are stable and documented in `docs/errors.md`.
public enum CommunityError: TimeBankError, Hashable {
    /// C001: an id that is empty, too long, or has spaces or a colon.
    case invalidID(kind: String, id: String)
    /// C002: a volunteer, household or station with this id exists already.
    case duplicate(kind: String, id: String)
    /// C002 too: an `add` sent again with other details than the stored ones (`CommunityCSV.differences`): each that
    /// differs with both values, and the `update` that would correct the stored one. The same details again are no
    /// error: the add is done already.
    case duplicateWithOtherDetails(kind: String, id: String, differences: String, update: String?)
    /// C020: a new id that differs from a stored id of the same kind only in the case of its letters (`v0001` beside
    /// `V0001`): ids are told apart exactly, so an operator typing the one for the other would act on another person.
    case caseVariantID(kind: String, id: String, existing: String)
    /// C003: no volunteer, household, station or team with this id.
    case unknown(kind: String, id: String, suggestion: String?)
    /// C003 too, with what to write instead in words: the id of the person whose name was typed, the half-width form of an
    /// id typed full-width, `fund:main` for `fund`.
    case unknownWithHelp(kind: String, id: String, help: String)
    /// C004: a field with a bad value (e.g. a date that does not exist).
    case invalidField(field: String, value: String, expected: String)
    /// C004 too: a value that cannot be stored as it is, with the reason (`it is in the future`, `it is empty`).
    case unusableField(field: String, value: String, reason: String)
    /// C005: a team that is not one of the community's teams (`unknownTeamHelp` says which are).
    case unknownTeam(team: String, help: String)
    /// C006: an id typed with full-width characters (`Ｈ０３０`), which later commands typed half-width would not find.
    case fullWidthID(kind: String, id: String, halfWidth: String)
    /// C007: a first team import that leaves out five-colour teams stored volunteers are in, with how many are in each.
    case defaultTeamsInUse(teams: [Team], volunteers: [Int])
    /// C011: a new id with an invisible character (a zero-width space, a bidirectional override), which would show on
    /// screen as the id without it.
    case invisibleInID(kind: String, id: String, character: Unicode.Scalar, withoutIt: String)
    /// C012: a new id with a Cyrillic or Greek letter that looks like a Latin one (`VОО1` with Cyrillic `О`).
    case lookAlikeLetterInID(kind: String, id: String, letter: Unicode.Scalar, latin: String)
    /// C008: an update (`volunteer update`, `household update`, `station update`, `team update`) that names no field to change.
    case nothingToUpdate(kind: String, id: String, fields: [String])
    /// C009: an update without a reason; every change to a person or a station is kept with why it was made.
    case updateReasonRequired(kind: String, id: String)
    /// C010: a volunteer's household changed while a night's settlement is started and unfinished: its posting queue is
    /// fixed household by household, so the rest of that night would read the volunteer under another household.
    /// `night` says which and names the command that finishes it.
    case moveDuringSettlement(volunteer: String, night: UnfinishedNight)
    /// C010 too: a volunteer's day of joining changed while a night's settlement is started and unfinished: its grants are
    /// posted by the day of then, and the rest of its records would be scored by another `volunteer.joined`.
    case joinedChangeDuringSettlement(volunteer: String, night: UnfinishedNight)
    /// C016: `volunteer update` would give a volunteer (a new name or birth date) the name and birth date of another id: the
    /// same person under two ids, as the import refuses a row that has them.
    case samePersonAsOther(volunteer: String, name: String, birth: LocalDate, other: String)
    /// C017: `volunteer update` would make a volunteer (a move, a new name, a birth date removed) one of two of the same name
    /// in one household with no birth date to tell them apart, as the import refuses a row that would; the two flags say
    /// whose birth date is missing.
    case sameNameInHousehold(volunteer: String, name: String, household: String, other: String, volunteerHasBirth: Bool, otherHasBirth: Bool)
    /// C013: the actor to be kept with a change (the admin signed in, else `$TIMEBANK_ACTOR` or `$USER`) is blank, longer
    /// than `LedgerRules.actorLengthMaximum` or has a control character, with why.
    case unusableActor(actor: String, reason: String)

    public var code: String {
        switch self {
        case .invalidID: "C001"
        case .duplicate, .duplicateWithOtherDetails: "C002"
        case .caseVariantID: "C020"
        case .unknown, .unknownWithHelp: "C003"
        case .invalidField, .unusableField: "C004"
        case .unknownTeam: "C005"
        case .fullWidthID: "C006"
        case .defaultTeamsInUse: "C007"
        case .invisibleInID: "C011"
        case .lookAlikeLetterInID: "C012"
        case .nothingToUpdate: "C008"
        case .updateReasonRequired: "C009"
        case .moveDuringSettlement, .joinedChangeDuringSettlement: "C010"
        case .unusableActor: "C013"
        case .samePersonAsOther: "C016"
        case .sameNameInHousehold: "C017"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .duplicate, .duplicateWithOtherDetails, .moveDuringSettlement, .joinedChangeDuringSettlement: .refused
        default: .badInput
        }
    }

    /// What an id must be, after "invalid ... id "X": ", with the id without its spaces when that is one (`H 004`).
    static func idRule(_ id: String) -> String {
        let joined = String(String.UnicodeScalarView(id.unicodeScalars.filter { !$0.properties.isWhitespace }))
        let meant = joined != id && AccountID.isValidOwner(joined) ? "; did you mean \"\(joined)\"?" : ""
        return "use 1 to 64 characters without spaces or \":\"" + meant
    }

    /// Why an id is refused that differs from `other` (`stored volunteer V0001`, `volunteer V0001 on row 3`) only in the case of
    /// its letters, after "the ... id "v0001" ".
    public static func caseVariantReason(other: String) -> String {
        "differs from the \(other) only in the case of its letters: ids are told apart exactly, so a command typed with the one "
            + "would act on the other"
    }

    /// What to write instead of an id that differs from `existing` only in letter case.
    public static func caseVariantHelp(existing: String) -> String {
        "if it is \(existing), write \(existing); else give it an id of its own"
    }

    /// Why a full-width id is refused, after "the ... id "Ｈ０３０" ".
    static func fullWidthReason(halfWidth: String) -> String {
        "is typed in full-width characters, as a Chinese input method types them; later commands typed half-width would not "
            + "find it: write it half-width, \(halfWidth)"
    }

    /// A C011 or C012 refusal as "the id "…" has …", for a file's row, whose column names the kind of id.
    public var reasonAfterID: String {
        switch self {
        case .invisibleInID(_, let id, let character, let withoutIt):
            "the id \"\(Self.codePoints(id))\" " + Self.invisibleReason(character: character, withoutIt: withoutIt)
        case .lookAlikeLetterInID(_, let id, let letter, let latin):
            "the id \"\(id)\" " + Self.lookAlikeReason(letter: letter, latin: latin)
        default: message
        }
    }

    /// Why an id with an invisible character is refused, after "the ... id "V0001\u{200B}" ".
    static func invisibleReason(character: Unicode.Scalar, withoutIt: String) -> String {
        let name = character.properties.name.map { " " + $0 } ?? ""
        let meant = AccountID.isValidOwner(withoutIt) ? ": write it without, \(withoutIt)" : ""
        return "has an invisible character (U+\(TerminalText.hex4(character))\(name)); it would show on screen as \"\(withoutIt)\", "
            + "another id, and could not be typed\(meant)"
    }

    /// Why an id with a look-alike letter is refused, after "the ... id "VОО1" ".
    static func lookAlikeReason(letter: Unicode.Scalar, latin: String) -> String {
        let script = (0x0370...0x03FF).contains(letter.value) ? "Greek" : "Cyrillic"
        let plain = CommunityRules.latinLookAlike[letter].map { String($0) } ?? "?"
        return "has the \(script) letter \"\(letter)\" (U+\(TerminalText.hex4(letter))), which looks like the Latin \"\(plain)\": "
            + "it would show on screen as \(latin), another id, and a command typed on an ordinary keyboard would not find it; "
            + "write it in Latin letters, \(latin)"
    }

    /// The id with every invisible or control character written out (`V0001\u{200B}`), so a message shows it.
    static func codePoints(_ id: String) -> String {
        id.unicodeScalars.map { $0.properties.isDefaultIgnorableCodePoint || $0.isControl ? "\\u{\(TerminalText.hex4($0))}" : String($0) }.joined()
    }

    /// The value as one line: a line break or other control character shows as `\n` or `\u{7}`, so an
    /// error message stays on its line and shows what was typed.
    static func visible(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: \.isControl) else { return value }
        return value.unicodeScalars.map { $0.isControl ? $0.escaped(asASCII: true) : String($0) }.joined()
    }

    public var message: String {
        switch self {
        case .invalidID(let kind, let id):
            "invalid \(kind) id \"\(Self.visible(id))\": \(Self.idRule(id))"
        case .fullWidthID(let kind, let id, let halfWidth):
            "the \(kind) id \"\(id)\" \(Self.fullWidthReason(halfWidth: halfWidth))"
        case .duplicate(let kind, let id):
            "a \(kind) with id \"\(id)\" exists already"
        case .duplicateWithOtherDetails(let kind, let id, let differences, let update):
            "a \(kind) with id \"\(id)\" exists already, with other details (\(differences)); nothing was written. If this is "
                + "another \(kind), give it an id of its own" + (update.map { "; to correct the stored one: \($0)" } ?? "")
        case .caseVariantID(let kind, let id, let existing):
            "the \(kind) id \"\(id)\" " + Self.caseVariantReason(other: "stored \(kind) \(existing)") + "; "
                + Self.caseVariantHelp(existing: existing)
        case .unknown(let kind, let id, let suggestion):
            "no \(kind) \"\(id)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
        case .unknownWithHelp(let kind, let id, let help):
            "no \(kind) \"\(Self.visible(id))\"; \(help)"
        case .invalidField(let field, let value, let expected):
            "invalid \(field) \"\(Self.visible(value))\": expected \(expected)"
        case .defaultTeamsInUse(let teams, let volunteers):
            "volunteers are in the five-colour teams "
                + zip(teams, volunteers).map { "\($0.id) (\($0.name), \($1) volunteer\($1 == 1 ? "" : "s"))" }.joined(separator: ", ")
                + ", which this import does not list; once a community has its own teams they are its only teams, so these would "
                + "stop being teams. Add them to the file (rows as in seeds/teams.csv: "
                + teams.map { "\($0.id),\($0.name),\($0.label)" }.joined(separator: "; ") + "); nothing was imported"
        case .unusableField(let field, let value, let reason):
            "invalid \(field) \"\(Self.visible(value))\": \(reason)"
        case .unknownTeam(let team, let help):
            "unknown team \"\(Self.visible(team))\"; \(help)"
        case .invisibleInID(let kind, let id, let character, let withoutIt):
            "the \(kind) id \"\(Self.codePoints(id))\" " + Self.invisibleReason(character: character, withoutIt: withoutIt)
        case .lookAlikeLetterInID(let kind, let id, let letter, let latin):
            "the \(kind) id \"\(id)\" " + Self.lookAlikeReason(letter: letter, latin: latin)
        case .nothingToUpdate(let kind, let id, let fields):
            "nothing to change for \(kind) \(id): give at least one of " + fields.joined(separator: ", ") + "; nothing was written"
        case .updateReasonRequired(let kind, let id):
            "a change to \(kind) \(id) needs a reason (--reason \"...\"), kept with the change for good; nothing was written"
        case .moveDuringSettlement(let volunteer, let night):
            "volunteer \(volunteer) cannot move household while the settlement of \(night.date) is unfinished: that night's records are "
                + "queued household by household; finish it first (\(night.command)), then move them; nothing was written"
        case .joinedChangeDuringSettlement(let volunteer, let night):
            "volunteer \(volunteer)'s day of joining cannot change while the settlement of \(night.date) is unfinished: that night's grants "
                + "were given by the day of then, and the rest of its records would be scored by another volunteer.joined; finish it "
                + "first (\(night.command)), then change it; nothing was written"
        case .samePersonAsOther(let volunteer, let name, let birth, let other):
            "volunteer \(volunteer) would have the name and birth date of \(other) (\(name), born \(birth)): one person under two ids "
                + "would have two points accounts; if it is the same person, leave \(volunteer) as it is (their id is \(other)); if not, "
                + "check the name and birth date typed; if two people share the name and the birth date, say so with "
                + "--namesake-of \(other) in the same command; nothing was written"
        case .sameNameInHousehold(let volunteer, let name, let household, let other, let volunteerHasBirth, let otherHasBirth):
            "volunteer \(volunteer) would be \(name) of household \(household), as \(other) is, and "
                + (volunteerHasBirth ? "\(other) has no birth date" : otherHasBirth ? "\(volunteer) has no birth date" : "neither has a birth date")
                + " to tell them apart: one person under two ids would have two points accounts; if it is the same person, leave "
                + "\(volunteer) as it is (their id is \(other)); if they are two people, "
                + [volunteerHasBirth ? nil : "give \(volunteer) a birth date in the same command (--birth-date YYYY-MM-DD)",
                   otherHasBirth ? nil : "give \(other) their birth date first (timebank volunteer update \(other) --birth-date YYYY-MM-DD --reason TEXT)"]
                    .compactMap { $0 }.joined(separator: " and ")
                + "; nothing was written"
        case .unusableActor(let actor, let reason):
            "the actor \"\(Self.visible(actor))\" cannot be kept with the change: \(reason); sign in as an admin (--operator) or "
                + "set TIMEBANK_ACTOR to 1 to \(LedgerRules.actorLengthMaximum) characters on one line; nothing was written"
        }
    }
}
