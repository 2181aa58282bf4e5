import Foundation

/// The boxes drawn over the transcript: help (F1), templates (F2), conversations (F3).
extension App {
    /// The rectangle a box takes: the transcript's rows, two columns in from each side.
    struct Box {
        var top: Int
        var left: Int
        var width: Int
        var height: Int
        var bottom: Int { top + height }
        /// Inner text width (a border column and a space on each side).
        var inner: Int { width - 4 }
    }

    static func renderOverlay(
        _ screen: inout Screen, _ state: AppState, _ layout: ScreenLayout, theme: Theme
    ) {
        let margin = layout.size.columns >= 40 ? 2 : 0
        let box = Box(
            top: layout.transcriptTop, left: margin, width: layout.size.columns - 2 * margin,
            height: max(3, layout.transcriptRows))
        switch state.overlay {
        case .help(let scroll)?:
            let lines = helpLines()
            let fits = box.height - 2
            let top = max(0, min(scroll, lines.count - fits))
            let more = top + fits < lines.count ? "↓ more · " : ""
            drawBox(&screen, box, title: "Help · \(more)Esc closes", theme: theme)
            drawLines(&screen, box, Array(lines.dropFirst(top)), from: 1, theme: theme)
        case .templates(let picker)?:
            renderTemplatePicker(&screen, picker, state, box, theme: theme)
        case .conversations(let picker)?:
            renderConversationPicker(&screen, picker, state, box, theme: theme)
        case nil:
            break
        }
    }

    // MARK: - Box drawing

    static func drawBox(_ screen: inout Screen, _ box: Box, title: String, theme: Theme) {
        let style = theme.style(.dialog)
        for row in box.top..<box.bottom {
            screen.fill(row: row, from: box.left, count: box.width, style: style)
            screen.put("│", row: row, column: box.left, style: style)
            screen.put("│", row: row, column: box.left + box.width - 1, style: style)
        }
        let rule = String(repeating: "─", count: max(0, box.width - 2))
        screen.put("┌" + rule + "┐", row: box.top, column: box.left, style: style)
        screen.put("└" + rule + "┘", row: box.bottom - 1, column: box.left, style: style)
        let label = TextWrap.truncate(" \(title) ", width: box.width - 4)
        screen.put(label, row: box.top, column: box.left + 2, style: theme.style(.dialogTitle))
    }

    /// Writes `lines` inside the box from inner row `from` (0 = the top border), clipped.
    @discardableResult
    static func drawLines(
        _ screen: inout Screen, _ box: Box, _ lines: [(String, ThemeElement)], from: Int,
        theme: Theme
    ) -> Int {
        var row = box.top + from
        for (text, element) in lines where row < box.bottom - 1 {
            let fitted = TextWrap.truncate(text, width: box.inner)
            if element == .selection {
                screen.fill(
                    row: row, from: box.left + 1, count: box.width - 2,
                    style: theme.style(.selection))
            }
            screen.put(fitted, row: row, column: box.left + 2, style: theme.style(element))
            row += 1
        }
        return row
    }

    static func helpLines() -> [(String, ThemeElement)] {
        let keys: [(String, String)] = [
            ("Enter", "send"), ("Alt-Enter, Ctrl-J", "new line"),
            ("Ctrl-C", "stop the reply (text kept); twice or when idle: quit"),
            ("PgUp PgDn, wheel", "scroll; End follows new output"),
            ("Ctrl-O", "show or fold reasoning"),
            ("F1", "this help"), ("F2", "prompt templates"),
            ("F3", "conversations (search, r rename, d delete)"),
            ("Ctrl-N", "new conversation"), ("Tab", "complete a /command"),
            ("Ctrl-A/E Home/End", "start/end of line"), ("Ctrl-K/U/W", "delete to end/start, word"),
            ("Up/Down", "earlier messages"),
        ]
        var lines = keys.map { (Self.pad($0.0, 19) + $0.1, ThemeElement.dialog) }
        lines.append(("", .dialog))
        lines += SlashCommand.catalog.map {
            (Self.pad($0.usage, 19) + $0.summary, ThemeElement.dialog)
        }
        return lines
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - DisplayWidth.of(text)))
    }

    // MARK: - Templates

    static func renderTemplatePicker(
        _ screen: inout Screen, _ picker: TemplatePicker, _ state: AppState, _ box: Box,
        theme: Theme
    ) {
        drawBox(&screen, box, title: "Prompt templates · Enter uses · Esc closes", theme: theme)
        var lines: [(String, ThemeElement)] = []
        if !picker.filter.isEmpty { lines.append(("filter: \(picker.filter)", .note)) }
        let visible = picker.visible
        if visible.isEmpty {
            lines.append((state.templates.isEmpty ? "loading…" : "no template matches", .note))
        }
        let listRows = max(1, (box.height - 2) / 2 - lines.count)
        let start = max(0, min(picker.selected - listRows + 1, visible.count - listRows))
        for (i, item) in visible.enumerated().dropFirst(start).prefix(listRows) {
            let pointer = i == picker.selected ? "›" : " "
            let mark = item.name == state.conversation.template ? "•" : " "
            let text =
                pointer + mark + pad(item.name, 18)
                + TextWrap.displayable(item.description).replacingNewlines()
            lines.append((text, i == picker.selected ? .selection : .dialog))
        }
        var row = drawLines(&screen, box, lines, from: 1, theme: theme)
        guard row < box.bottom - 2, let current = picker.current else { return }
        var header = "preview"
        var previewText: [String] = ["…"]
        if let preview = picker.preview, preview.name == current.name {
            header = "preview · \(preview.value.tokenCount) tokens"
            previewText = TextWrap.displayable(preview.value.text).split(
                separator: "\n", omittingEmptySubsequences: false
            )
            .flatMap { TextWrap.hardWrap($0, width: box.inner) }
        }
        let rule =
            "─ \(header) "
            + String(repeating: "─", count: max(0, box.inner - DisplayWidth.of(header) - 3))
        screen.put(
            TextWrap.truncate(rule, width: box.inner), row: row, column: box.left + 2,
            style: theme.style(.dialog))
        row += 1
        drawLines(&screen, box, previewText.map { ($0, .code) }, from: row - box.top, theme: theme)
    }

    // MARK: - Conversations

    static func renderConversationPicker(
        _ screen: inout Screen, _ picker: ConversationPicker, _ state: AppState, _ box: Box,
        theme: Theme
    ) {
        drawBox(
            &screen, box, title: "Conversations · Enter resumes · r rename · d delete · Esc",
            theme: theme)
        let search =
            picker.query.isEmpty && !picker.searching
            ? "type to search (/ first for words with r or d)" : "search: \(picker.query)"
        var lines: [(String, ThemeElement)] = [(search, picker.searching ? .dialog : .note)]
        if !picker.loaded {
            lines.append(("loading…", .note))
        } else if picker.items.isEmpty {
            lines.append((picker.query.isEmpty ? "no conversations yet" : "nothing matches", .note))
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = state.timeZone
        let rows = max(1, box.height - 4)
        let start = max(0, min(picker.selected - rows + 1, picker.items.count - rows))
        for (i, item) in picker.items.enumerated().dropFirst(start).prefix(rows) {
            let date = formatter.string(from: item.updated)
            var text =
                (i == picker.selected ? "› " : "  ") + pad("#\(item.id)", 6) + date + "  "
                + TextWrap.displayable(item.title).replacingNewlines()
            if let snippet = item.snippet, !snippet.isEmpty {
                text += " — " + TextWrap.displayable(snippet).replacingNewlines()
            }
            lines.append((text, i == picker.selected ? .selection : .dialog))
        }
        drawLines(&screen, box, lines, from: 1, theme: theme)
        if picker.searching {
            screen.cursor = (box.top + 1, box.left + 2 + DisplayWidth.of("search: " + picker.query))
        }
        renderPickerPrompt(&screen, picker, box, theme: theme)
    }

    /// The last row of the box: the rename field or the delete question.
    static func renderPickerPrompt(
        _ screen: inout Screen, _ picker: ConversationPicker, _ box: Box, theme: Theme
    ) {
        let row = box.bottom - 2
        guard row > box.top + 1, let item = picker.current else { return }
        switch picker.mode {
        case .browse:
            return
        case .rename(let editor):
            screen.fill(
                row: row, from: box.left + 1, count: box.width - 2, style: theme.style(.input))
            let label = "new title: "
            let end = screen.put(
                label, row: row, column: box.left + 2, style: theme.style(.inputPrompt))
            let available = box.left + box.width - 2 - end
            // Drawn character for character (a control as its symbol), as the cursor counts.
            let text = editor.text
            let visible =
                DisplayWidth.of(text) > available
                ? String(text.suffix(max(1, available - 1))) : text
            screen.put(
                visible, row: row, column: end, style: theme.style(.input),
                limit: box.left + box.width - 2)
            let before = DisplayWidth.of(String(editor.text.prefix(editor.cursor)))
            screen.cursor = (row, min(end + before, box.left + box.width - 3))
        case .confirmDelete:
            screen.fill(
                row: row, from: box.left + 1, count: box.width - 2, style: theme.style(.error))
            let title = TextWrap.displayable(item.title).replacingNewlines()
            screen.put(
                TextWrap.truncate(
                    "Delete “\(title)” (#\(item.id))? y deletes, any other key keeps it",
                    width: box.inner), row: row, column: box.left + 2, style: theme.style(.error))
        }
    }
}
