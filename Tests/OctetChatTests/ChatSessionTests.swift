import XCTest
import OctetInference
@testable import OctetChat

/// ChatSession against a scripted backend.
final class ChatSessionTests: XCTestCase {
    private func session(
        _ backend: FakeBackend, template: PromptTemplate? = nil, library: TemplateLibrary = TemplateLibrary(),
        sampling: SamplingSettings = .default, contextLength: Int? = nil
    ) -> ChatSession {
        ChatSession(
            backend: backend, format: .chatmlSmolLM2, eos: "<|im_end|>",
            conversation: Conversation(sampling: sampling), template: template, library: library,
            contextLength: contextLength)
    }

    func testOneTurnStreamsPromptTextAndFinished() async throws {
        let backend = FakeBackend(replies: [["Par", "is", "."]])
        let chat = session(backend)
        let events = await collect(await chat.send("Capital of France?"))
        let prompt = try await chat.preview()  // the conversation as it is now
        XCTAssertEqual(events.count, 5, "\(events)")
        guard case .prompt(let tokens, let cached, let context) = events[0] else { return XCTFail("\(events)") }
        XCTAssertEqual(cached, 0)
        XCTAssertEqual(context, 4096)
        XCTAssertEqual(tokens, backend.requests[0].prompt.count)
        XCTAssertEqual(Array(events[1...3]), [.text("Par"), .text("is"), .text(".")])
        guard case .finished(let reply) = events[4] else { return XCTFail("\(events)") }
        XCTAssertEqual(reply.content, "Paris.")
        XCTAssertTrue(reply.complete)
        let info = try XCTUnwrap(reply.generation)
        XCTAssertEqual(info.model, "fake.gguf")
        XCTAssertEqual(info.stopReason, "eos")
        XCTAssertEqual(info.generatedTokens, 3)
        XCTAssertEqual(info.promptTokens, tokens)
        XCTAssertNotNil(info.seed)
        XCTAssertEqual(info.sampling, .default)
        let messages = await chat.conversation.messages
        XCTAssertEqual(messages.map(\.role), [.user, .assistant])
        XCTAssertEqual(messages[0].content, "Capital of France?")
        XCTAssertTrue(prompt.text.contains("<|im_start|>assistant\nParis.<|im_end|>\n"))
        let expected = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
            + "<|im_end|>\n<|im_start|>user\nCapital of France?<|im_end|>\n<|im_start|>assistant\n"
        XCTAssertEqual(backend.requests[0].prompt, backend.tokenize(expected))
        XCTAssertFalse(backend.requests[0].continuesPrompt, "a reply is a text of its own")
    }

    func testEachTurnPrefillsOnlyItsNewTokens() async throws {
        let backend = FakeBackend(replies: [["Fine", "."]])
        let chat = session(backend)
        for turn in 1...5 { _ = await collect(await chat.send("Question \(turn)?")) }
        XCTAssertEqual(backend.requests.count, 5)
        for turn in 1..<5 {
            let previous = backend.requests[turn - 1].prompt.count + backend.tokenize("Fine.").count
            XCTAssertEqual(backend.prefilled[turn], backend.requests[turn].prompt.count - previous)
            XCTAssertEqual(Array(backend.requests[turn].prompt.prefix(previous - 5)),
                           Array(backend.requests[turn - 1].prompt.prefix(previous - 5)))
        }
        let new = backend.tokenize("<|im_end|>\n<|im_start|>user\nQuestion 5?<|im_end|>\n<|im_start|>assistant\n")
        XCTAssertEqual(backend.prefilled[4], new.count, "the reply's end, the new message, the header")
    }

    func testSamplingIsMappedAndARandomSeedIsRecorded() async throws {
        let backend = FakeBackend()
        var settings = SamplingSettings.default
        settings.temperature = 0.5
        settings.topK = 7
        settings.maxTokens = 2
        let chat = session(backend, sampling: settings)
        let first = await collect(await chat.send("a"))
        let second = await collect(await chat.send("b"))
        let sampling = backend.requests[0].sampling
        XCTAssertEqual(sampling.temperature, 0.5)
        XCTAssertEqual(sampling.topK, 7)
        XCTAssertEqual(sampling.topP, 0.95)
        XCTAssertEqual(backend.requests[0].maxTokens, 2)
        guard case .finished(let one) = first.last, case .finished(let two) = second.last else {
            return XCTFail("\(first) \(second)")
        }
        XCTAssertEqual(one.generation?.seed, sampling.seed, "the seed used is the one recorded")
        XCTAssertEqual(two.generation?.seed, backend.requests[1].sampling.seed)
        XCTAssertNotEqual(one.generation?.seed, two.generation?.seed, "a fresh seed per reply")

        settings.seed = 1234
        let fixed = session(FakeBackend(), sampling: settings)
        let fixedEvents = await collect(await fixed.send("a"))
        guard case .finished(let reply) = fixedEvents.last else { return XCTFail("\(fixedEvents)") }
        XCTAssertEqual(reply.generation?.seed, 1234)
    }

    func testCancelKeepsThePartialReply() async throws {
        let backend = FakeBackend(replies: [["one ", "two ", "three ", "four ", "five"]])
        backend.tokenDelay = .milliseconds(50)
        let chat = session(backend)
        var events: [ChatEvent] = []
        for await event in await chat.send("count") {
            events.append(event)
            if case .text = event { await chat.cancel() }
        }
        guard case .cancelled(let partial) = events.last else { return XCTFail("\(events)") }
        XCTAssertFalse(partial.complete)
        XCTAssertTrue(partial.content.hasPrefix("one "))
        XCTAssertFalse(partial.content.contains("five"))
        XCTAssertEqual(partial.generation?.stopReason, "cancelled")
        let last = await chat.conversation.messages.last
        XCTAssertEqual(last, partial, "the partial reply is kept in the conversation")
        let idle = await chat.isGenerating
        XCTAssertFalse(idle)
    }

    func testCancellingTheReadingTaskStopsTheReply() async throws {
        let backend = FakeBackend(replies: [Array(repeating: "x", count: 100)])
        backend.tokenDelay = .milliseconds(20)
        let chat = session(backend)
        let stream = await chat.send("go")
        let reader = Task { () -> Int in
            var count = 0
            for await event in stream { if case .text = event { count += 1 } }
            return count
        }
        try await Task.sleep(for: .milliseconds(150))
        reader.cancel()
        _ = await reader.value
        for _ in 0..<100 {
            guard await chat.isGenerating else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let last = await chat.conversation.messages.last
        XCTAssertEqual(last?.role, .assistant)
        XCTAssertEqual(last?.complete, false)
        XCTAssertLessThan(last?.content.count ?? 100, 100)
    }

    func testRetryReplacesTheLastReply() async throws {
        let backend = FakeBackend(replies: [["first"], ["second"]])
        let chat = session(backend)
        _ = await collect(await chat.send("q"))
        let events = await collect(await chat.retry())
        guard case .finished(let reply) = events.last else { return XCTFail("\(events)") }
        XCTAssertEqual(reply.content, "second")
        let messages = await chat.conversation.messages
        XCTAssertEqual(messages.map(\.content), ["q", "second"])
        XCTAssertEqual(backend.requests[0].prompt, backend.requests[1].prompt, "the same prompt again")
        XCTAssertNotEqual(backend.requests[0].sampling.seed, backend.requests[1].sampling.seed)

        let empty = session(FakeBackend())
        let nothing = await collect(await empty.retry())
        XCTAssertEqual(nothing, [.failed(ChatError.nothingToRetry.description)])
    }

    func testATurnWhileAnotherRunsFails() async throws {
        let backend = FakeBackend(replies: [["a", "b", "c"]])
        backend.tokenDelay = .milliseconds(30)
        let chat = session(backend)
        let first = await chat.send("one")
        let second = await collect(await chat.send("two"))
        XCTAssertEqual(second, [.failed(ChatError.turnInProgress.description)])
        _ = await collect(first)
        let roles = await chat.conversation.messages.map(\.role)
        XCTAssertEqual(roles, [.user, .assistant])
    }

    func testAFailedTurnLeavesTheConversationAsItWas() async throws {
        let backend = FakeBackend(contextLength: 300)
        let chat = session(backend)
        let tooLong = await collect(await chat.send(String(repeating: "x", count: 400)))
        guard case .failed(let line) = tooLong.last else { return XCTFail("\(tooLong)") }
        XCTAssertTrue(line.contains("tokens of context"), line)
        backend.failNext = InferenceError.contextOverflow(tokens: 9, contextLength: 8)
        let refused = await collect(await chat.send("hi"))
        XCTAssertEqual(refused.last, .failed(InferenceError.contextOverflow(tokens: 9, contextLength: 8).description))
        let messages = await chat.conversation.messages
        XCTAssertEqual(messages, [])
    }

    func testTemplateStopStringsAndExamplesReachTheRequest() async throws {
        let template = try PromptTemplate(
            name: "qa", description: "d", system: "Be short.", text: "Q: {{input}}",
            examples: [.init(input: "1+1", output: "2")], sampling: SamplingOverrides(temperature: 0.1),
            stop: ["\nQ:"])
        let backend = FakeBackend()
        let chat = session(backend)
        await chat.setTemplate(template)
        let events = await collect(await chat.send("2+2"))
        XCTAssertEqual(backend.requests[0].stopStrings, ["\nQ:"])
        XCTAssertEqual(backend.requests[0].sampling.temperature, 0.1, "the template's sampling defaults")
        let expected = "<|im_start|>system\nBe short.<|im_end|>\n<|im_start|>user\nQ: 1+1<|im_end|>\n"
            + "<|im_start|>assistant\n2<|im_end|>\n<|im_start|>user\nQ: 2+2<|im_end|>\n<|im_start|>assistant\n"
        XCTAssertEqual(backend.requests[0].prompt, backend.tokenize(expected))
        guard case .finished(let reply) = events.last else { return XCTFail("\(events)") }
        XCTAssertEqual(reply.generation?.template, "qa")
    }

    func testSwitchingTemplateKeepsEarlierTurnsAsTheyWereSent() async throws {
        let library = TemplateLibrary(directories: [PromptTemplateTests.shippedPrompts])
        let backend = FakeBackend(replies: [["I love programming."], ["4"]])
        let chat = session(backend, library: library)
        try await chat.setTemplate(named: "translate")
        _ = await collect(await chat.send("我喜欢编程"))
        await chat.setTemplate(nil)
        await chat.setSystemPrompt("You are terse.")
        _ = await collect(await chat.send("2+2?"))
        let expected = "<|im_start|>system\nYou are terse.<|im_end|>\n"
            + "<|im_start|>user\nTranslate into English:\n我喜欢编程<|im_end|>\n"
            + "<|im_start|>assistant\nI love programming.<|im_end|>\n"
            + "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n"
        XCTAssertEqual(backend.requests[1].prompt, backend.tokenize(expected))
    }

    func testAPreviewIsWhatTheNextTurnSends() async throws {
        let backend = FakeBackend()
        let chat = session(backend)
        let preview = try await chat.preview("Hello?")
        _ = await collect(await chat.send("Hello?"))
        XCTAssertEqual(preview.tokens, backend.requests[0].prompt)
        XCTAssertEqual(preview.tokenCount, preview.text.unicodeScalars.count)
        XCTAssertEqual(preview.cached, 0)
        let after = try await chat.preview("Next")
        XCTAssertGreaterThan(after.cached, preview.tokenCount, "the first turn is in the cache")
    }

    func testALongConversationIsTrimmedAndNeverExceedsTheBudget() async throws {
        let backend = FakeBackend(contextLength: 1024, replies: [[String(repeating: "r", count: 60)]])
        var settings = SamplingSettings.default
        settings.maxTokens = 128
        let chat = session(backend, sampling: settings)
        var trims: [Int] = []
        for turn in 0..<30 {
            let events = await collect(await chat.send("Turn \(turn): " + String(repeating: "q", count: 60)))
            for event in events {
                if case .contextTrimmed(let dropped) = event { trims.append(dropped) }
                if case .failed(let line) = event { XCTFail(line) }
            }
        }
        let window = ContextWindow(budget: 1024, maxTokens: 128)
        for request in backend.requests {
            XCTAssertLessThanOrEqual(request.prompt.count, window.promptLimit)
            XCTAssertLessThanOrEqual(request.prompt.count + request.maxTokens, 1024)
        }
        XCTAssertFalse(trims.isEmpty)
        XCTAssertEqual(trims, trims.sorted(), "dropped turns are never brought back")
        XCTAssertEqual(trims.first.map { $0 % 2 }, 0, "whole turns")
        // Between cuts the prefix holds: most turns prefill only their new part.
        let cheap = backend.prefilled.filter { $0 < 200 }.count
        XCTAssertGreaterThan(cheap, backend.prefilled.count / 2, "\(backend.prefilled)")
    }
}
