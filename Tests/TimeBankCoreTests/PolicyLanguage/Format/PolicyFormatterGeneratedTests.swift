import Testing
@testable import TimeBankCore

/// Randomly built TOML files with comments, blank lines, odd spacing and nested arrays and inline
/// tables in every position: each keeps its data and comments and formats idempotently.
struct PolicyFormatterGeneratedTests {
    /// Builds one random document from a seeded generator.
    struct DocumentBuilder {
        var generator: SplitMix64
        var text = ""
        var depth = 0

        mutating func chance(_ percent: UInt64) -> Bool { generator.next() % 100 < percent }
        mutating func pick<T>(_ options: [T]) -> T { options[Int(generator.next() % UInt64(options.count))] }
        mutating func number(_ upper: Int) -> Int { Int(generator.next() % UInt64(upper)) }

        mutating func space() -> String { pick(["", " ", " ", "  ", "\t"]) }

        mutating func comment() -> String {
            "#" + pick(["", " note", " 备注：积分", "#", " [not = a table]", " trailing spaces   ", "\tx", " \"quoted\" 'x' ]}"])
        }

        /// Line breaks and comments allowed between the elements of an array or inline table.
        mutating func gap() -> String {
            var gap = space()
            if chance(30) {
                if chance(50) { gap += comment() }
                gap += pick(["\n", "\r\n", "\n\n"]) + space()
                if chance(30) { gap += comment() + "\n" + space() }
            }
            return gap
        }

        mutating func key() -> String {
            let part = pick(["rate", "a", "b-c", "k_1", "42", "\"quoted key\"", "'literal'", "\"站点\"", "\"a.b\"", "x"])
            return chance(20) ? part + space() + "." + space() + pick(["y", "\"z\"", "w"]) : part
        }

        mutating func scalar() -> String {
            switch number(12) {
            case 0: return pick(["1", "-16", "+7", "1_000", "0xFF", "0o17", "0b101"])
            case 1: return pick(["1.5", "-0.25", "6.02E23", "1e-3", "inf", "-nan", "3_141.5"])
            case 2: return pick(["true", "false"])
            case 3: return pick(["2026-10-01", "1979-05-27T07:32:00Z", "1979-05-27 07:32:00+08:00", "07:32", "2026-10-01T08:00:00"])
            case 4: return "'" + pick(["hour >= 22 or hour < 6", "record.category == \"orange\"", "C:\\path\\", ""]) + "'"
            case 5: return "\"" + pick(["东站", "tab\\there", "quote \\\" inside", "\\u00E9", ""]) + "\""
            case 6: return "\"\"\"" + pick(["\nline one  \nline two\\\n   joined", "a\"\"b", "\r\nwindows\r\n", "\n"]) + "\"\"\""
            case 7: return "'''" + pick(["\nraw  \n  text", "it''s", "\n#not a comment\n"]) + "'''"
            default: return "\"" + String(repeating: pick(["w", "积", "ab"]), count: number(60)) + "\""
            }
        }

        mutating func value() -> String {
            guard depth < 4 else { return scalar() }
            switch number(10) {
            case 0, 1:
                depth += 1
                defer { depth -= 1 }
                var array = "[" + gap()
                let count = number(7)
                for index in 0..<count {
                    array += value() + gap()
                    if index < count - 1 || chance(40) { array += "," + gap() }
                }
                return array + "]"
            case 2:
                depth += 1
                defer { depth -= 1 }
                // Half on one line (TOML 1.0 style), half with TOML 1.1 line breaks and comments.
                let multiLine = chance(50)
                var table = "{" + (multiLine ? gap() : space())
                let count = number(4)
                for index in 0..<count {
                    table += "k\(index)" + space() + "=" + space() + value() + (multiLine ? gap() : space())
                    if index < count - 1 || (multiLine && chance(40)) { table += "," + (multiLine ? gap() : space()) }
                }
                return table + "}"
            default:
                return scalar()
            }
        }

        /// A document of sections, each with unique keys so most documents are valid.
        mutating func document(sectionCount: Int) -> String {
            if chance(10) { text += "\u{FEFF}" }
            for section in 0..<sectionCount {
                if section > 0 || chance(30) {
                    for _ in 0..<number(3) { text += pick(["\n", space() + comment() + "\n"]) }
                    let name = chance(50) ? "s\(section)" : "s\(section)" + space() + "." + space() + "\"子\(section)\""
                    text += space() + (chance(25) ? "[[" + space() + name + space() + "]]" : "[" + space() + name + space() + "]")
                    text += space() + (chance(30) ? comment() : "") + pick(["\n", "\r\n"])
                }
                for index in 0..<number(6) {
                    for _ in 0..<number(2) { text += pick(["\n", space() + comment() + "\n", "   \n"]) }
                    text += space() + "key\(index)" + space() + "=" + space() + value() + space()
                    text += (chance(40) ? comment() : "") + pick(["\n", "\r\n", "\n"])
                }
            }
            if chance(20) { text += comment() }
            return text
        }
    }

    @Test func generatedDocumentsKeepTheirDataAndFormatIdempotently() {
        var seedGenerator = SplitMix64(seed: 20_261_003)
        var checked = 0
        var changedByFormatting = 0
        for round in 0..<1_500 {
            var builder = DocumentBuilder(generator: SplitMix64(seed: seedGenerator.next()))
            let text = builder.document(sectionCount: builder.number(5) + 1)
            let bytes = Array(text.utf8)
            let original = TOMLDecoder.decode(bytes)
            guard !original.hasErrors else { continue }
            checked += 1
            let result = PolicyFormatter.format(bytes)
            guard let formatted = result.text else {
                Issue.record("round \(round): no text: \(result.diagnostics.map(\.message))\n\(text)")
                continue
            }
            if result.changes(bytes) { changedByFormatting += 1 }
            let reread = TOMLDecoder.decode(Array(formatted.utf8))
            #expect(TOMLDataComparison.sameData(original.document.root, reread.document.root), "round \(round): data changed")
            #expect(TOMLDataComparison.sameComments(original.document.comments, reread.document.comments),
                    "round \(round): comments changed")
            let again = PolicyFormatter.format(Array(formatted.utf8)).text
            #expect(again == formatted, "round \(round): not idempotent\n--- input\n\(text)\n--- first\n\(formatted)--- second\n\(again ?? "nil")")
            // No line ends in spaces, except inside multi-line strings (which these lines would be part of).
            if !text.contains("\"\"\"") && !text.contains("'''") {
                #expect(!formatted.contains(" \n") && !formatted.contains("\t\n"), "round \(round): trailing spaces\n\(formatted)")
            }
        }
        #expect(checked > 1_000, "only \(checked) generated documents were valid TOML")
        #expect(changedByFormatting > checked / 2)
    }
}
