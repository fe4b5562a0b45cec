/// Compares decoded TOML by what it says, not where it is written.
///
///     let a = TOMLDecoder.decode(Array("x=1 # n\n".utf8)).document
///     let b = TOMLDecoder.decode(Array("\n\nx = 1   # n\n".utf8)).document
///     TOMLDataComparison.sameData(a.root, b.root)              // true
///     TOMLDataComparison.sameComments(a.comments, b.comments)  // true
///
/// Stricter than the toml-test comparison: keys must come in the same order, strings in the same
/// form, numbers in the same spelling (`1_000` is not `1000`), and tables must have been made the
/// same way (header, dotted keys, inline).
public enum TOMLDataComparison {
    /// True when both tables hold the same keys in the same order with the same data.
    /// - Complexity: O(size of the tables); recursion depth is bounded by the decoder's nesting limit.
    public static func sameData(_ left: TOMLTable, _ right: TOMLTable) -> Bool {
        guard left.origin == right.origin, left.count == right.count else { return false }
        for (leftEntry, rightEntry) in zip(left.entries, right.entries) {
            guard leftEntry.key.name == rightEntry.key.name, sameData(leftEntry.value, rightEntry.value) else { return false }
        }
        return true
    }

    /// True when both values are of the same kind and hold the same data, written the same way.
    public static func sameData(_ left: TOMLValue, _ right: TOMLValue) -> Bool {
        switch (left.kind, right.kind) {
        case (.string(let a), .string(let b)):
            return a.value == b.value && a.form == b.form
        case (.integer(let a), .integer(let b)):
            return a.text == b.text && a.value == b.value
        case (.float(let a), .float(let b)):
            return a.text == b.text
        case (.boolean(let a), .boolean(let b)):
            return a == b
        case (.dateTime(let a), .dateTime(let b)):
            return a == b
        case (.array(let a), .array(let b)):
            guard a.isArrayOfTables == b.isArrayOfTables, a.elements.count == b.elements.count else { return false }
            return zip(a.elements, b.elements).allSatisfy { sameData($0, $1) }
        case (.table(let a), .table(let b)):
            return sameData(a, b)
        default:
            return false
        }
    }

    /// True when both lists hold the same comment texts in the same order, trailing spaces and
    /// tabs aside (the formatter removes those).
    public static func sameComments(_ left: [TOMLComment], _ right: [TOMLComment]) -> Bool {
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { trimmedEnd($0.text) == trimmedEnd($1.text) }
    }

    private static func trimmedEnd(_ text: String) -> Substring {
        var end = text.endIndex
        while end > text.startIndex {
            let before = text.index(before: end)
            guard text[before] == " " || text[before] == "\t" else { break }
            end = before
        }
        return text[..<end]
    }
}
