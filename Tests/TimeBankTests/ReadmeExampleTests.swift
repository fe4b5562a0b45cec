import Foundation
import Testing
import TimeBank

/// The README's library example, verbatim but for the database path: `import TimeBank` is all it takes.
@Test("the README example runs against the TimeBank library product")
func readmeExample() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("timebank-readme-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }

    let store = try TimeBankStore(path: folder + "/community.sqlite")
    try store.addHousehold(Household(id: "H0001", name: "王家", address: "泰山路12号"))
    try store.addVolunteer(Volunteer(id: "V0001", name: "王秀英", household: "H0001", birthDate: nil,
                                     teams: ["orange"], tags: [], joined: LocalDate("2024-05-01")!))
    let award = EntryRequest.move(key: "award-1", kind: .award, date: LocalDate("2026-10-01")!, actor: "admin",
                                  memo: "探访独居老人 2小时", from: .issuance, to: .volunteer("V0001"), amount: 2000)
    try store.post(award)                       // 20.00 points; posting it again returns .exists
    #expect(Hundredths.format(try store.balance(.volunteer("V0001"))) == "20.00")
    #expect(try store.post(award) == .exists(try store.entry(sequence: 1)!))
}
