/// Renders a document as the "tagged JSON" of the toml-test suite: tables become objects, arrays
/// become arrays, and every other value becomes `{"type": "...", "value": "..."}`.
///
///     TOMLTaggedJSON.render(document)  // {"rate":{"type":"float","value":"1.5"}}
public enum TOMLTaggedJSON {
    /// The document's root table as one line of tagged JSON.
    /// - Complexity: O(size of the document); recursion depth is bounded by the nesting limit.
    public static func render(_ document: TOMLDocument) -> String {
        var output = ""
        write(table: document.root, to: &output)
        return output
    }

    private static func write(table: TOMLTable, to output: inout String) {
        output += "{"
        for (index, entry) in table.entries.enumerated() {
            if index > 0 { output += "," }
            writeString(entry.key.name, to: &output)
            output += ":"
            write(value: entry.value, to: &output)
        }
        output += "}"
    }

    private static func write(value: TOMLValue, to output: inout String) {
        switch value.kind {
        case .table(let table):
            write(table: table, to: &output)
        case .array(let array):
            output += "["
            for (index, element) in array.elements.enumerated() {
                if index > 0 { output += "," }
                write(value: element, to: &output)
            }
            output += "]"
        case .string(let string):
            writeTagged("string", string.value, to: &output)
        case .integer(let integer):
            writeTagged("integer", String(integer.value), to: &output)
        case .float(let float):
            writeTagged("float", floatText(float.value), to: &output)
        case .boolean(let flag):
            writeTagged("bool", flag ? "true" : "false", to: &output)
        case .dateTime(let dateTime):
            let type: String
            switch dateTime {
            case .offsetDateTime: type = "datetime"
            case .localDateTime: type = "datetime-local"
            case .localDate: type = "date-local"
            case .localTime: type = "time-local"
            }
            writeTagged(type, dateTime.description, to: &output)
        }
    }

    private static func floatText(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return String(value)
    }

    private static func writeTagged(_ type: String, _ value: String, to output: inout String) {
        output += "{\"type\":\"\(type)\",\"value\":"
        writeString(value, to: &output)
        output += "}"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    output += "\\u" + TOMLDiagnostics.hex(scalar.value, digits: 4)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
