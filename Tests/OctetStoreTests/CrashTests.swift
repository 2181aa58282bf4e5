import Foundation
import GRDB
import OctetChat
import XCTest
@testable import OctetStore

/// Processes that write a streaming reply through the store and are killed with SIGKILL, or
/// share one database with others. The writer is this test bundle itself, started again with
/// a filter that runs only `CrashChildProcess` (the same store API the chat screen and
/// `octet run --save` use: `createConversation`, `appendUserMessage`, `ReplyRecorder`).
final class CrashTests: XCTestCase {
    // MARK: - Child processes

    private func startChild(database: String, tag: String, words: Int? = nil) throws -> Process {
        let arguments = ProcessInfo.processInfo.arguments
        let binary = URL(fileURLWithPath: arguments[0]).standardizedFileURL
        try XCTSkipUnless(
            FileManager.default.isExecutableFile(atPath: binary.path), "no test binary to re-run")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["OctetStoreTests.CrashChildProcess/testWriteAStreamingReply"]
        var environment = ProcessInfo.processInfo.environment
        environment["OCTET_CRASH_CHILD_DB"] = database
        environment["OCTET_CRASH_CHILD_TAG"] = tag
        if let words { environment["OCTET_CRASH_CHILD_WORDS"] = String(words) }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The question and reply of the child tagged `tag`, if it got that far.
    private func exchange(_ db: AppDatabase, tag: String) throws -> (Message, Message?)? {
        let id = try db.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT conversationId FROM message WHERE content = ?",
                arguments: [CrashChildProcess.question(tag)])
        }
        guard let id else { return nil }
        let messages = try db.loadConversation(id: id).messages
        return (messages[0], messages.count > 1 ? messages[1] : nil)
    }

    private func waitForFirstFlush(_ db: AppDatabase, tag: String, child: Process) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, child.isRunning {
            if let (_, reply) = try exchange(db, tag: tag), let reply, !reply.content.isEmpty {
                return
            }
            usleep(5_000)
        }
        XCTFail("child \(tag) never flushed its reply")
    }

    // MARK: - Tests

    func testKillingAWriterAtRandomMomentsLosesNothingCommitted() throws {
        let path = try makeTemporaryDirectory().appendingPathComponent("octet.sqlite").path
        _ = try AppDatabase(path: path)
        let observer = try AppDatabase(path: path)
        var seen: [String: Int] = [:]  // tag -> reply length seen after its kill
        for round in 0..<20 {
            let tag = "round\(round)"
            let child = try startChild(database: path, tag: tag)
            // Every fourth kill lands while the child starts (opening, migrating, writing
            // the question: the "model load" moment); the others after the first flush.
            let early = round % 4 == 0
            if early {
                usleep(UInt32.random(in: 0...150_000))
            } else {
                try waitForFirstFlush(observer, tag: tag, child: child)
                usleep(UInt32.random(in: 0...300_000))
            }
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            XCTAssertEqual(child.terminationReason, .uncaughtSignal, tag)

            let db = try AppDatabase(path: path)
            XCTAssertEqual(try db.integrityCheck(), "ok", tag)
            if let (question, reply) = try exchange(db, tag: tag) {
                XCTAssertTrue(question.complete)
                if let reply {
                    XCTAssertFalse(reply.complete, "a killed reply reads as interrupted")
                    XCTAssertNil(reply.generation?.stopReason)
                    seen[tag] = reply.content.count
                }
            } else {
                XCTAssertTrue(early, "\(tag): the question was committed before the kill")
            }
            if !early { XCTAssertGreaterThan(seen[tag] ?? 0, 0, "\(tag): a partial reply") }
            // Nothing committed in earlier rounds was lost.
            for (earlier, length) in seen {
                let reply = try XCTUnwrap(try exchange(db, tag: earlier)?.1, earlier)
                XCTAssertEqual(reply.content.count, length, earlier)
            }
        }
        XCTAssertGreaterThanOrEqual(seen.count, 15)
    }

    func testTwoWritersAndAReaderShareOneDatabase() throws {
        // Given two processes streaming replies into one database while this one writes too
        let path = try makeTemporaryDirectory().appendingPathComponent("octet.sqlite").path
        let children = try ["a", "b"].map { try startChild(database: path, tag: $0, words: 150) }
        let db = try AppDatabase(path: path)
        for turn in 0..<30 {
            let id = try db.createConversation(Conversation(title: "parent \(turn)")).id!
            try db.appendUserMessage("parent question \(turn)", to: id)
            usleep(10_000)
        }
        // When they finish
        for child in children { child.waitUntilExit() }
        // Then every process succeeded and every write is there
        XCTAssertEqual(children.map(\.terminationStatus), [0, 0])
        for tag in ["a", "b"] {
            let reply = try XCTUnwrap(try exchange(db, tag: tag)?.1, tag)
            XCTAssertTrue(reply.complete, tag)
            XCTAssertEqual(reply.content.split(separator: " ").count, 150, tag)
        }
        XCTAssertEqual(try db.listConversations().count, 32)
        XCTAssertEqual(try db.integrityCheck(), "ok")
    }
}

/// The child process of `CrashTests`: run alone, with `OCTET_CRASH_CHILD_DB` set, it writes
/// one conversation and streams a reply into it, word by word, until it is killed (or, with
/// `OCTET_CRASH_CHILD_WORDS`, until it has written that many words and finished the reply).
/// In a normal test run it has nothing to do and is skipped.
final class CrashChildProcess: XCTestCase {
    static func question(_ tag: String) -> String { "question from \(tag)" }

    func testWriteAStreamingReply() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment["OCTET_CRASH_CHILD_DB"] else {
            throw XCTSkip("only runs as the child process of CrashTests")
        }
        let tag = environment["OCTET_CRASH_CHILD_TAG"] ?? "child"
        let words = environment["OCTET_CRASH_CHILD_WORDS"].flatMap { Int($0) }
        let db = try AppDatabase(path: path)
        let id = try db.createConversation(Conversation(model: "m.gguf")).id!
        try db.appendUserMessage(Self.question(tag), to: id)
        let recorder = try ReplyRecorder(
            database: db, conversationID: id, generation: GenerationInfo(model: "m.gguf"),
            interval: 0.05)
        var index = 0
        while words.map({ index < $0 }) ?? true {
            try recorder.append("word\(index) ")
            index += 1
            usleep(2_000)
        }
        try recorder.finish(generation: GenerationInfo(model: "m.gguf", stopReason: "length"))
    }
}
