extension Array where Element == String {
    /// The items as a sentence lists them: `R5`, `R5 and R6`, `R5, R6 and R7` (empty for none).
    public var listedInProse: String {
        count > 1 ? dropLast().joined(separator: ", ") + " and " + self[count - 1] : joined()
    }
}
