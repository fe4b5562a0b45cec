extension Unicode.Scalar {
    /// The ASCII character a full-width form stands for, as a Chinese input method types them: U+FF01–U+FF5E are
    /// U+0021–U+007E moved up by 0xFEE0 (`１` is `1`, `＝` is `=`, `Ｒ` is `R`, `＃` is `#`); nil for anything else.
    public var asciiOfFullWidthForm: Unicode.Scalar? {
        guard (0xFF01...0xFF5E).contains(value) else { return nil }
        return Unicode.Scalar(value - 0xFEE0)
    }
}

extension String {
    /// The text with its full-width forms (`０９：００`, `６０`, `Ｈ０３０`, common in Chinese input) read as the ASCII they
    /// stand for; the text itself when it is ASCII.
    /// - Complexity: O(n) in the number of Unicode scalars.
    public var halfWidth: String {
        guard utf8.contains(where: { $0 >= 0x80 }) else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { $0.asciiOfFullWidthForm ?? $0 }))
    }
}
