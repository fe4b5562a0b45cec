import TimeBankCore

extension TimeBankStore {
    /// Checks every dividend's allocation table (`dividend_shares`, which a retry of `dividend` prints as the table of
    /// who got what) against its ledger entries (V013): the shares add up to the amount, and each household was paid
    /// exactly its share, in CNY, by the dividend's entries (`fund:KEY`, `fund:KEY:2` … as many as it has), and no
    /// household without a share was. The table is outside the hash chain, so without this a share edited behind the
    /// ledger's back would pass `verify`. Call inside the read transaction of `verify`.
    /// - Complexity: O(dividends × households paid).
    func dividendShareProblems(problemLimit: Int) throws -> (checked: Int64, problems: [VerificationProblem]) {
        var problems: [VerificationProblem] = []
        func problem(_ text: String) {
            if problems.count < problemLimit { problems.append(VerificationProblem(code: "V013", sequence: nil, message: text)) }
        }
        let dividends = try database.statement("SELECT number, key, period, amount, entry_count FROM dividends ORDER BY number")
            .rows { (number: $0.int64(0), key: $0.text(1), period: $0.text(2), amount: $0.int64(3), entries: Int($0.int64(4))) }
        let sharesOf = try database.statement("SELECT household, share FROM dividend_shares WHERE dividend = ? AND share <> 0")
        let paidBy = try database.statement("""
            SELECT a.id, p.amount FROM entries e JOIN postings p ON p.entry = e.sequence JOIN accounts a ON a.number = p.account
            WHERE e.key = ? AND a.kind = 'household' AND p.asset = 'CNY'
            """)
        for dividend in dividends {
            let name = "the dividend \"\(dividend.key)\" of \(dividend.period)"
            var shares: [String: Int64] = [:]
            try sharesOf.bind(.integer(dividend.number)).forEachRow { shares[AccountID.household($0.text(0)).description] = $0.int64(1) }
            let total = shares.values.reduce(0, +)
            if total != dividend.amount {
                problem("\(name): its allocation table shares out \(Hundredths.format(total)) CNY, but the dividend is "
                        + "\(Hundredths.format(dividend.amount)) CNY")
            }
            var paid: [String: Int64] = [:]
            for part in 1...max(1, dividend.entries) {
                try paidBy.bind(.text(Self.dividendLedgerKey(dividend.key, part: part))).forEachRow { paid[$0.text(0), default: 0] += $0.int64(1) }
            }
            for household in Set(shares.keys).union(paid.keys).sorted() where (shares[household] ?? 0) != (paid[household] ?? 0) {
                problem("\(name): the allocation table gives \(household) \(Hundredths.format(shares[household] ?? 0)) CNY, but its "
                        + "entries paid \(Hundredths.format(paid[household] ?? 0)) CNY")
            }
        }
        return (Int64(dividends.count), problems)
    }
}
