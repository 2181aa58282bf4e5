import OctetChat

/// The transcript as styled lines at one width: messages with role labels, notes, folded
/// reasoning and code blocks. Lines are built on demand, from the top or from the end, so
/// that a frame that follows the end of a long conversation wraps only what it shows.
struct TranscriptLayout {
    /// A run of text in one element's style.
    struct Segment: Equatable {
        var text: String
        var element: ThemeElement
    }

    /// One screen row of the transcript.
    struct Line: Equatable {
        var segments: [Segment]
        /// The style of the row's empty part (code blocks colour the whole row).
        var fill: ThemeElement = .text
    }

    /// A message or a note, in display order.
    enum Item {
        case message(Int)
        case note(AppState.Note)
    }

    let state: AppState
    let width: Int
    let items: [Item]
    /// For each message, how many assistant messages there are up to it (its label's number),
    /// counted once here rather than once per label.
    let assistantNumbers: [Int]

    init(state: AppState, width: Int) {
        self.state = state
        self.width = max(8, width)
        var items: [Item] = []
        var numbers: [Int] = []
        numbers.reserveCapacity(state.conversation.messages.count)
        var notes = state.notes[...]
        for (index, message) in state.conversation.messages.enumerated() {
            while let note = notes.first, note.after <= index {
                items.append(.note(note))
                notes.removeFirst()
            }
            items.append(.message(index))
            numbers.append((numbers.last ?? 0) + (message.role == .assistant ? 1 : 0))
        }
        items.append(contentsOf: notes.map(Item.note))
        self.items = items
        assistantNumbers = numbers
    }

    // MARK: - The end

    /// The last `count` lines.
    func tail(_ count: Int) -> [Line] {
        var out: [Line] = []
        for item in items.reversed() {
            out.insert(contentsOf: lines(of: item), at: 0)
            if out.count >= count { break }
        }
        return Array(out.suffix(count))
    }

    // MARK: - One item

    func lines(of item: Item) -> [Line] {
        switch item {
        case .note(let note):
            let element: ThemeElement = note.isError ? .error : .note
            let wrapped = TextWrap.wrap(TextWrap.displayable(note.text), width: width - 4)
            return wrapped.enumerated().map { i, text in
                Line(segments: [Segment(text: (i == 0 ? "  · " : "    ") + text, element: element)])
            } + [Line(segments: [])]
        case .message(let index):
            return messageLines(index)
        }
    }

    private func messageLines(_ index: Int) -> [Line] {
        let message = state.conversation.messages[index]
        let streaming = state.turn?.replyIndex == index
        let template = streaming ? state.turn?.template : message.generation?.template
        let body = MessageBody(
            TextWrap.displayable(message.content),
            answerMarker: message.role == .assistant ? state.answerMarker(for: template) : nil,
            streaming: streaming)
        var lines = [labelLine(message, index: index, streaming: streaming)]
        lines += reasoningLines(body, streaming: streaming)
        let textElement = Self.textElement(message.role)
        for (number, block) in body.blocks.enumerated() {
            if number > 0 { lines.append(Line(segments: [])) }
            switch block {
            case .prose(let text):
                lines += TextWrap.wrap(text, width: width - 2).map {
                    Line(segments: [Segment(text: "  " + $0, element: textElement)])
                }
            case .code(let language, let codeLines):
                lines += self.codeLines(language: language, codeLines)
            }
        }
        // While the reasoning is folded and still coming, its "thinking…" line is the sign
        // of life; otherwise a cursor marks where text arrives.
        let foldedThinking =
            body.reasoningOpen && body.blocks.isEmpty && !state.transcript.reasoningExpanded
        if streaming, !foldedThinking { appendCursor(&lines, element: textElement) }
        lines.append(Line(segments: []))
        return lines
    }
}
