import TimeBankCore

/// What activating a checked policy would do, found without writing anything (`timebank policy check FILE
/// --against-active`): the stored version it would replace from its effective date and what changes from it, the
/// refusal `activatePolicy` would give without an override, and what it drops that records not posted yet use.
public struct PolicyActivationPreview: Sendable {
    /// The stored version in force on the new version's effective date (the one it replaces from then); nil when none is.
    public var replaced: StoredPolicy?
    /// What changes from `replaced`; nil when there is no version to compare with, or the text is stored already.
    public var comparison: PolicyComparison?
    /// The first effective date of the stored versions; nil when none is stored.
    public var firstEffective: LocalDate?
    /// The stored version with exactly this text, when activating it again would change nothing.
    public var alreadyActive: PolicyVersionRecord?
    /// The refusal of `activatePolicy` without `--force` other than A012 (A002, A004, A005, A013), or A011 whatever the
    /// override; nil when there is none.
    public var refusal: PolicyStoreError?
    /// What it drops that records not posted yet use: categories and indicators (A012), and rules.
    public var impact: PolicyVersionImpact
    /// The settled days it would take effect on (A013), found whatever `refusal` is: behind A002, A004 or A005, which
    /// `activatePolicy` checks first, this is what `--force` would then activate over (it says so as a warning).
    public var settledOverlap: PolicySettledOverlap? = nil

    /// A013 when `refusal` is another code and the version would also fall on settled days: the refusal an admin would
    /// meet next, shown with the first so that one `policy check` says everything `--force` would go past.
    public var settledDaysBehindRefusal: PolicyStoreError? {
        guard let settledOverlap, let refusal, refusal.code != "A013", refusal.code != "A011" else { return nil }
        return .effectiveOnSettledDays(settledOverlap)
    }

    /// A012 as `activatePolicy` would give it: records not posted yet would be lost.
    public var droppedInUse: PolicyStoreError? { impact.losesRecords ? .droppedInUse(impact) : nil }
}

extension TimeBankStore {
    /// What `activatePolicy` would do with `text` (which compiles to `policy`), in one read of the database; nothing is
    /// written. See `PolicyActivationPreview`.
    public func previewActivation(_ text: String, policy: Policy) throws -> PolicyActivationPreview {
        try database.readTransaction {
            let versions = try policyVersions()
            let hash = SHA256.hexHash(utf8: text)
            let isStored = versions.contains { $0.sha256 == hash }
            var preview = PolicyActivationPreview(
                replaced: nil, comparison: nil, firstEffective: versions.map(\.effective).min(), alreadyActive: nil, refusal: nil,
                impact: PolicyVersionImpact(version: policy.version, from: policy.effective, until: nil, dropped: []))
            do {
                preview.alreadyActive = try activationCheck(policy, text: text, hash: hash, versions: versions,
                                                            overridden: false, droppedInUse: false)
            } catch let refusal as PolicyStoreError {
                preview.refusal = refusal
            }
            if let record = try policyVersion(inForceOn: policy.effective) {
                let storedText = try policyText(version: record.number)
                let replaced = StoredPolicy(record: record, text: storedText, policy: try compiledStoredPolicy(record, text: storedText))
                preview.replaced = replaced
                if !isStored { preview.comparison = PolicyComparison(from: replaced.policy, to: policy) }
            }
            // The text of a stored version changes nothing on the dates it is in force.
            if !isStored {
                preview.impact = try impactOfActivating(policy)
                preview.settledOverlap = try settledOverlap(of: policy, replacedVersion: preview.replaced?.record.version)
            }
            return preview
        }
    }
}
