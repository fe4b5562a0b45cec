/// Why an operator could not sign in or was not allowed to act. Codes are stable and documented in
/// `docs/errors.md` (section "Operators and access (O)"). Nothing the command asked for is done when one is thrown
/// (a wrong PIN is counted for the lock-out, O012).
public enum AccessError: TimeBankError, Hashable {
    /// O001: the operator id or the PIN is not right. Both give this same message, so that a guess
    /// does not learn which operator ids exist.
    case signInFailed
    /// O001 as well, when few tries are left before the lock-out (`SignInLockout`): says how many (0: locked now). An
    /// unknown id counts the same way, so this tells no more than the plain O001.
    case signInFailedNearLock(triesLeft: Int)
    /// O002: no PIN: `TIMEBANK_PIN` is not set and there is no terminal to ask on.
    case pinNotGiven
    /// O002 as well, for the new PIN of `operator add` or `operator pin`: `TIMEBANK_NEW_PIN` is not set (the signer's
    /// `TIMEBANK_PIN` may well be) and there is no terminal to type it twice on.
    case newPINNotGiven(operatorID: String)
    /// O003: the operator's role may not do this. `doing`: the action in words (`add an operator`, `activate a policy`);
    /// `whoMay`: who may (`only an admin`, `an operator of station S01 or an admin`), so the message says whom to ask.
    case roleForbidden(operatorID: String, role: OperatorRole, action: StationAction, doing: String, whoMay: String)
    /// O004: an operator acting at another station than their own.
    case wrongStation(operatorID: String, ownStation: String, station: String)
    /// O004: an operator acting on a receipt or booking of another station than their own (`subject` names it:
    /// `receipt R12`, `booking B7`), which only that station's operators or an admin act on.
    case wrongStationOf(subject: String, operatorID: String, ownStation: String, station: String)
    /// O004 as well, for a station typed by its name (`typed`, `太白湖区第一志愿服务积分兑换站`) where its id (`station`, `S01`)
    /// goes: says which id that name is, and to give it when it is the operator's own station.
    case wrongStationNamed(operatorID: String, ownStation: String, typed: String, station: String)
    /// O005: a new PIN that is too short, too long, or has spaces.
    case invalidPIN(reason: String)
    /// O006: an operator with this id exists already.
    case operatorExists(String)
    /// O006 too, for an operator whose access was withdrawn (`by` that admin): an operator coming back is enabled, not added.
    case operatorExistsDisabled(String, by: String)
    /// O007: the database has no operator yet, so nobody can sign in.
    case noOperators
    /// O008: an operator's field is wrong (id, name, role, missing station, or a first operator who is not an admin).
    case invalidOperator(field: String, reason: String)
    /// O009: no operator named: neither `--operator` nor `TIMEBANK_OPERATOR`.
    case operatorNotNamed
    /// O010: a stored PIN hash that cannot be read (edited by hand).
    case storedCredentialUnreadable(operatorID: String)
    /// O011: an admin named an operator that does not exist (only admins see this, so the near id it suggests,
    /// `Spelling.nearest` among every operator, disabled ones too, tells no guesser which ids exist).
    case unknownOperator(id: String, suggestion: String?)
    /// O012: the sign-in of this operator id is locked after too many wrong PINs (`SignInLockout`); an unknown id is locked
    /// the same way, so that the lock does not tell which ids exist. `minutesLeft`: until it opens again, rounded up.
    case signInLocked(operatorID: String, minutesLeft: Int)
    /// O013: the PIN is right, but an admin withdrew this operator's access (`operator disable`); `by` names that admin.
    /// Only given after the PIN was checked, so that it tells a guesser nothing O001 does not.
    case accessWithdrawn(operatorID: String, by: String)
    /// O014: an admin withdrawing their own access (another admin does it, so that somebody is left who can give it back).
    case cannotDisableSelf(operatorID: String)
    /// O015: withdrawing the access of the last admin who can still sign in: nobody could then add, enable or set the PIN
    /// of an operator, or change the community, the ledger or the policy.
    case lastAdmin(operatorID: String)
    /// O016: a session another store's `signIn` gave (another community's file, or another in-memory store): the same id
    /// there may be somebody else here, so it may not act in this store.
    case sessionFromAnotherStore(operatorID: String)

    public var code: String {
        switch self {
        case .signInFailed, .signInFailedNearLock: "O001"
        case .pinNotGiven, .newPINNotGiven: "O002"
        case .roleForbidden: "O003"
        case .wrongStation, .wrongStationOf, .wrongStationNamed: "O004"
        case .invalidPIN: "O005"
        case .operatorExists, .operatorExistsDisabled: "O006"
        case .noOperators: "O007"
        case .invalidOperator: "O008"
        case .operatorNotNamed: "O009"
        case .storedCredentialUnreadable: "O010"
        case .unknownOperator: "O011"
        case .signInLocked: "O012"
        case .accessWithdrawn: "O013"
        case .cannotDisableSelf: "O014"
        case .lastAdmin: "O015"
        case .sessionFromAnotherStore: "O016"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .signInFailed, .signInFailedNearLock, .roleForbidden, .wrongStation, .wrongStationOf, .wrongStationNamed, .operatorExists,
             .operatorExistsDisabled, .signInLocked, .accessWithdrawn, .cannotDisableSelf, .lastAdmin, .sessionFromAnotherStore:
            .refused
        case .pinNotGiven, .newPINNotGiven, .invalidPIN, .noOperators, .invalidOperator, .operatorNotNamed, .unknownOperator: .badInput
        case .storedCredentialUnreadable: .integrity
        }
    }

    public var message: String {
        switch self {
        case .signInFailed:
            "operator or PIN not recognised; nothing was done"
        case .signInFailedNearLock(let left):
            "operator or PIN not recognised; nothing was done. "
                + (left == 0 ? "That was the \(SignInLockout.failuresAllowed)th wrong PIN within \(SignInLockout.windowMinutes) minutes: "
                    + "this sign-in is locked for \(SignInLockout.windowMinutes) minutes (an admin's new PIN opens it at once)"
                    : "\(left) more wrong PIN\(left == 1 ? "" : "s") within \(SignInLockout.windowMinutes) minutes lock\(left == 1 ? "s" : "") this sign-in for "
                    + "\(SignInLockout.windowMinutes) minutes")
        case .pinNotGiven:
            "no PIN: set TIMEBANK_PIN, or run the command in a terminal to be asked for it (a PIN is never given on the command line)"
        case .newPINNotGiven(let id):
            "no new PIN for \(id): set TIMEBANK_NEW_PIN to it, or run the command in a terminal to type it twice "
                + "(TIMEBANK_PIN is the PIN of whoever signs in; a PIN is never given on the command line); nothing was written"
        case .roleForbidden(let id, let role, _, let doing, let whoMay):
            "\(id) is an \(role.rawValue) and may not \(doing)" + (role == .auditor ? " (an auditor only reads)" : "")
                + ": \(whoMay) may (ask one to do it); nothing was written"
        case .wrongStation(let id, let own, let station):
            // `s01` or `Ｓ０１` for `S01` (the same id to `Spelling`): the operator most likely meant their own station.
            Spelling.fold(station) == Spelling.fold(own)
                ? "\(id) works at station \(own), and station ids are case-sensitive and typed in half-width characters: "
                    + "\"\(station)\" is not \(own); give --station \(own); nothing was written"
                : "\(id) works at station \(own), not \(station) (rule: operators act only at their own station); nothing was written"
        case .wrongStationNamed(let id, let own, let typed, let station):
            station == own
                ? "\"\(typed)\" is the name of station \(own), where \(id) works; a station is given by its id: give --station \(own); "
                    + "nothing was written"
                : "\(id) works at station \(own), not \(station) (\"\(typed)\" is the name of station \(station); rule: operators act "
                    + "only at their own station); nothing was written"
        case .wrongStationOf(let subject, let id, let own, let station):
            "\(subject) belongs to station \(station), and \(id) works at station \(own) (rule: operators act only at their own station): an "
                + "operator of \(station) or an admin does it; nothing was written"
        case .invalidPIN(let reason):
            "unusable PIN: \(reason)"
        case .operatorExists(let id):
            "an operator \"\(id)\" exists already"
        case .operatorExistsDisabled(let id, let admin):
            "an operator \"\(id)\" exists already, with access withdrawn by \(admin): to let \(id) sign in again, give it back with "
                + "`timebank operator enable \(id)` (and a new PIN with `timebank operator pin --for \(id)`); nothing was written"
        case .noOperators:
            "there is no operator yet: create the first admin with `TIMEBANK_PIN=... timebank operator add --id ID --name NAME --role admin` (or `timebank init` with TIMEBANK_PIN set)"
        case .invalidOperator(let field, let reason):
            "invalid operator \(field): \(reason)"
        case .operatorNotNamed:
            "name the operator who acts: --operator ID, or set TIMEBANK_OPERATOR"
        case .storedCredentialUnreadable(let id):
            "the stored PIN of \(id) cannot be read (edited by hand?); an admin must set a new one"
        case .unknownOperator(let id, let suggestion):
            "no operator \"\(id)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? " (timebank operator list)")
        case .signInLocked(let id, let minutesLeft):
            "the sign-in of \"\(id)\" is locked after \(SignInLockout.failuresAllowed) wrong PINs within \(SignInLockout.windowMinutes) "
                + "minutes: try again in \(minutesLeft) minute\(minutesLeft == 1 ? "" : "s"), or an admin sets a new PIN at once with "
                + "`timebank operator pin --for \(id)` (the PIN was not checked); nothing was written"
        case .accessWithdrawn(let id, let admin):
            "the access of \"\(id)\" was withdrawn by \(admin): \(id) may no longer sign in; ask an admin to give it back, if it "
                + "should be (`timebank operator enable \(id)`); nothing was done"
        case .cannotDisableSelf(let id):
            "\(id) may not withdraw their own access (rule: another admin does it, so that somebody is left who can give it back); "
                + "nothing was written"
        case .lastAdmin(let id):
            "\(id) is the last admin who can sign in (rule: a community keeps at least one admin; without one nobody could add or "
                + "enable operators, set PINs, or change the community, the ledger or the policy): add or enable another admin "
                + "first; nothing was written"
        case .sessionFromAnotherStore(let id):
            "this session of \(id) was signed in to another store (another community's database, or another in-memory store), "
                + "and \(id) here may be somebody else: sign in to this store (`signIn`) and act with that session; nothing was written"
        }
    }
}
