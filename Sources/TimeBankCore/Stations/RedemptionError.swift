/// Where else an item can be had: a station and how many (units in stock, or free service slots).
public struct StationAvailability: Hashable, Sendable {
    public var station: String
    public var stationName: String
    public var available: Int

    public init(station: String, stationName: String, available: Int) {
        self.station = station
        self.stationName = stationName
        self.available = available
    }
}

/// Why a redemption, booking, refund or transfer was refused. Every case says what would make it work.
/// Codes are stable and documented in `docs/errors.md` (section "Redemption (R)"). Nothing is written
/// when one is thrown.
public enum RedemptionError: TimeBankError, Hashable {
    /// R001: the paying account has too few spendable points above the floor.
    /// `creditedLater`: points the account holds that were credited after `date`, the redemption's or transfer's date
    /// (before today), which it cannot spend. `after`: what the nightly expiry took since `date` of what could be spent
    /// on it, and the later days on which it would go through (the advice names only a day that would).
    /// `expiringBefore`: a booking checked on its service day: points the account holds when it books that expire before
    /// the service day (how many, and the first day one expires), which the service day cannot spend.
    /// `expiredNotYetTaken`: points the balance still shows in lots that had expired by the day, not yet taken by the
    /// nightly expiry. `memberOwnPoints`: a household pays, and the member holds spendable points of their own.
    /// `unit`: what the policy in force calls a point (积分, 信义币), which the message names the amounts in.
    case insufficientBalance(account: AccountID, spendable: Int64, floor: Int64, price: Int64, purpose: PointsPurpose = .redemption,
                             creditedLater: Int64 = 0, date: LocalDate? = nil, after: PointsAfterDay? = nil,
                             expiringBefore: ExpiringPoints? = nil, expiredNotYetTaken: ExpiredNotYetTaken? = nil,
                             memberOwnPoints: MemberOwnPoints? = nil, unit: String = PointsUnit.unnamed)
    /// R002: not enough of the goods at this station; names the stations that have enough.
    /// `since`: the redemption is dated before today and `onHand` is the least the station held on a day from then on.
    case outOfStock(item: String, station: String, onHand: Int, wanted: Int, elsewhere: [StationAvailability], since: ShelfDays? = nil)
    /// R003: the volunteer's limit for the item is reached in this period; says when it resets.
    /// `booked`: how many of `used` are bookings not yet fulfilled (a volunteer who only booked says "I had none").
    /// `receipts`: the receipts that used it, as `R12 at S02 on 2026-11-07` (up to `RedemptionRules.limitReceiptsShown`, then `…`),
    /// so that an operator at another station's counter can tell the volunteer where and when.
    case limitReached(volunteer: String, item: String, limit: Int, period: PolicyPeriod, used: Int, wanted: Int, resetsOn: LocalDate,
                      booked: Int = 0, receipts: [String] = [])
    /// R004: the volunteer does not meet the item's eligibility condition; names it and the facts it read.
    case notEligible(volunteer: String, item: String, condition: String, facts: [String])
    /// R005: no catalog item with this id in the policy in force.
    case unknownItem(String, suggestion: String?)
    /// R005: no catalog item with this id, and the text is the label of several items of the policy in force
    /// (`CatalogItemReference`): names each id with its label, so the operator types the id of the one meant.
    case itemLabelShared(typed: String, ids: [String], labels: [String])
    /// R006: no volunteer with this id.
    case unknownVolunteer(String, suggestion: String?)
    /// R006: no volunteer with this id, and the text is the name of several volunteers (`张国栋`): names each (up to
    /// `CommunityRules.namesakesShownMaximum`, in id order) with what tells them apart, so the operator can ask which one is at the counter.
    case volunteerNameShared(name: String, volunteers: [Volunteer], count: Int)
    /// R006: no volunteer with this id, and the text is part of volunteers' names (`秀英` of 王秀英, two Chinese characters
    /// or three Latin letters or more: `PersonName.isHintablePart`): names each (up to `CommunityRules.namesakesShownMaximum`,
    /// in id order) with their name and what tells them apart, for the operator to check with the person; never taken.
    case volunteerNamePart(typed: String, volunteers: [Volunteer], count: Int)
    /// R006: no volunteer with this id, and the text is a volunteer's name before its correction (王秀英, now 王晓英: an old
    /// card, a resident who gives the old spelling): whose it was, the day it changed (`until`, in the community's zone) and
    /// the name now; never taken for the id.
    case volunteerFormerName(typed: String, volunteer: Volunteer, until: LocalDate)
    /// R007: the service has fewer free slots at this station on this day than wanted (`taken` of `capacity` are taken);
    /// names stations with free slots.
    case capacityFull(item: String, station: String, date: LocalDate, capacity: Int, taken: Int, wanted: Int, elsewhere: [StationAvailability])
    /// R008: the key was used before with different content; `differences` says how (`RedemptionContent.differences`).
    case keyReused(key: String, existing: String, differences: [String] = [])
    /// R009: the operation does not fit the item's kind (booking goods, receiving stock of a service).
    case wrongKind(item: String, kind: PolicyCatalogItem.Kind, operation: String)
    /// R010: a quantity or amount outside its range.
    case invalidQuantity(String)
    /// R011: no receipt with this number or key.
    case unknownReceipt(String)
    /// R011: the key of a basket (`BasketRequest`), whose receipts are under `KEY/1`, `KEY/2`, ...: one of them is meant.
    /// `lines`: what each receipt gave (`饼干礼盒 × 1`, `发夹饰品 × 2, refunded 2026-11-09`), so the operator finds the one the
    /// volunteer brought back without printing the slip.
    case receiptReferenceNamesBasket(reference: String, receipts: [Int64], lines: [String] = [])
    /// R011: the text names no receipt but a booking (`refund B7`, or the key it was booked under): says which receipt, if any,
    /// is the booking's, or how its points go back.
    case receiptReferenceNamesBooking(reference: String, booking: Int64, state: HoldState, receipt: Int64?)
    /// R012: the receipt was refunded already (or its entry reversed by hand).
    case alreadyRefunded(receipt: Int64, detail: String)
    /// R013: the policy's return window for this receipt has passed.
    case returnWindowClosed(receipt: Int64, redeemedOn: LocalDate, lastDay: LocalDate)
    /// R014: the hold was fulfilled, cancelled or expired already. `receipt`: the receipt of a fulfilled booking (refund it to
    /// give the points back); `given`: a fulfilment asked for a booking that ended unfulfilled, with the redemption that would
    /// record the service as given on the day asked (nil when that redemption would be refused by the item's limit).
    case holdNotActive(hold: Int64, state: HoldState, receipt: Int64? = nil, given: ServiceRedemption? = nil)
    /// R015: no hold with this number or key.
    case unknownHold(String)
    /// R016: the policy does not allow transfers between volunteers.
    case transfersDisabled
    /// R017: the giver's monthly transfer limit would be exceeded. `unit`: what the policy in force calls a point.
    case transferLimitReached(volunteer: String, limit: Int64, given: Int64, wanted: Int64, resetsOn: LocalDate,
                              unit: String = PointsUnit.unnamed)
    /// R018: a transfer that makes no sense (to oneself, within one household's pooled account, to a household: `transferToHousehold`).
    case invalidTransfer(String)
    /// R019: no station with this id.
    case unknownStation(String, suggestion: String?)
    /// R020: a reason or note that is empty, too long or has a line break.
    case invalidText(field: String, reason: String)
    /// R021: a refund dated before its redemption, or a booking fulfilled or cancelled before the day it was made.
    case dateBeforeStart(operation: String, date: LocalDate, earliest: LocalDate, because: String)
    /// R022: a reference that names two receipts (or bookings): one by its number, another by the key it was made under.
    /// `candidates` describes each, `numbers` are their numbers, in the same order.
    case ambiguousReference(reference: String, what: String, candidates: [String], numbers: [Int64])
    /// R023: a new redemption or booking key that reads as a receipt or booking number (`R12`, `B7`, `12`, `number:12`).
    case keyReadsAsNumber(key: String)
    /// R024: a ledger entry of the stations' books (a receipt, booking, refund, gift or stock delivery's payment) reversed by hand.
    /// `belongsTo` says whose entry it is; `instead` what to do.
    case stationEntry(sequence: Int64, belongsTo: String, instead: String)
    /// R025: a booking for a service day before the day of booking, or whose hold would have lapsed already.
    /// `lapsesAt`: when the hold would lapse, in local time (nil when the service day is before the day of booking);
    /// `expiryGiven`: the lapse time was asked for (not the end of the service day).
    /// `limitReached`: a redemption of the service day would be refused by the item's limit (R003), so it is not advised.
    case bookingTooLate(station: String, volunteer: String, item: String, serviceDate: LocalDate, bookedOn: LocalDate,
                        lapsesAt: String?, expiryGiven: Bool, limitReached: Bool = false, quantity: Int = 1)

    /// R026: a new redemption key that starts with `booking:`, the prefix of the receipts of fulfilled bookings
    /// (`Receipt.bookingKeyPrefix`): fulfilling that booking would find its receipt's key taken.
    case keyReservedForBookings(key: String)

    /// R027: a hold whose lapse time was given (`--hold-minutes`, counted from now) lapses before its service day starts, so
    /// the booking would end unfulfilled before the service. Times in local time.
    case holdLapsesBeforeServiceDay(serviceDate: LocalDate, lapsesAt: String, serviceDayStarts: String)

    /// R030: a hold whose lapse time was given (`--hold-minutes`, counted from now) lasts past the end of its service day. A
    /// booking is fulfilled on its service day; after it the hold has lapsed (R014), and a hold kept longer would let it be
    /// fulfilled on a later day (a receipt of another day, counted against another period's limit). Times in local time;
    /// `minutesLeft`: the most `--hold-minutes` that ends within the service day, when it is today.
    case holdOutlastsServiceDay(serviceDate: LocalDate, lapsesAt: String, serviceDayEnds: String, minutesLeft: Int?)

    /// R028: a booking fulfilled on a day before its service day. Fulfilling records the service as given, and the receipt
    /// names the service day, so the service cannot have been given yet (most likely the wrong booking was named).
    case fulfilBeforeServiceDay(hold: Int64, serviceDate: LocalDate, date: LocalDate)

    /// R029: a basket (`BasketRequest`) of fewer than two items, more than `BasketRequest.linesMaximum`, or an item named
    /// twice.
    case basketShape(String)

    /// R031: an admin's undo of a transfer or donation of points (`TimeBankStore.undoGift`) that cannot go ahead: it was
    /// undone already, or the receiver no longer holds the points it gave. `gift` describes it (`transfer #3 of 30.00 积分
    /// from V0154 to V0145 (entry #17)`); `reason` says why not and what to do.
    case giftNotUndoable(gift: String, reason: String)

    public var code: String {
        switch self {
        case .insufficientBalance: "R001"
        case .outOfStock: "R002"
        case .limitReached: "R003"
        case .notEligible: "R004"
        case .unknownItem, .itemLabelShared: "R005"
        case .unknownVolunteer, .volunteerNameShared, .volunteerNamePart, .volunteerFormerName: "R006"
        case .capacityFull: "R007"
        case .keyReused: "R008"
        case .wrongKind: "R009"
        case .invalidQuantity: "R010"
        case .unknownReceipt, .receiptReferenceNamesBooking, .receiptReferenceNamesBasket: "R011"
        case .alreadyRefunded: "R012"
        case .returnWindowClosed: "R013"
        case .holdNotActive: "R014"
        case .unknownHold: "R015"
        case .transfersDisabled: "R016"
        case .transferLimitReached: "R017"
        case .invalidTransfer: "R018"
        case .unknownStation: "R019"
        case .invalidText: "R020"
        case .dateBeforeStart: "R021"
        case .ambiguousReference: "R022"
        case .keyReadsAsNumber: "R023"
        case .stationEntry: "R024"
        case .bookingTooLate: "R025"
        case .keyReservedForBookings: "R026"
        case .holdLapsesBeforeServiceDay: "R027"
        case .fulfilBeforeServiceDay: "R028"
        case .basketShape: "R029"
        case .holdOutlastsServiceDay: "R030"
        case .giftNotUndoable: "R031"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .insufficientBalance, .outOfStock, .limitReached, .notEligible, .capacityFull, .keyReused, .alreadyRefunded,
             .returnWindowClosed, .holdNotActive, .transfersDisabled, .transferLimitReached, .stationEntry, .fulfilBeforeServiceDay,
             .giftNotUndoable:
            .refused
        case .unknownItem, .itemLabelShared, .unknownVolunteer, .volunteerNameShared, .volunteerNamePart, .volunteerFormerName, .wrongKind, .invalidQuantity, .unknownReceipt, .receiptReferenceNamesBooking, .receiptReferenceNamesBasket, .unknownHold,
             .invalidTransfer, .unknownStation, .invalidText, .dateBeforeStart, .ambiguousReference, .keyReadsAsNumber, .bookingTooLate,
             .keyReservedForBookings, .holdLapsesBeforeServiceDay, .holdOutlastsServiceDay, .basketShape:
            .badInput
        }
    }

    /// Where else the goods are, for R002: the stations that have `wanted` on their own shelf; else the stations that have
    /// some (move them with `stock move`, or restock); else none anywhere (restock only: "move some" would send the
    /// operator to look for goods no station has).
    static func stockElsewhere(_ elsewhere: [StationAvailability], wanted: Int) -> String {
        func listed(_ stations: [StationAvailability]) -> String {
            stations.map { "\($0.station) \($0.stationName) (\($0.available))" }.joined(separator: ", ")
        }
        let enough = elsewhere.filter { $0.available >= wanted }
        if !enough.isEmpty { return "in stock at " + listed(enough) }
        if !elsewhere.isEmpty {
            return "no other station has \(wanted) on its own shelf (\(listed(elsewhere))): move some with `timebank stock move`, "
                + "or restock with `timebank stock receive`"
        }
        return "no other station has any: restock with `timebank stock receive`"
    }

    /// For `#150` typed where a receipt or booking is named: `#` is how a ledger entry is written, so the text names no
    /// receipt (a key reading so is refused, R023); the help says how the slip writes the number, without taking entry 150's
    /// number for a receipt's at the counter.
    static func entrySignHelp(_ reference: String, letter: Character, what: String) -> String {
        let reading = StationReference.readingForm(reference)
        guard reading.hasPrefix("#"), let number = StationReference.number(in: String(reading.dropFirst()), letter: nil) else { return "" }
        return "; \(what) is named as its slip prints it, \(letter)\(number), and #\(number) is how ledger entry \(number) is written"
    }

    public var message: String {
        switch self {
        case .insufficientBalance(let account, let spendable, let floor, let price, let purpose, let creditedLater, let date, let after,
                                  let expiringBefore, let expiredNotYetTaken, let memberOwnPoints, let unit):
            "\(account) can spend \(Hundredths.format(spendable)) \(unit)"
                + (floor > 0 ? " above its floor of \(Hundredths.format(floor))" : "")
                + (date.map { " on \($0)" } ?? expiringBefore.map { " on the service day \($0.serviceDay)" } ?? "")
                + ", \(purpose.costs) \(Hundredths.format(price)); \(Hundredths.format(price - spendable)) more \(unit) are needed"
                + (expiredNotYetTaken.map { ". " + $0.sentence(unit: unit) } ?? "")
                + Self.expiredSince(after, on: date, unit: unit)
                + (expiringBefore.map {
                    ". \(Hundredths.format($0.points)) of the \(unit) it holds expire before then (the first on \($0.firstDay)), "
                        + "and a booking is paid from what can be spent on its service day"
                } ?? "")
                + (creditedLater > 0
                    ? ". \(Hundredths.format(creditedLater)) more came in after \(date.map(\.description) ?? "that day") (credited, or given back by "
                        + "a refund or a cancelled booking), and \(unit) cannot be spent before they came in"
                        + Self.laterDayAdvice(purpose, after: after, date: date, price: price, floor: floor)
                    : "")
                + (memberOwnPoints.map { ". " + $0.sentence(household: account, unit: unit) } ?? "")
        case .outOfStock(let item, let station, let onHand, let wanted, let elsewhere, let since):
            if let since {
                (since.least.day == since.days[0].day ? "\(station) held \(onHand) of \(item) on \(since.least.day)"
                    : "\(station) held as few as \(onHand) of \(item) on \(since.least.day), after the redemption's date \(since.days[0].day)")
                    + ", \(wanted) wanted: goods that arrived later cannot be handed out before they arrived; "
                    + (since.firstDay(taking: wanted).map { "date the redemption \($0) or later" }
                        ?? "no later day would do either (\(since.now) on the shelf now): restock with `timebank stock receive`")
            } else {
                "\(station) has \(onHand) of \(item), \(wanted) wanted; " + Self.stockElsewhere(elsewhere, wanted: wanted)
            }
        case .limitReached(let volunteer, let item, let limit, let period, let used, let wanted, let resetsOn, let booked, let receipts):
            "\(volunteer) may redeem \(item) \(limit) time\(limit == 1 ? "" : "s") per \(period.rawValue) and has \(used) this \(period.rawValue)"
                + (receipts.isEmpty ? "" : " (receipt\(receipts.count == 1 ? "" : "s") " + receipts.joined(separator: ", ") + ")")
                + (booked > 0 ? " (\(booked == used ? "" : "\(booked) of them ")booked ahead and not fulfilled yet: cancelling the booking "
                                + "frees it, `timebank booking list`)" : "")
                + (wanted > 1 ? " (\(wanted) wanted)" : "")
                // More than the limit at once: waiting for the reset never helps.
                + (wanted > limit ? "; the most that can be redeemed at once is \(limit)"
                    + (used > 0 ? ", from \(resetsOn) when the limit resets" : ": redeem at most \(limit)")
                    : "; the limit resets on \(resetsOn)" + (limit - used > 0 ? " (at most \(limit - used) now)" : ""))
        case .notEligible(let volunteer, let item, let condition, let facts):
            "\(volunteer) is not eligible for \(item): the condition `\(condition)` is not met"
                + (facts.isEmpty ? "" : " (" + facts.joined(separator: ", ") + ")")
        case .unknownItem(let id, let suggestion):
            "no catalog item \"\(id)\" in the policy in force" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? " (timebank policy show --active)")
        case .itemLabelShared(let typed, let ids, let labels):
            "no catalog item \"\(typed)\" in the policy in force, and \(ids.count) of its items have that label: "
                + zip(ids, labels).map { "\($0) (\($1))" }.listedInProse + "; type the id of the one meant"
        case .unknownVolunteer(let id, let suggestion):
            "no volunteer \"\(id)\"" + (suggestion.map { "; did you mean \"\($0)\"?" }
                ?? "; give the volunteer's id (their name, or part of it, is answered with the id here; "
                    + "`timebank volunteer list --name 秀英` lists the volunteers whose name holds 秀英)")
        case .volunteerFormerName(let typed, let volunteer, let until):
            "no volunteer \"\(typed)\"; \"\(typed)\" was the name of \(volunteer.id) until \(until) (now \(volunteer.name)): "
                + "if that is the person, give \(volunteer.id)"
        case .volunteerNamePart(let typed, let volunteers, let count):
            count == 1 && volunteers.count == 1
                ? "no volunteer \"\(typed)\"; \"\(typed)\" is part of the name of \(volunteers[0].id) \(volunteers[0].name) "
                    + "(\(Self.namesakeDetails(volunteers[0]))): if that is the person, give \(volunteers[0].id)"
                : "no volunteer \"\(typed)\"; \"\(typed)\" is part of \(count) volunteers' names: "
                    + volunteers.map { "\($0.id) \($0.name) (\(Self.namesakeDetails($0)))" }.joined(separator: ", ")
                    + (count > volunteers.count ? ", …" : "") + "; ask which one it is and give their id "
                    + "(`timebank volunteer list --name \(ShellWord.quoted(typed))` lists them)"
        case .volunteerNameShared(let name, let volunteers, let count):
            "no volunteer \"\(name)\"; \(count) volunteers are named \"\(name)\": "
                + volunteers.map { "\($0.id) (\(Self.namesakeDetails($0)))" }.joined(separator: ", ")
                + (count > volunteers.count ? ", …" : "") + "; ask which one it is and give their id"
        case .capacityFull(let item, let station, let date, let capacity, let taken, let wanted, let elsewhere):
            (taken >= capacity ? "\(item) is fully booked at \(station) on \(date) (\(capacity) a day); "
                : "\(item) has \(capacity - taken) slot\(capacity - taken == 1 ? "" : "s") left at \(station) on \(date) "
                    + "(\(capacity) a day), \(wanted) wanted: book at most \(capacity - taken) there; ")
                + (elsewhere.isEmpty ? "no other station has \(wanted > 1 ? "\(wanted) free slots" : "a free slot") that day: choose another day"
                    : "free at " + elsewhere.map { "\($0.station) \($0.stationName) (\($0.available) left)" }.joined(separator: ", "))
        case .keyReused(let key, let existing, let differences):
            "the key \"\(key)\" was already used for \(existing) with different content"
                + (differences.isEmpty ? "" : " (this one differs: " + differences.joined(separator: "; ") + ")")
                + "; nothing was written. That stands as it "
                + "was first sent (sending exactly that again prints it), and a new key would do all of it again: give one only for "
                + "what is still to be done"
        case .wrongKind(let item, let kind, let operation):
            "\(item) is a \(kind.rawValue) item and cannot be used with \(operation)"
                + (kind == .goods ? " (goods are redeemed at once with `timebank redeem`)" : " (services have a daily capacity, not stock)")
        case .invalidQuantity(let detail):
            "invalid quantity: \(detail)"
        case .unknownReceipt(let reference):
            "no receipt \(reference) (timebank receipt list)" + Self.entrySignHelp(reference, letter: StationReference.receiptLetter, what: "a receipt")
        case .receiptReferenceNamesBasket(let reference, let receipts, let lines):
            "\"\(reference)\" is the key of a basket, not of one receipt: its receipts are "
                + receipts.enumerated().map { index, number in
                    "R\(number) (\(BasketRequest.lineKey(reference, index: index))" + (index < lines.count ? ": \(lines[index]))" : ")")
                }.joined(separator: ", ")
                + "; name the one you mean (`timebank receipt show \(reference)` prints them all); nothing was written"
        case .alreadyRefunded(let receipt, let detail):
            "receipt R\(receipt) was refunded already (\(detail)); a refund happens at most once"
        case .returnWindowClosed(let receipt, let redeemedOn, let lastDay):
            "receipt R\(receipt) was redeemed on \(redeemedOn); returns were accepted until \(lastDay). An admin may still refund it: "
                + "`timebank refund R\(receipt) --late --reason TEXT` (points back to their lots, goods back on the shelf); nothing was written"
        case .holdNotActive(let hold, let state, let receipt, let given):
            if let receipt {
                "booking B\(hold) is \(state.rawValue) already (receipt R\(receipt)): to give its points back and free the slot, refund "
                    + "the receipt: `timebank refund R\(receipt) --reason TEXT`"
            } else if let given {
                "booking B\(hold) is \(state.rawValue) already and its points went back. If the service was given on \(given.date), record "
                    + "it as a redemption of that day: `\(given.command)`" + given.priceNote
            } else {
                "booking B\(hold) is \(state.rawValue) already" + (state == .expired ? " (not fulfilled in time) and its points went back" : "")
                    + "; book again if the volunteer still wants the service"
            }
        case .unknownHold(let reference):
            "no booking \(reference) (timebank booking list)" + Self.entrySignHelp(reference, letter: StationReference.bookingLetter, what: "a booking")
        case .receiptReferenceNamesBooking(let reference, let booking, let state, let receipt):
            "\"\(reference)\" names booking B\(booking), not a receipt: " + {
                switch state {
                case .fulfilled:
                    receipt.map { "it was fulfilled with receipt R\($0), so give R\($0) (its refund gives the points back and frees the slot)" }
                        ?? "it was fulfilled"
                case .held:
                    "it is still held and has no receipt until `timebank fulfil B\(booking)`; to give its points back, cancel it: "
                        + "`timebank cancel B\(booking) --reason TEXT`"
                case .cancelled, .expired:
                    "it was \(state.rawValue), has no receipt, and its points went back then"
                }
            }()
        case .transfersDisabled:
            "the policy in force does not allow transfers ([transfers] enabled = false)"
        case .transferLimitReached(let volunteer, let limit, let given, let wanted, let resetsOn, let unit):
            "\(volunteer) may give \(Hundredths.format(limit)) \(unit) a month and gave \(Hundredths.format(given)) this month; "
                + "\(Hundredths.format(wanted)) more would exceed it (at most \(Hundredths.format(max(0, limit - given))) now; the limit resets on \(resetsOn))"
        case .invalidTransfer(let detail):
            "invalid transfer: \(detail)"
        case .unknownStation(let id, let suggestion):
            "no station \"\(id)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? " (timebank station list)")
        case .invalidText(let field, let reason):
            "invalid \(field): \(reason)"
        case .fulfilBeforeServiceDay(let hold, let serviceDate, let date):
            "booking B\(hold) is for \(serviceDate): fulfilling it on \(date) would record the service as given before its day (check "
                + "the booking number: `timebank booking list --active`); fulfil it on \(serviceDate). If the volunteer was served early, "
                + "cancel it (`timebank cancel B\(hold) --reason TEXT`) and redeem the service given today; nothing was written"
        case .basketShape(let problem):
            problem + "; nothing was written"
        case .dateBeforeStart(let operation, let date, let earliest, let because):
            "a \(operation) on \(date) is before \(because) (\(earliest)); give --date \(earliest) or later"
        case .ambiguousReference(let reference, let what, let candidates, let numbers):
            StationReference.ambiguity(reference, what: what, candidates: candidates, numbers: numbers)
        case .keyReadsAsNumber(let key):
            "the key \"\(key)\" reads as a receipt or booking number (refund, receipt show, fulfil and cancel take R12, B7 and 12 "
                + "as numbers, and full-width Ｒ１２, ＃１２ or number: 12 read the same to a person), so a later refund or cancellation under it could hit another volunteer's receipt; give a key that is "
                + "not a number with or without R or B in front, such as \"S01-0001\" (the station and the counter's running number); "
                + "nothing was written"
        case .holdLapsesBeforeServiceDay(let serviceDate, let lapsesAt, let serviceDayStarts):
            "the hold would lapse at \(lapsesAt), before its service day \(serviceDate) starts (\(serviceDayStarts)), so the booking "
                + "would end unfulfilled before the service: --hold-minutes counts from now and is for today's bookings; leave it out "
                + "to hold the points and the slot until the end of \(serviceDate); nothing was written"
        case .holdOutlastsServiceDay(let serviceDate, let lapsesAt, let serviceDayEnds, let minutesLeft):
            "the hold would last until \(lapsesAt), past the end of its service day \(serviceDate) (\(serviceDayEnds)): a booking is "
                + "fulfilled on its service day, and after it the hold lapses and the points go back; leave --hold-minutes out to hold "
                + "the points and the slot until the end of \(serviceDate)"
                + (minutesLeft.map { ", or give --hold-minutes \($0) or fewer (to the end of today)" } ?? "")
                + "; for another day, book it with --for DATE; nothing was written"
        case .keyReservedForBookings(let key):
            "the key \"\(key)\" starts with \"\(Receipt.bookingKeyPrefix)\", which the receipt of a fulfilled booking is written under "
                + "(\(Receipt.bookingKeyPrefix) and the booking's key), so fulfilling that booking later would find its receipt's key taken; "
                + "give a key without it, such as \"S01-0001\" (the station and the counter's running number); nothing was written"
        case .giftNotUndoable(let gift, let reason):
            "\(gift) cannot be undone: \(reason); nothing was written"
        case .stationEntry(let sequence, let belongsTo, let instead):
            "entry #\(sequence) is \(belongsTo), which the stations' books (receipts, stock, bookings, gift limits and their reports) "
                + "count; reversed by hand it would leave them contradicting the ledger. \(instead); nothing was written"
        case .bookingTooLate(let station, let volunteer, let item, let serviceDate, let bookedOn, let lapsesAt, let expiryGiven, let limitReached,
                             let quantity):
            (serviceDate < bookedOn
                ? "a booking made on \(bookedOn) cannot be for \(serviceDate), a day before it: give --for \(bookedOn) or later"
                : expiryGiven
                    ? "the hold would lapse at \(lapsesAt ?? "?"), which has passed: give a later expiry"
                    : "a booking for \(serviceDate) would lapse at the end of that day (\(lapsesAt ?? "?")), which has passed: "
                        + "book for today or a later day")
                + (expiryGiven && serviceDate >= bookedOn ? ""
                    : limitReached ? ". (Typed in as a redemption of \(serviceDate) it would be refused as well: \(volunteer) has reached the "
                        + "limit of \(item) for that period, R003)"
                    : ". If the service was given on \(serviceDate), type it in as a redemption of that day: `"
                        + ServiceRedemption(station: station, volunteer: volunteer, item: item, date: serviceDate, quantity: quantity).command + "`")
                + "; nothing was written"
        }
    }
}

extension RedemptionError {
    /// `. 50.00 积分 it held on 2026-11-05 have expired since (...)`, or nothing.
    static func expiredSince(_ after: PointsAfterDay?, on date: LocalDate?, unit: String) -> String {
        guard let after, let date, after.expired > 0 else { return "" }
        return ". " + after.expiredSentence(on: date, unit: unit)
    }

    /// The end of an R001 whose points came in after its date: the day (or days) it would go through, or why none would.
    static func laterDayAdvice(_ purpose: PointsPurpose, after: PointsAfterDay?, date: LocalDate?, price: Int64, floor: Int64) -> String {
        guard let after, let date else { return ": \(purpose.laterVerb) later" }
        let advice = after.advice(verb: purpose.laterVerb, preposition: purpose.preposition, after: date, spend: price, floor: floor,
                                  noDate: purpose.noLaterDay)
        return (after.coveredOn.isEmpty ? "; " : ": ") + advice
    }

    /// What tells namesakes apart at a counter: `household H0068, born 1978, team green` (what the store has of these).
    static func namesakeDetails(_ volunteer: Volunteer) -> String {
        var details = [volunteer.household.map { "household \($0)" } ?? "no household"]
        if let birthDate = volunteer.birthDate { details.append("born \(birthDate.year)") }
        if !volunteer.teams.isEmpty { details.append((volunteer.teams.count == 1 ? "team " : "teams ") + volunteer.teams.joined(separator: "/")) }
        return details.joined(separator: ", ")
    }
}

/// Why a stock operation was refused. Codes are stable and documented in `docs/errors.md`
/// (section "Stock (K)"). Nothing is written when one is thrown.
public enum StockError: TimeBankError, Hashable {
    /// K001: a quantity of 0, negative where only a positive one makes sense (a delivery, a move), or beyond the
    /// largest allowed. `signed`: the operation takes either sign (an adjustment).
    case invalidQuantity(Int, signed: Bool = false)
    /// K002: an adjustment without a usable reason, or with a sign its reason does not allow.
    case invalidReason(String)
    /// K003: the operation would leave less than nothing in stock. `since`: the operation is dated before today, and
    /// `onHand` is the least the station held on a day from then on (goods received later cannot be taken before).
    case insufficientStock(item: String, station: String, onHand: Int, change: Int, since: ShelfDays? = nil)
    /// K004: stock of a service (services have a daily capacity, not stock).
    case notStocked(item: String)
    /// K005: a move from a station to itself.
    case sameStation(String)
    /// K006: the key was used before with different content. `existing`: what the key recorded (`stock operation #3
    /// (biscuits +200 received at S01 on 2026-11-10 by op-zhang, ...)`).
    /// `byStocktake`: the key was sent by `stock count`, whose advice is to count again under a new key.
    case keyReused(key: String, existing: String = "another stock operation", byStocktake: Bool = false)
    /// K007: a unit cost that is negative, has more than 2 decimals, or is too large.
    case invalidCost(String, problem: String = "is not an amount of CNY ≥ 0 with at most 2 decimals")
    /// K007: quantity × unit cost is beyond the largest amount the ledger holds.
    case costTooLarge(unitCost: Int64, quantity: Int)

    /// The largest quantity one stock operation or redemption may carry.
    public static let quantityMaximum = 1_000_000

    public var code: String {
        switch self {
        case .invalidQuantity: "K001"
        case .invalidReason: "K002"
        case .insufficientStock: "K003"
        case .notStocked: "K004"
        case .sameStation: "K005"
        case .keyReused: "K006"
        case .invalidCost, .costTooLarge: "K007"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .insufficientStock, .keyReused: .refused
        case .invalidQuantity, .invalidReason, .notStocked, .sameStation, .invalidCost, .costTooLarge: .badInput
        }
    }

    public var message: String {
        switch self {
        case .invalidQuantity(let quantity, let signed):
            signed
                ? "quantity \(quantity) is not allowed: give a whole number from -\(Self.quantityMaximum) to \(Self.quantityMaximum), "
                    + "other than 0 (negative takes stock away)"
                : "quantity \(quantity) is not allowed: give a whole number from 1 to \(Self.quantityMaximum)"
        case .invalidReason(let detail):
            "invalid adjustment reason: \(detail)"
        case .insufficientStock(let item, let station, let onHand, let change, let since):
            if let since {
                "\(station) held as few as \(onHand) of \(item) on \(since.least.day) (goods that arrived later cannot be taken "
                    + "before they arrived); taking \(-change) dated \(since.days[0].day) would leave \(onHand + change) that day; "
                    + (since.firstDay(taking: -change).map { "date it \($0) or later, or take less" } ?? "take at most \(max(0, onHand))")
                    + "; nothing was written"
            } else {
                "\(station) has \(onHand) of \(item); taking \(-change) would leave \(onHand + change); nothing was written"
            }
        case .notStocked(let item):
            "\(item) is a service: services have a daily capacity (capacity_per_day in the policy), not stock"
        case .sameStation(let station):
            "a move needs two different stations (both are \(station))"
        case .keyReused(let key, let existing, true):
            "the key \"\(key)\" was already used for \(existing) with different content; nothing was written. That stands as "
                + "it was first sent. To count again (a shelf miscounted, or goods moved since), give the new count a new key: it is "
                + "set beside the levels as they stand then, so what the first count corrected is not corrected twice"
        case .keyReused(let key, let existing, false):
            "the key \"\(key)\" was already used for \(existing) with different content; nothing was written. That stands as "
                + "it was first sent, and a new key would record all of it again: use one only for another delivery or correction. "
                + "A quantity received wrong is corrected with `timebank stock adjust --reason count-correction` (and what the fund "
                + "paid too much goes back by an admin's `timebank post --from system:outside --to fund:main --cny AMOUNT --kind adjustment`)"
        case .invalidCost(let text, let problem):
            "unit cost \"\(text)\" \(problem)"
        case .costTooLarge(let unitCost, let quantity):
            "\(quantity) × \(Hundredths.format(unitCost)) CNY is beyond the largest amount, \(Hundredths.format(Hundredths.maximumMagnitude)) CNY; "
                + "check the unit cost (the price of one) and the quantity; nothing was written"
        }
    }
}


/// The redemption that records a service as given on a day, for R014 and R025 to advise: of the booking's quantity.
public struct ServiceRedemption: Hashable, Sendable {
    public var station: String
    public var volunteer: String
    public var item: String
    public var date: LocalDate
    public var quantity: Int
    /// For a booking that lapsed (R014): what the redemption costs by the policy in force on `date` and what the booking
    /// held, said when they differ (a later version changed the price); nil: not known, or the same.
    public var repriced: Repriced?

    /// A redemption's cost on its day beside the points its booking held, in hundredths, and what the policy calls a point.
    public struct Repriced: Hashable, Sendable {
        public var costs: Int64
        public var held: Int64
        public var unit: String

        public init(costs: Int64, held: Int64, unit: String) {
            self.costs = costs
            self.held = held
            self.unit = unit
        }
    }

    public init(station: String, volunteer: String, item: String, date: LocalDate, quantity: Int = 1) {
        self.station = station
        self.volunteer = volunteer
        self.item = item
        self.date = date
        self.quantity = quantity
    }

    /// `timebank redeem --station S01 --volunteer V0001 --item health_check --qty 2 --date 2026-11-21 --key KEY` (no `--qty` for 1).
    public var command: String {
        "timebank redeem --station \(station) --volunteer \(volunteer) --item \(item)" + (quantity > 1 ? " --qty \(quantity)" : "")
            + " --date \(date) --key KEY"
    }

    /// ` (by the policy in force that day it costs 180.00 积分, where the booking held 160.00)`, or nothing.
    var priceNote: String {
        guard let repriced, repriced.costs != repriced.held else { return "" }
        return " (by the policy in force that day it costs \(Hundredths.format(repriced.costs)) \(repriced.unit), "
            + "where the booking held \(Hundredths.format(repriced.held)))"
    }
}

/// Points a household member holds in their own account while the policy earns (and spends) to households: earned before
/// the policy did, they are not spent at the counter, and without a word R001 reads as if the member had nothing.
public struct MemberOwnPoints: Hashable, Sendable {
    public var volunteer: String
    /// What the member's own account can spend on the day.
    public var points: Int64

    public init(volunteer: String, points: Int64) {
        self.volunteer = volunteer
        self.points = points
    }

    func sentence(household: AccountID, unit: String) -> String {
        let points = Hundredths.format(points)
        return "\(volunteer) also holds \(points) \(unit) of their own (volunteer:\(volunteer), earned before the policy earned to "
            + "households), which the counter does not spend while the policy pays from the household ([accounts] earn_to = "
            + "\"household\"); an admin may move them to the household: `timebank post --from volunteer:\(volunteer) --to \(household) "
            + "--points \(points) --kind adjustment --key KEY --memo TEXT`"
    }
}

/// Points an account holds that expire before a booking's service day.
public struct ExpiringPoints: Hashable, Sendable {
    public var points: Int64
    /// The first day one of those lots is expired (a lot expiring on D is usable before D).
    public var firstDay: LocalDate
    public var serviceDay: LocalDate

    public init(points: Int64, firstDay: LocalDate, serviceDay: LocalDate) {
        self.points = points
        self.firstDay = firstDay
        self.serviceDay = serviceDay
    }
}

extension RedemptionError {
    /// R018 for a transfer `--to` a household (`H0062`): transfers go from one volunteer to another, so a household cannot
    /// receive one. Under `earn_to = "household"` (`pooled`) a member's points go to the household's account, so the
    /// message names members to give to instead (the first `shownMaximum` of `members`), or says that the giver shares that
    /// account already, or that the household has no member to give to.
    public static func transferToHousehold(_ household: String, giver: String, members: [Volunteer], pooled: Bool,
                                           shownMaximum: Int = 3) -> RedemptionError {
        var detail = "\(household) is a household, and a household cannot receive a transfer: transfers go from one volunteer to another"
        if !pooled {
            detail += " (--to VOLUNTEER)"
        } else if members.contains(where: { $0.id == giver }) {
            detail += "; \(giver) is a member of \(household), whose account the members share (earn_to = \"household\"): its points are "
                + "theirs already, nothing to transfer"
        } else if members.isEmpty {
            detail += "; \(household) has no members, so no transfer can reach its account"
        } else {
            detail += "; under earn_to = \"household\" what a member receives goes to the household's account, so give it to one of "
                + "its members: --to \(shownMembers(members, of: household, maximum: shownMaximum))"
        }
        return .invalidTransfer(detail)
    }

    /// R018 for `transfer --from H0062` or `donate --from H0062`: a household id is not a volunteer mistyped, so not "did you
    /// mean V0062". Under `earn_to = "household"` a member gives from the household's account: names up to `shownMaximum`
    /// members to give `--from`.
    public static func giftFromHousehold(_ household: String, members: [Volunteer], pooled: Bool, donation: Bool,
                                         shownMaximum: Int = 3) -> RedemptionError {
        let what = donation ? "donate points: donations come from a volunteer" : "give a transfer: transfers go from one volunteer to another"
        var detail = "\(household) is a household, and a household cannot \(what)"
        if !pooled {
            detail += " (--from VOLUNTEER)"
        } else if members.isEmpty {
            detail += "; \(household) has no members, so nothing can be given from its account"
        } else {
            detail += "; under earn_to = \"household\" a member gives from the household's account, so name one of its members: "
                + "--from \(shownMembers(members, of: household, maximum: shownMaximum))"
        }
        return .invalidTransfer(detail)
    }

    /// `V0001 王秀英, V0002 李强, … (5 members: timebank volunteer list --household H1)`: the first `maximum` members.
    private static func shownMembers(_ members: [Volunteer], of household: String, maximum: Int) -> String {
        members.prefix(maximum).map { "\($0.id) \($0.name)" }.joined(separator: ", ")
            + (members.count > maximum ? ", … (\(members.count) members: timebank volunteer list --household \(household))" : "")
    }
}
