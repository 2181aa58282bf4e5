import Foundation
import OctetChat
import OctetInference
import OctetStore
import XCTest

/// Issue 8, long use: many turns in one process through the whole stack a chat screen uses
/// (model, `ChatSession` in a 512-token window, far shorter than the conversation, the store
/// writing every message), with flat memory once the window is full (the KV cache's pages
/// are touched as it fills, so the baseline is taken a few turns after the first trim). `make test` runs a short form; `make check` sets `OCTET_LONG_USE_TURNS=1000`.
/// Speed is printed for the note, not asserted (the machine is shared and noisy).
final class LongUseTests: XCTestCase {
    static var turns: Int {
        Int(ProcessInfo.processInfo.environment["OCTET_LONG_USE_TURNS"] ?? "") ?? 45
    }

    static var modelPath: String {
        let env = ProcessInfo.processInfo.environment
        let home = env["HOME"] ?? NSHomeDirectory()
        let data = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        return data + "/octet/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    /// Resident set size in bytes (`/proc/self/statm`, second field, in pages).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    func testManyTurnsKeepMemoryFlatAndEveryMessageStored() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("octet-longuse-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try AppDatabase(path: folder.appendingPathComponent("octet.sqlite").path)
        let backend = try LocalBackend(model: try LanguageModel.load(path: Self.modelPath), contextLength: 512)
        var settings = SamplingSettings.default
        settings.maxTokens = 6
        settings.seed = 11
        let conversation = try store.createConversation(Conversation(sampling: settings))
        let session = ChatSession(
            backend: backend, format: backend.chatFormat.format, bos: backend.textBOS,
            eos: backend.textEOS, conversation: conversation)

        var firstTrim: Int?, baselineTurn: Int?
        var baseline = 0, peakAfterWarmUp = 0, dropped = 0
        var speeds: [Double] = []
        for turn in 0..<Self.turns {
            let question = "Question \(turn): name one more animal that lives in the sea."
            _ = try store.appendUserMessage(question, to: conversation.id!)
            let recorder = try ReplyRecorder(database: store, conversationID: conversation.id!)
            var reply: Message?
            for await event in await session.send(question) {
                switch event {
                case .text(let piece): try recorder.append(piece)
                case .finished(let message): reply = message
                case .contextTrimmed(let count):
                    dropped = max(dropped, count)
                    firstTrim = firstTrim ?? turn
                case .failed(let line): XCTFail("turn \(turn): \(line)")
                default: break
                }
            }
            let done = try XCTUnwrap(reply, "turn \(turn)")
            try recorder.finish(generation: done.generation)
            speeds.append(done.generation?.tokensPerSecond ?? 0)
            if let firstTrim, turn == firstTrim + 5 {
                baseline = Self.residentBytes()
                baselineTurn = turn
            } else if baselineTurn != nil {
                peakAfterWarmUp = max(peakAfterWarmUp, Self.residentBytes())
            }
        }

        let stored = try store.loadConversation(id: conversation.id!)
        XCTAssertEqual(stored.messages.count, 2 * Self.turns)
        XCTAssertTrue(stored.messages.allSatisfy(\.complete))
        XCTAssertEqual(try store.integrityCheck(), "ok")
        let measuredFrom = try XCTUnwrap(baselineTurn, "the conversation never outgrew the window")
        XCTAssertGreaterThan(Self.turns - measuredFrom, 20)
        let growth = Double(peakAfterWarmUp - baseline) / Double(baseline)
        XCTAssertLessThan(growth, 0.05, "RSS grew from \(baseline) to \(peakAfterWarmUp) bytes")
        func median(_ values: ArraySlice<Double>) -> Double { values.sorted()[values.count / 2] }
        // Speed is reported, not asserted (timed assertions fail on a busy machine). The first
        // turns have an almost empty context; once the window is full every turn has about the
        // same length to attend over, so those after the baseline turn are the ones to compare.
        let window = max(1, Self.turns / 10)
        let full = speeds[measuredFrom...]
        print(String(
            format: "long use: %d turns, RSS %.1f MB at turn %d, peak after %.1f MB (%+.2f%%), "
                + "tok/s median first %d turns %.1f, first %d with a full window %.1f, last %d %.1f, "
                + "up to %d messages outside the context",
            Self.turns, Double(baseline) / 1e6, measuredFrom, Double(peakAfterWarmUp) / 1e6, growth * 100,
            window, median(speeds.prefix(window)), window, median(full.prefix(window)), window,
            median(speeds.suffix(window)), dropped))
    }
}
