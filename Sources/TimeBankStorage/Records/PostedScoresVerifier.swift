import TimeBankCore

extension TimeBankStore {
    /// Checks every posted score (`record_scores`, which `report categories`, `report ranking` and `explain` read)
    /// against the ledger (V012): a score with an award has its award entry, under the record's own key
    /// (`record:SOURCE:ID:award`), crediting exactly that award to the score's account; a penalty likewise takes exactly
    /// the deduction; a score without one names no entry. The posted scores are not in the hash chain, so without this a
    /// row edited behind the ledger's back (an award raised from 15.00 to 115.00) would pass `verify` while the
    /// reports and the explanation show it. Minutes are not in the ledger and are not checked here.
    /// Call inside the read transaction of `verify`.
    /// - Complexity: O(posted records), each entry's postings found by primary key.
    func postedScoreProblems(problemLimit: Int) throws -> (checked: Int64, problems: [VerificationProblem]) {
        var checked: Int64 = 0
        var problems: [VerificationProblem] = []
        func problem(_ reference: String, _ text: String) {
            if problems.count < problemLimit {
                problems.append(VerificationProblem(code: "V012", sequence: nil, message: "record \(reference): \(text)"))
            }
        }
        // Per side: the entry, its key, and the net POINTS it moved to the score's account.
        let side = { (column: String) in
            """
            s.\(column), (SELECT key FROM entries WHERE sequence = s.\(column)),
            (SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN accounts a ON a.number = p.account
             WHERE p.entry = s.\(column) AND a.id = s.account AND p.asset = 'POINTS')
            """
        }
        try database.statement("""
            SELECT r.source, r.id, s.account, s.award, s.deduction, \(side("award_entry")), \(side("penalty_entry")), r.status
            FROM record_scores s JOIN records r ON r.number = s.record ORDER BY s.record
            """).forEachRow { row in
            checked += 1
            let reference = "\(row.text(0)):\(row.text(1))", account = row.text(2)
            // Only a pending record is decided, and a posted one stays approved (withdrawn by reversing its entries): any other
            // status was written by hand, and a pending one would be decided again by the next night.
            let status = row.text(11)
            if status != "approved" {
                let entry = row.optionalInt64(5).map { "its award entry is #\($0)" } ?? row.optionalInt64(8).map { "its penalty entry is #\($0)" }
                problem(reference, "it is posted (\(entry ?? "a score with no entry")) but its status is \(status), not approved: the status "
                        + "was changed by hand" + (status == "pending" ? ", and the next night would decide it again" : ""))
            }
            let sides: [(side: RecordEntryKey.Side, amount: Int64, entry: Int64?, key: String?, moved: Int64, sign: Int64)] = [
                (.award, row.int64(3), row.optionalInt64(5), row.optionalText(6), row.int64(7), 1),
                (.penalty, row.int64(4), row.optionalInt64(8), row.optionalText(9), row.int64(10), -1),
            ]
            for side in sides {
                let name = side.side.rawValue, what = side.side == .award ? "an award of" : "a deduction of"
                guard let entry = side.entry else {
                    if side.amount != 0 {
                        problem(reference, "the posted score has \(what) \(Hundredths.format(side.amount)) but names no \(name) entry")
                    }
                    continue
                }
                let key = RecordEntryKey.key(source: row.text(0), id: row.text(1), side: side.side)
                if side.key != key {
                    problem(reference, "the posted score names \(name) entry #\(entry), but "
                        + (side.key.map { "that entry is \"\($0)\", not the record's own \"\(key)\"" } ?? "there is no such entry"))
                } else if side.moved * side.sign != side.amount {
                    problem(reference, "the posted score has \(what) \(Hundredths.format(side.amount)), but its \(name) entry #\(entry) "
                        + "\(side.sign > 0 ? "credits" : "takes") \(Hundredths.format(side.moved * side.sign)) "
                        + "\(side.sign > 0 ? "to" : "from") \(account): the reports and `explain` read the posted score")
                }
            }
        }
        return (checked, problems)
    }
}
