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

    @Test("an id typed with its number short of its zeros (V1, v204, Ｖ１) is the one id with that number; a phone number is none")
    func sameNumber() {
        let ids = ["V0001", "V0010", "V0204", "H0001", "S01"]
        #expect(Spelling.sameNumber(as: "V1", among: ids) == "V0001")
        #expect(Spelling.sameNumber(as: "v204", among: ids) == "V0204")
        #expect(Spelling.sameNumber(as: "Ｖ１０", among: ids) == "V0010")
        #expect(Spelling.sameNumber(as: "V00001", among: ids) == "V0001")
        #expect(Spelling.sameNumber(as: "S1", among: ids) == "S01")
        #expect(Spelling.sameNumber(as: "V2", among: ids) == nil)
        #expect(Spelling.sameNumber(as: "13800138000", among: ids) == nil)
        #expect(Spelling.sameNumber(as: "V13800138000", among: ids) == nil)
        #expect(Spelling.sameNumber(as: "V0001", among: ids) == nil)          // the id itself is no suggestion
        #expect(Spelling.sameNumber(as: "V1", among: ["V01", "V001"]) == nil)  // two ids with one number: no guess
    }

    @Test("a heading typed in Chinese is answered with the nearest Chinese spelling of its meaning, one in Latin letters in Latin")
    func spellingLikeTheWord() {
        let spellings: [(spelling: String, meaning: String)] = [("minutes", "minutes"), ("时长", "minutes"), ("服务时长", "minutes"),
                                                               ("date", "date"), ("服务日期", "date")]
        #expect(Spelling.nearestSpelling(to: "服务时常", among: spellings).map { [$0.spelling, $0.meaning] } == ["服务时长", "minutes"])
        #expect(Spelling.nearestSpelling(to: "minutse", among: spellings).map { [$0.spelling, $0.meaning] } == ["minutes", "minutes"])
        // Two meanings equally near: no guess, as nearest(to:among:).
        #expect(Spelling.nearestSpelling(to: "服务时期", among: spellings) == nil)
        #expect(Spelling.nearest(to: "服务时期", among: spellings) == nil)
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

    @Test("a tie between spellings of one meaning is no tie: 生日期 is one edit from 生日 and from 出生日期, both birth_date")
    func spellingsOfOneMeaning() {
        let headings = [(spelling: "birth_date", meaning: "birth_date"), (spelling: "生日", meaning: "birth_date"),
                        (spelling: "出生日期", meaning: "birth_date"), (spelling: "户名", meaning: "name"), (spelling: "户号", meaning: "household")]
        #expect(Spelling.nearest(to: "生日期", among: headings) == "birth_date")
        // Spellings of different meanings still tie: 户主 is one edit from 户名 (name) and from 户号 (household).
        #expect(Spelling.nearest(to: "户主", among: headings) == nil)
        // The same but for case or width decides first, as without meanings.
        #expect(Spelling.nearest(to: "Birth Date", among: headings) == "birth_date")
        #expect(Spelling.nearest(to: "xyz", among: headings) == nil)
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

    /// The rule as it reads above, computed the plain way: every candidate folded with `fold` and its whole distance taken.
    /// `nearest` folds ASCII byte by byte and gives a distance up once it is out of reach; this is what it must agree with.
    static func plainNearest(to word: String, among candidates: [String]) -> String? {
        let folded = Spelling.fold(word)
        let limit = min(Spelling.distanceLimit(forLength: folded.count), max(folded.count - 1, 0))
        let same = candidates.filter { Spelling.fold($0) == folded }
        if !same.isEmpty { return same.count == 1 ? same[0] : nil }
        guard folded.count <= Spelling.comparedLengthMaximum else { return nil }
        let near = candidates.map { ($0, Spelling.editDistance(folded, Spelling.fold($0))) }.filter { $0.1 <= limit }
        guard let nearest = near.map(\.1).min() else { return nil }
        let best = near.filter { $0.1 == nearest }
        return best.count == 1 ? best[0].0 : nil
    }

    @Test("the fast way (ASCII folded by byte, distances given up out of reach) suggests what the plain rule does")
    func fastAgreesWithPlain() {
        var generator = SplitMix64(seed: 42)
        // Record ids, volunteer ids and names, with case, hyphens, white space, full-width and Chinese characters mixed in.
        let alphabet = Array("r0123456789Vv-_ Ａ１王秀英".unicodeScalars) + ["\t", "\u{3000}", "\u{85}"]
        func text(_ length: Int) -> String {
            String(String.UnicodeScalarView((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }))
        }
        var suggested = 0
        for _ in 0..<400 {
            let base = (0..<Int(generator.next() % 40)).map { _ in text(Int(generator.next() % 9) + 1) }
            // Near misses of the list's own words: one or two scalars changed, dropped or swapped.
            var candidates = base
            for word in base.prefix(5) {
                var scalars = Array(word.unicodeScalars)
                let at = Int(generator.next() % UInt64(scalars.count))
                switch generator.next() % 3 {
                case 0: scalars[at] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: scalars.remove(at: at)
                default: if at + 1 < scalars.count { scalars.swapAt(at, at + 1) }
                }
                candidates.append(String(String.UnicodeScalarView(scalars)))
            }
            let typed = generator.next() % 2 == 0 && !candidates.isEmpty
                ? candidates[Int(generator.next() % UInt64(candidates.count))] + text(Int(generator.next() % 2))
                : text(Int(generator.next() % 9) + 1)
            let fast = Spelling.nearest(to: typed, among: candidates)
            #expect(fast == Self.plainNearest(to: typed, among: candidates), "typed \(typed.debugDescription) among \(candidates)")
            if fast != nil { suggested += 1 }
        }
        // The lists above do reach suggestions (not only nil = nil).
        #expect(suggested > 50)
    }

    @Test("a distance given up out of reach: nil past the bound, the distance itself within it")
    func boundedDistance() {
        var rows = Spelling.DistanceRows()
        func bounded(_ a: String, _ b: String, _ bound: Int) -> Int? {
            Spelling.boundedEditDistance(Array(a.unicodeScalars), Array(b.unicodeScalars), bound: bound, rows: &rows)
        }
        #expect(bounded("kitten", "sitting", 3) == 3)
        #expect(bounded("kitten", "sitting", 2) == nil)
        #expect(bounded("r0500000", "x0500000", 3) == 1)
        #expect(bounded("r0500000", "r9999999", 3) == nil)
        #expect(bounded("ca", "abc", 3) == 3)
        #expect(bounded("V0010", "V0001", 1) == 1)
        #expect(bounded("", "abc", 2) == nil)
        #expect(bounded("abc", "", 3) == 3)
    }
}
