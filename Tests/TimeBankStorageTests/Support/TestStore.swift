import Foundation
import TimeBankCore
@testable import TimeBankStorage

/// A fresh database file per test, removed when the test's `TestStore` goes away.
final class TestStore {
    let folder: String
    let path: String
    let store: TimeBankStore
    let clock: FixedClock

    /// - Parameter clock: the store's clock; by default one that starts in September 2026 and moves a second a reading.
    init(volunteers: [String] = ["V1", "V2"], stations: [String] = ["S1"], clock: FixedClock? = nil) throws {
        self.clock = clock ?? FixedClock(Timestamp(millisecondsSinceEpoch: 1_790_000_000_000), stepMilliseconds: 1000)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        path = folder + "/test.sqlite"
        store = try TimeBankStore(path: path, clock: self.clock)
        try store.addHousehold(Household(id: "H1", name: "王家", address: "泰山路1号"))
        for id in volunteers {
            try store.addVolunteer(Volunteer(id: id, name: "志愿者\(id)", household: "H1", birthDate: nil, teams: ["red"], tags: [],
                                             joined: date("2024-01-01")))
        }
        for id in stations { try store.addStation(Station(id: id, name: "兑换站\(id)", community: "太白湖", address: "")) }
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Credits `points` hundredths to a volunteer from issuance, opening a lot.
    @discardableResult
    func award(_ volunteer: String, _ amount: Int64, expires: String? = nil, key: String? = nil, on day: String = "2026-10-01") throws -> Entry {
        try store.post(.move(key: key ?? "award-\(volunteer)-\(amount)-\(expires ?? "never")-\(UUID().uuidString)", kind: .award,
                             date: date(day), actor: "test", memo: "service", from: .issuance, to: .volunteer(volunteer),
                             amount: amount, lotExpiresOn: expires.map(date))).entry
    }

    func entryCount() throws -> Int64 { try store.head().count }
}

func date(_ text: String) -> LocalDate { LocalDate(text)! }
