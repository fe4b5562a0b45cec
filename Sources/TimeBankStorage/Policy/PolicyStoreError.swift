import TimeBankCore

/// Why the store refused to activate or return a policy version. Codes are stable and documented
/// in `docs/errors.md` (section "Policy versions (A)").
public enum PolicyStoreError: TimeBankError, Hashable {
    /// A001: the policy file has errors; it is never stored, with or without `--force`.
    case policyHasErrors(errorCount: Int, first: String)
    /// A002: the new version does not take effect after the latest active version.
    /// `labelInUse`: the file's `version` label is an active version's too (A004 would follow once the date is fixed), with
    /// the line to write when every label is a whole number (`version = 1  ->  version = 2`), said in the same message.
    case effectiveNotAfterLatest(effective: LocalDate, latestVersion: String, latestEffective: LocalDate, labelInUse: String? = nil)
    /// A003: an override without a usable reason (empty, longer than 500 characters, or with a line break).
    case invalidReason(String)
    /// A004: the version label is used by an active version already.
    /// `nextLabel`: one more than the highest label of the policy when every label is a whole number; `versionLine`: the
    /// file's `version = ...` line as written.
    case versionReused(version: String, number: Int64, nextLabel: String? = nil, versionLine: String? = nil)
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
    /// A011: the file is the exact text of a stored version that a later one replaced; activating it again (even with
    /// `--force`) would change nothing, so going back to it needs a new version with a later effective date.
    case versionSuperseded(Supersession)

    /// A012: the new version drops a category or indicator that records not posted yet still use; without an override
    /// it is not activated (the settlement would reject those records for good, or post them with no points).
    case droppedInUse(PolicyVersionImpact)

    /// A013: the new version takes effect on a day the nightly settlement has closed already: the records of those days
    /// posted under the version then in force keep their points, and only those not posted yet would be scored by it.
    case effectiveOnSettledDays(PolicySettledOverlap)

    /// A stored version, the version that replaced it, and what a new version with its rules must say.
    public struct Supersession: Hashable, Sendable {
        /// The stored version with the file's exact text.
        public var version: PolicyVersionRecord
        /// The first version in force after it.
        public var supersededBy: PolicyVersionRecord
        /// The newest version in force (a new version must take effect after it).
        public var latest: PolicyVersionRecord
        /// The next whole-number version label, when every label is a whole number; nil otherwise.
        public var nextVersionLabel: String?
        /// The first day a new version may take effect without `--force`: the day after the latest's effective date.
        public var nextEffective: LocalDate
        /// The file's `version = ...` and `effective = ...` lines as written (nil when not found on a line of their own).
        public var versionLine: String?
        public var effectiveLine: String?
    }

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
        case .versionSuperseded: "A011"
        case .droppedInUse: "A012"
        case .effectiveOnSettledDays: "A013"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .effectiveNotAfterLatest, .versionReused, .differentPolicy, .versionSuperseded, .droppedInUse, .effectiveOnSettledDays: .refused
        case .policyHasErrors, .invalidReason, .noPolicyInForce, .noSuchVersion, .invalidActor: .badInput
        case .storedTextAltered, .storedPolicyInvalid: .integrity
        }
    }

    public var message: String {
        switch self {
        case .policyHasErrors(let count, let first):
            "the policy has \(count) error\(count == 1 ? "" : "s") and cannot be activated (first: \(first)); run `timebank policy check`"
        case .effectiveNotAfterLatest(let effective, let latestVersion, let latestEffective, let labelInUse) where effective == latestEffective:
            // The same day: usually a correction of a version before it takes effect, which the later activation does.
            "the policy takes effect on \(effective), the day version \(latestVersion), the latest, takes effect; a new version must take "
                + "effect later. To replace version \(latestVersion) from that same day (to correct it before it takes effect, say), "
                + (labelInUse.map { "give it its own label (\($0)) and " } ?? "")
                + "pass --force with --reason: of two versions with the same effective date, the one activated later is in force"
        case .effectiveNotAfterLatest(let effective, let latestVersion, let latestEffective, let labelInUse):
            "the policy takes effect on \(effective), but version \(latestVersion) in force from \(latestEffective) is the latest; "
                + "a new version must take effect later (or pass --force with --reason to activate it anyway)"
                + (labelInUse.map { "; its version label is active already too (A004): give it its own (\($0))" } ?? "")
        case .invalidReason(let detail):
            "the reason \(detail); give a one-line reason of 1 to 500 characters with --reason"
        case .versionReused(let version, let number, let nextLabel, let versionLine):
            "version \"\(version)\" is active already (#\(number)); give the new version its own label"
                + (nextLabel.map { ": in the file's [policy] section change\n    \(versionLine ?? "version = " + Self.tomlLabel(version))  ->  version = \($0)\n" } ?? " ")
                + "(or pass --force with --reason)"
        case .differentPolicy(let id, let activeID):
            "the file is policy \"\(id)\", but the active policy is \"\(activeID)\" (pass --force with --reason to switch policies)"
        case .noPolicyInForce(let date, let firstEffective):
            "no policy version is in force on \(date)"
                + (firstEffective.map {
                    // A community that opens its stations before its first version's day: say how to start earlier.
                    "; the first takes effect on \($0). To work before then, activate a version that takes effect on or before "
                        + "\(date) (effective = \(date), a version label of its own); as it takes effect before the stored one, "
                        + "`timebank policy activate FILE --force --reason TEXT` is needed"
                } ?? "; none has been activated (timebank policy activate FILE)")
        case .storedTextAltered(let number):
            "the stored text of policy version #\(number) does not match its SHA-256: it was changed after activation"
        case .noSuchVersion(let number):
            "no policy version #\(number) (timebank policy versions lists them)"
        case .invalidActor(let detail):
            "the actor \(detail); set TIMEBANK_ACTOR to 1 to 100 characters on one line"
        case .storedPolicyInvalid(let number, let first):
            "policy version #\(number) no longer passes the policy checker (first: \(first))"
        case .versionSuperseded(let s):
            "this file is version \(s.version.version) (#\(s.version.number), in force from \(s.version.effective)), which is superseded by "
                + "version \(s.supersededBy.version) (#\(s.supersededBy.number), in force from \(s.supersededBy.effective)); activating the "
                + "same text again changes nothing, even with --force. To go back to these rules, make them a new version with a later "
                + "effective date: in the file's [policy] section change\n"
                + "    \(s.versionLine ?? "version = " + Self.tomlLabel(s.version.version))  ->  version = "
                + "\(s.nextVersionLabel ?? "\"...\"   (a label no version has used)")\n"
                + "    \(s.effectiveLine ?? "effective = \(s.version.effective)")  ->  effective = \(s.nextEffective)   "
                + "(or the later day the old rules should return)\n"
                + "then run timebank policy activate with the file again"
                + (s.latest.number == s.supersededBy.number ? "" : " (version \(s.latest.version) is the newest, in force from \(s.latest.effective))")
        case .droppedInUse(let impact):
            "version \(impact.version) (in force from \(impact.from)) drops what records not posted yet still use:\n"
                + impact.dropped.filter(\.losesRecords).map { "    \($0.description)\n" }.joined()
                + "Keep \(impact.dropped.filter(\.losesRecords).count == 1 ? "it" : "them") in the new version, let it take effect after "
                + "\(impact.lastLostDate ?? impact.from), settle or reject those records first, or pass --force with --reason to activate it anyway"
        case .effectiveOnSettledDays(let overlap):
            overlap.description + "; write effective = \(overlap.lastSettled.adding(days: 1)) (the first day not settled) or a later day, "
                + "or pass --force with --reason to activate it anyway (for example to correct the records of those days not posted yet)"
        }
    }

    /// A version label as written in a policy file: a whole number bare, anything else in quotes.
    static func tomlLabel(_ label: String) -> String {
        Int(label).map(String.init) == label ? label : "\"" + label + "\""
    }
}
