import TimeBankCore

extension TimeBankStore {
    /// Checks a policy file against this community, as `timebank policy check --db` does: every problem as a
    /// `Diagnostic`, with `record.station` conditions checked against the stored stations and `volunteer.teams` lookups
    /// against the community's teams (P233). Writes nothing; `activatePolicy` stores a text that has no errors.
    ///
    ///     let checked = try store.checkPolicy(bytes: Array(text.utf8), path: "policy.toml")
    ///     for diagnostic in checked.diagnostics { print(diagnostic.id, diagnostic.message) }
    ///     print(checked.rendered())   // the lines, a caret under each problem, the help
    ///
    /// - Parameter path: the name the diagnostics give the file.
    public func checkPolicy(bytes: [UInt8], path: String) throws -> PolicyLoadResult {
        PolicyLoader.load(bytes: bytes, path: path, stations: try stations().map(\.id), teams: try communityTeams(),
                          timeZones: SystemTimeZones.names)
    }

    /// `checkPolicy(bytes:path:)` for a policy's text.
    public func checkPolicy(_ text: String, path: String) throws -> PolicyLoadResult {
        try checkPolicy(bytes: Array(text.utf8), path: path)
    }
}
