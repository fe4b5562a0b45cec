/// One change of an operator's access, made by an admin: withdrawn (`operator disable`) or given back (`operator enable`).
/// Changes are only added, never edited; the last one says whether the operator may sign in.
public struct OperatorAccessChange: Hashable, Sendable {
    /// What the change did.
    public enum Kind: String, Hashable, Sendable {
        /// The operator may no longer sign in (O013).
        case disabled
        /// The operator may sign in again, with the PIN they had (unless an admin set a new one).
        case enabled
    }

    public var operatorID: String
    public var kind: Kind
    /// Why, as the admin typed it; empty for an enable without `--reason`.
    public var reason: String
    /// The admin who made the change.
    public var actor: String
    public var recordedAt: Timestamp

    public init(operatorID: String, kind: Kind, reason: String, actor: String, recordedAt: Timestamp) {
        self.operatorID = operatorID
        self.kind = kind
        self.reason = reason
        self.actor = actor
        self.recordedAt = recordedAt
    }
}

/// Whether an operator may sign in, and the change that made it so.
public struct OperatorAccess: Hashable, Sendable {
    public var operatorID: String
    /// The last disable or enable; nil when the access was never changed since the operator was added (enabled).
    public var lastChange: OperatorAccessChange?

    public init(operatorID: String, lastChange: OperatorAccessChange?) {
        self.operatorID = operatorID
        self.lastChange = lastChange
    }

    /// Whether the operator may sign in: true unless the last change withdrew the access.
    public var isEnabled: Bool { lastChange?.kind != .disabled }
}

/// What `TimeBankStore.disableOperator` or `enableOperator` did. Asking again for what is already so writes nothing and
/// is not an error, so that a retried command is safe: `.unchanged` gives the access as it stands, with the change that
/// made it so.
public enum OperatorAccessOutcome: Hashable, Sendable {
    case changed(OperatorAccessChange)
    case unchanged(OperatorAccess)

    /// The access after the call.
    public var isEnabled: Bool {
        switch self {
        case .changed(let change): change.kind == .enabled
        case .unchanged(let access): access.isEnabled
        }
    }
}

extension AccessRules {
    /// Checks that `session` may withdraw the access of `target`; throws the refusal. `enabledAdmins`: the ids of the admins
    /// who may sign in now. Refused: a session that is not an admin's (O003); the last admin who may sign in (O015), whose
    /// loss would leave nobody to give any access back (an admin alone in the community who tries it on themselves gets this
    /// one, which says what to do); and an admin's own access (O014).
    ///
    ///     try AccessRules.checkDisable(target, by: admin, enabledAdmins: ["admin", "admin2"])   // target admin2: allowed
    public static func checkDisable(_ target: Operator, by session: OperatorSession, enabledAdmins: Set<String>) throws(AccessError) {
        try check(session, .manageAccess)
        if target.role == .admin, enabledAdmins.subtracting([target.id]).isEmpty { throw .lastAdmin(operatorID: target.id) }
        if target.id == session.operatorID { throw .cannotDisableSelf(operatorID: target.id) }
    }
}
