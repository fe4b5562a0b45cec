import TimeBankCore

/// Why the store refused to activate or return a policy version. Codes are stable and documented
/// in `docs/errors.md` (section "Policy versions (A)").
public enum PolicyStoreError: TimeBankError, Hashable {
    /// A001: the policy file has errors; it is never stored, with or without `--force`.
    case policyHasErrors(errorCount: Int, first: String)
    /// A002: the new version does not take effect after the latest active version.
    case effectiveNotAfterLatest(effective: LocalDate, latestVersion: String, latestEffective: LocalDate)
    /// A003: an override without a usable reason (empty, longer than 500 characters, or with a line break).
    case invalidReason(String)
    /// A004: the version label is used by an active version already.
    case versionReused(version: String, number: Int64)
    /// A005: the file is another policy (another `[policy] id`) than the active one.
    case differentPolicy(id: String, activeID: String)
    /// A006: no version is in force on the date asked about.
    case noPolicyInForce(date: LocalDate, firstEffective: LocalDate?)
    /// A007: a stored policy text does not match its SHA-256 any more (changed after activation).
    case storedTextAltered(number: Int64)
    /// A008: no policy version with this number.
    case noSuchVersion(number: Int64)
    /// A009: the actor is empty, longer than 100 characters, or has a line break.
    case invalidActor(String)
    /// A010: a stored policy version no longer passes the checker of this timebank version.
    case storedPolicyInvalid(number: Int64, first: String)

    public var code: String {
        switch self {
        case .policyHasErrors: "A001"
        case .effectiveNotAfterLatest: "A002"
        case .invalidReason: "A003"
        case .versionReused: "A004"
        case .differentPolicy: "A005"
        case .noPolicyInForce: "A006"
        case .storedTextAltered: "A007"
        case .noSuchVersion: "A008"
        case .invalidActor: "A009"
        case .storedPolicyInvalid: "A010"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .effectiveNotAfterLatest, .versionReused, .differentPolicy: .refused
        case .policyHasErrors, .invalidReason, .noPolicyInForce, .noSuchVersion, .invalidActor: .badInput
        case .storedTextAltered, .storedPolicyInvalid: .integrity
        }
    }

    public var message: String {
        switch self {
        case .policyHasErrors(let count, let first):
            "the policy has \(count) error\(count == 1 ? "" : "s") and cannot be activated (first: \(first)); run `timebank policy check`"
        case .effectiveNotAfterLatest(let effective, let latestVersion, let latestEffective):
            "the policy takes effect on \(effective), but version \(latestVersion) in force from \(latestEffective) is the latest; "
                + "a new version must take effect later (or pass --force with --reason to activate it anyway)"
        case .invalidReason(let detail):
            "the reason \(detail); give a one-line reason of 1 to 500 characters with --reason"
        case .versionReused(let version, let number):
            "version \"\(version)\" is active already (#\(number)); give the new version its own label (or pass --force with --reason)"
        case .differentPolicy(let id, let activeID):
            "the file is policy \"\(id)\", but the active policy is \"\(activeID)\" (pass --force with --reason to switch policies)"
        case .noPolicyInForce(let date, let firstEffective):
            "no policy version is in force on \(date)"
                + (firstEffective.map { "; the first takes effect on \($0)" } ?? "; none has been activated (timebank policy activate FILE)")
        case .storedTextAltered(let number):
            "the stored text of policy version #\(number) does not match its SHA-256: it was changed after activation"
        case .noSuchVersion(let number):
            "no policy version #\(number) (timebank policy versions lists them)"
        case .invalidActor(let detail):
            "the actor \(detail); set TIMEBANK_ACTOR to 1 to 100 characters on one line"
        case .storedPolicyInvalid(let number, let first):
            "policy version #\(number) no longer passes the policy checker (first: \(first))"
        }
    }
}
