/// Decodes TOML 1.1.0 documents from bytes.
///
///     let result = TOMLDecoder.decode(Array("rate = 1.5 # points per hour\n".utf8))
///     result.hasErrors                         // false
///     result.document.root["rate"]?.range      // 1:8-1:11
///     result.document.comments.first?.text     // " points per hour"
public enum TOMLDecoder {
    /// Decodes `bytes` (UTF-8, an optional byte-order mark is skipped). Never fails: problems come
    /// back as diagnostics (ids P001-P032), and the document holds everything that decoded cleanly.
    /// - Complexity: O(n) in the size of the input.
    public static func decode(_ bytes: [UInt8], limits: TOMLLimits = TOMLLimits()) -> TOMLParseResult {
        var parser = TOMLParser(bytes: bytes, limits: limits)
        return parser.parseDocument()
    }
}
