/// Checking of `has()`, `size()`, `date()` and the string and list methods.
extension ExpressionChecker {
    static let functionNames = ["has", "size", "date"]
    static let methodNames = ["size", "startsWith", "endsWith", "contains"]
    static let functionAliases = ["len": "size", "length": "size", "count": "size", "exists": "has", "defined": "has"]
    static let methodAliases = [
        "length": "size", "len": "size", "count": "size", "includes": "contains", "has": "contains",
        "hasprefix": "startsWith", "hassuffix": "endsWith", "startwith": "startsWith", "endwith": "endsWith",
    ]

    mutating func checkArity(_ name: String, _ arguments: [ExpressionNode], expected: Int, range: SourceRange) -> Bool {
        guard arguments.count == expected else {
            report(ExpressionDiagnostics.wrongArgumentCount(name, expected: expected, found: arguments.count, range: range))
            return false
        }
        return true
    }

    mutating func checkFunction(_ name: String, nameRange: SourceRange, arguments: [ExpressionNode], range: SourceRange, guards: Set<String>) -> ExpressionCheckedNode? {
        switch name {
        case "has":
            guard checkArity("has()", arguments, expected: 1, range: range) else { return nil }
            return checkHas(arguments[0], range: range)
        case "size":
            guard checkArity("size()", arguments, expected: 1, range: range) else { return nil }
            guard let argument = check(arguments[0], guards: guards) else { return nil }
            return size(of: argument, functionName: "size()", range: range)
        case "date":
            guard checkArity("date()", arguments, expected: 1, range: range) else { return nil }
            guard case .string(let text) = arguments[0].kind else {
                report(ExpressionDiagnostics.invalidDate("`date()` needs a date written in quotes", range: arguments[0].range))
                return nil
            }
            guard let date = LocalDate(text) else {
                report(ExpressionDiagnostics.invalidDate("\(ExpressionValue.quoted(text)) is not a date (YYYY-MM-DD)", range: arguments[0].range))
                return nil
            }
            return .constant(.date(date), type: .date, range: range)
        default:
            var help: [String] = []
            if Self.methodNames.contains(name) {
                help.append("call it as a method: `value.\(name)(...)`")
            } else if name == "not" {
                help.append("use `!`")
            } else if let suggestion = ExpressionSpelling.suggestion(for: name, among: Self.functionNames, aliases: Self.functionAliases) {
                help.append("did you mean `\(suggestion)()`?")
            }
            report(ExpressionDiagnostics.unknownFunction(name, isMethod: false, range: nameRange, help: help))
            // Check the arguments anyway, to report their own mistakes.
            for argument in arguments { _ = check(argument, guards: guards) }
            return nil
        }
    }

    /// `has(root.field)`: true when the field is present. Proves the field present where it is true.
    mutating func checkHas(_ argument: ExpressionNode, range: SourceRange) -> ExpressionCheckedNode? {
        guard case .member(let base, let name, let nameRange) = argument.kind, case .name(let rootName) = base.kind else {
            report(ExpressionDiagnostics.invalidHasArgument(range: argument.range))
            return nil
        }
        guard let root = ExpressionRoot(rawValue: rootName) else {
            let suggestion = ExpressionSpelling.suggestion(for: rootName, among: ExpressionRoot.allCases.map(\.rawValue))
            report(ExpressionDiagnostics.unknownName(rootName, range: base.range, help: suggestion.map { ["did you mean `\($0)`?"] } ?? []))
            return nil
        }
        guard let field = resolveField(root: root, name: name, nameRange: nameRange, range: argument.range) else { return nil }
        guard let presenceKey = field.presenceKey else {
            report(ExpressionDiagnostics.hasOnRequiredField(path: field.path, range: argument.range))
            return .constant(.bool(true), type: .bool, range: range)
        }
        let read = field.read
        var checked = ExpressionCheckedNode(type: .bool, evaluate: { context in .value(.bool(read(context) != nil)) }, range: range)
        checked.presentWhenTrue = [presenceKey]
        return checked
    }

    mutating func size(of argument: ExpressionCheckedNode, functionName: String, range: SourceRange) -> ExpressionCheckedNode? {
        guard argument.type == .string || argument.type.isList else {
            report(ExpressionDiagnostics.argumentTypeMismatch(
                "`\(functionName)` needs a string or a list, but this is \(argument.type.spoken)", range: argument.range))
            return nil
        }
        requireValue(argument)
        let evaluate = argument.evaluate
        return ExpressionCheckedNode(type: .int, evaluate: { context in
            switch evaluate(context).requiringValue {
            case .value(let value): return .value(.int(ExpressionRuntime.size(value)))
            case let other: return other
            }
        }, range: range)
    }

    mutating func checkMethod(_ name: String, nameRange: SourceRange, receiver receiverNode: ExpressionNode, arguments: [ExpressionNode], range: SourceRange, guards: Set<String>) -> ExpressionCheckedNode? {
        guard Self.methodNames.contains(name) else {
            var help: [String] = []
            if name == "has" || name == "date" {
                help.append("write it as a function: `\(name)(...)`")
            } else if let suggestion = ExpressionSpelling.suggestion(for: name, among: Self.methodNames, aliases: Self.methodAliases) {
                help.append("did you mean `.\(suggestion)()`?")
            }
            report(ExpressionDiagnostics.unknownFunction(name, isMethod: true, range: nameRange, help: help))
            _ = check(receiverNode, guards: guards)
            for argument in arguments { _ = check(argument, guards: guards) }
            return nil
        }
        let receiver = check(receiverNode, guards: guards)
        let expectedCount = name == "size" ? 0 : 1
        guard checkArity(".\(name)()", arguments, expected: expectedCount, range: range), let receiver else {
            for argument in arguments { _ = check(argument, guards: guards) }
            return nil
        }
        if name == "size" { return size(of: receiver, functionName: ".size()", range: range) }
        guard let argument = check(arguments[0], guards: guards) else { return nil }

        if name == "contains", case .list(let elementType) = receiver.type {
            // list.contains(x) is `x in list`.
            return membership(element: argument, list: receiver, elementType: elementType, range: range)
        }
        guard receiver.type == .string else {
            let accepted = name == "contains" ? "a string or a list" : "a string"
            report(ExpressionDiagnostics.argumentTypeMismatch(
                "`.\(name)()` works on \(accepted), but this is \(receiver.type.spoken)", range: receiver.range))
            return nil
        }
        guard argument.type == .string else {
            report(ExpressionDiagnostics.argumentTypeMismatch(
                "`.\(name)()` needs a string argument, but this is \(argument.type.spoken)", range: argument.range))
            return nil
        }
        requireValue(receiver)
        requireValue(argument)
        let test: @Sendable (String, String) -> Bool = switch name {
        case "startsWith": { $0.hasPrefix($1) }
        case "endsWith": { $0.hasSuffix($1) }
        default: { $1.isEmpty || $0.contains($1) }
        }
        let evaluateReceiver = receiver.evaluate
        let evaluateArgument = argument.evaluate
        return ExpressionCheckedNode(type: .bool, evaluate: { context in
            let text = evaluateReceiver(context).requiringValue
            guard case .value(.string(let subject)) = text else { return text }
            let pattern = evaluateArgument(context).requiringValue
            guard case .value(.string(let part)) = pattern else { return pattern }
            return .value(.bool(test(subject, part)))
        }, range: range)
    }
}
