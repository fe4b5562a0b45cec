import Testing
@testable import TimeBankCore

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("", 0),
        ("abc", 3),
        ("王小明", 6),
        ("V0001 王小明", 12),
        ("张建国户(H0001)", 15),
        ("泰山路12号3单元402", 18),
        ("（红色教育）", 12),
        ("，。：、《》", 12),
        ("\u{3000}", 2),                   // ideographic space
        ("ＡＢＣ１２３", 12),                // fullwidth forms
        ("ｶﾀｶﾅ", 4),                        // halfwidth katakana stay narrow
        ("カタカナ", 8),
        ("한국어", 6),
        ("￥100", 5),
        ("Zoë", 3),
        ("…·“”", 4),                       // ambiguous width counts 1
    ])
    func widths(text: String, expected: Int) {
        #expect(displayWidth(of: text) == expected)
    }

    @Test func combiningMarksAndZeroWidthCharactersTakeNoColumns() {
        #expect(displayWidth(of: "e\u{0301}") == 1)              // e + combining acute
        #expect(displayWidth(of: "\u{0301}") == 0)               // a lone combining mark
        #expect(displayWidth(of: "a\u{200B}b") == 2)             // zero width space
        #expect(displayWidth(of: "\u{FEFF}王") == 2)             // byte order mark
        #expect(displayWidth(of: "\u{1100}\u{1161}\u{11A8}") == 2) // 각 from conjoining jamo
        #expect(displayWidth(of: "a\tb\n") == 2)                 // controls take none
    }

    @Test func emojiAreTwoColumns() {
        #expect(displayWidth(of: "😀") == 2)
        #expect(displayWidth(of: "👍🏽") == 2)                    // with a skin tone modifier
        #expect(displayWidth(of: "👨‍👩‍👧") == 2)                  // ZWJ sequence
        #expect(displayWidth(of: "🇨🇳") == 2)                    // flag
        #expect(displayWidth(of: "❤\u{FE0F}") == 2)              // emoji style asked for
        #expect(displayWidth(of: "❤") == 1)                      // text style by default
    }

    @Test func paddingUsesDisplayWidth() {
        #expect(padded("王家", toWidth: 6) == "王家  ")
        #expect(padded("王家", toWidth: 6, alignment: .right) == "  王家")
        #expect(padded("42", toWidth: 5, alignment: .right) == "   42")
        #expect(padded("张建国户", toWidth: 6) == "张建国户")          // already wider: unchanged
        #expect(padded("", toWidth: 2) == "  ")
    }

    @Test func truncationCutsBetweenCharactersAndAddsAnEllipsis() {
        #expect(truncated("张建国户志愿服务队", toWidth: 8) == "张建国…")   // 7 columns: 户 would need 9
        #expect(truncated("张建国户志愿服务队", toWidth: 9) == "张建国户…")
        #expect(truncated("V0001王小明", toWidth: 8) == "V0001王…")
        #expect(truncated("王家", toWidth: 4) == "王家")                    // fits: unchanged
        #expect(truncated("王家", toWidth: 3) == "王…")
        #expect(truncated("王家", toWidth: 1) == "…")
        #expect(truncated("王家", toWidth: 0) == "")
        #expect(truncated("王家", toWidth: -3) == "")
        #expect(truncated("abcdef", toWidth: 4, ellipsis: "...") == "a...")
        #expect(truncated("abcdef", toWidth: 2, ellipsis: "...") == "ab")  // no room for the ellipsis
    }

    @Test func wrappingBreaksAtSpacesKeepsIdsWholeAndLosesNothing() {
        #expect(wrapped("红色教育 120 min · default:d2026-10-20-25", toWidth: 24) == ["红色教育 120 min ·", "default:d2026-10-20-25"])
        #expect(wrapped("红色教育 120 min · default:d2026-10-20-25", toWidth: 40) == ["红色教育 120 min ·", "default:d2026-10-20-25"])
        #expect(wrapped("王家 泰山路", toWidth: 40) == ["王家 泰山路"])                     // fits: unchanged
        #expect(wrapped("张建国户志愿服务队", toWidth: 8) == ["张建国户", "志愿服务", "队"])   // no spaces: cut between characters
        #expect(wrapped("张建国户志愿服务队", toWidth: 7) == ["张建国", "户志愿", "服务队"])   // a wide character never split
        #expect(wrapped("a  b", toWidth: 1) == ["a", "b"])
        #expect(wrapped("ab", toWidth: 0) == ["ab"])
        for text in ["reverses #12 兑换: 大米5kg — 操作失误, 撤销兑换", String(repeating: "长", count: 25), "x  yyyyyyyyyyyy z"] {
            for width in 2...12 {
                let lines = wrapped(text, toWidth: width)
                #expect(lines.allSatisfy { displayWidth(of: $0) <= width }, "\(text) at \(width): \(lines)")
                // Every character is kept; only the spaces at a break go.
                #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " }, "\(text) at \(width)")
            }
        }
    }

    @Test func fittedCellsAreExactlyTheWidthAsked() {
        #expect(fitted("张建国户志愿服务队", toWidth: 8) == "张建国… ")
        #expect(fitted("王家", toWidth: 6, alignment: .right) == "  王家")
        for name in ["王家", "张建国户", "欧阳娜娜户", "Li Na", "😀 开心", "李"] {
            for width in 1...12 {
                #expect(displayWidth(of: fitted(name, toWidth: width)) == width, "\(name) at \(width)")
            }
        }
    }

    @Test func tableColumnsLineUpWithMixedNames() {
        let rows = [("V0001", "王小明", "红色教育"), ("V0002", "Li Na", "橙色关怀"), ("V0013", "欧阳娜娜", "紫色便民")]
        let lines = rows.map { id, name, team in
            padded(id, toWidth: 6) + padded(name, toWidth: 10) + padded(team, toWidth: 8)
        }
        #expect(lines == [
            "V0001 王小明    红色教育",
            "V0002 Li Na     橙色关怀",
            "V0013 欧阳娜娜  紫色便民",
        ])
        #expect(lines.allSatisfy { displayWidth(of: $0) == 24 })
    }
}
