extension Unicode.Scalar {
    /// The ASCII character a full-width form stands for, as a Chinese input method types them: U+FF01–U+FF5E are
    /// U+0021–U+007E moved up by 0xFEE0 (`１` is `1`, `＝` is `=`, `Ｒ` is `R`, `＃` is `#`); nil for anything else.
    public var asciiOfFullWidthForm: Unicode.Scalar? {
        guard (0xFF01...0xFF5E).contains(value) else { return nil }
        return Unicode.Scalar(value - 0xFEE0)
    }
}
