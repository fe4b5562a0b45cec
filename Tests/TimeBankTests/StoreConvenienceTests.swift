import Foundation
import Testing
import TimeBank

@Suite("conveniences the library offers besides the CLI")
struct StoreConvenienceTests {
    /// A policy whose multiplier looks up a team the community does not have, and a station it does not have.
    static let policy = """
        [policy]
        id = "teams"
        version = 1
        effective = 2026-10-01

        [earning]
        combine_multipliers = "max"

        [categories.orange]
        points_per_hour = 12

        [multipliers.qianshou]
        factor = 1.5
        when = 'volunteer.teams.contains("qianshou")'
        """

    @Test("checkPolicy checks against the community's teams and stations, as `policy check --against-active` does")
    func checkPolicyUsesTheCommunity() throws {
        let folder = try GuideFolder()
        let store = try TimeBankStore(path: folder.path + "/community.sqlite")
        try guideCommunity(store)

        let checked = try store.checkPolicy(Self.policy, path: "teams.toml")
        #expect(checked.diagnostics.map(\.id) == ["P233"])
        #expect(checked.diagnostics.first?.severity == .warning)
        #expect(checked.policy != nil)
        #expect(checked.rendered().contains("teams.toml:"))
        // The plain loader knows no community: the lookup goes unchecked.
        #expect(PolicyLoader.load(text: Self.policy, path: "teams.toml").diagnostics.isEmpty)

        // A station the community does not have is an error, by the stored stations.
        let station = Self.policy.replacingOccurrences(of: "volunteer.teams.contains(\"qianshou\")", with: "record.station == \"S09\"")
        #expect(try store.checkPolicy(bytes: Array(station.utf8), path: "teams.toml").hasErrors)

        // Once the community's own teams are stored, the lookup is one of them.
        try store.addTeams([Team(id: "orange", name: "橙色关怀", label: ""), Team(id: "green", name: "绿色环保", label: ""),
                            Team(id: "qianshou", name: "牽手", label: "")])
        #expect(try store.checkPolicy(Self.policy, path: "teams.toml").diagnostics.isEmpty)
        #expect(try store.policyVersions().isEmpty)
    }
}
