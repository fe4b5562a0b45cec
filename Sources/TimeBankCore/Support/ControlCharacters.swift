extension Unicode.Scalar {
    /// Whether the scalar is a control character (general category Cc: U+0000–U+001F and U+007F–U+009F, a set
    /// Unicode's stability policy fixes for good). Answered from the value, without the property lookup of
    /// `properties.generalCategory`: imports and the settlement ask it of every character they store.
    public var isControl: Bool { value < 0x20 || (0x7F...0x9F).contains(value) }
}
