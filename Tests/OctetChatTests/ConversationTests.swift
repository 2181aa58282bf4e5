import XCTest
@testable import OctetChat

final class ConversationTests: XCTestCase {
    func testTitleIsTheFirstLineCutToTheLimit() {
        XCTAssertEqual(Conversation.title(fromFirstMessage: "  Hello there\nsecond"), "Hello there")
        let long = String(repeating: "编", count: 80)
        let title = Conversation.title(fromFirstMessage: long, limit: 10)
        XCTAssertEqual(title.count, 10)
        XCTAssertTrue(title.hasSuffix("…"))
    }

    func testCodableRoundTrip() throws {
        let reply = Message(
            role: .assistant, content: "Paris.", complete: false,
            generation: GenerationInfo(model: "m.gguf", seed: 7, stopReason: "cancelled"))
        let conversation = Conversation(
            title: "t", template: "few-shot",
            messages: [Message(role: .user, content: "我喜欢编程 🙂"), reply])
        let data = try JSONEncoder().encode(conversation)
        let back = try JSONDecoder().decode(Conversation.self, from: data)
        XCTAssertEqual(back, conversation)
    }
}
