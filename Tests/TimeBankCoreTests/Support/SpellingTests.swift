import Testing
@testable import TimeBankCore

/// The one did-you-mean rule (`Spelling`), on cases a reader can check by hand.
@Suite struct SpellingTests {
    @Test("edit distance: insertions, deletions, replacements and a swap of neighbours each cost 1")
    func editDistance() {
        func distance(_ a: String, _ b: String) -> Int { Spelling.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars)) }
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("", "abc") == 3)
        #expect(distance("abc", "") == 3)
        #expect(distance("bleu", "blue") == 1)
        #expect(distance("V0010", "V0001") == 1)
        #expect(distance("ca", "abc") == 3)   // optimal string alignment: a swapped pair is not edited again
        #expect(distance("王秀音", "王秀英") == 1)
        #expect(distance("same", "same") == 0)
    }

    @Test("a transposition is suggested")
    func transposition() {
        #expect(Spelling.nearest(to: "V0010", among: ["V0001", "V0002", "V0003"]) == "V0001")
        #expect(Spelling.nearest(to: "op-zhnag", among: ["op-zhang", "op-li"]) == "op-zhang")
        #expect(Spelling.nearest(to: "ornage", among: ["red", "orange"]) == "orange")
    }

    @Test("the same id but for full width or case comes first")
    func sameButForWidthAndCase() {
        #expect(Spelling.nearest(to: "Ｖ０００１", among: ["V0001", "V0002", "V0011"]) == "V0001")
        #expect(Spelling.nearest(to: "s01", among: ["S01", "S02", "S10"]) == "S01")
        #expect(Spelling.nearest(to: "Ｓ０１", among: ["S01", "S02"]) == "S01")
        #expect(Spelling.nearest(to: "Birth Date", among: ["birth_date", "name"]) == "birth_date")
        // Two that differ only by case: neither is guessed.
        #expect(Spelling.nearest(to: "ab1", among: ["AB1", "Ab1"]) == nil)
    }

    @Test("far words, ties and empty lists get no suggestion")
    func noSuggestion() {
        #expect(Spelling.nearest(to: "xyz", among: ["red", "orange"]) == nil)
        #expect(Spelling.nearest(to: "V0001", among: [String]()) == nil)
        #expect(Spelling.nearest(to: "", among: ["V0001"]) == nil)
        // V0009 is one edit from each: no id is picked by the order of the list.
        #expect(Spelling.nearest(to: "V0009", among: ["V0001", "V0002", "V0008"]) == nil)
        // A one-letter word has nothing left once it is replaced.
        #expect(Spelling.nearest(to: "x", among: ["a"]) == nil)
    }

    @Test("CJK names: one character off is near")
    func chineseNames() {
        #expect(Spelling.nearest(to: "王秀音", among: ["王秀英", "李娜", "张红梅"]) == "王秀英")
        #expect(Spelling.nearest(to: "王秀英", among: ["李娜", "张红梅"]) == nil)
    }

    @Test("how far a word may be: a third of it, from 1 to 3")
    func limits() {
        #expect(Spelling.distanceLimit(forLength: 1) == 1)
        #expect(Spelling.distanceLimit(forLength: 5) == 1)
        #expect(Spelling.distanceLimit(forLength: 6) == 2)
        #expect(Spelling.distanceLimit(forLength: 9) == 3)
        #expect(Spelling.distanceLimit(forLength: 40) == 3)
        // 5 letters, 2 edits: too far; 6 letters, 2 edits: near.
        #expect(Spelling.nearest(to: "oragn", among: ["orange"]) == nil)
        #expect(Spelling.nearest(to: "volunter", among: ["volunteer", "household"]) == "volunteer")
    }
}
