/// One message as a chat format sees it: a role and its text. `Message` carries more (ids,
/// dates, generation info); rendering needs only these two, and `octet prompt --messages`
/// reads exactly this shape (`[{"role": "user", "content": "..."}]`).
public struct ChatMessage: Codable, Sendable, Equatable, Hashable {
    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { .init(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { .init(role: .user, content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage {
        .init(role: .assistant, content: content)
    }
}

extension Message {
    /// The role and text of this message, for rendering.
    public var chatMessage: ChatMessage { ChatMessage(role: role, content: content) }
}
