/// Who wrote a message.
public enum Role: String, Codable, Sendable, CaseIterable, Hashable {
    case system, user, assistant
}
