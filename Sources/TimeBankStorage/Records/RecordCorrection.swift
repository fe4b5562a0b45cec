import TimeBankCore

/// How a stored record is taken out of the way of its correction, in words and commands that work from where the
/// record stands (docs/records.md, "Correcting a posted record"). A stored record never changes: a correction is a
/// new record under a new id, and the old one must first stop counting (rejected while pending; withdrawn once
/// posted, by reversing every entry that stands of it). E010, E016, E026, E102 and E105 give this advice.
///
///     let advice = stored.correction
///     advice.state   // "record default:r1 is posted: its award #1 (23.00 points) stands"
///     advice.steps   // "reverse it, which withdraws the record: `timebank reverse 1 --key withdraw-r1-award --reason TEXT`"
public struct RecordCorrection: Sendable, Hashable {
    /// Where the record stands, as a clause: `record default:r1 is pending`.
    public var state: String
    /// What takes the record out of the way, as an imperative clause with the commands; nil when nothing needs doing
    /// (a rejected or withdrawn record counts no more).
    public var steps: String?

    /// The help of E016: the steps, then the import under a new id.
    public var forCorrectedImport: String {
        guard let steps else { return "\(state): import the corrected record under a new id" }
        return "\(state); \(steps); then import the corrected record under a new id"
    }

    /// The end of E010's and E026's help, which name a stored record in the way of the row: what to do if that
    /// record is the wrong one.
    public var ifWrong: String? {
        steps.map { "if that one is wrong (\(state)), \($0); then import this row again" }
    }
}

extension StoredRecord {
    /// The record as commands name it: `r1`, or `r1 --source wechat` from another source than the default.
    public var commandReference: String {
        record.source == "default" ? record.id : "\(record.id) --source \(record.source)"
    }

    /// The key `withdrawalCommand` suggests for reversing one of the record's entries: `withdraw-r1-award`
    /// (`withdraw-wechat-r1-award` from another source). The same every time, so following the advice twice
    /// returns the first reversal instead of failing.
    public func withdrawalKey(_ entry: PostedScore.Entry) -> String {
        (record.source == "default" ? "withdraw-" : "withdraw-\(record.source)-") + "\(record.id)-\(entry.kind.rawValue)"
    }

    /// `timebank reverse 1 --key withdraw-r1-award --reason TEXT`.
    public func reverseCommand(_ entry: PostedScore.Entry) -> String {
        "`timebank reverse \(entry.sequence) --key \(withdrawalKey(entry)) --reason TEXT`"
    }

    /// `award #1 (23.00 points)`, `penalty #2 (5.00 points) reversed by #4`.
    static func describe(_ entry: PostedScore.Entry) -> String {
        "\(entry.kind.rawValue) #\(entry.sequence) (\(Hundredths.format(entry.amount)) points)"
            + (entry.reversedBy.map { " reversed by #\($0)" } ?? "")
    }

    /// What stands of a posted record and what of it was reversed: `its award #1 (23.00 points) stands; its penalty #2
    /// (5.00 points) was reversed by #4`.
    public var ledgerStanding: String {
        guard let posted else { return "" }
        let entries = posted.entries
        if entries.isEmpty { return "with no ledger entry (it earned and took 0.00 points)" }
        return entries.map { entry in
            "its \(entry.kind.rawValue) #\(entry.sequence) (\(Hundredths.format(entry.amount)) points) "
                + (entry.reversedBy.map { "was reversed by #\($0)" } ?? "stands")
        }.joined(separator: "; ")
    }

    /// How to take this record out of the way of a corrected one, from where it stands.
    public var correction: RecordCorrection {
        let name = "record \(record.reference)"
        if let posted {
            if isWithdrawn {
                let how = withdrawal.map { "by \($0.by) at \($0.at): \($0.reason)" }
                    ?? posted.entries.map { "\($0.kind.rawValue) #\($0.sequence) reversed by #\($0.reversedBy ?? 0)" }.joined(separator: ", ")
                return RecordCorrection(state: "\(name) is withdrawn (\(how)) and counts no more", steps: nil)
            }
            let standing = posted.reversalOrder
            if standing.isEmpty {
                return RecordCorrection(state: "\(name) is posted \(ledgerStanding)",
                                        steps: "withdraw it: `timebank record reject \(commandReference) --reason TEXT`")
            }
            return RecordCorrection(
                state: "\(name) is posted: \(ledgerStanding)",
                steps: "reverse \(standing.count == 1 ? "it" : "them"), which withdraws the record: "
                    + standing.map(reverseCommand).joined(separator: " and "))
        }
        switch status {
        case .pending:
            return RecordCorrection(state: "\(name) is pending",
                                    steps: "reject it first: `timebank record reject \(commandReference) --reason TEXT`")
        case .approved:
            return RecordCorrection(
                state: "\(name) is approved and not posted yet (a decision is made once)",
                steps: "let the next nightly settlement post it, then reverse its entries, which withdraws it "
                    + "(`timebank record show \(commandReference)` names them, and `record reject` gives the commands)")
        case .rejected:
            return RecordCorrection(state: "\(name) was rejected and counts no more", steps: nil)
        }
    }
}

extension TimeBankStore {
    /// The record whose award or penalty entry `sequence` is (posted with the key `record:SOURCE:ID:award` or
    /// `...:penalty`), or nil for any other entry. `reverse` asks it to say what the reversal did to the record.
    public func postedRecord(ofEntry sequence: Int64) throws -> StoredRecord? {
        guard let entry = try entry(sequence: sequence), entry.kind == .award || entry.kind == .penalty else { return nil }
        let parts = entry.key.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "record", parts[3] == "award" || parts[3] == "penalty" else { return nil }
        let stored = try? storedRecord(id: String(parts[2]), source: String(parts[1]))
        guard let stored, stored.posted?.entries.contains(where: { $0.sequence == sequence }) == true else { return nil }
        return stored
    }
}
