import TimeBankCore

extension TimeBankStore {
    /// Checks every stored policy version's text against the SHA-256 recorded when it was activated (V025). The versions
    /// are outside the hash chain; a text edited by hand is refused by every command that reads it (A007: `settle`,
    /// `explain`), so without this `verify` said OK on a store whose next night stops with exit 3. Call inside the read
    /// transaction of `verify`.
    /// - Complexity: O(versions × text length).
    func policyTextProblems(problemLimit: Int) throws -> [VerificationProblem] {
        var problems: [VerificationProblem] = []
        try database.statement("SELECT number, effective_date, sha256, text FROM policy_versions ORDER BY number").forEachRow { row in
            guard problems.count < problemLimit, SHA256.hexHash(utf8: row.text(3)) != row.text(2) else { return }
            problems.append(VerificationProblem(code: "V025", sequence: nil, message:
                "policy version #\(row.int64(0)) (effective \(row.text(1))) has a text that does not match the SHA-256 recorded "
                    + "when it was activated (\(row.text(2).prefix(12))…, `timebank policy versions`): it was changed since, so "
                    + "`settle` and `explain` refuse it (A007); restore the last good backup (docs/operations.md, Restore)"))
        }
        return problems
    }
}
