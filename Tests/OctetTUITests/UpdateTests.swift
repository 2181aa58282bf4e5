import Foundation
import OctetChat
import XCTest

@testable import OctetTUI

/// What `update` does with keys, commands and results: the effects it asks for and the
/// state it leaves, without rendering.
final class UpdateTests: XCTestCase {
    typealias T = TestSupport

    func testFirstMessageCreatesTheConversationThenStartsTheTurn() {
        var state = T.state()
        let effects = T.apply(&state, T.type("Hi") + [T.key(.enter)])
        guard effects.count == 2, case .createConversation(0, let created) = effects[0],
            case .startTurn(0, let asked) = effects[1]
        else { return XCTFail("\(effects)") }
        XCTAssertEqual(created.title, "Hi")
        XCTAssertEqual(created.messages.map(\.content), ["Hi"])
        XCTAssertEqual(asked.messages.map(\.role), [.user], "the empty reply is not sent to the model")
        XCTAssertEqual(state.conversation.messages.map(\.role), [.user, .assistant])
        XCTAssertTrue(state.input.text.isEmpty)
    }

    func testStreamingReplyIsSavedAtLeastEverySecond() {
        var state = T.state()
        T.apply(&state, T.type("Hi") + [T.key(.enter)])
        let start = state.now
        var saves = 0
        for i in 1...30 {
            let effects = App.update(&state, .chat(.text("w "), at: start + 0.1 * Double(i)))
            saves += effects.filter { if case .saveMessage = $0 { return true } else { return false } }.count
        }
        XCTAssertEqual(saves, 3, "3 seconds of streaming: one partial save a second")
        let final = Message(role: .assistant, content: "done", complete: true)
        let effects = App.update(&state, .chat(.finished(final), at: start + 3.5))
        guard case .saveMessage(0, nil, 1, let saved)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertTrue(saved.complete)
        XCTAssertNil(state.turn)
    }

    func testCtrlCStopsThenQuitsAndIdleCtrlCQuits() {
        var state = T.state()
        T.apply(&state, T.type("Hi") + [T.key(.enter)])
        XCTAssertEqual(T.apply(&state, [T.key(.interrupt)]), [.cancelTurn])
        XCTAssertFalse(state.quitting)
        let second = T.apply(&state, [T.key(.interrupt)])
        XCTAssertTrue(state.quitting, "twice during generation quits")
        XCTAssertEqual(second.last, .quit)

        var idle = T.state()
        T.apply(&idle, T.type("unsent"))
        let effects = T.apply(&idle, [T.key(.interrupt)])
        XCTAssertEqual(effects, [.saveDraft("unsent"), .quit], "the draft survives quitting")
    }

    func testEnterDuringGenerationKeepsTheText() {
        var state = T.state()
        T.apply(&state, T.type("Hi") + [T.key(.enter)] + T.type("next"))
        XCTAssertEqual(T.apply(&state, [T.key(.enter)]), [])
        XCTAssertEqual(state.input.text, "next")
    }

    func testMessageSentWhileModelLoadsStartsWhenReady() {
        var state = T.state(ready: false)
        let sent = T.apply(&state, T.type("Hi") + [T.key(.enter)])
        XCTAssertEqual(sent.count, 1, "stored now, asked later: \(sent)")
        XCTAssertTrue(state.sendPending)
        let ready = T.apply(&state, [.model(.ready(name: "m", contextLength: 2048))])
        guard case .startTurn? = ready.first else { return XCTFail("\(ready)") }
        XCTAssertEqual(state.contextUsed?.length, 2048)
    }

    func testSlashCommandsChangeSettings() {
        var state = T.state()
        T.apply(&state, T.type("/template chain-of-thought") + [T.key(.enter)])
        XCTAssertEqual(state.conversation.template, "chain-of-thought")
        T.apply(&state, T.type("/set temperature 0.2") + [T.key(.enter)])
        XCTAssertEqual(state.conversation.sampling.temperature, 0.2)
        T.apply(&state, T.type("/set seed 42") + [T.key(.enter)])
        XCTAssertEqual(state.conversation.sampling.seed, 42)
        T.apply(&state, T.type("/system Be brief.") + [T.key(.enter)])
        XCTAssertEqual(state.conversation.systemPrompt, "Be brief.")
        T.apply(&state, T.type("/set top_k lots") + [T.key(.enter)])
        XCTAssertEqual(state.notes.last?.isError, true)
        XCTAssertTrue(state.notes.last?.text.contains("top_k") ?? false)
        T.apply(&state, T.type("/template nonsense") + [T.key(.enter)])
        XCTAssertEqual(state.conversation.template, "chain-of-thought")
    }

    func testSettingsOfAStoredConversationAreSaved() {
        var state = T.state()
        state.conversation.id = 5
        state.conversation.messages = [Message(id: 1, role: .user, content: "x")]
        let effects = T.apply(&state, T.type("/set top_p 0.5") + [T.key(.enter)])
        guard case .updateConversation(_, let saved)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(saved.sampling.topP, 0.5)
    }

    func testRetryDeletesTheLastReplyAndAsksAgain() {
        var state = T.state()
        T.exchange(&state, "Hi", reply: ["Hello"])
        T.apply(&state, [.messageSaved(key: 0, index: 1, Message(id: 9, role: .assistant, content: "Hello"))])
        let effects = T.apply(&state, T.type("/retry") + [T.key(.enter)])
        XCTAssertEqual(effects.first, .deleteMessage(key: 0, conversationID: nil, index: 1, id: 9))
        guard case .startTurn(_, let asked)? = effects.last else { return XCTFail("\(effects)") }
        XCTAssertEqual(asked.messages.map(\.content), ["Hi"])
    }

    func testEditBranchesAndKeepsTheOriginal() {
        var state = T.state()
        T.exchange(&state, "Waht is 2+2", reply: ["4"])
        T.apply(&state, [.conversationCreated(key: 0, { var c = state.conversation; c.id = 3; return c }())])
        T.apply(&state, T.type("/edit") + [T.key(.enter)])
        XCTAssertEqual(state.input.text, "Waht is 2+2")
        T.apply(&state, [T.key(.control("u"))] + T.type("What is 2+2") + [T.key(.enter)])
        XCTAssertEqual(state.conversationKey, 1, "a new conversation")
        XCTAssertNil(state.conversation.id)
        XCTAssertEqual(state.conversation.messages.first?.content, "What is 2+2")
        XCTAssertTrue(state.notes.contains { $0.text.contains("#3") })
    }

    func testCopySendsOSC52TextOfReplyOrCode() {
        var state = T.state()
        T.exchange(&state, "code", reply: ["See:\n```\nls -la\n```\n"])
        XCTAssertEqual(T.apply(&state, T.type("/copy code") + [T.key(.enter)]), [.copyToClipboard("ls -la")])
        XCTAssertEqual(T.apply(&state, T.type("/copy 1") + [T.key(.enter)]), [.copyToClipboard("See:\n```\nls -la\n```\n")])
        XCTAssertEqual(T.apply(&state, T.type("/copy 2") + [T.key(.enter)]), [])
        XCTAssertEqual(state.notes.last?.isError, true)
    }

    func testDraftIsSavedAtMostOnceASecond() {
        var state = T.state()
        T.apply(&state, T.type("dr"))
        XCTAssertEqual(T.apply(&state, [.tick(now: state.now + 0.25)]), [.saveDraft("dr")])
        T.apply(&state, T.type("a"))
        XCTAssertEqual(T.apply(&state, [.tick(now: state.now + 0.5)]), [], "within the second")
        XCTAssertEqual(T.apply(&state, [.tick(now: state.now + 0.5)]), [.saveDraft("dra")])
        XCTAssertEqual(T.apply(&state, [.tick(now: state.now + 3)]), [], "nothing new")
        XCTAssertEqual(T.apply(&state, [.hangup]), [.saveDraft("dra"), .quit])
        var restored = T.state()
        T.apply(&restored, [.draftRestored("from last time")])
        XCTAssertEqual(restored.input.text, "from last time")
    }

    func testNewConversationWhileStreamingWaitsForTheStop() {
        var state = T.state()
        T.exchange(&state, "Hi", reply: ["Hel"], finish: false)
        XCTAssertEqual(T.apply(&state, [T.key(.control("n"))]), [.cancelTurn])
        XCTAssertEqual(state.conversation.messages.count, 2)
        let stopped = T.apply(&state, [.chat(.cancelled(Message(role: .assistant, content: "Hel", complete: false)), at: state.now)])
        guard case .saveMessage(0, _, 1, let saved)? = stopped.first else { return XCTFail("\(stopped)") }
        XCTAssertEqual(saved.content, "Hel", "the stopped reply is saved before the switch")
        XCTAssertTrue(state.conversation.messages.isEmpty)
        XCTAssertEqual(state.conversationKey, 1)
    }

    func testFailedTurnWithoutTextRemovesThePlaceholder() {
        var state = T.state()
        T.apply(&state, T.type("Hi") + [T.key(.enter), .chat(.failed("out of memory"), at: state.now)])
        XCTAssertEqual(state.conversation.messages.map(\.role), [.user])
        XCTAssertEqual(state.notes.last?.text, "the reply failed: out of memory")
    }

    func testSlashCommandParsing() throws {
        XCTAssertEqual(try SlashCommand.parse("/resume #12"), .resume(12))
        XCTAssertEqual(try SlashCommand.parse("/export json"), .export(.json))
        XCTAssertEqual(try SlashCommand.parse("/export"), .export(.markdown))
        XCTAssertEqual(try SlashCommand.parse("/copy 2 code"), .copy(2, codeOnly: true))
        XCTAssertEqual(try SlashCommand.parse("/rename  A new  title "), .rename("A new  title"))
        XCTAssertEqual(try SlashCommand.parse("/set top_k 20"), .set(key: "top_k", value: "20"))
        XCTAssertThrowsError(try SlashCommand.parse("/resume x"))
        XCTAssertThrowsError(try SlashCommand.parse("/bogus"))
        XCTAssertThrowsError(try SlashCommand.parse("/export pdf"))
    }

    func testTabCompletesTemplateNames() {
        var state = T.state()
        T.apply(&state, T.type("/template ch") + [T.key(.tab)])
        XCTAssertEqual(state.input.text, "/template chain-of-thought ")
        T.apply(&state, [T.key(.control("u"))] + T.type("/the") + [T.key(.tab)])
        XCTAssertEqual(state.input.text, "/theme ")
    }

    func testChoosingATemplateAppliesItsSamplingDefaultsAndSetStillWins() {
        var state = T.state()
        state.templates.append(TemplateSummary(
            name: "careful", description: "Greedy.", sampling: SamplingOverrides(temperature: 0, maxTokens: 99)))
        T.apply(&state, T.type("/template careful") + [T.key(.enter)])
        XCTAssertEqual(state.conversation.template, "careful")
        XCTAssertEqual(state.conversation.sampling.temperature, 0)
        XCTAssertEqual(state.conversation.sampling.maxTokens, 99)
        XCTAssertEqual(state.conversation.sampling.topK, SamplingSettings.default.topK)
        T.apply(&state, T.type("/set temperature 0.7") + [T.key(.enter)])
        XCTAssertEqual(state.conversation.sampling.temperature, 0.7)
    }
}
