import Foundation
import Testing
import TimeBank

/// A service that serves several communities keeps one store (one file) per community. A session is what one store's
/// `signIn` gave: it must not act in another community, where the same operator id (every community has an `admin`)
/// is somebody else.
@Suite("an operator session acts only in the store it was signed in to")
struct OperatorSessionStoreTests {
    /// Two communities, each with its own admin called `admin`, and an operator `op-zhang` at S01 in the first.
    static func twoCommunities(_ folder: GuideFolder) throws -> (taibaihu: TimeBankStore, other: TimeBankStore) {
        let taibaihu = try guideStore(folder)
        try taibaihu.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "482916", by: nil,
                                 iterations: 1_000)
        let other = try TimeBankStore(path: folder.path + "/other.sqlite")
        try other.addOperator(Operator(id: "admin", name: "别的社区", role: .admin, station: nil), pin: "730519", by: nil,
                              iterations: 1_000)
        return (taibaihu, other)
    }

    @Test("another community's admin session may not set this admin's PIN, add an operator or redeem here (O016)")
    func foreignSessionRefused() throws {
        let folder = try GuideFolder()
        let (taibaihu, other) = try Self.twoCommunities(folder)
        let foreign = try other.signIn(operatorID: "admin", pin: "730519")
        func isO016(_ error: any Error) -> Bool {
            guard let error = error as? AccessError else { return false }
            return error == .sessionFromAnotherStore(operatorID: "admin") && error.code == "O016" && error.category == .refused
        }

        #expect { try taibaihu.changePIN(of: "admin", to: "246813", by: foreign, iterations: 1_000) } throws: { isO016($0) }
        #expect(throws: AccessError.signInFailed) { try taibaihu.signIn(operatorID: "admin", pin: "246813") }
        #expect { try taibaihu.addOperator(Operator(id: "evil", name: "冒名", role: .admin, station: nil), pin: "864201",
                                           by: foreign, iterations: 1_000) } throws: { isO016($0) }
        #expect(try taibaihu.operatorAccesses().map(\.operatorID) == ["admin"])
        #expect { try taibaihu.disableOperator("admin", reason: "冒名", by: foreign) } throws: { isO016($0) }

        try taibaihu.post(.move(key: "award-1", kind: .award, date: LocalDate("2026-11-01")!, actor: "admin", memo: "",
                                from: .issuance, to: .volunteer("V0001"), amount: 20_000))
        let request = RedemptionRequest(key: "S01-0001", station: "S01", volunteer: "V0001", item: "rice_5kg",
                                        date: LocalDate("2026-11-08")!)
        #expect { try taibaihu.redeem(request, by: foreign) } throws: { isO016($0) }
        #expect(try taibaihu.balance(.volunteer("V0001")) == 20_000)
    }

    @Test("a session works with every store opened on its file: another instance, a read-only one, a store per request")
    func sameFileAccepted() throws {
        let folder = try GuideFolder()
        let (taibaihu, _) = try Self.twoCommunities(folder)
        let readOnly = try TimeBankStore(existingAt: folder.path + "/community.sqlite", readOnly: true)
        let admin = try readOnly.signIn(operatorID: "admin", pin: "482916")
        let perRequest = try TimeBankStore(existingAt: folder.path + "/community.sqlite")
        try perRequest.addOperator(Operator(id: "op-zhang", name: "张敏", role: .operator, station: "S01"), pin: "1357",
                                   by: admin, iterations: 1_000)
        let zhang = try taibaihu.signIn(operatorID: "op-zhang", pin: "1357")
        try TimeBankStore(existingAt: folder.path + "/community.sqlite").changePIN(of: "op-zhang", to: "2468", by: zhang,
                                                                                   iterations: 1_000)
        #expect(try perRequest.signIn(operatorID: "op-zhang", pin: "2468").operatorID == "op-zhang")
    }

    @Test("in-memory stores are each their own: a session from one is refused by another")
    func memoryStores() throws {
        let first = try TimeBankStore(path: ":memory:")
        let second = try TimeBankStore(path: ":memory:")
        for store in [first, second] {
            try store.addOperator(Operator(id: "admin", name: "管理员", role: .admin, station: nil), pin: "482916", by: nil,
                                  iterations: 1_000)
        }
        let admin = try first.signIn(operatorID: "admin", pin: "482916")
        try first.changePIN(of: "admin", to: "135792", by: admin, iterations: 1_000)
        #expect(throws: AccessError.sessionFromAnotherStore(operatorID: "admin")) {
            try second.changePIN(of: "admin", to: "135792", by: admin, iterations: 1_000)
        }
    }
}
