import TimeBankCore
import TimeBankStorage

struct BalanceCommand: Command {
    static let name = "balance"
    static let readsOnly = true
    static let abstract = "Show balances: of the accounts named, or of every account"
    static let help = """
    Usage: timebank balance [ACCOUNT...]

    ACCOUNT is a volunteer, household or station id (V0001, H0001, S01) or a full account id
    (volunteer:V0001, system:issuance, fund:main). Without one, every account that holds anything, and
    under the table the sum of every account per asset (0.00: every entry balances; anything else means the
    cached balances are broken) and the points volunteers and households hold (not the points held for bookings,
    which `fund report` also counts as outstanding).
    With several, an unknown one (or one not opened yet, such as system:pool) is named in an error
    line of its own while the others are shown; the exit code is then that error's. For a named
    account whose lots expired but are not yet taken by the nightly expiry, a note under the table
    says how many of its points those are and when they expired: the balance still counts them, but
    they cannot be spent (in --json: "expired_not_taken"). The points are named as the policy in force
    names them (积分, 信义币; POINTS before any policy); --json keeps POINTS.

    Examples:
      timebank balance V0001
      timebank balance --json
    """

    let references: [String]

    init(_ arguments: Arguments) throws { references = arguments.positionals }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        var rows: [(Account, [Asset: Int64])] = []
        if references.isEmpty {
            var byAccount: [AccountID: [Asset: Int64]] = [:]
            for row in try store.balances() { byAccount[row.account, default: [:]][row.asset] = row.balance }
            for id in byAccount.keys.sorted() {
                rows.append((try store.account(id) ?? Account(id: id, name: "", floor: nil), byAccount[id]!))
            }
        } else if references.count == 1 {
            let account = try AccountReference.resolve(references[0], in: store)
            rows.append((account, [.points: try store.balance(account.id, .points), .cny: try store.balance(account.id, .cny)]))
        } else {
            return try several(store, context)
        }
        // Named accounts: the points the balance still shows that expired and wait for the nightly expiry.
        let waiting = references.isEmpty ? [:] : try Self.expiredNotYetTaken(rows.map(\.0.id), store, context)
        if context.json {
            context.output.line(JSON.array(rows.map { Self.json($0.0, $0.1, waiting[$0.0.id]) }).rendered())
        } else {
            // Read by a resident at the counter: the points named as the policy in force names them; --json keeps POINTS.
            let unit = store.pointsUnit(on: context.today)
            context.output.write(Self.table(rows, unit: unit).rendered())
            Self.writeNotes(rows.map(\.0.id), waiting, unit: unit, context)
            if references.isEmpty { Self.writeTrialBalance(rows, unit: unit, context) }
        }
        return ExitCode.done
    }

    /// For each account with lots, the points it still holds in lots that had expired by today, which the nightly expiry
    /// has not taken yet: `balance` counts them, nothing can spend them (a redemption would be R001).
    private static func expiredNotYetTaken(_ accounts: [AccountID], _ store: TimeBankStore,
                                           _ context: CommandContext) throws -> [AccountID: ExpiredNotYetTaken] {
        var found: [AccountID: ExpiredNotYetTaken] = [:]
        for account in accounts where account.isLotTracked(.points) {
            found[account] = try store.expiredNotYetTaken(account, on: context.today)
        }
        return found
    }

    /// Under the table of every account, what an auditor checks first: the sum of every account per asset (0, since
    /// every entry balances; anything else says the cached balances are broken and `verify` names where) and the points
    /// volunteers and households hold (without the points held for bookings, which `fund report`
    /// also counts as outstanding).
    private static func writeTrialBalance(_ rows: [(Account, [Asset: Int64])], unit: String, _ context: CommandContext) {
        func sum(_ asset: Asset, where include: (AccountID) -> Bool = { _ in true }) -> Int64 {
            rows.filter { include($0.0.id) }.reduce(0) { $0 + ($1.1[asset] ?? 0) }
        }
        let points = sum(.points), cny = sum(.cny)
        let members = sum(.points) { [.volunteer, .household].contains($0.kind) }
        context.output.line("Sum of every account: \(Hundredths.format(points)) \(unit), \(Hundredths.format(cny)) CNY"
            + (points == 0 && cny == 0 ? " (every entry balances)" : ": not zero, so the cached balances are broken; run `timebank verify`"))
        context.output.line("Held by volunteers and households: \(Hundredths.format(members)) \(unit)")
    }

    /// `note: volunteer:V0001: 20.00 积分 of its balance expired on 2026-11-05: …`, under the table.
    private static func writeNotes(_ accounts: [AccountID], _ waiting: [AccountID: ExpiredNotYetTaken], unit: String,
                                   _ context: CommandContext) {
        for account in accounts {
            guard let expired = waiting[account] else { continue }
            context.output.line("note: \(account): " + expired.sentence(unit: unit))
        }
    }

    /// Several accounts named: the known ones are shown, each unknown one is named in an error line of its own (and
    /// in its place in `--json`, as `{"account", "error": {"code", "message"}}`); the exit code is the first error's.
    private func several(_ store: TimeBankStore, _ context: CommandContext) throws -> Int32 {
        var found: [(Account, [Asset: Int64])] = []
        var items: [JSON] = []
        var errors: [(reference: String, error: any TimeBankError)] = []
        var waiting: [AccountID: ExpiredNotYetTaken] = [:]
        for reference in references {
            do {
                let account = try AccountReference.resolve(reference, in: store)
                let amounts = [Asset.points: try store.balance(account.id, .points), .cny: try store.balance(account.id, .cny)]
                found.append((account, amounts))
                waiting.merge(try Self.expiredNotYetTaken([account.id], store, context)) { $1 }
                items.append(Self.json(account, amounts, waiting[account.id]))
            } catch let error as any TimeBankError {
                errors.append((reference, error))
                items.append(.object([("account", .string(reference)),
                                      ("error", .object([("code", .string(error.code)), ("message", .string(error.message))]))]))
            }
        }
        if context.json {
            context.output.line(JSON.array(items).rendered())
        } else if !found.isEmpty {
            let unit = store.pointsUnit(on: context.today)
            context.output.write(Self.table(found, unit: unit).rendered())
            Self.writeNotes(found.map(\.0.id), waiting, unit: unit, context)
        }
        for (_, error) in errors { context.errors.line("error[\(error.code)]: \(TimeBankCLI.shortened(error.message))") }
        if let first = errors.first {
            if !context.json, !found.isEmpty {
                context.errors.line("\(errors.count) of \(references.count) accounts not shown: "
                                    + errors.map(\.reference).joined(separator: ", "))
            }
            return ExitCode.of(first.error.category)
        }
        return ExitCode.done
    }

    /// An account's balances; `"expired_not_taken": {"points", "from", "through"}` when some of its points are in lots
    /// expired by today that the nightly expiry has not taken yet.
    private static func json(_ account: Account, _ amounts: [Asset: Int64], _ expired: ExpiredNotYetTaken? = nil) -> JSON {
        .object([("account", .string(account.id.description)), ("name", .string(account.name)),
                 ("POINTS", .amount(amounts[.points] ?? 0)), ("CNY", .amount(amounts[.cny] ?? 0))]
                + (expired.map {
                    [("expired_not_taken", .object([("points", .amount($0.points)), ("from", .string($0.expiredFrom.description)),
                                                    ("through", .string($0.expiredThrough.description))]))]
                } ?? []))
    }

    /// The balances, the points in a column named `unit` (the policy's 积分, 信义币; POINTS before any policy).
    private static func table(_ rows: [(Account, [Asset: Int64])], unit: String) -> TextTable {
        var table = TextTable([("Account", .left), ("Name", .left), (unit, .right), ("CNY", .right)])
        for (account, amounts) in rows {
            table.add([account.id.description, account.name, Hundredths.format(amounts[.points] ?? 0), Hundredths.format(amounts[.cny] ?? 0)])
        }
        return table
    }
}

struct StatementCommand: Command {
    static let name = "statement"
    static let readsOnly = true
    static let abstract = "Print an account's passbook (存折): date, kind, memo, in, out, balance"
    static let help = """
    Usage: timebank statement ACCOUNT [--asset POINTS|CNY] [--from DATE] [--to DATE]

    Like a paper passbook (诚信折): one line per entry with the running balance, in date order
    (the entries of one day in the order they were written), so that the balance on a line is the
    balance at the end of that day's entries so far, even when an award or a receipt was written
    days after its date. The asset is CNY for the fund (fund:main) and POINTS for every other
    account unless --asset says otherwise; a note under it says when the account has entries of the
    other asset too (a household paid a dividend in CNY). Points are named as the policy in force
    names them (积分, 信义币; POINTS before any policy); --asset and --json keep POINTS. A memo is
    never cut: one wider than 40 columns goes on in the lines under it, so that a record's id (what
    `timebank explain` takes) stays whole. A reversal (a correction, a refund, a cancelled booking)
    says which entry it reverses and what that entry was, then its reason (in --json: "reverses").
    A gift of points (a transfer, a donation, or the reversal of one) names its other side, read from
    the entry: "from 张红梅 (V0001)" on the page of the account that received, "to 吴东升 (V0145)"
    (or the community pool) on the giver's (in --json: "counterparties", each with account and name).
    Between households (earn_to = "household") it names the member too: "from 王秀英 (V0001) of 王家
    (H0001)" (in --json: "member" and "member_name").

    --from and --to (inclusive) print the entries dated in a range, like a new page of the
    passbook: a first line carries the balance brought forward from the day before --from, and the
    last line gives the balance at the end of --to. Either may be left out (from the first entry,
    up to the last). No entry is dated after today: a --to still to come gives today's balance,
    and a --from after today an empty page that says so.

    Examples:
      timebank statement V0001
      timebank statement V0001 --from 2026-10-01 --to 2026-10-31
    """
    static let valueOptions = ["--asset", "--from", "--to"]
    let reference: String
    /// Nil: the account's own asset (CNY for the fund, POINTS otherwise).
    let givenAsset: Asset?
    /// An --asset that is neither code nor a word known for one: checked against the policy's unit in `run`.
    let unknownAsset: String?
    let from: LocalDate?
    let to: LocalDate?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "an account (e.g. V0001)", datesAreOptions: true)
        reference = arguments.positionals[0]
        var givenAsset: Asset?, unknownAsset: String?
        if let text = try arguments.value("--asset") {
            if let asset = Asset(rawValue: text.halfWidth.uppercased()) {
                givenAsset = asset
            } else {
                // The words a Chinese passbook uses for the two: 积分 and 元 (人民币, RMB).
                let meant: Asset? = ["积分", "分", "POINT", "点"].contains(text.uppercased()) ? .points
                    : ["元", "人民币", "RMB", "¥", "￥", "YUAN"].contains(text.uppercased()) ? .cny : nil
                if let meant { throw Self.assetError(text, meant: meant) }
                // Perhaps what the policy calls its points (信义币), as the passbook's first line says: `run` knows it.
                unknownAsset = text
            }
        }
        self.givenAsset = givenAsset
        self.unknownAsset = unknownAsset
        (from, to) = try arguments.dateRange()
    }

    /// `--asset 积分` (or the policy's own name for its points) gets the code to write.
    static func assetError(_ text: String, meant: Asset?) -> UsageError {
        UsageError("--asset must be POINTS or CNY, not \"\(text)\"" + (meant.map { "; for \(text) write --asset \($0.rawValue)" } ?? ""))
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        if let unknownAsset {
            throw Self.assetError(unknownAsset, meant: unknownAsset == store.pointsUnit(on: context.today) ? .points : nil)
        }
        let account = try AccountReference.resolve(reference, in: store)
        let asset = givenAsset ?? (account.id.kind == .fund ? .cny : .points)
        let all = try store.statement(of: account.id, asset: asset)
        // The page asked for: the lines dated in the range, and the balance brought forward from the line before it.
        let lines = all.filter { line in from.map { line.date >= $0 } ?? true && to.map { line.date <= $0 } ?? true }
        let broughtForward = from.flatMap { first in all.last(where: { $0.date < first })?.balance } ?? 0
        // At the end of a --to before the account's first entry the balance was 0, not what it holds today.
        let closing = to.map { last in all.last(where: { $0.date <= last })?.balance ?? 0 } ?? all.last?.balance ?? 0
        let ranged = from != nil || to != nil
        if context.json {
            var fields: [(String, JSON)] = [("account", .string(account.id.description)), ("name", .string(account.name)),
                                            ("asset", .string(asset.rawValue))]
            if ranged {
                fields += [("from", from.map { .string($0.description) } ?? .null), ("to", to.map { .string($0.description) } ?? .null),
                           ("brought_forward", .amount(broughtForward))]
            }
            fields.append(("lines", .array(lines.map(Self.json))))
            fields.append(("balance", .amount(closing)))
            context.output.line(JSON.object(fields).rendered())
            return ExitCode.done
        }
        let range = ranged ? ", " + (from.map { "from \($0)" } ?? "from the first entry") + " " + (to.map { "to \($0)" } ?? "on") : ""
        // A passbook a resident reads names the points as the policy does (积分, 信义币); --asset and --json keep POINTS.
        let pointsUnit = store.pointsUnit(on: context.today)
        func unit(_ asset: Asset) -> String { asset == .points ? pointsUnit : asset.rawValue }
        context.output.line("\(account.name.isEmpty ? account.id.description : account.name)  (\(account.id))  \(unit(asset))\(range)")
        var table = TextTable([("Date", .left), ("Entry", .right), ("Kind", .left), ("Memo", .left), ("In", .right), ("Out", .right), ("Balance", .right)])
        // No entry is dated after today (`post --date` refuses it): a page that begins after today is empty, and a balance
        // brought forward to a day still to come (or at the end of one) would be a guess: points may expire before it.
        let today = context.today
        let pageAfterToday = from.map { $0 > today } ?? false
        if let from, !pageAfterToday {
            table.add([from.adding(days: -1).description, "", "", "brought forward 承前页", "", "", Hundredths.format(broughtForward)])
        }
        for line in lines {
            // A memo is never cut: a record's SOURCE:ID is what `explain` takes. One wider than 40 columns goes on under
            // itself, broken at spaces, so that an id stays whole on one line.
            let memo = Self.memoLines(of: line)
            table.add([line.date.description, "#\(line.sequence)", line.kind.rawValue, memo[0],
                       line.amount > 0 ? Hundredths.format(line.amount) : "", line.amount < 0 ? Hundredths.format(-line.amount) : "",
                       Hundredths.format(line.balance)])
            for more in memo.dropFirst() { table.add(["", "", "", more, "", "", ""]) }
        }
        if lines.isEmpty && !ranged {
            // A passbook with no lines yet (a volunteer just added): say so rather than print an empty table.
            context.output.line("No \(unit(asset)) entries yet.")
        } else if lines.isEmpty && pageAfterToday, let from {
            context.output.line("No \(unit(asset)) entries dated from \(from) on: that day is after today (\(today)).")
        } else {
            context.output.write(table.rendered())
            if lines.isEmpty {
                context.output.line("No \(unit(asset)) entries dated " + (from.map { "from \($0) " } ?? "") + (to.map { "up to \($0)" } ?? "on") + ".")
            }
        }
        let closingLabel = pageAfterToday && to == nil ? "Balance today (\(today))"
            : to.map { $0 > today ? "Balance today (\(today); --to \($0) is still to come)" : "Balance at the end of \($0)" } ?? "Balance"
        context.output.line(closingLabel + ": \(Hundredths.format(closing)) \(unit(asset))")
        // The other asset, when the account has moved it (a household paid a dividend in CNY has a POINTS passbook too).
        if givenAsset == nil {
            let other: Asset = asset == .points ? .cny : .points
            let otherLines = try store.statement(of: account.id, asset: other)
            if !otherLines.isEmpty {
                context.output.line("note: \(account.id) also has \(otherLines.count) \(unit(other)) \(otherLines.count == 1 ? "entry" : "entries") "
                    + "(balance \(Hundredths.format(otherLines.last?.balance ?? 0)) \(unit(other))): "
                    + "timebank statement \(reference) --asset \(other.rawValue)")
            }
        }
        return ExitCode.done
    }

    /// The memo column's width: a line's memo wider than this goes on in the lines under it.
    static let memoWidth = 40

    /// A passbook line in `--json`: a gift of points (a transfer, a donation, the reversal of one) names the other side,
    /// from its postings, and for a household the member who gave or received, when the gifts table knows them.
    static func json(_ line: TimeBankStore.StatementLine) -> JSON {
        .object([("entry", .integer(line.sequence)), ("date", .string(line.date.description)), ("kind", .string(line.kind.rawValue)),
                 ("memo", .string(line.memo)), ("amount", .amount(line.amount)), ("balance", .amount(line.balance))]
                + (line.reverses.map { [("reverses", JSON.integer($0))] } ?? [])
                + (line.counterparties.isEmpty ? [] : [("counterparties", JSON.array(line.counterparties.map { account in
                    .object([("account", .string(account.id.description)), ("name", .string(account.name))]
                            + (account.id.kind == .household
                               ? line.counterpartyMember.map { [("member", JSON.string($0.id)), ("member_name", .string($0.name))] } ?? []
                               : []))
                }))]))
    }

    /// The memo a reader sees: a reversal (a correction, a refund, a cancelled booking) says which entry it undoes and
    /// what that entry was (an award's memo names its record: `explain` takes it), then its own reason.
    /// A gift names its other side after it: the stored memo is the giver's words (`赠送积分给 V0145`), the same on both pages.
    static func memo(of line: TimeBankStore.StatementLine) -> String {
        let memo = ownWords(of: line)
        guard let side = counterparty(of: line) else { return memo }
        return memo.isEmpty ? side : memo + " · " + side
    }

    /// The memo without a gift's other side: the entry's own memo, or what a reversal undoes and its reason.
    static func ownWords(of line: TimeBankStore.StatementLine) -> String {
        guard let reversed = line.reverses else { return line.memo }
        let what = "reverses #\(reversed)" + (line.reversedMemo.map { $0.isEmpty ? "" : " " + $0 } ?? "")
        // `reverses #N` is what the library writes when no reason was given: said once.
        return line.memo.isEmpty || line.memo == "reverses #\(reversed)" ? what : what + " — " + line.memo
    }

    /// `memo(of:)` in lines of at most `memoWidth` columns (a word wider is cut). A gift's other side (`from 张红梅
    /// (V0001)`) stays whole: after the memo when it fits on its last line, else on a line of its own.
    static func memoLines(of line: TimeBankStore.StatementLine) -> [String] {
        var lines = wrapped(ownWords(of: line), toWidth: memoWidth)
        guard let side = counterparty(of: line) else { return lines }
        if let last = lines.last, last.isEmpty || displayWidth(of: last + " · " + side) <= memoWidth {
            lines[lines.count - 1] = last.isEmpty ? side : last + " · " + side
        } else {
            lines += wrapped("· " + side, toWidth: memoWidth)
        }
        return lines
    }

    /// `from 张红梅 (V0001)` on the page of the account that received a gift of points, `to 吴东升 (V0145)` (or `to
    /// Community pool (爱心积分)`) on the giver's; nil on a line that is not a gift.
    static func counterparty(of line: TimeBankStore.StatementLine) -> String? {
        guard !line.counterparties.isEmpty else { return nil }
        let shown = 3
        // A household's member who gave or received, before the household: `from 王秀英 (V1) of 王家 (H1)`.
        let names = line.counterparties.prefix(shown).map { account in
            guard account.id.kind == .household, let member = line.counterpartyMember else { return accountName(account) }
            return (member.name.isEmpty ? member.id : "\(member.name) (\(member.id))") + " of " + accountName(account)
        }
            + (line.counterparties.count > shown ? ["and \(line.counterparties.count - shown) more"] : [])
        return (line.amount > 0 ? "from " : "to ") + names.joined(separator: ", ")
    }

    /// A volunteer or household as a resident reads it, `张红梅 (V0001)`; another account by its name, else its id.
    static func accountName(_ account: Account) -> String {
        switch account.id.kind {
        case .volunteer, .household: account.name.isEmpty ? account.id.owner : "\(account.name) (\(account.id.owner))"
        default: account.name.isEmpty ? account.id.description : account.name
        }
    }
}

struct LotsCommand: Command {
    static let name = "lots"
    static let readsOnly = true
    static let abstract = "Show the lots of a volunteer or household: what was credited, what remains, when it expires"
    static let help = """
    Usage: timebank lots ACCOUNT [--all]

    Lists open lots in the order they are spent (earliest expiry first); --all includes empty ones.
    A lot that has expired but still holds points says so: the balance counts them until the next
    nightly settlement's expiry takes them, and nothing can spend them. With --all an Expired column gives
    what the nightly expiry took from each lot (the rest of what is gone was spent). Only volunteers and households
    keep lots: for a station or the fund it says so and gives the balance.

    Example:
      timebank lots V0001
    """
    static let flagOptions = ["--all"]
    let reference: String
    let all: Bool

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "a volunteer or household")
        reference = arguments.positionals[0]
        all = arguments.flag("--all")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let account = try AccountReference.resolve(reference, in: store)
        let lots = try store.lots(of: account.id, openOnly: !all).sorted(by: LedgerRules.spendingOrder)
        // With --all, what expired from each lot: a resident asking where a lot's points went sees spent from expired.
        let expired = all ? try store.expiredPointsByLot(of: account.id) : nil
        if context.json {
            context.output.line(JSON.array(lots.map { lot in expired.map { lotJSON(lot, expired: $0[lot.id] ?? 0) } ?? lotJSON(lot) }).rendered())
        } else if lots.isEmpty, ![.volunteer, .household].contains(account.id.kind) {
            // Only volunteers' and households' points are kept in lots; "no open lots" would read as an empty account.
            let balances = try [Asset.points, .cny].map {
                "\(Hundredths.format(try store.balance(account.id, $0))) \($0 == .points ? store.pointsUnit(on: context.today) : $0.rawValue)"
            }
            context.output.line("\(account.id) keeps no lots: only volunteers' and households' points are kept in lots, to be spent "
                + "earliest expiry first. Its balance is \(balances.joined(separator: " and ")); `timebank statement \(account.id)` "
                + "lists its entries")
        } else if lots.isEmpty {
            context.output.line(all ? "\(account.id) has no lots" : "\(account.id) holds no open lots (--all lists the spent and expired ones too)")
        } else {
            context.output.write(lotTable(lots, today: context.today, expired: expired).rendered())
        }
        return ExitCode.done
    }
}

struct PostCommand: Command {
    static let name = "post"
    static let abstract = "Post a manual entry from one account to another (an admin correction, award or grant)"
    static let help = """
    Usage: timebank post --from ACCOUNT --to ACCOUNT (--points N | --cny N) --key KEY
                         [--kind adjustment] [--memo TEXT] [--date YYYY-MM-DD] [--expires YYYY-MM-DD]

    Moves N (at most 2 decimals) from one account to another as one balanced entry. The KEY is yours:
    sending the same command again changes nothing (safe to retry); the same KEY with other content is refused.
    A KEY that reads as an entry number (17, #17, １７, number:17) is refused (L022): `reverse 17` would then
    name two entries. Put a word in front: fix-17. A KEY may not start with a prefix the engine writes
    its own entries under (redeem:, hold:, fulfil:, release:, refund:, transfer:, donate:, stock:, fund:,
    record:, grant:, expiry:): L021, as the engine's entry under it could then never be written.
    Kinds: adjustment (default), award, grant, penalty, redemption, refund, transfer, expiry, fund, donation,
    dividend (reversals have their own command). An award or grant gives points to a volunteer or household
    and a penalty takes them: the other way round is refused (L025: --from and --to swapped). Points a
    volunteer or household gives away are not posted by hand: `timebank transfer` and `timebank donate`
    keep the gift within the monthly limit.
    Neither are the points of system:held (only bookings move them) or of a station (only its receipts
    and refunds): a hand entry would make the stations' books disagree and stop the nightly settlement.
    --expires sets the expiry of the lot that points credited to a volunteer or household open: a day
    after --date (a lot is usable until the day before it expires; on or before --date it is L019).
    Without it the lot never expires; an award or grant posted so notes the date the policy would give.
    The actor is $TIMEBANK_ACTOR (else $USER, else $LOGNAME).

    Examples:
      timebank post --from system:issuance --to V0001 --points 20 --kind award --key award-2026-10-01-V0001 --memo "巡逻 2小时"
      timebank post --from V0001 --to system:adjustments --points 5 --key fix-17 --memo "duplicate award"
    """
    static let valueOptions = ["--from", "--to", "--points", "--cny", "--key", "--kind", "--memo", "--date", "--expires"]
    static let allowedKinds: [EntryKind] = EntryKind.allCases.filter { $0 != .reversal }
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        _ = try arguments.required("--from")
        _ = try arguments.required("--to")
        _ = try arguments.requiredKey()
        let points = try arguments.amount("--points"), cny = try arguments.amount("--cny")
        guard (points == nil) != (cny == nil) else { throw UsageError("give exactly one of --points and --cny") }
        guard (points ?? cny ?? 0) > 0 else { throw UsageError("the amount must be more than 0; swap --from and --to to move the other way") }
        _ = try arguments.date("--date")
        _ = try arguments.date("--expires")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let kindText = try arguments.value("--kind") ?? "adjustment"
        guard let kind = EntryKind(rawValue: kindText), Self.allowedKinds.contains(kind) else {
            throw UsageError("--kind \"\(kindText)\" is not one of \(Self.allowedKinds.map(\.rawValue).joined(separator: ", ")); reversals have their own command")
        }
        // system:held carries exactly the points of the open bookings (the stations' check, V203): only booking,
        // cancelling and fulfilling move points in or out of it.
        let named = try [arguments.required("--from"), arguments.required("--to")].compactMap(AccountID.init)
        if let held = named.first(where: { $0 == TimeBankStore.heldAccount.id }) {
            throw UsageError("\(held) holds exactly the points of open bookings, and only `timebank book`, `cancel` and `fulfil` "
                             + "move points in or out of it; an entry by hand would make it disagree with the bookings (V203) and stop the "
                             + "nightly settlement. Nothing was written")
        }
        let store = try context.openStore()
        let from = try AccountReference.resolve(try arguments.required("--from"), in: store)
        let to = try AccountReference.resolve(try arguments.required("--to"), in: store)
        let points = try arguments.amount("--points")
        let cny = try arguments.amount("--cny")
        // A station's points are what its receipts paid, less their refunds (the stations' check, V205).
        if points != nil, let station = [from.id, to.id].first(where: { $0.kind == .station }) {
            throw UsageError("\(station) holds exactly the points its receipts paid, less their refunds, and only `timebank redeem`, "
                             + "`fulfil` and `refund` move points in or out of it; an entry by hand would make it disagree with its receipts "
                             + "(V205) and stop the nightly settlement. To correct a receipt, refund it (`--late` for an admin after the "
                             + "return window). Nothing was written")
        }
        let date = try arguments.eventDate("--date", today: context.today)
        // Points a volunteer or household gives away go through `transfer`/`donate`, which record the gift and hold it
        // to the policy's monthly limit; a hand-made entry of that kind would give points past the limit unseen.
        if kind == .transfer || kind == .donation, points != nil, from.id.kind == .volunteer || from.id.kind == .household {
            throw UsageError("points given away by \(from.id) are a `timebank \(kind == .transfer ? "transfer" : "donate")`: it records the gift "
                             + "and holds it to [transfers] max_points_per_month; for a correction use --kind adjustment")
        }
        let request = EntryRequest.move(
            key: try arguments.requiredKey(), kind: kind, date: date,
            actor: context.actor, memo: try arguments.optionalText("--memo") ?? "", from: from.id, to: to.id,
            asset: points != nil ? .points : .cny, amount: points ?? cny ?? 0,
            lotExpiresOn: try arguments.date("--expires"))
        let outcome: PostOutcome
        do {
            outcome = try store.postByHand(request)
        } catch LedgerError.existsWithDifferentContent(let key, let sequence) {
            // A correction re-posted under the key of the entry it corrects: say that entry is reversed, so a new key is right.
            guard let reversal = try store.reversal(of: sequence) else { throw LedgerError.existsWithDifferentContent(key: key, sequence: sequence) }
            throw LedgerError.existsAndReversed(key: key, sequence: sequence, reversedBy: reversal)
        }
        printOutcome(outcome, store, context)
        if outcome.isNew, !context.json, let note = try Self.neverExpiresNote(outcome.entry, store) { context.output.line(note) }
        return ExitCode.done
    }

    /// For an award or grant by hand that opened a lot without an expiry (no --expires): that its points never expire, unlike
    /// those the policy in force on its date awards, with the date that policy gives. Nil when the policy's never expire either.
    static func neverExpiresNote(_ entry: Entry, _ store: TimeBankStore) throws -> String? {
        guard entry.kind == .award || entry.kind == .grant,
              entry.postings.contains(where: { $0.amount > 0 && $0.account.isLotTracked($0.asset) && $0.lotExpiresOn == nil }),
              try store.policyVersion(inForceOn: entry.effectiveDate) != nil else { return nil }
        let policy = try store.policy(inForceOn: entry.effectiveDate)
        guard let expires = policy.policy.expiry.expiryDate(earnedOn: entry.effectiveDate) else { return nil }
        return "note: these points never expire (no --expires); points earned on \(entry.effectiveDate) under policy #\(policy.record.number) "
            + "expire on \(expires): if these should too, reverse this entry and post it again with --expires \(expires)"
    }
}

func printOutcome(_ outcome: PostOutcome, _ store: TimeBankStore, _ context: CommandContext) {
    let entry = outcome.entry
    if context.json {
        guard case .object(var members) = entryJSON(entry) else { return }
        members.insert(("outcome", .string(outcome.isNew ? "created" : "exists")), at: 0)
        context.output.line(JSON.object(members).rendered())
        return
    }
    switch outcome {
    case .created: context.output.line("Posted entry #\(entry.sequence) (\(entry.kind.rawValue)) key \(entry.key)")
    case .exists: context.output.line("Already posted as entry #\(entry.sequence) (same key, same content): nothing changed")
    }
    // Read by the admin who typed it: whose account each posting moved (V0145 typed for V0154 shows here), and the points
    // named as the policy in force on the entry's date names them, as `balance` and `statement` do; --json keeps POINTS.
    let unit = store.pointsUnit(on: entry.effectiveDate)
    var table = TextTable([("", .left), ("", .left), ("", .right)])
    for posting in entry.postings {
        let name = ((try? store.account(posting.account)) ?? nil).map(StatementCommand.accountName) ?? ""
        table.add([posting.account.description, name, Hundredths.formatSigned(posting.amount) + " "
                   + (posting.asset == .points ? unit : posting.asset.rawValue)])
    }
    // The rows alone: the header and its rule are the first two lines.
    for line in table.rendered().split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).dropLast() {
        context.output.line("  " + line)
    }
}

func entryJSON(_ entry: Entry) -> JSON {
    .object([
        ("entry", .integer(entry.sequence)), ("key", .string(entry.key)), ("kind", .string(entry.kind.rawValue)),
        ("date", .string(entry.effectiveDate.description)), ("recorded_at", .string(entry.recordedAt.description)),
        ("actor", .string(entry.actor)), ("memo", .string(entry.memo)),
        ("reverses", entry.reverses.map { .integer($0) } ?? .null),
        ("postings", .array(entry.postings.map {
            .object([("account", .string($0.account.description)), ("asset", .string($0.asset.rawValue)),
                     ("amount", .amount($0.amount)), ("lot_expires_on", .optional($0.lotExpiresOn?.description))])
        })),
        ("lot_allocations", .array(entry.allocations.map {
            .object([("posting", .integer($0.postingIndex)), ("lot", .integer($0.lotID)), ("amount", .amount($0.amount))])
        })),
        ("hash", .string(SHA256.hex(entry.hash))),
    ])
}

struct ReverseCommand: Command {
    static let name = "reverse"
    static let abstract = "Correct a mistake: post the compensating entry of an earlier one (at most once)"
    static let help = """
    Usage: timebank reverse ENTRY --key KEY --reason TEXT [--date YYYY-MM-DD]

    ENTRY is an entry number (17, or number:17, which is never read as a key) or the key it was posted
    with; for a station write, the key the operator typed (S01-0001) finds its entry too. A text that
    names two entries is refused (L020) with both listed. Points the entry took from lots go back to
    those same lots. Nothing is ever edited or deleted: the reversal is a new entry. Its KEY may not read
    as an entry number (L022) nor start with a prefix the engine reserves (L021), as for `post`.

    The entries of receipts, bookings, refunds and the fund's payment for a stock delivery are not
    reversed by hand (R024): the stations' books count them. The message names what corrects each:
    `timebank refund` (an admin adds --late after the return window), `timebank cancel`, or for a
    delivery `stock adjust` and a payment back into the fund. The fund's contributions, donations of
    money and dividends are reversed here.

    The entry of a transfer or donation of points (a mistaken receiver) is undone here by an admin while
    the receiver still holds the points: they go back to the lots they came from, with the expiry those
    had, and the gift counts no more toward the giver's monthly limit. Refused (R031) when it was undone
    already or the receiver no longer holds them all (spent or expired): the message says what is left
    and the transfer back that returns it. In --json: "undoes" (the gift).

    Reversing the award or penalty of a record says what it did to the record: once every entry posted
    for a record is reversed, the record is withdrawn and counts no more (docs/records.md).

    Reversing an award or grant whose points have expired takes them from the holder's other points:
    they lose them twice (to the expiry and to the reversal). A NOTE says so, with the amount and the
    `timebank post --from system:expired` that gives them back if that was not meant.

    The nightly expiry is not reversed (L026): its points would go back to the lots they expired from, and
    the next night would take them again. The message gives the `timebank post --from system:expired
    ... --expires DATE` that gives them back with a lot that can be spent.

    Example:
      timebank reverse 17 --key reverse-17 --reason "recorded twice"
      timebank reverse 3032 --key undo-gift-3032 --reason "V0145 typed for V0154"
    """
    static let valueOptions = ["--key", "--reason", "--date"]
    let reference: String
    let arguments: Arguments

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "the entry to reverse")
        reference = arguments.positionals[0]
        _ = try arguments.requiredKey()
        _ = try arguments.requiredText("--reason")
        _ = try arguments.date("--date")
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        do {
            return try reverse(context)
        } catch LedgerError.invalidText(field: "memo", let reason) {
            // The reason is kept as the reversal's memo: a reason too long or over two lines is named as it was typed.
            throw LedgerError.invalidText(field: "--reason", reason: reason)
        }
    }

    private func reverse(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        let sequence = try resolveEntry(reference, in: store)
        let key = try arguments.requiredKey()
        if try store.gift(ofEntry: sequence) != nil { return try undoGift(sequence, key: key, store, context) }
        let outcome: PostOutcome
        do {
            outcome = try store.reverse(sequence: sequence, key: key, actor: context.actor,
                                        memo: try arguments.requiredText("--reason"), on: try arguments.eventDate("--date", today: context.today))
        } catch LedgerError.alreadyReversed(_, let reversal) where (try? store.entry(sequence: reversal))??.key == key {
            // A retry of this very reversal with another reason or date: its key's entry differs (L005), not another reversal.
            throw LedgerError.existsWithDifferentContent(key: key, sequence: reversal)
        }
        printOutcome(outcome, store, context)
        if !context.json {
            for note in try Self.expiredCreditNotes(reversal: outcome.entry, of: sequence, store) { context.output.line("NOTE: " + note) }
            if let record = try store.postedRecord(ofEntry: sequence) { context.output.line("NOTE: " + Self.recordNote(record)) }
        }
        return ExitCode.done
    }

    /// The reversal of a credit whose points expired takes them back from the account's other lots (docs/ledger.md, "then from the
    /// others"): the holder loses them twice, once to the expiry and once here. Says so, with the amounts and how to give them back.
    static func expiredCreditNotes(reversal: Entry, of original: Int64, _ store: TimeBankStore) throws -> [String] {
        var notes: [String] = []
        for (index, posting) in reversal.postings.enumerated() where posting.amount < 0 && posting.account.isLotTracked(posting.asset) {
            let lots = try store.lots(of: posting.account)
            let opened = Set(lots.filter { $0.openedBy == original }.map(\.id))
            guard !opened.isEmpty else { continue }
            let fromOthers = reversal.allocations.filter { $0.postingIndex == index && !opened.contains($0.lotID) }.reduce(Int64(0)) { $0 + $1.amount }
            let expiredByLot = try store.expiredPointsByLot(of: posting.account)
            let expired = opened.reduce(Int64(0)) { $0 + (expiredByLot[$1] ?? 0) }
            let twice = min(fromOthers, expired)
            guard twice > 0 else { continue }
            let expiredOn = lots.filter { opened.contains($0.id) }.compactMap(\.expiresOn).min().map { " on \($0)" } ?? ""
            let unit = store.pointsUnit(on: reversal.effectiveDate)
            let amount = Hundredths.format(twice)
            notes.append("\(amount) \(unit) that entry #\(original) credited to \(posting.account) had expired\(expiredOn) (taken by the nightly "
                + "expiry into system:expired), so this reversal took \(amount) of its other points instead: \(posting.account) lost them twice. "
                + "If that was not meant, give them back: `timebank post --from system:expired --to \(posting.account) --points \(amount) "
                + "--kind adjustment --key KEY --memo TEXT`")
        }
        return notes
    }

    /// An admin's undo of a transfer or donation (`TimeBankStore.undoGift`): the points back to the giver's lots, with the
    /// expiry they had, and the gift limit freed.
    private func undoGift(_ sequence: Int64, key: String, _ store: TimeBankStore, _ context: CommandContext) throws -> Int32 {
        // `AdminOnly` signed the admin in; a database without operators has no gifts, so this only names the refusal (O007).
        let session = try context.adminSession ?? OperatorSignIn.session(store, operator: try arguments.value(OperatorSignIn.option), context)
        let undo = try store.undoGift(entry: sequence, key: key, reason: try arguments.requiredText("--reason"), by: session,
                                      on: try arguments.eventDate("--date", today: context.today))
        let gift = undo.gift, entry = undo.outcome.entry, isNew = undo.outcome.isNew
        let what = gift.to == nil ? "donation" : "transfer"
        if context.json {
            guard case .object(var members) = entryJSON(entry) else { return ExitCode.done }
            members.insert(("outcome", .string(isNew ? "created" : "exists")), at: 0)
            members.append(("undoes", .object([
                ("kind", .string(what)), ("number", .integer(gift.number)), ("key", .string(gift.key)), ("entry", .integer(gift.entry)),
                ("from", .string(gift.from)), ("to", gift.to.map { .string($0) } ?? .null), ("points", .amount(gift.points)),
                ("date", .string(gift.date.description)),
            ])))
            context.output.line(JSON.object(members).rendered())
            return ExitCode.done
        }
        let unit = store.pointsUnit(on: entry.effectiveDate)
        context.output.line((isNew ? "Undid" : "Already undone under this key (same content): nothing changed. Undid")
                            + " \(what) #\(gift.number) of \(Hundredths.format(gift.points)) \(unit) from \(gift.from) to "
                            + (gift.to ?? "the community pool (system:pool)") + " (entry #\(gift.entry)) with entry #\(entry.sequence) (reversal).")
        // The giver's points went back to the lots they came from: each with its expiry.
        let lots = Dictionary(try entry.postings.filter { $0.amount > 0 && $0.account.isLotTracked(.points) }
            .flatMap { try store.lots(of: $0.account) }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, posting) in entry.postings.enumerated() {
            var line = "  \(posting.account) \(Hundredths.formatSigned(posting.amount))"
            let expiries = entry.allocations.filter { $0.postingIndex == index && $0.amount < 0 }
                .map { lots[$0.lotID]?.expiresOn.map { "expires \($0)" } ?? "never expires" }
            if !expiries.isEmpty { line += ", back to the lot\(expiries.count == 1 ? "" : "s") it came from (" + expiries.joined(separator: "; ") + ")" }
            context.output.line(line)
        }
        if isNew {
            context.output.line("It counts no more toward \(gift.from)'s gift limit of \(gift.date.description.prefix(7)).")
        }
        return ExitCode.done
    }

    /// What reversing an entry of a record did to the record: withdrawn, or what still stands of it.
    static func recordNote(_ stored: StoredRecord) -> String {
        let name = "record \(stored.record.reference)"
        if stored.isWithdrawn {
            return "\(name) is withdrawn: nothing of it stands in the ledger, so it counts no more (overlaps, caps, once-only "
                + "bonuses, levels, rankings, reports of hours). Import the corrected record under a new id; "
                + "`timebank record reject \(stored.commandReference) --reason TEXT` keeps a reason with it"
        }
        let standing = stored.posted?.reversalOrder ?? []
        return "\(name) still counts: \(stored.ledgerStanding). To withdraw it, reverse the rest too: "
            + standing.map(stored.reverseCommand).joined(separator: " and ")
    }
}

/// The entry a person names (`TimeBankStore.entrySequence(named:)`): a number, a key, the key typed for a station write.
func resolveEntry(_ reference: String, in store: TimeBankStore) throws -> Int64 {
    try store.entrySequence(named: reference)
}

struct EntryListCommand: Command {
    static let name = "entry list"
    static let readsOnly = true
    static let abstract = "List the newest entries, optionally of one account"
    static let help = """
    Usage: timebank entry list [--account ACCOUNT] [--limit N]

    The newest N entries (default 50), oldest first. Amount is what each entry moved: with --account, that
    account's change (+ in, - out); without, what the entry's credits add up to. Points are named as the
    policy in force on the entry's date names them, money as CNY. `entry show` gives an entry's postings.

    Example:
      timebank entry list --account V0001 --limit 20
    """
    static let valueOptions = ["--account", "--limit"]
    let account: String?
    let limit: Int

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        account = try arguments.value("--account")
        let text = try arguments.value("--limit") ?? "50"
        guard let limit = Arguments.wholeNumber(text), limit > 0, limit <= 100_000 else { throw UsageError("--limit must be a number from 1 to 100000") }
        self.limit = limit
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        var sequences: [Int64]
        var listed: AccountID?
        if let account {
            let id = try AccountReference.resolve(account, in: store).id
            listed = id
            sequences = try store.statement(of: id, asset: .points).map(\.sequence) + store.statement(of: id, asset: .cny).map(\.sequence)
            sequences = Array(Set(sequences)).sorted().suffix(limit)
        } else {
            let count = try store.head().count
            sequences = Array(max(1, count - Int64(limit) + 1)...max(1, count)).filter { $0 <= count }
        }
        let entries = try sequences.compactMap { try store.entry(sequence: $0) }
        if context.json {
            context.output.line(JSON.array(entries.map(entryJSON)).rendered())
            return ExitCode.done
        }
        // What each entry moved: of the account listed, its change (signed); else what the entry's credits add up to.
        var table = TextTable([("Entry", .right), ("Date", .left), ("Kind", .left), ("Amount", .right), ("Key", .left), ("Memo", .left)])
        for entry in entries {
            let amounts = [Asset.points, .cny].compactMap { asset -> String? in
                let postings = entry.postings.filter { $0.asset == asset && (listed == nil || $0.account == listed) }
                guard !postings.isEmpty else { return nil }
                let unit = asset == .points ? store.pointsUnit(on: entry.effectiveDate) : asset.rawValue
                if listed != nil {
                    let change = postings.reduce(Int64(0)) { $0 &+ $1.amount }
                    return Hundredths.formatSigned(change) + " " + unit
                }
                return Hundredths.format(postings.reduce(Int64(0)) { $0 &+ max($1.amount, 0) }) + " " + unit
            }
            table.add(["#\(entry.sequence)", entry.effectiveDate.description, entry.kind.rawValue, amounts.joined(separator: "; "),
                       truncated(entry.key, toWidth: 32), truncated(entry.memo, toWidth: 30)])
        }
        context.output.write(table.rendered())
        return ExitCode.done
    }
}

struct EntryShowCommand: Command {
    static let name = "entry show"
    static let readsOnly = true
    static let abstract = "Show one entry: postings, lots drawn on, hashes"
    static let help = """
    Usage: timebank entry show ENTRY

    ENTRY is an entry number (17, or number:17) or the key it was posted with; for a station write, the key
    the operator typed finds its entry too.

    Example:
      timebank entry show 17
    """
    let reference: String

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(1...1, "an entry number or key")
        reference = arguments.positionals[0]
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let store = try context.openStore()
        guard let entry = try store.entry(sequence: try resolveEntry(reference, in: store)) else { return ExitCode.badInput }
        if context.json {
            context.output.line(entryJSON(entry).rendered())
            return ExitCode.done
        }
        context.output.line("Entry #\(entry.sequence)  \(entry.kind.rawValue)  \(entry.effectiveDate)")
        context.output.line("Key:       \(entry.key)")
        context.output.line("Memo:      \(entry.memo)")
        context.output.line("Actor:     \(entry.actor), recorded \(entry.recordedAt)")
        if let reverses = entry.reverses { context.output.line("Reverses:  #\(reverses)") }
        if let by = try store.reversal(of: entry.sequence) { context.output.line("Reversed by: #\(by)") }
        var table = TextTable([("#", .right), ("Account", .left), ("Amount", .right), ("Asset", .left), ("Lot expiry", .left)])
        for (index, posting) in entry.postings.enumerated() {
            table.add([String(index + 1), posting.account.description, Hundredths.format(posting.amount), posting.asset.rawValue,
                       posting.lotExpiresOn?.description ?? ""])
        }
        context.output.write(table.rendered())
        for allocation in entry.allocations {
            let how = allocation.amount > 0 ? ("took", "from") : ("gave back", "to")
            context.output.line("  posting \(allocation.postingIndex + 1) \(how.0) \(Hundredths.format(abs(allocation.amount))) \(how.1) lot \(allocation.lotID)")
        }
        context.output.line("Hash:      \(SHA256.hex(entry.hash))")
        context.output.line("Previous:  \(SHA256.hex(entry.previousHash))")
        return ExitCode.done
    }
}
