/// JSON text written by hand, so that key order and number text are exactly what we choose.
public enum JSONText {
    /// A JSON string literal: quotes, backslashes, control characters (C0, DEL and C1) and bidirectional overrides
    /// (U+202A–U+202E, U+2066–U+2069) escaped as `\uXXXX`, everything else as UTF-8. JSON printed at a terminal
    /// then holds nothing the terminal would obey, and a program reading it gets the same string.
    ///
    ///     JSONText.quote("王家\n")   // "\"王家\\n\""
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.isControl || TerminalText.isBidirectionalControl(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
