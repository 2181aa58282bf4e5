import Foundation
import OctetChat
import XCTest
@testable import OctetStore

/// Issue 6, acceptance 3: export to JSON, delete, import: the conversation is identical.
final class TranscriptRoundTripTests: XCTestCase {
    func testExportDeleteImportGivesTheSameConversationUnderANewId() throws {
        // Given a stored conversation with settings, a finished reply and an interrupted one
        let db = try AppDatabase.inMemory()
        var conversation = Fixtures.conversation(user: "我喜欢编程 🙂 rocket🚀launch")
        conversation.messages.append(
            Message(role: .assistant, content: "Part", created: Date(), complete: false,
                    generation: GenerationInfo(model: "m.gguf", seed: 1)))
        let stored = try db.createConversation(conversation)
        try db.renameConversation(id: stored.id!, to: "Renamed")
        let before = try db.loadConversation(id: stored.id!)
        // When it is exported, deleted and imported
        let json = try Transcript.json(before)
        try db.deleteConversation(id: stored.id!)
        let imported = try db.createConversation(Transcript.conversation(fromJSON: json))
        // Then it has a new id and is otherwise identical, also as read back from the store
        XCTAssertNotEqual(imported.id, before.id)
        let after = try db.loadConversation(id: imported.id!)
        XCTAssertEqual(Fixtures.withoutIDs(after), Fixtures.withoutIDs(before))
        XCTAssertEqual(try Transcript.json(after), try Transcript.json(
            { var c = before; c.id = after.id; return c }()))
        XCTAssertEqual(try db.search("编程").map(\.conversationID), [imported.id!])
    }
}
