/// F2: the prompt templates with their descriptions, and a preview of the prompt the
/// selected one would give with its token count.
public struct TemplatePicker: Equatable, Sendable {
    public var items: [TemplateSummary]
    public var selected = 0
    /// Typed letters narrow the list by name.
    public var filter = ""
    /// The preview of `preview.name`, when it has come back.
    public var preview: (name: String, value: TemplatePreview)? {
        get { previewValue.map { ($0.name, $0.value) } }
        set { previewValue = newValue.map { NamedPreview(name: $0.name, value: $0.value) } }
    }
    private var previewValue: NamedPreview?

    struct NamedPreview: Equatable, Sendable {
        var name: String
        var value: TemplatePreview
    }

    public init(items: [TemplateSummary], selectedName: String?) {
        self.items = items
        selected = items.firstIndex { $0.name == selectedName } ?? 0
    }

    /// The items that match the filter.
    public var visible: [TemplateSummary] {
        filter.isEmpty ? items : items.filter { $0.name.lowercased().contains(filter.lowercased()) }
    }

    public var current: TemplateSummary? {
        let list = visible
        return list.indices.contains(selected) ? list[selected] : nil
    }

    mutating func move(_ delta: Int) {
        let count = visible.count
        guard count > 0 else { return }
        selected = (selected + delta + count) % count
    }
}

/// F3: conversations, newest first, narrowed by full-text search as the user types;
/// Enter resumes, `r` renames, `d` deletes after a confirmation.
public struct ConversationPicker: Equatable, Sendable {
    public var items: [ConversationSummary] = []
    public var selected = 0
    public var query = ""
    /// Letters go to the query (after `/` or any letter other than r and d).
    public var searching = false
    public var mode: Mode = .browse
    /// False until the first list has come back.
    public var loaded = false

    public enum Mode: Equatable, Sendable {
        case browse
        /// Typing a new title for the selected conversation.
        case rename(InputEditor)
        /// Waiting for y/n before deleting the selected conversation.
        case confirmDelete
    }

    public init() {}

    public var current: ConversationSummary? {
        items.indices.contains(selected) ? items[selected] : nil
    }

    mutating func move(_ delta: Int) {
        guard !items.isEmpty else { return }
        selected = max(0, min(items.count - 1, selected + delta))
    }
}
