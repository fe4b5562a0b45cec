/// How the engine says a text is too long: the limit and how many characters the text has, so that whoever typed it
/// knows how much to cut. Characters are counted as Unicode scalars, as every length rule of the engine counts them
/// (汉字 one each, an emoji with a modifier two).
public enum TextLength {
    /// `longer than 200 characters (it has 231)`.
    ///
    ///     TextLength.tooLong(String(repeating: "张", count: 101), maximum: 100)
    ///     // "longer than 100 characters (it has 101)"
    public static func tooLong(_ text: some StringProtocol, maximum: Int) -> String {
        tooLong(length: text.unicodeScalars.count, maximum: maximum)
    }

    /// The same for a text of `length` characters, when only its length is kept (`FundError.textTooLong`).
    public static func tooLong(length: Int, maximum: Int) -> String {
        "longer than \(maximum) characters (it has \(length))"
    }
}
