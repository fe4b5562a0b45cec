/// Why a micro-fund request (contribution, donation, report, dividend) was refused. Codes are stable and
/// documented in `docs/errors.md` (section "Micro-fund (F)"). Nothing is written when one is thrown.
public enum FundError: TimeBankError, Hashable {
    /// F001: no household earned points in the period, so there is nothing to share the dividend by.
    case nothingEarned(period: String)
    /// F002: an amount (turnover, donation, dividend) that is not a positive number of fen within range.
    case invalidAmount(field: String, text: String)
    /// F003: the policy in force has no usable merchant rate (0, or outside 0 ≤ rate < 1).
    case rateOutOfRange(String)
    /// F004: the contribution rounds to 0.00 CNY.
    case contributionRoundsToZero(turnover: Int64, rate: String)
    /// F005: a merchant, donor or memo text that is empty or has a line break.
    case invalidText(field: String, reason: String)
    /// F005: a merchant, donor or memo text longer than `maximum` characters.
    case textTooLong(field: String, maximum: Int, length: Int)
    /// F006: a dividend period that is not `YYYY`, `YYYY-Qn` or `YYYY-MM`.
    case invalidPeriod(String)
    /// F007: a dividend basis other than the ones accepted.
    case unknownBasis(String)
    /// F008: the fund holds less than the dividend would pay out: now, or (`day`) at the end of a day from the payment date
    /// on, by the entries' dates (a dividend dated back cannot spend money that came in later); `keptFrom` is the first
    /// payment date that would leave the fund at 0 or above on every day since, if any.
    case fundTooLow(balance: Int64, amount: Int64, day: LocalDate? = nil, keptFrom: LocalDate? = nil)
    /// F009: the key was used before for another fund operation with different content; `suggestion`: the key to give as an
    /// example for a new one (`KEY:2` when nil).
    case keyReused(key: String, existing: String, suggestion: String? = nil)
    // F010 is retired: a dividend to more than 999 households was refused; it is now paid in several entries.
    /// F011: a dividend for a period that has not ended on the payment date.
    case periodNotOver(period: String, lastDay: LocalDate, date: LocalDate)
    /// F012: a report range whose start is after its end.
    case invalidRange(from: LocalDate, through: LocalDate)
    /// F013: a computation left the range of exact arithmetic (amounts far beyond any community).
    case outOfRange(String)
    /// F014: a dividend for a period whose last day is not settled yet in a store that settles nights: points of the
    /// period are still to be posted.
    case periodNotSettled(period: String, lastDay: LocalDate, latestSettled: LocalDate)
    /// F015: records dated in the dividend's period are not posted yet (waiting for a verifier, for auto-acceptance or
    /// for the night that posts them): their points would not count.
    case recordsNotPosted(period: String, count: Int, waiting: Int, firstDate: LocalDate, lastDate: LocalDate)
    /// F016: a delivery (`stock receive`) would pay more than the fund holds, and no reason was given for it.
    case paymentExceedsFund(cost: Int64, balance: Int64, detail: String)
    /// F018: a client key that starts with the prefix of the keys another kind of fund write makes by itself
    /// (`contribution:`, `donation:`, `dividend:`): it could take the key of that write.
    case reservedKeyPrefix(key: String, prefix: String, owner: String)
    /// F019: a contribution or donation given without `--date` and `--key` whose default key, by yesterday's date, holds the
    /// same write recorded less than an hour ago: a retry just after midnight, which today's key would record again.
    case retryAfterMidnight(what: String, key: String, entry: Int64, minutesAgo: Int64, today: LocalDate)

    /// For F014 and F015: what was not posted yet, in a few words (`nights settled only up to 2026-11-07`, `3 records of
    /// the period not posted`), which a dividend paid with `--unsettled` keeps in its memo; nil for other errors.
    public var unpostedSummary: String? {
        switch self {
        case .periodNotSettled(_, _, let latest): "nights settled only up to \(latest)"
        case .recordsNotPosted(_, let count, _, _, _): "\(count) record\(count == 1 ? "" : "s") of the period not posted"
        default: nil
        }
    }

    /// The bases `dividend --basis` accepts.
    public static let acceptedBases = ["earned"]

    public var code: String {
        switch self {
        case .nothingEarned: "F001"
        case .invalidAmount: "F002"
        case .rateOutOfRange: "F003"
        case .contributionRoundsToZero: "F004"
        case .invalidText, .textTooLong: "F005"
        case .invalidPeriod: "F006"
        case .unknownBasis: "F007"
        case .fundTooLow: "F008"
        case .keyReused: "F009"
        case .periodNotOver: "F011"
        case .invalidRange: "F012"
        case .outOfRange: "F013"
        case .periodNotSettled: "F014"
        case .recordsNotPosted: "F015"
        case .paymentExceedsFund: "F016"
        case .reservedKeyPrefix: "F018"
        case .retryAfterMidnight: "F019"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .nothingEarned, .rateOutOfRange, .contributionRoundsToZero, .fundTooLow, .keyReused, .periodNotOver, .periodNotSettled,
             .recordsNotPosted, .paymentExceedsFund, .retryAfterMidnight:
            .refused
        case .invalidAmount, .invalidText, .textTooLong, .invalidPeriod, .unknownBasis, .invalidRange, .outOfRange, .reservedKeyPrefix:
            .badInput
        }
    }

    public var message: String {
        switch self {
        case .nothingEarned(let period):
            "no household earned points in \(period) (awards to their volunteers or to the household, net of reversals), "
                + "so there is nothing to share a dividend by; nothing was paid"
        case .invalidAmount(let field, let text):
            "\(field) \"\(text)\" is not usable: give a positive amount in CNY with at most 2 decimals (e.g. 1200 or 1200.50), "
                + "at most \(Hundredths.format(Hundredths.maximumMagnitude))"
        case .rateOutOfRange(let detail):
            "no merchant contribution can be computed: \(detail); set [fund] merchant_rate (e.g. 0.001 for 0.1%) in the policy and activate it"
        case .contributionRoundsToZero(let turnover, let rate):
            "a turnover of \(Hundredths.format(turnover)) CNY at merchant_rate \(rate) is less than half a fen (0.00 CNY after rounding); "
                + "nothing was recorded: record the turnover of a longer period"
        case .invalidText(let field, let reason):
            "the \(field) \(reason); nothing was written: give the \(field) in words, on one line"
        case .textTooLong(let field, let maximum, let length):
            "the \(field) is \(TextLength.tooLong(length: length, maximum: maximum)); nothing was written: shorten it"
        case .invalidPeriod(let text):
            "\"\(text)\" is not a dividend period; write a year (2026), a quarter (2026-Q4) or a month (2026-11)"
                + (DividendPeriod.meant(by: text).map { ": for \(text) write \($0)" } ?? "")
        case .unknownBasis(let text):
            "unknown dividend basis \"\(text)\"; accepted: " + Self.acceptedBases.map { "\"\($0)\"" }.joined(separator: ", ")
                + " (shares in proportion to the points each household earned in the period)"
        case .fundTooLow(let balance, let amount, nil, _):
            "the fund holds \(Hundredths.format(balance)) CNY, less than the \(Hundredths.format(amount)) CNY to pay out; "
                + "nothing was paid: pay a smaller amount or wait for contributions"
        case .fundTooLow(let balance, let amount, let day?, let keptFrom):
            "by the entries' dates the fund held only \(Hundredths.format(balance)) CNY at the end of \(day), less than the "
                + "\(Hundredths.format(amount)) CNY to pay out (a payment dated back cannot spend money that came in later); "
                + "nothing was paid: pay at most \(Hundredths.format(max(0, balance))) CNY"
                + (keptFrom.map { ", or date it \($0) or later" } ?? "")
        case .keyReused(let key, let existing, let suggestion):
            "the key \"\(key)\" was used already for \(existing); nothing was written. If this is a different operation, give it its own --key "
                + "(for example --key \(suggestion ?? key + ":2"))"
        case .periodNotOver(let period, let lastDay, let date):
            "the period \(period) runs until \(lastDay): a dividend paid on \(date) would miss points still to be earned; "
                + "pay it on \(lastDay.adding(days: 1)) or later (--date \(lastDay.adding(days: 1)), or without --date once that day has come)"
        case .invalidRange(let from, let through):
            "the range starts (\(from)) after it ends (\(through)); give --from on or before --to"
        case .outOfRange(let detail):
            "\(detail) is beyond the range of exact arithmetic"
        case .periodNotSettled(let period, let lastDay, let latestSettled):
            "the nights are settled up to \(latestSettled), but \(period) runs until \(lastDay): the points of its days after "
                + "\(latestSettled) are not posted yet, and a dividend paid now would leave them out for good; nothing was paid: "
                + "settle through \(lastDay) first (timebank settle --date \(lastDay)), or give --unsettled --reason TEXT to pay on "
                + "the points posted so far"
        case .recordsNotPosted(let period, let count, let waiting, let firstDate, let lastDate):
            "\(count) record\(count == 1 ? "" : "s") dated in \(period) (\(firstDate == lastDate ? "on \(firstDate)" : "\(firstDate) to \(lastDate)")) "
                + "\(count == 1 ? "is" : "are") not posted yet (\(waiting) waiting for a verifier or auto-acceptance, \(count - waiting) "
                + "verified or accepted and waiting for a night to post them): their points would not count, and a dividend cannot be paid "
                + "twice; nothing was paid: let the nights post them (timebank report rejects --from \(firstDate) --to \(lastDate) "
                + "lists them), or give --unsettled "
                + "--reason TEXT to pay on the points posted so far"
        case .paymentExceedsFund(let cost, let balance, let detail):
            "the delivery costs \(Hundredths.format(cost)) CNY (\(detail)) but the fund holds \(Hundredths.format(balance)) CNY: it would "
                + "leave \(Hundredths.format(balance - cost)) CNY; nothing was recorded. Check --qty and --unit-cost; if the goods did arrive "
                + "at this cost, record it with --reason TEXT (why the fund pays more than it holds), or put money in first "
                + "(fund contribute, fund donate)"
        case .reservedKeyPrefix(let key, let prefix, let owner):
            "the key \"\(key)\" starts with \"\(prefix)\", the prefix of the keys \(owner) makes by itself; nothing was written. "
                + "Give a key without it (e.g. \"\(key.dropFirst(prefix.count))\"), or leave --key out for the default key"
        case .retryAfterMidnight(let what, let key, let entry, let minutesAgo, let today):
            "the same \(what) was recorded \(minutesAgo) minute\(minutesAgo == 1 ? "" : "s") ago, before midnight (entry #\(entry), key \(key)): "
                + "this looks like a retry, and by today's date it would be recorded a second time; nothing was written. If it is "
                + "another one, for today, give its date: --date \(today)"
        }
    }
}

/// How a dividend is shared: the basis and the period whose earnings it rewards.
public enum DividendBasis: String, CaseIterable, Sendable, Hashable {
    /// In proportion to the points each household earned in the period: award entries to its volunteers'
    /// accounts or to the household account, minus the reversals of those awards.
    case earned

    /// Parses `earned` (in any case, as `--period 2026-q4` is read); F007 for anything else.
    public init(parsing text: String) throws(FundError) {
        guard let basis = DividendBasis(rawValue: text.lowercased()) else { throw .unknownBasis(text) }
        self = basis
    }
}

/// A dividend period: a year (`2026`), a quarter (`2026-Q4`) or a month (`2026-11`).
public struct DividendPeriod: Hashable, Sendable, CustomStringConvertible {
    /// The calendar window; its label is the canonical text (`2026-q4` is read as `2026-Q4`).
    public let window: ScoringWindow

    /// Parses the period text; F006 for weeks, days and anything else.
    public init(parsing text: String) throws(FundError) {
        guard let window = ScoringWindow(label: text), [.month, .quarter, .year].contains(window.period) else {
            throw .invalidPeriod(text)
        }
        self.window = window
    }

    /// The period a person most likely meant by `text` when it is not one as typed: full-width digits (`２０２６`), or the
    /// Chinese forms `2026年`, `2026年11月`, `2026年第四季度` and `2026年Q4`; nil when there is none.
    public static func meant(by text: String) -> String? {
        let typed = text.halfWidth.filter { !$0.isWhitespace }
        var candidate = typed
        if let yearEnd = typed.firstIndex(of: "年") {
            let year = String(typed[..<yearEnd])
            var rest = Substring(typed[typed.index(after: yearEnd)...])
            if rest.isEmpty {
                candidate = year
            } else if rest.hasSuffix("月") {
                rest = rest.dropLast()
                candidate = year + "-" + (rest.count == 1 ? "0" : "") + rest
            } else if rest.hasSuffix("季度") {
                rest = rest.dropLast(2)
                if rest.hasPrefix("第") { rest = rest.dropFirst() }
                let numerals: [String: String] = ["一": "1", "二": "2", "三": "3", "四": "4"]
                candidate = year + "-Q" + (numerals[String(rest)] ?? String(rest))
            } else if rest.first == "Q" || rest.first == "q" {
                candidate = year + "-" + rest
            } else {
                return nil
            }
        }
        guard candidate != text, let period = try? DividendPeriod(parsing: candidate) else { return nil }
        return period.description
    }

    /// The period's first day.
    public var firstDay: LocalDate { window.start }
    /// The period's last day.
    public var lastDay: LocalDate { window.lastDay }
    public var description: String { window.label }
}
