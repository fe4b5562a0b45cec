import TimeBankCore

extension TimeBankStore {
    /// Changes fields of a stored volunteer (a name spelt wrong, a move to another household, new teams), with the reason,
    /// in one transaction; each changed field is kept in the history (`communityChanges`) with its value before and after,
    /// `actor` and the clock's time. The ledger is not touched: entries, lots and receipts (which keep names as printed) stay
    /// as they are; the account's display name follows a new name. Later nights and reports read the volunteer as they are
    /// now: under `earn_to = "household"` their records settled after a move go to the new household, and a dividend counts
    /// their awards of the period for the household they belong to when it is paid (docs/scoring.md, docs/fund.md).
    ///
    ///     try store.updateVolunteer("V0001", VolunteerUpdate(name: "王晓明"), reason: "姓名录入错误", actor: "admin")
    ///     try store.updateVolunteer("V0002", VolunteerUpdate(household: .moveTo("H0007")), reason: "搬到女儿家", actor: "admin")
    ///
    /// A birth date can be removed (`.remove`). A new day of joining (`joined`) counts from the next night on, as a move
    /// does: `volunteer.joined` in the policy's conditions, and the grants of the nights to come (a period's grant already
    /// posted stays, and is not posted again; one of a period whose nights are all settled is not posted after the fact);
    /// nothing posted is scored again (docs/settlement.md).
    ///
    /// Refused, with nothing written: C003 for an unknown volunteer or household (with the id it most likely means; an
    /// unknown volunteer before any other refusal), C008 for an update with no field, each value by the rules of
    /// `addVolunteer` (C004 name, birth date and tags, a day of joining before the birth date; C005 teams), C016 and C017 as `volunteer import` refuses the same person under
    /// two ids (a new name or birth date another's, a move or a rename making two of one name in one household without the
    /// birth dates to tell them apart), C009 without a reason (C004 for a reason with a line break or over 500
    /// characters), C013 for an actor that cannot be kept (blank, over 100 characters, a control character), and C010
    /// for a household or joined change while a night's settlement is started and unfinished. Fields given with the value they have
    /// already are returned as `unchanged` and written nowhere; when every field is, nothing is written and no reason
    /// is needed (a retry of an update that went through changes nothing).
    ///
    /// `namesakes`: the ids of other people who really share the name and birth date the update gives (two 张伟 born the
    /// same day): C016 does not refuse the update for them, as `addVolunteer` compares no one. Another id that shares both
    /// and is not named is still refused.
    @discardableResult
    public func updateVolunteer(_ id: String, _ update: VolunteerUpdate, reason: String?, actor: String,
                                namesakes: Set<String> = []) throws -> CommunityUpdateOutcome {
        return try writeTransaction {
            guard let stored = try volunteer(id) else {
                throw CommunityError.unknown(kind: "volunteer", id: id, suggestion: Spelling.nearest(to: id, among: try ids(of: .volunteer)))
            }
            // After the lookup: an unknown id is what needs fixing first, whatever else the command lacks.
            if update.isEmpty { throw CommunityError.nothingToUpdate(kind: "volunteer", id: id, fields: VolunteerUpdate.fieldNames) }
            var updated = stored
            var given: [(field: String, old: String, new: String)] = []
            func list(_ items: [String]) -> String { items.joined(separator: ";") }
            if let name = update.name { updated.name = name; given.append(("name", stored.name, name)) }
            if let household = update.household {
                switch household {
                case .moveTo(let target): updated.household = target
                case .leave: updated.household = nil
                }
                given.append(("household", stored.household ?? "", updated.household ?? ""))
            }
            if let teams = update.teams { updated.teams = teams; given.append(("teams", list(stored.teams), list(teams))) }
            if let tags = update.tags { updated.tags = tags; given.append(("tags", list(stored.tags), list(tags))) }
            if let birth = update.birthDate {
                switch birth {
                case .setTo(let date): updated.birthDate = date
                case .remove: updated.birthDate = nil
                }
                given.append(("birth_date", stored.birthDate?.description ?? "", updated.birthDate?.description ?? ""))
            }
            if let joined = update.joined { updated.joined = joined; given.append(("joined", stored.joined.description, joined.description)) }
            let (changed, unchanged) = CommunityUpdateRules.differences(given)
            let fields = Set(changed.map(\.field))
            // A list given in another order says the same: the stored order stays.
            if !fields.contains("teams") { updated.teams = stored.teams }
            if !fields.contains("tags") { updated.tags = stored.tags }
            // The rules of `addVolunteer`, for the fields that change (a field stored before a rule is not re-judged).
            let ruleField = ["name": "name", "birth date": "birth_date", "tag": "tags"]
            if let problem = CommunityRules.problems(updated, today: clock.now().date(offsetMinutes: 840))
                .first(where: { fields.contains(ruleField[$0.field] ?? $0.field) }) {
                throw CommunityError.unusableField(field: problem.field, value: problem.value, reason: problem.reason)
            }
            if fields.contains("joined"), let reason = CommunityRules.joinedProblem(updated.joined, birth: updated.birthDate) {
                throw CommunityError.unusableField(field: "joined", value: updated.joined.description, reason: reason)
            }
            if fields.contains("household"), let household = updated.household, try self.household(household) == nil {
                throw CommunityError.unknown(kind: "household", id: household,
                                             suggestion: Spelling.nearest(to: household, among: try ids(of: .household)))
            }
            try checkSamePersonTwice(updated, fields: fields, namesakes: namesakes)
            if fields.contains("teams") {
                let known = try communityTeams()
                for team in updated.teams where !stored.teams.contains(team) {
                    if let help = CommunityRules.unknownTeamHelp(team, among: known) { throw CommunityError.unknownTeam(team: team, help: help) }
                }
            }
            return try commit(.volunteer, id: id, changed: changed, unchanged: unchanged, name: updated.name, reason: reason, actor: actor) {
                if fields.contains("household") || fields.contains("joined"), let night = try unfinishedSettlement() {
                    throw fields.contains("household") ? CommunityError.moveDuringSettlement(volunteer: id, night: night)
                        : CommunityError.joinedChangeDuringSettlement(volunteer: id, night: night)
                }
                try database.statement("""
                    UPDATE volunteers SET name = ?, household = ?, birth_date = ?, teams = ?, tags = ?, joined = ? WHERE id = ?
                    """)
                    .bind(.text(updated.name), updated.household.map(SQLiteValue.text) ?? .null,
                          updated.birthDate.map { .text($0.description) } ?? .null, .text(list(updated.teams)), .text(list(updated.tags)),
                          .text(updated.joined.description), .text(id)).run()
            }
        }
    }

    /// The import's refusals of the same person under two ids (`CommunityCSV.volunteers`), for a volunteer as an update leaves
    /// them: C016 when a new name or birth date is another id's name and birth date, C017 when a move, a new name or a birth
    /// date removed makes them one of two of one name in one household with no birth date to tell them apart. Only what the
    /// update changes is judged: a pair stored before (a namesake added on purpose with `volunteer add`) stays as it is, and
    /// so does one the update makes with an id in `namesakes` (two people the admin says share the name and birth date).
    private func checkSamePersonTwice(_ volunteer: Volunteer, fields: Set<String>, namesakes: Set<String>) throws {
        if fields.contains("name") || fields.contains("birth_date"), let birth = volunteer.birthDate,
           // Names compared as the import compares them (`PersonName`: a middle dot however typed).
           let other = try database.statement("SELECT id, name FROM volunteers WHERE birth_date = ? AND id != ? ORDER BY id")
               .bind(.text(birth.description), .text(volunteer.id)).rows({ (id: $0.text(0), name: $0.text(1)) })
               .first(where: { PersonName.same($0.name, volunteer.name) && !namesakes.contains($0.id) })?.id {
            throw CommunityError.samePersonAsOther(volunteer: volunteer.id, name: volunteer.name, birth: birth, other: other)
        }
        // A birth date given never makes such a pair (it is how one is told apart), so only its removal is judged.
        guard fields.contains("household") || fields.contains("name") || (fields.contains("birth_date") && volunteer.birthDate == nil),
              let household = volunteer.household else { return }
        if let other = try volunteers(household: household)
            .first(where: { $0.id != volunteer.id && PersonName.same($0.name, volunteer.name) && ($0.birthDate == nil || volunteer.birthDate == nil) }) {
            throw CommunityError.sameNameInHousehold(volunteer: volunteer.id, name: volunteer.name, household: household, other: other.id,
                                                     volunteerHasBirth: volunteer.birthDate != nil, otherHasBirth: other.birthDate != nil)
        }
    }

    /// Changes the name or address of a stored household, with the reason, as `updateVolunteer` does (the history, the
    /// account's display name; nothing in the ledger). Refused, with nothing written: C003 (with a did-you-mean; before
    /// any other refusal), C008, C004 by the rules of `addHousehold`, C009, C013.
    @discardableResult
    public func updateHousehold(_ id: String, _ update: HouseholdUpdate, reason: String?, actor: String) throws -> CommunityUpdateOutcome {
        return try writeTransaction {
            guard let stored = try household(id) else {
                throw CommunityError.unknown(kind: "household", id: id, suggestion: Spelling.nearest(to: id, among: try ids(of: .household)))
            }
            // After the lookup: an unknown id is what needs fixing first, whatever else the command lacks.
            if update.isEmpty { throw CommunityError.nothingToUpdate(kind: "household", id: id, fields: HouseholdUpdate.fieldNames) }
            var updated = stored
            var given: [(field: String, old: String, new: String)] = []
            if let name = update.name { updated.name = name; given.append(("name", stored.name, name)) }
            if let address = update.address { updated.address = address; given.append(("address", stored.address, address)) }
            let (changed, unchanged) = try checkedDifferences(given, problems: CommunityRules.problems(updated))
            return try commit(.household, id: id, changed: changed, unchanged: unchanged, name: updated.name, reason: reason, actor: actor) {
                try database.statement("UPDATE households SET name = ?, address = ? WHERE id = ?")
                    .bind(.text(updated.name), .text(updated.address), .text(id)).run()
            }
        }
    }

    /// Changes the name, community or address of a stored station, with the reason, as `updateVolunteer` does. Receipts
    /// already printed keep the station's name as it was. Refused, with nothing written: C003 (with a did-you-mean;
    /// before any other refusal), C008, C004 by the rules of `addStation`, C009, C013.
    @discardableResult
    public func updateStation(_ id: String, _ update: StationUpdate, reason: String?, actor: String) throws -> CommunityUpdateOutcome {
        return try writeTransaction {
            guard let stored = try station(id) else {
                throw CommunityError.unknown(kind: "station", id: id, suggestion: Spelling.nearest(to: id, among: try ids(of: .station)))
            }
            // After the lookup: an unknown id is what needs fixing first, whatever else the command lacks.
            if update.isEmpty { throw CommunityError.nothingToUpdate(kind: "station", id: id, fields: StationUpdate.fieldNames) }
            var updated = stored
            var given: [(field: String, old: String, new: String)] = []
            if let name = update.name { updated.name = name; given.append(("name", stored.name, name)) }
            if let community = update.community { updated.community = community; given.append(("community", stored.community, community)) }
            if let address = update.address { updated.address = address; given.append(("address", stored.address, address)) }
            let (changed, unchanged) = try checkedDifferences(given, problems: CommunityRules.problems(updated))
            return try commit(.station, id: id, changed: changed, unchanged: unchanged, name: updated.name, reason: reason, actor: actor) {
                try database.statement("UPDATE stations SET name = ?, community = ?, address = ? WHERE id = ?")
                    .bind(.text(updated.name), .text(updated.community), .text(updated.address), .text(id)).run()
            }
        }
    }

    /// Changes the name or label of a stored team, with the reason, as `updateVolunteer` does (the history; no account, no
    /// ledger). Volunteers and policies name a team by its id, which does not change: scoring reads no team's name or
    /// label, so no points change, posted or to come. While the community has no team stored (the five colours), the
    /// five colours are stored first, as `addTeam` does, so that the one changed is kept with the others.
    ///
    /// Refused, with nothing written: C003 for a team that is not one of the community's (with a did-you-mean; before any
    /// other refusal), C008, C004 by the rules of `team import` (a name empty, over 100 characters, on two lines or with a bidirectional control; a
    /// label likewise, but it may be empty), C009, C013.
    @discardableResult
    public func updateTeam(_ id: String, _ update: TeamUpdate, reason: String?, actor: String) throws -> CommunityUpdateOutcome {
        return try writeTransaction {
            let teams = try communityTeams()
            guard let stored = teams.first(where: { $0.id == id }) else {
                throw CommunityError.unknown(kind: "team", id: id, suggestion: Spelling.nearest(to: id, among: teams.map(\.id)))
            }
            if update.isEmpty { throw CommunityError.nothingToUpdate(kind: "team", id: id, fields: TeamUpdate.fieldNames) }
            var updated = stored
            var given: [(field: String, old: String, new: String)] = []
            if let name = update.name { updated.name = name; given.append(("name", stored.name, name)) }
            if let label = update.label { updated.label = label; given.append(("label", stored.label, label)) }
            let (changed, unchanged) = try checkedDifferences(given, problems: CommunityRules.problems(updated))
            return try commit(.team, id: id, changed: changed, unchanged: unchanged, name: updated.name, reason: reason, actor: actor) {
                try storeFiveColoursIfNoTeam()
                try database.statement("UPDATE teams SET name = ?, label = ? WHERE id = ?")
                    .bind(.text(updated.name), .text(updated.label), .text(id)).run()
            }
        }
    }

    /// The changes of one volunteer, household, station or team, oldest first; with `latest`, only the last so many.
    public func communityChanges(of subject: CommunitySubject, id: String, latest: Int? = nil) throws -> [CommunityChange] {
        let rows = try database.statement("""
            SELECT number, subject, id, field, old_value, new_value, actor, changed_at, reason FROM community_changes
            WHERE subject = ? AND id = ? ORDER BY number DESC LIMIT ?
            """).bind(.text(subject.rawValue), .text(id), .integer(Int64(latest ?? -1))).rows(Self.change)
        return rows.reversed()
    }

    /// Every change to the community, oldest first.
    /// Every correction of a name (of volunteers, households, stations and teams), oldest first: the names people were known
    /// by before, which a resident or a paper form may still give.
    public func nameChanges() throws -> [CommunityChange] {
        try database.statement("""
            SELECT number, subject, id, field, old_value, new_value, actor, changed_at, reason FROM community_changes
            WHERE field = 'name' ORDER BY number
            """).rows(Self.change)
    }

    public func communityChanges() throws -> [CommunityChange] {
        try database.statement("""
            SELECT number, subject, id, field, old_value, new_value, actor, changed_at, reason FROM community_changes ORDER BY number
            """).rows(Self.change)
    }

    private static func change(_ row: SQLiteStatement) throws -> CommunityChange {
        guard let subject = CommunitySubject(rawValue: row.text(1)), let at = Timestamp(row.text(7)) else {
            throw StoredDataError(sequence: nil, detail: "community change \(row.int64(0)) cannot be read (edited by hand?)")
        }
        return CommunityChange(number: row.int64(0), subject: subject, id: row.text(2), field: row.text(3), oldValue: row.text(4),
                               newValue: row.text(5), actor: row.text(6), at: at, reason: row.text(8))
    }

    /// The given fields that change and those given with the value they have (`CommunityUpdateRules.differences`); the first of
    /// `problems` (the rules of add) about a field that changes is thrown as C004: a field stored before a rule is not judged again.
    private func checkedDifferences(_ given: [(field: String, old: String, new: String)], problems: [(field: String, value: String, reason: String)])
        throws -> (changed: [(field: String, old: String, new: String)], unchanged: [CommunityFieldValue]) {
        let (changed, unchanged) = CommunityUpdateRules.differences(given)
        let fields = Set(changed.map(\.field))
        if let problem = problems.first(where: { fields.contains($0.field) }) {
            throw CommunityError.unusableField(field: problem.field, value: problem.value, reason: problem.reason)
        }
        return (changed, unchanged)
    }

    /// The end every update shares, in the caller's transaction: nothing when no field changes (no reason needed), else the
    /// reason and the actor checked, the row written by `write`, the account's display name following a new `name`, and the history.
    private func commit(_ subject: CommunitySubject, id: String, changed: [(field: String, old: String, new: String)],
                        unchanged: [CommunityFieldValue], name: String, reason: String?, actor: String,
                        write: () throws -> Void) throws -> CommunityUpdateOutcome {
        guard !changed.isEmpty else { return CommunityUpdateOutcome(changes: [], unchanged: unchanged) }
        let reason = try checkedReason(reason, kind: subject.rawValue, id: id)
        if let problem = CommunityUpdateRules.actorProblem(actor) { throw CommunityError.unusableActor(actor: actor, reason: problem) }
        try write()
        if changed.contains(where: { $0.field == "name" }) {
            let account: AccountID? = switch subject {
            case .volunteer: .volunteer(id)
            case .household: .household(id)
            case .station: .station(id)
            case .team: nil   // a team has no account
            }
            if let account { try renameAccount(account, to: name) }
        }
        return CommunityUpdateOutcome(changes: try recordChanges(subject, id: id, changed, actor: actor, reason: reason), unchanged: unchanged)
    }

    private func checkedReason(_ reason: String?, kind: String, id: String) throws -> String {
        guard let reason, !reason.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
            throw CommunityError.updateReasonRequired(kind: kind, id: id)
        }
        if let problem = CommunityUpdateRules.reasonProblem(reason) {
            throw CommunityError.unusableField(field: "reason", value: reason, reason: problem)
        }
        return reason
    }

    /// The earliest night whose settlement is started (a step recorded) and not finished, or nil.
    /// The earliest night whose settlement was started and did not finish, with what `settle` needs to finish it now (a
    /// later night settled since, or days missed before it), nil when there is none.
    func unfinishedSettlement() throws -> UnfinishedNight? {
        let date = try database.statement("""
            SELECT min(p.date) FROM settlement_progress p WHERE NOT EXISTS (SELECT 1 FROM settlements s WHERE s.date = p.date)
            """).first { $0.optionalText(0).flatMap { LocalDate($0) } } ?? nil
        guard let date else { return nil }
        return UnfinishedNight(date: date, latestSettled: try latestSettledDate())
    }

    private func renameAccount(_ account: AccountID, to name: String) throws {
        try database.statement("UPDATE accounts SET name = ? WHERE id = ?").bind(.text(name), .text(account.description)).run()
        accountCache[account] = nil
    }

    private func recordChanges(_ subject: CommunitySubject, id: String, _ changed: [(field: String, old: String, new: String)],
                               actor: String, reason: String) throws -> [CommunityChange] {
        let at = clock.now()
        let insert = try database.statement("""
            INSERT INTO community_changes(subject, id, field, old_value, new_value, actor, changed_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        return try changed.map { item in
            try insert.bind(.text(subject.rawValue), .text(id), .text(item.field), .text(item.old), .text(item.new), .text(actor),
                            .text(at.description), .text(reason)).run()
            return CommunityChange(number: database.lastInsertedRowID, subject: subject, id: id, field: item.field, oldValue: item.old,
                                   newValue: item.new, actor: actor, at: at, reason: reason)
        }
    }
}
