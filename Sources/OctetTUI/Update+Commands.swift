import OctetChat

/// Slash commands typed in the input (DESIGN.md "In the chat screen").
extension App {
    static func runCommand(_ state: inout AppState, _ line: String) -> [Effect] {
        let command: SlashCommand
        do {
            command = try SlashCommand.parse(line)
        } catch {
            addNote(&state, "\(error)", error: true)
            return []
        }
        switch command {
        case .help:
            state.overlay = .help(scroll: 0)
            return []
        case .new: return newConversation(&state)
        case .template(nil), .templates: return openTemplatePicker(&state)
        case .template(let name?): return chooseTemplate(&state, name)
        case .system(let text): return setSystemPrompt(&state, text)
        case .sessions: return openConversationPicker(&state)
        case .resume(let id): return resume(&state, id)
        case .rename(let title): return rename(&state, title)
        case .theme(nil):
            addNote(
                &state,
                "themes: \(state.themeNames.joined(separator: ", ")) (now: \(state.themeName))")
            return []
        case .theme(let name?): return [.loadTheme(name)]
        case .retry: return retry(&state)
        case .export(let format): return export(&state, format)
        case .copy(let number, let codeOnly): return copy(&state, number, codeOnly: codeOnly)
        case .set(let key, let value): return set(&state, key, value)
        case .edit: return startEdit(&state)
        case .quit: return quit(&state)
        }
    }

    // MARK: - Settings

    /// `/template NAME` (or the picker's Enter): the next turns use it, with its sampling
    /// defaults applied to the conversation's settings; `none` turns it off.
    static func chooseTemplate(_ state: inout AppState, _ name: String) -> [Effect] {
        if name == "none" || name == "off" {
            state.conversation.template = nil
            addNote(&state, "no prompt template: your text goes to the model as it is")
            return saveSettings(&state)
        }
        guard state.templates.isEmpty || state.templates.contains(where: { $0.name == name }) else {
            let known = state.templates.map(\.name).joined(separator: ", ")
            addNote(&state, "no template named \"\(name)\" (templates: \(known))", error: true)
            return []
        }
        state.conversation.template = name
        if let summary = state.templates.first(where: { $0.name == name }) {
            state.conversation.sampling = summary.sampling.applied(to: state.conversation.sampling)
        }
        addNote(&state, "template: \(name) (from the next message on)")
        return saveSettings(&state)
    }

    private static func setSystemPrompt(_ state: inout AppState, _ text: String) -> [Effect] {
        state.conversation.systemPrompt = text.isEmpty ? nil : text
        addNote(
            &state,
            text.isEmpty
                ? "system prompt cleared (the template's own is used)" : "system prompt set")
        return saveSettings(&state)
    }

    private static func set(_ state: inout AppState, _ key: String?, _ value: String?) -> [Effect] {
        guard let key else {
            addNote(&state, SamplingKeys.describe(state.conversation.sampling))
            return []
        }
        guard let value else {
            addNote(
                &state, "usage: /set KEY VALUE (\(SamplingKeys.all.joined(separator: ", ")))",
                error: true)
            return []
        }
        do {
            try SamplingKeys.set(key, to: value, in: &state.conversation.sampling)
        } catch {
            addNote(&state, "\(error)", error: true)
            return []
        }
        addNote(&state, SamplingKeys.describe(state.conversation.sampling))
        return saveSettings(&state)
    }

    private static func rename(_ state: inout AppState, _ title: String) -> [Effect] {
        state.conversation.title = title
        addNote(&state, "renamed: \(title)")
        guard let id = state.conversation.id else { return saveSettings(&state) }
        return [.renameConversation(id: id, title: title)]
    }

    static func resume(_ state: inout AppState, _ id: Int64) -> [Effect] {
        if state.isGenerating { return deferUntilTurnEnds(&state, .load(id)) }
        return [.loadConversation(id: id)]
    }

    // MARK: - Export and copy

    private static func export(_ state: inout AppState, _ format: ExportFormat) -> [Effect] {
        guard !state.conversation.messages.isEmpty else {
            addNote(&state, "nothing to export yet")
            return []
        }
        return [.export(state.conversation, format)]
    }

    /// `/copy [N] [code]`: reply N (1 = the first; default the last), or its last code block.
    private static func copy(_ state: inout AppState, _ number: Int?, codeOnly: Bool) -> [Effect] {
        let replies = state.conversation.messages.filter {
            $0.role == .assistant && !$0.content.isEmpty
        }
        guard !replies.isEmpty else {
            addNote(&state, "no reply to copy yet")
            return []
        }
        let n = number ?? replies.count
        guard n >= 1, n <= replies.count else {
            addNote(
                &state, "there are \(replies.count) replies; /copy 1 ... /copy \(replies.count)",
                error: true)
            return []
        }
        let content = replies[n - 1].content
        if codeOnly {
            guard let block = MessageBody.codeBlocks(in: content).last else {
                addNote(&state, "reply \(n) has no code block", error: true)
                return []
            }
            return [.copyToClipboard(block)]
        }
        return [.copyToClipboard(content)]
    }
}
