import Foundation
import OctetChat
import XCTest

@testable import OctetTUI

/// The chat screen as text after sequences of events: each compared with `Golden/NAME.txt`.
final class GoldenScreenTests: XCTestCase {
    typealias T = TestSupport

    func testEmptyScreenWhileModelLoads() {
        var state = T.state(columns: 60, rows: 12, ready: false)
        T.apply(&state, [.model(.loading(fraction: 0.45, detail: "requantizing"))])
        Golden.assert("empty-loading", T.text(state))
    }

    func testStreamingReply() {
        var state = T.state()
        T.exchange(&state, "What is the capital of France?", reply: ["The ", "capital ", "of ", "France ", "is "], finish: false)
        Golden.assert("streaming", T.text(state))
    }

    func testFinishedReplyShowsSpeedAndContext() {
        var state = T.state()
        T.exchange(&state, "What is the capital of France?", reply: ["The capital ", "of France ", "is Paris."])
        T.apply(&state, [.conversationCreated(key: 0, storedCopy(state.conversation, id: 12))])
        Golden.assert("finished", T.text(state))
    }

    func testChineseWrapsByDisplayWidth() {
        var state = T.state(columns: 30, rows: 14)
        T.exchange(&state, "你好，请介绍一下北京的历史和文化。", reply: ["北京是中国的首都，", "有三千多年的历史。", "It has many 名胜古迹."])
        Golden.assert("cjk-wrap", T.text(state))
    }

    func testEmojiAndCombiningMarks() {
        var state = T.state(columns: 32, rows: 12)
        T.exchange(&state, "cafe\u{301} 🙂🙂🙂 naïve", reply: ["Ok 👍 — re\u{301}sume\u{301} ", "🇫🇷 flag and 한국어 text."])
        Golden.assert("emoji-combining", T.text(state))
    }

    func testReasoningFolded() {
        var state = T.state()
        T.exchange(&state, "2+2?", reply: ["<think>", "Two plus two ", "makes four.", "</think>", "It is 4."])
        Golden.assert("reasoning-folded", T.text(state))
    }

    func testReasoningExpandedWithCtrlO() {
        var state = T.state()
        T.exchange(&state, "2+2?", reply: ["<think>", "Two plus two ", "makes four.", "</think>", "It is 4."])
        T.apply(&state, [T.key(.control("o"))])
        Golden.assert("reasoning-expanded", T.text(state))
    }

    func testChainOfThoughtThinkingWhileStreaming() {
        var state = T.state(template: "chain-of-thought")
        T.exchange(&state, "If I have 5 apples and eat 2?", reply: ["First ", "5 ", "minus ", "2 "], finish: false)
        Golden.assert("cot-thinking", T.text(state))
        T.apply(&state, [.chat(.text("is 3. Answer: 3 apples."), at: state.now + 1)])
        Golden.assert("cot-answered", T.text(state))
    }

    func testCodeBlockSetOff() {
        var state = T.state(rows: 18)
        T.exchange(&state, "code please", reply: ["Here:\n\n", "```swift\n", "let x = 1\n", "print(x)\n", "```\n", "Done."])
        Golden.assert("code-block", T.text(state))
    }

    func testTooSmallWindow() {
        var state = T.state()
        T.apply(&state, [.input(.resize(Size(columns: 20, rows: 6)))])
        Golden.assert("too-small", T.text(state))
    }

    func testInputGrowsToAThirdOfTheScreen() {
        var state = T.state(columns: 40, rows: 12)
        T.apply(&state, T.type("one") + [T.key(.newline)] + T.type("two") + [.input(.paste("three\r\nfour\rfive\nsix"))])
        Golden.assert("input-grown", T.text(state))
    }

    func testHelpOverlay() {
        var state = T.state(columns: 80, rows: 24)
        T.apply(&state, [T.key(.function(1))])
        Golden.assert("help", T.text(state))
    }

    func testTabCompletionCandidates() {
        var state = T.state()
        T.apply(&state, T.type("/te") + [T.key(.tab)])
        Golden.assert("completion", T.text(state))
    }

    func testStoppedReplyKeepsText() {
        var state = T.state()
        T.exchange(&state, "Tell me a long story", reply: ["Once ", "upon ", "a ", "time"], finish: false)
        T.apply(&state, [T.key(.interrupt)])
        let partial = Message(role: .assistant, content: "Once upon a time", complete: false)
        T.apply(&state, [.chat(.cancelled(partial), at: state.now + 1)])
        Golden.assert("stopped", T.text(state))
    }

    func testScrolledUpViewIsNotYanked() {
        var state = T.state(columns: 40, rows: 12)
        T.exchange(&state, "first", reply: (1...12).map { "line \($0)\n" })
        T.exchange(&state, "second", reply: ["streaming "], finish: false)
        T.apply(&state, [T.key(.pageUp)])
        let before = T.text(state)
        T.apply(&state, (1...8).map { .chat(.text("more \($0)\n"), at: state.now + Double($0)) })
        XCTAssertEqual(
            before.split(separator: "\n").dropLast(3), T.text(state).split(separator: "\n").dropLast(3),
            "new output must not move the transcript while the user reads history")
        Golden.assert("scrolled-up", T.text(state))
    }

    func testResizeReflows() {
        var state = T.state(columns: 60, rows: 12)
        T.exchange(&state, "Explain wrapping", reply: ["Wrapping breaks long lines at spaces so that they fit the window."])
        T.apply(&state, [.input(.resize(Size(columns: 32, rows: 12)))])
        Golden.assert("resized", T.text(state))
    }

    func testResumedConversationWithInterruptedReply() {
        var state = T.state()
        var conversation = Conversation(id: 7, title: "Trip to Paris", created: Date(timeIntervalSince1970: T.epoch), template: "zero-shot")
        conversation.messages = [
            Message(id: 1, role: .system, content: "You are terse."),
            Message(id: 2, role: .user, content: "Best museum?"),
            Message(id: 3, role: .assistant, content: "The Louvre, because", complete: false),
        ]
        T.apply(&state, [.conversationLoaded(conversation)])
        Golden.assert("resumed", T.text(state))
    }

    func testModelFailureIsShown() {
        var state = T.state(ready: false)
        T.apply(&state, [.model(.failed("model.gguf: not a GGUF file"))] + T.type("hello") + [T.key(.enter)])
        Golden.assert("model-failed", T.text(state))
    }

    // MARK: - Helpers

    func storedCopy(_ conversation: Conversation, id: Int64) -> Conversation {
        var copy = conversation
        copy.id = id
        return copy
    }
}
