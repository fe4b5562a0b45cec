import Foundation
import Testing
import TimeBank

// The examples of docs/library.md, compiled and run. Each example's code sits between `// guide: NAME` and
// `// guide-end` and is the code block under `<!-- guide: NAME -->` in the page, line for line (after the common
// indentation; the `#expect` and `#require` lines are the test's own and are left out of the page).
// `guideExamplesMatchThisFile` checks that, so the page cannot drift from what runs here.

/// A folder of its own for each test, removed afterwards.
final class GuideFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-guide-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The guide's policy: two categories, a weekend factor, a year's expiry, a fund rate and a small catalog.
let guidePolicy = """
    [policy]
    id = "guide"
    version = 1
    effective = 2026-10-01
    unit = "积分"

    [earning]
    rounding = "half_even"
    step = 0.5
    min_minutes = 30
    require_verifier = true
    combine_multipliers = "max"

    [categories.orange]
    label = "橙色关怀"
    points_per_hour = 12

    [categories.green]
    label = "绿色环保"
    points_per_hour = 10

    [multipliers.weekend]
    label = "周末"
    factor = 1.2
    when = 'record.weekday in ["sat", "sun"]'

    [accounts]
    earn_to = "volunteer"
    balance_floor = 0

    [expiry]
    after_months = 12

    [fund]
    merchant_rate = 0.001

    [catalog.rice_5kg]
    label = "大米 5kg"
    kind = "goods"
    price = 60
    unit_cost = 30

    [catalog.home_cleaning]
    label = "上门保洁 2小时"
    kind = "service"
    price = 80
    unit_cost = 40
    capacity_per_day = 4
    """

/// The guide's community: households H0001 (V0001, V0002) and H0002 (V0003), stations S01 and S02.
func guideCommunity(_ store: TimeBankStore) throws {
    // guide: community
    let joined = LocalDate("2024-05-01")!
    try store.addCommunity(
        households: [Household(id: "H0001", name: "王家", address: "泰山路12号"),
                     Household(id: "H0002", name: "李家", address: "泰山路14号")],
        volunteers: [
            Volunteer(id: "V0001", name: "王秀英", household: "H0001", birthDate: LocalDate("1950-03-08"),
                      teams: ["orange"], tags: [], joined: joined),
            Volunteer(id: "V0002", name: "王小明", household: "H0001", birthDate: nil,
                      teams: ["green"], tags: [], joined: joined),
            Volunteer(id: "V0003", name: "李华", household: "H0002", birthDate: nil,
                      teams: ["orange"], tags: [], joined: joined),
        ],
        stations: [Station(id: "S01", name: "太白湖第一兑换站", community: "太白湖", address: "泰山路1号"),
                   Station(id: "S02", name: "太白湖第二兑换站", community: "太白湖", address: "泰山路2号")])
    // guide-end
}

@Suite("docs/library.md: the examples")
struct LibraryGuideTests {
    @Test("correct the community: a rename and a move, each kept with its reason")
    func correctCommunity() throws {
        let folder = try GuideFolder()
        let store = try TimeBankStore(path: folder.path + "/community.sqlite")
        try guideCommunity(store)
        // guide: community-update
        try store.updateVolunteer("V0002", VolunteerUpdate(name: "王晓明"), reason: "姓名录入错误", actor: "admin")
        let move = try store.updateVolunteer("V0002", VolunteerUpdate(household: .moveTo("H0002")),
                                             reason: "搬到李家", actor: "admin")
        // move.changes: household H0001 → H0002; a field given with its stored value is in move.unchanged.
        for change in try store.communityChanges(of: .volunteer, id: "V0002") {
            print(change.field, change.oldValue, "→", change.newValue, change.reason)
        }
        // guide-end
        #expect(move.changes.map(\.newValue) == ["H0002"])
        #expect(try store.volunteers(household: "H0002").map(\.id) == ["V0002", "V0003"])
    }

    @Test("open a store: a path, a clock, one store per thread")
    func openStore() async throws {
        let folder = try GuideFolder()
        let path = folder.path + "/community.sqlite"
        // guide: open
        // 10:00 on 8 November 2026 in China, for every reading: the dates and times written are the same each run.
        let clock = FixedClock(Timestamp("2026-11-08T02:00:00.000Z")!)
        let store = try TimeBankStore(path: path, clock: clock)   // creates and migrates the file when needed
        let today = clock.now().date(offsetMinutes: 480)           // 2026-11-08, the community's date
        // A service opens the store its installer made: a mistyped path is U006, not a new empty community.
        let served = try TimeBankStore(existingAt: path, clock: clock)
        // guide-end
        #expect(try served.head().count == 0)
        #expect(today == LocalDate("2026-11-08")!)
        try guideCommunity(store)
        #expect(try store.volunteers(household: "H0001").map(\.id) == ["V0001", "V0002"])

        // guide: one-store-per-task
        // Four tasks post at once, each through a store of its own on the same file.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 1...4 {
                group.addTask {
                    let store = try TimeBankStore(path: path)
                    for n in 1...5 {
                        try store.post(.move(key: "task-\(worker)-\(n)", kind: .award, date: LocalDate("2026-11-01")!,
                                             actor: "admin", memo: "巡逻", from: .issuance, to: .volunteer("V0001"),
                                             amount: 100))
                    }
                }
            }
            try await group.waitForAll()
        }
        let balance = try store.balance(.volunteer("V0001"))   // 2000: 20 entries of 1.00 point, none lost
        // guide-end
        #expect(balance == 2000)
        #expect(try store.head().count == 20)
        #expect(try store.verify().isClean)
    }

    @Test("an actor owns a store for a server's handlers")
    func actorOwnsStore() async throws {
        let folder = try GuideFolder()
        let path = folder.path + "/community.sqlite"
        try guideCommunity(try TimeBankStore(path: path))
        let ledger = try CommunityLedger(path: path)
        // guide: actor-use
        let outcomes = try await withThrowingTaskGroup(of: PostOutcome.self) { group in
            for _ in 1...3 {   // the same request three times at once: a client that retried
                group.addTask { try await ledger.award(volunteer: "V0002", points: "2.5", key: "award-2026-11-02-V0002") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let balance = try await ledger.balance(of: "V0002")   // "2.50": one entry, two retries that found it
        // guide-end
        #expect(outcomes.filter { if case .created = $0 { true } else { false } }.count == 1)
        #expect(balance == "2.50")
        // A client's key that the engine writes its own entries under would block the engine's entry for good.
        await #expect { try await ledger.award(volunteer: "V0002", points: "1", key: "redeem:S01-0001") } throws: {
            ($0 as? LedgerError)?.code == "L021"
        }
    }
}

// guide: actor
/// One store for the whole service, owned by an actor: requests from any task go through it one at a time.
actor CommunityLedger {
    private let store: TimeBankStore

    init(path: String) throws {
        store = try TimeBankStore(path: path)
    }

    /// `postByHand`, not `post`: the key comes from outside, so it may not be one the engine writes under (L021).
    func award(volunteer: String, points: String, key: String) throws -> PostOutcome {
        guard let amount = Hundredths.parse(points) else { throw GuideInputError(field: "points", text: points) }
        return try store.postByHand(.move(key: key, kind: .award, date: store.clock.now().date(offsetMinutes: 480),
                                    actor: "web", memo: "", from: .issuance, to: .volunteer(volunteer), amount: amount))
    }

    func balance(of volunteer: String) throws -> String {
        Hundredths.format(try store.balance(.volunteer(volunteer)))
    }
}

/// What the service says about input it cannot read before it reaches the store.
struct GuideInputError: Error {
    var field: String
    var text: String
}
// guide-end

/// A store in a folder of its own with the guide's community, at the guide's clock (10:00 on 8 November 2026 in China).
func guideStore(_ folder: GuideFolder, policy: Bool = true) throws -> TimeBankStore {
    let store = try TimeBankStore(path: folder.path + "/community.sqlite",
                                  clock: FixedClock(Timestamp("2026-11-08T02:00:00.000Z")!, stepMilliseconds: 1000))
    try guideCommunity(store)
    if policy { try store.activatePolicy(guidePolicy, actor: "admin") }
    return store
}

/// The guide's record file: two good rows, a row naming nobody the store knows and a row with a category the policy lacks.
let guideRecords = """
    id,volunteer,category,date,start,end,verifier,note
    r1,V0001,orange,2026-11-01,09:00,11:00,张主任,探访独居老人
    r2,V0002,green,2026-11-02,14:00,16:00,张主任,垃圾分类督导
    r3,V0009,orange,2026-11-02,09:00,10:00,张主任,
    r4,V0003,blue,2026-11-03,09:00,10:00,张主任,邻里调解

    """

extension LibraryGuideTests {
    @Test("check a policy: diagnostics are values; activate it")
    func policyFlow() throws {
        let folder = try GuideFolder()
        let store = try guideStore(folder, policy: false)
        let policyText = guidePolicy
        let mistyped = guidePolicy.replacingOccurrences(of: "[\"sat\", \"sun\"]'", with: "[\"sat\", \"sun\"] && record.category == \"orang\"'")
        // guide: policy-check
        let checked = try store.checkPolicy(mistyped, path: "policy.toml")   // writes nothing
        for diagnostic in checked.diagnostics {
            print(diagnostic.severity, diagnostic.id, "\(checked.path):\(diagnostic.range.start)", diagnostic.message,
                  diagnostic.help)
        }
        // error P230 policy.toml:25:64 unknown category "orang" ["did you mean \"orange\"?"]
        print(checked.rendered())   // the same, as `timebank policy check` prints it: the line, a caret, the help
        // guide-end
        #expect(checked.policy == nil)
        #expect(checked.path == "policy.toml")
        #expect(checked.errorCount == 1)
        let first = try #require(checked.diagnostics.first)
        #expect(first.id == "P230")
        #expect("\(first.range.start)" == "25:64")
        #expect(first.message == "unknown category \"orang\"")
        #expect(first.help == ["did you mean \"orange\"?"])
        #expect(checked.rendered().contains("^^^^^^^"))

        // guide: policy-activate
        do {
            try store.activatePolicy(mistyped, actor: "admin")
        } catch let error as PolicyStoreError {
            print(error)   // error[A001]: ... nothing stored: a store only ever holds policies that compile
        }
        let outcome = try store.activatePolicy(policyText, actor: "admin")      // .activated: version #1
        let again = try store.activatePolicy(policyText, actor: "admin")        // .alreadyActive: nothing written
        let inForce = try store.policy(inForceOn: LocalDate("2026-11-08")!)     // the text, its SHA-256 and the parsed Policy
        // guide-end
        #expect(throws: PolicyStoreError.self) { try store.activatePolicy(mistyped, actor: "admin") }
        #expect(outcome.isActivated)
        #expect(!again.isActivated)
        #expect(inForce.record.number == 1)
        #expect(inForce.policy.id == "guide")
        #expect(try store.policyVersions().count == 1)
    }

    @Test("import records, read the rejects, explain a record")
    func recordsFlow() throws {
        let folder = try GuideFolder()
        let store = try guideStore(folder)
        let csvText = guideRecords
        // guide: import
        let bytes = Array(csvText.utf8)   // a file's bytes as they came: the store checks they are UTF-8
        let outcome = try store.importRecords(bytes, fileName: "november.csv", actor: "admin",
                                              today: LocalDate("2026-11-08")!)
        print(outcome.rowsRead, outcome.stored.count, outcome.rejected.count)   // 4 2 2
        let renderer = DiagnosticRenderer(path: outcome.fileName, source: outcome.text)
        for row in outcome.rejected {
            for error in row.errors {
                print(row.row, error.id, error.column, error.reason)   // 4 E003 volunteer ..., 5 E004 category ...
                print(renderer.render(error.diagnostic))              // the line, a caret under the value, the help
            }
        }
        let again = try store.importRecords(bytes, fileName: "november.csv", actor: "admin",
                                            today: LocalDate("2026-11-08")!)
        print(again.stored.count, again.alreadyStored.count)   // 0 2: importing the same file again adds nothing
        // guide-end
        #expect(outcome.rowsRead == 4)
        #expect(outcome.stored.map(\.record.id) == ["r1", "r2"])
        #expect(outcome.rejected.map(\.row) == [4, 5])
        #expect(outcome.rejected.flatMap(\.errors).map(\.id) == ["E003", "E004"])
        #expect(outcome.rejected.flatMap(\.errors).map(\.column) == ["volunteer", "category"])
        #expect(again.stored.isEmpty && again.alreadyStored.count == 2)

        // guide: explain
        let preview = try store.explainRecord(id: "r1")   // not posted yet: what posting it now would give
        print(preview.isPreview, Hundredths.format(preview.net))   // true 29.00
        for line in preview.lines { print(line.rule, line.text, line.effect, line.running) }
        print(try store.settlementRejection(of: preview.stored.record) ?? "scorable")   // or why the version in force cannot score it
        // guide-end
        #expect(try store.settlementRejection(of: preview.stored.record) == nil)
        #expect(preview.isPreview)
        #expect(preview.net == 2900)
        #expect(preview.lines.contains { $0.rule == "multipliers.weekend" && $0.effect == "×1.2" })
    }
}

extension LibraryGuideTests {
    @Test("score a file as a dry run against the store, as `timebank score --db` does")
    func dryRun() throws {
        let folder = try GuideFolder()
        let store = try guideStore(folder)
        let bytes = Array(guideRecords.utf8)
        // guide: dry-run
        let timeline = try store.storedPolicyTimeline()   // every activated version, each for its dates
        let community = try store.communityDirectory()
        let contents = try store.withStoredRecordLookup { stored in
            // The checks of an import, against the stored records too (overlaps, full days: E010, E024, E026).
            let context = RecordValidator.Context(policies: timeline, community: community, stored: stored)
            return try RecordFile.read(bytes, fileName: "november.csv", context: context)
        }
        // Records posted already are in the history the others are scored against: scoring them again counts twice.
        let unposted = try contents.records.filter { try !store.isPosted(source: $0.source, id: $0.id) }
        let run = try Scorer(timeline: timeline, community: community)
            .score(unposted, history: StoreScoringHistory(store: store))
        for score in run.scores {
            print(run.records[score.recordIndex].id, score.status, Hundredths.format(score.net))
        }
        // r1 scored 29.00, r2 scored 20.00; contents.rejected holds r3 and r4 as the import would; nothing is written
        // guide-end
        #expect(run.scores.map { run.records[$0.recordIndex].id } == ["r1", "r2"])
        #expect(run.scores.map(\.net) == [2900, 2000])
        #expect(run.scores.allSatisfy { $0.status == .scored })
        #expect(contents.rejected.map(\.row) == [4, 5])
        #expect(try store.records().isEmpty && store.head().count == 0)
    }

    @Test("settle a night, then catch up missed nights")
    func settlementFlow() throws {
        let folder = try GuideFolder()
        let store = try guideStore(folder)
        _ = try store.importRecords(Array(guideRecords.utf8), fileName: "november.csv", actor: "admin", today: LocalDate("2026-11-08")!)
        // guide: settle
        let today = LocalDate("2026-11-08")!
        let first = try store.settle(SettlementRequest(date: LocalDate("2026-11-01")!, actor: "nightly", today: today))
        print(first.accepted, first.posted, Hundredths.format(first.awarded))   // 1 1 29.00: r1, dated 1 November
        let posted = try store.explainRecord(id: "r1")   // now the explanation stored with the points
        print(posted.isPreview, posted.policyVersion ?? "-")   // false #1: the stored version that scored it
        // guide-end
        #expect(first.accepted == 1 && first.posted == 1 && first.awarded == 2900)
        #expect(!posted.isPreview)
        #expect(posted.policyVersion == "#1")

        // guide: missed-days
        let yesterday = today.adding(days: -1)   // 2026-11-07; nights 2 to 6 November were never settled
        do {
            // yesterday in the policy's time zone by the store's clock, as `timebank settle` without --date
            _ = try store.settle(try SettlementRequest.yesterday(in: store, actor: "nightly"))
            #expect(Bool(false), "N010 expected")
        } catch let error as SettlementError {
            print(error.code)   // N010: it names the missed days and settles nothing
            #expect(error.code == "N010")
        }
        var nights: [LocalDate] = []
        try store.settleDays(SettlementRequest(date: yesterday, actor: "nightly", today: today,
                                               missedDays: .settleFirst)) { summary in
            nights.append(summary.date)   // each night as it is recorded: 2, 3, 4, 5, 6 and 7 November
        }
        let again = try store.settle(SettlementRequest(date: yesterday, actor: "nightly", today: today))
        print(again.alreadySettled)   // true: a settled night is returned as it was recorded
        // guide-end
        #expect(try SettlementRequest.yesterday(in: store, actor: "nightly").date == yesterday)
        #expect(nights.map(\.description) == ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-07"])
        #expect(again.alreadySettled)
        #expect(try store.latestSettledDate() == yesterday)
        #expect(try store.balance(.volunteer("V0002")) == 2000)
    }
}

extension LibraryGuideTests {
    @Test("operators sign in; redeem, refund and book at a station")
    func stationFlow() throws {
        let folder = try GuideFolder()
        let store = try guideStore(folder)
        // guide: operators
        try store.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil),
                              pin: "482916", by: nil)   // the first operator: an admin, no session needed
        let admin = try store.signIn(operatorID: "admin", pin: "482916")
        try store.addOperator(Operator(id: "op-zhang", name: "张敏", role: .operator, station: "S01"),
                              pin: "1357", by: admin)
        let zhang = try store.signIn(operatorID: "op-zhang", pin: "1357")   // O001 for a wrong PIN or unknown id
        // guide-end
        #expect(zhang.station == "S01" && zhang.role == .operator)
        #expect(throws: AccessError.self) { try store.signIn(operatorID: "op-zhang", pin: "9999") }

        // guide: redeem
        let today = LocalDate("2026-11-08")!
        try store.donate(donor: "爱心企业 鲁味斋", amount: 200_000, date: today, key: "donation-1", actor: "admin")
        try store.receiveStock(StockReceiveRequest(key: "S01-in-1", station: "S01", item: "rice_5kg", quantity: 20,
                                                   supplierNote: "粮油店", date: today), by: zhang)
        try store.post(.move(key: "award-2026-10-15-V0002", kind: .award, date: LocalDate("2026-10-15")!,
                             actor: "admin", memo: "紫色便民: 义务理发 5小时", from: .issuance,
                             to: .volunteer("V0002"), amount: 20_000, lotExpiresOn: LocalDate("2027-10-15")))
        let request = RedemptionRequest(key: "S01-0001", station: "S01", volunteer: "V0002", item: "rice_5kg",
                                        date: today)
        let sale = try store.redeem(request, by: zhang)
        print(sale.isNew, sale.receipt.number, Hundredths.format(sale.receipt.balanceAfter))   // true 1 140.00
        let retry = try store.redeem(request, by: zhang)   // the counter's network dropped; it sent it again
        print(retry.isNew, retry.receipt.number)            // false 1: the same receipt, nothing spent twice
        print(sale.receipt.rendered(unit: "积分"))          // the receipt as the station prints it
        print(try store.stockLevel(station: "S01", item: "rice_5kg"))   // 19
        #expect(try store.stockLevel(station: "S01", item: "rice_5kg") == 19)
        try store.refund(receipt: sale.receipt.number, reason: "米袋破损", by: zhang, on: today)
        print(Hundredths.format(try store.balance(.volunteer("V0002"))))   // 200.00: the points went back to their lots
        // guide-end
        #expect(sale.isNew && sale.receipt.number == 1 && sale.receipt.balanceAfter == 14_000)
        #expect(!retry.isNew && retry.receipt == sale.receipt)
        #expect(try store.stockLevel(station: "S01", item: "rice_5kg") == 20)
        #expect(try store.balance(.volunteer("V0002")) == 20_000)

        // guide: book
        let booking = try store.book(BookingRequest(key: "S01-B-0001", station: "S01", volunteer: "V0002",
                                                    item: "home_cleaning", date: today), by: zhang)
        print(booking.hold.state, Hundredths.format(try store.spendablePoints(.volunteer("V0002"), on: today)))
        // held 120.00: 80 points wait in system:held until the service is done, cancelled or the day ends
        let served = try store.fulfil(hold: booking.hold.number, by: zhang, on: today)
        print(served.receipt.item, Hundredths.format(served.receipt.points))   // home_cleaning 80.00
        // guide-end
        #expect(booking.hold.state == .held)
        #expect(try store.spendablePoints(.volunteer("V0002"), on: today) == 12_000)
        #expect(served.receipt.points == 8_000)
        #expect(try store.hold(number: booking.hold.number)?.state == .fulfilled)
        #expect(try store.balance(.volunteer("V0002")) == 12_000)

        // guide: operator-access
        _ = try store.disableOperator("op-zhang", reason: "调离兑换站", by: admin)   // she left the station
        do {
            _ = try store.signIn(operatorID: "op-zhang", pin: "1357")
        } catch let error as AccessError {
            print(error.code)   // O013: the right PIN, but the access was withdrawn (a wrong PIN still gets O001)
            #expect(error.code == "O013")
        }
        let retried = try store.disableOperator("op-zhang", reason: "调离兑换站", by: admin)
        print(retried)   // .unchanged(...): disabled already, nothing written
        print(try store.operatorAccess("op-zhang")!.isEnabled)   // false
        _ = try store.enableOperator("op-zhang", reason: "回到兑换站", by: admin)   // her old PIN works again
        // guide-end
        #expect(retried == .unchanged(try #require(try store.operatorAccessChanges(of: "op-zhang").first).asAccess))
        #expect(try store.signIn(operatorID: "op-zhang", pin: "1357").operatorID == "op-zhang")
    }
}

private extension OperatorAccessChange {
    var asAccess: OperatorAccess { OperatorAccess(operatorID: operatorID, lastChange: self) }
}

extension LibraryGuideTests {
    @Test("the fund, a dividend, reports, verify and a backup")
    func fundReportsVerifyBackup() throws {
        let folder = try GuideFolder()
        let store = try guideStore(folder)
        let today = LocalDate("2026-11-08")!
        for (volunteer, amount) in [("V0001", Int64(20_000)), ("V0002", 10_000), ("V0003", 15_000)] {
            try store.post(.move(key: "award-2026-10-20-\(volunteer)", kind: .award, date: LocalDate("2026-10-20")!,
                                 actor: "admin", memo: "十月服务", from: .issuance, to: .volunteer(volunteer), amount: amount))
        }
        _ = try store.settle(SettlementRequest(date: LocalDate("2026-11-01")!, actor: "nightly", today: today))
        // guide: fund
        let contribution = try store.contribute(merchant: "泰山路超市", turnover: 12_345_600, date: today,
                                                key: "contribution:泰山路超市:2026-11-08", actor: "admin")
        print(Hundredths.format(contribution.value.amount))   // 123.46 CNY: 0.1% of 123,456.00, half-up to the fen
        try store.donate(donor: "爱心企业 鲁味斋", amount: 50_000, date: today, key: "donation-2026-11-08", actor: "admin")
        let dividend = try store.payDividend(period: "2026-10", amount: 30_000, key: "dividend:2026-10",
                                             actor: "admin", date: today)
        for share in dividend.value.shares {
            print(share.household, Hundredths.format(share.weight), Hundredths.format(share.share))
        }
        // H0001 300.00 200.00 and H0002 150.00 100.00: 300 CNY in proportion to the points earned in October
        let report = try store.fundReport(from: LocalDate("2026-11-01")!, through: today)
        print(Hundredths.format(report.closingBalance))   // 323.46: 123.46 + 500.00 − 300.00
        // guide-end
        #expect(contribution.value.amount == 12_346)
        #expect(dividend.value.shares.map(\.household) == ["H0001", "H0002"])
        #expect(dividend.value.shares.map(\.weight) == [30_000, 15_000])
        #expect(dividend.value.shares.map(\.share) == [20_000, 10_000])
        #expect(report.closingBalance == 32_346)
        #expect(try store.balance(.household("H0001"), .cny) == 20_000)

        // guide: reports
        let stations = try store.stationsReport(from: LocalDate("2026-11-01")!, through: today)
        print(stations.rendered(as: .text))   // aligned for a terminal; .csv for a spreadsheet, .json for a program
        let ranking = try store.rankingReport(from: LocalDate("2026-10-01")!, through: LocalDate("2026-10-31")!)
        for row in ranking.rows { print(row.map(\.text)) }   // or read the cells: typed values, not text to parse
        // guide-end
        #expect(stations.rendered(as: .csv).hasPrefix("station,name,receipts,refunds,redemptions,items_out,points,low_stock\n"))
        #expect(ranking.rows.count == 3)

        // guide: verify-backup
        let verification = try store.verify()   // the chain, zero sums, balances, lots and floors, from scratch
        print(verification.isClean, verification.entriesChecked)   // true 6
        let stationsCheck = try store.verifyStations()   // stock, receipts and holds against the ledger
        print(stationsCheck.isClean)                       // true
        let backup = try store.backup(to: folder.path + "/backup-2026-11-08.sqlite")   // never overwrites a file
        print(backup.entries, backup.integrity, backup.headHash == SHA256.hex(try store.head().hash))   // 6 ok true
        // guide-end
        #expect(verification.isClean && verification.entriesChecked == 6)
        #expect(stationsCheck.isClean)
        #expect(backup.entries == 6 && backup.integrity == "ok")
        #expect(backup.headHash == SHA256.hex(try store.head().hash))
        #expect(throws: BackupError.self) { try store.backup(to: folder.path + "/backup-2026-11-08.sqlite") }
    }

    @Test("errors are values with codes and categories")
    func errorsAsValues() throws {
        let folder = try GuideFolder()
        let store = try guideStore(folder)
        // guide: errors
        func httpStatus(_ error: any Error) -> (status: Int, code: String, message: String) {
            guard let error = error as? any TimeBankError else { return (500, "X001", "\(error)") }
            switch error.category {
            case .badInput: return (400, error.code, error.message)    // exit 2 in the CLI
            case .refused: return (409, error.code, error.message)     // exit 1: a rule said no
            case .integrity: return (500, error.code, error.message)   // exit 3: stop and call whoever runs it
            case .system: return (503, error.code, error.message)      // exit 4: the disk, a lock; try again later
            }
        }
        let overdraw = EntryRequest.move(key: "spend-1", kind: .transfer, date: LocalDate("2026-11-08")!,
                                         actor: "admin", memo: "", from: .volunteer("V0001"), to: .volunteer("V0002"),
                                         amount: 500)
        do {
            try store.post(overdraw)
        } catch {
            print(httpStatus(error))   // (409, "L004", "volunteer:V0001 has 0.00 积分; taking 5.00 would leave -5.00, ...")
        }
        // guide-end
        #expect(throws: LedgerError.self) { try store.post(overdraw) }
        do {
            try store.post(overdraw)
        } catch {
            let mapped = httpStatus(error)
            #expect(mapped.status == 409)
            #expect(mapped.code == "L004")
            #expect(mapped.message.hasPrefix("volunteer:V0001 has 0.00 积分; taking 5.00 would leave -5.00, "))
        }
        #expect(try store.head().count == 0)
    }

    @Test("did you mean: one rule for every unknown id")
    func didYouMean() throws {
        // guide: did-you-mean
        let stations = ["S01", "S02", "S10"]
        let typed = "Ｓ０１"                                      // full width, as a Chinese input method types it
        let meant = Spelling.nearest(to: typed, among: stations)  // "S01"
        let message = "no station \"\(typed)\"" + (meant.map { "; did you mean \"\($0)\"?" } ?? "")
        // guide-end
        #expect(meant == "S01")
        #expect(message == "no station \"Ｓ０１\"; did you mean \"S01\"?")
        #expect(Spelling.nearest(to: "S03", among: stations) == nil)   // one edit from S01 and from S02: not guessed
    }
}

/// The examples of this file, by name: the lines between `// guide: NAME` and `// guide-end`, without the test's own
/// `#expect`/`#require` lines, the common indentation removed.
func guideExamples(inSource text: String) -> [String: [String]] {
    var examples: [String: [String]] = [:]
    var current: (name: String, lines: [String])?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("// guide: ") {
            current = (String(trimmed.dropFirst("// guide: ".count)), [])
        } else if trimmed == "// guide-end", let finished = current {
            examples[finished.name] = dedented(finished.lines)
            current = nil
        } else if current != nil, !trimmed.hasPrefix("#expect"), !trimmed.contains("#require") {
            current!.lines.append(line)
        }
    }
    return examples
}

/// The page's Swift code blocks, by the name in the `<!-- guide: NAME -->` line before each; a block without one is
/// named `unnamed N`, which no example matches.
func guideExamples(inPage text: String) -> [String: [String]] {
    var examples: [String: [String]] = [:]
    var pendingName: String?
    var current: (name: String, lines: [String])?
    var unnamed = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        if let block = current {
            if line.trimmingCharacters(in: .whitespaces) == "```" {
                examples[block.name] = dedented(block.lines)
                current = nil
            } else {
                current!.lines.append(line)
            }
        } else if line.hasPrefix("<!-- guide: "), line.hasSuffix(" -->") {
            pendingName = String(line.dropFirst("<!-- guide: ".count).dropLast(" -->".count))
        } else if line.hasPrefix("```swift") {
            if pendingName == nil { unnamed += 1 }
            current = (pendingName ?? "unnamed \(unnamed)", [])
            pendingName = nil
        }
    }
    return examples
}

func dedented(_ lines: [String]) -> [String] {
    let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        .map { $0.prefix { $0 == " " }.count }.min() ?? 0
    return lines.map { $0.count >= indent ? String($0.dropFirst(indent)) : $0.trimmingCharacters(in: .whitespaces) }
}

@Test("docs/library.md shows exactly the examples these tests run")
func guideExamplesMatchThisFile() throws {
    let sourcePath = URL(fileURLWithPath: #filePath)
    let pagePath = sourcePath.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/library.md")
    let source = guideExamples(inSource: try String(contentsOf: sourcePath, encoding: .utf8))
    let page = guideExamples(inPage: try String(contentsOf: pagePath, encoding: .utf8))
    #expect(source.count >= 14)
    #expect(Set(page.keys) == Set(source.keys), "examples in one and not the other")
    // The policy and the record file the examples use are shown whole.
    let pageText = try String(contentsOf: pagePath, encoding: .utf8)
    #expect(pageText.contains("```toml\n" + guidePolicy + "\n```\n"), "docs/library.md shows another policy than guidePolicy")
    #expect(pageText.contains("```csv\n" + guideRecords + "```\n"), "docs/library.md shows another file than guideRecords")
    for (name, lines) in source.sorted(by: { $0.key < $1.key }) {
        guard let shown = page[name] else { continue }
        #expect(shown == lines, "docs/library.md's example \"\(name)\" differs from the code the test runs")
    }
}
