import TimeBankCore

extension SimModel {
    /// What a client's ledger write did.
    struct PostResult: Hashable {
        var sequence: Int64
        var isNew: Bool
    }

    /// `store.post` (docs/ledger.md): the request is checked first (L010 key, L014 actor and memo, L002 posting
    /// count, L003 amounts, L011 lot expiry on a posting that opens no lot, L019 a lot expiring before the entry's date, L001 not balanced per asset, L016 moves nothing); then the
    /// key: the same content returns the stored entry, other content is L005, a new key with white space at an edge L010,
    /// one that reads as an entry number L022; then the entry is appended.
    ///
    /// `byHand` is `store.postByHand`, what `timebank post` and every client of a service call (docs/ledger.md, "Keys";
    /// docs/errors.md L014, L021): a memo with a bidirectional override or isolate is L014, and a key that starts with a
    /// prefix the engine writes its own entries under is L021 unless an entry with the same content is stored under it
    /// (a retry is still answered), before the key's other rules; a lot expiring on the entry's own date is L019, unless
    /// the same entry is stored under the key; and an award or grant that takes points from a volunteer or household, or a
    /// penalty that gives them some, is L025.
    func post(key: String, kind: EntryKind, date: LocalDate, actor: String, memo: String,
              postings: [ModelPosting], byHand: Bool = false) throws(ModelRefusal) -> PostResult {
        try Self.checkLedgerKey(key)
        try Self.checkText(actor, maximum: 100, allowEmpty: false)
        try Self.checkText(memo, maximum: 500, allowEmpty: true)
        guard (2...1_000).contains(postings.count) else { throw ModelRefusal("L002") }
        var sums: [Asset: Int64] = [:]
        for posting in postings {
            guard posting.amount != 0, posting.amount.magnitude <= 1_000_000_000_000_000 else { throw ModelRefusal("L003") }
            if posting.lotExpiresOn != nil, !(posting.amount > 0 && Self.isLotTracked(posting.account, posting.asset)) {
                throw ModelRefusal("L011")
            }
            if let expiresOn = posting.lotExpiresOn, expiresOn < date { throw ModelRefusal("L019") }
            sums[posting.asset, default: 0] += posting.amount
        }
        if sums.values.contains(where: { $0 != 0 }) { throw ModelRefusal("L001") }
        var net: [String: Int64] = [:]
        for posting in postings { net["\(posting.account) \(posting.asset.rawValue)", default: 0] += posting.amount }
        if kind != .reversal, net.values.allSatisfy({ $0 == 0 }) { throw ModelRefusal("L016") }
        let fingerprint = "\(kind)|\(date)|\(actor)|\(memo)|" + postings.map {
            "\($0.account),\($0.asset.rawValue),\($0.amount),\($0.lotExpiresOn?.description ?? "-")"
        }.joined(separator: ";")
        // By hand, an award or grant takes no points from a volunteer or household, and a penalty gives them none (L025).
        if byHand, kind == .award || kind == .grant || kind == .penalty, postings.contains(where: { posting in
            posting.asset == .points && (posting.account.kind == .volunteer || posting.account.kind == .household)
                && (kind == .penalty ? posting.amount > 0 : posting.amount < 0)
        }) {
            throw ModelRefusal("L025")
        }
        if byHand, Self.hasBidirectionalControl(memo) { throw ModelRefusal("L014") }
        return try transaction { () throws(ModelRefusal) in
            // By hand, a lot expiring on the entry's own date is L019 too (never usable), a retry of a stored one answered.
            if byHand, postings.contains(where: { $0.lotExpiresOn == date }) {
                if let existing = ledgerKeys[key], existing.fingerprint == fingerprint {
                    return PostResult(sequence: existing.sequence, isNew: false)
                }
                throw ModelRefusal("L019")
            }
            if byHand, Self.enginePrefix(of: key) != nil {
                if let existing = ledgerKeys[key], existing.fingerprint == fingerprint {
                    return PostResult(sequence: existing.sequence, isNew: false)
                }
                throw ModelRefusal("L021")
            }
            if let existing = ledgerKeys[key] {
                guard existing.fingerprint == fingerprint else { throw ModelRefusal("L005") }
                return PostResult(sequence: existing.sequence, isNew: false)
            }
            try Self.checkNewKeySpacing(key)
            if Self.readsAsEntryNumber(key) { throw ModelRefusal("L022") }
            let entry = try postEntry(kind: kind, date: date, postings: postings, remember: true)
            update(\.ledgerKeys, key, (fingerprint, entry.sequence))
            // An expiry too: its reversal gives nothing spendable back (L026), which the engine must refuse.
            if kind == .award || kind == .penalty || kind == .expiry { addCorrectable(entry.sequence) }
            switch kind {
            case .award, .grant: addFlow("issued", postings.filter { $0.account == .issuance }.reduce(0) { $0 - $1.amount })
            case .penalty: addFlow("issued", postings.filter { $0.account == .issuance }.reduce(0) { $0 - $1.amount })
            case .expiry: addFlow("expired", postings.filter { $0.account == .expired }.reduce(0) { $0 + $1.amount })
            default: break
            }
            return PostResult(sequence: entry.sequence, isNew: true)
        }
    }

    /// `store.reverse` (docs/ledger.md): L014 for a reason with a bidirectional control; L007 for an unknown entry; the
    /// request's key, actor and memo checked; a retry of the same reversal returns it; L021 for a key that starts with an
    /// engine prefix (the key is a person's); R024 for an entry of the stations' books; L009 for a reversal, L018 when dated
    /// before the entry, L008 when reversed already; L026 for an expiry whose points would go back only to expired lots;
    /// L005 when the key holds another entry, L010 when a new key has white
    /// space at an edge, L022 when it reads as an entry number; then the compensating entry (floors and lots as for any entry).
    func reverse(sequence: Int64, key: String, actor: String, memo: String, date: LocalDate) throws(ModelRefusal) -> PostResult {
        if Self.hasBidirectionalControl(memo) { throw ModelRefusal("L014") }
        return try transaction { () throws(ModelRefusal) in
            guard sequence >= 1, sequence <= entryCount else { throw ModelRefusal("L007") }
            try Self.checkLedgerKey(key)
            try Self.checkText(actor, maximum: 100, allowEmpty: false)
            try Self.checkText(memo.isEmpty ? "reverses #\(sequence)" : memo, maximum: 500, allowEmpty: true)
            let fingerprint = "reversal of #\(sequence)|\(date)|\(actor)|\(memo)"
            if let existing = ledgerKeys[key], existing.fingerprint == fingerprint { return PostResult(sequence: existing.sequence, isNew: false) }
            if Self.enginePrefix(of: key) != nil { throw ModelRefusal("L021") }
            // The stations' books count their entries: a refund, a cancellation or an admin's undo of a gift corrects them (R024).
            if stationEntries[sequence] != nil { throw ModelRefusal("R024") }
            guard let original = entries[sequence] else { preconditionFailure("the generator reverses only entries the model remembers") }
            if original.kind == .reversal { throw ModelRefusal("L009") }
            if date < original.date { throw ModelRefusal("L018") }
            if reversedBy[sequence] != nil { throw ModelRefusal("L008") }
            if original.kind == .expiry, givesBackOnlyExpiredLots(original, on: date) { throw ModelRefusal("L026") }
            if ledgerKeys[key] != nil { throw ModelRefusal("L005") }
            try Self.checkNewKeySpacing(key)
            if Self.readsAsEntryNumber(key) { throw ModelRefusal("L022") }
            let reversal = try reverseEntry(sequence, on: date, remember: true)
            update(\.ledgerKeys, key, (fingerprint, reversal.sequence))
            let issuance = original.postings.filter { $0.account == .issuance }.reduce(0) { $0 + $1.amount }
            if issuance != 0 { addFlow("issued", issuance) }
            if let expired = Optional(original.postings.filter { $0.account == .expired }.reduce(0) { $0 + $1.amount }), expired != 0 {
                addFlow("expired", -expired)
            }
            return PostResult(sequence: reversal.sequence, isNew: true)
        }
    }

    /// L026 (docs/ledger.md, docs/errors.md): whether a reversal of the expiry `original` dated `date` would give some
    /// account's points back only to lots expired by then (the next nightly expiry would take them again): for some debit
    /// of a volunteer's or household's points, every lot it drew from expires on or before `date`.
    func givesBackOnlyExpiredLots(_ original: ModelEntry, on date: LocalDate) -> Bool {
        original.postings.indices.contains { index in
            let posting = original.postings[index]
            guard posting.amount < 0, posting.asset == .points, posting.account.kind == .volunteer || posting.account.kind == .household else {
                return false
            }
            let drawn = Set(original.allocations.filter { $0.index == index && $0.amount > 0 }.map(\.lot))
            return !drawn.isEmpty && drawn.allSatisfy { lots[Int($0 - 1)].isExpired(on: date) }
        }
    }

    /// L022 (docs/errors.md): a new ledger key that reads as an entry number: digits alone, ASCII or full-width, with `#`,
    /// `＃` or `number:` (either case) in front or nothing.
    static func readsAsEntryNumber(_ key: String) -> Bool {
        readsAsNumber(key, signs: ["#"])
    }

    /// Whether `key` reads as a number to a person (docs/errors.md L022 and R023, written out here, not the engine's
    /// `StationReference`): read with full-width forms (U+FF01–U+FF5E, `１２`, `＃`, `Ｒ`) as the ASCII they stand for, white
    /// space left out and in either case, it is digits alone, digits after one of `signs`, or `number:` and digits.
    static func readsAsNumber(_ key: String, signs: [String]) -> Bool {
        var reading = String.UnicodeScalarView()
        for scalar in key.unicodeScalars where !scalar.properties.isWhitespace {
            if (0xFF01...0xFF5E).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
                reading.append(ascii)
            } else {
                reading.append(scalar)
            }
        }
        var text = Substring(String(reading).lowercased())
        if text.hasPrefix("number:") {
            text = text.dropFirst("number:".count)
        } else if let sign = signs.first(where: { text.hasPrefix($0) }) {
            text = text.dropFirst(sign.count)
        }
        return !text.isEmpty && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// The prefixes the engine writes its own ledger entries under, as docs/ledger.md ("Keys") lists them (written out
    /// here, not read from the engine's `EngineKey`): a person's key may not start with one (L021). Matched exactly, as
    /// keys are: `Release:B1` and `releases:B1` are a person's keys.
    static let enginePrefixes = ["redeem:", "hold:", "fulfil:", "release:", "refund:", "transfer:", "donate:", "stock:", "fund:",
                                 "record:", "grant:", "expiry:"]

    /// The engine prefix `key` starts with, or nil.
    static func enginePrefix(of key: String) -> String? {
        enginePrefixes.first { key.hasPrefix($0) }
    }

    /// L010 for a new write's key (docs/ledger.md, "Keys"; docs/errors.md L010): blank, or white space (Unicode's, the
    /// full-width U+3000 too) at its start or end. Keys stored before are not checked: it runs once a key is known new.
    static func checkNewKeySpacing(_ key: String) throws(ModelRefusal) {
        guard let first = key.unicodeScalars.first, let last = key.unicodeScalars.last else { return }
        if first.properties.isWhitespace || last.properties.isWhitespace { throw ModelRefusal("L010") }
    }

    /// A bidirectional override or isolate, U+202A–U+202E or U+2066–U+2069 (docs/errors.md L014).
    static func hasBidirectionalControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
    }

    /// Ledger keys: 1 to 200 characters, no control characters (L010).
    static func checkLedgerKey(_ key: String) throws(ModelRefusal) {
        try checkClientKey(key, maximum: 200)
    }

    /// Actors (≤ 100) and memos (≤ 500): one line (L014).
    static func checkText(_ text: String, maximum: Int, allowEmpty: Bool) throws(ModelRefusal) {
        if !allowEmpty, text.isEmpty { throw ModelRefusal("L014") }
        if text.unicodeScalars.count > maximum || text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ModelRefusal("L014")
        }
    }

    /// The points of an account's lots that have expired by `date` (expiry on or before it) and were there on it
    /// (`drawable(_:on:)`: points given back after it are swept on a later day).
    func expiredPoints(_ account: AccountID, on date: LocalDate) -> Int64 {
        var total: Int64 = 0
        for id in openLots[account] ?? [] {
            let lot = lots[Int(id - 1)]
            if lot.isExpired(on: date) { total += drawable(lot, on: date) }
        }
        return total
    }
}
