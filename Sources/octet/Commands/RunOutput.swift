import Foundation
import OctetInference

/// How `octet run` shows a reply: each piece written to stdout the moment it comes
/// (unbuffered, so it streams through pipes too), or, with `--json`, one object at the end.
/// On a terminal the model's control characters are shown as symbols, never obeyed
/// (`TerminalOutput`); through a pipe the text is exact.
final class RunOutput {
    private let json: Bool
    private var text = ""
    private var ids: [Int] = []
    private var stats: GenerationStats?
    /// Whether the last byte written to stdout was a newline (nothing written counts).
    private var atLineStart = true

    init(json: Bool) {
        self.json = json
    }

    func handle(_ event: GenerationEvent) {
        switch event {
        case .token(let id, let piece):
            ids.append(id)
            show(piece)
        case .finished(let piece, let stats):
            show(piece)
            self.stats = stats
        }
    }

    private func show(_ piece: String) {
        guard !piece.isEmpty else { return }
        text += piece
        guard !json else { return }
        write(TerminalOutput.text(piece))
    }

    private func write(_ bytes: String) {
        FileHandle.standardOutput.write(Data(bytes.utf8))
        atLineStart = bytes.hasSuffix("\n")
    }

    /// Ends the output: a newline after streamed text (always after Ctrl-C, whose `^C` the
    /// terminal echoed on the current line), or the JSON object.
    func finish() throws {
        let cancelled = stats?.stopReason == .cancelled
        let onTerminal = isatty(STDOUT_FILENO) != 0
        guard json else {
            if !atLineStart || (cancelled && onTerminal) { write("\n") }
            return
        }
        if cancelled && onTerminal { write("\n") }
        let object = RunJSON(text: text, ids: ids, stats: RunJSON.Stats(stats))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let encoded = TerminalOutput.json(try encoder.encode(object))
        write(String(decoding: encoded, as: UTF8.self) + "\n")
    }
}

/// The `--json` object of DESIGN.md: `text`, `ids` (generated, without the stop token) and
/// `stats`.
struct RunJSON: Encodable {
    var text: String
    var ids: [Int]
    var stats: Stats

    struct Stats: Encodable {
        var promptTokens = 0
        var promptTokensPerSecond = 0.0
        var generatedTokens = 0
        var tokensPerSecond = 0.0
        var timeToFirstToken = 0.0
        var stopReason = StopReason.cancelled

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", promptTokensPerSecond = "prompt_tok_s"
            case generatedTokens = "generated_tokens", tokensPerSecond = "tok_s"
            case timeToFirstToken = "ttft_s", stopReason = "stop_reason"
        }

        init(_ stats: GenerationStats?) {
            guard let stats else { return }
            promptTokens = stats.promptTokens
            promptTokensPerSecond = stats.promptTokensPerSecond
            generatedTokens = stats.generatedTokens
            tokensPerSecond = stats.tokensPerSecond
            timeToFirstToken = stats.timeToFirstToken
            stopReason = stats.stopReason
        }
    }
}
