import Foundation

/// A message's text cut into what the transcript shows differently: chain-of-thought
/// reasoning (folded to one line unless expanded), prose, and fenced code blocks.
public struct MessageBody: Equatable, Sendable {
    public enum Block: Equatable, Sendable {
        case prose(String)
        /// A fenced code block: its language tag ("" if none) and its lines.
        case code(language: String, lines: [String])
    }

    /// The reasoning before the answer, if the reply has any (`<think>...</think>`, or the
    /// text before the template's answer marker).
    public var reasoning: String?
    /// True while the reasoning is still being written (no end marker yet).
    public var reasoningOpen = false
    public var blocks: [Block]

    // MARK: - Splitting

    /// Splits `text`. `answerMarker` is the chain-of-thought template's answer cue; while
    /// `streaming`, text before a marker that has not come yet counts as reasoning.
    public init(_ text: String, answerMarker: String? = nil, streaming: Bool = false) {
        var answer = text
        if let (thought, rest, open) = Self.splitThink(text) {
            reasoning = thought
            reasoningOpen = open && streaming
            answer = rest
        } else if let marker = answerMarker, !marker.isEmpty {
            if let range = answer.range(of: marker, options: .backwards) {
                let thought = answer[..<range.lowerBound].trimmingCharacters(
                    in: .whitespacesAndNewlines)
                if !thought.isEmpty {
                    reasoning = thought
                    answer = String(answer[range.lowerBound...])
                }
            } else if streaming, !answer.isEmpty {
                reasoning = answer
                reasoningOpen = true
                answer = ""
            }
        }
        blocks = Self.splitCode(answer)
    }

    /// `<think>` at the start (after spaces): the thought, the text after `</think>`, and
    /// whether the tag is still open.
    private static func splitThink(_ text: String) -> (String, String, Bool)? {
        let trimmed = text.drop { $0.isWhitespace }
        guard trimmed.hasPrefix("<think>") else { return nil }
        let body = trimmed.dropFirst("<think>".count)
        guard let end = body.range(of: "</think>") else {
            return (body.trimmingCharacters(in: .whitespacesAndNewlines), "", true)
        }
        let thought = body[..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        let rest = body[end.upperBound...].drop { $0.isWhitespace }
        return (thought, String(rest), false)
    }

    /// Prose and ``` fenced blocks, in order. An unclosed fence (a reply still streaming)
    /// runs to the end.
    static func splitCode(_ text: String) -> [Block] {
        var blocks: [Block] = []
        var prose: [String] = []
        var code: [String]?
        var language = ""
        func flushProse() {
            let joined = prose.joined(separator: "\n")
            if !joined.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                blocks.append(.prose(joined.trimmingCharacters(in: .newlines)))
            }
            prose = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let fence = line.drop { $0 == " " }
            if fence.hasPrefix("```") {
                if let lines = code {
                    blocks.append(.code(language: language, lines: lines))
                    code = nil
                } else {
                    flushProse()
                    language = fence.dropFirst(3).trimmingCharacters(in: .whitespaces)
                    code = []
                }
            } else if code != nil {
                code?.append(String(line))
            } else {
                prose.append(String(line))
            }
        }
        if let lines = code { blocks.append(.code(language: language, lines: lines)) }
        flushProse()
        return blocks
    }

    /// The text of every fenced code block in `text` (for `/copy N code`).
    public static func codeBlocks(in text: String) -> [String] {
        splitCode(text).compactMap { block in
            if case .code(_, let lines) = block { return lines.joined(separator: "\n") }
            return nil
        }
    }

    /// Words in the reasoning, for its folded line.
    public var reasoningWords: Int {
        reasoning?.split(whereSeparator: \.isWhitespace).count ?? 0
    }
}
