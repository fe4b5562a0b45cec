import Synchronization
import Foundation
import TimeBankCore
import TimeBankStorage

struct DemoCommand: Command {
    static let name = "demo"
    static let abstract = "Build a demo community from seeds/ and show the engine at work"
    static let help = """
    Usage: timebank demo [--db PATH] [--seeds DIR]

    Creates a fresh database (in a temporary folder unless --db names a new file), loads the seed
    community (households, volunteers, stations), then exercises the ledger: service awards with
    expiring lots, a transfer between volunteers, a redemption that draws on several lots (earliest
    expiry first), its reversal, a retried write, and a refused overdraft. It ends with `verify`.
    With the policy active, merchants and a donor put money into the micro-fund, a station operator
    restocks (paid from the fund), sends stock to another station, redeems with a receipt, retries,
    and is refused by a limit and by an empty shelf.
    Then thirty days go by: service records each day, redemptions at two stations (and a basket of
    several items a day, all or none), a settlement each night (reports under reports/ next to the
    database); it ends with the fund report, October's ranking and verify. Those days happen on their
    own dates: each day's records are imported at 18:00 that day and its settlement runs at 02:00 the
    next morning (what the store records as the time), whatever the machine's clock says.
    --seeds defaults to ./seeds, else the seeds/ folder of the source tree. The policy is
    ./config/policy.toml, else the config/policy.toml beside the seeds folder; without one that
    passes `policy check` (and has the catalog item rice_5kg), the stations and the thirty nights
    are left out, and the demo says so.
    With --json the story goes to standard error and standard output holds a summary: {"database",
    "households", "volunteers", "stations", "entries", "head_hash", "settlements", "verified"}.

    Example:
      swift run timebank demo
      timebank demo --db demo.sqlite && timebank --db demo.sqlite statement V0001
    """
    static let valueOptions = ["--seeds"]
    let seeds: String?

    init(_ arguments: Arguments) throws {
        try arguments.expectPositionals(0...0, "only options")
        seeds = try arguments.value("--seeds")
    }

    static func defaultSeedsFolder() -> String? {
        if FileSystem.exists("seeds/volunteers.csv") { return "seeds" }
        // The source tree this binary was built from: Sources/TimeBankCLI/Commands/DemoCommand.swift.
        let source = URL(fileURLWithPath: #filePath)
        let root = source.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("seeds").path
        return FileSystem.exists(folder + "/volunteers.csv") ? folder : nil
    }

    func run(_ context: CommandContext) throws -> Int32 {
        guard let seeds = seeds ?? Self.defaultSeedsFolder() else {
            throw UsageError("cannot find the seed files; run the demo from the timebank folder or pass --seeds DIR")
        }
        let path: String
        if context.databasePathGiven {
            guard context.databasePath == ":memory:" || !FileSystem.exists(context.databasePath) else {
                throw UsageError("\(context.databasePath) exists; the demo needs a new database file (remove it or choose another --db)")
            }
            path = context.databasePath
        } else {
            path = try FileSystem.makeTemporaryDirectory(prefix: "timebank-demo") + "/demo.sqlite"
        }
        // Under --json the story is for a person (standard error); standard output gets the summary at the end.
        let out = context.json ? context.errors : context.output
        let clock = DemoClock(context.clock)
        let store = try TimeBankStore(path: path, clock: clock)
        store.utcOffsetOverride = context.utcOffsetSetting
        context.databasePath = path

        // 1. The community.
        let households = try CommunityFile.rows(path: seeds + "/households.csv", columns: CommunityCSV.householdColumns, required: ["id", "name"])
        let stations = try CommunityFile.rows(path: seeds + "/stations.csv", columns: CommunityCSV.stationColumns, required: ["id", "name"])
        let volunteers = try CommunityFile.rows(path: seeds + "/volunteers.csv", columns: CommunityCSV.volunteerColumns, required: ["id", "name", "joined"])
        let householdValues = CommunityCSV.households(households.rows, header: households.header)
        let stationValues = CommunityCSV.stations(stations.rows, header: stations.header)
        let volunteerValues = CommunityCSV.volunteers(volunteers.rows, header: volunteers.header,
                                                      knownHouseholds: Set(householdValues.values.map(\.id)), knownTeams: try store.communityTeams())
        let seedErrors = householdValues.errors + stationValues.errors + volunteerValues.errors
        guard seedErrors.isEmpty else { throw UsageError("the seed files have errors: \(seedErrors.map(\.description).joined(separator: "; "))") }
        try store.addCommunity(households: householdValues.values, volunteers: volunteerValues.values, stations: stationValues.values)
        out.line("timebank demo: \(path)")
        out.line("")
        out.line("1. Community loaded from \(seeds)/: \(householdValues.values.count) households, \(volunteerValues.values.count) volunteers in five-colour teams, \(stationValues.values.count) redemption stations.")

        // 2. Service awards: one entry per service, each opening a lot that expires 12 months after the service month.
        let actor = "demo"
        let categories = ["红色教育: 党史宣讲", "橙色关怀: 探访独居老人", "蓝色调解: 邻里纠纷调解", "绿色环保: 垃圾分类督导", "紫色便民: 义务理发"]
        var awards: [EntryRequest] = []
        let first = LocalDate(year: 2025, month: 11, day: 3)!
        for (index, volunteer) in volunteerValues.values.enumerated() {
            let services = 1 + index % 4
            for service in 0..<services {
                let date = first.adding(days: (index * 7 + service * 31) % 330)
                let hours = 1 + (index + service) % 3
                let category = categories[(index + service) % categories.count]
                awards.append(.move(
                    key: "demo-award-\(volunteer.id)-\(service)", kind: .award, date: date, actor: actor,
                    memo: "\(category) \(hours)小时", from: .issuance, to: .volunteer(volunteer.id),
                    amount: Int64(hours) * 1000, lotExpiresOn: LocalDate(year: date.year + 1, month: date.month, day: 1)))
            }
        }
        try store.post(awards)
        out.line("2. Posted \(awards.count) service awards (10 points an hour), each opening a lot that expires on the first of its month a year later.")

        // 3. One volunteer's story.
        // The fourth volunteer served four times, so the story has several lots to draw on.
        let hero = volunteerValues.values[3], friend = volunteerValues.values[1], station = stationValues.values[0]
        let heroAccount = AccountID.volunteer(hero.id)
        let day = LocalDate(year: 2026, month: 10, day: 8)!
        try store.post(.move(key: "demo-hero-emergency", kind: .award, date: LocalDate(year: 2026, month: 7, day: 21)!, actor: actor,
                             memo: "防汛值守 Ⅱ级响应 3小时", from: .issuance, to: heroAccount, amount: 4500,
                             lotExpiresOn: LocalDate(year: 2026, month: 12, day: 31)!))
        let transfer = EntryRequest.move(key: "demo-transfer-1", kind: .transfer, date: day, actor: actor,
                                         memo: "赠送积分给\(friend.name)", from: heroAccount, to: .volunteer(friend.id), amount: 500)
        try store.post(transfer)
        let retry = try store.post(transfer)
        let balanceBefore = try store.balance(heroAccount)
        // Goods of config/policy.toml's catalog at its prices (the policy comes in step 7; here the points are taken by hand),
        // so that the passbook and step 8's receipts agree on what rice costs.
        let (redemptionMemo, redemptionAmount): (String, Int64) = balanceBefore >= 7000 ? ("兑换: 大米 5kg + 发夹饰品", 7000) : ("兑换: 饼干礼盒", 2000)
        let redemption = try store.post(.move(key: "demo-redeem-1", kind: .redemption, date: day, actor: actor,
                                              memo: redemptionMemo, from: heroAccount, to: .station(station.id), amount: redemptionAmount))
        out.line("3. \(hero.name) (\(hero.id)) earned points, gave 5.00 to \(friend.name), then redeemed \(Hundredths.format(redemptionAmount)) at \(station.name).")
        out.line("   The transfer was sent twice with the same key: the retry returned entry #\(retry.entry.sequence) and posted nothing.")
        out.line("   The redemption drew on \(redemption.entry.allocations.count) lot\(redemption.entry.allocations.count == 1 ? "" : "s"), earliest expiry first:")
        let lotsByID = Dictionary(uniqueKeysWithValues: try store.lots(of: heroAccount).map { ($0.id, $0) })
        for allocation in redemption.entry.allocations {
            let expiry = lotsByID[allocation.lotID]?.expiresOn?.description ?? "never"
            out.line("     lot \(allocation.lotID) (expires \(expiry)): \(Hundredths.format(allocation.amount))")
        }

        // 4. A mistake corrected by a reversal; a refused overdraft.
        let reversal = try store.reverse(sequence: redemption.entry.sequence, key: "demo-reverse-1", actor: actor,
                                         memo: "操作失误, 撤销兑换", on: day)
        out.line("4. The redemption was a mistake: reversal #\(reversal.entry.sequence) gave the points back to the same lots.")
        do {
            try store.post(.move(key: "demo-overdraft", kind: .redemption, date: day, actor: actor, memo: "兑换: 电饭煲",
                                 from: heroAccount, to: .station(station.id), amount: try store.balance(heroAccount) + 100_000))
        } catch let error as LedgerError {
            out.line("   A redemption beyond the balance was refused, nothing written: error[\(error.code)] \(error.message)")
        }

        // 5. The passbook and verify.
        out.line("")
        out.line("5. \(hero.name)'s passbook (timebank statement \(hero.id)):")
        var table = TextTable([("Date", .left), ("Kind", .left), ("Memo", .left), ("In", .right), ("Out", .right), ("Balance", .right)])
        for line in try store.statement(of: heroAccount) {
            // The memo as `timebank statement` prints it: a reversal says what it undoes, a gift names its other side.
            table.add([line.date.description, line.kind.rawValue, StatementCommand.memo(of: line), line.amount > 0 ? Hundredths.format(line.amount) : "",
                       line.amount < 0 ? Hundredths.format(-line.amount) : "", Hundredths.format(line.balance)])
        }
        for row in table.rendered().split(separator: "\n") { out.line("   " + row) }
        let report = try store.verify()
        let issued = -(try store.balance(.issuance))
        let held = try store.balances().filter { $0.asset == .points && $0.account.kind != .system }.reduce(0) { $0 + $1.balance }
        out.line("")
        out.line("6. verify: \(report.isClean ? "OK" : "FAILED") — \(report.entriesChecked) entries, \(report.lotsChecked) lots, chain head \(SHA256.hex(report.headHash).prefix(16))…")
        out.line("   Points issued: \(Hundredths.format(issued)); held by volunteers, households and stations: \(Hundredths.format(held)).")

        // 7. The points policy: checked, stored as the first version, summarised.
        let policyFile = FileSystem.exists("config/policy.toml") ? "config/policy.toml"
            : URL(fileURLWithPath: seeds).deletingLastPathComponent().appendingPathComponent("config/policy.toml").path
        if FileSystem.exists(policyFile) {
            let bytes = try FileSystem.readBytes(policyFile)
            let checked = PolicyLoader.load(bytes: bytes, path: policyFile, stations: stationValues.values.map(\.id),
                                            timeZones: SystemTimeZones.names)
            if let policy = checked.policy {
                let version = try store.activatePolicy(String(decoding: bytes, as: UTF8.self), actor: actor).record
                out.line("7. Policy \(policyFile): \(checked.errorCount) errors, \(checked.warningCount) warnings; activated as version #\(version.number) (sha256 \(version.sha256.prefix(12))…).")
                out.line("   \(PolicySummary.line(policy))")
            } else {
                out.line("7. Policy \(policyFile) has \(checked.errorCount) error\(checked.errorCount == 1 ? "" : "s"); see `timebank policy check \(policyFile)`.")
            }
        }
        // 8. Stations at work: restocking and redeeming under the policy in force (see docs/stations.md).
        if let policy = try? store.counterPolicyInForce(on: day), policy.catalogItem("rice_5kg") != nil, stationValues.values.count > 1 {
            let other = stationValues.values[1]
            // Throwaway demo PINs, hashed with fewer PBKDF2 iterations than real ones so that the demo stays quick.
            try store.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "demo-admin", by: nil, iterations: 1_000)
            let admin = try store.signIn(operatorID: "admin", pin: "demo-admin")
            try store.addOperator(Operator(id: "op-zhang", name: "张敏", role: .operator, station: station.id), pin: "demo-1357", by: admin,
                                  iterations: 1_000)
            let zhang = try store.signIn(operatorID: "op-zhang", pin: "demo-1357")
            // The micro-fund first, so that the goods are bought with money it holds: twelve merchants pay 0.1% of their
            // turnover (商户按营业额0.1%注资), and a consumption donation.
            for merchant in 1...12 {
                try store.contribute(merchant: "商户\(merchant)", turnover: Int64(merchant) * 40_000_000, date: day,
                                     key: "demo-merchant-\(merchant)", actor: actor)
            }
            try store.donate(donor: "爱心商户联盟 消费捐", amount: 800_000, date: day, key: "demo-donation-1", actor: actor)
            let fundBefore = try store.balance(.fund, .cny)
            try store.receiveStock(StockReceiveRequest(key: "demo-in-rice", station: station.id, item: "rice_5kg", quantity: 20,
                                                       supplierNote: "粮油店", date: day, needsReasonWhenFundShort: true), by: zhang)
            try store.receiveStock(StockReceiveRequest(key: "demo-in-biscuits", station: station.id, item: "biscuits", quantity: 2, date: day,
                                                       needsReasonWhenFundShort: true), by: zhang)
            try store.moveStock(StockMoveRequest(key: "demo-move-rice", from: station.id, to: other.id, item: "rice_5kg", quantity: 5, date: day),
                                by: zhang)
            let fundAfter = try store.balance(.fund, .cny)
            out.line("8. Stations: twelve merchants and a donor put \(Hundredths.format(fundBefore)) CNY into the micro-fund; "
                     + "\(zhang.name) (operator at \(station.id)) received 20 rice and 2 biscuit boxes (paid from the fund: "
                     + "\(Hundredths.format(fundBefore - fundAfter)) CNY, \(Hundredths.format(fundAfter)) CNY left) and sent 5 rice to \(other.id).")
            var buyer: Volunteer?
            for volunteer in volunteerValues.values.prefix(200) where volunteer.id != hero.id {
                if try store.spendablePoints(.volunteer(volunteer.id), on: day) >= 8_000 {
                    buyer = volunteer
                    break
                }
            }
            if let buyer {
                let request = RedemptionRequest(key: "demo-S-0001", station: station.id, volunteer: buyer.id, item: "rice_5kg", date: day)
                let receipt = try store.redeem(request, by: zhang).receipt
                let retry = try store.redeem(request, by: zhang)
                out.line("   \(buyer.name) redeemed \(receipt.itemLabel) for \(Hundredths.format(receipt.points)) \(store.policyUnit(on: day) ?? "points"): receipt R\(receipt.number), "
                         + "balance after \(Hundredths.format(receipt.balanceAfter)); the retry returned R\(retry.receipt.number) and wrote nothing.")
                do {
                    try store.redeem(RedemptionRequest(key: "demo-S-0002", station: station.id, volunteer: buyer.id, item: "rice_5kg", date: day), by: zhang)
                } catch let error as RedemptionError {
                    out.line("   A second bag this month was refused, nothing written: error[\(error.code)] \(error.message)")
                }
                // Told, not left to be noticed: the shelf below (and the refusal of two boxes) counts this box as gone.
                let biscuits = try store.redeem(RedemptionRequest(key: "demo-S-0003", station: station.id, volunteer: buyer.id, item: "biscuits",
                                                                  date: day), by: zhang).receipt
                out.line("   \(buyer.name) then redeemed \(biscuits.itemLabel) for \(Hundredths.format(biscuits.points)) \(store.policyUnit(on: day) ?? "points"): "
                         + "receipt R\(biscuits.number), balance after \(Hundredths.format(biscuits.balanceAfter)).")
                do {
                    try store.redeem(RedemptionRequest(key: "demo-S-0004", station: station.id, volunteer: hero.id, item: "biscuits", quantity: 2,
                                                       date: day), by: zhang)
                } catch let error as RedemptionError {
                    out.line("   \(hero.name) asked for 2 biscuit boxes: error[\(error.code)] \(error.message)")
                }
            }
            let shelf = try store.stockLevels().map { "\($0.station) \($0.item) \($0.quantity)" }.joined(separator: ", ")
            let stations = try store.verifyStations()
            out.line("   Shelves: \(shelf). Stock and receipts verify: \(stations.isClean ? "OK" : "FAILED"); ledger verify: "
                     + "\(try store.verify().isClean ? "OK" : "FAILED").")
        }
        // 9. Thirty nights: records imported each day, redemptions at two stations, the nightly settlement.
        var closing: [String] = []
        if (try? store.counterPolicyInForce(on: day)) != nil, stationValues.values.count > 1 {
            closing = try thirtyNights(store: store, clock: clock, volunteers: volunteerValues.values,
                                       stations: Array(stationValues.values.prefix(2)), from: day.adding(days: 1), folder: path, out: out)
        }
        if (try? store.counterPolicyInForce(on: day))?.catalogItem("rice_5kg") == nil || stationValues.values.count < 2 {
            // Said, not left to be noticed: a reader following a guide would otherwise look for stations and nights
            // that never ran (a ./config/policy.toml being edited is read before the source tree's).
            out.line("8–9. Left out: the stations at work and the thirty nights need the demo's policy in force (with its catalog "
                     + "item rice_5kg) and two stations (the policy file: \(policyFile)). Run the demo where that file passes "
                     + "`timebank policy check`, or from another folder.")
        }
        out.line("")
        out.line("Try next:")
        for line in closing { out.line(line) }
        out.line("  timebank --db \(path) balance \(hero.id)")
        out.line("  timebank --db \(path) statement \(hero.id)")
        out.line("  timebank --db \(path) lots \(hero.id)")
        out.line("  timebank --db \(path) verify")
        out.line("  timebank --db \(path) export --format ledger | hledger -f - balance")
        out.line("  timebank --db \(path) policy versions")
        out.line("  timebank --db \(path) receipt list --station \(station.id)")
        out.line("  timebank --db \(path) stock list --station \(station.id)")
        if context.json {
            let ledger = try store.verify(), books = try store.verifyStations()
            context.output.line(JSON.object([
                ("database", .string(path)), ("households", .integer(householdValues.values.count)),
                ("volunteers", .integer(volunteerValues.values.count)), ("stations", .integer(stationValues.values.count)),
                ("entries", .integer(ledger.entriesChecked)), ("head_hash", .string(SHA256.hex(ledger.headHash))),
                ("settlements", .integer(try store.settlements().count)), ("verified", .bool(ledger.isClean && books.isClean)),
            ]).rendered())
        }
        return report.isClean ? ExitCode.done : ExitCode.integrity
    }

    /// The moment `minutes` after the start of `day` in the community (at `utcOffsetMinutes` from UTC).
    static func localMoment(_ day: LocalDate, minutes: Int64, utcOffsetMinutes: Int64) -> Timestamp {
        let dayStarts = Int64(day.daysSinceEpoch) * 86_400_000
        return Timestamp(millisecondsSinceEpoch: dayStarts + (minutes - utcOffsetMinutes) * 60_000)
    }

    /// Step 9: thirty days of service records, redemptions (and a basket a day) between the nights and a settlement each night,
    /// then the fund report, October's ranking and `verify`. Everything is seeded: the same output every run.
    func thirtyNights(store: TimeBankStore, clock: DemoClock, volunteers: [Volunteer], stations: [Station], from first: LocalDate,
                      folder path: String, out: any TextOutput) throws -> [String] {
        let actor = "demo"
        let reports = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("reports").path
        let admin = try store.signIn(operatorID: "admin", pin: "demo-admin")
        try store.addOperator(Operator(id: "op-li", name: "李娜", role: .operator, station: stations[1].id), pin: "demo-2468", by: admin,
                              iterations: 1_000)
        let operators = [try store.signIn(operatorID: "op-zhang", pin: "demo-1357"), try store.signIn(operatorID: "op-li", pin: "demo-2468")]
        // Restocking both stations from the micro-fund (step 8 put the money in).
        for (index, station) in stations.enumerated() {
            for (item, quantity) in [("rice_5kg", 60), ("cooking_oil", 60), ("biscuits", 80), ("hair_clip", 100)] {
                try store.receiveStock(StockReceiveRequest(key: "demo-restock-\(station.id)-\(item)", station: station.id, item: item,
                                                           quantity: quantity, date: first, needsReasonWhenFundShort: true), by: operators[index])
            }
        }
        out.line("9. Thirty nights, \(first) to \(first.adding(days: 29)): each day about 40 volunteers serve (records imported, a few")
        out.line("   without a verifier: accepted after 7 days), residents redeem at \(stations[0].id) and \(stations[1].id), and the night's")
        out.line("   settlement accepts, scores and posts, grants, expires, reconciles and writes reports into \(reports)/.")
        var table = TextTable([("night", .left), ("read", .right), ("posted", .right), ("pending", .right), ("awarded", .right),
                               ("redeemed", .right), ("expired", .right), ("level ups", .right), ("ledger head", .left)])
        var generator = SplitMix64(seed: 2026_10_09)
        let categories = ["red", "orange", "blue", "green", "purple"]
        let items = ["rice_5kg", "cooking_oil", "biscuits", "hair_clip"]
        var redemptionNumber = 0
        var baskets: [String] = [], basketRefusals: [String: Int] = [:]
        // Each day happens on its day: its records are imported, and residents redeem, at 18:00, and its settlement runs at
        // 02:00 the next morning (a record without a verifier is then accepted 7 days after it, as in a community that types
        // its records in on the day: the days count from the import when it is later).
        let utcOffset = Int64(try store.communityToday().utcOffsetMinutes)
        defer { clock.goBack() }
        for night in 0..<30 {
            let date = first.adding(days: night)
            clock.live(at: Self.localMoment(date, minutes: 18 * 60, utcOffsetMinutes: utcOffset))
            var lines = ["id,volunteer,category,date,start,end,verifier,response_level"]
            let offset = Int.random(in: 0..<volunteers.count, using: &generator)
            for index in 0..<40 {
                let volunteer = volunteers[(offset + index * 13) % volunteers.count]
                let start = 8 * 60 + Int.random(in: 0..<16, using: &generator) * 30
                let minutes = [60, 90, 120, 150][Int.random(in: 0..<4, using: &generator)]
                func time(_ value: Int) -> String { (value / 60 < 10 ? "0" : "") + "\(value / 60):" + (value % 60 < 10 ? "0" : "") + "\(value % 60)" }
                let verifier = Int.random(in: 0..<10, using: &generator) == 0 ? "" : "社区居委会"
                let level = Int.random(in: 0..<25, using: &generator) == 0 ? "II" : ""
                lines.append("d\(date)-\(index),\(volunteer.id),\(categories[Int.random(in: 0..<5, using: &generator)]),\(date),"
                             + "\(time(start)),\(time(start + minutes)),\(verifier),\(level)")
            }
            _ = try store.importRecords(Array((lines.joined(separator: "\n") + "\n").utf8), fileName: "records-\(date).csv",
                                    actor: actor, today: date)
            // Redemptions during the day: residents with enough points pick something off the shelf.
            var redeemed: Int64 = 0
            for _ in 0..<6 {
                let volunteer = volunteers[Int.random(in: 0..<volunteers.count, using: &generator)]
                let item = items[Int.random(in: 0..<items.count, using: &generator)]
                let counter = Int.random(in: 0..<stations.count, using: &generator)
                redemptionNumber += 1
                let request = RedemptionRequest(key: "demo-night-\(redemptionNumber)", station: stations[counter].id, volunteer: volunteer.id,
                                                item: item, date: date)
                if let outcome = try? store.redeem(request, by: operators[counter]) { redeemed += outcome.receipt.points }
            }
            // And one basket: a box of biscuits and two hair clips in one transaction, all or none (docs/stations.md).
            let shopper = volunteers[Int.random(in: 0..<volunteers.count, using: &generator)]
            let counter = Int.random(in: 0..<stations.count, using: &generator)
            let basket = BasketRequest(key: "demo-basket-\(night + 1)", station: stations[counter].id, volunteer: shopper.id,
                                       lines: [BasketLine(item: "biscuits"), BasketLine(item: "hair_clip", quantity: 2)], date: date)
            do {
                redeemed += try store.redeem(basket, by: operators[counter]).receipts.reduce(0) { $0 + $1.points }
                baskets.append(basket.key)
            } catch let refusal as BasketLineError {
                basketRefusals[refusal.code, default: 0] += 1
            }
            clock.live(at: Self.localMoment(date.adding(days: 1), minutes: 2 * 60, utcOffsetMinutes: utcOffset))
            let summary = try store.settle(SettlementRequest(date: date, actor: "nightly", reportsDirectory: reports))
            table.add([date.description, "\(summary.recordsRead)", "\(summary.posted)", "\(summary.pending)", Hundredths.format(summary.awarded),
                       Hundredths.format(redeemed), Hundredths.format(summary.expired), "\(summary.levelChanges)",
                       "#\(summary.headSequence) \(summary.headHash.prefix(12))…"])
        }
        for row in table.rendered().split(separator: "\n") { out.line("   " + row) }
        if let lastBasket = baskets.last {
            let refusals = basketRefusals.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")
            out.line("   A basket a day (a box of biscuits and two hair clips, all or none): \(baskets.count) of 30 went through"
                     + (refusals.isEmpty ? "." : "; the others were refused whole, nothing written (\(refusals)).")
                     + "\n   The last one's slip: timebank --db \(path) receipt show \(lastBasket)")
        }
        let last = first.adding(days: 29)
        out.line("")
        out.line("10. The fund report (timebank fund report --from 2026-10-01 --to \(last)):")
        for row in fundReportText(try store.fundReport(from: LocalDate(year: 2026, month: 10, day: 1)!, through: last), unit: store.policyUnit(on: last)).split(separator: "\n", omittingEmptySubsequences: false) {
            out.line("   " + row)
        }
        if let period = try store.settlements().compactMap(\.rankingPeriod).last, let window = ScoringWindow(label: period) {
            // As it stands now (`report ranking`), not the copy the settlement of the period's next day wrote: records without a
            // verifier were still pending that night, so the stored one can rank otherwise.
            out.line("11. The ranking of \(period) as it stands now (timebank report ranking --from \(window.start) --to \(window.lastDay); "
                     + "the settlement of \(window.end) wrote it as it stood that night: \(reports)/\(window.end)/ranking.txt):")
            let ranking = try store.rankingReport(from: window.start, through: window.lastDay, top: 10, by: .points)
            for row in ranking.rendered(as: .text).split(separator: "\n") { out.line("   " + row) }
        }
        let ledger = try store.verify(), books = try store.verifyStations()
        out.line("12. verify: \(ledger.isClean && books.isClean ? "OK" : "FAILED") — \(ledger.entriesChecked) entries, \(ledger.lotsChecked) lots, "
                 + "\(books.stockLevelsChecked) stock levels, \(books.receiptsChecked) receipts; head \(SHA256.hex(ledger.headHash).prefix(16))…")
        guard ledger.isClean && books.isClean else { throw SettlementError.reconciliationFailed(date: last, problems: ledger.problems.map(\.message)) }
        return [
            "  timebank --db \(path) settlement list",
            "  timebank --db \(path) report stations --from \(first) --to \(last)",
            "  timebank --db \(path) fund report --from 2026-10-01 --to \(last)",
            "  ls \(reports)/\(last)/",
        ]
    }
}

/// The demo's clock: the command's own, except while the thirty nights are told: they happen on their own days.
final class DemoClock: Clock {
    private let base: any Clock
    private let story = Mutex<Timestamp?>(nil)

    init(_ base: any Clock) { self.base = base }

    func now() -> Timestamp { story.withLock { $0 } ?? base.now() }

    /// From now on the clock reads `moment` (a moment of the story), until `goBack()`.
    func live(at moment: Timestamp) { story.withLock { $0 = moment } }

    /// Back to the command's own clock.
    func goBack() { story.withLock { $0 = nil } }
}
