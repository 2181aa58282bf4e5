/// Keys and results for the boxes over the transcript: help (F1), the template picker (F2)
/// and the conversation list (F3).
extension App {
    static func handleOverlayKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if key == .interrupt, state.isGenerating { return interrupt(&state) }
        switch state.overlay {
        case .help(let scroll)?:
            // Down, PgDn and the wheel scroll the help; any other key closes it.
            switch key {
            case .down: state.overlay = .help(scroll: scroll + 1)
            case .pageDown: state.overlay = .help(scroll: scroll + 10)
            case .up: state.overlay = .help(scroll: max(0, scroll - 1))
            case .pageUp: state.overlay = .help(scroll: max(0, scroll - 10))
            default: state.overlay = nil
            }
            return []
        case .templates(var picker)?:
            let effects = templateKey(&state, &picker, key)
            if case .templates = state.overlay { state.overlay = .templates(picker) }
            return effects
        case .conversations(var picker)?:
            let effects = conversationKey(&state, &picker, key)
            if case .conversations = state.overlay { state.overlay = .conversations(picker) }
            return effects
        case nil:
            return []
        }
    }

    // MARK: - Templates (F2)

    static func openTemplatePicker(_ state: inout AppState) -> [Effect] {
        let picker = TemplatePicker(
            items: state.templates, selectedName: state.conversation.template)
        state.overlay = .templates(picker)
        return [.loadTemplates] + previewEffect(state, picker)
    }

    private static func previewEffect(_ state: AppState, _ picker: TemplatePicker) -> [Effect] {
        guard let current = picker.current else { return [] }
        return [.previewTemplate(name: current.name, state.conversation, input: state.input.text)]
    }

    private static func templateKey(
        _ state: inout AppState, _ picker: inout TemplatePicker, _ key: Key
    ) -> [Effect] {
        switch key {
        case .escape, .function(2), .interrupt:
            state.overlay = nil
            return []
        case .up, .backTab: picker.move(-1)
        case .down, .tab: picker.move(1)
        case .enter:
            state.overlay = nil
            guard let current = picker.current else { return [] }
            return chooseTemplate(&state, current.name)
        case .backspace:
            guard !picker.filter.isEmpty else { return [] }
            picker.filter.removeLast()
            picker.selected = 0
        case .character(let character):
            picker.filter.append(character)
            picker.selected = 0
        default:
            return []
        }
        return previewEffect(state, picker)
    }

    // MARK: - Conversations (F3)

    static func openConversationPicker(_ state: inout AppState) -> [Effect] {
        state.overlay = .conversations(ConversationPicker())
        return [.listConversations(query: "")]
    }

    private static func conversationKey(
        _ state: inout AppState, _ picker: inout ConversationPicker, _ key: Key
    ) -> [Effect] {
        switch picker.mode {
        case .rename(var editor):
            return renameKey(&state, &picker, &editor, key)
        case .confirmDelete:
            picker.mode = .browse
            guard key == .character("y") || key == .character("Y"), let item = picker.current else {
                return []
            }
            return [.deleteConversation(id: item.id)]
        case .browse:
            return browseKey(&state, &picker, key)
        }
    }

    private static func browseKey(
        _ state: inout AppState, _ picker: inout ConversationPicker, _ key: Key
    ) -> [Effect] {
        switch key {
        case .escape where picker.searching: picker.searching = false
        case .escape, .function(3), .interrupt: state.overlay = nil
        case .up: picker.move(-1)
        case .down: picker.move(1)
        case .pageUp: picker.move(-10)
        case .pageDown: picker.move(10)
        case .tab: picker.searching.toggle()
        case .enter:
            guard let item = picker.current else { return [] }
            state.overlay = nil
            return resume(&state, item.id)
        case .character("r") where !picker.searching:
            if let item = picker.current { picker.mode = .rename(InputEditor(text: item.title)) }
        case .character("d") where !picker.searching:
            if picker.current != nil { picker.mode = .confirmDelete }
        case .character("/") where !picker.searching: picker.searching = true
        case .character(let character):
            picker.searching = true
            picker.query.append(character)
            return [.listConversations(query: picker.query)]
        case .backspace:
            guard !picker.query.isEmpty else { return [] }
            picker.query.removeLast()
            return [.listConversations(query: picker.query)]
        default: break
        }
        return []
    }

    private static func renameKey(
        _ state: inout AppState, _ picker: inout ConversationPicker, _ editor: inout InputEditor,
        _ key: Key
    ) -> [Effect] {
        switch key {
        case .escape, .interrupt:
            picker.mode = .browse
        case .enter:
            picker.mode = .browse
            let title = editor.text[...].trimmingCharactersInSpaces()
            guard !title.isEmpty, let item = picker.current else { return [] }
            return [.renameConversation(id: item.id, title: title)]
        default:
            _ = editor.handle(key == .newline ? .character(" ") : key, width: 1000)
            picker.mode = .rename(editor)
        }
        return []
    }

    // MARK: - Results for lists

    static func handleListResult(_ state: inout AppState, _ event: Event) -> [Effect] {
        switch event {
        case .conversationsListed(let query, let items):
            guard case .conversations(var picker) = state.overlay, picker.query == query else {
                return []
            }
            picker.items = items
            picker.loaded = true
            picker.selected = min(picker.selected, max(0, items.count - 1))
            state.overlay = .conversations(picker)
        case .conversationRenamed(let id, let title):
            if state.conversation.id == id { state.conversation.title = title }
            updatePicker(&state) { picker in
                if let i = picker.items.firstIndex(where: { $0.id == id }) {
                    picker.items[i].title = title
                }
            }
        case .conversationDeleted(let id):
            updatePicker(&state) { picker in
                picker.items.removeAll { $0.id == id }
                picker.selected = min(picker.selected, max(0, picker.items.count - 1))
            }
            if state.conversation.id == id {
                let overlay = state.overlay
                _ = newConversation(&state)
                state.overlay = overlay
                addNote(&state, "conversation #\(id) was deleted; this is a new one")
            }
        default:
            return handleOtherResult(&state, event)
        }
        return []
    }

    private static func updatePicker(
        _ state: inout AppState, _ change: (inout ConversationPicker) -> Void
    ) {
        guard case .conversations(var picker) = state.overlay else { return }
        change(&picker)
        state.overlay = .conversations(picker)
    }

    private static func handleOtherResult(_ state: inout AppState, _ event: Event) -> [Effect] {
        switch event {
        case .templatesListed(let templates):
            state.templates = templates
            if case .templates(var picker) = state.overlay {
                let name = picker.current?.name ?? state.conversation.template
                picker = TemplatePicker(items: templates, selectedName: name)
                state.overlay = .templates(picker)
                return previewEffect(state, picker)
            }
        case .templatePreviewed(let name, let preview):
            if case .templates(var picker) = state.overlay {
                picker.preview = (name, preview)
                state.overlay = .templates(picker)
            }
        case .themeChanged(let name, let problem):
            state.themeName = name
            if let problem {
                addNote(&state, problem, error: true)
            } else {
                addNote(&state, "theme: \(name)")
            }
        case .themesListed(let names): state.themeNames = names
        case .exported(let path): addNote(&state, "exported to \(path)")
        case .copied(let count):
            addNote(&state, "copied \(count) characters to the clipboard (OSC 52)")
        case .draftRestored(let draft):
            if state.input.text.isEmpty, !draft.isEmpty {
                state.input.setText(draft)
                addNote(&state, "your unsent draft from last time is back in the input")
            }
        default: break
        }
        return []
    }
}
