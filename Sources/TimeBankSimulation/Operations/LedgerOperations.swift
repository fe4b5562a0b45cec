import TimeBankCore
import TimeBankStorage

/// A direct ledger write: an admin's award or penalty, or a malformed request, through `store.postByHand` (what
/// `timebank post` calls: the key is a person's); the simulator's own expiry of lapsed lots through `store.post`.
struct PostOperation: SimulatedOperation {
    var name: String
    var key: String
    var kind: EntryKind
    var date: LocalDate
    var actor = "sim-admin"
    var memo: String
    var postings: [ModelPosting]
    /// `postByHand` (true) or `post`.
    var byHand = true

    var description: String {
        "post\(byHand ? "ByHand" : "") \(kind.rawValue) key=\(key.debugDescription) date=\(date) memo=\(memo.debugDescription) postings=["
            + postings.map { "\($0.account) \($0.asset.rawValue) \($0.amount)\($0.lotExpiresOn.map { " expires \($0)" } ?? "")" }
            .joined(separator: ", ") + "]"
    }

    func focus(_ model: SimModel) -> Focus { Focus(accounts: postings.map(\.account)) }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        let request = EntryRequest(key: key, kind: kind, effectiveDate: date, actor: actor, memo: memo, postings: postings.map {
            Posting(account: $0.account, asset: $0.asset, amount: $0.amount, lotExpiresOn: $0.lotExpiresOn)
        })
        switch try byHand ? engine.store.postByHand(request) : engine.store.post(request) {
        case .created(let entry): return .done("#\(entry.sequence)")
        case .exists(let entry): return .exists("#\(entry.sequence)")
        }
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        let result = try model.post(key: key, kind: kind, date: date, actor: actor, memo: memo, postings: postings, byHand: byHand)
        return .written("#\(result.sequence)", isNew: result.isNew)
    }
}

/// `store.reverse`: an admin's correction of an award or penalty (or a refused one: of a reversal, twice, an unknown
/// entry).
struct ReverseOperation: SimulatedOperation {
    var name = "reverse"
    var sequence: Int64
    var key: String
    var date: LocalDate
    var accounts: [AccountID]

    var description: String { "reverse #\(sequence) key=\(key) date=\(date)" }

    func focus(_ model: SimModel) -> Focus { Focus(accounts: accounts) }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        switch try engine.store.reverse(sequence: sequence, key: key, actor: "sim-admin", memo: "sim correction", on: date) {
        case .created(let entry): return .done("#\(entry.sequence)")
        case .exists(let entry): return .exists("#\(entry.sequence)")
        }
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        let result = try model.reverse(sequence: sequence, key: key, actor: "sim-admin", memo: "sim correction", date: date)
        return .written("#\(result.sequence)", isNew: result.isNew)
    }
}

/// A household joins.
struct AddHouseholdOperation: SimulatedOperation {
    var name = "household.add"
    var id: String

    var description: String { "add household \(id.debugDescription)" }

    func focus(_ model: SimModel) -> Focus {
        SimModel.isValidID(id) ? Focus(accounts: [.household(id)]) : Focus()
    }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        try engine.store.addHousehold(Household(id: id, name: "户\(id)", address: "泰山路"))
        return .done(id)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.addHousehold(id)
        return .done(id)
    }
}

/// A volunteer joins (with or without a household and a birth date).
struct AddVolunteerOperation: SimulatedOperation {
    var name = "volunteer.add"
    var volunteer: ModelVolunteer
    var joined: LocalDate { volunteer.joined }

    var description: String {
        "add volunteer \(volunteer.id.debugDescription) household=\(volunteer.household ?? "-") born=\(volunteer.birthDate?.description ?? "-")"
    }

    func focus(_ model: SimModel) -> Focus {
        SimModel.isValidID(volunteer.id) ? Focus(accounts: [.volunteer(volunteer.id)]) : Focus()
    }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        try engine.store.addVolunteer(Volunteer(id: volunteer.id, name: "志愿者\(volunteer.id)", household: volunteer.household,
                                                birthDate: volunteer.birthDate, teams: [], tags: [], joined: joined))
        return .done(volunteer.id)
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        try model.addVolunteer(volunteer)
        return .done(volunteer.id)
    }
}

/// An admin activates a policy text: a new version, the same text again, one that does not take effect after the
/// latest, or one with errors.
struct ActivatePolicyOperation: SimulatedOperation {
    var name: String
    /// nil: a text with errors.
    var policy: SimulatedPolicy?
    var text: String

    var description: String {
        policy.map { "activate policy version \($0.label) effective \($0.effective)" } ?? "activate a policy with errors"
    }

    func focus(_ model: SimModel) -> Focus { Focus() }

    func runEngine(_ engine: EngineDriver) throws -> Outcome {
        switch try engine.store.activatePolicy(text, actor: "sim-admin") {
        case .activated(let record): return .done("P\(record.number)")
        case .alreadyActive(let record): return .exists("P\(record.number)")
        }
    }

    func runModel(_ model: SimModel) throws(ModelRefusal) -> Outcome {
        let result = try model.activatePolicy(policy, text: text)
        return .written("P\(result.number)", isNew: result.isNew)
    }
}
