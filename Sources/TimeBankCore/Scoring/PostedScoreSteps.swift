/// A posted record's explanation as the facts it is written from: the scorer's steps, kept as a short text.
///
/// The lines a volunteer reads ("60 min × 12 积分 an hour (蓝色调解)") are written from each step and the policy
/// version that scored the record, which the store keeps unchanged. So the store keeps the steps, not the lines: about
/// 80 bytes a record instead of about 380, and nothing to word while a settlement posts a million records.
/// `explain` writes the lines again with `ScoreExplanationSubject`, the same code that wrote them for the run.
///
/// The text: `~`, then for each step `KIND,RULE,DETAIL,EFFECT,RUNNING;` (the step's kind as its number, the rule's
/// index, the detail, and the effect and running amount × 60 as exact decimals such as `720` or `-21.6`); a step whose
/// rule's expression failed carries the reason before its `;` as `,LENGTH:REASON` (LENGTH in UTF-8 bytes, so the
/// reason may hold any character). A record with no steps is `~`.
///
///     ~0,0,0,0,0;2,-1,0,0,0;6,2,60,720,720;
public enum PostedScoreSteps {
    /// The first byte of the text: explanations stored as lines (before this form) start with a digit or are empty.
    public static let marker = UInt8(ascii: "~")

    /// One step and, when its rule's expression failed, why.
    public struct Step: Sendable, Hashable {
        public var step: ScoreStep
        public var failure: String?

        public init(step: ScoreStep, failure: String?) {
            self.step = step
            self.failure = failure
        }
    }

    /// Whether `text` is in this form (else it is an explanation stored as lines).
    public static func isEncoded(_ text: String) -> Bool { text.utf8.first == marker }

    /// Writes the steps of `score` into `bytes` (emptied first, its capacity kept: the posting loop reuses one buffer).
    public static func encode(_ run: ScoringRun, _ score: RecordScore, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(marker)
        for index in score.steps {
            append(run.steps[index], failure: run.failureReason(at: index), to: &bytes)
        }
    }

    /// The text of `steps`, as `encode` writes it.
    public static func text(_ steps: [Step]) -> String {
        var bytes: [UInt8] = [marker]
        for step in steps { append(step.step, failure: step.failure, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func append(_ step: ScoreStep, failure: String?, to bytes: inout [UInt8]) {
        bytes.appendDecimal(Int(step.kind.rawValue))
        bytes.append(UInt8(ascii: ","))
        bytes.appendDecimal(Int(step.rule))
        bytes.append(UInt8(ascii: ","))
        bytes.appendDecimal(Int(step.detail))
        bytes.append(UInt8(ascii: ","))
        bytes.appendDecimal(step.effectTimes60)
        bytes.append(UInt8(ascii: ","))
        bytes.appendDecimal(step.runningTimes60)
        if let failure {
            bytes.append(UInt8(ascii: ","))
            bytes.appendDecimal(failure.utf8.count)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: failure.utf8)
        }
        bytes.append(UInt8(ascii: ";"))
    }

    /// The steps of a text `encode` wrote; nil when it is not such a text (a damaged row, or lines).
    public static func decode(_ text: String) -> [Step]? {
        let bytes = Array(text.utf8)
        guard bytes.first == marker else { return nil }
        var index = 1
        var steps: [Step] = []
        /// The bytes up to the next `,`, `;` or `:` (not included); nil when empty or at the end.
        func field() -> Substring? {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: ";"),
                  bytes[index] != UInt8(ascii: ":") { index += 1 }
            guard index < bytes.count, index > start else { return nil }
            return Substring(decoding: bytes[start..<index], as: UTF8.self)
        }
        func integer() -> Int64? { field().flatMap { Int64($0) } }
        func decimal() -> ExactDecimal? { field().flatMap { ExactDecimal($0) } }
        func separator(_ byte: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: byte) else { return false }
            index += 1
            return true
        }
        while index < bytes.count {
            guard let kindNumber = integer(), let kind = UInt8(exactly: kindNumber).flatMap(ScoreStep.Kind.init(rawValue:)),
                  separator(","), let rule = integer().flatMap({ Int32(exactly: $0) }), separator(","),
                  let detail = integer(), separator(","), let effect = decimal(), separator(","), let running = decimal()
            else { return nil }
            var failure: String?
            if separator(",") {
                guard let length = integer().flatMap({ Int(exactly: $0) }), length >= 0, separator(":"),
                      index + length <= bytes.count else { return nil }
                failure = String(decoding: bytes[index..<(index + length)], as: UTF8.self)
                index += length
            }
            guard separator(";") else { return nil }
            steps.append(Step(step: ScoreStep(kind: kind, rule: rule, detail: detail, effectTimes60: effect, runningTimes60: running),
                              failure: failure))
        }
        return steps
    }
}
