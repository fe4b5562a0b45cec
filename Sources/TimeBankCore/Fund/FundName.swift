/// Merchant and donor names as the fund stores them and builds default keys from them.
///
/// People type names with a stray trailing space, a full-width space (U+3000) from a Chinese input method, or two
/// spaces between words. Unnormalised, `"泰山路超市 "` and `"泰山路超市"` would make two default keys
/// (`contribution:泰山路超市 :2026-11-20`, `contribution:泰山路超市:2026-11-20`) and a retry would pay twice.
///
///     FundName.normalized("  爱心企业\u{3000}\u{3000}鲁味斋 ")   // "爱心企业 鲁味斋"
public enum FundName {
    /// `text` without leading or trailing whitespace, each inner run of whitespace made one space (U+0020).
    /// Whitespace is Unicode's White_Space property: spaces, tabs, line breaks, U+3000, U+00A0 and the like.
    ///
    /// - Complexity: O(n) in the number of Unicode scalars.
    public static func normalized(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace { scalars.append(" ") }
            pendingSpace = false
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// `text` normalised and read as the same name whatever its letter case and width: full-width forms (`ＷＡＬＭＡＲＴ`
    /// from a Chinese input method) as the ASCII they stand for (`halfWidth`), then lower case.
    /// `Walmart`, `walmart` and `ＷＡＬＭＡＲＴ` read the same; Chinese names are unchanged.
    public static func reading(_ text: String) -> String {
        normalized(text).halfWidth.lowercased()
    }

    /// The spelling among `stored` that `typed` reads the same as (`reading`) but is not written as (after `normalized`):
    /// the name to write instead, so that one merchant or donor keeps one name and one default key. Nil when `typed` is
    /// written as stored or reads as no stored name; the first in `stored` when several read the same.
    public static func storedSpelling(of typed: String, among stored: [String]) -> String? {
        let written = normalized(typed)
        guard !stored.contains(where: { normalized($0) == written }) else { return nil }
        let read = reading(typed)
        return stored.first { reading($0) == read }
    }
}

