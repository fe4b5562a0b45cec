/// Checking of the logical, comparison, membership, arithmetic and `? :` operators.
extension ExpressionChecker {
    mutating func checkUnary(_ unaryOperator: ExpressionUnaryOperator, _ operandNode: ExpressionNode, range: SourceRange, guards: Set<String>) -> ExpressionCheckedNode? {
        guard let operand = check(operandNode, guards: guards) else { return nil }
        let evaluate = operand.evaluate
        switch unaryOperator {
        case .not:
            guard operand.type == .bool else {
                report(ExpressionDiagnostics.operatorTypeMismatch(
                    "`!` needs true or false, but this is \(operand.type.spoken)", range: operand.range))
                return nil
            }
            var checked = ExpressionCheckedNode(type: .bool, evaluate: { context in
                let outcome = evaluate(context).requiringValue
                guard case .value(.bool(let value)) = outcome else { return outcome }
                return .value(.bool(!value))
            }, range: range)
            checked.presentWhenTrue = operand.presentWhenFalse
            checked.presentWhenFalse = operand.presentWhenTrue
            return checked
        case .negate:
            guard operand.type.isNumeric else {
                report(ExpressionDiagnostics.operatorTypeMismatch(
                    "`-` needs a number, but this is \(operand.type.spoken)", range: operand.range))
                return nil
            }
            requireValue(operand)
            return ExpressionCheckedNode(type: operand.type, evaluate: { context in
                let outcome = evaluate(context).requiringValue
                guard case .value(let value) = outcome else { return outcome }
                return ExpressionRuntime.negate(value, range: range)
            }, range: range)
        }
    }

    mutating func checkLogical(_ logicalOperator: ExpressionBinaryOperator, _ lhsNode: ExpressionNode, _ rhsNode: ExpressionNode, range: SourceRange, guards: Set<String>) -> ExpressionCheckedNode? {
        let isAnd = logicalOperator == .and
        let lhs = check(lhsNode, guards: guards)
        // The right side runs only when the left is true (&&) or false (||): it sees what that proves.
        let rhsGuards = guards.union((isAnd ? lhs?.presentWhenTrue : lhs?.presentWhenFalse) ?? [])
        let rhs = check(rhsNode, guards: rhsGuards)
        guard let lhs, let rhs else { return nil }
        var typesAreValid = true
        for side in [lhs, rhs] where side.type != .bool {
            report(ExpressionDiagnostics.operatorTypeMismatch(
                "`\(logicalOperator.rawValue)` needs true or false on both sides, but this is \(side.type.spoken)",
                range: side.range))
            typesAreValid = false
        }
        guard typesAreValid else { return nil }
        let evaluateLeft = lhs.evaluate
        let evaluateRight = rhs.evaluate
        // Short-circuit left to right; an error on the left is absorbed when the right decides
        // the result alone (error && false is false, error || true is true), as in CEL.
        let decisive = !isAnd
        var checked = ExpressionCheckedNode(type: .bool, evaluate: { context in
            let left = evaluateLeft(context).requiringValue
            if case .value(.bool(let value)) = left, value == decisive { return left }
            let right = evaluateRight(context).requiringValue
            if case .value(.bool(let value)) = right, value == decisive { return right }
            if case .value(.bool) = left { return right }
            return left
        }, range: range)
        if isAnd {
            checked.presentWhenTrue = lhs.presentWhenTrue.union(rhs.presentWhenTrue)
            checked.presentWhenFalse = lhs.presentWhenFalse.intersection(rhs.presentWhenFalse)
        } else {
            checked.presentWhenTrue = lhs.presentWhenTrue.intersection(rhs.presentWhenTrue)
            checked.presentWhenFalse = lhs.presentWhenFalse.union(rhs.presentWhenFalse)
        }
        return checked
    }

    /// Presence keys of the optional fields a node reads directly.
    static func presenceKeys(_ nodes: ExpressionCheckedNode...) -> Set<String> {
        Set(nodes.compactMap { $0.field?.presenceKey })
    }

    mutating func checkComparison(_ comparison: ExpressionBinaryOperator, _ lhsNode: ExpressionNode, _ rhsNode: ExpressionNode, range: SourceRange, guards: Set<String>) -> ExpressionCheckedNode? {
        let lhs = check(lhsNode, guards: guards)
        let rhs = check(rhsNode, guards: guards)
        guard let lhs, let rhs else { return nil }
        let compatible = comparison.isOrdering
            ? ExpressionCheckedType.canOrder(lhs.type, rhs.type)
            : ExpressionCheckedType.canTestEquality(lhs.type, rhs.type)
        guard compatible else {
            reportComparisonMismatch(comparison, lhs, rhs, range: range)
            return nil
        }
        // A comparison of a field with a constant is checked against the field's values.
        if let field = lhs.field, let constant = rhs.constant {
            checkDomain(field: field, comparison: comparison, value: constant, valueRange: rhs.range)
        } else if let field = rhs.field, let constant = lhs.constant {
            checkDomain(field: field, comparison: comparison.mirrored, value: constant, valueRange: lhs.range)
        }
        let evaluateLeft = lhs.evaluate
        let evaluateRight = rhs.evaluate
        var checked = ExpressionCheckedNode(type: .bool, evaluate: { context in
            let left = evaluateLeft(context)
            if case .failure = left { return left }
            let right = evaluateRight(context)
            if case .failure = right { return right }
            // A comparison with an absent optional field is false (even `!=`).
            guard case .value(let a) = left, case .value(let b) = right else { return .value(.bool(false)) }
            return .value(.bool(ExpressionRuntime.compare(comparison, a, b)))
        }, range: range)
        checked.presentWhenTrue = Self.presenceKeys(lhs, rhs)
        return checked
    }

    mutating func reportComparisonMismatch(_ comparison: ExpressionBinaryOperator, _ lhs: ExpressionCheckedNode, _ rhs: ExpressionCheckedNode, range: SourceRange) {
        // Point at the literal when one side is a literal: that is the side to change.
        let blamed: ExpressionCheckedNode? = rhs.constant != nil && lhs.constant == nil ? rhs : (lhs.constant != nil && rhs.constant == nil ? lhs : nil)
        var help: [String] = []
        if let blamed, case .string(let text)? = blamed.constant, blamed.isStringLiteral {
            let other = blamed.range == rhs.range ? lhs : rhs
            if other.type.isNumeric, ExactDecimal(text) != nil {
                help.append("write the number without quotes: `\(text)`")
            } else if other.type == .date {
                // record.date >= "2026-12-01": a date is written date("..."); a date written another way gets its form.
                var written = LocalDate(text).map { _ in text }
                if written == nil, case .day(let date)? = TOMLScalarReader.dateWithOtherSeparators(text) { written = date.description }
                help.append(written.map { "write the date as date(\"\($0)\")" } ?? "write a date as date(\"YYYY-MM-DD\"), e.g. date(\"2026-10-01\")")
            }
        } else if let blamed, let number = blamed.constant?.decimalValue {
            let other = blamed.range == rhs.range ? lhs : rhs
            if other.type == .string { help.append("write it in quotes: \(ExpressionValue.quoted(number.description))") }
        }
        let message = comparison.isOrdering && lhs.type == rhs.type
            ? "`\(comparison.rawValue)` cannot order \(lhs.type) values"
            : "cannot compare \(lhs.type.spoken) with \(rhs.type.spoken)"
        report(ExpressionDiagnostics.operatorTypeMismatch(message, range: blamed?.range ?? range, help: help))
    }

    mutating func checkIn(_ lhsNode: ExpressionNode, _ rhsNode: ExpressionNode, range: SourceRange, guards: Set<String>) -> ExpressionCheckedNode? {
        let lhs = check(lhsNode, guards: guards)
        let rhs = check(rhsNode, guards: guards)
        guard let lhs, let rhs else { return nil }
        guard case .list(let elementType) = rhs.type else {
            report(ExpressionDiagnostics.inNeedsList(found: rhs.type.spoken, range: rhs.range))
            return nil
        }
        return membership(element: lhs, list: rhs, elementType: elementType, range: range)
    }

    /// `element in list` (also `list.contains(element)`): false when the element is an absent field.
    mutating func membership(element: ExpressionCheckedNode, list: ExpressionCheckedNode, elementType: ExpressionCheckedType, range: SourceRange) -> ExpressionCheckedNode? {
        guard ExpressionCheckedType.canTestEquality(element.type, elementType) else {
            report(ExpressionDiagnostics.operatorTypeMismatch(
                "cannot look for \(element.type.spoken) in a \(list.type)", range: element.constant != nil ? element.range : range))
            return nil
        }
        requireValue(list)
        if list.field?.path == "volunteer.teams", let teams = schema.teams, case .string(let team)? = element.constant,
           let help = CommunityRules.unknownTeamHelp(team, among: teams) {
            // volunteer.teams.contains("牽手"): a team's name, or a typo, that no volunteer's teams ever hold.
            report(ExpressionDiagnostics.unknownTeam(team, help: help, range: element.range))
        }
        if let field = element.field {
            if let elements = list.elements {
                for listElement in elements {
                    if let constant = listElement.constant {
                        checkDomain(field: field, comparison: .equal, value: constant, valueRange: listElement.range, inList: true)
                    }
                }
            }
        }
        let evaluateElement = element.evaluate
        let evaluateList = list.evaluate
        var checked: ExpressionCheckedNode
        if case .list(let constants)? = list.constant, element.type == .string,
           constants.allSatisfy({ if case .string = $0 { true } else { false } }) {
            // The common case `record.weekday in ["sat", "sun"]`: a set lookup.
            let strings = Set(constants.compactMap { if case .string(let text) = $0 { text } else { nil } })
            checked = ExpressionCheckedNode(type: .bool, evaluate: { context in
                switch evaluateElement(context) {
                case .value(.string(let text)): return .value(.bool(strings.contains(text)))
                case .failure(let error): return .failure(error)
                default: return .value(.bool(false))
                }
            }, range: range)
        } else {
            checked = ExpressionCheckedNode(type: .bool, evaluate: { context in
                let needle = evaluateElement(context)
                if case .failure = needle { return needle }
                let haystack = evaluateList(context).requiringValue
                guard case .value(let listValue) = haystack else { return haystack }
                guard case .value(let value) = needle else { return .value(.bool(false)) }
                return .value(.bool(ExpressionRuntime.contains(listValue, value)))
            }, range: range)
        }
        checked.presentWhenTrue = Self.presenceKeys(element)
        return checked
    }

    mutating func checkArithmetic(_ arithmeticOperator: ExpressionBinaryOperator, _ lhsNode: ExpressionNode, _ rhsNode: ExpressionNode, operatorRange: SourceRange, range: SourceRange, guards: Set<String>) -> ExpressionCheckedNode? {
        let lhs = check(lhsNode, guards: guards)
        let readsBeforeRight = fieldReads
        let rhs = check(rhsNode, guards: guards)
        let rightReadsNothing = fieldReads == readsBeforeRight
        guard let lhs, let rhs else { return nil }
        let resultType: ExpressionCheckedType
        if lhs.type.isNumeric, rhs.type.isNumeric {
            resultType = arithmeticOperator == .divide || lhs.type == .decimal || rhs.type == .decimal ? .decimal : .int
        } else if arithmeticOperator == .plus, lhs.type == .string, rhs.type == .string {
            resultType = .string
        } else {
            let verb = ["+": "add", "-": "subtract", "*": "multiply", "/": "divide"][arithmeticOperator.rawValue] ?? "combine"
            let offending = lhs.type.isNumeric ? rhs : lhs
            var help: [String] = []
            if case .string(let text)? = offending.constant, offending.isStringLiteral, ExactDecimal(text) != nil {
                help.append("write the number without quotes: `\(text)`")
            }
            report(ExpressionDiagnostics.operatorTypeMismatch(
                "`\(arithmeticOperator.rawValue)` cannot \(verb) \(lhs.type.spoken) and \(rhs.type.spoken)",
                range: lhs.type.isNumeric != rhs.type.isNumeric ? offending.range : range, help: help))
            return nil
        }
        if arithmeticOperator == .divide {
            if rhs.constant?.decimalValue?.isZero == true {
                report(ExpressionDiagnostics.divisionByZero(range: rhs.range))
                return nil
            }
            // A divisor that reads no field, such as `(60 - 60)`, is the same for every record: computed to zero, every
            // evaluation would fail (P248 at scoring), whether or not the dividend reads a field.
            if rightReadsNothing, rhs.constant == nil, case .value(let divisor) = rhs.evaluate(.readingNothing),
               divisor.decimalValue?.isZero == true {
                report(ExpressionDiagnostics.divisionByComputedZero(range: rhs.range))
                return nil
            }
        }
        requireValue(lhs)
        requireValue(rhs)
        let evaluateLeft = lhs.evaluate
        let evaluateRight = rhs.evaluate
        return ExpressionCheckedNode(type: resultType, evaluate: { context in
            let left = evaluateLeft(context).requiringValue
            guard case .value(let a) = left else { return left }
            let right = evaluateRight(context).requiringValue
            guard case .value(let b) = right else { return right }
            return ExpressionRuntime.arithmetic(arithmeticOperator, a, b, range: range)
        }, range: range)
    }

    mutating func checkConditional(_ conditionNode: ExpressionNode, _ thenNode: ExpressionNode, _ elseNode: ExpressionNode, range: SourceRange, guards: Set<String>) -> ExpressionCheckedNode? {
        let condition = check(conditionNode, guards: guards)
        let thenBranch = check(thenNode, guards: guards.union(condition?.presentWhenTrue ?? []))
        let elseBranch = check(elseNode, guards: guards.union(condition?.presentWhenFalse ?? []))
        guard let condition, let thenBranch, let elseBranch else { return nil }
        guard condition.type == .bool else {
            report(ExpressionDiagnostics.conditionalMismatch(
                "the condition before `?` must be true or false, but this is \(condition.type.spoken)", range: condition.range))
            return nil
        }
        guard let type = ExpressionCheckedType.unify(thenBranch.type, elseBranch.type) else {
            report(ExpressionDiagnostics.conditionalMismatch(
                "the two results of `? :` must have one type, but they are \(thenBranch.type.spoken) and \(elseBranch.type.spoken)",
                range: range))
            return nil
        }
        requireValue(thenBranch)
        requireValue(elseBranch)
        let evaluateCondition = condition.evaluate
        let evaluateThen = thenBranch.evaluate
        let evaluateElse = elseBranch.evaluate
        var checked = ExpressionCheckedNode(type: type, evaluate: { context in
            let outcome = evaluateCondition(context).requiringValue
            guard case .value(.bool(let holds)) = outcome else { return outcome }
            return holds ? evaluateThen(context) : evaluateElse(context)
        }, range: range)
        if type == .bool {
            checked.presentWhenTrue = condition.presentWhenTrue.union(thenBranch.presentWhenTrue)
                .intersection(condition.presentWhenFalse.union(elseBranch.presentWhenTrue))
            checked.presentWhenFalse = condition.presentWhenTrue.union(thenBranch.presentWhenFalse)
                .intersection(condition.presentWhenFalse.union(elseBranch.presentWhenFalse))
        }
        return checked
    }
}
