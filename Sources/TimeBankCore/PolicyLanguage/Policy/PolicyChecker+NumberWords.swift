/// Numbers written in Chinese words (`一周`, `半小时`, `两个半小时`, `三十`), read so that the help can give the number in
/// digits: TOML reads only digits, and an admin who types `auto_accept_after_days = 一周` means 7.
///
///     PolicyChecker.numberInWords("两个半小时")   // (number: 2.5, unit: "小时")
///     PolicyChecker.numberInWords("三十")         // (number: 30, unit: "")
///     PolicyChecker.numberInWords("很多天")       // nil: 很多 is no number
extension PolicyChecker {
    /// The number and the unit word after it (empty when there is none) of `text` written in Chinese number words, where
    /// the text is exactly such a number: numerals (`一` to `九`, `两`, `十`, `百`, `千`, `万`, their financial forms) or
    /// ASCII digits, a `半` (half) alone, after `个` or after the unit (`一天半`), and a unit word; nil for anything else,
    /// and for plain ASCII digits (which have their own help).
    ///
    /// - Complexity: O(*n*) in the length of `text`, which is at most 24 characters.
    static func numberInWords(_ text: String) -> (number: ExactDecimal, unit: String)? {
        var scalars = Array(text.unicodeScalars.filter { !$0.properties.isWhitespace })
        guard !scalars.isEmpty, scalars.count <= 24,
              scalars.contains(where: { numeralValue($0) != nil || $0 == "半" }) else { return nil }
        // The number: numerals, or ASCII digits (1个半小时), or 半 alone (半小时, 半个月).
        var numeralEnd = 0
        while numeralEnd < scalars.count, numeralValue(scalars[numeralEnd]) != nil || ("0"..."9").contains(scalars[numeralEnd]) {
            numeralEnd += 1
        }
        var number: ExactDecimal
        var half = false
        if numeralEnd == 0 {
            guard scalars[0] == "半" else { return nil }
            number = .zero
            half = true
            scalars.removeFirst()
            if scalars.first == "个" || scalars.first == "個" { scalars.removeFirst() }
        } else {
            let numeral = scalars[..<numeralEnd]
            if numeral.allSatisfy({ ("0"..."9").contains($0) }) {
                guard let value = Int(String(String.UnicodeScalarView(numeral))) else { return nil }
                number = ExactDecimal(value)
            } else {
                guard let value = chineseInteger(numeral) else { return nil }
                number = ExactDecimal(value)
            }
            scalars.removeFirst(numeralEnd)
            // 两个半小时: 个 and then a half; 两个小时 keeps its 个 for the unit word (个小时).
            if scalars.count >= 2, scalars[0] == "个" || scalars[0] == "個", scalars[1] == "半" {
                half = true
                scalars.removeFirst(2)
            }
        }
        // 一天半, 一年半: the half after the unit.
        if !half, scalars.count >= 2, scalars.last == "半" {
            half = true
            scalars.removeLast()
        }
        let unit = String(String.UnicodeScalarView(scalars))
        // What is left is a unit word: letters only, no more numbers (一周三天 is two quantities).
        guard unit.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic && numeralValue($0) == nil && $0 != "半" }) else { return nil }
        if half {
            guard let withHalf = try? number.adding(ExactDecimal("0.5")!) else { return nil }
            number = withHalf
        }
        return (number, unit)
    }

    /// The value of a numeral digit (`三` is 3, `两` 2, `零` 0), or of a multiplier (`十` 10, `百` 100, `千` 1000, `万`
    /// 10000), in everyday or financial form; nil for anything else.
    static func numeralValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "零", "〇": 0
        case "一", "壹": 1
        case "二", "两", "兩", "贰", "貳": 2
        case "三", "叁", "參": 3
        case "四", "肆": 4
        case "五", "伍": 5
        case "六", "陆", "陸": 6
        case "七", "柒": 7
        case "八", "捌": 8
        case "九", "玖": 9
        case "十", "拾": 10
        case "百", "佰": 100
        case "千", "仟": 1000
        case "万", "萬": 10_000
        default: nil
        }
    }

    /// A whole number written in Chinese numerals (`十五` 15, `一百零五` 105, `两千` 2000, `三万` 30000); nil when the
    /// numerals are not one number (`一二`, `十百`).
    static func chineseInteger(_ numerals: ArraySlice<Unicode.Scalar>) -> Int? {
        var total = 0            // the part before 万
        var section = 0          // the part below 万 so far
        var digit: Int?          // a digit waiting for its multiplier
        var lastMultiplier = 10_000
        for scalar in numerals {
            guard let value = numeralValue(scalar) else { return nil }
            switch value {
            case 0...9:
                // Two digits in a row are no number (一二), except after 零 (一百零五).
                guard digit == nil || (digit == 0 && value != 0) else { return nil }
                digit = value
            case 10_000:
                guard total == 0 else { return nil }
                total = (section + (digit ?? 0)) * 10_000
                guard total > 0 else { return nil }
                section = 0
                digit = nil
                lastMultiplier = 10_000
            default:
                // 十 alone is 10; each multiplier is smaller than the one before it (十百 is no number).
                guard value < lastMultiplier, digit != 0 else { return nil }
                section += (digit ?? 1) * value
                digit = nil
                lastMultiplier = value
            }
        }
        return total + section + (digit ?? 0)
    }
}
