import OctetChat

/// The pieces of a message's lines: its label, its folded or open reasoning, code blocks,
/// and the cursor of a reply that is still streaming.
extension TranscriptLayout {
    static func textElement(_ role: Role) -> ThemeElement {
        switch role {
        case .user: return .userText
        case .assistant: return .assistantText
        case .system: return .systemText
        }
    }

    /// "You", "Assistant · 2 · chain-of-thought", "Assistant · 3 · stopped".
    func labelLine(_ message: Message, index: Int, streaming: Bool) -> Line {
        let label: String
        let element: ThemeElement
        switch message.role {
        case .user: (label, element) = ("You", .userLabel)
        case .assistant: (label, element) = ("Assistant", .assistantLabel)
        case .system: (label, element) = ("System", .systemLabel)
        }
        var details: [String] = []
        if message.role == .assistant {
            details.append("\(assistantNumbers[index])")
            if let template = streaming ? state.turn?.template : message.generation?.template {
                details.append(template)
            }
            if !streaming, !message.complete { details.append("stopped") }
        }
        var segments = [Segment(text: label, element: element)]
        if !details.isEmpty {
            let text = TextWrap.truncate(
                " · " + details.joined(separator: " · "), width: width - label.count)
            segments.append(Segment(text: text, element: .reasoning))
        }
        return Line(segments: segments)
    }

    /// Folded: one line with the word count and the key; expanded: the whole reasoning.
    func reasoningLines(_ body: MessageBody, streaming: Bool) -> [Line] {
        guard let reasoning = body.reasoning else { return [] }
        let words = body.reasoningWords
        let count = "\(words) word\(words == 1 ? "" : "s")"
        guard state.transcript.reasoningExpanded else {
            let head = body.reasoningOpen ? "  ▸ thinking… \(count)" : "  ▸ reasoning · \(count)"
            return [
                Line(segments: [
                    Segment(
                        text: TextWrap.truncate(head + " · Ctrl-O shows it", width: width),
                        element: .reasoning)
                ])
            ]
        }
        var lines = [
            Line(segments: [
                Segment(
                    text: TextWrap.truncate("  ▾ reasoning · Ctrl-O folds it", width: width),
                    element: .reasoning)
            ])
        ]
        lines += TextWrap.wrap(reasoning, width: width - 4).map {
            Line(segments: [Segment(text: "    " + $0, element: .reasoning)])
        }
        return lines
    }

    /// Code set off on its own background, cut at the width rather than word-wrapped.
    func codeLines(language: String, _ code: [String]) -> [Line] {
        var lines: [Line] = []
        let tag = language.isEmpty ? "code" : language
        lines.append(
            Line(
                segments: [
                    Segment(text: "  ", element: .text), Segment(text: " \(tag)", element: .code),
                ], fill: .code))
        for line in code {
            for piece in TextWrap.hardWrap(Substring(line), width: width - 3) {
                lines.append(
                    Line(
                        segments: [
                            Segment(text: "  ", element: .text),
                            Segment(text: " " + piece, element: .code),
                        ], fill: .code))
            }
        }
        return lines
    }

    /// The streaming reply ends in a block cursor so the user sees where text arrives.
    func appendCursor(_ lines: inout [Line], element: ThemeElement) {
        guard let last = lines.last else { return }
        let used = last.segments.reduce(0) { $0 + DisplayWidth.of($1.text) }
        if lines.count == 1 || used + 1 > width {
            lines.append(Line(segments: [Segment(text: "  ▍", element: element)]))
        } else {
            lines[lines.count - 1].segments.append(Segment(text: "▍", element: element))
        }
    }
}
