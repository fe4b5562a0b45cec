/// Text from residents, files and the database made safe to print on a terminal.
///
/// Names, memos, ids and file contents reach the operator's screen in tables, receipts, passbooks and error
/// messages. A character that a terminal obeys instead of showing (an escape sequence `ESC [ 2 J` that clears the
/// screen, `ESC ] 0 ; … BEL` that sets the window title, a carriage return that overwrites the line, U+009B, which
/// terminals reading 8-bit controls take for `ESC [`) or that reorders what follows it on the line (the
/// bidirectional override U+202E) must never be printed raw: the operator would see something other than what is
/// stored. Every command's output and error stream goes through `escaped` (the command line's `TextOutput`s).
public enum TerminalText {
    /// Whether a terminal would obey `scalar` rather than show it: the control characters (U+0000–U+001F other than
    /// the line feed and the tab that the command line's own output uses, U+007F, and U+0080–U+009F) and the
    /// bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), which reverse or
    /// reorder the rest of a line.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\n" || scalar == "\t" { return false }
        return scalar.isControl || isBidirectionalControl(scalar)
    }

    /// U+202A–U+202E (embeddings and overrides) and U+2066–U+2069 (isolates).
    public static func isBidirectionalControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// Why text to be stored (a name, a reason, a memo) would show the rest of it reversed, as "it has …", or nil: the first
    /// bidirectional control in it. Escaping it on a terminal is not enough, as receipts and spreadsheets show it too.
    public static func bidirectionalControlProblem(_ text: String) -> String? {
        guard let control = text.unicodeScalars.first(where: isBidirectionalControl) else { return nil }
        return "it has the invisible bidirectional control U+\(hex4(control)), which shows the text after it reversed or moved on "
            + "screens and in spreadsheets; write it without"
    }

    /// `text` with each unsafe scalar written out as Swift writes it in a string (`\u{1B}`, `\u{202E}`), so the
    /// operator sees that it is there and which it is; everything else, line feeds and tabs too, as it is.
    ///
    ///     TerminalText.escaped("\u{1B}[2J王家")   // "\\u{1B}[2J王家"
    ///
    /// - Complexity: O(n) in the UTF-8 length; text without a byte that can start an unsafe scalar is returned as it is.
    public static func escaped(_ text: String) -> String {
        // Every unsafe scalar is a byte below 0x20, 0x7F, or a sequence led by 0xC2 (U+0080–U+009F) or 0xE2 (U+2000–U+2FFF).
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }),
              text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out.append(contentsOf: "\\u{\(hex(scalar))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The scalar as one column of a source-line excerpt: a control character as its picture (`␛` for ESC, `␇` for
    /// BEL, `␡` for DEL), any other unsafe scalar as `�`; a safe scalar as it is. One scalar for one, so that a marker
    /// under the excerpt stays under the text it marks.
    public static func picture(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard isUnsafe(scalar) else { return scalar }
        if scalar.value < 0x20 { return Unicode.Scalar(0x2400 + scalar.value)! }
        if scalar.value == 0x7F { return "\u{2421}" }
        return "\u{FFFD}"
    }

    /// At least 4 hex digits, upper case, as Unicode names code points: `200B`, `0412`.
    public static func hex4(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `04X`-style hex of at least 2 digits, upper case: `1B`, `9B`, `202E`.
    static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return digits.count < 2 ? "0" + digits : digits
    }
}
