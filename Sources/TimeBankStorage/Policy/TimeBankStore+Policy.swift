import Synchronization
import TimeBankCore

/// Compiled policies by the SHA-256 of their text. A stored version's text never changes and stations are never
/// removed (the checker only refuses ids it does not know), so each text is compiled once per process: compiling
/// costs far more than a redemption or a record import.
private let compiledPolicies = Mutex<[String: Policy]>([:])

/// One activated version of the points policy, as stored (without its text).
public struct PolicyVersionRecord: Hashable, Sendable {
    /// The activation number: 1 for the first version activated, then 2, 3, ...
    public var number: Int64
    /// `[policy] id`.
    public var policyID: String
    /// `[policy] version`.
    public var version: String
    /// `[policy] effective`: the first day the version is in force.
    public var effective: LocalDate
    /// SHA-256 of the exact text, in lowercase hex.
    public var sha256: String
    /// Who activated it.
    public var actor: String
    /// When it was activated.
    public var activatedAt: Timestamp
    /// The reason given with `--force`, when a rule was overridden.
    public var overrideReason: String?
}

/// What `activatePolicy` did.
public enum PolicyActivationOutcome: Hashable, Sendable {
    /// The text was stored as a new version.
    case activated(PolicyVersionRecord)
    /// The exact same text is active already; nothing was written (activating again is safe).
    case alreadyActive(PolicyVersionRecord)

    /// Whether a new version was stored.
    public var isActivated: Bool {
        if case .activated = self { return true }
        return false
    }

    /// The version, new or existing.
    public var record: PolicyVersionRecord {
        switch self {
        case .activated(let record), .alreadyActive(let record): record
        }
    }
}

/// A stored policy version with its exact text and the policy compiled from it.
public struct StoredPolicy: Sendable {
    public var record: PolicyVersionRecord
    public var text: String
    public var policy: Policy
}

extension TimeBankStore {
    /// The longest reason accepted with an override.
    public static let policyReasonLengthMaximum = 500

    /// `activatePolicy` for the bytes of a policy file. Bytes that are not UTF-8 (a file saved as GBK or UTF-16)
    /// are an error like any other (A001, after the loader's P001 that points at the first bad byte): they are never
    /// decoded with replacement characters and stored as a text that is not the file.
    @discardableResult
    public func activatePolicy(bytes: [UInt8], actor: String, overrideReason: String? = nil,
                               stations: [String]? = nil) throws -> PolicyActivationOutcome {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Self.hasErrors(PolicyLoader.load(bytes: bytes, path: "policy", stations: try stations ?? self.stations().map(\.id),
                                                    timeZones: SystemTimeZones.names))
        }
        return try activatePolicy(text, actor: actor, overrideReason: overrideReason, stations: stations)
    }

    /// Checks a policy text and stores it as the newest version, with its SHA-256 and the actor.
    ///
    /// Refused, with nothing written:
    /// - A001 when the text has errors (never overridable: every stored version compiles);
    /// - A002 when it does not take effect after the latest active version,
    ///   A004 when its version label is taken, A005 when it is another policy id, A012 (below) —
    ///   unless `overrideReason` is given, which is stored with the version;
    /// - A013 when it takes effect on a day the nightly settlement has closed (see `settledOverlap(of:replacedVersion:)`);
    /// - A012 when it drops a category or indicator that records not posted yet (and dated in its time in force) still
    ///   use: the settlement would reject them or post them with no points (see `impactOfActivating`);
    /// - A003 for an unusable reason, A009 for an unusable actor.
    ///
    /// Activating the exact same text again returns `.alreadyActive` and writes nothing, while it is the newest version in
    /// force; so does the same text re-saved with other line ends (CRLF, LF) or with or without a leading UTF-8 byte-order
    /// mark (the stored text stays the one first activated). The text of a version a later one superseded is refused with
    /// A011, whatever the override (see `Supersession`).
    ///
    ///     try store.activatePolicy(text, actor: "admin")                                 // .activated(#1)
    ///     try store.activatePolicy(fixed, actor: "admin", overrideReason: "补发: 10月规则更正")
    ///
    /// - Parameter stations: the community's station ids for checking `record.station`; nil reads them from the store.
    @discardableResult
    public func activatePolicy(_ text: String, actor: String, overrideReason: String? = nil,
                               stations: [String]? = nil) throws -> PolicyActivationOutcome {
        try Self.validateLine(actor, maximum: LedgerRules.actorLengthMaximum) { PolicyStoreError.invalidActor($0) }
        if let overrideReason {
            try Self.validateLine(overrideReason, maximum: Self.policyReasonLengthMaximum) { PolicyStoreError.invalidReason($0) }
        }
        let loaded = PolicyLoader.load(text: text, path: "policy", stations: try stations ?? self.stations().map(\.id),
                                       timeZones: SystemTimeZones.names)
        guard let policy = loaded.policy else { throw Self.hasErrors(loaded) }
        let hash = SHA256.hexHash(utf8: text)
        return try writeTransaction {
            let versions = try policyVersions()
            if let same = try activationCheck(policy, text: text, hash: hash, versions: versions, overridden: overrideReason != nil) {
                return .alreadyActive(same)
            }
            let activatedAt = clock.now()
            try database.statement("""
                INSERT INTO policy_versions(policy_id, version, effective_date, sha256, text, actor, activated_at, override_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .bind(.text(policy.id), .text(policy.version), .text(policy.effective.description), .text(hash), .text(text),
                      .text(actor), .text(activatedAt.description), overrideReason.map(SQLiteValue.text) ?? .null).run()
            return .activated(PolicyVersionRecord(
                number: database.lastInsertedRowID, policyID: policy.id, version: policy.version, effective: policy.effective,
                sha256: hash, actor: actor, activatedAt: activatedAt, overrideReason: overrideReason))
        }
    }

    /// The refusals of `activatePolicy`, in its order, for `policy` (its `text` hashes to `hash`) against the stored
    /// `versions`: throws A011 whatever the override, A002, A005, A004, A013 and, with `droppedInUse`, A012 only when not
    /// `overridden`. Returns the stored version when the text is the newest version in force already (nothing to write),
    /// nil when it would be stored.
    func activationCheck(_ policy: Policy, text: String, hash: String, versions: [PolicyVersionRecord], overridden: Bool,
                         droppedInUse: Bool = true) throws -> PolicyVersionRecord? {
        if let same = try versions.first(where: { $0.sha256 == hash }) ?? sameTextOtherwiseSaved(policy, text: text, among: versions) {
            // The same text again: nothing to write while it is the newest in force; a superseded one cannot come back
            // this way (it would still be replaced on the same dates), whatever the override.
            if let later = Self.supersedingVersion(of: same, among: versions),
               let latest = versions.max(by: { ($0.effective, $0.number) < ($1.effective, $1.number) }) {
                throw PolicyStoreError.versionSuperseded(Self.supersession(same, by: later, latest: latest, among: versions, text: text))
            }
            return same
        }
        guard !overridden else { return nil }
        if let latest = versions.max(by: { ($0.effective, $0.number) < ($1.effective, $1.number) }), policy.effective <= latest.effective {
            // A changed file that kept the old label would meet A004 once its date is fixed (or, forced, be stored as a second
            // version of that label): the message says both at once.
            let labelInUse = versions.contains { $0.policyID == policy.id && $0.version == policy.version }
                ? Self.nextVersionLabel(among: versions, policyID: policy.id).map {
                    "\(Self.keyLine("version", in: text) ?? "version = \(policy.version)")  ->  version = \($0)"
                } ?? "a `version` label no version has yet"
                : nil
            throw PolicyStoreError.effectiveNotAfterLatest(effective: policy.effective, latestVersion: latest.version,
                                                           latestEffective: latest.effective, labelInUse: labelInUse)
        }
        if let newest = versions.last, newest.policyID != policy.id {
            throw PolicyStoreError.differentPolicy(id: policy.id, activeID: newest.policyID)
        }
        if let reused = versions.first(where: { $0.policyID == policy.id && $0.version == policy.version }) {
            throw PolicyStoreError.versionReused(version: policy.version, number: reused.number,
                                                 nextLabel: Self.nextVersionLabel(among: versions, policyID: policy.id),
                                                 versionLine: Self.keyLine("version", in: text))
        }
        // A version dated on days already settled: their posted records keep the old version's points, so those days
        // would be scored by two rules (a mistyped or back-dated effective date, usually).
        let replaced = versions.filter { $0.effective <= policy.effective }.max { ($0.effective, $0.number) < ($1.effective, $1.number) }
        if let overlap = try settledOverlap(of: policy, replacedVersion: replaced?.version) {
            throw PolicyStoreError.effectiveOnSettledDays(overlap)
        }
        // Records not posted yet that would be lost (a dropped category or indicator) need an override.
        if droppedInUse {
            let impact = try impactOfActivating(policy, rules: false)
            if impact.losesRecords { throw PolicyStoreError.droppedInUse(impact) }
        }
        return nil
    }

    /// The stored version whose text is `text` but for its line ends (CRLF or LF) and a leading UTF-8 byte-order mark: the
    /// same file re-saved by another editor (Windows Notepad), which reads as the same policy, so it is that version and
    /// not a new one (it was A002). Only the versions with the policy's id, label and effective date can be it.
    func sameTextOtherwiseSaved(_ policy: Policy, text: String, among versions: [PolicyVersionRecord]) throws -> PolicyVersionRecord? {
        let candidates = versions.filter { $0.policyID == policy.id && $0.version == policy.version && $0.effective == policy.effective }
        guard !candidates.isEmpty else { return nil }
        let plain = Self.withPlainLineEnds(text)
        return try candidates.first { Self.withPlainLineEnds(try policyText(version: $0.number)) == plain }
    }

    /// `text` without a leading byte-order mark, each CRLF as LF: what a TOML reader makes of either (a CRLF in a multi-line
    /// string is read as LF; a CRLF can appear nowhere else but between lines and in comments).
    static func withPlainLineEnds(_ text: String) -> [Unicode.Scalar] {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var plain: [Unicode.Scalar] = []
        plain.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() where !(scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n") {
            plain.append(scalar)
        }
        return plain
    }

    /// Every activated version, in activation order.
    public func policyVersions() throws -> [PolicyVersionRecord] {
        try database.statement("""
            SELECT number, policy_id, version, effective_date, sha256, actor, activated_at, override_reason
            FROM policy_versions ORDER BY number
            """).rows(Self.policyVersion)
    }

    /// The version in force on `date`: of the versions effective on or before it, the one with the
    /// latest effective date (a later activation wins a tie). Nil when none is in force yet.
    public func policyVersion(inForceOn date: LocalDate) throws -> PolicyVersionRecord? {
        try database.statement("""
            SELECT number, policy_id, version, effective_date, sha256, actor, activated_at, override_reason
            FROM policy_versions WHERE effective_date <= ? ORDER BY effective_date DESC, number DESC LIMIT 1
            """).bind(.text(date.description)).first(Self.policyVersion)
    }

    /// The exact text of version `number`, checked against its SHA-256 (A007), or A008 when there is no such version.
    public func policyText(version number: Int64) throws -> String {
        guard let (text, hash) = try database.statement("SELECT text, sha256 FROM policy_versions WHERE number = ?")
            .bind(.integer(number)).first({ ($0.text(0), $0.text(1)) }) else {
            throw PolicyStoreError.noSuchVersion(number: number)
        }
        guard SHA256.hexHash(utf8: text) == hash else { throw PolicyStoreError.storedTextAltered(number: number) }
        return text
    }

    /// The version in force on `date` with its exact text, or nil when none is in force.
    public func policyText(inForceOn date: LocalDate) throws -> (record: PolicyVersionRecord, text: String)? {
        guard let record = try policyVersion(inForceOn: date) else { return nil }
        return (record, try policyText(version: record.number))
    }

    /// The version in force on `date`, compiled. Throws A006 when none is in force, A007 when its
    /// text was altered, and A010 when it no longer passes the checker.
    public func policy(inForceOn date: LocalDate) throws -> StoredPolicy {
        guard let (record, text) = try policyText(inForceOn: date) else {
            let first = try database.statement("SELECT min(effective_date) FROM policy_versions").first { $0.optionalText(0) } ?? nil
            throw PolicyStoreError.noPolicyInForce(date: date, firstEffective: first.flatMap { LocalDate($0) })
        }
        return StoredPolicy(record: record, text: text, policy: try compiledStoredPolicy(record, text: text))
    }

    /// A stored version compiled once per process (`text` is its text, read and checked against its hash).
    /// Throws A010 when it no longer passes the checker.
    func compiledStoredPolicy(_ record: PolicyVersionRecord, text: String) throws -> Policy {
        if let cached = Self.cachedPolicy(sha256: record.sha256) { return cached }
        // Activated before: a value beyond the ledger's largest amount that an older checker let through is a warning here
        // (the scorer marks its records too_large), so that the version and the nights it scores still work.
        let loaded = PolicyLoader.load(text: text, path: "policy #\(record.number)", stations: try stations().map(\.id), storedVersion: true)
        guard let policy = loaded.policy else {
            throw PolicyStoreError.storedPolicyInvalid(number: record.number, first: Self.firstError(loaded))
        }
        compiledPolicies.withLock { $0[record.sha256] = policy }
        return policy
    }

    /// The policy compiled before from the text with this hash, if any.
    static func cachedPolicy(sha256: String) -> Policy? { compiledPolicies.withLock { $0[sha256] } }

    // MARK: Helpers

    /// The version that takes over from `version`: the first in force after it (a later effective date, or the same
    /// date activated later); nil when `version` is the newest in force.
    static func supersedingVersion(of version: PolicyVersionRecord, among versions: [PolicyVersionRecord]) -> PolicyVersionRecord? {
        versions.filter { ($0.effective, $0.number) > (version.effective, version.number) }
            .min { ($0.effective, $0.number) < ($1.effective, $1.number) }
    }

    /// The label after the highest of `policyID`'s stored versions when every one of them is a whole number ("3" after
    /// "1" and "2"); nil when some label is a word ("2026秋"), where no next one can be guessed.
    static func nextVersionLabel(among versions: [PolicyVersionRecord], policyID: String) -> String? {
        let labels = versions.filter { $0.policyID == policyID }.map(\.version)
        let numbers = labels.compactMap { Int($0) }
        return numbers.count == labels.count ? numbers.max().map { String($0 + 1) } : nil
    }

    /// What A011 says: the version, what replaced it, and the two lines to change for a new version.
    static func supersession(_ version: PolicyVersionRecord, by later: PolicyVersionRecord, latest: PolicyVersionRecord,
                             among versions: [PolicyVersionRecord], text: String) -> PolicyStoreError.Supersession {
        return PolicyStoreError.Supersession(version: version, supersededBy: later, latest: latest,
                                             nextVersionLabel: nextVersionLabel(among: versions, policyID: version.policyID),
                                             nextEffective: latest.effective.adding(days: 1),
                                             versionLine: keyLine("version", in: text), effectiveLine: keyLine("effective", in: text))
    }

    /// The first line of `text` that sets `key` (`version = 1`), as written, without its comment; nil when there is none.
    static func keyLine(_ key: String, in text: String) -> String? {
        // isNewline: a CRLF is one Character, neither "\n" nor "\r", in a file saved by a Windows editor.
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix(key), trimmed.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" }).first == "=" else { continue }
            // A comment starts at " #" (a label in quotes holds no "#" in practice; at worst the comment is shown too).
            var code = trimmed
            if let hash = trimmed.indices.first(where: { trimmed[$0] == "#" && $0 > trimmed.startIndex && trimmed[trimmed.index(before: $0)] == " " }) {
                code = trimmed[..<hash]
            }
            return String(code).trimmingSuffixSpaces()
        }
        return nil
    }

    private static func policyVersion(_ row: SQLiteStatement) throws -> PolicyVersionRecord {
        guard let effective = LocalDate(row.text(3)), let activatedAt = Timestamp(row.text(6)) else {
            throw StoredDataError(sequence: nil, detail: "policy version #\(row.int64(0)) has an unreadable date")
        }
        return PolicyVersionRecord(number: row.int64(0), policyID: row.text(1), version: row.text(2), effective: effective,
                                   sha256: row.text(4), actor: row.text(5), activatedAt: activatedAt, overrideReason: row.optionalText(7))
    }

    private static func validateLine(_ text: String, maximum: Int, _ error: (String) -> PolicyStoreError) throws {
        if let problem = LedgerRules.lineProblem(text, maximum: maximum) { throw error(problem) }
    }

    private static func firstError(_ loaded: PolicyLoadResult) -> String {
        guard let first = loaded.diagnostics.first(where: { $0.severity == .error }) else { return "" }
        return "\(first.range.start.line):\(first.range.start.column): error[\(first.id)]: \(first.message)"
    }

    private static func hasErrors(_ loaded: PolicyLoadResult) -> PolicyStoreError {
        .policyHasErrors(errorCount: loaded.errorCount, first: firstError(loaded))
    }
}

private extension String {
    func trimmingSuffixSpaces() -> String {
        var text = Substring(self)
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
