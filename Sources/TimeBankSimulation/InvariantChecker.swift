import TimeBankCore
import TimeBankStorage

/// Checks every invariant of the engine's books, and that they equal the model's (docs/testing.md lists them).
/// Returns the problems found; none when all hold.
struct InvariantChecker {
    let store: TimeBankStore
    let model: SimModel
    /// Heads noted at earlier full checks (hash in hex → sequence), as an auditor keeps them outside the store.
    var notedHeads: [String: Int64] = [:]

    func check(full: Bool) throws -> [String] {
        var problems: [String] = []

        // 1. The ledger's own verification (chain, hashes, zero-sum per entry, floors after every entry, cached
        //    balances, lots) and the stations' (stock levels = movements, receipts and refunds = ledger entries,
        //    held points = open bookings).
        if full {
            problems += try store.verify().problems.map { "verify: \($0)" }
            problems += try store.verifyStations().problems.map { "verifyStations: \($0)" }
        }

        // 2. Every balance equals the model's.
        var engineBalances: [BalanceKey: Int64] = [:]
        for row in try store.balances() { engineBalances[BalanceKey(account: row.account, asset: row.asset)] = row.balance }
        let modelBalances = model.balances.filter { $0.value != 0 }
        for key in Set(engineBalances.keys).union(modelBalances.keys).sorted() where engineBalances[key] != modelBalances[key] {
            problems.append("balance \(key): engine \(engineBalances[key].map(Hundredths.format) ?? "0"), model \(modelBalances[key].map(Hundredths.format) ?? "0")")
        }

        // 3. Zero-sum per asset over all accounts.
        for asset in Asset.allCases {
            let sum = engineBalances.filter { $0.key.asset == asset }.values.reduce(0, +)
            if sum != 0 { problems.append("zero-sum: the \(asset.rawValue) balances add up to \(Hundredths.format(sum)), not 0") }
        }

        // 4. Floors hold, and the accounts (with their floors) are the model's.
        let accounts = try store.accounts()
        for account in accounts {
            if let floor = account.floor {
                for asset in Asset.allCases where (engineBalances[BalanceKey(account: account.id, asset: asset)] ?? 0) < floor {
                    problems.append("floor: \(account.id) \(asset.rawValue) is below its floor of \(Hundredths.format(floor))")
                }
            }
            if model.floors[account.id] == nil {
                problems.append("account \(account.id) exists in the engine, not in the model")
            } else if model.floors[account.id]! != account.floor {
                problems.append("account \(account.id): floor \(account.floor.map(String.init) ?? "none") in the engine, \(model.floors[account.id]!.map(String.init) ?? "none") in the model")
            }
        }
        if accounts.count != model.floors.count {
            problems.append("accounts: \(accounts.count) in the engine, \(model.floors.count) in the model")
        }

        // 5. Stock never below 0, and every shelf as the model has it.
        var levels: [StockKey: Int] = [:]
        for level in try store.stockLevels() {
            if level.quantity < 0 { problems.append("stock \(level.station)/\(level.item) is \(level.quantity), below 0") }
            if level.quantity != 0 { levels[StockKey(station: level.station, item: level.item)] = level.quantity }
        }
        let modelLevels = model.stock.filter { $0.value != 0 }
        for shelf in Set(levels.keys).union(modelLevels.keys).sorted() where levels[shelf] != modelLevels[shelf] {
            problems.append("stock \(shelf): engine \(levels[shelf] ?? 0), model \(modelLevels[shelf] ?? 0)")
        }

        // 6. Lots: each between 0 and its amount; their remainders add up to the balance; every lot as the model's.
        if full {
            for account in accounts where SimModel.isLotTracked(account.id, .points) {
                let lots = try store.lots(of: account.id)
                var sum: Int64 = 0
                for lot in lots {
                    sum += lot.remaining
                    if lot.remaining < 0 || lot.remaining > lot.amount {
                        problems.append("lot \(lot.id) of \(account.id): \(lot.remaining) left of \(lot.amount)")
                    }
                }
                let balance = engineBalances[BalanceKey(account: account.id, asset: .points)] ?? 0
                if sum != balance {
                    problems.append("lots of \(account.id) hold \(Hundredths.format(sum)), the balance is \(Hundredths.format(balance))")
                }
                let engineLots = lots.map { "L\($0.id) \($0.amount) \($0.expiresOn?.description ?? "never") \($0.remaining)" }
                let modelLots = (model.lotsByAccount[account.id] ?? []).map { id in
                    let lot = model.lots[Int(id - 1)]
                    return "L\(lot.id) \(lot.amount) \(lot.expiresOn?.description ?? "never") \(lot.remaining)"
                }
                if engineLots != modelLots {
                    let differing = zip(engineLots, modelLots).filter { $0 != $1 }.prefix(3).map { "engine \($0.0), model \($0.1)" }
                    problems.append("lots of \(account.id) differ (\(engineLots.count) in the engine, \(modelLots.count) in the model): \(differing)")
                }
            }
        }

        // 7. Points issued = balances + redeemed + expired (+ held for bookings, + donated to the pool):
        //    -issuance = volunteers + households + stations + system:held + system:pool + system:expired + system:adjustments,
        //    and each term equals the flow the model counted by kind of operation.
        func points(_ account: AccountID) -> Int64 { engineBalances[BalanceKey(account: account, asset: .points)] ?? 0 }
        func sum(_ kind: AccountKind) -> Int64 {
            engineBalances.filter { $0.key.asset == .points && $0.key.account.kind == kind }.values.reduce(0, +)
        }
        let issued = -points(.issuance)
        let holders = sum(.volunteer) + sum(.household)
        let redeemed = sum(.station)
        let held = points(SimModel.heldAccount), donated = points(SimModel.poolAccount), expired = points(.expired)
        let accounted = holders + redeemed + held + donated + expired + points(.adjustments)
        if issued != accounted {
            problems.append("identity: issued \(Hundredths.format(issued)) ≠ balances \(Hundredths.format(holders)) + redeemed "
                            + "\(Hundredths.format(redeemed)) + held \(Hundredths.format(held)) + donated \(Hundredths.format(donated)) + expired \(Hundredths.format(expired))")
        }
        let systemPoints = engineBalances.filter {
            $0.key.asset == .points && ($0.key.account.kind == .fund || ($0.key.account.kind == .system
                && ![AccountID.issuance, .expired, .adjustments, SimModel.heldAccount, SimModel.poolAccount].contains($0.key.account)))
        }
        if !systemPoints.isEmpty { problems.append("identity: points in other accounts: \(systemPoints.keys.sorted())") }
        for (name, value) in [("issued", issued), ("redeemed", redeemed), ("held", held), ("donated", donated), ("expired", expired)]
            where (model.flows[name] ?? 0) != value {
            problems.append("identity: \(name) is \(Hundredths.format(value)) in the engine; the model counted \(Hundredths.format(model.flows[name] ?? 0))")
        }

        // 8. Stations' books against the ledger: held = open bookings, stations = receipts not refunded.
        if full {
            let activeHolds = try store.holds(activeOnly: true, limit: Int.max)
            let heldByBookings = activeHolds.reduce(0) { $0 + $1.points }
            if heldByBookings != held { problems.append("held: system:held has \(Hundredths.format(held)), open bookings \(Hundredths.format(heldByBookings))") }
            if activeHolds.map(\.number) != model.activeHolds.sorted() {
                problems.append("open bookings: engine \(activeHolds.map(\.number)), model \(model.activeHolds.sorted())")
            }
            let receipts = try store.receipts(limit: Int.max)
            let unrefunded = receipts.filter { $0.refund == nil }.reduce(0) { $0 + $1.points }
            if unrefunded != redeemed {
                problems.append("stations hold \(Hundredths.format(redeemed)); receipts not refunded add up to \(Hundredths.format(unrefunded))")
            }
            if Int64(receipts.count) != model.receiptCount { problems.append("receipts: engine \(receipts.count), model \(model.receiptCount)") }
        }

        // 9. The fund report, read from the ledger, says what the model counted: the fund's balance, money in and out
        //    by kind, and the points outstanding (volunteers, households, held for bookings).
        if full {
            let report = try store.fundReport(from: LocalDate(year: 2000, month: 1, day: 1)!, through: model.today)
            if report.closingBalance != model.balance(.fund, .cny) {
                problems.append("fund report: closing balance \(Hundredths.format(report.closingBalance)), the model has \(Hundredths.format(model.balance(.fund, .cny)))")
            }
            var reported: [String: Int64] = [:]
            for flow in report.flows {
                if flow.inflow != 0 { reported["fund \(flow.kind.rawValue) in"] = flow.inflow }
                if flow.outflow != 0 { reported["fund \(flow.kind.rawValue) out"] = flow.outflow }
                reported["fund \(flow.kind.rawValue) entries"] = Int64(flow.entries)
            }
            let counted = model.flows.filter { $0.key.hasPrefix("fund ") && $0.value != 0 }
            for name in Set(reported.keys).union(counted.keys).sorted() where reported[name] != counted[name] {
                problems.append("fund report: \(name) is \(reported[name] ?? 0), the model counted \(counted[name] ?? 0)")
            }
            let outstanding = [("volunteers", report.volunteerPoints, sum(.volunteer)), ("households", report.householdPoints, sum(.household)),
                               ("held", report.heldPoints, held)]
            for (name, reportedPoints, balance) in outstanding where reportedPoints != balance {
                problems.append("fund report: points outstanding of \(name) \(Hundredths.format(reportedPoints)), the balances hold \(Hundredths.format(balance))")
            }
        }

        // 10. The same number of entries.
        let entries = try store.head().count
        if entries != model.entryCount { problems.append("entries: engine \(entries), model \(model.entryCount)") }

        // 11. Every head noted at an earlier full check is still in the chain at its sequence (what `verify --head` checks):
        //     nothing written before it was cut off or written anew, through kills, restarts and re-runs.
        if full, !notedHeads.isEmpty {
            let found = try store.entries(withHashPrefixes: Array(notedHeads.keys))
            for (hash, sequence) in notedHeads.sorted(by: { $0.value < $1.value }) where found[hash] != [sequence] {
                problems.append("head #\(sequence) \(hash.prefix(16))… noted at an earlier check: "
                    + (found[hash].map { "now at \($0.map { "#\($0)" }.joined(separator: ", "))" } ?? "no longer in the chain"))
            }
        }
        return problems
    }
}
