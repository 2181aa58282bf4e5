/// Why a conversation could not be rendered, a prompt template loaded or a turn run. Every
/// message is one line naming what is wrong (the format, the file and line, the variable).
public enum ChatError: Error, CustomStringConvertible, Equatable {
    /// The chat format needs user and assistant messages to alternate.
    case roleAlternation(format: String, index: Int, role: Role)
    /// The chat format has no place for a message of this role at this position.
    case unsupportedRole(format: String, index: Int, role: Role)
    /// No chat format has this name.
    case unknownChatFormat(name: String)
    /// A prompt template file is broken: `file:line: field: problem`.
    case badTemplateFile(file: String, line: Int?, field: String?, problem: String)
    /// A template's text uses a variable that has neither a value nor a default.
    case missingVariable(template: String, variable: String)
    /// `--var` or `/template` names a template that is not loaded.
    case unknownTemplate(name: String, available: [String])
    /// `--var` text that is not `KEY=VALUE`.
    case badVariable(text: String)
    /// The current message alone does not fit the context window.
    case messageTooLong(tokens: Int, limit: Int)
    /// A turn was started while another one is still running.
    case turnInProgress
    /// `retry` with no user message to answer.
    case nothingToRetry
    /// A `--messages` file that is not a JSON array of `{role, content}`.
    case badMessagesFile(path: String, problem: String)

    public var description: String {
        switch self {
        case .roleAlternation(let format, let index, let role):
            return "chat format \(format): message \(index + 1) is a \(role.rawValue) message, but "
                + "user and assistant messages must alternate, starting with a user message"
        case .unsupportedRole(let format, let index, let role):
            return "chat format \(format): message \(index + 1): \(role.rawValue) messages are "
                + "not supported there"
        case .unknownChatFormat(let name):
            return "unknown chat format \"\(name)\" (known: \(ChatFormat.names.joined(separator: ", ")))"
        case .badTemplateFile(let file, let line, let field, let problem):
            let place = line.map { "\(file):\($0)" } ?? file
            return field.map { "\(place): \($0): \(problem)" } ?? "\(place): \(problem)"
        case .missingVariable(let template, let variable):
            return "template \(template): variable \"\(variable)\" has no value "
                + "(give one with --var \(variable)=VALUE)"
        case .unknownTemplate(let name, let available):
            return "no prompt template named \"\(name)\" (available: "
                + (available.isEmpty ? "none" : available.joined(separator: ", ")) + ")"
        case .badVariable(let text):
            return "--var \"\(text)\": expected KEY=VALUE"
        case .messageTooLong(let tokens, let limit):
            return "the message needs \(tokens) tokens of context but at most \(limit) are "
                + "available (shorten it, or use a larger --ctx)"
        case .turnInProgress:
            return "a reply is still being generated"
        case .nothingToRetry:
            return "there is no message to answer again"
        case .badMessagesFile(let path, let problem):
            return "\(path): \(problem)"
        }
    }
}
