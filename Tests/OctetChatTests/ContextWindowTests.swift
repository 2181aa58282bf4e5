import XCTest
@testable import OctetChat

/// Fitting a conversation into the context window, one token per character.
final class ContextWindowTests: XCTestCase {
    private func tokenize(_ text: String) -> [Int] { text.unicodeScalars.map { Int($0.value) } }
    private func render(_ messages: [ChatMessage]) throws -> String {
        try ChatFormat.chatml.render(messages)
    }

    private func history(turns: Int, size: Int) -> [ChatMessage] {
        (0..<turns).flatMap { turn in
            [ChatMessage.user("q\(turn) " + String(repeating: "u", count: size)),
             .assistant("a\(turn) " + String(repeating: "a", count: size))]
        }
    }

    func testTheReserveAndTheLimit() {
        let window = ContextWindow(budget: 2048, maxTokens: 256)
        XCTAssertEqual(window.reserve, 256)
        XCTAssertEqual(window.promptLimit, 1792)
        XCTAssertEqual(ContextWindow(budget: 2048, maxTokens: 4096).reserve, 512, "at most a quarter")
    }

    func testAConversationThatFitsIsSentWhole() throws {
        let plan = PromptPlan(system: "S", history: history(turns: 3, size: 10), current: [.user("now")])
        let fitted = try ContextWindow(budget: 4096, maxTokens: 100)
            .fit(plan, render: render, tokenize: tokenize)
        XCTAssertEqual(fitted.droppedMessages, 0)
        XCTAssertEqual(fitted.text, try render(plan.messages()))
    }

    func testTheOldestTurnsAreDroppedNeverTheFrameOrTheCurrentMessage() throws {
        let examples: [ChatMessage] = [.user("ex-in"), .assistant("ex-out")]
        let plan = PromptPlan(
            system: "SYSTEM", examples: examples, history: history(turns: 40, size: 100),
            current: [.user("CURRENT")])
        let window = ContextWindow(budget: 2048, maxTokens: 256)
        let fitted = try window.fit(plan, render: render, tokenize: tokenize)
        XCTAssertLessThanOrEqual(fitted.tokens.count, window.promptLimit)
        XCTAssertGreaterThan(fitted.droppedMessages, 0)
        XCTAssertEqual(fitted.droppedMessages, fitted.droppedTurns * 2)
        XCTAssertTrue(fitted.text.hasPrefix("<|im_start|>system\nSYSTEM<|im_end|>\n<|im_start|>user\nex-in"))
        XCTAssertTrue(fitted.text.hasSuffix("<|im_start|>user\nCURRENT<|im_end|>\n<|im_start|>assistant\n"))
        XCTAssertFalse(fitted.text.contains("q0 "), "the oldest turn is gone")
        XCTAssertTrue(fitted.text.contains("q39 "), "the newest earlier turn is kept")
        // Whole turns: what is kept starts with a user message right after the examples.
        let kept = plan.messages(droppingTurns: fitted.droppedTurns)
        XCTAssertEqual(kept[3].role, .user)
        XCTAssertLessThanOrEqual(fitted.tokens.count, window.refillTarget, "cut down to leave room")
    }

    func testAlreadyDroppedTurnsStayDroppedSoThePrefixHolds() throws {
        let window = ContextWindow(budget: 2048, maxTokens: 256)
        var turns = history(turns: 30, size: 100)
        let first = try window.fit(
            PromptPlan(history: turns, current: [.user("x")]), render: render, tokenize: tokenize)
        XCTAssertGreaterThan(first.droppedTurns, 0)
        turns += [.user("x"), .assistant("short")]
        let second = try window.fit(
            PromptPlan(history: turns, current: [.user("y")]), alreadyDropped: first.droppedTurns,
            render: render, tokenize: tokenize)
        XCTAssertEqual(second.droppedTurns, first.droppedTurns, "a short new turn fits without cutting")
        let shared = zip(first.tokens, second.tokens).prefix { $0 == $1 }.count
        XCTAssertGreaterThan(shared, first.tokens.count - 20, "the prompt grew at its end only")
    }

    func testAMessageTooLongOnItsOwnIsAnError() {
        let plan = PromptPlan(system: "S", history: history(turns: 2, size: 10),
                              current: [.user(String(repeating: "x", count: 3000))])
        let window = ContextWindow(budget: 2048, maxTokens: 256)
        XCTAssertThrowsError(try window.fit(plan, render: render, tokenize: tokenize)) { error in
            guard case .messageTooLong(let tokens, let limit)? = error as? ChatError else {
                return XCTFail("\(error)")
            }
            XCTAssertGreaterThan(tokens, 3000)
            XCTAssertEqual(limit, 1792)
        }
    }

    func testTurnsAreAUserMessageAndItsReplies() {
        let plan = PromptPlan(history: [
            .assistant("greeting"), .user("a"), .assistant("b"), .assistant("c"), .user("d"),
        ])
        XCTAssertEqual(plan.turnStarts, [0, 1, 4])
        XCTAssertEqual(plan.messageCount(ofFirstTurns: 2), 4)
        XCTAssertEqual(plan.messages(droppingTurns: 2), [.user("d")])
    }
}
