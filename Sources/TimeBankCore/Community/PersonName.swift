/// How a person's name is compared when a check or a hint looks for a person by name: the same-person checks of a
/// volunteer import and update (C016, C017), a record's volunteer or household column given a name, a name typed where
/// an account's id belongs, a name at the counter (R006). Only the comparison reads a name so; a stored name is never
/// changed.
///
/// The dot between the parts of a minority name (阿卜杜·艾力) is typed in many ways: the middle dot U+00B7, a bullet
/// (•), the katakana middle dot (・, ･), a full stop, full width or not (．, .), the hyphenation point (‧) or the dot
/// operator (⋅). They are one dot here, as white space is nothing (`张 红梅` is `张红梅`).
///
///     PersonName.same("阿卜杜·艾力", "阿卜杜•艾力")   // true
///     PersonName.same("张 红梅", "张红梅")          // true
public enum PersonName {
    /// The dots a middle dot is typed as: U+00B7, U+2022, U+30FB, U+FF0E, U+002E, U+2027, U+22C5, U+FF65.
    public static let middleDots: Set<Unicode.Scalar> = ["\u{00B7}", "\u{2022}", "\u{30FB}", "\u{FF0E}", "\u{002E}", "\u{2027}", "\u{22C5}", "\u{FF65}"]

    /// The form two names are compared in: white space left out, every middle dot written U+00B7.
    /// - Complexity: O(n) in the number of Unicode scalars.
    public static func comparisonKey(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars where !scalar.properties.isWhitespace {
            scalars.append(middleDots.contains(scalar) ? "\u{00B7}" : scalar)
        }
        return String(scalars)
    }

    /// Whether `name` and `other` name the same person as far as a name can tell (`comparisonKey`).
    public static func same(_ name: String, _ other: String) -> Bool {
        name == other || comparisonKey(name) == comparisonKey(other)
    }

    /// Whether `name` holds `part` (`王秀英` holds `秀英`), both in their `comparisonKey` form and Latin letters in either
    /// case: how `volunteer list --name` and the hints for a part of a name typed as an id find a person. False for a part
    /// that is empty once white space is left out.
    public static func holds(_ name: String, part: String) -> Bool {
        let wanted = comparisonKey(part).lowercased()
        return !wanted.isEmpty && comparisonKey(name).lowercased().contains(wanted)
    }

    /// Whether `text` could be part of a name worth a hint when it was typed where an id belongs: letters only (with
    /// spaces and middle dots), at least two of them in Chinese and three in Latin letters; a single character, or
    /// anything with a digit (`V004`), would match too many names or none a person meant.
    public static func isHintablePart(_ text: String) -> Bool {
        let key = comparisonKey(text)
        let letters = key.unicodeScalars.filter { $0 != "\u{00B7}" }
        guard !letters.isEmpty, letters.allSatisfy({ $0.properties.isAlphabetic }) else { return false }
        return letters.contains(where: { !$0.isASCII }) ? letters.count >= 2 : letters.count >= 3
    }
}
