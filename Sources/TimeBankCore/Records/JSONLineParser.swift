/// Reads one line of a JSON Lines file: a single JSON object (RFC 8259) whose values are strings,
/// numbers, booleans, null or arrays of those. Numbers keep their exact text; nothing becomes a
/// binary float. Every value knows its place in the file.
///
///     JSONLineParser.parseObject(Array(#"{"id": "r1", "minutes": 90}"#.utf8), line: 3, lineOffset: 120)
///     // .success([("id", .string("r1"), 3:8-3:12), ("minutes", .number("90"), 3:26-3:28)])
struct JSONLineParser {
    /// A JSON value of a record line.
    enum Value: Hashable, Sendable {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        case array([Value])
    }

    /// One key of the object with its value and where the value is.
    struct Member: Hashable, Sendable {
        var key: String
        var keyRange: SourceRange
        var value: Value
        var range: SourceRange
    }

    /// Where and why the line is not a JSON object.
    struct Failure: Error, Hashable, Sendable {
        var message: String
        var range: SourceRange
    }

    private let bytes: [UInt8]
    private let line: Int
    private let lineOffset: Int
    private var index = 0
    private var column = 1
    /// Arrays inside arrays are refused past this depth (records never need them).
    private static let depthMaximum = 4

    private init(bytes: [UInt8], line: Int, lineOffset: Int) {
        self.bytes = bytes
        self.line = line
        self.lineOffset = lineOffset
    }

    /// Parses `bytes` (one line without its line break) as one JSON object.
    static func parseObject(_ bytes: [UInt8], line: Int, lineOffset: Int) -> Result<[Member], Failure> {
        var parser = JSONLineParser(bytes: bytes, line: line, lineOffset: lineOffset)
        do {
            return .success(try parser.object())
        } catch {
            return .failure(error)
        }
    }

    private var location: SourceLocation { SourceLocation(line: line, column: column, offset: lineOffset + index) }

    private func fail(_ message: String, at start: SourceLocation? = nil) -> Failure {
        let start = start ?? location
        return Failure(message: message, range: SourceRange(start: start, end: SourceLocation(line: line, column: start.column + 1, offset: start.offset + 1)))
    }

    private mutating func advance() {
        if bytes[index] & 0xC0 != 0x80 { column += 1 }
        index += 1
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D { advance() }
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        skipSpace()
        guard current == byte else {
            throw fail(current == nil ? "the line ends where \(what) is expected" : "expected \(what)")
        }
        advance()
    }

    private mutating func object() throws(Failure) -> [Member] {
        skipSpace()
        guard current == UInt8(ascii: "{") else { throw fail("a line of a JSON Lines file must be one JSON object, starting with {") }
        advance()
        var members: [Member] = []
        skipSpace()
        if current == UInt8(ascii: "}") {
            advance()
        } else {
            while true {
                skipSpace()
                let keyStart = location
                guard current == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
                let key = try string()
                let keyRange = SourceRange(start: keyStart, end: location)
                if members.contains(where: { $0.key == key }) { throw fail("the key \"\(key)\" appears twice", at: keyStart) }
                try expect(UInt8(ascii: ":"), "\":\" after the key")
                skipSpace()
                let valueStart = location
                let value = try self.value(depth: 0)
                members.append(Member(key: key, keyRange: keyRange, value: value, range: SourceRange(start: valueStart, end: location)))
                skipSpace()
                if current == UInt8(ascii: ",") { advance(); continue }
                if current == UInt8(ascii: "}") { advance(); break }
                throw fail(current == nil ? "the object is not closed: the line ends before }" : "expected \",\" or \"}\"")
            }
        }
        skipSpace()
        if current != nil { throw fail("text after the end of the object; each line holds exactly one object") }
        return members
    }

    private mutating func value(depth: Int) throws(Failure) -> Value {
        guard let byte = current else { throw fail("the line ends where a value is expected") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            guard depth < Self.depthMaximum else { throw fail("lists are nested too deeply") }
            advance()
            var elements: [Value] = []
            skipSpace()
            if current == UInt8(ascii: "]") { advance(); return .array(elements) }
            while true {
                skipSpace()
                elements.append(try value(depth: depth + 1))
                skipSpace()
                if current == UInt8(ascii: ",") { advance(); continue }
                if current == UInt8(ascii: "]") { advance(); return .array(elements) }
                throw fail("expected \",\" or \"]\" in the list")
            }
        case UInt8(ascii: "{"): throw fail("a record's values are text, numbers or lists, not objects")
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("expected a value: text in double quotes, a number, true, false, null or a list")
        }
    }

    private mutating func word(_ text: String) throws(Failure) {
        let start = location
        for expected in text.utf8 {
            guard current == expected else { throw fail("expected \(text)", at: start) }
            advance()
        }
    }

    /// A number as RFC 8259 writes it, returned as its text.
    private mutating func number() throws(Failure) -> String {
        let start = index, startLocation = location
        if current == UInt8(ascii: "-") { advance() }
        func digits() -> Int {
            var count = 0
            while let byte = current, byte >= 48, byte <= 57 { advance(); count += 1 }
            return count
        }
        let leadingZero = current == UInt8(ascii: "0")
        let integerDigits = digits()
        guard integerDigits > 0, !(leadingZero && integerDigits > 1) else { throw fail("malformed number", at: startLocation) }
        if current == UInt8(ascii: ".") {
            advance()
            guard digits() > 0 else { throw fail("malformed number: digits must follow the point", at: startLocation) }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            advance()
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { advance() }
            guard digits() > 0 else { throw fail("malformed number: digits must follow the exponent", at: startLocation) }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// The whole number a JSON number's text stands for, in plain digits (`60.0` and `6e1` are `60`, `1e2` is `100`, `-0`
    /// is `0`), read exactly as `ExactDecimal` reads decimal text, never through a binary float; nil when the value is not
    /// whole, or has more than 18 digits. `text` is a number as `parseObject` read it (RFC 8259).
    ///
    ///     JSONLineParser.wholeNumberText("1.20e2")   // "120"
    ///     JSONLineParser.wholeNumberText("60.5")     // nil
    static func wholeNumberText(_ text: String) -> String? {
        guard let value = ExactDecimal(text), value.isInteger, value.magnitude.description.count <= 18 else { return nil }
        return value.description
    }

    /// A string from its opening quote, with every JSON escape (surrogate pairs included).
    private mutating func string() throws(Failure) -> String {
        let start = location
        advance()
        var scalars = String.UnicodeScalarView()
        var plainStart = index
        func flushPlain(into scalars: inout String.UnicodeScalarView, upTo end: Int) {
            if plainStart < end { scalars.append(contentsOf: String(decoding: bytes[plainStart..<end], as: UTF8.self).unicodeScalars) }
        }
        while true {
            guard let byte = current else { throw fail("the text is not closed: the line ends before the closing \"", at: start) }
            if byte == UInt8(ascii: "\"") {
                flushPlain(into: &scalars, upTo: index)
                advance()
                return String(scalars)
            }
            if byte < 0x20 { throw fail("a control character inside text; write it as an escape such as \\n") }
            if byte != UInt8(ascii: "\\") { advance(); continue }
            flushPlain(into: &scalars, upTo: index)
            let escapeStart = location
            advance()
            guard let escaped = current else { throw fail("the line ends inside an escape", at: escapeStart) }
            advance()
            switch escaped {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4(escapeStart)
                if (0xD800...0xDBFF).contains(code) {
                    guard current == UInt8(ascii: "\\") else { throw fail("a lone surrogate \\u escape", at: escapeStart) }
                    advance()
                    guard current == UInt8(ascii: "u") else { throw fail("a lone surrogate \\u escape", at: escapeStart) }
                    advance()
                    let low = try hex4(escapeStart)
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone surrogate \\u escape", at: escapeStart) }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw fail("a lone surrogate \\u escape", at: escapeStart) }
                scalars.append(scalar)
            default:
                throw fail("unknown escape \\\(Character(Unicode.Scalar(escaped)))", at: escapeStart)
            }
            plainStart = index
        }
    }

    private mutating func hex4(_ start: SourceLocation) throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw fail("\\u needs four hex digits", at: start) }
            let digit: UInt32
            switch byte {
            case 48...57: digit = UInt32(byte - 48)
            case 65...70: digit = UInt32(byte - 55)
            case 97...102: digit = UInt32(byte - 87)
            default: throw fail("\\u needs four hex digits", at: start)
            }
            value = value * 16 + digit
            advance()
        }
        return value
    }
}
