/// A table while the document is being read. A reference type, because a `[header]` or a
/// dotted key reaches into a table made earlier and adds to it.
///
/// How the table was made decides how it may still be extended (TOML's redefinition rules):
/// - a `[header]` may name an `implicit` table once; any other table it names is an error;
/// - a dotted key may pass through an `implicit` table, or a table made by dotted keys in the
///   same section (the lines since the last header), but not through a header's table;
/// - inline tables and inline arrays are values, complete where they are written.
final class TOMLTableNode {
    enum Definition: Equatable {
        case root
        case implicit
        case header
        /// Made by a dotted key; `section` counts the headers seen before it.
        case dottedKeys(section: Int)
        case arrayElement
        case inline
    }

    enum Slot {
        case value(TOMLValue)
        case table(TOMLTableNode)
        case arrayOfTables(TOMLArrayOfTablesNode)
    }

    var definition: Definition
    /// The range the table's value gets: its header, its braces, or the key part that made it.
    var range: SourceRange
    private(set) var keys: [TOMLKey] = []
    private(set) var slots: [Slot] = []
    private var positionByName: [String: Int] = [:]

    init(definition: Definition, range: SourceRange) {
        self.definition = definition
        self.range = range
    }

    func position(of name: String) -> Int? { positionByName[name] }

    func add(_ key: TOMLKey, _ slot: Slot) {
        if keys.isEmpty {
            // Most tables hold a handful of keys: one allocation instead of four growths.
            keys.reserveCapacity(8)
            slots.reserveCapacity(8)
            positionByName.reserveCapacity(8)
        }
        positionByName[key.name] = keys.count
        keys.append(key)
        slots.append(slot)
    }

    /// The finished, immutable table.
    /// - Complexity: O(size of the subtree); recursion depth is bounded by the nesting limit.
    func makeTable() -> TOMLTable {
        let origin: TOMLTable.Origin
        switch definition {
        case .root: origin = .root
        case .implicit: origin = .implicit
        case .header: origin = .header
        case .dottedKeys: origin = .dottedKeys
        case .arrayElement: origin = .arrayOfTablesElement
        case .inline: origin = .inline
        }
        var entries: [TOMLTable.Entry] = []
        entries.reserveCapacity(keys.count)
        for (key, slot) in zip(keys, slots) {
            entries.append(TOMLTable.Entry(key: key, value: TOMLTableNode.makeValue(slot)))
        }
        // The names are distinct already (add() is only called for new names), so the index
        // is reused rather than rebuilt.
        return TOMLTable(origin: origin, entries: entries, positionByName: positionByName)
    }

    private static func makeValue(_ slot: Slot) -> TOMLValue {
        switch slot {
        case .value(let value):
            return value
        case .table(let node):
            return TOMLValue(kind: .table(node.makeTable()), range: node.range)
        case .arrayOfTables(let node):
            let elements = node.elements.map { TOMLValue(kind: .table($0.makeTable()), range: $0.range) }
            return TOMLValue(kind: .array(TOMLArray(elements: elements, isArrayOfTables: true)), range: node.range)
        }
    }
}

/// An array of tables while the document is being read: one table per `[[name]]` header.
final class TOMLArrayOfTablesNode {
    var elements: [TOMLTableNode]
    /// The first `[[name]]` header.
    let range: SourceRange

    init(first: TOMLTableNode, range: SourceRange) {
        self.elements = [first]
        self.range = range
    }
}

/// The redefinition rules of TOML, applied while tables are built. Each operation returns the
/// diagnostic for a conflict instead of changing anything that is already there.
enum TOMLTableBuilder {
    /// Adds `key path = value` to `table` (the current section's table, or an inline table).
    /// `prefix` is the path of `table` from the root, for messages.
    static func insert(
        _ value: TOMLValue, at keyPath: [TOMLKey], into table: TOMLTableNode, prefix: [String], section: Int
    ) -> Diagnostic? {
        var current = table
        var names = prefix
        for key in keyPath.dropLast() {
            names.append(key.name)
            var path: String { TOMLDiagnostics.displayPath(names) }
            guard let position = current.position(of: key.name) else {
                let child = TOMLTableNode(definition: .dottedKeys(section: section), range: key.range)
                current.add(key, .table(child))
                current = child
                continue
            }
            let firstLine = current.keys[position].range.start.line
            switch current.slots[position] {
            case .table(let child):
                switch child.definition {
                case .implicit:
                    child.definition = .dottedKeys(section: section)
                case .dottedKeys(let childSection) where childSection == section:
                    break
                case .dottedKeys, .header, .arrayElement, .root, .inline:
                    return TOMLDiagnostics.dottedKeyReopensTable(path, firstLine: child.range.start.line, range: key.range)
                }
                current = child
            case .arrayOfTables(let array):
                return TOMLDiagnostics.tableIsArrayOfTables(path, firstLine: array.range.start.line, range: key.range)
            case .value(let existing):
                return conflictWithValue(existing, path: path, firstLine: firstLine, range: key.range)
            }
        }
        guard let last = keyPath.last else { return nil }
        if let position = current.position(of: last.name) {
            return TOMLDiagnostics.duplicateKey(
                last.name, firstLine: current.keys[position].range.start.line, range: last.range)
        }
        current.add(last, .value(value))
        return nil
    }

    /// Opens the table named by a `[path]` header (or a new element for `[[path]]`), returning
    /// the table that the following key/value lines go into.
    static func openTable(
        at path: [TOMLKey], isArrayOfTables: Bool, headerRange: SourceRange, root: TOMLTableNode
    ) -> (table: TOMLTableNode?, diagnostic: Diagnostic?) {
        var current = root
        var names: [String] = []
        for key in path.dropLast() {
            names.append(key.name)
            var pathText: String { TOMLDiagnostics.displayPath(names) }
            guard let position = current.position(of: key.name) else {
                let child = TOMLTableNode(definition: .implicit, range: key.range)
                current.add(key, .table(child))
                current = child
                continue
            }
            switch current.slots[position] {
            case .table(let child):
                current = child
            case .arrayOfTables(let array):
                // A header below an array of tables belongs to its most recent element.
                current = array.elements[array.elements.count - 1]
            case .value(let existing):
                let firstLine = current.keys[position].range.start.line
                return (nil, conflictWithValue(existing, path: pathText, firstLine: firstLine, range: key.range))
            }
        }
        guard let last = path.last else { return (nil, nil) }
        names.append(last.name)
        var pathText: String { TOMLDiagnostics.displayPath(names) }
        guard let position = current.position(of: last.name) else {
            let definition: TOMLTableNode.Definition = isArrayOfTables ? .arrayElement : .header
            let child = TOMLTableNode(definition: definition, range: headerRange)
            current.add(last, isArrayOfTables
                ? .arrayOfTables(TOMLArrayOfTablesNode(first: child, range: headerRange))
                : .table(child))
            return (child, nil)
        }
        let firstLine = current.keys[position].range.start.line
        switch current.slots[position] {
        case .table(let child):
            if isArrayOfTables {
                return (nil, TOMLDiagnostics.arrayOfTablesOnTable(pathText, firstLine: firstLine, range: last.range))
            }
            switch child.definition {
            case .implicit:
                child.definition = .header
                child.range = headerRange
                return (child, nil)
            case .dottedKeys:
                return (nil, TOMLDiagnostics.headerOnDottedTable(pathText, firstLine: firstLine, range: last.range))
            case .header, .arrayElement, .root, .inline:
                return (nil, TOMLDiagnostics.duplicateTable(pathText, firstLine: child.range.start.line, range: last.range))
            }
        case .arrayOfTables(let array):
            if isArrayOfTables {
                let element = TOMLTableNode(definition: .arrayElement, range: headerRange)
                array.elements.append(element)
                return (element, nil)
            }
            return (nil, TOMLDiagnostics.tableIsArrayOfTables(pathText, firstLine: array.range.start.line, range: last.range))
        case .value(let existing):
            return (nil, conflictWithValue(existing, path: pathText, firstLine: firstLine, range: last.range))
        }
    }

    private static func conflictWithValue(
        _ existing: TOMLValue, path: String, firstLine: Int, range: SourceRange
    ) -> Diagnostic {
        switch existing.kind {
        case .table, .array:
            return TOMLDiagnostics.inlineValueIsClosed(path, existing: existing.kindDescription, firstLine: firstLine, range: range)
        default:
            return TOMLDiagnostics.valueIsNotTable(path, existing: existing.kindDescription, firstLine: firstLine, range: range)
        }
    }
}
