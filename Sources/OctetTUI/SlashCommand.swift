/// A command typed in the input line (`/template chain-of-thought`), parsed into what to do
/// (the shape of mlx's `CommandDisposition`, STYLE.md H13).
public enum SlashCommand: Equatable, Sendable {
    case help
    case new
    /// Without a name: show the picker.
    case template(String?)
    case templates
    /// Empty text clears the system prompt.
    case system(String)
    case sessions
    case resume(Int64)
    case rename(String)
    case theme(String?)
    case retry
    case export(ExportFormat)
    /// Reply number `n` (1 = first reply; nil = the last); `codeOnly`: its last code block.
    case copy(Int?, codeOnly: Bool)
    /// Without a key: show the settings.
    case set(key: String?, value: String?)
    case edit
    case quit

    /// Every command with its usage and a one-line description, in `/help`'s order.
    public static let catalog: [(name: String, usage: String, summary: String)] = [
        ("help", "/help", "keys and commands"),
        ("new", "/new", "start a new conversation"),
        ("template", "/template [NAME]", "use a prompt template (no name: pick one)"),
        ("templates", "/templates", "list prompt templates with a preview"),
        ("system", "/system TEXT", "set the system prompt (no text: clear it)"),
        ("sessions", "/sessions", "list conversations (search, resume, rename, delete)"),
        ("resume", "/resume ID", "open conversation ID"),
        ("rename", "/rename TITLE", "rename this conversation"),
        ("theme", "/theme NAME", "switch the colour theme"),
        ("retry", "/retry", "regenerate the last reply"),
        ("export", "/export [md|json]", "write this conversation to a file"),
        ("copy", "/copy [N] [code]", "copy reply N (or its last code block) to the clipboard"),
        ("set", "/set KEY VALUE", "change a sampling setting (temperature, top_k, ...)"),
        ("edit", "/edit", "edit the last message and resend it (the old branch is kept)"),
        ("quit", "/quit", "leave Octet"),
    ]

    // MARK: - Parsing

    /// The command in `line` (which starts with "/"); throws a one-line usage message.
    public static func parse(_ line: String) throws -> SlashCommand {
        let body = line.drop { $0 == "/" }
        let name = String(body.prefix { !$0.isWhitespace }).lowercased()
        let rest = body.dropFirst(name.count).trimmingCharactersInSpaces()
        let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
        switch name {
        case "help", "?": return .help
        case "new": return .new
        case "template": return .template(words.first)
        case "templates": return .templates
        case "system": return .system(rest)
        case "sessions", "list": return .sessions
        case "resume":
            guard let id = words.first.flatMap({ Int64($0.drop { $0 == "#" }) }) else {
                throw CommandError("usage: /resume ID (the number F3 or `octet list` shows)")
            }
            return .resume(id)
        case "rename":
            guard !rest.isEmpty else { throw CommandError("usage: /rename TITLE") }
            return .rename(rest)
        case "theme": return .theme(words.first)
        case "retry": return .retry
        case "export": return try parseExport(words)
        case "copy": return try parseCopy(words)
        case "set": return .set(key: words.first, value: words.count > 1 ? words[1] : nil)
        case "edit": return .edit
        case "quit", "exit", "q": return .quit
        default: throw CommandError("unknown command /\(name); /help lists them")
        }
    }

    private static func parseExport(_ words: [String]) throws -> SlashCommand {
        guard let word = words.first else { return .export(.markdown) }
        guard
            let format = ExportFormat(rawValue: word.lowercased())
                ?? (word.lowercased() == "markdown" ? .markdown : nil)
        else { throw CommandError("usage: /export [md|json]") }
        return .export(format)
    }

    private static func parseCopy(_ words: [String]) throws -> SlashCommand {
        var number: Int?
        var codeOnly = false
        for word in words {
            if word.lowercased() == "code" {
                codeOnly = true
            } else if let n = Int(word), n > 0 {
                number = n
            } else {
                throw CommandError("usage: /copy [N] [code]")
            }
        }
        return .copy(number, codeOnly: codeOnly)
    }

    // MARK: - Completion

    /// The command names that start with `prefix` (without the "/").
    public static func names(startingWith prefix: String) -> [String] {
        catalog.map(\.name).filter { $0.hasPrefix(prefix.lowercased()) }
    }
}

/// A mistyped command: the message is shown in the transcript.
public struct CommandError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Substring {
    func trimmingCharactersInSpaces() -> String {
        var s = self
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
