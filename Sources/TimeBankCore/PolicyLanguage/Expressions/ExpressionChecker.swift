/// Type-checks a syntax tree against the schema and compiles it into evaluator closures.
///
/// Reports unknown names and fields (with suggestions), operand type mismatches, comparisons
/// that can never hold given a field's values, and optional fields used where absence would fail.
/// Errors are collected across the whole tree; a node with an error yields nil so that one
/// mistake is not reported again by every enclosing node.
struct ExpressionChecker {
    let schema: ExpressionSchema
    /// Whether the expression computes a number (changes the example in optional-field warnings).
    let isFactor: Bool
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var referencedFields: [String] = []
    /// How many field reads the checked nodes hold so far (each read, not each field): a node whose check leaves it
    /// unchanged reads no field and has one value for every record.
    private(set) var fieldReads = 0
    private var warnedOptionalPaths: Set<String> = []

    init(schema: ExpressionSchema, isFactor: Bool) {
        self.schema = schema
        self.isFactor = isFactor
    }

    mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Marks a node's value as needed (not merely compared): warns once per field if it may be absent.
    mutating func requireValue(_ node: ExpressionCheckedNode) {
        guard node.isUnguardedOptional, let field = node.field, !warnedOptionalPaths.contains(field.path) else { return }
        warnedOptionalPaths.insert(field.path)
        report(ExpressionDiagnostics.unguardedOptional(path: field.path, isFactor: isFactor, range: node.range))
    }

    // MARK: Nodes

    /// Checks one node; `guards` holds the presence keys known to hold where the node is evaluated.
    mutating func check(_ node: ExpressionNode, guards: Set<String>) -> ExpressionCheckedNode? {
        switch node.kind {
        case .integer(let value):
            return .constant(.int(value), type: .int, range: node.range)
        case .decimal(let value):
            return .constant(.decimal(value), type: .decimal, range: node.range)
        case .string(let value):
            var checked = ExpressionCheckedNode.constant(.string(value), type: .string, range: node.range)
            checked.isStringLiteral = true
            return checked
        case .boolean(let value):
            return .constant(.bool(value), type: .bool, range: node.range)
        case .list(let elements):
            return checkList(elements, range: node.range, guards: guards)
        case .name(let name):
            reportBareName(name, range: node.range)
            return nil
        case .member(let base, let name, let nameRange):
            return checkMember(base: base, name: name, nameRange: nameRange, range: node.range, guards: guards)
        case .call(let name, let nameRange, let receiver, let arguments):
            if let receiver {
                return checkMethod(name, nameRange: nameRange, receiver: receiver, arguments: arguments, range: node.range, guards: guards)
            }
            return checkFunction(name, nameRange: nameRange, arguments: arguments, range: node.range, guards: guards)
        case .unary(let unaryOperator, let operand):
            return checkUnary(unaryOperator, operand, range: node.range, guards: guards)
        case .binary(let binaryOperator, let lhs, let rhs, let operatorRange):
            switch binaryOperator {
            case .and, .or:
                return checkLogical(binaryOperator, lhs, rhs, range: node.range, guards: guards)
            case .in:
                return checkIn(lhs, rhs, range: node.range, guards: guards)
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                return checkComparison(binaryOperator, lhs, rhs, range: node.range, guards: guards)
            case .plus, .minus, .times, .divide:
                return checkArithmetic(binaryOperator, lhs, rhs, operatorRange: operatorRange, range: node.range, guards: guards)
            }
        case .conditional(let condition, let thenBranch, let elseBranch):
            return checkConditional(condition, thenBranch, elseBranch, range: node.range, guards: guards)
        }
    }

    // MARK: Lists

    mutating func checkList(_ elements: [ExpressionNode], range: SourceRange, guards: Set<String>) -> ExpressionCheckedNode? {
        var checkedElements: [ExpressionCheckedNode] = []
        var failed = false
        for element in elements {
            if let checked = check(element, guards: guards) {
                requireValue(checked)
                checkedElements.append(checked)
            } else {
                failed = true
            }
        }
        guard !failed else { return nil }
        var elementType = ExpressionCheckedType.anything
        for element in checkedElements {
            guard let unified = ExpressionCheckedType.unify(elementType, element.type) else {
                report(ExpressionDiagnostics.mixedList(expected: elementType.description, found: element.type.description, range: element.range))
                return nil
            }
            elementType = unified
        }
        let constants = checkedElements.compactMap(\.constant)
        if constants.count == checkedElements.count {
            var checked = ExpressionCheckedNode.constant(.list(constants), type: .list(elementType), range: range)
            checked.elements = checkedElements
            return checked
        }
        let evaluators = checkedElements.map(\.evaluate)
        var checked = ExpressionCheckedNode(type: .list(elementType), evaluate: { context in
            var values: [ExpressionValue] = []
            values.reserveCapacity(evaluators.count)
            for evaluate in evaluators {
                switch evaluate(context).requiringValue {
                case .value(let value): values.append(value)
                case let other: return other
                }
            }
            return .value(.list(values))
        }, range: range)
        checked.elements = checkedElements
        return checked
    }

    // MARK: Names and fields

    mutating func reportBareName(_ name: String, range: SourceRange) {
        if ExpressionRoot(rawValue: name) != nil {
            report(ExpressionDiagnostics.rootIsNotAValue(name, range: range))
            return
        }
        var help: [String] = []
        let fieldsNamedSo = ExpressionField.all.filter { $0.name == name }.map { "`\($0.path)`" }
        if name == "null" || name == "nil" || name == "none" || name == "None" {
            help.append("there is no null; test an optional field with `has(record.rating)`")
        } else if ["true", "false"].contains(name.lowercased()) {
            help.append("write `\(name.lowercased())` in lowercase")
        } else if !fieldsNamedSo.isEmpty {
            help.append("did you mean \(fieldsNamedSo.joined(separator: " or "))?")
        } else if isKnownValue(name) {
            help.append("write text in quotes: \(ExpressionValue.quoted(name))")
        } else if let root = ExpressionSpelling.suggestion(for: name, among: ExpressionRoot.allCases.map(\.rawValue)) {
            help.append("did you mean `\(root)`?")
        } else if ["yes", "no"].contains(name.lowercased()) {
            help.append("write `true` or `false`")
        }
        report(ExpressionDiagnostics.unknownName(name, range: range, help: help))
    }

    /// Whether a bare word is a value some field can take (so it was probably meant as a string).
    private func isKnownValue(_ word: String) -> Bool {
        if schema.categories.contains(word) { return true }
        for names in [schema.indicators, schema.stations, schema.volunteerLevels] {
            if names?.contains(word) == true { return true }
        }
        return ExpressionField.weekdays.contains(word) || ExpressionRecordKind(rawValue: word) != nil
    }

    mutating func checkMember(base: ExpressionNode, name: String, nameRange: SourceRange, range: SourceRange, guards: Set<String>) -> ExpressionCheckedNode? {
        if case .name(let rootName) = base.kind {
            guard let root = ExpressionRoot(rawValue: rootName) else {
                let suggestion = ExpressionSpelling.suggestion(for: rootName, among: ExpressionRoot.allCases.map(\.rawValue))
                report(ExpressionDiagnostics.unknownName(rootName, range: base.range,
                                                         help: suggestion.map { ["did you mean `\($0)`?"] } ?? []))
                return nil
            }
            guard let field = resolveField(root: root, name: name, nameRange: nameRange, range: range) else { return nil }
            let read = field.read
            let path = field.path
            return ExpressionCheckedNode(
                type: ExpressionCheckedType(field.type),
                evaluate: { context in
                    if let value = read(context) { return .value(value) }
                    return .absent(path: path, range: range)
                },
                range: range, field: field,
                isUnguardedOptional: field.presenceKey.map { !guards.contains($0) } ?? false)
        }
        guard let checkedBase = check(base, guards: guards) else { return nil }
        report(ExpressionDiagnostics.noFields(type: checkedBase.type.description, name: name, range: nameRange))
        return nil
    }

    /// Looks a field up, reporting unknown and switched-off fields; records it as referenced.
    mutating func resolveField(root: ExpressionRoot, name: String, nameRange: SourceRange, range: SourceRange) -> ExpressionField? {
        guard let field = ExpressionField.byRoot[root]?[name] else {
            let suggestion = ExpressionSpelling.suggestion(for: name, among: ExpressionField.names(of: root))
            report(ExpressionDiagnostics.unknownField(root: root.rawValue, field: name, suggestion: suggestion, range: nameRange))
            return nil
        }
        if let reason = schema.unavailableFields[field.path] {
            report(ExpressionDiagnostics.fieldUnavailable(path: field.path, reason: reason, range: range))
            return nil
        }
        if !referencedFields.contains(field.path) { referencedFields.append(field.path) }
        fieldReads += 1
        return field
    }
}
