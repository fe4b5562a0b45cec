import Testing
@testable import TimeBankCore

/// The text a posted record's explanation is kept in: the scorer's steps, read back exactly.
@Suite("Posted score steps")
struct PostedScoreStepsTests {
    static func decimal(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

    @Test("a decimal is written as its canonical text (its description)", arguments: [
        "0", "1", "-1", "720", "-720", "21.6", "-21.6", "0.05", "-0.05", "0.000000000000000001", "12.5",
        "18446744073709551615", "18446744073709551616", "-99999999999999999999", "1234567.891011121314151617",
    ])
    func decimals(_ text: String) {
        let value = Self.decimal(text)
        var bytes: [UInt8] = []
        bytes.appendDecimal(value)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
        #expect(value.description == text)
    }

    @Test("steps are written in the documented form and read back, a failed rule's reason with them")
    func roundTrip() throws {
        let steps = [
            PostedScoreSteps.Step(step: ScoreStep(kind: .policy, rule: 0, detail: 0, effectTimes60: .zero, runningTimes60: .zero),
                                  failure: nil),
            PostedScoreSteps.Step(step: ScoreStep(kind: .base, rule: 2, detail: 60, effectTimes60: Self.decimal("720"),
                                                  runningTimes60: Self.decimal("720")), failure: nil),
            PostedScoreSteps.Step(step: ScoreStep(kind: .ruleFailed, rule: 1, detail: 0, effectTimes60: .zero,
                                                  runningTimes60: Self.decimal("-0.05")),
                                  failure: "error[P245]: 缺少 record.rating; 用法: a,b:c ~"),
            PostedScoreSteps.Step(step: ScoreStep(kind: .cap, rule: -1, detail: -6000, effectTimes60: Self.decimal("-21.6"),
                                                  runningTimes60: Self.decimal("123456789012345678.9")), failure: ""),
        ]
        let text = PostedScoreSteps.text(steps)
        #expect(text.hasPrefix("~0,0,0,0,0;6,2,60,720,720;"))
        #expect(PostedScoreSteps.isEncoded(text))
        #expect(PostedScoreSteps.decode(text) == steps)
        #expect(PostedScoreSteps.decode("~") == [])
        // Explanations stored as lines (before the steps were kept) are not this form.
        #expect(!PostedScoreSteps.isEncoded("10:caps.daily9:上限 600:4:12.5") && !PostedScoreSteps.isEncoded(""))
    }

    @Test("a penalty step stored before computed amounts said they were rounded (detail 0) renders as it did")
    func penaltyStepWithoutRoundingFlag() throws {
        let policy = try ScoringFixtures.policy(body: """
            [earning]
            require_verifier = false
            rounding = "half_up"

            [categories.care]
            points_per_hour = 10

            [penalties.late]
            points = 'record.minutes * -0.00175'
            when = 'record.tags.contains("late")'
            """)
        let run = try ScoringFixtures.scorer(policy).score([ScoringFixtures.service("hour", "V1", "care", "2026-10-12", minutes: 60, tags: ["late"])])
        let score = try ScoringFixtures.score(run, "hour")
        var bytes: [UInt8] = []
        PostedScoreSteps.encode(run, score, into: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(";19,0,1,-6.6,593.4;"), "the penalty step is stored with detail 1: \(text)")
        var steps = try #require(PostedScoreSteps.decode(text))
        let index = try #require(steps.firstIndex { $0.step.kind == .penalty })
        #expect(steps[index].step.detail == 1)
        // The same step as stored before: detail 0, the rounded amount alone.
        steps[index].step.detail = 0
        let old = try #require(PostedScoreSteps.decode(PostedScoreSteps.text(steps)))
        let subject = run.explanationSubject(of: score)
        let line = subject.line(old[index].step, failure: nil)
        #expect(line.text == #"late (when record.tags.contains("late"))"#)
        #expect(line.effect == "-0.11" && line.running == "9.89")
        #expect(subject.line(ScoreStep(kind: .penalty, rule: 0, detail: 1, effectTimes60: old[index].step.effectTimes60,
                                       runningTimes60: old[index].step.runningTimes60), failure: nil).text
                    == #"late (when record.tags.contains("late")): points record.minutes * -0.00175 rounded half_up to a step of 0.01"#)
        // Computed and taken as it came (40 minutes: −0.07): detail 2, read back as naming the expression.
        let forty = try ScoringFixtures.scorer(policy).score([ScoringFixtures.service("forty", "V1", "care", "2026-10-12", minutes: 40, tags: ["late"])])
        let fortyScore = try ScoringFixtures.score(forty, "forty")
        var fortyBytes: [UInt8] = []
        PostedScoreSteps.encode(forty, fortyScore, into: &fortyBytes)
        let stored = try #require(PostedScoreSteps.decode(String(decoding: fortyBytes, as: UTF8.self)))
        let penalty = try #require(stored.first { $0.step.kind == .penalty })
        #expect(penalty.step.detail == 2)
        #expect(forty.explanationSubject(of: fortyScore).line(penalty.step, failure: nil).text
                    == #"late (when record.tags.contains("late")): points record.minutes * -0.00175"#)
    }

    @Test("the numbers stored for step kinds, caps and rule families do not change")
    func storedNumbers() {
        let kinds: [ScoreStep.Kind] = [.policy, .noPolicy, .account, .pending, .minutesCut, .belowMinimum, .base, .indicator,
                                       .indicatorNotMet, .alreadyAssessed, .multiplier, .combinedFactor, .bonus,
                                       .bonusAlreadyReceived, .ruleFailed, .ruleInvalidAmount, .rounding, .cap, .capsNotReached,
                                       .penalty, .deduction, .floor, .undeclared]
        #expect(kinds.map(\.rawValue) == Array(0...22))
        #expect(ScoringCap.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5])
        #expect(ScoringCap.allCases == [.categoryDaily, .categoryMonthly, .daily, .weekly, .monthly, .yearly])
        #expect([RuleFamily.multiplier, .bonus, .penalty].map(\.rawValue) == [0, 1, 2])
    }

    @Test("a damaged text is refused, not misread", arguments: [
        "", "0,0,0,0,0;", "~0,0,0,0,0", "~0,0,0,0;", "~99,0,0,0,0;", "~0,x,0,0,0;", "~0,0,0,1.2.3,0;", "~0,0,0,0,0,5:abc;",
        "~0,0,0,0,0,3abc;", "~0,0,0,0,0,-1:;", "~0,0,0,0,0;x", "~,0,0,0,0;", "~0,99999999999,0,0,0;",
    ])
    func damaged(_ text: String) {
        #expect(PostedScoreSteps.decode(text) == nil)
    }
}
