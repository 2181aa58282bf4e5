import Foundation

/// Keys on the main screen (no box open): editing goes to the input editor; Enter, Tab,
/// Ctrl-C, scrolling and the function keys are the screen's own.
extension App {
    static func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if key != .tab { state.completions = [] }
        switch key {
        case .interrupt: return interrupt(&state)
        case .enter: return submit(&state)
        case .tab:
            complete(&state)
            return []
        case .pageUp:
            scroll(&state, by: -pageSize(state))
            return []
        case .pageDown:
            scroll(&state, by: pageSize(state))
            return []
        case .control("n"): return newConversation(&state)
        case .control("o"):
            state.transcript.reasoningExpanded.toggle()
            return []
        case .function(1):
            state.overlay = .help(scroll: 0)
            return []
        case .function(2): return openTemplatePicker(&state)
        case .function(3): return openConversationPicker(&state)
        case .escape:
            if state.editingIndex != nil {
                state.editingIndex = nil
                addNote(&state, "not editing any more: Enter sends the text as a new message")
            }
            state.transcript.following = true
            return []
        case .end where state.input.text.isEmpty:
            state.transcript.following = true
            return []
        default:
            let before = state.input.text
            _ = state.input.handle(key, width: ScreenLayout.inputWidth(state.size))
            if state.input.text != before { state.draftUnsaved = true }
            return []
        }
    }

    /// Pasted text goes into the input whole, its line breaks kept.
    static func paste(_ state: inout AppState, _ text: String) -> [Effect] {
        let normalized = text.replacingLineBreaks()
        if case .conversations(var picker) = state.overlay, case .rename(var editor) = picker.mode {
            editor.insert(normalized.replacingOccurrences(of: "\n", with: " "))
            picker.mode = .rename(editor)
            state.overlay = .conversations(picker)
            return []
        }
        guard state.overlay == nil else { return [] }
        state.input.insert(normalized)
        state.draftUnsaved = true
        return []
    }

    /// Ctrl-C: stops a streaming reply (its text is kept); a second press within two
    /// seconds, or a press on an idle screen, quits.
    static func interrupt(_ state: inout AppState) -> [Effect] {
        guard let turn = state.turn else {
            if state.sendPending {
                state.sendPending = false
                addNote(&state, "not sent: the turn waiting for the model was cancelled")
                return []
            }
            return quit(&state)
        }
        if turn.cancelRequested || state.interruptedAt != nil { return quit(&state) }
        state.turn?.cancelRequested = true
        state.interruptedAt = state.now
        return [.cancelTurn]
    }

    // MARK: - Scrolling

    static func pageSize(_ state: AppState) -> Int {
        max(1, ScreenLayout(state: state).transcriptRows - 1)
    }

    /// Moves the view `lines` down (negative: up). Scrolling up stops following the end, so
    /// new output does not pull the view away; reaching the end follows again. Costs the
    /// lines moved over and a screenful, however long the conversation.
    static func scroll(_ state: inout AppState, by lines: Int) {
        let layout = ScreenLayout(state: state)
        let rows = layout.transcriptRows
        let transcript = TranscriptLayout(state: state, width: layout.size.columns)
        let start = state.transcript.following ? transcript.tailTop(rows) : state.transcript.top
        let top = transcript.move(start, by: lines)
        state.transcript.following = transcript.reachesEnd(from: top, rows: rows)
        state.transcript.top = state.transcript.following ? transcript.tailTop(rows) : top
    }

    static func clampScroll(_ state: inout AppState) {
        guard !state.transcript.following else { return }
        scroll(&state, by: 0)
    }

    // MARK: - Tab completion

    /// Completes a command name, then a template, theme, format or setting name.
    static func complete(_ state: inout AppState) {
        let text = state.input.text
        guard text.hasPrefix("/"), !text.contains("\n") else { return }
        let parts = text.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        let candidates: [String]
        let typed: String
        if parts.count <= 1 {
            typed = String(parts.first ?? "")
            candidates = SlashCommand.names(startingWith: typed)
        } else {
            typed = String(parts.last ?? "")
            let pool = argumentCandidates(state, command: String(parts[0]).lowercased())
            candidates = pool.filter { $0.lowercased().hasPrefix(typed.lowercased()) }
        }
        guard !candidates.isEmpty else { return }
        let prefix = String(text.dropLast(typed.count))
        if candidates.count == 1 {
            state.input.setText(prefix + candidates[0] + " ")
        } else {
            state.input.setText(prefix + commonPrefix(candidates))
            state.completions = candidates
        }
        state.draftUnsaved = true
    }

    private static func argumentCandidates(_ state: AppState, command: String) -> [String] {
        switch command {
        case "template": return state.templates.map(\.name) + ["none"]
        case "theme": return state.themeNames
        case "export": return ExportFormat.allCases.map(\.rawValue)
        case "set": return SamplingKeys.all
        case "copy": return ["code"]
        default: return []
        }
    }

    private static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}

extension String {
    /// CR LF and lone CR (what terminals send inside a paste) as "\n".
    func replacingLineBreaks() -> String {
        replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }
}
