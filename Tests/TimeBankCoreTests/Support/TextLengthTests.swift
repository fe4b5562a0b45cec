import Testing
@testable import TimeBankCore

/// A text over its limit is refused with how many characters it has, so the person who typed it knows how much to cut.
@Suite("Texts too long say how long they are")
struct TextLengthTests {
    @Test("the limit and the text's own length, counted in Unicode scalars (汉字 one each)")
    func tooLong() {
        #expect(TextLength.tooLong(String(repeating: "张", count: 101), maximum: 100) == "longer than 100 characters (it has 101)")
        #expect(TextLength.tooLong(String(repeating: "a", count: 231), maximum: 200) == "longer than 200 characters (it has 231)")
    }

    @Test("a name in the community, a ledger memo, a key, an actor, a fund memo and a refund reason")
    func everyRule() throws {
        let long = String(repeating: "李", count: 205)
        #expect(CommunityRules.textProblem(long, required: true, maximum: 200) == "it is longer than 200 characters (it has 205)")
        #expect(LedgerRules.lineProblem(long, maximum: 100) == "is longer than 100 characters (it has 205)")
        #expect(throws: LedgerError.invalidKey("the key is longer than 200 characters (it has 205)")) {
            try LedgerRules.validateKey(long)
        }
        #expect(throws: RedemptionError.invalidText(field: "reason", reason: "it is longer than 200 characters (it has 205)")) {
            try RedemptionRules.validateLine(long, field: "reason", allowEmpty: false, maximum: 200)
        }
        #expect(FundError.textTooLong(field: "memo", maximum: 200, length: 205).message
                == "the memo is longer than 200 characters (it has 205); nothing was written: shorten it")
    }
}
