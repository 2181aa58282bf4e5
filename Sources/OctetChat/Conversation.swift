import Foundation

/// A conversation: its settings and its messages in order.
public struct Conversation: Codable, Sendable, Equatable, Identifiable {
    /// Assigned by the store; nil until saved. Shown to users (`octet show 12`).
    public var id: Int64?
    public var title: String
    public var created: Date
    public var updated: Date
    /// The model file's name.
    public var model: String?
    /// The chat format's name (`chatml-smollm2`, `llama3`, ...).
    public var chatFormat: String?
    /// The prompt template's name; nil = the user's text as is.
    public var template: String?
    /// Replaces the template's (or the model's default) system prompt when set.
    public var systemPrompt: String?
    public var sampling: SamplingSettings
    public var messages: [Message]

    public init(
        id: Int64? = nil, title: String = "", created: Date = Date(), updated: Date? = nil,
        model: String? = nil, chatFormat: String? = nil, template: String? = nil,
        systemPrompt: String? = nil, sampling: SamplingSettings = .default,
        messages: [Message] = []
    ) {
        self.id = id
        self.title = title
        self.created = created
        self.updated = updated ?? created
        self.model = model
        self.chatFormat = chatFormat
        self.template = template
        self.systemPrompt = systemPrompt
        self.sampling = sampling
        self.messages = messages
    }

    /// A title from the first user message: its first line, at most `limit` characters.
    public static func title(fromFirstMessage text: String, limit: Int = 60) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > limit else { return trimmed }
        return String(trimmed.prefix(limit - 1)) + "…"
    }
}
