import TimeBankCore
import TimeBankStorage

/// Turns what a user types into an account: `volunteer:V0001`, or a bare id (`V0001`, `H0001`, `S01`)
/// looked up among volunteers, households and stations, in that order.
enum AccountReference {
    static func resolve(_ text: String, in store: TimeBankStore) throws -> Account {
        if text.contains(":") {
            guard let id = AccountID(text) else {
                throw UsageError("\"\(text)\" is not an account id; write kind:id, e.g. volunteer:V0001 (kinds: volunteer, household, station, fund, system)")
            }
            guard let account = try store.account(id) else {
                let near = Suggestions.nearest(to: id.owner, in: try store.ids(of: id.kind)).map { "\(id.kind.rawValue):\($0)" }
                switch id.kind {
                case .volunteer, .household, .station:
                    throw CommunityError.unknown(kind: id.kind.rawValue, id: id.description, suggestion: near)
                default:
                    throw LedgerError.unknownAccount(id)
                }
            }
            return account
        }
        for kind in [AccountKind.volunteer, .household, .station] {
            if let account = try store.account(AccountID(kind, text)) { return account }
        }
        let all = try store.ids(of: .volunteer) + store.ids(of: .household) + store.ids(of: .station)
        throw CommunityError.unknown(kind: "volunteer, household or station", id: text, suggestion: Suggestions.nearest(to: text, in: all))
    }
}
