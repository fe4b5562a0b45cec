/// Comparisons checked against the values a field can take.
extension ExpressionChecker {
    /// Reports a comparison `field <comparison> value` that can never hold (an error) or always
    /// holds (a warning) given the values the field can take.
    mutating func checkDomain(field: ExpressionField, comparison: ExpressionBinaryOperator, value: ExpressionValue, valueRange: SourceRange, inList: Bool = false) {
        guard let domain = field.domain else { return }
        switch domain {
        case .strings(let allowed, let aliases):
            guard comparison == .equal || comparison == .notEqual, case .string(let text) = value, !allowed.contains(text) else { return }
            let suggestion = ExpressionSpelling.suggestion(for: text, among: allowed, aliases: aliases)
            let consequence = inList ? "this element never matches"
                : (comparison == .equal ? "this comparison is never true" : "this comparison is always true")
            report(ExpressionDiagnostics.neverHolds(
                "`\(field.path)` is never \(ExpressionValue.quoted(text)), so \(consequence)", range: valueRange,
                help: suggestion.map { ["did you mean \(ExpressionValue.quoted($0))?"] } ?? [],
                notes: ["`\(field.path)` is one of " + allowed.map(ExpressionValue.quoted).joined(separator: ", ")]))
        case .declared(let kind):
            guard comparison == .equal || comparison == .notEqual, case .string(let text) = value,
                  let declared = kind.names(in: schema), !declared.contains(text) else { return }
            // record.category == "紫色便民", volunteer.level == "一星志愿者": a label where its id belongs.
            let labelled = schema.id(labelled: text, kind: kind)
            let suggestion = labelled ?? ExpressionSpelling.suggestion(for: text, among: declared)
            report(ExpressionDiagnostics.unknownDeclaredName(
                kind: kind.rawValue, value: text, suggestion: suggestion, label: labelled.map { _ in text }, declared: declared,
                range: valueRange))
        case .integers(let bounds):
            guard comparison.isComparison, let number = value.decimalValue else { return }
            let holdingCount = bounds.filter { ExpressionRuntime.compare(comparison, .int($0), .decimal(number)) }.count
            let domainText = "a whole number from \(bounds.lowerBound) to \(bounds.upperBound)"
            if holdingCount == 0 {
                let message = inList
                    ? "`\(field.path)` is never \(number): it is \(domainText)"
                    : "`\(field.path) \(comparison.rawValue) \(number)` never holds: `\(field.path)` is \(domainText)"
                report(ExpressionDiagnostics.neverHolds(message, range: valueRange, help: [], notes: []))
            } else if holdingCount == bounds.count, !inList {
                report(ExpressionDiagnostics.alwaysHolds(
                    "`\(field.path) \(comparison.rawValue) \(number)` always holds when the field is present: `\(field.path)` is \(domainText)",
                    range: valueRange))
            }
        }
    }
}
