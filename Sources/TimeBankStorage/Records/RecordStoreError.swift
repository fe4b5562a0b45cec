import TimeBankCore

/// Why the store refused a request about stored records. Codes are stable and documented in
/// `docs/errors.md` ("Records and scoring (E)"). Nothing is written when one is thrown.
public enum RecordStoreError: TimeBankError, Hashable {
    /// E100: no stored record with this id (with a near id when there is one). `volunteerName` when the id is a
    /// volunteer's, as a volunteer asking "why did I get these points?" gives it: the message says how to list their records.
    /// `otherSources`: the sources that do have a record `id`, when `source` named another.
    case noSuchRecord(id: String, source: String?, suggestion: String?, volunteerName: String? = nil, otherSources: [String] = [])
    /// E101: several sources have a record with this id.
    case ambiguousRecord(id: String, sources: [String])
    /// E102: the record was approved, rejected or withdrawn already; `next` says what works from there, when something does.
    case alreadyDecided(reference: String, status: String, next: String? = nil)
    /// E103: the policy in force requires a verifier and the record names none.
    case verifierRequired(reference: String)
    /// E104: a rejection without a usable reason, or an unusable verifier name.
    case invalidText(field: String, problem: String)
    /// E105: the record's points are posted and some of its entries stand: `standing` says which (and which were
    /// reversed), `steps` the reversals that would withdraw it.
    case alreadyPosted(reference: String, standing: String, steps: String)
    /// E106: a posting asked for a record that is not approved.
    case notApproved(reference: String, status: String)
    /// E107: a posting asked for scores of a policy version that is not stored (a run scored by a policy file).
    case versionNotStored(reference: String, version: String)
    /// E027: approving a record no stored version can score as it is: none is in force on its date, or the one in force does
    /// not have its category or indicator (dropped or renamed by a later version). `why` says which, `version` names it.
    case cannotBeScored(reference: String, id: String, why: String, version: String?)
    /// E029: `record approve --verifier NAME` of a record that names no verifier, with NAME its own volunteer or a member of
    /// the household it assesses (本人核实): a record is verified by somebody else.
    case verifiedBySelf(reference: String, id: String, verifier: String, found: SelfVerification)
    /// E028: several of the records named in one `record approve` or `record reject` cannot be `decision` (each problem is
    /// one of the errors above), so none was: the decision is all or none.
    case decisionsRefused(decision: String, named: Int, problems: [RecordStoreError])

    public var code: String {
        switch self {
        case .noSuchRecord: "E100"
        case .ambiguousRecord: "E101"
        case .alreadyDecided: "E102"
        case .verifierRequired: "E103"
        case .invalidText: "E104"
        case .alreadyPosted: "E105"
        case .notApproved: "E106"
        case .versionNotStored: "E107"
        case .cannotBeScored: "E027"
        case .decisionsRefused: "E028"
        case .verifiedBySelf: "E029"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .noSuchRecord, .ambiguousRecord, .invalidText: .badInput
        case .alreadyDecided, .verifierRequired, .verifiedBySelf, .alreadyPosted, .notApproved, .versionNotStored, .cannotBeScored: .refused
        case .decisionsRefused(_, _, let problems):
            // Ids mistyped alone are bad input (exit 2), as each of them is; any refusal by a rule makes it one (exit 1).
            problems.allSatisfy { $0.category == .badInput } ? .badInput : .refused
        }
    }

    public var message: String {
        switch self {
        case .noSuchRecord(let id, let source?, _, _, let others) where !others.isEmpty:
            // The id is right and the source is not: a did-you-mean of the same id would send the user round in circles.
            "no record \"\(id)\" from source \"\(source)\"; " + (others.count == 1
                ? "\"\(id)\" is a record from source \"\(others[0])\": give --source \(others[0]), or leave --source out"
                : "records from the sources \(others.map { "\"\($0)\"" }.joined(separator: ", ")) have the id \"\(id)\": name one with --source")
        case .noSuchRecord(let id, let source, let suggestion, let volunteerName?, _) where suggestion == nil:
            "no record \"\(id)\"" + (source.map { " from source \"\($0)\"" } ?? "") + "; \(id) is volunteer \(volunteerName): "
                + "`timebank record list --volunteer \(id)` lists their records, and `timebank explain RECORD_ID` explains one"
        case .noSuchRecord(let id, let source, let suggestion, _, _):
            "no record \"\(id)\"" + (source.map { " from source \"\($0)\"" } ?? "")
                + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "; " + Self.recordListHint)
        case .ambiguousRecord(let id, let sources):
            "records from several sources have the id \"\(id)\" (\(sources.joined(separator: ", "))); name one with --source"
        case .alreadyDecided(let reference, let status, let next):
            "record \(reference) is \(status) already; a decision is made once" + (next.map { ": \($0)" } ?? "")
        case .verifierRequired(let reference):
            "record \(reference) names no verifier and the policy requires one; approve it with --verifier NAME"
        case .invalidText(let field, let problem):
            "the \(field) \(problem)"
        case .alreadyPosted(let reference, let standing, let steps):
            "the points of record \(reference) are posted: \(standing). A posted record is withdrawn by reversing what stands of it: "
                + "\(steps); it then counts no more, and a corrected record can be imported under a new id"
        case .notApproved(let reference, let status):
            "record \(reference) is \(status), not approved: only approved records are posted"
        case .cannotBeScored(let reference, let id, let why, let version):
            "record \(reference) cannot be approved: \(why), so approved it would be posted with no points (the nightly settlement "
                + "rejects such a pending record instead). Reject it (timebank record reject \(id) --reason TEXT) and import it again "
                + (version.map { "under a category or indicator of version \($0)" } ?? "once a version in force on its date is activated")
                + ", or activate a version that has it for that day"
        case .verifiedBySelf(let reference, let id, let verifier, let found):
            "record \(reference) cannot be approved with --verifier \(verifier): that is \(found.whom); \(SelfVerification.rule). "
                + "Give --verifier the name of who checked it, or leave \(id) pending: it is "
                + "accepted by the night once the policy's auto_accept_after_days have passed, when it has them. "
                + found.namesakeHelp
        case .decisionsRefused:
            message(placing: { _ in nil })
        case .versionNotStored(let reference, let version):
            "record \(reference) was scored by \(version), which is not a stored policy version: posted points are explained "
                + "by the version that scored them, so activate the policy (timebank policy activate) and score with the stored versions"
        }
    }

    /// The message, each record's refusal preceded by where that record was named (`list.csv:3: no record "r99"`), when
    /// `place` knows (a record named by a line of `record approve --file`); as `message` for those typed.
    public func message(placing place: (RecordStoreError) -> String?) -> String {
        func placed(_ error: RecordStoreError, _ message: String) -> String { place(error).map { "\($0): \(message)" } ?? message }
        guard case .decisionsRefused(let decision, let named, let problems) = self else { return placed(self, message) }
        // Several unknown ids: where to look them up is said once, after them all, not after each.
        return "\(problems.count) of the \(named) records named cannot be \(decision), so none was (a decision is all or none): "
            + problems.map { "[\($0.code)] " + placed($0, Self.withoutRecordListHint($0.message)) }.joined(separator: "; ")
            + (problems.contains { $0.message.hasSuffix("; " + Self.recordListHint) } ? ". " + Self.recordListHint : "")
            + ". Leave them out or put them right, then send the command again"
    }

    /// The id of the record a refusal is about, as named; nil for E104 and E028, which name no one record.
    public var recordID: String? {
        func id(_ reference: String) -> String { reference.firstIndex(of: ":").map { String(reference[reference.index(after: $0)...]) } ?? reference }
        switch self {
        case .noSuchRecord(let id, _, _, _, _), .ambiguousRecord(let id, _): return id
        case .cannotBeScored(_, let id, _, _), .verifiedBySelf(_, let id, _, _): return id
        case .alreadyDecided(let reference, _, _), .verifierRequired(let reference), .alreadyPosted(let reference, _, _),
             .notApproved(let reference, _), .versionNotStored(let reference, _):
            return id(reference)
        case .invalidText, .decisionsRefused: return nil
        }
    }

    /// Where an unknown record id is looked up (E100 without a did-you-mean); E028 says it once for all its ids.
    static let recordListHint = "`timebank record list` shows the stored records"

    static func withoutRecordListHint(_ message: String) -> String {
        message.hasSuffix("; " + recordListHint) ? String(message.dropLast(recordListHint.count + 2)) : message
    }
}
