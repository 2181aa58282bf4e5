/// Drawing: a state becomes a `Screen` of styled cells, with no I/O (STYLE.md H9). The
/// rows, top to bottom: title, transcript, separator, input, status.
extension App {
    /// The frame for `state` in a window of `size`, styled by `theme`.
    public static func render(_ state: AppState, size: Size, theme: Theme) -> Screen {
        var state = state
        state.size = size
        var screen = Screen(size: size, style: theme.style(.text))
        let layout = ScreenLayout(state: state)
        guard !layout.tooSmall else {
            renderTooSmall(&screen, theme: theme)
            return screen
        }
        renderTitle(&screen, state, theme: theme)
        renderTranscript(&screen, state, layout, theme: theme)
        renderSeparator(&screen, state, layout, theme: theme)
        renderInput(&screen, state, layout, theme: theme)
        renderStatus(&screen, state, layout, theme: theme)
        if state.overlay != nil {
            screen.cursor = nil
            renderOverlay(&screen, state, layout, theme: theme)
        }
        return screen
    }

    // MARK: - Too small

    static func renderTooSmall(_ screen: inout Screen, theme: Theme) {
        let size = screen.size
        let lines = [
            "window too small",
            "\(size.columns)x\(size.rows), need \(ScreenLayout.minimum.columns)x\(ScreenLayout.minimum.rows)",
        ]
        let top = max(0, (size.rows - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < size.rows {
            let text = TextWrap.truncate(line, width: size.columns)
            let column = max(0, (size.columns - DisplayWidth.of(text)) / 2)
            screen.put(
                text, row: top + i, column: column, style: theme.style(i == 0 ? .error : .text))
        }
    }

    // MARK: - Title

    static func renderTitle(_ screen: inout Screen, _ state: AppState, theme: Theme) {
        let style = theme.style(.title)
        let width = screen.size.columns
        screen.fill(row: 0, style: style)
        let conversation = state.conversation
        var title = conversation.title.isEmpty ? "new conversation" : conversation.title
        if let id = conversation.id { title += "  #\(id)" }
        let model = state.modelName
        let right = DisplayWidth.of(model) + 2 <= width / 3 ? model + " " : ""
        let rightWidth = DisplayWidth.of(right)
        let left = TextWrap.truncate(
            " Octet · " + TextWrap.displayable(title).replacingNewlines(),
            width: width - rightWidth - 1)
        screen.put(left, row: 0, column: 0, style: style)
        screen.put(right, row: 0, column: width - rightWidth, style: style)
    }

    // MARK: - Transcript

    static func renderTranscript(
        _ screen: inout Screen, _ state: AppState, _ layout: ScreenLayout, theme: Theme
    ) {
        let transcript = TranscriptLayout(state: state, width: layout.size.columns)
        let rows = layout.transcriptRows
        let lines: [TranscriptLayout.Line]
        if state.transcript.following {
            lines = transcript.tail(rows)
        } else {
            lines = transcript.lines(from: state.transcript.top, count: rows)
        }
        // Following: the last line sits just above the separator; a short transcript starts
        // at the top.
        let first = layout.transcriptTop
        for (i, line) in lines.enumerated() {
            let row = first + i
            screen.fill(row: row, style: theme.style(line.fill))
            var column = 0
            for segment in line.segments {
                column = screen.put(
                    segment.text, row: row, column: column, style: theme.style(segment.element))
            }
        }
    }

    // MARK: - Separator

    static func renderSeparator(
        _ screen: inout Screen, _ state: AppState, _ layout: ScreenLayout, theme: Theme
    ) {
        let row = layout.separatorRow
        let width = layout.size.columns
        let style = theme.style(.border)
        screen.put(String(repeating: "─", count: width), row: row, column: 0, style: style)
        var label = ""
        if !state.completions.isEmpty {
            label =
                " "
                + state.completions.map {
                    "/" == state.input.text.first.map(String.init)
                        && !state.input.text.contains(" ") ? "/" + $0 : $0
                }.joined(separator: "  ") + " "
        } else if !state.transcript.following {
            label =
                state.isGenerating
                ? " ↓ new text below · End or PgDn " : " ↓ more below · End or PgDn "
        }
        guard !label.isEmpty else { return }
        let text = TextWrap.truncate(label, width: width - 4)
        screen.put(text, row: row, column: 2, style: theme.style(.note))
    }

    // MARK: - Input

    static func renderInput(
        _ screen: inout Screen, _ state: AppState, _ layout: ScreenLayout, theme: Theme
    ) {
        let style = theme.style(.input)
        let editor = state.input.layout(width: ScreenLayout.inputWidth(layout.size))
        let firstRow = max(0, editor.cursorRow - layout.inputRows + 1)
        for i in 0..<layout.inputRows {
            let row = layout.inputTop + i
            screen.fill(row: row, style: style)
            let prompt = (firstRow + i == 0) ? (state.editingIndex == nil ? "› " : "✎ ") : "  "
            screen.put(prompt, row: row, column: 0, style: theme.style(.inputPrompt))
            guard firstRow + i < editor.rows.count else { continue }
            // Character for character, as the layout counts them: a tab or a pasted control
            // character is one cell showing its symbol.
            let text = String(editor.rows[firstRow + i].text)
            screen.put(text, row: row, column: ScreenLayout.promptWidth, style: style)
        }
        if state.input.text.isEmpty {
            let hint =
                state.isGenerating
                ? "Ctrl-C stops the reply"
                : "Type a message · Enter sends · Alt-Enter new line · /help"
            screen.put(
                TextWrap.truncate(hint, width: layout.size.columns - 3), row: layout.inputTop,
                column: ScreenLayout.promptWidth, style: style.adding(.dim))
        }
        screen.cursor = (
            layout.inputTop + editor.cursorRow - firstRow,
            ScreenLayout.promptWidth + editor.cursorColumn
        )
    }
}

extension String {
    /// New lines as spaces, for one-line places (the title, list rows).
    func replacingNewlines() -> String {
        String(map { $0 == "\n" ? " " : $0 })
    }
}
