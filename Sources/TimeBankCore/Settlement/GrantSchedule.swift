/// Which periodic grants (基础分, `[grants.ID]`) are due on a day, to whom, with which ledger key: pure.
///
/// A grant is due once per period per account: on the first settlement in its period every
/// volunteer who has joined by then (or every household with such a member, for `to = "household"`)
/// receives it; someone who joins later in the period receives it at the next settlement. The key
/// `grant:ID:PERIOD:ACCOUNT` (`grant:base_score:2026:household:H0001`) makes it post once.
public enum GrantSchedule {
    /// One grant to one account.
    public struct Due: Sendable, Hashable {
        public var grant: PolicyGrant
        public var period: ScoringWindow
        public var account: AccountID
        public var key: String
        public var amount: Int64
        public var lotExpiresOn: LocalDate?
    }

    /// The grants of `policy` due on `date` to the volunteers (id, joined, household) of the community.
    /// Households without a member who has joined by `date` receive nothing.
    /// - Complexity: O(grants × volunteers).
    public static func due(on date: LocalDate, policy: Policy,
                           volunteers: [(id: String, joined: LocalDate, household: String?)]) -> [Due] {
        var result: [Due] = []
        let members = volunteers.filter { $0.joined <= date }
        for grant in policy.grants {
            let period = ScoringWindow(grant.every, containing: date)
            // The checker keeps grant points to whole hundredths and above zero.
            guard let amount = try? grant.points.hundredths(), amount > 0 else { continue }
            var accounts: [AccountID]
            switch grant.to {
            case .volunteer: accounts = members.map { .volunteer($0.id) }
            case .household: accounts = Array(Set(members.compactMap(\.household))).map { .household($0) }
            }
            accounts.sort()
            for account in accounts {
                result.append(Due(grant: grant, period: period, account: account,
                                  key: EngineKey.grant.key("\(grant.id):\(period.label):\(account)"), amount: amount,
                                  lotExpiresOn: policy.expiry.expiryDate(earnedOn: date)))
            }
        }
        return result
    }

    /// The grants a settlement of `last` posts when the previous settled night was the day before `first`: each grant
    /// on the first day from `first` through `last` on which it is due, by the version in force on that day, with that
    /// day. So nights skipped change nothing: a period's grant is dated as a nightly run would have posted it (the
    /// period's first day, or the day a member joined), and the grants of every period since are posted, not only of
    /// the last one. A day is looked at when it is `first`, a version takes effect, a grant's period starts or a
    /// volunteer joined on it; nothing else can make a grant due.
    /// - Complexity: O(days + looked-at days × grants × volunteers).
    public static func due(from first: LocalDate, through last: LocalDate, timeline: PolicyTimeline,
                           volunteers: [(id: String, joined: LocalDate, household: String?)]) -> [(day: LocalDate, due: Due)] {
        guard first <= last else { return [] }
        let joinedOn = Set(volunteers.map(\.joined))
        var result: [(day: LocalDate, due: Due)] = []
        var keys = Set<String>()
        var previousIndex: Int?
        // Counted by day numbers: 9999-12-31 has no day after it (`adding` stays on it), so a loop on dates would not end there.
        for number in first.daysSinceEpoch...last.daysSinceEpoch {
            let day = LocalDate(daysSinceEpoch: number)
            let index = timeline.index(inForceOn: day)
            defer { previousIndex = index }
            guard let index else { continue }
            let policy = timeline.versions[index].policy
            guard !policy.grants.isEmpty else { continue }
            let periodStarts = policy.grants.contains { ScoringWindow($0.every, containing: day).start == day }
            guard day == first || index != previousIndex || periodStarts || joinedOn.contains(day) else { continue }
            for due in due(on: day, policy: policy, volunteers: volunteers) where keys.insert(due.key).inserted {
                result.append((day, due))
            }
        }
        return result
    }

    /// The ledger entry of one due grant (issuance → account, kind `grant`, a lot that expires by the policy).
    public static func request(_ due: Due, on date: LocalDate, actor: String) -> EntryRequest {
        let label = due.grant.label.isEmpty ? due.grant.id : due.grant.label
        return .move(key: due.key, kind: .grant, date: date, actor: actor, memo: "\(label) \(due.period.label)",
                     from: .issuance, to: due.account, amount: due.amount, lotExpiresOn: due.lotExpiresOn)
    }
}
