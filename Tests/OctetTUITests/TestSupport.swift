import Foundation
import OctetChat
import XCTest

@testable import OctetTUI

/// Builders and drivers shared by the tests: a state at a size, events in a row, and the
/// rendered screen as text.
enum TestSupport {
    static let epoch = 1_700_000_000.0

    /// A state with the model ready and a few templates, at `columns`x`rows`.
    static func state(
        columns: Int = 60, rows: Int = 16, ready: Bool = true, template: String? = "zero-shot"
    ) -> AppState {
        var state = AppState(
            size: Size(columns: columns, rows: rows), modelName: "SmolLM2-135M",
            conversation: Conversation(created: Date(timeIntervalSince1970: epoch), template: template))
        state.now = epoch
        state.timeZone = TimeZone(identifier: "UTC")!
        state.templates = [
            TemplateSummary(name: "zero-shot", description: "The question as it is."),
            TemplateSummary(name: "few-shot", description: "Worked examples first."),
            TemplateSummary(name: "chain-of-thought", description: "Think step by step, then answer.", answerMarker: "Answer:"),
        ]
        state.themeNames = ["dark", "high-contrast", "light", "solarized"]
        if ready { state.model = .ready(name: "SmolLM2-135M", contextLength: 8192) }
        return state
    }

    /// Applies `events` in order; returns every effect they produced.
    @discardableResult
    static func apply(_ state: inout AppState, _ events: [Event]) -> [Effect] {
        events.flatMap { App.update(&state, $0) }
    }

    /// Types `text` one character at a time.
    static func type(_ text: String) -> [Event] {
        text.map { .input(.key(.character($0))) }
    }

    static func key(_ key: Key) -> Event { .input(.key(key)) }

    /// The screen as text, as golden tests compare it.
    static func text(_ state: AppState, theme: Theme = .fallback) -> String {
        App.render(state, size: state.size, theme: theme).plainText
    }

    /// Sends `question` and streams `pieces` of the reply at 10 tokens/s from `epoch`.
    static func exchange(
        _ state: inout AppState, _ question: String, reply pieces: [String], finish: Bool = true
    ) {
        apply(&state, type(question) + [key(.enter)])
        apply(&state, [.chat(.prompt(tokens: 20, cached: 0, contextLength: 8192), at: state.now)])
        let start = state.now
        for (i, piece) in pieces.enumerated() {
            apply(&state, [.chat(.text(piece), at: start + 0.1 * Double(i + 1))])
        }
        guard finish else { return }
        let info = GenerationInfo(
            model: "SmolLM2-135M", template: state.conversation.template, promptTokens: 20,
            generatedTokens: pieces.count, tokensPerSecond: 10, stopReason: "eos")
        let message = Message(role: .assistant, content: pieces.joined(), complete: true, generation: info)
        apply(&state, [.chat(.finished(message), at: start + 0.1 * Double(pieces.count + 1))])
    }

    /// Fails with both screens shown line by line when they differ.
    static func assertScreen(
        _ actual: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        if actual != expected {
            XCTFail("screen differs:\n--- actual\n\(actual)\n--- expected\n\(expected)", file: file, line: line)
        }
    }
}
