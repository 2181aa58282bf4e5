import XCTest
@testable import OctetChat

/// Every format of chat_formats.json against its golden renderings, byte for byte.
final class ChatFormatGoldenTests: XCTestCase {
    var file: ChatFormatsFile!

    override func setUpWithError() throws {
        file = try Fixtures.decode(ChatFormatsFile.self, "chat_formats.json")
    }

    func testTheTenFormatsAreTheFilesFormatsInOrder() {
        XCTAssertEqual(file.formats.map(\.name), ChatFormat.names)
        XCTAssertEqual(ChatFormat.allCases.count, 10)
    }

    /// Every case with `expected`: the UTF-8 bytes must be identical.
    func testEveryExpectedCaseRendersByteForByte() throws {
        var checked = 0
        for format in file.formats {
            let chat = try XCTUnwrap(ChatFormat(name: format.name))
            for testCase in format.cases {
                guard let expected = testCase.expected else { continue }
                let got = try chat.render(
                    testCase.messages, bos: testCase.bos_token, eos: testCase.eos_token,
                    addGenerationPrompt: testCase.add_generation_prompt)
                XCTAssertEqual(
                    Array(got.utf8), Array(expected.utf8), "\(format.name) \(testCase.name)\n\(got.debugDescription)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 61, "number of expected cases in chat_formats.json")
    }

    /// Where the real template raises for a system message (gemma, mistral-v0.2), Octet
    /// folds it into the first user message; llama.cpp's own expected string for the standard
    /// conversation is then matched exactly.
    func testSystemMessagesAreFoldedWhereTheTemplateRejectsThem() throws {
        for name in ["gemma", "mistral-v0.2"] {
            let format = try XCTUnwrap(file.formats.first { $0.name == name })
            let check = try XCTUnwrap(format.llamacpp_crosscheck)
            XCTAssertEqual(check.system_folded_into_first_user?.match, true)
            let standard = try XCTUnwrap(format.cases.first { $0.name == "g_llamacpp_standard_6msg" })
            XCTAssertNotNil(standard.error, "the real template rejects it")
            let got = try XCTUnwrap(ChatFormat(name: name)).render(
                standard.messages, bos: check.bos_token, eos: check.eos_token)
            XCTAssertEqual(got, check.llamacpp_expected, name)
            XCTAssertEqual(got, check.system_folded_into_first_user?.jinja2_output, name)
        }
    }

    /// The other rejected cases of gemma and mistral-v0.2 all carry a leading system message;
    /// each renders as the same conversation with the system text put before the first user
    /// text by hand.
    func testEveryRejectedCaseOfTheFoldingFormatsRendersFolded() throws {
        var checked = 0
        for format in file.formats where ["gemma", "mistral-v0.2"].contains(format.name) {
            let chat = try XCTUnwrap(ChatFormat(name: format.name))
            for testCase in format.cases where testCase.error != nil {
                var messages = testCase.messages
                XCTAssertEqual(messages.first?.role, .system, testCase.name)
                let system = messages.removeFirst()
                messages[0].content = system.content + "\n" + messages[0].content
                let folded = try chat.render(
                    testCase.messages, bos: testCase.bos_token, eos: testCase.eos_token,
                    addGenerationPrompt: testCase.add_generation_prompt)
                let byHand = try chat.render(
                    messages, bos: testCase.bos_token, eos: testCase.eos_token,
                    addGenerationPrompt: testCase.add_generation_prompt)
                XCTAssertEqual(folded, byHand, "\(format.name) \(testCase.name)")
                XCTAssertTrue(folded.contains(system.content + "\n"), testCase.name)
                checked += 1
            }
        }
        XCTAssertEqual(checked, 9)
    }

    func testFoldedGemmaTextIsExact() throws {
        let text = try ChatFormat.gemma.render([.system("Be brief."), .user("Hi")])
        XCTAssertEqual(text, "<start_of_turn>user\nBe brief.\nHi<end_of_turn>\n<start_of_turn>model\n")
        let mistral = try ChatFormat.mistralV02.render([.system("Be brief."), .user("Hi")], bos: "<s>")
        XCTAssertEqual(mistral, "<s>[INST] Be brief.\nHi [/INST]")
        let alone = try ChatFormat.gemma.render([.system("Only this.")])
        XCTAssertEqual(alone, "<start_of_turn>user\nOnly this.<end_of_turn>\n<start_of_turn>model\n")
    }

    func testPhi3DropsSystemMessagesAsItsTemplateDoes() throws {
        XCTAssertEqual(ChatFormat.phi3.systemMessages, .dropped)
        XCTAssertEqual(
            try ChatFormat.phi3.render([.system("S"), .user("U")]), "<|user|>\nU<|end|>\n<|assistant|>\n")
    }

    // MARK: - Errors other than a system message

    func testBrokenAlternationIsAClearError() {
        let twoUsers: [ChatMessage] = [.user("a"), .user("b")]
        for format in [ChatFormat.gemma, .mistralV02, .mistralV1, .llama2Sys] {
            XCTAssertThrowsError(try format.render(twoUsers)) { error in
                XCTAssertEqual(
                    error as? ChatError, .roleAlternation(format: format.name, index: 1, role: .user))
                XCTAssertTrue("\(error)".contains("must alternate"), "\(error)")
            }
        }
        XCTAssertThrowsError(try ChatFormat.gemma.render([.assistant("first")]))
        // Formats without the check render it.
        XCTAssertNoThrow(try ChatFormat.chatml.render(twoUsers))
    }

    func testMistralV1RejectsALaterSystemMessage() {
        let messages: [ChatMessage] = [.user("a"), .system("late")]
        XCTAssertThrowsError(try ChatFormat.mistralV1.render(messages)) { error in
            XCTAssertEqual(error as? ChatError, .unsupportedRole(format: "mistral-v1", index: 1, role: .system))
        }
    }

    // MARK: - Detection

    func testMarkersAreThoseOfTheFile() throws {
        for format in file.formats {
            let chat = try XCTUnwrap(ChatFormat(name: format.name))
            XCTAssertEqual(chat.markers, format.markers, format.name)
            XCTAssertEqual(chat.absentMarkers, format.absent_markers, format.name)
        }
    }

    func testEachTemplateIsDetectedAsItsOwnFormat() throws {
        for format in file.formats {
            let detection = ChatFormat.detect(template: format.template)
            XCTAssertEqual(detection.format.name, format.name)
            XCTAssertNil(detection.warning)
        }
    }

    func testUnknownOrMissingTemplateFallsBackToChatMLWithAWarning() {
        let unknown = ChatFormat.detect(template: "{{ messages[0]['content'] }}")
        XCTAssertEqual(unknown.format, .chatml)
        XCTAssertNotNil(unknown.warning)
        XCTAssertTrue(unknown.warning!.contains("ChatML"))
        let missing = ChatFormat.detect(template: nil)
        XCTAssertEqual(missing.format, .chatml)
        XCTAssertNotNil(missing.warning)
    }

    func testPythonStripMatchesJinjaTrim() {
        XCTAssertEqual(" \t\r\n\u{1C}a b\u{3000}\u{A0}".strippedLikePython, "a b")
        XCTAssertEqual("\u{200B}x\u{200B}".strippedLikePython, "\u{200B}x\u{200B}", "ZWSP is not whitespace")
        XCTAssertEqual("   ".strippedLikePython, "")
    }
}
