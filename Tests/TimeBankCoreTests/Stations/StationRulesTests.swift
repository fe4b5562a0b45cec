import Testing
@testable import TimeBankCore

private func day(_ text: String) -> LocalDate { LocalDate(text)! }

@Suite("Stations: limit windows")
struct LimitWindowTests {
    /// 2026-10-08 is a Thursday.
    @Test("the period that contains a day, and the day it resets", arguments: [
        (PolicyPeriod.day, "2026-10-08", "2026-10-08", "2026-10-09"),
        (.week, "2026-10-08", "2026-10-05", "2026-10-12"),
        (.week, "2026-10-05", "2026-10-05", "2026-10-12"),   // a Monday starts its own week
        (.week, "2026-10-11", "2026-10-05", "2026-10-12"),   // a Sunday ends it
        (.week, "2026-12-31", "2026-12-28", "2027-01-04"),   // across the new year
        (.month, "2026-10-08", "2026-10-01", "2026-11-01"),
        (.month, "2026-12-31", "2026-12-01", "2027-01-01"),
        (.quarter, "2026-10-08", "2026-10-01", "2027-01-01"),
        (.quarter, "2026-02-28", "2026-01-01", "2026-04-01"),
        (.year, "2026-10-08", "2026-01-01", "2027-01-01"),
    ])
    func windows(period: PolicyPeriod, date: String, start: String, end: String) {
        let window = LimitWindow(period, containing: day(date))
        #expect(window.start == day(start))
        #expect(window.end == day(end))
        #expect(window.contains(day(date)))
        #expect(!window.contains(day(end)))
    }
}

@Suite("Stations: who may do what")
struct AccessRulesTests {
    let zhang = OperatorSession(operatorID: "op-zhang", name: "张敏", role: .operator, station: "S01")
    let auditor = OperatorSession(operatorID: "audit", name: "审计", role: .auditor, station: nil)
    let admin = OperatorSession(operatorID: "admin", name: "管理员", role: .admin, station: nil)

    @Test("an operator acts at their own station only, and names the rule when refused")
    func ownStation() throws {
        try AccessRules.check(zhang, .redeem, at: "S01")
        #expect(throws: AccessError.wrongStation(operatorID: "op-zhang", ownStation: "S01", station: "S02")) {
            try AccessRules.check(zhang, .redeem, at: "S02")
        }
        let message = AccessError.wrongStation(operatorID: "op-zhang", ownStation: "S01", station: "S02").message
        #expect(message.contains("rule: operators act only at their own station"))
    }

    @Test("an auditor may do no write at all", arguments: StationAction.allCases)
    func auditorReadsOnly(action: StationAction) {
        #expect(throws: AccessError.self) { try AccessRules.check(auditor, action, at: "S01") }
    }

    /// O003 reads as a sentence: the action in words (never its raw name, `operator add`) and who may do it instead.
    @Test("O003 says the action in words and who may do it", arguments: [
        (StationAction.manageOperators, "op-zhang is an operator and may not add an operator: only an admin may (ask one to do it); nothing was written"),
        (.lateRefund, "op-zhang is an operator and may not refund after the return window: only an admin may (ask one to do it); nothing was written"),
        (.setPIN, "op-zhang is an operator and may not set another operator's PIN: only an admin may (ask one to do it); nothing was written"),
    ])
    func roleForbiddenWording(action: StationAction, expected: String) {
        #expect(throws: AccessError.roleForbidden(operatorID: "op-zhang", role: .operator, action: action, doing: action.inWords,
                                                  whoMay: "only an admin")) { try AccessRules.check(zhang, action) }
        do { try AccessRules.check(zhang, action) } catch { #expect(error.message == expected) }
    }

    @Test("an auditor's O003 says who may: the station's operators for counter work, any operator for gifts, an admin for the rest")
    func auditorWording() {
        func message(_ action: StationAction, at station: String? = nil, doing: String? = nil) -> String {
            do { try AccessRules.check(auditor, action, at: station, doing: doing); return "allowed" } catch { return error.message }
        }
        #expect(message(.redeem, at: "S01") == "audit is an auditor and may not redeem points (an auditor only reads): an operator of "
            + "station S01 or an admin may (ask one to do it); nothing was written")
        #expect(message(.transfer) == "audit is an auditor and may not record a gift of points (an auditor only reads): an operator "
            + "or an admin may (ask one to do it); nothing was written")
        #expect(message(.administer, doing: "activate a policy") == "audit is an auditor and may not activate a policy (an auditor only "
            + "reads): only an admin may (ask one to do it); nothing was written")
        // Every action: its words, and whom to ask (it read "may not operator add (rule: auditors may only read)").
        for action in StationAction.allCases {
            let text = message(action, at: "S01")
            #expect(text.hasPrefix("audit is an auditor and may not \(action.inWords) (an auditor only reads): "), "\(text)")
            #expect(text.hasSuffix(" may (ask one to do it); nothing was written"), "\(text)")
        }
        #expect(!message(.manageOperators).contains("operator add"))
    }

    @Test("operator, station, community and policy changes, and refunds after the return window, need an admin")
    func adminOnly() throws {
        for action in [StationAction.manageOperators, .manageAccess, .administer, .lateRefund] {
            #expect(throws: AccessError.self) { try AccessRules.check(zhang, action) }
            try AccessRules.check(admin, action)
        }
        try AccessRules.check(admin, .redeem, at: "S09")
        try AccessRules.check(zhang, .transfer)
    }

    @Test("withdrawing access: never an admin's own (O014), never the last admin who can sign in (O015), only by an admin (O003)")
    func disableRules() throws {
        let zhangOperator = zhang.operator, adminOperator = admin.operator
        let admin2 = OperatorSession(operatorID: "admin2", name: "二", role: .admin, station: nil)
        try AccessRules.checkDisable(zhangOperator, by: admin, enabledAdmins: ["admin"])
        try AccessRules.checkDisable(adminOperator, by: admin2, enabledAdmins: ["admin", "admin2"])
        #expect(throws: AccessError.cannotDisableSelf(operatorID: "admin")) {
            try AccessRules.checkDisable(adminOperator, by: admin, enabledAdmins: ["admin", "admin2"])
        }
        // Alone, on themselves: the last-admin rule, which says what to do.
        #expect(throws: AccessError.lastAdmin(operatorID: "admin")) {
            try AccessRules.checkDisable(adminOperator, by: admin, enabledAdmins: ["admin"])
        }
        // A session of an admin disabled since (the store refuses it first, O013): the last enabled admin is kept all the same.
        #expect(throws: AccessError.lastAdmin(operatorID: "admin")) {
            try AccessRules.checkDisable(adminOperator, by: admin2, enabledAdmins: ["admin"])
        }
        #expect(throws: AccessError.self) { try AccessRules.checkDisable(adminOperator, by: zhang, enabledAdmins: ["admin", "admin2"]) }
        #expect(throws: AccessError.self) { try AccessRules.checkDisable(zhangOperator, by: auditor, enabledAdmins: ["admin"]) }
    }

    @Test("an operator needs a station; ids and names are checked")
    func operatorFields() throws {
        #expect(throws: AccessError.self) { try Operator(id: "op-li", name: "李", role: .operator, station: nil).validate() }
        #expect(throws: AccessError.self) { try Operator(id: "op li", name: "李", role: .admin, station: nil).validate() }
        #expect(throws: AccessError.self) { try Operator(id: "op-li", name: "", role: .admin, station: nil).validate() }
        try Operator(id: "audit", name: "审计", role: .auditor, station: nil).validate()
    }

    @Test("an operator's name is checked as a volunteer's: not blank, one line, no C1 control, no bidirectional override",
          arguments: [("  ", "it is empty"), ("张\u{202E}敏", "it has the invisible bidirectional control U+202E"),
                      ("张\u{85}敏", "it has a line break or another control character"), ("张\n敏", "it has a line break"),
                      (String(repeating: "张", count: 101), "it is longer than 100 characters (it has 101)")])
    func operatorName(name: String, reason: String) throws {
        do {
            try Operator(id: "op-zhang", name: name, role: .admin, station: nil).validate()
            Issue.record("\(name.debugDescription) was accepted")
        } catch {
            #expect(error.code == "O008")
            #expect(error.message.hasPrefix("invalid operator name: " + reason), "\(error.message)")
        }
    }

    @Test("a new operator id with an invisible or look-alike character, or typed full-width, is refused as a volunteer id is (O008)",
          arguments: [
              ("op-zhang\u{200B}", "the id \"op-zhang\\u{200B}\" has an invisible character (U+200B ZERO WIDTH SPACE)"),
              ("op-\u{202E}zhang", "the id \"op-\\u{202E}zhang\" has an invisible character (U+202E RIGHT-TO-LEFT OVERRIDE)"),
              ("оp-zhang", "the id \"оp-zhang\" has the Cyrillic letter \"о\" (U+043E), which looks like the Latin \"o\""),
              ("ΑDMIN", "the id \"ΑDMIN\" has the Greek letter \"Α\" (U+0391)"),
              ("ｏｐ１", "the id \"ｏｐ１\" is typed in full-width characters"),
          ])
    func operatorIDLooksLikeAnother(id: String, reason: String) throws {
        do {
            try Operator(id: id, name: "张敏", role: .admin, station: nil).validate()
            Issue.record("\(id) was accepted")
        } catch {
            #expect(error.code == "O008")
            #expect(error.message.hasPrefix("invalid operator id: " + reason), "\(error.message)")
        }
        // An id in another script of its own is a name, not a look-alike.
        try Operator(id: "张敏-01", name: "张敏", role: .admin, station: nil).validate()
    }
}

@Suite("Stations: PIN credentials")
struct PINCredentialTests {
    @Test("a PIN is stored as pbkdf2-sha256$iterations$salt$hash and checked against it")
    func roundTrip() throws {
        let salt: [UInt8] = Array("0123456789abcdef".utf8)
        let credential = try #require(PINCredential.make(pin: "482916", salt: salt, iterations: 1_000))
        // The same derivation as PBKDF2 itself: the stored hash is PBKDF2(PIN, salt, 1000, 32 bytes).
        #expect(credential.hash == PBKDF2.deriveKey(password: Array("482916".utf8), salt: salt, iterations: 1_000, byteCount: 32))
        #expect(credential.encoded.hasPrefix("pbkdf2-sha256$1000$30313233343536373839616263646566$"))
        let parsed = try #require(PINCredential(encoded: credential.encoded))
        #expect(parsed == credential)
        #expect(parsed.matches(pin: "482916"))
        #expect(!parsed.matches(pin: "482917"))
        #expect(!parsed.encoded.contains("482916"))
    }

    @Test("a new PIN a guesser tries first is refused: one character repeated, a run of digits up or down, the operator's own id")
    func guessablePINs() {
        // Five wrong PINs lock an id for 15 minutes (O012), so a guesser tries the commonest first: these.
        for pin in ["1111", "0000", "999999", "aaaa", "1234", "4321", "0123", "987654", "3456789"] {
            #expect(PINCredential.guessablePINProblem(pin, operatorID: "op-zhang") != nil, "\(pin)")
        }
        #expect(PINCredential.guessablePINProblem("1111", operatorID: "op-zhang")
            == "it is one character repeated (such as 0000 or 1111), which a guesser tries first")
        #expect(PINCredential.guessablePINProblem("1234", operatorID: "op-zhang")
            == "it is a run of digits up or down (such as 1234 or 4321), which a guesser tries first")
        // The id itself, in any letter case: the first guess at a known id.
        #expect(PINCredential.guessablePINProblem("OP-ZHANG", operatorID: "op-zhang")
            == "it is the operator's id, which a guesser tries first")
        for pin in ["1357", "482916", "1212", "9012", "1233", "op-zhang1", "zhang-2468"] {
            #expect(PINCredential.guessablePINProblem(pin, operatorID: "op-zhang") == nil, "\(pin)")
        }
    }

    @Test("unusable PINs and stored texts are refused, never trapped on")
    func refusals() {
        #expect(PINCredential.validatePIN("123") != nil)
        #expect(PINCredential.validatePIN("12 34") != nil)
        #expect(PINCredential.validatePIN(String(repeating: "9", count: 65)) != nil)
        #expect(PINCredential.validatePIN("1234") == nil)
        #expect(PINCredential(encoded: "plain$1000$00$00") == nil)
        #expect(PINCredential(encoded: "pbkdf2-sha256$0$00$" + String(repeating: "0", count: 64)) == nil)
        #expect(PINCredential(encoded: "pbkdf2-sha256$1000$zz$" + String(repeating: "0", count: 64)) == nil)
        #expect(PINCredential(encoded: "pbkdf2-sha256$1000$00$0000") == nil)
    }
}

@Suite("Stations: redemption rules")
struct RedemptionRulesTests {
    static func item(_ id: String = "rice_5kg", kind: PolicyCatalogItem.Kind = .goods, price: String = "60", limit: PolicyCatalogItem.Limit? = nil,
                     capacity: Int? = nil) -> PolicyCatalogItem {
        let start = TimeBankCore.SourceLocation(line: 1, column: 1, offset: 0)
        return PolicyCatalogItem(id: id, label: id, kind: kind, group: "", price: ExactDecimal(price)!, unitCost: nil, limit: limit,
                                 eligible: nil, capacityPerDay: capacity, range: SourceRange(start: start, end: start))
    }

    static func facts(_ item: PolicyCatalogItem, quantity: Int = 1, eligibility: EligibilityOutcome = .eligible, used: Int = 0,
                      spendable: Int64 = 10_000, floor: Int64 = 0, stock: Int? = nil, slots: Int? = nil,
                      elsewhere: [StationAvailability] = []) -> RedemptionFacts {
        RedemptionFacts(volunteer: "V1", item: item, station: "S01", quantity: quantity, date: day("2026-10-08"), eligibility: eligibility,
                        usedInLimitWindow: used, payingAccount: .volunteer("V1"), spendable: spendable, floor: floor,
                        stockOnHand: item.kind == .goods ? (stock ?? 10) : nil, capacityUsed: item.kind == .service ? (slots ?? 0) : nil,
                        elsewhere: { elsewhere })
    }

    @Test("a redemption that passes costs price × quantity, in hundredths")
    func price() throws {
        #expect(try RedemptionRules.check(Self.facts(Self.item(price: "12.5"), quantity: 3)) == 3_750)
    }

    @Test("the first failing rule wins, in the documented order: eligibility, limit, balance, stock")
    func order() {
        let limited = Self.item(limit: .init(count: 1, per: .month))
        let everythingWrong = Self.facts(limited, eligibility: .notEligible(condition: "volunteer.age >= 60", facts: ["volunteer.age is 45"]),
                                         used: 1, spendable: 100, stock: 0)
        #expect(throws: RedemptionError.notEligible(volunteer: "V1", item: "rice_5kg", condition: "volunteer.age >= 60",
                                                   facts: ["volunteer.age is 45"])) { try RedemptionRules.check(everythingWrong) }
        #expect(throws: RedemptionError.limitReached(volunteer: "V1", item: "rice_5kg", limit: 1, period: .month, used: 1, wanted: 1,
                                                    resetsOn: day("2026-11-01"))) {
            try RedemptionRules.check(Self.facts(limited, used: 1, spendable: 100, stock: 0))
        }
        #expect(throws: RedemptionError.insufficientBalance(account: .volunteer("V1"), spendable: 100, floor: 0, price: 6_000)) {
            try RedemptionRules.check(Self.facts(limited, spendable: 100, stock: 0))
        }
        #expect(throws: RedemptionError.outOfStock(item: "rice_5kg", station: "S01", onHand: 0, wanted: 1, elsewhere: [])) {
            try RedemptionRules.check(Self.facts(limited, stock: 0))
        }
    }

    @Test("the floor is kept: 70 points with a floor of 20 cannot pay 60")
    func floor() throws {
        #expect(throws: RedemptionError.insufficientBalance(account: .volunteer("V1"), spendable: 5_000, floor: 2_000, price: 6_000)) {
            try RedemptionRules.check(Self.facts(Self.item(), spendable: 7_000, floor: 2_000))
        }
        #expect(try RedemptionRules.check(Self.facts(Self.item(), spendable: 8_000, floor: 2_000)) == 6_000)
        let message = RedemptionError.insufficientBalance(account: .volunteer("V1"), spendable: 5_000, floor: 2_000, price: 6_000).message
        #expect(message == "volunteer:V1 can spend 50.00 points above its floor of 20.00, the redemption costs 60.00; 10.00 more points are needed")
    }

    @Test("R001 words what the points pay for, and its later-day advice fits it: date a redemption or gift, book a booking",
          arguments: [
              (PointsPurpose.redemption, "the redemption costs", "date it 2026-10-06 or later", "no later date would do"),
              (.transfer, "the transfer is", "date it 2026-10-06 or later", "no later date would do"),
              (.donation, "the donation is", "date it 2026-10-06 or later", "no later date would do"),
              (.booking, "the booking costs", "book it for 2026-10-06 or later", "no later service day would do"),
              (.bookingMadeThatDay, "the booking made that day costs", "book it on 2026-10-06 or later", "no later day of booking would do"),
          ])
    func balanceWording(purpose: PointsPurpose, costs: String, advice: String, noDate: String) {
        let date = day("2026-10-03")
        func message(_ after: PointsAfterDay?) -> String {
            RedemptionError.insufficientBalance(account: .volunteer("V1"), spendable: 1_000, floor: 0, price: 2_000, purpose: purpose,
                                                creditedLater: 5_000, date: date, after: after).message
        }
        let head = "volunteer:V1 can spend 10.00 points on 2026-10-03, \(costs) 20.00; 10.00 more points are needed. 50.00 more came in after "
            + "2026-10-03 (credited, or given back by a refund or a cancelled booking), and points cannot be spent before they came in"
        #expect(message(PointsAfterDay(coveredOn: [DayRange(first: day("2026-10-06"), last: nil)], most: 6_000, mostOn: day("2026-10-06")))
                    == head + ": " + advice)
        #expect(message(PointsAfterDay(most: 1_500, mostOn: day("2026-10-05")))
                    == head + "; \(noDate): on no day since 2026-10-03 could it spend 20.00 (the most was 15.00, on 2026-10-05)")
        // Not a word of "date it" for a booking, whatever facts it was given.
        if purpose == .booking || purpose == .bookingMadeThatDay { #expect(!message(nil).contains("date it")) }
    }

    @Test("a service's capacity counts the quantity wanted; the refusal names stations with free slots")
    func capacity() throws {
        let cleaning = Self.item("home_cleaning", kind: .service, price: "80", capacity: 4)
        #expect(try RedemptionRules.check(Self.facts(cleaning, slots: 3)) == 8_000)
        let elsewhere = [StationAvailability(station: "S02", stationName: "第二站", available: 2)]
        #expect(throws: RedemptionError.capacityFull(item: "home_cleaning", station: "S01", date: day("2026-10-08"), capacity: 4,
                                                    taken: 3, wanted: 2, elsewhere: elsewhere)) {
            try RedemptionRules.check(Self.facts(cleaning, quantity: 2, spendable: 50_000, slots: 3, elsewhere: elsewhere))
        }
    }

    @Test("quantities outside 1...1000 are R010", arguments: [0, -1, 1_001])
    func quantity(quantity: Int) {
        #expect(throws: RedemptionError.self) { try RedemptionRules.check(Self.facts(Self.item(), quantity: quantity)) }
    }

    @Test("the return window is the day of redemption and the 7 days after")
    func returnWindow() {
        #expect(RedemptionRules.lastReturnDay(redeemedOn: day("2026-10-08")) == day("2026-10-15"))
    }

    @Test("the idempotency fingerprint covers key, station, volunteer, item and quantity, not the day")
    func digest() {
        let request = RedemptionRequest(key: "k", station: "S01", volunteer: "V1", item: "rice_5kg", quantity: 1, date: day("2026-10-08"))
        var nextDay = request
        nextDay.date = day("2026-10-09")
        #expect(request.contentDigest == nextDay.contentDigest)
        for change in [\RedemptionRequest.station, \.volunteer, \.item, \.key] {
            var changed = request
            changed[keyPath: change] += "x"
            #expect(changed.contentDigest != request.contentDigest)
        }
        var more = request
        more.quantity = 2
        #expect(more.contentDigest != request.contentDigest)
    }
}

@Suite("Stations: eligibility")
struct EligibilityTests {
    static func policyItem() throws -> (PolicyCatalogItem, ExpressionSchema) {
        let schema = ExpressionSchema(categories: ["orange"])
        let (compiled, diagnostics) = ExpressionCompiler.compile("volunteer.age >= 60 && \"orange\" in volunteer.teams",
                                                                 at: TimeBankCore.SourceLocation(line: 1, column: 1, offset: 0),
                                                                 expecting: .bool, schema: schema)
        #expect(diagnostics.isEmpty)
        var item = RedemptionRulesTests.item("health_check", kind: .service, price: "100")
        item.eligible = compiled
        return (item, schema)
    }

    static func volunteer(birth: String?, teams: [String]) -> Volunteer {
        Volunteer(id: "V1", name: "王秀英", household: nil, birthDate: birth.map(day), teams: teams, tags: [], joined: day("2024-05-01"))
    }

    @Test("age is taken on the day of redemption; the refusal names the condition and the facts it read")
    func refusalNamesFacts() throws {
        let (item, schema) = try Self.policyItem()
        let young = RedemptionRules.context(volunteer: Self.volunteer(birth: "1966-10-09", teams: ["orange"]), household: nil, on: day("2026-10-08"))
        #expect(RedemptionRules.eligibility(of: item, context: young, schema: schema)
                == .notEligible(condition: "volunteer.age >= 60 && \"orange\" in volunteer.teams",
                                facts: ["volunteer.age is 59", "volunteer.teams is [\"orange\"]"]))
        let birthday = RedemptionRules.context(volunteer: Self.volunteer(birth: "1966-10-08", teams: ["orange"]), household: nil, on: day("2026-10-08"))
        #expect(RedemptionRules.eligibility(of: item, context: birthday, schema: schema) == .eligible)
    }

    @Test("an unknown fact (no birth date) means not eligible, and says so")
    func unknownFact() throws {
        let (item, schema) = try Self.policyItem()
        let unknown = RedemptionRules.context(volunteer: Self.volunteer(birth: nil, teams: ["orange"]), household: nil, on: day("2026-10-08"))
        guard case .notEligible(_, let facts) = RedemptionRules.eligibility(of: item, context: unknown, schema: schema) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(facts.first == "volunteer.age is unknown")
    }
}

@Suite("Stations: transfers and receipts")
struct TransferAndReceiptTests {
    let transfers = PolicyTransfers(enabled: true, maxPointsPerMonth: ExactDecimal(50))

    @Test("the monthly limit counts what was given already and says when it resets")
    func monthlyLimit() throws {
        try TransferRules.check(transfers, volunteer: "V1", points: 2_000, givenThisMonth: 3_000, on: day("2026-10-08"))
        #expect(throws: RedemptionError.transferLimitReached(volunteer: "V1", limit: 5_000, given: 3_000, wanted: 2_500,
                                                            resetsOn: day("2026-11-01"))) {
            try TransferRules.check(transfers, volunteer: "V1", points: 2_500, givenThisMonth: 3_000, on: day("2026-10-08"))
        }
        #expect(throws: RedemptionError.transfersDisabled) {
            try TransferRules.check(PolicyTransfers(enabled: false, maxPointsPerMonth: nil), volunteer: "V1", points: 1, givenThisMonth: 0,
                                    on: day("2026-10-08"))
        }
    }

    @Test("a gift keeps the expiry of the lots it was drawn from")
    func keepsExpiry() {
        let lots = [
            Lot(id: 1, account: .volunteer("V1"), openedBy: 1, postingIndex: 0, amount: 500, expiresOn: day("2027-01-01"), remaining: 500, openedOn: day("2026-01-01")),
            Lot(id: 2, account: .volunteer("V1"), openedBy: 2, postingIndex: 0, amount: 500, expiresOn: day("2027-01-01"), remaining: 500, openedOn: day("2026-01-01")),
            Lot(id: 3, account: .volunteer("V1"), openedBy: 3, postingIndex: 0, amount: 900, expiresOn: nil, remaining: 900, openedOn: day("2026-01-01")),
        ]
        let credits = TransferRules.creditsKeepingExpiry(drawn: [(1, 500), (2, 500), (3, 200)], lots: lots)
        #expect(credits.map(\.expiresOn) == [day("2027-01-01"), nil])
        #expect(credits.map(\.amount) == [1_000, 200])
    }

    @Test("a receipt prints item, points, balance after, station, operator and local time")
    func printed() {
        let receipt = Receipt(number: 12, key: "S01-20261008-0001", station: "S01", stationName: "太白湖区第一兑换站", volunteer: "V0001",
                              volunteerName: "王秀英", paidFrom: .volunteer("V0001"), item: "rice_5kg", itemLabel: "大米 5kg", itemKind: .goods,
                              quantity: 1, unitPrice: 6_000, points: 6_000, balanceAfter: 14_000, operatorID: "op-zhang", operatorName: "张敏",
                              redeemedOn: day("2026-10-08"), serviceDate: nil,
                              recordedAt: Timestamp("2026-10-08T06:03:05.000Z")!, entry: 41, hold: nil, policyVersion: 1, refund: nil)
        #expect(receipt.rendered() == """
            ========================================
            兑换凭证 Receipt R12
            太白湖区第一兑换站 (S01)
            ----------------------------------------
            物品 Item         大米 5kg × 1
            积分 Points       60.00
            余额 Balance      140.00
            志愿者 Volunteer  王秀英 (V0001)
            操作员 Operator   张敏 (op-zhang)
            时间 Time         2026-10-08 14:03:05 (UTC+8)
            凭证号 Key        S01-20261008-0001
            ========================================

            """)
        // A paper receipt of 10-06 typed in on 10-08: the day it counts for, then when it was entered.
        var late = receipt
        late.redeemedOn = day("2026-10-06")
        #expect(late.rendered().contains("""
            操作员 Operator   张敏 (op-zhang)
            日期 Date         2026-10-06
            录入 Entered      2026-10-08 14:03:05 (UTC+8)
            凭证号 Key
            """))
    }

    @Test("a booked hold lapses at midnight after its service day, local time")
    func holdExpiry() {
        let expiry = Hold.defaultExpiry(serviceDate: day("2026-10-10"), utcOffsetMinutes: 480)
        #expect(expiry.description == "2026-10-10T16:00:00.000Z")
        #expect(HoldState.held.isFinal == false)
        #expect(HoldState.allCases.filter(\.isFinal) == [.fulfilled, .cancelled, .expired])
    }
}

@Suite("Stations: a shelf seen from a day before today")
struct ShelfDaysTests {
    func day(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test("the least day is the first that held least; the first day that would do walks back from now while every day held enough")
    func firstDayTaking() {
        // 3 at the end of 10-02, 2 from 10-04 (one handed out), 6 from 10-06 (four received), 5 from 10-08.
        let shelf = ShelfDays(days: [.init(day: day("2026-10-02"), held: 3), .init(day: day("2026-10-04"), held: 2),
                                     .init(day: day("2026-10-06"), held: 6), .init(day: day("2026-10-08"), held: 5)])
        #expect(shelf.least == .init(day: day("2026-10-04"), held: 2))
        #expect(shelf.now == 5)
        #expect(shelf.firstDay(taking: 2) == day("2026-10-02"))
        #expect(shelf.firstDay(taking: 3) == day("2026-10-06"))
        #expect(shelf.firstDay(taking: 5) == day("2026-10-06"))
        #expect(shelf.firstDay(taking: 6) == nil)   // 10-08 holds 5: no day from any date on holds 6 throughout
        let flat = ShelfDays(days: [.init(day: day("2026-10-02"), held: 0)])
        #expect(flat.least.held == 0 && flat.firstDay(taking: 1) == nil && flat.firstDay(taking: 0) == day("2026-10-02"))
    }
}
