/// Where text sits in a column wider than itself.
public enum TextAlignment: Hashable, Sendable {
    /// Text first, spaces after: names, ids.
    case left
    /// Spaces first, text after: numbers.
    case right
}

/// How many terminal columns `text` takes: 2 for East Asian Wide and Fullwidth characters (CJK
/// ideographs, kana, Hangul, fullwidth forms, CJK punctuation such as `，。：（）`, emoji), 0 for
/// combining marks, zero-width and control characters, 1 for everything else.
///
///     displayWidth(of: "王小明")        // 6
///     displayWidth(of: "V0001 王小明")  // 12
///
/// Characters of ambiguous width (`…`, `·`, `“`) count 1, as in most terminals outside a CJK
/// locale. A grapheme cluster takes the width of its widest scalar, so `e` + U+0301 is 1 and
/// an emoji ZWJ sequence such as 👨‍👩‍👧 is 2.
///
/// - Complexity: O(n) in the length of `text`.
public func displayWidth(of text: String) -> Int {
    var width = 0
    for character in text {
        width += TerminalColumns.width(of: character)
    }
    return width
}

/// `text` with spaces added on the right (`.left`) or left (`.right`) to fill `width` columns;
/// unchanged when it is already that wide or wider.
///
///     padded("王家", toWidth: 6, alignment: .left)   // "王家  "
///     padded("42", toWidth: 5, alignment: .right)    // "   42"
public func padded(_ text: String, toWidth width: Int, alignment: TextAlignment = .left) -> String {
    let missing = width - displayWidth(of: text)
    guard missing > 0 else { return text }
    let spaces = String(repeating: " ", count: missing)
    switch alignment {
    case .left: return text + spaces
    case .right: return spaces + text
    }
}

/// `text` cut to at most `width` columns, ending with `ellipsis` when anything was cut; unchanged
/// when it fits. Cuts fall between characters, so the result may be one column short when a wide
/// character did not fit.
///
///     truncated("张建国户志愿服务队", toWidth: 8)   // "张建国…" (7 columns)
///     truncated("王家", toWidth: 4)                 // "王家"
public func truncated(_ text: String, toWidth width: Int, ellipsis: String = "…") -> String {
    guard width > 0 else { return "" }
    guard displayWidth(of: text) > width else { return text }
    var ellipsis = ellipsis
    var ellipsisWidth = displayWidth(of: ellipsis)
    if ellipsisWidth > width {
        ellipsis = ""
        ellipsisWidth = 0
    }
    var result = ""
    var used = 0
    for character in text {
        let characterWidth = TerminalColumns.width(of: character)
        guard used + characterWidth + ellipsisWidth <= width else { break }
        result.append(character)
        used += characterWidth
    }
    return result + ellipsis
}

/// `text` cut into lines of at most `width` columns, keeping every character but spaces: breaks fall
/// at spaces (the words of a line are joined by one space, and a break drops its space), so an id such
/// as `default:r-2026-10-03-001` stays on one line whole; a word wider than `width` (Chinese text
/// without spaces) is cut between characters. Text that fits is one line, unchanged.
///
///     wrapped("红色教育 120 min · default:d2026-10-20-25", toWidth: 24)
///     // ["红色教育 120 min ·", "default:d2026-10-20-25"]
///     wrapped("张建国户志愿服务队", toWidth: 8)   // ["张建国户", "志愿服务", "队"]
///
/// - Complexity: O(n) in the length of `text`.
public func wrapped(_ text: String, toWidth width: Int) -> [String] {
    guard width > 0, displayWidth(of: text) > width else { return [text] }
    var lines: [String] = []
    var line = ""
    var used = 0
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        let wordWidth = displayWidth(of: String(word))
        if used > 0, used + 1 + wordWidth <= width {
            line += " " + word
            used += 1 + wordWidth
            continue
        }
        if used > 0 { lines.append(line) }
        line = ""
        used = 0
        // A word too wide for a line of its own is cut between characters; its last piece starts the next line.
        for character in word {
            let characterWidth = TerminalColumns.width(of: character)
            if used + characterWidth > width, used > 0 {
                lines.append(line)
                line = ""
                used = 0
            }
            line.append(character)
            used += characterWidth
        }
    }
    if used > 0 || lines.isEmpty { lines.append(line) }
    return lines
}

/// `text` made exactly `width` columns wide: truncated with an ellipsis if longer, then padded.
/// For table cells.
///
///     fitted("张建国户志愿服务队", toWidth: 8)   // "张建国… "
public func fitted(_ text: String, toWidth width: Int, alignment: TextAlignment = .left) -> String {
    padded(truncated(text, toWidth: width), toWidth: width, alignment: alignment)
}

/// Terminal column counts of scalars and characters, after Unicode's East Asian Width property
/// (UAX #11), which the standard library does not expose.
enum TerminalColumns {
    /// The columns a grapheme cluster takes: the widest of its scalars, or 2 for an emoji asked
    /// for in emoji style with VARIATION SELECTOR-16.
    static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        if let first = scalars.first, scalars.count == 1 {
            return width(of: first)
        }
        if scalars.contains("\u{FE0F}"), let first = scalars.first, first.properties.isEmoji {
            return 2
        }
        var widest = 0
        for scalar in scalars {
            widest = max(widest, width(of: scalar))
        }
        return widest
    }

    /// The columns one scalar takes on its own: 0, 1 or 2.
    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value >= 0x20, value < 0x7F { return 1 }
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return 0
        default:
            break
        }
        // Hangul medial vowels and final consonants join the syllable their leading consonant starts.
        if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return 0 }
        // Emoji_Presentation also covers the regional indicators that make up flags (which
        // UAX #11 calls narrow, but terminals draw a flag two columns wide).
        if isWide(value) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks, sorted; emoji are found by their
    /// Emoji_Presentation property instead. Unassigned code points inside a block count as wide.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, // Hangul Jamo leading consonants
        0x2329...0x232A, // angle brackets 〈 〉
        0x2E80...0x303E, // CJK radicals, Kangxi radicals, ideographic description, CJK symbols and punctuation
        0x3041...0x3247, // kana, Bopomofo, Hangul compatibility jamo, Kanbun, CJK strokes, enclosed CJK
        0x3250...0x33FF, // enclosed CJK (after the ambiguous-width circled numbers 3248–324F), CJK compatibility
        0x3400...0x4DBF, // CJK unified ideographs extension A
        0x4E00...0x9FFF, // CJK unified ideographs
        0xA000...0xA4CF, // Yi syllables and radicals
        0xA960...0xA97F, // Hangul Jamo extended-A
        0xAC00...0xD7A3, // Hangul syllables
        0xF900...0xFAFF, // CJK compatibility ideographs
        0xFE10...0xFE19, // vertical forms
        0xFE30...0xFE6F, // CJK compatibility forms, small form variants
        0xFF00...0xFF60, // fullwidth ASCII forms: ＡＢＣ，：（）
        0xFFE0...0xFFE6, // fullwidth signs: ￥ ￡
        0x16FE0...0x16FE4, 0x16FF0...0x16FF1, // ideographic symbols
        0x17000...0x18CFF, // Tangut, Khitan
        0x18D00...0x18D08, // Tangut supplement
        0x1AFF0...0x1B2FF, // kana supplements, Nushu
        0x1F200...0x1F2FF, // enclosed ideographic supplement
        0x20000...0x2FFFD, // CJK extensions B–F, compatibility supplement
        0x30000...0x3FFFD, // CJK extensions G–H
    ]

    static func isWide(_ value: UInt32) -> Bool {
        guard value >= 0x1100 else { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = wideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}
