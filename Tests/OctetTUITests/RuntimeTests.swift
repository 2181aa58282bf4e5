import Foundation
import OctetChat
import XCTest

@testable import OctetTUI

/// The runtime with a recording terminal and fake services: events in, effects run,
/// results back, frames drawn, the terminal given back.
final class RuntimeTests: XCTestCase {
    typealias Step = RecordingBackend.Step

    func makeRuntime(_ backend: RecordingBackend, _ services: FakeChatServices, draft: DraftFile? = nil) -> Runtime {
        let options = Runtime.Options(
            conversation: Conversation(template: "zero-shot"), modelName: "fake-model",
            themes: ThemeTests.shipped, draft: draft, exportDirectory: NSTemporaryDirectory())
        return Runtime(backend: backend, services: services, options: options)
    }

    func testSendStreamSaveAndQuit() throws {
        let script: [Step] = Step.type("Hi 你好", after: "Type a message") + [
            .key(.enter),
            .key(.interrupt, after: "model."),  // idle again: Ctrl-C quits
        ]
        let backend = RecordingBackend(script: script)
        let services = FakeChatServices()
        let runtime = makeRuntime(backend, services)
        try runtime.runLoop()
        XCTAssertTrue(backend.started && backend.stopped, "the terminal is given back")
        XCTAssertTrue(backend.screen.contains("Hello from the model."), backend.screen)
        XCTAssertEqual(services.calls.first, "create 101")
        XCTAssertTrue(services.calls.contains("startTurn 101 1"), "the turn waits for the conversation's id: \(services.calls)")
        let stored = try XCTUnwrap(services.stored[101])
        XCTAssertEqual(stored.messages.map(\.content), ["Hi 你好", "Hello from the model."])
        XCTAssertEqual(stored.messages.last?.complete, true)
        XCTAssertGreaterThan(runtime.stats.frames, 2)
    }

    func testCtrlCStopsAndTheStoppedReplyIsStored() throws {
        let script: [Step] = Step.type("long", after: "Type a message") + [
            .key(.enter),
            .key(.interrupt, after: "word3"),
            .key(.interrupt, after: "stopped;"),
        ]
        let backend = RecordingBackend(script: script)
        let services = FakeChatServices(replyPieces: (1...200).map { "word\($0) " }, pieceDelay: 0.01)
        try makeRuntime(backend, services).runLoop()
        XCTAssertTrue(services.calls.contains("cancelTurn"))
        let reply = try XCTUnwrap(services.stored[101]?.messages.last)
        XCTAssertFalse(reply.complete)
        XCTAssertTrue(reply.content.hasPrefix("word1 word2 word3"), reply.content)
        XCTAssertLessThan(reply.content.count, 200 * 6, "stopped early")
    }

    func testOnlyChangedCellsAreWrittenAndResizeRepaints() throws {
        let script: [Step] = [
            .key(.character("a"), after: "Type a message"),
            .key(.character("b"), after: "› a"),
            .init(input: .resize(Size(columns: 40, rows: 10)), after: "› ab"),
            .key(.interrupt, after: "› ab"),
        ]
        let backend = RecordingBackend(script: script)
        try makeRuntime(backend, FakeChatServices()).runLoop()
        let typedB = try XCTUnwrap(backend.frames.firstIndex { $0.plainText.contains("› ab") })
        XCTAssertLessThan(backend.cellsWritten[typedB], 80, "typing one letter rewrites a few cells, not the screen")
        let resized = try XCTUnwrap(backend.frames.firstIndex { $0.size.columns == 40 })
        XCTAssertEqual(backend.cellsWritten[resized], 400, "after a resize every cell is drawn")
    }

    func testHangupSavesTheDraftAndAnOldDraftComesBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("octet-rt-\(UUID()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let draft = DraftFile(path: path)
        let first = RecordingBackend(script: Step.type("不要丢失 !", after: "Type a message"))
        let runtime = makeRuntime(first, FakeChatServices(), draft: draft)
        // SIGHUP's handler posts this event; the terminal has gone, nothing more is typed.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { runtime.queue.post(.hangup) }
        try runtime.runLoop()
        XCTAssertEqual(try draft.load(), "不要丢失 !")
        let second = RecordingBackend(script: [.key(.interrupt, after: "unsent draft")])
        let again = makeRuntime(second, FakeChatServices(), draft: draft)
        try again.runLoop()
        XCTAssertEqual(again.state.input.text, "不要丢失 !")
    }

    func testCopyGoesToTheClipboard() throws {
        let script: [Step] = Step.type("Hi", after: "Type a message") + [.key(.enter)]
            + Step.type("/copy", after: "model.") + [.key(.enter), .key(.interrupt, after: "copied")]
        let backend = RecordingBackend(script: script)
        try makeRuntime(backend, FakeChatServices()).runLoop()
        XCTAssertEqual(backend.clipboard, ["Hello from the model."])
    }
}
