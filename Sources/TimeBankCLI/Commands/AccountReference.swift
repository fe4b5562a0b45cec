import TimeBankCore
import TimeBankStorage

/// Turns what a user types into an account: `volunteer:V0001`, or a bare id (`V0001`, `H0001`, `S01`)
/// looked up among volunteers, households and stations, in that order.
enum AccountReference {
    static func resolve(_ text: String, in store: TimeBankStore) throws -> Account {
        if text.contains(":") {
            guard let id = AccountID(text) else {
                if let help = try help(for: text, in: store) {
                    throw CommunityError.unknownWithHelp(kind: "account", id: text, help: help)
                }
                // A mistyped kind (`systen:issuance`, `Volunteer:V0001`): the account with the kind it most likely means.
                let (kind, owner) = (String(text.prefix(while: { $0 != ":" })), text.drop(while: { $0 != ":" }).dropFirst())
                let near = Spelling.nearest(to: kind, among: AccountKind.allCases.map(\.rawValue)).map { "; did you mean \"\($0):\(owner)\"?" } ?? ""
                throw UsageError("\"\(text)\" is not an account id\(near); write kind:id, e.g. volunteer:V0001 (kinds: volunteer, household, station, fund, system)")
            }
            guard let account = try store.account(id) else {
                if let help = try help(for: text, in: store) {
                    throw CommunityError.unknownWithHelp(kind: id.kind.rawValue, id: id.description, help: help)
                }
                let near = Spelling.nearest(to: id.owner, among: try store.ids(of: id.kind)).map { "\(id.kind.rawValue):\($0)" }
                switch id.kind {
                case .volunteer, .household, .station:
                    throw CommunityError.unknown(kind: id.kind.rawValue, id: id.description, suggestion: near)
                default:
                    throw LedgerError.unknownAccount(id)
                }
            }
            return account
        }
        if let account = try bare(text, in: store) { return account }
        let kinds = "volunteer, household or station"
        if let help = try help(for: text, in: store) { throw CommunityError.unknownWithHelp(kind: kinds, id: text, help: help) }
        let all = try store.ids(of: .volunteer) + store.ids(of: .household) + store.ids(of: .station)
        throw CommunityError.unknown(kind: kinds, id: text, suggestion: Spelling.nearest(to: text, among: all))
    }

    /// C003 when no `kind` (a volunteer or household) has the id `text`: a filter naming none would list nothing, as if
    /// it had nothing. The help gives the id for a name or a full-width id (`help(for:in:)`), else the near id.
    static func requireMember(_ text: String, kind: AccountKind, in store: TimeBankStore) throws {
        guard try store.account(AccountID(kind, text)) == nil else { return }
        throw try unknownMember(text, kind: kind, in: store)
    }

    /// C003 for `text`, which names no `kind` (a volunteer, household or station): with the id to write when it is the
    /// name of one of that kind or its id in full-width characters (`volunteer show 王秀英`: a clerk types the name she
    /// knows), else the nearest id.
    static func unknownMember(_ text: String, kind: AccountKind, in store: TimeBankStore) throws -> CommunityError {
        if let help = try help(for: text, in: store, kind: kind) { return .unknownWithHelp(kind: kind.rawValue, id: text, help: help) }
        return .unknown(kind: kind.rawValue, id: text, suggestion: Spelling.nearest(to: text, among: try store.ids(of: kind)))
    }

    /// An update's C003 (the volunteer, or the household it moves to, is not stored) with the help `unknownMember` gives.
    static func withNameHelp<T>(in store: TimeBankStore, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CommunityError {
            guard case .unknown(let kind, let id, _) = error, let member = AccountKind(rawValue: kind),
                  [.volunteer, .household, .station].contains(member) else { throw error }
            throw try unknownMember(id, kind: member, in: store)
        }
    }

    /// "\"王秀英\" was the name of volunteer:V1 until 2026-11-05 (now 王晓英); write its id: V1" for a name corrected since,
    /// of a volunteer, household or station (of `kind` only, when given); the latest owner's when several had it.
    private static func formerNameHelp(_ typed: String, kind: AccountKind?, accounts: [Account], in store: TimeBankStore) throws -> String? {
        let members: Set<AccountKind> = kind.map { [$0] } ?? [.volunteer, .household, .station]
        var owners: [(account: Account, until: Timestamp)] = []
        for change in try store.nameChanges().reversed() where PersonName.same(change.oldValue, typed) {
            guard let accountKind = AccountKind(rawValue: change.subject.rawValue), members.contains(accountKind),
                  let account = accounts.first(where: { $0.id == AccountID(accountKind, change.id) }),
                  !owners.contains(where: { $0.account.id == account.id }) else { continue }
            owners.append((account, change.at))
        }
        guard let latest = owners.first else { return nil }
        // The day of the correction in the community's zone then (as `show` lists the change).
        let day = store.communityDay(of: latest.until, zone: (try? store.communityTimeZone(at: latest.until)) ?? nil)
        var help = "\"\(typed)\" was the name of \(latest.account.id) until \(day) (now \(latest.account.name)); write its id: \(latest.account.id.owner)"
        if owners.count > 1 {
            help += "; it was also the name of " + owners.dropFirst().prefix(CommunityRules.namesakesShownMaximum)
                .map { "\($0.account.id) (now \($0.account.name))" }.joined(separator: ", ")
        }
        return help
    }

    /// The volunteer, household or station with the bare id `text`, in that order.
    private static func bare(_ text: String, in store: TimeBankStore) throws -> Account? {
        for kind in [AccountKind.volunteer, .household, .station] {
            if let account = try store.account(AccountID(kind, text)) { return account }
        }
        return nil
    }

    /// What to write instead of an account typed the way a person says it, not as its id: in full-width characters or
    /// with spaces (`V０００４`, `volunteer：V0004`, as a Chinese input method types them), by the name of a volunteer,
    /// household or station (`吴美玲`: a resident at the auditor's desk gives a name), or as the owner of an account that
    /// is not a community member's (`fund` for `fund:main`), or by a name one slip away from a member's (`王秀音` for
    /// 王秀英, three characters or more). Nil when none of these fits: the caller suggests a near id.
    /// With `kind`, only that kind's members are looked at (`household show` is told a household's id, never a volunteer's).
    static func help(for text: String, in store: TimeBankStore, kind: AccountKind? = nil) throws -> String? {
        let reading = StationReference.readingForm(text)
        if reading != text, !reading.isEmpty {
            let found = if let kind {
                reading.contains(":") ? nil : try store.account(AccountID(kind, reading))
            } else {
                reading.contains(":") ? try AccountID(reading).flatMap { try store.account($0) } : try bare(reading, in: store)
            }
            if found != nil {
                return "did you mean \"\(reading)\"? It was typed in full-width characters or with spaces"
            }
        }
        let accounts = try store.accounts().filter { kind == nil || $0.id.kind == kind }
        let typed = LedgerRules.trimmingSpaces(text)
        // Names compared as everywhere a person is looked up by name (`PersonName`: spaces, a middle dot however typed).
        let named = accounts.filter { PersonName.same($0.name, typed) || PersonName.comparisonKey($0.name) == PersonName.comparisonKey(reading) }
        if named.count == 1, let account = named.first {
            let id = [.volunteer, .household, .station].contains(account.id.kind) ? account.id.owner : account.id.description
            return "\"\(typed)\" is the name of \(account.id); write its id: \(id)"
        }
        if named.count > 1 {
            let shown = try named.prefix(CommunityRules.namesakesShownMaximum).map { account in
                let household = account.id.kind == .volunteer ? try store.volunteer(account.id.owner)?.household : nil
                return account.id.description + (household.map { " (household \($0))" } ?? "")
            }
            return "\(named.count) accounts are named \"\(typed)\": \(shown.joined(separator: ", "))"
                + (named.count > shown.count ? ", …" : "") + "; write the id of the one you mean"
        }
        // A name before its correction (a paper form, a resident who gives the old spelling): whose it was, when it changed
        // and the name now, with the id to write; never taken for the id.
        if let help = try formerNameHelp(typed, kind: kind, accounts: accounts, in: store) { return help }
        // Part of a name (`秀英`, the given name a resident gives for 王秀英): whose names hold it, said with their names, for
        // the person at the desk to check; never taken for the id.
        if PersonName.isHintablePart(typed) {
            let holding = accounts.filter { [.volunteer, .household, .station].contains($0.id.kind) && PersonName.holds($0.name, part: typed) }
            if holding.count == 1, let account = holding.first {
                return "\"\(typed)\" is part of the name of \(account.id) (\(account.name)); if that is the person, write its id: \(account.id.owner)"
            }
            if holding.count > 1 {
                let shown = holding.prefix(CommunityRules.namesakesShownMaximum).map { "\($0.id) (\($0.name))" }
                let kinds = Set(holding.map(\.id.kind))
                let list = kinds.count == 1 && [.volunteer, .household].contains(holding[0].id.kind)
                    ? " (timebank \(holding[0].id.kind.rawValue) list --name \(ShellWord.quoted(typed)) lists them)" : ""
                return "\"\(typed)\" is part of \(holding.count) names: \(shown.joined(separator: ", "))"
                    + (holding.count > shown.count ? ", …" : "") + "; write the id of the one you mean" + list
            }
        }
        // A name one slip away (`王秀音` for 王秀英): said with the id to write, never taken for it (two residents' names
        // are often a character apart, so the person at the desk checks). Names of two characters are too short to guess.
        if typed.unicodeScalars.contains(where: { !$0.isASCII }), typed.count >= 3 {
            let members = accounts.filter { [.volunteer, .household, .station].contains($0.id.kind) }
            if let near = Spelling.nearest(to: typed, among: Set(members.map(\.name))) {
                let owners = members.filter { $0.name == near }
                let shown = owners.prefix(CommunityRules.namesakesShownMaximum).map(\.id.description).joined(separator: ", ")
                return "did you mean \(near) (\(shown)\(owners.count > CommunityRules.namesakesShownMaximum ? ", …" : ""))? "
                    + "Check with the person, then write the id"
            }
        }
        guard kind == nil else { return nil }
        let lowered = reading.lowercased()
        let others = accounts.filter { ![.volunteer, .household, .station].contains($0.id.kind) }
            .filter { $0.id.owner.lowercased() == lowered || $0.id.kind.rawValue == lowered }
        if !others.isEmpty {
            return (others.count == 1 ? "did you mean \"\(others[0].id)\"?" : "did you mean one of "
                + others.map { "\"\($0.id)\"" }.joined(separator: ", ") + "?")
                + " Accounts other than volunteers, households and stations are written kind:id"
        }
        return nil
    }
}
