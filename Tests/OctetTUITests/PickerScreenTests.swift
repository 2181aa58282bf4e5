import Foundation
import OctetChat
import XCTest

@testable import OctetTUI

/// F2 and F3 as the user sees them, and the keys that drive them.
final class PickerScreenTests: XCTestCase {
    typealias T = TestSupport

    func testTemplatePickerWithPreview() {
        var state = T.state(columns: 64, rows: 18)
        let effects = T.apply(&state, T.type("Why?") + [T.key(.function(2))])
        XCTAssertTrue(effects.contains(.loadTemplates))
        XCTAssertTrue(effects.contains(.previewTemplate(name: "zero-shot", state.conversation, input: "Why?")))
        T.apply(&state, [T.key(.down)])
        let preview = TemplatePreview(text: "<|im_start|>user\nExample: ...\nWhy?<|im_end|>", tokenCount: 31)
        T.apply(&state, [.templatePreviewed(name: "few-shot", preview)])
        Golden.assert("template-picker", T.text(state))
        let chosen = T.apply(&state, [T.key(.enter)])
        XCTAssertEqual(state.conversation.template, "few-shot")
        XCTAssertNil(state.overlay)
        XCTAssertEqual(chosen, [], "not stored yet: the settings go with the first message")
    }

    func testConversationListNewestFirstAndSearch() {
        var state = T.state(columns: 64, rows: 14)
        XCTAssertEqual(T.apply(&state, [T.key(.function(3))]), [.listConversations(query: "")])
        T.apply(&state, [.conversationsListed(query: "", Self.items)])
        Golden.assert("conversation-list", T.text(state))
        let typed = T.apply(&state, T.type("pa"))
        XCTAssertEqual(typed, [.listConversations(query: "p"), .listConversations(query: "pa")])
        T.apply(&state, [.conversationsListed(query: "p", Self.items)])  // stale: ignored
        var found = Self.items[1]
        found.snippet = "…the capital of France is Paris…"
        T.apply(&state, [.conversationsListed(query: "pa", [found])])
        Golden.assert("conversation-search", T.text(state))
        XCTAssertEqual(T.apply(&state, [T.key(.enter)]), [.loadConversation(id: 11)])
    }

    func testRenameAndDeleteInConversationList() {
        var state = T.state(columns: 64, rows: 14)
        T.apply(&state, [T.key(.function(3)), .conversationsListed(query: "", Self.items), T.key(.down), T.key(.character("r"))])
        T.apply(&state, [T.key(.control("u"))] + T.type("Paris 巴黎"))
        Golden.assert("conversation-rename", T.text(state))
        XCTAssertEqual(T.apply(&state, [T.key(.enter)]), [.renameConversation(id: 11, title: "Paris 巴黎")])
        T.apply(&state, [.conversationRenamed(id: 11, title: "Paris 巴黎"), T.key(.character("d"))])
        Golden.assert("conversation-delete", T.text(state))
        XCTAssertEqual(T.apply(&state, [T.key(.character("y"))]), [.deleteConversation(id: 11)])
        T.apply(&state, [.conversationDeleted(id: 11)])
        guard case .conversations(let picker)? = state.overlay else { return XCTFail("list closed") }
        XCTAssertEqual(picker.items.map(\.id), [12, 10])
    }

    func testDeleteNeedsConfirmation() {
        var state = T.state(columns: 64, rows: 14)
        T.apply(&state, [T.key(.function(3)), .conversationsListed(query: "", Self.items), T.key(.character("d"))])
        XCTAssertEqual(T.apply(&state, [T.key(.character("n"))]), [], "any key but y keeps it")
    }

    static let items = [
        ConversationSummary(id: 12, title: "Swift generics", updated: Date(timeIntervalSince1970: T.epoch + 7200), messageCount: 4),
        ConversationSummary(id: 11, title: "Trip to Paris", updated: Date(timeIntervalSince1970: T.epoch + 3600), messageCount: 6),
        ConversationSummary(id: 10, title: "学习中文", updated: Date(timeIntervalSince1970: T.epoch), messageCount: 2),
    ]
}
