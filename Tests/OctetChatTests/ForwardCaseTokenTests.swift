import XCTest
import OctetGGUF
import OctetInference
@testable import OctetChat

/// The three `chat` cases of forward_cases.json: rendered with the format detected from the
/// model's own chat template and tokenized with the model's tokenizer, they must give exactly
/// the reference `prompt_ids`.
final class ForwardCaseTokenTests: XCTestCase {
    func testChatCasesRenderAndTokenizeToTheReferenceIDs() throws {
        let file = try Fixtures.decode(ForwardCasesFile.self, "forward_cases.json")
        let model = try ModelTokenizer(file: GGUFFile(path: Fixtures.defaultModelPath))
        let detection = ChatFormat.detect(template: model.chatTemplate)
        XCTAssertEqual(detection.format, .chatmlSmolLM2)
        XCTAssertNil(detection.warning)

        let chats = file.cases.filter { $0.kind == "chat" }
        XCTAssertEqual(chats.count, 3)
        for testCase in chats {
            let messages = try XCTUnwrap(testCase.messages)
            let text = try detection.format.render(messages, bos: model.textBOS, eos: model.textEOS)
            XCTAssertEqual(text, testCase.prompt, testCase.name)
            XCTAssertEqual(model.encodePrompt(text), testCase.prompt_ids, testCase.name)
        }
    }
}
