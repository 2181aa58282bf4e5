import Foundation
import OctetChat
import OctetStore
import XCTest

/// `octet run --save` / `--resume ID` as a user runs them, and killed with SIGKILL at random
/// moments (issue 6): nothing committed is ever lost.
final class RunHistoryTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-runhistory-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    var database: String { directory.appendingPathComponent("octet.sqlite").path }

    func testSaveThenResumeStoresBothTurns() throws {
        let first = try OctetProcess.run(
            ["run", "--db", database, "--save", "-n", "8", "--temperature", "0", "Name a colour."])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stderr, "octet: saved as conversation 1\n")
        let second = try OctetProcess.run(
            ["run", "--db", database, "--resume", "1", "-n", "8", "--temperature", "0",
             "--template", "zero-shot", "And another?"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.stderr, "")

        let stored = try AppDatabase(path: database).loadConversation(id: 1)
        XCTAssertEqual(stored.title, "Name a colour.")
        XCTAssertEqual(stored.messages.map(\.role), [.user, .assistant, .user, .assistant])
        XCTAssertEqual(stored.messages[2].content, "And another?")
        XCTAssertEqual(stored.template, "zero-shot")
        XCTAssertEqual(stored.chatFormat, "chatml-smollm2")
        XCTAssertEqual(stored.sampling.temperature, 0)
        for (reply, printed) in [(stored.messages[1], first.stdout), (stored.messages[3], second.stdout)] {
            XCTAssertTrue(reply.complete)
            XCTAssertEqual(reply.content + "\n", printed)
            XCTAssertEqual(reply.generation?.stopReason, "length")
            XCTAssertEqual(reply.generation?.generatedTokens, 8)
            XCTAssertEqual(reply.generation?.modelHash?.count, 64)
        }
    }

    func testHistoryErrorsAreOneLine() throws {
        for (args, problem) in [
            (["run", "--db", database, "--resume", "42", "hi"], "octet: no conversation with id 42\n"),
            (["run", "--raw", "--save", "hi"], "octet: --save and --resume store a chat turn: not with --raw\n"),
            (["run", "--save", "--resume", "1", "hi"], "octet: --save and --resume exclude each other\n"),
        ] {
            let result = try OctetProcess.run(args)
            XCTAssertEqual(result.status, 1, "\(args)")
            XCTAssertEqual(result.stderr, problem, "\(args)")
        }
    }

    /// 20 rounds (`OCTET_SOAK_ROUNDS`, 100 in `make check`) alternating `--save` and
    /// `--resume 1`, each killed with SIGKILL: a quarter while the model loads, the others at a
    /// random moment after the first flush of the reply was seen. After
    /// each: integrity ok, every user message of every round present, each partial reply
    /// non-empty and marked incomplete; then a last resume runs to the end.
    func testKillNineAtRandomMomentsLosesNothingCommitted() throws {
        var rng = SystemRandomNumberGenerator()
        var questions: [String] = []
        let rounds = Int(ProcessInfo.processInfo.environment["OCTET_SOAK_ROUNDS"] ?? "") ?? 20
        for round in 0..<rounds {
            let question = "Tell me a long story, number \(round)."
            let resume = round > 0 && round % 2 == 0
            let args = ["run", "--db", database, "-n", "400", "--ignore-eos", "--temperature", "0.8"]
                + (resume ? ["--resume", "1"] : ["--save"]) + [question]
            let child = try OctetProcess.start(args)
            let duringLoad = round % 4 == 1
            if duringLoad {
                usleep(UInt32.random(in: 0...300_000, using: &rng))
            } else {
                try waitForReply(to: question, child: child)
                usleep(UInt32.random(in: 0...400_000, using: &rng))
            }
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            let db = try AppDatabase(path: database)
            XCTAssertEqual(try db.integrityCheck(), "ok", "round \(round)")
            let all = try allMessages(db)
            if all.contains(where: { $0.role == .user && $0.content == question }) {
                questions.append(question)
            } else {
                XCTAssertTrue(duringLoad, "round \(round): the question was lost")
            }
            for asked in questions {
                XCTAssertTrue(all.contains { $0.role == .user && $0.content == asked }, "round \(round): lost \(asked)")
            }
            if !duringLoad {
                let reply = try XCTUnwrap(replies(after: question, in: all).last, "round \(round)")
                XCTAssertFalse(reply.content.isEmpty, "round \(round)")
                XCTAssertFalse(reply.complete, "round \(round)")
            }
        }
        XCTAssertGreaterThanOrEqual(questions.count, rounds * 3 / 4)
        print("kill soak: \(rounds) SIGKILLs, \(questions.count) questions committed, none lost")
        let last = try OctetProcess.run(["run", "--db", database, "--resume", "1", "-n", "4", "Short, please."])
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertEqual(try AppDatabase(path: database).loadConversation(id: 1).messages.last?.complete, true)
    }

    // MARK: - Helpers

    private func allMessages(_ db: AppDatabase) throws -> [Message] {
        try db.listConversations(limit: 1_000).flatMap { try db.loadConversation(id: $0.id).messages }
    }

    /// The assistant messages that directly follow the user message `question`.
    private func replies(after question: String, in messages: [Message]) -> [Message] {
        zip(messages, messages.dropFirst())
            .filter { $0.0.role == .user && $0.0.content == question && $0.1.role == .assistant }
            .map(\.1)
    }

    /// Waits until the reply to `question` has been flushed with some text.
    private func waitForReply(to question: String, child: Process) throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, child.isRunning {
            if FileManager.default.fileExists(atPath: database),
               let db = try? AppDatabase(path: database),
               let all = try? allMessages(db),
               replies(after: question, in: all).contains(where: { !$0.content.isEmpty }) {
                return
            }
            usleep(20_000)
        }
        XCTFail("no reply to \(question) was flushed")
    }
}
